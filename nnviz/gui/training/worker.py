"""Live MNIST training off the GUI thread: what the run reports, and its controller.

A concurrency.TrainingRunner drives `nnviz.core.training.train` on its OWN copy of the network;
`MnistReporter` turns the generator's events into payloads in the worker thread. Everything it sends
is an immutable copy (frozen dataclasses and read-only arrays), throttled: statistics at most ~20
per second, weights ~5 per second, and always the latest of both whenever the run pauses or ends, so
a paused GUI shows exactly where training is. Pause, step and stop are cooperative
(core.training.Control, checked between batches); test accuracy is computed by the generator's
EpochDone, i.e. in the worker thread.

BLAS threads, measured with bench/ui_latency.py on a shared 2-core machine (epoch = 60k images):
- busy machine (load ~8): 2 OpenBLAS threads: headless epoch 26 s, GUI p99 stall 104 ms;
  1 thread: 3.9 s and 63 ms. OpenBLAS threads spin-wait for each other and collapse when a core is
  taken (by the GUI thread or anyone else).
- quieter (load ~2): 2 threads: headless 1.30 s, live 2.21 s (x1.70), p99 38 ms; 1 thread: headless
  1.36 s, live 1.98 s (x1.46), p99 30 ms.
So the window limits BLAS to 1 thread (concurrency.limit_blas_threads): a second thread gains nothing
headless and costs the live view.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QObject, QThread, Signal

from nnviz.core.history import recording
from nnviz.core.network import Network
from nnviz.core.trace import frozen
from nnviz.core.training import BatchDone, EpochDone, Finished, TrainConfig, train
from nnviz.gui.concurrency import Reporter, TrainingRunner

STATS_INTERVAL = 1 / 20  # seconds between BatchDone signals (at most)
WEIGHTS_INTERVAL = 1 / 5  # seconds between weight copies (at most; slower when the views are slow)
MAX_WEIGHTS_INTERVAL = 2.0
GUI_SHARE = 0.15  # weight updates may take at most this share of the GUI thread's time
LOSS_EMA = 0.95  # running average of the batch loss: weight of the past (about 20 batches)




class RunResult:
    """What a run leaves behind for the GUI thread, readable once its thread has finished."""

    def __init__(self, net: Network) -> None:
        self.net = net  # the worker's network (its final weights)
        self.final: Finished | None = None
        self.last: BatchDone | None = None
        self.loss_avg = float("nan")


class MnistReporter(Reporter):
    """Worker-thread side of one run: sends ("batch", BatchDone, running-average loss), ("epoch",
    EpochDone), ("weights", read-only flat vector) and ("paused", last BatchDone or None), throttled."""

    def __init__(self, net: Network) -> None:
        self.result = RunResult(net)
        self._pending: BatchDone | None = None
        self._ema, self._n = 0.0, 0  # running average of the batch loss (bias-corrected EMA)
        self.weights_interval = WEIGHTS_INTERVAL  # set by the controller from the GUI's cost (a float: atomic)
        self._weights_dirty = False
        self._t_stats = self._t_weights = 0.0

    def event(self, event, send) -> None:
        if isinstance(event, BatchDone):
            self._on_batch(event, send)
        elif isinstance(event, EpochDone):
            self._flush(send)
            send(("epoch", event))

    def blocked(self, send) -> None:
        self._flush(send)
        send(("paused", self.result.last))

    def end(self, final: Finished, send) -> None:
        self._emit_stats(time.perf_counter(), send)
        if final.reason == "failed" and self.result.last is not None:
            final = Finished("failed", final.epochs_done, self.result.last.samples, final.seconds, final.message)
        self.result.final = final

    def _on_batch(self, event: BatchDone, send) -> None:
        self._pending = self.result.last = event
        self._n += 1
        self._ema = LOSS_EMA * self._ema + (1 - LOSS_EMA) * event.loss
        self.result.loss_avg = self._ema / (1 - LOSS_EMA ** self._n)
        self._weights_dirty = True
        now = time.perf_counter()
        if now - self._t_stats >= STATS_INTERVAL:
            self._emit_stats(now, send)
        if now - self._t_weights >= self.weights_interval:
            self._emit_weights(now, send)

    def _emit_stats(self, now: float, send) -> None:
        if self._pending is not None:
            send(("batch", self._pending, self.result.loss_avg))
            self._pending = None
        self._t_stats = now

    def _emit_weights(self, now: float, send) -> None:
        send(("weights", frozen(self.result.net.flat)))
        self._weights_dirty = False
        self._t_weights = now

    def _flush(self, send) -> None:
        """Send whatever is pending (at epoch ends and when the run pauses)."""
        now = time.perf_counter()
        self._emit_stats(now, send)
        if self._weights_dirty:
            self._emit_weights(now, send)


class TrainingController(QObject):
    """Owns at most one run at a time. All methods are called from the GUI thread.

    Re-emits the current run's news in the GUI thread. A run always ends, after its thread has
    ended, with weightsReady(final weights) and then finished(Finished): also when it was stopped
    before it began. A discarded run (its network is being replaced) ends with finished only.
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
        self._runner: TrainingRunner | None = None
        self._delivered = None  # the last BatchDone re-emitted
        self._cost: float | None = None  # seconds the GUI spends on one weight update (smoothed)

    @property
    def running(self) -> bool:
        return self._runner is not None

    @property
    def paused(self) -> bool:
        return self._runner is not None and self._runner.paused

    @property
    def thread(self) -> QThread | None:
        return None if self._runner is None else self._runner.thread

    def start(self, network: Network, data, cfg: TrainConfig, paused: bool = False, history=None) -> None:
        """Start a run on a copy of `network`. Any previous run is stopped and joined first.
        history: a core.history.History the worker records the run's weights into (or None)."""
        self.shutdown(None)
        net = network.copy()  # the worker's own network: the GUI's is never touched there
        reporter = MnistReporter(net)

        def events(control):
            run = train(net, data, cfg, control)
            return run if history is None else recording(history, net, run)  # snapshots taken in that thread

        runner = TrainingRunner(events, reporter, name="nnvizTrainingThread", owner=self)
        if paused:
            runner.pause()
        runner.report.connect(self._on_report)
        runner.finished.connect(self._on_finished)
        runner.failed.connect(self.failed)
        self._runner, self._delivered = runner, None
        runner.start()
        self.started.emit()

    def pause(self) -> None:
        if self._runner:
            self._runner.pause()

    def resume(self) -> None:
        if self._runner:
            self._runner.resume()

    def step(self, n: int = 1) -> None:
        """Run exactly n more minibatches, then stay paused."""
        if self._runner:
            self._runner.step(n)

    def stop(self, wait: bool = False, timeout_ms: int | None = 1000) -> bool:
        """Ask the run to stop after the current batch; optionally join. True when no run is left."""
        if self._runner is not None:
            self._runner.stop(wait, timeout_ms)
        return self._runner is None

    def shutdown(self, timeout_ms: int | None = 1000) -> bool:
        """Stop and join the run (None: however long its batch takes). True when it ended in time."""
        return self.stop(wait=True, timeout_ms=timeout_ms)

    def discard(self, timeout_ms: int | None = None) -> bool:
        """End the run for good before its network is replaced: nothing from it (no weights, no late
        batch) is ever delivered again; finished(stopped) is emitted at once. True when joined in time."""
        runner, self._runner = self._runner, None
        if runner is None:
            return True
        joined = runner.discard(timeout_ms)
        last = runner.reporter.result.last if joined else self._delivered
        self._delivered = None
        epochs, samples, seconds = (last.epoch, last.samples, last.elapsed) if last else (0, 0, 0.0)
        self.finished.emit(Finished("stopped", epochs, samples, seconds, "stopped: the network was replaced"))
        return joined

    # --- the run's news, in the GUI thread --------------------------------------------------------
    def _on_report(self, payload) -> None:
        kind, *args = payload
        if kind == "batch":
            self._delivered = args[0]
            self.batchDone.emit(*args)
        elif kind == "weights":
            t0 = time.perf_counter()
            self.weightsReady.emit(args[0])  # the views recompute what they show, synchronously
            self._adapt(time.perf_counter() - t0)
        elif kind == "epoch":
            self.epochDone.emit(args[0])
        elif kind == "paused":
            self.pausedAt.emit(args[0])

    def _adapt(self, cost: float) -> None:
        """Space weight updates so that handling them takes at most GUI_SHARE of the GUI thread."""
        self._cost = cost if self._cost is None else 0.7 * self._cost + 0.3 * cost
        if self._runner is not None:
            self._runner.reporter.weights_interval = min(MAX_WEIGHTS_INTERVAL,
                                                         max(WEIGHTS_INTERVAL, self._cost / GUI_SHARE))

    def _on_finished(self, final: Finished) -> None:
        """The thread has ended: hand out the last batch, the final weights and the Finished event."""
        runner, delivered = self._runner, self._delivered
        self._runner = self._delivered = None
        result = runner.reporter.result
        final = result.final or final
        if result.last is not None and result.last is not delivered:
            self.batchDone.emit(result.last, result.loss_avg)  # dropped as a straggler when joined
        self.weightsReady.emit(frozen(result.net.flat))
        self.finished.emit(final)
