"""Optimisers: plain SGD, SGD with momentum, Adam. Optional L2 (and L1) on the weights.

Each works in place on one flat parameter vector and its flat gradient (see Network.flat),
so a step is a handful of vectorised operations whatever the architecture.
"""

from __future__ import annotations

import numpy as np

Array = np.ndarray


class Optimizer:
    """`step(theta, dJ_dtheta)` updates theta in place. `lr` may change between steps (schedules)."""

    def __init__(self, lr: float, l2: float = 0.0, l1: float = 0.0, decay_mask: Array | None = None) -> None:
        if not np.isfinite(lr) or lr <= 0:
            raise ValueError(f"learning rate must be a positive number, got {lr}")
        self.lr = float(lr)
        self.l2, self.l1 = float(l2), float(l1)
        self.decay_mask = decay_mask  # 1 where a parameter is a weight (regularised), 0 for biases
        self._buf: Array | None = None

    def step(self, theta: Array, dJ_dtheta: Array) -> None:
        g = self._regularised(theta, dJ_dtheta)
        self._update(theta, g)

    def _scratch(self, theta: Array) -> Array:
        """A reusable array like theta (allocating 1 MB every step costs more than the update)."""
        buf = self._buf
        if buf is None or buf.shape != theta.shape or buf.dtype != theta.dtype:
            buf = self._buf = np.empty_like(theta)
        return buf

    def _regularised(self, theta: Array, g: Array) -> Array:
        if not (self.l2 or self.l1):
            return g
        mask = 1.0 if self.decay_mask is None else self.decay_mask
        extra = self.l2 * theta + self.l1 * np.sign(theta)
        return g + mask * extra

    def _update(self, theta: Array, g: Array) -> None:  # pragma: no cover - abstract
        raise NotImplementedError


PIECE = 1 << 16  # elements: an update works piece by piece so that its arrays stay in the CPU cache


def pieces(theta: Array) -> list[slice]:
    """Slices covering a 1-D theta in cache-sized pieces (element-wise updates give identical results)."""
    if theta.ndim != 1:
        return [slice(None)]
    return [slice(i, i + PIECE) for i in range(0, theta.size, PIECE)]


class SGD(Optimizer):
    """θ ← θ − α ∇J."""

    def _update(self, theta: Array, g: Array) -> None:
        theta -= np.multiply(g, self.lr, out=self._scratch(theta))


class Momentum(Optimizer):
    """v ← β v + ∇J;  θ ← θ − α v."""

    def __init__(self, lr: float, beta: float = 0.9, **kw) -> None:
        super().__init__(lr, **kw)
        self.beta = beta
        self.v: Array | None = None

    def _update(self, theta: Array, g: Array) -> None:
        if self.v is None:
            self.v = np.zeros_like(theta)
        tmp = self._scratch(theta)
        for s in pieces(theta):
            v = self.v[s]
            v *= self.beta
            v += g[s]
            theta[s] -= np.multiply(v, self.lr, out=tmp[s])


class Adam(Optimizer):
    """Adam (Kingma & Ba): bias-corrected first and second moment estimates."""

    def __init__(self, lr: float, beta1: float = 0.9, beta2: float = 0.999, eps: float = 1e-8, **kw) -> None:
        super().__init__(lr, **kw)
        self.beta1, self.beta2, self.eps = beta1, beta2, eps
        self.m: Array | None = None
        self.v: Array | None = None
        self.t = 0
        self._tmp: Array | None = None

    def _update(self, theta: Array, g: Array) -> None:
        if self.m is None:
            self.m, self.v, self._tmp = np.zeros_like(theta), np.zeros_like(theta), np.zeros_like(theta)
        self.t += 1
        b1, b2 = self.beta1, self.beta2
        step = self.lr * np.sqrt(1 - b2 ** self.t) / (1 - b1 ** self.t)
        for s in pieces(theta):
            m, v, tmp, gs = self.m[s], self.v[s], self._tmp[s], g[s]
            m *= b1
            m += np.multiply(gs, 1 - b1, out=tmp)
            v *= b2
            np.multiply(gs, gs, out=tmp)
            tmp *= 1 - b2
            v += tmp
            np.sqrt(v, out=tmp)
            tmp += self.eps
            np.divide(m, tmp, out=tmp)
            tmp *= step
            theta[s] -= tmp


OPTIMIZERS = {"sgd": SGD, "momentum": Momentum, "adam": Adam}


def make(name: str, lr: float, **kw) -> Optimizer:
    """An optimiser by name: sgd, momentum or adam."""
    try:
        cls = OPTIMIZERS[name]
    except KeyError:
        raise ValueError(f"unknown optimizer {name!r}; choose from {', '.join(OPTIMIZERS)}") from None
    return cls(lr, **kw)


def cosine_lr(base: float, progress: float, floor: float = 0.0) -> float:
    """Cosine schedule: base at progress 0, floor·base at progress 1."""
    progress = min(max(progress, 0.0), 1.0)
    return float(base * (floor + (1 - floor) * 0.5 * (1 + np.cos(np.pi * progress))))  # a Python float: weak in NumPy 2
