"""The receptive-field gallery: each tile is its neuron's W1 row, and it follows training, throttled."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, Qt

from nnviz.core.network import Network
from nnviz.gui.look import colormaps, themes
from nnviz.gui.network.receptive_fields import ReceptiveFieldGallery, cell_size, mosaic, tile_origin
from nnviz.gui.state import AppState


def test_tile_is_the_neurons_weights():
    W1 = np.random.default_rng(0).normal(size=(30, 784)).astype(np.float32)
    frames = np.zeros((30, 4), np.uint8)
    frames[13] = (255, 0, 255, 255)
    img, (h, w) = mosaic(W1, cols=6, frames=frames)
    ch, cw = cell_size(h, w)
    assert (h, w) == (28, 28) and img.shape == (5 * ch, 6 * cw, 4)
    y, x = tile_origin(13, 6, (h, w))
    tile = img[y:y + h, x:x + w]
    assert tuple(img[y - 1, x]) == (255, 0, 255, 255) and tuple(img[y + h, x + w]) == (255, 0, 255, 255)
    y12, x12 = tile_origin(12, 6, (h, w))
    assert tuple(img[y12 - 1, x12]) == tuple(frames[12])  # tile 12 keeps its own frame colour
    expect = colormaps.lookup(themes.current().diverging_cmap, W1[13] / np.abs(W1[13]).max(), -1, 1).reshape(28, 28, 4)
    assert np.array_equal(tile, expect)


def test_follows_weights_throttled_and_clicks(qtbot):
    state = AppState(Network(seed=0))
    g = ReceptiveFieldGallery(state)
    qtbot.addWidget(g)
    g.resize(700, 600)
    g.show()
    qtbot.waitExposed(g)
    before = g.updates
    old = g.image.image.copy()
    y0, x0 = tile_origin(0, g.cols, g.tile)
    y1, x1 = tile_origin(1, g.cols, g.tile)
    flat = state.network.flat.copy()
    for step in range(20):  # a burst like training produces
        flat[:784] = np.sin(np.arange(784) * (step + 1))  # W1[0]
        state.set_weights(flat)
    assert g.updates == before  # nothing rebuilt synchronously
    qtbot.waitUntil(lambda: g.updates == before + 1, timeout=3000)
    new = g.image.image
    assert not np.array_equal(new[y0:y0 + 28, x0:x0 + 28], old[y0:y0 + 28, x0:x0 + 28])  # the new W1[0]
    assert np.array_equal(new[y1:y1 + 28, x1:x1 + 28], old[y1:y1 + 28, x1:x1 + 28])  # tile 1 unchanged
    x, y = x1 + 14, y1 + 14  # the middle of tile 1
    pos = g.view.mapFromScene(g.vb.mapViewToScene(QPointF(x, y)))
    with qtbot.waitSignal(g.neuronClicked, timeout=2000) as blocker:
        qtbot.mouseClick(g.view.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    assert blocker.args == [1, 1]


def test_frames_show_the_current_inputs_activations(qtbot):
    state = AppState(Network(seed=0))
    g = ReceptiveFieldGallery(state)
    qtbot.addWidget(g)
    assert len({tuple(p) for p in g.image.image[0, :, :]}) <= 2  # no input: frames are background
    state.set_input(np.random.default_rng(1).random(784), None)
    a1 = state.trace.layers[0].a
    top = int(np.argmax(a1))
    y, x = tile_origin(top, g.cols, g.tile)
    assert tuple(g.image.image[y - 1, x]) == colormaps.top_color(themes.current().activation_cmap)
    off = int(np.argmin(a1))
    y, x = tile_origin(off, g.cols, g.tile)
    assert tuple(g.image.image[y - 1, x]) == tuple(colormaps.lookup(themes.current().activation_cmap, [0.0], 0, 1)[0])


def test_a_smaller_network_whose_trace_comes_before_its_tiles(qtbot):
    """Issue 10: a view hearing networkChanged first (the canvas) sets a new input, so the gallery
    saw the new network's 32 activations while its frames were still those of 300 tiles (IndexError)."""
    state = AppState(Network(seed=0))
    x = np.random.default_rng(2).random(784)
    state.networkChanged.connect(lambda: state.set_input(x))  # connected before the gallery, so it runs first
    g = ReceptiveFieldGallery(state)
    qtbot.addWidget(g)
    state.set_network(Network(sizes=(784, 32, 10), seed=1))
    assert g.n_tiles == 32
    top = int(np.argmax(state.trace.layers[0].a))
    y, x0 = tile_origin(top, g.cols, g.tile)
    assert tuple(g.image.image[y - 1, x0]) == colormaps.top_color(themes.current().activation_cmap)


def test_a_network_without_hidden_layers_shows_its_output_neurons(qtbot):
    """784 -> 10 (no hidden layer): the tiles are the 10 output neurons' weights, framed by their a."""
    from nnviz.core.network import Architecture

    state = AppState(Network(seed=0))
    g = ReceptiveFieldGallery(state)
    qtbot.addWidget(g)
    g.show()
    state.set_network(Network(Architecture((784, 10)), seed=1), {})
    x = np.zeros(784, np.float32)
    x[300:320] = 1
    state.set_input(x, 3, "dataset")
    assert g.tile == (28, 28) and g.tile_at(*tile_origin(9, g.cols, g.tile)[::-1]) == 9
    assert g.tile_at(*tile_origin(10, g.cols, g.tile)[::-1]) is None
    assert "all 10 output neurons" in g.caption.text()
    row, col = tile_origin(4, g.cols, g.tile)
    a = np.asarray(state.trace.layers[0].a, np.float64)
    expect = colormaps.lookup(themes.current().activation_cmap, a, 0.0, float(a.max()))[4]
    assert tuple(g.image.image[row - 1, col]) == tuple(expect)  # tile 4's frame: output neuron 4's a
