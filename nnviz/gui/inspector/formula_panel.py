"""The formula panel: the current step's equation with shapes, and the same equation with numbers
for the selected neuron or edge (numbers come from the core trace, see formulas.py).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from nnviz.core.trace import Trace
from nnviz.core.why_zero import trace_hint
from nnviz.gui.inspector.formulas import Numbers, Selection, numbers_for
from nnviz.gui.inspector.timeline import Step
from nnviz.gui.look import themes


def _label(object_name: str, size: float, bold: bool = False, mono: bool = False) -> QLabel:
    lab = QLabel()
    lab.setObjectName(object_name)
    lab.setTextFormat(Qt.TextFormat.PlainText)
    lab.setWordWrap(True)
    lab.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    font = QFont("DejaVu Sans Mono" if mono else "DejaVu Sans")
    font.setPointSizeF(size)
    font.setBold(bold)
    lab.setFont(font)
    return lab


class FormulaPanel(QFrame):
    """Title, equation with shapes, numbers for the focus, and a one-line explanation."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("formulaPanel")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.numbers: Numbers | None = None
        self.title = _label("formulaTitle", 12, bold=True)
        self.equation = _label("formulaEquation", 10.5, mono=True)
        self.equation.setToolTip("The step's equation in the lecture's notation, with the shapes of its terms")
        self.values = _label("formulaNumbers", 10.5, mono=True)
        self.values.setToolTip("The same equation with numbers for the selected neuron or edge "
                               "(click one in the network scene), read from the core trace")
        self.values.setStyleSheet(f"color: {themes.current().highlight.name()};")
        self.scale = _label("formulaScale", 9.5, mono=True)
        self.scale.setToolTip("The largest |value| of this step's gradient: the colours of the step run from "
                              "−that to +that. Gradients below what float32 resolves are drawn as 0.")
        self.explain = _label("formulaExplain", 9.5)
        self.explain.setStyleSheet("color: palette(placeholder-text);")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(10, 8, 10, 8)
        lay.setSpacing(4)
        for w in (self.title, self.equation, self.values, self.scale, self.explain):
            lay.addWidget(w)
        lay.addStretch(1)

    def show_step(self, step: Step | None, trace: Trace | None, selection: Selection = None,
                  lr: float = 0.1, index: int = 0, count: int = 0) -> None:
        """Show `step` of `trace` for the selection (neuron (layer, j) or edge (l, j, i))."""
        if step is None or trace is None:
            self.numbers = None
            self.title.setText("No input")
            self.equation.setText("")
            self.values.setText("Draw a digit or pick one from the dataset to inspect its backward pass.")
            self.scale.setText("")
            self.explain.setText("")
            return
        self.numbers = numbers_for(step, trace, selection, lr)
        colour = themes.current().phase.get(step.phase, themes.current().highlight.name())
        self.title.setStyleSheet(f"color: {colour};")
        where = f"step {index + 1}/{count} · {step.phase}" if count else step.phase
        self.title.setText(f"{step.title}    ({where})")
        self.equation.setText(step.formula)
        self.values.setText("\n".join(self.numbers.lines))
        self.scale.setText(step.scale(trace))
        self.scale.setVisible(bool(self.scale.text()))
        hint = trace_hint(trace, step.quantity, step.layer) if step.phase == "backward" else ""
        self.explain.setText(step.explain + (f"\nWhy zeros? {hint}." if hint else ""))

    def numbers_text(self) -> str:
        """The numeric lines as shown (for tests and copy/paste)."""
        return self.values.text()
