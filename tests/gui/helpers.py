"""What many GUI tests share: the time they wait for a signal, and starting training in a window."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

TIMEOUT = 30_000  # ms to wait for a signal; the machine is shared, so generous


def start_and_wait(qtbot, win, signal=None):
    """Press Start in the window's Training panel; return once `signal` (default: a batch) came."""
    with qtbot.waitSignal(signal or win.run.batchDone, timeout=TIMEOUT):
        qtbot.mouseClick(win.findChild(QPushButton, "startTrainingButton"), Qt.MouseButton.LeftButton)
