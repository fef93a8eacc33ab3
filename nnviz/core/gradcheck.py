"""Central-difference gradients: the independent reference every backward is tested against,
and what the backprop inspector shows next to the backprop value.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .network import Network

Array = np.ndarray


def numeric_grad(f: Callable[[], float], theta: Array, index=None, eps: float = 1e-6) -> Array | float:
    """(f(θ+ε) − f(θ−ε)) / 2ε for each entry of theta (or only theta[index]); theta is restored."""
    if index is not None:
        old = theta[index]
        theta[index] = old + eps
        up = f()
        theta[index] = old - eps
        down = f()
        theta[index] = old
        return (up - down) / (2 * eps)
    grad = np.zeros_like(theta, dtype=np.float64)
    for i in np.ndindex(theta.shape):
        grad[i] = numeric_grad(f, theta, i, eps)
    return grad


def rel_error(a, b) -> float:
    """max |a − b| / max(|a| + |b|, tiny): 0 when equal, ~1 when unrelated."""
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    return float(np.max(np.abs(a - b) / np.maximum(np.abs(a) + np.abs(b), 1e-12)))


def agree(backprop: float, numeric: float, J: float, eps: float = 1e-6, rtol: float = 1e-4) -> bool:
    """Whether backprop and a float64 central difference (step eps) agree for a loss of size J.

    Relative tolerance rtol, plus an absolute floor for tiny and zero gradients: the difference quotient
    cannot resolve less than the rounding of J(θ ± ε) over 2ε, about 10 ulp(J) / ε (10⁻⁹ for J ≈ 1).
    """
    floor = 10 * float(np.finfo(np.float64).eps) * max(1.0, abs(J)) / eps
    return abs(backprop - numeric) <= rtol * max(abs(backprop), abs(numeric)) + floor


def network_loss(net: Network, x: Array, y: Array) -> Callable[[], float]:
    """J(θ) for a fixed batch, reading net's current parameters each call."""
    def f() -> float:
        return net.loss_value(x, y)[0]  # log-softmax from z: exact for very unlikely targets
    return f


def param_gradcheck(net: Network, x: Array, y: Array, layer: int, name: str, index, eps: float = 1e-6
                    ) -> tuple[float, float]:
    """(backprop, central difference) of J with respect to one weight or bias: name 'W' or 'b'.

    layer is 0-based (layer 0 holds W1). Works best in float64.
    """
    net.loss_and_grads(x, y)
    analytic = float(net.dense[layer].grads[name][index])
    numeric = float(numeric_grad(network_loss(net, x, y), net.dense[layer].params[name], index, eps))
    return analytic, numeric
