"""archetypax's ArchetypalAnalysis over kaa's C++ core: change the import, keep the code."""

import json
import os

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from . import _core
from .workbench import resolve

try:
    from sklearn.utils.validation import validate_data as _validate_data
except ImportError:  # scikit-learn < 1.6
    def _validate_data(estimator, X, reset=True, **kw):
        return estimator._validate_data(X, reset=reset, **kw)

_BASE_CONFIG = os.path.join(os.path.dirname(__file__), "base.json")


def _rule(nodes, kind):
    return next((n for n in nodes if isinstance(n, dict) and n.get("type") == kind), None)


class ArchetypalAnalysis(TransformerMixin, BaseEstimator):
    """Archetypal analysis, X (n x d) ~ weights (n x k, rows on the simplex) @ archetypes (k x d).

    The constructor, defaults, attributes (``archetypes``, ``weights``, ``loss_history``,
    ``X_mean``, ``X_std``) and methods (``fit``, ``transform``, ``fit_transform``, ``reconstruct``,
    ``get_loss_history``) are archetypax 0.1.2's; the model is kaa's ``configs/base.json``, which
    replays archetypax's fits (float32, Adam with element-wise clipping, kNN hull projection).
    scikit-learn spellings: ``archetypes_``, ``weights_``, ``n_iter_``, ``n_features_in_``,
    ``feature_names_in_``, ``inverse_transform`` and ``score``.

    kaa additions: ``n_jobs`` (threads of the process's Kokkos, see ``kaa.set_num_threads``; None
    leaves them as they are), ``precision`` ("float32"/"float64"; None: the config's), ``n_init``
    (restarts from seeds derived from ``random_seed``, keeping the lowest final loss, as
    scikit-learn's KMeans and the ``archetypes`` package; ``metrics_["restarts"]`` records them),
    ``config`` (another kaa config, dict or path, to fit instead of base.json) and
    ``config_overrides`` ({"/json/pointer": value}). archetypax's ``early_stopping_patience``,
    ``logger_level`` and ``verbose_level`` are accepted and, as in archetypax's base model, unused.
    """

    def __init__(self, n_archetypes, max_iter=500, tol=1e-6, random_seed=42, learning_rate=0.001,
                 normalize=False, n_jobs=None, precision=None, config=None, config_overrides=None,
                 early_stopping_patience=100, logger_level=None, verbose_level=None, n_init=1):
        self.n_archetypes = n_archetypes
        self.max_iter = max_iter
        self.tol = tol
        self.random_seed = random_seed
        self.learning_rate = learning_rate
        self.normalize = normalize
        self.n_jobs = n_jobs
        self.precision = precision
        self.config = config
        self.config_overrides = config_overrides
        self.early_stopping_patience = early_stopping_patience
        self.logger_level = logger_level
        self.verbose_level = verbose_level
        self.n_init = n_init

    # -- the config this estimator fits --------------------------------------------------------
    def _resolved_config(self):
        base = resolve(self.config if self.config is not None else _BASE_CONFIG)
        model = base["model"]
        model["n_archetypes"] = self.n_archetypes
        model["seed"] = self.random_seed
        model["normalize"] = bool(self.normalize)
        model["n_init"] = self.n_init
        if self.precision is not None:
            model["precision"] = self.precision
        stopping = base.get("stopping", [])
        if _rule(stopping, "max_iter") is not None:
            _rule(stopping, "max_iter")["value"] = self.max_iter
        if _rule(stopping, "loss_delta") is not None:
            _rule(stopping, "loss_delta")["tol"] = self.tol
        if "learning_rate" in base.get("optimizer", {}):
            base["optimizer"]["learning_rate"] = self.learning_rate
        return resolve(base, self.config_overrides)

    def _apply_n_jobs(self):
        if self.n_jobs is not None:
            _core.set_num_threads(0 if self.n_jobs < 0 else int(self.n_jobs))

    # -- archetypax's API ----------------------------------------------------------------------
    def fit(self, X, y=None, normalize=False, **kwargs):
        """Fits the model (``y``, ``normalize`` and kwargs are accepted for archetypax's signature
        and ignored: normalisation follows the constructor, as in archetypax)."""
        X = _validate_data(self, X, dtype=[np.float64, np.float32], order="C",
                           ensure_all_finite=False, ensure_min_samples=max(1, self.n_archetypes))
        config = self._resolved_config()
        self._apply_n_jobs()
        raw = _core.fit(json.dumps(config), X, "config")
        metrics = json.loads(raw["metrics"])
        if not raw["ok"]:
            raise _core.KaaError("fit diverged: " + metrics.get("stop_reason", ""))
        self.archetypes_ = raw["archetypes"]
        self.weights_ = raw["weights"]
        self.loss_history_ = [float(v) for v in raw["loss_history"]]
        self.n_iter_ = int(metrics["iterations"])
        self.metrics_ = metrics
        self.config_ = config
        # archetypax computes both whatever normalize says.
        self.X_mean_ = X.mean(axis=0, dtype=np.float64)
        std = X.std(axis=0, dtype=np.float64)
        self.X_std_ = np.where(std < 1e-10, 1.0, std)
        self._transform_archetypes = raw.get("effective_archetypes", raw["archetypes"])
        self._scaling = (raw["mean"].tolist(), raw["std"].tolist()) if "mean" in raw else None
        return self

    def transform(self, X, y=None, **kwargs):
        """Weights (n x k) of the rows of X for the fitted archetypes, by the config's transform
        strategy (base.json: archetypax's projected gradient, 100 steps from uniform weights)."""
        check_is_fitted(self, "archetypes_")
        X = _validate_data(self, X, dtype=[np.float64, np.float32], order="C",
                           ensure_all_finite=False, reset=False)
        mean, std = self._scaling if self._scaling else (None, None)
        self._apply_n_jobs()
        return _core.transform(json.dumps(self.config_), self._transform_archetypes, X, mean, std)

    def fit_transform(self, X, y=None, normalize=False, **kwargs):
        """``fit(X)``, then ``transform(X)``: the weights are solved again, as archetypax does."""
        return self.fit(X, y).transform(X)

    def reconstruct(self, X=None):
        """``weights @ archetypes`` for the training data, or for ``transform(X)``."""
        check_is_fitted(self, "archetypes_")
        weights = self.weights_ if X is None else self.transform(X)
        return weights @ self.archetypes_

    def inverse_transform(self, W):
        """Points of the weights W (n x k): ``W @ archetypes``."""
        check_is_fitted(self, "archetypes_")
        return np.asarray(W, dtype=np.float64) @ self.archetypes_

    def score(self, X, y=None):
        """Minus the mean squared reconstruction error per row of X (higher is better)."""
        X = np.asarray(X, dtype=np.float64)
        residual = X - self.reconstruct(X)
        return -float(np.mean(np.sum(residual * residual, axis=1)))

    def get_loss_history(self):
        check_is_fitted(self, "archetypes_")
        return list(self.loss_history_)

    # archetypax's attribute names, read from the scikit-learn ones.
    archetypes = property(lambda self: self.archetypes_)
    weights = property(lambda self: self.weights_)
    loss_history = property(lambda self: self.loss_history_)
    X_mean = property(lambda self: self.X_mean_)
    X_std = property(lambda self: self.X_std_)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = False
        return tags
