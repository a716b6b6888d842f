"""The process-wide runtime: Ctrl-C, threads, fork, strategies."""

import os
import signal
import threading
import time

import numpy as np
import pytest

import kaa
from conftest import ROOT

BASE = ROOT / "configs" / "base.json"
# Far more than 10 seconds of work: only an interrupt ends it.
ENDLESS = {"/data/n": 100000, "/data/d": 50, "/model/n_archetypes": 10,
           "/stopping": [{"type": "max_iter", "value": 10000000}]}


def test_sigint_interrupts_a_long_fit():
    sent = []

    def interrupt():
        sent.append(time.monotonic())
        os.kill(os.getpid(), signal.SIGINT)

    timer = threading.Timer(2.0, interrupt)
    timer.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            kaa.fit(BASE, overrides=ENDLESS)
        latency = time.monotonic() - sent[0]
    finally:
        timer.cancel()
    # Generous bound against a loaded machine; the fit itself would run for hours.
    assert latency < 5.0, f"KeyboardInterrupt came {latency:.2f} s after SIGINT"
    # Nothing leaked: the next fit runs normally.
    assert kaa.fit(BASE, overrides={"/data/n": 200, "/stopping/2/value": 5}).ok


def test_fit_in_a_forked_child():
    before = kaa.fit(BASE, overrides={"/data/n": 200, "/stopping/2/value": 20})
    pid = os.fork()
    if pid == 0:  # the child: exit code 0 only if its fit gives the parent's numbers
        try:
            again = kaa.fit(BASE, overrides={"/data/n": 200, "/stopping/2/value": 20})
            os._exit(0 if np.array_equal(again.archetypes, before.archetypes) else 1)
        except BaseException:
            os._exit(2)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            assert os.waitstatus_to_exitcode(status) == 0
            break
        time.sleep(0.1)
    else:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        pytest.fail("the forked child's fit hung")
    # And the parent still fits.
    assert kaa.fit(BASE, overrides={"/data/n": 200, "/stopping/2/value": 20}).ok


def test_strategies_lists_the_registry():
    listed = kaa.strategies()
    names = {(s["kind"], s["name"]) for s in listed}
    assert ("optimizer", "adam") in names and ("dataset", "synthetic") in names
    adam = next(s for s in listed if s["name"] == "adam")
    assert any(p["name"] == "learning_rate" for p in adam["parameters"])
    assert all(s["kind"] == "loss" for s in kaa.strategies("loss"))


def test_workbench_and_result():
    bench = kaa.Workbench(BASE, {"/data/n": 300, "/stopping/2/value": 10})
    result = bench.fit()
    assert result.ok and result.archetypes.shape == (5, 10) and result.weights.shape == (300, 5)
    assert result.config["data"]["n"] == 300
    assert result.metrics["iterations"] <= 10
    assert result.archetypes.flags.owndata or result.archetypes.base is not None
