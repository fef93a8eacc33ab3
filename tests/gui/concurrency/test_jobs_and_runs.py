"""One way to run work (issue 10): jobs deliver results or exceptions on the GUI thread and never to a
dead owner; runs stop for good when abandoned; stop_all() joins everything; replacing the network
during a slow batch lets nothing of the old run through."""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest
from PySide6.QtCore import QObject

from nnviz.core import modelio
from nnviz.core.network import Architecture, Network
from nnviz.core.training import BatchDone, Split, TrainConfig, train
from nnviz.gui import concurrency
from nnviz.gui.concurrency import Snapshots, TrainingRunner, submit
from nnviz.gui.inspector.gradcheck_box import GradCheckBox
from nnviz.gui.state import AppState

TIMEOUT = 30_000


def blobs(n: int = 64) -> Split:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(n, 2)).astype(np.float32)
    y = (x[:, 0] > 0).astype(np.int64)
    return Split(x, y, x, y)


def tiny_run(control, epochs: int = 100_000):
    net = Network(Architecture((2, 3, 2)), seed=0)
    return train(net, blobs(), TrainConfig(epochs=epochs, batch_size=16, optimizer="sgd", lr=0.1), control)


def settled(qtbot) -> None:
    qtbot.waitUntil(lambda: concurrency.registry().running() == [], timeout=TIMEOUT)


def test_a_job_delivers_its_result_and_its_exception_on_the_gui_thread(qtbot):
    gui = threading.get_ident()
    seen = []
    with qtbot.waitCallback(timeout=TIMEOUT) as done:
        submit(lambda a, b: (threading.get_ident(), a + b), 2, 3, on_done=done)
    assert done.args[0][0] != gui and done.args[0][1] == 5
    with qtbot.waitCallback(timeout=TIMEOUT) as failed:
        submit(lambda: 1 / 0, on_done=seen.append, on_error=failed)
    assert isinstance(failed.args[0], ZeroDivisionError) and seen == []


def test_an_exception_nobody_handles_still_reaches_the_gui(qtbot):
    with qtbot.waitSignal(concurrency.registry().failed, timeout=TIMEOUT) as failed:
        submit(lambda: [][1], name="broken job")
    assert failed.args[0].startswith("broken job failed: IndexError")


def test_nothing_is_delivered_after_the_owner_is_gone(qtbot):
    gate, got = threading.Event(), []
    owner = QObject()
    job = submit(lambda: gate.wait(5) and "late", owner=owner, on_done=got.append, on_error=got.append)
    owner.deleteLater()
    qtbot.waitUntil(lambda: job.cancelled, timeout=TIMEOUT)
    gate.set()
    assert concurrency.registry().pool.waitForDone(5000)
    qtbot.wait(50)  # a queued delivery would arrive now
    assert got == []


def test_progress_arrives_coalesced_and_cancel_reaches_the_function(qtbot):
    progress, started = [], threading.Event()

    def work(handle):
        started.set()
        i = 0
        while not handle.cancelled:
            handle.report(i)
            i += 1
            time.sleep(0.001)
        return i

    job = submit(work, pass_handle=True, on_progress=progress.append, on_done=progress.append)
    qtbot.waitUntil(lambda: len(progress) > 3, timeout=TIMEOUT)
    job.cancel()
    assert concurrency.registry().pool.waitForDone(5000)
    n = len(progress)
    qtbot.wait(50)
    assert len(progress) == n and progress == sorted(progress)  # newest values only, in order


def test_a_failing_gradient_check_says_why_and_frees_its_button(qtbot, monkeypatch):
    from nnviz.gui.inspector import gradcheck_box

    state = AppState(Network(seed=0))
    state.set_input(np.zeros(784, np.float32), 3)
    box = GradCheckBox(state, lambda: (2, 5, 7), lambda: "cross_entropy")
    qtbot.addWidget(box)

    def broken(*_args):
        raise FloatingPointError("overflow in the check")

    monkeypatch.setattr(gradcheck_box, "run_check", broken)
    assert box.check() and not box.button.isEnabled()
    qtbot.waitUntil(box.button.isEnabled, timeout=TIMEOUT)
    assert "FloatingPointError: overflow in the check" in box.result_label.text()


def test_a_runner_reports_a_failure_and_ends(qtbot):
    def broken(control):
        for i, event in enumerate(tiny_run(control)):
            if i == 3:
                raise ValueError("the data went away")
            yield event

    runner = TrainingRunner(broken, Snapshots(lambda e: e, max_hz=1000), name="broken")
    failed = []
    runner.failed.connect(failed.append)
    with qtbot.waitSignal(runner.finished, timeout=TIMEOUT) as done:
        runner.start()
    assert done.args[0].reason == "failed" and failed == ["ValueError: the data went away"]
    settled(qtbot)


def test_an_abandoned_run_delivers_nothing_more_and_stop_all_joins_a_paused_one(qtbot):
    got = []
    runner = TrainingRunner(tiny_run, Snapshots(lambda e: e, max_hz=1000), name="abandoned")
    runner.report.connect(lambda p: (got.append(p), runner.ack()))
    runner.finished.connect(got.append)
    with qtbot.waitSignal(runner.report, timeout=TIMEOUT):
        runner.start()
    assert runner.discard(5000)
    n = len(got)
    qtbot.wait(50)
    assert len(got) == n and runner.thread.isFinished()
    paused = TrainingRunner(tiny_run, name="paused")
    paused.pause()
    paused.start()
    assert "paused" in concurrency.registry().running()
    assert concurrency.stop_all(10_000)
    assert paused.thread.isFinished() and concurrency.registry().running() == []


# --- replacing the network while a batch is slow --------------------------------------------------
@pytest.fixture
def slow_batches(monkeypatch):
    """After the first batch each batch takes `seconds[0]` seconds (set it to 0 to end it)."""
    from nnviz.gui.training import run

    seconds, real = [0.0], run.train

    def slow(net, data, cfg, control):
        for event in real(net, data, cfg, control):
            yield event
            if isinstance(event, BatchDone):
                time.sleep(seconds[0])

    monkeypatch.setattr(run, "train", slow)
    return seconds


def test_open_during_a_slow_batch_keeps_the_opened_model(qtbot, slow_batches, tmp_path):
    from nnviz.gui import MainWindow
    from tests.gui.helpers import start_and_wait

    rng = np.random.default_rng(0)
    x = rng.random((200, 784), dtype=np.float32)
    y = rng.integers(0, 10, 200)
    win = MainWindow(data=Split(x, y, x[:50], y[:50]), views=False)
    qtbot.addWidget(win)
    win.train_panel.batch_spin.setValue(50)
    win.train_panel.epochs_spin.setValue(50)
    other = Network(Architecture((784, 32, 10)), seed=5)
    modelio.save_model(other, tmp_path / "other.npz", {"note": "other"})
    slow_batches[0] = 1.5
    start_and_wait(qtbot, win)
    assert win.open_model(tmp_path / "other.npz")
    settled(qtbot)
    qtbot.wait(50)
    assert win.state.network.arch == other.arch
    np.testing.assert_array_equal(win.state.network.flat, other.flat)
    assert not win.session.running and not win.state.training


def test_a_discarded_run_that_cannot_be_joined_in_time_stays_unheard(qtbot, slow_batches):
    from nnviz.gui.state import AppState
    from nnviz.gui.training.run import TrainingRun

    ctl = TrainingRun(AppState(Network(Architecture((784, 16, 10)), seed=0), {}))
    rng = np.random.default_rng(0)
    x = rng.random((200, 784), dtype=np.float32)
    y = rng.integers(0, 10, 200)
    got = []
    slow_batches[0] = 1.0
    with qtbot.waitSignal(ctl.batchDone, timeout=TIMEOUT):
        ctl.start(Split(x, y, x, y), TrainConfig(epochs=5, batch_size=20))
    for signal in (ctl.batchDone, ctl.weightsReady, ctl.epochDone, ctl.pausedAt):
        signal.connect(lambda *a: got.append(a))
    with qtbot.waitSignal(ctl.finished, timeout=TIMEOUT) as finished:
        assert not ctl.discard(50)  # still in its slow batch
    assert finished.args[0].reason == "stopped" and not ctl.running
    settled(qtbot)  # the old thread ended on its own, joined by nobody but the registry
    qtbot.wait(50)
    assert got == []
