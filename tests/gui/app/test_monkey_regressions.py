"""Regression tests for what the monkey test (test_monkey.py) found."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from nnviz.core.training import Split
from nnviz.gui import MainWindow
from tests.helpers import mnist  # noqa: F401 (fixture)


@pytest.fixture
def window(qtbot, tmp_path, monkeypatch, mnist):  # noqa: F811
    monkeypatch.setenv("NNVIZ_SETTINGS_DIR", str(tmp_path / "settings"))
    win = MainWindow(data=Split(mnist.x_train[:500], mnist.y_train[:500], mnist.x_test[:200], mnist.y_test[:200]))
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    yield win
    win.views.presenter.leave()
    win.session.shutdown(5000)


def press(key, modifier=Qt.KeyboardModifier.NoModifier):
    QTest.keyClick(QApplication.focusWidget() or QApplication.activeWindow(), key, modifier)


def test_the_menu_shortcuts_still_work_in_presenter_mode_where_the_menu_bar_is_hidden(qtbot, window):
    """F11 entered presenter mode but could not leave it: the hidden menu bar took its shortcuts along."""
    stepped = []
    window.menu.train["step"].triggered.connect(lambda *_: stepped.append(True))
    press(Qt.Key.Key_F11)
    assert window.views.presenter.active and not window.menuBar().isVisible()
    press(Qt.Key.Key_F10)  # a Train menu shortcut, with the menu out of sight
    assert stepped
    press(Qt.Key.Key_F11)
    assert not window.views.presenter.active and window.menuBar().isVisible()


def test_closing_the_window_stops_the_labs_threads(qtbot, window):
    """Quitting while the 2-D playground trained destroyed its running QThread: the process aborted."""
    window.tabs.setCurrentIndex([window.tabs.tabText(i) for i in range(window.tabs.count())].index("Labs"))
    labs = window.findChild(QWidget, "labs")
    labs.setCurrentWidget(labs.playground)
    labs.playground.toggle_play()
    runner = labs.playground.runner
    qtbot.waitUntil(lambda: runner.running)
    window.close()
    assert not runner.running
