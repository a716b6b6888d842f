#!/usr/bin/env bash
# Builds kaa with its tests and benchmarks (installing what is missing) and runs the whole test
# suite through CTest. Extra arguments go to ctest.
#   scripts/test.sh                     build everything, run the suite
#   scripts/test.sh --build-only        build everything, run nothing
#   KAA_BACKEND=cuda scripts/test.sh    the same in build-cuda/; without a GPU it fails after the
#                                       build, saying so (use --build-only there)
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
[ "$run" -eq 1 ] || exit 0
if ! kaa_can_run; then
  echo "test: the suite is built in $KAA_BUILD_DIR but no CUDA device is visible here to run it" >&2
  exit 1
fi
export OMP_PROC_BIND="${OMP_PROC_BIND:-false}"
# One test at a time: each runs 2 threads, and oversubscribed OpenMP threads spin-wait each other
# into minute-long tests on a 2-core machine.
ctest --test-dir "$KAA_BUILD_DIR" --output-on-failure "$@"
