"""The network scene as plain data (Python + NumPy, no Qt): what the scene shows and why.

SceneModel(network) holds the options (what colours neurons and edges, which edges, k, the scale),
the hovered / selected / focus neuron or edge, and the backprop inspector's override, and derives from
them and the current trace what is drawn: `neurons` (values, colour maps, limits, titles), `edges` (the
strongest-k set, limits, legend line) and `fan` (the hovered or selected neuron's edges). Each change
is announced through plain callbacks (model.neurons_changed.connect(fn), ...); NetworkView only turns
them into pictures, so the scene's behaviour is tested without Qt (tests/gui/network/scene/test_scene_model.py).
"""

from __future__ import annotations

import numpy as np

from nnviz.core.network import Network
from nnviz.core.trace import Trace
from nnviz.gui.network.scene import describe
from nnviz.gui.network.scene import edge_sets as E
from nnviz.gui.network.scene import pictures as P
from nnviz.gui.network.scene.inspector_api import EdgeOverride, Override, make_edge_override, make_override
from nnviz.gui.network.scene.layout import SCENE_H, LayerGeometry, layout

SCENE_W = 1600.0
EDGE_MODES = ("topk", "hover", "all", "none")


class Callbacks:
    """A plain change notification: connect(fn), emit(*args) calls every fn in order."""

    def __init__(self) -> None:
        self._fns: list = []

    def connect(self, fn) -> None:
        self._fns.append(fn)

    def disconnect(self, fn) -> None:
        self._fns.remove(fn)

    def emit(self, *args) -> None:
        for fn in list(self._fns):
            fn(*args)


class SceneModel:
    """See the module notes. Change it through its methods; read its attributes."""

    def __init__(self, network: Network | None = None, width: float = SCENE_W, height: float = SCENE_H) -> None:
        self.width, self.height = width, height
        self.neuron_quantity, self.edge_quantity, self.per_layer = "a", "w", True
        self.edge_mode, self.k, self.per_target = "topk", 1000, False
        self.hovered: tuple[int, int] | None = None
        self.selected: tuple[int, int] | None = None
        self.selected_edge: tuple[int, int, int] | None = None
        self.focus: tuple[int, ...] | None = None  # (layer, index) or (l, j, i): what a formula is about
        self.override: Override | None = None
        self.edge_override: EdgeOverride | None = None
        self.highlight: int | None = None
        self.label: int | None = None
        self.edges_stale = True  # the weights changed since `edges` was computed
        self._trace: Trace | None = None
        self.sizes: tuple[int, ...] = ()
        self.layout_changed = Callbacks()  # a network of other sizes: the items are rebuilt
        self.neurons_changed = Callbacks()  # self.neurons
        self.edges_changed = Callbacks()  # self.edges; argument: the weights (values) changed
        self.fan_changed = Callbacks()  # self.fan (and the legend's second line)
        self.marks_changed = Callbacks()  # hovered / selected / focus rings and lines
        self.options_changed = Callbacks()  # quantities, edge mode, k, scale
        self.highlight_changed = Callbacks()
        if network is not None:
            self.set_network(network)

    # --- the network and its trace ----------------------------------------------------------------
    def set_network(self, network: Network, trace: Trace | None = None, label: int | None = None) -> None:
        """Show `network` (any sizes); an override of other sizes no longer fits and is dropped."""
        sizes = tuple(network.sizes)
        if sizes != self.sizes:
            self.override = self.edge_override = self.focus = self.highlight = None
        self.network, self.sizes = network, sizes
        self.L = len(sizes) - 1
        self.g_names = [network.arch.activation] * (self.L - 1) + [network.arch.output]
        self.geoms: list[LayerGeometry] = layout(sizes, self.width, self.height)
        self.centers = [g.centers for g in self.geoms]
        self.start_x = [g.x0 + g.width if g.kind == "input" else None for g in self.geoms]
        self.hovered = self.selected = self.selected_edge = None
        self.k = min(self.k, self.k_limit(self.per_target))
        self._trace, self.label = trace, label
        self.edges_stale = True
        self.neurons: P.NeuronPicture | None = None
        self.edges: P.EdgePicture | None = None
        self.fan = E.EdgeSet.empty()
        self.layout_changed.emit()
        self.update_neurons()
        self.update_edges()

    @property
    def trace(self) -> Trace | None:
        """The trace shown, if it belongs to the network shown (while a network is replaced it may not)."""
        tr = self._trace
        if tr is None or len(tr.layers) != self.L or any(lt.n_out != n for lt, n in zip(tr.layers, self.sizes[1:])):
            return None
        return tr

    def set_trace(self, trace: Trace | None, label: int | None = None) -> None:
        """A new input's trace: the neurons follow now (edges coloured by w·a: see edges_due)."""
        self._trace, self.label = trace, label
        self.update_neurons()

    def weights_changed(self) -> None:
        """The network's weights changed in place: the edges are stale until update_edges()."""
        self.edges_stale = True

    def edges_due(self) -> bool:
        """The edges need recomputing: new weights, or a new input with edges coloured by w·a."""
        return self.edges_stale or self.edge_quantity == "wa"

    # --- options --------------------------------------------------------------------------------------
    def set_neuron_quantity(self, which: str) -> None:
        if which not in ("a", "z"):
            raise ValueError(f"neuron quantity: 'a' or 'z', got {which!r}")
        self.neuron_quantity = which
        self.update_neurons()
        self.options_changed.emit()

    def set_edge_quantity(self, which: str) -> None:
        if which not in ("w", "wa"):
            raise ValueError(f"edge quantity: 'w' or 'wa', got {which!r}")
        self.edge_quantity = which
        self.update_edges()
        self.options_changed.emit()

    def set_edge_mode(self, mode: str, k: int = 2000, per_target: bool = False) -> None:
        """mode: "topk" (the strongest k in all, or per_target: the strongest k into each neuron), "hover"
        (only the hovered or selected neuron's), "all" (every edge, faint) or "none"."""
        if mode not in EDGE_MODES:
            raise ValueError(f"edge mode: one of {EDGE_MODES}, got {mode!r}")
        changed_all = mode == "all" and self.edge_mode != "all"
        per_target = bool(per_target)
        self.edge_mode, self.k, self.per_target = mode, min(max(1, int(k)), self.k_limit(per_target)), per_target
        self.update_edges(weights_changed=changed_all)
        self.options_changed.emit()

    def k_limit(self, per_target: bool) -> int:
        """The largest k that means something: the largest fan-in per neuron, else every edge."""
        if per_target:
            return max(self.sizes[:-1])
        return sum(a * b for a, b in zip(self.sizes[:-1], self.sizes[1:]))

    def k_for(self, per_target: bool) -> int:
        """The current k in the other meaning (switching "per neuron" on or off draws about as many edges)."""
        if per_target == self.per_target:
            return self.k
        return min(E.per_target_equivalent(self.k, self.sizes, per_target), self.k_limit(per_target))

    def set_scale(self, per_layer: bool) -> None:
        self.per_layer = bool(per_layer)
        self.update_neurons()
        self.update_edges()
        self.options_changed.emit()

    # --- neurons ------------------------------------------------------------------------------------
    def update_neurons(self) -> None:
        """Recompute `neurons` from the trace (or the override) and announce it."""
        self.neurons = P.neuron_picture(self.trace, self.L + 1, self.neuron_quantity, self.per_layer, self.override)
        self.neurons_changed.emit()

    # --- edges --------------------------------------------------------------------------------------
    def update_edges(self, weights_changed: bool = True) -> None:
        """Recompute `edges` (and the fan) for the current mode or the inspector's edge values; announce it.
        weights_changed: the values may differ (an all-edges picture must be painted again)."""
        self.edges_stale = False
        values = P.forward_edge_values(self.network, self.trace, self.edge_quantity)
        self.edges = P.edge_picture(values, self.edge_quantity, self.per_layer, self.edge_mode, self.k,
                                    self.per_target, self.edge_override)
        self.edges_changed.emit(weights_changed)
        self._update_fan()

    def _update_fan(self) -> None:
        focus = self.hovered or self.selected
        show = focus is not None and self.edge_mode != "none" and not self.edges.hidden
        self.fan = E.fan(self.edges.values, self.edges.limits, *focus) if show else E.EdgeSet.empty()
        self.fan_changed.emit()
        self.marks_changed.emit()

    def drawn_edge_count(self) -> int:
        """Edges drawn: the strongest k, the fan, and in "all" mode every edge (or the sample drawn)."""
        every = E.all_edges_count(self.edges.values)[0] if self.edges.mode == "all" else 0
        return len(self.edges.topk) + len(self.fan) + every

    # --- hover, selection, focus ----------------------------------------------------------------------
    def hover(self, layer: int, index: int) -> bool:
        """Hover a neuron (layer < 0: none); False when that was already hovered."""
        hit = None if layer < 0 else (int(layer), int(index))
        if hit == self.hovered:
            return False
        self.hovered = hit
        self._update_fan()
        return True

    def select_neuron(self, layer: int, index: int) -> bool:
        """Select a neuron (its fan stays lit); layer < 0: clear_selection(). True if a selection was cleared."""
        if layer < 0:
            return self.clear_selection()
        self.selected = (int(layer), int(index))
        self._update_fan()
        return False

    def clear_selection(self) -> bool:
        """Forget the selected neuron and edge; True if there was one."""
        had = self.selected is not None or self.selected_edge is not None
        self.selected = self.selected_edge = None
        self._update_fan()
        return had

    def select_edge(self, l: int, j: int, i: int) -> None:
        """Select weight W_l[j, i] (l < 0: no edge)."""
        self.selected_edge = None if l < 0 else (int(l), int(j), int(i))
        self.marks_changed.emit()

    def set_focus(self, layer: int | None, index: int = 0) -> None:
        """Mark a neuron as what a formula is about (None: no focus); the selection stays."""
        self.focus = None if layer is None or layer < 0 else (int(layer), int(index))
        self.marks_changed.emit()

    def set_focus_edge(self, l: int, j: int, i: int) -> None:
        self.focus = (int(l), int(j), int(i))
        self.marks_changed.emit()

    def marks(self) -> tuple[list, tuple | None, tuple | None]:
        """(rings, selected edge line, focus edge line): rings are (x, y, radius, "hover" | "selected" |
        "focus"), lines (x1, y1, x2, y2), in scene coordinates."""
        rings = [self._ring(*f, kind) for f, kind in ((self.hovered, "hover"), (self.selected, "selected")) if f]
        focus_line = None
        f = self.focus
        if f is not None and len(f) == 2:
            rings.append(self._ring(*f, "focus"))
        elif f is not None:
            l, j, i = f
            focus_line = self.edge_line(l, j, i)
            rings += [self._ring(l - 1, i, "focus"), self._ring(l, j, "focus")]
        line = self.edge_line(*self.selected_edge) if self.selected_edge is not None else None
        return rings, line, focus_line

    def _ring(self, layer: int, index: int, kind: str) -> tuple[float, float, float, str]:
        x, y = self.centers[layer][index]
        return float(x), float(y), max(self.geoms[layer].cell * 0.55, 4.0), kind

    def edge_line(self, l: int, j: int, i: int) -> tuple[float, float, float, float]:
        """(x1, y1, x2, y2) of weight W_l[j, i]: from neuron i of layer l-1 to neuron j of layer l."""
        a, b = self.centers[l - 1][i], self.centers[l][j]
        return float(a[0]), float(a[1]), float(b[0]), float(b[1])

    # --- the inspector's override -------------------------------------------------------------------
    def show_values(self, values: list, *, title: str, diverging: bool, maps: list | None = None,
                    other_title: str = "", outputs: np.ndarray | None = None) -> None:
        """Colour layer l by values[l] ((n_l,) or None = greyed); the colour bar titled `title` (ValueError when
        the values do not fit the layers).

        maps[l] ("activation" | "diverging" | None = the `diverging` default) picks layer l's colour map;
        when both maps are in use a second colour bar, titled `other_title`, explains the other one.
        outputs: (n_L,) probabilities drawn beside the output layer (None: no bars, nothing stands
        out as predicted, since the override may show a moment before ŷ exists).
        """
        self.override = make_override(self.sizes, values, title=title, diverging=diverging, maps=maps,
                                      other_title=other_title, outputs=outputs)
        self.update_neurons()

    def show_edge_values(self, l: int | None, values: np.ndarray | None, *, title: str = "", k: int = 2000,
                         hide: bool = False) -> None:
        """See NetworkView.show_edge_values."""
        self.edge_override = make_edge_override(self.sizes, l, values, title=title, k=k, hide=hide)
        self.update_edges()

    def highlight_layer(self, layer: int | None) -> None:
        self.highlight = layer
        self.highlight_changed.emit()

    def clear_override(self) -> None:
        """Back to the forward view: activations and weights of the network, no focus, no highlight."""
        self.override = self.edge_override = self.focus = None
        self.highlight_layer(None)
        self.update_neurons()
        self.update_edges()

    # --- words and hit tests --------------------------------------------------------------------------
    def tooltip_text(self, layer: int, index: int) -> str:
        """Layer, index, z, a, bias and the formula with its numbers (plus the inspector's value, if shown)."""
        b = self.network.dense[layer - 1].b if layer >= 1 else None
        text = describe.neuron_tooltip(self.trace, self.sizes, layer, index, b, self.g_names)
        ov = self.override
        if ov is not None and ov.values[layer] is not None:
            name = ov.title if ov.maps[layer] == ov.main or not ov.other_title else ov.other_title
            text += f"\nshown colour: {name} = {describe.num(ov.values[layer][index])}"
        return text

    def legend_lines(self) -> tuple[str, str]:
        """The two lines under the scene: which edges are drawn, and the hovered (or selected) neuron's numbers."""
        focus = self.hovered or self.selected
        info = "hover a neuron for z, a and its formula; click it for its weights"
        if focus is not None:
            info = " · ".join(self.tooltip_text(*focus).split("\n")[:3])
        return self.edges.line, info

    def neuron_at(self, x: float, y: float) -> tuple[int, int] | None:
        """(layer, index) of the neuron under scene point (x, y), else None."""
        for g in self.geoms:
            i = g.hit(x, y)
            if i is not None:
                return g.l, i
        return None

    def edge_near(self, x: float, y: float, tol: float) -> tuple[int, int, int] | None:
        """The drawn edge (l, j, i) nearest to scene point (x, y), if within `tol` scene units."""
        sets = [s for s in (self.fan, self.edges.topk) if len(s)]
        if not sets:
            return None
        l, j, i = (np.concatenate([getattr(s, f) for s in sets]) for f in "lji")
        a, b = np.empty((l.size, 2)), np.empty((l.size, 2))
        for layer in np.unique(l):
            m = l == layer
            a[m] = self.centers[layer - 1][i[m]]
            b[m] = self.centers[layer][j[m]]
        q = np.array([x, y])
        d = b - a
        t = np.clip(((q - a) * d).sum(1) / np.maximum((d * d).sum(1), 1e-9), 0, 1)
        dist = np.hypot(*(a + t[:, None] * d - q).T)
        best = int(np.argmin(dist))
        return (int(l[best]), int(j[best]), int(i[best])) if dist[best] <= tol else None
