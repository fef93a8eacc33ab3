"""Presenter mode: large fonts, no chrome but the tour and the view, and a clicker's keys.

    presenter = PresenterMode(window, tour_dock, tour)
    presenter.toggle()        # View > Presenter mode (F11); Esc leaves

While it is on: the step's text, the central view (the network scene with its legend, the labs) are 1.5x
larger, the scene's edges twice as thick; the menu bar, status bar, tab bar and every panel but the tour
and the one the step opens are hidden. The side panels the steps open (the backprop inspector, Draw)
keep their size, so that all of each stays on a 1366x768 projector. PageDown / Right /
Down go to the next step, PageUp / Left / Up to the previous one, Space plays or pauses what moves on
screen (the scalar chain, the inspector's walk, the playground, the traffic fit, the neuron's training)
and says so in the tour; where nothing can play it says that instead. Leaving
restores the layout.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import QApplication, QWidget

from nnviz.gui import colormaps

FONT_SCALE = 1.5
LINE_SCALE = 2.0  # the network scene's edges, in device pixels
NEXT_KEYS = {Qt.Key.Key_PageDown, Qt.Key.Key_Right, Qt.Key.Key_Down}
BACK_KEYS = {Qt.Key.Key_PageUp, Qt.Key.Key_Left, Qt.Key.Key_Up}
STEP_DOCKS = {"dock": None, "inspector_tab": "inspectorDock", "inspector_step": "inspectorDock",
              "chain_step": "inspectorDock", "inspector_tool": "inspectorDock", "digit": "drawDock"}


def _enlarge(widget: QWidget, on: bool, extra: str = "") -> None:
    """widget and everything in it at FONT_SCALE × the application's font (or back). A style sheet, not
    setFont: the theme's style sheet decides the fonts of the widgets it styles (docks, tab bars)."""
    size = QApplication.font().pointSizeF() * FONT_SCALE
    widget.setStyleSheet(f"* {{ font-size: {size:g}pt; }} {extra}" if on else "")


class PresenterMode(QObject):
    toggled = Signal(bool)

    def __init__(self, window, tour_dock, tour) -> None:
        super().__init__(window)
        self.window_, self.tour_dock, self.tour = window, tour_dock, tour
        self.active = False
        self._layout: QByteArray | None = None
        tour.stepChanged.connect(lambda _i: self._show_step_docks())

    def toggle(self) -> None:
        self.leave() if self.active else self.enter()

    def enter(self) -> None:
        if self.active:
            return
        win, app = self.window_, QApplication.instance()
        self._layout = win.workspace_layout()  # the Network tab's panels, even while Labs has the window
        self._enlarge(True)
        self._scene(True)
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
        self._enlarge(False)
        self._scene(False)
        win.menuBar().show()
        win.statusBar().show()
        win.tabs.tabBar().show()
        if self._layout is not None:  # exactly the panels from before, whichever tab the walk ended on
            win.restore_workspace_layout(self._layout)
        self.tour_dock.show()
        self.toggled.emit(False)

    def _enlarge(self, on: bool) -> None:
        """The tour's step text (its title in proportion) and the central view, 1.5x larger (or back)."""
        heading = QApplication.font().pointSizeF() * FONT_SCALE * self.tour.HEADING_SCALE
        _enlarge(self.tour_dock, on, f"QLabel#tourHeading {{ font-size: {heading:g}pt; font-weight: bold; }}")
        _enlarge(self.window_.tabs, on)

    def _scene(self, on: bool) -> None:
        """Thicker edges and larger colour bars and legend in the network scene (or back), redrawn at once."""
        colormaps.LINE_SCALE = LINE_SCALE if on else 1.0
        view = getattr(self.window_, "network_view", None)
        if view is not None:
            view.legend_row.set_text_scale(FONT_SCALE if on else 1.0)
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
            played = self._play_pause()
            self.tour.notice(f"Space: {played}" if played else
                             "Nothing plays on this step: PageDown (or →) goes on")
        elif key == Qt.Key.Key_Escape:
            self.leave()
        else:
            return False
        return True

    def _play_pause(self) -> str:
        """Play or pause the animation on screen; what it toggled, or "" when nothing on screen plays."""
        win = self.window_

        def shown(name: str):
            w = win.findChild(QWidget, name)
            return w if w is not None and w.isVisible() and not w.visibleRegion().isEmpty() else None

        chain, inspector = shown("scalarChain"), shown("backpropInspector")
        if chain is not None:
            chain.controls.toggle_play()
            return "the scalar chain " + ("plays" if chain.controls.playing else "pauses")
        if inspector is not None:
            inspector.controls.toggle_play()
            return "the backprop walk " + ("plays" if inspector.controls.playing else "pauses")
        for name, toggle, what in (("playground", "toggle_play", "the playground"),
                                   ("trafficLab", "toggle_fit", "gradient descent on the traffic curve"),
                                   ("singleNeuron", "toggle_train", "the neuron's training")):
            w = shown(name)
            if w is not None:
                getattr(w, toggle)()
                return f"{what} starts or pauses"
        return ""
