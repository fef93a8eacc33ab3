"""The window's MNIST training run: one object, the core's events as typed Qt signals.

    run = TrainingRun(state)
    run.batchDone.connect(curves.add_batch)      # views subscribe to the run itself
    run.start(data, TrainConfig(epochs=5))        # trains a copy of state.network on its own thread
    run.pause(); run.resume(); run.step(); run.stop()

The worker thread (a concurrency.TrainingRunner) trains its OWN copy of the network; `MnistReporter` turns the
generator's events into immutable payloads there (frozen dataclasses and read-only arrays), throttled:
statistics at most ~20 per second, weights ~5 per second (fewer when the views are slow), and always the
latest of both whenever the run pauses or ends, so a paused view shows exactly where training is. The run
keeps AppState in line: the weights, the run status and the card's test accuracy. Pause, step and stop
are cooperative (core.training.Control, checked between batches).

Every run ends, after its thread has ended, with weightsReady(final weights) and finished(Finished),
also when it was stopped before it began; a diverged run emits diverged(Finished) just before. A
discarded run (its network is being replaced) ends with finished only. BLAS's threads while it runs:
concurrency/blas.py.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QObject, QThread, Signal

from nnviz.core.history import recording
from nnviz.core.network import Network
from nnviz.core.trace import frozen
from nnviz.core.training import BatchDone, EpochDone, Finished, TrainConfig, train
from nnviz.gui.concurrency import Reporter, TrainingRunner
from nnviz.gui.state import UNTRAINED, AppState, RunStatus

STATS_INTERVAL = 1 / 20  # seconds between BatchDone signals (at most)
WEIGHTS_INTERVAL = 1 / 5  # seconds between weight copies (at most; slower when the views are slow)
MAX_WEIGHTS_INTERVAL = 2.0
GUI_SHARE = 0.15  # weight updates may take at most this share of the GUI thread's time
LOSS_EMA = 0.95  # running average of the batch loss: weight of the past (about 20 batches)


# --- what the worker thread sends ------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Batch:
    event: BatchDone
    loss_avg: float  # running average of the batch loss over the run


@dataclass(frozen=True, slots=True)
class Weights:
    flat: np.ndarray  # read-only copy


@dataclass(frozen=True, slots=True)
class Paused:
    last: BatchDone | None  # the last batch before the pause


class MnistReporter(Reporter):
    """Worker-thread side of one run: sends Batch, EpochDone, Weights and Paused, throttled."""

    def __init__(self, net: Network) -> None:
        self.net = net  # the worker's network (its final weights, once the thread has ended)
        self.final: Finished | None = None
        self.last: BatchDone | None = None
        self.loss_avg = float("nan")
        self._pending: BatchDone | None = None
        self._ema, self._n = 0.0, 0  # running average of the batch loss (bias-corrected EMA)
        self.weights_interval = WEIGHTS_INTERVAL  # set by the GUI from its cost (a float: atomic)
        self._weights_dirty = False
        self._t_stats = self._t_weights = 0.0

    def event(self, event, send) -> None:
        if isinstance(event, BatchDone):
            self._on_batch(event, send)
        elif isinstance(event, EpochDone):
            self._flush(send)
            send(event)

    def blocked(self, send) -> None:
        self._flush(send)
        send(Paused(self.last))

    def end(self, final: Finished, send) -> None:
        self._send_stats(time.perf_counter(), send)
        if final.reason == "failed" and self.last is not None:
            final = Finished("failed", final.epochs_done, self.last.samples, final.seconds, final.message)
        self.final = final

    def _on_batch(self, event: BatchDone, send) -> None:
        self._pending = self.last = event
        self._n += 1
        self._ema = LOSS_EMA * self._ema + (1 - LOSS_EMA) * event.loss
        self.loss_avg = self._ema / (1 - LOSS_EMA ** self._n)
        self._weights_dirty = True
        now = time.perf_counter()
        if now - self._t_stats >= STATS_INTERVAL:
            self._send_stats(now, send)
        if now - self._t_weights >= self.weights_interval:
            self._send_weights(now, send)

    def _send_stats(self, now: float, send) -> None:
        if self._pending is not None:
            send(Batch(self._pending, self.loss_avg))
            self._pending = None
        self._t_stats = now

    def _send_weights(self, now: float, send) -> None:
        send(Weights(frozen(self.net.flat)))
        self._weights_dirty = False
        self._t_weights = now

    def _flush(self, send) -> None:
        """Send whatever is pending (at epoch ends and when the run pauses)."""
        now = time.perf_counter()
        self._send_stats(now, send)
        if self._weights_dirty:
            self._send_weights(now, send)


# --- the run, on the GUI thread --------------------------------------------------------------------------
class TrainingRun(QObject):
    """At most one MNIST run at a time, on a copy of state.network. All methods run on the GUI thread."""

    started = Signal(object)  # the TrainConfig of the run that began
    batchDone = Signal(object, float)  # (BatchDone, running-average loss over every batch)
    epochDone = Signal(object)  # EpochDone (the card has its test accuracy by then)
    weightsReady = Signal(object)  # read-only flat weights (the state has them by then)
    pausedAt = Signal(object)  # the last BatchDone before the pause (or None)
    diverged = Signal(object)  # Finished("diverged"), just before finished
    finished = Signal(object)  # Finished: every run ends with it (the state's run status is set by then)
    failed = Signal(str)
    cleared = Signal()  # a different network: what the last run said no longer applies

    def __init__(self, state: AppState, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.history = None  # a core.history.History every run records into (the Timeline sets it)
        self.cfg: TrainConfig | None = None  # the last run's settings
        self._runner: TrainingRunner | None = None
        self._delivered: BatchDone | None = None  # the last BatchDone emitted
        self._n_train = 0
        self._cost: float | None = None  # seconds the GUI spends on one weight update (smoothed)
        state.networkChanged.connect(self.cleared)

    @property
    def running(self) -> bool:
        return self._runner is not None

    @property
    def paused(self) -> bool:
        return self._runner is not None and self._runner.paused

    @property
    def thread(self) -> QThread | None:
        return None if self._runner is None else self._runner.thread

    # --- control -----------------------------------------------------------------------------------
    def start(self, data, cfg: TrainConfig, paused: bool = False) -> None:
        """Train a copy of state.network on data (core Split); paused: wait for step() or resume()."""
        self.shutdown(None)
        net = self.state.network.copy()  # the worker's own network: the GUI's is never touched there
        history = self.history

        def events(control):
            run = train(net, data, cfg, control)
            return run if history is None else recording(history, net, run)  # snapshots taken in that thread

        runner = TrainingRunner(events, MnistReporter(net), name="nnvizTrainingThread", owner=self)
        if paused:
            runner.pause()
        runner.report.connect(self._on_report)
        runner.finished.connect(self._on_finished)
        runner.failed.connect(self.failed)
        self._runner, self._delivered, self.cfg, self._n_train = runner, None, cfg, len(data.x_train)
        runner.start()
        self.started.emit(cfg)
        self.state.set_run(RunStatus.RUNNING)  # (a paused start shows PAUSED once its first step is done)

    def pause(self) -> None:
        """Pause after the current batch (the state says PAUSED once the worker has stopped: pausedAt)."""
        if self._runner:
            self._runner.pause()

    def resume(self) -> None:
        if self._runner:
            self._runner.resume()
            self.state.set_run(RunStatus.RUNNING)

    def toggle_pause(self) -> None:
        self.resume() if self.state.run == RunStatus.PAUSED else self.pause()

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
        last = runner.reporter.last if joined else self._delivered
        self._delivered = None
        epochs, samples, seconds = (last.epoch, last.samples, last.elapsed) if last else (0, 0, 0.0)
        self._end(Finished("stopped", epochs, samples, seconds, "stopped: the network was replaced"))
        return joined

    # --- the worker's news ---------------------------------------------------------------------------
    def _on_report(self, payload) -> None:
        if isinstance(payload, Batch):
            self._delivered = payload.event
            self.batchDone.emit(payload.event, payload.loss_avg)
        elif isinstance(payload, Weights):
            t0 = time.perf_counter()
            self._take_weights(payload.flat)  # the views recompute what they show, synchronously
            self._adapt(time.perf_counter() - t0)
        elif isinstance(payload, EpochDone):
            self._record_accuracy(payload)
            self.epochDone.emit(payload)
        elif isinstance(payload, Paused):
            if self.paused:  # (not a pause that a quick Resume has already ended)
                self.state.set_run(RunStatus.PAUSED)
            self.pausedAt.emit(payload.last)

    def _take_weights(self, flat: np.ndarray) -> None:
        self.state.set_weights(flat)
        self.weightsReady.emit(flat)

    def _record_accuracy(self, event: EpochDone) -> None:
        """The card: the epoch's test accuracy, trained in the app, no longer "untrained"."""
        card = {k: v for k, v in self.state.card.items() if not (k == "note" and v == UNTRAINED)}
        if event.test_accuracy is not None:
            card["test_accuracy"] = round(float(event.test_accuracy), 4)
        card["trained_in_app"] = True
        self.state.set_card(card)

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
        reporter = runner.reporter
        final = reporter.final or final
        if reporter.last is not None and reporter.last is not delivered:
            self.batchDone.emit(reporter.last, reporter.loss_avg)  # dropped as a straggler when joined
        self._take_weights(frozen(reporter.net.flat))
        self._end(final)

    def _end(self, final: Finished) -> None:
        if final.samples != final.epochs_done * self._n_train and "test_accuracy" in self.state.card:
            # the weights moved on after the last epoch's test: its accuracy is not theirs (core.evaluate's is)
            self.state.set_card({k: v for k, v in self.state.card.items() if k != "test_accuracy"})
        self.state.set_run(RunStatus.DIVERGED if final.reason == "diverged" else RunStatus.FINISHED)
        if final.reason == "diverged":
            self.diverged.emit(final)
        self.finished.emit(final)
