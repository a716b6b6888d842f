#!/usr/bin/env bash
# Builds kaa (installing what is missing) and runs the whole test suite through CTest.
set -euo pipefail
cd "$(dirname "$0")/.."
./setup.sh --build-only
export OMP_PROC_BIND="${OMP_PROC_BIND:-false}"
ctest --test-dir build --output-on-failure -j "$(nproc)" "$@"
