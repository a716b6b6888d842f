#!/usr/bin/env python3
"""Side-by-side comparison of kaa against archetypax, SPAMS, py_pcha and archetypes.

Run from the repository root with the harness' environment (benchmarks/compare/setup_venv.sh):

    ~/.cache/kaa/compare-venv/bin/python benchmarks/compare/compare.py --n 100000 --d 50 --k 10

Every contender runs in its own process on the same .npy matrix, with the same k, iteration budget
and thread count. The final RSS of every contender is computed here by one function (common_rss)
from the archetypes and weights it returned. Results go to a table on stdout and to the
`compare` section of benchmarks/RESULTS.md. See benchmarks/compare/README.md.

`--self-test` checks the common RSS and simplex least-squares routines against independent
computations and against kaa's own rss metric (needs only numpy and a built kaa).
"""

import argparse
import datetime
import itertools
import json
import math
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
DEFAULT_VENV_PYTHON = Path.home() / ".cache/kaa/compare-venv/bin/python"
RESULTS_BEGIN = "<!-- BEGIN compare -->"
RESULTS_END = "<!-- END compare -->"

# The classic solvers' configs, by the names the solver branch gives them; missing ones are skipped.
KAA_CONFIGS = {
    "base": ["base.json"],
    "als": ["als.json", "als_nnls.json"],
    "pcha": ["pcha.json"],
    "active_set": ["active_set.json"],
    "frank_wolfe": ["frank_wolfe.json"],
}
CLASSIC_SOLVERS = ["als", "pcha", "active_set", "frank_wolfe"]
PYTHON_CONTENDERS = ["archetypax", "spams", "py_pcha", "archetypes"]
SPAMS_TOLERANCE = 1e-3  # target 3: reach SPAMS' final RSS within 0.1 %


# ------------------------------------------------------------------ common numerics
def common_rss(X, W, Z, chunk=1 << 16):
    """||X - W Z||_F^2 in float64, in row blocks so no n x d residual is held at once."""
    Z64 = np.asarray(Z, dtype=np.float64)
    total = 0.0
    for s in range(0, X.shape[0], chunk):
        R = np.asarray(X[s:s + chunk], dtype=np.float64) - np.asarray(W[s:s + chunk], np.float64) @ Z64
        total += float(np.einsum("ij,ij->", R, R))
    return total


def total_sum_of_squares(X, chunk=1 << 16):
    """Sum of squares about the column means (the denominator of explained variance)."""
    mean = np.zeros(X.shape[1])
    for s in range(0, X.shape[0], chunk):
        mean += np.asarray(X[s:s + chunk], np.float64).sum(axis=0)
    mean /= X.shape[0]
    total = 0.0
    for s in range(0, X.shape[0], chunk):
        C = np.asarray(X[s:s + chunk], np.float64) - mean
        total += float(np.einsum("ij,ij->", C, C))
    return total


def project_rows_to_simplex(V):
    """Euclidean projection of each row onto the probability simplex (sort-based; Held et al. 1974,
    Duchi et al. 2008)."""
    n, k = V.shape
    U = -np.sort(-V, axis=1)
    css = np.cumsum(U, axis=1) - 1.0
    ks = np.arange(1, k + 1, dtype=np.float64)
    positive = U - css / ks > 0
    rho = k - 1 - np.argmax(positive[:, ::-1], axis=1)  # last index where positive holds
    theta = css[np.arange(n), rho] / (rho + 1.0)
    return np.maximum(V - theta[:, None], 0.0)


def simplex_least_squares(X, Z, tol=1e-10, max_iter=20000, chunk=1 << 15):
    """Weights W (n x k) minimising ||x_i - w_i Z||^2 over the simplex, row by row: FISTA with
    adaptive restart (O'Donoghue & Candes 2015) on the k x k Gram form. Returns (W, residual), the
    residual being the largest projected-gradient fixed-point gap ||w - P(w - grad/L)||_inf."""
    Z = np.asarray(Z, np.float64)
    k = Z.shape[0]
    G = Z @ Z.T
    L = float(np.linalg.eigvalsh(G)[-1]) if k else 0.0
    W = np.full((X.shape[0], k), 1.0 / k)
    if L <= 0:
        return W, 0.0
    worst = 0.0
    for s in range(0, X.shape[0], chunk):
        C = np.asarray(X[s:s + chunk], np.float64) @ Z.T
        w = np.full(C.shape, 1.0 / k)
        y = w.copy()
        t = np.ones(C.shape[0])
        active = np.arange(C.shape[0])  # rows still moving; converged rows drop out
        for _ in range(max_iter):
            wa, ya, ta, Ca = w[active], y[active], t[active], C[active]
            w_new = project_rows_to_simplex(ya - (ya @ G - Ca) / L)
            step = w_new - wa
            t_new = 0.5 * (1.0 + np.sqrt(1.0 + 4.0 * ta * ta))
            y_new = w_new + ((ta - 1.0) / t_new)[:, None] * step
            # Gradient restart: momentum is dropped where the step points against the gradient.
            restart = np.einsum("ij,ij->i", ya - w_new, step) > 0
            y_new[restart] = w_new[restart]
            t_new[restart] = 1.0
            w[active], y[active], t[active] = w_new, y_new, t_new
            moving = np.max(np.abs(step), axis=1) >= tol
            active = active[moving]
            if active.size == 0:
                break
        gap = np.max(np.abs(w - project_rows_to_simplex(w - (w @ G - C) / L)))
        worst = max(worst, float(gap))
        W[s:s + chunk] = w
    return W, worst


def simplex_violation(W):
    """Largest distance of the weights from the simplex: a negative entry or a row sum off 1."""
    W = np.asarray(W, np.float64)
    return float(max(0.0, -W.min(initial=0.0), np.max(np.abs(W.sum(axis=1) - 1.0), initial=0.0)))


# ------------------------------------------------------------------ data
def synthetic(n, d, k, noise, seed, concentration=1.0):
    """kaa's built-in `synthetic` recipe (strategies/datasets/synthetic.cpp) in numpy: archetypes
    U(0,1)^d, Dirichlet(concentration) weights, Gaussian noise. Same law, not the same stream."""
    rng = np.random.default_rng(seed)
    Z = rng.uniform(0.0, 1.0, size=(k, d))
    X = np.empty((n, d))
    for s in range(0, n, 1 << 16):
        m = min(1 << 16, n - s)
        W = rng.dirichlet(np.full(k, concentration), size=m)
        X[s:s + m] = W @ Z + noise * rng.standard_normal((m, d))
    return X, Z


def read_idx_images(path):
    import gzip
    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    if int.from_bytes(data[0:4], "big") != 2051:
        raise ValueError(f"{path}: not an IDX image file (magic {data[0:4].hex()})")
    n, rows, cols = (int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(3))
    return np.frombuffer(data, np.uint8, offset=16).reshape(n, rows * cols).astype(np.float64) / 255.0


def find_fashion_mnist(explicit):
    """An explicit path, or the first Fashion-MNIST file found in ../shared/data."""
    if explicit:
        return Path(explicit)
    shared = REPO.parent / "shared" / "data"
    for name in ["fashion_mnist.npy", "fashion-mnist.npy", "fashion_mnist_train.npy",
                 "fashion-mnist/train-images-idx3-ubyte.gz", "fashion-mnist/train-images-idx3-ubyte",
                 "fashion_mnist/train-images-idx3-ubyte.gz", "train-images-idx3-ubyte.gz",
                 "fashion_mnist.csv", "fashion-mnist.csv"]:
        if (shared / name).exists():
            return shared / name
    return None


def load_matrix_file(path):
    """A .npy file, an IDX image file (gzipped or not; pixels / 255) or a CSV with or without header."""
    import gzip
    path = Path(path)
    if path.suffix == ".npy":
        return np.asarray(np.load(path), np.float64)
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as f:
        magic = f.read(4)
    if int.from_bytes(magic, "big") == 2051:
        return read_idx_images(path)
    with opener(path, "rt") as f:
        first = f.readline()
    skip = 1 if re.search(r"[A-Za-z]", first) else 0
    return np.loadtxt(path, delimiter=",", skiprows=skip, ndmin=2)


# ------------------------------------------------------------------ machine and versions
def machine_info():
    info = {"cpu": platform.processor() or platform.machine(), "cores": os.cpu_count(), "memory_gb": None}
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True, check=True).stdout
        fields = dict(line.split(":", 1) for line in out.splitlines() if ":" in line)
        fields = {k.strip(): v.strip() for k, v in fields.items()}
        info["cpu"] = fields.get("Model name", info["cpu"])
        info["cores"] = int(fields.get("CPU(s)", info["cores"]))
        if "Hypervisor vendor" in fields:
            info["cpu"] += f" ({fields['Hypervisor vendor']} guest)"
    except (OSError, subprocess.CalledProcessError, ValueError):
        pass
    try:
        with open("/proc/meminfo") as f:
            kb = int(next(line for line in f if line.startswith("MemTotal")).split()[1])
        info["memory_gb"] = round(kb / 2**20, 1)
    except (OSError, StopIteration):
        pass
    return info


def python_versions(python):
    code = ("import json, platform\nfrom importlib.metadata import version, PackageNotFoundError\n"
            "out = {'python': platform.python_version()}\n"
            "for p in ['archetypax', 'jax', 'jaxlib', 'optax', 'spams-bin', 'py-pcha', 'archetypes',"
            " 'numpy', 'scipy']:\n"
            "    try: out[p] = version(p)\n"
            "    except PackageNotFoundError: out[p] = None\n"
            "print(json.dumps(out))\n")
    try:
        out = subprocess.run([str(python), "-c", code], capture_output=True, text=True, check=True)
        return json.loads(out.stdout)
    except (OSError, subprocess.CalledProcessError, ValueError):
        return {}


def kaa_version(kaa):
    try:
        v = subprocess.run([str(kaa), "version"], capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        v = "unknown"
    try:
        commit = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short=12", "HEAD"],
                                capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(REPO), "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True, check=True).stdout.strip()
        commit += " (uncommitted changes)" if dirty else ""
    except (OSError, subprocess.CalledProcessError):
        commit = "unknown"
    return v, commit


# ------------------------------------------------------------------ running one child
def thread_env(threads, wait_policy):
    env = dict(os.environ)
    t = str(threads)
    env.update({"OMP_NUM_THREADS": t, "OPENBLAS_NUM_THREADS": t, "MKL_NUM_THREADS": t,
                "NUMEXPR_NUM_THREADS": t, "VECLIB_MAXIMUM_THREADS": t, "OMP_PROC_BIND": "false",
                "JAX_PLATFORMS": "cpu", "PYTHONUNBUFFERED": "1"})
    # XLA's CPU client sizes its pools from the affinity mask; the flags cap Eigen's intra-op pool.
    eigen = "false" if threads == 1 else "true"
    env["XLA_FLAGS"] = f"--xla_cpu_multi_thread_eigen={eigen} intra_op_parallelism_threads={t}"
    if wait_policy:
        env["OMP_WAIT_POLICY"] = wait_policy
    else:
        env.pop("OMP_WAIT_POLICY", None)
    return env


def run_child(cmd, log_path, threads, wait_policy, timeout):
    """Runs cmd pinned to the first `threads` CPUs; returns wall seconds, exit code, peak resident
    memory (MB) and CPU seconds of that process (wait4 gives its own rusage, not its siblings')."""
    cpus = sorted(os.sched_getaffinity(0))[:threads]

    def pin():
        os.sched_setaffinity(0, cpus)

    with open(log_path, "w") as log:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=thread_env(threads, wait_policy),
                                preexec_fn=pin, start_new_session=True)
        timed_out = []

        def kill():
            timed_out.append(True)
            os.killpg(proc.pid, signal.SIGKILL)

        timer = threading.Timer(timeout, kill)
        timer.start()
        _, status, usage = os.wait4(proc.pid, 0)
        timer.cancel()
        wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    proc.returncode = code
    return {"wall_s": wall, "exit_code": code, "timed_out": bool(timed_out),
            "peak_mb": usage.ru_maxrss / 1024.0, "cpu_s": usage.ru_utime + usage.ru_stime}


def tail(path, lines=15):
    try:
        return "\n".join(Path(path).read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


# ------------------------------------------------------------------ kaa
def find_kaa_config(name, configs_dir):
    for candidate in KAA_CONFIGS.get(name, [name + ".json"]):
        p = configs_dir / candidate
        if p.exists():
            return p
    return None


_CHECKPOINT_SUPPORT = {}


def kaa_has_checkpoint_section(kaa):
    """Whether this kaa binary knows the `checkpoint` config section (older builds reject it)."""
    key = str(kaa)
    if key not in _CHECKPOINT_SUPPORT:
        try:
            out = subprocess.run([key, "list", "--markdown"], capture_output=True, text=True).stdout
        except OSError:
            out = ""
        _CHECKPOINT_SUPPORT[key] = "### checkpoint" in out
    return _CHECKPOINT_SUPPORT[key]


def write_kaa_config(src, dst, X_path, k, max_iter, checkpoint_off=True):
    cfg = json.loads(Path(src).read_text())
    cfg["data"] = {"type": "file", "path": str(X_path), "format": "npy"}
    cfg.setdefault("model", {})["n_archetypes"] = k
    stopping = cfg.setdefault("stopping", [])
    found = False
    for i, rule in enumerate(stopping):
        if rule == "max_iter" or (isinstance(rule, dict) and rule.get("type") == "max_iter"):
            stopping[i] = {"type": "max_iter", "value": max_iter}
            found = True
    if not found:
        stopping.append({"type": "max_iter", "value": max_iter})
    metrics = cfg.setdefault("metrics", [])
    if not any(m == "rss" or (isinstance(m, dict) and m.get("type") == "rss") for m in metrics):
        metrics.append("rss")
    # No checkpoint writes inside a timed fit.
    if checkpoint_off:
        cfg["checkpoint"] = {"every": 0, "seconds": 0}
    Path(dst).write_text(json.dumps(cfg, indent=2))
    return cfg


def loss_to_rss_factor(cfg, n):
    """The factor that turns the config's loss into the RSS, or None when the loss is not a
    multiple of the RSS (other terms, or standardised data)."""
    losses = cfg.get("loss", [])
    if cfg.get("model", {}).get("normalize", False) or len(losses) != 1:
        return None
    term = losses[0] if isinstance(losses[0], dict) else {"type": losses[0]}
    if term.get("type") != "reconstruction":
        return None
    reduction = term.get("reduction", "mean")
    weight = term.get("weight", 1.0)
    return (n if reduction == "mean" else 1.0) / weight if weight > 0 else None


def run_kaa(args, name, config_path, case, run_dir, max_iter, X, extra_note=""):
    run_dir.mkdir(parents=True, exist_ok=True)
    cfg_path = run_dir / "config.json"
    cfg = write_kaa_config(config_path, cfg_path, case["X_path"], case["k"], max_iter,
                           kaa_has_checkpoint_section(args.kaa))
    out = run_dir / "run"
    cmd = [str(args.kaa), "fit", str(cfg_path), "--threads", str(args.threads), "--out", str(out),
           "--overwrite", "--progress-every", "0"]
    for s in args.kaa_set:
        cmd += ["--set", s]
    proc = run_child(cmd, run_dir / "log.txt", args.threads, args.omp_wait_policy, args.timeout)
    res = {"contender": f"kaa {name}", "precision": cfg.get("model", {}).get("precision", "float32"), **proc,
           "note": extra_note}
    if proc["exit_code"] != 0 or not (out / "metrics.json").exists():
        res["error"] = "timeout" if proc["timed_out"] else f"exit {proc['exit_code']}: {tail(run_dir / 'log.txt', 5)}"
        return res
    m = json.loads((out / "metrics.json").read_text())
    Z = np.loadtxt(out / "archetypes.csv", delimiter=",", skiprows=1, ndmin=2)
    W = np.load(out / "weights.npy")
    res.update({"iterations": m["iterations"], "fit_s": m["total_seconds"], "iter_s": m["seconds"],
                "init_s": m["total_seconds"] - m["seconds"], "stop": m.get("stop_reason"),
                "rss_own": m.get("rss")})
    res["per_iter_ms"] = 1e3 * m["seconds"] / max(1, m["iterations"])
    factor = loss_to_rss_factor(cfg, X.shape[0])
    if factor is not None:
        hist = np.loadtxt(out / "loss_history.csv", delimiter=",", skiprows=1, ndmin=2)
        res["rss_trajectory"] = (hist[:, 1] * factor).tolist()
    finish_result(res, X, W, Z, args, case)
    return res


# ------------------------------------------------------------------ Python contenders (children)
def child_main(spec_path):
    """Runs one Python contender in this process and writes result.json, Z.npy, W.npy."""
    spec = json.loads(Path(spec_path).read_text())
    out = Path(spec["out"])
    X = np.load(spec["X"])
    result = {"precision": "float64"}
    fn = {"archetypax": child_archetypax, "spams": child_spams, "py_pcha": child_py_pcha,
          "archetypes": child_archetypes}[spec["contender"]]
    Z, W = fn(spec, X, result)
    np.save(out / "Z.npy", np.asarray(Z, np.float64))
    np.save(out / "W.npy", np.asarray(W, np.float64))
    (out / "result.json").write_text(json.dumps(result))


class _JitRecorder:
    """Stands in for the `jax` module inside archetypax.models.base: jit() returns a wrapper that
    times each call of the jitted update step (archetypax passes the iteration as a static
    argument, so each call traces and compiles anew) and keeps the last arguments and outputs."""

    def __init__(self, jax):
        self._jax = jax
        self.jitted = None
        self.times = []
        self.first_call = None
        self.last_args = None
        self.last_out = None

    def __getattr__(self, name):
        return getattr(self._jax, name)

    def jit(self, fun, **kw):
        jitted = self._jax.jit(fun, **kw)
        self.jitted = jitted

        def timed(*args):
            if self.first_call is None:
                self.first_call = time.perf_counter()
            t0 = time.perf_counter()
            out = self._jax.block_until_ready(jitted(*args))
            self.times.append(time.perf_counter() - t0)
            self.last_args, self.last_out = args, out
            # Every call is a fresh executable, never reused; dropping them keeps the process
            # under vm.max_map_count (tests/reference/README.md).
            if len(self.times) % 25 == 0:
                self._jax.clear_caches()
                print(f"archetypax: {len(self.times)} steps, last {self.times[-1]:.3f} s", flush=True)
            return out

        return timed


def child_archetypax(spec, X, result):
    import jax
    import archetypax
    import archetypax.models.base as base

    rec = _JitRecorder(jax)
    base.jax = rec
    model = archetypax.ArchetypalAnalysis(n_archetypes=spec["k"], max_iter=spec["max_iter"], tol=spec["tol"],
                                          random_seed=spec["seed"], learning_rate=0.001, normalize=False)
    t0 = time.perf_counter()
    model.fit(X)
    t1 = time.perf_counter()
    if rec.last_out is None:
        raise RuntimeError("archetypax ran no update step")
    params = rec.last_out[0]
    Z = np.asarray(params["archetypes"], np.float64)
    W = np.asarray(model.weights, np.float64)
    # model.archetypes = Z * X_std + X_mean even without normalisation (its de-normalisation bug);
    # the archetypes that go with model.weights are the working ones taken from the last step.
    if not np.allclose((model.archetypes - model.X_mean) / model.X_std, Z, rtol=1e-5, atol=1e-5):
        raise RuntimeError("archetypax: captured archetypes differ from the reported ones")
    iterations = len(rec.times)
    result.update({"precision": "float32", "iterations": iterations, "fit_s": t1 - t0,
                   "init_s": rec.first_call - t0, "iter_s": t1 - rec.first_call,
                   "per_iter_ms": 1e3 * (t1 - rec.first_call) / iterations,
                   "stop": "tol" if iterations < spec["max_iter"] else "max_iter",
                   "rss_trajectory_note": "loss is mean squared error + entropy term"})
    # The jitted step itself: one static iteration value, compiled once, then timed repeatedly.
    params_in, opt_state, Xj, _ = rec.last_args
    fixed = spec["max_iter"] + 1
    t_warm = time.perf_counter()
    jax.block_until_ready(rec.jitted(params_in, opt_state, Xj, fixed))
    warm = time.perf_counter() - t_warm
    reps = []
    cpu0 = time.process_time()
    for _ in range(spec["step_reps"]):
        t = time.perf_counter()
        jax.block_until_ready(rec.jitted(params_in, opt_state, Xj, fixed))
        reps.append(time.perf_counter() - t)
    result["step_cpu_ms"] = 1e3 * (time.process_time() - cpu0) / spec["step_reps"]
    result["step_ms"] = 1e3 * float(np.median(reps))
    result["step_ms_min"] = 1e3 * float(np.min(reps))
    result["compile_s"] = warm - float(np.median(reps))
    result["loop_call_ms_median"] = 1e3 * float(np.median(rec.times))
    return Z, W


def child_spams(spec, X, result):
    import spams

    Xt = np.asfortranarray(X.T)
    t0 = time.perf_counter()
    Z, A, _ = spams.archetypalAnalysis(Xt, p=spec["k"], returnAB=True, robust=False,
                                       stepsFISTA=spec["spams_fista"], stepsAS=spec["spams_as"],
                                       numThreads=spec["threads"])
    t1 = time.perf_counter()
    iterations = spec["spams_fista"] + spec["spams_as"]
    result.update({"iterations": iterations, "fit_s": t1 - t0, "iter_s": None,
                   "per_iter_ms": 1e3 * (t1 - t0) / iterations, "stop": "fixed steps",
                   "per_iter_note": "whole fit / alternations (init not separable)"})
    return np.asarray(Z).T, np.asarray(A.todense()).T


def child_py_pcha(spec, X, result):
    np.mat = getattr(np, "mat", np.asmatrix)  # py_pcha 0.1.3 calls np.mat, removed in NumPy 2
    from py_pcha import PCHA
    import contextlib
    import io

    np.random.seed(spec["seed"])
    buf = io.StringIO()
    t0 = time.perf_counter()
    with contextlib.redirect_stdout(buf):
        XC, S, _, SSE, _ = PCHA(np.asarray(X.T), noc=spec["k"], delta=0, verbose=True,
                                conv_crit=spec["pcha_conv_crit"], maxiter=spec["max_iter"])
    t1 = time.perf_counter()
    rows = [line.split("|") for line in buf.getvalue().splitlines() if line.count("|") >= 7]
    iters = [int(float(r[0])) for r in rows if r[0].strip().replace(".", "").isdigit()]
    iterations = max(iters) if iters else None
    result.update({"iterations": iterations, "fit_s": t1 - t0, "iter_s": None, "rss_own": float(SSE),
                   "per_iter_ms": 1e3 * (t1 - t0) / iterations if iterations else None,
                   "stop": "conv_crit or maxiter",
                   "per_iter_note": "whole fit / iterations (init not separable)"})
    return np.asarray(XC).T, np.asarray(S).T


def child_archetypes(spec, X, result):
    from archetypes import AA

    model = AA(n_archetypes=spec["k"], max_iter=spec["max_iter"], tol=spec["archetypes_tol"],
               method=spec["archetypes_method"], random_state=spec["seed"])
    t0 = time.perf_counter()
    model.fit(X)
    t1 = time.perf_counter()
    iterations = int(model.n_iter_)
    result.update({"iterations": iterations, "fit_s": t1 - t0, "iter_s": None, "rss_own": float(model.rss_),
                   "per_iter_ms": 1e3 * (t1 - t0) / max(1, iterations), "stop": "tol or max_iter",
                   "per_iter_note": "whole fit / iterations (init not separable)"})
    return model.archetypes_, model.A_


def run_python_contender(args, name, case, run_dir, X):
    run_dir.mkdir(parents=True, exist_ok=True)
    spec = {"contender": name, "X": str(case["X_path"]), "k": case["k"], "max_iter": args.max_iter,
            "tol": args.tol, "seed": args.seed, "threads": args.threads, "out": str(run_dir),
            "step_reps": args.step_reps, "spams_fista": args.spams_fista,
            "spams_as": min(args.spams_as, args.max_iter), "pcha_conv_crit": args.pcha_conv_crit,
            "archetypes_tol": args.archetypes_tol, "archetypes_method": args.archetypes_method}
    (run_dir / "spec.json").write_text(json.dumps(spec, indent=2))
    cmd = [str(args.python), str(Path(__file__).resolve()), "--child", str(run_dir / "spec.json")]
    proc = run_child(cmd, run_dir / "log.txt", args.threads, args.omp_wait_policy, args.timeout)
    res = {"contender": name, **proc}
    if proc["exit_code"] != 0 or not (run_dir / "result.json").exists():
        res["error"] = "timeout" if proc["timed_out"] else f"exit {proc['exit_code']}: {tail(run_dir / 'log.txt', 5)}"
        return res
    res.update(json.loads((run_dir / "result.json").read_text()))
    if name == "spams":
        rss_lines = re.findall(r"RSS (?:AS|FISTA) = ([0-9.eE+-]+)", (run_dir / "log.txt").read_text())
        if rss_lines:
            res["rss_own"] = float(rss_lines[-1])
    finish_result(res, X, np.load(run_dir / "W.npy"), np.load(run_dir / "Z.npy"), args, case)
    return res


def finish_result(res, X, W, Z, args, case):
    if W.shape != (X.shape[0], case["k"]) or Z.shape != (case["k"], X.shape[1]):
        res["error"] = f"unexpected shapes W {W.shape}, Z {Z.shape}"
        return
    res["rss"] = common_rss(X, W, Z)
    res["ev"] = 1.0 - res["rss"] / case["tss"]
    res["simplex_violation"] = simplex_violation(W)
    if args.refit_weights:
        W_exact, gap = simplex_least_squares(X, Z)
        res["rss_exact_w"] = common_rss(X, W_exact, Z)
        res["exact_w_gap"] = gap


# ------------------------------------------------------------------ one case
def prepare_case(args, work, n, d, k, dataset):
    data_dir = work / "data"
    data_dir.mkdir(parents=True, exist_ok=True)
    if dataset == "synthetic":
        X_path = data_dir / f"synthetic_n{n}_d{d}_k{k}_noise{args.noise}_seed{args.data_seed}.npy"
        if not X_path.exists():
            X, Z_true = synthetic(n, d, k, args.noise, args.data_seed)
            np.save(X_path, X)
            np.save(X_path.with_name(X_path.stem + "_true_archetypes.npy"), Z_true)
        desc = f"synthetic n={n} d={d} k_true={k} noise={args.noise} seed={args.data_seed}"
    else:
        src = find_fashion_mnist(args.fashion_mnist)
        X_path = data_dir / f"fashion_mnist_{re.sub(r'[^A-Za-z0-9_-]', '_', src.name)}.npy"
        if not X_path.exists():
            np.save(X_path, load_matrix_file(src))
        desc = f"Fashion-MNIST ({src.name}, pixels / 255)"
    X = np.load(X_path, mmap_mode="r")
    return {"X_path": X_path.resolve(), "n": X.shape[0], "d": X.shape[1], "k": k, "dataset": desc,
            "tss": total_sum_of_squares(X)}, np.asarray(X)


def time_to_target(args, solver, config_path, case, base_run, target_rss, run_dir, X):
    """kaa's measured time to reach target_rss: the first update count whose recorded loss is at or
    below the target (from the full run), then a second run stopped there and timed in full."""
    traj = base_run.get("rss_trajectory")
    if not traj:
        return {"status": "n/a: the config's loss is not a multiple of the RSS"}
    # after[t] = RSS after t updates; the loss of the final parameters is recorded only when a rule
    # stopped the fit before an update, so the final RSS closes the list.
    iterations = base_run["iterations"]
    after = list(traj[:iterations]) + [base_run["rss"]]
    hit = next((t for t, r in enumerate(after) if r <= target_rss), None)
    if hit is None:
        best = min(after)
        return {"status": f"not reached in {iterations} updates (best {best:.6g}, "
                          f"{100 * (best / target_rss - 1):+.3f} % vs target)"}
    updates = max(1, hit)
    if updates == base_run["iterations"]:
        run = base_run
    else:
        run = run_kaa(args, solver, config_path, case, run_dir, updates, X, f"stopped at {updates} updates")
    if "error" in run:
        return {"status": "rerun failed: " + run["error"]}
    ok = run["rss"] <= target_rss * (1 + 1e-6)
    return {"status": "reached" if ok else f"rerun RSS {run['rss']:.6g} above target", "updates": updates,
            "fit_s": run["fit_s"], "wall_s": run["wall_s"], "rss": run["rss"]}


def run_case(args, work, n, d, k, dataset):
    case, X = prepare_case(args, work, n, d, k, dataset)
    tag = f"{'fmnist' if dataset != 'synthetic' else 'syn'}_n{case['n']}_d{case['d']}_k{k}_t{args.threads}"
    print(f"\n== {case['dataset']}, k={k}, {args.threads} threads ==", flush=True)
    results, notes, solver_runs = [], [], {}
    for name in args.kaa_configs:
        path = find_kaa_config(name, args.configs)
        if path is None:
            notes.append(f"kaa {name}: skipped, no configs/{'|'.join(KAA_CONFIGS.get(name, [name + '.json']))} "
                         "on this checkout")
            continue
        print(f"   kaa {name} ...", flush=True)
        budget = args.solver_max_iter if name in CLASSIC_SOLVERS and args.solver_max_iter else args.max_iter
        res = run_kaa(args, name, path, case, work / tag / f"kaa_{name}", budget, X)
        results.append(res)
        if name in CLASSIC_SOLVERS and "error" not in res:
            solver_runs[name] = (path, res)
    for name in args.contenders:
        if name == "archetypes" and args.archetypes_method in ("pgd", "pseudo_pgd"):
            need_gb = 8.0 * case["n"] ** 2 / 2**30
            if need_gb > args.archetypes_max_gb:
                notes.append(f"archetypes: skipped, its {args.archetypes_method} method holds X X^T "
                             f"(n x n float64 = {need_gb:.0f} GB > --archetypes-max-gb {args.archetypes_max_gb})")
                continue
        print(f"   {name} ...", flush=True)
        results.append(run_python_contender(args, name, case, work / tag / name, X))
    for r in results:
        if "error" in r:
            notes.append(f"{r['contender']}: failed ({r['error']})")

    targets = {}
    by_name = {r["contender"]: r for r in results if "error" not in r}
    for classic, tol, label, goal in [("spams", SPAMS_TOLERANCE, "SPAMS' final RSS + 0.1 %", 2),
                                      ("py_pcha", 0.0, "py_pcha's final RSS", 10)]:
        if classic not in by_name or not solver_runs:
            continue
        target = by_name[classic]["rss"] * (1 + tol)
        rows = []
        for solver, (path, res) in solver_runs.items():
            print(f"   kaa {solver} to {label} ...", flush=True)
            t = time_to_target(args, solver, path, case, res, target, work / tag / f"kaa_{solver}_to_{classic}", X)
            rows.append({"solver": solver, **t})
        targets[classic] = {"label": label, "goal": goal, "target_rss": target, "contender_fit_s": by_name[classic]["fit_s"],
                            "rows": rows}
    if not solver_runs:
        notes.append("target 3 (classic solvers vs SPAMS and py_pcha): no kaa classic solver ran")
    return {"case": {k_: (str(v) if isinstance(v, Path) else v) for k_, v in case.items()}, "results": results,
            "targets": targets, "notes": notes, "tag": tag}


# ------------------------------------------------------------------ reporting
def fmt(v, digits=3):
    if v is None or (isinstance(v, float) and not math.isfinite(v)):
        return "–"
    if isinstance(v, int):
        return str(v)
    if abs(v) >= 1000:
        return f"{v:.0f}"
    return f"{v:.{digits}g}"


def verdict(value, goal):
    if value is None:
        return "not measured"
    return f"{value:.3g}x, met" if value >= goal else f"{value:.3g}x, not met ({value / goal:.2g} of the goal)"


def ratio(a, b):
    if a is None or b is None or b <= 0:
        return None
    return a / b


COLUMNS = [("contender", "contender"), ("precision", "prec"), ("iterations", "iters"), ("stop", "stop"),
           ("init_s", "init s"), ("per_iter_ms", "ms/iter"), ("step_ms", "step ms"), ("fit_s", "fit s"),
           ("wall_s", "process s"), ("cpu_s", "CPU s"), ("peak_mb", "peak MB"), ("rss", "RSS"),
           ("ev", "EV"), ("rss_own", "own RSS"), ("rss_exact_w", "RSS exact W")]


def case_table(case_result, refit):
    cols = [c for c in COLUMNS if refit or c[0] != "rss_exact_w"]
    lines = ["| " + " | ".join(h for _, h in cols) + " |", "|" + "---|" * len(cols)]
    for r in case_result["results"]:
        if "error" in r:
            continue
        cells = []
        for key, _ in cols:
            v = r.get(key)
            cells.append(str(v) if isinstance(v, str) else fmt(v, 6 if key in ("rss", "rss_own", "rss_exact_w") else 3))
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def ratio_lines(case_result):
    by = {r["contender"]: r for r in case_result["results"] if "error" not in r}
    lines = []
    base = by.get("kaa base")
    ax = by.get("archetypax")
    if base and ax:
        lines += ["| ratio (archetypax / kaa base) | value |", "|---|---|",
                  f"| per iteration, archetypax's fit loop (recompiles every step) / kaa | "
                  f"{fmt(ratio(ax.get('per_iter_ms'), base.get('per_iter_ms')))} |",
                  f"| per iteration, archetypax's jitted step after warm-up / kaa | "
                  f"{fmt(ratio(ax.get('step_ms'), base.get('per_iter_ms')))} |",
                  *([f"| (not a ratio) archetypax's warm step in CPU ms, all threads | {fmt(ax['step_cpu_ms'])} |"]
                    if ax.get("step_cpu_ms") is not None else []),
                  f"| whole fit incl. init (library's fit call) | {fmt(ratio(ax.get('fit_s'), base.get('fit_s')))} |",
                  f"| whole process (imports, load, fit, output) | {fmt(ratio(ax.get('wall_s'), base.get('wall_s')))} |",
                  f"| CPU seconds of the whole process | {fmt(ratio(ax.get('cpu_s'), base.get('cpu_s')))} |",
                  f"| peak resident memory | {fmt(ratio(ax.get('peak_mb'), base.get('peak_mb')))} |",
                  f"| final RSS (common function) | {fmt(ratio(ax.get('rss'), base.get('rss')), 6)} |", ""]
        step, whole = ratio(ax.get("step_ms"), base.get("per_iter_ms")), ratio(ax.get("fit_s"), base.get("fit_s"))
        lines += [f"Issue 5 target 1 (set for n=1e5, d=50, k=10, 2 threads): per iteration >= 20x: "
                  f"{verdict(step, 20)}; whole fit >= 100x: {verdict(whole, 100)}.", ""]
    if base:
        others = [r for name, r in by.items() if name != "kaa base" and name != "archetypax"]
        if others:
            lines += ["| contender / kaa base | fit time | CPU seconds | peak memory | RSS |", "|---|---|---|---|---|"]
            for r in others:
                lines.append(f"| {r['contender']} | {fmt(ratio(r.get('fit_s'), base.get('fit_s')))} | "
                             f"{fmt(ratio(r.get('cpu_s'), base.get('cpu_s')))} | "
                             f"{fmt(ratio(r.get('peak_mb'), base.get('peak_mb')))} | "
                             f"{fmt(ratio(r.get('rss'), base.get('rss')), 6)} |")
            lines.append("")
    for classic, t in case_result["targets"].items():
        lines += [f"Time for kaa's classic solvers to reach {t['label']} = {t['target_rss']:.6g} "
                  f"({classic} took {fmt(t['contender_fit_s'])} s):", "",
                  f"| kaa solver | status | updates | kaa fit s | {classic} s / kaa s |", "|---|---|---|---|---|"]
        for row in t["rows"]:
            lines.append(f"| {row['solver']} | {row['status']} | {fmt(row.get('updates'))} | {fmt(row.get('fit_s'))} | "
                         f"{fmt(ratio(t['contender_fit_s'], row.get('fit_s')))} |")
        reached = [row for row in t["rows"] if row["status"] == "reached"]
        if reached:
            best = min(reached, key=lambda row: row["fit_s"])
            speedup = ratio(t["contender_fit_s"], best["fit_s"])
            lines += ["", f"Best kaa solver: {best['solver']}, {fmt(speedup)}x faster than {classic}; issue 5 target 3 "
                          f"(n=1e5, d=50, k=10) asks >= {t['goal']}x: {verdict(speedup, t['goal'])}."]
        lines.append("")
    return lines


def report(runs):
    """The RESULTS.md section for one or more runs, each a (args, cases, meta) triple."""
    out = [RESULTS_BEGIN, "## Side-by-side comparison (benchmarks/compare)", ""]
    for i, (args, cases, meta) in enumerate(runs, 1):
        title = f"### Run {i}: " if len(runs) > 1 else "### "
        sizes = "; ".join(f"n={c['case']['n']}, d={c['case']['d']}, k={c['case']['k']}" for c in cases)
        out += [f"{title}{sizes}, {args.threads} thread{'s' if args.threads > 1 else ''}, {meta['date']}", "",
                "```sh", meta["command"], "```", ""]
        if meta.get("rewritten"):
            out += [f"(Tables rewritten from that run's results.json by `--from-json` on {meta['rewritten']}.)", ""]
        out += [f"Machine: {meta['machine']['cpu']}, {meta['machine']['cores']} cores, "
                f"{meta['machine']['memory_gb']} GiB memory; load average (1, 5, 15 min) before / after: "
                f"{meta['load_before']} / {meta['load_after']}.",
                f"Threads: {args.threads} per contender (CPU affinity to the first {args.threads} cores; OMP, "
                f"OpenBLAS, MKL = {args.threads}; XLA_FLAGS as in the README; kaa --threads {args.threads}; "
                f"OMP_WAIT_POLICY={args.omp_wait_policy or 'unset'}).",
                f"kaa binary: `{meta['kaa_version']}`; checkout: {meta['kaa_commit']}; "
                + ", ".join(f"{p} {v}" for p, v in meta["versions"].items() if v) + ".",
                f"Budget: at most {args.max_iter} iterations; kaa base and archetypax stop on |Δloss| < {args.tol}; "
                f"SPAMS runs stepsFISTA={args.spams_fista} + stepsAS={min(args.spams_as, args.max_iter)}; "
                f"py_pcha conv_crit={args.pcha_conv_crit} (relative); archetypes tol={args.archetypes_tol} "
                f"(absolute), method={args.archetypes_method}.", ""]
        if meta.get("preliminary"):
            out += [f"**Preliminary:** {meta['preliminary']}", ""]
        for c in cases:
            case = c["case"]
            out += [f"#### {case['dataset']}, k={case['k']}", ""]
            out += case_table(c, args.refit_weights) + [""]
            out += ratio_lines(c)
            for note in c["notes"]:
                out.append(f"- {note}")
            if c["notes"]:
                out.append("")
    out += ["Columns: see benchmarks/compare/README.md. RSS = ||X - A Z||²_F in float64 from each contender's "
            "own weights and archetypes (one function for all); EV = 1 - RSS / centred total sum of squares.",
            RESULTS_END]
    return "\n".join(out) + "\n"


def write_results(path, section):
    path = Path(path)
    old = path.read_text() if path.exists() else "# kaa benchmark results\n\n"
    if RESULTS_BEGIN in old and RESULTS_END in old:
        head, rest = old.split(RESULTS_BEGIN, 1)
        tail_ = rest.split(RESULTS_END, 1)[1]
        new = head + section.rstrip("\n") + tail_
    else:
        new = old.rstrip("\n") + "\n\n" + section
    path.write_text(new)


def print_console(cases, args):
    for c in cases:
        case = c["case"]
        print(f"\n{case['dataset']}  n={case['n']} d={case['d']} k={case['k']}  threads={args.threads}")
        for line in case_table(c, args.refit_weights) + [""] + ratio_lines(c):
            print(line)
        for note in c["notes"]:
            print("note:", note)


# ------------------------------------------------------------------ self-test
def self_test(kaa):
    """Checks that cannot drift silently: common_rss against a closed form and against kaa's own rss
    metric on a fixture, and the simplex least-squares routine against exhaustive search."""
    failures, passes = [], []

    def check(ok, msg):
        print(("ok   " if ok else "FAIL ") + msg)
        (passes if ok else failures).append(msg)

    rng = np.random.default_rng(7)
    # 1. Closed form: X = W Z + E with E orthogonal to nothing in particular; RSS = ||E||^2 exactly.
    W = rng.dirichlet(np.ones(4), size=300)
    Z = rng.normal(size=(4, 6))
    E = rng.normal(scale=0.1, size=(300, 6))
    X = W @ Z + E
    got, want = common_rss(X, W, Z, chunk=64), float(np.sum(E * E))
    check(abs(got - want) <= 1e-10 * want, f"common_rss closed form: {got:.12g} vs {want:.12g}")

    # 2. Simplex least squares against exhaustive search over supports (k = 4: 15 faces).
    k = 4
    Z = rng.normal(size=(k, 5))
    X = rng.normal(scale=1.5, size=(40, 5))
    W_fista, gap = simplex_least_squares(X, Z)
    worst = 0.0
    for i in range(X.shape[0]):
        best = math.inf
        for size in range(1, k + 1):
            for S in itertools.combinations(range(k), size):
                ZS = Z[list(S)]
                # KKT of min ||x - w ZS||^2 s.t. sum w = 1 on this face.
                M = np.zeros((size + 1, size + 1))
                M[:size, :size] = 2 * ZS @ ZS.T
                M[:size, size] = 1
                M[size, :size] = 1
                rhs = np.concatenate([2 * ZS @ X[i], [1.0]])
                try:
                    sol = np.linalg.solve(M, rhs)[:size]
                except np.linalg.LinAlgError:
                    continue
                if sol.min() < -1e-12:
                    continue
                r = X[i] - sol @ ZS
                best = min(best, float(r @ r))
        r = X[i] - W_fista[i] @ Z
        worst = max(worst, abs(float(r @ r) - best) / max(1.0, best))
    check(worst <= 1e-9 and simplex_violation(W_fista) <= 1e-12,
          f"simplex least squares vs exhaustive search: worst relative gap {worst:.2e}, fixed-point gap {gap:.1e}")

    # 3. Against kaa's own rss metric: a fit on the mix10d fixture in float32 and float64; the
    # harness reads the run folder the way it reads every kaa run.
    fixture = REPO / "tests/reference/mix10d/X.csv"
    Xf = np.loadtxt(fixture, delimiter=",")
    with tempfile.TemporaryDirectory() as tmp:
        X_path = Path(tmp) / "X.npy"
        np.save(X_path, Xf)
        for precision, tol in [("float32", 1e-6), ("float64", 1e-10)]:
            cfg_path = Path(tmp) / f"{precision}.json"
            cfg = write_kaa_config(REPO / "configs/base.json", cfg_path, X_path, 5, 30,
                                   kaa_has_checkpoint_section(kaa))
            cfg["model"]["precision"] = precision
            cfg_path.write_text(json.dumps(cfg))
            out = Path(tmp) / f"run_{precision}"
            proc = subprocess.run([str(kaa), "fit", str(cfg_path), "--threads", "1", "--out", str(out), "-q"],
                                  capture_output=True, text=True, env=thread_env(1, "passive"))
            if proc.returncode != 0:
                check(False, f"kaa fit ({precision}) exited {proc.returncode}: {proc.stderr.strip()[-300:]}")
                continue
            m = json.loads((out / "metrics.json").read_text())
            Zk = np.loadtxt(out / "archetypes.csv", delimiter=",", skiprows=1, ndmin=2)
            Wk = np.load(out / "weights.npy")
            got = common_rss(Xf, Wk, Zk)
            rel = abs(got - m["rss"]) / m["rss"]
            check(rel <= tol, f"common_rss vs kaa's rss metric ({precision}): {got:.12g} vs {m['rss']:.12g}, "
                              f"relative {rel:.1e} (tolerance {tol:g})")
            tss = total_sum_of_squares(Xf)
            rel_ev = abs((1 - got / tss) - m["explained_variance"])
            check(rel_ev <= 10 * tol, f"explained variance vs kaa's ({precision}): difference {rel_ev:.1e}")
    print(f"{len(passes)} passed, {len(failures)} failed")
    return 1 if failures else 0


# ------------------------------------------------------------------ main
def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    p.add_argument("--n", type=float, nargs="+", default=[1e5], help="numbers of points (1e3..1e6)")
    p.add_argument("--d", type=int, nargs="+", default=[50], help="numbers of features (10..100)")
    p.add_argument("--k", type=int, nargs="+", default=[10], help="numbers of archetypes (5..20)")
    p.add_argument("--dataset", choices=["synthetic", "fashion_mnist", "both"], default="synthetic")
    p.add_argument("--fashion-mnist", default=None,
                   help="Fashion-MNIST file (.npy, IDX or CSV); default: looked for in ../shared/data")
    p.add_argument("--noise", type=float, default=0.05, help="noise of the synthetic data")
    p.add_argument("--data-seed", type=int, default=0)
    p.add_argument("--seed", type=int, default=42, help="model seed given to every contender that takes one")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--max-iter", type=int, default=500, help="iteration budget of every contender")
    p.add_argument("--solver-max-iter", type=int, default=None,
                   help="iteration budget of kaa's classic solvers (default: --max-iter)")
    p.add_argument("--tol", type=float, default=1e-6, help="archetypax's tol (kaa base: its loss_delta)")
    p.add_argument("--contenders", nargs="*", default=PYTHON_CONTENDERS, choices=PYTHON_CONTENDERS)
    p.add_argument("--kaa-configs", nargs="*", default=list(KAA_CONFIGS), help="configs/<name>.json to run")
    p.add_argument("--kaa", type=Path, default=REPO / "build/kaa", help="kaa binary")
    p.add_argument("--kaa-set", action="append", default=[], help="extra `kaa fit --set` override (repeatable)")
    p.add_argument("--configs", type=Path, default=REPO / "configs")
    p.add_argument("--python", type=Path, default=DEFAULT_VENV_PYTHON, help="python of the contenders' venv")
    p.add_argument("--work", type=Path, default=REPO / "build/compare", help="data and run folders")
    p.add_argument("--results", type=Path, default=REPO / "benchmarks/RESULTS.md")
    p.add_argument("--no-results", action="store_true", help="print only; leave RESULTS.md alone")
    p.add_argument("--preliminary", default="", help="a note printed in bold above the tables")
    p.add_argument("--omp-wait-policy", default="passive",
                   help="OMP_WAIT_POLICY of every child ('' = leave unset)")
    p.add_argument("--timeout", type=float, default=3600, help="seconds per contender run")
    p.add_argument("--step-reps", type=int, default=20, help="timed calls of archetypax's warm jitted step")
    p.add_argument("--spams-fista", type=int, default=3, help="SPAMS stepsFISTA (its default)")
    p.add_argument("--spams-as", type=int, default=50, help="SPAMS stepsAS (its default)")
    p.add_argument("--pcha-conv-crit", type=float, default=1e-6, help="py_pcha conv_crit (its default)")
    p.add_argument("--archetypes-tol", type=float, default=1e-4, help="archetypes AA tol (its default)")
    p.add_argument("--archetypes-method", default="pgd", help="archetypes AA method (its default)")
    p.add_argument("--archetypes-max-gb", type=float, default=4.0,
                   help="skip archetypes' pgd when its n x n matrix would exceed this")
    p.add_argument("--refit-weights", action="store_true",
                   help="also report the RSS of each contender's archetypes with exactly solved weights")
    p.add_argument("--self-test", action="store_true", help="check the common RSS against kaa and exit")
    p.add_argument("--from-json", type=Path, nargs="+",
                   help="rewrite the report from results*.json files of earlier runs, in order (runs nothing)")
    p.add_argument("--child", help=argparse.SUPPRESS)
    return p.parse_args(argv)


def main(argv):
    args = parse_args(argv)
    if args.child:
        child_main(args.child)
        return 0
    if args.self_test:
        return self_test(args.kaa)
    if args.from_json:
        runs = []
        for path in args.from_json:
            saved = json.loads(path.read_text())
            meta = saved["meta"]
            # The flags that shaped each run's tables are that run's, not this call's.
            run_args = parse_args(meta["argv"]) if "argv" in meta else args
            if args.preliminary:
                meta["preliminary"] = args.preliminary
            meta["rewritten"] = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
            print_console(saved["cases"], run_args)
            runs.append((run_args, saved["cases"], meta))
        if not args.no_results:
            write_results(args.results, report(runs))
            print(f"\nwrote {args.results}")
        return 0
    if not Path(args.kaa).exists():
        sys.exit(f"{args.kaa}: no kaa binary (build it: cmake --build build --target kaa, or pass --kaa)")
    if args.contenders and not Path(args.python).exists():
        sys.exit(f"{args.python}: no Python for the contenders (run benchmarks/compare/setup_venv.sh or pass --python)")
    if args.threads < 1 or args.threads > len(os.sched_getaffinity(0)):
        sys.exit(f"--threads {args.threads}: this process may use {len(os.sched_getaffinity(0))} CPUs")
    args.work.mkdir(parents=True, exist_ok=True)
    datasets = ["synthetic", "fashion_mnist"] if args.dataset == "both" else [args.dataset]
    skipped = []
    if "fashion_mnist" in datasets and find_fashion_mnist(args.fashion_mnist) is None:
        datasets.remove("fashion_mnist")
        skipped.append("Fashion-MNIST: skipped, no file in ../shared/data (pass --fashion-mnist PATH)")
    meta = {"date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            "command": "python " + " ".join([str(Path(sys.argv[0]))] + [a if re.fullmatch(r"[\w./=:,+-]+", a)
                                                                       else repr(a) for a in argv]),
            "argv": argv, "machine": machine_info(), "load_before": " ".join(f"{x:.1f}" for x in os.getloadavg()),
            "preliminary": args.preliminary}
    meta["kaa_version"], meta["kaa_commit"] = kaa_version(args.kaa)
    meta["versions"] = python_versions(args.python) if args.contenders else {}
    cases = []
    for dataset in datasets:
        sizes = itertools.product([int(n) for n in args.n], args.d, args.k) if dataset == "synthetic" else \
            [(None, None, k) for k in args.k]
        for n, d, k in sizes:
            cases.append(run_case(args, args.work, n, d, k, dataset))
    if not cases:
        sys.exit("nothing to run: " + "; ".join(skipped))
    cases[-1]["notes"].extend(skipped)
    meta["load_after"] = " ".join(f"{x:.1f}" for x in os.getloadavg())
    print_console(cases, args)
    for s in skipped:
        print("note:", s)
    saved = json.dumps({"meta": meta, "cases": cases}, indent=1, default=str)
    (args.work / "results.json").write_text(saved)
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%dT%H%M%S")
    (args.work / f"results-{stamp}.json").write_text(saved)
    if not args.no_results:
        write_results(args.results, report([(args, cases, meta)]))
        print(f"\nwrote {args.results} (section between {RESULTS_BEGIN} and {RESULTS_END})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
