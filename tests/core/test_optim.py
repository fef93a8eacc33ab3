"""Optimisers: one step by hand for SGD, Momentum and Adam; L2 only on weights; schedules."""

import numpy as np
import pytest

from nnviz.core import optim
from nnviz.core.network import Network
from nnviz.core.training import weight_mask

THETA = np.array([1.0, -2.0, 0.5, 3.0])
G = np.array([0.1, -0.4, 2.0, -1.0])
G2 = np.array([-0.3, 0.2, 0.5, 1.5])


def test_sgd_step_by_hand():
    theta = THETA.copy()
    optim.SGD(0.1).step(theta, G)
    np.testing.assert_allclose(theta, THETA - 0.1 * G, rtol=1e-15)


def test_momentum_two_steps_by_hand():
    theta, opt = THETA.copy(), optim.Momentum(0.1, beta=0.9)
    opt.step(theta, G)
    np.testing.assert_allclose(theta, THETA - 0.1 * G, rtol=1e-15)
    opt.step(theta, G2)
    v = 0.9 * G + G2
    np.testing.assert_allclose(theta, THETA - 0.1 * G - 0.1 * v, rtol=1e-15)


def test_adam_two_steps_by_hand():
    lr, b1, b2, eps = 0.01, 0.9, 0.999, 1e-8
    theta, opt = THETA.copy(), optim.Adam(lr, b1, b2, eps)
    expect, m, v = THETA.copy(), np.zeros(4), np.zeros(4)
    for t, g in enumerate((G, G2), start=1):
        opt.step(theta, g)
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        m_hat, v_hat = m / (1 - b1 ** t), v / (1 - b2 ** t)
        expect = expect - lr * m_hat / (np.sqrt(v_hat) + eps)
        np.testing.assert_allclose(theta, expect, rtol=1e-6)
    # the first Adam step moves every parameter by about lr, whatever the gradient's size
    first = THETA.copy()
    optim.Adam(lr).step(first, G)
    np.testing.assert_allclose(np.abs(THETA - first), lr, rtol=1e-5)


def test_adam_float32_stays_float32():
    theta = THETA.astype(np.float32)
    opt = optim.Adam(0.01)
    opt.step(theta, G.astype(np.float32))
    assert theta.dtype == np.float32 and opt.m.dtype == np.float32


def test_l2_applies_to_weights_only():
    net = Network(sizes=(3, 4, 2), dtype=np.float64)
    net.flat[...] = np.random.default_rng(0).normal(size=net.flat.size)
    before = net.state()
    net.flat_grad[...] = 0
    opt = optim.SGD(0.1, l2=0.5, decay_mask=weight_mask(net))
    opt.step(net.flat, net.flat_grad)
    after = net.state()
    for l in (1, 2):
        np.testing.assert_allclose(after[f"W{l}"], before[f"W{l}"] * (1 - 0.1 * 0.5), rtol=1e-14)
        np.testing.assert_array_equal(after[f"b{l}"], before[f"b{l}"])


def test_l2_adds_to_the_gradient():
    theta = THETA.copy()
    optim.SGD(0.1, l2=0.01).step(theta, G)
    np.testing.assert_allclose(theta, THETA - 0.1 * (G + 0.01 * THETA), rtol=1e-15)


def test_weight_mask_layout():
    net = Network(sizes=(3, 4, 2))
    mask = weight_mask(net)
    assert mask.sum() == 3 * 4 + 4 * 2
    assert np.all(mask[12:16] == 0) and np.all(mask[-2:] == 0) and np.all(mask[:12] == 1)


def test_make_and_bad_arguments():
    assert isinstance(optim.make("adam", 0.1), optim.Adam)
    assert isinstance(optim.make("momentum", 0.1, beta=0.5), optim.Momentum)
    with pytest.raises(ValueError, match="sgd"):
        optim.make("rmsprop", 0.1)
    for bad in (0, -1, float("nan"), float("inf")):
        with pytest.raises(ValueError, match="learning rate"):
            optim.SGD(bad)


def test_cosine_schedule():
    assert optim.cosine_lr(0.1, 0.0) == pytest.approx(0.1)
    assert optim.cosine_lr(0.1, 0.5) == pytest.approx(0.05)
    assert optim.cosine_lr(0.1, 1.0, floor=0.01) == pytest.approx(0.001)
    assert optim.cosine_lr(0.1, 2.0) == pytest.approx(0.0, abs=1e-15)
    lrs = [optim.cosine_lr(1.0, p / 10) for p in range(11)]
    assert all(a >= b for a, b in zip(lrs, lrs[1:]))


@pytest.mark.parametrize("name", ["momentum", "adam"])
def test_state_of_gradients_that_stay_zero_never_sinks_into_subnormal_floats(name):
    """A weight whose gradient is 0 from some step on (a pixel that is never inked again) has momentum
    that decays by β every step: unflushed it reaches the subnormal floats, which make every step about
    28 % slower (issue 16). The flush leaves the weights as they would be without it."""
    n = 1000
    theta = np.linspace(0.01, 1.0, n, dtype=np.float32)
    reference = theta.copy()
    opt = optim.make(name, 0.01)
    kick = np.full(n, 0.5, np.float32)
    zero = np.zeros(n, np.float32)
    v_ref = np.zeros(n, np.float32)
    for t in range(1, 2001):
        g = kick if t == 1 else zero
        opt.step(theta, g)
        if name == "momentum":  # the same rule, by hand, never flushed
            v_ref = (np.float32(0.9) * v_ref + g).astype(np.float32)
            reference -= np.float32(0.01) * v_ref
    tiny = np.finfo(np.float32).tiny
    for state in opt.state():
        assert not np.any((state != 0) & (np.abs(state) < tiny))
    if name == "momentum":
        assert np.any((v_ref != 0) & (np.abs(v_ref) < tiny))  # the reference did sink
        np.testing.assert_array_equal(theta, reference)


@pytest.mark.parametrize("name,kw", [("sgd", {}), ("momentum", {}), ("adam", {}),
                                     ("momentum", {"l2": 0.1, "l1": 0.01})])
def test_given_the_gradient_norm_a_step_returns_a_bound_on_the_sum_of_squares_and_the_exact_sum_now_and_then(name, kw):
    rng = np.random.default_rng(1)
    theta = rng.normal(size=5000).astype(np.float32)
    opt = optim.make(name, 0.05, **kw)
    exact_steps = []
    for k in range(1, 2 * optim.FLUSH_EVERY + 1):
        g = rng.normal(scale=3.0, size=theta.size).astype(np.float32)
        out = np.empty_like(theta)
        sum_sq = opt.step(theta, g, out=out, grad_norm=float(np.linalg.norm(g)))
        true = float(np.dot(out.astype(np.float64), out))
        assert sum_sq >= true * (1 - 1e-5)  # never below the truth: a bound or the exact sum
        if sum_sq == pytest.approx(true, rel=1e-5):
            exact_steps.append(k)
        theta = out
    assert exact_steps[:1] == [1] and optim.FLUSH_EVERY in exact_steps and 2 * optim.FLUSH_EVERY in exact_steps
    assert len(exact_steps) < optim.FLUSH_EVERY  # most steps skip the pass over the weights


def test_a_step_that_overflows_is_not_hidden_by_the_bound():
    """A finite gradient norm, but a learning rate that throws the weights past float32's range: the bound
    is then too big to vouch for them, and the exact Σθ² (inf) goes back to the caller."""
    theta = np.ones(1000, np.float32)
    opt = optim.make("sgd", 1e30)
    g = np.full(theta.size, 1e10, np.float32)
    out = np.empty_like(theta)
    with np.errstate(over="ignore"):  # as in the training loop
        opt.step(theta.copy(), g, out=np.empty_like(theta), grad_norm=float(np.linalg.norm(g)))  # first: exact
        assert not np.isfinite(opt.step(theta, g, out=out, grad_norm=float(np.linalg.norm(g))))
    assert not np.isfinite(out).all()


def test_a_gradient_norm_that_is_not_finite_means_the_exact_check():
    theta = np.ones(100, np.float32)
    opt = optim.make("momentum", 0.01)
    opt.step(theta, np.zeros_like(theta), out=np.empty_like(theta), grad_norm=0.0)
    g = np.zeros_like(theta)
    g[3] = np.nan
    assert np.isnan(opt.step(theta, g, out=np.empty_like(theta), grad_norm=float("nan")))
