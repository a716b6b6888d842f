#!/usr/bin/env python3
"""Figures and index.html for a kaa sweep folder (called by `kaa report --plots`).

Reads what kaa wrote: sweep.json (the plan), results.jsonl (one row per finished run),
summary.csv and analysis.json (from `kaa report`), and each run folder (loss_history.csv,
archetypes.csv, weights.npy, data.npy when saved). Uses only numpy and matplotlib (Debian's
python3-numpy and python3-matplotlib); every figure is a PNG beside index.html in figures/.
"""
import csv
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


def read_rows(folder):
    """The rows of results.jsonl that belong to the current plan, one per run id."""
    path = os.path.join(folder, "results.jsonl")
    if not os.path.exists(path):
        return []
    planned = {r["id"] for r in load_plan(folder).get("runs", [])}
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


def loss_curves(folder, rows, out):
    """Per configuration: the median loss over seeds and its min..max band. Up to 6
    configurations share one plot; more get one small plot each."""
    groups = {}
    for r in rows:
        if r.get("status") != "ok":
            continue
        p = os.path.join(folder, r["run_dir"], "loss_history.csv")
        if os.path.exists(p):
            curve = read_csv_matrix(p)
            if curve.shape[0] > 0:
                groups.setdefault(r["group"], []).append(curve[:, 1])
    if not groups:
        return None
    stacked = {}
    for g, curves in groups.items():
        length = max(len(c) for c in curves)
        # Runs that stopped early keep their last loss, so the band is over all seeds.
        stacked[g] = np.array([np.pad(c, (0, length - len(c)), mode="edge") for c in curves])
    finite = np.concatenate([m[np.isfinite(m)] for m in stacked.values()])
    scale = "log" if finite.size and finite.min() > 0 else "linear"  # losses may be negative
    names = sorted(stacked)
    # Small plots are titled by what differs: the common start (configuration, data set) is cut.
    common = os.path.commonprefix(names)
    common = common[:common.rfind(" ") + 1] if len(names) > 1 else ""
    if len(names) <= 6:
        fig, ax = plt.subplots(figsize=(8, 5))
        axes = [ax] * len(names)
    else:
        cols = 4
        nrows = int(math.ceil(len(names) / cols))
        fig, grid = plt.subplots(nrows, cols, figsize=(3.2 * cols, 2.4 * nrows), sharex=True,
                                 sharey=True, squeeze=False)
        axes = list(grid.flat)
        for ax in axes[len(names):]:
            ax.set_axis_off()
    for ax, g in zip(axes, names):
        m = stacked[g]
        x = np.arange(m.shape[1])
        line, = ax.plot(x, np.median(m, axis=0), label=f"{g} ({len(m)} seeds)")
        if len(m) > 1:
            ax.fill_between(x, m.min(axis=0), m.max(axis=0), color=line.get_color(), alpha=0.2)
        ax.set_yscale(scale)
        if len(names) > 6:
            ax.set_title(g[len(common):][-70:] or g, fontsize=6)
    if len(names) <= 6:
        axes[0].set_xlabel("update")
        axes[0].set_ylabel("loss (median, band = min..max over seeds)")
        axes[0].legend(fontsize=7)
        axes[0].set_title("Loss per configuration")
    else:
        fig.suptitle("Loss per configuration (median, band = min..max over seeds) against updates",
                     fontsize=9)
    fig.tight_layout()
    fig.savefig(os.path.join(out, "loss_curves.png"), dpi=110)
    plt.close(fig)
    return "loss_curves.png"


HEADLINE = ["rss", "explained_variance", "recovery_error_mean", "seconds"]


def metric_of(metrics, name):
    """A metric by its report name; nested values are joined by '.' (a.b for {"a": {"b": 1}})."""
    value = metrics
    for part in name.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def mean_std(values):
    return float(np.mean(values)), float(np.std(values, ddof=1)) if len(values) > 1 else 0.0


def metric_vs_axes(rows, axes, out):
    """Each headline metric against each numeric swept parameter (mean and std over seeds), one
    line per configuration and combination of the other axes."""
    made = []
    metrics = [m for m in HEADLINE
               if any(metric_of(r.get("metrics", {}), m) is not None for r in rows)]
    for ptr in axes:
        if ptr == K_PTR or not metrics:
            continue
        series = {}
        for r in rows:
            if r.get("status") != "ok" or ptr not in r.get("axes", {}):
                continue
            v = r["axes"][ptr]
            if not isinstance(v, (int, float)) or isinstance(v, bool):
                continue
            others = {k: x for k, x in r["axes"].items() if k != ptr}
            key = r["config"] + "".join(f" {k}={json.dumps(x)}" for k, x in sorted(others.items()))
            series.setdefault(key, []).append((v, r.get("metrics", {})))
        if not series:
            continue
        fig, axs = plt.subplots(1, len(metrics), figsize=(4 * len(metrics), 3.8), squeeze=False)
        for ax, m in zip(axs[0], metrics):
            for key, pts in sorted(series.items()):
                by_x = {}
                for x, met in pts:
                    value = metric_of(met, m)
                    if value is not None:
                        by_x.setdefault(x, []).append(value)
                if not by_x:
                    continue
                xs = sorted(by_x)
                stats = [mean_std(by_x[x]) for x in xs]
                ax.errorbar(xs, [a for a, _ in stats], yerr=[b for _, b in stats], marker="o",
                            capsize=3, label=key[:60])
            ax.set_xlabel(ptr)
            ax.set_title(m)
            if all(x > 0 for pts in series.values() for x, _ in pts):
                ax.set_xscale("log")
        axs[0][0].legend(fontsize=6)
        fig.suptitle("mean and std over seeds", fontsize=9)
        fig.tight_layout()
        name = "metric_vs" + "".join(c if c.isalnum() else "_" for c in ptr) + ".png"
        fig.savefig(os.path.join(out, name), dpi=100)
        plt.close(fig)
        made.append(name)
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
    fig.savefig(os.path.join(out, "choose_k.png"), dpi=110)
    plt.close(fig)
    return "choose_k.png"


def time_vs_size(rows, out):
    """Fit seconds per update against the data size n x d, per configuration (mean over seeds)."""
    pts = {}
    for r in rows:
        m = r.get("metrics", {})
        if r.get("status") == "ok" and "n" in m and m.get("iterations") and "seconds" in m:
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
    fig.savefig(os.path.join(out, "time_vs_size.png"), dpi=110)
    plt.close(fig)
    return "time_vs_size.png"


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

    def of(self, run_id):
        key = self.key(run_id)
        if key not in self.cache:
            self.cache[key] = self._load(run_id, key)
        return self.cache[key]

    def _load(self, run_id, key):
        for r in self.rows:
            if r.get("status") != "ok" or self.key(r["id"]) != key:
                continue
            p = os.path.join(self.folder, r.get("run_dir", ""), "data.npy")
            if os.path.exists(p):
                return read_npy(p)
        node = self.node.get(run_id) or {}
        path = node.get("path") if isinstance(node, dict) else None
        if path and os.path.exists(path):
            try:
                return read_matrix(path)
            except (ValueError, KeyError, OSError) as e:
                print(f"kaa_plots: cannot read {path} for the scatter plot: {e}", file=sys.stderr)
        return None


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


def scatter_and_ternary(folder, plan, rows, out, limit=24):
    """Per configuration (its first ok run): the data with the archetypes and their hull, a
    ternary plot of the weights when k = 3, and archetype images for square image data."""
    made = []
    seen = set()
    data = Data(folder, plan, rows)
    rng = np.random.default_rng(0)
    for r in rows:
        if r.get("status") != "ok" or r["group"] in seen or len(seen) >= limit:
            continue
        seen.add(r["group"])
        run = os.path.join(folder, r["run_dir"])
        zpath = os.path.join(run, "archetypes.csv")
        if not os.path.exists(zpath):
            continue
        Z = read_csv_matrix(zpath)
        safe = safe_name(r["group"])
        X = data.of(r["id"])
        if X is not None and X.shape[1] == Z.shape[1] and X.shape[1] >= 2:
            if X.shape[1] > 2:
                mean, basis = pca_basis(X, rng)
                label = "PC"
            else:
                mean, basis, label = np.zeros(2), np.eye(2), "x"
            shown = X if len(X) <= 5000 else X[rng.choice(len(X), 5000, replace=False)]
            P = (shown - mean) @ basis
            Q = (Z - mean) @ basis
            fig, ax = plt.subplots(figsize=(5.5, 5))
            ax.scatter(P[:, 0], P[:, 1], s=4, alpha=0.3, color="gray",
                       label="data" + (f" (5000 of {len(X)})" if len(X) > 5000 else ""))
            if len(Q) >= 3:
                h = convex_hull_2d(Q)
                ax.fill(h[:, 0], h[:, 1], alpha=0.15, color="tab:red", label="hull of archetypes")
            ax.scatter(Q[:, 0], Q[:, 1], s=80, color="tab:red", marker="*", label="archetypes")
            tpath = os.path.join(run, "true_archetypes.csv")
            if os.path.exists(tpath):
                T = (read_csv_matrix(tpath) - mean) @ basis
                ax.scatter(T[:, 0], T[:, 1], s=50, facecolors="none", edgecolors="tab:blue",
                           linewidths=1.5, label="true archetypes")
            ax.set_xlabel(label + "1")
            ax.set_ylabel(label + "2")
            ax.legend(fontsize=7)
            ax.set_title(r["group"][:70] + (" (first two principal components)"
                                            if label == "PC" else ""), fontsize=8)
            fig.tight_layout()
            name = f"scatter_{safe}.png"
            fig.savefig(os.path.join(out, name), dpi=100)
            plt.close(fig)
            made.append(name)
        wpath = os.path.join(run, "weights.npy")
        if Z.shape[0] == 3 and os.path.exists(wpath):
            W = read_npy(wpath)
            corners = np.array([[0.0, 0.0], [1.0, 0.0], [0.5, math.sqrt(3) / 2]])
            T = W @ corners
            fig, ax = plt.subplots(figsize=(5, 4.6))
            ax.plot(*np.vstack([corners, corners[:1]]).T, color="black")
            ax.scatter(T[:, 0], T[:, 1], s=4, alpha=0.4)
            for i, c in enumerate(corners):
                ax.annotate(f"A{i}", c, textcoords="offset points", xytext=(-8, 4))
            ax.set_axis_off()
            ax.set_title("weights (ternary), " + r["group"][:50], fontsize=8)
            fig.tight_layout()
            name = f"ternary_{safe}.png"
            fig.savefig(os.path.join(out, name), dpi=100)
            plt.close(fig)
            made.append(name)
        side = int(round(math.sqrt(Z.shape[1])))
        if side >= 8 and side * side == Z.shape[1]:
            made.extend(image_grid(Z, side, run, r, plan, safe, out))
    return made


def metrics_by_group(folder, out):
    """Mean and std over seeds of the headline metrics, one bar per configuration."""
    path = os.path.join(folder, "summary.csv")
    if not os.path.exists(path):
        return None
    with open(path) as f:
        table = list(csv.DictReader(f))
    if len(table) < 2:
        return None
    wanted = ["rss", "explained_variance", "recovery_error_mean", "hull_distance_max",
              "stability_distance", "seconds"]
    metrics = [m for m in wanted if any(row.get(m + "_mean") for row in table)]
    if not metrics:
        return None
    fig, axs = plt.subplots(1, len(metrics), figsize=(3.2 * len(metrics), 0.35 * len(table) + 1.8),
                            squeeze=False)
    names = [row["group"][:40] for row in table]
    y = np.arange(len(table))
    for ax, m in zip(axs[0], metrics):
        mean = [float(row[m + "_mean"]) if row.get(m + "_mean") else np.nan for row in table]
        std = [float(row[m + "_std"]) if row.get(m + "_std") else 0.0 for row in table]
        ax.barh(y, mean, xerr=std, color="tab:blue", alpha=0.7, capsize=3)
        ax.set_yticks(y)
        ax.set_yticklabels(names if ax is axs[0][0] else [], fontsize=7)
        ax.invert_yaxis()
        ax.set_title(m, fontsize=9)
    fig.suptitle("per configuration: mean and std over seeds", fontsize=9)
    fig.tight_layout()
    fig.savefig(os.path.join(out, "metrics_by_configuration.png"), dpi=100)
    plt.close(fig)
    return "metrics_by_configuration.png"


def image_grid(Z, side, run, row, plan, safe, out):
    made = []
    k = Z.shape[0]
    cols = min(k, 5)
    rows_n = int(math.ceil(k / cols))
    fig, axs = plt.subplots(rows_n, cols, figsize=(2 * cols, 2 * rows_n), squeeze=False)
    for i, ax in enumerate(axs.flat):
        ax.set_axis_off()
        if i < k:
            ax.imshow(Z[i].reshape(side, side), cmap="gray_r")
            ax.set_title(f"A{i}", fontsize=8)
    fig.suptitle("archetypes, " + row["group"][:60], fontsize=9)
    fig.tight_layout()
    name = f"images_{safe}.png"
    fig.savefig(os.path.join(out, name), dpi=100)
    plt.close(fig)
    made.append(name)
    labels_path = plan.get("labels", {}).get(row.get("dataset", ""))
    wpath = os.path.join(run, "weights.npy")
    if labels_path and os.path.exists(wpath):
        labels = read_labels(labels_path)
        W = read_npy(wpath)
        if len(labels) == W.shape[0]:
            classes = np.unique(labels)
            mass = np.array([[W[labels == c, j].sum() for c in classes] for j in range(k)])
            share = mass / mass.sum(axis=1, keepdims=True)
            fig, ax = plt.subplots(figsize=(7, 0.5 * k + 1.5))
            left = np.zeros(k)
            for ci, c in enumerate(classes):
                ax.barh(range(k), share[:, ci], left=left, label=str(c))
                left += share[:, ci]
            ax.set_yticks(range(k))
            ax.set_yticklabels([f"A{j}" for j in range(k)])
            ax.set_xlabel("share of the archetype's weight mass per class")
            ax.set_xlim(0, 1)
            ax.set_title("how each archetype's weight mass splits over the classes, "
                         + row["group"][:40], fontsize=8)
            ax.legend(title="class", fontsize=7, loc="center left", bbox_to_anchor=(1.01, 0.5))
            fig.tight_layout()
            name = f"class_mass_{safe}.png"
            fig.savefig(os.path.join(out, name), dpi=100)
            plt.close(fig)
            made.append(name)
    return made


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


def load_plan(folder):
    with open(os.path.join(folder, "sweep.json")) as f:
        return json.load(f)


def write_index(folder, figures, analysis):
    table = ""
    path = os.path.join(folder, "summary.csv")
    if os.path.exists(path):
        with open(path) as f:
            rows = list(csv.reader(f))
        if rows:
            head = "".join(f"<th>{html.escape(c)}</th>" for c in rows[0])
            body = "".join(
                "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in r) + "</tr>" for r in rows[1:])
            table = f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    gains = ""
    for it in analysis.get("information_gain", []):
        if "elbow_k" in it:
            gains += (f"<p>Information gain over k, {html.escape(it['family'])}: elbow at "
                      f"k = {it['elbow_k']} (archetypax's rule: k = {it['elbow_k_archetypax']})</p>")
    imgs = "".join(
        f'<figure><img src="figures/{html.escape(f)}"><figcaption>{html.escape(f)}</figcaption></figure>'
        for f in figures)
    name = html.escape(load_plan(folder).get("name", "sweep"))
    page = f"""<!doctype html><html><head><meta charset="utf-8"><title>kaa sweep {name}</title>
<style>body{{font-family:sans-serif;margin:2em}}table{{border-collapse:collapse;font-size:12px}}
td,th{{border:1px solid #ccc;padding:3px 6px;text-align:right}}figure{{display:inline-block;margin:1em}}
img{{max-width:640px}}</style></head><body><h1>kaa sweep: {name}</h1>
<h2>Summary</h2><p>Per configuration: mean and sample standard deviation over seeds
(<a href="summary.csv">summary.csv</a>, <a href="analysis.json">analysis.json</a>,
<a href="results.jsonl">results.jsonl</a>).</p>{table}{gains}<h2>Figures</h2>{imgs}</body></html>
"""
    tmp = os.path.join(folder, ".index.html.tmp")
    with open(tmp, "w") as f:
        f.write(page)
    os.replace(tmp, os.path.join(folder, "index.html"))


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: kaa_plots.py SWEEP_FOLDER")
    folder = sys.argv[1]
    plan = load_plan(folder)
    rows = read_rows(folder)
    analysis = {}
    if os.path.exists(os.path.join(folder, "analysis.json")):
        with open(os.path.join(folder, "analysis.json")) as f:
            analysis = json.load(f)
    out = os.path.join(folder, "figures")
    os.makedirs(out, exist_ok=True)
    for old in os.listdir(out):  # figures of an earlier report that may no longer apply
        if old.endswith(".png"):
            os.remove(os.path.join(out, old))
    figures = []
    for made in (metrics_by_group(folder, out), loss_curves(folder, rows, out),
                 metric_vs_axes(rows, plan.get("axes", []), out), choose_k(analysis, out),
                 time_vs_size(rows, out), scatter_and_ternary(folder, plan, rows, out)):
        if isinstance(made, list):
            figures.extend(made)
        elif made:
            figures.append(made)
    write_index(folder, figures, analysis)
    print(f"kaa_plots: {len(figures)} figures in {out}")


if __name__ == "__main__":
    main()
