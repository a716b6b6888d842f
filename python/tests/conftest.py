import os
import pathlib

import pytest

import kaa

ROOT = pathlib.Path(__file__).resolve().parents[2]
THREADS = 2


def cli_path():
    """The kaa program the parity tests compare with: $KAA_CLI, else build/kaa of this checkout."""
    return os.environ.get("KAA_CLI") or str(ROOT / "build" / "kaa")


@pytest.fixture(autouse=True, scope="session")
def two_threads():
    # Two threads, as the CLI parity runs use: results are bitwise only at equal thread counts.
    os.environ.setdefault("OMP_PROC_BIND", "false")
    kaa.set_num_threads(THREADS)
    yield
