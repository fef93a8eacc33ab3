"""What the scene draws, computed from the network, its trace, the options and the inspector's override:
NeuronPicture (values, colour maps, limits, titles) and EdgePicture (the strongest edges, limits, the
legend line). Plain functions of plain data (NumPy, no Qt); SceneModel calls them."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nnviz.core.network import Network
from nnviz.core.trace import Trace, forward_terms
from nnviz.gui.network.scene import describe
from nnviz.gui.network.scene import edge_sets as E
from nnviz.gui.network.scene import limits as lim
from nnviz.gui.network.scene.inspector_api import EdgeOverride, Override


@dataclass
class NeuronPicture:
    """How the neurons are coloured. values[l]: (n_l,) or None (greyed); maps[l]: its colour map; limits[l]:
    its (lo, hi); bar: the main bar's limits, titled `title`; other: the second map in use (or None) with
    other_bar and other_title; outputs: (n_L,) probabilities beside the output layer, or None."""

    values: list
    maps: list
    limits: list
    main: str
    bar: tuple[float, float]
    title: str
    other: str | None
    other_bar: tuple[float, float]
    other_title: str
    outputs: np.ndarray | None
    scale_tip: str


@dataclass
class EdgePicture:
    """Which edges are drawn and how: values[l-1] shaped like W_l, limits[l-1] its colour limit; mode: the
    effective edge mode; topk: the strongest edges; bar: the colour bar's limit, titled `title`; line: the
    legend line that says which edges are drawn; hidden: the override shows no edges at all."""

    values: list
    limits: list
    mode: str
    topk: E.EdgeSet
    bar: float
    title: str
    scale_tip: str
    line: str
    hidden: bool


def _forward_values(trace: Trace | None, n_layers: int, quantity: str, per_layer: bool) -> tuple[list, str, str]:
    main = "diverging" if quantity == "z" else "activation"
    title = describe.neuron_legend(quantity, per_layer)
    if trace is None:
        return [None] * n_layers, main, title + " (no input yet)"
    return list(trace.activations() if quantity == "a" else trace.pre_activations()), main, title


def neuron_picture(trace: Trace | None, n_layers: int, quantity: str, per_layer: bool,
                   ov: Override | None) -> NeuronPicture:
    """The neurons coloured by a or z of `trace` (None: greyed, no input yet), or by the override."""
    if ov is not None:
        vals, maps, main = ov.values, ov.maps, ov.main
        title = describe.neuron_legend("", per_layer, ov.title, main == "diverging")
        outputs = ov.outputs
    else:
        vals, main, title = _forward_values(trace, n_layers, quantity, per_layer)
        maps = [main] * n_layers
        outputs = None if trace is None else trace.y_hat
    limits = lim.limits_by_map(vals, maps, per_layer)
    other = next((m for m, v in zip(maps, vals) if m != main and v is not None), None)
    other_title = ""
    if other is not None:
        words = (ov.other_title if ov is not None else "") or (
            "activation a" if other == "activation" else "signed values")
        other_title = describe.neuron_legend("", per_layer, words, other == "diverging")
    return NeuronPicture(
        vals, maps, limits, main, lim.bar_limits(main, maps, limits, per_layer), title, other,
        lim.bar_limits(other, maps, limits, per_layer) if other else (0.0, 1.0), other_title, outputs,
        describe.NEURON_SCALE_TIP[per_layer])


def forward_edge_values(network: Network, trace: Trace | None, edge_quantity: str) -> list[np.ndarray]:
    """Per layer, the value that colours each edge: W_l, or w·a (W_l times the input activation)."""
    Ws = [W for W, _ in network.weights()]
    if edge_quantity == "wa" and trace is not None:
        return [forward_terms(trace, l) for l in range(1, len(Ws) + 1)]
    return Ws


def edge_picture(values: list[np.ndarray], quantity: str, per_layer: bool, mode: str, k: int, per_target: bool,
                 ov: EdgeOverride | None) -> EdgePicture:
    """Which of the edges with these `values` are drawn for the edge mode (or the inspector's edge values)."""
    if ov is not None and ov.l is None:  # the override hides every edge
        title = describe.edge_legend("", False, ov.title or "no edges in this step")
        return EdgePicture(values, lim.edge_limits(values, per_layer=True), "none", E.EdgeSet.empty(), 1.0,
                           title, describe.EDGE_SCALE_TIP[False], "edges: none in this step", True)
    if ov is not None:
        l = ov.l
        values = list(values)
        values[l - 1] = ov.values
        lims = lim.edge_limits(values, per_layer=True)  # the shown layer keeps its own scale
        mode = "topk" if mode != "none" else "none"
        topk = E.top_k([ov.values], [lims[l - 1]], ov.k, False) if mode == "topk" else E.EdgeSet.empty()
        topk.l[:] = l
        return EdgePicture(values, lims, mode, topk, lims[l - 1], describe.edge_legend("", False, ov.title),
                           describe.EDGE_SCALE_TIP[False],
                           describe.mode_legend(mode, len(topk), ov.title, layer=l), False)
    lims = lim.edge_limits(values, per_layer)
    topk = E.top_k(values, lims, k, per_target) if mode == "topk" else E.EdgeSet.empty()
    drawn, total = E.all_edges_count(values)
    line = describe.mode_legend(mode, len(topk), quantity, k if per_target else 0,
                                sampled=(drawn, total) if drawn < total else None)
    return EdgePicture(values, lims, mode, topk, 1.0 if per_layer else lims[0],
                       describe.edge_legend(quantity, per_layer), describe.EDGE_SCALE_TIP[per_layer], line, False)
