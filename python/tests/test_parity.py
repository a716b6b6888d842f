"""Python and the CLI give the same numbers: bitwise for configs/, 1e-4 for archetypax's fits."""

import json
import os
import pathlib
import subprocess

import numpy as np
import pytest

import kaa
from conftest import ROOT, THREADS, cli_path

CONFIGS = sorted((ROOT / "configs").glob("*.json"))
REFERENCE = ROOT / "tests" / "reference"
CASES = sorted(p.parent.name for p in REFERENCE.glob("*/meta.json"))
# The built-in data, smaller: the comparison is of code paths, not of the model at scale.
SMALLER = {"/data/n": 400}


@pytest.mark.parametrize("config", CONFIGS, ids=lambda p: p.stem)
def test_fit_matches_the_cli_bitwise(config, tmp_path):
    cli = cli_path()
    if not os.path.exists(cli):
        pytest.skip(f"no kaa program at {cli} (set KAA_CLI)")
    out = tmp_path / "run"
    args = [cli, "fit", str(config), "--out", str(out), "--threads", str(THREADS), "-q"]
    for pointer, value in SMALLER.items():
        args += ["--set", f"{pointer}={json.dumps(value)}"]
    subprocess.run(args, check=True, cwd=ROOT, capture_output=True)
    result = kaa.fit(config, overrides=SMALLER)
    expected = np.loadtxt(out / "archetypes.csv", delimiter=",", skiprows=1, ndmin=2)
    assert result.ok
    np.testing.assert_array_equal(result.archetypes, expected)
    np.testing.assert_array_equal(result.weights, np.load(out / "weights.npy"))
    cli_metrics = json.loads((out / "metrics.json").read_text())
    assert result.metrics["final_loss"] == cli_metrics["final_loss"]
    assert result.config == json.loads((out / "config.json").read_text())


@pytest.mark.parametrize("case", CASES)
def test_archetypax_loss_history_from_the_recorded_start(case):
    folder = REFERENCE / case
    meta = json.loads((folder / "meta.json").read_text())
    X = np.loadtxt(folder / "X.csv", delimiter=",", ndmin=2)
    start = {"type": "from_file", "weights": str(folder / "initial_weights.csv"),
             "archetypes": str(folder / "initial_archetypes.csv")}
    model = kaa.ArchetypalAnalysis(meta["k"], max_iter=meta["max_iter"], tol=meta["tol"],
                                   learning_rate=meta["learning_rate"],
                                   normalize=meta["normalize"],
                                   config_overrides={"/initializers": [start]})
    model.fit(X)
    expected = np.loadtxt(folder / "loss_history.csv", ndmin=1)
    compared = min(50, len(expected))
    # Same tolerance as tests/reference/reference_test.cpp: float32 sums in another order.
    np.testing.assert_allclose(model.loss_history[:compared], expected[:compared], rtol=1e-4)
    assert abs(model.n_iter_ - meta["n_iterations"]) <= 5
