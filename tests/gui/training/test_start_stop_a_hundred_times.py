"""Start and stop training 100 times through the window: no crash, no thread left, no memory growth."""

from __future__ import annotations

import gc
import tracemalloc
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QThread

from nnviz.core.history import History
from tests.helpers import mnist, mnist_path  # noqa: F401 (fixtures)

TIMEOUT = 30_000


def os_threads() -> int:
    """Threads of this process, as the kernel counts them (Linux); -1 elsewhere."""
    status = Path("/proc/self/status")
    if not status.exists():
        return -1
    for line in status.read_text().splitlines():
        if line.startswith("Threads:"):
            return int(line.split()[1])
    return -1


def settle() -> None:
    """Run deferred deletes and collect garbage so that only live objects remain."""
    for _ in range(3):
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        QCoreApplication.processEvents()
        gc.collect()


def live_qthreads() -> int:
    return sum(1 for o in gc.get_objects() if isinstance(o, QThread))


def cycle(qtbot, win, wait_for_batch: bool) -> None:
    session = win.session
    if wait_for_batch:
        with qtbot.waitSignal(win.run.batchDone, timeout=TIMEOUT):
            session.start()
    else:
        session.start()  # stopped at once, perhaps before the thread ran a single batch
    assert session.running
    assert session.shutdown(5000)
    assert not session.running


def test_start_and_stop_100_times(qtbot, window):  # noqa: F811 (fixture)
    window.train_panel.batch_spin.setValue(32)
    for _ in range(5):  # warm up: data delivery, caches, the thread pool
        cycle(qtbot, window, wait_for_batch=True)
    settle()
    threads0, qthreads0 = os_threads(), live_qthreads()
    tracemalloc.start()
    # A new history, traced from its first snapshot, too big to thin: its bytes are then exactly the
    # memory it holds (thinning dropped untraced warm-up snapshots and threw the sum off by ~10 MB)
    window.timeline.use_history(History(budget_mb=10_000))
    mem0 = tracemalloc.get_traced_memory()[0] - window.timeline.history.nbytes
    finished = []
    window.run.finished.connect(finished.append)
    for i in range(100):
        cycle(qtbot, window, wait_for_batch=i % 2 == 0)
    settle()
    grown = tracemalloc.get_traced_memory()[0] - window.timeline.history.nbytes - mem0  # (the training history
    # keeps its snapshots on purpose, within its budget: not a leak)
    tracemalloc.stop()
    assert len(finished) == 100 and {f.reason for f in finished} == {"stopped"}
    assert window.run.findChildren(QThread) == []
    assert live_qthreads() <= qthreads0
    assert os_threads() <= threads0 + 1  # (the global thread pool may keep one more idle thread)
    # one leaked worker would keep its network copy and Adam state (~3 MB): 100 of them, ~300 MB
    assert grown < 8e6, f"memory grew by {grown / 1e6:.1f} MB over 100 runs"
    assert not window.state.training and window.train_panel.start_button.isEnabled()
