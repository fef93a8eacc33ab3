"""The network scene's behaviour without Qt: SceneModel (what is shown, which edges, hover, selection,
focus, the inspector's override) on small seeded networks. Nothing here imports Qt."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from nnviz.core.network import Network
from nnviz.gui.network.scene.model import SceneModel
from tests.helpers import REPO_ROOT

SIZES = (16, 6, 3)


@pytest.fixture
def net() -> Network:
    return Network(sizes=SIZES, activation="tanh", output="sigmoid", loss="squared_error", seed=1)


@pytest.fixture
def model(net) -> SceneModel:
    m = SceneModel(net)
    m.set_trace(net.trace(np.linspace(0, 1, 16), 2), 2)
    return m


def record(model: SceneModel) -> list[str]:
    """Names of the callbacks the model calls, in order."""
    calls: list[str] = []
    for name in ("layout_changed", "neurons_changed", "edges_changed", "fan_changed", "marks_changed",
                 "options_changed", "highlight_changed"):
        getattr(model, name).connect(lambda *a, n=name: calls.append(n))
    return calls


def test_the_model_imports_no_qt():
    code = ("import sys, nnviz.gui.network.scene.model, nnviz.gui.network.scene.pictures; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6', 'pyqtgraph')))")
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_neurons_show_a_or_z_of_the_trace_and_grey_without_input(model, net):
    tr = model.trace
    n = model.neurons
    assert all(np.allclose(v, a) for v, a in zip(n.values, tr.activations()))
    assert n.main == "activation" and "activation a" in n.title and np.allclose(n.outputs, tr.y_hat)
    calls = record(model)
    model.set_neuron_quantity("z")
    assert all(np.allclose(v, z) for v, z in zip(model.neurons.values[1:], tr.pre_activations()[1:]))
    assert model.neurons.main == "diverging" and calls == ["neurons_changed", "options_changed"]
    model.set_trace(None)
    assert model.neurons.values == [None] * 3 and "(no input yet)" in model.neurons.title
    assert model.neurons.outputs is None
    with pytest.raises(ValueError):
        model.set_neuron_quantity("q")


def test_a_trace_of_other_sizes_is_not_shown(model):
    model.set_trace(Network(sizes=(16, 5, 3), seed=0).trace(np.ones(16), 0))
    assert model.trace is None and model.neurons.values == [None] * 3


def test_per_layer_limits_span_each_layer_and_one_scale_shares_them(model):
    lims = model.neurons.limits
    assert lims[1][1] == pytest.approx(float(model.trace.layers[0].a.max()))
    model.set_scale(False)
    assert len(set(model.neurons.limits)) == 1
    assert len(set(model.edges.limits)) == 1 and model.edges.bar == model.edges.limits[0]


def test_strongest_k_overall_are_the_k_largest_scaled_weights(model, net):
    model.set_scale(False)  # one limit: the strongest by |w| itself
    model.set_edge_mode("topk", k=5)
    e = model.edges.topk
    assert len(e) == 5 and model.drawn_edge_count() == 5
    all_w = np.concatenate([np.abs(W).ravel() for W, _ in net.weights()])
    shown = [abs(net.dense[l - 1].W[j, i]) for l, j, i in zip(e.l, e.j, e.i)]
    assert np.allclose(sorted(shown), np.sort(all_w)[-5:])
    assert model.edges.line.startswith("edges: the strongest 5 by |w|")


def test_k_per_neuron_is_what_each_neuron_gets_and_the_legend_says_so(model, net):
    model.set_edge_mode("topk", k=2, per_target=True)
    e = model.edges.topk
    assert len(e) == 2 * (6 + 3)
    for l in (1, 2):
        W = np.abs(net.dense[l - 1].W)
        for j in range(W.shape[0]):
            picked = e.i[(e.l == l) & (e.j == j)]
            assert sorted(picked) == sorted(np.argsort(W[j])[-2:])  # its own 2 strongest inputs
    assert "the 2 strongest into each neuron by |w| (18 in all)" in model.edges.line
    assert model.k_for(False) == 18  # unticking "per neuron" keeps about as many edges
    model.set_edge_mode("topk", k=18)
    assert model.k_for(True) == 2
    model.set_edge_mode("topk", k=100, per_target=True)  # more than any fan-in: every edge, no more
    assert len(model.edges.topk) == 16 * 6 + 6 * 3 and model.k == 16  # k says so: the largest fan-in
    model.set_edge_mode("topk", k=10**6)
    assert model.k == 16 * 6 + 6 * 3 and model.k_for(True) == round(114 / 9)
    model.set_network(Network(sizes=(4, 2, 2), seed=0))  # fewer edges: k follows
    assert model.k == 4 * 2 + 2 * 2


def test_edge_modes_and_their_legend(model):
    for mode, words in (("hover", "only the hovered"), ("all", "all of them"), ("none", "hidden")):
        model.set_edge_mode(mode)
        assert len(model.edges.topk) == 0 and words in model.edges.line
    assert model.drawn_edge_count() == 0
    model.set_edge_mode("all")
    assert model.drawn_edge_count() == 16 * 6 + 6 * 3
    with pytest.raises(ValueError):
        model.set_edge_mode("some")


def test_contributions_w_times_a_and_when_edges_are_due(model, net):
    assert not model.edges_due()
    model.set_edge_quantity("wa")
    a0 = model.trace.activations()[0]
    assert np.allclose(model.edges.values[0], net.dense[0].W * a0[None, :])
    assert model.edges_due()  # every new input changes w·a
    model.set_edge_quantity("w")
    model.weights_changed()
    assert model.edges_stale and model.edges_due()
    model.update_edges()
    assert not model.edges_stale


def test_hover_lights_the_fan_and_the_legend_says_its_numbers(model):
    calls = record(model)
    assert model.hover(1, 4) and not model.hover(1, 4)  # the second time changes nothing
    assert calls == ["fan_changed", "marks_changed"]
    assert len(model.fan) == 16 + 3 and model.drawn_edge_count() == len(model.edges.topk) + 19
    assert set(model.fan.j[model.fan.l == 1]) == {4} and set(model.fan.i[model.fan.l == 2]) == {4}
    line, info = model.legend_lines()
    assert "hidden layer 1 · neuron 4" in info and "z = W·a_prev + b" in info
    assert [r[3] for r in model.marks()[0]] == ["hover"]
    model.hover(-1, -1)
    assert len(model.fan) == 0 and "hover a neuron" in model.legend_lines()[1]
    model.set_edge_mode("none")
    model.hover(2, 0)
    assert len(model.fan) == 0


def test_selection_keeps_the_fan_and_clearing_reports_once(model):
    assert not model.select_neuron(2, 1)
    assert model.selected == (2, 1) and len(model.fan) == 6
    model.select_edge(2, 1, 3)
    assert model.marks()[1] == model.edge_line(2, 1, 3)
    assert model.clear_selection() and not model.clear_selection()
    assert model.selected is None and model.selected_edge is None and len(model.fan) == 0
    model.select_neuron(1, 0)
    assert model.select_neuron(-1, -1) and model.selected is None


def test_focus_marks_without_touching_the_selection(model):
    model.select_neuron(1, 2)
    model.set_focus_edge(2, 1, 5)
    rings, line, focus_line = model.marks()
    assert [r[3] for r in rings] == ["selected", "focus", "focus"] and line is None
    assert focus_line == model.edge_line(2, 1, 5) and model.selected == (1, 2)
    model.set_focus(None)
    assert model.focus is None and model.marks()[2] is None


def test_hit_tests_find_neurons_and_drawn_edges(model):
    for l, n in enumerate(SIZES):
        for i in (0, n - 1):
            assert model.neuron_at(*model.centers[l][i]) == (l, i)
    assert model.neuron_at(-50.0, -50.0) is None
    model.set_edge_mode("topk", k=1)
    l, j, i = (int(x[0]) for x in (model.edges.topk.l, model.edges.topk.j, model.edges.topk.i))
    x1, y1, x2, y2 = model.edge_line(l, j, i)
    assert model.edge_near((x1 + x2) / 2, (y1 + y2) / 2 + 1.0, tol=3.0) == (l, j, i)
    assert model.edge_near((x1 + x2) / 2, (y1 + y2) / 2 + 50.0, tol=3.0) is None


def test_the_inspector_override_and_back(model):
    calls = record(model)
    vals = [None, np.linspace(-1, 1, 6), np.array([0.2, 0.5, 0.3])]
    model.show_values(vals, title="dJ/dz", diverging=True, maps=[None, None, "activation"], other_title="ŷ",
                      outputs=vals[2])
    n = model.neurons
    assert n.values[0] is None and n.maps == ["diverging", "diverging", "activation"] and n.other == "activation"
    assert "dJ/dz" in n.title and "ŷ" in n.other_title and np.allclose(n.outputs, vals[2])
    assert model.tooltip_text(1, 5).endswith("shown colour: dJ/dz = 1")
    g = np.zeros((3, 6))
    g[1, [0, 4]] = [2.0, -1.0]
    model.show_edge_values(2, g, title="dJ/dW₂", k=50)  # only the 2 non-zero values are drawn
    e = model.edges.topk
    assert set(zip(e.l.tolist(), e.j.tolist(), e.i.tolist())) == {(2, 1, 0), (2, 1, 4)}
    assert "strongest 2 of layer 2" in model.edges.line
    model.show_edge_values(None, None, hide=True)
    model.hover(1, 1)
    assert model.edges.hidden and len(model.fan) == 0 and model.drawn_edge_count() == 0
    model.highlight_layer(2)
    model.set_focus(1, 3)
    model.clear_override()
    assert model.override is None and model.edge_override is None and model.focus is None
    assert model.highlight is None and len(model.edges.topk) > 0
    assert "highlight_changed" in calls and calls.count("neurons_changed") >= 2
    with pytest.raises(ValueError, match="layer 1 has 6 neurons"):
        model.show_values([None, np.ones(5), None], title="x", diverging=False)
    with pytest.raises(ValueError, match="maps"):
        model.show_values([None, None, None], title="x", diverging=False, maps=["sepia"] * 3)


def test_a_new_network_keeps_an_override_only_if_it_still_fits(model):
    model.show_values([None, np.ones(6), None], title="a₁", diverging=False)
    model.highlight_layer(1)
    model.select_neuron(1, 1)
    calls = record(model)
    model.set_network(Network(sizes=SIZES, seed=5))  # same sizes (Reset weights): the override stays
    assert model.override is not None and model.highlight == 1 and model.selected is None
    assert calls[:3] == ["layout_changed", "neurons_changed", "edges_changed"]
    model.set_network(Network(sizes=(9, 4, 2), seed=5))
    assert model.override is None and model.highlight is None and model.sizes == (9, 4, 2)
    assert [len(c) for c in model.centers] == [9, 4, 2]
