"""All edges (266,200 for 784-300-100-10) as one faint picture, painted off the GUI thread.

QImage painting is thread-safe (QPixmap is not). The job is a plain function run by concurrency.CoalescedJobs;
a generation number drops results that a newer request has replaced.
"""

from __future__ import annotations

import itertools
import threading

import numpy as np
from PySide6.QtCore import QObject, QRect, QRectF, Signal
from PySide6.QtGui import QImage, QPainter

from nnviz.gui.concurrency import CoalescedJobs
from nnviz.gui.network.scene import edges as E

RENDER_SCALE = 0.75  # image pixels per scene unit: shorter lines, ~0.5 s for all edges


_COORDS: dict[tuple, np.ndarray] = {}  # layout key -> (m, 4) line ends of every edge (they never move)
_LOCK = threading.Lock()


def edge_coords(centers: list[np.ndarray], scale: float, start_x: list | None) -> np.ndarray:
    """(m, 4) float64 x1, y1, x2, y2 of every drawn edge (all_edges() order, or the sample's), cached per layout."""
    sizes = tuple(c.shape[0] for c in centers)
    key = (scale, tuple(start_x or ()), sizes, tuple(float(c[0, 0]) + float(c[-1, 1]) for c in centers))
    with _LOCK:
        if key not in _COORDS:
            sample = E.all_edges_sample(sizes)
            if sample is None:
                sample = [np.arange(a * b) for a, b in itertools.pairwise(sizes)]
            parts = []
            for l, (n_in, idx) in enumerate(zip(sizes[:-1], sample), start=1):
                j, i = np.divmod(idx, n_in)
                parts.append((np.full(idx.size, l), j, i, np.zeros(idx.size, np.float32)))
            _COORDS.clear()
            _COORDS[key] = E.line_ends(E.concat(parts), centers, scale, start_x)
        return _COORDS[key]


def drawn_values(values: list[np.ndarray]) -> list[np.ndarray]:
    """Copies of the values of the edges the picture draws, for the worker: every edge, or beyond
    edge_sets.MAX_ALL_EDGES (784-2000-2000-2000-10 has 9.6 million: ~22 s of painting) a fixed seeded
    sample of that many, flat (the legend says so)."""
    sample = E.all_edges_sample(tuple([values[0].shape[1]] + [v.shape[0] for v in values]))
    if sample is None:
        return [np.array(v, copy=True) for v in values]
    return [np.ravel(v)[idx] for v, idx in zip(values, sample)]


def render_all_edges(values: list[np.ndarray], limits: list[float], centers: list[np.ndarray],
                     size: tuple[int, int], start_x: list | None = None, scale: float = RENDER_SCALE) -> QImage:
    """Paint the drawn edges (values: from drawn_values) into a transparent QImage of `size` (scene units * scale)."""
    w, h = int(size[0] * scale), int(size[1] * scale)
    img = QImage(w, h, QImage.Format.Format_ARGB32_Premultiplied)
    img.fill(0)
    t = np.concatenate([np.ravel(v) / s for v, s in zip(values, limits)]).astype(np.float32)
    segments = E.segments_by_bin(edge_coords(centers, scale, start_x), t)
    p = QPainter(img)
    p.setClipRect(QRect(0, 0, w, h))  # without a clip rect cosmetic lines take a much slower path
    p.setRenderHint(QPainter.RenderHint.Antialiasing, False)
    E.paint_segments(p, segments, E.bin_colors(6, 90, gamma=1.5), yield_gil=True)
    p.end()
    return img


class AllEdgesRenderer(QObject):
    """request(...) starts a render in the thread pool; ready(QImage, QRectF) arrives on the GUI thread
    (only for the newest request)."""

    ready = Signal(QImage, QRectF)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._jobs = CoalescedJobs(self)
        self._jobs.done.connect(self._on_done)
        self._latest = 0
        self._rect = QRectF()

    @property
    def busy(self) -> bool:
        return self._jobs.busy

    def request(self, values: list[np.ndarray], limits: list[float], centers: list[np.ndarray],
                rect: QRectF, start_x: list | None = None) -> None:
        """Render copies of `values` (W_l or w·a matrices) for the scene rect `rect` (origin 0, 0)."""
        self._rect = QRectF(rect)
        args = (drawn_values(values), list(limits), [c.copy() for c in centers],
                (rect.width(), rect.height()), start_x)
        self._latest = self._jobs.request(render_all_edges, args)

    def _on_done(self, generation: int, image: QImage) -> None:
        if generation == self._latest:
            self.ready.emit(image, self._rect)

    def wait(self, msecs: int = 5000) -> bool:
        return self._jobs.wait(msecs)
