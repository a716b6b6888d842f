"""Python's overhead over the CLI for one fit (issue 14: under 5 % at n = 1e5, d = 50, k = 10).

Both fit configs/base.json for a fixed number of updates on the same .npy data with the same
threads; each side's wall time around the whole fit is compared (CLI: the process, including
reading the file and writing the run folder; Python: kaa.fit on the array in memory).
Usage: python overhead.py [--kaa build/kaa] [--n 100000] [--updates 50] [--threads 2] [--repeats 3]
"""

import argparse
import json
import os
import pathlib
import subprocess
import tempfile
import time

import numpy as np

import kaa

ROOT = pathlib.Path(__file__).resolve().parents[2]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--kaa", default=str(ROOT / "build" / "kaa"))
    p.add_argument("--n", type=int, default=100000)
    p.add_argument("--d", type=int, default=50)
    p.add_argument("--k", type=int, default=10)
    p.add_argument("--updates", type=int, default=50)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--repeats", type=int, default=3)
    a = p.parse_args()
    X = np.random.default_rng(0).normal(size=(a.n, a.d))
    overrides = {"/model/n_archetypes": a.k, "/stopping": [{"type": "max_iter", "value": a.updates}]}
    kaa.set_num_threads(a.threads)
    with tempfile.TemporaryDirectory() as tmp:
        data = os.path.join(tmp, "X.npy")
        np.save(data, X)
        cli, py, cli_loop, py_loop = [], [], [], []
        for r in range(a.repeats):
            args = [a.kaa, "fit", str(ROOT / "configs" / "base.json"), "--data", data, "-q",
                    "--threads", str(a.threads), "--out", os.path.join(tmp, f"run{r}")]
            for pointer, value in overrides.items():
                args += ["--set", f"{pointer}={json.dumps(value)}"]
            start = time.perf_counter()
            subprocess.run(args, check=True, capture_output=True)
            cli.append(time.perf_counter() - start)
            metrics = json.loads(pathlib.Path(tmp, f"run{r}", "metrics.json").read_text())
            cli_loop.append(metrics["seconds"])
            start = time.perf_counter()
            result = kaa.fit(ROOT / "configs" / "base.json", X, overrides)
            py.append(time.perf_counter() - start)
            py_loop.append(result.metrics["seconds"])
            assert result.metrics["iterations"] == a.updates
    print("fit loop seconds: CLI", [round(v, 3) for v in cli_loop], "Python", [round(v, 3) for v in py_loop])
    c, q = min(cli), min(py)
    # Outside the update loop: what each path adds (process start, reading, copying, writing).
    c_out = min(w - s for w, s in zip(cli, cli_loop))
    q_out = min(w - s for w, s in zip(py, py_loop))
    print(f"n={a.n} d={a.d} k={a.k} updates={a.updates} threads={a.threads} "
          f"(best of {a.repeats}): wall CLI {c:.3f} s, Python {q:.3f} s "
          f"({100 * (q - c) / c:+.1f} %); outside the update loop CLI {c_out:.3f} s, "
          f"Python {q_out:.3f} s ({100 * (q_out - c_out) / c:+.1f} % of the CLI's wall time)")


if __name__ == "__main__":
    main()
