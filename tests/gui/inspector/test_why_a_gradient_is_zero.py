"""Why a gradient is zero (issue 11): the hint names the cause, and says nothing when gradients flow."""

import numpy as np

from nnviz.core.network import Architecture, Network
from nnviz.core.why_zero import chain_hint, trace_hint, why_zero
from nnviz.gui.inspector.chain_model import ChainSettings, chain_network, chain_trace


def test_step_and_dead_relu_are_named_and_live_gradients_get_no_hint():
    assert "g = step" in why_zero("step", np.array([0.5, -1.0]), np.zeros(3))
    hint = why_zero("relu", np.array([-1.0, -2.0, 3.0]), np.array([0.0, 0.0, 0.4]))
    assert "dead ReLU" in hint and "2 of 3" in hint and "67% of them" in hint
    assert why_zero("relu", np.array([1.0, 2.0]), np.array([0.1, -0.2])) == ""


def test_the_scalar_chain_with_relu_and_w2_negative_says_which_g_prime_stops_it():
    s = ChainSettings(g="relu")  # the lecture's default w2 = -1.2 kills the chain
    hint = chain_hint(chain_trace(chain_network(s), s))
    assert hint.startswith("all gradients are 0") and "dead ReLU" in hint
    s = ChainSettings(g="sigmoid")
    assert chain_hint(chain_trace(chain_network(s), s)) == ""


def test_a_hidden_layer_with_mostly_negative_z_gets_a_dead_relu_hint():
    net = Network(Architecture((4, 6, 3), "relu"), seed=0)
    net.dense[0].b[:] = -100.0  # every hidden neuron dead
    tr = net.trace(np.ones(4, np.float32), 1)
    assert "dead ReLU" in trace_hint(tr, "dJ_dz", 1) and "6 of 6" in trace_hint(tr, "dJ_dz", 1)
    assert "input a = 0" in trace_hint(tr, "dJ_dW", 2) or "dead" in trace_hint(tr, "dJ_dW", 2)


def test_the_inspector_formula_panel_explains_mostly_zero_gradients(qtbot):
    from nnviz.gui.inspector.formula_panel import FormulaPanel
    from nnviz.gui.inspector.timeline import build_steps

    net = Network(Architecture((4, 6, 3), "relu"), seed=0)
    net.dense[0].b[:] = -100.0
    tr = net.trace(np.ones(4, np.float32), 1)
    panel = FormulaPanel()
    qtbot.addWidget(panel)
    step = next(s for s in build_steps(tr) if s.quantity == "dJ_dz" and s.layer == 1)
    panel.show_step(step, tr)
    assert "Why zeros? all gradients are 0: dead ReLU" in panel.explain.text()
