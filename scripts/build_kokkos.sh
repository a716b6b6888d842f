#!/usr/bin/env bash
# Builds Kokkos 3.4.01 from Debian's trilinos source package into a cache prefix outside the
# repository, reused by later runs. Debian's libtrilinos-kokkos-dev is Serial-only.
#   KAA_BACKEND=openmp (default): OpenMP + Serial    -> <cache>/kokkos-3.4.01-openmp
#   KAA_BACKEND=cuda:   CUDA (sm_80, lambdas) + OpenMP + Serial, with nvcc_wrapper as the compiler,
#                       after scripts/kokkos-3.4.01-cuda13.patch -> <cache>/kokkos-3.4.01-cuda-sm80
# Prints the install prefix on its last line.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
backend="${KAA_BACKEND:-openmp}"
cache="${KAA_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kaa}"
case "$backend" in
  openmp)
    prefix="$cache/kokkos-3.4.01-openmp"
    stamp_text=""
    ;;
  cuda)
    prefix="$cache/kokkos-3.4.01-cuda-sm80"
    patch_file="$here/kokkos-3.4.01-cuda13.patch"
    # The stamp records the patch it was built with: a changed patch rebuilds the cache.
    stamp_text="$(sha256sum "$patch_file" | cut -d' ' -f1)"
    if ! command -v nvcc >/dev/null && [ -x /usr/local/cuda/bin/nvcc ]; then
      export PATH="/usr/local/cuda/bin:$PATH"
    fi
    command -v nvcc >/dev/null || { echo "build_kokkos: KAA_BACKEND=cuda needs nvcc (CUDA 13) on the PATH" >&2; exit 2; }
    ;;
  *)
    echo "build_kokkos: KAA_BACKEND must be openmp or cuda (got '$backend')" >&2
    exit 2
    ;;
esac
stamp="$prefix/.kaa-build-complete"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$stamp_text" ]; then
  echo "build_kokkos: cached at $prefix" >&2
  echo "$prefix"
  exit 0
fi
work="$cache/kokkos-build.$$"
rm -rf "$work"
mkdir -p "$work/sources.list.d" "$work/lists/partial"
trap 'rm -rf "$work"' EXIT

# A deb-src twin of the machine's own Debian source list, kept out of the system's apt set-up.
sources=/etc/apt/sources.list.d/debian.sources
if [ -f "$sources" ]; then
  sed 's/^Types:.*/Types: deb-src/' "$sources" >"$work/sources.list.d/debian-src.sources"
else
  grep -E '^deb ' /etc/apt/sources.list | sed 's/^deb /deb-src /' >"$work/sources.list.d/debian-src.list"
fi
apt_opts=(-o "Dir::Etc::SourceParts=$work/sources.list.d" -o "Dir::Etc::SourceList=/dev/null"
  -o "Dir::State::Lists=$work/lists" -o "APT::Sandbox::User=root")
apt-get "${apt_opts[@]}" update -qq >&2
(cd "$work" && apt-get "${apt_opts[@]}" source --download-only trilinos >&2)
tarball=$(ls "$work"/trilinos_*.orig.tar.* | head -n 1)
echo "build_kokkos: extracting packages/kokkos from $(basename "$tarball")" >&2
mkdir -p "$work/src"
tar -xf "$tarball" -C "$work/src" --wildcards '*/packages/kokkos/*'
kokkos_src=$(find "$work/src" -maxdepth 3 -type d -path '*/packages/kokkos' | head -n 1)
grep -q 'Kokkos_VERSION_MAJOR 3' "$kokkos_src/CMakeLists.txt" || echo "build_kokkos: warning: unexpected Kokkos version" >&2

options=(-DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX="$prefix"
  -DKokkos_ENABLE_OPENMP=ON -DKokkos_ENABLE_SERIAL=ON -DCMAKE_CXX_STANDARD=17
  -DCMAKE_POSITION_INDEPENDENT_CODE=ON -DKokkos_ENABLE_TESTS=OFF)
if [ "$backend" = cuda ]; then
  (cd "$kokkos_src" && patch -p1 --forward --quiet <"$patch_file") >&2
  # Kokkos 3.4 knows no Hopper: sm_80 code plus compute_80 PTX, which newer GPUs JIT-compile.
  export NVCC_WRAPPER_DEFAULT_COMPILER="${NVCC_WRAPPER_DEFAULT_COMPILER:-g++}"
  options+=(-DKokkos_ENABLE_CUDA=ON -DKokkos_ENABLE_CUDA_LAMBDA=ON -DKokkos_ARCH_AMPERE80=ON
    -DCMAKE_CXX_COMPILER="$kokkos_src/bin/nvcc_wrapper")
fi
cmake -S "$kokkos_src" -B "$work/build" "${options[@]}" >&2
cmake --build "$work/build" -j "$(nproc)" >&2
rm -rf "$prefix"
cmake --install "$work/build" >&2
# The stamp marks a complete install; an interrupted build is redone from scratch next time.
printf '%s' "$stamp_text" >"$stamp"
echo "$prefix"
