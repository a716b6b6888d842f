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
        cli, py = [], []
        for r in range(a.repeats):
            args = [a.kaa, "fit", str(ROOT / "configs" / "base.json"), "--data", data, "-q",
                    "--threads", str(a.threads), "--out", os.path.join(tmp, f"run{r}")]
            for pointer, value in overrides.items():
                args += ["--set", f"{pointer}={json.dumps(value)}"]
            start = time.perf_counter()
            subprocess.run(args, check=True, capture_output=True)
            cli.append(time.perf_counter() - start)
            start = time.perf_counter()
            result = kaa.fit(ROOT / "configs" / "base.json", X, overrides)
            py.append(time.perf_counter() - start)
            assert result.metrics["iterations"] == a.updates
    c, q = min(cli), min(py)
    print(f"n={a.n} d={a.d} k={a.k} updates={a.updates} threads={a.threads} "
          f"(best of {a.repeats}): CLI {c:.3f} s, Python {q:.3f} s, "
          f"Python - CLI = {100 * (q - c) / c:+.1f} %")


if __name__ == "__main__":
    main()
