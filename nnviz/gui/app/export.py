"""Pictures of views: PNG or SVG, by the file's suffix.

A view with its own `export(path)` (the network scene) does it itself; a view holding one pyqtgraph
scene goes through pyqtgraph's exporters (the scene alone, at any size); anything else is grabbed
(PNG) or rendered into a QSvgGenerator (SVG, vector where the widget paints vectors).
"""

from __future__ import annotations

from pathlib import Path

import pyqtgraph as pg
import pyqtgraph.exporters
from PySide6.QtCore import QPoint, QRectF
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QGraphicsView, QWidget


def export_widget(widget: QWidget, path: str | Path) -> Path:
    """Save a picture of widget to path (.png or .svg)."""
    path = Path(path)
    svg = path.suffix.lower() == ".svg"
    if callable(getattr(widget, "export", None)):
        widget.export(str(path))
        return path
    views = [widget] if isinstance(widget, pg.GraphicsView) else widget.findChildren(pg.GraphicsView)
    if len(views) == 1 and not svg:  # one pyqtgraph scene: its exporter renders the scene alone
        pg.exporters.ImageExporter(views[0].scene()).export(str(path))
    elif len(views) == 1:
        try:
            pg.exporters.SVGExporter(views[0].scene()).export(str(path))
        except ValueError:  # pyqtgraph issue #3495: closed paths ("Z") that Qt >= 6.9 writes
            render_svg(views[0], path)
    elif svg:
        render_svg(widget, path)
    else:
        widget.grab().save(str(path))
    return path


def render_svg(widget: QWidget, path: Path) -> None:
    """Render a widget into an SVG file."""
    from PySide6.QtSvg import QSvgGenerator

    gen = QSvgGenerator()
    gen.setFileName(str(path))
    gen.setSize(widget.size())
    gen.setViewBox(QRectF(0, 0, widget.width(), widget.height()))
    gen.setTitle("nnviz")
    painter = QPainter(gen)
    try:
        if isinstance(widget, QGraphicsView):
            widget.render(painter)  # the visible scene, as vectors
        else:
            widget.render(painter, QPoint(0, 0))
    finally:
        painter.end()
