"""Generate archetypax 0.1.2 reference fixtures for kaa's C++ tests.

Run from the repository root, inside a venv that already has the pinned
packages (see tests/reference/README.md):

    python tests/reference/make_fixtures.py            # all cases
    python tests/reference/make_fixtures.py mix10d     # one case

With no arguments each case runs in its own subprocess. It installs nothing.
For each case it writes tests/reference/<case>/ with X.csv,
initial_weights.csv, initial_archetypes.csv, loss_history.csv,
final_archetypes_working.csv, final_weights.csv,
final_archetypes_reported.csv and meta.json.

The initial state is captured by wrapping optax.adam so that the
GradientTransformation's init() records the params archetypax passes to it
(weights after project_weights, k-means++ archetypes in working space).
"""

import json
import sys
from pathlib import Path

import numpy as np

import archetypax
import archetypax.models.base as aa_base
from archetypax_fixtures import (LEARNING_RATE, MAX_ITER, TOL, VERSIONS, CapturedFit,
                                 dirichlet_mixture, run_each_in_subprocess, write_csv)

OUT_DIR = Path(__file__).resolve().parent


# ---------------------------------------------------------------- data sets
def make_triangle2d(seed):
    rng = np.random.default_rng(seed)
    corners = np.array([[0.0, 0.0], [1.0, 0.0], [0.5, np.sqrt(3.0) / 2.0]])
    return dirichlet_mixture(rng, corners, 200, 1.0, 0.02)


def make_blobs5d(seed):
    rng = np.random.default_rng(seed)
    corners = rng.uniform(-1.0, 1.0, size=(4, 5))
    X = dirichlet_mixture(rng, corners, 500, 1.0, 0.03)
    scales = np.array([1.0, 10.0, 0.1, 100.0, 5.0])
    offsets = np.array([0.0, 50.0, -3.0, 1000.0, -20.0])
    return X * scales + offsets


def make_mix10d(seed):
    rng = np.random.default_rng(seed)
    corners = rng.uniform(-2.0, 2.0, size=(5, 10))
    return dirichlet_mixture(rng, corners, 1000, 0.5, 0.05)


CASES = [
    # name, generator, data seed, k, normalize, model random_seed
    ("triangle2d", make_triangle2d, 20240601, 3, False, 42),
    ("blobs5d_normalized", make_blobs5d, 20240602, 4, True, 7),
    ("mix10d", make_mix10d, 20240603, 5, False, 123),
]


# ---------------------------------------------------------------- one case
def run_case(name, gen, data_seed, k, normalize, seed):
    X = np.asarray(gen(data_seed), dtype=np.float64)
    n, d = X.shape
    with CapturedFit(aa_base) as captured:
        model = archetypax.ArchetypalAnalysis(
            n_archetypes=k,
            max_iter=MAX_ITER,
            tol=TOL,
            random_seed=seed,
            learning_rate=LEARNING_RATE,
            normalize=normalize,
        )
        model.fit(X)
    if captured.init_calls != 1:
        raise RuntimeError(f"{name}: optimizer.init called {captured.init_calls} times")

    W0 = captured.init_params["weights"]
    Z0 = captured.init_params["archetypes"]
    assert W0.shape == (n, k) and Z0.shape == (k, d), (W0.shape, Z0.shape)

    # Working-space data exactly as archetypax builds it (float32 after jnp.array).
    X_work64 = (X - model.X_mean) / model.X_std if normalize else X.copy()
    X_work32 = X_work64.astype(np.float32)
    # k-means++ picks rows of the working data; recover their indices.
    chosen = []
    for row in Z0:
        hits = np.flatnonzero(np.all(X_work32 == row, axis=1))
        chosen.append(int(hits[0]) if hits.size else -1)

    # Final working-space archetypes: archetypax reports Z*X_std + X_mean
    # (unconditionally); invert in float64 and round back to float32.
    Z_final64 = (np.asarray(model.archetypes, dtype=np.float64) - model.X_mean) / model.X_std
    Z_final = Z_final64.astype(np.float32)
    inv_err = float(np.max(np.abs(Z_final64 - Z_final.astype(np.float64))))
    W_final = np.asarray(model.weights)

    lh = np.asarray(model.loss_history, dtype=np.float64)
    n_it = len(lh)
    if n_it >= 2 and abs(lh[-1] - lh[-2]) < TOL:
        stop = "tol"
    elif n_it == MAX_ITER:
        stop = "max_iter"
    else:
        stop = "other (nan/exception)"

    folder = OUT_DIR / name
    folder.mkdir(parents=True, exist_ok=True)
    write_csv(folder / "X.csv", X, "%.17g")
    write_csv(folder / "initial_weights.csv", W0, "%.9g")
    write_csv(folder / "initial_archetypes.csv", Z0, "%.9g")
    write_csv(folder / "loss_history.csv", lh, "%.9g")
    write_csv(folder / "final_archetypes_working.csv", Z_final, "%.9g")
    write_csv(folder / "final_weights.csv", W_final, "%.9g")
    write_csv(folder / "final_archetypes_reported.csv", model.archetypes, "%.17g")

    meta = {
        "case": name,
        "n": n,
        "d": d,
        "k": k,
        "normalize": normalize,
        "random_seed": seed,
        "max_iter": MAX_ITER,
        "tol": TOL,
        "learning_rate": LEARNING_RATE,
        "n_iterations": n_it,
        "stopped_by": stop,
        "data_seed": data_seed,
        "initial_archetype_row_indices": chosen,
        "X_mean": [float(v) for v in model.X_mean],
        "X_std": [float(v) for v in model.X_std],
        "final_archetypes_working_source": "(model.archetypes - X_mean) / X_std in float64, cast to float32",
        "final_archetypes_working_max_roundtrip_err": inv_err,
        "initial_loss": float(lh[0]) if n_it else None,
        "final_loss": float(lh[-1]) if n_it else None,
        "versions": VERSIONS,
    }
    (folder / "meta.json").write_text(json.dumps(meta, indent=2) + "\n")
    print(f"{name}: n={n} d={d} k={k} normalize={normalize} iters={n_it} stop={stop} "
          f"loss {lh[0]:.6g} -> {lh[-1]:.6g} init_rows={chosen} roundtrip_err={inv_err:.2e}", flush=True)


def main():
    by_name = {c[0]: c for c in CASES}
    if len(sys.argv) > 1:
        for name in sys.argv[1:]:
            run_case(*by_name[name])
        return
    run_each_in_subprocess(__file__, by_name)


if __name__ == "__main__":
    main()
