"""What the window's builders (views.py, stage.py) may use of the window: the Host interface.

MainWindow implements it; the builders are given the window as a Host, so none of them imports
main_window (which imports them), and each use of the window is one of the names below.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import QByteArray, QObject, Qt
from PySide6.QtWidgets import QDockWidget, QMenuBar, QStatusBar, QTabWidget, QWidget

from nnviz.gui.state import AppState
from nnviz.gui.training.run import TrainingRun


class Host(Protocol):
    state: AppState
    run: TrainingRun
    tabs: QTabWidget  # the central tabs (Network, Labs)
    docks: dict[str, QDockWidget]  # every panel, by objectName

    def add_view(self, widget: QWidget | Callable[[], QWidget], title: str, tooltip: str = "") -> int: ...
    def add_dock(self, widget: QWidget, title: str, object_name: str,
                 area: Qt.DockWidgetArea = Qt.DockWidgetArea.RightDockWidgetArea,
                 tabify_with: QDockWidget | str | None = None) -> QDockWidget: ...
    def workspace_layout(self) -> QByteArray: ...
    def restore_workspace_layout(self, layout: QByteArray) -> None: ...
    def start_tour(self) -> None: ...
    def open_compare(self, activate: bool = True) -> QWidget: ...  # Train → Compare runs… (the window, shown)
    # (Qt's own, of QMainWindow)
    def window(self) -> QWidget: ...
    def findChild(self, kind: type, name: str = ...) -> QObject | None: ...
    def menuBar(self) -> QMenuBar: ...
    def statusBar(self) -> QStatusBar: ...
    def removeDockWidget(self, dock: QDockWidget) -> None: ...
    def tabifyDockWidget(self, first: QDockWidget, second: QDockWidget) -> None: ...
