"""Run a plain function off the GUI thread (QThreadPool) and get its result back as a signal.

    task = run_task(lambda progress: load_mnist(folder), on_done, on_error)

The function receives a `progress(object)` callable it may call from its thread; the callbacks run
in the GUI thread (queued signals). Keep a reference to the returned Task while it matters.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal


class _Signals(QObject):
    done = Signal(object)
    error = Signal(object)  # the exception instance
    progress = Signal(object)


class Task(QRunnable):
    def __init__(self, fn: Callable[[Callable[[object], None]], object]) -> None:
        super().__init__()
        self.fn = fn
        self.signals = _Signals()
        self.finished = False

    def run(self) -> None:
        try:
            result = self.fn(self.signals.progress.emit)
        except BaseException as exc:  # noqa: BLE001 - handed to the GUI thread
            self.finished = True
            self.signals.error.emit(exc)
        else:
            self.finished = True
            self.signals.done.emit(result)


_LIVE: set[Task] = set()  # keeps running tasks (and their signal objects) alive


def run_task(fn, on_done: Callable[[object], None], on_error: Callable[[BaseException], None] | None = None,
             on_progress: Callable[[object], None] | None = None) -> Task:
    """Start fn(progress) on the global thread pool; on_done(result) / on_error(exc) in the GUI thread."""
    task = Task(fn)
    task.setAutoDelete(False)
    _LIVE.add(task)
    task.signals.done.connect(on_done)
    if on_error is not None:
        task.signals.error.connect(on_error)
    if on_progress is not None:
        task.signals.progress.connect(on_progress)
    task.signals.done.connect(lambda _=None: _LIVE.discard(task))
    task.signals.error.connect(lambda _=None: _LIVE.discard(task))
    QThreadPool.globalInstance().start(task)
    return task
