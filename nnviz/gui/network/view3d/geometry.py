"""Where every neuron sits in 3-D, and which one is under the mouse. NumPy only (no Qt, no OpenGL).

The layers are planes along the depth axis x, GAP apart: the input a 28x28 grid of unit squares, each
hidden layer a grid as near to 3:4 as its size divides (300 -> 15x20, 100 -> 10x10), the outputs a row.
Each plane is centred on the x axis; y runs across a plane (column 0 at +y: on the left seen from the input
side, where the cameras stand), z up (row 0 on top).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

GAP = 26.0  # between two planes (Harley's view leaves about a plane's width)
SQUARE = 0.82  # a square's side, as a share of its cell


@dataclass(frozen=True)
class Plane:
    cols: int
    rows: int
    cell: float
    x: float
    centres: np.ndarray  # (n, 3) float32

    @property
    def n(self) -> int:
        return len(self.centres)

    def corners(self) -> np.ndarray:
        """(5, 3): the plane's outline, closed (for a highlight frame)."""
        hw, hh = self.cols * self.cell / 2 + 0.8, self.rows * self.cell / 2 + 0.8
        return np.array([[self.x, -hw, hh], [self.x, hw, hh], [self.x, hw, -hh], [self.x, -hw, -hh], [self.x, -hw, hh]],
                        np.float32)


def grid(n: int, first: bool = False, last: bool = False) -> tuple[int, int]:
    """(cols, rows) of a layer's plane."""
    side = math.isqrt(n)
    if first and side * side == n:
        return side, side
    if last:
        return n, 1
    for cols in range(max(1, math.ceil(math.sqrt(n * 0.75))), math.isqrt(n) + 1):
        if n % cols == 0 and n // cols <= 1.5 * cols:
            return cols, n // cols
    cols = math.ceil(math.sqrt(n))
    return cols, math.ceil(n / cols)


def planes(sizes: tuple[int, ...]) -> list[Plane]:
    out = []
    L = len(sizes) - 1
    for l, n in enumerate(sizes):
        cols, rows = grid(n, first=l == 0, last=l == L and n <= 30)
        cell = 1.0 if l == 0 else min(2.6, 28.0 / max(cols, rows))
        i = np.arange(n)
        y = ((cols - 1) / 2 - i % cols) * cell  # (column 0 on the left as the camera looks from the input side)
        z = ((rows - 1) / 2 - i // cols) * cell
        x = (l - L / 2) * GAP
        out.append(Plane(cols, rows, cell, x, np.column_stack([np.full(n, x), y, z]).astype(np.float32)))
    return out


def squares(plane: Plane) -> tuple[np.ndarray, np.ndarray]:
    """(vertices (4n, 3), faces (2n, 3)): a square facing the depth axis around each neuron."""
    s = plane.cell * SQUARE / 2
    offsets = np.array([[0, -s, -s], [0, s, -s], [0, s, s], [0, -s, s]], np.float32)
    vertices = (plane.centres[:, None, :] + offsets[None]).reshape(-1, 3)
    base = 4 * np.arange(plane.n)[:, None]
    faces = np.concatenate([base + [0, 1, 2], base + [0, 2, 3]], axis=1).reshape(-1, 3)
    return vertices, faces.astype(np.uint32)


def project(points: np.ndarray, mvp: np.ndarray, width: float, height: float) -> tuple[np.ndarray, np.ndarray]:
    """Screen positions (n, 2) in pixels (y down) and depths (n,) of 3-D points under the 4x4 matrix mvp."""
    h = np.column_stack([points, np.ones(len(points), np.float32)]) @ mvp.T
    w = np.where(np.abs(h[:, 3]) < 1e-9, 1e-9, h[:, 3])
    ndc = h[:, :3] / w[:, None]
    xy = np.column_stack([(ndc[:, 0] + 1) / 2 * width, (1 - ndc[:, 1]) / 2 * height])
    depth = np.where(h[:, 3] > 0, ndc[:, 2], np.inf)  # behind the camera: never picked
    return xy, depth


def pick(plane_list: list[Plane], mvp: np.ndarray, width: float, height: float, x: float, y: float
         ) -> tuple[int, int] | None:
    """The (layer, index) of the front-most square under the screen point (x, y), or None."""
    best, best_depth = None, np.inf
    for l, plane in enumerate(plane_list):
        xy, depth = project(plane.centres, mvp, width, height)
        # the square's half-size on screen, from its first neuron and a point half a square to its side
        edge, _ = project(plane.centres[:1] + np.array([[0, plane.cell * SQUARE / 2, 0]], np.float32), mvp, width,
                          height)
        radius = max(2.0, float(np.hypot(*(edge[0] - xy[0]))))
        d = np.max(np.abs(xy - [x, y]), axis=1)
        hits = np.flatnonzero(d <= radius)
        if hits.size:
            k = hits[np.argmin(depth[hits])]
            if depth[k] < best_depth:
                best, best_depth = (l, int(k)), float(depth[k])
    return best
