"""A seeded monkey for the whole main window (issue 17): random clicks, drags, wheel turns and keys
(the menu shortcuts included) over every visible widget, with training started and stopped and every
tab, dock and lab visited along the way. Same seed, same events (the training thread's timing aside).

    monkey = Monkey(win, seed=7, tmp=tmp_path)
    for i in range(2000):
        monkey.step(i)          # one event (or one forced visit), then the queued events are processed

Dialogs never block: the static QFileDialog/QInputDialog/QMessageBox helpers are replaced (files go to
tmp only) by patch_dialogs(), and close_modals() closes any other modal window or stray popup menu.
Also runnable as a script (python -m tests.gui.app.monkey SEED EVENTS FOLDER): it quits mid-run, which a test
checks for exit status 0 and an empty stderr.
"""

from __future__ import annotations

import os
import random
from collections import deque
from pathlib import Path

from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QAction, QMouseEvent, QWheelEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QFileDialog,
    QInputDialog,
    QMainWindow,
    QMessageBox,
    QTabBar,
    QTabWidget,
    QWidget,
)

Key, Mod = Qt.Key, Qt.KeyboardModifier
SHORTCUTS = [  # the menus' shortcuts (menus.py), the tour's and presenter's keys; never Ctrl+Q (quit)
    (Key.Key_F5, Mod.NoModifier), (Key.Key_F6, Mod.NoModifier), (Key.Key_F10, Mod.NoModifier),
    (Key.Key_F5, Mod.ShiftModifier), (Key.Key_R, Mod.ControlModifier), (Key.Key_F11, Mod.NoModifier),
    (Key.Key_L, Mod.ControlModifier), (Key.Key_F1, Mod.NoModifier), (Key.Key_E, Mod.ControlModifier),
    (Key.Key_S, Mod.ControlModifier), (Key.Key_O, Mod.ControlModifier), (Key.Key_Escape, Mod.NoModifier),
    (Key.Key_PageDown, Mod.NoModifier), (Key.Key_PageUp, Mod.NoModifier), (Key.Key_Space, Mod.NoModifier),
    (Key.Key_Tab, Mod.ControlModifier), (Key.Key_R, Mod.ControlModifier | Mod.ShiftModifier),
]
PLAIN_KEYS = [Key.Key_Left, Key.Key_Right, Key.Key_Up, Key.Key_Down, Key.Key_Return, Key.Key_Tab,
              Key.Key_Backspace, Key.Key_Delete, Key.Key_Home, Key.Key_End, Key.Key_Plus, Key.Key_Minus,
              Key.Key_0, Key.Key_1, Key.Key_7, Key.Key_9, Key.Key_A, Key.Key_Z, Key.Key_Period]
BUTTONS = [Qt.MouseButton.LeftButton] * 6 + [Qt.MouseButton.RightButton, Qt.MouseButton.MiddleButton]


def patch_dialogs(monkeypatch, tmp: Path, rng: random.Random) -> None:
    """Every static dialog answers at once: file dialogs pick files in tmp (or cancel), input dialogs
    give a random valid answer (or cancel), message boxes say yes or no."""
    def save_name(_parent=None, _caption="", start="", _filter="", *a, **k):
        if rng.random() < 0.3:
            return "", ""
        return str(tmp / (Path(start).name or "file.png")), ""

    def open_name(*a, **k):
        models = sorted(tmp.glob("*.npz"))
        return (str(rng.choice(models)), "") if models and rng.random() < 0.7 else ("", "")

    def folder(*a, **k):
        return str(tmp) if rng.random() < 0.5 else ""

    def item(_parent, _title, _label, items, current=0, *a, **k):
        return (items[rng.randrange(len(items))], True) if items and rng.random() < 0.7 else ("", False)

    def number(_parent, _title, _label, value=0.0, low=-100.0, high=100.0, *a, **k):
        return (rng.uniform(low, high) if rng.random() < 0.5 else value), rng.random() < 0.7

    def answer(*a, **k):
        return rng.choice([QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.No])

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_name)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", open_name)
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", folder)
    monkeypatch.setattr(QInputDialog, "getItem", item)
    monkeypatch.setattr(QInputDialog, "getDouble", number)
    monkeypatch.setattr(QInputDialog, "getInt", lambda *a, **k: (int(number(*a, **k)[0]), rng.random() < 0.7))
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("7", rng.random() < 0.7))
    for name in ("question", "warning", "information", "critical"):
        monkeypatch.setattr(QMessageBox, name, answer)
    from nnviz.gui.app import unsaved  # Save / Discard / Cancel before unsaved work is lost: any answer

    monkeypatch.setattr(unsaved, "ask", lambda *a, **k: rng.choice([unsaved.SAVE, unsaved.DISCARD, unsaved.CANCEL]))


def close_modals() -> None:
    """Close a modal window (an exec()'d dialog the patches missed) or a popup menu (a context menu's
    exec() blocks too, e.g. a line edit's), so that the monkey never blocks."""
    for widget in (QApplication.activeModalWidget(), QApplication.activePopupWidget()):
        if widget is not None:
            widget.close()


class Monkey:
    """Sends seeded random input to a MainWindow; log keeps the last events for a failure message."""

    def __init__(self, win: QMainWindow, seed: int, tmp: Path) -> None:
        self.win, self.rng, self.tmp = win, random.Random(seed), tmp
        self.log: deque[str] = deque(maxlen=25)
        trace = os.environ.get("NNVIZ_MONKEY_TRACE")  # a file that gets every event, flushed (for crashes)
        self.trace = open(trace, "w", buffering=1) if trace else None  # noqa: SIM115
        quit_action = win.findChild(QAction, "quitAction")
        if quit_action is not None:
            quit_action.setEnabled(False)  # the monkey stays; quitting is the subprocess test's business
        self.visits = self._visit_plan()
        self.visited: set[str] = set()

    # --- forced visits: every tab, lab and dock, training on and off ------------------------------
    def _visit_plan(self) -> list:
        win = self.win
        plan = []
        for i in range(win.tabs.count()):
            plan.append((f"tab {win.tabs.tabText(i)}", lambda i=i: win.tabs.setCurrentIndex(i)))
        plan.append(("labs", self._visit_labs))
        for name in sorted(win.docks):
            plan.append((f"dock {name}", lambda name=name: self._show_dock(name)))
        plan += [("start", lambda: win.menu.train["start"].trigger()),
                 ("stop", lambda: win.menu.train["stop"].trigger())]
        return plan

    def _show_dock(self, name: str) -> None:
        dock = self.win.docks[name]
        dock.show()
        dock.raise_()

    def _visit_labs(self) -> None:
        win = self.win
        for i in range(win.tabs.count()):
            if win.tabs.tabText(i) == "Labs":
                win.tabs.setCurrentIndex(i)
        labs = win.findChild(QTabWidget, "labs")
        if labs is not None:
            labs.setCurrentIndex(self.rng.randrange(labs.count()))

    def _note(self, text: str) -> None:
        self.log.append(text)
        if self.trace is not None:
            self.trace.write(text + "\n")

    # --- one step ----------------------------------------------------------------------------------
    def step(self, i: int) -> None:
        close_modals()
        if i % 40 == 0:
            name, visit = self.visits[(i // 40) % len(self.visits)]
            self._note(f"{i}: visit {name}")
            self.visited.add(name)
            visit()
        else:
            self._random_event(i)
        QApplication.processEvents()
        # (No forced DeferredDelete here: deleting objects outside the event loop's own turn crashed now and
        # then. processEvents() alone never deletes, so the dock tab bars Qt drops stay alive: _pick_widget
        # leaves the window's own tab bars alone, which a user drags only through Qt's dock code.)

    def _random_event(self, i: int) -> None:
        rng = self.rng
        kind = rng.choices(["click", "drag", "wheel", "shortcut", "key", "double"], [40, 15, 12, 12, 15, 6])[0]
        if kind == "shortcut":
            key, mod = rng.choice(SHORTCUTS)
            self._note(f"{i}: shortcut {key.name} {mod.name}")
            QTest.keyClick(self._key_target(), key, mod)
            return
        widget = self._pick_widget()
        if widget is None:
            return
        w, h = max(widget.width(), 1), max(widget.height(), 1)
        p = QPoint(rng.randrange(w), rng.randrange(h))
        self._note(f"{i}: {kind} {type(widget).__name__}({widget.objectName()}) at {p.x()},{p.y()} "
                        f"of {w}x{h}")
        if kind == "click":
            QTest.mouseClick(widget, rng.choice(BUTTONS), Mod.NoModifier, p)
        elif kind == "double":
            QTest.mouseDClick(widget, Qt.MouseButton.LeftButton, Mod.NoModifier, p)
        elif kind == "drag":
            self._drag(widget, p, QPoint(rng.randrange(w), rng.randrange(h)))
        elif kind == "wheel":
            self._wheel(widget, p)
        else:
            key = rng.choice(PLAIN_KEYS)
            widget.setFocus()
            QTest.keyClick(widget, key, rng.choice([Mod.NoModifier, Mod.NoModifier, Mod.ShiftModifier]))

    def _key_target(self) -> QWidget:
        return QApplication.focusWidget() or self.win

    def _pick_widget(self) -> QWidget | None:
        """A random visible widget of the window (or of one of its dialogs), not a dock's title bar."""
        popup = QApplication.activePopupWidget()
        if popup is not None and self.rng.random() < 0.5:
            return popup
        # the window's own widgets and its open dialogs (not QApplication.allWidgets(): in a long test run
        # that also lists other tests' half-destroyed widgets, and touching one crashed the process)
        tops = [self.win] + [w for w in (QApplication.activeModalWidget(), QApplication.activeWindow())
                             if w is not None and w is not self.win]
        widgets = [w for top in tops for w in [top, *top.findChildren(QWidget)]
                   if w.isVisible() and w.width() > 1 and w.height() > 1 and not isinstance(w, QDockWidget)
                   and not (isinstance(w, QTabBar) and isinstance(w.parentWidget(), QMainWindow))]
        return self.rng.choice(widgets) if widgets else None

    def _drag(self, widget: QWidget, start: QPoint, end: QPoint) -> None:
        button = self.rng.choice(BUTTONS)
        QTest.mousePress(widget, button, Mod.NoModifier, start)
        for t in (0.25, 0.5, 0.75, 1.0):
            if not _alive(widget):
                return
            p = QPointF(start + (end - start) * t)
            move = QMouseEvent(QEvent.Type.MouseMove, p, QPointF(widget.mapToGlobal(p.toPoint())),
                               Qt.MouseButton.NoButton, button, Mod.NoModifier)
            QApplication.sendEvent(widget, move)
        if _alive(widget):
            QTest.mouseRelease(widget, button, Mod.NoModifier, end)

    def _wheel(self, widget: QWidget, p: QPoint) -> None:
        delta = self.rng.choice([-360, -120, -15, 15, 120, 360])
        mod = self.rng.choice([Mod.NoModifier, Mod.NoModifier, Mod.ControlModifier, Mod.ShiftModifier])
        event = QWheelEvent(QPointF(p), QPointF(widget.mapToGlobal(p)), QPoint(0, 0), QPoint(0, delta),
                            Qt.MouseButton.NoButton, mod, Qt.ScrollPhase.NoScrollPhase, False)
        QApplication.sendEvent(widget, event)


def _alive(widget: QWidget) -> bool:
    from shiboken6 import isValid

    return isValid(widget) and widget.isVisible()


def main(seed: int, events: int, tmp: Path) -> int:
    """Run the monkey on a real app, start training, then quit mid-run as File > Quit does."""
    import pytest
    from PySide6.QtCore import QTimer

    from nnviz.core.data import mnist as mnist_mod
    from nnviz.core.training import Split
    from nnviz.gui import MainWindow

    app = QApplication([])
    data = mnist_mod.load_folder(mnist_mod.find_mnist())
    small = Split(data.x_train[:1000], data.y_train[:1000], data.x_test[:500], data.y_test[:500])
    win = MainWindow(data=small)
    monkey = Monkey(win, seed, tmp)
    with pytest.MonkeyPatch.context() as patch:
        patch_dialogs(patch, tmp, monkey.rng)
        win.show()
        closer = QTimer(interval=100, timeout=close_modals)
        closer.start()
        for i in range(events):
            monkey.step(i)
        win.menu.train["start"].trigger()
        from nnviz.gui.app import unsaved

        patch.setattr(unsaved, "ask", lambda *a, **k: unsaved.DISCARD)  # the user quits, discarding the run
        QTimer.singleShot(50, win.findChild(QAction, "quitAction").trigger)
        win.findChild(QAction, "quitAction").setEnabled(True)
        return app.exec()


if __name__ == "__main__":
    import sys

    sys.exit(main(int(sys.argv[1]), int(sys.argv[2]), Path(sys.argv[3])))
