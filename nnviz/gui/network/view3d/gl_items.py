"""The 3-D view's OpenGL drawing (pyqtgraph.opengl): one mesh per layer, one line item per edge set, updated
in place. Imported only where OpenGL can draw (view.gl_problem()).

The scene is a QOpenGLWindow in a window container, not a QOpenGLWidget: a QOpenGLWidget makes Qt compose the
whole main window through OpenGL on every repaint of any part of it (about 7 ms a frame in software OpenGL,
a third of a stroke's budget), while a window of its own swaps only itself."""

from __future__ import annotations

import numpy as np
import pyqtgraph.opengl as gl
from OpenGL import GL
from pyqtgraph.opengl.GLGraphicsItem import GLGraphicsItem
from pyqtgraph.opengl.GLViewWidget import GLViewMixin
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QStatusTipEvent, QSurfaceFormat, QWindow
from PySide6.QtOpenGL import QOpenGLFramebufferObject, QOpenGLPaintDevice, QOpenGLWindow
from PySide6.QtWidgets import QApplication

from nnviz.gui.look import themes
from nnviz.gui.network.view3d import geometry as G

CLICK_PX = 4  # a press and release closer than this is a click, not an orbit


class GLScene(GLViewMixin, QOpenGLWindow):
    """The GL window: planes of squares, edges, the lit plane's frame, the hovered and selected squares."""

    def __init__(self, owner, parent: QWindow) -> None:
        super().__init__(QOpenGLWindow.UpdateBehavior.NoPartialUpdate, parent)
        fmt = QSurfaceFormat.defaultFormat()
        fmt.setDepthBufferSize(24)  # (a window has no depth buffer unless it asks: squares would not hide lines)
        fmt.setStencilBufferSize(8)
        self.setFormat(fmt)
        self.setObjectName("network3dScene")
        self.owner = owner
        self.meshes: list[gl.GLMeshItem] = []
        self._squares: list[tuple[np.ndarray, np.ndarray]] = []  # each mesh's (vertices, faces)
        self.labels: Labels | None = None
        self.lines = {name: gl.GLLinePlotItem(mode="lines", antialias=False, glOptions="translucent")
                      for name in ("topk", "fan")}
        self.frame = gl.GLLinePlotItem(mode="line_strip", width=2.0, color=(0.31, 0.86, 1.0, 1.0), antialias=True)
        self.marks = gl.GLLinePlotItem(mode="lines", width=2.0, color=(1, 1, 1, 1), antialias=True)
        for item in (*self.lines.values(), self.frame, self.marks):
            self.addItem(item)
        self._press: QPointF | None = None

    def devicePixelRatioF(self) -> float:  # noqa: N802 (pyqtgraph's name, which a QWindow spells without F)
        return self.devicePixelRatio()

    def build(self, planes: list[G.Plane]) -> None:
        for item in self.meshes:
            self.removeItem(item)
        if self.labels is not None:
            self.removeItem(self.labels)
        self.meshes, self._squares = [], [G.squares(plane) for plane in planes]
        for plane, (vertices, faces) in zip(planes, self._squares):
            mesh = gl.GLMeshItem(meshdata=_squares_data(vertices, faces, np.full((plane.n, 4), 77, np.uint8)),
                                 smooth=True, computeNormals=False, drawEdges=False, glOptions="opaque")
            self.addItem(mesh)
            self.meshes.append(mesh)
        self.labels = Labels(_label_texts(planes), QColor(themes.current().text))
        self.addItem(self.labels)

    def set_colours(self, colours: list[np.ndarray]) -> None:
        """(n_l, 4) uint8 per layer: each square's four corners take its neuron's colour (no normals, no lighting:
        the colour is the neuron's, as in the flat scene)."""
        for mesh, (vertices, faces), rgba in zip(self.meshes, self._squares, colours):
            mesh.setMeshData(meshdata=_squares_data(vertices, faces, rgba))

    def set_edges(self, name: str, segments: tuple[np.ndarray, np.ndarray], dim: bool = False,
                  width: float = 1.0) -> None:
        pos, colours = segments
        if dim and len(colours):
            colours = colours.copy()
            colours[:, 3] *= 0.2
        item = self.lines[name]
        item.setVisible(len(pos) > 0)
        if len(pos):
            item.setData(pos=pos, color=colours, width=width * themes.current().line_scale)

    def set_frame(self, corners: np.ndarray | None) -> None:
        self.frame.setVisible(corners is not None)
        if corners is not None:
            self.frame.setData(pos=corners)

    def set_marks(self, outlines: list[np.ndarray]) -> None:
        self.marks.setVisible(bool(outlines))
        if outlines:
            segments = np.concatenate([np.repeat(o, 2, axis=0)[1:-1] for o in outlines])
            self.marks.setData(pos=segments)

    def render_image(self) -> QImage:
        """The scene drawn now into a framebuffer of its own (the window's may hold the frame before)."""
        if not self.isValid():
            raise ValueError("the 3-D view has not been on screen yet: show it once, then export")
        self.makeCurrent()
        w, h = self.deviceWidth(), self.deviceHeight()
        fbo = QOpenGLFramebufferObject(w, h, QOpenGLFramebufferObject.Attachment.CombinedDepthStencil)
        fbo.bind()
        try:
            GL.glViewport(0, 0, w, h)
            self.paint(region=(0, 0, w, h), viewport=(0, 0, w, h))
            return fbo.toImage()
        finally:
            fbo.release()
            self.doneCurrent()

    def mvp(self) -> np.ndarray:
        """The 4x4 matrix from world to clip coordinates (as drawn now), row-major."""
        viewport = self.getViewport()
        m = self.projectionMatrix(viewport, viewport) * self.viewMatrix()
        return np.array(m.data(), np.float64).reshape(4, 4).T

    # --- mouse: hover and click pick a square; Shift + left button pans ---------------------------------------
    def mousePressEvent(self, ev) -> None:  # noqa: N802
        self._press = ev.position()
        super().mousePressEvent(ev)

    def mouseMoveEvent(self, ev) -> None:  # noqa: N802
        if ev.buttons() == Qt.MouseButton.NoButton:
            self.owner.hover_at(ev.position(), ev.globalPosition().toPoint())
            return
        if ev.buttons() == Qt.MouseButton.LeftButton and ev.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            diff = ev.position() - self.mousePos
            self.mousePos = ev.position()
            self.pan(diff.x(), diff.y(), 0, relative="view")
            return
        super().mouseMoveEvent(ev)

    def mouseReleaseEvent(self, ev) -> None:  # noqa: N802
        if self._press is not None and ev.button() == Qt.MouseButton.LeftButton:
            moved = ev.position() - self._press
            if abs(moved.x()) + abs(moved.y()) < CLICK_PX:
                self.owner.click_at(ev.position())
        self._press = None
        super().mouseReleaseEvent(ev)

    def keyPressEvent(self, ev) -> None:  # noqa: N802
        self.owner.keyPressEvent(ev)

    def event(self, ev) -> bool:
        """The status bar's hint while the mouse is over the scene (a window of its own: its container, which
        holds the hint, never sees the mouse)."""
        if ev.type() in (QEvent.Type.Enter, QEvent.Type.Leave):
            tip = self.owner.scene_box.statusTip() if ev.type() == QEvent.Type.Enter else ""
            QApplication.sendEvent(self.owner.scene_box, QStatusTipEvent(tip))
        return super().event(ev)


def _squares_data(vertices: np.ndarray, faces: np.ndarray, rgba: np.ndarray) -> gl.MeshData:
    """One plane's squares with each neuron's colour (uint8) on its square's four corners."""
    corners = np.repeat(np.ascontiguousarray(rgba, np.uint8), 4, axis=0)
    return gl.MeshData(vertexes=vertices, faces=faces, vertexColors=corners)


def _label_texts(planes: list[G.Plane]) -> list[tuple[tuple[float, float, float], str]]:
    """(position, text): each plane's name and size above it, and the digits under the outputs."""
    texts = []
    last = planes[-1]
    if last.rows == 1:  # the digits under the outputs
        texts += [((x, y - 0.4, z - last.cell * 1.1), str(k)) for k, (x, y, z) in enumerate(last.centres)]
    for l, plane in enumerate(planes):
        name = "input x" if l == 0 else "output ŷ" if l == len(planes) - 1 else f"hidden {l}"
        above = (plane.x, -plane.cols * plane.cell / 2, plane.rows * plane.cell / 2 + 2.2)
        texts.append((above, f"{name} · {plane.n}"))
    return texts


class Labels(GLGraphicsItem):
    """All the scene's text in one QPainter pass over the GL picture (a GLTextItem per label opened a painter each,
    about 0.1 ms apiece on every frame)."""

    def __init__(self, texts: list[tuple[tuple[float, float, float], str]], colour: QColor) -> None:
        super().__init__()
        self.points = np.array([p for p, _ in texts], np.float32).reshape(-1, 3)
        self.texts = [t for _, t in texts]
        self.colour, self.font = colour, QFont("Sans", 10)
        self.setGLOptions("translucent")
        self.setDepthValue(10)  # (over the lines and squares)

    def paint(self) -> None:
        view = self.view()
        xy, depth = G.project(self.points, view.mvp(), view.width(), view.height())
        device = QOpenGLPaintDevice(view.deviceWidth(), view.deviceHeight())  # the framebuffer bound now
        device.setDevicePixelRatio(view.devicePixelRatio())
        painter = QPainter(device)
        painter.setPen(self.colour)
        painter.setFont(self.font)
        painter.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        for (x, y), d, text in zip(xy, depth, self.texts):
            if np.isfinite(d):
                painter.drawText(QPointF(float(x), float(y)), text)
        painter.end()
