"""Live training off the GUI thread: a QObject worker moved to a QThread, and its controller.

The worker drives `nnviz.core.training.train` on its OWN copy of the network and turns the
generator's events into signals. Everything it emits is an immutable copy (frozen dataclasses and
read-only arrays), throttled: statistics at most ~20 per second, weights ~5 per second, and always
the latest of both whenever the run pauses or ends, so a paused GUI shows exactly where training is.
Pause, step and stop are cooperative (core.training.Control, checked between batches); test accuracy
is computed by the generator's EpochDone, i.e. in the worker thread.

BLAS threads, measured with bench/ui_latency.py on a shared 2-core machine (epoch = 60k images):
- busy machine (load ~8): 2 OpenBLAS threads: headless epoch 26 s, GUI p99 stall 104 ms;
  1 thread: 3.9 s and 63 ms. OpenBLAS threads spin-wait for each other and collapse when a core is
  taken (by the GUI thread or anyone else).
- quieter (load ~2): 2 threads: headless 1.30 s, live 2.21 s (x1.70), p99 38 ms; 1 thread: headless
  1.36 s, live 1.98 s (x1.46), p99 30 ms.
So the window limits BLAS to 1 thread (blas.limit_blas_threads): a second thread gains nothing
headless and costs the live view; main.py and `python -m nnviz` also set OPENBLAS_NUM_THREADS=1.
"""

from __future__ import annotations

import time
import weakref
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QObject, Qt, QThread, Signal, Slot

from nnviz.core.history import recording
from nnviz.core.network import Network
from nnviz.core.trace import frozen
from nnviz.core.training import BatchDone, Control, EpochDone, Finished, TrainConfig, train
from nnviz.gui.training.blas import limit_blas_threads  # noqa: F401 (re-exported: the window calls it)

STATS_INTERVAL = 1 / 20  # seconds between BatchDone signals (at most)
WEIGHTS_INTERVAL = 1 / 5  # seconds between weight copies (at most; slower when the views are slow)
MAX_WEIGHTS_INTERVAL = 2.0
GUI_SHARE = 0.15  # weight updates may take at most this share of the GUI thread's time
LOSS_EMA = 0.95  # running average of the batch loss: weight of the past (about 20 batches)


frozen_copy = frozen  # a read-only copy, safe to hand to another thread (core.trace.frozen)


class _FlushingControl(Control):
    """A Control that calls `on_block` just before the generator blocks on a pause."""

    def __init__(self, on_block: Callable[[], None]) -> None:
        super().__init__()
        self._on_block = weakref.WeakMethod(on_block)  # no reference cycle with the worker

    def may_run(self) -> bool:
        if self.paused and self._steps == 0 and not self.stopped:
            callback = self._on_block()
            if callback is not None:
                callback()
        return super().may_run()


class RunResult:
    """What a run leaves behind for the GUI thread, readable once its thread has finished."""

    def __init__(self, net: Network) -> None:
        self.net = net  # the worker's network (its final weights)
        self.final: Finished | None = None
        self.last: BatchDone | None = None
        self.loss_avg = float("nan")


class TrainingWorker(QObject):
    """Runs one training run in whatever thread it lives in. Signals carry immutable copies.

    Every signal's first argument is the run id, so the controller can ignore a finished run's
    late signals. `result` (a plain object) outlives the worker, which is deleted in its own thread.
    """

    batchDone = Signal(int, object, float)  # core.training.BatchDone (throttled), running-average loss
    epochDone = Signal(int, object)  # core.training.EpochDone (every epoch)
    weightsReady = Signal(int, object)  # read-only flat parameter vector (layout of Network.flat)
    pausedAt = Signal(int, object)  # the last BatchDone (or None) when the run blocks on a pause
    failed = Signal(int, str)  # an unexpected exception, as text
    done = Signal(int)  # the run is over; `final` is set

    def __init__(self, network: Network, data, cfg: TrainConfig, run_id: int = 0) -> None:
        super().__init__()
        self.net = network.copy()  # the worker's own network: the GUI's is never touched here
        self.data, self.cfg, self.run_id = data, cfg, run_id
        self.control = _FlushingControl(self._on_block)
        self.result = RunResult(self.net)
        self._pending: BatchDone | None = None
        self._ema, self._n = 0.0, 0  # running average of the batch loss (bias-corrected EMA)
        self.weights_interval = WEIGHTS_INTERVAL  # set by the controller from the GUI's cost (a float: atomic)
        self._weights_dirty = False
        self._t_stats = self._t_weights = 0.0
        self.history = None  # a core.history.History that records this run's weights (in this thread), or None

    @Slot()
    def run(self) -> None:
        """Train to the end (completed, stopped or diverged); sets `final`, emits done."""
        final = Finished("stopped", 0, 0, 0.0, "stopped by the user")
        try:
            events = train(self.net, self.data, self.cfg, self.control)
            if self.history is not None:
                events = recording(self.history, self.net, events)  # snapshots taken in this thread
            for event in events:
                if isinstance(event, BatchDone):
                    self._on_batch(event)
                elif isinstance(event, EpochDone):
                    self._flush()
                    self.epochDone.emit(self.run_id, event)
                else:
                    final = event
        except Exception as exc:  # noqa: BLE001 - reported to the GUI, never lost in a thread
            self.failed.emit(self.run_id, f"{type(exc).__name__}: {exc}")
            final = Finished("failed", 0, self.result.last.samples if self.result.last else 0, 0.0, str(exc))
        self._emit_stats(time.perf_counter())
        self.result.final = final
        # Hand this object back to the GUI thread (a thread may push its own objects): Python then
        # deletes it there when the controller lets go. Deleting it in this thread (deleteLater on
        # `finished`) crashed now and then in PySide6 6.11, and after the thread ends nothing runs
        # its deferred deletes (2 MB leaked per run).
        self.moveToThread(QCoreApplication.instance().thread())
        self.done.emit(self.run_id)

    def _on_batch(self, event: BatchDone) -> None:
        self._pending = self.result.last = event
        self._n += 1
        self._ema = LOSS_EMA * self._ema + (1 - LOSS_EMA) * event.loss
        self.result.loss_avg = self._ema / (1 - LOSS_EMA ** self._n)
        self._weights_dirty = True
        now = time.perf_counter()
        if now - self._t_stats >= STATS_INTERVAL:
            self._emit_stats(now)
        if now - self._t_weights >= self.weights_interval:
            self._emit_weights(now)

    def _emit_stats(self, now: float) -> None:
        if self._pending is not None:
            self.batchDone.emit(self.run_id, self._pending, self.result.loss_avg)
            self._pending = None
        self._t_stats = now

    def _emit_weights(self, now: float) -> None:
        self.weightsReady.emit(self.run_id, frozen_copy(self.net.flat))
        self._weights_dirty = False
        self._t_weights = now

    def _flush(self) -> None:
        """Emit whatever is pending (at epoch ends and when the run pauses)."""
        now = time.perf_counter()
        self._emit_stats(now)
        if self._weights_dirty:
            self._emit_weights(now)

    def _on_block(self) -> None:
        self._flush()
        self.pausedAt.emit(self.run_id, self.result.last)


class TrainingController(QObject):
    """Owns at most one worker thread at a time. All methods are called from the GUI thread.

    Re-emits the current run's signals in the GUI thread (a finished run's stragglers are dropped).
    A run always ends, after its thread has ended, with weightsReady(final weights) and then
    finished(Finished): also when it was stopped before it began.
    """

    started = Signal()
    batchDone = Signal(object, float)  # (BatchDone, running-average loss over every batch)
    epochDone = Signal(object)
    weightsReady = Signal(object)
    pausedAt = Signal(object)
    finished = Signal(object)
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thread: QThread | None = None
        self._worker: TrainingWorker | None = None
        self._control: Control | None = None  # the current run's (thread-safe) control
        self._result: RunResult | None = None
        self._run_id = 0
        self._delivered = None  # the last BatchDone re-emitted
        self._cost: float | None = None  # seconds the GUI spends on one weight update (smoothed)

    @property
    def running(self) -> bool:
        return self._thread is not None

    @property
    def paused(self) -> bool:
        return self._control is not None and self._control.paused

    @property
    def thread(self) -> QThread | None:
        return self._thread

    def start(self, network: Network, data, cfg: TrainConfig, paused: bool = False, history=None) -> None:
        """Start a run on a copy of `network`. Any previous run is stopped and joined first.
        history: a core.history.History the worker records the run's weights into (or None)."""
        self.shutdown()
        self._run_id += 1
        worker = TrainingWorker(network, data, cfg, self._run_id)
        worker.history = history
        if paused:
            worker.control.pause()
        thread = QThread(self)
        thread.setObjectName("nnvizTrainingThread")
        worker.moveToThread(thread)
        worker.batchDone.connect(self._on_batch)
        worker.epochDone.connect(self._on_epoch)
        worker.weightsReady.connect(self._on_weights)
        worker.pausedAt.connect(self._on_paused)
        worker.failed.connect(self._on_failed)
        worker.done.connect(thread.quit, Qt.ConnectionType.DirectConnection)
        thread.started.connect(worker.run)
        thread.finished.connect(self._on_thread_finished)
        self._thread, self._worker = thread, worker
        self._control, self._result = worker.control, worker.result
        thread.start()
        self.started.emit()

    def pause(self) -> None:
        if self._control:
            self._control.pause()

    def resume(self) -> None:
        if self._control:
            self._control.resume()

    def step(self, n: int = 1) -> None:
        """Run exactly n more minibatches, then stay paused."""
        if self._control:
            self._control.step(n)

    def stop(self, wait: bool = False, timeout_ms: int = 1000) -> bool:
        """Ask the run to stop after the current batch; optionally join. True when no thread runs."""
        if self._control:
            self._control.stop()
        if wait and self._thread is not None:
            return self._join(timeout_ms)
        return self._thread is None

    def shutdown(self, timeout_ms: int = 1000) -> bool:
        """Stop and join the thread (closeEvent, before a new run). True when it ended in time."""
        return self.stop(wait=True, timeout_ms=timeout_ms)

    # --- the worker's signals, queued into the GUI thread --------------------------------------
    def _current(self, run_id: int) -> bool:
        return self._worker is not None and run_id == self._run_id

    @Slot(int, object, float)
    def _on_batch(self, run_id: int, event, loss_avg: float) -> None:
        if self._current(run_id):
            self._delivered = event
            self.batchDone.emit(event, loss_avg)

    @Slot(int, object)
    def _on_epoch(self, run_id: int, event) -> None:
        if self._current(run_id):
            self.epochDone.emit(event)

    @Slot(int, object)
    def _on_weights(self, run_id: int, flat) -> None:
        if self._current(run_id):
            t0 = time.perf_counter()
            self.weightsReady.emit(flat)  # the views recompute what they show, synchronously
            self._adapt(time.perf_counter() - t0)

    def _adapt(self, cost: float) -> None:
        """Space weight updates so that handling them takes at most GUI_SHARE of the GUI thread."""
        self._cost = cost if self._cost is None else 0.7 * self._cost + 0.3 * cost
        if self._worker is not None:
            self._worker.weights_interval = min(MAX_WEIGHTS_INTERVAL, max(WEIGHTS_INTERVAL, self._cost / GUI_SHARE))

    @Slot(int, object)
    def _on_paused(self, run_id: int, event) -> None:
        if self._current(run_id):
            self.pausedAt.emit(event)

    @Slot(int, str)
    def _on_failed(self, run_id: int, text: str) -> None:
        if self._current(run_id):
            self.failed.emit(text)

    # --- ending ----------------------------------------------------------------------------------
    def _join(self, timeout_ms: int) -> bool:
        thread = self._thread
        thread.quit()  # ends the event loop if the run never began
        if not thread.wait(timeout_ms):
            return False
        self._release()
        return True

    @Slot()
    def _on_thread_finished(self) -> None:
        if self._thread is not None and self._thread.isFinished():
            self._release()

    def _release(self) -> None:
        """The thread has ended: hand out the final weights and the Finished event, free both."""
        thread, result, delivered = self._thread, self._result, self._delivered
        self._thread = self._worker = self._control = self._result = self._delivered = None
        thread.deleteLater()  # the worker moved itself back to this thread; Python frees it with the last reference
        final = result.final or Finished("stopped", 0, 0, 0.0, "stopped before it began")
        if result.last is not None and result.last is not delivered:
            self.batchDone.emit(result.last, result.loss_avg)  # dropped as a straggler when joined
        self.weightsReady.emit(frozen_copy(result.net.flat))
        self.finished.emit(final)
