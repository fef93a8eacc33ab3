"""The optimisers' speed helpers (core/fast.py) and the optimisers themselves against the lecture's plain
formulas, bit for bit: in-place arithmetic may be fast, never different."""

from __future__ import annotations

import numpy as np
import pytest

from nnviz.core import fast, optim

RNG = np.random.default_rng(7)
N = 10_000


def arrays(k: int, dtype=np.float32) -> list[np.ndarray]:
    return [RNG.normal(size=N).astype(dtype) for _ in range(k)]


@pytest.mark.parametrize("in_place", [False, True])
def test_minus_scaled_is_theta_minus_alpha_v(in_place):
    theta, v = arrays(2)
    plain = theta - v * 0.37
    out = theta if in_place else np.empty_like(theta)
    fast.minus_scaled(theta, 0.37, v, out, np.empty_like(theta))
    assert np.array_equal(out, plain)


def test_moving_average_is_beta_avg_plus_one_minus_beta_x():
    avg, x = arrays(2)
    plain = avg * 0.9 + x * (1 - 0.9)
    fast.moving_average(avg, 0.9, x, np.empty_like(avg))
    assert np.array_equal(avg, plain)


def test_adam_step_is_theta_minus_step_m_over_root_v_plus_eps():
    theta, m, v = arrays(3)
    v = np.abs(v)
    step = np.float64(1e-3) * np.sqrt(1 - 0.999 ** 3) / (1 - 0.9 ** 3)
    plain = theta - (m / (np.sqrt(v) + 1e-8) * step).astype(np.float32)  # (α̂ is a float64: see plain_steps)
    out = np.empty_like(theta)
    fast.adam_step(theta, step, m, v, 1e-8, out, np.empty_like(theta))
    assert np.array_equal(out, plain)


def test_flush_zeroes_only_what_is_below_the_threshold():
    a = np.array([1e-31, -1e-31, 1e-29, 0.5, -2.0], np.float32)
    fast.flush_subnormals(a)
    assert a.tolist() == [0.0, 0.0, np.float32(1e-29), 0.5, -2.0]


def plain_steps(name: str, theta: np.ndarray, grads: list[np.ndarray], lr: float) -> np.ndarray:
    """The lecture's formulas, as written, step by step."""
    v = m = np.zeros_like(theta)
    for t, g in enumerate(grads, start=1):
        if name == "sgd":
            theta = theta - g * lr
        elif name == "momentum":
            v = v * 0.9 + g
            theta = theta - v * lr
        else:
            m = m * 0.9 + g * (1 - 0.9)
            v = v * 0.999 + (g * g) * (1 - 0.999)
            step = lr * np.sqrt(1 - 0.999 ** t) / (1 - 0.9 ** t)  # a float64 (np.sqrt's), so the product
            theta = theta - (m / (np.sqrt(v) + 1e-8) * step).astype(np.float32)  # is rounded back to float32
    return theta


@pytest.mark.parametrize("name", ["sgd", "momentum", "adam"])
@pytest.mark.parametrize("into", ["in place", "out"])
def test_each_optimiser_is_its_formula_bit_for_bit(name, into):
    theta0, *grads = arrays(6)
    opt, theta = optim.make(name, 0.01), theta0.copy()
    for g in grads:
        if into == "out":
            out = np.empty_like(theta)
            opt.step(theta, g, out=out)
            theta = out
        else:
            opt.step(theta, g)
    assert np.array_equal(theta, plain_steps(name, theta0, grads, 0.01))
