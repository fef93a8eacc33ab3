"""Every way of asking nnviz to quit ends the same way: dialogs cancelled, the window closed (which stops
and joins every thread and job, see MainWindow.closeEvent), exit status 0.

    quit_app(window)                    # Ctrl+Q in a dialog, a signal, the window destroyed under us
    QuitRequests(app, window)           # SIGINT (Ctrl+C in the terminal), SIGTERM (log-out, kill), SIGHUP
                                        # (the terminal closed)
                                        # and an X server that destroys the window (xdotool windowclose)

Without this, Ctrl+C in the terminal raised KeyboardInterrupt inside a Qt slot while training ran and
ended in a segmentation fault, SIGTERM killed the process mid-batch (status 143), and a window
destroyed by another X client left the app running with no window at all.
"""

from __future__ import annotations

import ctypes
import signal
import socket

from PySide6.QtCore import QAbstractNativeEventFilter, QObject, QSocketNotifier, QTimer
from PySide6.QtWidgets import QApplication, QWidget

XCB_DESTROY_NOTIFY = 17


def quit_app(window: QWidget, ask: bool = False) -> None:
    """Cancel every open modal dialog (innermost first), then close the window once their loops ended.
    ask: a person asked (Ctrl+Q in a dialog), so unsaved work is offered for saving; a signal or a
    destroyed window quits at once, without a question."""
    window.setProperty("quitWithoutAsking", not ask)
    for _ in range(16):
        dialog = QApplication.activeModalWidget()
        if dialog is None or not hasattr(dialog, "reject"):
            break
        dialog.reject()
    QTimer.singleShot(0, window, window.close)


class _DestroyedWindow(QAbstractNativeEventFilter):
    """Notices an X DestroyNotify for the window (another client destroyed it) and quits."""

    def __init__(self, window: QWidget) -> None:
        super().__init__()
        self._window = window

    def nativeEventFilter(self, event_type, message):
        if event_type == b"xcb_generic_event_t":
            # xcb_destroy_notify_event_t: response_type (u8), pad (u8), sequence (u16), event (u32), window (u32)
            head = ctypes.cast(int(message), ctypes.POINTER(ctypes.c_uint32 * 3)).contents
            if head[0] & 0x7F == XCB_DESTROY_NOTIFY and head[2] == int(self._window.winId()):
                QTimer.singleShot(0, self._window, lambda: quit_app(self._window))
        return False, 0


class QuitRequests(QObject):
    """SIGINT, SIGTERM and SIGHUP (woken through a socket, so they are seen at once even while Qt's loop runs C++
    code) and an externally destroyed X window all call quit_app."""

    def __init__(self, app: QApplication, window: QWidget) -> None:
        super().__init__(window)
        self._window = window
        self._read, write = socket.socketpair()
        self._read.setblocking(False)
        write.setblocking(False)
        self._write = write
        signal.set_wakeup_fd(write.fileno())
        for name in ("SIGINT", "SIGTERM", "SIGHUP"):  # (Windows has no SIGHUP)
            if hasattr(signal, name):  # the wake-up byte is what counts (Python runs the handler later)
                signal.signal(getattr(signal, name), lambda *_: None)
        self._notifier = QSocketNotifier(self._read.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._on_signal)
        self._filter = None
        if app.platformName() == "xcb":
            self._filter = _DestroyedWindow(window)
            app.installNativeEventFilter(self._filter)

    def _on_signal(self) -> None:
        try:
            self._read.recv(64)
        except BlockingIOError:
            return
        quit_app(self._window)
