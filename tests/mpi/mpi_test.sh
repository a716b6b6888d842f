#!/usr/bin/env bash
# MPI checks of `kaa fit` over several ranks (CTest entries mpi_*; see tests/CMakeLists.txt).
#   mpi_test.sh KAA MPIEXEC CASE NP
# CASE: same_result (npy data; float64 and float32 against one rank), same_result_csv (CSV data),
# non_distributed, too_many_ranks, bad_data, degenerate_data, sweep. Every mpirun runs under `timeout`: a hang fails.
set -u
kaa=$1 mpiexec=$2 case=$3 np=${4:-2}
work=$(mktemp -d "${TMPDIR:-/tmp}/kaa_mpi_${case}_XXXXXX")
trap 'rm -rf "$work"' EXIT
export OMP_NUM_THREADS=1 OMP_PROC_BIND=false OMP_WAIT_POLICY=passive
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
extra=()
"$mpiexec" --version 2>&1 | grep -qiE "open ?mpi|openrte" && extra=(--oversubscribe)
source_dir=$(cd "$(dirname "$0")/../.." && pwd)
config=$source_dir/configs/base.json

fail() { echo "FAIL: $*" >&2; exit 1; }
run_np() {  # run_np N ARGS...: kaa over N ranks, 120 s at most
  local n=$1; shift
  timeout 120 "$mpiexec" "${extra[@]}" -np "$n" "$kaa" "$@"
}
# Largest absolute difference of two CSV files of numbers with a header line.
max_diff() {
  paste -d, "$1" "$2" | awk -F, 'NR > 1 { h = NF / 2; for (i = 1; i <= h; i++) {
    v = $i - $(i + h); if (v < 0) v = -v; if (v > m) m = v } } END { printf "%.3g\n", m + 0 }'
}
# Values of a float64 .npy file, one per line (the header length is at bytes 8-9).
npy_values() {
  local header
  header=$(od -An -tu2 -j8 -N2 "$1" | tr -d ' ')
  od -An -v -tf8 -j $((10 + header)) "$1" | tr -s ' ' '\n' | sed '/^$/d'
}
# Fit with one rank and with $np ranks; archetypes (and float64 weights) must agree to $tol.
compare() {  # compare DATA PRECISION TOL [EXTRA ARGS...]
  local data=$1 precision=$2 tol=$3
  shift 3
  local common=(fit "$config" --data "$data" --threads 1 --progress-every 0 -q
    --set "/model/precision=\"$precision\"" "$@")
  "$kaa" "${common[@]}" --out "$work/one_$precision" >"$work/one.log" 2>&1 ||
    { cat "$work/one.log"; fail "one-rank fit failed"; }
  run_np "$np" "${common[@]}" --out "$work/many_$precision" >"$work/many.log" 2>&1 ||
    { cat "$work/many.log"; fail "$np-rank fit failed (rc $?)"; }
  for f in archetypes.csv weights.npy metrics.json loss_history.csv; do
    [ -f "$work/many_$precision/$f" ] || fail "$np-rank run folder lacks $f"
  done
  grep -q "\"mpi_ranks\": $np" "$work/many_$precision/metrics.json" || fail "metrics.json lacks mpi_ranks"
  local diff
  diff=$(max_diff "$work/one_$precision/archetypes.csv" "$work/many_$precision/archetypes.csv")
  echo "$precision, $np ranks: largest archetype difference to one rank $diff (tolerance $tol)"
  awk -v a="$diff" -v t="$tol" 'BEGIN { exit !(a <= t) }' || fail "archetypes differ by $diff > $tol"
  if [ "$precision" = float64 ]; then
    # The weights gathered on rank 0, in global row order.
    diff=$(paste -d, <(npy_values "$work/one_$precision/weights.npy") \
      <(npy_values "$work/many_$precision/weights.npy") | awk -F, '
      NF != 2 { bad = 1 } { v = $1 - $2; if (v < 0) v = -v; if (v > m) m = v; rows++ }
      END { if (bad || rows == 0) print "mismatch"; else printf "%.3g\n", m + 0 }')
    # Looser than the archetypes (which knn_hull pulls back onto data rows every update): Adam's
    # normalised step m / sqrt(v) magnifies last-bit differences of near-zero weight gradients
    # (measured: 0 after 5 updates, 1e-14 after 100, 1.5e-8 after 239).
    echo "$precision, $np ranks: largest weight difference to one rank $diff (tolerance 1e-6)"
    awk -v a="$diff" -v t=1e-6 'BEGIN { exit !(a != "mismatch" && a <= t) }' ||
      fail "weights differ ($diff)"
  fi
  # The same number of updates (stopping decided on the same global loss).
  [ "$(wc -l <"$work/one_$precision/loss_history.csv")" = "$(wc -l <"$work/many_$precision/loss_history.csv")" ] ||
    fail "different number of updates"
}
# One "kaa: error" line in all the output, containing every given text; exit code $1.
expect_error() {  # expect_error RC LOG TEXT...
  local want=$1 log=$2; shift 2
  local count
  count=$(grep -c "kaa: error" "$log")
  [ "$count" = 1 ] || { cat "$log"; fail "expected one error line, got $count"; }
  for text in "$@"; do grep -qF -- "$text" "$log" || { cat "$log"; fail "error lacks: $text"; }; done
  [ "$rc" = "$want" ] || { cat "$log"; fail "exit code $rc, expected $want"; }
}

case $case in
  same_result)
    # The base config's synthetic data, saved by a one-update fit.
    "$kaa" fit "$config" --save-data --threads 1 --progress-every 0 -q --out "$work/data" \
      --set /stopping/2/value=1 >"$work/data.log" 2>&1 || { cat "$work/data.log"; fail "data"; }
    # float64: the only differences are the order of sums over rows (last bits), amplified a
    # little by 500 Adam updates. float32: the gradient is rounded to float per rank before the sum.
    compare "$work/data/data.npy" float64 1e-9
    compare "$work/data/data.npy" float32 1e-3
    # Generated data (every rank generates, keeps its block) and the metrics over all rows.
    metrics='/metrics=["rss","explained_variance","archetype_separation","recovery_error"]'
    "$kaa" fit "$config" --threads 1 -q --progress-every 0 --out "$work/syn1" \
      --set '/model/precision="float64"' --set "$metrics" >/dev/null 2>&1 || fail "one-rank synthetic"
    run_np "$np" fit "$config" --threads 1 -q --progress-every 0 --out "$work/synN" \
      --set '/model/precision="float64"' --set "$metrics" >/dev/null 2>&1 || fail "$np-rank synthetic"
    for key in rss explained_variance archetype_separation_min recovery_error_mean_relative; do
      a=$(grep -o "\"$key\": [-0-9.e+]*" "$work/syn1/metrics.json" | awk '{print $2}')
      b=$(grep -o "\"$key\": [-0-9.e+]*" "$work/synN/metrics.json" | awk '{print $2}')
      [ -n "$a" ] && [ -n "$b" ] || fail "metric $key missing"
      awk -v a="$a" -v b="$b" 'BEGIN { d = a - b; if (d < 0) d = -d; s = a < 0 ? -a : a
        exit !(d <= 1e-9 * (s > 1 ? s : 1)) }' || fail "metric $key: $a on one rank, $b on $np"
    done
    ;;
  same_result_csv)
    # 4 corners in 5-d mixed by random weights, plus noise: a CSV of 600 rows with a header.
    awk 'BEGIN { srand(7); print "a,b,c,d,e"
      for (i = 0; i < 600; i++) { s = 0; for (j = 0; j < 4; j++) { w[j] = rand(); s += w[j] }
        line = ""; for (f = 0; f < 5; f++) { v = 0; for (j = 0; j < 4; j++) v += w[j] / s * ((j == f) ? 3 : (j + f) % 2)
          line = line (f ? "," : "") sprintf("%.6f", v + 0.05 * (rand() - 0.5)) }
        print line } }' >"$work/data.csv"
    # Standardised: the column means and deviations are sums over all ranks' rows.
    compare "$work/data.csv" float64 1e-9 --set /model/normalize=true
    ;;
  non_distributed)
    run_np "$np" fit "$config" --threads 1 -q --out "$work/run" --set '/loss/0={"type":"huber"}' \
      >"$work/log" 2>&1
    rc=$?
    expect_error 2 "$work/log" '/loss/0: loss "huber" cannot run distributed' "MPI ranks"
    [ ! -e "$work/run" ] || fail "a run folder was written"
    ;;
  too_many_ranks)
    printf 'x,y\n0,0\n1,0\n0,1\n' >"$work/three.csv"
    run_np "$np" fit "$config" --data "$work/three.csv" --threads 1 -q --out "$work/run" \
      --set /model/n_archetypes=2 >"$work/log" 2>&1
    rc=$?
    expect_error 2 "$work/log" "3 rows cannot be split over $np MPI ranks"
    ;;
  bad_data)
    # Only the last rank's block holds the bad cell: the other ranks must not wait for it.
    { echo "x,y"; for i in $(seq 1 39); do echo "$i,$((i % 7))"; done; echo "40,oops"; } >"$work/bad.csv"
    run_np "$np" fit "$config" --data "$work/bad.csv" --threads 1 -q --out "$work/run" \
      --set /model/n_archetypes=2 >"$work/log" 2>&1
    rc=$?
    [ "$rc" != 124 ] || fail "timed out (a rank hung)"
    expect_error 2 "$work/log" "bad.csv:41: column 2: not a number: \"oops\"" "rank $((np - 1))"
    ;;
  degenerate_data)
    # Too few distinct rows: found from the gathered sums, so every rank stops at the same point
    # with the same error (one line, exit code 2, no MPI_Abort).
    { echo "x,y"; for i in $(seq 1 20); do echo "1,2"; echo "3,4"; done; } >"$work/dup.csv"
    run_np "$np" fit "$config" --data "$work/dup.csv" --threads 1 -q --out "$work/run" >"$work/log" 2>&1
    rc=$?
    expect_error 2 "$work/log" "kmeans_pp: only 2 distinct rows found"
    ! grep -q "MPI_ABORT" "$work/log" || { cat "$work/log"; fail "ranks were aborted"; }
    ;;
  sweep)
    # 6 short runs: over $np ranks the same rows (ids, status, RSS) as one process, written once.
    cat >"$work/sweep.json" <<JSON
{"name": "t", "configs": ["$config"],
 "datasets": {"syn": {"type": "synthetic", "n": 200, "d": 4, "n_archetypes": 3}},
 "set": {"/model/n_archetypes": 3, "/stopping/1/tol": 0.0, "/stopping/2/value": 40},
 "seeds": [0, 1, 2], "axes": [{"grid": {"/optimizer/learning_rate": [0.01, 0.02]}}]}
JSON
    "$kaa" sweep "$work/sweep.json" --out "$work/one" --threads-per-run 1 --no-report -q \
      >"$work/one.log" 2>&1 || { cat "$work/one.log"; fail "one-rank sweep failed"; }
    run_np "$np" sweep "$work/sweep.json" --out "$work/many" --threads-per-run 1 --no-report -q \
      >"$work/many.log" 2>&1 || { cat "$work/many.log"; fail "$np-rank sweep failed (rc $?)"; }
    # id status rss, one line per row, sorted: must be identical.
    rows() { sed -E 's/.*"id":"([^"]*)".*"rss":([^,}]*).*"status":"([^"]*)".*/\1 \3 \2/' "$1" | sort; }
    [ "$(wc -l <"$work/many/results.jsonl")" = 6 ] || fail "expected 6 rows"
    diff <(rows "$work/one/results.jsonl") <(rows "$work/many/results.jsonl") ||
      fail "results differ from the one-rank sweep"
    grep -q '"status":"ok"' "$work/many/results.jsonl" || fail "no ok rows"
    grep -q '"mpi_rank":1' "$work/many/results.jsonl" || fail "rank 1 ran nothing"
    ;;
  *) fail "unknown case $case" ;;
esac
echo "ok: $case over $np ranks"
