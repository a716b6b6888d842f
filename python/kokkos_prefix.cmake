# Included at the root project() call of the Python build (CMAKE_PROJECT_kaa_INCLUDE in
# pyproject.toml): Kokkos from the cache setup.sh builds (scripts/build_kokkos.sh's KAA_CACHE,
# XDG_CACHE_HOME or ~/.cache), after any prefix CMAKE_PREFIX_PATH names.
if(DEFINED ENV{KAA_CACHE})
  set(kaa_cache "$ENV{KAA_CACHE}")
elseif(DEFINED ENV{XDG_CACHE_HOME})
  set(kaa_cache "$ENV{XDG_CACHE_HOME}/kaa")
else()
  set(kaa_cache "$ENV{HOME}/.cache/kaa")
endif()
list(APPEND CMAKE_PREFIX_PATH "${kaa_cache}/kokkos-3.4.01-openmp")
