#!/usr/bin/env bash
# Builds kaa, its tests and the libFuzzer targets with clang under AddressSanitizer and
# UndefinedBehaviorSanitizer into build-san, and runs the whole unit-test suite there (the
# process-level tests then exercise the sanitized kaa binary too). Any report fails the run.
#   scripts/sanitize.sh            build + test
#   scripts/sanitize.sh --build    build only (e.g. before scripts/run_fuzzers.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install_deps.sh
command -v clang++ >/dev/null || {
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get install -y -qq --no-install-recommends clang
}
kokkos_prefix=$(scripts/build_kokkos.sh | tail -n 1)
CC=clang CXX=clang++ cmake -S . -B build-san -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_PREFIX_PATH="$kokkos_prefix" -DKAA_SANITIZE=address,undefined -DKAA_FUZZ=ON \
  -DKAA_BUILD_BENCHMARKS=OFF >/dev/null
cmake --build build-san -j "$(nproc)"
if [ "${1:-}" = "--build" ]; then exit 0; fi
export ASAN_OPTIONS="detect_leaks=1:halt_on_error=1" UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"
export OMP_PROC_BIND=false OMP_WAIT_POLICY=passive
ctest --test-dir build-san --output-on-failure
