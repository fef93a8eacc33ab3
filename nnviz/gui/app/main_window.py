"""The application window: central views in tabs, panels in docks, menus, status bar, settings.

    win = MainWindow()                         # loads the shipped model
    win.add_view(NetworkView(win.state), "Network")          # a central tab
    win.add_dock(Canvas(win.state), "Draw", "canvasDock")    # a dock + a View > Panels toggle

Training runs on a worker thread (training/run.py: TrainingRun), started by TrainingSession (session.py); data comes
from DataProvider (data_dialogs.py). Every thread and job is started through gui/concurrency/, which
closing the window stops and joins. Preferences live in QSettings (settings.py).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QByteArray, QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QColor, QIcon
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDockWidget,
    QFileDialog,
    QFrame,
    QLabel,
    QMainWindow,
    QMessageBox,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from nnviz.core import shipped
from nnviz.gui import colormaps, concurrency, settings, themes
from nnviz.gui.app import help as help_pages
from nnviz.gui.app.export import export_widget
from nnviz.gui.app.focus import FocusKeeper
from nnviz.gui.app.menus import build_menus
from nnviz.gui.app.model_files import ModelFilesMixin, startup_model
from nnviz.gui.state import AppState
from nnviz.gui.training.curves import CurvesWidget
from nnviz.gui.training.data_dialogs import DataProvider
from nnviz.gui.training.panel import TrainPanel
from nnviz.gui.training.run import TrainingRun
from nnviz.gui.training.session import TrainingSession
from nnviz.gui.training.timeline import Timeline
from nnviz.gui.training.timeline_bar import TimelineBar

ICON = shipped.path("icons", "nnviz.svg")
LAYOUT_VERSION = 3  # 3: drawing first, the right column full height
ALL_TABS_DOCKS = ("tourDock",)  # panels that stay with every central tab (the Labs tab hides the others)


class MainWindow(ModelFilesMixin, QMainWindow):
    themeChanged = Signal(str)
    modelLoaded = Signal(str)  # path of a model file that was opened

    def __init__(self, model_path: str | Path | None = None, data=None, data_dir: str | Path | None = None,
                 views: bool = True, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        concurrency.limit_blas_threads()  # one: a second spins against the GUI thread (concurrency/blas.py)
        self.setObjectName("mainWindow")
        self.setAcceptDrops(True)  # a model file dropped on the window opens (ModelFilesMixin.dropEvent)
        if ICON.is_file():
            self.setWindowIcon(QIcon(str(ICON)))
        themes.apply_theme(str(settings.settings().value("theme", "dark")))  # before the widgets: cheaper
        net, card, path, note = startup_model(model_path)
        self.state = AppState(net, card, path=path, parent=self)
        self.docks: dict[str, QDockWidget] = {}
        self._shown_once = self._restored_layout = False
        self.error_box: QMessageBox | None = None
        self._factories: dict[QWidget, Callable[[], QWidget]] = {}
        self.tabs = QTabWidget(objectName="centralTabs")
        self.tabs.currentChanged.connect(self._build_lazy_tab)
        self._network_layout: QByteArray | None = None  # the docks as they were before Labs hid them
        self.tabs.currentChanged.connect(self._workspace_for_tab)
        self.tabs.setDocumentMode(True)
        self.tabs.setMovable(True)
        self.setCentralWidget(self.tabs)
        # The right column runs the window's full height (the drawing needs it); the curves sit under the scene.
        self.setCorner(Qt.Corner.BottomRightCorner, Qt.DockWidgetArea.RightDockWidgetArea)
        self.setCorner(Qt.Corner.BottomLeftCorner, Qt.DockWidgetArea.LeftDockWidgetArea)
        self.setDockOptions(QMainWindow.DockOption.AnimatedDocks | QMainWindow.DockOption.AllowTabbedDocks
                            | QMainWindow.DockOption.AllowNestedDocks)
        self.state.set_data_dir(data_dir)
        self.provider = DataProvider(self, self.state, data)
        self.run = TrainingRun(self.state, self)  # the MNIST run: views follow its events
        self.train_panel = TrainPanel()
        self.train_panel.follow(self.run)
        self.curves = CurvesWidget()
        self.curves.follow(self.run)
        self.session = TrainingSession(self.state, self.run, self.train_panel, self.provider, self)
        self.session.confirm_discard = self.ok_to_lose_work  # Save / Discard / Cancel, only when modified
        self.timeline = Timeline(self.state, self.session, self.run, self.curves, TimelineBar())
        self.curves.layout().addWidget(self.timeline.bar)
        if path is not None:
            self.timeline.load(path)  # a model saved with its training history opens with it
        build_menus(self)
        self.add_dock(self.train_panel, "Training", "trainDock", Qt.DockWidgetArea.RightDockWidgetArea)
        self.add_dock(self.curves, "Training curves", "curvesDock", Qt.DockWidgetArea.BottomDockWidgetArea)
        if views:
            self._add_known_views()
        self._build_status_bar()
        for source in (self.session, self.timeline):
            source.message.connect(lambda text: self.statusBar().showMessage(text, 8000))
        concurrency.registry().failed.connect(self._show_job_failure)
        self.state.trainingChanged.connect(self._sync_train_actions)
        for fact in (self.state.networkChanged, self.state.cardChanged, self.state.pathChanged,
                     self.state.modifiedChanged):
            fact.connect(self._show_model_summary)
        self._sync_train_actions(False)
        self._initial_size()
        self._default_state = self.saveState(LAYOUT_VERSION)
        self._restore_settings()
        FocusKeeper(self)  # Quit and every shortcut keep working after a dialog closes, window manager or not
        self.statusBar().showMessage(note, 10000)

    # --- building blocks the lead wires views in with -------------------------------------------
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

    def _build_lazy_tab(self, index: int) -> None:
        area = self.tabs.widget(index)
        page = area.widget() if isinstance(area, QScrollArea) else None
        factory = self._factories.pop(page, None)
        if factory is not None:
            page.layout().addWidget(factory())

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
        self.docks_menu.addAction(toggle)
        self.docks[object_name] = dock
        return dock

    def _add_known_views(self) -> None:
        """The network scene, drawing, inspector, labs, ... (wiring.py says where each goes)."""
        from nnviz.gui.app.wiring import add_standard_views

        add_standard_views(self)

    def _build_status_bar(self) -> None:
        self.model_label = QLabel(objectName="modelSummaryLabel")
        self.model_label.setToolTip("The model's file (\"modified\": its weights changed since it was opened or "
                                    "saved), the network and its last measured test accuracy")
        self.statusBar().addPermanentWidget(self.model_label)
        self._show_model_summary()

    def _show_model_summary(self) -> None:
        """Status bar and title: the file's name, "modified", the architecture, the card's test accuracy."""
        st = self.state
        acc = st.card.get("test_accuracy")
        acc_text = f" · test accuracy {100 * float(acc):.2f}%" if isinstance(acc, (int, float)) else ""
        name = st.path.name if st.path else "unsaved model"
        modified = " (modified)" if st.modified else ""
        self.model_label.setText(f"{name}{modified}: {st.network.arch.describe()}{acc_text}")
        self.setWindowTitle(f"{name}[*] · nnviz: a neural network, live")
        self.setWindowModified(st.modified)

    def _sync_train_actions(self, running: bool) -> None:
        for key, act in self.train_actions.items():
            act.setEnabled(running if key in ("pause", "stop") else (not running or key == "step"))

    def _show_job_failure(self, text: str) -> None:
        """A background job failed and nobody else said so: the status bar does."""
        self.statusBar().showMessage(text, 15000)

    def _error(self, name: str, title: str, text: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, f"nnviz: {title}", text, QMessageBox.StandardButton.Ok, self)
        box.setObjectName(name)
        box.setWindowModality(Qt.WindowModality.NonModal)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.show()  # non-modal
        self.error_box = box
        self.statusBar().showMessage(f"{title}: {text}", 10000)

    # --- pictures ----------------------------------------------------------------------------------
    def current_view(self) -> QWidget:
        """The central tab on show, or the whole window when there is none."""
        page = self.tabs.currentWidget()
        return (page.widget() if isinstance(page, QScrollArea) else page) or self

    def export_picture(self, path: str | Path, widget: QWidget | None = None) -> Path:
        """Save widget (default: the current view) as PNG or SVG, by the file's suffix."""
        path = export_widget(widget or self.current_view(), path)
        self.statusBar().showMessage(f"Exported {path}", 8000)
        return path

    def export_picture_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export picture", str(Path(self._last_dir()) / "nnviz.png"),
                                              "PNG image (*.png);;SVG drawing (*.svg)")
        if path:
            self.export_picture(path)

    def export_animation_dialog(self) -> None:
        """File > Export animation…: the backprop walk, the training history or a lab, as GIF, APNG or MP4."""
        from nnviz.gui.app.animation_dialog import export_animation_dialog

        export_animation_dialog(self)

    # --- help, theme, layout -----------------------------------------------------------------------
    def show_help(self) -> QWidget:
        dlg = help_pages.help_dialog(self)
        dlg.show()
        return dlg

    def show_about(self) -> QWidget:
        dlg = help_pages.about_dialog(self.state, self)
        dlg.show()
        return dlg

    def start_tour(self) -> None:
        """Help > Lecture tour: open the tour where the user left off."""
        tour = getattr(self, "tour", None)
        if tour is None:
            return
        settings.set_value("tour/offered", True)
        offer = getattr(self, "tour_offer", None)
        if offer is not None:
            offer.hide()
        self.docks["tourDock"].show()
        self.docks["tourDock"].raise_()
        tour.resume()

    def toggle_presenter(self) -> None:
        presenter = getattr(self, "presenter", None)
        if presenter is not None:
            presenter.toggle()

    def set_palette(self, name: str) -> None:
        """View > Colour-blind-safe palette: every map changes; the views repaint with the new colours."""
        colormaps.set_palette(name)
        self.palette_action.setChecked(name != "standard")
        settings.set_value("palette", name)
        self.state.traceChanged.emit(self.state.trace)
        for widget in QApplication.allWidgets():
            widget.update()

    def set_theme(self, name: str) -> None:
        old_background = QColor(colormaps.BACKGROUND)
        name = themes.apply_theme(name)
        themes.repaint_views(self, old_background)
        self.curves.set_theme(name)
        view = getattr(self, "network_view", None)
        if view is not None and self._shown_once:
            view.rebuild()  # the scene's layer bands and titles take the theme's colours
        self.theme_actions[name].setChecked(True)
        settings.set_value("theme", name)
        self.themeChanged.emit(name)

    def reset_layout(self) -> None:
        self.restoreState(self._default_state, LAYOUT_VERSION)
        for dock in self.docks.values():
            dock.show()
        self._initial_dock_sizes()

    def _initial_size(self) -> None:
        """The whole available area of the screen the window opens on (a 2560x1440 screen gets used)."""
        screen = self.screen()
        self.fit_to(screen.availableGeometry() if screen else QRect(0, 0, 1366, 768))

    def fit_to(self, available: QRect) -> None:
        """Size and place the window to fill available (the frame is taken off once it is known)."""
        self._available = QRect(available)
        self.setGeometry(available)

    def _fit_frame(self) -> None:
        """Once shown, a window manager's frame makes the window larger than the screen: shrink by it."""
        extra = self.frameGeometry().size() - self.geometry().size()
        avail = getattr(self, "_available", None)
        if avail is not None and (extra.width() > 0 or extra.height() > 0):
            self.resize(avail.width() - extra.width(), avail.height() - extra.height())
            self.move(avail.topLeft())

    def _initial_dock_sizes(self) -> None:
        """Right column (drawing, training, inspector) about a third of the window, full height; the
        curves 210-320 px tall under the scene."""
        right = max(470, min(760, int(self.width() * 0.36)))
        self.resizeDocks([self.docks["trainDock"]], [right], Qt.Orientation.Horizontal)
        self.resizeDocks([self.docks["curvesDock"]], [max(210, min(320, int(self.height() * 0.3)))],
                         Qt.Orientation.Vertical)
        view = getattr(self, "network_view", None)
        if view is not None and hasattr(view, "reset_view"):
            QTimer.singleShot(0, view.reset_view)  # refit the scene to its final size

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if not self._shown_once:
            self._shown_once = True
            if not self._restored_layout:
                QTimer.singleShot(0, self._fit_frame)
                self._initial_dock_sizes()
            QTimer.singleShot(0, self._sync_dock_contents)

    def _sync_dock_contents(self) -> None:
        """Hide what sits behind another dock's tab (no visibilityChanged comes for those at start)."""
        for dock in self.docks.values():
            dock.widget().widget().setVisible(dock.isVisible() and not dock.visibleRegion().isEmpty())

    def _restore_settings(self) -> None:
        s = settings.settings()
        geometry, layout = s.value("window/geometry"), s.value("window/state")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        if isinstance(layout, QByteArray):
            self._restored_layout = self.restoreState(layout, LAYOUT_VERSION)
        self.set_theme(str(s.value("theme", "dark")))
        if str(s.value("palette", "standard")) in colormaps.PALETTES and s.value("palette", "standard") != "standard":
            self.set_palette(str(s.value("palette")))

    def closeEvent(self, event: QCloseEvent) -> None:
        """Offer to save a modified model (not for a quit by signal: quitting.quit_app), then stop and join
        every thread and job (training, labs, pictures, data) and remember the layout."""
        if not self.property("quitWithoutAsking") and not self.ok_to_lose_work("Quitting"):
            event.ignore()
            return
        self.provider.shutdown()
        self.session.shutdown(None)  # after the current batch, however slow: never destroy a running thread
        concurrency.stop_all()
        s = settings.settings()
        s.setValue("window/geometry", self.saveGeometry())
        s.setValue("window/state", self._network_layout or self.saveState(LAYOUT_VERSION))  # never the Labs one
        s.sync()
        for dialog in self.findChildren(QDialog):  # its messages (MNIST missing, diverged) go with it
            if dialog.isVisible():
                dialog.close()
        super().closeEvent(event)

    def sizeHint(self) -> QSize:
        return QSize(1400, 900)


def scrollable(widget: QWidget) -> QScrollArea:
    """widget in a frameless, resizing scroll area: it fills the space, and scrolls only when the
    window is smaller than the widget's minimum size (so no view forces a huge window)."""
    area = QScrollArea()
    area.setObjectName(f"{widget.objectName() or 'view'}Scroll")
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidget(widget)
    return area
