"""Colour maps, colour bars and legends that every nnviz view shares.

One colour means one thing everywhere:
- activation_cmap(): sequential (inferno, black -> purple -> orange -> pale yellow) for
  non-negative quantities such as activations a and probabilities.
- diverging_cmap(): blue < 0 < red with a dark centre (CET-D4), for signed quantities such as
  weights W, pre-activations z, contributions w·a and gradients dJ_dz, dJ_dW. The dark centre
  makes near-zero values fade into the dark background.

`lookup(cmap, values, lo, hi)` turns values into (n, 4) uint8 RGBA through a 256-entry table, so
the colour shown for `hi` is exactly `top_color(cmap)`.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from nnviz.gui.scales import robust_abs_max

N_LUT = 256
BACKGROUND = QColor(18, 18, 24)  # scene background
PANEL = QColor(30, 30, 38)  # band behind a layer
TEXT = QColor(225, 225, 232)
TEXT_DIM = QColor(150, 150, 162)
HIGHLIGHT = QColor(80, 220, 255)  # hovered / selected neuron, highlighted layer
GREYED = QColor(60, 60, 68)  # a layer without values

_CACHE: dict[str, pg.ColorMap] = {}
LINE_SCALE = 1.0  # edge line width in device pixels (presenter mode: thicker lines for a projector)

# The painted views' colours per theme; set_scene_colours changes the constants above *in place*, so
# every module that imported them paints with the theme's colours from its next repaint.
SCENE_COLOURS = {
    "dark": {"BACKGROUND": (18, 18, 24), "PANEL": (30, 30, 38), "TEXT": (225, 225, 232), "TEXT_DIM": (150, 150, 162),
             "HIGHLIGHT": (80, 220, 255), "GREYED": (60, 60, 68)},
    "light": {"BACKGROUND": (250, 250, 252), "PANEL": (232, 232, 238), "TEXT": (28, 28, 34),
              "TEXT_DIM": (95, 95, 108), "HIGHLIGHT": (0, 120, 190), "GREYED": (205, 205, 212)},
}


# Text colours of the backprop phases (and warnings): bright on the dark theme, darker on the light one.
PHASE_TEXT = {
    "dark": {"forward": "#ffb347", "loss": "#ff6b6b", "backward": "#50dcff", "update": "#7ddc7d", "warn": "#ffb347"},
    "light": {"forward": "#b35900", "loss": "#c62828", "backward": "#006f9e", "update": "#2e7d32", "warn": "#b35900"},
}
PHASE_COLOURS: dict[str, str] = dict(PHASE_TEXT["dark"])  # changed in place with the theme


def set_scene_colours(theme: str) -> None:
    """Switch BACKGROUND, PANEL, TEXT, TEXT_DIM, HIGHLIGHT, GREYED and PHASE_COLOURS to the theme's (in place)."""
    for name, rgb in SCENE_COLOURS.get(theme, SCENE_COLOURS["dark"]).items():
        globals()[name].setRgb(*rgb)
    PHASE_COLOURS.update(PHASE_TEXT.get(theme, PHASE_TEXT["dark"]))


def activation_cmap() -> pg.ColorMap:
    """Sequential map for values >= 0 (activations a, probabilities): inferno."""
    if "act" not in _CACHE:
        _CACHE["act"] = pg.colormap.get("inferno", skipCache=True)  # our own object: set_palette changes it
    return _CACHE["act"]


def diverging_cmap() -> pg.ColorMap:
    """Diverging map for signed values: blue < 0 (dark at 0) < red. CET-D4."""
    if "div" not in _CACHE:
        _CACHE["div"] = pg.colormap.get("CET-D4", skipCache=True)
    return _CACHE["div"]


def lut(cmap: pg.ColorMap) -> np.ndarray:
    """(256, 4) uint8 RGBA table of `cmap`, cached on the map object."""
    table = getattr(cmap, "_nnviz_lut", None)
    if table is None:
        table = np.ascontiguousarray(cmap.getLookupTable(0.0, 1.0, N_LUT, alpha=True, mode="byte"), np.uint8)
        cmap._nnviz_lut = table
    return table


def normalise(values: np.ndarray, lo: float, hi: float) -> np.ndarray:
    """values -> indices 0..255 into the LUT, clipped; lo -> 0, hi -> 255. Shape kept."""
    v = np.asarray(values, np.float32)
    span = float(hi) - float(lo)
    if not np.isfinite(span) or span <= 0:
        span = 1.0
    idx = (v - float(lo)) * ((N_LUT - 1) / span)
    np.nan_to_num(idx, copy=False, nan=0.0)
    return np.clip(np.rint(idx), 0, N_LUT - 1).astype(np.intp)


def lookup(cmap: pg.ColorMap, values: np.ndarray, lo: float, hi: float) -> np.ndarray:
    """Colours of `values` (n,) on `cmap` between limits lo..hi: (n, 4) uint8 RGBA."""
    return lut(cmap)[normalise(np.ravel(values), lo, hi)]


def top_color(cmap: pg.ColorMap) -> tuple[int, int, int, int]:
    """The colour `lookup` gives for values at or above `hi`."""
    return tuple(int(c) for c in lut(cmap)[-1])


def symmetric_limits(values: np.ndarray, percentile: float = 99.5) -> tuple[float, float]:
    """(-m, m) with m a high percentile of |values| (robust to a few outliers); never zero."""
    m = robust_abs_max(values, percentile)
    return -m, m


def fmt(x: float) -> str:
    """A short number for labels: 3 significant digits, no '-0'."""
    if x == 0 or not np.isfinite(x):
        return "0" if x == 0 else str(x)
    s = f"{x:.3g}"
    return "0" if s in ("-0", "0") else s


def gradient_image(cmap: pg.ColorMap) -> QImage:
    """A 256x1 QImage of the colour map, left (lo) to right (hi)."""
    table = np.ascontiguousarray(lut(cmap)[None, :, :])
    img = QImage(table.data, N_LUT, 1, N_LUT * 4, QImage.Format.Format_RGBA8888)
    return img.copy()


def paint_colorbar(p: QPainter, rect: QRectF, cmap: pg.ColorMap, lo: float, hi: float, title: str,
                   mid_label: bool = False, text_scale: float = 1.0) -> None:
    """Paint a horizontal colour bar into `rect`: title above, gradient, limits below (text at 9.5 pt ×
    text_scale: presenter mode enlarges it)."""
    font = QFont(p.font())
    font.setPointSizeF(9.5 * text_scale)
    p.setFont(font)
    fh = p.fontMetrics().height()
    bar = QRectF(rect.left(), rect.top() + fh + 2, rect.width(), max(6.0, rect.height() - 2 * fh - 6))
    p.setPen(TEXT)
    _fit_title(p, font, title, rect.width())
    p.drawText(QRectF(rect.left(), rect.top(), rect.width(), fh),
               Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom,
               p.fontMetrics().elidedText(title, Qt.TextElideMode.ElideRight, int(rect.width())))
    p.setFont(font)
    p.drawImage(bar, gradient_image(cmap))
    p.setPen(QPen(TEXT_DIM, 0))
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.drawRect(bar)
    y = bar.bottom() + 2
    p.setPen(TEXT_DIM)
    label_rect = QRectF(rect.left(), y, rect.width(), fh)
    p.drawText(label_rect, Qt.AlignmentFlag.AlignLeft, fmt(lo))
    p.drawText(label_rect, Qt.AlignmentFlag.AlignRight, fmt(hi))
    if mid_label:
        p.drawText(label_rect, Qt.AlignmentFlag.AlignHCenter, fmt((lo + hi) / 2))


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
        paint_colorbar(p, self.boundingRect().adjusted(2, 0, -2, 0), self.cmap, self.lo, self.hi, self.title, mid,
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

    def sizeHint(self) -> QSize:
        return QSize(200, 46)

    def paintEvent(self, event) -> None:
        p = QPainter(self)
        p.fillRect(self.rect(), BACKGROUND)
        mid = self.lo < 0 < self.hi
        paint_colorbar(p, QRectF(self.rect()).adjusted(4, 2, -4, -2), self.cmap, self.lo, self.hi, self.title, mid)
        p.end()

# --- palettes ------------------------------------------------------------------------------------------
PALETTES = {
    "standard": {"act": "inferno", "div": "CET-D4"},
    # cividis and CET-CBD1 (blue < grey < yellow) read the same with red-green colour blindness
    "colour-blind safe": {"act": "cividis", "div": "CET-CBD1"},
}
palette = "standard"


def set_palette(name: str) -> None:
    """Switch every view's maps at once: the shared map objects take the new colours in place (views
    hold them), their lookup tables are dropped; the caller repaints."""
    global palette
    if name not in PALETTES:
        raise ValueError(f"unknown palette {name!r}; known: {', '.join(PALETTES)}")
    palette = name
    for key, cmap in (("act", activation_cmap()), ("div", diverging_cmap())):
        state = dict(pg.colormap.get(PALETTES[name][key], skipCache=True).__dict__)
        state.pop("_nnviz_lut", None)
        cmap.__dict__.clear()  # the same object becomes the new map (and drops its lookup table):
        cmap.__dict__.update(state)  # every view holding it sees the change
