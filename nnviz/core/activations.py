"""Activation functions g(z) and their derivatives g'(z), and softmax.

Every function works element-wise on an ndarray of any shape and keeps its dtype.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

Array = np.ndarray


def _step(z: Array) -> Array:
    return (z >= 0).astype(z.dtype)


def _step_prime(z: Array) -> Array:
    return np.zeros_like(z)


def _sigmoid(z: Array) -> Array:
    # Split by sign so that exp never overflows.
    out = np.empty_like(z)
    pos = z >= 0
    out[pos] = 1.0 / (1.0 + np.exp(-z[pos]))
    e = np.exp(z[~pos])
    out[~pos] = e / (1.0 + e)
    return out


def _sigmoid_prime(z: Array) -> Array:
    s = _sigmoid(z)
    return s * (1.0 - s)


def _tanh_prime(z: Array) -> Array:
    t = np.tanh(z)
    return 1.0 - t * t


def _relu(z: Array) -> Array:
    return np.maximum(z, 0)


def _relu_prime(z: Array) -> Array:
    return (z > 0).astype(z.dtype)


def _linear(z: Array) -> Array:
    return z


def _linear_prime(z: Array) -> Array:
    return np.ones_like(z)


@dataclass(frozen=True)
class Activation:
    """A named activation: `g`, its derivative `g_prime`, and how to write it down."""

    name: str
    g: Callable[[Array], Array]
    g_prime: Callable[[Array], Array]
    formula: str  # g(z) in plain text, e.g. "max(0, z)"
    prime_formula: str  # g'(z) in plain text
    differentiable: bool = True  # False: g' is zero almost everywhere (step)


ACTIVATIONS: dict[str, Activation] = {
    "step": Activation("step", _step, _step_prime, "1 if z ≥ 0 else 0", "0", False),
    "sigmoid": Activation("sigmoid", _sigmoid, _sigmoid_prime, "1 / (1 + e^(−z))", "σ(z)(1 − σ(z))"),
    "tanh": Activation("tanh", np.tanh, _tanh_prime, "tanh(z)", "1 − tanh²(z)"),
    "relu": Activation("relu", _relu, _relu_prime, "max(0, z)", "1 if z > 0 else 0"),
    "linear": Activation("linear", _linear, _linear_prime, "z", "1"),
}


def get(name: str) -> Activation:
    """The activation called `name` (one of ACTIVATIONS), or ValueError naming the choices."""
    try:
        return ACTIVATIONS[name]
    except KeyError:
        raise ValueError(f"unknown activation {name!r}; choose from {', '.join(ACTIVATIONS)}") from None


def softmax(z: Array) -> Array:
    """Row-wise softmax over the last axis, stable for large |z|. z: (..., k) -> (..., k)."""
    return softmax_parts(z)[0]


def softmax_parts(z: Array) -> tuple[Array, Array, Array]:
    """(softmax(z), top, total) with top = max z and total = Σ exp(z − top) per row (keepdims):
    the cross-entropy from logits needs exactly these (CrossEntropy.value_from_logits), so a
    network computes them once. In place: one new array, not three."""
    top = np.maximum.reduce(z, axis=-1, keepdims=True)  # z.max(...) without its Python wrapper
    e = np.subtract(z, top)
    np.exp(e, out=e)
    total = np.add.reduce(e, axis=-1, keepdims=True)
    return np.divide(e, total, out=e), top, total


def softmax_backward(y_hat: Array, dJ_dy_hat: Array) -> Array:
    """dJ/dz for y_hat = softmax(z): the Jacobian-vector product y_hat ⊙ (dJ/dŷ − <dJ/dŷ, ŷ>)."""
    inner = (dJ_dy_hat * y_hat).sum(axis=-1, keepdims=True)
    return y_hat * (dJ_dy_hat - inner)
