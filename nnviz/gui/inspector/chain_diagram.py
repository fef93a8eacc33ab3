"""A QPainter diagram of the scalar chain x → 1 → 2 → 3 → 4 → 5 → J.

Forward values appear above the neurons as the walk reaches them, derivatives below; the current
step is cyan, the earlier derivatives it multiplies ("reused") are orange with arrows to it. That is
the point of going backwards: each new derivative is one multiplication away from the previous one.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from nnviz.gui.inspector.chain_model import ChainStep
from nnviz.gui.inspector.notation import num
from nnviz.gui.look import themes

NODE = themes.current().greyed  # (the theme's: light nodes with dark labels on the light theme)


def reused() -> QColor:
    """The colour of reused derivatives: the forward phase's orange, darker on the light theme."""
    return QColor(themes.current().phase["forward"])
FORWARD = QColor(255, 179, 71, 0)


def anchor(step: ChainStep) -> tuple[str, int, str, int]:
    """(kind, k, side, row): where a step's value is written. kind 'node' (k = 0 x .. 5, 6 = J) or 'edge'."""
    t, node = step.title, step.node
    if step.phase == "forward":
        return "node", int(node[1:]), "above", 0 if t.startswith("z") else 1
    if node == "J":
        return "node", 6, "above" if step.phase == "loss" else "below", 0
    if t.startswith("∂J/∂w"):
        return "edge", int(node[1:]), "below", 0
    if t.startswith("∂J/∂a"):
        return "node", int(node[1:]), "below", 1
    return "node", int(node[1:]), "below", 0


class ChainDiagram(QWidget):
    """Draws steps[0..current] of the chain; `set_steps(steps, current, weights)`."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("chainDiagram")
        self.setToolTip("The chain y = g(w5 g(w4 g(w3 g(w2 g(w1 x))))): forward values above, derivatives "
                        "below; cyan = this step, orange = the earlier derivatives it reuses")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setMinimumHeight(300)  # (vertical, in a dock: 6 gaps of 3 rows of 14 px + margins)
        self.setMinimumWidth(220)
        self.steps: list[ChainStep] = []
        self.current = -1
        self.weights: tuple[float, ...] = ()

    def sizeHint(self) -> QSize:
        return QSize(820, 250)

    def set_steps(self, steps: list[ChainStep], current: int, weights: tuple[float, ...]) -> None:
        self.steps, self.current, self.weights = list(steps), int(current), tuple(weights)
        self.update()

    # --- geometry: left to right when wide, top to bottom when narrow (a dock) --------------------
    @property
    def vertical(self) -> bool:
        return self.width() < 560

    def _node(self, k: int) -> QPointF:
        """Centre of node k: 0 = x, 1..5 the units, 6 = J."""
        if self.vertical:
            return QPointF(self.width() * 0.36, 20 + k * (self.height() - 76) / 6)
        return QPointF(50 + k * (self.width() - 100) / 6, self.height() * 0.42)

    def _slot(self, kind: str, k: int, side: str, row: int) -> QRectF:
        """Where a value is written (see anchor)."""
        h = 17.0
        if self.vertical:  # rows of 14 px: node values ±h, edge values ±h/2 midway: no overlap from 3h apart
            h = 14.0
            c = self._node(k) if kind == "node" else (self._node(k - 1) + self._node(k)) / 2
            left = side == "above" and kind == "node"
            x0, x1 = (4.0, c.x() - 20) if left else (c.x() + 20, self.width() - 4.0)
            y = c.y() - h / 2 if kind == "edge" else c.y() - h + row * h
            return QRectF(x0, y, x1 - x0, h)
        c = self._node(k) if kind == "node" else (self._node(k - 1) + self._node(k)) / 2
        w = (self.width() - 100) / 6 - 4
        if kind == "edge":
            y = c.y() + 24 + 2 * h + 4
        else:
            y = c.y() - 34 - (2 - row) * h if side == "above" else c.y() + 24 + row * h
        return QRectF(c.x() - w / 2, y, w, h)

    def _align(self, rect: QRectF) -> Qt.AlignmentFlag:
        if not self.vertical:
            return Qt.AlignmentFlag.AlignCenter
        side = Qt.AlignmentFlag.AlignRight if rect.right() < self._node(0).x() else Qt.AlignmentFlag.AlignLeft
        return side | Qt.AlignmentFlag.AlignVCenter

    # --- painting ----------------------------------------------------------------------------------
    def paintEvent(self, event) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), themes.current().background)
        font = QFont(p.font())
        font.setPointSizeF(8.5 if not self.vertical else 7.5)
        p.setFont(font)
        cur = self.steps[self.current] if 0 <= self.current < len(self.steps) else None
        self._skeleton(p, cur.weight if cur is not None else None)
        reused_steps = set(cur.reuses) if cur else set()
        for i, s in enumerate(self.steps[: self.current + 1]):
            look = themes.current()
            colour = look.highlight if i == self.current else reused() if i in reused_steps else look.text
            self._value(p, s, colour, bold=i == self.current or i in reused_steps)
        if cur is not None:
            for i in cur.reuses:
                self._arrow(p, self._slot(*anchor(self.steps[i])), self._slot(*anchor(cur)))
        self._caption(p)
        p.end()

    def _skeleton(self, p: QPainter, used_weight: int | None) -> None:
        for k in range(1, 7):
            a, b = self._node(k - 1), self._node(k)
            d = (b - a) / max(1e-9, (b - a).manhattanLength()) * 16
            p.setPen(QPen(themes.current().text_dim, 1.5))
            p.drawLine(a + d, b - d)
            if k <= len(self.weights):
                p.setPen(reused() if k == used_weight else themes.current().text_dim)
                mid = (a + b) / 2
                rect = QRectF(4, mid.y() - 8, mid.x() - 20, 16) if self.vertical else \
                    QRectF(mid.x() - 50, mid.y() - 18, 100, 16)
                p.drawText(rect, self._align(rect), f"w{k} = {num(self.weights[k - 1], 3)}")
        for k in range(7):
            c = self._node(k)
            r = QRectF(c.x() - 16, c.y() - 16, 32, 32)
            p.setPen(QPen(themes.current().text_dim, 1.5))
            p.setBrush(NODE)
            label = "x" if k == 0 else "J" if k == 6 else ("ŷ" if k == 5 else str(k))
            if k in (0, 6):
                p.drawRoundedRect(r, 5, 5)
            else:
                p.drawEllipse(r)
            p.setPen(themes.current().text)
            p.drawText(r, Qt.AlignmentFlag.AlignCenter, label)

    def _value(self, p: QPainter, s: ChainStep, colour: QColor, bold: bool) -> None:
        f = QFont(p.font())
        f.setBold(bold)
        p.setFont(f)
        p.setPen(colour)
        rect = self._slot(*anchor(s))
        p.drawText(rect, self._align(rect), f"{s.title} = {num(s.value, 3)}")
        f.setBold(False)
        p.setFont(f)

    def _arrow(self, p: QPainter, src: QRectF, dst: QRectF) -> None:
        if self.vertical:  # from the near end of one value to the near end of the other, beside the chain
            x = self._node(0).x() + 20
            a = QPointF(src.right() if src.right() < x else src.left(), src.center().y())
            b = QPointF(dst.left(), dst.center().y())
            bend = QPointF(x - 4, 0)
            path = QPainterPath(a)
            path.cubicTo(QPointF(bend.x(), a.y()), QPointF(bend.x(), b.y()), b)
        else:
            a, b = QPointF(src.center().x(), src.bottom()), QPointF(dst.center().x(), dst.bottom())
            dip = max(a.y(), b.y()) + 14
            path = QPainterPath(a)
            path.cubicTo(QPointF(a.x(), dip), QPointF(b.x(), dip), b)
        p.setPen(QPen(reused(), 1.3, Qt.PenStyle.DashLine))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawPath(path)
        p.setBrush(reused())
        p.drawEllipse(b, 3, 3)

    def _caption(self, p: QPainter) -> None:
        p.setPen(themes.current().text_dim)
        y = self.height() - 20
        text = ("forward values left · derivatives right · " if self.vertical
                else "forward values above  ·  derivatives below  ·  ")
        p.drawText(QRectF(8, y, self.width() - 16, 18), Qt.AlignmentFlag.AlignLeft, text)
        x = 8 + p.fontMetrics().horizontalAdvance(text)
        if self.vertical:
            x, y = 8.0, y - 0.0
            p.drawText(QRectF(8, y - 18, self.width() - 16, 18), Qt.AlignmentFlag.AlignLeft, text)
            p.fillRect(QRectF(0, y, self.width(), 20), themes.current().background)
        for colour, label in ((themes.current().highlight, "this step"), (reused(), "reused from earlier steps")):
            p.setPen(colour)
            p.drawText(QRectF(x, y, 300, 18), Qt.AlignmentFlag.AlignLeft, "■ " + label)
            x += p.fontMetrics().horizontalAdvance("■ " + label) + 14
