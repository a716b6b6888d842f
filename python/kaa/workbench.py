"""Config-driven fits: any kaa JSON config, in-process."""

import json
import os
import shutil
import subprocess

from . import _core
from ._data import as_matrix


class Result:
    """One fit: ``archetypes`` (k x d), ``weights`` (n x k), ``loss_history`` (numpy arrays, in
    the data's original units), ``metrics`` and the resolved ``config`` (dicts), ``ok`` (False when
    the fit diverged), and any optional blocks (``mixing``, ...) in ``blocks``."""

    def __init__(self, raw):
        self.ok = raw["ok"]
        self.best_before_divergence = raw["best_before_divergence"]
        self.config = json.loads(raw["config"])
        self.metrics = json.loads(raw["metrics"])
        self.loss_history = raw["loss_history"]
        self.archetypes = raw["archetypes"]
        self.weights = raw["weights"]
        self.blocks = raw["blocks"]
        for key in ("effective_archetypes", "column_archetypes", "biarchetypes",
                    "true_archetypes", "mean", "std"):
            setattr(self, key, raw.get(key))

    def __repr__(self):
        k, d = self.archetypes.shape if self.archetypes.size else (0, 0)
        return (f"<kaa.Result {self.config.get('name', '')}: {'ok' if self.ok else 'diverged'}, "
                f"k={k}, d={d}, {self.metrics.get('iterations')} updates>")


def _override_list(overrides):
    return [f"{pointer}={json.dumps(value)}" for pointer, value in (overrides or {}).items()]


def resolve(config, overrides=None):
    """The resolved config (every default filled) of ``config`` (a dict, or the path of a JSON
    file) with ``{"/json/pointer": value}`` overrides; ConfigError names every problem."""
    if isinstance(config, (str, os.PathLike)):
        return json.loads(_core.load_config(os.fspath(config), _override_list(overrides)))
    if not isinstance(config, dict):
        raise TypeError("config: expected a dict or the path of a JSON file")
    return json.loads(_core.resolve(json.dumps(config), _override_list(overrides), "config"))


def fit(config, X=None, overrides=None):
    """Fits ``config`` (dict or path, plus ``{"/json/pointer": value}`` overrides) on ``X`` (n x d,
    rows = points), or on the data its ``data`` section names when ``X`` is None.

    The GIL is released during the fit; Ctrl-C stops it with KeyboardInterrupt."""
    source = os.fspath(config) if isinstance(config, (str, os.PathLike)) else "config"
    resolved = resolve(config, overrides)
    matrix = None if X is None else as_matrix(X)
    return Result(_core.fit(json.dumps(resolved), matrix, source))


class Workbench:
    """A config (dict or path) and overrides, fitted on as many data sets as you like."""

    def __init__(self, config, overrides=None):
        self.config = resolve(config, overrides)

    def fit(self, X=None, overrides=None):
        return fit(self.config, X, overrides)


def strategies(kind=None):
    """Every registered strategy (kind, name, summary, parameters with type, default, range)."""
    listed = json.loads(_core.strategies())
    return [s for s in listed if kind is None or s["kind"] == kind]


def sweep(experiment, *args, cli=None):
    """Runs ``kaa sweep EXPERIMENT ARGS...`` with the command-line program (``cli``, else $KAA_CLI,
    else ``kaa`` on PATH) and returns its exit code."""
    cli = cli or os.environ.get("KAA_CLI") or shutil.which("kaa")
    if cli is None:
        raise FileNotFoundError("kaa sweep needs the kaa program: pass cli= or set KAA_CLI")
    return subprocess.call([cli, "sweep", os.fspath(experiment), *map(str, args)])
