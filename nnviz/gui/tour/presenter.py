"""Presenter mode: large fonts, no chrome but the tour and the view, and a clicker's keys.

    presenter = PresenterMode(stage, tour_dock, tour)
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
from PySide6.QtWidgets import QApplication, QDockWidget, QWidget

from nnviz.gui.look import themes
from nnviz.gui.tour.panel import TourPanel
from nnviz.gui.tour.stage import Stage

FONT_SCALE = 1.5
LINE_SCALE = 2.0  # the network scene's edges, in device pixels
NEXT_KEYS = {Qt.Key.Key_PageDown, Qt.Key.Key_Right, Qt.Key.Key_Down}
BACK_KEYS = {Qt.Key.Key_PageUp, Qt.Key.Key_Left, Qt.Key.Key_Up}
STEP_DOCKS = {"dock": None, "inspector_tab": "inspectorDock", "inspector_step": "inspectorDock",
              "chain_step": "inspectorDock", "inspector_tool": "inspectorDock", "digit": "drawDock"}


class PresenterMode(QObject):
    toggled = Signal(bool)

    def __init__(self, stage: Stage, tour_dock: QDockWidget, tour: TourPanel) -> None:
        super().__init__(tour)
        self.stage, self.tour_dock, self.tour = stage, tour_dock, tour
        self.active = False
        self._layout: QByteArray | None = None
        tour.stepChanged.connect(lambda _i: self._show_step_docks())

    def toggle(self) -> None:
        self.leave() if self.active else self.enter()

    def enter(self) -> None:
        if self.active:
            return
        self._layout = self.stage.workspace_layout()  # the Network tab's panels, even while Labs has the window
        self._enlarge(True)
        self.stage.set_chrome(False)
        self.tour_dock.show()
        self.active = True
        QApplication.instance().installEventFilter(self)
        if self.tour.step is None:
            self.tour.resume()
        self._show_step_docks()
        self.toggled.emit(True)

    def leave(self) -> None:
        if not self.active:
            return
        QApplication.instance().removeEventFilter(self)
        self.active = False
        self._enlarge(False)
        self.stage.set_chrome(True)
        if self._layout is not None:  # exactly the panels from before, whichever tab the walk ended on
            self.stage.restore_workspace_layout(self._layout)
        self.tour_dock.show()
        self.toggled.emit(False)

    def _enlarge(self, on: bool) -> None:
        """The tour's step text (its title in proportion), the central view and the scene's lines and
        legend larger (or back)."""
        scale = FONT_SCALE if on else 1.0
        heading = QApplication.font().pointSizeF() * scale * self.tour.HEADING_SCALE
        themes.enlarge(self.tour_dock, scale, f"QLabel#tourHeading {{ font-size: {heading:g}pt; font-weight: bold; }}")
        self.stage.set_large(on, FONT_SCALE, LINE_SCALE)

    def _show_step_docks(self) -> None:
        """Only the tour and the panel the step works in stay visible."""
        if not self.active:
            return
        step = self.tour.step
        wanted = {self.tour_dock.objectName()}
        for key, dock in STEP_DOCKS.items():
            if step is not None and key in step.actions:
                wanted.add(dock or step.actions[key])
        self.stage.show_only_panels(wanted)

    # --- the clicker ----------------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(watched, QWidget) \
                or watched.window() is not self.stage.window:
            return False
        key = event.key()
        if key in NEXT_KEYS:
            self.tour.next()
        elif key in BACK_KEYS:
            self.tour.back()
        elif key == Qt.Key.Key_Space:
            played = self.stage.play_pause()
            self.tour.notice(f"Space: {played}" if played else
                             "Nothing plays on this step: PageDown (or →) goes on")
        elif key == Qt.Key.Key_Escape:
            self.leave()
        else:
            return False
        return True
