"""From numbers to colours: neuron colours by colour map (the limits come from limits.py)."""

from __future__ import annotations

import numpy as np

from nnviz.gui.look import colormaps, themes


def cmap(name: str):
    """The theme's map for "activation" (a ≥ 0) or "diverging" (signed) values."""
    look = themes.current()
    return look.activation_cmap if name == "activation" else look.diverging_cmap


def colours_by_map(values: list[np.ndarray | None], maps: list[str], limits: list[tuple[float, float]]
                   ) -> list[np.ndarray | None]:
    """Colours ((n_l, 4) uint8, or None for a layer without values) when layer l uses map maps[l]."""
    return [None if v is None else colormaps.lookup(cmap(m), v, *lim) for v, m, lim in zip(values, maps, limits)]


def grey(n: int) -> np.ndarray:
    """(n, 4) uint8 of the greyed-out colour."""
    c = themes.current().greyed
    return np.tile(np.array([c.red(), c.green(), c.blue(), 255], np.uint8), (n, 1))
