"""The 3-D network view (`network3d`): the flat scene's SceneModel drawn as planes of squares in depth.

    view3d = Network3DView(model)           # model: the flat NetworkView's SceneModel (one truth)
    view3d.neuronHovered / neuronClicked    # (layer, index), as the flat view's

Neuron colours, the strongest-k edges, the hovered or selected neuron's fan, the inspector's lit layer and
its values come from the model as it changes (model.neurons_changed, edges_changed, fan_changed,
highlight_changed); geometry comes from geometry.py; every layer is one mesh item, every edge set one line
item, updated in place. While the view is hidden it does no work, and catches up when shown (or exported).
Mouse: orbit with the left button, pan with the middle one (or Shift + left), zoom with the wheel; keys 1-4
front / side / top / three-quarter, R reset, Space auto-rotate.
Without OpenGL (offscreen, remote X without GLX) the widget says so in one line instead (gl_problem()).
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QVector3D, QWindow
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolBar, QToolTip, QVBoxLayout, QWidget

from nnviz.gui.look import colormaps, themes
from nnviz.gui.look.colorbars import ColorBar
from nnviz.gui.network.scene import values as V
from nnviz.gui.network.scene.model import SceneModel
from nnviz.gui.network.view3d import camera
from nnviz.gui.network.view3d import geometry as G

NO_GL_PLATFORMS = ("offscreen", "minimal", "vnc", "linuxfb")


def gl_problem() -> str | None:
    """Why OpenGL cannot draw here (one line, with the way out), or None when it can."""
    if QGuiApplication.platformName() in NO_GL_PLATFORMS:
        return (f"The 3-D view needs OpenGL, which Qt's '{QGuiApplication.platformName()}' platform does not have: "
                "run nnviz on a desktop (or under Xvfb with Mesa: sudo apt-get install libgl1-mesa-dri).")
    try:
        import OpenGL.GL  # noqa: F401 (PyOpenGL, which pyqtgraph's 3-D items use)
    except ImportError:
        return "The 3-D view needs PyOpenGL: pip install PyOpenGL."
    from PySide6.QtGui import QOpenGLContext

    if not QOpenGLContext().create():
        return ("The 3-D view found no OpenGL on this display (remote X without GLX?): run nnviz on the machine's "
                "own desktop, or install Mesa (sudo apt-get install libgl1-mesa-dri).")
    return None


class Network3DView(QWidget):
    neuronHovered = Signal(int, int)
    neuronClicked = Signal(int, int)

    def __init__(self, model: SceneModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("network3d")
        self.model = model
        self.problem = gl_problem()
        self._missed: set = set()  # what changed while the view was hidden (it does no work then)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        if self.problem is not None:
            note = QLabel(self.problem, objectName="network3dUnavailable", wordWrap=True)
            note.setAlignment(Qt.AlignmentFlag.AlignCenter)
            layout.addWidget(note, 1)
            return
        from nnviz.gui.network.view3d.gl_items import GLScene  # (imports OpenGL: only when it can draw)

        # Qt, not Python, must own the GL window: made with a parent it is Qt's, and the container adopts it (one
        # owned by Python was deleted before its container when the process ended: a crash at exit).
        self._gl_parent = QWindow()
        self.scene = GLScene(self, self._gl_parent)
        self.scene_box = QWidget.createWindowContainer(self.scene, self)  # (why a window: gl_items' docstring)
        self.scene_box.setObjectName("network3dCanvas")
        self.scene_box.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.scene_box.setStatusTip("Drag: orbit · middle button or Shift+drag: pan · wheel: zoom · hover or click "
                                    "a square; keys 1-4: front, side, top, three-quarter; R: reset; Space: "
                                    "auto-rotate")
        self.buttons = self._buttons()
        self.neuron_bar = ColorBar(themes.current().activation_cmap, 0, 1, "neuron colour")
        self.edge_bar = ColorBar(themes.current().diverging_cmap, -1, 1, "edge colour")
        for bar in (self.neuron_bar, self.edge_bar):
            bar.setMinimumWidth(120)  # (the row shrinks with a narrow window; no sideways scroll bar)
        self.legend = QLabel(objectName="network3dLegend", wordWrap=True)  # which edges are drawn, as flat
        self.legend.setMinimumWidth(60)
        bars = QHBoxLayout()
        bars.addWidget(self.neuron_bar, 2)
        bars.addWidget(self.edge_bar, 2)
        bars.addWidget(self.legend, 3)
        layout.addWidget(self.buttons)
        layout.addWidget(self.scene_box, 1)
        layout.addLayout(bars)
        self.rotate_timer = QTimer(self, interval=camera.ROTATE_MS)
        self.rotate_timer.timeout.connect(lambda: self.scene.orbit(camera.ROTATE_DEG_PER_TICK, 0))
        for signal, slot in ((model.layout_changed, self.rebuild), (model.neurons_changed, self.show_neurons),
                             (model.edges_changed, self.show_edges), (model.fan_changed, self.show_fan),
                             (model.highlight_changed, self.show_highlight), (model.marks_changed, self.show_marks)):
            signal.connect(self._when_shown(slot))
        themes.changes().changed.connect(self._when_shown(self.repaint_all))
        self.rebuild()

    @property
    def available(self) -> bool:
        return self.problem is None

    def _buttons(self) -> QToolBar:
        """The camera's buttons, in a tool bar: on a narrow window what does not fit folds into its » menu."""
        row = QToolBar(objectName="network3dButtons")
        row.setMovable(False)
        for key, name in camera.KEYS.items():
            act = row.addAction(name.capitalize(), lambda n=name: self.set_pose(n))
            act.setObjectName(f"view3d_{name}")
            act.setToolTip(f"The {name} view ({key})")
        reset = row.addAction("Reset view", lambda: self.set_pose("three-quarter"))
        reset.setObjectName("view3d_reset")
        reset.setToolTip("Harley's three-quarter view (R)")
        self.rotate = row.addAction("Auto-rotate")
        self.rotate.setObjectName("view3d_rotate")
        self.rotate.setCheckable(True)
        self.rotate.setToolTip("Turn slowly, for a projector (Space)")
        self.rotate.toggled.connect(self.set_rotating)
        return row

    # --- camera ---------------------------------------------------------------------------------------
    def set_pose(self, name: str) -> None:
        span = G.GAP * max(1, len(self.model.sizes) - 1) + 30
        p = camera.poses(span)[name]
        self.scene.setCameraPosition(pos=QVector3D(0, 0, 0), distance=p.distance, elevation=p.elevation,
                                     azimuth=p.azimuth)

    def set_rotating(self, on: bool) -> None:
        (self.rotate_timer.start if on else self.rotate_timer.stop)()
        if self.rotate.isChecked() != on:
            self.rotate.setChecked(on)

    def keyPressEvent(self, ev) -> None:  # noqa: N802 (Qt's name)
        text = ev.text()
        if not self.available:  # (no camera to move: the one-line note is all there is)
            super().keyPressEvent(ev)
        elif text in camera.KEYS:
            self.set_pose(camera.KEYS[text])
        elif text.lower() == "r":
            self.set_pose("three-quarter")
        elif ev.key() == Qt.Key.Key_Space:
            self.set_rotating(not self.rotate_timer.isActive())
        else:
            super().keyPressEvent(ev)

    # --- following the model ----------------------------------------------------------------------------
    def _when_shown(self, slot):
        """slot, called now when the view is on show, or when it is shown next (a hidden view does no work)."""
        def run(*_args) -> None:
            if self.isVisible():
                slot()
            else:
                self._missed.add(slot)
        return run

    def showEvent(self, ev) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(ev)
        self._catch_up()

    def _catch_up(self) -> None:
        missed, self._missed = self._missed, set()
        if self.rebuild in missed:
            self.rebuild()
        elif missed:
            self.repaint_all()

    def rebuild(self) -> None:
        if not self.model.sizes:
            return
        self.planes = G.planes(self.model.sizes)
        self.scene.build(self.planes)
        self.set_pose("three-quarter")
        self.repaint_all()

    def repaint_all(self) -> None:
        if self.model.neurons is not None:
            self.show_neurons()
        if self.model.edges is not None:
            self.show_edges()
        self.show_fan()
        self.show_highlight()
        self.show_marks()
        self.scene.setBackgroundColor(themes.current().background)

    def show_neurons(self) -> None:
        n = self.model.neurons
        colours = V.colours_by_map(n.values, n.maps, n.limits)
        self.scene.set_colours([c if c is not None else V.grey(len(p.centres)) for c, p in zip(colours, self.planes)])
        self.neuron_bar.cmap = V.cmap(n.main)
        self.neuron_bar.lo, self.neuron_bar.hi = n.bar
        self.neuron_bar.title = n.title
        self.neuron_bar.setToolTip(n.scale_tip)
        self.neuron_bar.update()

    def show_edges(self) -> None:
        e = self.model.edges
        self.scene.set_edges("topk", self._segments(e.topk), dim=len(self.model.fan) > 0)
        self.edge_bar.cmap = themes.current().diverging_cmap
        self.edge_bar.lo, self.edge_bar.hi, self.edge_bar.title = -e.bar, e.bar, e.title
        self.edge_bar.setVisible(not e.hidden)
        self.edge_bar.update()
        self.legend.setText(e.line)

    def show_fan(self) -> None:
        self.scene.set_edges("fan", self._segments(self.model.fan), width=2.0)
        if self.model.edges is not None:
            self.scene.set_edges("topk", self._segments(self.model.edges.topk), dim=len(self.model.fan) > 0)

    def show_highlight(self) -> None:
        h = self.model.highlight
        self.scene.set_frame(None if h is None or not 0 <= h < len(self.planes) else self.planes[h].corners())

    def show_marks(self) -> None:
        marks = [m for m in (self.model.hovered, self.model.selected) if m is not None]
        self.scene.set_marks([self._outline(*m) for m in marks])

    def _segments(self, edges) -> tuple[np.ndarray, np.ndarray]:
        """(positions (2m, 3), colours (2m, 4) floats) of an EdgeSet: from neuron i of layer l-1 to j of layer l."""
        if len(edges) == 0:
            return np.zeros((0, 3), np.float32), np.zeros((0, 4), np.float32)
        start = np.concatenate([self.planes[l - 1].centres[edges.i[edges.l == l]] for l in np.unique(edges.l)])
        end = np.concatenate([self.planes[l].centres[edges.j[edges.l == l]] for l in np.unique(edges.l)])
        t = np.concatenate([edges.t[edges.l == l] for l in np.unique(edges.l)])
        table = colormaps.lut(themes.current().diverging_cmap) / 255.0
        rgba = table[np.clip(np.rint((np.clip(t, -1, 1) + 1) / 2 * (colormaps.N_LUT - 1)), 0, colormaps.N_LUT - 1)
                     .astype(int)].astype(np.float32)
        rgba[:, 3] = 0.15 + 0.85 * np.abs(np.clip(t, -1, 1))
        pos = np.empty((2 * len(t), 3), np.float32)
        pos[0::2], pos[1::2] = start, end
        return pos, np.repeat(rgba, 2, axis=0)

    def _outline(self, layer: int, index: int) -> np.ndarray:
        p = self.planes[layer]
        x, y, z = p.centres[index]
        s = p.cell * 0.62
        return np.array([[x, y - s, z - s], [x, y + s, z - s], [x, y + s, z + s], [x, y - s, z + s], [x, y - s, z - s]],
                        np.float32)

    # --- mouse ----------------------------------------------------------------------------------------------
    def neuron_at(self, pos: QPointF) -> tuple[int, int] | None:
        """The neuron under a point of the GL window (its own coordinates), front-most first."""
        return G.pick(self.planes, self.scene.mvp(), self.scene.width(), self.scene.height(), pos.x(), pos.y())

    def neuron_pos(self, layer: int, index: int) -> QPointF:
        """Where a neuron's square is on the GL window (for tests and mouse simulation)."""
        xy, _ = G.project(self.planes[layer].centres[index:index + 1], self.scene.mvp(), self.scene.width(),
                          self.scene.height())
        return QPointF(float(xy[0, 0]), float(xy[0, 1]))

    def hover_at(self, pos: QPointF, global_pos) -> None:
        hit = self.neuron_at(pos)
        if self.model.hover(*(hit or (-1, -1))):
            self.neuronHovered.emit(*(hit or (-1, -1)))
            self.show_marks()
        if hit is not None:
            QToolTip.showText(global_pos, self.model.tooltip_text(*hit), self.scene_box)
        else:
            QToolTip.hideText()

    def click_at(self, pos: QPointF) -> None:
        hit = self.neuron_at(pos)
        if hit is None:
            self.model.clear_selection()
        else:
            self.model.select_neuron(*hit)
            self.neuronClicked.emit(*hit)
        self.show_marks()

    def grab_picture(self):
        """The picture of the model as it is now (QImage), for File > Export picture and the animations; ValueError
        if the view has never been on screen."""
        self._catch_up()
        return self.scene.render_image()
