"""Bad inputs raise the right exception with the CLI's text."""

import json
import subprocess

import numpy as np
import pytest

import kaa
from conftest import ROOT, cli_path

BASE = ROOT / "configs" / "base.json"


def data(n=30, d=3):
    return np.arange(n * d, dtype=np.float64).reshape(n, d) % 7


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_non_finite_values_name_row_and_column(bad):
    X = data()
    X[2, 1] = bad
    with pytest.raises(kaa.DataError, match=r"^X: row 3, column 2: NaN or Inf value$"):
        kaa.fit(BASE, X)
    with pytest.raises(ValueError):
        kaa.ArchetypalAnalysis(3).fit(X)


def test_shapes_and_dtypes():
    with pytest.raises(kaa.DataError, match="expected a 2-D array"):
        kaa.fit(BASE, np.zeros(10))
    with pytest.raises(kaa.DataError, match="empty data"):
        kaa.fit(BASE, np.zeros((0, 3)))
    with pytest.raises(kaa.DataError, match="non-numeric"):
        kaa.fit(BASE, np.array([["a", "b"], ["c", "d"]]))
    with pytest.raises(kaa.DataError, match="non-numeric"):
        kaa.fit(BASE, np.array([[1, "x"]], dtype=object))
    with pytest.raises(ValueError):
        kaa.ArchetypalAnalysis(3).fit(np.zeros(10))


def test_more_archetypes_than_rows_is_a_config_error():
    with pytest.raises(kaa.ConfigError, match=r"/model/n_archetypes: 5 archetypes .* only 4 rows"):
        kaa.fit(BASE, data(4))
    assert issubclass(kaa.ConfigError, ValueError)


def test_config_errors_have_the_cli_text():
    overrides = {"/optimizer/learning_rate": "fast", "/model/n_archetypes": 0}
    with pytest.raises(kaa.ConfigError) as python_error:
        kaa.fit(BASE, data(), overrides=overrides)
    args = [cli_path(), "validate", str(BASE)]
    for pointer, value in overrides.items():
        args += ["--set", f"{pointer}={json.dumps(value)}"]
    try:
        cli = subprocess.run(args, capture_output=True, text=True, cwd=ROOT)
    except FileNotFoundError:
        pytest.skip("no kaa program")
    assert cli.returncode == 2
    assert cli.stderr.strip() == "kaa: error: " + str(python_error.value)
    assert "/optimizer/learning_rate" in str(python_error.value)


def test_transform_before_fit_and_wrong_width():
    from sklearn.exceptions import NotFittedError

    with pytest.raises(NotFittedError):
        kaa.ArchetypalAnalysis(3).transform(data())
    model = kaa.ArchetypalAnalysis(3, max_iter=5).fit(data())
    with pytest.raises(ValueError):
        model.transform(data(d=4))
