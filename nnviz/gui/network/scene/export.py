"""SVG export of a graphics view through QSvgGenerator (pyqtgraph's SVG exporter cannot parse every path)."""

from __future__ import annotations

from PySide6.QtCore import QRect, QRectF, QSize
from PySide6.QtGui import QPainter
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QGraphicsView


def export_svg(view: QGraphicsView, path: str, title: str = "") -> None:
    """Render what `view` shows (its viewport, at its size) into an SVG file."""
    size = view.viewport().size()
    gen = QSvgGenerator()
    gen.setFileName(path)
    gen.setSize(QSize(size))
    gen.setViewBox(QRect(0, 0, size.width(), size.height()))
    gen.setTitle(title)
    p = QPainter(gen)
    view.render(p, QRectF(0, 0, size.width(), size.height()), view.viewport().rect())
    p.end()
