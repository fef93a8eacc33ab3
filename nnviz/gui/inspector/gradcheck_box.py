"""Gradient check for one weight or bias: core's central difference next to the backprop value.

Runs core.gradcheck.param_gradcheck on a float64 copy of the network, off the GUI thread
(concurrency.submit); a failure is shown in the result line. The copy is made on the GUI thread so
training or updates cannot change it meanwhile.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from nnviz.core.gradcheck import agree, param_gradcheck, rel_error
from nnviz.core.network import Network
from nnviz.gui.concurrency import describe, submit
from nnviz.gui.inspector.losschoice import LossTwins
from nnviz.gui.inspector.notation import num, sym
from nnviz.gui.state import AppState


@dataclass(frozen=True)
class GradCheckResult:
    """focus: (l, j, i) for W_l[j, i] or (l, j) for b_l[j]; values in float64."""

    focus: tuple[int, ...]
    backprop: float
    numeric: float
    rel_error: float
    loss: float  # J at the checked point (sets the smallest difference the check can resolve)

    @property
    def name(self) -> str:
        return sym("dJ/dw", *self.focus) if len(self.focus) == 3 else sym("dJ/db", *self.focus)

    @property
    def ok(self) -> bool:
        return agree(self.backprop, self.numeric, self.loss)

    def text(self) -> str:
        mark = "✓ agree" if self.ok else "✗ differ (a kink of g near z = 0 can do this)"
        if self.ok and max(abs(self.backprop), abs(self.numeric)) < 1e-9:
            mark += " — both about 0: this parameter barely changes J here"
        if self.backprop == 0 and self.numeric == 0:
            mark += " — both 0: this weight does not change J here (its input is 0 or its neuron is off)"
        return (f"{self.name}   backprop {num(self.backprop, 7)}   central difference {num(self.numeric, 7)}\n"
                f"relative error {num(self.rel_error, 2)}  {mark}  (float64, ε = 10⁻⁶)")


def run_check(net64: Network, x: np.ndarray, target: int, focus: tuple[int, ...]) -> GradCheckResult:
    """Backprop vs central difference for one parameter of net64 (float64; changed in place, restored)."""
    l = focus[0]
    name, index = ("W", (focus[1], focus[2])) if len(focus) == 3 else ("b", (focus[1],))
    x64 = np.asarray(x, np.float64)[None]
    y = net64.one_hot(target)
    analytic, numeric = param_gradcheck(net64, x64, y, l - 1, name, index)
    J = net64.loss_value(x64, y)[0]
    return GradCheckResult(tuple(int(v) for v in focus), analytic, numeric, rel_error(analytic, numeric), J)


class GradCheckBox(QGroupBox):
    """A button and the result line. `checked` carries a GradCheckResult."""

    checked = Signal(object)

    def __init__(self, state: AppState, focus_of, loss_of, parent: QWidget | None = None) -> None:
        """focus_of(): the parameter to check ((l, j, i) or (l, j)) or None; loss_of(): the loss name."""
        super().__init__("Gradient check", parent)
        self.setObjectName("gradCheckBox")
        self.state, self.focus_of, self.loss_of = state, focus_of, loss_of
        self._twins = LossTwins()  # its own float64 copies, used by one running check at a time
        self.button = QPushButton("Check selected weight")
        self.button.setObjectName("gradCheckButton")
        self.button.setToolTip("Compare backprop's dJ/dw for the selected edge (or dJ/db for a selected neuron) "
                               "with the central difference (J(w+ε) − J(w−ε)) / 2ε, in float64")
        self.result_label = QLabel("Select an edge (weight) or a neuron (bias) in the scene, then check.")
        self.result_label.setObjectName("gradCheckResult")
        self.result_label.setWordWrap(True)
        self.result: GradCheckResult | None = None
        row = QHBoxLayout()
        row.addWidget(self.button)
        row.addStretch(1)
        lay = QVBoxLayout(self)
        lay.addLayout(row)
        lay.addWidget(self.result_label)
        lay.addStretch(1)
        self.button.clicked.connect(self.check)

    def check(self) -> bool:
        """Start a check of focus_of() in the thread pool; False if there is nothing to check."""
        st, focus = self.state, self.focus_of()
        if st.x is None or st.target is None or focus is None or focus[0] < 1:
            self.result_label.setText("Nothing to check: select an edge or a hidden/output neuron.")
            return False
        # a cached float64 copy (never shared: the check perturbs it in another thread), one check at a time
        net64 = self._twins.network(st.network, self.loss_of(), dtype=np.float64, share=False)
        x, target = np.array(st.x), int(st.target)
        self.button.setEnabled(False)
        self.result_label.setText("checking…")
        submit(run_check, net64, x, target, focus, owner=self, name="gradient check", on_done=self._show,
               on_error=self._failed)
        return True

    def _failed(self, exc: BaseException) -> None:
        self.result = None
        self.result_label.setText(f"The check failed: {describe(exc)}")
        self.result_label.setStyleSheet("color: #ff6b6b;")
        self.button.setEnabled(True)

    def _show(self, result: GradCheckResult) -> None:
        self.result = result
        self.result_label.setText(result.text())
        colour = "#7ddc7d" if result.ok else "#ff6b6b"
        self.result_label.setStyleSheet(f"color: {colour};")
        self.button.setEnabled(True)
        self.checked.emit(result)
