"""The neuron panel shows the trace's own numbers: z and the terms w·a come from core, not from the view."""

from __future__ import annotations

import numpy as np

from nnviz.core.network import Architecture, Network
from nnviz.core.trace import forward_terms
from nnviz.gui.network.neuron_detail import NeuronDetail
from nnviz.gui.network.scene.describe import num
from nnviz.gui.state import AppState


def test_top_inputs_show_the_traces_z_and_strongest_term(qtbot):
    net = Network(Architecture((16, 6, 3)), seed=4)
    net.dense[1].b[...] = np.arange(3, dtype=np.float32)  # a bias the terms alone do not sum to
    state = AppState(net)
    state.set_input(np.random.default_rng(0).random(16), label=1)
    detail = NeuronDetail(state)
    qtbot.addWidget(detail)
    detail.show_neuron(2, 2)
    text = detail.top.text()
    tr = state.trace
    assert f"z = Σ w·a + b = {num(tr.layers[1].z[2])}" in text
    terms = forward_terms(tr, 2, 2)
    best = int(np.argmax(np.abs(terms)))
    assert text.splitlines()[1].strip().startswith(f"h1 neuron {best:4d}:".strip())
    assert f"w·a = {terms[best]:+.3f}" in text.splitlines()[1]
