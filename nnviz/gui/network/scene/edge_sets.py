"""Which edges to draw, as plain data (NumPy, no Qt): the strongest k (overall or per target neuron),
a neuron's fan-in and fan-out, or every edge. Drawing them is edges.py's business."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass
class EdgeSet:
    """Edges to draw. l: (m,) layer of W (1..L); j: (m,) target index; i: (m,) source index;
    t: (m,) value divided by its limit, so -1..1 spans the colour bar."""

    l: np.ndarray
    j: np.ndarray
    i: np.ndarray
    t: np.ndarray

    @staticmethod
    def empty() -> EdgeSet:
        z = np.zeros(0, np.intp)
        return EdgeSet(z, z, z, np.zeros(0, np.float32))

    def __len__(self) -> int:
        return int(self.t.size)


def per_target_equivalent(k: int, sizes, per_target: bool) -> int:
    """k converted between its two meanings for a network of `sizes`: edges in all (per_target False) and
    edges into each non-input neuron (per_target True), so that about as many edges are drawn."""
    targets = max(1, sum(sizes[1:]))
    return max(1, round(k / targets)) if per_target else k * targets


def top_k(values: list[np.ndarray], limits: list[float], k: int, per_target: bool) -> EdgeSet:
    """The k strongest edges by |value / limit|. values[l-1]: (n_out, n_in) for W_l.

    per_target: each target neuron keeps its own strongest k incoming edges (all of them if it has fewer).
    Edges whose value is exactly 0 are never among them (no padding when k exceeds the non-zero count).
    """
    return _nonzero(_top_k(values, limits, k, per_target))


def _nonzero(edges: EdgeSet) -> EdgeSet:
    keep = edges.t != 0
    if keep.all():
        return edges
    return EdgeSet(edges.l[keep], edges.j[keep], edges.i[keep], edges.t[keep])


def _top_k(values: list[np.ndarray], limits: list[float], k: int, per_target: bool) -> EdgeSet:
    if per_target:
        parts = []
        for l, (v, s) in enumerate(zip(values, limits), start=1):
            kl = max(1, min(k, v.shape[1]))
            i = np.argpartition(-np.abs(v), kl - 1, axis=1)[:, :kl]
            j = np.repeat(np.arange(v.shape[0]), kl)
            i = i.ravel()
            parts.append((np.full(j.size, l), j, i, v[j, i] / s))
        return _concat(parts)
    flat = np.concatenate([np.abs(v).ravel() / s for v, s in zip(values, limits)])
    k = min(k, flat.size)
    if k <= 0:
        return EdgeSet.empty()
    pick = np.argpartition(-flat, k - 1)[:k]
    offsets = np.cumsum([0] + [v.size for v in values])
    parts = []
    for l, (v, s) in enumerate(zip(values, limits), start=1):
        sel = pick[(pick >= offsets[l - 1]) & (pick < offsets[l])] - offsets[l - 1]
        j, i = np.divmod(sel, v.shape[1])
        parts.append((np.full(sel.size, l), j, i, v.ravel()[sel] / s))
    return _concat(parts)


def fan(values: list[np.ndarray], limits: list[float], layer: int, index: int) -> EdgeSet:
    """All edges into (fan-in) and out of (fan-out) neuron `index` of `layer`."""
    parts = []
    if layer >= 1:
        v = values[layer - 1][index]
        parts.append((np.full(v.size, layer), np.full(v.size, index), np.arange(v.size), v / limits[layer - 1]))
    if layer < len(values):
        v = values[layer][:, index]
        parts.append((np.full(v.size, layer + 1), np.arange(v.size), np.full(v.size, index), v / limits[layer]))
    return _concat(parts)


def all_edges(values: list[np.ndarray], limits: list[float]) -> EdgeSet:
    """Every edge of the network."""
    parts = []
    for l, (v, s) in enumerate(zip(values, limits), start=1):
        j, i = np.divmod(np.arange(v.size), v.shape[1])
        parts.append((np.full(v.size, l), j, i, v.ravel() / s))
    return _concat(parts)


def _concat(parts) -> EdgeSet:
    if not parts:
        return EdgeSet.empty()
    l, j, i, t = (np.concatenate(p) for p in zip(*parts))
    t = np.nan_to_num(t.astype(np.float32), nan=0.0, posinf=1.0, neginf=-1.0)  # a diverged net: NaN weights
    return EdgeSet(l.astype(np.intp), j.astype(np.intp), i.astype(np.intp), t)
