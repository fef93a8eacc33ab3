"""The receptive-field gallery: each tile is its neuron's W1 row, and it follows training, throttled."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, Qt

from nnviz.core.network import Network
from nnviz.gui import theme
from nnviz.gui.receptive_fields import GAP, ReceptiveFieldGallery, mosaic
from nnviz.gui.state import AppState


def test_tile_is_the_neurons_weights():
    W1 = np.random.default_rng(0).normal(size=(30, 784)).astype(np.float32)
    img, (h, w) = mosaic(W1, cols=6)
    assert (h, w) == (28, 28) and img.shape == (5 * (28 + GAP), 6 * (28 + GAP), 4)
    j = 13
    r, c = divmod(j, 6)
    tile = img[r * (h + GAP): r * (h + GAP) + h, c * (w + GAP): c * (w + GAP) + w]
    expect = theme.lookup(theme.diverging_cmap(), W1[j] / np.abs(W1[j]).max(), -1, 1).reshape(28, 28, 4)
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
    flat = state.network.flat.copy()
    for step in range(20):  # a burst like training produces
        flat[:784] = np.sin(np.arange(784) * (step + 1))  # W1[0]
        state.set_weights(flat)
    assert g.updates == before  # nothing rebuilt synchronously
    qtbot.waitUntil(lambda: g.updates == before + 1, timeout=3000)
    assert not np.array_equal(g.image.image[:28, :28], old[:28, :28])  # tile 0 shows the new W1[0]
    assert np.array_equal(g.image.image[:28, 30:58], old[:28, 30:58])  # tile 1 did not change
    x, y = 1.5 * (28 + GAP), 0.5 * 28  # the middle of tile 1
    pos = g.view.mapFromScene(g.vb.mapViewToScene(QPointF(x, y)))
    with qtbot.waitSignal(g.neuronClicked, timeout=2000) as blocker:
        qtbot.mouseClick(g.view.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    assert blocker.args == [1, 1]
