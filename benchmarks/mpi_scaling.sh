#!/usr/bin/env bash
# Strong and weak scaling of one distributed fit (configs/base.json, float32, exactly UPDATES
# updates) over MPI ranks x OpenMP threads; prints a Markdown table for the MPI section of benchmarks/RESULTS.md.
#   benchmarks/mpi_scaling.sh [KAA] [N] [UPDATES] [REPEATS]
# Seconds per update = the fit's "seconds" (initialisation + loop) / updates, best of REPEATS.
set -euo pipefail
kaa=${1:-build/kaa} n=${2:-200000} updates=${3:-100} repeats=${4:-3}
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/kaa_mpi_scaling_XXXXXX")
trap 'rm -rf "$work"' EXIT
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMP_PROC_BIND=false OMP_WAIT_POLICY=passive
extra=()
mpirun --version 2>&1 | grep -qiE "open ?mpi|openrte" && extra=(--oversubscribe)
common=(--progress-every 0 -q --set /stopping/1/tol=0 --set "/stopping/2/value=$updates")

# The base config's synthetic data at n and n/2 rows, saved once as .npy (ranks read their rows).
for rows in "$n" $((n / 2)); do
  "$kaa" fit "$root/configs/base.json" --save-data --threads 2 --out "$work/data$rows" \
    --set "/data/n=$rows" --progress-every 0 -q --set /stopping/2/value=1 >/dev/null
done

measure() {  # measure RANKS THREADS ROWS -> best seconds per update and payload per update
  local ranks=$1 threads=$2 rows=$3 best="" bytes="-"
  for rep in $(seq "$repeats"); do
    local out="$work/run_${ranks}_${threads}_${rows}_$rep"
    if [ "$ranks" = 1 ]; then
      OMP_NUM_THREADS=$threads "$kaa" fit "$root/configs/base.json" --data "$work/data$rows/data.npy" \
        --threads "$threads" --out "$out" --overwrite "${common[@]}" >/dev/null
    else
      OMP_NUM_THREADS=$threads mpirun "${extra[@]}" -np "$ranks" "$kaa" fit "$root/configs/base.json" \
        --data "$work/data$rows/data.npy" --threads "$threads" --out "$out" --overwrite "${common[@]}" \
        >/dev/null 2>&1
    fi
    local s
    s=$(python3 -c "import json,sys; m=json.load(open(sys.argv[1])); print(m['seconds']/m['iterations'])" "$out/metrics.json")
    bytes=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1])).get('mpi_payload_bytes_per_update','-'))" "$out/metrics.json")
    if [ -z "$best" ] || python3 -c "import sys; sys.exit(not float(sys.argv[1]) < float(sys.argv[2]))" "$s" "$best"; then best=$s; fi
  done
  printf '%s %s\n' "$best" "$bytes"
}

echo "| scaling | n | ranks x threads | ms per update | speed-up | MPI payload per update per rank (bytes) |"
echo "| --- | --- | --- | --- | --- | --- |"
read -r base _ < <(measure 1 1 "$n")
for rt in "1 1" "1 2" "2 1"; do
  set -- $rt
  read -r s b < <(measure "$1" "$2" "$n")
  python3 -c "import sys; s,b=float(sys.argv[1]),float(sys.argv[2]); print(f'| strong | {sys.argv[3]} | {sys.argv[4]} x {sys.argv[5]} | {1e3*s:.2f} | {b/s:.2f} | {sys.argv[6]} |')" \
    "$s" "$base" "$n" "$1" "$2" "$b"
done
half=$((n / 2))
read -r wbase _ < <(measure 1 1 "$half")
for rt in "1 1 $half" "2 1 $n"; do
  set -- $rt
  read -r s b < <(measure "$1" "$2" "$3")
  python3 -c "import sys; s,b=float(sys.argv[1]),float(sys.argv[2]); print(f'| weak | {sys.argv[3]} | {sys.argv[4]} x {sys.argv[5]} | {1e3*s:.2f} | efficiency {b/s:.2f} | {sys.argv[6]} |')" \
    "$s" "$wbase" "$3" "$1" "$2" "$b"
done
