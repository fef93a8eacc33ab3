"""The window's workspace: central views in tabs, panels in docks, and their layout.

    win.add_view(NetworkView(state), "Network")              # a central tab (or a function that builds it)
    win.add_dock(Canvas(state), "Draw", "canvasDock")        # a dock, with a toggle in View > Panels

The Labs tab gets the whole window: the other panels step aside while it is open and come back after.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QByteArray, QRect, Qt
from PySide6.QtWidgets import QDockWidget, QFrame, QMainWindow, QMenu, QScrollArea, QTabWidget, QVBoxLayout, QWidget

LAYOUT_VERSION = 3  # 3: drawing first, the right column full height
ALL_TABS_DOCKS = ("tourDock",)  # panels that stay with every central tab (the Labs tab hides the others)


class Workspace(QMainWindow):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.docks: dict[str, QDockWidget] = {}
        self.panels_menu = QMenu("&Panels", self, objectName="docksMenu")  # View > Panels: a toggle per dock
        self._factories: dict[QWidget, Callable[[], QWidget]] = {}
        self._network_layout: QByteArray | None = None  # the docks as they were before Labs hid them
        self._available: QRect | None = None  # the screen area the window was fitted to
        self.tabs = QTabWidget(objectName="centralTabs")
        self.tabs.currentChanged.connect(self._build_lazy_tab)
        self.tabs.currentChanged.connect(self._workspace_for_tab)
        self.tabs.setDocumentMode(True)
        self.tabs.setMovable(True)
        self.setCentralWidget(self.tabs)
        # The right column runs the window's full height (the drawing needs it); the curves sit under the scene.
        self.setCorner(Qt.Corner.BottomRightCorner, Qt.DockWidgetArea.RightDockWidgetArea)
        self.setCorner(Qt.Corner.BottomLeftCorner, Qt.DockWidgetArea.LeftDockWidgetArea)
        self.setDockOptions(QMainWindow.DockOption.AnimatedDocks | QMainWindow.DockOption.AllowTabbedDocks
                            | QMainWindow.DockOption.AllowNestedDocks)

    def add_view(self, widget: QWidget | Callable[[], QWidget], title: str, tooltip: str = "") -> int:
        """Add a central tab (the network scene, the labs). Returns its index.

        widget may be a function that makes it: it is then called when the tab is first shown.
        """
        lazy = not isinstance(widget, QWidget)
        page = QWidget(objectName=f"{title.lower()}Page") if lazy else widget
        if lazy:
            QVBoxLayout(page).setContentsMargins(0, 0, 0, 0)
            self._factories[page] = widget
        index = self.tabs.addTab(scrollable(page), title)
        if tooltip:
            self.tabs.setTabToolTip(index, tooltip)
        return index

    def add_dock(self, widget: QWidget, title: str, object_name: str,
                 area: Qt.DockWidgetArea = Qt.DockWidgetArea.RightDockWidgetArea,
                 tabify_with: QDockWidget | str | None = None) -> QDockWidget:
        """Put widget in a dock (movable, floatable, closable) and add its toggle to View > Panels."""
        dock = QDockWidget(title, self)
        dock.setObjectName(object_name)
        dock.setWidget(scrollable(widget))
        self.addDockWidget(area, dock)
        other = self.docks.get(tabify_with) if isinstance(tabify_with, str) else tabify_with
        if other is not None:
            self.tabifyDockWidget(other, dock)
        # A dock behind another's tab still counts as visible to Qt: hide its contents for real, so
        # that views which skip work while hidden (and the inspector, which drives the scene) know.
        dock.visibilityChanged.connect(widget.setVisible)  # (the view inside the scroll area: sizes stay put)
        toggle = dock.toggleViewAction()
        toggle.setObjectName(f"{object_name}Toggle")
        self.panels_menu.addAction(toggle)
        self.docks[object_name] = dock
        return dock

    def current_view(self) -> QWidget:
        """The central tab on show, or the whole window when there is none."""
        page = self.tabs.currentWidget()
        return (page.widget() if isinstance(page, QScrollArea) else page) or self

    def _build_lazy_tab(self, index: int) -> None:
        area = self.tabs.widget(index)
        page = area.widget() if isinstance(area, QScrollArea) else None
        factory = self._factories.pop(page, None)
        if factory is not None:
            page.layout().addWidget(factory())

    # --- the layout ----------------------------------------------------------------------------------
    def _workspace_for_tab(self, index: int) -> None:
        """The labs get the whole window: the MNIST docks step aside while Labs is open, then come back."""
        labs = self.tabs.tabText(index) == "Labs"
        keep = {name for name in ALL_TABS_DOCKS if name in self.docks and self.docks[name].isVisible()}
        if labs and self._network_layout is None:
            self._network_layout = self.saveState(LAYOUT_VERSION)
            for name, dock in self.docks.items():
                if name not in keep:
                    dock.hide()
            self.statusBar().showMessage("Labs use the whole window; the training panels return with the "
                                         "Network tab (or open one from View > Panels)", 8000)
        elif not labs and self._network_layout is not None:
            self.restoreState(self._network_layout, LAYOUT_VERSION)
            self._network_layout = None
            for name in keep:
                self.docks[name].show()

    def workspace_layout(self) -> QByteArray:
        """The Network tab's panels as they are (or as they were, while Labs has the whole window)."""
        return self._network_layout if self._network_layout is not None else self.saveState(LAYOUT_VERSION)

    def restore_workspace_layout(self, layout: QByteArray) -> None:
        """Put the Network tab's panels back as `layout` has them: now, or when Labs gives the window back."""
        if self.tabs.tabText(self.tabs.currentIndex()) == "Labs":
            self._network_layout = layout
        else:
            self._network_layout = None
            self.restoreState(layout, LAYOUT_VERSION)

    def fit_to(self, available: QRect) -> None:
        """Size and place the window to fill available (the frame is taken off once it is known)."""
        self._available = QRect(available)
        self.setGeometry(available)

    def _fit_frame(self) -> None:
        """Once shown, a window manager's frame makes the window larger than the screen: shrink by it."""
        extra = self.frameGeometry().size() - self.geometry().size()
        avail = self._available
        if avail is not None and (extra.width() > 0 or extra.height() > 0):
            self.resize(avail.width() - extra.width(), avail.height() - extra.height())
            self.move(avail.topLeft())

    def _sync_dock_contents(self) -> None:
        """Hide what sits behind another dock's tab (no visibilityChanged comes for those at start)."""
        for dock in self.docks.values():
            dock.widget().widget().setVisible(dock.isVisible() and not dock.visibleRegion().isEmpty())


def scrollable(widget: QWidget) -> QScrollArea:
    """widget in a frameless, resizing scroll area: it fills the space, and scrolls only when the
    window is smaller than the widget's minimum size (so no view forces a huge window)."""
    area = QScrollArea()
    area.setObjectName(f"{widget.objectName() or 'view'}Scroll")
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidget(widget)
    return area
