"""Presenter mode: large fonts, no chrome but the tour and the view, and a clicker's keys.

    presenter = PresenterMode(window, tour_dock, tour)
    presenter.toggle()        # View > Presenter mode (F11); Esc leaves

While it is on: the application font is 1.5x, the scene's edges twice as thick; the menu bar, status
bar, tab bar and every panel but the tour and the one the step opens are hidden. PageDown / Right /
Down go to the next step, PageUp / Left / Up to the previous one, Space plays or pauses the animation
on screen (the inspector's walk, the playground, the traffic fit) or, with none, goes on. Leaving
restores the layout.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QEvent, QObject, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QWidget

from nnviz.gui import colormaps

FONT_SCALE = 1.5
LINE_SCALE = 2.0  # the network scene's edges, in device pixels
NEXT_KEYS = {Qt.Key.Key_PageDown, Qt.Key.Key_Right, Qt.Key.Key_Down}
BACK_KEYS = {Qt.Key.Key_PageUp, Qt.Key.Key_Left, Qt.Key.Key_Up}
STEP_DOCKS = {"dock": None, "inspector_tab": "inspectorDock", "inspector_step": "inspectorDock",
              "chain_step": "inspectorDock", "inspector_tool": "inspectorDock", "digit": "drawDock"}


class PresenterMode(QObject):
    toggled = Signal(bool)

    def __init__(self, window, tour_dock, tour) -> None:
        super().__init__(window)
        self.window_, self.tour_dock, self.tour = window, tour_dock, tour
        self.active = False
        self._layout: QByteArray | None = None
        self._font: QFont | None = None
        tour.stepChanged.connect(lambda _i: self._show_step_docks())

    def toggle(self) -> None:
        self.leave() if self.active else self.enter()

    def enter(self) -> None:
        if self.active:
            return
        win, app = self.window_, QApplication.instance()
        self._layout = win.saveState()
        self._font = QFont(app.font())
        big = QFont(self._font)
        big.setPointSizeF(self._font.pointSizeF() * FONT_SCALE)
        app.setFont(big)
        self._lines(LINE_SCALE)
        win.menuBar().hide()
        win.statusBar().hide()
        win.tabs.tabBar().hide()
        self.tour_dock.show()
        self.active = True
        app.installEventFilter(self)
        if self.tour.step is None:
            self.tour.resume()
        self._show_step_docks()
        self.toggled.emit(True)

    def leave(self) -> None:
        if not self.active:
            return
        win, app = self.window_, QApplication.instance()
        app.removeEventFilter(self)
        self.active = False
        if self._font is not None:
            app.setFont(self._font)
        self._lines(1.0)
        win.menuBar().show()
        win.statusBar().show()
        win.tabs.tabBar().show()
        if self._layout is not None:
            win.restoreState(self._layout)
        self.toggled.emit(False)

    def _lines(self, scale: float) -> None:
        """Thicker (or normal) edges in the network scene, redrawn at once."""
        colormaps.LINE_SCALE = scale
        view = getattr(self.window_, "network_view", None)
        if view is not None:
            view.refresh_edges(weights_changed=True)

    def _show_step_docks(self) -> None:
        """Only the tour and the panel the step works in stay visible."""
        if not self.active:
            return
        step = self.tour.step
        wanted = {self.tour_dock.objectName()}
        for key, dock in STEP_DOCKS.items():
            if step is not None and key in step.actions:
                wanted.add(dock or step.actions[key])
        for name, dock in self.window_.docks.items():
            if name not in wanted:
                dock.hide()
            else:
                dock.show()

    # --- the clicker ----------------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(watched, QWidget) \
                or watched.window() is not self.window_:
            return False
        key = event.key()
        if key in NEXT_KEYS:
            self.tour.next()
        elif key in BACK_KEYS:
            self.tour.back()
        elif key == Qt.Key.Key_Space:
            if not self._play_pause():
                self.tour.next()
        elif key == Qt.Key.Key_Escape:
            self.leave()
        else:
            return False
        return True

    def _play_pause(self) -> bool:
        """Play or pause the animation on screen; False when there is none."""
        win = self.window_
        inspector = win.findChild(QWidget, "backpropInspector")
        if inspector is not None and inspector.isVisible() and not inspector.visibleRegion().isEmpty():
            inspector.controls.toggle_play()
            return True
        playground = win.findChild(QWidget, "playground")
        if playground is not None and playground.isVisible() and not playground.visibleRegion().isEmpty():
            playground.toggle_play()
            return True
        traffic = win.findChild(QWidget, "trafficLab")
        if traffic is not None and traffic.isVisible() and not traffic.visibleRegion().isEmpty():
            traffic.toggle_fit()
            return True
        return False
