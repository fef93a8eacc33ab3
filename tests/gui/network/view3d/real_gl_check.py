"""The 3-D view drawn for real: Mesa's OpenGL under Xvfb (test_view3d_real.py runs this in its own process).

    python -m tests.gui.network.view3d.real_gl_check      # DISPLAY: an Xvfb; prints one JSON object

Opens the Network view on the shipped model with MNIST test digit 0, in 3-D, and reports what a user would
see: whether the picture is blank, the colour drawn where the most active neuron of hidden layer 2 projects
and the colour the model gives it, what hover and a click at a neuron's square pick, whether a new input
changes the picture, whether an exported picture is what the screen shows (also when the view was hidden while
the input changed), and where the inspector's lit-layer frame is.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile

os.environ.setdefault("NNVIZ_SETTINGS_DIR", tempfile.mkdtemp(prefix="nnviz-3d-"))

import numpy as np
from PySide6.QtCore import QEvent, QEventLoop, QPoint, Qt, QTimer
from PySide6.QtGui import QMouseEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication


def pixels(image) -> np.ndarray:
    image = image.convertToFormat(image.Format.Format_RGBA8888)
    return np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), image.bytesPerLine())[
        :, : 4 * image.width()].reshape(image.height(), image.width(), 4).copy()


def settle(app, rounds: int = 20) -> None:
    for _ in range(rounds):
        app.processEvents()


def after_next_frame(v3, change) -> bool:
    """change(), then wait until the GL window has put the new frame on screen (it repaints on Qt's next update
    request, not at once)."""
    loop, swapped = QEventLoop(), []
    v3.scene.frameSwapped.connect(lambda: (swapped.append(True), loop.quit()))
    change()
    if not swapped:
        QTimer.singleShot(3000, loop.quit)
        loop.exec()
    return bool(swapped)


def main() -> dict:
    from nnviz.gui import before_qapplication

    before_qapplication()
    app = QApplication(sys.argv[:1])
    from nnviz.core import preprocess
    from nnviz.core.data.mnist import find_mnist, load_folder
    from nnviz.core.modelio import SHIPPED_MODEL, load_model
    from nnviz.gui.network.scene import values as V
    from nnviz.gui.network.view import NetworkView
    from nnviz.gui.state import AppState

    net, card = load_model(SHIPPED_MODEL)
    state = AppState(net, card)
    data = load_folder(find_mnist())
    x = preprocess.model_input(data.x_test[:2], preprocess.wants_deskew(card))
    state.set_input(x[0], int(data.y_test[0]), "dataset")
    view = NetworkView(state)
    view.resize(1200, 800)
    view.show()
    view.set_3d(True)
    v3 = view.view3d
    settle(app)
    out = {"available": v3.available, "problem": v3.problem, "objectName": v3.objectName()}
    if not v3.available:
        return out
    v3.set_pose("front")  # straight on: the planes face the camera, nothing hides the second hidden layer
    settle(app)
    before = pixels(v3.grab_picture())
    out["distinct_colours"] = int(len(np.unique(before.reshape(-1, 4), axis=0)))
    a2 = state.trace.layers[1].a
    k = int(np.argmax(a2))
    view.model.set_edge_mode("none")  # (no line crosses the square we read)
    v3.set_pose("three-quarter")
    settle(app)
    image = pixels(v3.grab_picture())
    scale = image.shape[1] / v3.scene.width()
    p = v3.neuron_pos(2, k)
    got = image[int(p.y() * scale), int(p.x() * scale), :3]
    n = view.model.neurons
    want = V.colours_by_map(n.values, n.maps, n.limits)[2][k][:3]
    out["active_neuron"] = {"drawn": got.tolist(), "model": want.tolist()}
    view.model.set_edge_mode("topk", 1000)
    settle(app)
    # hover and click at a first-hidden-layer neuron's square
    target = (1, 37)
    where = v3.neuron_pos(*target)
    move = QMouseEvent(QEvent.Type.MouseMove, where, v3.scene.mapToGlobal(where), Qt.MouseButton.NoButton,
                       Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(v3.scene, move)  # (QTest.mouseMove on a GL window reached no handler here)
    settle(app)
    out["hovered"] = list(view.model.hovered or ())
    clicked = []
    view.neuronClicked.connect(lambda l, i: clicked.append([l, i]))
    QTest.mouseClick(v3.scene, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     QPoint(int(where.x()), int(where.y())))
    settle(app)
    out["clicked"] = clicked[-1] if clicked else None
    out["selected"] = list(view.model.selected or ())
    # a new input changes the picture
    out["new_frame_on_screen"] = after_next_frame(v3, lambda: state.set_input(x[1], int(data.y_test[1]), "dataset"))
    settle(app)
    after = pixels(v3.grab_picture())
    out["changed_pixels"] = int(np.count_nonzero(np.any(after != image, axis=2)))
    # the exported picture is what the screen shows (same depth test, same frame: not the one before)
    box = v3.scene_box
    corner = box.mapToGlobal(QPoint(0, 0))
    screen = pixels(app.primaryScreen().grabWindow(0, corner.x(), corner.y(), box.width(), box.height()).toImage())
    out["export_vs_screen"] = float(np.abs(screen[..., :3].astype(int) - after[..., :3]).mean())
    # hidden behind the flat scene, the view does no work, yet its picture follows the model
    view.set_3d(False)
    state.set_input(x[0], int(data.y_test[0]), "dataset")
    settle(app)
    out["skipped_while_hidden"] = bool(v3._missed)
    hidden = pixels(v3.grab_picture())
    view.set_3d(True)
    settle(app)
    shown = pixels(v3.grab_picture())
    out["hidden_export_differs_from_before"] = int(np.count_nonzero(np.any(hidden != after, axis=2)))
    out["hidden_export_vs_shown"] = float(np.abs(hidden[..., :3].astype(int) - shown[..., :3]).mean())
    # the inspector lights a layer: the frame goes round that plane
    view.model.highlight_layer(2)
    settle(app)
    out["frame_visible"] = bool(v3.scene.frame.visible())
    out["frame_is_plane_2"] = bool(np.allclose(v3.scene.frame.pos, v3.planes[2].corners()))
    # a light theme: its background, and labels in its text colour (not the dark theme's light grey)
    from nnviz.gui.look.themes import apply_theme, current

    apply_theme("light")
    settle(app)
    light = pixels(v3.grab_picture())
    out["light_corner"] = light[2, 2, :3].tolist()
    out["light_want"] = [current().background.red(), current().background.green(), current().background.blue()]
    out["light_labels"] = v3.scene.labels.colour.name() == current().text.name()
    apply_theme("dark")
    view.set_3d(False)
    return out


if __name__ == "__main__":
    print(json.dumps(main()), flush=True)
