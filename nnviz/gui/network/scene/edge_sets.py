"""Which edges to draw, as plain data (NumPy, no Qt): the strongest k (overall or per target neuron),
a neuron's fan-in and fan-out, or every edge. Drawing them is edges.py's business."""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

BIG = 1_000_000  # beyond this many edges, top_k first keeps the candidates above a sampled threshold
SAMPLE_STEP = 97  # every 97th edge estimates that threshold (a prime: no alignment with the rows)
MAX_ALL_EDGES = 400_000  # the all-edges picture draws at most this many (a seeded sample beyond)


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
        return concat(parts)
    total = sum(v.size for v in values)
    k = min(k, total)
    if k <= 0:
        return EdgeSet.empty()
    cand = _candidates(values, limits, k) if total > BIG and 4 * k < total else None
    if cand is None:  # every edge is a candidate
        cand = [np.arange(v.size) for v in values]
    flat = np.concatenate([np.abs(v.ravel()[c]) / s for v, s, c in zip(values, limits, cand)])
    pick = np.argpartition(-flat, k - 1)[:k]
    offsets = np.cumsum([0] + [c.size for c in cand])
    parts = []
    for l, (v, s, c) in enumerate(zip(values, limits, cand), start=1):
        sel = c[pick[(pick >= offsets[l - 1]) & (pick < offsets[l])] - offsets[l - 1]]
        j, i = np.divmod(sel, v.shape[1])
        parts.append((np.full(sel.size, l), j, i, v.ravel()[sel] / s))
    return concat(parts)


def _candidates(values: list[np.ndarray], limits: list[float], k: int) -> list[np.ndarray] | None:
    """Per layer, the flat indices of the edges with |value / limit| above a threshold that a strided
    sample puts at about the 2k-th strongest: one pass over each matrix instead of a partition of all
    of them (10 million edges: ~15 ms instead of ~200 ms). None when fewer than k pass (then use all)."""
    sample = np.concatenate([np.abs(v.ravel()[::SAMPLE_STEP]) / s for v, s in zip(values, limits)])
    sample = sample[np.isfinite(sample)]
    total = sum(v.size for v in values)
    if sample.size == 0:
        return None
    threshold = float(np.quantile(sample, max(0.0, 1 - 2 * k / total)))
    cand = [np.flatnonzero(np.abs(v.ravel()) >= threshold * s) for v, s in zip(values, limits)]
    return cand if sum(c.size for c in cand) >= k else None


def fan(values: list[np.ndarray], limits: list[float], layer: int, index: int) -> EdgeSet:
    """All edges into (fan-in) and out of (fan-out) neuron `index` of `layer`."""
    parts = []
    if layer >= 1:
        v = values[layer - 1][index]
        parts.append((np.full(v.size, layer), np.full(v.size, index), np.arange(v.size), v / limits[layer - 1]))
    if layer < len(values):
        v = values[layer][:, index]
        parts.append((np.full(v.size, layer + 1), np.arange(v.size), np.full(v.size, index), v / limits[layer]))
    return concat(parts)


def all_edges(values: list[np.ndarray], limits: list[float]) -> EdgeSet:
    """Every edge of the network."""
    parts = []
    for l, (v, s) in enumerate(zip(values, limits), start=1):
        j, i = np.divmod(np.arange(v.size), v.shape[1])
        parts.append((np.full(v.size, l), j, i, v.ravel() / s))
    return concat(parts)


def concat(parts) -> EdgeSet:
    """One EdgeSet of parts [(l, j, i, t), ...] (NaN values become 0)."""
    if not parts:
        return EdgeSet.empty()
    l, j, i, t = (np.concatenate(p) for p in zip(*parts))
    t = np.nan_to_num(t.astype(np.float32), nan=0.0, posinf=1.0, neginf=-1.0)  # a diverged net: NaN weights
    return EdgeSet(l.astype(np.intp), j.astype(np.intp), i.astype(np.intp), t)


def all_edges_sample(sizes: tuple[int, ...], cap: int = MAX_ALL_EDGES) -> list[np.ndarray] | None:
    """The edges the all-edges picture draws: None for every edge when there are at most `cap`; else per
    layer the sorted flat indices (into W_l.ravel()) of a seeded random sample of about `cap` edges, each
    layer in proportion to its size, the same for every call with these sizes (no flicker)."""
    return _sample(tuple(int(n) for n in sizes), int(cap))


@functools.lru_cache(maxsize=4)
def _sample(sizes: tuple[int, ...], cap: int) -> list[np.ndarray] | None:
    counts = [a * b for a, b in zip(sizes[:-1], sizes[1:])]
    total = sum(counts)
    if total <= cap:
        return None
    rng = np.random.default_rng(0)
    out = []
    for n in counts:
        m = max(1, round(cap * n / total))
        idx = np.sort(rng.choice(n, size=min(m, n), replace=False))
        idx.setflags(write=False)
        out.append(idx)
    return out


def sampled_edges(values: list[np.ndarray], limits: list[float], sample: list[np.ndarray] | None) -> EdgeSet:
    """all_edges(values, limits) restricted to `sample` (all_edges_sample; None: every edge)."""
    if sample is None:
        return all_edges(values, limits)
    parts = []
    for l, (v, s, idx) in enumerate(zip(values, limits, sample), start=1):
        j, i = np.divmod(idx, v.shape[1])
        parts.append((np.full(idx.size, l), j, i, v.ravel()[idx] / s))
    return concat(parts)


def all_edges_count(values: list[np.ndarray]) -> tuple[int, int]:
    """(edges the all-edges picture draws, edges in all) for edge matrices `values`."""
    total = sum(int(v.size) for v in values)
    sizes = tuple([values[0].shape[1]] + [v.shape[0] for v in values]) if values else ()
    sample = all_edges_sample(sizes) if values else None
    return (total if sample is None else sum(int(s.size) for s in sample)), total
