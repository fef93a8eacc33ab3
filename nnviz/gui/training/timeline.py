"""Rewinding training: the GUI side of core.history.

    timeline = Timeline(state, session, curves, bar)
    timeline.show(12)     # every view shows snapshot 12 (the model is not marked modified)
    timeline.leave()      # the latest weights again
    timeline.branch()     # train on from the moment on show (a new run; later snapshots dropped)

"History" is core's word for the snapshots a run records; the timeline is this window's control over them
(the canvas's own undo steps are its undo stack). Every run of the session records into `timeline.history`
(a core.history.History) in the worker thread (core.history.recording).
Showing a snapshot goes through AppState.show_weights, so every view that follows the state (scene,
prediction, receptive fields, neuron panel, inspector) moves with it; the curves get a cursor. Any
other change of the weights (a run's update, an applied gradient step) ends the rewind without putting
the old weights back; starting a run while rewound branches from the moment on show.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtCore import QObject, QTimer, Signal

from nnviz.core.history import History, HistoryError, read_history
from nnviz.gui.state import AppState, RunStatus
from nnviz.gui.training.curves import CurvesWidget
from nnviz.gui.training.run import TrainingRun
from nnviz.gui.training.session import TrainingSession
from nnviz.gui.training.timeline_bar import TimelineBar

PLAY_FPS = 10
# The window's history budget: 40 MB is 75 float16 snapshots of 784-300-100-10 (dense early, thinned
# late), and keeps the whole app within 350 MB while it trains live (bench/ui_latency.py: 309 MB without
# a history, 414 MB with 150 MB of it). `nnviz train --history` keeps core's larger default.
WINDOW_BUDGET_MB = 40.0


class Timeline(QObject):
    positionChanged = Signal(object)  # the snapshot index on show, or None (live)
    message = Signal(str)

    def __init__(self, state: AppState, session: TrainingSession, run: TrainingRun, curves: CurvesWidget,
                 bar: TimelineBar, budget_mb: float = WINDOW_BUDGET_MB) -> None:
        super().__init__(bar)
        self.state, self.session, self.run, self.curves, self.bar = state, session, run, curves, bar
        self.budget_mb = budget_mb
        self.index: int | None = None  # the snapshot on show; None: live
        self._latest: np.ndarray | None = None  # the weights to put back when leaving
        self._own_change = False
        self._timer = QTimer(self, interval=int(1000 / PLAY_FPS))
        self._timer.timeout.connect(self._play_tick)
        self.use_history()
        bar.moved.connect(self.show)
        bar.liveRequested.connect(self.leave)
        bar.playToggled.connect(self.play)
        bar.branchRequested.connect(self.branch)
        state.networkChanged.connect(self._on_network)
        state.weightsChanged.connect(self._on_weights)
        state.runChanged.connect(self._on_run)
        session.aboutToStart.connect(self._commit)
        run.batchDone.connect(lambda *_: self.refresh())
        run.finished.connect(lambda _event: self.refresh())

    @property
    def viewing(self) -> bool:
        return self.index is not None

    # --- moving through the history --------------------------------------------------------------
    def show(self, i: int) -> None:
        """Every view shows the weights of snapshot i (while no run is running)."""
        n = len(self.history)
        if self.state.busy or n == 0:
            return
        i = max(0, min(int(i), n - 1))
        if self.index is None:
            self._latest = self.state.network.flat.copy()
        self.index = i
        self._own_change = True
        try:
            self.state.show_weights(self.history.weights(i))
        finally:
            self._own_change = False
        self._show_position()

    def leave(self) -> None:
        """Back to the latest weights."""
        self.play(False)
        if self.index is None:
            return
        latest, self._latest, self.index = self._latest, None, None
        self._own_change = True
        try:
            self.state.show_weights(latest)
        finally:
            self._own_change = False
        self._show_position()

    def step(self, delta: int) -> None:
        """[ and ]: one snapshot back or on; on from the last snapshot is live again."""
        n = len(self.history)
        if self.index is None:
            if delta < 0 and n:
                self.show(n - 1)
        elif self.index + delta >= n:
            self.leave()
        else:
            self.show(self.index + delta)

    def play(self, on: bool) -> None:
        """Replay the history from the moment on show (from the start when live or at the end)."""
        if on and len(self.history) > 1 and not self.state.busy:
            if self.index is None or self.index >= len(self.history) - 1:
                self.show(0)
            self._timer.start()
        else:
            self._timer.stop()
        self.bar.set_playing(self._timer.isActive())

    def _play_tick(self) -> None:
        if self.index is None or self.index >= len(self.history) - 1:
            self.play(False)
        else:
            self.show(self.index + 1)

    def branch(self) -> None:
        """Train on from the moment on show: a new run (Start while rewound does the same)."""
        self.session.start()

    def _commit(self) -> None:
        """A run is about to start while rewound: the moment on show becomes the weights, later snapshots
        and curve points go, and the new run continues the timeline from there."""
        self.play(False)
        if self.index is None:
            return
        i, self.index, self._latest = self.index, None, None
        moment = self.history.moment(i)
        self.history.truncate(i)
        self.curves.truncate(moment.x)
        self.state.set_weights(self.history.weights(i))  # (the weights changed: modified)
        self.message.emit(f"Branching from snapshot {i + 1} (epoch {moment.x:.2f}); later snapshots dropped")
        self.refresh()

    # --- the state's news ------------------------------------------------------------------------
    def _on_weights(self) -> None:
        if self.index is not None and not self._own_change:  # someone else set the weights: they are the latest
            self.index, self._latest = None, None
            self.play(False)
            self._show_position()

    def _on_run(self, status: str) -> None:
        if status == RunStatus.RUNNING:
            self.leave()
        self.bar.setEnabled(status != RunStatus.RUNNING)
        self.refresh()

    def _on_network(self) -> None:
        self.play(False)
        self.index, self._latest = None, None
        self.use_history()

    def use_history(self, history: History | None = None) -> None:
        self.history = history if history is not None else History(self.budget_mb)
        self.run.history = self.history  # every run records into it
        self.refresh()

    def refresh(self) -> None:
        """The slider's range and the history's size (after new snapshots)."""
        self.bar.set_count(len(self.history), self.history.describe() if len(self.history) else "")
        self._show_position()

    def _show_position(self) -> None:
        self.curves.set_cursor(None if self.index is None else self.history.moment(self.index).x)
        self.bar.set_position(self.index, self.describe())
        self.positionChanged.emit(self.index)

    def describe(self) -> str:
        if not len(self.history):
            return "no training history yet: train to record one"
        if self.index is None:
            return f"live · {self.history.describe()}"
        m = self.history.moment(self.index)
        loss = f" · loss {m.loss:.3f}" if np.isfinite(m.loss) else ""
        return (f"snapshot {self.index + 1}/{len(self.history)} · epoch {m.x:.2f} · {m.samples:,} samples{loss}"
                f" · {self.history.nbytes / 1e6:.0f} MB")

    # --- files -----------------------------------------------------------------------------------
    def arrays_to_save(self) -> dict | None:
        """The history's arrays for File > Save (None when there is none or the user said no). Leaves the
        rewind first, so the file holds the latest weights."""
        self.leave()
        if not self.bar.save_check.isChecked() or len(self.history) < 2:
            return None
        return self.history.arrays()

    def load(self, path: str | Path) -> None:
        """The history saved in a model file just opened (if any): the timeline and the loss curve."""
        try:
            history = read_history(path, self.state.network.flat.size)
        except HistoryError as exc:
            self.message.emit(f"{Path(path).name}: the model opened, its history did not: {exc}")
            return
        if history is not None:
            self.use_history(history)
            moments = history.moments
            self.curves.show_losses([m.x for m in moments], [m.loss for m in moments])
            self.message.emit(f"Training history: {history.describe()}")
