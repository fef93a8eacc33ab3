"""The 3-D view's OpenGL drawing (pyqtgraph.opengl): one mesh per layer, one line item per edge set, updated
in place. Imported only where OpenGL can draw (view.gl_problem())."""

from __future__ import annotations

import numpy as np
import pyqtgraph.opengl as gl
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QFont

from nnviz.gui.look import themes
from nnviz.gui.network.view3d import geometry as G

CLICK_PX = 4  # a press and release closer than this is a click, not an orbit


class GLScene(gl.GLViewWidget):
    """The GL widget: planes of squares, edges, the lit plane's frame, the hovered and selected squares."""

    def __init__(self, owner) -> None:
        super().__init__()
        self.setObjectName("network3dCanvas")
        self.owner = owner
        self.meshes: list[gl.GLMeshItem] = []
        self.labels: list[gl.GLTextItem] = []
        self.lines = {name: gl.GLLinePlotItem(mode="lines", antialias=False, glOptions="translucent")
                      for name in ("topk", "fan")}
        self.frame = gl.GLLinePlotItem(mode="line_strip", width=2.0, color=(0.31, 0.86, 1.0, 1.0), antialias=True)
        self.marks = gl.GLLinePlotItem(mode="lines", width=2.0, color=(1, 1, 1, 1), antialias=True)
        for item in (*self.lines.values(), self.frame, self.marks):
            self.addItem(item)
        self._press: QPointF | None = None
        self.setMouseTracking(True)

    def build(self, planes: list[G.Plane]) -> None:
        for item in self.meshes + self.labels:
            self.removeItem(item)
        self.meshes, self.labels, self._faces = [], [], []
        for plane in planes:
            vertices, faces = G.squares(plane)
            mesh = gl.GLMeshItem(vertexes=vertices, faces=faces, faceColors=np.full((len(faces), 4), 0.3, np.float32),
                                 smooth=False, drawEdges=False, glOptions="opaque")
            self.addItem(mesh)
            self.meshes.append(mesh)
            self._faces.append((vertices, faces))
        colour = QColor(themes.current().text)
        last = planes[-1]
        if last.rows == 1:  # the digits under the outputs
            for k, (x, y, z) in enumerate(last.centres):
                self.labels.append(gl.GLTextItem(pos=(x, y - 0.4, z - last.cell * 1.1), text=str(k), color=colour,
                                                 font=QFont("Sans", 10)))
        for l, plane in enumerate(planes):
            name = "input x" if l == 0 else "output ŷ" if l == len(planes) - 1 else f"hidden {l}"
            top = plane.rows * plane.cell / 2 + 2.2
            self.labels.append(gl.GLTextItem(pos=(plane.x, -plane.cols * plane.cell / 2, top),
                                             text=f"{name} · {plane.n}", color=colour, font=QFont("Sans", 10)))
        for item in self.labels:
            self.addItem(item)

    def set_colours(self, colours: list[np.ndarray]) -> None:
        """(n_l, 4) uint8 per layer: each square's two triangles take its neuron's colour."""
        for mesh, (vertices, faces), rgba in zip(self.meshes, self._faces, colours):
            mesh.setMeshData(vertexes=vertices, faces=faces, faceColors=np.repeat(rgba.astype(np.float32) / 255, 2, 0),
                             smooth=False, drawEdges=False)

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
