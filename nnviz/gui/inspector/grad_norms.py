"""Gradient size per layer: bars of ‖dJ/dW_l‖ for this example, and the same over a training run.

The run's norms come from the training worker's BatchDone.grad_norms (core computes them);
InspectorPanel.add_grad_norms(samples, norms) feeds GradNormPlot. With sigmoid hidden layers the
early layers' curves sit orders of magnitude below the last layer's: the vanishing gradient.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter
from PySide6.QtWidgets import QSizePolicy, QWidget

from nnviz.core.trace import Trace
from nnviz.gui.inspector.notation import num, sym
from nnviz.gui.look import themes
from nnviz.gui.look.axes import LogAxis, plain_ticks

LAYER_COLOURS = ("#50dcff", "#ffb347", "#7ddc7d", "#ff6b6b", "#c38cff", "#ffe066", "#ff8fd1")
MAX_POINTS = 5000


def layer_colour(l: int) -> QColor:
    """The colour of layer l (1-based) in the bars and the plot."""
    return QColor(LAYER_COLOURS[(l - 1) % len(LAYER_COLOURS)])


def trace_grad_norms(trace: Trace | None) -> tuple[float, ...]:
    """‖dJ/dW_l‖ (Frobenius) for l = 1..L from a trace with a backward pass; () without one.

    The same quantity core.training reports in BatchDone.grad_norms (there: for a batch).
    """
    if trace is None or not trace.has_backward:
        return ()
    return tuple(float(np.linalg.norm(lt.dJ_dW)) for lt in trace.layers)


class GradNormBars(QWidget):
    """One horizontal bar per layer, length ∝ ‖dJ/dW_l‖ on a log scale, with the value written."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("gradNormBars")
        self.setToolTip("Size of each layer's weight gradient ‖dJ/dW_l‖ for this example (log scale). "
                        "Switch the hidden activation to sigmoid and the early layers' bars shrink.")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.norms: tuple[float, ...] = ()

    def sizeHint(self) -> QSize:
        return QSize(300, 22 + 18 * max(1, len(self.norms)))

    def set_norms(self, norms: tuple[float, ...]) -> None:
        self.norms = tuple(norms)
        self.setMinimumHeight(22 + 18 * max(1, len(self.norms)))
        self.updateGeometry()
        self.update()

    def paintEvent(self, event) -> None:
        p = QPainter(self)
        p.fillRect(self.rect(), themes.current().background)
        font = QFont(p.font())
        font.setPointSizeF(8.5)
        p.setFont(font)
        p.setPen(themes.current().text)
        p.drawText(QRectF(6, 2, self.width() - 12, 16), Qt.AlignmentFlag.AlignLeft,
                   "‖dJ/dW_l‖ for this example (log scale)")
        positive = [n for n in self.norms if n > 0]
        if positive:
            lo, hi = np.log10(min(positive)) - 1.0, np.log10(max(positive))
            for row, n in enumerate(self.norms):
                self._bar(p, row, n, lo, hi)
        p.end()

    def _bar(self, p: QPainter, row: int, n: float, lo: float, hi: float) -> None:
        y, label_w, value_w = 20 + 18 * row, 52, 70
        p.setPen(themes.current().text_dim)
        p.drawText(QRectF(6, y, label_w, 16), Qt.AlignmentFlag.AlignVCenter, sym("dJ/dW", row + 1))
        width = self.width() - label_w - value_w - 18
        frac = 0.0 if n <= 0 else (np.log10(n) - lo) / max(hi - lo, 1e-9)
        p.fillRect(QRectF(label_w + 8, y + 3, max(1.0, frac * width), 11), layer_colour(row + 1))
        p.setPen(themes.current().text)
        p.drawText(QRectF(self.width() - value_w - 4, y, value_w, 16),
                   Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight, num(n, 3))


class GradNormPlot(pg.PlotWidget):
    """‖dJ/dW_l‖ per layer against examples seen, log y axis, one curve per layer."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, axisItems={"left": LogAxis("left")})
        self.setObjectName("gradNormPlot")
        self.setToolTip("Gradient size per layer during training (from the training run's batches). "
                        "Curves far below the others: that layer barely learns (vanishing gradient).")
        self.setLogMode(y=True)
        self.getPlotItem().getAxis("left").setStyle(maxTextLevel=0)  # label 1, 2, 5 x 10^k only: no overprint
        plain_ticks(self)
        self.setLabel("bottom", "examples seen")
        self.setLabel("left", "‖dJ/dW_l‖")
        self.showGrid(x=True, y=True, alpha=0.2)
        self.legend = self.addLegend(offset=(-6, 4), colCount=7, brush=pg.mkBrush(18, 18, 24, 200))
        self.samples: list[int] = []
        self.norms: list[tuple[float, ...]] = []
        self.curves: list[pg.PlotDataItem] = []
        self.setMinimumHeight(90)

    def clear_run(self) -> None:
        self.samples.clear()
        self.norms.clear()
        for c in self.curves:
            self.removeItem(c)
            self.legend.removeItem(c)
        self.curves = []

    def add(self, samples: int, norms: tuple[float, ...]) -> None:
        """One batch's norms; a smaller `samples` than the last one starts a new run."""
        if not norms:
            return
        if (self.samples and samples < self.samples[-1]) or (self.norms and len(norms) != len(self.norms[-1])):
            self.clear_run()
        self.samples.append(int(samples))
        self.norms.append(tuple(float(max(n, 1e-30)) for n in norms))
        if len(self.samples) > MAX_POINTS:
            del self.samples[: len(self.samples) - MAX_POINTS]
            del self.norms[: len(self.norms) - MAX_POINTS]
        while len(self.curves) < len(norms):
            l = len(self.curves) + 1
            self.curves.append(self.plot([], [], pen=pg.mkPen(layer_colour(l), width=2), name=sym("W", l)))
        x = np.asarray(self.samples, np.float64)
        y = np.asarray(self.norms, np.float64)
        for l, curve in enumerate(self.curves):
            curve.setData(x, y[:, l])
