"""Pictures painted off the GUI thread: a plain function fn(*args) -> QImage runs in Qt's global thread
pool, and its image arrives on the GUI thread through a signal.

QImage painting is thread-safe (QPixmap is not). One job runs at a time; a request made meanwhile
waits, and a newer request replaces a waiting one (coalesced: after the running job only the newest
runs). Painting functions should draw in small pieces (edges.paint_segments does): PySide keeps the
GIL during each Qt call, so the GUI thread's Python waits for the call in progress.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal
from PySide6.QtGui import QImage


class _Emitter(QObject):
    done = Signal(int, QImage)


class _Job(QRunnable):
    def __init__(self, generation: int, fn, args: tuple, emitter: _Emitter):
        super().__init__()
        self.generation, self.fn, self.args, self.emitter = generation, fn, args, emitter
        self.setAutoDelete(True)

    def run(self) -> None:
        image = self.fn(*self.args)
        try:
            self.emitter.done.emit(self.generation, image)
        except RuntimeError:  # the owner was closed while we painted
            pass


class ImageJobs(QObject):
    """request(fn, args) -> generation number; done(generation, QImage) arrives on the GUI thread.

    Generations grow with each request; a request replaced while waiting never reports."""

    done = Signal(int, QImage)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._generation = 0
        self._running = False
        self._waiting: tuple | None = None  # (generation, fn, args): the newest request made while busy
        self._emitter = _Emitter()
        self._emitter.done.connect(self._on_done)
        self._pool = QThreadPool.globalInstance()

    @property
    def busy(self) -> bool:
        """A job is running or waiting."""
        return self._running or self._waiting is not None

    def request(self, fn, args: tuple) -> int:
        """Run fn(*args) now, or after the running job (replacing any request still waiting)."""
        self._generation += 1
        if self._running:
            self._waiting = (self._generation, fn, args)
        else:
            self._start(self._generation, fn, args)
        return self._generation

    def _start(self, generation: int, fn, args: tuple) -> None:
        self._running = True
        self._pool.start(_Job(generation, fn, args, self._emitter))

    def _on_done(self, generation: int, image: QImage) -> None:
        self._running = False
        if self._waiting is not None:
            waiting, self._waiting = self._waiting, None
            self._start(*waiting)
        self.done.emit(generation, image)

    def wait(self, msecs: int = 5000) -> bool:
        return self._pool.waitForDone(msecs)
