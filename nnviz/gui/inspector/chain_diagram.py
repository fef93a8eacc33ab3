"""A QPainter diagram of the scalar chain x → 1 → 2 → 3 → 4 → 5 → J.

Forward values appear above the neurons as the walk reaches them, derivatives below; the current
step is cyan, the earlier derivatives it multiplies ("reused") are orange with arrows to it. That is
the point of going backwards: each new derivative is one multiplication away from the previous one.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from ..theme import BACKGROUND, HIGHLIGHT, TEXT, TEXT_DIM
from .chain_model import ChainStep
from .notation import num

REUSED = QColor(255, 179, 71)
NODE = QColor(60, 60, 75)
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
        self.setMinimumHeight(230)
        self.steps: list[ChainStep] = []
        self.current = -1
        self.weights: tuple[float, ...] = ()

    def sizeHint(self) -> QSize:
        return QSize(820, 250)

    def set_steps(self, steps: list[ChainStep], current: int, weights: tuple[float, ...]) -> None:
        self.steps, self.current, self.weights = list(steps), int(current), tuple(weights)
        self.update()

    # --- geometry ----------------------------------------------------------------------------------
    def _x(self, k: int) -> float:
        return 50 + k * (self.width() - 100) / 6

    def _cy(self) -> float:
        return self.height() * 0.42

    def _slot(self, kind: str, k: int, side: str, row: int) -> QRectF:
        x = (self._x(k - 1) + self._x(k)) / 2 if kind == "edge" else self._x(k)
        w = (self.width() - 100) / 6 - 4
        h = 17
        y = self._cy() - 34 - (2 - row) * h if side == "above" else self._cy() + 24 + row * h
        if kind == "edge":
            y = self._cy() + 24 + 2 * h + 4
        return QRectF(x - w / 2, y, w, h)

    # --- painting ----------------------------------------------------------------------------------
    def paintEvent(self, event) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), BACKGROUND)
        font = QFont(p.font())
        font.setPointSizeF(8.5)
        p.setFont(font)
        cur = self.steps[self.current] if 0 <= self.current < len(self.steps) else None
        self._skeleton(p, cur.weight if cur is not None else None)
        reused = set(cur.reuses) if cur else set()
        for i, s in enumerate(self.steps[: self.current + 1]):
            colour = HIGHLIGHT if i == self.current else REUSED if i in reused else TEXT
            self._value(p, s, colour, bold=i == self.current or i in reused)
        if cur is not None:
            for i in cur.reuses:
                self._arrow(p, self._slot(*anchor(self.steps[i])), self._slot(*anchor(cur)))
        self._caption(p)
        p.end()

    def _skeleton(self, p: QPainter, used_weight: int | None) -> None:
        cy = self._cy()
        for k in range(1, 7):
            p.setPen(QPen(TEXT_DIM, 1.5))
            p.drawLine(QPointF(self._x(k - 1) + 16, cy), QPointF(self._x(k) - 16, cy))
            if k <= len(self.weights):
                p.setPen(REUSED if k == used_weight else TEXT_DIM)
                mid = (self._x(k - 1) + self._x(k)) / 2
                p.drawText(QRectF(mid - 50, cy - 18, 100, 16), Qt.AlignmentFlag.AlignHCenter,
                           f"w{k} = {num(self.weights[k - 1], 3)}")
        for k in range(7):
            r = QRectF(self._x(k) - 16, cy - 16, 32, 32)
            p.setPen(QPen(TEXT_DIM, 1.5))
            p.setBrush(NODE)
            label = "x" if k == 0 else "J" if k == 6 else ("ŷ" if k == 5 else str(k))
            if k in (0, 6):
                p.drawRoundedRect(r, 5, 5)
            else:
                p.drawEllipse(r)
            p.setPen(TEXT)
            p.drawText(r, Qt.AlignmentFlag.AlignCenter, label)

    def _value(self, p: QPainter, s: ChainStep, colour: QColor, bold: bool) -> None:
        f = QFont(p.font())
        f.setBold(bold)
        p.setFont(f)
        p.setPen(colour)
        p.drawText(self._slot(*anchor(s)), Qt.AlignmentFlag.AlignCenter, f"{s.title} = {num(s.value, 3)}")
        f.setBold(False)
        p.setFont(f)

    def _arrow(self, p: QPainter, src: QRectF, dst: QRectF) -> None:
        a, b = QPointF(src.center().x(), src.bottom()), QPointF(dst.center().x(), dst.bottom())
        dip = max(a.y(), b.y()) + 14
        path = QPainterPath(a)
        path.cubicTo(QPointF(a.x(), dip), QPointF(b.x(), dip), b)
        p.setPen(QPen(REUSED, 1.3, Qt.PenStyle.DashLine))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawPath(path)
        p.setBrush(REUSED)
        p.drawEllipse(b, 3, 3)

    def _caption(self, p: QPainter) -> None:
        p.setPen(TEXT_DIM)
        text = "forward values above  ·  derivatives below  ·  "
        p.drawText(QRectF(8, self.height() - 20, self.width() - 16, 18), Qt.AlignmentFlag.AlignLeft, text)
        x = 8 + p.fontMetrics().horizontalAdvance(text)
        for colour, label in ((HIGHLIGHT, "this step"), (REUSED, "reused from earlier steps")):
            p.setPen(colour)
            p.drawText(QRectF(x, self.height() - 20, 300, 18), Qt.AlignmentFlag.AlignLeft, "■ " + label)
            x += p.fontMetrics().horizontalAdvance("■ " + label) + 14


if __name__ == "__main__":
    from PySide6.QtWidgets import QApplication

    from .chain_model import ChainSettings, chain_network, chain_steps, chain_trace

    app = QApplication([])
    s = ChainSettings()
    steps = chain_steps(chain_trace(chain_network(s), s))
    w = ChainDiagram()
    w.set_steps(steps, 17, s.w)
    w.resize(820, 250)
    w.show()
    app.exec()
