"""First contact (issue 11): at launch the drawing, the prediction and the scene are on show together,
every panel fits a 1366x768 screen without scroll bars, and the shipped model is safe.

The window is fitted to a screen's available area the way it is at launch (MainWindow.fit_to), less a
title bar and a task bar at 1366x768, so the test sees what a user on a small laptop sees.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect
from PySide6.QtGui import QRegion
from PySide6.QtWidgets import QAbstractScrollArea, QApplication, QScrollBar, QWidget

from nnviz.gui import MainWindow

SCREENS = {"1366x768": QRect(0, 0, 1366, 768 - 40 - 30), "1920x1080": QRect(0, 0, 1920, 1080 - 40 - 30)}


@pytest.fixture(autouse=True)
def private_settings(tmp_path, monkeypatch):
    monkeypatch.setenv("NNVIZ_SETTINGS_DIR", str(tmp_path / "settings"))


def launch(qtbot, screen: QRect) -> MainWindow:
    win = MainWindow()
    qtbot.addWidget(win)
    win.fit_to(screen)
    win.show()
    qtbot.waitExposed(win)
    settle(qtbot)
    return win


def settle(qtbot) -> None:
    for _ in range(3):
        QApplication.processEvents()
        qtbot.wait(20)  # layouts and the dock sizes set in a zero-time timer


def scroll_bars_shown(root: QWidget) -> list[str]:
    """The visible scroll bars of the scroll areas under root (a panel's whole content must fit)."""
    found = []
    for area in root.findChildren(QAbstractScrollArea):
        if not area.isVisible() or area.visibleRegion().isEmpty():
            continue
        for bar in (area.horizontalScrollBar(), area.verticalScrollBar()):
            if isinstance(bar, QScrollBar) and bar.isVisible() and bar.maximum() > 0:
                found.append(f"{area.objectName() or type(area).__name__} ({area.parent().objectName()})")
    return found


def fully_visible(widget: QWidget) -> bool:
    return widget.isVisible() and widget.visibleRegion() == QRegion(widget.rect())


@pytest.mark.parametrize("size", list(SCREENS))
def test_drawing_prediction_and_scene_are_on_show_at_launch_and_nothing_scrolls(qtbot, size):
    win = launch(qtbot, SCREENS[size])
    panel = win.draw_panel
    assert win.tabs.tabText(win.tabs.currentIndex()) == "Network"
    assert panel.canvas.is_empty() and win.state.x is None  # an empty canvas that invites a digit
    for widget in (panel.canvas, panel.predictions):
        assert fully_visible(widget), f"{widget.objectName()} is not fully visible at {size}: " \
            f"{widget.visibleRegion().boundingRect()} of {widget.rect()}"
    scene = win.network_view  # (its own children cover its visible region: it is the window that must hold it)
    where = QRect(scene.mapTo(win, scene.rect().topLeft()), scene.size())
    assert scene.isVisible() and win.rect().contains(where) and scene.height() >= 300 and scene.width() >= 600
    assert panel.browser.random_button.isVisible()  # MNIST digits one click away
    problems = []
    for name, dock in win.docks.items():
        if dock.isHidden():
            continue  # (panels hidden by default, such as a lecture tour)
        dock.raise_()
        settle(qtbot)
        problems += [f"{name}: {bar}" for bar in scroll_bars_shown(dock)]
    win.tabs.setCurrentIndex(win.tabs.indexOf(win.tabs.widget(1)))
    settle(qtbot)
    labs = win.findChild(QWidget, "labs")
    for i in range(labs.count()):
        labs.setCurrentIndex(i)
        settle(qtbot)
        problems += [f"lab {labs.tabText(i)}: {bar}" for bar in scroll_bars_shown(win.centralWidget())]
    assert not problems, f"scroll bars at {size}: {problems}"
