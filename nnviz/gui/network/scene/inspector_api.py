"""What the backprop inspector may ask the scene to show instead of the forward view, as plain data
(no Qt): arbitrary values per layer with a named colour map (or one map per layer), and edge values
for one layer (or no edges at all). The scene model (model.py) keeps them; NetworkView offers them as
show_values / show_edge_values / hide_edges / highlight_layer / clear_override / set_focus ...
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nnviz.gui.network.scene.limits import MAPS


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


def make_override(sizes: tuple[int, ...], values: list, *, title: str, diverging: bool,
                  maps: list[str | None] | None = None, other_title: str = "",
                  outputs: np.ndarray | None = None) -> Override:
    """An Override checked against the layer sizes (ValueError naming what does not fit)."""
    n_layers = len(sizes)
    if len(values) != n_layers:
        raise ValueError(f"need {n_layers} layers of values, got {len(values)}")
    vals = [None if v is None else np.asarray(v, np.float64).reshape(-1) for v in values]
    for l, v in enumerate(vals):
        if v is not None and v.size != sizes[l]:
            raise ValueError(f"layer {l} has {sizes[l]} neurons, got {v.size} values")
    main = "diverging" if diverging else "activation"
    maps = [main if m is None else m for m in (maps or [None] * n_layers)]
    if len(maps) != n_layers or any(m not in MAPS for m in maps):
        raise ValueError(f"maps: {n_layers} of {MAPS} or None, got {maps}")
    if outputs is not None:
        outputs = np.asarray(outputs, np.float64).reshape(-1)
        if outputs.size != sizes[-1]:
            raise ValueError(f"outputs: {sizes[-1]} values, got {outputs.size}")
    return Override(vals, maps, main, title, other_title, outputs)


def make_edge_override(sizes: tuple[int, ...], l: int | None, values: np.ndarray | None, *, title: str = "",
                       k: int = 2000, hide: bool = False) -> EdgeOverride | None:
    """hide: no edges at all; l or values None (and not hide): None (back to the default edges); else
    W_l's edges coloured by `values` (reshaped to W_l's shape), the strongest k drawn."""
    if hide:
        return EdgeOverride(None, None, title, 0)
    if l is None or values is None:
        return None
    values = np.asarray(values, np.float32).reshape((sizes[l], sizes[l - 1]))
    return EdgeOverride(int(l), values, title, int(k))
