"""The main window's menus (File, View, Train, Help), their keyboard shortcuts, and the record of them.

    menu = build_menus(window.menuBar(), commands, run, session, timeline, panels)   # commands: the window
    menu.train["start"].setEnabled(False)
    window.addActions(menu.shortcuts)    # shortcuts that work while presenter mode hides the menu bar
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMenu, QMenuBar

from nnviz.gui import settings
from nnviz.gui.look import themes
from nnviz.gui.training.run import TrainingRun
from nnviz.gui.training.session import TrainingSession
from nnviz.gui.training.timeline import Timeline


class Commands(Protocol):
    """What the menus ask the window to do (MainWindow implements it)."""

    def open_model_dialog(self) -> None: ...
    def save_model_dialog(self) -> None: ...
    def open_shipped_model(self) -> None: ...
    def open_model_asking(self, path: str | Path) -> None: ...
    def export_picture_dialog(self) -> None: ...
    def export_animation_dialog(self) -> None: ...
    def export_lesson_dialog(self) -> None: ...
    def close(self) -> bool: ...
    def set_theme(self, name: str) -> None: ...
    def toggle_presenter(self) -> None: ...
    def set_palette(self, name: str) -> None: ...
    def reset_layout(self) -> None: ...
    def show_help(self) -> object: ...
    def start_tour(self) -> None: ...
    def show_about(self) -> object: ...
    def open_compare(self) -> object: ...


@dataclass(frozen=True)
class Menus:
    """Every menu action the window changes later, by name."""

    train: dict[str, QAction]  # start, pause, step, stop, reset
    history: dict[str, QAction]  # back, forward, live, branch
    themes: dict[str, QAction]  # one per theme, checkable
    presenter: QAction  # checkable
    palette: QAction  # the colour-blind-safe palette, checkable
    panels: QMenu  # View > Panels: a toggle per dock
    recent: QMenu  # File > Open recent
    shortcuts: list[QAction]  # every action with a shortcut (the window holds them too)


def _action(menu: QMenu, text: str, slot, shortcut=None, name: str = "", tip: str = "") -> QAction:
    act = QAction(text, menu)
    if shortcut is not None:
        act.setShortcut(QKeySequence(shortcut))
    if name:
        act.setObjectName(name)
    if tip:
        act.setStatusTip(tip)
        act.setToolTip(tip)
    act.triggered.connect(lambda _checked=False: slot())
    menu.addAction(act)
    return act


def build_menus(bar: QMenuBar, win: Commands, run: TrainingRun, session: TrainingSession, timeline: Timeline,
                panels: QMenu) -> Menus:
    """The menu bar's menus; panels: View > Panels (the workspace fills it with a toggle per dock)."""
    menus = {name: bar.addMenu(f"&{name}") for name in ("File", "View", "Train", "Help")}
    recent = _file_menu(win, menus["File"])
    theme_actions, presenter, palette = _view_menu(win, menus["View"], panels)
    train, history = _train_menu(run, session, timeline, menus["Train"])
    menus["Train"].addSeparator()
    train["compare"] = _action(menus["Train"], "&Compare runs…", win.open_compare, "Ctrl+K", "compareAction",
                               "2 to 4 runs that differ in g, α, the optimiser or the initial weights, trained in "
                               "lockstep on the same batches: curves, gradients per layer, distributions, hidden map")
    h = menus["Help"]
    _action(h, "What am I looking at?", win.show_help, QKeySequence.StandardKey.HelpContents, "helpAction",
            "Every colour and control explained")
    _action(h, "&Lecture tour", win.start_tour, "Ctrl+L", "tourAction",
            "The lecture, step by step: the single neuron to backpropagation on the digit network, with its polls")
    _action(h, "About nnviz", win.show_about, None, "aboutAction", "Version, the loaded model's card, data credits")
    # The window holds the shortcuts too: presenter mode hides the menu bar, and a hidden menu's shortcuts
    # do nothing (F11 could not leave presenter mode, F5/F6/F10 were dead; found by the monkey test).
    shortcuts = [act for menu in menus.values() for act in menu.actions() if not act.shortcut().isEmpty()]
    return Menus(train, history, theme_actions, presenter, palette, panels, recent, shortcuts)


def _file_menu(win: Commands, m: QMenu) -> QMenu:
    _action(m, "&Open model…", win.open_model_dialog, QKeySequence.StandardKey.Open, "openModelAction",
            "Load a model file: .npz, .safetensors or .onnx (you can also drop one on the window)")
    _action(m, "&Save model…", win.save_model_dialog, QKeySequence.StandardKey.Save, "saveModelAction",
            "Save the current weights and model card to a .npz file")
    _action(m, "Open s&hipped model", win.open_shipped_model, None, "openShippedAction",
            "Back to the trained model that comes with nnviz (99.30% on the MNIST test set, "
            "98.7% on digits drawn by writers it never saw)")
    recent = m.addMenu("Open &recent")
    recent.setObjectName("recentMenu")
    recent.aboutToShow.connect(lambda: _fill_recent(win, recent))
    m.addSeparator()
    _action(m, "&Export picture of the current view…", win.export_picture_dialog, "Ctrl+E", "exportAction",
            "Save the current view as PNG or SVG")
    _action(m, "Export &animation…", win.export_animation_dialog, "Ctrl+Shift+E", "exportAnimationAction",
            "Record the backprop walk, the training history or a lab's gradient descent as GIF, APNG or MP4")
    _action(m, "Export &lesson page…", win.export_lesson_dialog, None, "exportLessonAction",
            "One HTML file with this model for the students: draw, predict and backpropagate in any browser, offline")
    m.addSeparator()
    _action(m, "&Quit", win.close, "Ctrl+Q", "quitAction")  # (StandardKey.Quit is empty on Windows and offscreen)
    return recent


def _fill_recent(win: Commands, recent: QMenu) -> None:
    recent.clear()
    files = settings.recent_files()
    for path in files:
        act = recent.addAction(Path(path).name)
        act.setToolTip(path)
        act.setStatusTip(path)
        act.triggered.connect(lambda _checked=False, p=path: win.open_model_asking(p))
    if not files:
        recent.addAction("(none yet)").setEnabled(False)
    recent.addSeparator()
    shipped = recent.addAction("Shipped model")
    shipped.setObjectName("recentShippedAction")
    shipped.triggered.connect(lambda _checked=False: win.open_shipped_model())


def _view_menu(win: Commands, m: QMenu, panels: QMenu) -> tuple[dict[str, QAction], QAction, QAction]:
    m.addMenu(panels)
    m.addSeparator()
    group = QActionGroup(m)
    group.setExclusive(True)
    theme_actions = {}
    for name in themes.THEMES:
        act = QAction(f"{name.capitalize()} theme", m, checkable=True)
        act.setObjectName(f"{name}ThemeAction")
        act.triggered.connect(lambda _checked=False, n=name: win.set_theme(n))
        group.addAction(act)
        m.addAction(act)
        theme_actions[name] = act
    m.addSeparator()
    presenter = _action(m, "&Presenter mode", win.toggle_presenter, "F11", "presenterAction",
                        "Large fonts, only the tour and the view; PageDown/PageUp/Space step; Esc leaves")
    presenter.setCheckable(True)
    palette = _action(m, "Colour-&blind-safe palette", lambda: win.set_palette(
        "colour-blind safe" if palette.isChecked() else "standard"), None, "paletteAction",
        "cividis and blue-grey-yellow maps, readable with red-green colour blindness")
    palette.setCheckable(True)
    m.addSeparator()
    _action(m, "Reset &layout", win.reset_layout, None, "resetLayoutAction", "Put every panel back where it started")
    return theme_actions, presenter, palette


def _train_menu(run: TrainingRun, session: TrainingSession, timeline: Timeline,
                m: QMenu) -> tuple[dict[str, QAction], dict[str, QAction]]:
    s = session
    train = {
        "start": _action(m, "&Start", s.start, "F5", "startAction", "Train from the current weights"),
        "pause": _action(m, "&Pause / resume", run.toggle_pause, "F6", "pauseAction"),
        "step": _action(m, "S&tep one minibatch", s.step, "F10", "stepAction", "Exactly one minibatch, then pause"),
        "stop": _action(m, "St&op", s.stop, "Shift+F5", "stopAction"),
        "reset": _action(m, "&Reset weights", s.reset_weights, "Ctrl+Shift+R", "resetAction",
                         "Fresh random weights from the seed"),
    }
    m.addSeparator()
    h = timeline
    history = {
        "back": _action(m, "Rewind one snapshot", lambda: h.step(-1), "[", "historyBackAction",
                        "Every view shows the network one snapshot earlier in training"),
        "forward": _action(m, "Forward one snapshot", lambda: h.step(1), "]", "historyForwardAction",
                           "One snapshot later (after the last: the latest weights)"),
        "live": _action(m, "Back to the latest weights", h.leave, None, "historyLiveAction"),
        "branch": _action(m, "Branch here", h.branch, None, "historyBranchAction",
                          "Train on from the moment on show (a new run)"),
    }
    return train, history
