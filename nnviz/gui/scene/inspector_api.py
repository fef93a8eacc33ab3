"""The part of NetworkView the backprop inspector drives: arbitrary values with a named colour map,
edge values for one layer, a highlighted layer, and a pulse travelling between layers."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QEasingCurve, QVariantAnimation


class InspectorApiMixin:
    """Mixed into NetworkView (which provides refresh_neurons/refresh_edges, panels, pulse, geoms)."""

    def _init_override(self) -> None:
        self._override = None  # (values per layer, diverging, title)
        self._edge_override = None  # (l, values (n_out, n_in), title, k)
        self._highlight = None
        self._anim = QVariantAnimation()
        self._anim.setEasingCurve(QEasingCurve.Type.InOutQuad)
        self._anim.valueChanged.connect(lambda x: self.pulse.set_x(float(x)))
        self._anim.finished.connect(self._on_anim_finished)

    def show_values(self, values: list[np.ndarray | None], *, title: str, diverging: bool,
                    active_layer: int | None = None) -> None:
        """Colour layer l by values[l] ((n_l,) or None = greyed); colour bar titled `title`."""
        if len(values) != self.L + 1:
            raise ValueError(f"need {self.L + 1} layers of values, got {len(values)}")
        vals = [None if v is None else np.asarray(v, np.float64).reshape(-1) for v in values]
        for l, v in enumerate(vals):
            if v is not None and v.size != self.sizes[l]:
                raise ValueError(f"layer {l} has {self.sizes[l]} neurons, got {v.size} values")
        self._override = (vals, bool(diverging), title)
        self.refresh_neurons()
        if active_layer is not None:
            self.highlight_layer(active_layer)

    def show_edge_values(self, l: int | None, values: np.ndarray | None, *, title: str, k: int = 2000) -> None:
        """Edges of W_l coloured by `values` (shaped like W_l), strongest k by |value|; None: default edges."""
        if l is None or values is None:
            self._edge_override = None
        else:
            shape = (self.sizes[l], self.sizes[l - 1])
            values = np.asarray(values, np.float32).reshape(shape)
            self._edge_override = (int(l), values, title, int(k))
        self.refresh_edges(weights_changed=True)

    def highlight_layer(self, layer: int | None) -> None:
        """Frame layer `layer` in the highlight colour (None: no layer)."""
        self._highlight = layer
        for panel in self.panels:
            panel.set_highlighted(panel.geom.l == layer)

    def clear_override(self) -> None:
        """Back to the forward view: activations and weights from the state."""
        self.skip_animation()
        self._override = self._edge_override = None
        self.highlight_layer(None)
        self.refresh()

    def _layer_x(self, layer: int) -> float:
        g = self.geoms[max(0, min(layer, self.L))]
        return g.x0 + g.width / 2

    def animate_transition(self, from_layer: int, to_layer: int, duration_ms: int = 300) -> None:
        """A band of light moves from one layer to the other; transitionFinished when done."""
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

    def skip_animation(self) -> None:
        """Finish a running transition now (emits transitionFinished)."""
        if self._anim.state() == QVariantAnimation.State.Running:
            self._anim.stop()
            self._on_anim_finished()

    def _on_anim_finished(self) -> None:
        self.pulse.setVisible(False)
        self.transitionFinished.emit()

    def select_neuron(self, layer: int, index: int) -> None:
        """Select a neuron: ring, its fan-in/fan-out stay lit."""
        self.selected = (int(layer), int(index))
        self._update_fan()
        self._update_legend()

    def select_edge(self, l: int, j: int, i: int) -> None:
        """Select weight W_l[j, i]: the edge is drawn thick in the highlight colour."""
        self.selected_edge = (int(l), int(j), int(i))
        self._update_markers()
