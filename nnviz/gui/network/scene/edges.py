"""Edges as coloured lines, drawn fast (which edges: edge_sets.py, re-exported here).

Drawing rule (measured): one pen per colour bin, batched drawLines per bin straight from NumPy
memory (no per-line Python objects), in chunks so that a painting worker thread lets the GUI thread's
Python run between them.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import shiboken6
from PySide6.QtCore import QLineF, QRectF
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QGraphicsObject

from nnviz.gui.look import colormaps, themes
from nnviz.gui.network.scene.edge_sets import EdgeSet, all_edges, all_edges_sample, concat, fan, top_k  # noqa: F401 (re-exported)

N_BINS = 32
CHUNK = 1024  # lines per drawLines call (~1 ms; see _draw_lines)


def bin_colors(alpha_lo: int, alpha_hi: int, gamma: float = 1.0) -> list[QColor]:
    """N_BINS colours across the diverging map; alpha grows with |t| (faint near zero)."""
    table = colormaps.lut(themes.current().diverging_cmap)
    out = []
    for b in range(N_BINS):
        t = (b + 0.5) / N_BINS * 2 - 1  # bin centre in -1..1
        r, g, bl, _ = table[round((t + 1) / 2 * (colormaps.N_LUT - 1))]
        a = alpha_lo + (alpha_hi - alpha_lo) * abs(t) ** gamma
        out.append(QColor(int(r), int(g), int(bl), int(a)))
    return out


def bin_order() -> list[int]:
    """Bins from weakest to strongest |t|, so strong edges are drawn last (on top)."""
    centres = np.abs((np.arange(N_BINS) + 0.5) / N_BINS * 2 - 1)
    return list(np.argsort(centres, kind="stable"))


def line_ends(edges: EdgeSet, centers: list[np.ndarray], scale: float = 1.0,
              start_x: list[float | None] | None = None) -> np.ndarray:
    """(m, 4) x1, y1, x2, y2 from each edge's source centre to its target centre, times `scale`.

    start_x[l]: lines out of layer l begin where they leave its (opaque) picture at this x, since
    the part over the picture is hidden anyway; shorter lines paint proportionally faster."""
    out = np.empty((len(edges), 4))
    for l in np.unique(edges.l):
        m = edges.l == l
        a, b = centers[l - 1][edges.i[m]], centers[l][edges.j[m]]
        sx = None if start_x is None else start_x[l - 1]
        if sx is not None:
            f = ((sx - a[:, 0]) / np.maximum(b[:, 0] - a[:, 0], 1e-9))[:, None]
            a = a + np.clip(f, 0, 1) * (b - a)
        out[m, 0:2] = a * scale
        out[m, 2:4] = b * scale
    return out


@dataclass
class Segments:
    """Lines grouped by colour bin: ends (m, 4) float64 x1, y1, x2, y2, C-contiguous and sorted by bin;
    bin b's lines are ends[starts[b]:starts[b + 1]]; starts: (N_BINS + 1,)."""

    ends: np.ndarray
    starts: np.ndarray

    @staticmethod
    def empty() -> Segments:
        return Segments(np.zeros((0, 4)), np.zeros(N_BINS + 1, np.intp))

    def __len__(self) -> int:
        return int(self.ends.shape[0])


def segments_by_bin(ends: np.ndarray, t: np.ndarray) -> Segments:
    """The lines `ends` (m, 4) sorted into colour bins by t (m,) (-1..1 spans the bins)."""
    t = np.nan_to_num(np.asarray(t, np.float32), nan=0.0, posinf=1.0, neginf=-1.0)
    b = np.clip((t + 1) * (N_BINS / 2), 0, N_BINS - 1).astype(np.int8)  # int8 keys: a radix sort, 30x faster
    order = np.argsort(b, kind="stable")
    starts = np.concatenate([[0], np.cumsum(np.bincount(b, minlength=N_BINS))]).astype(np.intp)
    return Segments(np.ascontiguousarray(np.take(ends, order, axis=0), np.float64), starts)


def build_segments(edges: EdgeSet, centers: list[np.ndarray], scale: float = 1.0,
                   start_x: list[float | None] | None = None) -> Segments:
    """The lines of `edges` grouped by colour bin (see line_ends and segments_by_bin)."""
    return segments_by_bin(line_ends(edges, centers, scale, start_x), edges.t)


def _draw_lines(p: QPainter, ends: np.ndarray, lo: int, hi: int, yield_gil: bool) -> None:
    """drawLines(const QLineF *, count) straight from NumPy memory, CHUNK lines per call.

    PySide holds the GIL during a Qt call, and a thread that wants the GIL waits up to the switch
    interval (5 ms) each time: a painting worker made the GUI thread's Python wait 15-30 ms at a time.
    yield_gil (worker threads): release the GIL after every chunk, so the GUI thread waits ~1 ms at most."""
    base = ends.ctypes.data
    for a in range(lo, hi, CHUNK):
        p.drawLines(shiboken6.wrapInstance(base + 32 * a, QLineF), min(CHUNK, hi - a))
        if yield_gil:
            time.sleep(0)


def paint_segments(p: QPainter, segments: Segments, colors: list[QColor], width: float = 0.0,
                   yield_gil: bool = False) -> None:
    """Draw binned segments, weakest bin first (strong edges on top); yield_gil: see _draw_lines."""
    st = segments.starts
    for bi in bin_order():
        if st[bi + 1] <= st[bi]:
            continue
        pen = QPen(colors[bi])
        scale = themes.current().line_scale
        pen.setWidthF(width if scale == 1.0 else max(width, 1.0) * scale)
        pen.setCosmetic(True)
        p.setPen(pen)
        _draw_lines(p, segments.ends, int(st[bi]), int(st[bi + 1]), yield_gil)


class EdgeItem(QGraphicsObject):
    """A set of edges drawn as binned lines. set_edges() stores and invalidates; paint() draws."""

    def __init__(self, rect: QRectF, alpha_lo: int, alpha_hi: int, width: float = 0.0, cached: bool = False):
        super().__init__()
        self._rect = QRectF(rect)
        self._colors = bin_colors(alpha_lo, alpha_hi)
        self._width = width
        self._segments = Segments.empty()
        self.count = 0
        if cached:
            self.setCacheMode(QGraphicsObject.CacheMode.DeviceCoordinateCache)

    def set_rect(self, rect: QRectF) -> None:
        self.prepareGeometryChange()
        self._rect = QRectF(rect)

    def set_edges(self, edges: EdgeSet, centers: list[np.ndarray], start_x: list | None = None) -> None:
        self._segments = build_segments(edges, centers, 1.0, start_x) if len(edges) else Segments.empty()
        self.count = len(edges)
        self.update()

    def clear(self) -> None:
        self.set_edges(EdgeSet.empty(), [])

    def boundingRect(self) -> QRectF:
        return self._rect

    def paint(self, p: QPainter, *args) -> None:
        if self.count:
            p.setRenderHint(QPainter.RenderHint.Antialiasing, False)
            exposed = args[0].exposedRect if args and args[0] is not None else self._rect
            p.setClipRect(exposed if not exposed.isEmpty() else self._rect)  # the fast path for cosmetic lines
            paint_segments(p, self._segments, self._colors, self._width)
