#!/usr/bin/env bash
# CI's CUDA compile check (no GPU needed, nothing runs): builds everything of kaa with nvcc into
# build-cuda-ci/ and fails on any compiler error or warning, printing where it is.
set -euo pipefail
cd "$(dirname "$0")/.."
log=build-cuda-ci.log
export KAA_BACKEND=cuda KAA_BUILD_DIR=build-cuda-ci KAA_BUILD_TYPE=None KAA_WERROR=ON
start=$SECONDS
# Kokkos first (cached after the first run), so its own nvcc warnings stay out of kaa's log.
scripts/build_kokkos.sh >/dev/null 2>build-cuda-ci-kokkos.log ||
  { tail -n 50 build-cuda-ci-kokkos.log >&2; echo "ci_cuda_compile: FAILED: Kokkos (CUDA)" >&2; exit 1; }
if ! scripts/test.sh --build-only >"$log" 2>&1; then
  grep -E -B2 -A6 'error|Error' "$log" | head -n 200 >&2 || tail -n 100 "$log" >&2
  echo "ci_cuda_compile: FAILED: the CUDA build does not compile (whole log: $log)" >&2
  exit 1
fi
# nvcc's front end reports its own warnings (e.g. #20011-D) outside -Werror's reach.
if grep -E -n 'warning[: #]' "$log" >&2; then
  echo "ci_cuda_compile: FAILED: nvcc or g++ warnings in the CUDA build (whole log: $log)" >&2
  exit 1
fi
echo "ci_cuda_compile: the CUDA configuration compiles cleanly ($((SECONDS - start)) s)"
