"""What kaa's archetypax fixture generators share: the pinned version check, the fit settings, the
data recipe, the capture of the state archetypax starts Adam from, and CSV output. Imported by
make_fixtures.py and make_variant_fixtures.py; archetypax is only imported and called."""

import platform
import subprocess
import sys

import numpy as np

import archetypax
import jax
import jaxlib
import optax

EXPECTED_ARCHETYPAX = "0.1.2"
if archetypax.__version__ != EXPECTED_ARCHETYPAX:
    sys.exit(f"need archetypax=={EXPECTED_ARCHETYPAX}, found {archetypax.__version__}")

VERSIONS = {
    "archetypax": archetypax.__version__,
    "jax": jax.__version__,
    "jaxlib": jaxlib.__version__,
    "optax": optax.__version__,
    "numpy": np.__version__,
    "python": platform.python_version(),
}
print("versions:", ", ".join(f"{k}={v}" for k, v in VERSIONS.items()), flush=True)

MAX_ITER = 500
TOL = 1e-6
LEARNING_RATE = 0.001


def dirichlet_mixture(rng, corners, n, alpha, noise):
    k = corners.shape[0]
    w = rng.dirichlet(np.full(k, alpha), size=n)
    return w @ corners + noise * rng.standard_normal((n, corners.shape[1]))


class _JnpClearingCaches:
    """Stands in for archetypax's `jnp` module during a fit.

    archetypax compiles a new executable on every iteration (the iteration index is a static jit
    argument) and each one keeps memory maps alive; a 1000-point fit runs past the kernel's limit
    (vm.max_map_count, 65530) and XLA fails with "Cannot allocate memory". Its host loop calls
    jnp.isnan once per iteration, outside any trace, so the caches are cleared there. Results are
    unchanged: no executable is ever reused.
    """

    def __init__(self, module):
        self._module = module
        self._calls = 0

    def __getattr__(self, name):
        return getattr(self._module, name)

    def isnan(self, x):
        self._calls += 1
        if self._calls % 25 == 0:
            jax.clear_caches()
        return self._module.isnan(x)


class CapturedFit:
    """While active, the archetypax model module `module` builds its optimizer through a wrapper
    of optax.adam whose init() records the params of its first call (the weights after
    project_weights and the initial archetypes, in working space) and counts its calls (each
    further call is archetypax's restore-and-reset rule firing); its jnp clears JAX's caches."""

    def __init__(self, module):
        self._model_module = module
        self.init_calls = 0
        self.init_params = None

    def __enter__(self):
        self._real_adam = self._model_module.optax.adam  # the optax module itself
        self._real_jnp = self._model_module.jnp
        self._model_module.optax.adam = self._recording_adam
        self._model_module.jnp = _JnpClearingCaches(self._real_jnp)
        return self

    def __exit__(self, *exc):
        self._model_module.optax.adam = self._real_adam
        self._model_module.jnp = self._real_jnp
        return False

    def _recording_adam(self, *args, **kwargs):
        tx = self._real_adam(*args, **kwargs)

        def init(params):
            self.init_calls += 1
            if self.init_calls == 1:
                self.init_params = {key: np.asarray(val).copy() for key, val in params.items()}
            return tx.init(params)

        return optax.GradientTransformation(init, tx.update)


def write_csv(path, arr, fmt):
    arr = np.asarray(arr)
    if arr.ndim == 1:
        arr = arr.reshape(-1, 1)
    np.savetxt(path, arr, fmt=fmt, delimiter=",")


def run_each_in_subprocess(script, names):
    """Runs `script name` for every name in its own Python process: every archetypax iteration
    compiles a new executable, and a fresh process is the second safeguard (after
    _JnpClearingCaches) against running out of memory maps."""
    for name in names:
        rc = subprocess.run([sys.executable, script, name]).returncode
        if rc != 0:
            sys.exit(f"case {name} failed with exit code {rc}")
