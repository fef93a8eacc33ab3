"""Optimisers: plain SGD, SGD with momentum, Adam. Optional L2 (and L1) on the weights.

Each works on one flat parameter vector θ and its flat gradient ∇J = dJ/dθ (see Network.flat), so a step
is a handful of vectorised operations whatever the architecture. Each optimiser's `update` is its formula;
the in-place arithmetic that keeps it fast is in fast.py, checked bit for bit against the plain formula.
"""

from __future__ import annotations

import numpy as np

from .fast import adam_step, flush_subnormals, minus_scaled, moving_average, sum_of_squares

Array = np.ndarray
FLUSH_EVERY = 50  # steps between flushes of the decaying state's subnormal floats (fast.FLUSH_BELOW says why)
# A step returns Σθ² (or a bound on it) for the training loop's check that every weight is finite. The exact
# sum is a pass over the weights; given ‖∇J‖ (the loop has it from the norms it reports) each optimiser bounds
# ‖θ‖ after a step by the triangle inequality instead (step_bound), and while that bound is below BOUND_LIMIT
# no weight can have overflowed float32 (up to 3.4e38), and a gradient that is NaN or inf has a norm that is
# too. The exact sum is taken on the first step, every FLUSH_EVERY steps, and whenever the bound is large.
BOUND_LIMIT = 1e30


class Optimizer:
    """`step(θ, ∇J)` updates θ. `lr` (α) may change between steps (schedules)."""

    def __init__(self, lr: float, l2: float = 0.0, l1: float = 0.0, decay_mask: Array | None = None) -> None:
        if not np.isfinite(lr) or lr <= 0:
            raise ValueError(f"learning rate must be a positive number, got {lr}")
        self.lr = float(lr)
        self.l2, self.l1 = float(l2), float(l1)
        self.decay_mask = decay_mask  # 1 where a parameter is a weight (regularised), 0 for biases
        self.steps = 0
        self.tmp: Array | None = None  # scratch like θ (fast.py's helpers write into it)
        self._theta_bound: float | None = None  # ‖θ‖ ≤ this (None: not known)

    def step(self, theta: Array, dJ_dtheta: Array, out: Array | None = None, grad_norm: float | None = None) -> float:
        """θ ← θ − update(∇J): in place, or into `out` (an array like θ; θ keeps the old weights: the training
        loop's way to keep them without a copy).

        Returns Σθ² after the step, or, given grad_norm (‖∇J‖), usually an upper bound on it (see BOUND_LIMIT):
        finite exactly when every θ is, unless the squares overflow (then the caller checks entry by entry).
        """
        g = self.regularised(theta, dJ_dtheta)
        if self.tmp is None or self.tmp.shape != theta.shape or self.tmp.dtype != theta.dtype:
            self.tmp = np.empty_like(theta)  # (allocating 1 MB every step costs more than the update)
            self.new_state(theta)
        self.steps += 1
        now_and_then = self.steps % FLUSH_EVERY == 0
        if now_and_then:
            flush_subnormals(*self.state())
        bound = self._bound_after(grad_norm, theta.size)
        out = theta if out is None else out
        self.update(theta, g, out)
        if bound is not None and bound < BOUND_LIMIT and not now_and_then:
            return bound * bound
        sum_sq = sum_of_squares(out.reshape(-1))
        self._theta_bound = float(np.sqrt(sum_sq)) if np.isfinite(sum_sq) else None
        return sum_sq

    def regularised(self, theta: Array, g: Array) -> Array:
        """∇J + λ₂ θ + λ₁ sign(θ) on the weights (biases are not regularised)."""
        if not (self.l2 or self.l1):
            return g
        mask = 1.0 if self.decay_mask is None else self.decay_mask
        return g + mask * (self.l2 * theta + self.l1 * np.sign(theta))

    # --- what each optimiser says ------------------------------------------------------------------
    def update(self, theta: Array, g: Array, out: Array) -> None:  # pragma: no cover - abstract
        """The new θ from θ and the gradient g, into out (which may be θ)."""
        raise NotImplementedError

    def new_state(self, theta: Array) -> None:
        """Zeroed state (momentum, moments) for parameters like θ."""

    def state(self) -> tuple[Array, ...]:
        """The state that decays between steps (flushed of subnormal floats now and then)."""
        return ()

    def step_bound(self, grad_norm: float) -> float:  # pragma: no cover - abstract
        """A bound on ‖θ_after − θ_before‖ for a gradient of norm grad_norm (it updates the state's bounds)."""
        raise NotImplementedError

    def _bound_after(self, grad_norm: float | None, n: int) -> float | None:
        """A bound on ‖θ‖ after this step, from the one before it and ‖∇J‖; None when there is none."""
        if grad_norm is None or not np.isfinite(grad_norm) or self._theta_bound is None:
            self._theta_bound = None
            return None
        if self.l2 or self.l1:  # the regularised gradient's norm
            grad_norm += self.l2 * self._theta_bound + self.l1 * float(np.sqrt(n))
        self._theta_bound += self.step_bound(grad_norm)
        return self._theta_bound


class SGD(Optimizer):
    """θ ← θ − α ∇J."""

    def update(self, theta: Array, g: Array, out: Array) -> None:
        minus_scaled(theta, self.lr, g, out, self.tmp)  # θ − α ∇J

    def step_bound(self, grad_norm: float) -> float:
        return self.lr * grad_norm


class Momentum(Optimizer):
    """v ← β v + ∇J;  θ ← θ − α v."""

    def __init__(self, lr: float, beta: float = 0.9, **kw) -> None:
        super().__init__(lr, **kw)
        self.beta = beta
        self.v: Array | None = None
        self._v_bound = 0.0  # ‖v‖ ≤ this

    def update(self, theta: Array, g: Array, out: Array) -> None:
        v = self.v
        v *= self.beta  # v ← β v + ∇J
        v += g
        minus_scaled(theta, self.lr, v, out, self.tmp)  # θ − α v

    def new_state(self, theta: Array) -> None:
        self.v = np.zeros_like(theta)
        self._v_bound = 0.0

    def state(self) -> tuple[Array, ...]:
        return (self.v,)

    def step_bound(self, grad_norm: float) -> float:
        """‖v‖ ≤ β‖v_before‖ + ‖∇J‖, and the step is α‖v‖."""
        self._v_bound = self.beta * self._v_bound + grad_norm
        return self.lr * self._v_bound


class Adam(Optimizer):
    """Adam (Kingma & Ba):  m ← β₁ m + (1 − β₁) ∇J;  v ← β₂ v + (1 − β₂) (∇J)²;
    θ ← θ − α̂ m / (√v + ε), with α̂ = α √(1 − β₂ᵗ) / (1 − β₁ᵗ) correcting both moments' start at 0."""

    def __init__(self, lr: float, beta1: float = 0.9, beta2: float = 0.999, eps: float = 1e-8, **kw) -> None:
        super().__init__(lr, **kw)
        self.beta1, self.beta2, self.eps = beta1, beta2, eps
        self.m: Array | None = None
        self.v: Array | None = None
        self._m_bound = 0.0  # ‖m‖ ≤ this

    def step_size(self) -> float:
        """α̂ for step t (self.steps)."""
        t = self.steps
        return self.lr * np.sqrt(1 - self.beta2 ** t) / (1 - self.beta1 ** t)

    def update(self, theta: Array, g: Array, out: Array) -> None:
        moving_average(self.m, self.beta1, g, self.tmp)  # m ← β₁ m + (1 − β₁) ∇J
        g_squared = np.multiply(g, g, out=self.tmp)
        moving_average(self.v, self.beta2, g_squared, self.tmp)  # v ← β₂ v + (1 − β₂) (∇J)²
        adam_step(theta, self.step_size(), self.m, self.v, self.eps, out, self.tmp)  # θ − α̂ m / (√v + ε)

    def new_state(self, theta: Array) -> None:
        self.m, self.v = np.zeros_like(theta), np.zeros_like(theta)
        self._m_bound = 0.0

    def state(self) -> tuple[Array, ...]:
        return (self.m, self.v)

    def step_bound(self, grad_norm: float) -> float:
        """|m_i| / (√v_i + ε) ≤ |m_i| / ε, so the step is at most α̂ ‖m‖ / ε (this step's α̂: steps counts it)."""
        self._m_bound = self.beta1 * self._m_bound + (1 - self.beta1) * grad_norm
        return self.step_size() * self._m_bound / self.eps


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
