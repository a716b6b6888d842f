# Included at the root project() call of the Python build (CMAKE_PROJECT_kaa_INCLUDE in
# pyproject.toml): Kokkos from the cache setup.sh builds, unless CMAKE_PREFIX_PATH names another.
list(APPEND CMAKE_PREFIX_PATH "$ENV{HOME}/.cache/kaa/kokkos-3.4.01-openmp")
