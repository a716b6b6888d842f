#!/usr/bin/env python3
"""Runs kaa_bench's base_iteration family and prints the markdown tables of benchmarks/RESULTS.md.

For each size: median wall time per update, process CPU time per update, bytes/s and flops/s (the
benchmark's own counters), and the roofline fraction: max(flops / P, bytes / B) over the time, P the
multiply-add peak and B the streaming read bandwidth the same binary measures (benchmarks/roofline.hpp),
with the bound that sets the roofline (compute or memory) and how many times the roofline time the
update takes (issue 16 targets: within 2x at d = 50, 100, k = 10; within 4x at d = 10, k = 5). Per (precision, d, k) family
with n >= 1e4: the exponent of a least-squares fit log t = a + p log n (target 5). With
--compare-threads, the same sizes at 1 thread and the speed-up 1-thread time / 2-thread time.
No dependencies beyond the standard library.

  python3 benchmarks/micro_report.py --bench build-rel/benchmarks/kaa_bench \\
      --filter 'base_iteration<float>/n:(10000|100000|1000000)/d:100/k:(5|20)/'
"""
import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
from collections import defaultdict


def run(bench, flt, threads, reps, min_time):
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as f:
        out = f.name
    before = os.getloadavg()
    env = dict(os.environ, OMP_PROC_BIND="false", OMP_WAIT_POLICY="passive")
    cmd = [bench, f"--threads={threads}", f"--benchmark_filter={flt}",
           f"--benchmark_min_time={min_time}", f"--benchmark_repetitions={reps}",
           "--benchmark_out_format=json", f"--benchmark_out={out}"]
    print("command: OMP_PROC_BIND=false OMP_WAIT_POLICY=passive " + " ".join(
        f"'{c}'" if "|" in c or "<" in c else c for c in cmd[:-1]))
    subprocess.run(cmd, check=True, env=env, stdout=subprocess.DEVNULL)
    after = os.getloadavg()
    print("load average (1, 5, 15 min) before / after: "
          f"{' '.join(f'{v:.1f}' for v in before)} / {' '.join(f'{v:.1f}' for v in after)}")
    with open(out) as f:
        data = json.load(f)
    os.unlink(out)
    rows = {}
    fastest = defaultdict(lambda: float("inf"))
    for b in data["benchmarks"]:
        name = b["run_name"] if "run_name" in b else b["name"]
        parts = dict(p.split(":") for p in name.split("/")[1:] if ":" in p)
        prec = "float32" if "<float>" in name else "float64"
        key = (prec, int(parts["d"]), int(parts["k"]), int(parts["n"]))
        scale = {"ns": 1e-6, "us": 1e-3, "ms": 1.0, "s": 1e3}[b["time_unit"]]
        if b.get("run_type", "iteration") == "iteration":
            fastest[key] = min(fastest[key], b["real_time"] * scale)
        if reps > 1 and b.get("aggregate_name") != "median":
            continue
        if reps == 1 and b.get("run_type") == "aggregate":
            continue
        rows[key] = {
            "ms": b["real_time"] * scale,
            "cpu_ms": b.get("cpu_ms_per_iter", float("nan")),
            "bytes": b.get("bytes_per_s", float("nan")),
            "flops": b.get("flops_per_s", float("nan")),
            "roofline": b.get("roofline_fraction", float("nan")),
            "memory_bound": b.get("memory_bound", float("nan")) >= 0.5,
            "bw": b.get("bandwidth_GBps", float("nan")),
            "peak": b.get("peak_GFlops", float("nan")),
        }
    for key, r in rows.items():
        r["min_ms"] = fastest[key]
    return rows


def fit_exponent(points):
    xs = [math.log(n) for n, _ in points]
    ys = [math.log(t) for _, t in points]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    sxx = sum((x - mx) ** 2 for x in xs)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sxx


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--bench", default="build-rel/benchmarks/kaa_bench")
    p.add_argument("--filter", required=True, help="--benchmark_filter of kaa_bench")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--reps", type=int, default=3, help="repetitions; the median is reported")
    p.add_argument("--min-time", default="0.5")
    p.add_argument("--compare-threads", action="store_true",
                   help="also run at 1 thread and report the speed-up")
    a = p.parse_args()

    rows = run(a.bench, a.filter, a.threads, a.reps, a.min_time)
    if not rows:
        sys.exit("micro_report: no benchmark matched the filter")
    bw = next(iter(rows.values()))["bw"]
    peaks = {prec: r["peak"] for (prec, *_), r in rows.items()}
    print(f"measured by the binary ({a.threads} threads): read bandwidth {bw:.2f} GB/s; peak "
          + ", ".join(f"{p} {v:.1f} GFlop/s" for p, v in sorted(peaks.items())) + "\n")
    print("| prec | n | d | k | ms/update | fastest rep. ms | CPU ms/update | GB/s | GFlop/s | "
          "bound | roofline fraction | x roofline time |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for (prec, d, k, n), r in sorted(rows.items()):
        bound = "memory" if r["memory_bound"] else "compute"
        print(f"| {prec} | {n:.0e} | {d} | {k} | {r['ms']:.3g} | {r['min_ms']:.3g} | "
              f"{r['cpu_ms']:.3g} | {r['bytes'] / 1e9:.3g} | {r['flops'] / 1e9:.3g} | "
              f"{bound} | {r['roofline']:.3g} | {1 / r['roofline']:.3g} |")

    families = defaultdict(list)
    for (prec, d, k, n), r in rows.items():
        if n >= 10000:
            families[(prec, d, k)].append((n, r))
    fits = [(f, pts) for f, pts in sorted(families.items()) if len(pts) >= 2]
    if fits:
        print("\n| prec | d | k | n range | exponent (wall) | exponent (CPU) |")
        print("|---|---|---|---|---|---|")
        for (prec, d, k), pts in fits:
            ns = sorted(n for n, _ in pts)
            wall = fit_exponent([(n, r["ms"]) for n, r in pts])
            cpu = fit_exponent([(n, r["cpu_ms"]) for n, r in pts])
            print(f"| {prec} | {d} | {k} | {ns[0]:.0e}..{ns[-1]:.0e} | {wall:.3f} | {cpu:.3f} |")

    if a.compare_threads:
        one = run(a.bench, a.filter, 1, a.reps, a.min_time)
        print(f"\n| prec | n | d | k | ms/update, 1 thread | ms/update, {a.threads} threads | "
              "speed-up (medians) | speed-up (fastest reps.) | CPU ms, 1 thread | "
              f"CPU ms, {a.threads} threads |")
        print("|---|---|---|---|---|---|---|---|---|---|")
        for key in sorted(rows):
            if key not in one:
                continue
            prec, d, k, n = key
            r1, r2 = one[key], rows[key]
            print(f"| {prec} | {n:.0e} | {d} | {k} | {r1['ms']:.3g} | {r2['ms']:.3g} | "
                  f"{r1['ms'] / r2['ms']:.2f} | {r1['min_ms'] / r2['min_ms']:.2f} | "
                  f"{r1['cpu_ms']:.3g} | {r2['cpu_ms']:.3g} |")


if __name__ == "__main__":
    main()
