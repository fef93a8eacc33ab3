"""File → Export lesson page…: the loaded model as one HTML file for the students (nnviz.lesson).

    dialog = LessonDialog(state, timeline.history, folder)   # title, history snapshots, where
    dialog.exec(); dialog.written                             # the file written, or None
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QWidget,
)

from nnviz.core.data import DatasetError
from nnviz.core.history import History
from nnviz.gui.dataset.browser import load_test_set
from nnviz.gui.state import AppState
from nnviz.lesson import LessonError, write_page
from nnviz.lesson.page import MAX_SNAPSHOTS


class LessonDialog(QDialog):
    def __init__(self, state: AppState, history: History | None, folder: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lessonDialog")
        self.setWindowTitle("nnviz: export lesson page")
        self.state, self.history, self.written = state, history, None
        self.title = QLineEdit(objectName="lessonTitle", placeholderText="e.g. 10-315, lecture 7",
                               toolTip="Shown at the top of the page, as text")
        self.snapshots = QSpinBox(objectName="lessonHistory", minimum=0, maximum=MAX_SNAPSHOTS, value=0,
                                  toolTip="Moments of the training history the students can scrub (0: none)")
        kept = len(history) if history is not None else 0
        self.snapshots.setEnabled(kept >= 2)
        self.snapshots.setSpecialValueText("none")
        self.snapshots.setMaximum(min(MAX_SNAPSHOTS, max(kept, 0)))
        name = (state.path.stem if state.path else "nnviz") + "-lesson.html"
        self.path = QLineEdit(str(Path(folder) / name), objectName="lessonPath")
        browse = QPushButton("Browse…", objectName="lessonBrowse")
        browse.clicked.connect(self._browse)
        where = QHBoxLayout()
        where.addWidget(self.path, 1)
        where.addWidget(browse)
        form = QFormLayout(self)
        form.addRow(QLabel("One HTML file that draws, predicts and backpropagates this model in any browser, "
                           "offline, on a phone as on a laptop. Share it by e-mail, the course site or a USB stick.",
                           wordWrap=True))
        form.addRow("Title", self.title)
        form.addRow("History snapshots", self.snapshots)
        if kept < 2:
            form.addRow("", QLabel("(train, or open a model saved with its training history, to add one)"))
        form.addRow("File", where)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.export)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def _browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export lesson page", self.path.text(), "Web page (*.html)")
        if path:
            self.path.setText(path if path.lower().endswith((".html", ".htm")) else path + ".html")

    def export(self) -> None:
        """Write the page (a second or so); an error is shown and the dialog stays open."""
        path = Path(self.path.text().strip())
        digits = None
        try:
            test = load_test_set(str(self.state.data_dir) if self.state.data_dir else None)
            digits = (test.images, test.labels)
        except DatasetError:
            pass  # (the page then has no test digits to browse; drawing works)
        try:
            size = write_page(self.state.network, self.state.card, path, title=self.title.text().strip(),
                              history=self.history, snapshots=self.snapshots.value(), digits=digits,
                              model_name=self.state.path.name if self.state.path else "unsaved model")
        except (LessonError, OSError, ValueError) as exc:
            QMessageBox.warning(self, "nnviz: cannot export the lesson page", str(exc))
            return
        self.written = path
        self.size = size
        self.accept()
