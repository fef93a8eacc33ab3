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
    """(m, 4) float64 x1, y1, x2, y2 of every edge in all_edges() order, cached per layout."""
    key = (scale, tuple(start_x or ()), tuple(c.shape[0] for c in centers),
           tuple(float(c[0, 0]) + float(c[-1, 1]) for c in centers))
    with _LOCK:
        if key not in _COORDS:
            sizes = [c.shape[0] for c in centers]
            fake = [np.zeros((n_out, n_in), np.float32) for n_in, n_out in itertools.pairwise(sizes)]
            edges = E.all_edges(fake, [1.0] * len(fake))
            _COORDS.clear()
            _COORDS[key] = E.line_ends(edges, centers, scale, start_x)
        return _COORDS[key]


def render_all_edges(values: list[np.ndarray], limits: list[float], centers: list[np.ndarray],
                     size: tuple[int, int], start_x: list | None = None, scale: float = RENDER_SCALE) -> QImage:
    """Paint every edge into a transparent QImage of `size` (scene units * scale)."""
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
        args = ([np.array(v, copy=True) for v in values], list(limits), [c.copy() for c in centers],
                (rect.width(), rect.height()), start_x)
        self._latest = self._jobs.request(render_all_edges, args)

    def _on_done(self, generation: int, image: QImage) -> None:
        if generation == self._latest:
            self.ready.emit(image, self._rect)

    def wait(self, msecs: int = 5000) -> bool:
        return self._jobs.wait(msecs)
