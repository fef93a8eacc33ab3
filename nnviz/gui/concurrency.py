"""Every thread and pool job of the app starts here, and `stop_all()` stops and joins them all (on quit).

One-shot jobs (the Orange3 `concurrent` pattern): a plain function runs on the app's pool; its result
or exception arrives on the GUI thread; a job dies with its owner (nothing is delivered after).

    job = submit(evaluate, net, data, owner=self, on_done=self.show, on_error=self.show_error)
    job = submit(download, folder, pass_handle=True, ...)   # download(handle, folder): handle.report(x),
                                                              # handle.cancelled (set by cancel / stop_all)

Coalesced jobs (pictures): `CoalescedJobs.request(fn, args)` runs one job at a time; a request made
meanwhile waits, and a newer one replaces it. Training: `TrainingRunner` drives a core training
generator on its own QThread; a `Reporter` turns the generator's events into payloads in the worker
thread (labs: `Snapshots`; MNIST: training/worker.py). An exception without an `on_error` reaches
the GUI through `registry().failed`.
"""

from __future__ import annotations

import atexit
import threading
import time
import weakref
from collections.abc import Callable, Iterator

from PySide6.QtCore import QCoreApplication, QDeadlineTimer, QObject, Qt, QThread, QThreadPool, Signal

from nnviz.core.training import Control, EpochDone, Finished


def describe(exc: BaseException) -> str:
    """One line for the GUI: `TypeName: message`."""
    return f"{type(exc).__name__}: {exc}".splitlines()[0][:300]


def _deadline(timeout_ms: int | None) -> QDeadlineTimer:
    return QDeadlineTimer(QDeadlineTimer.ForeverConstant.Forever) if timeout_ms is None \
        else QDeadlineTimer(max(0, int(timeout_ms)))


class Registry(QObject):
    """Knows every live job and run; `stop_all()` cancels, stops and joins them."""

    failed = Signal(str)  # a job's exception that no on_error took

    def __init__(self) -> None:
        super().__init__()
        self.pool = QThreadPool()  # the app's own pool: stop_all waits for these jobs only
        self._jobs: set[Job] = set()
        self._runners: set[TrainingRunner] = set()
        self._hooked = False

    def add(self, item) -> None:
        (self._runners if isinstance(item, TrainingRunner) else self._jobs).add(item)
        app = QCoreApplication.instance()
        if not self._hooked and app is not None:  # a safety net: quitting always joins
            app.aboutToQuit.connect(self.stop_all)
            self._hooked = True

    def forget(self, item) -> None:
        self._runners.discard(item)
        self._jobs.discard(item)

    def running(self) -> list[str]:
        """The names of everything not yet over (runs and jobs)."""
        return sorted([r.name for r in self._runners] + [j.name for j in self._jobs])

    def stop_all(self, timeout_ms: int | None = None) -> bool:
        """Cancel every job, stop every run, and join them all. True when everything has ended."""
        for job in list(self._jobs):
            job.cancel()
        runners = list(self._runners)
        for runner in runners:
            runner.stop()
        ok = all([runner.join(timeout_ms) for runner in runners])
        ok = self.pool.waitForDone(-1 if timeout_ms is None else int(timeout_ms)) and ok
        self._jobs.clear()  # cancelled: whatever they queued is never delivered
        return ok


_REGISTRY: Registry | None = None


def registry() -> Registry:
    global _REGISTRY
    if _REGISTRY is None:
        _REGISTRY = Registry()
        atexit.register(_REGISTRY.stop_all, 10_000)  # a script that never ran the event loop: still join
    return _REGISTRY


def stop_all(timeout_ms: int | None = None) -> bool:
    """Stop and join every job and run of the app (the window calls this when it closes)."""
    return registry().stop_all(timeout_ms)


# --- one-shot jobs ------------------------------------------------------------------------------------
def _link_to_owner(item, owner: QObject | None, method: str):
    """When owner is destroyed, call item.<method>() (item weakly held). Returns what _unlink takes."""
    if owner is None:
        return None
    ref = weakref.ref(item)
    return weakref.ref(owner), owner.destroyed.connect(lambda *_: ref() and getattr(ref(), method)())


def _unlink(link) -> None:
    if link is not None and link[0]() is not None:
        try:
            QObject.disconnect(link[1])
        except (RuntimeError, TypeError):  # the owner is being destroyed
            pass


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
        self._owner_link = _link_to_owner(self, owner, "cancel")

    def cancel(self) -> None:
        self.handle._cancel.set()
        self._finish()

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
        self._owner_link = _unlink(self._owner_link)

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
    one (which never reports). Generations grow with each request."""

    done = Signal(int, object)
    failed = Signal(int, str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
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


# --- training runs --------------------------------------------------------------------------------
class Reporter:
    """The worker-thread side of a run: turns events into payloads sent to the GUI (send(payload))."""

    def event(self, event, send: Callable[[object], None]) -> None:
        send(event)

    def blocked(self, send: Callable[[object], None]) -> None:
        """The run is about to wait on a pause."""

    def end(self, final: Finished, send: Callable[[object], None]) -> None:
        """The last call in the worker thread."""

    def ack(self) -> None:
        """The GUI has shown the last payload (for reporters with back-pressure)."""


class Snapshots(Reporter):
    """Sends snapshot(event) (copies made in the worker) at most max_hz times a second, every one while
    paused or stepping, and the last one; after each it waits for ack() before sending another."""

    def __init__(self, snapshot: Callable[[object], object], max_hz: float = 30.0):
        self._snapshot, self._interval = snapshot, 1.0 / max_hz
        self._acked = threading.Event()
        self._acked.set()
        self._last = 0.0
        self.paused = lambda: False  # set by the runner

    def event(self, event, send) -> None:
        now = time.perf_counter()
        paused = self.paused()
        due = paused or now - self._last >= self._interval \
            or isinstance(event, EpochDone) and now - self._last >= self._interval / 2
        if due and (self._acked.is_set() or paused):  # steps: every one (bounded by the user)
            self._acked.clear()
            send(self._snapshot(event))
            self._last = now

    def end(self, final: Finished, send) -> None:
        send(self._snapshot(final))

    def ack(self) -> None:
        self._acked.set()


class _Control(Control):
    """A Control that calls `on_block` (weakly held) just before the generator blocks on a pause."""

    def __init__(self, on_block: Callable[[], None]) -> None:
        super().__init__()
        self._on_block = weakref.WeakMethod(on_block)

    def may_run(self) -> bool:
        if self.paused and self._steps == 0 and not self.stopped:
            callback = self._on_block()
            if callback is not None:
                callback()
        return super().may_run()


class _Thread(QThread):
    def __init__(self, body: Callable[[], None], name: str) -> None:
        super().__init__()
        self.setObjectName(name)
        self._body = body

    def run(self) -> None:
        self._body()


class TrainingRunner(QObject):
    """Runs `make_events(control)` (a core training generator) on its own QThread.

    report(payload) carries what the reporter sent; finished(Finished) comes once the thread has ended
    (after failed(text) when the generator raised). After stop(wait=True) returns True, or after
    abandon(), nothing more is delivered. `pace` (seconds per step) slows a run down to watch it.
    """

    report = Signal(object)
    finished = Signal(object)
    failed = Signal(str)
    _sent = Signal(object)  # worker thread -> GUI thread

    def __init__(self, make_events: Callable[[Control], Iterator], reporter: Reporter | None = None,
                 pace: float = 0.0, name: str = "trainingRunner", owner: QObject | None = None) -> None:
        super().__init__()  # no parent: the registry keeps it until its thread has ended
        self.name, self.pace = name, pace
        self.control = _Control(self._on_block)
        self.reporter = reporter or Reporter()
        if isinstance(self.reporter, Snapshots):
            self.reporter.paused = lambda control=self.control: control.paused
        self.final: Finished | None = None
        self._make_events = make_events
        self._wake = threading.Event()  # lets stop() cut a paced sleep short
        self._status = "new"  # new, running, over, abandoned
        self._thread = _Thread(self._run, name)
        self._thread.finished.connect(self._thread_ended, Qt.ConnectionType.QueuedConnection)
        self._sent.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        self._owner_link = _link_to_owner(self, owner, "abandon")

    # --- the GUI thread ---------------------------------------------------------------------------
    @property
    def thread(self) -> QThread:
        return self._thread

    @property
    def running(self) -> bool:
        """Started and its thread not yet joined."""
        return self._status == "running"

    @property
    def paused(self) -> bool:
        return self.control.paused

    def start(self) -> None:
        self._status = "running"
        registry().add(self)
        self._thread.start()

    def pause(self) -> None:
        self.control.pause()

    def resume(self) -> None:
        self.control.resume()

    def step(self, n: int = 1) -> None:
        self.control.step(n)

    def ack(self) -> None:
        self.reporter.ack()

    def stop(self, wait: bool = False, timeout_ms: int | None = None) -> bool:
        """Ask the run to stop between steps; with wait, join it. True when its thread has ended."""
        self.control.stop()
        self._wake.set()
        return self.join(timeout_ms) if wait else self._thread.isFinished()

    def join(self, timeout_ms: int | None = None) -> bool:
        """Wait for the thread (None: as long as it takes); True when it has ended (then finished is out)."""
        if self._status == "new":
            self._status = "over"
            return True
        if not self._thread.wait(_deadline(timeout_ms)):
            return False
        self._finalize()
        return True

    def abandon(self) -> None:
        """Stop the run and deliver nothing more from it, ever (its network is being replaced)."""
        if self._status in ("running", "new"):
            self._status = "abandoned"
        self.stop()
        self._finalize()  # (at once unless its thread still runs: then when it ends)

    def discard(self, timeout_ms: int | None = None) -> bool:
        """abandon(), then join: True when the thread has ended (else it ends on its own, unheard)."""
        self.abandon()
        return self._thread.wait(_deadline(timeout_ms)) if self._thread.isRunning() else True

    def _deliver(self, payload) -> None:
        if self._status == "running":
            self.report.emit(payload)

    def _thread_ended(self) -> None:
        self._thread.wait()  # it emitted finished: let it end for good before anyone may delete it
        self._finalize()

    def _finalize(self) -> None:
        if self._status == "over" or self._thread.isRunning():
            return
        registry().forget(self)
        self._owner_link = _unlink(self._owner_link)
        status, self._status = self._status, "over"
        if status != "running":
            return
        final = self.final or Finished("stopped", 0, 0, 0.0, "stopped before it began")
        if final.reason == "failed":
            self.failed.emit(final.message)
        self.finished.emit(final)

    # --- the worker thread ------------------------------------------------------------------------
    def _send(self, payload) -> None:
        self._sent.emit(payload)

    def _on_block(self) -> None:
        self.reporter.blocked(self._send)

    def _run(self) -> None:
        final = None
        try:
            for event in self._make_events(self.control):
                if isinstance(event, Finished):
                    final = event
                    break
                self.reporter.event(event, self._send)
                if self.pace > 0 and not self.control.paused:
                    self._wake.wait(self.pace)
        except Exception as exc:  # noqa: BLE001 - reported on screen, never swallowed
            final = Finished("failed", 0, 0, 0.0, describe(exc))
        if final is None:
            final = Finished("stopped" if self.control.stopped else "completed", 0, 0, 0.0)
        try:
            self.reporter.end(final, self._send)
        except Exception as exc:  # noqa: BLE001
            final = Finished("failed", final.epochs_done, final.samples, final.seconds, describe(exc))
        self.final = final
