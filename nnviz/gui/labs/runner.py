"""A small QThread runner for the labs: drives a core training generator off the GUI thread.

    runner = Runner(lambda control: train(net, data, cfg, control), snapshot=lambda ev: (ev, net.flat.copy()))
    runner.snapshotReady.connect(view.show)   # throttled, immutable payloads made in the worker
    runner.start(); runner.pause(); runner.step(); runner.resume(); runner.stop()

`snapshot(event)` runs in the worker thread between steps, so it may read the network safely and
should return copies (never arrays the worker keeps changing). Payloads reach the GUI at most
`max_hz` times a second, plus the last one before the run ends and every one while stepping.
`pace` (seconds per step) slows a run down so that students can watch it.
Back-pressure: after a snapshot the worker sends no other until the receiver calls `ack()` (so a
slow view never builds up a queue); the final snapshot is always sent.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator

from PySide6.QtCore import QThread, Signal

from nnviz.core.training import Control, EpochDone, Finished


class Runner(QThread):
    """Runs `make_events(control)` to completion in its own thread; emits snapshots and the end."""

    snapshotReady = Signal(object)  # whatever `snapshot(event)` returned
    runFinished = Signal(object)  # the core Finished event (or one made up when the generator just ends)
    runFailed = Signal(str)

    def __init__(self, make_events: Callable[[Control], Iterator], snapshot: Callable[[object], object],
                 max_hz: float = 30.0, pace: float = 0.0, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("labRunner")
        self.control = Control()
        self._make_events, self._snapshot = make_events, snapshot
        self._interval = 1.0 / max_hz
        self.pace = pace
        self._wake = threading.Event()  # lets stop() cut a paced sleep short
        self._acked = threading.Event()  # the receiver has shown the last snapshot
        self._acked.set()

    # --- controls (any thread) ----------------------------------------------------------------
    def pause(self) -> None:
        self.control.pause()

    def resume(self) -> None:
        self.control.resume()

    def step(self, n: int = 1) -> None:
        self.control.step(n)

    def stop(self, wait: bool = True) -> None:
        """Ask the generator to stop between steps; by default wait until the thread has ended."""
        self.control.stop()
        self._wake.set()
        if wait:
            self.wait()

    def ack(self) -> None:
        """The receiver has drawn the last snapshot: the worker may send the next one."""
        self._acked.set()

    @property
    def paused(self) -> bool:
        return self.control.paused

    # --- worker thread ------------------------------------------------------------------------
    def run(self) -> None:
        last = 0.0
        event = None
        try:
            for event in self._make_events(self.control):
                if isinstance(event, Finished):
                    self.snapshotReady.emit(self._snapshot(event))
                    self.runFinished.emit(event)
                    return
                now = time.perf_counter()
                due = self.control.paused or now - last >= self._interval \
                    or isinstance(event, EpochDone) and now - last >= self._interval / 2
                if due and (self._acked.is_set() or self.control.paused):  # steps: every one (bounded)
                    self._acked.clear()
                    self.snapshotReady.emit(self._snapshot(event))
                    last = now
                if self.pace > 0 and not self.control.paused:
                    self._wake.wait(self.pace)
        except Exception as exc:  # noqa: BLE001 - reported on screen, never swallowed silently
            self.runFailed.emit(f"{type(exc).__name__}: {exc}")
            return
        if event is not None:
            self.snapshotReady.emit(self._snapshot(event))
        self.runFinished.emit(Finished("completed", 0, 0, 0.0))
