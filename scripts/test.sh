#!/usr/bin/env bash
# Builds kaa with its tests and benchmarks and the Python package (installing what is missing), then
# runs the whole test suite: CTest, then pytest on python/tests. Extra arguments go to ctest.
#   scripts/test.sh                     build everything, run the suite
#   scripts/test.sh --build-only        build everything, run nothing
#   KAA_BACKEND=cuda scripts/test.sh    the same in build-cuda/ (no Python); without a GPU it fails
#                                       after the build, saying so (use --build-only there)
#   KAA_PYTHON=0 scripts/test.sh        without the Python package
set -euo pipefail
cd "$(dirname "$0")/.."
run=1
if [ "${1:-}" = "--build-only" ]; then
  run=0
  shift
fi
source scripts/backend.sh
./setup.sh --build-only
cmake --build "$KAA_BUILD_DIR" -j "$(nproc)"
# The Python package builds against the OpenMP Kokkos only; KAA_PYTHON=0 leaves it out.
python=0
if [ "$KAA_BACKEND" = openmp ] && [ "${KAA_PYTHON:-1}" != 0 ]; then
  scripts/build_python.sh
  python=1
fi
[ "$run" -eq 1 ] || exit 0
if ! kaa_can_run; then
  echo "test: the suite is built in $KAA_BUILD_DIR but no CUDA device is visible here to run it" >&2
  exit 1
fi
export OMP_PROC_BIND="${OMP_PROC_BIND:-false}"
# One test at a time: each runs 2 threads, and oversubscribed OpenMP threads spin-wait each other
# into minute-long tests on a 2-core machine.
if ! ctest --test-dir "$KAA_BUILD_DIR" --output-on-failure "$@"; then
  # Logs keep only their tail: the failed tests once more, last, with the toolchain they saw.
  echo "test: rerunning the failed tests for their output" >&2
  grep -E '^(CMAKE_CXX_COMPILER|MPI_CXX_COMPILER|MPIEXEC_EXECUTABLE|Kokkos_DIR):' \
    "$KAA_BUILD_DIR/CMakeCache.txt" >&2 || true
  ctest --test-dir "$KAA_BUILD_DIR" --rerun-failed --output-on-failure >&2 || true
  exit 1
fi
if [ "$python" -eq 1 ]; then
  venv=${KAA_VENV:-$PWD/.venv}
  # The parity tests compare in-process fits with this build's CLI.
  KAA_CLI="$PWD/$KAA_BUILD_DIR/kaa" "$venv/bin/python" -m pytest python/tests -q
fi
