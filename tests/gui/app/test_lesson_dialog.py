"""File → Export lesson page… (issue 25): the loaded model, with the title and history snapshots asked for."""

from __future__ import annotations

import json
import re

from PySide6.QtCore import QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QMessageBox

from nnviz.gui.app.lesson_dialog import LessonDialog
from tests.gui.helpers import start_and_wait


def _data(path) -> dict:
    return json.loads(re.search(r'id="lessonData">(.*?)</script>', path.read_text(encoding="utf-8"), re.S)[1])


def test_the_menu_writes_the_model_s_page_and_says_where(qtbot, window, tmp_path, monkeypatch, mnist_path):
    monkeypatch.setenv("NNVIZ_DATA", str(mnist_path))
    out = tmp_path / "lecture.html"

    def fill():
        dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, LessonDialog) and w.isVisible())
        dialog.title.setText("Lecture 7 <b>")
        dialog.path.setText(str(out))
        dialog.export()

    QTimer.singleShot(0, fill)
    window.findChild(QAction, "exportLessonAction").trigger()
    data = _data(out)
    assert data["title"] == "Lecture 7 <b>" and data["model"] == "mnist-784-300-100-10.npz"
    assert len(data["digits"]["labels"]) == 50
    assert window.statusBar().currentMessage().startswith(f"Wrote {out} (1.5 MB)")


def test_history_snapshots_come_from_the_run_on_show(qtbot, window, tmp_path):
    start_and_wait(qtbot, window)
    window.session.stop()
    qtbot.waitUntil(lambda: not window.state.training, timeout=30_000)
    dialog = LessonDialog(window.state, window.timeline.history, str(tmp_path), window)
    qtbot.addWidget(dialog)
    assert dialog.snapshots.isEnabled() and dialog.snapshots.maximum() >= 2
    dialog.snapshots.setValue(2)
    dialog.path.setText(str(tmp_path / "run.html"))
    dialog.export()
    assert dialog.written == tmp_path / "run.html" and len(_data(dialog.written)["history"]) == 2


def test_a_file_it_cannot_write_is_said_and_the_dialog_stays(qtbot, window, tmp_path, monkeypatch):
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: shown.append(text))
    dialog = LessonDialog(window.state, None, str(tmp_path), window)
    qtbot.addWidget(dialog)
    assert not dialog.snapshots.isEnabled()  # no history yet
    dialog.path.setText(str(tmp_path / "lesson.txt"))
    dialog.export()
    assert dialog.written is None and shown and "is an .html file" in shown[0]
