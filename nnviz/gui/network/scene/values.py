"""From numbers to colours: neuron colours by colour map (the limits come from limits.py)."""

from __future__ import annotations

import numpy as np

from nnviz.gui import colormaps

CMAPS = {"activation": colormaps.activation_cmap, "diverging": colormaps.diverging_cmap}


def colours_by_map(values: list[np.ndarray | None], maps: list[str], limits: list[tuple[float, float]]
                   ) -> list[np.ndarray | None]:
    """Colours ((n_l, 4) uint8, or None for a layer without values) when layer l uses map maps[l]."""
    return [None if v is None else colormaps.lookup(CMAPS[m](), v, *lim) for v, m, lim in zip(values, maps, limits)]


def grey(n: int) -> np.ndarray:
    """(n, 4) uint8 of the greyed-out colour."""
    c = colormaps.GREYED
    return np.tile(np.array([c.red(), c.green(), c.blue(), 255], np.uint8), (n, 1))
