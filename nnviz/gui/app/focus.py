"""Keyboard focus comes back to the window when one of its dialogs closes, and Quit works in every dialog.

A window manager does this for us on a desktop. On an X server with none (a kiosk, a lecture-hall
machine, Xvfb), closing a dialog leaves no window with the keyboard: every shortcut, Quit
included, stops working. So when focus leaves one of our own windows that has just been hidden, and
no other window took it, the main window takes it back. If the user switched to another application
while a dialog stayed open, that dialog is still visible and nothing is taken.

Quit (Ctrl+Q) while a modal dialog is open (a question, a file dialog) cancels the dialog and closes
the window, as if the user had pressed Esc and then Quit.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut, QWindow
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from nnviz.gui.app.quitting import quit_app

QUIT = QKeySequence("Ctrl+Q")
WATCHED = "nnvizFocusWatched"  # a window's property: its hiding is watched already


class FocusKeeper(QObject):
    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self._window = window
        QGuiApplication.instance().focusWindowChanged.connect(self._focus_moved)

    def _focus_moved(self, now: QWindow | None) -> None:
        """Watch each window of ours that takes the keyboard (dialogs, menus): its hiding may strand the focus."""
        if now is None or now.property(WATCHED) or not self._ours(now):
            return
        now.setProperty(WATCHED, True)
        now.visibleChanged.connect(self._visibility_changed)  # (bound slots: gone with this object)
        dialog = QApplication.activeWindow()  # the widget whose window took the focus
        if isinstance(dialog, QDialog) and dialog.windowHandle() is now:
            QShortcut(QUIT, dialog).activated.connect(self._quit_from_dialog)

    def _ours(self, window: QWindow) -> bool:
        """A dialog or popup of the main window (or of one of its dialogs), not the main window itself."""
        main = self._window.windowHandle()
        parent = window.transientParent()
        for _ in range(8):
            if parent is None:
                return False
            if parent is main:
                return True
            parent = parent.transientParent()
        return False

    def _visibility_changed(self, visible: bool) -> None:
        closed = self.sender()
        if not visible:
            QTimer.singleShot(0, self, lambda: self._reclaim(closed))

    def _quit_from_dialog(self) -> None:
        quit_app(self._window, ask=True)  # a person pressed Ctrl+Q: unsaved work is offered for saving

    def _reclaim(self, closed: QWindow) -> None:
        """After a window of ours closed, give the keyboard to the modal dialog still open, or the main window."""
        focus = QGuiApplication.focusWindow()
        stranded = focus is None or focus is closed or not focus.isVisible()
        if not stranded or QApplication.activePopupWidget() is not None or not self._window.isVisible():
            return
        (QApplication.activeModalWidget() or self._window).activateWindow()
