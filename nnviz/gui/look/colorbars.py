"""Colour bars: what every colour in a view means, with its limits (the maps: colormaps.py, the theme's
colours and its two maps: themes.current()).

    bar = ColorBar(themes.current().activation_cmap, 0, 1, "activation a")   # a widget
    item = ColorBarItem(themes.current().diverging_cmap, -1, 1, "weight w")  # a graphics item (exports)

A bar that shows one of the theme's maps follows the theme: the colour-blind-safe palette swaps it.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QFont, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from nnviz.gui.look import colormaps, themes


def paint_colorbar(p: QPainter, rect: QRectF, cmap: pg.ColorMap, lo: float, hi: float, title: str,
                   mid_label: bool = False, text_scale: float = 1.0) -> None:
    """Paint a horizontal colour bar into `rect`: title above, gradient, limits below (text at 9.5 pt ×
    text_scale: presenter mode enlarges it)."""
    font = QFont(p.font())
    font.setPointSizeF(9.5 * text_scale)
    p.setFont(font)
    fh = p.fontMetrics().height()
    bar = QRectF(rect.left(), rect.top() + fh + 2, rect.width(), max(6.0, rect.height() - 2 * fh - 6))
    look = themes.current()
    p.setPen(look.text)
    _fit_title(p, font, title, rect.width())
    p.drawText(QRectF(rect.left(), rect.top(), rect.width(), fh),
               Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom,
               p.fontMetrics().elidedText(title, Qt.TextElideMode.ElideRight, int(rect.width())))
    p.setFont(font)
    p.drawImage(bar, colormaps.gradient_image(cmap))
    p.setPen(QPen(look.text_dim, 0))
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.drawRect(bar)
    y = bar.bottom() + 2
    p.setPen(look.text_dim)
    label_rect = QRectF(rect.left(), y, rect.width(), fh)
    p.drawText(label_rect, Qt.AlignmentFlag.AlignLeft, colormaps.fmt(lo))
    p.drawText(label_rect, Qt.AlignmentFlag.AlignRight, colormaps.fmt(hi))
    if mid_label:
        p.drawText(label_rect, Qt.AlignmentFlag.AlignHCenter, colormaps.fmt((lo + hi) / 2))


def _fit_title(p: QPainter, font: QFont, title: str, width: float, smallest: float = 7.0) -> None:
    """Set a font small enough for the whole title to fit width (down to `smallest` pt, then it is elided)."""
    small = QFont(font)
    size = font.pointSizeF()
    while size > smallest and p.fontMetrics().horizontalAdvance(title) > width:
        size -= 0.5
        small.setPointSizeF(size)
        p.setFont(small)


class _BarSettings:
    """What ColorBarItem and ColorBar share: a map, its limits and a title, changed by set()."""

    def set(self, cmap: pg.ColorMap | None = None, lo: float | None = None, hi: float | None = None,
            title: str | None = None, tip: str | None = None) -> None:
        """Change any of map, limits, title (and the tooltip: `tip`, else the title) and repaint."""
        self.cmap = cmap if cmap is not None else self.cmap
        self.lo = self.lo if lo is None else float(lo)
        self.hi = self.hi if hi is None else float(hi)
        self.title = self.title if title is None else title
        self.setToolTip(tip or self.title)
        self.update()


class ColorBarItem(_BarSettings, pg.GraphicsWidget):
    """A titled horizontal colour bar as a graphics item (lives in a GraphicsLayout, so it exports)."""

    HEIGHT = 46

    def __init__(self, cmap: pg.ColorMap, lo: float = 0.0, hi: float = 1.0, title: str = "", width: int = 190):
        super().__init__()
        self.cmap, self.lo, self.hi, self.title = cmap, lo, hi, title
        self.text_scale = 1.0
        self.setMinimumSize(min(width, 140), self.HEIGHT)  # shrinks (its title with it) when the row is short
        self.setPreferredSize(width, self.HEIGHT)
        self.setMaximumSize(width, self.HEIGHT)
        self.setToolTip(title)

    def set_text_scale(self, scale: float) -> None:
        """Text (and the bar's height with it) at scale × its normal size."""
        self.text_scale = scale
        h = round(self.HEIGHT * scale)
        self.setMinimumHeight(h)
        self.setPreferredHeight(h)
        self.setMaximumHeight(h)
        self.update()

    def paint(self, p: QPainter, *args) -> None:
        p.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        mid = self.lo < 0 < self.hi
        cmap = themes.current().in_palette(self.cmap)
        paint_colorbar(p, self.boundingRect().adjusted(2, 0, -2, 0), cmap, self.lo, self.hi, self.title, mid,
                       self.text_scale)


class ColorBar(_BarSettings, QWidget):
    """A titled horizontal colour bar widget with its limits, for ordinary Qt layouts."""

    def __init__(self, cmap: pg.ColorMap, lo: float = 0.0, hi: float = 1.0, title: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("colorBar")
        self.cmap, self.lo, self.hi, self.title = cmap, lo, hi, title
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumHeight(46)
        self.setToolTip(title)
        self.text_scale = 1.0

    def set_text_scale(self, scale: float) -> None:
        """Text (and the bar's height with it) at scale × its normal size (presenter mode)."""
        self.text_scale = scale
        self.setMinimumHeight(round(46 * scale))
        self.updateGeometry()
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(200, round(46 * self.text_scale))

    def paintEvent(self, event) -> None:
        p = QPainter(self)
        p.fillRect(self.rect(), themes.current().background)
        mid = self.lo < 0 < self.hi
        cmap = themes.current().in_palette(self.cmap)
        paint_colorbar(p, QRectF(self.rect()).adjusted(4, 2, -4, -2), cmap, self.lo, self.hi, self.title, mid,
                       text_scale=self.text_scale)
        p.end()
