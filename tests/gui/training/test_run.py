"""The window's training run on its own (no window): copies, pause/step, divergence, joins, the state it keeps."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QObject, Signal

from nnviz.core.network import Network
from nnviz.core.training import Split, TrainConfig
from nnviz.gui.concurrency import limit_blas_threads
from nnviz.gui.state import AppState, RunStatus
from nnviz.gui.training.run import TrainingRun
from tests.helpers import mnist, mnist_path  # noqa: F401 (fixtures)

TIMEOUT = 30_000  # ms; the machine is shared, so generous


@pytest.fixture(scope="module")
def small(mnist):  # noqa: F811
    """3,000 training and 1,000 test images of the real MNIST."""
    return Split(mnist.x_train[:3000], mnist.y_train[:3000], mnist.x_test[:1000], mnist.y_test[:1000])


def on(net: Network) -> TrainingRun:
    """A run of a fresh AppState holding net."""
    run = TrainingRun(AppState(net, {}))
    runs.append(run)
    return run


runs: list[TrainingRun] = []


@pytest.fixture(autouse=True)
def joined(qtbot):
    yield
    while runs:
        assert runs.pop().shutdown(5000)


def test_the_run_trains_its_own_copy_and_the_state_takes_read_only_weights(qtbot, small):
    net = Network(seed=1)
    buffer, before = net.flat, net.flat.copy()
    run = on(net)
    batches, weights, statuses = [], [], []
    run.batchDone.connect(lambda event, avg: batches.append((event, avg)))
    run.weightsReady.connect(weights.append)
    run.state.runChanged.connect(statuses.append)
    with qtbot.waitSignal(run.finished, timeout=TIMEOUT) as done:
        run.start(small, TrainConfig(epochs=2, batch_size=100, lr=1e-3))
    assert done.args[0].reason == "completed"
    np.testing.assert_array_equal(buffer, before)  # the GUI's weights are never written in the worker
    assert weights and all(not w.flags.writeable for w in weights)
    np.testing.assert_array_equal(run.state.network.flat, weights[-1])  # the state holds the final weights
    assert not np.array_equal(weights[-1], before)
    assert batches[-1][0].samples == 2 * 3000  # the last batch always arrives
    assert np.isfinite(batches[-1][1]) and batches[-1][1] < batches[0][1]  # running average loss falls
    assert statuses == [RunStatus.RUNNING, RunStatus.FINISHED] and run.thread is None
    assert run.state.card["trained_in_app"] and 0.5 < run.state.card["test_accuracy"] <= 1  # the epoch's test


def test_pause_then_step_runs_exactly_one_minibatch(qtbot, small):
    run = on(Network(seed=0))
    with qtbot.waitSignal(run.pausedAt, timeout=TIMEOUT):
        run.start(small, TrainConfig(epochs=5, batch_size=64), paused=True)
    assert run.state.run == RunStatus.PAUSED
    samples = []
    for _ in range(3):
        with qtbot.waitSignal(run.pausedAt, timeout=TIMEOUT) as paused:
            run.step(1)
        samples.append(paused.args[0].samples)
    assert samples == [64, 128, 192]
    with qtbot.waitSignal(run.finished, timeout=TIMEOUT) as done:
        run.stop()
    assert done.args[0].reason == "stopped" and done.args[0].samples == 192


def test_divergence_restores_the_weights_of_the_last_reported_loss(qtbot, small):
    net = Network(seed=0)
    initial = net.flat.copy()
    run = on(net)
    shown = []  # the weights the worker sends after each single step, then the restored ones
    run.weightsReady.connect(lambda w: shown.append(np.array(w)))
    with qtbot.waitSignal(run.pausedAt, timeout=TIMEOUT):
        run.start(small, TrainConfig(epochs=1, batch_size=64, optimizer="adam", lr=1000.0), paused=True)
    events = []  # "paused" after each good step; the Finished event at the end
    run.pausedAt.connect(lambda _e: events.append("paused"))
    run.finished.connect(events.append)
    for _ in range(40):
        n = len(events)
        run.step(1)
        qtbot.waitUntil(lambda n=n: len(events) > n, timeout=TIMEOUT)
        if events[-1] != "paused":
            break
    finished = [e for e in events if e != "paused"]
    assert len(finished) == 1 and events.count("paused") >= 1
    assert finished[0].reason == "diverged"
    assert "smaller learning rate" in finished[0].message
    final = shown[-1]
    assert np.isfinite(final).all()
    # The last reported loss was measured on the weights from before its step.
    history = [initial] + shown[:-1]
    np.testing.assert_array_equal(final, history[-2] if len(history) > 1 else history[-1])


def test_stop_before_the_run_begins_still_ends_cleanly(qtbot, small):
    run = on(Network(seed=0))
    finished = []
    run.finished.connect(finished.append)
    run.start(small, TrainConfig(epochs=1))
    assert run.shutdown(2000)
    assert run.thread is None
    assert len(finished) == 1 and finished[0].reason == "stopped"


def test_late_signals_of_a_finished_run_are_dropped(qtbot, small):
    run = on(Network(seed=0))
    got = []
    run.start(small, TrainConfig(epochs=3, batch_size=32))
    qtbot.waitSignal(run.batchDone, timeout=TIMEOUT).wait()
    run.batchDone.connect(lambda e, a: got.append(e))
    run.shutdown(2000)
    n = len(got)
    qtbot.wait(50)  # any straggler queued by the finished thread would arrive now
    assert len(got) == n


def test_the_window_runs_blas_on_one_thread(qtbot):
    """The one place that decides the GUI's BLAS threads (concurrency/blas.py) is applied by the window."""
    from threadpoolctl import threadpool_info, threadpool_limits

    from nnviz.gui import MainWindow

    threadpool_limits(limits=2, user_api="blas")
    assert {i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas"} == {2}
    win = MainWindow(views=False)
    qtbot.addWidget(win)
    win.setProperty("quitWithoutAsking", True)
    assert {i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas"} == {1}
    assert limit_blas_threads(1)


class _Emitter(QObject):
    flag = Signal(bool)
    triple = Signal(int, object, float)


def test_signals_survive_thousands_of_emits(qtbot):
    """PySide6 6.12.0 dropped a reference to True on every emit and died after a few hundred."""
    e = _Emitter()
    seen = []
    e.flag.connect(seen.append)
    e.triple.connect(lambda i, o, f: seen.append(i))
    for i in range(5000):
        e.flag.emit(i % 2 == 0)
        e.triple.emit(i, None, 0.5)
    assert len(seen) == 10000 and seen[0] is True
