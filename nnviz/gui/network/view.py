"""The network scene: every neuron coloured by a (or z), edges coloured by w (or w·a), explained on screen.

Contract: /work/brief/SCENE_API.md. NetworkView(state) follows state.traceChanged / weightsChanged /
networkChanged and knows nothing of training. The inspector's API (show_values, show_edge_values,
highlight_layer, animate_transition, ...) lives in scene/inspector_api.py (mixed in).
"""

from __future__ import annotations

import time

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QPixmapCache
from PySide6.QtWidgets import QGraphicsPixmapItem, QVBoxLayout, QWidget

from nnviz.gui import colormaps
from nnviz.gui.network.scene import describe
from nnviz.gui.network.scene import edges as E
from nnviz.gui.network.scene import values as V
from nnviz.gui.network.scene.all_edges import AllEdgesRenderer
from nnviz.gui.network.scene.controls import SceneControls
from nnviz.gui.network.scene.edge_image import EdgeImageItem
from nnviz.gui.network.scene.edge_view import SCENE_W, EdgesMixin
from nnviz.gui.network.scene.export import export_svg
from nnviz.gui.network.scene.inspector_api import InspectorApiMixin
from nnviz.gui.network.scene.interaction import InteractionMixin
from nnviz.gui.network.scene.layout import SCENE_H, layout
from nnviz.gui.network.scene.legend import build_legend_row, set_bar, show_second_bar
from nnviz.gui.network.scene.neurons import LayerPanelItem, NeuronGridItem, OutputItem
from nnviz.gui.network.scene.overlay import MarkerItem, PulseItem
from nnviz.gui.state import AppState

EDGE_INTERVAL_MS = 66  # new weights (training) redraw the strongest edges at most ~15 times a second
PIXMAP_CACHE_KB = 96 * 1024


class NetworkView(EdgesMixin, InteractionMixin, InspectorApiMixin, QWidget):
    neuronHovered = Signal(int, int)
    neuronClicked = Signal(int, int)
    edgeClicked = Signal(int, int, int)
    allEdgesImageReady = Signal()
    transitionFinished = Signal()
    selectionCleared = Signal()  # a click on empty space (or select_neuron(-1, -1)) dropped the selection

    def __init__(self, state: AppState, parent: QWidget | None = None):
        QWidget.__init__(self, parent)
        if QPixmapCache.cacheLimit() < PIXMAP_CACHE_KB:  # item caches (a few 5 MB pixmaps) must fit, or
            QPixmapCache.setCacheLimit(PIXMAP_CACHE_KB)  # every repaint re-renders them (10 MB default)
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
        self.canvas.setBackground(colormaps.BACKGROUND)
        self.canvas.setToolTip("")
        self.vb = self.canvas.addViewBox(row=0, col=0)
        self.vb.setAspectLocked(True)
        self.vb.invertY(True)
        self.vb.setMenuEnabled(False)
        build_legend_row(self)
        self.controls = SceneControls(self)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)
        lay.addWidget(self.controls)
        lay.addWidget(self.canvas, 1)
        self._weights_dirty, self._last_edges = True, 0.0
        self.edge_interval_ms = EDGE_INTERVAL_MS
        self._edge_timer = QTimer(self)
        self._edge_timer.setSingleShot(True)
        self._edge_timer.timeout.connect(lambda: self._weights_dirty and self.refresh_edges(weights_changed=True))
        self.renderer = AllEdgesRenderer(self)
        self.renderer.ready.connect(self._on_all_edges)
        self._all_pending = False
        self._init_interaction()
        self.vb.sigRangeChangedManually.connect(self._on_manual_range)
        state.networkChanged.connect(self.rebuild)
        state.weightsChanged.connect(self._on_weights)
        state.traceChanged.connect(lambda _t: self.refresh())
        state.traceChanged.connect(lambda _t: self.refresh_tooltip())  # live numbers while training
        self.rebuild()

    # --- building ---------------------------------------------------------------------------
    def rebuild(self) -> None:
        """Lay out the network the state holds (any sizes) and create all items."""
        net = self.state.network
        if getattr(self, "sizes", None) != tuple(net.sizes):  # an override of other sizes no longer fits
            self._override = self._edge_override = self._focus = None
            self._highlight = None
            self.skip_animation()
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
            panel.title_room = self._title_room(g.l)
            panel.setZValue(-10)
            panel.setCacheMode(panel.CacheMode.DeviceCoordinateCache)  # static: painted once per zoom
            self.panels.append(panel)
            self.vb.addItem(panel)
        self.topk_item = EdgeImageItem(rect, 25, 130)  # many lines: painted off the GUI thread
        self.fan_item = E.EdgeItem(rect, 150, 255, width=1.0)
        self.vb.addItem(self.topk_item)
        self.vb.addItem(self.fan_item)
        self.layer_items = [OutputItem(g) if (g.kind == "output" and g.cols == 1) else NeuronGridItem(g)
                            for g in self.geoms]
        for it in self.layer_items:
            if isinstance(it, OutputItem):  # text and circles: hover repaints blit a cached picture
                it.setCacheMode(it.CacheMode.DeviceCoordinateCache)  # (grids paint as cheaply as a blit)
            self.vb.addItem(it)
        self.markers = MarkerItem(rect)
        self.pulse = PulseItem(0, SCENE_H)
        self.vb.addItem(self.markers)
        self.vb.addItem(self.pulse)
        self.hovered = self.selected = self.selected_edge = None
        self._all_edge_values = None
        self.reset_view()
        if self._highlight is not None:
            self.highlight_layer(self._highlight)
        self._weights_dirty, self._last_edges = True, 0.0
        self.refresh()

    def _title_room(self, l: int) -> float:
        """How much wider than its panel layer l's title may be: most of the gaps to its neighbours."""
        g = self.geoms
        left = g[l].x0 - (g[l - 1].x0 + g[l - 1].width) if l > 0 else None
        right = g[l + 1].x0 - (g[l].x0 + g[l].width) if l < self.L else None
        gaps = [x for x in (left, right) if x is not None] or [60.0]
        return max(0.0, 0.85 * min(gaps) - 16.0) * (0.5 if l == 0 else 1.0)  # the first title starts left

    def reset_view(self) -> None:
        """Fit the whole network in the view (and keep fitting it on resize until the user zooms or pans)."""
        self._fit = True
        self.vb.setRange(QRectF(0, 0, SCENE_W, SCENE_H), padding=0.01)

    def _on_manual_range(self, *args) -> None:
        self._fit = False

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if getattr(self, "_fit", True):
            QTimer.singleShot(0, self.reset_view)  # after the layout has given the view box its size

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
        self._weights_dirty = True
        if self.state.trace is None:  # otherwise traceChanged follows and refreshes everything
            self.refresh()

    def trace(self):
        """The state's trace if it belongs to the network shown (during set_network it briefly does not)."""
        tr = self.state.trace
        if tr is None or len(tr.layers) != self.L or any(lt.n_out != n for lt, n in zip(tr.layers, self.sizes[1:])):
            return None
        return tr

    def refresh(self) -> None:
        """Neurons now; edges when the weights changed (at most every edge_interval_ms) or depend on a."""
        self.refresh_neurons()
        dirty = self._weights_dirty
        wait_ms = self.edge_interval_ms - 1000 * (time.monotonic() - self._last_edges)
        if dirty and wait_ms > 0 and self.edge_quantity == "w":
            if not self._edge_timer.isActive():
                self._edge_timer.start(int(wait_ms) + 1)
            return
        if dirty or self.edge_quantity == "wa":  # weight-coloured edges do not depend on the input
            self.refresh_edges(weights_changed=dirty or self.edge_quantity == "wa")

    def _forward_neuron_values(self) -> tuple[list, bool, str]:
        tr = self.trace()
        if tr is None:
            return [None] * (self.L + 1), self.neuron_quantity == "z", describe.neuron_legend(
                self.neuron_quantity, self.per_layer) + " (no input yet)"
        vals = tr.activations() if self.neuron_quantity == "a" else tr.pre_activations()
        return list(vals), self.neuron_quantity == "z", describe.neuron_legend(self.neuron_quantity, self.per_layer)

    def refresh_neurons(self) -> None:
        """Recolour every layer from the trace (or the override), set the output bars and colour bars."""
        ov = self._override
        if ov is not None:
            vals, maps, main = ov.values, ov.maps, ov.main
            title = describe.neuron_legend("", self.per_layer, ov.title, main == "diverging")
        else:
            vals, diverging, title = self._forward_neuron_values()
            main = "diverging" if diverging else "activation"
            maps = [main] * (self.L + 1)
        colors, limits = V.colours_by_map(vals, maps, self.per_layer)
        for l, (it, c) in enumerate(zip(self.layer_items, colors)):
            it.set_colors(c if c is not None else V.grey(self.sizes[l]))
        out = self.layer_items[-1]
        if isinstance(out, OutputItem):
            tr = self.trace()
            probs = ov.outputs if ov is not None else (None if tr is None else tr.y_hat)
            out.set_outputs(probs, self.state.label)
        self._neuron_cmap = V.CMAPS[main]()
        set_bar(self.neuron_bar, self._neuron_cmap, *V.bar_limits(main, maps, limits, self.per_layer), title,
                describe.NEURON_SCALE_TIP[self.per_layer])
        other = next((m for m, v in zip(maps, vals) if m != main and v is not None), None)
        if other is not None:
            words = ov.other_title or ("activation a" if other == "activation" else "signed values")
            set_bar(self.neuron_bar2, V.CMAPS[other](), *V.bar_limits(other, maps, limits, self.per_layer),
                    describe.neuron_legend("", self.per_layer, words, other == "diverging"),
                    describe.NEURON_SCALE_TIP[self.per_layer])
        show_second_bar(self, other is not None)
        self._neuron_limits = limits

    # --- observable state -----------------------------------------------------------------------
    def neuron_colors(self, layer: int) -> np.ndarray:
        return np.array(self.layer_items[layer].colors, copy=True)

    def drawn_edge_count(self) -> int:
        n = self.topk_item.count + self.fan_item.count
        if self.edge_mode == "all" and self.all_item.isVisible():
            n += sum(a * b for a, b in zip(self.sizes[:-1], self.sizes[1:]))
        return n

    def edges_settled(self) -> bool:
        """Every edge picture shows the current edges (none is still being painted off the GUI thread)."""
        return self.topk_item.settled() and not (self.edge_mode == "all" and self.renderer.busy)

    def colormap_top_color(self) -> tuple[int, int, int, int]:
        return colormaps.top_color(self._neuron_cmap)

    def export(self, path: str) -> None:
        """Write the scene (with colour bars and legend) to .png or .svg."""
        if str(path).lower().endswith(".svg"):
            export_svg(self.canvas, str(path), "nnviz network scene")
        else:
            from pyqtgraph.exporters import ImageExporter
            ImageExporter(self.canvas.ci).export(str(path))


if __name__ == "__main__":
    from nnviz.gui.network.scene.preview import main
    main()
