"""Small helpers for showing weight vectors as pictures (shared by the detail panel and the gallery)."""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg

from nnviz.gui.look import colormaps, themes
from nnviz.gui.network.scene.layout import grid_shape


def tile_shape(n: int) -> tuple[int, int]:
    """(rows, cols) to show n values as a picture: square if n is a square (784 -> 28x28)."""
    side = math.isqrt(n)
    return (side, side) if side * side == n else grid_shape(n, 1.0)


def as_grid(v: np.ndarray, shape: tuple[int, int], fill: float = 0.0) -> np.ndarray:
    """(n,) -> (rows, cols), padding with `fill`."""
    rows, cols = shape
    out = np.full(rows * cols, fill, np.float64)
    out[: v.size] = v
    return out.reshape(rows, cols)


def rgba_image(values: np.ndarray, cmap: pg.ColorMap, lo: float, hi: float) -> np.ndarray:
    """(rows, cols) values -> (rows, cols, 4) uint8 RGBA."""
    return colormaps.lookup(cmap, values, lo, hi).reshape(values.shape + (4,))


def image_view(name: str, tip: str) -> tuple[pg.GraphicsLayoutWidget, pg.ViewBox, pg.ImageItem]:
    """A dark, aspect-locked picture with y down: (widget, view box, image item)."""
    w = pg.GraphicsLayoutWidget()
    w.setObjectName(name)
    w.setBackground(themes.current().background)
    w.setToolTip(tip)
    vb = w.addViewBox()
    vb.setAspectLocked(True)
    vb.invertY(True)
    vb.setMenuEnabled(False)
    img = pg.ImageItem(axisOrder="row-major")
    vb.addItem(img)
    return w, vb, img
