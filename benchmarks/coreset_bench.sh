#!/usr/bin/env bash
# Coreset fits against the full fit (issue 17; Mair & Brefeld, NeurIPS 2019): RSS on all n rows
# and time, configs/pcha.json with k = 10 on synthetic data (d = 50, 10 true archetypes, noise
# 0.05), its iterations capped. The data are generated once into OUT/data-N.npy, so every run
# loads the same file and `total_seconds` (load, draw, fit, transform, files) compares like with
# like. Runs are interleaved per seed (full, then each m), so a loaded machine slows all of them
# alike. Prints one markdown row per run and a summary per m.
#
# usage: benchmarks/coreset_bench.sh KAA N "M1 M2 ..." SEEDS MAX_ITER THREADS [OUT]
set -euo pipefail
kaa=$1 n=$2 ms=$3 seeds=$4 max_iter=$5 threads=$6 out=${7:-results/coreset_bench}
mkdir -p "$out"
data=$out/data-$n.npy
if [ ! -f "$data" ]; then
  "$kaa" fit configs/pcha.json --threads "$threads" --overwrite --out "$out/generate-$n" \
    --save-data --set /model/n_archetypes=10 --set /stopping/2/value=1 \
    --set "/data={\"type\":\"synthetic\",\"n\":$n,\"d\":50,\"n_archetypes\":10,\"noise\":0.05,\"seed\":0}" \
    > /dev/null
  mv "$out/generate-$n/data.npy" "$data"
  rm -rf "$out/generate-$n"
fi
source="{\"type\":\"file\",\"path\":\"$(realpath "$data")\"}"
run() {  # name data seed
  local start end
  start=$(date +%s.%N)
  "$kaa" fit configs/pcha.json --threads "$threads" --overwrite --out "$out/$1" \
    --set /model/n_archetypes=10 --set /model/seed="$3" --set "/data=$2" \
    --set "/stopping/2/value=$max_iter" --set /transform=\"active_set\" > /dev/null
  end=$(date +%s.%N)
  python3 -c "import sys; print(float(sys.argv[2]) - float(sys.argv[1]))" "$start" "$end" \
    > "$out/$1/wall_seconds"
}
for seed in $(seq 1 "$seeds"); do
  run "n$n-full-s$seed" "$source" "$seed"
  for m in $ms; do
    run "n$n-m$m-s$seed" "{\"type\":\"coreset\",\"m\":$m,\"source\":$source}" "$seed"
  done
done
python3 - "$out" "$n" "$ms" "$seeds" <<'PY'
import json, os, statistics, sys
out, n, ms, seeds = sys.argv[1], sys.argv[2], sys.argv[3].split(), int(sys.argv[4])
def load(name):
    d = os.path.join(out, name)
    m = json.load(open(os.path.join(d, "metrics.json")))
    m["wall"] = float(open(os.path.join(d, "wall_seconds")).read())
    return m
print("| n | m | seed | RSS on all rows | / full fit's | iterations | loop s | draw s | transform s | total s | / full fit's | wall s |")
print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
summary = {m: ([], []) for m in ms}
for seed in range(1, seeds + 1):
    full = load(f"n{n}-full-s{seed}")
    full_time = full["total_seconds"]
    print(f"| {n} | full | {seed} | {full['rss']:.6g} | 1 | {full['iterations']} | {full['seconds']:.2f} | - | - | {full_time:.2f} | 1 | {full['wall']:.1f} |")
    for m in ms:
        c = load(f"n{n}-m{m}-s{seed}")
        t = c["total_seconds"]
        r = c["rss_full_data"] / full["rss"]
        summary[m][0].append(r)
        summary[m][1].append(t / full_time)
        print(f"| {n} | {m} | {seed} | {c['rss_full_data']:.6g} | {r:.4f} | {c['iterations']} | {c['seconds']:.2f} | {c['coreset_draw_seconds']:.2f} | {c['full_data_seconds']:.2f} | {t:.2f} | {t / full_time:.3f} | {c['wall']:.1f} |")
print()
print("| m | RSS / full fit's (mean, max over seeds) | total time / full fit's (mean) |")
print("| --- | --- | --- |")
for m in ms:
    r, t = summary[m]
    print(f"| {m} | {statistics.mean(r):.4f}, {max(r):.4f} | {statistics.mean(t):.3f} |")
PY
