"""Edges as coloured lines: choose which to draw (top-k, fan-in/out) and draw them fast.

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

from nnviz.gui import colormaps

N_BINS = 32
CHUNK = 1024  # lines per drawLines call (~1 ms; see _draw_lines)


@dataclass
class EdgeSet:
    """Edges to draw. l: (m,) layer of W (1..L); j: (m,) target index; i: (m,) source index;
    t: (m,) value divided by its limit, so -1..1 spans the colour bar."""

    l: np.ndarray
    j: np.ndarray
    i: np.ndarray
    t: np.ndarray

    @staticmethod
    def empty() -> EdgeSet:
        z = np.zeros(0, np.intp)
        return EdgeSet(z, z, z, np.zeros(0, np.float32))

    def __len__(self) -> int:
        return int(self.t.size)


def per_target_count(k: int, sizes) -> int:
    """Edges kept per target neuron when k edges are shared out over all non-input neurons."""
    return max(1, int(np.ceil(k / max(1, sum(sizes[1:])))))


def top_k(values: list[np.ndarray], limits: list[float], k: int, per_target: bool) -> EdgeSet:
    """The k strongest edges by |value / limit|. values[l-1]: (n_out, n_in) for W_l.

    per_target: each target neuron keeps its own strongest ceil(k / n_targets) incoming edges.
    Edges whose value is exactly 0 are never among them (no padding when k exceeds the non-zero count).
    """
    return _nonzero(_top_k(values, limits, k, per_target))


def _nonzero(edges: EdgeSet) -> EdgeSet:
    keep = edges.t != 0
    if keep.all():
        return edges
    return EdgeSet(edges.l[keep], edges.j[keep], edges.i[keep], edges.t[keep])


def _top_k(values: list[np.ndarray], limits: list[float], k: int, per_target: bool) -> EdgeSet:
    if per_target:
        kk = per_target_count(k, [values[0].shape[1]] + [v.shape[0] for v in values])
        parts = []
        for l, (v, s) in enumerate(zip(values, limits), start=1):
            kl = min(kk, v.shape[1])
            i = np.argpartition(-np.abs(v), kl - 1, axis=1)[:, :kl]
            j = np.repeat(np.arange(v.shape[0]), kl)
            i = i.ravel()
            parts.append((np.full(j.size, l), j, i, v[j, i] / s))
        return _concat(parts)
    flat = np.concatenate([np.abs(v).ravel() / s for v, s in zip(values, limits)])
    k = min(k, flat.size)
    if k <= 0:
        return EdgeSet.empty()
    pick = np.argpartition(-flat, k - 1)[:k]
    offsets = np.cumsum([0] + [v.size for v in values])
    parts = []
    for l, (v, s) in enumerate(zip(values, limits), start=1):
        sel = pick[(pick >= offsets[l - 1]) & (pick < offsets[l])] - offsets[l - 1]
        j, i = np.divmod(sel, v.shape[1])
        parts.append((np.full(sel.size, l), j, i, v.ravel()[sel] / s))
    return _concat(parts)


def fan(values: list[np.ndarray], limits: list[float], layer: int, index: int) -> EdgeSet:
    """All edges into (fan-in) and out of (fan-out) neuron `index` of `layer`."""
    parts = []
    if layer >= 1:
        v = values[layer - 1][index]
        parts.append((np.full(v.size, layer), np.full(v.size, index), np.arange(v.size), v / limits[layer - 1]))
    if layer < len(values):
        v = values[layer][:, index]
        parts.append((np.full(v.size, layer + 1), np.arange(v.size), np.full(v.size, index), v / limits[layer]))
    return _concat(parts)


def all_edges(values: list[np.ndarray], limits: list[float]) -> EdgeSet:
    """Every edge of the network."""
    parts = []
    for l, (v, s) in enumerate(zip(values, limits), start=1):
        j, i = np.divmod(np.arange(v.size), v.shape[1])
        parts.append((np.full(v.size, l), j, i, v.ravel() / s))
    return _concat(parts)


def _concat(parts) -> EdgeSet:
    if not parts:
        return EdgeSet.empty()
    l, j, i, t = (np.concatenate(p) for p in zip(*parts))
    t = np.nan_to_num(t.astype(np.float32), nan=0.0, posinf=1.0, neginf=-1.0)  # a diverged net: NaN weights
    return EdgeSet(l.astype(np.intp), j.astype(np.intp), i.astype(np.intp), t)


def bin_colors(alpha_lo: int, alpha_hi: int, gamma: float = 1.0) -> list[QColor]:
    """N_BINS colours across the diverging map; alpha grows with |t| (faint near zero)."""
    table = colormaps.lut(colormaps.diverging_cmap())
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
        pen.setWidthF(width)
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
