"""First contact (issue 11): at launch the drawing, the prediction and the scene are on show together,
every panel fits a 1366x768 screen without scroll bars, and the shipped model is safe.

The window is fitted to a screen's available area the way it is at launch (MainWindow.fit_to), less a
title bar and a task bar at 1366x768, so the test sees what a user on a small laptop sees.
"""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QRect
from PySide6.QtGui import QAction, QRegion
from PySide6.QtWidgets import QAbstractScrollArea, QApplication, QLabel, QScrollBar, QTabWidget, QWidget

from nnviz.core import modelio
from nnviz.core.preprocess import deskew
from nnviz.core.training import evaluate
from nnviz.gui import MainWindow
from nnviz.gui.look import themes
from nnviz.gui.training import fine_tune
from tests.helpers import mnist  # noqa: F401 (fixture)

SCREENS = {"1366x768": QRect(0, 0, 1366, 768 - 40 - 30), "1920x1080": QRect(0, 0, 1920, 1080 - 40 - 30)}


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
    panel = win.views.draw
    assert win.tabs.tabText(win.tabs.currentIndex()) == "Network"
    assert panel.canvas.is_empty() and win.state.x is None  # an empty canvas that invites a digit
    for widget in (panel.canvas, panel.predictions):
        assert fully_visible(widget), f"{widget.objectName()} is not fully visible at {size}: " \
            f"{widget.visibleRegion().boundingRect()} of {widget.rect()}"
    scene = win.views.network  # (its own children cover its visible region: it is the window that must hold it)
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
        for tabs in dock.findChildren(QTabWidget):  # each tab of a panel (the inspector's scalar chain, its tools)
            for i in range(tabs.count()):
                tabs.setCurrentIndex(i)
                settle(qtbot)
                problems += [f"{name} / {tabs.tabText(i)}: {bar}" for bar in scroll_bars_shown(dock)]
            tabs.setCurrentIndex(0)
    win.tabs.setCurrentIndex(win.tabs.indexOf(win.tabs.widget(1)))
    settle(qtbot)
    labs = win.findChild(QWidget, "labs")
    for i in range(labs.count()):
        labs.setCurrentIndex(i)
        settle(qtbot)
        problems += [f"lab {labs.tabText(i)}: {bar}" for bar in scroll_bars_shown(win.centralWidget())]
    assert not problems, f"scroll bars at {size}: {problems}"


def test_clicking_a_neuron_brings_its_weights_forward(qtbot):
    from PySide6.QtCore import Qt

    win = launch(qtbot, SCREENS["1366x768"])
    win.views.draw.browser.load(0)
    view, dock = win.views.network, win.docks["neuronDock"]
    assert dock.visibleRegion().isEmpty()  # behind the drawing at launch
    pos = view.canvas.mapFromScene(view.neuron_scene_pos(2, 10))
    with qtbot.waitSignal(view.neuronClicked, timeout=2000):
        qtbot.mouseClick(view.canvas.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    settle(qtbot)
    detail = dock.widget().widget()
    assert not dock.visibleRegion().isEmpty() and detail.isVisible()
    shown, what = detail.weights()
    np.testing.assert_array_equal(shown, win.state.network.dense[1].W[10])
    assert what == "incoming weights"
    assert not scroll_bars_shown(dock)  # its weights, histogram and top inputs fit at 1366x768


def test_picking_a_neuron_for_the_gradient_check_keeps_the_inspector_in_view(qtbot):
    from PySide6.QtCore import Qt

    from nnviz.gui.inspector import InspectorPanel

    win = launch(qtbot, SCREENS["1366x768"])
    win.views.draw.browser.load(0)
    inspector_dock = win.docks["inspectorDock"]
    inspector_dock.raise_()
    settle(qtbot)
    view, panel = win.views.network, win.findChild(InspectorPanel)
    pos = view.canvas.mapFromScene(view.neuron_scene_pos(3, 3))
    with qtbot.waitSignal(view.neuronClicked, timeout=2000):
        qtbot.mouseClick(view.canvas.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    settle(qtbot)
    assert not inspector_dock.visibleRegion().isEmpty() and win.docks["neuronDock"].visibleRegion().isEmpty()
    assert panel.gradcheck_focus() == (3, 3)
    with qtbot.waitSignal(panel.gradcheck.checked, timeout=20_000) as done:
        assert panel.gradcheck.check()
    assert done.args[0].ok, done.args[0].text()


def test_modified_mark_and_open_shipped_model_bring_it_back(qtbot):
    win = launch(qtbot, SCREENS["1366x768"])
    summary = win.findChild(QLabel, "modelSummaryLabel")
    shipped = win.state.network.flat.copy()
    assert win.state.path == modelio.SHIPPED_MODEL and "modified" not in summary.text()
    win.state.set_weights(shipped * 0.5)  # any change of the weights (training, an applied update)
    assert "(modified)" in summary.text() and win.isWindowModified()
    win.session.reset_weights()
    assert "(modified)" in summary.text() and "unsaved" in summary.text()
    act = win.findChild(QAction, "openShippedAction")
    assert act is not None and act in win.menuBar().actions()[0].menu().actions()
    act.trigger()
    np.testing.assert_array_equal(win.state.network.flat, shipped)
    assert win.state.path == modelio.SHIPPED_MODEL and "modified" not in summary.text()
    win.menu.recent.aboutToShow.emit()  # the recent list offers it too
    assert "recentShippedAction" in [a.objectName() for a in win.menu.recent.actions()]


def test_start_on_the_shipped_model_asks_and_fine_tunes_at_a_rate_that_keeps_it(qtbot, subset, monkeypatch):
    asked = []
    monkeypatch.setattr(fine_tune, "ask_start", lambda parent, text: asked.append(text) or fine_tune.FINE_TUNE)
    win = MainWindow(data=subset)
    qtbot.addWidget(win)
    start_acc = win.state.card["test_accuracy"]
    win.train_panel.epochs_spin.setValue(1)
    with qtbot.waitSignal(win.run.finished, timeout=60_000):
        win.session.start()
    assert len(asked) == 1 and "fine-tuning" in asked[0] and "fresh" in asked[0]
    assert win.train_panel.lr_spin.value() == pytest.approx(1e-5)  # Adam's fine-tuning rate, not 0.001
    # (measured on 1,000 test digits here: the shipped model's whole-test-set figure is the yardstick's)
    x, y = deskew(subset.x_test), subset.y_test
    _loss, acc = evaluate(win.state.network, x, y)
    before, _ = modelio.load_model(modelio.SHIPPED_MODEL)
    assert acc >= evaluate(before, x, y)[1] and start_acc >= 0.99
    assert "(modified)" in win.findChild(QLabel, "modelSummaryLabel").text()


def test_start_on_the_shipped_model_can_start_from_fresh_weights_or_be_cancelled(qtbot, subset, monkeypatch):
    answer = [None]
    monkeypatch.setattr(fine_tune, "ask_start", lambda parent, text: answer[0])
    win = MainWindow(data=subset)
    qtbot.addWidget(win)
    shipped = win.state.network.flat.copy()
    win.session.start()  # cancelled: nothing happens
    assert not win.session.running and win.state.path == modelio.SHIPPED_MODEL
    np.testing.assert_array_equal(win.state.network.flat, shipped)
    answer[0] = fine_tune.FRESH
    win.train_panel.epochs_spin.setValue(1)
    with qtbot.waitSignal(win.run.finished, timeout=60_000):
        win.session.start()
    assert win.state.path is None and win.train_panel.lr_spin.value() == pytest.approx(1e-3)


def test_divergence_shows_in_the_loss_curve_and_suggests_a_rate_for_the_optimiser(qtbot, subset):
    win = MainWindow(data=subset)
    qtbot.addWidget(win)
    win.train_panel.lr_spin.setValue(10.0)  # Adam
    with qtbot.waitSignal(win.run.diverged, timeout=60_000) as diverged:
        win.session.start()
    assert "for example 0.001 for adam" in diverged.args[0].message
    curves = win.curves
    assert curves.loss_y and curves.loss_y[-1] > 10 * min(curves.loss_y)  # the explosion is drawn
    labels = [m.label for _x, items in curves._marks for m in items if hasattr(m, "label")]
    assert any("restored" in label.format for label in labels)
    text = win.session.divergence_box.text() + win.session.divergence_box.informativeText()
    assert ("exploded to" in text) != ("NaN or infinite" in text)  # one cause, not two that contradict


def test_every_inspector_step_fits_its_formula_panel_at_1366x768(qtbot):
    from nnviz.gui.inspector import InspectorPanel

    win = launch(qtbot, SCREENS["1366x768"])
    win.views.draw.browser.load(0)  # a real digit: its dead ReLUs add a "why zeros?" line to some steps
    win.docks["inspectorDock"].raise_()
    settle(qtbot)
    panel = win.findChild(InspectorPanel)
    cut = []
    for i in range(len(panel.walk.steps) if hasattr(panel.walk, "steps") else 19):
        panel.go(i)
        QApplication.processEvents()
        f = panel.formula
        if f.layout().totalHeightForWidth(f.width()) > f.height():
            cut.append(f.title.text())
    assert not cut, f"formulas cut at 1366x768: {cut}"
    assert not scroll_bars_shown(win.docks["inspectorDock"])


def test_a_rearranged_layout_is_kept_and_reset_layout_brings_the_default_back(qtbot):
    from PySide6.QtCore import Qt

    win = launch(qtbot, SCREENS["1920x1080"])
    curves = win.docks["curvesDock"]
    win.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, curves)  # the user drags the curves to the left
    win.docks["trainDock"].raise_()
    settle(qtbot)
    win.close()
    again = launch(qtbot, SCREENS["1920x1080"])
    assert again.dockWidgetArea(again.docks["curvesDock"]) == Qt.DockWidgetArea.LeftDockWidgetArea
    assert again.docks["drawDock"].visibleRegion().isEmpty()  # the training panel is in front, as left
    again.findChild(QAction, "resetLayoutAction").trigger()
    settle(qtbot)
    assert again.dockWidgetArea(again.docks["curvesDock"]) == Qt.DockWidgetArea.BottomDockWidgetArea
    assert fully_visible(again.views.draw.canvas) and fully_visible(again.views.draw.predictions)


def test_light_theme_reaches_the_scene_and_plots_keep_their_own_units(qtbot):
    from nnviz.gui.inspector.grad_norms import GradNormPlot
    from nnviz.gui.network.neuron_detail import NeuronDetail

    win = launch(qtbot, SCREENS["1366x768"])
    try:
        win.set_theme("light")
        settle(qtbot)
        background = win.views.network.canvas.backgroundBrush().color()
        assert background.lightness() > 200 and themes.current().text.lightness() < 80  # light paper, dark text
    finally:
        win.set_theme("dark")
    assert win.views.network.canvas.backgroundBrush().color().lightness() < 40
    hist = win.findChild(NeuronDetail).hist.getPlotItem()
    plot = win.findChild(GradNormPlot).getPlotItem()
    assert not hist.getAxis("bottom").autoSIPrefix and not plot.getAxis("left").autoSIPrefix  # no "(x0.001)"


def test_the_hovered_neurons_tooltip_follows_new_numbers(qtbot):
    win = launch(qtbot, SCREENS["1366x768"])
    win.views.draw.browser.load(0)
    view = win.views.network
    view.hover_neuron(3, 7)
    before = view.last_tooltip
    win.state.set_weights(win.state.network.flat * 1.5)  # (training sends new weights like this)
    assert view.last_tooltip != before and view.last_tooltip == view.model.tooltip_text(3, 7)


def test_log_axes_never_overprint_and_write_plain_numbers(qtbot):
    from nnviz.gui.look.axes import LogAxis, log_label

    axis = LogAxis("left")
    axis.setLogMode(False, True)
    for lo, hi, px in ((-1.0, 1.0, 150), (-0.4, 9.2, 120), (-3.0, 0.5, 400)):
        labelled = axis.tickValues(lo, hi, px)[0][1]
        assert 2 <= len(labelled) <= px // 18, (lo, hi, labelled)
    assert [log_label(v) for v in (0.002, 5, 2000, 1e8, 5e-6)] == ["0.002", "5", "2,000", "10⁸", "5·10⁻⁶"]


@pytest.mark.parametrize("opener", ["open_model_dialog", "start"])
def test_ctrl_q_in_a_modal_dialog_cancels_it_and_closes_the_window(qtbot, monkeypatch, tmp_path, opener):
    """Quit works while a modal dialog waits (a file dialog, Start's question): as Esc, then Quit."""
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtTest import QTest

    monkeypatch.undo()  # the real Start question (conftest answers it for the other tests)
    monkeypatch.setenv("NNVIZ_SETTINGS_DIR", str(tmp_path / "settings"))
    win = launch(qtbot, QRect(0, 0, 1366, 768))
    seen = []

    def press_quit_in_the_dialog():
        dialog = QApplication.activeModalWidget()
        if dialog is None or not dialog.isActiveWindow():
            QTimer.singleShot(20, press_quit_in_the_dialog)
            return
        seen.append(dialog.windowTitle())
        QTest.keyClick(dialog, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)

    QTimer.singleShot(0, press_quit_in_the_dialog)
    QTimer.singleShot(10_000, lambda: (d := QApplication.activeModalWidget()) and d.reject())  # fails, not hangs
    opened = win.open_model_dialog if opener == "open_model_dialog" else win.session.start
    opened()  # returns when the dialog is gone
    qtbot.waitUntil(lambda: not win.isVisible())
    assert seen and not win.state.training and QApplication.activeModalWidget() is None
