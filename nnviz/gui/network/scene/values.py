"""From numbers to colours: colour limits per layer or shared, and neuron colours. NumPy only."""

from __future__ import annotations

import numpy as np

from nnviz.gui import colormaps


def neuron_limits(values: list[np.ndarray | None], diverging: bool, per_layer: bool) -> list[tuple[float, float]]:
    """Colour limits (lo, hi) for each layer: its own (per_layer) or one shared pair.

    Sequential: lo = min(0, min v), hi = max v. Diverging: symmetric ±max|v|. Never an empty span.
    """
    own = []
    for v in values:
        if v is None or v.size == 0:
            own.append(None)
            continue
        v = np.asarray(v, np.float64)
        if diverging:
            m = float(np.max(np.abs(v))) or 1.0
            own.append((-m, m))
        else:
            lo, hi = min(0.0, float(v.min())), float(v.max())
            own.append((lo, hi if hi > lo else lo + 1.0))
    if per_layer:
        return [o if o is not None else (0.0, 1.0) for o in own]
    valid = [o for o in own if o is not None] or [(0.0, 1.0)]
    lo, hi = min(o[0] for o in valid), max(o[1] for o in valid)
    if diverging:
        m = max(-lo, hi)
        lo, hi = -m, m
    return [(lo, hi)] * len(values)


def neuron_colors(values: list[np.ndarray | None], limits: list[tuple[float, float]], cmap) -> list[np.ndarray]:
    """(n, 4) uint8 per layer; a layer without values is grey."""
    out = []
    for v, (lo, hi) in zip(values, limits):
        if v is None:
            out.append(None)
        else:
            out.append(colormaps.lookup(cmap, v, lo, hi))
    return out


CMAPS = {"activation": colormaps.activation_cmap, "diverging": colormaps.diverging_cmap}


def colours_by_map(values: list[np.ndarray | None], maps: list[str], per_layer: bool
                   ) -> tuple[list[np.ndarray | None], list[tuple[float, float]]]:
    """Colours ((n_l, 4) uint8 or None) and limits per layer when layer l uses colour map maps[l]
    ("activation" | "diverging"); layers on the same map share limits unless per_layer."""
    limits: list[tuple[float, float]] = [(0.0, 1.0)] * len(values)
    for name in set(maps):
        idx = [l for l, m in enumerate(maps) if m == name]
        for l, lim in zip(idx, neuron_limits([values[l] for l in idx], name == "diverging", per_layer)):
            limits[l] = lim
    colors = [None if v is None else colormaps.lookup(CMAPS[m](), v, *lim) for v, m, lim in zip(values, maps, limits)]
    return colors, limits


def bar_limits(name: str, maps: list[str], limits: list[tuple[float, float]], per_layer: bool) -> tuple[float, float]:
    """The limits a colour bar for map `name` shows: the unit range per layer, else the shared limits."""
    if per_layer:
        return (-1.0, 1.0) if name == "diverging" else (0.0, 1.0)
    return next((lim for m, lim in zip(maps, limits) if m == name), (0.0, 1.0))


def grey(n: int) -> np.ndarray:
    """(n, 4) uint8 of the greyed-out colour."""
    c = colormaps.GREYED
    return np.tile(np.array([c.red(), c.green(), c.blue(), 255], np.uint8), (n, 1))


def edge_limits(values: list[np.ndarray | None], per_layer: bool, percentile: float = 99.5) -> list[float]:
    """Symmetric colour limit m per edge layer (colour bar spans -m..m): a high percentile of |v|."""
    own = [colormaps.symmetric_limits(v, percentile)[1] if v is not None else 1.0 for v in values]
    if per_layer:
        return own
    valid = [m for m, v in zip(own, values) if v is not None] or [1.0]
    return [max(valid)] * len(values)
