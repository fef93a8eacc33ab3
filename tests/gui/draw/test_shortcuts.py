"""The Draw panel's keys reach it: none is taken by a menu's shortcut of the same keys (Qt fires neither of two
shortcuts that match at once, and says "Ambiguous shortcut" on stderr)."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAction, QShortcut


def test_ctrl_r_in_the_draw_panel_picks_a_random_digit(qtbot, window):
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    panel = window.views.draw
    panel.canvas.setFocus()
    with qtbot.waitSignal(window.state.inputChanged, timeout=3000):
        qtbot.keyClick(panel.canvas, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    assert window.state.source == "dataset"


def test_no_key_of_the_draw_panel_is_also_a_menu_shortcut(window):
    panel_keys = {sc.key().toString() for sc in window.views.draw.findChildren(QShortcut)}
    menu_keys = {k.toString() for a in window.findChildren(QAction) for k in a.shortcuts()} - {""}
    assert not panel_keys & menu_keys


def test_no_two_keys_of_the_draw_panel_are_the_same(window):
    """(Redo is Ctrl+Y on Qt's offscreen platform and on Windows, and the panel adds Ctrl+Y of its own.)"""
    keys = [sc.key().toString() for sc in window.views.draw.findChildren(QShortcut)]
    assert len(keys) == len(set(keys)), keys


def test_ctrl_z_and_ctrl_y_undo_and_redo_a_stroke(qtbot, window):
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    canvas = window.views.draw.canvas
    canvas.setFocus()
    centre = canvas.rect().center()
    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=centre)
    qtbot.mouseMove(canvas, centre + QPoint(30, 30))
    qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=centre + QPoint(30, 30))
    assert not canvas.is_empty()
    qtbot.keyClick(canvas, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert canvas.is_empty()
    qtbot.keyClick(canvas, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert not canvas.is_empty()
