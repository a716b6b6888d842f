#!/usr/bin/env bash
# CI smoke run of the micro-benchmarks: every benchmark of kaa_bench once, at the smallest size
# (n = 1000, d = 10, k = 5), with the in-cache read and the multiply-add peak, to show they run;
# the figures mean nothing.
# Fails when a benchmark reports an error (e.g. a strategy whose config needs a kPatches line).
set -euo pipefail
cd "$(dirname "$0")/.."
bench="${KAA_BENCH:-build/benchmarks/kaa_bench}"
[ -x "$bench" ] || cmake --build build -j 2 --target kaa_bench
out=$(mktemp)
trap 'rm -f "$out"' EXIT
OMP_PROC_BIND="${OMP_PROC_BIND:-false}" OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-passive}" \
  "$bench" --threads=2 --benchmark_filter='n:1000/d:10/k:5/|bytes:1048576/|peak_flops' \
  --benchmark_min_time=0.001 | tee "$out"
if grep -q "ERROR OCCURRED" "$out"; then
  echo "bench_smoke: a benchmark reported an error" >&2
  exit 1
fi
count=$(grep -c "/real_time " "$out" || true)
echo "bench_smoke: $count benchmarks ran"
