#!/usr/bin/env python3
"""Regenerates the table in docs/SOLVERS.md: every config in configs/ on the built-in synthetic set
with known archetypes (experiments/compare_strategies.json, 5 seeds), one row per config.

    scripts/solvers_table.py [--kaa build/kaa] [--out FOLDER]

The sweep runs in FOLDER (default: a temporary folder, removed afterwards); the table is taken from
its summary.csv (mean and sample std over seeds) and written between the markers in docs/SOLVERS.md,
with the command, the commit and the machine. Standard library only.
"""

import argparse
import csv
import os
import platform
import shutil
import subprocess
import sys
import tempfile
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "SOLVERS.md"
BEGIN, END = "<!-- BEGIN solvers_table -->\n", "<!-- END solvers_table -->"

# (summary.csv column stem, table heading, format)
COLUMNS = [
    ("rss", "final RSS", "{:.4g}"),
    ("explained_variance", "explained variance", "{:.4f}"),
    ("iterations", "iterations", "{:.0f}"),
    ("seconds", "fit seconds", "{:.3f}"),
    ("recovery_error_mean", "recovery error (mean)", "{:.4f}"),
    ("recovery_error_max", "recovery error (max)", "{:.4f}"),
]


def cell(row, stem, fmt):
    mean, std = row.get(stem + "_mean", ""), row.get(stem + "_std", "")
    if mean in ("", "nan", "null"):
        return "–"
    text = fmt.format(float(mean))
    if std not in ("", "nan", "null") and float(std) != 0.0:
        text += " ± " + "{:.2g}".format(float(std))
    return text


def cpu_name():
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kaa", default=str(ROOT / "build" / "kaa"), help="kaa binary")
    parser.add_argument("--out", help="sweep folder to keep (default: temporary)")
    args = parser.parse_args()
    kaa = Path(args.kaa)
    if not kaa.is_file():
        sys.exit(f"solvers_table: {kaa}: no such binary (build first: ./setup.sh --build-only)")

    keep = args.out is not None
    out = Path(args.out) if keep else Path(tempfile.mkdtemp(prefix="kaa_solvers_"))
    try:
        subprocess.run([str(kaa), "sweep", "experiments/compare_strategies.json", "--out",
                        str(out), "-q"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        with open(out / "summary.csv", newline="") as f:
            rows = list(csv.DictReader(f))
    except subprocess.CalledProcessError as e:
        sys.exit(f"solvers_table: the sweep failed (exit {e.returncode})")
    finally:
        if not keep:
            shutil.rmtree(out, ignore_errors=True)

    version = subprocess.run([str(kaa), "--version"], capture_output=True, text=True).stdout.strip()
    lines = [
        "```sh\nscripts/solvers_table.py\n```\n",
        f"Generated {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC by `{version}` on "
        f"{cpu_name()} ({os.cpu_count()} cores), load average "
        f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}. Data: built-in synthetic set, n = 1000,"
        " d = 10, 5 true archetypes, noise 0.05 (`experiments/compare_strategies.json`); each"
        " config with its own k and stopping rules, seeds 0-4; mean ± sample std over seeds"
        " (± omitted when 0).\n",
        "| config | runs ok | " + " | ".join(h for _, h, _ in COLUMNS) + " |",
        "|---|---|" + "---|" * len(COLUMNS),
    ]
    for row in sorted(rows, key=lambda r: r["config"]):
        failed = int(float(row.get("runs_failed") or 0))
        ok = f"{int(float(row['runs_ok']))}" + (f" ({failed} failed)" if failed else "")
        lines.append(f"| `{row['config']}` | {ok} | " +
                     " | ".join(cell(row, s, f) for s, _, f in COLUMNS) + " |")
    table = "\n".join(lines) + "\n"

    text = DOC.read_text()
    b, e = text.find(BEGIN), text.find(END)
    if b < 0 or e < b:
        sys.exit(f"solvers_table: {DOC}: markers {BEGIN.strip()} ... {END} not found")
    tmp = DOC.with_suffix(".md.tmp")
    tmp.write_text(text[: b + len(BEGIN)] + table + text[e:])
    tmp.replace(DOC)
    print(f"solvers_table: {len(rows)} configs written to {DOC}")


if __name__ == "__main__":
    main()
