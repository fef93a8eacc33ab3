"""Speed helpers for the optimisers: each computes one of the lecture's formulas in place, and
tests/core/test_fast.py checks it bit for bit against the plain NumPy expression written beside it.

Why in place: the 784-300-100-10 network has 266,610 parameters (1 MB of float32). The plain expression
θ − α·v makes a new 1 MB array for every operation; at about 2 ms per training batch, allocating them and
the extra passes through memory cost more than the arithmetic itself (bench/train_speed.py). So each
helper writes into arrays the optimiser keeps (`out`, and `tmp` for the one intermediate it needs).
"""

from __future__ import annotations

import numpy as np

Array = np.ndarray
# Optimiser state that decays geometrically (momentum, Adam's moments) where the gradient stays exactly zero
# (a weight from a pixel that is almost never inked) sinks into the subnormal floats, which the CPU handles
# about 100 times slower: after 5 epochs of MNIST 2,000 of them made every momentum step 28 % slower
# (0.36 → 0.46 ms). Below FLUSH_BELOW such a value's share of a step (α · 1e-30) is under float32's
# resolution for any weight that is not itself about 1e-30 or smaller, so it may as well be 0.
FLUSH_BELOW = 1e-30


def minus_scaled(theta: Array, lr: float, v: Array, out: Array, tmp: Array) -> None:
    """out = θ − α v   (plain: theta - v * lr).

    Into a separate `out` no temporary is needed (v · (−α) + θ is the same number, bit for bit: negation is
    exact and addition commutes); in place (out is θ) α v goes through tmp."""
    if np.may_share_memory(out, theta):
        np.subtract(theta, np.multiply(v, lr, out=tmp), out=out)
    else:
        np.multiply(v, -lr, out=out)
        out += theta


def moving_average(avg: Array, beta: float, x: Array, tmp: Array) -> None:
    """avg ← β avg + (1 − β) x   (plain: avg * beta + x * (1 - beta)). tmp may be x itself."""
    np.multiply(x, 1 - beta, out=tmp)
    avg *= beta
    avg += tmp


def adam_step(theta: Array, step: float, m: Array, v: Array, eps: float, out: Array, tmp: Array) -> None:
    """out = θ − α̂ m / (√v + ε)   (plain: theta - m / (np.sqrt(v) + eps) * step)."""
    np.sqrt(v, out=tmp)
    tmp += eps
    np.divide(m, tmp, out=tmp)
    tmp *= step
    np.subtract(theta, tmp, out=out)


def flush_subnormals(*arrays: Array) -> None:
    """Every entry below FLUSH_BELOW in size becomes 0 (see FLUSH_BELOW for why)."""
    for a in arrays:
        np.copyto(a, 0, where=np.abs(a) < FLUSH_BELOW)


def sum_of_squares(a: Array) -> float:
    """Σ a² of a 1-D array, as one dot product (np.linalg.norm's, without its checks and reshapes)."""
    return float(np.dot(a, a))
