#!/usr/bin/env bash
# Builds the Python package kaa (python/: scikit-build-core + nanobind over the C++ core, against
# the Kokkos cache of scripts/build_kokkos.sh) into a virtual environment, default .venv at the
# repository root, with its test dependencies. Afterwards: .venv/bin/python -c "import kaa".
# Needs python3 with venv and headers (Debian: python3-venv python3-dev); PyPI for the Python
# packages only. The build folder build-python/ is kept, so a rebuild recompiles what changed.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
venv=${KAA_VENV:-$root/.venv}
python=${PYTHON:-python3}
# The OpenMP Kokkos of setup.sh (KAA_CACHE and all): built if missing, else the cached prefix.
kokkos=${KAA_KOKKOS_PREFIX:-$(KAA_BACKEND=openmp "$root/scripts/build_kokkos.sh" | tail -n 1)}
[ -x "$venv/bin/python" ] || "$python" -m venv "$venv"
"$venv/bin/python" -m pip install -q "scikit-build-core>=0.10" "nanobind>=2.0" numpy scikit-learn \
  pytest pandas
# No build isolation: the venv already holds the build requirements (no second download).
CMAKE_PREFIX_PATH="$kokkos${CMAKE_PREFIX_PATH:+:$CMAKE_PREFIX_PATH}" \
  CMAKE_BUILD_PARALLEL_LEVEL=${CMAKE_BUILD_PARALLEL_LEVEL:-$(nproc)} \
  "$venv/bin/python" -m pip install -q --no-build-isolation "$root/python"
"$venv/bin/python" -c "import kaa; print('build_python: kaa', kaa.__version__, 'in $venv')"
echo "build_python: Python with kaa: $venv/bin/python (or: source $venv/bin/activate)"
