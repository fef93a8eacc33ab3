"""The main window's menus (File, View, Train, Help) and their keyboard shortcuts."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMenu

from nnviz.gui import settings, themes

if TYPE_CHECKING:
    from nnviz.gui.app.main_window import MainWindow


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


def build_menus(win: MainWindow) -> dict[str, QMenu]:
    bar = win.menuBar()
    menus = {name: bar.addMenu(f"&{name}") for name in ("File", "View", "Train", "Help")}
    _file_menu(win, menus["File"])
    _view_menu(win, menus["View"])
    _train_menu(win, menus["Train"])
    h = menus["Help"]
    _action(h, "What am I looking at?", win.show_help, QKeySequence.StandardKey.HelpContents, "helpAction",
            "Every colour and control explained")
    _action(h, "&Lecture tour", win.start_tour, "Ctrl+L", "tourAction",
            "The lecture, step by step: the single neuron to backpropagation on the digit network, with its polls")
    _action(h, "About nnviz", win.show_about, None, "aboutAction", "Version, the loaded model's card, data credits")
    # The window holds the shortcuts too: presenter mode hides the menu bar, and a hidden menu's shortcuts
    # do nothing (F11 could not leave presenter mode, F5/F6/F10 were dead; found by the monkey test).
    win.addActions([act for menu in menus.values() for act in menu.actions() if not act.shortcut().isEmpty()])
    return menus


def _file_menu(win: MainWindow, m: QMenu) -> None:
    _action(m, "&Open model…", win.open_model_dialog, QKeySequence.StandardKey.Open, "openModelAction",
            "Load a model file: .npz, .safetensors or .onnx (you can also drop one on the window)")
    _action(m, "&Save model…", win.save_model_dialog, QKeySequence.StandardKey.Save, "saveModelAction",
            "Save the current weights and model card to a .npz file")
    _action(m, "Open s&hipped model", win.open_shipped_model, None, "openShippedAction",
            "Back to the trained model that comes with nnviz (99.30% on the MNIST test set, "
            "98.7% on digits drawn by writers it never saw)")
    win.recent_menu = m.addMenu("Open &recent")
    win.recent_menu.setObjectName("recentMenu")
    win.recent_menu.aboutToShow.connect(lambda: _fill_recent(win))
    m.addSeparator()
    _action(m, "&Export picture of the current view…", win.export_picture_dialog, "Ctrl+E", "exportAction",
            "Save the current view as PNG or SVG")
    _action(m, "Export &animation…", win.export_animation_dialog, "Ctrl+Shift+E", "exportAnimationAction",
            "Record the backprop walk, the training history or a lab's gradient descent as GIF, APNG or MP4")
    m.addSeparator()
    _action(m, "&Quit", win.close, "Ctrl+Q", "quitAction")  # (StandardKey.Quit is empty on Windows and offscreen)


def _fill_recent(win: MainWindow) -> None:
    win.recent_menu.clear()
    files = settings.recent_files()
    for path in files:
        act = win.recent_menu.addAction(Path(path).name)
        act.setToolTip(path)
        act.setStatusTip(path)
        act.triggered.connect(lambda _checked=False, p=path: win.open_model_asking(p))
    if not files:
        win.recent_menu.addAction("(none yet)").setEnabled(False)
    win.recent_menu.addSeparator()
    shipped = win.recent_menu.addAction("Shipped model")
    shipped.setObjectName("recentShippedAction")
    shipped.triggered.connect(lambda _checked=False: win.open_shipped_model())


def _view_menu(win: MainWindow, m: QMenu) -> None:
    win.docks_menu = m.addMenu("&Panels")
    win.docks_menu.setObjectName("docksMenu")
    m.addSeparator()
    group = QActionGroup(m)
    group.setExclusive(True)
    win.theme_actions = {}
    for name in themes.THEMES:
        act = QAction(f"{name.capitalize()} theme", m, checkable=True)
        act.setObjectName(f"{name}ThemeAction")
        act.triggered.connect(lambda _checked=False, n=name: win.set_theme(n))
        group.addAction(act)
        m.addAction(act)
        win.theme_actions[name] = act
    m.addSeparator()
    win.presenter_action = _action(m, "&Presenter mode", win.toggle_presenter, "F11", "presenterAction",
                                   "Large fonts, only the tour and the view; PageDown/PageUp/Space step; Esc leaves")
    win.presenter_action.setCheckable(True)
    win.palette_action = _action(m, "Colour-&blind-safe palette", lambda: win.set_palette(
        "colour-blind safe" if win.palette_action.isChecked() else "standard"), None, "paletteAction",
        "cividis and blue-grey-yellow maps, readable with red-green colour blindness")
    win.palette_action.setCheckable(True)
    m.addSeparator()
    _action(m, "Reset &layout", win.reset_layout, None, "resetLayoutAction", "Put every panel back where it started")


def _train_menu(win: MainWindow, m: QMenu) -> None:
    s = win.session
    win.train_actions = {
        "start": _action(m, "&Start", s.start, "F5", "startAction", "Train from the current weights"),
        "pause": _action(m, "&Pause / resume", win.run.toggle_pause, "F6", "pauseAction"),
        "step": _action(m, "S&tep one minibatch", s.step, "F10", "stepAction", "Exactly one minibatch, then pause"),
        "stop": _action(m, "St&op", s.stop, "Shift+F5", "stopAction"),
        "reset": _action(m, "&Reset weights", s.reset_weights, "Ctrl+R", "resetAction",
                         "Fresh random weights from the seed"),
    }
    m.addSeparator()
    h = win.timeline
    win.history_actions = {
        "back": _action(m, "Rewind one snapshot", lambda: h.step(-1), "[", "historyBackAction",
                        "Every view shows the network one snapshot earlier in training"),
        "forward": _action(m, "Forward one snapshot", lambda: h.step(1), "]", "historyForwardAction",
                           "One snapshot later (after the last: the latest weights)"),
        "live": _action(m, "Back to the latest weights", h.leave, None, "historyLiveAction"),
        "branch": _action(m, "Branch here", h.branch, None, "historyBranchAction",
                          "Train on from the moment on show (a new run)"),
    }
