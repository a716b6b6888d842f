#!/usr/bin/env bash
# Installs kaa's dependencies (Debian packages; Kokkos 3.4.01 built once into a cache outside the
# repository), builds the kaa CLI in Release mode, and runs the main job: the sweep
# experiments/compare_strategies.json (every config in configs/ on built-in synthetic data, 5
# seeds) with its summary table and figures; then the Python package `kaa` into .venv
# (scripts/build_python.sh). Extra arguments go to `kaa sweep` (e.g. --out DIR).
# Tests and benchmarks are built by scripts/test.sh, so the first run is not spent on them.
#   ./setup.sh                      build the CLI and run the main job
#   ./setup.sh --build-only         only install and build the CLI
#   KAA_BACKEND=cuda ./setup.sh     the same with Kokkos' CUDA backend (nvcc 13, sm_80 code) into
#                                   build-cuda/; without a GPU it builds and says the job was not run
set -euo pipefail
cd "$(dirname "$0")"
run=1
if [ "${1:-}" = "--build-only" ]; then
  run=0
  shift
fi
source scripts/backend.sh
scripts/install_deps.sh
kokkos_prefix=$(scripts/build_kokkos.sh | tail -n 1)
kaa_configure "$kokkos_prefix"
cmake --build "$KAA_BUILD_DIR" -j "$(nproc)" --target kaa
if [ "$run" -eq 1 ]; then
  if ! kaa_can_run; then
    echo "setup: built $KAA_BUILD_DIR/kaa; no CUDA device visible here, so the main job was not run" >&2
    exit 0
  fi
  export OMP_PROC_BIND="${OMP_PROC_BIND:-false}"
  # The main job: every config in configs/ on the built-in synthetic data, 5 seeds, summarised.
  "./$KAA_BUILD_DIR/kaa" sweep experiments/compare_strategies.json --plots "$@"
  # After the main job, so its results come first: `.venv/bin/python -c "import kaa"` then works.
  if [ "$KAA_BACKEND" = openmp ]; then
    scripts/build_python.sh
  fi
fi
