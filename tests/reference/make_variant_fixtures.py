"""Generate archetypax 0.1.2 reference fixtures for kaa's Improved and Sparse configs.

Run from the repository root, inside the venv described in tests/reference/README.md:

    python tests/reference/make_variant_fixtures.py                 # every case
    python tests/reference/make_variant_fixtures.py sparse_l1_6d    # one case
    python tests/reference/make_variant_fixtures.py init            # only the initializer outputs

Each fit case runs in its own subprocess and writes tests/reference/variants/<case>/ with X.csv,
initial_weights.csv, initial_archetypes.csv, loss_history.csv, final_weights.csv,
final_archetypes_working.csv and meta.json (Sparse cases also sparse_noise_uniform.csv). The
"init" case writes tests/reference/variants/init/ with archetypax's deterministic directional
initializer output for d = 2 and d = 3 and the qhull initializer output for a 3-D set.

archetypax is only imported and called, never copied. The initial state is captured as in
make_fixtures.py: optax.adam is wrapped so that init() records the params it is given. Every
further init() call is archetypax's restore-and-reset rule firing; their number is recorded.
"""

import json
import sys
from pathlib import Path

import numpy as np

import archetypax
import archetypax.models.archetypes as aa_improved
import jax
import jax.numpy as jnp
from archetypax_fixtures import (LEARNING_RATE, MAX_ITER, TOL, VERSIONS, CapturedFit,
                                 dirichlet_mixture, run_each_in_subprocess, write_csv)
from scipy.spatial import ConvexHull

OUT_DIR = Path(__file__).resolve().parent / "variants"


# ---------------------------------------------------------------- data sets
def make_tetra3d(seed):
    rng = np.random.default_rng(seed)
    corners = rng.uniform(-1.0, 1.0, size=(4, 3))
    return dirichlet_mixture(rng, corners, 250, 1.0, 0.03)


def make_scaled4d(seed):
    rng = np.random.default_rng(seed)
    corners = rng.uniform(-2.0, 2.0, size=(5, 4))
    X = dirichlet_mixture(rng, corners, 200, 0.7, 0.05)
    return X * np.array([1.0, 5.0, 0.5, 20.0]) + np.array([3.0, -10.0, 0.0, 100.0])


def make_mix6d(seed):
    rng = np.random.default_rng(seed)
    corners = rng.uniform(-1.0, 1.0, size=(4, 6))
    return dirichlet_mixture(rng, corners, 300, 0.5, 0.05)


def make_composition6d(seed):
    # Rows on the probability simplex (positive, summing to 1): the data Sparse's row
    # renormalisation assumes.
    rng = np.random.default_rng(seed)
    corners = rng.dirichlet(np.full(6, 0.3), size=4)
    X = rng.dirichlet(np.ones(4), size=250) @ corners
    X = X * np.exp(0.05 * rng.standard_normal(X.shape)) + 1e-3
    return X / X.sum(axis=1, keepdims=True)


CASES = {
    # name: generator, data seed, k, normalize, model seed, class, extra kwargs
    "improved_directional_3d": (make_tetra3d, 20240611, 4, False, 42, "improved",
                                {"archetype_init_method": "directional"}),
    "improved_qhull_4d": (make_scaled4d, 20240612, 5, True, 7, "improved",
                          {"archetype_init_method": "qhull"}),
    "improved_kmeans_6d": (make_mix6d, 20240613, 4, False, 123, "improved",
                           {"archetype_init_method": "kmeans++"}),
    "sparse_l1_6d": (make_composition6d, 20240614, 4, False, 11, "sparse",
                     {"archetype_init_method": "directional", "sparsity_method": "l1",
                      "lambda_sparsity": 0.1}),
}


# ---------------------------------------------------------------- sparse check
def sparse_direct_update_numpy(model, Z, W, X, noise_u):
    """Our own float64 restatement of Sparse's l1 direct update, to check that the recorded
    noise is the one archetypax uses."""
    k = Z.shape[0]
    Zd = np.linalg.solve(W.T @ W + 1e-6 * np.eye(k), W.T @ X)
    c = X.mean(axis=0)

    def hull(Zin):
        out = Zin.copy()
        for j in range(k):
            v = Zin[j] - c
            r = np.linalg.norm(v)
            u = v / r if r > 1e-10 else np.zeros_like(v)
            m = np.max((X - c) @ u)
            p = v @ u
            if p > m:
                out[j] = c + 0.99 * m / (p + 1e-10) * v
        return out

    Zd = hull(Zd)
    var = Zd.var(axis=0, keepdims=True)
    Zd = Zd + (noise_u - 0.5) * (0.01 / (np.sqrt(var) + 1e-8)) * (Zd > 1e-5)
    Zd = Zd / np.maximum(1e-10, Zd.sum(axis=1, keepdims=True))
    return hull(Zd)


def run_case(name):
    gen, data_seed, k, normalize, seed, cls, extra = CASES[name]
    X = np.asarray(gen(data_seed), dtype=np.float64)
    n, d = X.shape
    with CapturedFit(aa_improved) as captured:
        common = dict(n_archetypes=k, max_iter=MAX_ITER, tol=TOL, random_seed=seed,
                      learning_rate=LEARNING_RATE, normalize=normalize)
        if cls == "improved":
            model = archetypax.ImprovedArchetypalAnalysis(**common, **extra)
        else:
            model = archetypax.SparseArchetypalAnalysis(**common, **extra)
        model.fit(X)

    W0 = captured.init_params["weights"]
    Z0 = captured.init_params["archetypes"]
    assert W0.shape == (n, k) and Z0.shape == (k, d), (W0.shape, Z0.shape)
    X_work64 = (X - model.X_mean) / model.X_std if normalize else X.copy()
    X_work32 = X_work64.astype(np.float32)
    chosen = []
    for row in Z0:
        hits = np.flatnonzero(np.all(X_work32 == row, axis=1))
        chosen.append(int(hits[0]) if hits.size else -1)

    # Improved de-normalises only when normalize is on; invert exactly as make_fixtures.py does.
    Z_rep = np.asarray(model.archetypes, dtype=np.float64)
    Z_final64 = (Z_rep - model.X_mean) / model.X_std if normalize else Z_rep
    Z_final = Z_final64.astype(np.float32)
    inv_err = float(np.max(np.abs(Z_final64 - Z_final.astype(np.float64))))
    W_final = np.asarray(model.weights)

    lh = np.asarray(model.loss_history, dtype=np.float64)
    n_it = len(lh)
    best_index = int(np.argmin(lh)) if n_it else -1
    if n_it >= 2 and abs(lh[-1] - lh[-2]) < TOL:
        stop = "tol"
    elif n_it == MAX_ITER:
        stop = "max_iter"
    elif n_it - 1 - best_index >= 100:
        stop = "patience"
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

    meta = {
        "case": name,
        "model": cls,
        "n": n,
        "d": d,
        "k": k,
        "normalize": normalize,
        "random_seed": seed,
        "max_iter": MAX_ITER,
        "tol": TOL,
        "learning_rate": LEARNING_RATE,
        "constructor_extra": extra,
        "n_iterations": n_it,
        "stopped_by": stop,
        "best_index": best_index,
        "restore_on_rise_events": captured.init_calls - 1,
        "data_seed": data_seed,
        "initial_archetype_row_indices": chosen,
        "X_mean": [float(v) for v in model.X_mean],
        "X_std": [float(v) for v in model.X_std],
        "final_archetypes_working_max_roundtrip_err": inv_err,
        "initial_loss": float(lh[0]) if n_it else None,
        "final_loss": float(lh[-1]) if n_it else None,
        "best_loss": float(lh[best_index]) if n_it else None,
        "versions": VERSIONS,
    }

    if cls == "sparse":
        # Sparse's direct update adds U(-0.5, 0.5) noise from split(self.rng_key)[1]; the key
        # never advances after initialisation, so one draw serves every call.
        _, noise_key = jax.random.split(model.rng_key)
        noise_u = np.asarray(jax.random.uniform(noise_key, shape=(k, d)))
        write_csv(folder / "sparse_noise_uniform.csv", noise_u, "%.9g")
        Xj = jnp.asarray(X_work32)
        theirs = np.asarray(model.update_archetypes(jnp.asarray(Z0), jnp.asarray(W0), Xj))
        ours = sparse_direct_update_numpy(model, Z0.astype(np.float64), W0.astype(np.float64),
                                          X_work32.astype(np.float64),
                                          noise_u.astype(np.float64))
        err = float(np.max(np.abs(theirs - ours)))
        meta["noise_check_max_abs_err"] = err
        if not err < 1e-3:
            raise RuntimeError(f"{name}: recorded noise does not reproduce update_archetypes ({err})")

    (folder / "meta.json").write_text(json.dumps(meta, indent=2) + "\n")
    print(f"{name}: n={n} d={d} k={k} iters={n_it} stop={stop} best={best_index} "
          f"restores={meta['restore_on_rise_events']} loss {lh[0]:.6g} -> {lh[-1]:.6g} "
          f"init_rows={chosen}", flush=True)


def run_init():
    """Deterministic initializer outputs: directional for d = 2 and 3, qhull for d = 3."""
    folder = OUT_DIR / "init"
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(20240615)
    meta = {"versions": VERSIONS, "cases": {}}
    sets = {
        "directional_2d": (rng.standard_normal((150, 2)) * np.array([1.0, 2.0]), 5, "directional"),
        "directional_3d": (rng.standard_normal((150, 3)) * np.array([1.0, 0.5, 2.0]), 6,
                           "directional"),
        "qhull_3d": (rng.standard_normal((120, 3)), 5, "qhull"),
    }
    for name, (X, k, method) in sets.items():
        X32 = X.astype(np.float32)
        model = archetypax.ImprovedArchetypalAnalysis(n_archetypes=k, random_seed=0)
        fn = model.directional_init if method == "directional" else model.qhull_init
        Z, _ = fn(jnp.asarray(X32), X32.shape[0], X32.shape[1])
        Z = np.asarray(Z, dtype=np.float32)
        rows = [int(np.flatnonzero(np.all(X32 == z, axis=1))[0]) for z in Z]
        write_csv(folder / f"{name}_X.csv", X32, "%.9g")
        write_csv(folder / f"{name}_Z.csv", Z, "%.9g")
        entry = {"k": k, "method": method, "rows": rows}
        if method == "qhull":
            entry["hull_vertices"] = [int(v) for v in ConvexHull(X32).vertices]
        meta["cases"][name] = entry
        print(f"init {name}: rows={rows}", flush=True)
    (folder / "meta.json").write_text(json.dumps(meta, indent=2) + "\n")


def main():
    if len(sys.argv) > 1:
        for name in sys.argv[1:]:
            run_init() if name == "init" else run_case(name)
        return
    run_each_in_subprocess(__file__, ["init", *CASES])


if __name__ == "__main__":
    main()
