"""Overlays drawn above neurons and edges: rings around the hovered/selected neuron and edge, and the
pulse that travels between layers in animate_transition()."""

from __future__ import annotations

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QLinearGradient, QPainter, QPen
from PySide6.QtWidgets import QGraphicsObject

from .. import theme


class MarkerItem(QGraphicsObject):
    """Rings around neurons (hovered: thin, selected: thick) and a highlighted edge line."""

    def __init__(self, rect: QRectF):
        super().__init__()
        self._rect = QRectF(rect)
        self.rings: list[tuple[QPointF, float, bool]] = []  # (centre, radius, selected)
        self.edge: QLineF | None = None

    def set_marks(self, rings: list[tuple[QPointF, float, bool]], edge: QLineF | None = None) -> None:
        self.rings, self.edge = rings, edge
        self.update()

    def boundingRect(self) -> QRectF:
        return self._rect

    def paint(self, p: QPainter, *args) -> None:
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        p.setBrush(Qt.BrushStyle.NoBrush)
        if self.edge is not None:
            p.setPen(QPen(theme.HIGHLIGHT, 3.0))
            p.drawLine(self.edge)
        for centre, radius, selected in self.rings:
            pen = QPen(theme.HIGHLIGHT if selected else QColor(255, 255, 255), 3.0 if selected else 2.0)
            pen.setCosmetic(True)
            p.setPen(pen)
            p.drawEllipse(centre, radius, radius)


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
        c = QColor(theme.HIGHLIGHT)
        c.setAlpha(0)
        grad.setColorAt(0.0, c)
        c.setAlpha(150)
        grad.setColorAt(0.5, c)
        c.setAlpha(0)
        grad.setColorAt(1.0, c)
        p.fillRect(self.boundingRect(), grad)
