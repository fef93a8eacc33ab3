"""The part of NetworkView the backprop inspector drives: arbitrary values with a named colour map
(or one map per layer), edge values for one layer (or none), a highlighted layer, a focus marker,
and a pulse travelling between layers."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QEasingCurve, QVariantAnimation

MAPS = ("activation", "diverging")


@dataclass
class Override:
    """What show_values() asked for. values[l]: (n_l,) float64 or None (greyed); maps[l]: "activation" |
    "diverging"; main: the map of the first colour bar (titled `title`), other_title: the second bar's
    title when both maps are in use; outputs: (n_L,) probabilities beside the output layer, or None."""

    values: list
    maps: list
    main: str
    title: str
    other_title: str
    outputs: np.ndarray | None


@dataclass
class EdgeOverride:
    """What show_edge_values() asked for. l None: no edges at all (hidden)."""

    l: int | None
    values: np.ndarray | None
    title: str
    k: int


class InspectorApiMixin:
    """Mixed into NetworkView (which provides refresh_neurons/refresh_edges, panels, pulse, geoms)."""

    def _init_override(self) -> None:
        self._override: Override | None = None
        self._edge_override: EdgeOverride | None = None
        self._highlight = None
        self._focus: tuple[int, ...] | None = None  # (layer, index) or (l, j, i): the inspector's focus
        self._anim = QVariantAnimation()
        self._anim.setEasingCurve(QEasingCurve.Type.InOutQuad)
        self._anim.valueChanged.connect(lambda x: self.pulse.set_x(float(x)))
        self._anim.finished.connect(self._on_anim_finished)

    def show_values(self, values: list[np.ndarray | None], *, title: str, diverging: bool,
                    active_layer: int | None = None, maps: list[str | None] | None = None,
                    other_title: str = "", outputs: np.ndarray | None = None) -> None:
        """Colour layer l by values[l] ((n_l,) or None = greyed); colour bar titled `title`.

        maps[l] ("activation" | "diverging" | None = the `diverging` default) picks layer l's colour map;
        when both maps are in use a second colour bar, titled `other_title`, explains the other one.
        outputs: (n_L,) probabilities drawn beside the output layer (None: no bars, nothing stands
        out as predicted, since the override may show a moment before ŷ exists).
        """
        if len(values) != self.L + 1:
            raise ValueError(f"need {self.L + 1} layers of values, got {len(values)}")
        vals = [None if v is None else np.asarray(v, np.float64).reshape(-1) for v in values]
        for l, v in enumerate(vals):
            if v is not None and v.size != self.sizes[l]:
                raise ValueError(f"layer {l} has {self.sizes[l]} neurons, got {v.size} values")
        main = "diverging" if diverging else "activation"
        maps = [main if m is None else m for m in (maps or [None] * (self.L + 1))]
        if len(maps) != self.L + 1 or any(m not in MAPS for m in maps):
            raise ValueError(f"maps: {self.L + 1} of {MAPS} or None, got {maps}")
        if outputs is not None:
            outputs = np.asarray(outputs, np.float64).reshape(-1)
            if outputs.size != self.sizes[-1]:
                raise ValueError(f"outputs: {self.sizes[-1]} values, got {outputs.size}")
        self._override = Override(vals, maps, main, title, other_title, outputs)
        self.refresh_neurons()
        if active_layer is not None:
            self.highlight_layer(active_layer)

    def show_edge_values(self, l: int | None, values: np.ndarray | None, *, title: str = "", k: int = 2000,
                         hide: bool = False) -> None:
        """Edges of W_l coloured by `values` (shaped like W_l), the strongest k by |value| (edges whose
        value is 0 are never drawn, so k may exceed W_l.size); hide=True: no edges at all (the
        override's own "none"); l or values None (and not hide): back to the default edges."""
        if hide:
            self._edge_override = EdgeOverride(None, None, title, 0)
        elif l is None or values is None:
            self._edge_override = None
        else:
            shape = (self.sizes[l], self.sizes[l - 1])
            values = np.asarray(values, np.float32).reshape(shape)
            self._edge_override = EdgeOverride(int(l), values, title, int(k))
        self.refresh_edges(weights_changed=True)

    def hide_edges(self) -> None:
        """Override mode without any edges (show_edge_values(..., hide=True))."""
        self.show_edge_values(None, None, hide=True)

    def highlight_layer(self, layer: int | None) -> None:
        """Frame layer `layer` in the highlight colour (None: no layer)."""
        self._highlight = layer
        for panel in self.panels:
            panel.set_highlighted(panel.geom.l == layer)

    def clear_override(self) -> None:
        """Back to the forward view: activations and weights from the state."""
        self.skip_animation()
        self._override = self._edge_override = None
        self._focus = None
        self.highlight_layer(None)
        self._update_markers()
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
        """Select a neuron: ring, its fan-in/fan-out stay lit. layer < 0: clear the selection."""
        if layer < 0:
            self.clear_selection()
            return
        self.selected = (int(layer), int(index))
        self._update_fan()
        self._update_legend()

    def select_edge(self, l: int, j: int, i: int) -> None:
        """Select weight W_l[j, i]: the edge is drawn thick in the highlight colour. l < 0: no edge."""
        self.selected_edge = None if l < 0 else (int(l), int(j), int(i))
        self._update_markers()

    def set_focus(self, layer: int | None, index: int = 0) -> None:
        """Mark neuron `index` of `layer` with a neutral dashed ring (what a formula is about), leaving the
        selection and the lit edges alone. None: no focus."""
        self._focus = None if layer is None or layer < 0 else (int(layer), int(index))
        self._update_markers()

    def set_focus_edge(self, l: int, j: int, i: int) -> None:
        """Mark weight W_l[j, i] with a neutral dashed line and rings at both ends (no selection change)."""
        self._focus = (int(l), int(j), int(i))
        self._update_markers()

    def clear_focus(self) -> None:
        self.set_focus(None)
