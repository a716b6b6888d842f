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

import numpy as np

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

K_PTR = "/model/n_archetypes"


def read_rows(folder):
    rows = []
    with open(os.path.join(folder, "results.jsonl")) as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError:
                break  # a torn last line of a running sweep
    return rows


def read_npy(path):
    return np.load(path, allow_pickle=False)


def read_csv_matrix(path):
    return np.loadtxt(path, delimiter=",", skiprows=1, ndmin=2)


def loss_curves(folder, rows, out):
    groups = {}
    for r in rows:
        if r.get("status") != "ok":
            continue
        p = os.path.join(folder, r["run_dir"], "loss_history.csv")
        if os.path.exists(p):
            groups.setdefault(r["group"], []).append(read_csv_matrix(p)[:, 1])
    if not groups:
        return None
    fig, ax = plt.subplots(figsize=(8, 5))
    for g, curves in sorted(groups.items()):
        length = max(len(c) for c in curves)
        # Runs that stopped early keep their last loss, so the band is over all seeds.
        m = np.array([np.pad(c, (0, length - len(c)), mode="edge") for c in curves])
        med = np.median(m, axis=0)
        x = np.arange(length)
        line, = ax.plot(x, med, label=f"{g} ({len(curves)} seeds)")
        if len(curves) > 1:
            ax.fill_between(x, m.min(axis=0), m.max(axis=0), color=line.get_color(), alpha=0.2)
    ax.set_xlabel("update")
    ax.set_ylabel("loss (median, band = min..max over seeds)")
    ax.set_yscale("log")
    ax.legend(fontsize=7)
    ax.set_title("Loss per configuration")
    fig.tight_layout()
    fig.savefig(os.path.join(out, "loss_curves.png"), dpi=110)
    plt.close(fig)
    return "loss_curves.png"


def metric_vs_axes(rows, axes, out):
    made = []
    metrics = ["rss", "explained_variance", "iterations", "seconds"]
    for ptr in axes:
        if ptr == K_PTR:
            continue
        series = {}
        for r in rows:
            if r.get("status") != "ok" or ptr not in r.get("axes", {}):
                continue
            v = r["axes"][ptr]
            if not isinstance(v, (int, float)):
                continue
            others = {k: x for k, x in r["axes"].items() if k != ptr}
            key = r["config"] + (" " + json.dumps(others) if others else "")
            series.setdefault(key, []).append((v, r.get("metrics", {})))
        if not series:
            continue
        fig, axs = plt.subplots(1, len(metrics), figsize=(4 * len(metrics), 3.6))
        for ax, m in zip(axs, metrics):
            for key, pts in sorted(series.items()):
                by_x = {}
                for x, met in pts:
                    if isinstance(met.get(m), (int, float)):
                        by_x.setdefault(x, []).append(met[m])
                if not by_x:
                    continue
                xs = sorted(by_x)
                mean = [np.mean(by_x[x]) for x in xs]
                std = [np.std(by_x[x]) for x in xs]
                ax.errorbar(xs, mean, yerr=std, marker="o", capsize=3, label=key)
            ax.set_xlabel(ptr)
            ax.set_title(m)
            if all(x > 0 for pts in series.values() for x, _ in pts):
                ax.set_xscale("log")
        axs[0].legend(fontsize=6)
        fig.tight_layout()
        name = "metric_vs" + ptr.replace("/", "_") + ".png"
        fig.savefig(os.path.join(out, name), dpi=100)
        plt.close(fig)
        made.append(name)
    return made


def choose_k(analysis, out):
    items = [i for i in analysis.get("information_gain", []) if len(i.get("k", [])) >= 2]
    if not items:
        return None
    fig, (a1, a2) = plt.subplots(1, 2, figsize=(10, 4))
    for it in items:
        ks, rss, gain = it["k"], it["rss"], it["gain"]
        a1.plot(ks, rss, marker="o", label=it["family"])
        a2.plot(ks, gain, marker="o", label=it["family"])
        if "elbow_k" in it:
            e = it["elbow_k"]
            a1.axvline(e, color="red", linestyle="--")
            a2.axvline(e, color="red", linestyle="--")
            a2.annotate(f"elbow k={e}", (e, max(gain)), color="red")
    a1.set_xlabel("k")
    a1.set_ylabel("RSS (mean over seeds)")
    a2.set_xlabel("k")
    a2.set_ylabel("information gain (err_prev - err_k) / err_prev")
    a1.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(os.path.join(out, "choose_k.png"), dpi=110)
    plt.close(fig)
    return "choose_k.png"


def time_vs_size(rows, out):
    pts = {}
    for r in rows:
        m = r.get("metrics", {})
        if r.get("status") == "ok" and "n" in m and "seconds" in m:
            pts.setdefault(r["config"], []).append((m["n"] * m.get("d", 1), m["seconds"]))
    if not pts or all(len({x for x, _ in p}) < 2 for p in pts.values()):
        return None
    fig, ax = plt.subplots(figsize=(6, 4))
    for cfg, p in sorted(pts.items()):
        p.sort()
        ax.plot([x for x, _ in p], [y for _, y in p], marker="o", label=cfg)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("data size n x d")
    ax.set_ylabel("fit seconds")
    ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(os.path.join(out, "time_vs_size.png"), dpi=110)
    plt.close(fig)
    return "time_vs_size.png"


def find_data(folder, rows, dataset_key):
    for r in rows:
        key = (r.get("dataset"), r.get("metrics", {}).get("data"))
        if key == dataset_key:
            p = os.path.join(folder, r["run_dir"], "data.npy")
            if os.path.exists(p):
                return read_npy(p)
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


def scatter_and_ternary(folder, rows, out):
    made = []
    seen = set()
    for r in rows:
        if r.get("status") != "ok" or r["group"] in seen:
            continue
        seen.add(r["group"])
        run = os.path.join(folder, r["run_dir"])
        X = find_data(folder, rows, (r.get("dataset"), r.get("metrics", {}).get("data")))
        Z = read_csv_matrix(os.path.join(run, "archetypes.csv"))
        safe = "".join(c if c.isalnum() else "_" for c in r["group"])[:80]
        if X is not None and X.shape[1] == Z.shape[1]:
            mean = X.mean(axis=0)
            if X.shape[1] > 2:
                # First two principal components of the data; archetypes in the same basis.
                _, _, vt = np.linalg.svd(X - mean, full_matrices=False)
                basis = vt[:2].T
                label = "PC"
            else:
                basis = np.eye(X.shape[1])[:, :2] if X.shape[1] == 2 else np.eye(1)
                label = "x"
            if basis.shape[1] == 2:
                P = (X - mean) @ basis
                Q = (Z - mean) @ basis
                fig, ax = plt.subplots(figsize=(5.5, 5))
                ax.scatter(P[:, 0], P[:, 1], s=4, alpha=0.3, color="gray", label="data")
                if len(Q) >= 3:
                    h = convex_hull_2d(Q)
                    ax.fill(h[:, 0], h[:, 1], alpha=0.15, color="tab:red")
                ax.scatter(Q[:, 0], Q[:, 1], s=60, color="tab:red", marker="*", label="archetypes")
                ax.set_xlabel(label + "1")
                ax.set_ylabel(label + "2")
                ax.legend(fontsize=7)
                ax.set_title(r["group"][:70], fontsize=8)
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
            made.extend(image_grid(Z, side, run, r, folder, safe, out))
    return made


def image_grid(Z, side, run, row, folder, safe, out):
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
    labels_path = load_plan(folder).get("labels", {}).get(row.get("dataset", ""))
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
            ax.legend(ncol=min(len(classes), 10), fontsize=7, loc="upper center",
                      bbox_to_anchor=(0.5, -0.25))
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
    return np.loadtxt(path, delimiter=",", ndmin=1, dtype=float).astype(int).ravel()


def load_plan(folder):
    with open(os.path.join(folder, "sweep.json")) as f:
        return json.load(f)


def write_index(folder, figures):
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
    imgs = "".join(
        f'<figure><img src="figures/{html.escape(f)}"><figcaption>{html.escape(f)}</figcaption></figure>'
        for f in figures)
    name = html.escape(load_plan(folder).get("name", "sweep"))
    page = f"""<!doctype html><html><head><meta charset="utf-8"><title>kaa sweep {name}</title>
<style>body{{font-family:sans-serif;margin:2em}}table{{border-collapse:collapse;font-size:12px}}
td,th{{border:1px solid #ccc;padding:3px 6px;text-align:right}}figure{{display:inline-block;margin:1em}}
img{{max-width:640px}}</style></head><body><h1>kaa sweep: {name}</h1>
<h2>Summary (mean and std over seeds)</h2>{table}<h2>Figures</h2>{imgs}</body></html>
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
    figures = []
    for made in (loss_curves(folder, rows, out), metric_vs_axes(rows, plan.get("axes", []), out),
                 choose_k(analysis, out), time_vs_size(rows, out),
                 scatter_and_ternary(folder, rows, out)):
        if isinstance(made, list):
            figures.extend(made)
        elif made:
            figures.append(made)
    write_index(folder, figures)
    print(f"kaa_plots: {len(figures)} figures in {out}")


if __name__ == "__main__":
    main()
