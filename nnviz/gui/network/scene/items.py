"""The scene's graphics items, kept in step with a SceneModel: layer panels, neuron grids, the strongest
edges (painted off the GUI thread), the hovered neuron's fan, the all-edges picture, rings and the pulse.

SceneItems(view_box, model, legend) subscribes to the model's callbacks and only draws what it says.
"""

from __future__ import annotations

from PySide6.QtCore import QEasingCurve, QLineF, QObject, QPointF, QRectF, Qt, QTimer, QVariantAnimation, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QGraphicsPixmapItem

from nnviz.gui.look import themes
from nnviz.gui.network.scene import describe
from nnviz.gui.network.scene import edge_sets as S
from nnviz.gui.network.scene import edges as E
from nnviz.gui.network.scene import values as V
from nnviz.gui.network.scene.all_edges import AllEdgesRenderer
from nnviz.gui.network.scene.edge_image import EdgeImageItem
from nnviz.gui.network.scene.legend import LegendRow, set_bar
from nnviz.gui.network.scene.model import SceneModel
from nnviz.gui.network.scene.neurons import LayerPanelItem, NeuronGridItem, OutputItem
from nnviz.gui.network.scene.overlay import MarkerItem, PulseItem

ALL_EDGES_INTERVAL_MS = 1000  # new weights re-render the all-edges picture at most about once a second


class SceneItems(QObject):
    """The items of one scene (rebuilt when the model's layout changes). allEdgesImageReady: the all-edges
    picture of the current values is shown; transitionFinished: the pulse has arrived (or was skipped)."""

    allEdgesImageReady = Signal()
    transitionFinished = Signal()

    def __init__(self, vb, model: SceneModel, legend: LegendRow, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.vb, self.model, self.legend = vb, model, legend
        self.renderer = AllEdgesRenderer(self)
        self.renderer.ready.connect(self._on_all_edges)
        self._all_pending = False
        self._all_values = None  # the edge values the all-edges picture was asked for
        self.neuron_cmap = themes.current().activation_cmap
        self._anim = QVariantAnimation(self)
        self._anim.setEasingCurve(QEasingCurve.Type.InOutQuad)
        self._anim.valueChanged.connect(lambda x: self.pulse.set_x(float(x)))
        self._anim.finished.connect(self._on_anim_finished)
        self.paused = False  # while the 3-D view is on show, the colours and edges wait (set_paused)
        self._missed: set[str] = set()
        model.layout_changed.connect(self.build)
        model.neurons_changed.connect(self.show_neurons)
        model.edges_changed.connect(self.show_edges)
        model.fan_changed.connect(self.show_fan)
        model.marks_changed.connect(self.show_marks)
        model.highlight_changed.connect(self.show_highlight)

    @property
    def rect(self) -> QRectF:
        return QRectF(0, 0, self.model.width, self.model.height)

    # --- building ------------------------------------------------------------------------------------
    def build(self) -> None:
        """Create every item for the model's layout (any sizes)."""
        m = self.model
        self.skip_animation()
        self.vb.clear()
        self.all_item = QGraphicsPixmapItem()
        self.all_item.setTransformationMode(Qt.TransformationMode.SmoothTransformation)
        self.vb.addItem(self.all_item)
        self.panels = []
        for g in m.geoms:
            panel = LayerPanelItem(g, describe.layer_title(g.l, m.sizes, m.g_names[g.l - 1] if g.l else ""),
                                   110.0 if g.kind == "output" and g.cols == 1 else 0.0)
            panel.title_room = self._title_room(g.l)
            panel.setZValue(-10)
            panel.setCacheMode(panel.CacheMode.DeviceCoordinateCache)  # static: painted once per zoom
            self.panels.append(panel)
            self.vb.addItem(panel)
        self.topk_item = EdgeImageItem(self.rect, 25, 130)  # many lines: painted off the GUI thread
        self.fan_item = E.EdgeItem(self.rect, 150, 255, width=1.0)
        self.vb.addItem(self.topk_item)
        self.vb.addItem(self.fan_item)
        self.layer_items = [OutputItem(g) if (g.kind == "output" and g.cols == 1) else NeuronGridItem(g)
                            for g in m.geoms]
        for it in self.layer_items:
            if isinstance(it, OutputItem):  # text and circles: hover repaints blit a cached picture
                it.setCacheMode(it.CacheMode.DeviceCoordinateCache)  # (grids paint as cheaply as a blit)
            self.vb.addItem(it)
        self.markers = MarkerItem(self.rect)
        self.pulse = PulseItem(0, m.height)
        self.vb.addItem(self.markers)
        self.vb.addItem(self.pulse)
        self._all_values = None
        self.show_highlight()

    def _title_room(self, l: int) -> float:
        """How much wider than its panel layer l's title may be: most of the gaps to its neighbours."""
        g, last = self.model.geoms, self.model.L
        left = g[l].x0 - (g[l - 1].x0 + g[l - 1].width) if l > 0 else None
        right = g[l + 1].x0 - (g[l].x0 + g[l].width) if l < last else None
        gaps = [x for x in (left, right) if x is not None] or [60.0]
        return max(0.0, 0.85 * min(gaps) - 16.0) * (0.5 if l == 0 else 1.0)  # the first title starts left

    # --- following the model ---------------------------------------------------------------------------
    def set_paused(self, on: bool) -> None:
        """Hidden behind the 3-D view, the scene does not recolour its neurons or redraw its edges (the edges
        are drawn off the GUI thread, beside the 3-D view's own work); shown again, it catches up."""
        self.paused = on
        if not on:
            missed, self._missed = self._missed, set()
            if "neurons" in missed:
                self.show_neurons()
            if "edges" in missed:
                self.show_edges(True)

    def show_neurons(self) -> None:
        """Recolour every layer, set the output bars and the colour bars."""
        if self.paused:
            self._missed.add("neurons")
            return
        n, lg = self.model.neurons, self.legend
        for l, (it, c) in enumerate(zip(self.layer_items, V.colours_by_map(n.values, n.maps, n.limits))):
            it.set_colors(c if c is not None else V.grey(self.model.sizes[l]))
        out = self.layer_items[-1]
        if isinstance(out, OutputItem):
            out.set_outputs(n.outputs, self.model.label)
        self.neuron_cmap = V.cmap(n.main)
        set_bar(lg.neuron_bar, self.neuron_cmap, *n.bar, n.title, n.scale_tip)
        if n.other is not None:
            set_bar(lg.neuron_bar2, V.cmap(n.other), *n.other_bar, n.other_title, n.scale_tip)
        lg.show_second_bar(n.other is not None)

    def show_edges(self, weights_changed: bool) -> None:
        if self.paused:
            self._missed.add("edges")
            return
        m, e = self.model, self.model.edges
        self.topk_item.set_edges(e.topk, m.centers, m.start_x)
        if e.mode == "all":
            if weights_changed or self._all_values is None:
                self.request_all_edges()
        else:
            self.all_item.setVisible(False)
        set_bar(self.legend.edge_bar, themes.current().diverging_cmap, -e.bar, e.bar, e.title, e.scale_tip)
        self.legend.show_edge_bar(not e.hidden)  # a step without edges: no colour bar for them

    def show_fan(self) -> None:
        m = self.model
        self.fan_item.set_edges(m.fan, m.centers, m.start_x)
        self.topk_item.setOpacity(0.2 if len(m.fan) else 1.0)
        self.legend.set_lines(*m.legend_lines())

    def show_marks(self) -> None:
        rings, line, focus_line = self.model.marks()
        self.markers.set_marks([(QPointF(x, y), r, kind) for x, y, r, kind in rings],
                               None if line is None else QLineF(*line),
                               None if focus_line is None else QLineF(*focus_line))

    def show_highlight(self) -> None:
        for panel in self.panels:
            panel.set_highlighted(panel.geom.l == self.model.highlight)

    # --- the pulse between layers -------------------------------------------------------------------------
    def animate(self, from_layer: int, to_layer: int, duration_ms: int) -> None:
        """A band of light moves from one layer to the other; transitionFinished when done (at once if 0 ms)."""
        self.skip_animation()
        if duration_ms <= 0:
            self.transitionFinished.emit()
            return
        self._anim.setStartValue(self._layer_x(from_layer))
        self._anim.setEndValue(self._layer_x(to_layer))
        self._anim.setDuration(int(duration_ms))
        self.pulse.set_x(self._layer_x(from_layer))
        self.pulse.setVisible(True)
        self._anim.start()

    def _layer_x(self, layer: int) -> float:
        g = self.model.geoms[max(0, min(layer, self.model.L))]
        return g.x0 + g.width / 2

    def skip_animation(self) -> None:
        """Finish a running transition now (emits transitionFinished)."""
        if self._anim.state() == QVariantAnimation.State.Running:
            self._anim.stop()
            self._on_anim_finished()

    def _on_anim_finished(self) -> None:
        self.pulse.setVisible(False)
        self.transitionFinished.emit()

    # --- the all-edges picture, painted off the GUI thread ----------------------------------------------
    def request_all_edges(self) -> None:
        e = self.model.edges
        self._all_values = e.values
        if self.renderer.busy:
            self._all_pending = True
            return
        self.renderer.request(e.values, e.limits, self.model.centers, self.rect, self.model.start_x)

    def _on_all_edges(self, image, rect: QRectF) -> None:
        if self._all_pending:  # the weights changed meanwhile (training): paint again, but not at once
            self._all_pending = False
            QTimer.singleShot(ALL_EDGES_INTERVAL_MS, self.request_all_edges)
        self.all_item.setPixmap(QPixmap.fromImage(image))
        self.all_item.setScale(rect.width() / max(1, image.width()))
        self.all_item.setVisible(self.model.edges.mode == "all")
        self.allEdgesImageReady.emit()

    # --- what is on screen --------------------------------------------------------------------------
    def drawn_edge_count(self) -> int:
        """Lines on screen: the strongest k and the fan, plus every edge once the all-edges picture is shown."""
        n = self.topk_item.count + self.fan_item.count
        if self.model.edges.mode == "all" and self.all_item.isVisible():
            n += self.all_edges_drawn
        return n

    @property
    def all_edges_drawn(self) -> int:
        """Lines in the all-edges picture: every edge, or the sample (edge_sets.MAX_ALL_EDGES) of a big network."""
        return S.all_edges_count(self.model.edges.values)[0]

    def edges_settled(self) -> bool:
        """Every edge picture shows the current edges (none is still being painted off the GUI thread)."""
        return self.topk_item.settled() and not (self.model.edges.mode == "all" and self.renderer.busy)
