"""Colour maps, colour bars and legends that every nnviz view shares.

One colour means one thing everywhere; the theme (themes.current()) names the two maps:
- activation_cmap: sequential (inferno, black -> purple -> orange -> pale yellow) for
  non-negative quantities such as activations a and probabilities.
- diverging_cmap: blue < 0 < red with a dark centre (CET-D4), for signed quantities such as
  weights W, pre-activations z, contributions w·a and gradients dJ_dz, dJ_dW. The dark centre
  makes near-zero values fade into the dark background.
The colour-blind-safe palette swaps them for cividis and blue < grey < yellow (CET-CBD1).

`lookup(cmap, values, lo, hi)` turns values into (n, 4) uint8 RGBA through a 256-entry table, so
the colour shown for `hi` is exactly `top_color(cmap)`.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QImage

from nnviz.gui.look.scales import robust_abs_max

N_LUT = 256
_MAPS: dict[str, pg.ColorMap] = {}  # one object per map name, never changed
_LUTS: dict[int, np.ndarray] = {}  # id of a map in _MAPS -> its lookup table


def named(name: str) -> pg.ColorMap:
    """pyqtgraph's colour map of this name, one shared object per name."""
    if name not in _MAPS:
        _MAPS[name] = pg.colormap.get(name, skipCache=True)
    return _MAPS[name]


def lut(cmap: pg.ColorMap) -> np.ndarray:
    """(256, 4) uint8 RGBA table of `cmap` (cached for the maps of named())."""
    table = _LUTS.get(id(cmap)) if _MAPS.get(getattr(cmap, "name", None)) is cmap else None
    if table is None:
        table = np.ascontiguousarray(cmap.getLookupTable(0.0, 1.0, N_LUT, alpha=True, mode="byte"), np.uint8)
        if _MAPS.get(getattr(cmap, "name", None)) is cmap:
            _LUTS[id(cmap)] = table
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
