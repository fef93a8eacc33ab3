"""Activations g(z), their derivatives g'(z), and softmax."""

import numpy as np
import pytest

from nnviz.core import activations
from nnviz.core.activations import ACTIVATIONS, softmax, softmax_backward

Z = np.array([-5.0, -1.5, -0.3, 0.0, 0.2, 1.0, 4.0])
EXPECTED = {
    "step": [0, 0, 0, 1, 1, 1, 1],
    "sigmoid": 1 / (1 + np.exp(-Z)),
    "tanh": np.tanh(Z),
    "relu": [0, 0, 0, 0, 0.2, 1.0, 4.0],
    "linear": Z,
}


def test_the_five_lecture_activations_exist():
    assert set(ACTIVATIONS) == {"step", "sigmoid", "tanh", "relu", "linear"}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_values(name):
    np.testing.assert_allclose(ACTIVATIONS[name].g(Z), EXPECTED[name], rtol=1e-12, atol=0)


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_dtype_and_shape_kept(name, dtype):
    z = np.linspace(-3, 3, 12, dtype=dtype).reshape(3, 4)
    act = ACTIVATIONS[name]
    for out in (act.g(z), act.g_prime(z)):
        assert out.dtype == dtype and out.shape == z.shape


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu", "linear"])
def test_derivative_matches_central_differences(name):
    rng = np.random.default_rng(1)
    z = rng.uniform(-4, 4, 200)
    z = z[np.abs(z) > 1e-3]  # away from ReLU's kink
    act, eps = ACTIVATIONS[name], 1e-6
    numeric = (act.g(z + eps) - act.g(z - eps)) / (2 * eps)
    np.testing.assert_allclose(act.g_prime(z), numeric, rtol=1e-6, atol=1e-9)
    assert act.differentiable


def test_known_derivative_values():
    np.testing.assert_allclose(ACTIVATIONS["sigmoid"].g_prime(np.array([0.0])), [0.25])
    np.testing.assert_allclose(ACTIVATIONS["tanh"].g_prime(np.array([0.0])), [1.0])
    np.testing.assert_array_equal(ACTIVATIONS["relu"].g_prime(np.array([-1.0, 0.0, 2.0])), [0, 0, 1])
    np.testing.assert_array_equal(ACTIVATIONS["linear"].g_prime(Z), np.ones_like(Z))


def test_step_derivative_is_zero_and_marked_not_differentiable():
    step = ACTIVATIONS["step"]
    np.testing.assert_array_equal(step.g_prime(Z), np.zeros_like(Z))
    assert not step.differentiable


def test_sigmoid_does_not_overflow_for_huge_inputs():
    z = np.array([-1000.0, -80.0, 80.0, 1000.0], np.float32)
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        s = ACTIVATIONS["sigmoid"].g(z)
    assert np.all(np.isfinite(s))
    np.testing.assert_allclose(s, [0, 0, 1, 1], atol=1e-30)


def test_get_names_the_choices_for_an_unknown_activation():
    with pytest.raises(ValueError, match="relu"):
        activations.get("swish")
    assert activations.get("tanh") is ACTIVATIONS["tanh"]


def test_softmax_rows_sum_to_one_and_match_the_definition():
    rng = np.random.default_rng(0)
    z = rng.normal(size=(5, 10))
    y = softmax(z)
    np.testing.assert_allclose(y.sum(axis=1), 1.0, rtol=1e-12)
    np.testing.assert_allclose(y, np.exp(z) / np.exp(z).sum(1, keepdims=True), rtol=1e-12)
    assert np.all(y > 0)


def test_softmax_is_stable_for_large_z():
    z = np.array([[1000.0, 1001.0, 1002.0], [-1000.0, -1001.0, -1002.0], [1e4, 0.0, -1e4]])
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        y = softmax(z)
    assert np.all(np.isfinite(y))
    np.testing.assert_allclose(y.sum(axis=1), 1.0)
    small = softmax(np.array([[0.0, 1.0, 2.0]]))
    np.testing.assert_allclose(y[0], small[0], rtol=1e-12)  # shift-invariant
    np.testing.assert_allclose(y[2], [1, 0, 0])


def test_softmax_float32_stays_float32_and_stable():
    z = np.array([[300.0, 0.0, -300.0]], np.float32)
    y = softmax(z)
    assert y.dtype == np.float32 and np.all(np.isfinite(y))


def test_softmax_backward_matches_central_differences():
    rng = np.random.default_rng(2)
    z, r = rng.normal(size=(3, 4)), rng.normal(size=(3, 4))
    analytic = softmax_backward(softmax(z), r)
    eps, numeric = 1e-6, np.zeros_like(z)
    for i in np.ndindex(z.shape):
        up, down = z.copy(), z.copy()
        up[i] += eps
        down[i] -= eps
        numeric[i] = (np.sum(r * softmax(up)) - np.sum(r * softmax(down))) / (2 * eps)
    np.testing.assert_allclose(analytic, numeric, rtol=1e-6, atol=1e-10)


def test_softmax_parts_give_the_loss_from_logits_bit_for_bit():
    """The network hands softmax's max and Σ exp to the cross-entropy instead of computing them twice."""
    from nnviz.core.activations import softmax_parts
    from nnviz.core.losses import CrossEntropy

    rng = np.random.default_rng(3)
    z = (rng.normal(size=(64, 10)) * 30).astype(np.float32)
    y = np.eye(10, dtype=np.float32)[rng.integers(0, 10, 64)]
    y_hat, top, total = softmax_parts(z)
    np.testing.assert_array_equal(y_hat, softmax(z))
    assert CrossEntropy().value_from_logits(z, y, (top, total)) == CrossEntropy().value_from_logits(z, y)
