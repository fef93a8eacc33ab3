"""The scalar chain (the lecture's warm-up): y = g(w5 g(w4 g(w3 g(w2 g(w1 x))))) without biases.

x, the target y, w1..w5 and g are editable. The walk lists every partial derivative in the slide's
order with its value, the diagram shows which earlier derivatives each new one reuses, and the last
lines show ∂J/∂w1 as the product of all local derivatives next to core's central difference.
Everything comes from a core Network (sizes 1-1-1-1-1-1, squared error) and its Trace.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QGridLayout,
    QLabel,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from nnviz.core.activations import ACTIVATIONS
from nnviz.core.gradcheck import rel_error
from nnviz.core.why_zero import chain_hint
from nnviz.gui.inspector.chain_diagram import ChainDiagram
from nnviz.gui.inspector.chain_model import (
    DEPTH,
    ChainSettings,
    ChainStep,
    chain_network,
    chain_steps,
    chain_trace,
    finite_difference_w1,
    product_line,
)
from nnviz.gui.inspector.controls import StepControls
from nnviz.gui.inspector.notation import num
from nnviz.gui.inspector.timeline_list import TimelineList
from nnviz.gui.look import themes


def _spin(value: float, name: str, tip: str) -> QDoubleSpinBox:
    s = QDoubleSpinBox()
    s.setObjectName(name)
    s.setRange(-10.0, 10.0)
    s.setDecimals(2)
    s.setSingleStep(0.1)
    s.setValue(value)
    s.setToolTip(tip)
    s.setMaximumWidth(72)
    return s


def _mono(name: str, size: float = 10.0) -> QLabel:
    lab = QLabel()
    lab.setObjectName(name)
    font = QFont("DejaVu Sans Mono")
    font.setPointSizeF(size)
    lab.setFont(font)
    lab.setWordWrap(True)
    lab.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return lab


class ScalarChainPanel(QWidget):
    """Editors, step controls, timeline, diagram, current formula, the product and the finite difference."""

    def __init__(self, settings: ChainSettings | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("scalarChain")
        self.setToolTip("The lecture's width-1, depth-5 chain: backprop one derivative at a time")
        s = settings or ChainSettings()
        self.net = self.trace = None
        self.steps: list[ChainStep] = []
        self.index = 0
        self._build(s)
        self.recompute()
        self.go(len(self.steps) - 1)

    def _build(self, s: ChainSettings) -> None:
        self.x_spin = _spin(s.x, "chainX", "input x")
        self.y_spin = _spin(s.y, "chainY", "target y")
        self.w_spins = [_spin(w, f"chainW{k + 1}", f"weight w{k + 1}") for k, w in enumerate(s.w)]
        self.g_combo = QComboBox()
        self.g_combo.setObjectName("chainActivation")
        self.g_combo.setToolTip("The activation g of every unit")
        for name in ACTIVATIONS:
            self.g_combo.addItem(name)
        self.g_combo.setCurrentText(s.g)
        self.output_g = QCheckBox("ŷ = g(z5)")
        self.output_g.setObjectName("chainOutputG")
        self.output_g.setToolTip("Checked: the output unit has g too, as on the slide; unchecked: ŷ = z5")
        self.output_g.setChecked(s.output_g)
        editors = QGridLayout()
        pairs = [("x", self.x_spin), ("y", self.y_spin), ("g", self.g_combo)]
        pairs += [(f"w{k + 1}", spin) for k, spin in enumerate(self.w_spins)]
        for n, (label, widget) in enumerate(pairs):  # two rows of four: the diagram needs the height
            editors.addWidget(QLabel(label), n // 4, 2 * (n % 4), Qt.AlignmentFlag.AlignRight)
            editors.addWidget(widget, n // 4, 2 * (n % 4) + 1)
        editors.addWidget(self.output_g, 2, 0, 1, 4)
        editors.setColumnStretch(8, 1)
        self.controls = StepControls()
        self.timeline = TimelineList()
        self.diagram = ChainDiagram()
        self.formula = _mono("chainFormula", 10.5)
        self.reuse = QLabel()
        self.reuse.setObjectName("chainReuse")
        self.reuse.setStyleSheet(f"color: {themes.current().phase['forward']};")
        self.reuse.setWordWrap(True)
        self.product = _mono("chainProduct", 9.5)
        self.product.setToolTip("∂J/∂w1 as the product of every local derivative on the way back (core's value)")
        self.why = QLabel()
        self.why.setObjectName("chainWhyZero")
        self.why.setWordWrap(True)
        self.why.setStyleSheet(f"color: {themes.current().phase['warn']}; font-weight: bold;")
        self.why.setToolTip("Why the gradients are zero: which g′(z) = 0 stops the chain")
        self.fd = QLabel()
        self.fd.setObjectName("chainFiniteDifference")
        self.fd.setWordWrap(True)
        self.fd.setToolTip("core.gradcheck's central difference (J(w1+ε) − J(w1−ε)) / 2ε")
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(self.diagram, 3)
        rl.addWidget(self.formula)
        rl.addWidget(self.reuse)
        rl.addWidget(self.why)
        rl.addWidget(self.product)
        rl.addWidget(self.fd)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.timeline)
        split.addWidget(right)
        split.setStretchFactor(1, 4)
        split.setSizes([110, 690])
        lay = QVBoxLayout(self)
        lay.addLayout(editors)
        lay.addWidget(self.controls)
        lay.addWidget(split, 1)
        for w in [self.x_spin, self.y_spin, *self.w_spins]:
            w.valueChanged.connect(self._edited)
        self.g_combo.currentTextChanged.connect(self._edited)
        self.output_g.toggled.connect(self._edited)
        self.controls.first.connect(lambda: self.go(0))
        self.controls.back.connect(lambda: self.go(self.index - 1))
        self.controls.forward.connect(lambda: self.go(self.index + 1))
        self.controls.last.connect(lambda: self.go(len(self.steps) - 1))
        self.controls.tick.connect(self._tick)
        self.timeline.stepChosen.connect(self.go)
        for key, slot in ((Qt.Key.Key_Right, lambda: self.go(self.index + 1)),
                          (Qt.Key.Key_Left, lambda: self.go(self.index - 1)),
                          (Qt.Key.Key_Space, self.controls.toggle_play)):
            sc = QShortcut(QKeySequence(key), self)
            sc.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            sc.activated.connect(slot)

    # --- model -----------------------------------------------------------------------------------
    def settings(self) -> ChainSettings:
        return ChainSettings(self.x_spin.value(), self.y_spin.value(), tuple(s.value() for s in self.w_spins),
                             self.g_combo.currentText(), self.output_g.isChecked())

    def recompute(self) -> None:
        """Build the core network and trace for the editors' values, refresh everything shown."""
        s = self.settings()
        self.net = chain_network(s)
        self.trace = chain_trace(self.net, s)
        self.steps = chain_steps(self.trace)
        self.timeline.set_steps(self.steps)
        hint = chain_hint(self.trace)
        self.why.setText(f"Why 0? {hint}." if hint else "")
        self.why.setVisible(bool(hint))
        self.product.setText(product_line(self.trace))
        backprop, numeric = finite_difference_w1(self.net, s)
        self.fd.setText(f"central difference ∂J/∂w1 ≈ {num(numeric, 7)}, backprop {num(backprop, 7)}: "
                        f"relative error {num(rel_error(backprop, numeric), 2)}")
        self.go(min(self.index, len(self.steps) - 1))

    @Slot()
    def _edited(self, *_) -> None:
        self.recompute()

    def go(self, index: int) -> None:
        if not self.steps:
            return
        self.index = max(0, min(int(index), len(self.steps) - 1))
        step = self.steps[self.index]
        self.timeline.set_current(self.index)
        self.controls.set_position(self.index, len(self.steps), step.phase)
        self.diagram.set_steps(self.steps, self.index, tuple(lt.W[0, 0] for lt in self.trace.layers))
        self.formula.setText(f"{step.formula}\n   {step.numbers}")
        reused = ", ".join([f"{self.steps[i].title} (step {i + 1})" for i in step.reuses]
                           + ([f"w{step.weight}"] if step.weight else []))
        self.reuse.setText(f"reuses {reused}: one multiplication per new derivative" if reused else "")
        last = self.index == len(self.steps) - 1  # the whole chain and its check, once it is complete
        self.product.setVisible(last)
        self.fd.setVisible(last)
        self.formula.setVisible(not last)  # (the product says it in full)
        self.reuse.setVisible(not last and bool(reused))

    def _tick(self) -> None:
        if self.index >= len(self.steps) - 1:
            self.controls.set_playing(False)
        else:
            self.go(self.index + 1)


__all__ = ["DEPTH", "ScalarChainPanel"]
