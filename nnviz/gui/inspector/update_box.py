"""Apply the update W ← W − α dJ/dW to the app's network, repeat it on this one example, undo it.

The step and its undo are core's (single_step.SingleSteps, on a twin with the chosen loss); the new
weights go through AppState.set_weights, which re-runs the forward pass; undo restores the saved flat
vector bit for bit.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QDoubleSpinBox, QGridLayout, QGroupBox, QLabel, QPushButton, QSpinBox, QWidget

from nnviz.core.single_step import SingleSteps
from nnviz.gui.inspector.losschoice import LossTwins
from nnviz.gui.inspector.prob_bars import ProbBars
from nnviz.gui.state import AppState


class UpdateBox(QGroupBox):
    """Learning rate, Apply, Repeat ×n, Undo, and the probabilities before/after side by side."""

    updated = Signal()  # an update was applied (or undone)
    repeatFinished = Signal()

    def __init__(self, state: AppState, twins: LossTwins, loss_of, parent: QWidget | None = None) -> None:
        """loss_of: a callable returning the chosen loss name."""
        super().__init__("Update  W ← W − α dJ/dW", parent)
        self.setObjectName("updateBox")
        self.state, self.twins, self.loss_of = state, twins, loss_of
        self.steps = SingleSteps()  # core: each update and the weights it replaced
        self.before: np.ndarray | None = None  # ŷ before the last Apply / Repeat
        self._repeat_left = 0
        self.lr = QDoubleSpinBox()
        self.lr.setObjectName("updateLearningRate")
        self.lr.setDecimals(4)
        self.lr.setRange(0.0001, 5.0)
        self.lr.setSingleStep(0.001)
        self.lr.setValue(0.005)
        self.lr.setToolTip("Learning rate α of the update (one example's gradient is strong: small α lets "
                           "you watch ŷ move step by step)")
        self.apply_button = QPushButton("Apply update")
        self.apply_button.setObjectName("applyUpdate")
        self.apply_button.setToolTip("One gradient step on this example; the forward pass is re-run")
        self.repeat_count = QSpinBox()
        self.repeat_count.setObjectName("repeatCount")
        self.repeat_count.setRange(1, 50)
        self.repeat_count.setValue(5)
        self.repeat_count.setToolTip("How many steps 'Repeat' takes on this one example")
        self.repeat_button = QPushButton("Repeat")
        self.repeat_button.setObjectName("repeatUpdate")
        self.repeat_button.setToolTip("Train on this one example a few steps: watch ŷ move toward the target")
        self.undo_button = QPushButton("Undo")
        self.undo_button.setObjectName("undoUpdate")
        self.undo_button.setToolTip("Restore the weights from before the last update, bit for bit")
        self.bars = ProbBars()
        self.timer = QTimer(self)
        self.timer.setInterval(180)
        self.timer.timeout.connect(self._repeat_tick)
        grid = QGridLayout(self)
        grid.addWidget(QLabel("α"), 0, 0)
        grid.addWidget(self.lr, 0, 1)
        grid.addWidget(self.apply_button, 0, 2)
        grid.addWidget(self.undo_button, 0, 3)
        grid.addWidget(QLabel("steps"), 1, 0)
        grid.addWidget(self.repeat_count, 1, 1)
        grid.addWidget(self.repeat_button, 1, 2)
        grid.addWidget(self.bars, 2, 0, 1, 4)
        self.apply_button.clicked.connect(self.apply_update)
        self.repeat_button.clicked.connect(self.repeat)
        self.undo_button.clicked.connect(self.undo)
        state.inputChanged.connect(self._reset_before)
        state.networkChanged.connect(self._forget)
        state.traceChanged.connect(lambda _: self._refresh())
        self._refresh()

    # --- actions ---------------------------------------------------------------------------------
    def apply_update(self) -> bool:
        """One SGD step on the current example and target; False when there is nothing to update."""
        return self._step(remember_before=True)

    def repeat(self) -> None:
        """`repeat_count` steps, one per timer tick, so the probabilities visibly move."""
        if self.state.x is None or self.state.trace is None:
            return
        self.before = np.array(self.state.trace.y_hat)
        self._repeat_left = self.repeat_count.value()
        self.repeat_button.setEnabled(False)
        self.timer.start()

    def undo(self) -> bool:
        """Restore the weights saved before the last update (exact copy)."""
        flat = self.steps.undo()
        if flat is None:
            return False
        self.state.set_weights(flat)
        self.updated.emit()
        self._refresh()
        return True

    # --- internals -------------------------------------------------------------------------------
    def _step(self, remember_before: bool) -> bool:
        st = self.state
        if st.x is None or st.target is None or st.trace is None:
            return False
        twin = self.twins.network(st.network, self.loss_of())  # the state's weights, the chosen loss
        new_flat = self.steps.step(twin, st.x, st.target, self.lr.value())
        if remember_before:
            self.before = np.array(st.trace.y_hat)
        st.set_weights(new_flat)
        self.updated.emit()
        self._refresh()
        return True

    def _repeat_tick(self) -> None:
        if self._repeat_left <= 0 or not self._step(remember_before=False):
            self._repeat_left = 0
        else:
            self._repeat_left -= 1
        if self._repeat_left <= 0:
            self.timer.stop()
            self.repeat_button.setEnabled(True)
            self.repeatFinished.emit()

    def _reset_before(self) -> None:
        self.before = None
        self._refresh()

    def _forget(self) -> None:
        self.steps.clear()
        self.before = None
        self._refresh()

    def _refresh(self) -> None:
        tr = self.state.trace
        self.bars.set_probs(self.before, None if tr is None else tr.y_hat, self.state.target)
        self.undo_button.setEnabled(bool(self.steps))
        self.undo_button.setText(f"Undo ({len(self.steps)})" if self.steps else "Undo")
