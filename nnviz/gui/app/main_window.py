"""The application window: what it is made of, declared in one place.

    win = MainWindow()            # loads the shipped model
    win.state                     # AppState: the one truth (network, card, file, run status, input, trace)
    win.run, win.session          # the MNIST training run (its events) and what the Train buttons do
    win.views.network             # every view, by name (views.py says where each goes; None with views=False)
    win.menu.train["start"]       # every menu action the window changes later (menus.py)

The central tabs, the docks and their layout are the Workspace's (workspace.py); File > Open and Save are
ModelFilesMixin's (model_files.py); data comes from DataProvider (data_dialogs.py). Every thread and job is
started through gui/concurrency/, which closing the window stops and joins. Preferences live in QSettings
(gui/settings.py).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QIcon
from PySide6.QtWidgets import QDialog, QFileDialog, QLabel, QMessageBox, QWidget

from nnviz.core import shipped
from nnviz.core.network import Network
from nnviz.gui import concurrency, settings
from nnviz.gui.app import help as help_pages
from nnviz.gui.app.export import export_widget
from nnviz.gui.app.focus import FocusKeeper
from nnviz.gui.app.menus import Menus, build_menus
from nnviz.gui.app.model_files import ModelFilesMixin, startup_model
from nnviz.gui.app.views import Views, build_views
from nnviz.gui.app.workspace import LAYOUT_VERSION, Workspace
from nnviz.gui.compare import CompareWindow
from nnviz.gui.look import themes
from nnviz.gui.state import AppState
from nnviz.gui.training.curves import CurvesWidget
from nnviz.gui.training.data_dialogs import DataProvider
from nnviz.gui.training.panel import TrainPanel
from nnviz.gui.training.run import TrainingRun
from nnviz.gui.training.session import TrainingSession
from nnviz.gui.training.timeline import Timeline
from nnviz.gui.training.timeline_bar import TimelineBar

ICON = shipped.path("icons", "nnviz.svg")


class MainWindow(ModelFilesMixin, Workspace):
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
        self._shown_once = self._restored_layout = False
        self.error_box: QMessageBox | None = None
        self.compare_window: CompareWindow | None = None
        # --- the parts ---
        self.state = AppState(net, card, path=path, parent=self)
        self.state.set_data_dir(data_dir)
        self.provider = DataProvider(self, self.state, data)
        self.run = TrainingRun(self.state, self)  # the MNIST run: the views below follow its events
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
        self.menu: Menus = build_menus(self.menuBar(), self, self.run, self.session, self.timeline, self.panels_menu)
        self.addActions(self.menu.shortcuts)  # they work while presenter mode hides the menu bar
        self.add_dock(self.train_panel, "Training", "trainDock", Qt.DockWidgetArea.RightDockWidgetArea)
        self.add_dock(self.curves, "Training curves", "curvesDock", Qt.DockWidgetArea.BottomDockWidgetArea)
        self.views: Views | None = build_views(self) if views else None
        if self.views is not None:
            self.views.presenter.toggled.connect(self.menu.presenter.setChecked)
        # --- how they are wired to the window ---
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
        self._theme = themes.current()
        themes.changes().changed.connect(self._on_theme)
        FocusKeeper(self)  # Quit and every shortcut keep working after a dialog closes, window manager or not
        self.statusBar().showMessage(note, 10000)

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
        for key, act in self.menu.train.items():
            act.setEnabled(running if key in ("pause", "stop") else (not running or key == "step"))

    def _show_job_failure(self, text: str) -> None:
        """A background job failed and nobody else said so: the status bar does."""
        self.statusBar().showMessage(text, 15000)

    def show_error(self, name: str, title: str, text: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, f"nnviz: {title}", text, QMessageBox.StandardButton.Ok, self)
        box.setObjectName(name)
        box.setWindowModality(Qt.WindowModality.NonModal)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.show()  # non-modal
        self.error_box = box
        self.statusBar().showMessage(f"{title}: {text}", 10000)

    # --- pictures ----------------------------------------------------------------------------------
    def export_picture(self, path: str | Path, widget: QWidget | None = None) -> Path:
        """Save widget (default: the current view) as PNG or SVG, by the file's suffix."""
        path = export_widget(widget or self.current_view(), path)
        self.statusBar().showMessage(f"Exported {path}", 8000)
        return path

    def export_picture_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export picture", str(Path(self._last_dir()) / "nnviz.png"),
                                              "PNG image (*.png);;SVG drawing (*.svg)")
        if not path:
            return
        try:
            self.export_picture(path)
        except (ValueError, OSError) as exc:  # the 3-D view without OpenGL or as SVG; a folder we cannot write
            self.show_error("exportPictureError", "Export picture", str(exc))

    def export_lesson_dialog(self) -> None:
        """File > Export lesson page…: the model as one offline HTML page for the students."""
        from nnviz.gui.app.lesson_dialog import LessonDialog
        dialog = LessonDialog(self.state, self.timeline.history, self._last_dir(), self)
        if dialog.exec() and dialog.written is not None:
            self.statusBar().showMessage(f"Wrote {dialog.written} ({dialog.size / 1e6:.1f} MB): open it in any browser",
                                         10000)

    def export_animation_dialog(self) -> None:
        """File > Export animation…: the backprop walk, the training history or a lab, as GIF, APNG or MP4."""
        from nnviz.gui.app.animation_dialog import export_animation_dialog

        export_animation_dialog(self, self.animation_sources())

    def animation_sources(self):
        """What File > Export animation can record in this window (animation_dialog.Sources)."""
        from nnviz.gui.app.animation import AnimationError
        from nnviz.gui.app.animation_dialog import Sources

        def no_labs():
            raise AnimationError("this window has no labs")

        v = self.views
        return Sources(self.state, v.network if v else None, v.inspector if v else None, self.timeline,
                       v.stage.labs if v else no_labs, lambda: self.tabs.setCurrentIndex(0), self.show_error,
                       lambda text: self.statusBar().showMessage(text, 8000), self._last_dir())

    # --- help, theme, layout -----------------------------------------------------------------------
    def open_compare(self, activate: bool = True) -> CompareWindow:
        """Train → Compare runs…: one window, kept (its last comparison stays) until the app quits. Not
        activated for the tour: the keyboard stays with the window (PageDown goes on with the lecture)."""
        if self.compare_window is None:
            self.compare_window = CompareWindow(self.state, self.provider, use=self.use_network, parent=self)
        if self.compare_window.isVisible():
            self.compare_window.raise_()  # (in front again; a first show is in front anyway)
        self.compare_window.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating, not activate)
        self.compare_window.show()
        if activate:
            self.compare_window.activateWindow()
        return self.compare_window

    def use_network(self, net: Network, card: dict) -> bool:
        """A network from elsewhere in the app (a compared run) becomes the model, unsaved, after the usual
        offer to save the one it replaces."""
        if not self.ok_to_lose_work("Using another network"):
            return False
        self.session.end_run()
        self.state.set_network(net, card)
        self.statusBar().showMessage(f"{card.get('note', 'Another network')}: unsaved (File → Save keeps it)", 10000)
        return True

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
        if self.views is None:
            return
        settings.set_value("tour/offered", True)
        if self.views.tour_offer is not None:
            self.views.tour_offer.hide()
        self.docks["tourDock"].show()
        self.docks["tourDock"].raise_()
        self.views.tour.resume()

    def toggle_presenter(self) -> None:
        if self.views is not None:
            self.views.presenter.toggle()

    def set_palette(self, name: str) -> None:
        """View > Colour-blind-safe palette: every map changes; the views follow the theme (themes.py)."""
        themes.update(palette=name)
        self.menu.palette.setChecked(name != "standard")
        settings.set_value("palette", name)

    def set_theme(self, name: str) -> None:
        """View > Dark / Light theme: the application's palette, and every view follows the theme (themes.py)."""
        name = themes.apply_theme(name)
        self.menu.themes[name].setChecked(True)
        settings.set_value("theme", name)

    def _on_theme(self, theme: themes.Theme) -> None:
        """Everything in the window is repainted with the new theme (plots on the old background get the new)."""
        themes.repaint(self, self._theme, theme)
        self._theme = theme

    def reset_layout(self) -> None:
        self.restoreState(self._default_state, LAYOUT_VERSION)
        for dock in self.docks.values():
            dock.show()
        self._initial_dock_sizes()

    def _initial_size(self) -> None:
        """The whole available area of the screen the window opens on (a 2560x1440 screen gets used)."""
        screen = self.screen()
        self.fit_to(screen.availableGeometry() if screen else QRect(0, 0, 1366, 768))

    def _initial_dock_sizes(self) -> None:
        """Right column (drawing, training, inspector) about a third of the window, full height; the
        curves 210-320 px tall under the scene."""
        right = max(470, min(760, int(self.width() * 0.36)))
        self.resizeDocks([self.docks["trainDock"]], [right], Qt.Orientation.Horizontal)
        self.resizeDocks([self.docks["curvesDock"]], [max(210, min(320, int(self.height() * 0.3)))],
                         Qt.Orientation.Vertical)
        if self.views is not None:
            QTimer.singleShot(0, self.views.network.reset_view)  # refit the scene to its final size

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if not self._shown_once:
            self._shown_once = True
            if not self._restored_layout:
                QTimer.singleShot(0, self._fit_frame)
                self._initial_dock_sizes()
            QTimer.singleShot(0, self._sync_dock_contents)

    def _restore_settings(self) -> None:
        s = settings.settings()
        geometry, layout = s.value("window/geometry"), s.value("window/state")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        if isinstance(layout, QByteArray):
            self._restored_layout = self.restoreState(layout, LAYOUT_VERSION)
        self.set_theme(str(s.value("theme", "dark")))
        palette = str(s.value("palette", "standard"))
        self.set_palette(palette if palette in themes.PALETTES else "standard")

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

