#!/usr/bin/env bash
# Runs every libFuzzer target for a bounded time from its committed seed corpus; any crash, leak,
# undefined behaviour, timeout or out-of-memory fails the script. Findings are written to
# fuzz/findings/ (not committed); add a regression input to fuzz/corpus/<target>/ after fixing.
#   scripts/run_fuzzers.sh [SECONDS_PER_TARGET] [BUILD_DIR]     (defaults: 60, build-san)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
build="${2:-build-san}"
mkdir -p fuzz/findings
export ASAN_OPTIONS="detect_leaks=1:halt_on_error=1" UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"
for target in config csv npy idx; do
  work=$(mktemp -d)  # grows during the run; the committed corpus stays as it is
  cp fuzz/corpus/$target/* "$work"/
  dict=()  # tokens (keys, strategy names) that random mutation would rarely spell
  [ -f "fuzz/$target.dict" ] && dict=(-dict="fuzz/$target.dict")
  echo "fuzz_$target: ${seconds}s"
  set +e
  "$build/fuzz/fuzz_$target" "$work" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -max_len=65536 -artifact_prefix="fuzz/findings/$target-" -print_final_stats=1 "${dict[@]}" \
    >"fuzz/findings/$target.log" 2>&1
  status=$?
  set -e
  grep -E '^(#[0-9]+.*DONE|stat::number_of_executed_units|stat::peak_rss_mb|==[0-9]+==ERROR|SUMMARY)' \
    "fuzz/findings/$target.log" || true
  rm -rf "$work"
  if [ "$status" -ne 0 ]; then
    echo "fuzz_$target: FAILED (exit $status); reproducer in fuzz/findings/" >&2
    exit 1
  fi
done
echo "fuzzers: no findings"
