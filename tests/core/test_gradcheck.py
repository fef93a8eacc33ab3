"""Every layer, activation and loss against central differences (float64, relative error < 1e-5)."""

import itertools

import numpy as np
import pytest

from nnviz.core import losses
from nnviz.core.activations import ACTIVATIONS
from nnviz.core.gradcheck import network_loss, numeric_grad, param_gradcheck, rel_error
from nnviz.core.layers import ActivationLayer, Dense, Softmax
from nnviz.core.network import Architecture, Network

TOL = 1e-5
EPS = 1e-5  # central-difference step: truncation ~EPS², rounding ~1e-16/EPS
HIDDEN = ["sigmoid", "tanh", "relu", "linear", "step"]
# (output, loss) pairs the core supports: cross-entropies need outputs in (0, 1).
HEADS = [("softmax", "cross_entropy"), ("sigmoid", "binary_cross_entropy"), ("sigmoid", "cross_entropy"),
         ("softmax", "binary_cross_entropy")] + [(o, "squared_error") for o in
                                                  ["softmax", "sigmoid", "tanh", "relu", "linear"]]


def _targets(rng, loss, output, n, k):
    if loss == "cross_entropy":
        return np.eye(k)[rng.integers(0, k, n)]
    if loss == "binary_cross_entropy":
        return rng.integers(0, 2, (n, k)).astype(np.float64)
    return rng.normal(size=(n, k)) if output not in ("softmax", "sigmoid") else rng.uniform(0, 1, (n, k))


def _tiny(hidden, output, loss, seed=0):
    net = Network(Architecture((5, 4, 3, 3), hidden, output, loss), seed=seed, dtype=np.float64)
    rng = np.random.default_rng(seed + 100)
    net.flat[...] = rng.normal(0, 0.5, net.flat.size)  # biases non-zero too; outputs unsaturated
    x = rng.normal(size=(4, 5))
    return net, x, _targets(rng, loss, output, 4, 3)


def _check(analytic, numeric):
    """Element-wise |a − b| / (|a| + |b|) < 1e-5; entries far below the noise floor of central
    differences (|a| + |b| < 1e-6, where rounding alone gives ~1e-11) are judged on that floor."""
    a, b = np.asarray(analytic, np.float64), np.asarray(numeric, np.float64)
    err = float(np.max(np.abs(a - b) / np.maximum(np.abs(a) + np.abs(b), 1e-6)))
    assert err < TOL, f"relative error {err:.2e}\nanalytic {analytic}\nnumeric {numeric}"


@pytest.mark.parametrize("hidden,head", list(itertools.product(HIDDEN, HEADS)),
                         ids=lambda v: v if isinstance(v, str) else "-".join(v))
def test_network_gradients_match_central_differences(hidden, head):
    output, loss = head
    net, x, y = _tiny(hidden, output, loss)
    net.forward(x)
    J, dJ_dx = net.backward(y, input_grad=True)
    analytic = net.flat_grad.copy()
    numeric = numeric_grad(network_loss(net, x, y), net.flat, eps=EPS)
    _check(analytic, numeric)
    assert J == pytest.approx(network_loss(net, x, y)(), rel=1e-12)
    numeric_x = numeric_grad(network_loss(net, x, y), x, eps=EPS)
    _check(dJ_dx, numeric_x)
    if hidden == "step":  # g' = 0: nothing flows back past the first hidden layer
        assert not np.any(net.dense[0].grads["W"]) and not np.any(dJ_dx)
    else:
        assert np.any(net.dense[0].grads["W"])  # the check is not vacuous


@pytest.mark.parametrize("seed", range(3))
def test_default_architecture_shape_gradcheck_on_a_few_entries(seed):
    """The real 784-300-100-10 ReLU/softmax network, a few weights and biases in each layer."""
    net = Network(seed=seed, dtype=np.float64)
    rng = np.random.default_rng(seed)
    x = rng.uniform(0, 1, (3, 784))
    y = net.one_hot(rng.integers(0, 10, 3))
    for layer, d in enumerate(net.dense):
        for name in ("W", "b"):
            shape = d.params[name].shape
            for _ in range(3):
                index = tuple(int(rng.integers(0, s)) for s in shape)
                analytic, numeric = param_gradcheck(net, x, y, layer, name, index)
                if analytic != 0 or abs(numeric) > 1e-9:
                    assert rel_error(analytic, numeric) < TOL, (layer, name, index, analytic, numeric)


def _layer_check(layer, z_in, params=()):
    """J = Σ r ⊙ layer(z_in) for a fixed random r: check dJ/dz_in and dJ/dθ for each θ in params."""
    rng = np.random.default_rng(3)
    r = rng.normal(size=layer.forward(z_in).shape)
    f = lambda: float(np.sum(r * layer.forward(z_in)))  # noqa: E731
    layer.forward(z_in)
    dJ_dz_in = layer.backward(r)
    _check(dJ_dz_in, numeric_grad(f, z_in))
    for name in params:
        layer.forward(z_in)
        layer.backward(r)
        analytic = layer.grads[name].copy()
        _check(analytic, numeric_grad(f, layer.params[name]))


def test_dense_layer_forward_and_gradients():
    rng = np.random.default_rng(4)
    W, b, a = rng.normal(size=(3, 5)), rng.normal(size=3), rng.normal(size=(4, 5))
    dense = Dense(W, b)
    np.testing.assert_allclose(dense.forward(a), np.einsum("oi,ni->no", W, a) + b)
    _layer_check(dense, a, params=("W", "b"))


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu", "linear"])
def test_activation_layer_gradients(name):
    z = np.random.default_rng(5).uniform(-3, 3, (4, 6))
    z[np.abs(z) < 1e-3] = 0.5
    layer = ActivationLayer(name)
    np.testing.assert_array_equal(layer.forward(z), ACTIVATIONS[name].g(z))
    _layer_check(layer, z)


def test_step_layer_passes_no_gradient():
    layer = ActivationLayer("step")
    layer.forward(np.array([[-1.0, 0.5, 2.0]]))
    np.testing.assert_array_equal(layer.backward(np.array([[1.0, 2.0, 3.0]])), 0)


def test_softmax_layer_gradients():
    _layer_check(Softmax(), np.random.default_rng(6).normal(size=(3, 5)) * 3)


def test_backward_before_forward_is_an_error():
    with pytest.raises(RuntimeError):
        Dense(np.zeros((2, 3)), np.zeros(2)).backward(np.zeros((1, 2)))
    with pytest.raises(RuntimeError):
        Network(sizes=(3, 2), dtype=np.float64).backward(np.zeros((1, 2)))


@pytest.mark.parametrize("name,output", [("squared_error", "linear"), ("cross_entropy", "softmax"),
                                         ("binary_cross_entropy", "sigmoid")])
def test_loss_value_and_gradient(name, output):
    rng = np.random.default_rng(7)
    loss = losses.get(name)
    y_hat = rng.uniform(0.05, 0.95, (4, 3)) if output != "linear" else rng.normal(size=(4, 3))
    y = _targets(rng, name, output, 4, 3)
    _check(loss.dJ_dy_hat(y_hat, y), numeric_grad(lambda: loss.value(y_hat, y), y_hat))
    if loss.fused_output:  # ŷ − y over n is dJ/dz through the paired output activation
        g = Softmax()._fwd if output == "softmax" else ACTIVATIONS["sigmoid"].g
        z = rng.normal(size=(4, 3))
        _check(loss.dJ_dz_fused(g(z), y), numeric_grad(lambda: loss.value(g(z), y), z))


def test_loss_values_by_hand():
    y_hat = np.array([[0.7, 0.2, 0.1], [0.1, 0.1, 0.8]])
    y = np.array([[1.0, 0, 0], [0, 1.0, 0]])
    assert losses.get("cross_entropy").value(y_hat, y) == pytest.approx(-(np.log(0.7) + np.log(0.1)) / 2)
    squared = 0.09 + 0.04 + 0.01 + 0.01 + 0.81 + 0.64
    assert losses.get("squared_error").value(y_hat, y) == pytest.approx(0.5 * squared / 2)
    bce = -(np.log(0.7) + np.log(0.8) + np.log(0.9) + np.log(0.9) + np.log(0.1) + np.log(0.2)) / 2
    assert losses.get("binary_cross_entropy").value(y_hat, y) == pytest.approx(bce)
    with pytest.raises(ValueError, match="cross_entropy"):
        losses.get("hinge")


def test_cross_entropy_is_finite_when_the_network_is_certain_and_wrong():
    loss = losses.get("cross_entropy")
    J = loss.value(np.array([[1.0, 0.0]]), np.array([[0.0, 1.0]]))
    assert np.isfinite(J) and J > 20
