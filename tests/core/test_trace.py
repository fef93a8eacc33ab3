"""Network.trace: one example's forward/backward, equal to a pass written out by hand."""

import numpy as np
import pytest

from nnviz.core.activations import ACTIVATIONS, softmax
from nnviz.core.network import Architecture, Network


def _manual(net, x, target):
    """The lecture's equations, written out with plain NumPy (float64)."""
    Ws = [d.W.astype(np.float64) for d in net.dense]
    bs = [d.b.astype(np.float64) for d in net.dense]
    g = ACTIVATIONS[net.arch.activation]
    a, zs, acts = x.astype(np.float64), [], []
    for l, (W, b) in enumerate(zip(Ws, bs)):
        z = W @ a + b
        a = softmax(z) if l == len(Ws) - 1 else g.g(z)
        zs.append(z)
        acts.append(a)
    y = np.eye(len(a))[target]
    loss = -np.log(a[target])
    dJ_dz = [None] * len(Ws)
    dJ_da = [None] * len(Ws)
    dJ_da[-1] = -y / a
    dJ_dz[-1] = a - y
    for l in range(len(Ws) - 2, -1, -1):
        dJ_da[l] = Ws[l + 1].T @ dJ_dz[l + 1]
        dJ_dz[l] = dJ_da[l] * g.g_prime(zs[l])
    prev = [x] + acts[:-1]
    dJ_dW = [np.outer(dJ_dz[l], prev[l]) for l in range(len(Ws))]
    dJ_dx = Ws[0].T @ dJ_dz[0]
    return dict(zs=zs, acts=acts, y=y, loss=loss, dJ_dz=dJ_dz, dJ_da=dJ_da, dJ_dW=dJ_dW, dJ_dx=dJ_dx)


@pytest.mark.parametrize("activation", ["relu", "sigmoid", "tanh"])
@pytest.mark.parametrize("dtype,rtol", [(np.float64, 1e-10), (np.float32, 2e-4)])
def test_trace_equals_a_manual_forward_and_backward(activation, dtype, rtol):
    net = Network(Architecture((6, 5, 4, 3), activation), seed=3, dtype=dtype)
    net.flat[...] += np.random.default_rng(0).normal(0, 0.1, net.flat.size).astype(dtype)  # non-zero b
    x = np.random.default_rng(1).uniform(0, 1, 6)
    t = net.trace(x, target=2)
    m = _manual(net, x.astype(dtype), 2)
    close = lambda a, b: np.testing.assert_allclose(a, b, rtol=rtol, atol=rtol * 1e-2)  # noqa: E731
    assert len(t.layers) == 3 and t.has_backward and t.target == 2
    close(t.x, x)
    for l, lt in enumerate(t.layers):
        np.testing.assert_array_equal(lt.W, net.dense[l].W)
        np.testing.assert_array_equal(lt.b, net.dense[l].b)
        close(lt.z, m["zs"][l])
        close(lt.a, m["acts"][l])
        close(lt.dJ_dz, m["dJ_dz"][l])
        close(lt.dJ_da, m["dJ_da"][l])
        close(lt.dJ_dW, m["dJ_dW"][l])
        close(lt.dJ_db, m["dJ_dz"][l])
        assert lt.z.shape == lt.a.shape == lt.dJ_dz.shape == (lt.n_out,)
        assert lt.dJ_dW.shape == lt.W.shape == (lt.n_out, lt.n_in)
        assert lt.g_name == (activation if l < 2 else "softmax")
    close(t.y_hat, m["acts"][-1])
    close(t.y, m["y"])
    assert t.loss == pytest.approx(m["loss"], rel=rtol)
    close(t.dJ_dx, m["dJ_dx"])
    assert t.predicted == int(np.argmax(m["acts"][-1]))
    assert [a.shape for a in t.activations()] == [(6,), (5,), (4,), (3,)]
    assert t.loss_name == "cross_entropy"


def test_forward_only_trace_has_no_gradients():
    net = Network(sizes=(4, 3, 2))
    t = net.trace(np.ones(4))
    assert not t.has_backward and t.y is None and t.loss is None and t.dJ_dx is None and t.target is None
    assert all(lt.dJ_dz is None and lt.dJ_dW is None for lt in t.layers)
    np.testing.assert_allclose(t.y_hat, net.predict_proba(np.ones(4)), rtol=1e-6)


def test_trace_accepts_a_target_vector():
    net = Network(sizes=(4, 3, 2), dtype=np.float64)
    x = np.linspace(0, 1, 4)
    a, b = net.trace(x, target=1), net.trace(x, target=np.array([0.0, 1.0]))
    np.testing.assert_array_equal(a.dJ_dx, b.dJ_dx)


def test_trace_arrays_are_read_only_copies():
    net = Network(sizes=(4, 3, 2))
    x = np.ones(4, np.float32)
    t = net.trace(x, target=0)
    arrays = [t.x, t.y_hat, t.y, t.dJ_dx] + [getattr(lt, f) for lt in t.layers
                                               for f in ("W", "b", "z", "a", "dJ_dz", "dJ_da", "dJ_dW", "dJ_db")]
    for arr in arrays:
        assert not arr.flags.writeable
        with pytest.raises(ValueError):
            arr[...] = 0
    W_before = t.layers[0].W.copy()
    net.flat += 1.0  # training moves on; the trace keeps what it saw
    x[:] = 5
    np.testing.assert_array_equal(t.layers[0].W, W_before)
    np.testing.assert_array_equal(t.x, 1)


def test_trace_leaves_the_networks_gradients_and_caches_untouched():
    net = Network(sizes=(5, 4, 3), seed=1)
    rng = np.random.default_rng(0)
    xb, yb = rng.uniform(size=(8, 5)), net.one_hot(rng.integers(0, 3, 8))
    net.loss_and_grads(xb, yb)
    grad, flat = net.flat_grad.copy(), net.flat.copy()
    caches = [d.a_in.copy() for d in net.dense] + [a.z.copy() for a in net.activation_layers]
    net.trace(rng.uniform(size=5), target=1)
    np.testing.assert_array_equal(net.flat_grad, grad)
    np.testing.assert_array_equal(net.flat, flat)
    after = [d.a_in for d in net.dense] + [a.z for a in net.activation_layers]
    for before, now in zip(caches, after):
        np.testing.assert_array_equal(before, now)
    net.backward(yb)  # the batch pass is still intact: same gradients again
    np.testing.assert_array_equal(net.flat_grad, grad)


def test_weight_views_share_the_flat_buffer():
    net = Network(sizes=(3, 2, 2))
    net.dense[0].W[0, 0] = 42
    assert net.flat[0] == 42
    state = net.state()
    state["W1"][0, 0] = 7  # a copy
    assert net.dense[0].W[0, 0] == 42
    twin = net.copy()
    twin.flat[:] = 0
    assert net.flat[0] == 42


def test_a_trace_sharing_weights_copies_no_W_and_keeps_its_values_when_the_owner_adopts_new_ones():
    """AppState's way (issue 16: a new input on a 784-2000-2000-2000-10 network cost 72 ms, most of it
    copying every W and working out every dJ/dW): W is a read-only view, dJ/dW is made when read."""
    net = Network(sizes=(6, 5, 3), seed=2)
    x = np.random.default_rng(0).uniform(size=6).astype(np.float32)
    t = net.trace(x, target=1, share_weights=True)
    assert all(np.shares_memory(lt.W, net.dense[l].W) and not lt.W.flags.writeable for l, lt in enumerate(t.layers))
    assert "dJ_dW" not in vars(t.layers[0])  # not made yet
    net.forward(x[None])
    net.backward(net.one_hot(np.array([1])))
    for l, lt in enumerate(t.layers):  # the same numbers a batch of one gives
        np.testing.assert_allclose(lt.dJ_dW, net.dense[l].grads["W"], rtol=1e-6)
        assert lt.dJ_dW is lt.dJ_dW and not lt.dJ_dW.flags.writeable  # made once
    W_seen = t.layers[0].W.copy()
    new = net.flat + 1
    net.adopt(new)
    assert net.dense[0].W[0, 0] == new[0] and np.shares_memory(net.dense[0].W, new)
    np.testing.assert_array_equal(t.layers[0].W, W_seen)  # the old trace still shows what it saw
    with pytest.raises(ValueError, match="parameters"):
        net.adopt(np.zeros(3, np.float32))


def test_frozen_is_a_read_only_copy():
    """What the worker sends to the GUI thread: later writes to the original do not reach it."""
    from nnviz.core.trace import frozen

    a = np.arange(5.0)
    b = frozen(a)
    a[0] = 9
    assert b[0] == 0 and not b.flags.writeable
