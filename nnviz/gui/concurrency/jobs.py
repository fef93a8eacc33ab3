"""One-shot jobs on the app's pool (the Orange3 `concurrent` pattern) and coalesced picture jobs."""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, Signal

from nnviz.gui.concurrency.registry import describe, link_to_owner, registry, unlink


class JobHandle:
    """What a running job may touch: report progress, see whether it was cancelled (any thread)."""

    def __init__(self, relay: _Relay) -> None:
        self._relay = relay
        self._cancel = threading.Event()
        self._latest: object = None
        self._pending = False  # a progress report is on its way (later ones replace its value)
        self._lock = threading.Lock()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def report(self, progress: object) -> None:
        """Send progress to on_progress; reports made faster than the GUI takes them are coalesced."""
        with self._lock:
            self._latest = progress
            if self._pending:
                return
            self._pending = True
        self._relay.progress.emit()

    def _take(self) -> object:
        with self._lock:
            self._pending = False
            return self._latest


class _Relay(QObject):
    """Carries a job's news from the pool thread into the GUI thread (queued to its own slots)."""

    done = Signal(object)
    error = Signal(object)
    progress = Signal()

    def __init__(self, job: Job) -> None:
        super().__init__()
        self._job = weakref.ref(job)  # a cancelled job may go; its queued news then goes with the relay
        for signal, slot in ((self.done, self._on_done), (self.error, self._on_error),
                             (self.progress, self._on_progress)):
            signal.connect(slot, Qt.ConnectionType.QueuedConnection)

    def _on_done(self, result) -> None:
        if (job := self._job()) is not None:
            job._deliver_done(result)

    def _on_error(self, exc) -> None:
        if (job := self._job()) is not None:
            job._deliver_error(exc)

    def _on_progress(self) -> None:
        if (job := self._job()) is not None:
            job._deliver_progress()


class Job:
    """A function running on the app's pool. cancel(): nothing more is delivered (the function may
    notice through its handle and end early)."""

    def __init__(self, fn: Callable, args: tuple, name: str, on_done, on_error, on_progress,
                 owner: QObject | None, pass_handle: bool) -> None:
        self.name = name or getattr(fn, "__name__", "job")
        self._fn, self._args, self._pass_handle = fn, args, pass_handle
        self._on_done, self._on_error, self._on_progress = on_done, on_error, on_progress
        self._relay = _Relay(self)
        self.handle = JobHandle(self._relay)
        self.over = False
        self._owner_link = link_to_owner(self, owner, "cancel")

    def cancel(self) -> None:
        self.handle._cancel.set()
        self._finish()

    stop = cancel  # (the registry stops jobs and runs alike)

    def join(self, timeout_ms: int | None = None) -> bool:
        """Jobs are joined by waiting for the registry's pool."""
        return True

    @property
    def cancelled(self) -> bool:
        return self.handle.cancelled

    def _run(self) -> None:  # pool thread
        if self.cancelled:
            return
        try:
            result = self._fn(self.handle, *self._args) if self._pass_handle else self._fn(*self._args)
        except BaseException as exc:  # noqa: BLE001 - handed to the GUI thread
            self._relay.error.emit(exc)
        else:
            self._relay.done.emit(result)

    def _finish(self) -> None:
        self.over = True
        registry().forget(self)
        self._owner_link = unlink(self._owner_link)

    def _deliver_done(self, result) -> None:
        if not self.cancelled and not self.over:
            self._finish()
            if self._on_done is not None:
                self._on_done(result)

    def _deliver_error(self, exc) -> None:
        if not self.cancelled and not self.over:
            self._finish()
            if self._on_error is not None:
                self._on_error(exc)
            else:
                registry().failed.emit(f"{self.name} failed: {describe(exc)}")

    def _deliver_progress(self) -> None:
        value = self.handle._take()
        if not self.cancelled and not self.over and self._on_progress is not None:
            self._on_progress(value)


def submit(fn: Callable, *args, owner: QObject | None = None, on_done: Callable | None = None,
           on_error: Callable[[BaseException], None] | None = None, on_progress: Callable | None = None,
           name: str = "", pass_handle: bool = False) -> Job:
    """Run fn(*args) (or fn(handle, *args)) on the app's pool; on_done(result) / on_error(exc) /
    on_progress(value) run on the GUI thread, never after `owner` is destroyed or the job cancelled."""
    job = Job(fn, args, name, on_done, on_error, on_progress, owner, pass_handle)
    registry().add(job)
    registry().pool.start(job._run)
    return job


class CoalescedJobs(QObject):
    """request(fn, args) -> generation number; done(generation, result) arrives on the GUI thread.

    One job runs at a time; a request made meanwhile waits, and a newer request replaces a waiting
    one (which never reports). Generations grow with each request. With pass_handle, fn gets the job's
    handle first (handle.cancelled: the app is quitting, stop early)."""

    done = Signal(int, object)
    failed = Signal(int, str)

    def __init__(self, parent: QObject | None = None, pass_handle: bool = False) -> None:
        super().__init__(parent)
        self._pass_handle = pass_handle
        self._generation = 0
        self._running: Job | None = None
        self._waiting: tuple | None = None  # (generation, fn, args): the newest request made while busy

    @property
    def busy(self) -> bool:
        """A job is running or waiting."""
        return self._running is not None or self._waiting is not None

    def request(self, fn: Callable, args: tuple) -> int:
        """Run fn(*args) now, or after the running job (replacing any request still waiting)."""
        self._generation += 1
        if self._running is not None:
            self._waiting = (self._generation, fn, args)
        else:
            self._start(self._generation, fn, args)
        return self._generation

    def _start(self, generation: int, fn: Callable, args: tuple) -> None:
        self._running = submit(fn, *args, owner=self, name=getattr(fn, "__name__", "picture"),
                               pass_handle=self._pass_handle,
                               on_done=lambda result: self._over(generation, result, None),
                               on_error=lambda exc: self._over(generation, None, describe(exc)))

    def _over(self, generation: int, result, error: str | None) -> None:
        self._running = None
        if self._waiting is not None:
            waiting, self._waiting = self._waiting, None
            self._start(*waiting)
        if error is None:
            self.done.emit(generation, result)
        else:
            self.failed.emit(generation, error)
            registry().failed.emit(f"a picture could not be painted: {error}")

    def wait(self, msecs: int = 5000) -> bool:
        """Block until the app's pool is idle (tests, exports)."""
        return registry().pool.waitForDone(msecs)
