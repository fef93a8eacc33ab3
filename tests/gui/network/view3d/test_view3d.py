"""The Network view's 3-D toggle (issue 24), offscreen: Qt's offscreen platform has no OpenGL, so the 3-D view
says so in one line and the rest of the app works as before (the real drawing: test_view3d_real.py)."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtWidgets import QLabel

from nnviz.gui import settings
from nnviz.gui.network.view import NetworkView


def test_without_opengl_the_3d_view_says_why_and_how_to_get_it(qtbot, window):
    view = window.views.network
    view.controls.three_d.trigger()
    assert view.showing_3d() and not view.view3d.available
    label = view.view3d.findChild(QLabel, "network3dUnavailable")
    assert "OpenGL" in label.text() and "libgl1-mesa-dri" in label.text()
    with pytest.raises(ValueError, match="OpenGL"):
        view.export(str(window.state.path.with_suffix(".png")))
    view.controls.three_d.trigger()  # back to the flat scene, which works as before
    assert not view.showing_3d() and view.stack.currentWidget() is view.canvas
    view.hover_neuron(1, 3)
    assert view.model.hovered == (1, 3)


def test_the_choice_is_remembered(qtbot, window):
    window.views.network.set_3d(True)
    assert settings.get_str("network/3d") == "1"
    again = NetworkView(window.state)
    qtbot.addWidget(again)
    assert again.showing_3d() and again.controls.three_d.isChecked()
    again.set_3d(False)
    assert settings.get_str("network/3d") == "0"


@pytest.mark.parametrize("name", ["net.png", "net.svg"])
def test_file_export_picture_of_the_3d_view_that_cannot_be_written_says_why(qtbot, window, tmp_path, monkeypatch,
                                                                          name):
    """The monkey's Ctrl+E with the 3-D view on show (no OpenGL here; SVG never): a message, nothing raised."""
    from PySide6.QtWidgets import QFileDialog
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / name), ""))
    window.views.network.set_3d(True)
    assert window.current_view() is window.views.network
    window.export_picture_dialog()
    assert window.error_box.objectName() == "exportPictureError"
    assert "OpenGL" in window.error_box.text()
    assert not (tmp_path / name).exists()


def test_the_flat_scene_waits_behind_the_3d_view_and_catches_up(qtbot, window):
    """Hidden behind the 3-D view, the flat scene neither recolours nor redraws its edges for each stroke; shown
    again, it shows the input of now."""
    view, state = window.views.network, window.state
    view.set_3d(True)
    before = view.neuron_colors(0)
    state.set_input(np.linspace(0, 1, 784, dtype=np.float32), None, "canvas")
    assert np.array_equal(view.neuron_colors(0), before) and view.items._missed == {"neurons"}
    view.set_3d(False)
    assert not np.array_equal(view.neuron_colors(0), before) and not view.items._missed


def test_without_opengl_the_camera_keys_do_nothing_and_raise_nothing(qtbot, window):
    """(The monkey sends keys to any widget: 1-4, R and Space reach the 3-D view through its one-line note.)"""
    from PySide6.QtCore import Qt

    view = window.views.network
    view.set_3d(True)
    note = view.view3d.findChild(QLabel, "network3dUnavailable")
    with qtbot.capture_exceptions() as errors:
        for key in (Qt.Key.Key_1, Qt.Key.Key_4, Qt.Key.Key_R, Qt.Key.Key_Space):
            qtbot.keyClick(note, key)
    assert not errors, errors
