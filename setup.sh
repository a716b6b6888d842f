#!/usr/bin/env bash
# Installs kaa's dependencies (Debian packages; Kokkos 3.4.01 with OpenMP built once into a cache
# outside the repository), builds kaa in Release mode, and runs the main job: the sweep
# experiments/compare_strategies.json (every config in configs/ on built-in synthetic data, 5
# seeds) with its summary table and figures. Extra arguments go to `kaa sweep` (e.g. --out DIR).
#   ./setup.sh                 build and run the main job
#   ./setup.sh --build-only    only install and build
set -euo pipefail
cd "$(dirname "$0")"
run=1
if [ "${1:-}" = "--build-only" ]; then
  run=0
  shift
fi
scripts/install_deps.sh
kokkos_prefix=$(scripts/build_kokkos.sh | tail -n 1)
# Unity batches of 8 sources parse the Kokkos, Boost and JSON headers once per batch instead of
# once per file: a fresh build takes 2.2x less time (docs/RELIABILITY.md). KAA_UNITY_BUILD=OFF
# suits editing one file at a time.
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH="$kokkos_prefix" \
  -DKAA_WERROR="${KAA_WERROR:-OFF}" -DCMAKE_UNITY_BUILD="${KAA_UNITY_BUILD:-ON}" >/dev/null
cmake --build build -j "$(nproc)"
if [ "$run" -eq 1 ]; then
  export OMP_PROC_BIND="${OMP_PROC_BIND:-false}"
  # The main job: every config in configs/ on the built-in synthetic data, 5 seeds, summarised.
  ./build/kaa sweep experiments/compare_strategies.json --plots "$@"
fi
