"""The network scene: every neuron coloured by a (or z), edges coloured by w (or w·a), explained on screen.

NetworkView(state) is a thin view: `view.model` (scene/model.py, no Qt) decides what is shown, `view.items`
(scene/items.py) draw it, and this widget wires the state, the mouse and the theme to the model. It follows
state.traceChanged / weightsChanged / networkChanged and knows nothing of training. The controls above it
and the backprop inspector act on the model itself (view.model.set_edge_mode, .show_values,
.show_edge_values, .highlight_layer, .set_focus, ...; the override: scene/inspector_api.py) and on the items
for animation (view.items.animate).

Mouse moves are read from the viewport through an event filter (pyqtgraph's sigMouseMoved is rate
limited and can drop the last move, which would leave the wrong neuron hovered).
"""

from __future__ import annotations

import time

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QObject, QPointF, QRectF, QTimer, Signal
from PySide6.QtGui import QCursor, QPixmapCache
from PySide6.QtWidgets import QStackedWidget, QToolTip, QVBoxLayout, QWidget

from nnviz.gui import settings
from nnviz.gui.look import themes
from nnviz.gui.network.scene.controls import SceneControls
from nnviz.gui.network.scene.export import export_svg
from nnviz.gui.network.scene.items import SceneItems
from nnviz.gui.network.scene.legend import LegendRow
from nnviz.gui.network.scene.model import SceneModel
from nnviz.gui.network.view3d.view import Network3DView
from nnviz.gui.state import AppState

EDGE_INTERVAL_MS = 66  # new weights (training) redraw the strongest edges at most ~15 times a second
PIXMAP_CACHE_KB = 96 * 1024


class NetworkView(QWidget):
    neuronHovered = Signal(int, int)
    neuronClicked = Signal(int, int)
    edgeClicked = Signal(int, int, int)
    allEdgesImageReady = Signal()
    transitionFinished = Signal()
    selectionCleared = Signal()  # a click on empty space (or select_neuron(-1, -1)) dropped the selection

    def __init__(self, state: AppState, parent: QWidget | None = None):
        super().__init__(parent)
        if QPixmapCache.cacheLimit() < PIXMAP_CACHE_KB:  # item caches (a few 5 MB pixmaps) must fit, or
            QPixmapCache.setCacheLimit(PIXMAP_CACHE_KB)  # every repaint re-renders them (10 MB default)
        self.setObjectName("networkView")
        self.state = state
        self.last_tooltip = ""
        self.canvas = pg.GraphicsLayoutWidget()
        self.canvas.setObjectName("networkCanvas")
        self.canvas.setBackground(themes.current().background)
        self.canvas.setToolTip("")
        self.vb = self.canvas.addViewBox(row=0, col=0)
        self.vb.setAspectLocked(True)
        self.vb.invertY(True)
        self.vb.setMenuEnabled(False)
        self.legend_row = LegendRow(self.canvas)
        self.neuron_bar, self.neuron_bar2 = self.legend_row.neuron_bar, self.legend_row.neuron_bar2
        self.edge_bar, self.legend = self.legend_row.edge_bar, self.legend_row.legend
        self.model = SceneModel()  # its network comes with rebuild(), once everything listens
        self.items = SceneItems(self.vb, self.model, self.legend_row, self)
        self.items.allEdgesImageReady.connect(self.allEdgesImageReady)
        self.items.transitionFinished.connect(self.transitionFinished)
        self.model.layout_changed.connect(self.reset_view)
        self.controls = SceneControls(self)
        self.model.options_changed.connect(self.controls.sync)
        self.model.layout_changed.connect(self.controls.sync)  # (k's limit depends on the sizes)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)
        lay.addWidget(self.controls)
        self.stack = QStackedWidget()  # the flat scene, or the 3-D view (made when first asked for)
        self.stack.addWidget(self.canvas)
        lay.addWidget(self.stack, 1)
        self.view3d: Network3DView | None = None
        self._last_edges = 0.0
        self.edge_interval_ms = EDGE_INTERVAL_MS
        self._edge_timer = QTimer(self)
        self._edge_timer.setSingleShot(True)
        self._edge_timer.timeout.connect(self.flush_edges)
        self.model.edges_changed.connect(lambda _changed: setattr(self, "_last_edges", time.monotonic()))
        self.canvas.viewport().setMouseTracking(True)
        self.canvas.viewport().installEventFilter(self)
        self.canvas.scene().sigMouseClicked.connect(self._on_mouse_clicked)
        self.vb.sigRangeChangedManually.connect(self._on_manual_range)
        self.vb.sigResized.connect(self._on_area_changed)  # the legend below grew or shrank, a dock moved
        state.networkChanged.connect(self.rebuild)
        state.weightsChanged.connect(self._on_weights)
        state.traceChanged.connect(lambda _t: self.refresh())
        state.traceChanged.connect(lambda _t: self.refresh_tooltip())  # live numbers while training
        self._theme_name = themes.current().name
        themes.changes().changed.connect(self._on_theme)
        self.rebuild()
        if settings.get_str("network/3d", "0") == "1":
            self.controls.three_d.setChecked(True)

    # --- flat or 3-D --------------------------------------------------------------------------------------
    def set_3d(self, on: bool) -> None:
        """Show the 3-D view (made at the first call, from the same model) or the flat scene; remembered."""
        if on and self.view3d is None:
            self.view3d = Network3DView(self.model)
            self.view3d.neuronHovered.connect(self.neuronHovered)
            self.view3d.neuronClicked.connect(self.neuronClicked)
            self.stack.addWidget(self.view3d)
        self.stack.setCurrentWidget(self.view3d if on else self.canvas)
        self.items.set_paused(on)
        if self.controls.three_d.isChecked() != on:
            self.controls.three_d.setChecked(on)
        settings.set_value("network/3d", "1" if on else "0")

    def showing_3d(self) -> bool:
        return self.view3d is not None and self.stack.currentWidget() is self.view3d

    # --- building ---------------------------------------------------------------------------------------
    def rebuild(self) -> None:
        """Lay out the network the state holds (any sizes) and create all items."""
        self.model.set_network(self.state.network, self.state.trace, self.state.label)

    def reset_view(self) -> None:
        """Fit the whole network in the view (and keep fitting it on resize until the user zooms or pans)."""
        self._fit = True
        self.vb.setRange(QRectF(0, 0, self.model.width, self.model.height), padding=0.01)

    def _on_manual_range(self, *args) -> None:
        self._fit = False

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._on_area_changed()

    def _on_area_changed(self, *_args) -> None:
        """The scene's area changed: fit the network in it again, unless the user zoomed or panned."""
        if getattr(self, "_fit", True):
            QTimer.singleShot(0, self.reset_view)  # after the layout has given the view box its size

    # --- refreshing ---------------------------------------------------------------------------------
    def _on_weights(self) -> None:
        self.model.weights_changed()
        if self.state.trace is None:  # otherwise traceChanged follows and refreshes everything
            self.refresh()

    def refresh(self) -> None:
        """Neurons now; edges when the weights changed (at most every edge_interval_ms) or depend on a."""
        self.model.set_trace(self.state.trace, self.state.label)
        wait_ms = self.edge_interval_ms - 1000 * (time.monotonic() - self._last_edges)
        if self.model.edges_stale and wait_ms > 0 and self.model.edge_quantity == "w":
            if not self._edge_timer.isActive():
                self._edge_timer.start(int(wait_ms) + 1)
            return
        if self.model.edges_due():
            self.model.update_edges(weights_changed=True)

    def flush_edges(self) -> None:
        """Draw the edges of the latest weights now if they are waiting (the throttle's timer calls this)."""
        self._edge_timer.stop()
        if self.model.edges_stale:
            self.model.update_edges(weights_changed=True)

    def set_text_scale(self, scale: float) -> None:
        """The legend's colour bars and text scale × larger (presenter mode; 1: back)."""
        self.legend_row.set_text_scale(scale)
        if self.view3d is not None and self.view3d.available:
            for bar in (self.view3d.neuron_bar, self.view3d.edge_bar):
                bar.set_text_scale(scale)

    def _on_theme(self, theme: themes.Theme) -> None:
        """The theme changed: a new background and layer bands (dark / light), or new colours (palette) or
        line widths (presenter mode) for the neurons and edges."""
        self.canvas.setBackground(theme.background)
        if theme.name != self._theme_name:
            self._theme_name = theme.name
            self.rebuild()
        else:
            self.model.update_neurons()
            self.model.update_edges(weights_changed=True)

    # --- mouse --------------------------------------------------------------------------------------
    def eventFilter(self, obj: QObject, ev: QEvent) -> bool:
        if obj is self.canvas.viewport():
            if ev.type() == QEvent.Type.MouseMove:
                self._on_mouse_moved(self.canvas.mapToScene(ev.position().toPoint()))
            elif ev.type() == QEvent.Type.Leave:
                self.hover_neuron(-1, -1)
        return False

    def neuron_scene_pos(self, layer: int, index: int) -> QPointF:
        """Where a neuron sits in the QGraphicsScene (for tests and mouse simulation)."""
        x, y = self.model.centers[layer][index]
        return self.vb.mapViewToScene(QPointF(float(x), float(y)))

    def _on_mouse_moved(self, scene_pos: QPointF) -> None:
        inside = self.vb.sceneBoundingRect().contains(scene_pos)
        view_pos = self.vb.mapSceneToView(scene_pos)
        hit = self.model.neuron_at(view_pos.x(), view_pos.y()) if inside else None
        self.hover_neuron(*(hit or (-1, -1)))

    def hover_neuron(self, layer: int, index: int) -> None:
        """Hover a neuron (-1, -1: none): light its edges, show its tooltip, emit neuronHovered."""
        if not self.model.hover(layer, index):
            return
        hit = self.model.hovered
        for item in self.items.layer_items:  # the scene shows the hovered layer item's tooltip (Qt's timing)
            item.setToolTip("")
        if hit is not None:
            self.last_tooltip = self.model.tooltip_text(*hit)
            self.items.layer_items[hit[0]].setToolTip(self.last_tooltip)
        self.neuronHovered.emit(*(hit or (-1, -1)))

    def refresh_tooltip(self) -> None:
        """New numbers (a new input, training): the hovered neuron's tooltip follows, also while it is open."""
        hovered = self.model.hovered
        if hovered is None:
            return
        text = self.model.tooltip_text(*hovered)
        if text == self.last_tooltip:
            return
        self.last_tooltip = text
        self.items.layer_items[hovered[0]].setToolTip(text)
        if QToolTip.isVisible():
            QToolTip.showText(QCursor.pos(), text, self.canvas)

    def _on_mouse_clicked(self, ev) -> None:
        pos = self.vb.mapSceneToView(ev.scenePos())
        hit = self.model.neuron_at(pos.x(), pos.y())
        if hit is not None:
            self.select_neuron(*hit)
            self.neuronClicked.emit(*hit)
            return
        edge = self.model.edge_near(pos.x(), pos.y(), 5.0 * self.vb.viewPixelSize()[0])  # 5 screen pixels
        if edge is not None:
            self.model.select_edge(*edge)
            self.edgeClicked.emit(*edge)
        elif self.vb.sceneBoundingRect().contains(ev.scenePos()):
            self.clear_selection()

    # --- selection and focus ----------------------------------------------------------------------------
    def select_neuron(self, layer: int, index: int) -> None:
        """Select a neuron: ring, its fan-in/fan-out stay lit. layer < 0: clear the selection."""
        if self.model.select_neuron(layer, index):
            self.selectionCleared.emit()

    def clear_selection(self) -> None:
        """Forget the selected neuron and edge (a click on empty space); emits selectionCleared if there was one."""
        if self.model.clear_selection():
            self.selectionCleared.emit()

    # --- the inspector's override -----------------------------------------------------------------------
    def clear_override(self) -> None:
        """Back to the forward view: activations and weights from the state."""
        self.items.skip_animation()
        self.model.clear_override()
        self.refresh()

    # --- observable state -----------------------------------------------------------------------
    def neuron_colors(self, layer: int) -> np.ndarray:
        """The colours layer `layer`'s neurons are drawn in now, (n, 4) uint8 (a copy)."""
        return np.array(self.items.layer_items[layer].colors, copy=True)

    def export(self, path: str) -> None:
        """Write the scene (with colour bars and legend) to .png or .svg; the 3-D view, when on show, to .png."""
        if self.showing_3d():
            if not self.view3d.available or str(path).lower().endswith(".svg"):
                raise ValueError("the 3-D view exports PNG pictures only" if self.view3d.available
                                 else self.view3d.problem)
            self.view3d.grab_picture().save(str(path))
            return
        if str(path).lower().endswith(".svg"):
            export_svg(self.canvas, str(path), "nnviz network scene")
        else:
            from pyqtgraph.exporters import ImageExporter
            ImageExporter(self.canvas.ci).export(str(path))
