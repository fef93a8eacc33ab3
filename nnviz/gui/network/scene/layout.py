"""Where every neuron sits in scene coordinates (y grows downwards), for any layer sizes.

The input layer is a square grid when it can be (28x28 for MNIST: the picture the network sees),
hidden layers are tall compact grids, and a small output layer is a column of labelled neurons.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

SCENE_H = 760.0  # height available to the layers, scene units
MARGIN = 30.0
MIN_GAP = 60.0  # the least room between two layers for their edges


def grid_shape(n: int, aspect: float) -> tuple[int, int]:
    """(rows, cols) for n neurons with rows/cols close to `aspect`; exact divisors preferred."""
    best, best_err = None, 1e9
    for cols in range(1, n + 1):
        if n % cols == 0:
            err = abs(math.log((n // cols) / cols / aspect))
            if err < best_err:
                best, best_err = (n // cols, cols), err
    if best is None or best_err > 0.6:
        cols = max(1, round(math.sqrt(n / aspect)))
        best = (math.ceil(n / cols), cols)
    return best


@dataclass
class LayerGeometry:
    """Layer l laid out as a rows x cols grid of square cells of side `cell`, top-left at (x0, y0).

    centers: (n, 2) float64 scene positions of the neurons, row-major; kind: "input"|"hidden"|"output".
    """

    l: int
    n: int
    rows: int
    cols: int
    cell: float
    x0: float
    y0: float
    kind: str

    @property
    def width(self) -> float:
        return self.cols * self.cell

    @property
    def height(self) -> float:
        return self.rows * self.cell

    @property
    def centers(self) -> np.ndarray:
        idx = np.arange(self.n)
        r, c = np.divmod(idx, self.cols)
        return np.stack([self.x0 + (c + 0.5) * self.cell, self.y0 + (r + 0.5) * self.cell], axis=1)

    def rect(self) -> tuple[float, float, float, float]:
        """(x, y, w, h) of the grid."""
        return self.x0, self.y0, self.width, self.height

    def hit(self, x: float, y: float) -> int | None:
        """The index of the neuron under scene point (x, y), or None."""
        c = math.floor((x - self.x0) / self.cell)
        r = math.floor((y - self.y0) / self.cell)
        if 0 <= c < self.cols and 0 <= r < self.rows:
            i = r * self.cols + c
            return i if i < self.n else None
        return None


def _shape_for(l: int, n: int, last: int) -> tuple[int, int, str]:
    if l == 0:
        side = math.isqrt(n)
        rows, cols = (side, side) if side * side == n else grid_shape(n, 1.0)
        return rows, cols, "input"
    if l == last and n <= 20:
        return n, 1, "output"
    rows, cols = grid_shape(n, 2.5)
    return rows, cols, "output" if l == last else "hidden"


def layout(sizes: tuple[int, ...], width: float = 1600.0, height: float = SCENE_H) -> list[LayerGeometry]:
    """Geometry of every layer, left (input) to right (output), vertically centred."""
    last = len(sizes) - 1
    shapes = [_shape_for(l, n, last) for l, n in enumerate(sizes)]
    usable = height - 2 * MARGIN
    cells = []
    for l, (rows, cols, kind) in enumerate(shapes):
        if kind == "input":
            cells.append(min(usable * 0.78 / rows, 60.0))
        elif kind == "output" and cols == 1:
            cells.append(min(usable * 0.85 / rows, 64.0))
        else:
            cells.append(min(usable / rows, 30.0 if sizes[l] >= 50 else 56.0))
    label_room = 180.0  # right of the output column: digit label and probability bar
    room = width - 2 * MARGIN - label_room - MIN_GAP * last
    widths = [cols * c for (_, cols, _), c in zip(shapes, cells)]
    if sum(widths) > room:  # too wide (many layers): shrink every layer alike
        cells = [c * room / sum(widths) for c in cells]
        widths = [w * room / sum(widths) for w in widths]
    gap = max(MIN_GAP, (width - 2 * MARGIN - label_room - sum(widths)) / max(1, last))
    geoms, x = [], MARGIN
    for l, ((rows, cols, kind), c, w) in enumerate(zip(shapes, cells, widths)):
        y0 = (height - rows * c) / 2
        geoms.append(LayerGeometry(l, sizes[l], rows, cols, c, x, y0, kind))
        x += w + gap
    return geoms
