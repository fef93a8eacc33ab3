"""Issue 6 acceptance, the scalar chain: ∂J/∂w1 is the product of the local derivatives shown, and
equals core's central difference; each new derivative reuses the previous ones."""

from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nnviz.core.gradcheck import param_gradcheck, rel_error
from nnviz.core.network import Network
from nnviz.gui.inspector.chain_model import ChainSettings, chain_network, chain_steps, chain_trace, local_derivatives
from nnviz.gui.inspector.notation import parse_num
from nnviz.gui.inspector.scalar_chain import ScalarChainPanel

NUMBER = re.compile(r"[−-]?\d+(?:\.\d+)?(?:e[−-]?\d+)?")
SLIDE_ORDER = ["∂J/∂ŷ", "∂ŷ/∂z5", "∂J/∂w5", "∂J/∂a4", "∂a4/∂z4", "∂J/∂w4", "∂J/∂a3", "∂a3/∂z3", "∂J/∂w3",
               "∂J/∂a2", "∂a2/∂z2", "∂J/∂w2", "∂J/∂a1", "∂a1/∂z1", "∂J/∂w1"]


@pytest.fixture
def panel(qtbot):
    w = ScalarChainPanel()
    qtbot.addWidget(w)
    w.show()
    return w


def _product_numbers(panel) -> tuple[list[float], float]:
    """(factors shown, ∂J/∂w1 shown) from the panel's product lines."""
    lines = panel.product.text().split("\n")
    factors = [parse_num(m) for m in NUMBER.findall(lines[1].split("=", 1)[1])]
    return factors, parse_num(NUMBER.findall(lines[2])[0])


def test_it_is_a_core_network_without_biases(panel):
    assert isinstance(panel.net, Network) and panel.net.sizes == (1,) * 6
    assert panel.net.arch.loss == "squared_error"
    assert all(d.b[0] == 0 for d in panel.net.dense)
    assert [d.W[0, 0] for d in panel.net.dense] == [s.value() for s in panel.w_spins]


def test_backward_steps_in_the_slides_order(panel):
    titles = [s.title for s in panel.steps if s.phase == "backward"]
    assert titles == SLIDE_ORDER
    assert [s.title for s in panel.steps[:3]] == ["z1", "a1", "z2"]


def test_dJ_dw1_is_the_product_of_the_shown_local_derivatives_and_finite_differences(panel):
    factors, shown = _product_numbers(panel)
    tr = panel.trace
    true = float(tr.layers[0].dJ_dW[0, 0])
    assert len(factors) == 11
    assert shown == pytest.approx(true, rel=6e-4)
    assert float(np.prod(factors)) == pytest.approx(true, rel=11 * 6e-4)  # printed with 4 digits each
    assert float(np.prod([v for _, v in local_derivatives(tr)])) == pytest.approx(true, rel=1e-12)
    s = panel.settings()
    _analytic, numeric = param_gradcheck(chain_network(s), np.array([[s.x]]), np.array([[s.y]]), 0, "W", (0, 0))
    assert rel_error(true, numeric) < 1e-6
    assert "relative error" in panel.fd.text()


def test_each_derivative_reuses_the_previous_one(panel):
    steps = panel.steps
    tr = panel.trace
    by_title = {s.title: s for s in steps}
    for k in range(5, 1, -1):
        up = by_title["∂J/∂ŷ"] if k == 5 else by_title[f"∂J/∂a{k}"]
        local = by_title["∂ŷ/∂z5"] if k == 5 else by_title[f"∂a{k}/∂z{k}"]
        new = by_title[f"∂J/∂a{k - 1}"]
        assert [steps[i] for i in new.reuses] == [up, local]
        assert new.value == pytest.approx(up.value * local.value * tr.layers[k - 1].W[0, 0], rel=1e-12)
    panel.go(steps.index(by_title["∂J/∂a3"]))
    assert "reuses ∂J/∂a4" in panel.reuse.text()
    assert panel.diagram.current == panel.index


def test_editing_a_weight_reruns_core(panel, qtbot):
    before = panel.trace.layers[0].dJ_dW[0, 0]
    panel.w_spins[2].setValue(-0.5)
    assert panel.net.dense[2].W[0, 0] == -0.5
    assert panel.trace.layers[0].dJ_dW[0, 0] != before
    panel.g_combo.setCurrentText("tanh")
    assert panel.trace.layers[0].g_name == "tanh"
    _factors, shown = _product_numbers(panel)
    assert shown == pytest.approx(float(panel.trace.layers[0].dJ_dW[0, 0]), rel=6e-4)


@settings(max_examples=25, deadline=None)
@given(x=st.floats(-2, 2), y=st.floats(-1, 1), w=st.tuples(*[st.floats(-2, 2)] * 5),
       g=st.sampled_from(["sigmoid", "tanh", "linear", "relu"]), out=st.booleans())
def test_chain_rule_matches_central_differences_for_any_chain(x, y, w, g, out):
    s = ChainSettings(x, y, w, g, out)
    net = chain_network(s)
    tr = chain_trace(net, s)
    product = float(np.prod([v for _, v in local_derivatives(tr)]))
    true = float(tr.layers[0].dJ_dW[0, 0])
    assert product == pytest.approx(true, rel=1e-9, abs=1e-15)
    analytic, numeric = param_gradcheck(net, np.array([[x]]), np.array([[y]]), 0, "W", (0, 0))
    kink = g == "relu" and min(abs(float(lt.z[0])) for lt in tr.layers) < 1e-5  # ε straddles relu's kink
    assert kink or abs(analytic - numeric) <= 1e-6 * max(1.0, abs(analytic))
    assert len(chain_steps(tr)) == 26
