#!/usr/bin/env bash
# Builds kaa (installing what is missing) and runs the whole test suite through CTest.
set -euo pipefail
cd "$(dirname "$0")/.."
./setup.sh --build-only
export OMP_PROC_BIND="${OMP_PROC_BIND:-false}"
# One test at a time: each runs 2 threads, and oversubscribed OpenMP threads spin-wait each other
# into minute-long tests on a 2-core machine.
ctest --test-dir build --output-on-failure "$@"
