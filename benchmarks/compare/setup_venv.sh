#!/usr/bin/env bash
# Creates the Python environment of the comparison harness from PyPI with the pins in
# requirements.txt: archetypax 0.1.2 on a CPU jax, SPAMS (spams-bin wheels), py_pcha, archetypes.
#   benchmarks/compare/setup_venv.sh [VENV]      default VENV: ~/.cache/kaa/compare-venv
# Needs python3 >= 3.10 with the venv module (3.11 was used). Prints the venv's python at the end.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
venv="${1:-${KAA_COMPARE_VENV:-$HOME/.cache/kaa/compare-venv}}"
python="${PYTHON:-python3}"

if [ ! -x "$venv/bin/python" ]; then
  "$python" -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet --upgrade pip
"$venv/bin/python" -m pip install --quiet -r "$here/requirements.txt"
# Import every contender once, so a broken wheel shows up here and not in the middle of a run.
"$venv/bin/python" - <<'EOF'
import numpy
numpy.mat = getattr(numpy, "mat", numpy.asmatrix)  # py_pcha 0.1.3 calls np.mat, gone in NumPy 2
import archetypax, archetypes, jax, optax, psutil, py_pcha, spams  # noqa: F401
from importlib.metadata import version
print("ok:", ", ".join(f"{p} {version(p)}" for p in
      ["archetypax", "jax", "optax", "spams-bin", "py-pcha", "archetypes", "numpy"]))
EOF
echo "$venv/bin/python"
