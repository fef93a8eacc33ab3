"""Training runs: a core training generator driven on its own QThread, its news sent to the GUI thread."""

from __future__ import annotations

import threading
import time
import weakref
from collections.abc import Callable, Iterator

from PySide6.QtCore import QObject, Qt, QThread, Signal

from nnviz.core.training import Control, EpochDone, Finished
from nnviz.gui.concurrency.registry import deadline, describe, link_to_owner, registry, unlink


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
        on_block = weakref.WeakMethod(self._on_block)  # (weakly: the control does not keep the runner alive)
        self.control = Control(before_wait=lambda: on_block() and on_block()())
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
        self._owner_link = link_to_owner(self, owner, "abandon")

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
        if not self._thread.wait(deadline(timeout_ms)):
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
        return self._thread.wait(deadline(timeout_ms)) if self._thread.isRunning() else True

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
        self._owner_link = unlink(self._owner_link)
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
