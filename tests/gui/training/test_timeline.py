"""Rewinding training in the window (issue 14): snapshots of a live run, the timeline moving every view,
Branch here, the history in the model file, and animations exported from the app's own views."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QPushButton, QWidget

from nnviz.core import modelio
from nnviz.core.history import History, Schedule
from nnviz.core.network import Architecture, Network
from nnviz.core.training import Split
from nnviz.gui import MainWindow
from nnviz.gui.app import animation
from nnviz.gui.app.animation_dialog import export_animation
from nnviz.gui.network.neuron_detail import NeuronDetail
from nnviz.gui.network.receptive_fields import ReceptiveFieldGallery
from nnviz.gui.network.view import NetworkView
from nnviz.gui.state import AppState
from tests.helpers import mnist, mnist_path  # noqa: F401 (fixtures)

TIMEOUT = 60_000


@pytest.fixture(scope="module")
def subset(mnist):  # noqa: F811
    return Split(mnist.x_train[:3000], mnist.y_train[:3000], mnist.x_test[:500], mnist.y_test[:500])


@pytest.fixture
def trained(qtbot, subset):
    """A window after a 2-epoch live run (30 batches per epoch) with a dense-10, growth-1.5 history."""
    win = MainWindow(data=subset)
    qtbot.addWidget(win)
    win.resize(1600, 1000)
    win.show()
    win.session.confirm_discard = lambda text: True
    win.train_panel.batch_spin.setValue(100)
    win.train_panel.epochs_spin.setValue(2)
    win.timeline.use_history(History(schedule=Schedule(dense=10, growth=1.5)))
    with qtbot.waitSignal(win.run.finished, timeout=TIMEOUT):
        win.session.start()
    win.state.set_input(subset.x_test[0], int(subset.y_test[0]), "dataset")
    yield win
    win.session.shutdown(5000)


def independent(net, flat, x, label):
    """The scene and prediction of the network with these weights, built from scratch."""
    other = net.copy()
    other.flat[...] = flat
    state = AppState(other)
    view = NetworkView(state)
    state.set_input(x, label, "dataset")
    return view, state


def test_a_live_run_records_the_scheduled_snapshots(trained):
    ts = [m.t for m in trained.timeline.history.moments]
    assert ts == [0, *range(1, 11), 15, 23, 30, 35, 53, 60]  # as tests/core/test_history.py works out
    assert trained.timeline.bar.slider.maximum() == 16
    assert "17 snapshots" in trained.findChild(QLabel, "historyLabel").text()


def test_the_slider_moves_every_view_to_the_snapshot(qtbot, trained):
    win, h = trained, trained.timeline
    latest, x, label = win.state.network.flat.copy(), win.state.x.copy(), win.state.label
    modified = win.state.modified
    for i in (3, 12):
        h.bar.slider.setValue(i)  # what dragging the slider does
        assert h.index == i
        view, state = independent(win.state.network, h.history.weights(i), x, label)
        for layer in range(len(win.state.network.sizes)):
            np.testing.assert_array_equal(win.views.network.neuron_colors(layer), view.neuron_colors(layer))
        np.testing.assert_allclose(win.state.trace.y_hat, state.trace.y_hat, rtol=1e-6)
        assert win.views.draw.predictions.predictedDigit == state.trace.predicted
        inspector = win.findChild(QWidget, "backpropInspector")
        np.testing.assert_allclose(inspector.walk.trace.y_hat, state.trace.y_hat, rtol=1e-6)  # the inspector's trace
        detail = win.findChild(NeuronDetail)
        detail.show_neuron(1, 5)
        np.testing.assert_array_equal(detail.weights()[0], state.network.dense[0].W[5])  # the neuron panel
        win.docks["receptiveFieldsDock"].raise_()
        rf = win.findChild(ReceptiveFieldGallery)
        qtbot.waitUntil(rf.isVisible)
        other = ReceptiveFieldGallery(state)
        np.testing.assert_array_equal(rf.image.image, other.image.image)  # the receptive fields
        win.docks["curvesDock"].raise_()
        assert win.state.modified == modified  # looking back does not change the model
        assert win.curves.cursor.isVisible() and win.curves.cursor.value() == pytest.approx(h.history.moment(i).x)
    win.menu.history["back"].trigger()  # [
    assert h.index == 11
    h.leave()
    np.testing.assert_array_equal(win.state.network.flat, latest)
    assert not win.curves.cursor.isVisible() and h.index is None


def test_float16_snapshot_colours_match_float32(trained):
    """The last snapshot (float16) against the exact latest weights (float32): the same picture."""
    win = trained
    exact = win.state.network.flat.copy()
    x, label = win.state.x, win.state.label
    view16, s16 = independent(win.state.network, win.timeline.history.weights(-1), x, label)
    view32, s32 = independent(win.state.network, exact, x, label)
    for layer in range(len(win.state.network.sizes)):
        diff = np.abs(view16.neuron_colors(layer).astype(int) - view32.neuron_colors(layer).astype(int))
        assert diff.max() <= 8 and np.mean(diff > 0) < 0.05  # at most a neighbouring colour, for a few neurons
    assert s16.trace.predicted == s32.trace.predicted


def test_branch_here_starts_a_run_from_that_snapshot(qtbot, trained):
    win, h = trained, trained.timeline
    started = []
    start = win.run.start
    win.run.start = lambda *a, **k: (started.append(win.state.network.flat.copy()), start(*a, **k))[1]
    h.show(12)
    chosen, moment = h.history.weights(12), h.history.moment(12)
    with qtbot.waitSignal(win.run.batchDone, timeout=TIMEOUT):
        qtbot.mouseClick(win.findChild(QPushButton, "historyBranchButton"), Qt.MouseButton.LeftButton)
    win.session.stop()
    qtbot.waitUntil(lambda: not win.session.running, timeout=TIMEOUT)
    np.testing.assert_array_equal(started[0], chosen)
    assert h.index is None and win.state.modified
    moments = h.history.moments
    assert moments[12] == moment and all(m.t > moment.t for m in moments[13:]) and len(moments) > 13
    xs = win.curves.loss_x
    assert xs == sorted(xs) and moment.x < next(x for x in xs if x > moment.x) < moment.x + 0.5  # continued from
    # the branch point ...
    assert all(x <= moment.x + 1e-9 for x in win.curves.epoch_x)  # ... and the later epochs' points went


def test_history_round_trips_through_a_saved_model(qtbot, trained, tmp_path):
    win = trained
    before = win.timeline.history
    path = tmp_path / "with-history.npz"
    assert win.save_model(path)
    win.session.reset_weights()
    assert len(win.timeline.history) == 0
    assert win.open_model(path)
    after = win.timeline.history
    assert [m.t for m in after.moments] == [m.t for m in before.moments]
    np.testing.assert_array_equal(after.weights(5), before.weights(5))
    assert win.timeline.bar.slider.maximum() == len(before) - 1 and win.curves.loss_x  # the loss curve came back
    again = MainWindow(model_path=path, views=False)  # a window started with that model has its history too
    qtbot.addWidget(again)
    assert len(again.timeline.history) == len(before)


def test_export_animations_of_the_walk_the_history_and_a_lab(qtbot, trained, tmp_path, monkeypatch):
    win = trained
    lab_recording = animation.lab_recording  # 20 steps of the lab's descent (80 by default: 8 s here)
    monkeypatch.setattr(animation, "lab_recording", lambda lab: lab_recording(lab, steps=20))
    inspector = win.findChild(QWidget, "backpropInspector")
    walk_gif = export_animation(win, win.animation_sources(), "backprop", tmp_path / "walk.gif", (320, 200), 4)
    with Image.open(walk_gif) as im:
        assert im.n_frames == inspector.walk.count >= 19 and im.size == (320, 200)
    hist_png = export_animation(win, win.animation_sources(), "history", tmp_path / "history.png", (320, 200), 8)
    with Image.open(hist_png) as im:
        assert im.format == "PNG" and im.n_frames == len(win.timeline.history)
    assert win.timeline.index is None  # the replay put the latest weights back
    lab_gif = export_animation(win, win.animation_sources(), "lab", tmp_path / "lab.gif", (320, 240), 10)
    with Image.open(lab_gif) as im:
        assert im.n_frames > 10


def test_cancel_writes_nothing(qtbot, trained, tmp_path):
    rec = animation.history_recording(trained.timeline, trained.views.network)
    out = animation.write_animation(rec, tmp_path / "x.gif", (200, 120), 5, progress=lambda i, n: i < 3)
    assert out is None and not (tmp_path / "x.gif").exists() and trained.timeline.index is None


def test_an_unknown_format_says_what_works(tmp_path):
    with pytest.raises(animation.AnimationError, match=r"\.gif, \.png \(APNG\) or \.mp4"):
        animation.check_target(tmp_path / "a.avi")


def test_brackets_step_through_the_history_but_the_canvas_keeps_them_for_its_brush(qtbot, trained):
    win, h = trained, trained.timeline
    win.activateWindow()
    win.timeline.bar.slider.setFocus()
    qtbot.keyClick(win.timeline.bar.slider, Qt.Key.Key_BracketLeft)
    assert h.index == len(h.history) - 1  # [ from live: the last snapshot
    qtbot.keyClick(win.timeline.bar.slider, Qt.Key.Key_BracketLeft)
    assert h.index == len(h.history) - 2
    canvas = win.views.draw.canvas
    win.docks["drawDock"].raise_()
    canvas.setFocus()
    width = canvas.brush_width
    qtbot.keyClick(canvas, Qt.Key.Key_BracketRight)
    assert canvas.brush_width == width + 2 and h.index == len(h.history) - 2


def test_the_export_dialog_offers_every_source_and_says_whether_mp4_works(qtbot, trained, tmp_path):
    from PySide6.QtWidgets import QComboBox

    from nnviz.gui.app.animation_dialog import AnimationDialog

    dlg = AnimationDialog(trained, str(tmp_path))
    qtbot.addWidget(dlg)
    assert [dlg.what.itemData(i) for i in range(dlg.what.count())] == ["backprop", "backprop3d", "history", "lab"]
    what, path, size, fps = dlg.settings()
    assert (what, path.suffix, size, fps) == ("backprop", ".gif", (960, 600), 2.0)
    notes = " ".join(label.text() for label in dlg.findChildren(QLabel))
    assert ("no MP4 here" in notes) == (animation.mp4_problem() is not None)
    assert isinstance(dlg.findChild(QComboBox, "animationSource"), QComboBox)


def test_play_runs_through_the_history_and_stops_at_its_end(qtbot, trained):
    h = trained.timeline
    seen = []
    h.positionChanged.connect(seen.append)
    qtbot.mouseClick(trained.findChild(QPushButton, "historyPlayButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not h.bar.play_button.isChecked(), timeout=TIMEOUT)
    shown = [i for i in seen if i is not None]
    assert shown == list(range(len(h.history)))  # every snapshot in order, from the first
    assert h.index == len(h.history) - 1  # it stays on the last moment


def test_divergence_marks_stack_apart_and_a_branch_forgets_the_later_ones(qtbot):
    """Two divergences wrote their labels over each other and over the legend; Branch here kept the old
    run's markers."""
    from types import SimpleNamespace

    from nnviz.gui.training.curves import CurvesWidget

    curves = CurvesWidget()
    qtbot.addWidget(curves)
    for epoch in range(4):
        curves.add_batch(SimpleNamespace(epoch=epoch, batch=0, n_batches=1), 1.0 / (epoch + 1))
    curves.mark_divergence(2.8e3)
    curves.add_batch(SimpleNamespace(epoch=5, batch=0, n_batches=1), 0.1)
    curves.mark_divergence(float("nan"))
    lines = [item for _x, items in curves._marks for item in items if hasattr(item, "label")]
    positions = [line.label.orthoPos for line in lines]
    assert len(positions) == 2 and abs(positions[0] - positions[1]) >= 0.1  # stacked, not on top of each other
    assert all(p < 0.75 for p in positions)  # below the legend (top right)
    first_x = curves._marks[0][0]
    curves.truncate(first_x + 0.5)
    assert len(curves._marks) == 1 and curves._marks[0][0] == first_x
    curves.truncate(first_x - 0.5)
    assert not curves._marks


def test_the_history_slider_keeps_its_width_whatever_the_label_says(qtbot):
    """While dragged, the label's longer text took the slider's room (it shrank to ~30 px)."""
    from nnviz.gui.training.timeline_bar import TimelineBar

    bar = TimelineBar()
    qtbot.addWidget(bar)
    bar.resize(860, 40)
    bar.show()
    bar.set_count(75, "75 snapshots, 39 MB of 40 MB")
    qtbot.waitUntil(lambda: bar.slider.width() > 0)
    before = bar.slider.width()
    bar.set_position(3, "snapshot 4 of 75 · epoch 0.04 · batch 19 · loss 0.734 · accuracy 81.2 % · 39 MB of 40 MB")
    QApplication.processEvents()
    assert bar.slider.width() >= max(110, before - 2)
    assert bar.label.text().startswith("snapshot 4 of 75") and "39 MB of 40 MB" in bar.label.toolTip()


def test_a_model_whose_history_is_hand_edited_opens_and_says_the_history_did_not(qtbot, tmp_path):
    from nnviz.core.history import PREFIX

    net = Network(Architecture((784, 8, 10)), seed=0)
    history = History(schedule=Schedule(dense=2, growth=1.5))
    history.begin_run(net.flat)
    arrays = history.arrays()
    arrays[PREFIX + "meta_json"] = np.frombuffer(b'{"budget_mb": Infinity, "schedule": {"dense": 2, "growth": 1.5}}',
                                                 np.uint8)
    modelio.save_model(net, tmp_path / "edited.npz", {"note": "edited"}, extra=arrays)
    win = MainWindow(views=False)
    qtbot.addWidget(win)
    messages = []
    win.timeline.message.connect(messages.append)
    assert win.open_model(tmp_path / "edited.npz")
    assert win.state.network.arch == net.arch and len(win.timeline.history) == 0
    assert messages and messages[0].startswith("edited.npz: the model opened, its history did not")
    assert "Infinity is not a number" in messages[0]


@pytest.mark.parametrize("source", ["history", "backprop"])
def test_recordings_of_the_flat_scene_follow_it_while_the_3d_view_is_chosen(qtbot, trained, source):
    """The flat scene waits while the 3-D view is on show; a recording of it (the 3-D choice remembered, as
    `nnviz animate` finds it) still gets a picture per moment."""
    view = trained.views.network
    view.set_3d(True)
    if source == "history":
        rec = animation.history_recording(trained.timeline, view)
    else:
        rec = animation.backprop_recording(trained.findChild(QWidget, "backpropInspector").walk, view)
    colours = []
    for i in (0, rec.count - 1):
        rec.go(i)
        colours.append(view.neuron_colors(1))  # the first hidden layer as the frame shows it
    rec.finish()
    assert not np.array_equal(colours[0], colours[1])
    assert view.items.paused  # (behind the 3-D view again)
