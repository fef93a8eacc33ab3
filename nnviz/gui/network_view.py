"""The network scene: every neuron coloured by a (or z), edges coloured by w (or w·a), explained on screen.

Contract: /work/brief/SCENE_API.md. NetworkView(state) follows state.traceChanged / weightsChanged /
networkChanged and knows nothing of training. The inspector's API (show_values, show_edge_values,
highlight_layer, animate_transition, ...) lives in scene/inspector_api.py (mixed in).
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QGraphicsPixmapItem, QVBoxLayout, QWidget

from . import theme
from .scene import describe, values as V
from .scene import edges as E
from .scene.all_edges import AllEdgesRenderer
from .scene.controls import SceneControls
from .scene.export import export_svg
from .scene.inspector_api import InspectorApiMixin
from .scene.layout import SCENE_H, layout
from .scene.neurons import LayerPanelItem, NeuronGridItem, OutputItem
from .scene.overlay import MarkerItem, PulseItem
from .state import AppState

SCENE_W = 1600.0


class NetworkView(InspectorApiMixin, QWidget):
    neuronHovered = Signal(int, int)
    neuronClicked = Signal(int, int)
    edgeClicked = Signal(int, int, int)
    allEdgesImageReady = Signal()
    transitionFinished = Signal()

    def __init__(self, state: AppState, parent: QWidget | None = None):
        QWidget.__init__(self, parent)
        self.setObjectName("networkView")
        self.state = state
        self.neuron_quantity, self.edge_quantity, self.per_layer = "a", "w", True
        self.edge_mode, self.k, self.per_target = "topk", 1000, False
        self.hovered: tuple[int, int] | None = None
        self.selected: tuple[int, int] | None = None
        self.selected_edge: tuple[int, int, int] | None = None
        self.last_tooltip = ""
        self._init_override()
        self.canvas = pg.GraphicsLayoutWidget()
        self.canvas.setObjectName("networkCanvas")
        self.canvas.setBackground(theme.BACKGROUND)
        self.canvas.setToolTip("")
        self.vb = self.canvas.addViewBox(row=0, col=0)
        self.vb.setAspectLocked(True)
        self.vb.invertY(True)
        self.vb.setMenuEnabled(False)
        self._build_legend_row()
        self.controls = SceneControls(self)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)
        lay.addWidget(self.controls)
        lay.addWidget(self.canvas, 1)
        self.renderer = AllEdgesRenderer(self)
        self.renderer.ready.connect(self._on_all_edges)
        self._all_pending = False
        self.canvas.scene().sigMouseMoved.connect(self._on_mouse_moved)
        self.canvas.scene().sigMouseClicked.connect(self._on_mouse_clicked)
        state.networkChanged.connect(self.rebuild)
        state.weightsChanged.connect(self._on_weights)
        state.traceChanged.connect(lambda _t: self.refresh())
        self.rebuild()

    # --- building ---------------------------------------------------------------------------
    def _build_legend_row(self) -> None:
        row = self.canvas.addLayout(row=1, col=0)
        row.setContentsMargins(10, 0, 10, 4)
        row.setMaximumHeight(56)
        row.setMinimumHeight(56)
        self.canvas.ci.layout.setRowStretchFactor(0, 1)
        self.neuron_bar = theme.ColorBarItem(theme.activation_cmap(), 0, 1, "", width=280)
        self.edge_bar = theme.ColorBarItem(theme.diverging_cmap(), -1, 1, "", width=360)
        self.legend = pg.LabelItem("", color=theme.TEXT_DIM, size="10pt", justify="left")
        row.addItem(self.neuron_bar, 0, 0)
        row.addItem(self.edge_bar, 0, 1)
        row.addItem(self.legend, 0, 2)

    def rebuild(self) -> None:
        """Lay out the network the state holds (any sizes) and create all items."""
        net = self.state.network
        self.sizes = tuple(net.sizes)
        self.L = len(self.sizes) - 1
        self.g_names = [net.arch.activation] * (self.L - 1) + [net.arch.output]
        self.geoms = layout(self.sizes, SCENE_W, SCENE_H)
        self.centers = [g.centers for g in self.geoms]
        self.start_x = [g.x0 + g.width if g.kind == "input" else None for g in self.geoms]
        self.vb.clear()
        rect = QRectF(0, 0, SCENE_W, SCENE_H)
        self.all_item = QGraphicsPixmapItem()
        self.all_item.setTransformationMode(Qt.TransformationMode.SmoothTransformation)
        self.vb.addItem(self.all_item)
        self.panels = []
        for g in self.geoms:
            panel = LayerPanelItem(g, describe.layer_title(g.l, self.sizes, self.g_names[g.l - 1] if g.l else ""),
                                   110.0 if g.kind == "output" and g.cols == 1 else 0.0)
            panel.setZValue(-10)
            panel.setCacheMode(panel.CacheMode.DeviceCoordinateCache)  # static: painted once per zoom
            self.panels.append(panel)
            self.vb.addItem(panel)
        self.topk_item = E.EdgeItem(rect, 30, 170, cached=True)
        self.fan_item = E.EdgeItem(rect, 100, 255, width=1.0)
        self.vb.addItem(self.topk_item)
        self.vb.addItem(self.fan_item)
        self.layer_items = [OutputItem(g) if (g.kind == "output" and g.cols == 1) else NeuronGridItem(g)
                            for g in self.geoms]
        for it in self.layer_items:
            it.setCacheMode(it.CacheMode.DeviceCoordinateCache)  # hover repaints blit, not rescale
            self.vb.addItem(it)
        self.markers = MarkerItem(rect)
        self.pulse = PulseItem(0, SCENE_H)
        self.vb.addItem(self.markers)
        self.vb.addItem(self.pulse)
        self.hovered = self.selected = self.selected_edge = None
        self._all_edge_values = None
        self.reset_view()
        self.refresh()

    def reset_view(self) -> None:
        """Fit the whole network in the view."""
        self.vb.setRange(QRectF(0, 0, SCENE_W, SCENE_H), padding=0.01)

    # --- forward-view options -----------------------------------------------------------------
    def set_neuron_quantity(self, which: str) -> None:
        assert which in ("a", "z")
        self.neuron_quantity = which
        self.refresh_neurons()
        self.controls.sync()

    def set_edge_quantity(self, which: str) -> None:
        assert which in ("w", "wa")
        self.edge_quantity = which
        self.refresh_edges(weights_changed=True)
        self.controls.sync()

    def set_edge_mode(self, mode: str, k: int = 2000, per_target: bool = False) -> None:
        assert mode in ("topk", "hover", "all", "none")
        changed_all = mode == "all" and self.edge_mode != "all"
        self.edge_mode, self.k, self.per_target = mode, int(k), bool(per_target)
        self.refresh_edges(weights_changed=changed_all)
        self.controls.sync()

    def set_scale(self, per_layer: bool) -> None:
        self.per_layer = bool(per_layer)
        self.refresh_neurons()
        self.refresh_edges(weights_changed=True)
        self.controls.sync()

    # --- refreshing ---------------------------------------------------------------------------
    def _on_weights(self) -> None:
        if self.state.trace is None:  # otherwise traceChanged follows and refreshes everything
            self.refresh_edges(weights_changed=True)
        else:
            self._weights_dirty = True

    def refresh(self) -> None:
        """Neurons and edges from the state (or the override)."""
        self.refresh_neurons()
        dirty = getattr(self, "_weights_dirty", True)
        if dirty or self.edge_quantity == "wa" or self._edge_override is not None:
            self.refresh_edges(weights_changed=dirty or self.edge_quantity == "wa")
        self._weights_dirty = False

    def _forward_neuron_values(self) -> tuple[list, bool, str]:
        tr = self.state.trace
        if tr is None:
            return [None] * (self.L + 1), self.neuron_quantity == "z", describe.neuron_legend(
                self.neuron_quantity, self.per_layer) + " (no input yet)"
        vals = tr.activations() if self.neuron_quantity == "a" else tr.pre_activations()
        return list(vals), self.neuron_quantity == "z", describe.neuron_legend(self.neuron_quantity, self.per_layer)

    def refresh_neurons(self) -> None:
        if self._override is not None:
            vals, diverging, title = self._override
            title = describe.neuron_legend("", self.per_layer, title)
        else:
            vals, diverging, title = self._forward_neuron_values()
        cmap = theme.diverging_cmap() if diverging else theme.activation_cmap()
        self._neuron_cmap = cmap
        limits = V.neuron_limits(vals, diverging, self.per_layer)
        colors = V.neuron_colors(vals, limits, cmap)
        for l, (it, c) in enumerate(zip(self.layer_items, colors)):
            it.set_colors(c if c is not None else V.grey(self.sizes[l]))
        tr = self.state.trace
        out = self.layer_items[-1]
        if isinstance(out, OutputItem):
            out.set_outputs(None if tr is None else tr.y_hat, self.state.label)
        lo, hi = ((-1.0, 1.0) if diverging else (0.0, 1.0)) if self.per_layer else limits[0]
        self.neuron_bar.set(cmap, lo, hi, title)
        self._neuron_limits = limits

    def _forward_edge_values(self) -> list[np.ndarray]:
        Ws = [W for W, _ in self.state.network.weights()]
        tr = self.state.trace
        if self.edge_quantity == "wa" and tr is not None:
            acts = tr.activations()
            return [W * acts[l][None, :] for l, W in enumerate(Ws)]
        return Ws

    def refresh_edges(self, weights_changed: bool = True) -> None:
        """Recompute the drawn edge sets for the current mode."""
        if self._edge_override is not None:
            l, vals, title, k = self._edge_override
            values = [vals if i == l - 1 else np.zeros((self.sizes[i + 1], self.sizes[i]), np.float32)
                      for i in range(self.L)]
            mode, k, per_target = ("topk" if self.edge_mode != "none" else "none"), k, False
            title = describe.edge_legend("", self.per_layer, title)
        else:
            values = self._forward_edge_values()
            mode, k, per_target = self.edge_mode, self.k, self.per_target
            title = describe.edge_legend(self.edge_quantity, self.per_layer)
        self._edge_values = values
        self._edge_lims = V.edge_limits(values, self.per_layer)
        self._topk_set = E.top_k(values, self._edge_lims, k, per_target) if mode == "topk" else E.EdgeSet.empty()
        self.topk_item.set_edges(self._topk_set, self.centers, self.start_x)
        if mode == "all":
            if weights_changed or self._all_edge_values is None:
                self._request_all_edges()
        else:
            self.all_item.setVisible(False)
        self._update_fan()
        lim = 1.0 if self.per_layer else self._edge_lims[0]
        self.edge_bar.set(theme.diverging_cmap(), -lim, lim, title)
        self._mode_line = describe.mode_legend(mode, k, per_target, self.edge_quantity)
        self._update_legend()

    def _update_legend(self) -> None:
        """Two lines under the scene: which edges are drawn, and the hovered neuron's numbers."""
        focus = self.hovered or self.selected
        info = "hover a neuron for z, a and its formula; click it for its weights"
        if focus is not None:
            info = " · ".join(self.tooltip_text(*focus).split("\n")[:3])
        self.legend.setText(f"{self._mode_line}<br><span style='color:#e1e1e8'>{info}</span>")

    def _request_all_edges(self) -> None:
        self._all_edge_values = self._edge_values
        if self.renderer.busy:
            self._all_pending = True
            return
        self.renderer.request(self._edge_values, self._edge_lims, self.centers, QRectF(0, 0, SCENE_W, SCENE_H),
                              self.start_x)

    def _on_all_edges(self, image, rect: QRectF) -> None:
        if self._all_pending:
            self._all_pending = False
            self._request_all_edges()
        self.all_item.setPixmap(QPixmap.fromImage(image))
        self.all_item.setScale(rect.width() / max(1, image.width()))
        self.all_item.setVisible(self.edge_mode == "all")
        self.allEdgesImageReady.emit()

    def _update_fan(self) -> None:
        focus = self.hovered or self.selected
        show = focus is not None and self.edge_mode != "none"
        fan_set = E.fan(self._edge_values, self._edge_lims, *focus) if show else E.EdgeSet.empty()
        self._fan_set = fan_set
        self.fan_item.set_edges(fan_set, self.centers, self.start_x)
        self.topk_item.setOpacity(0.35 if show else 1.0)
        self._update_markers()

    # --- hover and click ----------------------------------------------------------------------
    def neuron_at(self, view_pos: QPointF) -> tuple[int, int] | None:
        """(layer, index) of the neuron under a point in scene (view-box) coordinates, else None."""
        for g in self.geoms:
            i = g.hit(view_pos.x(), view_pos.y())
            if i is not None:
                return g.l, i
        return None

    def neuron_scene_pos(self, layer: int, index: int) -> QPointF:
        """Where a neuron sits in the QGraphicsScene (for tests and mouse simulation)."""
        x, y = self.centers[layer][index]
        return self.vb.mapViewToScene(QPointF(float(x), float(y)))

    def _on_mouse_moved(self, scene_pos: QPointF) -> None:
        hit = self.neuron_at(self.vb.mapSceneToView(scene_pos)) if self.vb.sceneBoundingRect().contains(scene_pos) else None
        self.hover_neuron(*(hit or (-1, -1)))

    def hover_neuron(self, layer: int, index: int) -> None:
        """Hover a neuron (-1, -1: none): light its edges, show its tooltip, emit neuronHovered."""
        hit = None if layer < 0 else (layer, index)
        if hit == self.hovered:
            return
        self.hovered = hit
        self._update_fan()
        for item in self.layer_items:  # the scene shows the hovered layer item's tooltip (Qt's timing)
            item.setToolTip("")
        if hit is not None:
            self.last_tooltip = self.tooltip_text(*hit)
            self.layer_items[hit[0]].setToolTip(self.last_tooltip)
        self._update_legend()
        self.neuronHovered.emit(*(hit or (-1, -1)))

    def tooltip_text(self, layer: int, index: int) -> str:
        b = self.state.network.dense[layer - 1].b if layer >= 1 else None
        return describe.neuron_tooltip(self.state.trace, self.sizes, layer, index, b, self.g_names)

    def _on_mouse_clicked(self, ev) -> None:
        pos = self.vb.mapSceneToView(ev.scenePos())
        hit = self.neuron_at(pos)
        if hit is not None:
            self.select_neuron(*hit)
            self.neuronClicked.emit(*hit)
            return
        edge = self.edge_near(pos)
        if edge is not None:
            self.select_edge(*edge)
            self.edgeClicked.emit(*edge)

    def edge_near(self, p: QPointF, tol_px: float = 5.0) -> tuple[int, int, int] | None:
        """The drawn edge (l, j, i) nearest to view point p within tol_px screen pixels."""
        sets = [s for s in (self._fan_set, self._topk_set) if len(s)]
        if not sets:
            return None
        l = np.concatenate([s.l for s in sets]); j = np.concatenate([s.j for s in sets])
        i = np.concatenate([s.i for s in sets])
        a = np.empty((l.size, 2)); b = np.empty((l.size, 2))
        for layer in np.unique(l):
            m = l == layer
            a[m] = self.centers[layer - 1][i[m]]
            b[m] = self.centers[layer][j[m]]
        q = np.array([p.x(), p.y()])
        d = b - a
        t = np.clip(((q - a) * d).sum(1) / np.maximum((d * d).sum(1), 1e-9), 0, 1)
        dist = np.hypot(*(a + t[:, None] * d - q).T)
        best = int(np.argmin(dist))
        px = self.vb.viewPixelSize()[0]
        return (int(l[best]), int(j[best]), int(i[best])) if dist[best] <= tol_px * px else None

    def _update_markers(self) -> None:
        rings = []
        for focus, sel in ((self.hovered, False), (self.selected, True)):
            if focus is not None:
                g = self.geoms[focus[0]]
                x, y = self.centers[focus[0]][focus[1]]
                rings.append((QPointF(float(x), float(y)), max(g.cell * 0.55, 4.0), sel))
        line = None
        if self.selected_edge is not None:
            l, j, i = self.selected_edge
            from PySide6.QtCore import QLineF
            a, b = self.centers[l - 1][i], self.centers[l][j]
            line = QLineF(float(a[0]), float(a[1]), float(b[0]), float(b[1]))
        self.markers.set_marks(rings, line)

    # --- observable state -----------------------------------------------------------------------
    def neuron_colors(self, layer: int) -> np.ndarray:
        return np.array(self.layer_items[layer].colors, copy=True)

    def drawn_edge_count(self) -> int:
        n = self.topk_item.count + self.fan_item.count
        if self.edge_mode == "all" and self.all_item.isVisible():
            n += sum(a * b for a, b in zip(self.sizes[:-1], self.sizes[1:]))
        return n

    def colormap_top_color(self) -> tuple[int, int, int, int]:
        return theme.top_color(self._neuron_cmap)

    def export(self, path: str) -> None:
        """Write the scene (with colour bars and legend) to .png or .svg."""
        if str(path).lower().endswith(".svg"):
            export_svg(self.canvas, str(path), "nnviz network scene")
        else:
            from pyqtgraph.exporters import ImageExporter
            ImageExporter(self.canvas.ci).export(str(path))


if __name__ == "__main__":
    from .scene.preview import main
    main()
