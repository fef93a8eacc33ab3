"""The lecture's 1-2-1 network diagram: x -> two ReLU neurons -> linear output, values on the edges.

Edge colour = the weight's sign and size on the shared diverging map (blue < 0 < red), edge width
= |w|; each hidden neuron is outlined in the colour of its ReLU piece in the plots next to it.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from nnviz.gui.look import colorbars, colormaps, themes

UNIT_COLORS = (QColor(255, 110, 200), QColor(120, 230, 120))  # hidden neuron 1, 2 (their ReLU pieces)
OUTPUT_COLOR = QColor(80, 220, 255)  # ŷ, the network's curve


class TrafficDiagram(QWidget):
    """Paints the network with the current named parameters (see nnviz.core.toy.TRAFFIC_NAMES)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("trafficDiagram")
        self.setMinimumSize(360, 230)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setToolTip("The lecture's network: hour x -> two ReLU neurons h1, h2 -> linear output ŷ.\n"
                        "Edge colour: weight sign (blue < 0 < red); width: |weight|.")
        self.params: dict[str, float] = {}
        self._labels: list[tuple[QRectF, str]] = []  # the edges' value labels, painted last

    def set_params(self, params: dict[str, float]) -> None:
        self.params = dict(params)
        self.update()

    def _edge(self, p: QPainter, a: QPointF, b: QPointF, w: float, label: str, above: bool, t: float) -> None:
        rgba = colormaps.lookup(themes.current().diverging_cmap, [w], -1.5, 1.5)[0]
        color = QColor(int(rgba[0]), int(rgba[1]), int(rgba[2]))
        if abs(w) < 0.15:
            color = color.lighter(250)
        p.setPen(QPen(color, 1.5 + 3.0 * min(abs(w), 1.5)))
        p.drawLine(a, b)
        at = a + (b - a) * t
        off = -18 if above else 4
        self._labels.append((QRectF(at.x() - 50, at.y() + off, 100, 16), label))  # drawn over the nodes

    def _node(self, p: QPainter, c: QPointF, r: float, color: QColor, title: str, relu: bool,
              below: bool = False) -> None:
        p.setPen(QPen(color, 3))
        p.setBrush(themes.current().panel)
        p.drawEllipse(c, r, r)
        if relu:  # a tiny ReLU glyph
            path = QPainterPath(QPointF(c.x() - r * 0.6, c.y() + r * 0.35))
            path.lineTo(QPointF(c.x(), c.y() + r * 0.35))
            path.lineTo(QPointF(c.x() + r * 0.55, c.y() - r * 0.45))
            p.setPen(QPen(color, 2))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawPath(path)
        p.setPen(themes.current().text)
        y = c.y() + r + 2 if below else c.y() - r - 20
        p.drawText(QRectF(c.x() - 80, y, 160, 18), Qt.AlignmentFlag.AlignCenter, title)

    def paintEvent(self, event) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), themes.current().background)
        font = QFont(p.font())
        font.setPointSizeF(9.5)
        p.setFont(font)
        w, h = self.width(), self.height()
        r = min(26.0, h / 10)
        # bands: the colour bar on top (46 px), the formula at the bottom (40 px); each hidden neuron keeps
        # its title and bias label (40 px) on its outer side, so no label meets another or the bar
        top, bottom = 46.0, h - 40.0
        hid = (QPointF(w * 0.5, top + 40 + r), QPointF(w * 0.5, max(top + 40 + 3 * r, bottom - 40 - r)))
        mid = (hid[0].y() + hid[1].y()) / 2
        x_in, out = QPointF(50, mid), QPointF(w - 60, mid)
        v = {k: self.params.get(k, 0.0) for k in ("w1,1", "b1,1", "w1,2", "b1,2", "w2,1", "w2,2", "b2,1")}
        self._labels: list[tuple[QRectF, str]] = []
        for j, c in enumerate(hid, start=1):
            self._edge(p, x_in, c, v[f"w1,{j}"], f"w1,{j} = {v[f'w1,{j}']:.2f}", above=j == 1, t=0.62)
            self._edge(p, c, out, v[f"w2,{j}"], f"w2,{j} = {v[f'w2,{j}']:.2f}", above=j == 1, t=0.5)
        self._node(p, x_in, r, themes.current().text_dim, "x = hour", relu=False)
        for j, c in enumerate(hid, start=1):
            top = j == 1  # neuron 1's labels above it, neuron 2's below: clear of the edge labels
            self._node(p, c, r, UNIT_COLORS[j - 1], f"h{j} = ReLU(z{j})", relu=True, below=not top)
            p.setPen(themes.current().text_dim)
            y = c.y() - r - 38 if top else c.y() + r + 20
            p.drawText(QRectF(c.x() - 80, y, 160, 16), Qt.AlignmentFlag.AlignCenter, f"b1,{j} = {v[f'b1,{j}']:.2f}")
        self._node(p, out, r, OUTPUT_COLOR, "ŷ (linear)", relu=False)
        p.setPen(themes.current().text_dim)
        p.drawText(QRectF(out.x() - 55, out.y() + r + 4, 110, 16), Qt.AlignmentFlag.AlignCenter,
                   f"b2,1 = {v['b2,1']:.2f}")
        p.setPen(themes.current().text)
        for rect, text in self._labels:
            p.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
        p.drawText(QRectF(8, h - 38, w - 16, 36), Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                   "ŷ = b2,1 + w2,1·ReLU(w1,1 x + b1,1) + w2,2·ReLU(w1,2 x + b1,2)")
        colorbars.paint_colorbar(p, QRectF(8, 4, 150, 38), themes.current().diverging_cmap, -1.5, 1.5,
                             "edge colour = weight", mid_label=True)
        p.end()
