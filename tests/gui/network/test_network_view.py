"""The network scene: numbers in tooltips, colours, edge modes, off-thread all-edges image, export,
and the API the backprop inspector drives."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QImage

from nnviz.core.network import Network
from nnviz.gui.gallery.demo import shipped_model
from nnviz.gui.look import colormaps, themes
from nnviz.gui.network.view import NetworkView
from nnviz.gui.state import AppState


@pytest.fixture(scope="module")
def digit():
    from nnviz.core.data import load_mnist
    from nnviz.core.pixels import as_input
    from tests.helpers import mnist_dir  # finds MNIST (or downloads it); in CI a missing set fails, never skips

    m = load_mnist(mnist_dir())
    return as_input(m.x_test[0]), int(m.y_test[0])  # MNIST keeps uint8 pixels: the input is p / 255


@pytest.fixture
def view(qtbot, digit):
    net, card = shipped_model()
    state = AppState(net, card)
    state.set_input(digit[0], digit[1], "dataset")
    v = NetworkView(state)
    qtbot.addWidget(v)
    v.resize(1600, 900)
    v.show()
    qtbot.waitExposed(v)
    return v


@pytest.fixture
def small_view(qtbot):
    """A shown NetworkView of a seeded 16-6-3 network with an input."""
    state = AppState(Network(sizes=(16, 6, 3), seed=3))
    state.set_input(np.linspace(0, 1, 16), None)
    v = NetworkView(state)
    qtbot.addWidget(v)
    v.resize(900, 600)
    v.show()
    qtbot.waitExposed(v)
    return v


def forward_by_hand(net, x):
    """[(z, a)] per layer with plain NumPy from the network's W and b (independent of trace())."""
    out, a = [], x.astype(np.float64)
    for l, layer in enumerate(net.dense):
        z = layer.W.astype(np.float64) @ a + layer.b
        last = l == len(net.dense) - 1
        a = np.exp(z - z.max()) / np.exp(z - z.max()).sum() if last else np.maximum(z, 0)
        out.append((z, a))
    return out


def numbers(tip: str) -> dict[str, float]:
    z = float(re.search(r"z = W·a_prev \+ b = (\S+)", tip).group(1))
    b = float(re.search(r"bias b = ([-\d.e+]+)", tip).group(1))
    a = float(re.search(r"\n(a = .*) = (\S+)", tip).group(2))
    return {"z": z, "a": a, "b": b}


def hover(qtbot, v: NetworkView, layer: int, index: int) -> None:
    """Move the real mouse over the neuron (scene -> viewport coordinates). pyqtgraph drops mouse
    moves that come faster than its rate limit, so keep moving until the hover arrives."""
    pos = v.canvas.mapFromScene(v.neuron_scene_pos(layer, index))

    def arrived() -> bool:
        qtbot.mouseMove(v.canvas.viewport(), pos)
        return v.model.hovered == (layer, index)

    with qtbot.waitSignal(v.neuronHovered, timeout=3000) as blocker:
        qtbot.waitUntil(arrived, timeout=3000)
    assert blocker.args == [layer, index]


def edge_triples(v: NetworkView) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(l, j, i) of the strongest edges drawn."""
    e = v.model.edges.topk
    return e.l, e.j, e.i


def test_tooltip_numbers_equal_forward_pass(qtbot, view, digit):
    net = view.state.network
    ref = forward_by_hand(net, digit[0])
    a1 = ref[0][1]
    picks = [(1, int(np.argmax(a1))), (1, int(np.argmin(ref[0][0]))), (2, 7), (3, int(np.argmax(ref[2][1])))]
    for layer, index in picks:
        hover(qtbot, view, layer, index)
        got = numbers(view.last_tooltip)
        z, a = ref[layer - 1][0][index], ref[layer - 1][1][index]
        assert got["z"] == pytest.approx(z, rel=1e-3, abs=1e-4)
        assert got["a"] == pytest.approx(a, rel=1e-3, abs=1e-4)
        assert got["b"] == pytest.approx(float(net.dense[layer - 1].b[index]), rel=1e-3, abs=1e-6)
    tip = view.model.tooltip_text(1, picks[1][1])  # a negative z, written out, without doubled brackets
    assert "ReLU(z) = max(0, " in tip and "max(0, (" not in tip
    assert view.items.fan_item.count == 100  # the hovered output neuron's fan-in lights up (no fan-out)

def test_hover_lights_fan_in_and_fan_out(qtbot, view):
    view.model.set_edge_mode("hover")
    assert view.items.drawn_edge_count() == 0
    hover(qtbot, view, 1, 5)
    assert view.items.drawn_edge_count() == 784 + 100
    view.hover_neuron(-1, -1)
    assert view.items.drawn_edge_count() == 0


def test_most_active_output_has_top_colour(view):
    y_hat = view.state.trace.y_hat
    colors = view.neuron_colors(3)
    top = colormaps.top_color(view.items.neuron_cmap)
    assert tuple(colors[int(np.argmax(y_hat))]) == top
    assert tuple(colors[int(np.argmin(y_hat))]) != top
    assert top == colormaps.top_color(themes.current().activation_cmap)


def test_edge_modes_change_what_is_drawn_without_blocking(qtbot, view):
    view.model.set_edge_mode("topk", k=500)
    assert view.items.drawn_edge_count() == 500
    view.model.set_edge_mode("topk", k=5000)
    assert view.items.drawn_edge_count() == 5000
    view.model.set_edge_mode("topk", k=1, per_target=True)  # the strongest input into each of 410 neurons
    assert view.items.drawn_edge_count() == 410
    view.model.set_edge_mode("topk", k=3, per_target=True)
    assert view.items.drawn_edge_count() == 3 * 410
    assert "the 3 strongest into each neuron" in view.model.edges.line and "(1,230 in all)" in view.model.edges.line
    view.model.set_edge_mode("none")
    assert view.items.drawn_edge_count() == 0
    with qtbot.waitSignal(view.allEdgesImageReady, timeout=10000):
        view.model.set_edge_mode("all")
        assert view.items.renderer.busy  # returned before the picture exists: it is painted off the GUI thread
    assert view.items.drawn_edge_count() == 784 * 300 + 300 * 100 + 100 * 10
    img = view.items.all_item.pixmap().toImage()
    assert img.width() > 500 and not img.isNull()


def test_the_scene_follows_a_theme_change_on_its_own(qtbot, view):
    """A view subscribes to the theme (themes.changes()): nobody re-emits the state's signals for it."""
    L = view.model.L
    top = colormaps.top_color(themes.current().activation_cmap)
    assert tuple(view.neuron_colors(L)[view.state.trace.predicted]) == top
    traces = []
    view.state.traceChanged.connect(traces.append)
    try:
        themes.update(palette="colour-blind safe", line_scale=2.0)
        safe_top = colormaps.top_color(themes.current().activation_cmap)
        assert safe_top != top and tuple(view.neuron_colors(L)[view.state.trace.predicted]) == safe_top
        assert view.edge_bar.cmap is themes.current().diverging_cmap  # the legend says which map, too
    finally:
        themes.update(palette="standard", line_scale=1.0)
    assert tuple(view.neuron_colors(L)[view.state.trace.predicted]) == top and traces == []


def test_colours_are_the_theme_s_not_module_globals():
    from PySide6.QtGui import QColor

    assert not [k for k, v in vars(colormaps).items() if isinstance(v, QColor)]
    assert not hasattr(colormaps, "LINE_SCALE") and not hasattr(colormaps, "set_palette")


def test_weights_change_redraws_edges(qtbot, view):
    view.model.set_scale(False)  # one scale: the new, much larger W3 must win the top-k
    view.model.set_edge_mode("topk", k=100)
    before = set(zip(*edge_triples(view)))
    flat = view.state.network.flat.copy()
    W3 = view.state.network.dense[2].W
    start = flat.size - W3.size - W3.shape[0]  # W3 sits before b3 at the end of the flat buffer
    flat[start:start + W3.size] = 10.0 * (np.arange(W3.size) % 7 == 0)
    view.state.set_weights(flat)

    def redrawn() -> bool:
        after = set(zip(*edge_triples(view)))
        return after != before and all(l == 3 for l, _, _ in after)

    qtbot.waitUntil(redrawn, timeout=2000)


def test_weight_bursts_are_throttled(qtbot, view):
    """Training sends new weights often; the edges follow at most every edge_interval_ms, and the last
    weights are always drawn in the end."""
    drawn = []
    view.model.edges_changed.connect(lambda _changed: drawn.append(view.state.network.dense[0].W[0, 0]))
    view.edge_interval_ms = 60_000  # nothing may be drawn during the burst
    flat = view.state.network.flat.copy()
    for step in range(30):
        view.state.set_weights(flat * (1 + 1e-3 * step))
    assert drawn == [] and view.model.edges_stale
    view.flush_edges()  # what the throttle's timer does when it fires
    assert len(drawn) == 1 and not view.model.edges_stale
    assert view.model.edges.values[0][0, 0] == view.state.network.dense[0].W[0, 0]  # the last weights
    view.edge_interval_ms = 30
    view.state.set_weights(flat)
    qtbot.waitUntil(lambda: not view.model.edges_stale, timeout=2000)  # the timer fires by itself
    assert view.model.edges.values[0][0, 0] == flat[0]


def test_click_selects_and_emits(qtbot, view):
    pos = view.canvas.mapFromScene(view.neuron_scene_pos(2, 10))
    with qtbot.waitSignal(view.neuronClicked, timeout=2000) as blocker:
        qtbot.mouseClick(view.canvas.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    assert blocker.args == [2, 10] and view.model.selected == (2, 10)


def test_export_png_and_svg(view, tmp_path: Path):
    png, svg = tmp_path / "scene.png", tmp_path / "scene.svg"
    view.export(str(png))
    view.export(str(svg))
    img = QImage(str(png))
    assert not img.isNull() and img.width() > 800
    colours = {img.pixel(x, y) for x in range(0, img.width(), 37) for y in range(0, img.height(), 37)}
    assert len(colours) > 20  # a picture, not a blank
    assert svg.stat().st_size > 10_000 and "<svg" in svg.read_text()[:2000]


def test_show_values_colours_and_greys(view):
    L = view.model.L
    vals = [None] + [np.linspace(-1, 1, n) for n in view.model.sizes[1:]]
    view.model.show_values(vals, title="dJ/dz", diverging=True)
    view.model.highlight_layer(2)
    c1 = view.neuron_colors(1)
    assert tuple(c1[0]) == tuple(colormaps.lookup(themes.current().diverging_cmap, [-1.0], -1, 1)[0])
    assert tuple(c1[-1]) == colormaps.top_color(themes.current().diverging_cmap)
    assert len({tuple(c) for c in view.neuron_colors(0)}) == 1  # greyed out
    assert "dJ/dz" in view.neuron_bar.title
    assert view.items.panels[2].highlighted and not view.items.panels[1].highlighted
    assert view.model.tooltip_text(2, 99).endswith("dJ/dz = 1")  # the hovered neuron's shown value
    with pytest.raises(ValueError):
        view.model.show_values([None, np.ones(5), None, None], title="x", diverging=False)
    view.clear_override()
    assert not view.items.panels[2].highlighted
    top = colormaps.top_color(themes.current().activation_cmap)
    assert tuple(view.neuron_colors(L)[view.state.trace.predicted]) == top


def test_show_edge_values(view):
    g = np.random.default_rng(0).normal(size=(100, 300))
    view.model.show_edge_values(2, g, title="dJ/dW₂", k=150)
    assert view.items.drawn_edge_count() == 150
    assert set(view.model.edges.topk.l.tolist()) == {2}
    strongest = np.sort(np.abs(g).ravel())[-150:]
    shown = np.abs(g[view.model.edges.topk.j, view.model.edges.topk.i])
    assert np.allclose(np.sort(shown), strongest)
    assert "dJ/dW₂" in view.edge_bar.title
    view.model.show_edge_values(None, None, title="")
    assert view.items.drawn_edge_count() == view.model.k


def test_animate_transition_and_skip(qtbot, view):
    with qtbot.waitSignal(view.transitionFinished, timeout=3000):
        view.items.animate(0, 1, 300)
        assert view.items.pulse.isVisible()
    assert not view.items.pulse.isVisible()
    with qtbot.waitSignal(view.transitionFinished, timeout=500):
        view.items.animate(3, 2, 5000)
        view.items.skip_animation()
    with qtbot.waitSignal(view.transitionFinished, timeout=500):
        view.items.animate(2, 1, 0)


def test_select_edge_and_any_architecture(qtbot):
    state = AppState(Network(sizes=(16, 6, 3), activation="tanh", output="sigmoid", loss="squared_error", seed=1))
    state.set_input(np.linspace(0, 1, 16), None)
    v = NetworkView(state)
    qtbot.addWidget(v)
    v.resize(800, 500)
    assert [len(v.neuron_colors(l)) for l in range(3)] == [16, 6, 3]
    v.model.set_edge_mode("topk", k=20)
    assert v.items.drawn_edge_count() == 20
    v.model.select_edge(2, 1, 4)
    assert v.items.markers.edge is not None
    assert "tanh" in v.model.tooltip_text(1, 0)


def test_new_architecture_drops_an_override_of_old_sizes(qtbot, view):
    view.model.show_values([None, np.ones(300), np.ones(100), np.ones(10)], title="dJ/dz", diverging=True)
    view.model.highlight_layer(1)
    view.state.set_network(Network(sizes=(784, 64, 32, 10), seed=2))
    assert view.model.sizes == (784, 64, 32, 10) and view.model.override is None
    assert [len(view.neuron_colors(l)) for l in range(4)] == [784, 64, 32, 10]
    hover(qtbot, view, 2, 31)
    assert "neuron 31" in view.last_tooltip


def test_click_on_an_edge_selects_it_and_empty_space_clears(qtbot, small_view):
    v = small_view
    v.model.set_edge_mode("topk", k=1)  # one edge: the strongest |w| overall
    l, j, i = int(v.model.edges.topk.l[0]), int(v.model.edges.topk.j[0]), int(v.model.edges.topk.i[0])
    a, b = v.model.centers[l - 1][i], v.model.centers[l][j]
    mid = v.vb.mapViewToScene(QPointF(*((a + b) / 2)))
    with qtbot.waitSignal(v.edgeClicked, timeout=2000) as blocker:
        qtbot.mouseClick(v.canvas.viewport(), Qt.MouseButton.LeftButton, pos=v.canvas.mapFromScene(mid))
    assert blocker.args == [l, j, i] and v.model.selected_edge == (l, j, i)
    corner = v.canvas.mapFromScene(v.vb.mapViewToScene(QPointF(5.0, 5.0)))
    qtbot.mouseClick(v.canvas.viewport(), Qt.MouseButton.LeftButton, pos=corner)
    assert v.model.selected_edge is None and v.model.selected is None


def test_override_can_hide_every_edge_even_a_hovered_fan(qtbot, view):
    view.model.show_values([None, np.ones(300), None, None], title="a₁", diverging=False)
    view.model.show_edge_values(None, None, hide=True)
    assert view.items.drawn_edge_count() == 0
    hover(qtbot, view, 1, 7)
    assert view.items.drawn_edge_count() == 0 and "none" in view.model.edges.line
    view.model.show_edge_values(None, None, title="")  # back to the default edges
    assert view.items.drawn_edge_count() > view.model.k


def test_strongest_k_never_pads_with_zero_valued_edges(view):
    g = np.zeros((10, 100))
    g[3, [5, 50, 99]] = [0.5, -2.0, 1.0]
    view.model.show_edge_values(3, g, title="dJ/dW₃", k=2000)  # k > W₃.size = 1000
    assert view.items.drawn_edge_count() == 3
    assert np.all(view.model.edges.topk.t != 0) and set(view.model.edges.topk.i.tolist()) == {5, 50, 99}
    assert "strongest 3 " in view.model.edges.line


def test_layers_can_use_different_colour_maps_with_a_second_bar(view):
    x = view.state.trace.x
    z1 = np.linspace(-2, 1, 300)
    maps = ["activation", "diverging", None, None]
    view.model.show_values([x, z1, None, None], title="z₁", diverging=True, maps=maps, other_title="input x")
    lo, hi = 0.0, float(x.max())
    look = themes.current()
    assert np.array_equal(view.neuron_colors(0)[:, :3], colormaps.lookup(look.activation_cmap, x, lo, hi)[:, :3])
    assert tuple(view.neuron_colors(1)[0]) == tuple(colormaps.lookup(look.diverging_cmap, [-2.0], -2, 2)[0])
    assert view.neuron_bar2.isVisible() and "input x" in view.neuron_bar2.title
    assert view.neuron_bar2.cmap is look.activation_cmap and view.neuron_bar.cmap is look.diverging_cmap
    view.model.show_values([x, z1, None, None], title="z₁", diverging=True)  # one map: one bar
    assert not view.neuron_bar2.isVisible()
    assert tuple(view.neuron_colors(0)[0]) == tuple(colormaps.lookup(themes.current().diverging_cmap, [0.0], -1, 1)[0])
    with pytest.raises(ValueError):
        view.model.show_values([x, z1, None, None], title="z", diverging=True, maps=["sepia"] * 4)


def test_output_bars_follow_the_override(view):
    out = view.items.layer_items[-1]
    assert out.probs is not None and out.predicted == view.state.trace.predicted  # forward view: ŷ
    view.model.show_values([None, None, None, np.linspace(-1, 1, 10)], title="z₃", diverging=True)
    assert out.probs is None and out.predicted is None  # before softmax: no ŷ to show
    p = np.full(10, 0.05)
    p[4] = 0.55
    view.model.show_values([None, None, None, p], title="ŷ", diverging=False, outputs=p)
    assert np.allclose(out.probs, p) and out.predicted == 4
    view.clear_override()
    assert np.allclose(out.probs, view.state.trace.y_hat)


def test_focus_marks_without_touching_the_selection(qtbot, view):
    view.select_neuron(2, 5)
    fan = view.items.fan_item.count
    view.model.set_focus(3, 7)
    kinds = [k for _, _, k in view.items.markers.rings]
    assert kinds.count("focus") == 1 and "selected" in kinds
    assert view.model.selected == (2, 5) and view.items.fan_item.count == fan
    view.model.set_focus_edge(2, 5, 17)
    assert view.items.markers.focus_edge is not None and [k for _, _, k in view.items.markers.rings].count("focus") == 2
    assert view.model.selected == (2, 5) and view.model.selected_edge is None
    view.model.set_focus(None)
    assert view.items.markers.focus_edge is None and "focus" not in [k for _, _, k in view.items.markers.rings]
    with qtbot.waitSignal(view.selectionCleared, timeout=500):
        view.select_neuron(-1, -1)
    assert view.model.selected is None and view.items.fan_item.count == 0


def test_strongest_edges_are_painted_off_the_gui_thread(qtbot, view, monkeypatch):
    """New weights in top-k mode: the lines are painted into a QImage by a worker thread, then shown."""
    import threading

    from nnviz.gui.network.scene import edge_image
    threads = []
    original = edge_image.render_edges
    monkeypatch.setattr(edge_image, "render_edges",
                        lambda *a: (threads.append(threading.current_thread()), original(*a))[1])
    view.model.set_edge_mode("topk", k=10000)
    qtbot.waitUntil(view.items.edges_settled, timeout=5000)
    with qtbot.waitSignal(view.items.topk_item.imageReady, timeout=5000):
        view.state.set_weights(view.state.network.flat * 1.01)
        view.model.update_edges(weights_changed=True)  # now, not after the throttle
    assert threads and all(t is not threading.main_thread() for t in threads)
    assert view.items.drawn_edge_count() == 10000 and view.items.edges_settled()
    img = view.items.topk_item.picture().image
    assert img.width() >= 0.9 * view.canvas.viewport().width()  # at the view's own resolution
    lit = sum(img.pixel(x, y) >> 24 > 0 for x in range(0, img.width(), 8) for y in range(0, img.height(), 8))
    assert lit > 1000  # lines, not an empty picture


def test_zoom_repaints_the_edge_picture_at_the_new_scale(qtbot, view):
    view.model.set_edge_mode("topk", k=3000)
    qtbot.waitUntil(view.items.edges_settled, timeout=5000)
    before = view.items.topk_item.picture().transform.m11()
    with qtbot.waitSignal(view.items.topk_item.imageReady, timeout=5000):
        view.vb.scaleBy((0.5, 0.5))
    assert view.items.topk_item.picture().transform.m11() == pytest.approx(2 * before, rel=1e-3)


def test_image_jobs_run_only_the_newest_waiting_request(qtbot):
    """Weights arriving while a picture is painted: afterwards only the newest is painted."""
    import threading

    from nnviz.gui.concurrency import CoalescedJobs as ImageJobs
    gate = threading.Event()

    def paint(n: int) -> QImage:
        if n == 1:
            gate.wait(5)
        img = QImage(1, 1, QImage.Format.Format_ARGB32)
        img.fill(n)
        return img

    jobs, done = ImageJobs(), []
    jobs.done.connect(lambda g, img: done.append((g, img.pixel(0, 0) & 0xFF)))
    for n in (1, 2, 3, 4):
        jobs.request(paint, (n,))
    assert jobs.busy
    gate.set()
    qtbot.waitUntil(lambda: len(done) == 2 and not jobs.busy, timeout=5000)
    assert done == [(1, 1), (4, 4)]


def test_two_paints_before_the_first_edge_picture_arrives(qtbot, small_view, capfd):
    """Issue 17.1: a new network's strongest edges have no picture yet; a second paint before the worker
    is asked for one (a tab shown again repaints twice) draws the lines directly instead of failing."""
    v = small_view
    qtbot.waitUntil(v.items.edges_settled, timeout=5000)  # painted once, with its picture
    v.state.set_network(Network(sizes=(16, 5, 3), seed=4))  # new items: no edge picture yet
    assert v.items.drawn_edge_count() > 0
    v.canvas.viewport().repaint()
    v.canvas.viewport().repaint()
    qtbot.waitUntil(v.items.edges_settled, timeout=5000)
    err = capfd.readouterr().err  # PySide reports an exception in paint() on stderr, not to pytest-qt
    assert "Error calling Python override" not in err and "Traceback" not in err, err[-2000:]


def test_per_neuron_box_keeps_about_as_many_edges_and_says_how_many(qtbot, small_view):
    v = small_view
    box = v.controls.per_target
    v.model.set_edge_mode("topk", k=18)
    box.setChecked(True)  # k now counts the edges into each of the 9 neurons: 2 each
    assert v.model.per_target and v.model.k == 2 and v.controls.k.value() == 2
    assert v.items.drawn_edge_count() == 18 and "the 2 strongest into each neuron" in v.model.edges.line
    box.setChecked(False)
    assert not v.model.per_target and v.model.k == 18 and v.controls.k.value() == 18
    assert v.items.drawn_edge_count() == 18


def test_the_view_forwards_nothing_to_its_model_or_items():
    """Controls and the inspector act on view.model and view.items themselves: no NetworkView method or
    property only passes a call or a value through to them."""
    import ast
    import inspect
    import textwrap

    from nnviz.gui.network import view as view_module

    tree = ast.parse(textwrap.dedent(inspect.getsource(view_module.NetworkView)))
    forwarders = []
    for fn in (n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)):
        body = [b for b in fn.body if not (isinstance(b, ast.Expr) and isinstance(b.value, ast.Constant))]
        if len(body) == 1 and isinstance(body[0], (ast.Return, ast.Expr)) and body[0].value is not None:
            value = body[0].value
            target = value.func if isinstance(value, ast.Call) else value
            params = {a.arg for a in fn.args.args[1:]}
            passed = [*value.args, *(k.value for k in value.keywords)] if isinstance(value, ast.Call) else []
            only_params = all(isinstance(a, ast.Name) and a.id in params for a in passed)  # nothing of its own
            if ast.unparse(target).startswith(("self.model.", "self.items.")) and only_params:
                forwarders.append(fn.name)
    assert forwarders == []
    assert not [n for n, v in vars(view_module.NetworkView).items() if isinstance(v, property)]
