"""kaa: Kokkos Archetypal Analysis from Python.

``kaa.ArchetypalAnalysis`` is a scikit-learn estimator with archetypax's constructor, defaults,
attributes and methods; ``kaa.fit(config, X)`` runs any kaa JSON config in-process. Both go through
the C++ core's embedding API, the same code path as ``kaa fit`` on the command line.

Kokkos is started once per process on first use, with ``set_num_threads(n)`` threads (0, the
default, means all cores or ``OMP_NUM_THREADS``), and stopped at exit and before ``os.fork()``.
"""

import atexit as _atexit
import os as _os

from . import _core
from ._core import ConfigError, DataError, KaaError, get_num_threads, set_num_threads
from .estimator import ArchetypalAnalysis
from .workbench import Result, Workbench, fit, strategies, sweep

__version__ = _core.__version__

__all__ = [
    "ArchetypalAnalysis",
    "ConfigError",
    "DataError",
    "KaaError",
    "Result",
    "Workbench",
    "fit",
    "get_num_threads",
    "set_num_threads",
    "strategies",
    "sweep",
]

_atexit.register(_core.shutdown)
# libgomp's thread pool does not survive fork(): stop Kokkos first; parent and child each start it
# again on their next fit.
_os.register_at_fork(before=_core.before_fork)
