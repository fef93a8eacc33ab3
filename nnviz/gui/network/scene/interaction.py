"""Hover, click and edge picking for NetworkView (mixed in): hit tests on the layout, tooltips with the
formula and its numbers, rings around the hovered/selected neuron and the selected edge.

Mouse moves are read from the viewport through an event filter (pyqtgraph's sigMouseMoved is rate
limited and can drop the last move, which would leave the wrong neuron hovered)."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QEvent, QLineF, QObject, QPointF
from PySide6.QtGui import QCursor
from PySide6.QtWidgets import QToolTip

from nnviz.gui.network.scene import describe


class InteractionMixin:
    """Needs: vb, canvas, geoms, centers, layer_items, markers, state, sizes, g_names, _fan_set, _topk_set."""

    def _init_interaction(self) -> None:
        self.canvas.viewport().setMouseTracking(True)
        self.canvas.viewport().installEventFilter(self)
        self.canvas.scene().sigMouseClicked.connect(self._on_mouse_clicked)

    def eventFilter(self, obj: QObject, ev: QEvent) -> bool:
        if obj is self.canvas.viewport():
            if ev.type() == QEvent.Type.MouseMove:
                self._on_mouse_moved(self.canvas.mapToScene(ev.position().toPoint()))
            elif ev.type() == QEvent.Type.Leave:
                self.hover_neuron(-1, -1)
        return False

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
        inside = self.vb.sceneBoundingRect().contains(scene_pos)
        hit = self.neuron_at(self.vb.mapSceneToView(scene_pos)) if inside else None
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

    def refresh_tooltip(self) -> None:
        """New numbers (a new input, training): the hovered neuron's tooltip follows, also while it is open."""
        if self.hovered is None:
            return
        text = self.tooltip_text(*self.hovered)
        if text == self.last_tooltip:
            return
        self.last_tooltip = text
        self.layer_items[self.hovered[0]].setToolTip(text)
        if QToolTip.isVisible():
            QToolTip.showText(QCursor.pos(), text, self.canvas)

    def tooltip_text(self, layer: int, index: int) -> str:
        """Layer, index, z, a, bias and the formula with its numbers (plus the inspector's value, if shown)."""
        b = self.state.network.dense[layer - 1].b if layer >= 1 else None
        text = describe.neuron_tooltip(self.trace(), self.sizes, layer, index, b, self.g_names)
        ov = self._override
        if ov is not None and ov.values[layer] is not None:
            name = ov.title if ov.maps[layer] == ov.main or not ov.other_title else ov.other_title
            text += f"\nshown colour: {name} = {describe.num(ov.values[layer][index])}"
        return text

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
        elif self.vb.sceneBoundingRect().contains(ev.scenePos()):
            self.clear_selection()

    def clear_selection(self) -> None:
        """Forget the selected neuron and edge (a click on empty space); emits selectionCleared if there was one."""
        had = self.selected is not None or self.selected_edge is not None
        self.selected = self.selected_edge = None
        self._update_fan()
        self._update_legend()
        if had:
            self.selectionCleared.emit()

    def edge_near(self, p: QPointF, tol_px: float = 5.0) -> tuple[int, int, int] | None:
        """The drawn edge (l, j, i) nearest to view point p within tol_px screen pixels."""
        sets = [s for s in (self._fan_set, self._topk_set) if len(s)]
        if not sets:
            return None
        l = np.concatenate([s.l for s in sets])
        j = np.concatenate([s.j for s in sets])
        i = np.concatenate([s.i for s in sets])
        a = np.empty((l.size, 2))
        b = np.empty((l.size, 2))
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

    def _ring(self, layer: int, index: int, kind: str) -> tuple[QPointF, float, str]:
        x, y = self.centers[layer][index]
        return QPointF(float(x), float(y)), max(self.geoms[layer].cell * 0.55, 4.0), kind

    def _line(self, l: int, j: int, i: int) -> QLineF:
        a, b = self.centers[l - 1][i], self.centers[l][j]
        return QLineF(float(a[0]), float(a[1]), float(b[0]), float(b[1]))

    def _update_markers(self) -> None:
        """Rings: hovered (thin white), selected (thick highlight), focus (dashed); lines: selected edge, focus edge."""
        rings = [self._ring(*f, kind) for f, kind in ((self.hovered, "hover"), (self.selected, "selected")) if f]
        focus_line = None
        f = getattr(self, "_focus", None)
        if f is not None and len(f) == 2:
            rings.append(self._ring(*f, "focus"))
        elif f is not None:
            l, j, i = f
            focus_line = self._line(l, j, i)
            rings += [self._ring(l - 1, i, "focus"), self._ring(l, j, "focus")]
        line = self._line(*self.selected_edge) if self.selected_edge is not None else None
        self.markers.set_marks(rings, line, focus_line)
