"""A lecture-style sketch of a dense network: a column of neurons per layer, formulas between layers.

At most 9 neurons are drawn per layer (with "⋮" for the rest); every pair of neighbouring layers is
joined by a fan of lines (all-to-all), labelled with n_in·n_out + n_out for that layer.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from nnviz.core import toy
from nnviz.gui.look import themes

NEURON = QColor(80, 220, 255)
HIGHLIGHT = QColor(255, 200, 80)  # the neuron a poll asks about, and its fan-in
SHOWN = 9


class ParamDiagram(QWidget):
    """`set_sizes(sizes, highlight_layer=None)`: highlight one neuron of that 1-based Dense layer."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("paramDiagram")
        self.setMinimumHeight(250)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setToolTip("Each column is a layer; every neuron connects to every neuron of the next layer.\n"
                        "Orange: one neuron and its fan-in (n_in weights + 1 bias).")
        self.sizes: tuple[int, ...] = ()
        self.highlight: int | None = None

    def set_sizes(self, sizes: tuple[int, ...], highlight_layer: int | None = None) -> None:
        self.sizes, self.highlight = tuple(sizes), highlight_layer
        self.update()

    def _column(self, x: float, n: int, top: float, bottom: float) -> list[QPointF]:
        k = min(n, SHOWN)
        step = (bottom - top) / max(k, 1)
        return [QPointF(x, top + step * (i + 0.5)) for i in range(k)]

    def paintEvent(self, event) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), themes.current().background)
        if not self.sizes:
            p.end()
            return
        font = QFont(p.font())
        font.setPointSizeF(9.5)
        p.setFont(font)
        w, h = self.width(), self.height() - 18
        L = len(self.sizes)
        xs = [60 + i * (w - 120) / max(L - 1, 1) for i in range(L)]
        cols = [self._column(x, n, 40, h - 58) for x, n in zip(xs, self.sizes)]
        r = max(3.0, min(9.0, (h - 100) / (2.6 * SHOWN)))
        counts = toy.count_parameters(self.sizes)
        for l, c in enumerate(counts):
            p.setPen(QPen(QColor(120, 120, 140, 90), 1))
            for a in cols[l]:
                for b in cols[l + 1]:
                    p.drawLine(a, b)
            if self.highlight == c.layer:
                target = cols[l + 1][0]
                p.setPen(QPen(HIGHLIGHT, 2))
                for a in cols[l]:
                    p.drawLine(a, target)
            p.setPen(themes.current().text)
            mid = (xs[l] + xs[l + 1]) / 2
            p.drawText(QRectF(mid - 90, h - 50, 180, 18), Qt.AlignmentFlag.AlignCenter,
                       f"{c.n_in:,}·{c.n_out:,} + {c.n_out:,}")
            p.setPen(NEURON)
            p.drawText(QRectF(mid - 90, h - 32, 180, 18), Qt.AlignmentFlag.AlignCenter, f"= {c.params:,}")
        for l, (col, n) in enumerate(zip(cols, self.sizes)):
            for i, c in enumerate(col):
                hl = self.highlight == l and i == 0 and l > 0
                p.setPen(QPen(HIGHLIGHT if hl else NEURON, 2))
                p.setBrush(themes.current().panel)
                p.drawEllipse(c, r, r)
            if n > SHOWN:
                p.setPen(themes.current().text_dim)
                last = col[-1]
                p.drawText(QRectF(last.x() - 20, last.y() + r, 40, 16), Qt.AlignmentFlag.AlignCenter, "⋮")
            p.setPen(themes.current().text)
            name = "input" if l == 0 else ("output" if l == L - 1 else f"hidden {l}")
            p.drawText(QRectF(xs[l] - 70, 6, 140, 30), Qt.AlignmentFlag.AlignCenter, f"{name}\n{n:,} neurons")
        p.setPen(themes.current().text_dim)
        legend = "○ neuron (≤ 9 drawn, ⋮ = more) · grey: all-to-all connections"
        if self.highlight:
            legend += " · orange: the poll's neuron and its weights"
        p.drawText(QRectF(6, h, w - 12, 18), Qt.AlignmentFlag.AlignLeft, legend)
        p.end()
