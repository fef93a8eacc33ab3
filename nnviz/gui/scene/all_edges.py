"""All edges (266,200 for 784-300-100-10) as one faint picture, painted off the GUI thread.

QImage painting is thread-safe (QPixmap is not). The job is a plain function plus a QRunnable with
a tiny signal emitter; a generation number drops results that a newer request has replaced.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QObject, QRect, QRectF, QRunnable, QThreadPool, Signal
from PySide6.QtGui import QImage, QPainter

from . import edges as E

RENDER_SCALE = 0.75  # image pixels per scene unit: shorter lines, ~0.5 s for all edges


def render_all_edges(values: list[np.ndarray], limits: list[float], centers: list[np.ndarray],
                     size: tuple[int, int], start_x: list | None = None, scale: float = RENDER_SCALE) -> QImage:
    """Paint every edge into a transparent QImage of `size` (scene units * scale)."""
    w, h = int(size[0] * scale), int(size[1] * scale)
    img = QImage(w, h, QImage.Format.Format_ARGB32_Premultiplied)
    img.fill(0)
    edge_set = E.all_edges(values, limits)
    segments = E.build_segments(edge_set, centers, scale, start_x)
    p = QPainter(img)
    p.setClipRect(QRect(0, 0, w, h))  # without a clip rect cosmetic lines take a much slower path
    p.setRenderHint(QPainter.RenderHint.Antialiasing, False)
    E.paint_segments(p, segments, E.bin_colors(6, 90, gamma=1.5))
    p.end()
    return img


class _Emitter(QObject):
    done = Signal(int, QImage)


class _Job(QRunnable):
    def __init__(self, generation: int, args: tuple, emitter: _Emitter):
        super().__init__()
        self.generation, self.args, self.emitter = generation, args, emitter
        self.setAutoDelete(True)

    def run(self) -> None:
        image = render_all_edges(*self.args)
        try:
            self.emitter.done.emit(self.generation, image)
        except RuntimeError:  # the view was closed while we painted
            pass


class AllEdgesRenderer(QObject):
    """request(...) starts a render in the thread pool; ready(QImage, QRectF) arrives on the GUI thread."""

    ready = Signal(QImage, QRectF)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._generation = 0
        self._emitter = _Emitter()
        self._emitter.done.connect(self._on_done)
        self._rect = QRectF()
        self._pool = QThreadPool.globalInstance()
        self.busy = False

    def request(self, values: list[np.ndarray], limits: list[float], centers: list[np.ndarray],
                rect: QRectF, start_x: list | None = None) -> None:
        """Render copies of `values` (W_l or w·a matrices) for the scene rect `rect` (origin 0, 0)."""
        self._generation += 1
        self._rect = QRectF(rect)
        self.busy = True
        args = ([np.array(v, copy=True) for v in values], list(limits), [c.copy() for c in centers],
                (rect.width(), rect.height()), start_x)
        self._pool.start(_Job(self._generation, args, self._emitter))

    def _on_done(self, generation: int, image: QImage) -> None:
        if generation == self._generation:
            self.busy = False
            self.ready.emit(image, self._rect)

    def wait(self, msecs: int = 5000) -> bool:
        return self._pool.waitForDone(msecs)
