"""What a backward pass can show (issue 22): the default target shows learning, gradients below float
rounding are drawn as 0 and say why, and the loss and the gradient check are right for unlikely targets."""

from __future__ import annotations

import numpy as np
import pytest

from nnviz.core import gradscale, preprocess
from nnviz.core.gradcheck import agree, param_gradcheck
from nnviz.core.modelio import SHIPPED_MODEL, load_model
from nnviz.core.network import Network
from nnviz.core.pixels import as_input
from nnviz.core.why_zero import trace_hint


@pytest.mark.parametrize("p, label, target, words", [
    ([0.05, 0.9, 0.05], 1, 1, "unsure"),  # the label, unsure
    ([0.7, 0.2, 0.1], 1, 1, "reads 0"),  # the label, wrong
    ([0.001, 0.998, 0.001], 1, 0, "what if this were a 0?"),  # sure and right: the runner-up
    ([0.6, 0.3, 0.1], None, 0, "made surer"),  # no label, unsure: the prediction
    ([0.0, 0.9999, 0.0001], None, 2, "what if this were a 2?"),  # no label, sure: the runner-up
])
def test_the_default_target_shows_learning(p, label, target, words):
    got, why = gradscale.default_target(np.array(p), label)
    assert got == target and words in why


def test_power_of_ten_and_scale_text():
    assert gradscale.power_of_ten(3.21e-4) == "3.2 × 10⁻⁴" and gradscale.power_of_ten(0.0) == "0"
    assert gradscale.power_of_ten(12.0) == "1.2 × 10¹"


@pytest.fixture(scope="module")
def shipped():
    return load_model(SHIPPED_MODEL)


@pytest.fixture(scope="module")
def seven(shipped, mnist):
    net, card = shipped
    x = mnist.x_test[np.flatnonzero(mnist.y_test == 7)[:1]]
    x = preprocess.deskew(x) if preprocess.wants_deskew(card) else x
    return as_input(x[0])


def test_a_sure_trace_draws_its_gradients_as_zero_and_says_why_first(shipped, seven):
    net, _ = shipped
    sure = net.trace(seven * 4, 7)  # 4 times the ink: the network is sure to the last bit of float32
    assert sure.y_hat[7] == 1.0 and not gradscale.resolved(sure)
    raw = sure.layers[1].dJ_dz
    assert 0 < gradscale.largest(raw) < 1e-12  # rounding noise, not signal
    assert not np.any(gradscale.shown(sure, raw))
    assert "below what float32 resolves" in gradscale.scale_text("dJ/dz₂", raw, sure)
    for quantity, layer in (("dJ_dz", 3), ("dJ_dW", 2), ("dJ_dz", 2), ("dJ_da", 1)):
        assert trace_hint(sure, quantity, layer) == gradscale.SURE_HINT  # not "dead ReLU"
    learning = net.trace(seven, 3)
    assert gradscale.resolved(learning) and gradscale.shown(learning, learning.layers[1].dJ_dz) is \
        learning.layers[1].dJ_dz
    assert gradscale.scale_text("dJ/dz₃", learning.layers[2].dJ_dz, learning).startswith("scale: largest |dJ/dz₃| = ")


def test_the_loss_comes_from_z_so_unlikely_targets_cost_what_they_should(shipped, seven):
    net, _ = shipped
    net64 = Network(net.arch, dtype=np.float64)
    net64.flat[...] = net.flat
    x = (seven.astype(np.float64) * 6)[None]  # ŷ₃ ≈ 10⁻²⁸
    J, y_hat = net64.loss_value(x, net64.one_hot(3))
    assert J == pytest.approx(-np.log(y_hat[0, 3]) if y_hat[0, 3] > 0 else J) and J > 40  # the old clip: 27.6


@pytest.mark.parametrize("target", [3, 7])
def test_the_gradient_check_agrees_with_backprop_for_tiny_and_unlikely_targets(shipped, seven, target):
    """The issue's cases: a very sure 7 checked at db₃,₃ with target 3 (backprop −1) and with target 7 (≈ 0)."""
    net, _ = shipped
    net64 = Network(net.arch, dtype=np.float64)
    net64.flat[...] = net.flat
    x = (seven.astype(np.float64) * 6)[None]  # ŷ₃ ≈ 10⁻²⁸
    y = net64.one_hot(target)
    backprop, numeric = param_gradcheck(net64, x, y, 2, "b", (3,))
    J = net64.loss_value(x, y)[0]
    assert agree(backprop, numeric, J)
    if target == 3:
        assert backprop == pytest.approx(-1.0, abs=1e-6) and numeric == pytest.approx(-1.0, abs=1e-4)
    assert not agree(1.0, 0.5, J) and not agree(1e-3, 0.0, 1.0)  # real differences still fail
