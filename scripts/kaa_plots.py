#!/usr/bin/env python3
"""Figures and index.html for a kaa sweep folder or a single run folder (`kaa report --plots`).

Reads what kaa wrote: sweep.json (the plan), results.jsonl (one row per finished run),
summary.csv and analysis.json (from `kaa report`), and each run folder (loss_history.csv,
archetypes.csv, weights.npy, config.json, data.npy when saved). A single run folder (metrics.json,
no sweep.json) is read as a sweep of one run. Uses only numpy and matplotlib (Debian's
python3-numpy and python3-matplotlib); every figure is a PNG in figures/ beside index.html.

The archetype views follow Cutler & Breiman (1994) and R's archetypes package (Eugster & Leisch
2009): per-archetype bar profiles, in data units and as percentiles of the data per feature, and
the weights projected on a regular k-gon (the simplex visualisation of AA papers, e.g. Seth &
Eugster 2016).
"""
import csv
import datetime
import html
import json
import math
import os
import sys

try:
    import numpy as np
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
except ImportError as e:  # pragma: no cover - depends on the machine
    sys.exit(f"kaa_plots: {e}; figures need numpy and matplotlib "
             "(Debian: apt-get install python3-numpy python3-matplotlib)")

K_PTR = "/model/n_archetypes"
RUN_ID = "run"  # the id of the one run of a single-run report

# The summary's headline: (metric, column title, "min" or "max" is better, what it means).
# rss_fitted / explained_variance_fitted are in the standardised space the fit minimised in; a
# run fitted without standardisation has none, and its rss / explained_variance stand in (the
# fitted space is then the original one).
HEADLINE = [
    ("rss_fitted", "RSS (fitted space)", "min",
     "residual sum of squares in the space the fit minimised in (z-scores when the data were "
     "standardised)"),
    ("explained_variance_fitted", "explained variance (fitted)", "max",
     "1 - RSS / total sum of squares, in the fitted space"),
    ("rss", "RSS", "min", "residual sum of squares ||X - A Z||^2"),
    ("explained_variance", "explained variance", "max", "1 - RSS / total sum of squares"),
    ("recovery_error_mean", "recovery error", "min",
     "mean distance of the matched archetypes to the true ones"),
    ("stability_distance", "seed stability", "min",
     "mean matched distance between the archetypes of two seeds (0 = every seed agrees)"),
    ("seconds", "seconds", "min", "fit time"),
]
FALLBACK = {"rss_fitted": "rss", "explained_variance_fitted": "explained_variance"}


def load_json(path):
    with open(path) as f:
        return json.load(f)


def load_plan(folder):
    return load_json(os.path.join(folder, "sweep.json"))


def is_run_folder(folder):
    return (os.path.exists(os.path.join(folder, "metrics.json"))
            and not os.path.exists(os.path.join(folder, "sweep.json")))


def flatten(metrics, prefix=""):
    """Numeric leaves of a metrics object, nested names joined by '.', as kaa report does."""
    out = {}
    for key, value in metrics.items():
        name = f"{prefix}.{key}" if prefix else key
        if isinstance(value, dict):
            out.update(flatten(value, name))
        elif isinstance(value, (int, float)) and not isinstance(value, bool) \
                and math.isfinite(value):
            out[name] = float(value)
    return out


def single_run(folder):
    """A run folder as a sweep of one run: (plan, rows, analysis)."""
    metrics = load_json(os.path.join(folder, "metrics.json"))
    config = {}
    if os.path.exists(os.path.join(folder, "config.json")):
        config = load_json(os.path.join(folder, "config.json"))
    name = os.path.basename(os.path.normpath(os.path.abspath(folder)))
    group = config.get("name", name)
    run = {"id": RUN_ID, "group": group, "config": group, "dataset": "", "axes": {},
           "run_dir": ".", "seed": metrics.get("seed"), "data": config.get("data")}
    plan = {"name": name, "axes": [], "labels": {}, "runs": [run], "single_run": True}
    row = dict(run, status="ok" if metrics.get("status") == "ok" else metrics.get("status"),
               metrics=metrics)
    stats = {m: {"mean": v, "std": None, "count": 1} for m, v in flatten(metrics).items()}
    analysis = {"groups": {group: {"config": group, "dataset": "", "axes": {},
                                   "runs_ok": int(row["status"] == "ok"),
                                   "runs_failed": int(row["status"] != "ok"),
                                   "metrics": stats}},
                "information_gain": []}
    return plan, [row], analysis


def read_rows(folder, plan):
    """The rows of results.jsonl that belong to the current plan, one per run id."""
    path = os.path.join(folder, "results.jsonl")
    if not os.path.exists(path):
        return []
    planned = {r["id"] for r in plan.get("runs", [])}
    rows, seen = [], set()
    with open(path) as f:
        text = f.read()
    for line in text[:text.rfind("\n") + 1].splitlines():  # a torn last line is not a row
        try:
            row = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(row, dict) and row.get("id") in planned and row["id"] not in seen:
            seen.add(row["id"])
            rows.append(row)
    return rows


def read_npy(path):
    return np.load(path, allow_pickle=False)


def read_csv_matrix(path):
    return np.loadtxt(path, delimiter=",", skiprows=1, ndmin=2)


def ok_rows(rows):
    return [r for r in rows if r.get("status") == "ok"]


def run_config(folder, row):
    p = os.path.join(folder, row.get("run_dir", ""), "config.json")
    return load_json(p) if os.path.exists(p) else {}


def metric_of(metrics, name):
    """A metric by its report name: nested values are joined by '.' (a.b for {"a": {"b": 1}})."""
    value = metrics
    for part in name.split("."):
        if not isinstance(value, dict) or part not in value:
            value = None
            break
        value = value[part]
    if value is None and name in FALLBACK:
        return metric_of(metrics, FALLBACK[name])
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None


IDX_TYPES = {0x08: ">u1", 0x09: ">i1", 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}


def is_idx_name(path):
    name = os.path.basename(path)
    if name.endswith(".gz"):
        name = name[:-3]
    return name.endswith(("-ubyte", ".idx", ".idx1", ".idx2", ".idx3"))


def read_idx(path):
    """An IDX file (MNIST family), gzipped or not: first dimension = rows."""
    import gzip
    with open(path, "rb") as f:
        raw = f.read()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    dtype, dims = IDX_TYPES[raw[2]], raw[3]
    shape = [int.from_bytes(raw[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    a = np.frombuffer(raw, dtype=dtype, count=int(np.prod(shape)), offset=4 + 4 * dims)
    return a.reshape(shape[0], -1).astype(float)


def read_text_matrix(path):
    """CSV or whitespace-separated numbers, with or without a header row (as kaa reads them)."""
    with open(path) as f:
        first = f.readline()
    delimiter = "," if "," in first else None
    try:
        return np.loadtxt(path, delimiter=delimiter, ndmin=2)
    except ValueError:
        return np.loadtxt(path, delimiter=delimiter, ndmin=2, skiprows=1)


def read_matrix(path):
    if is_idx_name(path):
        return read_idx(path)
    if path.lower().endswith(".npy"):
        return np.atleast_2d(np.load(path, allow_pickle=False).astype(float))
    return read_text_matrix(path)


def convex_hull_2d(points):
    """Andrew's monotone chain (1979): the hull of 2-D points, counter-clockwise."""
    pts = sorted(map(tuple, points))
    if len(pts) <= 2:
        return np.array(pts)

    def cross(o, a, b):
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower, upper = [], []
    for p in pts:
        while len(lower) >= 2 and cross(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    for p in reversed(pts):
        while len(upper) >= 2 and cross(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    return np.array(lower[:-1] + upper[:-1])


def safe_name(group):
    """A file name for a group: readable, and unique through a short hash of the full name."""
    import hashlib
    readable = "".join(c if c.isalnum() or c in "-." else "_" for c in group)
    if len(readable) > 70:  # keep the start (configuration) and the end (the last axis values)
        readable = readable[:25] + "-" + readable[-44:]
    return readable + "_" + hashlib.sha1(group.encode()).hexdigest()[:6]


def pca_basis(X, rng):
    """Mean and the first two principal directions of X (on at most 20000 rows)."""
    sample = X if len(X) <= 20000 else X[rng.choice(len(X), 20000, replace=False)]
    mean = sample.mean(axis=0)
    _, _, vt = np.linalg.svd(sample - mean, full_matrices=False)
    return mean, vt[:2].T


def read_labels(path):
    """Integer labels: a CSV/text column, or an IDX labels file (gzipped or not)."""
    import gzip
    import struct
    with open(path, "rb") as f:
        raw = f.read()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    if len(raw) >= 8 and raw[:2] == b"\x00\x00" and raw[2] == 0x08 and raw[3] == 1:
        (n,) = struct.unpack(">I", raw[4:8])
        return np.frombuffer(raw[8:8 + n], dtype=np.uint8).astype(int)
    return read_text_matrix(path).astype(int).ravel()




def short_names(names):
    """Labels by what differs: the start all names share (configuration, data set) is cut at its
    last space."""
    names = list(names)
    common = os.path.commonprefix(names) if len(names) > 1 else ""
    common = common[:common.rfind(" ") + 1]
    return {n: (n[len(common):] or n) for n in names}


def headline_metrics(rows):
    """The headline metrics that are present: the fitted-space pair replaces rss and explained
    variance when any run was standardised."""
    present = set()
    for r in ok_rows(rows):
        present.update(flatten(r.get("metrics", {})))
    chosen = []
    for metric, *_ in HEADLINE:
        if metric in FALLBACK and metric not in present:
            continue
        if metric in FALLBACK.values() and any(FALLBACK[f] == metric and f in present
                                               for f in FALLBACK):
            continue
        if metric in present or metric == "stability_distance":
            chosen.append(metric)
    return chosen


def headline_title(metric):
    return next(t for m, t, *_ in HEADLINE if m == metric)


def objective_of(config):
    """What a run minimised: its loss terms and whether the data were standardised. Runs with the
    same objective on the same data have comparable loss values."""
    terms = []
    for term in config.get("loss", []):
        if isinstance(term, dict):
            extra = ", ".join(f"{k}={v}" for k, v in sorted(term.items()) if k != "type")
            terms.append(f"{term.get('type')}({extra})")
    scaled = config.get("model", {}).get("normalize", False)
    return " + ".join(terms) + (" on z-scores" if scaled else "")


def loss_curves(folder, rows, out):
    """Loss against updates, one panel per objective (configurations that minimise the same loss
    share a panel and its axes): per configuration the median over seeds and the min..max band."""
    families = {}
    for r in ok_rows(rows):
        p = os.path.join(folder, r["run_dir"], "loss_history.csv")
        if not os.path.exists(p):
            continue
        curve = read_csv_matrix(p)
        if curve.shape[0] == 0:
            continue
        key = objective_of(run_config(folder, r)) + " | " + json.dumps(
            r.get("dataset", ""))
        families.setdefault(key, {}).setdefault(r["group"], []).append(curve[:, 1])
    if not families:
        return None
    keys = sorted(families)
    cols = min(len(keys), 2)
    nrows = int(math.ceil(len(keys) / cols))
    fig, grid = plt.subplots(nrows, cols, figsize=(6.5 * cols, 4.2 * nrows), squeeze=False)
    for ax in list(grid.flat)[len(keys):]:
        ax.set_axis_off()
    for ax, key in zip(grid.flat, keys):
        groups = families[key]
        lengths = []
        short = short_names(groups)
        for g in groups:
            curves = groups[g]
            length = max(len(c) for c in curves)
            lengths.append(length)
            # Runs that stopped early keep their last loss, so the band is over all seeds.
            m = np.array([np.pad(c, (0, length - len(c)), mode="edge") for c in curves])
            x = np.arange(1, length + 1)
            seeds = f"{len(m)} seed" + ("s" if len(m) > 1 else "")
            line, = ax.plot(x, np.median(m, axis=0), label=f"{short[g][-45:]} ({seeds})")
            if len(m) > 1:
                ax.fill_between(x, m.min(axis=0), m.max(axis=0), color=line.get_color(),
                                alpha=0.2)
        values = np.concatenate([np.concatenate(c) for c in groups.values()])
        values = values[np.isfinite(values)]
        if values.size and values.min() > 0:  # losses with an entropy term may be negative
            ax.set_yscale("log")
        if max(lengths) > 20 * max(1, min(lengths)):
            ax.set_xscale("log")
        ax.set_xlabel("update")
        ax.set_ylabel("loss")
        ax.set_title("objective: " + key.split(" | ")[0][:80], fontsize=8)
        ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(os.path.join(out, "loss_curves.png"), dpi=100)
    plt.close(fig)
    return ("loss_curves.png",
            "Convergence: loss against updates, median over seeds with the min..max band. "
            "Configurations that minimise the same objective share a panel and its axes, so their "
            "curves compare directly; lower and earlier is better.")


def mean_std(values):
    return float(np.mean(values)), float(np.std(values, ddof=1)) if len(values) > 1 else 0.0


def metric_vs_axes(rows, axes, out):
    """Each headline metric against each numeric swept parameter: the mean over seeds as a line
    and the min..max over seeds as a band, one line per configuration and combination of the
    other axes."""
    made = []
    metrics = [m for m in headline_metrics(rows) if m != "stability_distance"]
    for ptr in axes:
        series = {}
        for r in ok_rows(rows):
            v = r.get("axes", {}).get(ptr)
            if not isinstance(v, (int, float)) or isinstance(v, bool):
                continue
            others = {k: x for k, x in r["axes"].items() if k != ptr}
            key = r["config"] + (f"@{r['dataset']}" if r.get("dataset") else "") + "".join(
                f" {k}={json.dumps(x)}" for k, x in sorted(others.items()))
            series.setdefault(key, []).append((v, r.get("metrics", {})))
        if not series or not metrics:
            continue
        fig, axs = plt.subplots(1, len(metrics), figsize=(3.3 * len(metrics), 3.6), squeeze=False)
        for ax, m in zip(axs[0], metrics):
            for key, pts in sorted(series.items()):
                by_x = {}
                for x, met in pts:
                    value = metric_of(met, m)
                    if value is not None and math.isfinite(value):
                        by_x.setdefault(x, []).append(value)
                if not by_x:
                    continue
                xs = sorted(by_x)
                line, = ax.plot(xs, [np.mean(by_x[x]) for x in xs], marker="o", label=key[:50])
                ax.fill_between(xs, [min(by_x[x]) for x in xs], [max(by_x[x]) for x in xs],
                                color=line.get_color(), alpha=0.2)
            ax.set_xlabel(ptr, fontsize=8)
            ax.set_title(headline_title(m), fontsize=9)
            xs_all = [x for pts in series.values() for x, _ in pts]
            if ptr != K_PTR and min(xs_all) > 0 and max(xs_all) > 20 * min(xs_all):
                ax.set_xscale("log")
        if len(series) > 1:
            axs[0][0].legend(fontsize=6)
        fig.tight_layout()
        name = "metric_vs" + "".join(c if c.isalnum() else "_" for c in ptr) + ".png"
        fig.savefig(os.path.join(out, name), dpi=100)
        plt.close(fig)
        made.append((name, f"Each headline metric against the swept {ptr}: the line is the mean "
                           "over seeds, the band the min..max over seeds. A narrow band means the "
                           "value barely depends on the seed."))
    return made


def choose_k(analysis, out):
    """RSS and information gain against k, with the elbow (and archetypax's, one k later)."""
    items = [i for i in analysis.get("information_gain", []) if len(i.get("k", [])) >= 2]
    if not items:
        return None
    fig, (a1, a2) = plt.subplots(1, 2, figsize=(11, 4.2))
    for it in items:
        ks = it["k"]
        gain = [np.nan if g is None else g for g in it["gain"]]
        line, = a1.plot(ks, it["rss"], marker="o", label=it["family"][:50])
        a2.plot(ks, gain, marker="o", color=line.get_color(), label=it["family"][:50])
        if "elbow_k" in it:
            e, ea = it["elbow_k"], it.get("elbow_k_archetypax")
            for ax in (a1, a2):
                ax.axvline(e, color=line.get_color(), linestyle="--")
            a2.annotate(f"elbow k={e}", (e, np.nanmax(gain)), color=line.get_color(),
                        textcoords="offset points", xytext=(4, -10))
            if ea is not None:
                a2.axvline(ea, color=line.get_color(), linestyle=":", alpha=0.6)
                a2.annotate(f"archetypax k={ea}", (ea, np.nanmax(gain)), color=line.get_color(),
                            textcoords="offset points", xytext=(4, -24), alpha=0.8)
    a1.set_xlabel("k (number of archetypes)")
    a1.set_ylabel("RSS (mean over seeds)")
    a2.set_xlabel("k (number of archetypes)")
    a2.set_ylabel("information gain (err_prev - err_k) / err_prev")
    a1.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(os.path.join(out, "choose_k.png"), dpi=100)
    plt.close(fig)
    return ("choose_k.png",
            "Choosing k: RSS (left) and the information gain of each added archetype (right). "
            "The dashed line is the elbow, the last k whose archetype still gained much; "
            "archetypax's rule (dotted) names the k after it.")


def time_vs_size(rows, out):
    """Fit seconds per update against the data size n x d, per configuration (mean over seeds)."""
    pts = {}
    for r in ok_rows(rows):
        m = r.get("metrics", {})
        if "n" in m and m.get("iterations") and "seconds" in m:
            size = m["n"] * m.get("d", 1)
            pts.setdefault(r["config"], {}).setdefault(size, []).append(
                m["seconds"] / m["iterations"])
    if not pts or all(len(p) < 2 for p in pts.values()):
        return None
    fig, ax = plt.subplots(figsize=(6, 4))
    for cfg, by_size in sorted(pts.items()):
        xs = sorted(by_size)
        ax.plot(xs, [np.mean(by_size[x]) for x in xs], marker="o", label=cfg)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("data size n x d")
    ax.set_ylabel("fit seconds per update (mean over seeds)")
    ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(os.path.join(out, "time_vs_size.png"), dpi=100)
    plt.close(fig)
    return ("time_vs_size.png", "Fit seconds per update against the data size n x d (log-log): "
                                "a slope of 1 means the time grows linearly with the data.")


def plan_order(plan, groups):
    """Group names in plan order (along the axes); analysis.json lists them sorted by name."""
    names = [g for g in dict.fromkeys(r.get("group") for r in plan.get("runs", [])) if g in groups]
    return names + [g for g in groups if g not in names]


def metrics_by_group(analysis, rows, out, plan):
    """Mean and std over seeds of the headline metrics, one bar per configuration."""
    groups = analysis.get("groups", {})
    if len(groups) < 2:
        return None
    names = plan_order(plan, groups)
    metrics = [m for m in headline_metrics(rows)
               if any(group_value(groups[g], m)[0] is not None for g in names)]
    if not metrics:
        return None
    fig, axs = plt.subplots(1, len(metrics),
                            figsize=(2.6 * len(metrics) + 1.5, 0.3 * len(names) + 1.6),
                            squeeze=False)
    y = np.arange(len(names))
    for ax, m in zip(axs[0], metrics):
        stats = [group_value(groups[g], m) for g in names]
        mean = [np.nan if s[0] is None else s[0] for s in stats]
        std = [0.0 if s[1] is None else s[1] for s in stats]
        ax.barh(y, mean, xerr=std, color="tab:blue", alpha=0.7, capsize=3)
        ax.set_yticks(y)
        short = short_names(names)
        ax.set_yticklabels([short[n][-36:] for n in names] if ax is axs[0][0] else [], fontsize=7)
        ax.invert_yaxis()
        ax.set_title(headline_title(m), fontsize=8)
        ax.tick_params(axis="x", labelsize=7)
    fig.tight_layout()
    fig.savefig(os.path.join(out, "metrics_by_configuration.png"), dpi=100)
    plt.close(fig)
    return ("metrics_by_configuration.png",
            "The headline metrics per configuration: bar = mean over seeds, whisker = sample std. "
            "Compare bars within a column; the table above has the numbers.")


def group_value(group, metric):
    """(mean, std, count) of a metric in an analysis.json group, with the fallback of the
    fitted-space metrics for runs that were not standardised."""
    stats = group.get("metrics", {})
    s = stats.get(metric)
    if s is None and metric in FALLBACK:
        s = stats.get(FALLBACK[metric])
    if not s or s.get("mean") is None:
        return None, None, 0
    return s["mean"], s.get("std"), s.get("count", 0)


def csv_header(path):
    """Column names of a CSV file whose first line is a header (not all numbers), else None."""
    if is_idx_name(path) or path.lower().endswith(".npy"):
        return None
    try:
        with open(path) as f:
            first = f.readline().strip()
    except OSError:
        return None
    cells = [c.strip().strip('"') for c in (first.split(",") if "," in first else first.split())]
    try:
        [float(c) for c in cells]
        return None
    except ValueError:
        return cells


class Data:
    """The data of each run, in original units: data.npy saved beside the first run of a
    generated data set, else the file its config names. Loaded once per data set."""

    def __init__(self, folder, plan, rows):
        self.folder = folder
        self.node = {r["id"]: r.get("data") for r in plan.get("runs", [])}
        self.rows = rows
        self.cache = {}

    def key(self, run_id):
        return json.dumps(self.node.get(run_id), sort_keys=True)

    def path(self, run_id):
        node = self.node.get(run_id) or {}
        return node.get("path") if isinstance(node, dict) else None

    def of(self, run_id):
        key = self.key(run_id)
        if key not in self.cache:
            self.cache[key] = self._load(run_id, key)
        return self.cache[key]

    def feature_names(self, run_id, d, archetypes_csv=None):
        """kaa writes the data's column names into archetypes.csv's header; older runs have
        f0, f1, ... there, so the data file's own header is the fallback."""
        for path in (archetypes_csv, self.path(run_id)):
            names = csv_header(path) if path and os.path.exists(path) else None
            if names and len(names) == d and names != [f"f{j}" for j in range(d)]:
                return names
        return [f"f{j}" for j in range(d)]

    def _load(self, run_id, key):
        for r in self.rows:
            if r.get("status") != "ok" or self.key(r["id"]) != key:
                continue
            p = os.path.join(self.folder, r.get("run_dir", ""), "data.npy")
            if os.path.exists(p):
                return read_npy(p)
        path = self.path(run_id)
        if path and os.path.exists(path):
            try:
                return read_matrix(path)
            except (ValueError, KeyError, OSError) as e:
                print(f"kaa_plots: cannot read {path} for the figures: {e}", file=sys.stderr)
        return None


def save(fig, out, name, dpi=100):
    fig.savefig(os.path.join(out, name), dpi=dpi)
    plt.close(fig)
    return name


def scatter_pca(X, Z, T, title, out, name, rng):
    """The data on their first two principal components (or the two features when d = 2), the
    archetypes, their hull and the true archetypes."""
    if X.shape[1] > 2:
        mean, basis = pca_basis(X, rng)
        label = "PC"
    else:
        mean, basis, label = np.zeros(2), np.eye(2), "x"
    shown = X if len(X) <= 5000 else X[rng.choice(len(X), 5000, replace=False)]
    P = (shown - mean) @ basis
    Q = (Z - mean) @ basis
    fig, ax = plt.subplots(figsize=(5.6, 4.8))
    ax.scatter(P[:, 0], P[:, 1], s=4, alpha=0.3, color="gray",
               label="data" + (f" (5000 of {len(X)})" if len(X) > 5000 else ""))
    if len(Q) >= 3:
        h = convex_hull_2d(Q)
        ax.fill(h[:, 0], h[:, 1], alpha=0.15, color="tab:red", label="hull of archetypes")
    ax.scatter(Q[:, 0], Q[:, 1], s=90, color="tab:red", marker="*", label="archetypes")
    for j, q in enumerate(Q):
        ax.annotate(f"A{j}", q, textcoords="offset points", xytext=(5, 4), fontsize=7,
                    color="tab:red")
    if T is not None:
        Tp = (T - mean) @ basis
        ax.scatter(Tp[:, 0], Tp[:, 1], s=50, facecolors="none", edgecolors="tab:blue",
                   linewidths=1.5, label="true archetypes")
    ax.set_xlabel(label + "1")
    ax.set_ylabel(label + "2")
    ax.legend(fontsize=7)
    ax.set_title(title[:70], fontsize=8)
    fig.tight_layout()
    return save(fig, out, name)


def simplex_plot(W, labels, title, out, name):
    """The weights on a regular k-gon: archetype j at the j-th corner, each point at the convex
    combination of the corners given by its weights (for k = 3 the ternary plot). Points at a
    corner are explained by one archetype alone; points near the centre mix all of them."""
    k = W.shape[1]
    angles = np.pi / 2 + 2 * np.pi * np.arange(k) / k
    corners = np.stack([np.cos(angles), np.sin(angles)], axis=1)
    P = W @ corners
    fig, ax = plt.subplots(figsize=(5.2, 4.8))
    ax.plot(*np.vstack([corners, corners[:1]]).T, color="black", linewidth=0.8)
    if labels is not None and len(labels) == len(W):
        classes = np.unique(labels)
        cmap = plt.get_cmap("tab10" if len(classes) <= 10 else "tab20")
        for ci, c in enumerate(classes):
            sel = labels == c
            ax.scatter(P[sel, 0], P[sel, 1], s=5, alpha=0.5, color=cmap(ci % cmap.N),
                       label=str(c))
        ax.legend(title="label", fontsize=6, markerscale=2, loc="center left",
                  bbox_to_anchor=(1.0, 0.5))
    else:
        ax.scatter(P[:, 0], P[:, 1], s=5, alpha=0.35, c=W.max(axis=1), cmap="viridis",
                   vmin=1.0 / k, vmax=1.0)
    for j, c in enumerate(corners):
        ax.annotate(f"A{j}", c, textcoords="offset points", xytext=(6 * c[0] - 6, 6 * c[1] - 3),
                    fontsize=8, ha="center")
    ax.set_aspect("equal")
    ax.set_axis_off()
    ax.set_title(title[:70], fontsize=8)
    fig.tight_layout()
    return save(fig, out, name)


def percentiles_of(Z, X):
    """Per archetype and feature, the percentage of data points whose value is at most the
    archetype's (Cutler & Breiman's percentile profile)."""
    S = np.sort(X, axis=0)
    return np.stack([np.searchsorted(S[:, f], Z[:, f], side="right") for f in range(Z.shape[1])],
                    axis=1) * (100.0 / len(X))


def profiles(Z, X, names, title, out, name):
    """Each archetype's value per feature as bars, beside its percentile in the data per feature
    (R archetypes' barplot(..., percentiles = TRUE)); a heat map of the percentiles when there
    are too many features for bars."""
    k, d = Z.shape
    P = percentiles_of(Z, X) if X is not None and X.shape[1] == d else None
    if d > 40:
        if P is None:
            return None
        fig, ax = plt.subplots(figsize=(12, 0.35 * k + 1.8))
        im = ax.imshow(P, aspect="auto", cmap="coolwarm", vmin=0, vmax=100)
        ax.set_yticks(range(k))
        ax.set_yticklabels([f"A{j}" for j in range(k)], fontsize=7)
        ax.set_xlabel("feature")
        fig.colorbar(im, ax=ax, label="percentile in the data")
        ax.set_title("archetype profiles (percentile per feature), " + title[:60], fontsize=8)
        fig.tight_layout()
        return save(fig, out, name)
    cols = 2 if P is not None else 1
    fig, axs = plt.subplots(k, cols, figsize=(6.2 * cols, 1.15 * k + 1.3), sharex=True,
                            squeeze=False)
    x = np.arange(d)
    lo, hi = min(0.0, float(Z.min())), max(0.0, float(Z.max()))
    pad = 0.05 * (hi - lo or 1.0)
    for j in range(k):
        ax = axs[j][0]
        ax.bar(x, Z[j], color=["tab:blue" if v >= 0 else "tab:orange" for v in Z[j]])
        ax.set_ylim(lo - pad, hi + pad)
        ax.set_ylabel(f"A{j}", rotation=0, labelpad=14, fontsize=8)
        ax.tick_params(labelsize=6)
        if P is not None:
            ax = axs[j][1]
            ax.bar(x, P[j], color="tab:green")
            ax.axhline(50, color="gray", linewidth=0.6, linestyle=":")
            ax.set_ylim(0, 100)
            ax.set_yticks([0, 50, 100])
            ax.tick_params(labelsize=6)
    axs[0][0].set_title("value per feature (data units)", fontsize=8)
    if P is not None:
        axs[0][1].set_title("percentile of the data per feature", fontsize=8)
    for ax in axs[-1]:
        ax.set_xticks(x)
        ax.set_xticklabels([n[:14] for n in names], rotation=60 if d > 8 else 0, ha="right"
                           if d > 8 else "center", fontsize=6)
    fig.suptitle("archetype profiles, " + title[:70], fontsize=9)
    fig.tight_layout()
    return save(fig, out, name)


def image_grid(Z, side, title, out, name):
    k = Z.shape[0]
    cols = min(k, 5)
    rows_n = int(math.ceil(k / cols))
    fig, axs = plt.subplots(rows_n, cols, figsize=(2 * cols, 2 * rows_n + 0.4), squeeze=False)
    for i, ax in enumerate(axs.flat):
        ax.set_axis_off()
        if i < k:
            ax.imshow(Z[i].reshape(side, side), cmap="gray_r")
            ax.set_title(f"A{i}", fontsize=8)
    fig.suptitle("archetypes, " + title[:60], fontsize=9)
    fig.tight_layout()
    return save(fig, out, name)


def class_mass(W, labels, title, out, name):
    k = W.shape[1]
    classes = np.unique(labels)
    mass = np.array([[W[labels == c, j].sum() for c in classes] for j in range(k)])
    share = mass / np.maximum(mass.sum(axis=1, keepdims=True), 1e-300)
    fig, ax = plt.subplots(figsize=(7, 0.4 * k + 1.6))
    left = np.zeros(k)
    for ci, c in enumerate(classes):
        ax.barh(range(k), share[:, ci], left=left, label=str(c))
        left += share[:, ci]
    ax.set_yticks(range(k))
    ax.set_yticklabels([f"A{j}" for j in range(k)])
    ax.invert_yaxis()
    ax.set_xlabel("share of the archetype's weight mass per class")
    ax.set_xlim(0, 1)
    ax.set_title("weight mass per class, " + title[:50], fontsize=8)
    ax.legend(title="class", fontsize=7, loc="center left", bbox_to_anchor=(1.01, 0.5))
    fig.tight_layout()
    return save(fig, out, name)


def per_configuration(folder, plan, rows, out, limit=24):
    """Per configuration (its first ok run, lowest seed): the archetype views. Returns
    [(group, run description, [(figure, caption), ...])]."""
    sections = []
    data = Data(folder, plan, rows)
    rng = np.random.default_rng(0)
    first = {}
    for r in ok_rows(rows):
        g = r["group"]
        if g not in first or (r.get("seed") or 0) < (first[g].get("seed") or 0):
            first[g] = r
    labels_of = plan.get("labels", {})
    for g in [g for g in dict.fromkeys(r["group"] for r in rows) if g in first][:limit]:
        r = first[g]
        run = os.path.join(folder, r["run_dir"])
        zpath = os.path.join(run, "archetypes.csv")
        if not os.path.exists(zpath):
            continue
        Z = read_csv_matrix(zpath)
        k, d = Z.shape
        safe = safe_name(g)
        X = data.of(r["id"])
        if X is not None and X.shape[1] != d:
            X = None
        W = read_npy(os.path.join(run, "weights.npy")) \
            if os.path.exists(os.path.join(run, "weights.npy")) else None
        labels = None
        lpath = labels_of.get(r.get("dataset", ""))
        if lpath and os.path.exists(lpath):
            labels = read_labels(lpath)
            if W is None or len(labels) != len(W):
                labels = None
        tpath = os.path.join(run, "true_archetypes.csv")
        T = read_csv_matrix(tpath) if os.path.exists(tpath) else None
        if T is not None and T.shape[1] != d:
            T = None
        no_data = "" if X is not None else (
            " (the data are not available to the report: for a single run, fit with --save-data)")
        figs = []
        side = int(round(math.sqrt(d)))
        image = side >= 8 and side * side == d
        if image:
            figs.append((image_grid(Z, side, g, out, f"images_{safe}.png"),
                         "Each archetype drawn as an image: the extreme, pure types every data "
                         "point is a mixture of."))
        else:
            names = data.feature_names(r["id"], d, zpath)
            made = profiles(Z, X, names, g, out, f"profiles_{safe}.png")
            if made:
                figs.append((made, "Archetype profiles: each row is one archetype; left, its value "
                                   "per feature in data units; right, where that value lies in "
                                   "the data (percentile per feature: near 0 or 100 = an extreme "
                                   "of the data, 50 = typical)." + no_data))
        if W is not None and k >= 3:
            kind = "ternary" if k == 3 else "simplex"
            figs.append((simplex_plot(W, labels, "weights, " + g, out, f"{kind}_{safe}.png"),
                         f"The weights of every point on a regular {k}-gon: corner Aj is "
                         "archetype j, a point sits at its weighted mix of the corners. Points at "
                         "a corner are one archetype alone, points inside mix several"
                         + (" (colour: label)." if labels is not None else
                            " (colour: the largest weight).")))
        if X is not None and d >= 2:
            figs.append((scatter_pca(X, Z, T, g + (" (first two principal components)"
                                                    if d > 2 else ""),
                                     out, f"scatter_{safe}.png", rng),
                         "The data (grey) on their first two principal components with the "
                         "archetypes (stars) and their hull (shaded): points inside it are "
                         "mixtures "
                         "of the archetypes; a point outside it here may still be inside in all "
                         f"{d} dimensions"
                         + (". Circles: the true archetypes, which the stars should sit on."
                            if T is not None else ".")))
        if image and labels is not None:
            figs.append((class_mass(W, labels, g, out, f"class_mass_{safe}.png"),
                         "How each archetype's weight mass splits over the classes: a bar of one "
                         "colour is an archetype of one class."))
        seed = f"seed {r.get('seed')}" if r.get("seed") is not None else ""
        sections.append((g, f"k = {k}, d = {d}" + (f", {seed}" if seed else "") +
                         f", run {r['run_dir']}", figs))
    return sections


def fmt(v, digits=4):
    if v is None or not math.isfinite(v):
        return "-"
    return f"{v:.{digits}g}"


def cell(mean, std, count):
    """mean ± std at 4 significant digits (std at 2); the mean alone for one value."""
    if mean is None:
        return "-"
    if count and count > 1 and std is not None:
        return f"{fmt(mean)} ± {fmt(std, 2)}"
    return fmt(mean)


def header_facts(folder, plan, rows, single):
    """The page header: data set, n, d, k, date, kaa version and commit, the command."""
    facts = []
    oks = ok_rows(rows)
    by_data = {}
    for r in oks:
        m = r.get("metrics", {})
        name = r.get("dataset") or m.get("data", "data")
        by_data.setdefault(name, set()).add((m.get("n"), m.get("d")))
    for name, sizes in sorted(by_data.items()):
        dims = ", ".join(f"n = {n}, d = {d}" for n, d in sorted(sizes, key=str))
        facts.append(f"data <b>{html.escape(str(name))}</b> ({dims})")
    ks = sorted({r.get("metrics", {}).get("n_archetypes") for r in oks} - {None})
    if ks:
        facts.append("k = " + ", ".join(str(k) for k in ks))
    configs = {r.get("config") for r in plan.get("runs", [])}
    seeds = {r.get("seed") for r in plan.get("runs", [])}
    if not single:
        facts.append(f"{len(configs)} configuration(s), {len(seeds)} seed(s), "
                     f"{len(plan.get('runs', []))} runs ({len(oks)} ok)")
    versions = sorted({f"{r['metrics']['kaa_version']} (commit "
                       f"{r['metrics'].get('git_commit', '?')})" for r in oks
                       if "kaa_version" in r.get("metrics", {})})
    if versions:
        facts.append("kaa " + ", ".join(versions))
    finished = sorted(r.get("finished_at", "") for r in oks if r.get("finished_at"))
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    facts.append(f"report written {now}" + (f", last run finished {finished[-1]}"
                                            if finished else ""))
    if single:
        command = f"kaa fit {os.path.join(folder, 'config.json')} --out NEW_FOLDER"
    else:
        command = "kaa sweep " + plan.get("file", "SWEEP.json")
        datasets = {}
        for r in plan.get("runs", []):
            node = r.get("data") or {}
            if isinstance(node, dict) and node.get("path") and r.get("dataset"):
                datasets[r["dataset"]] = node["path"]
        for name, path in sorted(datasets.items()):
            command += f" --data {name}={path}"
        for name, path in sorted(plan.get("labels", {}).items()):
            command += f" --labels {name}={path}"
        command += " --plots"
    return facts, command


def summary_tables(analysis, rows, plan, single):
    """The compact comparison (headline metrics, best per column marked, ranked by the fit in
    the space that was minimised) and the collapsible table of every other metric."""
    groups = analysis.get("groups", {})
    order = plan_order(plan, groups)
    metrics = [m for m in headline_metrics(rows)
               if any(group_value(groups[g], m)[0] is not None for g in order)]
    rank_by = metrics[0] if metrics and metrics[0] in ("rss_fitted", "rss") else None
    rank = {}
    if rank_by:
        ranked = sorted((group_value(groups[g], rank_by)[0], g) for g in order
                        if group_value(groups[g], rank_by)[0] is not None)
        rank = {g: i + 1 for i, (_, g) in enumerate(ranked)}
        if not plan.get("axes"):  # with axes the plan order (along the axes) reads better
            order = sorted(order, key=lambda g: rank.get(g, len(order) + 1))
    best = {}
    for m in metrics:
        better = next(b for name, _, b, _ in HEADLINE if name == m)
        values = [group_value(groups[g], m)[0] for g in order]
        values = [v for v in values if v is not None and math.isfinite(v)]
        if len(values) > 1:
            best[m] = fmt(min(values) if better == "min" else max(values))
    head = ['<th class="num" data-type="num" title="rank by the first metric">#</th>',
            '<th data-type="text">configuration</th>',
            '<th data-type="text" title="runs ok / failed">ok / failed</th>']
    for m in metrics:
        title, better, means = next((t, b, d) for name, t, b, d in HEADLINE if name == m)
        arrow = "↓" if better == "min" else "↑"
        head.append(f'<th class="num" data-type="num" title="{html.escape(means)}; '
                    f'{"lower" if better == "min" else "higher"} is better">'
                    f"{html.escape(title)} {arrow}</th>")
    body = []
    for g in order:
        s = groups[g]
        tds = [f'<td class="num" data-v="{rank.get(g, "")}">{rank.get(g, "-")}</td>',
               f'<td class="name">{html.escape(g)}</td>',
               f'<td>{s.get("runs_ok", 0)} / {s.get("runs_failed", 0)}</td>']
        for m in metrics:
            mean, std, count = group_value(s, m)
            cls = "num best" if mean is not None and best.get(m) == fmt(mean) else "num"
            tds.append(f'<td class="{cls}" data-v="{"" if mean is None else mean}">'
                       f"{html.escape(cell(mean, std, count))}</td>")
        body.append("<tr>" + "".join(tds) + "</tr>")
    main = (f'<table class="summary sortable" id="summary"><thead><tr>{"".join(head)}</tr></thead>'
            f'<tbody>{"".join(body)}</tbody></table>')
    # Every other metric: metrics down, configurations across, in a box that scrolls by itself.
    others = sorted({m for g in order for m in groups[g].get("metrics", {})} - set(metrics))
    rows_html = []
    for m in others:
        tds = "".join(
            f'<td class="num">{html.escape(cell(*group_value(groups[g], m)))}</td>' for g in order)
        rows_html.append(f'<tr><th class="metric">{html.escape(m)}</th>{tds}</tr>')
    cols = "".join(f'<th class="num">{html.escape(g)}</th>' for g in order)
    detail = (f'<details><summary>All {len(others)} other metrics'
              f'{"" if single else " (mean ± std over seeds)"}'
              f'</summary><div class="scroll"><table class="detail"><thead><tr><th>metric</th>'
              f'{cols}</tr></thead><tbody>{"".join(rows_html)}</tbody></table></div></details>')
    if single:
        note = ("One run, 4 significant digits (<a href=\"metrics.json\">metrics.json</a> keeps "
                "full precision). ")
    else:
        note = ("Mean ± sample standard deviation over seeds, 4 significant digits "
                "(<a href=\"summary.csv\">summary.csv</a> keeps full precision). "
                "<span class=\"best\">Green</span>: the best value of its column. ")
    if rank_by == "rss_fitted":
        note += ("Ranked (#) by the RSS in the space the fit minimised: the data were "
                 "standardised, and in original units large-scale features dominate the RSS "
                 "(there it is in the table below as <code>rss</code>). ")
    elif rank_by and not single:
        note += "Ranked (#) by RSS. "
    if not single:
        note += "Click a column title to sort."
    return main, detail, note


SORT_AND_CHECK_JS = """
document.querySelectorAll('table.sortable th').forEach(function (th, col) {
  th.addEventListener('click', function () {
    var body = th.closest('table').tBodies[0];
    var rows = Array.from(body.rows), up = th.dataset.dir !== 'up';
    th.dataset.dir = up ? 'up' : 'down';
    rows.sort(function (a, b) {
      var x = a.cells[col], y = b.cells[col];
      if (th.dataset.type === 'num') {
        var u = parseFloat(x.dataset.v), v = parseFloat(y.dataset.v);
        u = isNaN(u) ? Infinity : u; v = isNaN(v) ? Infinity : v;
        return up ? u - v : v - u;
      }
      return up ? x.textContent.localeCompare(y.textContent)
                : y.textContent.localeCompare(x.textContent);
    });
    rows.forEach(function (r) { body.appendChild(r); });
  });
});
// ?kaa-check: the browser test's probe; the page reports what a reader would see in its title.
if (location.search.indexOf('kaa-check') >= 0) {
  window.addEventListener('load', function () {
    var width = window.innerWidth, imgs = Array.from(document.images);
    var broken = imgs.filter(function (i) { return !i.complete || i.naturalWidth === 0; })
                     .map(function (i) { return i.getAttribute('src'); });
    var first = document.querySelector('#summary thead th.num:not(:first-child)');
    var box = first ? first.getBoundingClientRect() : null;
    var result = {
      width: width,
      scroll_width: document.documentElement.scrollWidth,
      images: imgs.length,
      broken: broken,
      first_numeric: first ? first.textContent : null,
      first_numeric_right: box ? box.right : null,
      first_numeric_visible: box ? (box.left >= 0 && box.right <= width && box.width > 0) : false
    };
    document.title = 'KAA-CHECK ' + JSON.stringify(result);
  });
}
"""

STYLE = """
body{font-family:system-ui,sans-serif;margin:1.5em 2em;max-width:1320px;color:#222}
h1{font-size:1.5em;margin-bottom:.2em}h2{margin-top:1.6em;border-bottom:1px solid #ddd}
h3{margin:1.2em 0 .3em;font-size:1.05em}
.facts{color:#444;margin:.2em 0}.facts span{margin-right:1.2em;white-space:nowrap}
code.cmd{display:block;background:#f4f4f4;padding:.5em;margin:.4em 0;white-space:pre-wrap;
word-break:break-all}
table{border-collapse:collapse;font-size:13px}
td,th{border:1px solid #ccc;padding:3px 7px}th{background:#f2f2f2;cursor:default}
table.sortable th{cursor:pointer}
td.num,th.num{text-align:right;white-space:nowrap}td.name{max-width:26em;word-break:break-word}
.best{background:#d9f2d9;font-weight:bold}
.scroll{overflow-x:auto;max-width:100%}table.detail{font-size:12px}th.metric{text-align:left}
.note{font-size:13px;color:#444}
figure{display:inline-block;vertical-align:top;margin:.6em 1em .6em 0;max-width:100%}
figure img{max-width:100%;height:auto;border:1px solid #eee}
figcaption{font-size:13px;color:#333;max-width:640px}figure.wide figcaption{max-width:1000px}
"""


def figure_html(name, caption, wide=False):
    cls = ' class="wide"' if wide else ""
    return (f'<figure{cls}><img src="figures/{html.escape(name)}" '
            f'alt="{html.escape(name)}"><figcaption>{html.escape(caption)}</figcaption></figure>')


def write_index(folder, plan, rows, analysis, overview, sections, single):
    facts, command = header_facts(folder, plan, rows, single)
    main, detail, note = summary_tables(analysis, rows, plan, single)
    gains = ""
    for it in analysis.get("information_gain", []):
        if "elbow_k" in it:
            gains += (f"<p>Information gain over k, {html.escape(it['family'])}: elbow at "
                      f"k = {it['elbow_k']} (archetypax's rule: k = {it['elbow_k_archetypax']})"
                      "</p>")
    failed = [(g, s.get("first_error", "")) for g, s in analysis.get("groups", {}).items()
              if s.get("runs_failed")]
    failures = "".join(f"<li>{html.escape(g)}: {html.escape(e)}</li>" for g, e in failed)
    if failures:
        failures = f"<p>Failed runs (first error per configuration):</p><ul>{failures}</ul>"
    figs = "".join(figure_html(n, c, wide=True) for n, c in overview)
    per = ""
    for g, what, items in sections:
        per += (f"<h3>{html.escape(g)}</h3><p class=\"note\">{html.escape(what)}</p>"
                + "".join(figure_html(n, c) for n, c in items))
    name = html.escape(plan.get("name", "sweep"))
    kind = "run" if single else "sweep"
    links = ("" if single else
             '<a href="summary.csv">summary.csv</a> · <a href="analysis.json">analysis.json</a> · '
             '<a href="results.jsonl">results.jsonl</a>')
    facts_html = " ".join(f"<span>{f}</span>" for f in facts)
    comparison = "Convergence" if single else "Comparison"
    figs = figs or '<p class="note">No comparison figures (one configuration, no axes).</p>'
    which = "" if single else (
        '<p class="note">For each configuration, its first successful run (lowest seed).</p>')
    page = f"""<!doctype html><html><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width">
<title>kaa {kind} {name}</title><style>{STYLE}</style></head><body>
<h1>kaa {kind}: {name}</h1>
<p class="facts">{facts_html}</p>
<p class="facts">Reproduce it (from the repository root):</p>
<code class="cmd">{html.escape(command)}</code>
<h2>Summary</h2><p class="note">{note}</p>{main}{detail}{gains}{failures}
<p class="note">{links}</p>
<h2>{comparison}</h2>{figs}
<h2>Archetypes per configuration</h2>{which}{per}
<script>{SORT_AND_CHECK_JS}</script></body></html>
"""
    tmp = os.path.join(folder, ".index.html.tmp")
    with open(tmp, "w") as f:
        f.write(page)
    os.replace(tmp, os.path.join(folder, "index.html"))


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: kaa_plots.py SWEEP_OR_RUN_FOLDER")
    folder = sys.argv[1]
    single = is_run_folder(folder)
    if single:
        plan, rows, analysis = single_run(folder)
    else:
        plan = load_plan(folder)
        rows = read_rows(folder, plan)
        index = {r["id"]: i for i, r in enumerate(plan.get("runs", []))}
        rows.sort(key=lambda r: index[r["id"]])  # plan order (along the axes), not finish order
        analysis = {}
        if os.path.exists(os.path.join(folder, "analysis.json")):
            analysis = load_json(os.path.join(folder, "analysis.json"))
    out = os.path.join(folder, "figures")
    os.makedirs(out, exist_ok=True)
    for old in os.listdir(out):  # figures of an earlier report that may no longer apply
        if old.endswith(".png"):
            os.remove(os.path.join(out, old))
    overview = []
    for made in (metrics_by_group(analysis, rows, out, plan), loss_curves(folder, rows, out),
                 metric_vs_axes(rows, plan.get("axes", []), out), choose_k(analysis, out),
                 time_vs_size(rows, out)):
        if isinstance(made, list):
            overview.extend(made)
        elif made:
            overview.append(made)
    sections = per_configuration(folder, plan, rows, out)
    write_index(folder, plan, rows, analysis, overview, sections, single)
    count = len(overview) + sum(len(s[2]) for s in sections)
    print(f"kaa_plots: {count} figures in {out}")


if __name__ == "__main__":
    main()
