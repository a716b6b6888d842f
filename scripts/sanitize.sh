#!/usr/bin/env bash
# Builds kaa, its tests and the libFuzzer targets with clang under AddressSanitizer and
# UndefinedBehaviorSanitizer into build-san, and runs the whole unit-test suite there (the
# process-level tests then exercise the sanitized kaa binary too). Any report fails the run.
#   scripts/sanitize.sh            build + test
#   scripts/sanitize.sh --build    build only (e.g. before scripts/run_fuzzers.sh)
#   scripts/sanitize.sh --thread   ThreadSanitizer instead, into build-tsan: the in-process tests
#                                  on 2 threads, OpenMP seen through LLVM's Archer (see
#                                  docs/RELIABILITY.md)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install_deps.sh
# clang alone is not enough: without recommends it lacks the sanitizer and libFuzzer runtimes
# (libclang-rt-dev), and Kokkos' OpenMP headers need clang's omp.h and libomp (libomp-dev).
missing=()
for p in clang libclang-rt-dev libomp-dev; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
kokkos_prefix=$(scripts/build_kokkos.sh | tail -n 1)
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)

if [ "${1:-}" = "--thread" ]; then
  # clang links LLVM's libomp, which also runs the g++-built Kokkos' GOMP calls; its Archer tool
  # tells TSan about OpenMP's barriers and joins, which TSan cannot see by itself.
  archer="$(dirname "$(readlink -f "$(command -v clang++)")")/../lib/libarcher.so"
  [ -f "$archer" ] || { echo "sanitize: $archer missing (Debian: libomp-dev)" >&2; exit 2; }
  CC=clang CXX=clang++ cmake -S . -B build-tsan -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only" "${launcher[@]}" \
    -DCMAKE_PREFIX_PATH="$kokkos_prefix" -DKAA_SANITIZE=thread -DKAA_BUILD_BENCHMARKS=OFF \
    -DKAA_MPI=OFF -DCMAKE_UNITY_BUILD=ON >/dev/null
  # Exported before the build: test discovery already runs the binary. libomp itself is not
  # instrumented; Archer reports its synchronisation, so its own internals are ignored.
  export OMP_TOOL_LIBRARIES="$archer"
  export TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 ignore_noninstrumented_modules=1"
  cmake --build build-tsan -j "$(nproc)" --target kaa_tests
  export OMP_PROC_BIND=false OMP_WAIT_POLICY=passive
  # The process-level suites only start the kaa binary (with one thread); the rest run in here.
  exec build-tsan/tests/kaa_tests --threads=2 --gtest_filter='-Cli.*:Degenerate.*:Sweep.*'
fi
# Unity batches (as setup.sh): half the compile time of one file at a time, measured for this tree.
# -O1 with line tables only: about 30% less compile time than RelWithDebInfo's -O2 -g (measured on
# knn_hull.cpp), still symbolised reports; no -DNDEBUG, so assertions check too. Without MPI: Open
# MPI's own start-up allocations would be reported as leaks of every mpirun test; the single-rank
# communicator is what the sanitizers check (the mpi_* tests run in the regular build).
CC=clang CXX=clang++ cmake -S . -B build-san -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only" "${launcher[@]}" \
  -DCMAKE_PREFIX_PATH="$kokkos_prefix" -DKAA_SANITIZE=address,undefined -DKAA_FUZZ=ON \
  -DKAA_BUILD_BENCHMARKS=OFF -DKAA_MPI=OFF -DCMAKE_UNITY_BUILD=ON >/dev/null
cmake --build build-san -j "$(nproc)"
if [ "${1:-}" = "--build" ]; then exit 0; fi
export ASAN_OPTIONS="detect_leaks=1:halt_on_error=1" UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"
export OMP_PROC_BIND=false OMP_WAIT_POLICY=passive
ctest --test-dir build-san --output-on-failure
