"""Overlays drawn above neurons and edges: rings around the hovered/selected neuron and edge, and the
pulse that travels between layers in animate_transition()."""

from __future__ import annotations

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QLinearGradient, QPainter, QPen
from PySide6.QtWidgets import QGraphicsObject

from nnviz.gui.look import themes


class MarkerItem(QGraphicsObject):
    """Rings around neurons (hovered: thin white, selected: thick highlight, focus: dashed amber) and
    lines for the selected edge (highlight) and the focus edge (dashed amber)."""

    def __init__(self, rect: QRectF):
        super().__init__()
        self._rect = QRectF(rect)
        self.rings: list[tuple[QPointF, float, str]] = []  # (centre, radius, "hover" | "selected" | "focus")
        self.edge: QLineF | None = None
        self.focus_edge: QLineF | None = None

    def set_marks(self, rings: list[tuple[QPointF, float, str]], edge: QLineF | None = None,
                  focus_edge: QLineF | None = None) -> None:
        self.rings, self.edge, self.focus_edge = rings, edge, focus_edge
        self.update()

    def boundingRect(self) -> QRectF:
        return self._rect

    def paint(self, p: QPainter, *args) -> None:
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        p.setBrush(Qt.BrushStyle.NoBrush)
        if self.focus_edge is not None:
            p.setPen(_pen("focus", 3.0))
            p.drawLine(self.focus_edge)
        if self.edge is not None:
            p.setPen(QPen(themes.current().highlight, 3.0))
            p.drawLine(self.edge)
        for centre, radius, kind in self.rings:
            r = radius + (3.0 if kind == "focus" else 0.0)  # outside a selection ring on the same neuron
            p.setPen(_pen(kind, 3.0 if kind == "selected" else 2.0))
            p.drawEllipse(centre, r, r)


FOCUS = QColor(255, 200, 60)  # the inspector's focus: amber, dashed (neither hover nor selection)


def _pen(kind: str, width: float) -> QPen:
    colour = {"selected": themes.current().highlight, "focus": FOCUS}.get(kind, QColor(255, 255, 255))
    pen = QPen(colour, width)
    pen.setCosmetic(True)
    if kind == "focus":
        pen.setStyle(Qt.PenStyle.DashLine)
    return pen


class PulseItem(QGraphicsObject):
    """A soft vertical band of light at x = position between two layers; hidden when idle."""

    def __init__(self, top: float, height: float):
        super().__init__()
        self.top, self.height, self.x, self.half = top, height, 0.0, 36.0
        self.setVisible(False)

    def set_x(self, x: float) -> None:
        self.prepareGeometryChange()
        self.x = x
        self.update()

    def boundingRect(self) -> QRectF:
        return QRectF(self.x - self.half, self.top, 2 * self.half, self.height)

    def paint(self, p: QPainter, *args) -> None:
        grad = QLinearGradient(self.x - self.half, 0, self.x + self.half, 0)
        c = QColor(themes.current().highlight)
        c.setAlpha(0)
        grad.setColorAt(0.0, c)
        c.setAlpha(150)
        grad.setColorAt(0.5, c)
        c.setAlpha(0)
        grad.setColorAt(1.0, c)
        p.fillRect(self.boundingRect(), grad)
