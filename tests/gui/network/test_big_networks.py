"""Issue 16, at every size: a network too big or too slow for this machine is refused in the Training
panel with core.budget's reason and estimate (before any array is made), and a 784-2000-2000-2000-10
network opens in the scene and the inspector and draws: hover, click, every edge mode, every step."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from nnviz.core import budget
from nnviz.core.network import Architecture, Network
from nnviz.gui.inspector import InspectorPanel
from nnviz.gui.network.scene import edge_sets
from nnviz.gui.network.view import NetworkView
from nnviz.gui.state import AppState
from tests.gui.network.test_network_view import hover

BIG = (784, 2000, 2000, 2000, 10)


# --- the guard ---------------------------------------------------------------------------------------
def _click(qtbot, win, name: str) -> None:
    qtbot.mouseClick(win.findChild(QPushButton, name), Qt.MouseButton.LeftButton)


@pytest.mark.parametrize("button", ["applyArchitectureButton", "startTrainingButton"])
def test_a_network_too_slow_for_this_machine_is_refused_with_the_estimate(qtbot, window, monkeypatch,  # noqa: F811
                                                                          button):
    monkeypatch.setattr(budget, "measured_flops_per_second", lambda: 1e10)  # a slow machine, the same everywhere
    before = window.state.network
    window.train_panel.hidden_edit.setText("100000")
    _click(qtbot, window, button)
    text = window.train_panel.summary.text()
    assert text.startswith("Cannot build that network:" if button.startswith("apply") else "Cannot start:")
    assert "784-100000-10 relu is too slow to train here" in text and "(limit 10 min per epoch)" in text
    assert "about 50 min per epoch for 79,500,010 parameters" in text and "GiB of memory" in text
    assert window.state.network is before and not window.session.running  # nothing was built or started


def test_a_network_too_big_for_the_memory_is_refused_with_the_estimate(qtbot, window, monkeypatch):  # noqa: F811
    monkeypatch.setattr(budget, "available_memory", lambda: 2 * budget.GiB)
    before = window.state.network
    window.train_panel.hidden_edit.setText("100000")
    _click(qtbot, window, "applyArchitectureButton")
    text = window.train_panel.summary.text()
    assert "784-100000-10 relu is too big for this machine" in text and "2.0 GiB of memory is available" in text
    assert "parameters 303.3 MiB" in text and window.state.network is before


def test_sizes_beyond_the_old_cap_are_built_when_the_machine_can(qtbot, window, monkeypatch):  # noqa: F811
    monkeypatch.setattr(budget, "measured_flops_per_second", lambda: 1e11)
    window.train_panel.hidden_edit.setText("5000")
    _click(qtbot, window, "applyArchitectureButton")
    assert window.state.network.sizes == (784, 5000, 10)


# --- a big network in the scene and the inspector ---------------------------------------------------------
@pytest.fixture(scope="module")
def big_network():
    return Network(Architecture(BIG), seed=0)


def _opened(qtbot, network: Network, inspector: bool):
    state = AppState(network)
    view = NetworkView(state)
    qtbot.addWidget(view)
    view.resize(1600, 900)
    view.show()
    panel = InspectorPanel(state, view) if inspector else None
    if panel is not None:
        qtbot.addWidget(panel)
        panel.show()
    state.set_input(np.random.default_rng(0).random(784).astype(np.float32), 3, "dataset")
    return state, view, panel


@pytest.fixture
def big(qtbot, big_network):
    """The scene alone (the inspector's steps choose their own edges)."""
    return _opened(qtbot, big_network, inspector=False)


@pytest.fixture
def big_inspected(qtbot, big_network):
    return _opened(qtbot, big_network, inspector=True)


def test_a_big_network_opens_and_hover_and_click_reach_real_neurons(qtbot, big):
    state, view, _ = big
    assert [g.n for g in view.model.geoms] == list(BIG)
    assert len(view.model.edges.topk) == view.model.k  # the strongest k of 9.6 million edges
    hover(qtbot, view, 2, 1999)
    assert "hidden layer 2 · neuron 1999" in view.last_tooltip
    assert view.items.drawn_edge_count() == view.model.k + 2000 + 2000  # its fan-in and fan-out
    pos = view.canvas.mapFromScene(view.neuron_scene_pos(3, 1234))
    with qtbot.waitSignal(view.neuronClicked, timeout=3000) as clicked:
        qtbot.mouseClick(view.canvas.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    assert clicked.args == [3, 1234] and view.model.selected == (3, 1234)


def test_a_big_network_draws_every_edge_mode(qtbot, big):
    _, view, _ = big
    for mode in ("hover", "none", "topk"):
        view.model.set_edge_mode(mode, k=5000)
        qtbot.waitUntil(view.items.edges_settled, timeout=20_000)
    assert view.items.drawn_edge_count() == 5000
    with qtbot.waitSignal(view.allEdgesImageReady, timeout=60_000):
        view.model.set_edge_mode("all")
    drawn, total = edge_sets.all_edges_count(view.model.edges.values)
    assert total == 784 * 2000 + 2 * 2000 * 2000 + 2000 * 10 and drawn <= edge_sets.MAX_ALL_EDGES
    assert view.items.drawn_edge_count() == drawn
    assert f"a random sample of {drawn:,} of all {total:,}" in view.model.edges.line


def test_a_big_network_goes_through_every_inspector_step(qtbot, big_inspected):
    state, view, panel = big_inspected
    assert panel.walk.active and panel.walk.count == 4 * 6 + 1
    for i in range(panel.walk.count):
        panel.go(i)
        assert panel.formula.numbers_text()
    assert len(view.neuron_colors(1)) == 2000
    panel.first()
    assert panel.walk.index == 0


def test_the_strongest_edges_of_a_big_network_are_exactly_the_strongest():
    rng = np.random.default_rng(1)
    values = [rng.normal(0, 1, (1000, 784)).astype(np.float32), rng.normal(0, 2, (600, 1000)).astype(np.float32)]
    limits = [1.0, 2.5]
    assert sum(v.size for v in values) > edge_sets.BIG  # the sampled-threshold path
    got = edge_sets.top_k(values, limits, 3000, False)
    flat = np.concatenate([np.abs(v).ravel() / s for v, s in zip(values, limits)])
    assert len(got) == 3000 and np.isclose(np.sort(np.abs(got.t))[0], np.sort(flat)[-3000])
    assert np.allclose(got.t, np.array([values[l - 1][j, i] / limits[l - 1] for l, j, i in zip(got.l, got.j, got.i)]))


def test_the_receptive_fields_of_a_big_layer_come_a_page_at_a_time(qtbot):
    from nnviz.gui.network.receptive_fields import PAGE, ReceptiveFieldGallery, tile_origin

    state = AppState(Network(Architecture((784, 1000, 10)), seed=0))
    g = ReceptiveFieldGallery(state)
    qtbot.addWidget(g)
    g.show()
    assert g.n_tiles == PAGE == 400 and "neurons 1–400 of 1,000" in g.caption.text()
    assert not g.prev_button.isEnabled() and g.next_button.isEnabled()
    qtbot.mouseClick(g.next_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(g.next_button, Qt.MouseButton.LeftButton)
    assert g.first == 800 and g.n_tiles == 200 and "neurons 801–1000 of 1,000" in g.caption.text()
    assert not g.next_button.isEnabled()
    y, x = tile_origin(5, g.cols, g.tile)
    assert g.tile_at(x, y) == 805  # a tile maps to its real neuron
    state.set_input(np.random.default_rng(0).random(784).astype(np.float32), 3, "dataset")
    state.set_network(Network(Architecture((784, 300, 10)), seed=0))  # a smaller layer: all of it, no pager
    assert g.first == 0 and g.n_tiles == 300 and "all 300 hidden-1 neurons" in g.caption.text()
    assert not g.next_button.isVisible()
