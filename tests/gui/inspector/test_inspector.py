"""Issue 6 acceptance: the backprop inspector on a real MNIST digit and the real model and scene."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt

from nnviz.core import activations, modelio
from nnviz.core.network import Network
from nnviz.gui.gallery.demo import telling_digit
from nnviz.gui.inspector import InspectorPanel
from nnviz.gui.inspector.grad_norms import trace_grad_norms
from nnviz.gui.inspector.notation import parse_num, sub
from nnviz.gui.look import colormaps, themes
from nnviz.gui.network.view import NetworkView
from nnviz.gui.state import AppState, RunStatus
from tests.helpers import mnist, mnist_path  # noqa: F401  (pytest fixtures)

NUMBER = re.compile(r"(?<![\w₀-₉ᵢⱼₖ,])[−-]?\d+(?:\.\d+)?(?:e[−-]?\d+)?")


def _model_path() -> Path:
    return modelio.SHIPPED_MODEL  # committed in resources/models


@pytest.fixture
def setup(qtbot, mnist):  # noqa: F811
    net, card = modelio.load_model(_model_path())
    state = AppState(net, card)
    view = NetworkView(state)
    panel = InspectorPanel(state, view)
    qtbot.addWidget(view)
    qtbot.addWidget(panel)
    view.resize(1200, 700)
    view.show()
    panel.show()
    x, label = telling_digit(net, card, mnist)
    state.set_input(x, label, "dataset")
    assert panel.walk.active and panel.walk.count == 19
    return state, view, panel


def _numbers(text: str) -> list[float]:
    """Every number written in the panel's numeric lines (subscripts are not numbers)."""
    return [parse_num(m) for m in NUMBER.findall(text)]


def _expected(step, tr, focus, sel, lr=0.005) -> list[float]:
    """What the panel must show, straight from core's trace (independent of the inspector's code)."""
    q, L = step.quantity, len(tr.layers)
    acts = tr.activations()
    if q in ("dJ_dW", "update") and len(focus) == 3:
        l, j, i = focus
        lt = tr.layers[l - 1]
        if q == "dJ_dW":
            return [lt.dJ_dz[j], acts[l - 1][i], lt.dJ_dW[j, i]]
        return [lt.W[j, i], lr, lt.dJ_dW[j, i], lt.W[j, i] - lr * lt.dJ_dW[j, i]]
    l, j = focus
    lt = tr.layers[l - 1]
    g = None if lt.g_name == "softmax" else activations.get(lt.g_name)
    gp = None if g is None else float(g.g_prime(np.array([lt.z[j]], np.float64))[0])
    if q == "update":
        return [lt.b[j], lr, lt.dJ_db[j], lt.b[j] - lr * lt.dJ_db[j]]
    if q == "z":
        extra = []
        if len(sel) == 3 and sel[0] == l and sel[1] == j:
            w, a = lt.W[j, sel[2]], acts[l - 1][sel[2]]
            extra = [w, a, w * a]
        return [lt.z[j], lt.b[j]] + extra
    if q == "a":
        return [lt.z[j], lt.a[j]]
    if q == "y_hat":
        return [tr.y_hat[j], lt.z[j]]
    if q == "J":
        assert j == tr.target  # cross-entropy: only the target's term is in J
        return [tr.y_hat[j], tr.loss]
    if q == "dJ_dz" and l == L:
        return [tr.y_hat[j], tr.y[j], lt.dJ_dz[j]]
    if q == "dJ_dz":
        return [lt.dJ_da[j], gp, lt.dJ_dz[j], lt.z[j]]
    if q == "dJ_db":
        return [lt.dJ_db[j]]
    if q == "dJ_da":
        extra = []
        if len(sel) == 3 and sel[0] == l + 1 and sel[2] == j:
            above = tr.layers[l]
            w, d = above.W[sel[1], j], above.dJ_dz[sel[1]]
            extra = [w, d, w * d]
        return [lt.dJ_da[j]] + extra
    raise AssertionError(q)


def _close(shown: float, true: float) -> bool:
    """Equal up to the 4 significant digits the panel prints."""
    return abs(shown - float(true)) <= 6e-4 * abs(float(true)) + 1e-12


def test_formula_numbers_equal_the_trace_for_clicked_neurons_and_edges(setup, qtbot):
    state, view, panel = setup
    tr = state.trace
    big = lambda v: int(np.argmax(np.abs(v)))
    j2, i1 = big(tr.layers[1].dJ_dz), big(tr.layers[0].a)
    clicks = [None, ("edge", 2, j2, i1), ("neuron", 2, j2), ("neuron", 1, i1), ("neuron", 3, 4),
              ("edge", 1, big(tr.layers[0].dJ_dz), big(tr.x)), ("edge", 3, tr.target, big(tr.layers[1].a))]
    checked = 0
    for click in clicks:
        if click is not None:
            signal = view.edgeClicked if click[0] == "edge" else view.neuronClicked
            signal.emit(*click[1:])
        sel = tuple(click[1:]) if click else ()
        assert panel.walk.selection == (sel or None)
        for index, step in enumerate(panel.walk.steps):
            panel.go(index)
            nums = panel.formula.numbers
            text = panel.formula.numbers_text()
            shown = _numbers(text)
            expected = _expected(step, tr, nums.focus, sel, panel.update_box.lr.value())
            assert len(shown) == len(expected), (step.title, text)
            for s, e in zip(shown, expected):
                assert _close(s, e), (step.title, text, s, e)
            fits = (step.quantity == "dJ_dW" and len(sel) == 3 and sel[0] == step.layer) or \
                   (step.quantity not in ("dJ_dW", "update", "J") and len(sel) == 2 and sel[0] == step.layer)
            if fits:  # the clicked neuron/edge is the one whose numbers are shown
                assert nums.focus == sel
                assert sub(*sel) in text
            checked += 1
    assert checked == len(clicks) * 19


def _edge_numbers(view, panel, j, i):
    view.edgeClicked.emit(2, j, i)
    panel.go(next(k for k, s in enumerate(panel.walk.steps) if s.title == "dJ/dW₂"))
    return panel.formula.numbers_text()


def test_example_from_the_issue_edge_product(setup):
    state, view, panel = setup
    tr = state.trace
    text = _edge_numbers(view, panel, 17, 42)
    assert text.startswith("dJ/dw₂,₁₇,₄₂ = dJ/dz₂,₁₇ × a₁,₄₂ = ")
    dz, a, dw = _numbers(text)
    assert _close(dz, tr.layers[1].dJ_dz[17]) and _close(a, tr.layers[0].a[42])
    assert _close(dw, tr.layers[1].dJ_dW[17, 42])
    assert abs(dw - dz * a) <= 2e-3 * abs(dz * a) + 1e-12  # the shown product of the shown factors
    assert "(100×1)(1×300) → 100×300" in panel.formula.equation.text()
    # The same on an edge whose factors are surely not zero (42 may be a silent ReLU for this digit).
    j, i = int(np.argmax(np.abs(tr.layers[1].dJ_dz))), int(np.argmax(tr.layers[0].a))
    dz, a, dw = _numbers(_edge_numbers(view, panel, j, i))
    assert abs(dz) > 0 and a > 0 and _close(dw, tr.layers[1].dJ_dW[j, i])
    assert abs(dw - dz * a) <= 2e-3 * abs(dz * a)


@pytest.mark.parametrize("focus", [(1, None, None), (2, None, None), (3, None, None), (2, "b", None)])
def test_backprop_equals_central_differences_in_float64(setup, qtbot, focus):
    state, view, panel = setup
    tr = state.trace
    l = focus[0]
    lt = tr.layers[l - 1]
    if focus[1] == "b":
        j = int(np.argmax(np.abs(lt.dJ_db)))
        view.neuronClicked.emit(l, j)
        param, grad32 = (l, j), lt.dJ_db[j]
    else:
        j, i = np.unravel_index(int(np.argmax(np.abs(lt.dJ_dW))), lt.dJ_dW.shape)
        view.edgeClicked.emit(l, int(j), int(i))
        param, grad32 = (l, int(j), int(i)), lt.dJ_dW[j, i]
    with qtbot.waitSignal(panel.gradcheck.checked, timeout=10000) as blocker:
        assert panel.gradcheck.check()
    result = blocker.args[0]
    assert result.focus == param
    assert result.rel_error < 1e-4
    assert abs(result.backprop - float(grad32)) <= 1e-3 * abs(float(grad32)) + 1e-7  # float32 trace agrees
    assert "relative error" in panel.gradcheck.result_label.text()


def test_forward_to_the_end_and_back_restores_the_first_picture_exactly(setup, qtbot):
    state, view, panel = setup
    L = len(state.network.sizes) - 1
    panel.first()

    def picture():
        return [view.neuron_colors(l).copy() for l in range(L + 1)], view.items.drawn_edge_count()

    seen = [picture()]
    while panel.step_forward():
        view.items.skip_animation()
        seen.append(picture())
    assert panel.walk.index == panel.walk.count - 1
    assert not all(np.array_equal(a, b) for a, b in zip(seen[0][0], seen[-1][0]))  # the pictures differ
    for k in range(panel.walk.count - 2, -1, -1):
        assert panel.step_back()
        colours, edges = picture()
        assert edges == seen[k][1]
        for a, b in zip(colours, seen[k][0]):
            assert np.array_equal(a, b), f"step {k} not restored"
    assert not panel.step_back()


def test_apply_update_raises_the_target_probability_and_undo_is_bit_exact(setup, qtbot):
    state, _view, panel = setup
    t = state.target
    flat0 = state.network.flat.copy()
    p0 = float(state.trace.y_hat[t])
    assert panel.update_box.apply_update()
    p1 = float(state.trace.y_hat[t])
    assert p1 > p0
    assert panel.update_box.bars.before[t] == pytest.approx(p0) and panel.update_box.bars.after[t] == pytest.approx(p1)
    assert not np.array_equal(state.network.flat, flat0)
    with qtbot.waitSignal(panel.update_box.repeatFinished, timeout=10000):
        panel.update_box.repeat_count.setValue(3)
        panel.update_box.repeat()
    assert float(state.trace.y_hat[t]) > p1
    while panel.update_box.undo():
        pass
    assert state.network.flat.tobytes() == flat0.tobytes()
    assert float(state.trace.y_hat[t]) == p0


def test_target_buttons_rerun_the_backward_pass(setup, qtbot):
    state, _view, panel = setup
    other = (state.label + 3) % 10
    qtbot.mouseClick(panel.targets.buttons[other], Qt.MouseButton.LeftButton)
    assert state.target == other and panel.walk.trace.target == other
    assert panel.targets.buttons[other].isChecked()
    out = panel.walk.trace.layers[-1]
    assert out.dJ_dz[other] < 0 and out.dJ_dz[state.label] > 0  # ŷ − y with y = one-hot(other)


def test_squared_error_changes_the_output_error_term(setup):
    state, view, panel = setup
    panel.loss_choice.set_loss("squared_error")
    titles = [s.title for s in panel.walk.steps]
    assert "dJ/dŷ" in titles and titles.index("dJ/dŷ") < titles.index("dJ/dz₃")
    twin = Network(replace(state.network.arch, loss="squared_error"))
    twin.flat[...] = state.network.flat
    ref = twin.trace(state.x, state.target)
    shown = panel.walk.trace
    for a, b in zip(shown.layers, ref.layers):
        np.testing.assert_array_equal(a.dJ_dW, b.dJ_dW)
    assert not np.allclose(shown.layers[-1].dJ_dz, state.trace.layers[-1].dJ_dz)
    view.neuronClicked.emit(3, 4)
    out = ref.layers[-1]
    expected = {"J": [ref.loss, ref.y_hat[4], ref.y[4]], "dJ/dŷ": [ref.y_hat[4], ref.y[4], out.dJ_da[4]],
                "dJ/dz₃": [out.dJ_dz[4], out.dJ_da[4]]}
    for title, values in expected.items():
        panel.go(titles.index(title))
        shown_numbers = _numbers(panel.formula.numbers_text())
        assert len(shown_numbers) == len(values) and all(_close(a, b) for a, b in zip(shown_numbers, values)), title
    p0 = float(state.trace.y_hat[state.target])
    panel.update_box.apply_update()
    assert float(state.trace.y_hat[state.target]) > p0


def test_disabled_while_training_and_back_after(setup, qtbot):
    state, view, panel = setup
    panel.go(11)
    before = view.neuron_colors(2).copy()
    state.set_run(RunStatus.RUNNING)
    assert not panel.controls.isEnabled() and panel.banner.isVisibleTo(panel)
    assert not panel.walk.active
    state.set_run(RunStatus.PAUSED)  # a paused run: walk, targets and gradient check work, updates do not
    assert panel.controls.isEnabled() and panel.walk.active and not panel.update_box.isEnabled()
    assert np.array_equal(view.neuron_colors(2), before)
    state.set_run(RunStatus.RUNNING)
    assert not panel.controls.isEnabled() and not panel.walk.active
    state.set_run(RunStatus.FINISHED)
    assert panel.controls.isEnabled() and panel.walk.active and panel.walk.index == 11
    assert panel.update_box.isEnabled()
    assert np.array_equal(view.neuron_colors(2), before)


def test_keyboard_and_play(setup, qtbot):
    _state, _view, panel = setup
    panel.first()
    panel.activateWindow()
    panel.timeline.setFocus()
    qtbot.keyClick(panel.timeline, Qt.Key.Key_Right)
    assert panel.walk.index == 1
    qtbot.keyClick(panel.timeline, Qt.Key.Key_Left)
    assert panel.walk.index == 0
    panel.controls.speed.setValue(panel.controls.speed.maximum())
    qtbot.keyClick(panel.timeline, Qt.Key.Key_Space)
    assert panel.controls.playing
    qtbot.waitUntil(lambda: not panel.controls.playing, timeout=10000)
    assert panel.walk.index == panel.walk.count - 1


def test_gradient_sizes(setup, qtbot):
    state, _view, panel = setup
    norms = trace_grad_norms(state.trace)
    assert panel.norm_bars.norms == norms and len(norms) == 3 and all(n > 0 for n in norms)
    for s in range(1, 6):
        panel.add_grad_norms(128 * s, (1e-3 * s, 1e-2, 1e-1))
    assert len(panel.norm_plot.curves) == 3
    x, y = panel.norm_plot.curves[0].getData()
    assert list(x) == [128, 256, 384, 512, 640] and 10 ** y[-1] == pytest.approx(5e-3)  # log axis
    panel.add_grad_norms(64, (1.0, 1.0, 1.0))  # a new run starts over
    assert panel.norm_plot.samples == [64]


def test_transitions_run_in_the_pass_direction(setup, qtbot):
    _state, view, panel = setup
    steps = panel.walk.steps
    for title, direction in (("z₂", (1, 2)), ("dJ/da₁", (2, 1))):
        k = next(i for i, s in enumerate(steps) if s.title == title)
        assert steps[k].transition() == direction
        panel.go(k - 1)
        with qtbot.waitSignal(view.transitionFinished, timeout=3000):  # the ~300 ms pulse ran
            assert panel.step_forward()
    panel.go(5)
    with qtbot.assertNotEmitted(view.transitionFinished, wait=400):
        panel.step_back()  # stepping back re-applies the picture without a pulse


def test_no_input_then_a_drawing_without_label(qtbot):
    state = AppState(Network(sizes=(784, 30, 20, 10)))
    view = NetworkView(state)
    panel = InspectorPanel(state, view)
    qtbot.addWidget(view)
    qtbot.addWidget(panel)
    panel.show()
    assert panel.walk.count == 0 and not panel.step_forward()
    assert panel.formula.title.text() == "No input"
    state.set_input(np.random.default_rng(0).random(784), None, "canvas")
    assert panel.walk.count == 19 and state.target == state.trace.predicted  # no label: aims at the prediction
    assert panel.targets.buttons[state.target].isChecked()
    chosen = (state.target + 1) % 10
    qtbot.mouseClick(panel.targets.buttons[chosen], Qt.MouseButton.LeftButton)
    assert state.chosen_target == chosen and panel.walk.trace.target == chosen
    state.set_input(None)
    assert panel.walk.count == 0 and panel.formula.title.text() == "No input"


def test_any_architecture_the_core_builds(qtbot):
    state = AppState(Network(sizes=(784, 16, 10), activation="sigmoid", seed=2))
    view = NetworkView(state)
    panel = InspectorPanel(state, view)
    qtbot.addWidget(view)
    qtbot.addWidget(panel)
    panel.show()
    state.set_input(np.random.default_rng(1).random(784), 3, "dataset")
    titles = [s.title for s in panel.walk.steps]
    assert titles == ["z₁", "a₁", "z₂", "ŷ", "J", "dJ/dz₂", "dJ/dW₂", "dJ/db₂", "dJ/da₁", "dJ/dz₁", "dJ/dW₁",
                      "dJ/db₁", "W ← W − α dJ/dW"]
    panel.go(titles.index("dJ/dz₁"))
    assert "sigmoid′(z₁" in panel.formula.numbers_text() or "g′(z₁" in panel.formula.numbers_text()
    assert "vanishing" in panel.formula.explain.text()
    panel.last()
    assert len(view.neuron_colors(2)) == 10 and panel.formula.numbers is not None
    state.set_network(Network(sizes=(784, 30, 20, 10)))  # another architecture mid-walk
    assert panel.walk.count == 19 and panel.walk.trace.layers[0].n_out == 30
    panel.last()
    assert len(view.neuron_colors(3)) == 10


def _step_index(panel, title: str) -> int:
    return next(i for i, s in enumerate(panel.walk.steps) if s.title == title)


def test_forward_steps_keep_activations_on_the_activation_map(setup):
    _state, view, panel = setup
    panel.go(_step_index(panel, "z₂"))
    tr = panel.walk.trace
    a1 = tr.layers[0].a
    expected = colormaps.lookup(themes.current().activation_cmap, a1, 0.0, float(a1.max()))
    assert np.array_equal(view.neuron_colors(1), expected)
    z2 = tr.layers[1].z
    m = float(np.abs(z2).max())
    assert np.array_equal(view.neuron_colors(2), colormaps.lookup(themes.current().diverging_cmap, z2, -m, m))
    assert view.neuron_bar2.isVisible() and "a₁" in view.neuron_bar2.title
    panel.go(_step_index(panel, "a₂"))  # all activations: one map, one bar
    assert not view.neuron_bar2.isVisible()


def test_output_bars_appear_with_the_softmax_step(setup):
    _state, view, panel = setup
    out = view.items.layer_items[-1]
    for title in ("z₁", "a₂", "z₃"):
        panel.go(_step_index(panel, title))
        assert out.probs is None and out.predicted is None
    for title in ("ŷ", "J", "dJ/dz₂", "W ← W − α dJ/dW"):
        panel.go(_step_index(panel, title))
        assert np.allclose(out.probs, panel.walk.trace.y_hat)


def test_steps_without_edges_hide_them_and_small_layers_are_not_padded(setup):
    _state, view, panel = setup
    panel.go(_step_index(panel, "a₁"))
    assert view.items.drawn_edge_count() == 0
    panel.walk.edge_k = 5000  # more than W₃'s 1000 edges
    panel.go(_step_index(panel, "dJ/dW₃"))
    G = panel.walk.trace.layers[2].dJ_dW
    assert view.items.drawn_edge_count() == np.count_nonzero(G) < G.size  # silent a₂ neurons: zero gradients


def test_the_formula_focus_is_marked_on_the_scene_and_a_selection_can_be_cleared(setup, qtbot):
    _state, view, panel = setup
    panel.go(_step_index(panel, "dJ/dW₂"))
    focus = panel.formula.numbers.focus
    assert len(focus) == 3 and view.model.focus == focus and view.items.markers.focus_edge is not None
    assert view.model.selected is None and view.model.selected_edge is None  # marked, not selected
    panel.go(_step_index(panel, "dJ/dz₂"))
    assert view.model.focus == panel.formula.numbers.focus and view.items.markers.focus_edge is None
    view.neuronClicked.emit(2, 42)
    view.select_neuron(2, 42)
    assert panel.walk.selection == (2, 42) and view.model.focus == (2, 42)
    with qtbot.waitSignal(view.selectionCleared, timeout=500):
        view.clear_selection()
    assert panel.walk.selection is None


def test_opening_a_network_of_other_sizes_after_a_run_pushes_nothing_into_the_old_scene(qtbot):
    """The monkey found it: after a run had finished, Ctrl+O opened a model of other sizes. The run's
    status went back to idle before the scene heard of the new network, the inspector replayed the new
    trace into the old scene: ValueError "layer 2 has 1007 neurons, got 100 values"."""
    import numpy as np

    from nnviz.core.network import Network
    from nnviz.gui.inspector import InspectorPanel
    from nnviz.gui.network.view import NetworkView
    from nnviz.gui.state import AppState, RunStatus

    state = AppState(Network(sizes=(784, 30, 10), seed=0))
    view = NetworkView(state)
    panel = InspectorPanel(state, view)
    for w in (view, panel):
        qtbot.addWidget(w)
        w.show()
    state.set_input(np.random.default_rng(0).random(784).astype(np.float32), 3)
    state.set_run(RunStatus.RUNNING)
    state.set_run(RunStatus.FINISHED)
    with qtbot.capture_exceptions() as errors:
        state.set_network(Network(sizes=(784, 40, 17, 10), seed=1))
    assert not errors
    assert panel.walk.trace is not None and panel.walk.trace.layers[1].n_out == 17
