#!/usr/bin/env bash
# The GPU check: kaa's whole GoogleTest suite (the archetypax reference replays included), the
# compare-harness self test, and the micro-benchmarks at n = 1e6 and 1e7 (d = 100, k = 10) with
# their fraction of the memory bandwidth, written as ONE results file, $OUT/gpu_check.md (raw
# gtest/benchmark JSON beside it).
#
# The device machine has nvcc and a driver but none of Debian's Boost, JSON, GoogleTest or
# Benchmark packages, and nothing can be installed there: so the binaries are built HERE and
# carried, with the shared libraries they load, in a bundle (git-ignored gpu-bundle/, at most
# 64 MiB with the working tree, which travels too).
#   KAA_BACKEND=cuda scripts/gpu_check.sh bundle   here: build build-cuda/ (Release, sm_80); write
#                                                  gpu-bundle/ = this script + payload.tar.gz
#                                                  (stripped binaries, their libraries, the tracked
#                                                  sources the tests read)
#   bash gpu-bundle/gpu_check.sh run               there, from the repository root; with the device
#                                                  tool, in the checkout it sends (gpu-bundle/ is
#                                                  git-ignored, so it must be carried):
#       run(command="bash gpu-bundle/gpu_check.sh run", carry=["gpu-bundle"], timeout_s=420)
#                                                  then copy $OUT's gpu_check.md into
#                                                  benchmarks/RESULTS.md with the date and GPU
#   KAA_BACKEND=openmp scripts/gpu_check.sh        bundle and run here, the same steps end to end
#                                                  on the CPU with the OpenMP build (build/)
# Settings (environment):
#   KAA_CHECK_N        sizes n of the benchmarks ("1000000 10000000"; the CPU run of the CI
#                      machine uses e.g. "10000 100000": 1e7 needs 8 GB and minutes per benchmark)
#   KAA_CHECK_FILTER   regex of benchmark families (default: all of them, the read bandwidth too)
#   KAA_CHECK_BUDGET   seconds for the whole run (360: the device check has 8 minutes, the
#                      machine's start included); steps that would start after it are recorded
#                      as skipped, a step that outlasts it is killed and its partial results kept
#   KAA_CHECK_TEST_SECONDS  the test suite's share of the budget (45%)
#   KAA_CHECK_NO_BUILD=1    bundle what $KAA_BUILD_DIR holds without building first
#   KAA_BANDWIDTH_BPS  the bandwidth yardstick in bytes/s (cuda: 4.3e12, an H200's measured
#                      device-to-device copy; openmp: the benchmark's own 1 GiB read)
#   OUT                where the results go (set by the device tool; else gpu-check-out/)
set -euo pipefail
mode="${1:-all}"

bundle() {
  cd "$(dirname "$0")/.."
  source scripts/backend.sh
  local dest="${1:-gpu-bundle}"
  [ "${KAA_CHECK_NO_BUILD:-0}" = 1 ] || KAA_PYTHON=0 scripts/test.sh --build-only
  local stage
  stage=$(mktemp -d)
  mkdir -p "$stage/build/tests" "$stage/build/benchmarks" "$stage/lib" "$stage/src"
  local bins=("$KAA_BUILD_DIR/kaa" "$KAA_BUILD_DIR/tests/kaa_tests"
    "$KAA_BUILD_DIR/benchmarks/kaa_bench")
  for b in "${bins[@]}"; do
    strip --strip-unneeded -o "$stage/build/${b#"$KAA_BUILD_DIR"/}" "$b"
  done
  if ldd "${bins[@]}" | grep 'not found'; then
    echo "gpu_check: a shared library of the binaries is missing here" >&2
    exit 1
  fi
  # Every shared library they load except the C library family and the GPU driver, which the
  # device machine has in the versions its kernel and GPU need.
  ldd "${bins[@]}" | awk '/=> \// {print $3}' | sort -u | while read -r lib; do
    case "$(basename "$lib")" in
      libc.so* | libm.so* | libpthread.so* | libdl.so* | librt.so* | ld-linux* | libcuda.so* | libnvidia*) ;;
      *) strip --strip-unneeded -o "$stage/lib/$(basename "$lib")" "$(readlink -f "$lib")" ;;
    esac
  done
  # The tests read configs, reference data and docs from the source tree they were built in.
  git ls-files -z | tar --null -T - -cf - | tar -xf - -C "$stage/src"
  {
    echo "backend=$KAA_BACKEND"
    echo "source_dir=$(pwd)"
    echo "build_dir=$KAA_BUILD_DIR"
    echo "commit=$(git rev-parse --short HEAD)$(git diff --quiet HEAD || echo +changes)"
    echo "built=$(date -u +%Y-%m-%dT%H:%MZ) on $(uname -n)"
  } >"$stage/bundle.env"
  # Compressed: ICU's data alone (Boost.Log -> Boost.Regex) is 30 MB, 12 MB gzipped.
  rm -rf "$dest"
  mkdir -p "$dest"
  tar -C "$stage" -czf "$dest/payload.tar.gz" .
  rm -rf "$stage"
  cp scripts/gpu_check.sh "$dest/gpu_check.sh"
  local size
  size=$(du -sb "$dest" | cut -f1)
  echo "gpu_check: bundle $dest: $((size / 1048576)) MiB (limit 64 MiB with the working tree)" >&2
  if [ "$size" -gt $((60 * 1048576)) ]; then
    echo "gpu_check: the bundle is too large to carry" >&2
    exit 1
  fi
}

run() {
  local dir
  dir="$(cd "${1:-$(dirname "$0")}" && pwd)"
  local unpacked="${TMPDIR:-/tmp}/kaa-gpu-check"
  rm -rf "$unpacked"
  mkdir -p "$unpacked"
  tar -C "$unpacked" -xzf "$dir/payload.tar.gz"
  dir="$unpacked"
  local backend source_dir build_dir commit built
  # shellcheck disable=SC1091
  source <(sed 's/^\([a-z_]*\)=\(.*\)$/\1="\2"/' "$dir/bundle.env")
  local out="${OUT:-$PWD/gpu-check-out}"
  mkdir -p "$out"
  local budget="${KAA_CHECK_BUDGET:-360}" start=$SECONDS
  export LD_LIBRARY_PATH="$dir/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
  export OMP_PROC_BIND=false OMP_WAIT_POLICY=passive
  # The binaries name the source and build directories they were built in (test data, the kaa
  # binary the process-level tests start): make those paths lead into the bundle.
  if [ ! -e "$source_dir" ]; then
    mkdir -p "$(dirname "$source_dir")"
    ln -s "$dir/src" "$source_dir"
  fi
  [ -e "$source_dir/$build_dir" ] || ln -s "$dir/build" "$source_dir/$build_dir"
  local md="$out/gpu_check.md" log="$out/gpu_check.log"
  : >"$log"
  local gpu="none"
  command -v nvidia-smi >/dev/null && gpu=$(nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>/dev/null | head -n 1 || echo none)
  {
    echo "# kaa GPU check"
    echo
    echo "- date: $(date -u +%Y-%m-%dT%H:%MZ); host: $(uname -n); GPU: $gpu; CPU cores: $(nproc)"
    echo "- bundle: backend $backend, commit $commit, built $built"
    echo
  } >"$md"

  remaining() { echo $((budget - (SECONDS - start))); }

  # 1. The CTest suite's GoogleTest cases (ctest runs them one by one with the same arguments).
  local t0=$SECONDS rc=0
  # The benchmarks keep the rest of the budget.
  local test_limit="${KAA_CHECK_TEST_SECONDS:-$((budget * 45 / 100))}"
  timeout --signal=KILL "$test_limit" "$dir/build/tests/kaa_tests" --threads=2 \
    --gtest_output="json:$out/tests.json" >>"$log" 2>&1 || rc=$?
  echo "## Tests" >>"$md"
  echo >>"$md"
  echo "kaa_tests --threads=2: exit $rc in $((SECONDS - t0)) s$([ "$rc" -eq 137 ] && echo ' (killed: time budget)')" >>"$md"
  python3 - "$out/tests.json" >>"$md" 2>/dev/null <<'EOF' || echo "(no gtest JSON report)" >>"$md"
import json, sys
r = json.load(open(sys.argv[1]))
failed = [f"{s['name']}.{t['name']}" for s in r["testsuites"] for t in s["testsuite"] if t.get("failures")]
skipped = sum(1 for s in r["testsuites"] for t in s["testsuite"] if t.get("result") == "SKIPPED")
print(f"\n{r['tests']} tests: {r['tests'] - r['failures'] - r.get('disabled', 0) - skipped} passed, "
      f"{r['failures']} failed, {skipped} skipped, {r.get('disabled', 0)} disabled, {r['time']}")
for f in failed:
    print(f"- FAILED {f}")
EOF
  if [ ! -s "$out/tests.json" ]; then
    echo "From the log: $(grep -c '^\[       OK \]' "$log") passed, $(grep -c '^\[  FAILED  \]' "$log") failed lines" >>"$md"
    grep '^\[  FAILED  \]' "$log" | sed 's/^/- /' >>"$md" || true
  fi
  t0=$SECONDS
  rc=0
  sh "$dir/src/tests/compare/run_self_test.sh" "$dir/build/kaa" >>"$log" 2>&1 || rc=$?
  echo >>"$md"
  echo "compare_harness_self_test: exit $rc in $((SECONDS - t0)) s (77 = skipped: no python3/numpy)" >>"$md"

  # 2. Micro-benchmarks, one process per size (the grid has n = 1e6 at d = 100, k = 10; other
  # sizes are added through KAA_BENCH_EXTRA_N), then the streaming read over 1 GiB.
  local filter="${KAA_CHECK_FILTER:-.}"
  local sizes="${KAA_CHECK_N:-1000000 10000000}"
  echo >>"$md"
  echo "## Micro-benchmarks" >>"$md"
  echo >>"$md"
  local jsons=()
  if [ "$(remaining)" -gt 20 ]; then
    timeout --signal=KILL "$(remaining)" "$dir/build/benchmarks/kaa_bench" --threads=2 \
      --benchmark_filter='read_bandwidth/bytes:1073741824' --benchmark_min_time=0.2 \
      --benchmark_out="$out/bench_read.json" --benchmark_out_format=json >>"$log" 2>&1 &&
      jsons+=("$out/bench_read.json")
  fi
  local left
  left=$(wc -w <<<"$sizes")
  for n in $sizes; do
    # Each size gets an equal share of what is left, so a slow benchmark at 1e6 cannot starve 1e7.
    local share=$(($(remaining) / left))
    left=$((left - 1))
    if [ "$share" -le 20 ]; then
      echo "- n = $n: skipped, time budget spent" >>"$md"
      continue
    fi
    t0=$SECONDS
    rc=0
    local extra=""
    [ "$n" = 1000000 ] || extra="$n"
    KAA_BENCH_EXTRA_N="$extra" timeout --signal=KILL "$share" "$dir/build/benchmarks/kaa_bench" \
      --threads=2 --benchmark_filter="($filter).*/n:$n/d:100/k:10/" --benchmark_min_time=0.05 \
      --benchmark_out="$out/bench_n$n.json" --benchmark_out_format=json >>"$log" 2>&1 || rc=$?
    echo "- n = $n: exit $rc in $((SECONDS - t0)) s$([ "$rc" -eq 137 ] && echo ' (killed: time budget; results cut short)')" >>"$md"
    jsons+=("$out/bench_n$n.json")
  done
  echo >>"$md"
  KAA_YARDSTICK="${KAA_BANDWIDTH_BPS:-$([ "$backend" = cuda ] && echo 4.3e12 || echo measured)}" \
    python3 - "${jsons[@]}" >>"$md" <<'EOF'
import json, os, re, sys
def load(path):
    # A run cut short leaves its JSON unterminated: keep the complete benchmark entries.
    text = open(path).read()
    try:
        return json.loads(text)["benchmarks"]
    except (ValueError, KeyError):
        return [json.loads(m) for m in re.findall(r"\{[^{}]*\"run_name\"[^{}]*\}", text)]
runs = []
for p in sys.argv[1:]:
    if os.path.exists(p):
        runs += load(p)
read = [r for r in runs if r["name"].startswith("read_bandwidth")]
measured = read[0].get("bytes_per_s") if read else None
y = os.environ["KAA_YARDSTICK"]
yardstick = measured if y == "measured" else float(y)
print(f"Yardstick: {yardstick / 1e9 if yardstick else float('nan'):.0f} GB/s "
      f"({'the 1 GiB streaming read measured here' if y == 'measured' else 'KAA_BANDWIDTH_BPS'}); "
      f"measured 1 GiB streaming read: {measured / 1e9 if measured else float('nan'):.0f} GB/s.\n")
print("| benchmark | ms per iteration | iterations | GB/s | fraction of yardstick |")
print("|---|---:|---:|---:|---:|")
for r in runs:
    if r["name"].startswith("read_bandwidth"):
        continue
    bps = r.get("bytes_per_s")
    if r.get("error_occurred"):
        print(f"| {r['name']} | error: {r.get('error_message', '')} | | | |")
        continue
    frac = f"{bps / yardstick:.3f}" if bps and yardstick else ""
    gbs = f"{bps / 1e9:.1f}" if bps else ""
    print(f"| {r['name']} | {r['real_time']:.3f} | {r['iterations']} | {gbs} | {frac} |")
EOF
  echo >>"$md"
  echo "Whole run: $((SECONDS - start)) s of a $budget s budget. Log: gpu_check.log." >>"$md"
  echo "gpu_check: results in $md" >&2
  cat "$md"
}

case "$mode" in
  bundle) bundle "${2:-}" ;;
  run) run "${2:-}" ;;
  all)
    bundle gpu-bundle
    cd "$(dirname "$0")/.."
    source scripts/backend.sh
    if ! kaa_can_run; then
      echo "gpu_check: no CUDA device here; carry gpu-bundle/ to one and run 'bash gpu-bundle/gpu_check.sh run'" >&2
      exit 0
    fi
    run gpu-bundle
    ;;
  *)
    echo "usage: scripts/gpu_check.sh [bundle [DIR] | run [BUNDLE_DIR]]" >&2
    exit 2
    ;;
esac
