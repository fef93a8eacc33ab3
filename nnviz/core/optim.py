"""Optimisers: plain SGD, SGD with momentum, Adam. Optional L2 (and L1) on the weights.

Each works in place on one flat parameter vector and its flat gradient (see Network.flat),
so a step is a handful of vectorised operations whatever the architecture.
"""

from __future__ import annotations

import numpy as np

from .parallel import map_pieces

Array = np.ndarray
# Optimiser state that decays geometrically (momentum, Adam's moments) where the gradient stays exactly
# zero (a weight from a pixel that is almost never inked) sinks into the subnormal floats, which the CPU
# handles about 100 times slower: after 5 epochs of MNIST 2,000 of them made every momentum step 28 %
# slower (0.36 → 0.46 ms). Every FLUSH_EVERY steps, state below FLUSH_BELOW becomes 0. Its share of a step
# (α · 1e-30) is below float32's resolution for any weight that is not itself about 1e-30 or smaller.
FLUSH_EVERY, FLUSH_BELOW = 50, 1e-30
# The finiteness guard without a pass over the weights: given ‖∇J‖ (the training loop has it from the norms
# it reports), each optimiser bounds ‖θ‖ after a step by the triangle inequality (for momentum
# ‖v‖ ≤ β‖v_before‖ + ‖∇J‖ and ‖θ‖ ≤ ‖θ_before‖ + α‖v‖). While that bound is below BOUND_LIMIT no weight can
# have overflowed float32 (up to 3.4e38), and a gradient that is NaN or inf has a norm that is too; the exact
# Σθ² is computed on the first step, every FLUSH_EVERY steps, and whenever the bound is not that small.
BOUND_LIMIT = 1e30


class Optimizer:
    """`step(theta, dJ_dtheta)` updates theta in place. `lr` may change between steps (schedules).

    A step may write the new weights into another array (`out`: the training loop keeps the old ones
    to restore) and returns Σθ² after it, or a bound on it (the loop's finiteness check); with two
    threads (core.parallel) it runs over cache-sized pieces, half of them in a helper thread.
    Element-wise, so the weights are the same bit for bit either way.
    """

    def __init__(self, lr: float, l2: float = 0.0, l1: float = 0.0, decay_mask: Array | None = None) -> None:
        if not np.isfinite(lr) or lr <= 0:
            raise ValueError(f"learning rate must be a positive number, got {lr}")
        self.lr = float(lr)
        self.l2, self.l1 = float(l2), float(l1)
        self.decay_mask = decay_mask  # 1 where a parameter is a weight (regularised), 0 for biases
        self._tmp: Array | None = None
        self._steps = 0
        self._theta_bound: float | None = None  # ‖θ‖ ≤ this (None: not known)

    def step(self, theta: Array, dJ_dtheta: Array, out: Array | None = None,
             grad_norm: float | None = None) -> float:
        """θ ← θ − update(∇J), in place; or, given `out` (an array like theta), the new θ is written there
        and theta keeps the old one (the training loop's way: no copy of the weights every step).

        Returns Σ θ² after the step, or an upper bound on it: finite exactly when every θ is (unless the
        squares overflow, so a caller that sees inf checks entry by entry). The exact sum costs nothing
        extra (worked out while the new θ is in the cache); given grad_norm (‖∇J‖) most steps return the
        bound instead (see BOUND_LIMIT) and skip even that.
        """
        g = self._regularised(theta, dJ_dtheta)
        self._prepare(theta)
        self._steps += 1
        now_and_then = self._steps % FLUSH_EVERY == 0
        if now_and_then:
            for state in self._state():
                np.copyto(state, 0, where=np.abs(state) < FLUSH_BELOW)
        bound = self._bound(grad_norm, theta.size)
        exact = bound is None or not bound < BOUND_LIMIT or now_and_then
        out = theta if out is None else out
        if theta.ndim != 1:
            sum_sq = self._piece(theta, g, out, slice(None), exact)
        else:
            sum_sq = sum(map_pieces(lambda s: self._piece(theta, g, out, s, exact), theta.size))
        if not exact:
            return bound * bound
        self._theta_bound = float(np.sqrt(sum_sq)) if np.isfinite(sum_sq) else None
        return sum_sq

    def _bound(self, grad_norm: float | None, n: int) -> float | None:
        """A bound on ‖θ‖ after this step, from the one before it and ‖∇J‖; None when there is none."""
        if grad_norm is None or not np.isfinite(grad_norm) or self._theta_bound is None:
            self._theta_bound = None
            return None
        if self.l2 or self.l1:  # the regularised gradient's norm
            grad_norm += self.l2 * self._theta_bound + self.l1 * float(np.sqrt(n))
        self._theta_bound += self._step_bound(grad_norm)
        return self._theta_bound

    def _step_bound(self, grad_norm: float) -> float:  # pragma: no cover - abstract
        """A bound on ‖θ_after − θ_before‖ for a gradient of norm grad_norm (updating the state's bounds)."""
        raise NotImplementedError

    def _piece(self, theta: Array, g: Array, out: Array, s: slice, exact: bool) -> float:
        t, o = theta[s], out[s]
        self._update(t, g[s], s, o)
        return float(np.dot(o.ravel(), o.ravel())) if exact else 0.0

    def _prepare(self, theta: Array) -> None:
        """Before a step: state arrays like theta (allocating 1 MB every step costs more than the update)."""
        tmp = self._tmp
        if tmp is None or tmp.shape != theta.shape or tmp.dtype != theta.dtype:
            self._tmp = np.empty_like(theta)
            self._new_state(theta)

    def _new_state(self, theta: Array) -> None:
        """Zeroed optimiser state (momentum, moments) for parameters like theta."""

    def _state(self) -> tuple[Array, ...]:
        """The state arrays that decay between steps (flushed of subnormal values now and then)."""
        return ()

    def _regularised(self, theta: Array, g: Array) -> Array:
        if not (self.l2 or self.l1):
            return g
        mask = 1.0 if self.decay_mask is None else self.decay_mask
        extra = self.l2 * theta + self.l1 * np.sign(theta)
        return g + mask * extra

    def _update(self, theta: Array, g: Array, s: slice, out: Array) -> None:  # pragma: no cover - abstract
        """The new value of one piece of theta, from the same piece of g, into out (which may be theta);
        s says which piece (for state arrays)."""
        raise NotImplementedError


class SGD(Optimizer):
    """θ ← θ − α ∇J."""

    def _update(self, theta: Array, g: Array, s: slice, out: Array) -> None:
        _minus_scaled(theta, g, self.lr, out, self._tmp[s])

    def _step_bound(self, grad_norm: float) -> float:
        return self.lr * grad_norm


class Momentum(Optimizer):
    """v ← β v + ∇J;  θ ← θ − α v."""

    def __init__(self, lr: float, beta: float = 0.9, **kw) -> None:
        super().__init__(lr, **kw)
        self.beta = beta
        self.v: Array | None = None
        self._v_bound = 0.0  # ‖v‖ ≤ this

    def _new_state(self, theta: Array) -> None:
        self.v = np.zeros_like(theta)
        self._v_bound = 0.0

    def _step_bound(self, grad_norm: float) -> float:
        self._v_bound = self.beta * self._v_bound + grad_norm
        return self.lr * self._v_bound

    def _state(self) -> tuple[Array, ...]:
        return (self.v,)

    def _update(self, theta: Array, g: Array, s: slice, out: Array) -> None:
        v = self.v[s]
        v *= self.beta
        v += g
        _minus_scaled(theta, v, self.lr, out, self._tmp[s])


class Adam(Optimizer):
    """Adam (Kingma & Ba): bias-corrected first and second moment estimates."""

    def __init__(self, lr: float, beta1: float = 0.9, beta2: float = 0.999, eps: float = 1e-8, **kw) -> None:
        super().__init__(lr, **kw)
        self.beta1, self.beta2, self.eps = beta1, beta2, eps
        self.m: Array | None = None
        self.v: Array | None = None
        self.t = 0
        self._step_size = 0.0
        self._m_bound = 0.0  # ‖m‖ ≤ this

    def _step_bound(self, grad_norm: float) -> float:
        """|m_i| / (√v_i + ε) ≤ |m_i| / ε, so the step is at most step_size · ‖m‖ / ε."""
        self._m_bound = self.beta1 * self._m_bound + (1 - self.beta1) * grad_norm
        return self._step_size * self._m_bound / self.eps

    def _new_state(self, theta: Array) -> None:
        self.m, self.v = np.zeros_like(theta), np.zeros_like(theta)
        self._m_bound = 0.0

    def _state(self) -> tuple[Array, ...]:
        return (self.m, self.v)

    def _prepare(self, theta: Array) -> None:
        super()._prepare(theta)
        self.t += 1
        b1, b2 = self.beta1, self.beta2
        self._step_size = self.lr * np.sqrt(1 - b2 ** self.t) / (1 - b1 ** self.t)

    def _update(self, theta: Array, g: Array, s: slice, out: Array) -> None:
        b1, b2 = self.beta1, self.beta2
        m, v, tmp = self.m[s], self.v[s], self._tmp[s]
        m *= b1
        m += np.multiply(g, 1 - b1, out=tmp)
        v *= b2
        np.multiply(g, g, out=tmp)
        tmp *= 1 - b2
        v += tmp
        np.sqrt(v, out=tmp)
        tmp += self.eps
        np.divide(m, tmp, out=tmp)
        tmp *= self._step_size
        np.subtract(theta, tmp, out=out)


def _minus_scaled(theta: Array, v: Array, lr: float, out: Array, tmp: Array) -> None:
    """out = θ − α v. Into a separate out it needs no temporary array (v · (−α) + θ is the same number,
    bit for bit: negation is exact and addition commutes): one 1 MB array fewer through the cache."""
    if np.may_share_memory(out, theta):  # in place
        np.subtract(theta, np.multiply(v, lr, out=tmp), out=out)
    else:
        np.multiply(v, -lr, out=out)
        out += theta


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
