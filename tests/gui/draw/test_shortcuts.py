"""The Draw panel's keys reach it: none is taken by a menu's shortcut of the same keys (Qt fires neither of two
shortcuts that match at once, and says "Ambiguous shortcut" on stderr)."""

from __future__ import annotations

from PySide6.QtCore import Qt
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
