"""Many edges (the strongest k, up to tens of thousands) as a picture painted off the GUI thread.

Drawing 10,000 lines costs the GUI thread ~10-20 ms per change, several times a second while training
sends weights. EdgeImageItem paints them instead into a QImage at the view's own resolution in a
worker (offthread.ImageJobs) and blits it: same pens, bins and pixels as drawing them directly. Until
a new picture arrives the previous one is shown, moved or scaled to the current view; after a zoom or
resize a sharp one is re-rendered at most every ZOOM_RENDER_MS. With no picture yet, and when painted
for an export (no view widget), the lines are drawn directly, as vectors.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QPointF, QRect, QRectF, QTimer, Signal
from PySide6.QtGui import QImage, QPainter, QTransform
from PySide6.QtWidgets import QGraphicsObject

from nnviz.gui.network.scene import edges as E
from nnviz.gui.network.scene.offthread import ImageJobs

ZOOM_RENDER_MS = 120  # a zoom, pan or resize re-renders the picture at most this often
MARGIN = 0.25  # when zoomed in, also paint this fraction of the viewport around it (pans stay sharp)


def render_edges(edges: E.EdgeSet, centers: list[np.ndarray], start_x: list | None, colors: list,
                 width: float, transform: QTransform, region: QRect, dpr: float) -> QImage:
    """Paint `edges` (item coordinates) into a transparent QImage of the device rectangle `region`,
    where `transform` maps item to device (logical pixels) and dpr is the device pixel ratio."""
    img = QImage(max(1, round(region.width() * dpr)), max(1, round(region.height() * dpr)),
                 QImage.Format.Format_ARGB32_Premultiplied)
    img.setDevicePixelRatio(dpr)
    img.fill(0)
    segments = E.build_segments(edges, centers, 1.0, start_x)
    p = QPainter(img)
    p.setClipRect(QRect(0, 0, region.width(), region.height()))  # the fast path for cosmetic lines
    p.setTransform(transform * QTransform.fromTranslate(-region.x(), -region.y()))
    p.setRenderHint(QPainter.RenderHint.Antialiasing, False)
    E.paint_segments(p, segments, colors, width, yield_gil=True)
    p.end()
    return img


@dataclass
class _Picture:
    """A rendered image of edge-set `version`; `transform` (item -> device) put it at device rect `region`."""

    image: QImage | None
    version: int
    transform: QTransform
    region: QRect
    dpr: float


def _same_scale(a: QTransform, b: QTransform) -> bool:
    return all(abs(x - y) < 1e-9 * max(1.0, abs(x)) for x, y in
               ((a.m11(), b.m11()), (a.m12(), b.m12()), (a.m21(), b.m21()), (a.m22(), b.m22())))


class EdgeImageItem(QGraphicsObject):
    """Edges painted off the GUI thread (see the module notes). set_edges() stores and asks for a picture;
    imageReady when a picture of the current edges is shown. count: the number of edges it draws."""

    imageReady = Signal()

    def __init__(self, rect: QRectF, alpha_lo: int, alpha_hi: int, width: float = 0.0):
        super().__init__()
        self._rect = QRectF(rect)
        self._colors = E.bin_colors(alpha_lo, alpha_hi)
        self._width = width
        self._edges, self._centers, self._start_x = E.EdgeSet.empty(), [], None
        self._segments: E.Segments | None = None  # for drawing directly, built when first needed
        self.count, self._version = 0, 0
        self._shown: _Picture | None = None
        self._asked: dict[int, _Picture] = {}  # generation -> what it will be (image None until done)
        self._want: tuple | None = None  # (transform, region, dpr) of the latest paint on screen
        self._soon = False  # a render of new edges is due once the current paint is over
        self._jobs = ImageJobs(self)
        self._jobs.done.connect(self._on_done)
        self._zoom_timer = QTimer(self)
        self._zoom_timer.setSingleShot(True)
        self._zoom_timer.setInterval(ZOOM_RENDER_MS)
        self._zoom_timer.timeout.connect(self._render_wanted)

    def set_rect(self, rect: QRectF) -> None:
        self.prepareGeometryChange()
        self._rect = QRectF(rect)

    def set_edges(self, edges: E.EdgeSet, centers: list[np.ndarray], start_x: list | None = None) -> None:
        """Show `edges` (l, j, i into `centers`); the picture follows off the GUI thread."""
        self._edges, self._centers, self._start_x = edges, centers, start_x
        self.count = len(edges)
        self._version += 1
        self._segments = None
        self.update()

    def clear(self) -> None:
        self.set_edges(E.EdgeSet.empty(), [])

    def settled(self) -> bool:
        """Nothing to draw, or the shown picture is of the current edges and no render is under way."""
        shown = self._shown is not None and self._shown.version == self._version
        return self.count == 0 or (shown and not self._jobs.busy)

    def boundingRect(self) -> QRectF:
        return self._rect

    # --- painting -------------------------------------------------------------------------------
    def paint(self, p: QPainter, option=None, widget=None) -> None:
        if not self.count:
            return
        if widget is None:  # an export (scene.render): vector lines at the export's resolution
            self._paint_lines(p, option)
            return
        T = QTransform(p.worldTransform())
        view = QRectF(widget.rect())
        needed = T.mapRect(self._rect).intersected(view)
        if needed.isEmpty():
            return
        mw, mh = MARGIN * view.width(), MARGIN * view.height()
        region = T.mapRect(self._rect).intersected(view.adjusted(-mw, -mh, mw, mh)).toAlignedRect()
        self._want = (T, region, widget.devicePixelRatioF())
        pic = self._shown
        if pic is None:
            self._paint_lines(p, option)
        else:
            self._paint_picture(p, pic, T)
        if (pic is None or pic.version != self._version) and not self._soon:
            self._soon = True  # after this paint: the worker's painting would slow the rest of it
            QTimer.singleShot(0, self._render_soon)
        elif pic is not None and not self._fits(pic, T, needed, self._want[2]) and not self._zoom_timer.isActive():
            self._zoom_timer.start()

    def _paint_lines(self, p: QPainter, option) -> None:
        if self._segments is None:
            self._segments = E.build_segments(self._edges, self._centers, 1.0, self._start_x)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        exposed = option.exposedRect if option is not None else self._rect
        p.setClipRect(exposed if not exposed.isEmpty() else self._rect)  # the fast path for cosmetic lines
        E.paint_segments(p, self._segments, self._colors, self._width)

    @staticmethod
    def _paint_picture(p: QPainter, pic: _Picture, T: QTransform) -> None:
        p.save()
        if _same_scale(pic.transform, T):  # at most moved: a 1:1 blit
            dx, dy = T.dx() - pic.transform.dx(), T.dy() - pic.transform.dy()
            p.setWorldTransform(QTransform())
            p.drawImage(QPointF(round(pic.region.x() + dx), round(pic.region.y() + dy)), pic.image)
        else:  # zoomed since: scale the old picture until the new one arrives
            p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
            back = pic.transform.inverted()[0]
            p.setWorldTransform(QTransform.fromTranslate(pic.region.x(), pic.region.y()) * back * T)
            p.drawImage(QPointF(0, 0), pic.image)
        p.restore()

    @staticmethod
    def _fits(pic: _Picture, T: QTransform, needed: QRectF, dpr: float) -> bool:
        """The picture is at the current scale and covers the visible part of the item."""
        if not _same_scale(pic.transform, T) or pic.dpr != dpr:
            return False
        dx, dy = T.dx() - pic.transform.dx(), T.dy() - pic.transform.dy()
        return QRectF(pic.region).translated(dx, dy).adjusted(-0.5, -0.5, 0.5, 0.5).contains(needed)

    # --- rendering off the GUI thread -----------------------------------------------------------
    def _render_soon(self) -> None:
        self._soon = False
        self._render_wanted()

    def _render_wanted(self) -> None:
        """Ask for a picture of the current edges as the latest paint saw the view (unless asked already)."""
        if self._want is None or not self.count:
            return
        T, region, dpr = self._want
        if any(a.version == self._version and a.transform == T and a.region == region and a.dpr == dpr
               for a in self._asked.values()):
            return
        args = (self._edges, self._centers, self._start_x, self._colors, self._width, T, region, dpr)
        generation = self._jobs.request(render_edges, args)
        self._asked[generation] = _Picture(None, self._version, T, region, dpr)

    def _on_done(self, generation: int, image: QImage) -> None:
        pic = self._asked.pop(generation, None)
        for g in [g for g in self._asked if g < generation]:  # replaced while waiting: never coming
            del self._asked[g]
        if pic is None or (self._shown is not None and pic.version < self._shown.version):
            return
        pic.image = image
        self._shown = pic
        self.update()
        if pic.version == self._version:
            self.imageReady.emit()
