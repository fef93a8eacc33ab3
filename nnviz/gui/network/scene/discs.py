"""Hidden layers as grids of antialiased discs, one colour per neuron, built with Qt (no per-pixel NumPy
per input): the colours as a tiny rows x cols image, scaled up without smoothing into blocks, then cut
into discs by an alpha mask (DestinationIn). At the device's own resolution when it fits (a 1:1 blit per
repaint, crisp at any zoom), else at CELL_PX per neuron and scaled by the painter."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRect
from PySide6.QtGui import QImage, QPainter

CELL_PX = 16  # image pixels per neuron of the fallback picture
FILL = 0.84  # disc diameter / cell size
MAX_DEVICE_PX = 1_500_000  # beyond this (deep zoom), the fallback picture: a new zoom level costs a mask
_MASKS: dict[tuple[int, int, int, int], QImage] = {}


def disc_mask(px: int, fill: float = FILL) -> np.ndarray:
    """(px, px) float32 alpha of an antialiased disc of diameter fill*px."""
    yy, xx = np.mgrid[0:px, 0:px] + 0.5 - px / 2
    r = np.sqrt(xx * xx + yy * yy)
    return np.clip(fill * px / 2 - r + 0.5, 0, 1).astype(np.float32)


def grid_alpha(rows: int, cols: int, w: int, h: int, fill: float = FILL) -> np.ndarray:
    """(h, w) float32 alpha of rows x cols discs filling a w x h pixel area (cells may be fractional)."""
    cw, ch = w / cols, h / rows
    x = np.arange(w, dtype=np.float32) + 0.5
    y = np.arange(h, dtype=np.float32) + 0.5
    dx = x - (np.floor(x / cw) + 0.5) * cw
    dy = y - (np.floor(y / ch) + 0.5) * ch
    r = np.sqrt(dy[:, None] ** 2 + dx[None, :] ** 2)
    return np.clip(fill * min(cw, ch) / 2 - r + 0.5, 0, 1)


def mask_image(rows: int, cols: int, w: int, h: int) -> QImage:
    """The disc mask as a premultiplied image (only its alpha matters), cached for a few sizes."""
    key = (rows, cols, w, h)
    if key not in _MASKS:
        if len(_MASKS) > 16:  # zooming makes new sizes; keep the cache small
            _MASKS.clear()
        arr = np.zeros((h, w, 4), np.uint8)
        arr[..., 3] = np.rint(255 * grid_alpha(rows, cols, w, h)).astype(np.uint8)
        _MASKS[key] = QImage(arr.data, w, h, w * 4, QImage.Format.Format_RGBA8888).convertToFormat(
            QImage.Format.Format_ARGB32_Premultiplied)
    return _MASKS[key]


def disc_picture(tiny: QImage, rows: int, cols: int, w: int, h: int, out: QImage | None = None) -> QImage:
    """tiny: (rows x cols) one pixel per neuron -> a w x h picture of discs on transparency, painted into
    `out` when it has that size (no new buffer per input)."""
    if out is None or out.width() != w or out.height() != h:
        out = QImage(w, h, QImage.Format.Format_ARGB32_Premultiplied)
    p = QPainter(out)
    p.setCompositionMode(QPainter.CompositionMode.CompositionMode_Source)
    p.drawImage(QRect(0, 0, w, h), tiny)  # nearest scaling: one block per neuron
    p.setCompositionMode(QPainter.CompositionMode.CompositionMode_DestinationIn)
    p.drawImage(0, 0, mask_image(rows, cols, w, h))
    p.end()
    return out


def cell_picture(tiny: QImage, rows: int, cols: int) -> QImage:
    """The fallback: CELL_PX pixels per neuron (the painter scales it smoothly)."""
    return disc_picture(tiny, rows, cols, cols * CELL_PX, rows * CELL_PX)
