"""Prediction panel: properties follow the trace, empty/unsure states, clicking a bar picks the target."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt

from nnviz.core.network import Network
from nnviz.gui.draw.predictions import PredictionPanel
from nnviz.gui.state import AppState


@pytest.fixture
def panel(qtbot):
    state = AppState(Network(seed=3))
    w = PredictionPanel(state)
    qtbot.addWidget(w)
    w.resize(280, 400)
    w.show()
    qtbot.waitExposed(w)
    return w


def confident_network(k: int) -> Network:
    """A network whose output is almost surely class k for any non-negative input."""
    net = Network(seed=0)
    for layer in net.dense:
        layer.W[...] = 0
        layer.b[...] = 0
    net.dense[-1].b[k] = 10.0
    return net


def test_empty_state_has_no_prediction(panel):
    assert panel.property("predictedDigit") == -1
    assert panel.property("probabilities") == [0.0] * 10
    assert not panel.is_unsure() and panel.runner_up() == -1


def test_properties_follow_the_trace(panel, qtbot):
    x = np.random.default_rng(1).random(784).astype(np.float32)
    with qtbot.waitSignal(panel.predictionChanged):
        panel.state.set_input(x)
    y_hat = panel.state.network.predict_proba(x)
    assert panel.property("predictedDigit") == int(np.argmax(y_hat))
    np.testing.assert_allclose(panel.property("probabilities"), y_hat, atol=1e-6)
    assert panel.runner_up() == int(np.argsort(y_hat)[-2])
    panel.state.set_input(None)
    assert panel.property("predictedDigit") == -1


def test_low_confidence_is_marked(panel):
    uniform = Network(seed=0)
    for layer in uniform.dense:
        layer.W[...] = 0
        layer.b[...] = 0
    panel.state.set_network(uniform)
    panel.state.set_input(np.ones(784, np.float32))
    assert panel.property("predictedDigit") >= 0 and panel.is_unsure()  # every class at 10%
    panel.state.set_network(confident_network(6))
    assert panel.property("predictedDigit") == 6 and not panel.is_unsure()


def test_clicking_a_bar_explains_that_class(panel, qtbot):
    panel.state.set_network(confident_network(2))
    panel.state.set_input(np.ones(784, np.float32))
    # no label and a sure prediction: the backward pass asks "what if this were the runner-up?"
    default = panel.state.trace.target
    assert default != 2 and "what if this were" in panel.state.target_reason
    r = panel._bar_rect(7)
    qtbot.mouseClick(panel, Qt.MouseButton.LeftButton, pos=r.center().toPoint())
    assert panel.state.chosen_target == 7 and panel.state.trace.target == 7
    qtbot.mouseClick(panel, Qt.MouseButton.LeftButton, pos=r.center().toPoint())
    assert panel.state.chosen_target is None and panel.state.trace.target == default
