"""core.single_step: one SGD step on one example, and undo bit for bit."""

import numpy as np
import pytest

from nnviz.core.gradcheck import network_loss, numeric_grad
from nnviz.core.network import Architecture, Network
from nnviz.core.single_step import SingleSteps, gradient_step


@pytest.fixture
def net():
    return Network(Architecture((6, 5, 3)), seed=1, dtype=np.float64)


X = np.linspace(0.1, 0.9, 6)


def test_the_step_is_minus_lr_times_the_examples_gradient_and_leaves_the_network(net):
    before = net.flat.copy()
    new = gradient_step(net, X, 2, lr=0.1)
    np.testing.assert_array_equal(net.flat, before)  # the caller decides where the new weights go
    grad = numeric_grad(network_loss(net, X[None], net.one_hot(2)), net.flat)
    np.testing.assert_allclose(new, before - 0.1 * grad, rtol=1e-6, atol=1e-9)


def test_a_step_lowers_the_loss_and_a_target_vector_equals_its_class(net):
    J = network_loss(net, X[None], net.one_hot(2))
    before = J()
    new = gradient_step(net, X, 2, lr=0.05)
    np.testing.assert_array_equal(gradient_step(net, X, np.eye(3)[2], lr=0.05), new)
    net.flat[...] = new
    assert J() < before


def test_undo_restores_every_step_bit_for_bit(net):
    steps, seen = SingleSteps(), [net.flat.copy()]
    for target in (0, 1, 2):
        net.flat[...] = steps.step(net, X, target, lr=0.3)
        seen.append(net.flat.copy())
    assert len(steps) == 3
    for expected in reversed(seen[:-1]):
        restored = steps.undo()
        assert restored.tobytes() == expected.tobytes()
        net.flat[...] = restored
    assert steps.undo() is None and len(steps) == 0
    steps.step(net, X, 0, lr=0.1)
    steps.clear()
    assert steps.undo() is None
