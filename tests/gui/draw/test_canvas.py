"""Drawing canvas: real mouse events draw, predictions follow every move, clear/undo/redo/eraser work."""

from __future__ import annotations

import math

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QImage, QPointingDevice, QTabletEvent
from PySide6.QtWidgets import QApplication

from nnviz.core import preprocess
from nnviz.core.modelio import SHIPPED_MODEL, load_model
from nnviz.gui.draw.panel import DrawPanel
from nnviz.gui.state import AppState


def trained_model():
    """The shipped model (committed in resources/models)."""
    return load_model(SHIPPED_MODEL)


@pytest.fixture
def panel(qtbot):
    net, card = trained_model()
    state = AppState(net, card)
    w = DrawPanel(state)
    qtbot.addWidget(w)
    w.resize(860, 600)
    w.show()
    qtbot.waitExposed(w)
    return w


def to_widget(canvas, x: float, y: float) -> QPoint:
    """Picture coordinates (0..280) -> canvas widget coordinates."""
    r = canvas.target_rect()
    k = r.width() / canvas.side
    return QPoint(int(r.x() + x * k), int(r.y() + y * k))


def draw(qtbot, canvas, points, release: bool = True) -> None:
    """One stroke through picture-coordinate points, as real mouse press / moves / release."""
    pts = [to_widget(canvas, x, y) for x, y in points]
    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=pts[0])
    for p in pts[1:]:
        qtbot.mouseMove(canvas, p)
    if release:
        qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=pts[-1])


def vertical_one():
    return [(140, y) for y in np.linspace(50, 230, 15)]


def loop_zero():
    return [(140 + 65 * math.sin(t), 140 - 95 * math.cos(t)) for t in np.linspace(0, 2 * math.pi, 36)]


def test_vertical_stroke_is_a_one(panel, qtbot):
    draw(qtbot, panel.canvas, vertical_one())
    assert panel.predictions.property("predictedDigit") == 1
    probs = panel.predictions.property("probabilities")
    assert len(probs) == 10 and abs(sum(probs) - 1) < 1e-4 and max(probs) == probs[1]


def test_closed_loop_is_a_zero(panel, qtbot):
    draw(qtbot, panel.canvas, loop_zero())
    assert panel.predictions.property("predictedDigit") == 0


def test_clear_by_key_and_button_empties_the_prediction(panel, qtbot):
    draw(qtbot, panel.canvas, vertical_one())
    assert panel.predictions.property("predictedDigit") == 1
    qtbot.keyClick(panel.canvas, Qt.Key.Key_Escape)
    assert panel.predictions.property("predictedDigit") == -1
    assert panel.state.x is None and panel.canvas.is_empty()
    assert panel.predictions.property("probabilities") == [0.0] * 10
    draw(qtbot, panel.canvas, loop_zero())
    assert panel.predictions.property("predictedDigit") == 0
    qtbot.mouseClick(panel.clear_button, Qt.MouseButton.LeftButton)
    assert panel.predictions.property("predictedDigit") == -1


def test_predictions_update_on_every_move_while_drawing(panel, qtbot):
    canvas, seen = panel.canvas, []
    panel.state.traceChanged.connect(lambda tr: seen.append(None if tr is None else tr.predicted))
    points = vertical_one()
    draw(qtbot, canvas, points, release=False)
    assert len(seen) >= len(points)  # the press and each move gave a new trace before any release
    assert panel.predictions.property("predictedDigit") == 1
    qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=to_widget(canvas, *points[-1]))


@pytest.mark.parametrize("compare", [False, True])
def test_each_move_makes_one_forward_pass_and_one_preview(panel, qtbot, monkeypatch, compare):
    """Work once per stroke move: one forward pass picks the default target and traces (core's trace chooses
    the target from ŷ), and the preview redraws once (also with the naive comparison on)."""
    from nnviz.core.network import Network

    panel.preview.compare.setChecked(compare)
    forwards, previews, forward, infer = [], [], Network.forward, Network._infer
    monkeypatch.setattr(Network, "forward", lambda self, x: forwards.append("trace") or forward(self, x))
    monkeypatch.setattr(Network, "_infer", lambda self, x: forwards.append("predict") or infer(self, x))
    panel.preview.pictures.update = lambda: previews.append(panel.state.trace)
    points = vertical_one()
    draw(qtbot, panel.canvas, points, release=False)
    naive = ["predict"] if compare else []  # the naive downsample's own prediction
    assert forwards == (naive + ["trace"]) * len(points)
    assert len(previews) == len(points) and previews[-1] is panel.state.trace
    qtbot.mouseRelease(panel.canvas, Qt.MouseButton.LeftButton, pos=to_widget(panel.canvas, *points[-1]))


def test_preview_shows_core_preprocessing_of_the_canvas_image(panel, qtbot):
    draw(qtbot, panel.canvas, [(90, 80), (150, 60), (190, 90), (120, 210), (200, 215)])
    deskew = preprocess.wants_deskew(panel.state.card)
    expected = preprocess.image_to_input(qimage_to_array(panel.canvas.image), deskew)
    shown = panel.state.x  # what the network receives, and what the preview paints below
    np.testing.assert_allclose(shown, expected, atol=1e-6)
    image, title, _ = panel.preview.pictures.panels[0]  # the 28x28 picture the preview paints
    assert title == "network input x" and (image.width(), image.height()) == (28, 28)
    painted = qimage_to_array(image)[..., 0].astype(np.float32) / 255
    np.testing.assert_allclose(painted.ravel(), expected, atol=1 / 255 + 1e-6)
    np.testing.assert_allclose(panel.state.trace.y_hat, panel.state.network.predict_proba(expected), atol=1e-5)


def test_naive_comparison_and_saliency_come_from_core(panel, qtbot):
    draw(qtbot, panel.canvas, [(30, 20), (30, 90)])  # a small "1" in the corner
    panel.preview.compare.setChecked(True)
    panel.preview.saliency.setChecked(True)
    naive = preprocess.naive_downsample(panel.canvas.pixels())
    np.testing.assert_allclose(panel.preview.naive_x, naive, atol=1e-6)
    assert panel.preview.naive_x.reshape(28, 28)[:, 14:].max() < 0.05  # stuck in the corner, not centred
    titles = [t for _, t, _ in panel.preview.pictures.panels]
    # a drawn digit has no label: the saliency aims where the backward pass does (sure: the runner-up)
    k = panel.state.target
    assert k is not None and titles == ["network input x", f"dJ/dx for class {k}", "naive downsample"]
    assert k != panel.state.trace.predicted or panel.state.trace.y_hat.max() < 0.99
    panel.preview.target.setCurrentIndex(8)  # "for: 7"
    panel.preview.target.activated.emit(8)
    assert panel.state.trace.target == 7 and panel.preview.pictures.panels[1][1] == "dJ/dx for class 7"


def test_undo_redo_and_eraser(panel, qtbot):
    canvas = panel.canvas
    draw(qtbot, canvas, vertical_one())
    one = canvas.pixels().copy()
    draw(qtbot, canvas, [(60, 140), (220, 140)])
    assert canvas.pixels().sum() > one.sum()
    qtbot.keyClick(canvas, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    np.testing.assert_array_equal(canvas.pixels(), one)
    assert panel.predictions.property("predictedDigit") == 1
    canvas.redo()
    assert canvas.pixels().sum() > one.sum()
    canvas.undo()
    qtbot.keyClick(canvas, Qt.Key.Key_E)
    assert canvas.eraser and panel.eraser.isChecked()
    draw(qtbot, canvas, [(140, 40), (140, 240)])
    assert canvas.pixels().max() < 0.02  # the wider eraser took the whole "1" away
    assert canvas.is_empty() and panel.predictions.property("predictedDigit") == -1


def test_brush_width_changes_the_stroke(panel, qtbot):
    canvas = panel.canvas
    panel.width_slider.setValue(8)
    draw(qtbot, canvas, vertical_one())
    thin = canvas.pixels().sum()
    canvas.clear()
    panel.width_slider.setValue(30)
    draw(qtbot, canvas, vertical_one())
    assert canvas.pixels().sum() > 2.5 * thin


def test_a_model_wanting_other_preprocessing_recomputes_the_input(panel, qtbot):
    draw(qtbot, panel.canvas, [(110, 50), (140, 120), (175, 230)])  # a slanted "1": deskew matters
    state = panel.state
    before = state.x.copy()
    card = dict(state.card, preprocess={"deskew": not preprocess.wants_deskew(state.card)})
    state.set_network(state.network, card)
    expected = preprocess.to_mnist(panel.canvas.pixels(), preprocess.wants_deskew(card))
    np.testing.assert_allclose(state.x, expected, atol=1e-6)
    assert np.abs(state.x - before).max() > 0.5 and state.source == "canvas"


def test_tablet_pressure_widens_the_pen(panel):
    canvas, device = panel.canvas, QPointingDevice.primaryPointingDevice()

    def pen(kind, y: float, pressure: float) -> None:
        pos = QPointF(to_widget(canvas, 140, y))
        QApplication.sendEvent(canvas, QTabletEvent(kind, device, pos, pos, pressure, 0.0, 0.0, 0.0, 0.0, 0.0,
                                                    Qt.KeyboardModifier.NoModifier, Qt.MouseButton.LeftButton,
                                                    Qt.MouseButton.LeftButton))

    ink = []
    for pressure in (0.1, 1.0):
        canvas.clear()
        pen(QEvent.Type.TabletPress, 50, pressure)
        for y in range(60, 231, 10):
            pen(QEvent.Type.TabletMove, y, pressure)
        pen(QEvent.Type.TabletRelease, 230, pressure)
        ink.append(canvas.pixels().sum())
        assert panel.predictions.property("predictedDigit") == 1
    assert ink[1] > 2.5 * ink[0]


def test_the_startup_example_is_drawn_as_strokes_and_read_as_a_two(panel, qtbot):
    predictions = panel.findChild(object, "predictionPanel")
    assert predictions.property("predictedDigit") == -1
    panel.canvas.draw_example()
    assert not panel.canvas.is_empty()
    assert predictions.property("predictedDigit") == 2
    assert panel.state.source == "canvas" and panel.state.x is not None
    panel.canvas.undo()  # one stroke, so one undo empties the canvas again
    assert predictions.property("predictedDigit") == -1


def qimage_to_array(img: QImage) -> np.ndarray:
    """Any QImage -> (h, w, 4) uint8 RGBA array (a copy)."""
    rgba = img.convertToFormat(QImage.Format.Format_RGBA8888)
    h, w = rgba.height(), rgba.width()
    buf = np.frombuffer(rgba.constBits(), np.uint8, count=rgba.bytesPerLine() * h)
    return buf.reshape(h, rgba.bytesPerLine())[:, :w * 4].reshape(h, w, 4).copy()
