"""Colour limits for the scene, as plain numbers (NumPy, no Qt): per layer or shared, for neurons on a
sequential or diverging map and for edges (a robust symmetric limit)."""

from __future__ import annotations

import numpy as np

from nnviz.gui.look.scales import robust_abs_max

MAPS = ("activation", "diverging")


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


def limits_by_map(values: list[np.ndarray | None], maps: list[str], per_layer: bool) -> list[tuple[float, float]]:
    """Limits per layer when layer l uses colour map maps[l] ("activation" | "diverging"); layers on the
    same map share limits unless per_layer."""
    limits: list[tuple[float, float]] = [(0.0, 1.0)] * len(values)
    for name in set(maps):
        idx = [l for l, m in enumerate(maps) if m == name]
        for l, lim in zip(idx, neuron_limits([values[l] for l in idx], name == "diverging", per_layer)):
            limits[l] = lim
    return limits


def bar_limits(name: str, maps: list[str], limits: list[tuple[float, float]], per_layer: bool) -> tuple[float, float]:
    """The limits a colour bar for map `name` shows: the unit range per layer, else the shared limits."""
    if per_layer:
        return (-1.0, 1.0) if name == "diverging" else (0.0, 1.0)
    return next((lim for m, lim in zip(maps, limits) if m == name), (0.0, 1.0))


def edge_limits(values: list[np.ndarray | None], per_layer: bool, percentile: float = 99.5) -> list[float]:
    """Symmetric colour limit m per edge layer (colour bar spans -m..m): a high percentile of |v|."""
    own = [robust_abs_max(v, percentile) if v is not None else 1.0 for v in values]
    if per_layer:
        return own
    valid = [m for m, v in zip(own, values) if v is not None] or [1.0]
    return [max(valid)] * len(values)
