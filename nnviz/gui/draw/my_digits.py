"""My digits: the user's own drawings with their true labels, and teaching the network to read them.

    store = PersonalDigits()                       # (handwriting/personal.py) 0/ ... 9/ of PNGs
    panel = MyDigitsPanel(state, store, canvas_pixels=lambda: canvas.pixels())

*Add the drawing* asks the drawing's true label (the prediction pre-selected) and stores it as a PNG
in an ImageFolder tree (nnviz.handwriting.image_folders reads it back); the gallery shows each digit with what the
network reads, and deletes. *Teach it my digits* fine-tunes a copy of the network on them mixed with
MNIST (core.finetune, a background job), shows a before/after table, and puts the new weights in the
app (a *modified* model to save); *Undo teaching* restores the weights bit for bit. *Open a folder…*
evaluates any folder of sub-folders 0-9 of images and can teach from it the same way.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QIcon, QImage, QPixmap
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from nnviz.core.evaluate import evaluate_model
from nnviz.gui.concurrency import submit
from nnviz.gui.dataset import ConfusionMatrix
from nnviz.gui.draw.my_digits_jobs import read_folder, teach
from nnviz.handwriting.image_folders import ImageFolder
from nnviz.handwriting.personal import PersonalDigits

THUMB = 48
MAX_THUMBS = 1000  # pictures in the gallery (every digit counts in the summary and the confusion matrix)


class MyDigitsPanel(QWidget):
    """objectName "myDigits": the gallery, Add the drawing, Teach it my digits, Undo, Open a folder."""

    taught = Signal(object)  # core.finetune.BeforeAfter, once the new weights are in
    folderRead = Signal()  # an opened folder's digits are on show

    def __init__(self, state, store: PersonalDigits | None = None, canvas_pixels=None, mnist=None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("myDigits")
        self.state, self.store = state, store or PersonalDigits()
        self.canvas_pixels = canvas_pixels
        self.mnist = mnist  # a Split/Mnist with x_train, y_train, x_test, y_test; loaded when first needed
        self.digits: ImageFolder | None = None
        self.showing_folder: Path | None = None  # an opened folder instead of the personal set
        self.undo_flat: np.ndarray | None = None
        self.job = None
        self.reading = None  # the job reading an opened folder
        self.ask_label = self._ask_label  # tests replace it
        self._build()
        self.refresh()
        self._stale = False  # new weights came while the panel was hidden
        state.weightsChanged.connect(self._on_weights)
        state.networkChanged.connect(self._forget_undo)

    def _build(self) -> None:
        self.summary = QLabel(objectName="myDigitsSummary")
        self.summary.setWordWrap(True)
        self.add_button = self._button("Add the drawing…", "addMyDigit", self.add_drawing,
                                       "Keep the digit on the canvas, with its true label, in your set")
        self.teach_button = self._button("Teach it my digits", "teachMyDigits", self.start_teaching,
                                         "Fine-tune the network on these digits mixed with MNIST "
                                         "(so it does not forget)")
        self.undo_button = self._button("Undo teaching", "undoTeaching", self.undo,
                                        "Put back the weights from before the last teaching, bit for bit")
        self.folder_button = self._button("Open a folder…", "openDigitFolder", self.open_folder_dialog,
                                          "A folder with sub-folders 0-9 of digit images: evaluate it, teach from it")
        self.delete_button = self._button("Delete", "deleteMyDigit", self.delete_selected, "Remove the selected digits")
        self.gallery = QListWidget(objectName="myDigitsGallery")
        self.gallery.setViewMode(QListWidget.ViewMode.IconMode)
        self.gallery.setIconSize(QSize(THUMB, THUMB))
        self.gallery.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.gallery.setSelectionMode(QListWidget.SelectionMode.ExtendedSelection)
        self.gallery.setToolTip("Your digits: true label → what the network reads (red: misread)")
        self.matrix = ConfusionMatrix()
        self.matrix.setObjectName("myDigitsConfusion")
        self.matrix.setToolTip("Your digits: rows the true digit, columns what the network reads")
        self.matrix.cellClicked.connect(self._select_cell)
        self.progress = QProgressBar(objectName="teachProgress")
        self.progress.hide()
        self.cancel_button = self._button("Cancel", "cancelReading", self.cancel_reading, "Stop reading the folder")
        self.cancel_button.hide()
        self.result = QLabel(objectName="teachResult")
        self.result.setWordWrap(True)
        self.result.setTextFormat(Qt.TextFormat.RichText)
        row1, row2 = QHBoxLayout(), QHBoxLayout()
        for b in (self.add_button, self.folder_button, self.delete_button):
            row1.addWidget(b)
        for b in (self.teach_button, self.undo_button):
            row2.addWidget(b)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addWidget(self.summary)
        lay.addLayout(row1)
        lay.addLayout(row2)
        progress_row = QHBoxLayout()
        progress_row.addWidget(self.progress, 1)
        progress_row.addWidget(self.cancel_button)
        lay.addLayout(progress_row)
        lay.addWidget(self.result)
        lay.addWidget(self.gallery, 1)
        lay.addWidget(self.matrix)

    def _button(self, text: str, name: str, slot, tip: str) -> QPushButton:
        b = QPushButton(text, objectName=name)
        b.setToolTip(tip)
        b.clicked.connect(lambda _=False: slot())
        return b

    # --- the set ------------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Reload the set shown (personal, or an opened folder: read again off the GUI thread) and redraw."""
        if self.showing_folder is not None:
            self.open_folder(self.showing_folder)
            return
        try:
            self.digits = self.store.load()
        except ValueError as exc:
            self.digits = None
            self.summary.setText(f"<span style='color:#ff9f6b'>{exc}</span>")
            return
        self._show_predictions()

    def _on_weights(self) -> None:
        """New weights: the digits are read again now if the panel is on show, else when it is shown."""
        if self.isVisible():
            self._show_predictions()
        else:
            self._stale = True

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._stale:
            self._show_predictions()

    def _show_predictions(self) -> None:
        self._stale = False
        self.gallery.clear()
        d = self.digits
        where = self._where()
        if d is None or len(d) == 0:
            self.summary.setText("No digits of yours yet: draw one, then <b>+ Mine</b> (or Add the drawing…)")
            self.teach_button.setEnabled(False)
            self.matrix.hide()
            return
        result = evaluate_model(self.state.network, self.state.card, d.x, d.y)
        predicted = result.predicted
        self.matrix.confusion = result.confusion
        self.matrix.show()
        self.matrix.update()
        right = int((predicted == d.y).sum())
        bad = f"; {len(d.bad)} files skipped (not digit images)" if d.bad else ""
        self.summary.setText(f"{len(d)} digits in {where}: the network reads <b>{right} of {len(d)}</b> "
                             f"right ({100 * right / len(d):.1f} %){bad}")
        if len(d) > MAX_THUMBS:
            self.summary.setText(self.summary.text() + f"; the first {MAX_THUMBS:,} are shown")
        for x, label, pred, path in zip(d.x[:MAX_THUMBS], d.y, predicted, d.paths):
            item = QListWidgetItem(_icon(x), f"{label} → {pred}")
            item.setData(Qt.ItemDataRole.UserRole, str(path))
            item.setToolTip(f"{path.name}: true {label}, read as {pred}")
            if pred != label:
                item.setForeground(Qt.GlobalColor.red)
            self.gallery.addItem(item)
        self.teach_button.setEnabled(self.job is None)

    def _select_cell(self, true: int, read: int) -> None:
        """A cell of the matrix: select the digits with that true label read as that digit."""
        for i in range(self.gallery.count()):
            item = self.gallery.item(i)
            label, _, pred = item.text().partition(" → ")
            item.setSelected((int(label), int(pred)) == (true, read))

    def add_drawing(self) -> Path | None:
        """Store the canvas's drawing with the label the user gives (the prediction pre-selected)."""
        pixels = self.canvas_pixels() if self.canvas_pixels else None
        if pixels is None or float(np.max(pixels)) <= 0:
            self.result.setText("Draw a digit on the canvas first.")
            return None
        predicted = self.state.trace.predicted if self.state.trace is not None else 0
        label = self.ask_label(int(predicted))
        if label is None:
            return None
        try:
            path = self.store.add(pixels, label)
        except OSError as exc:
            self.result.setText(f"Not added: {exc}")
            return None
        self.showing_folder = None
        self.refresh()
        self.result.setText(f"Added a {label} to your digits ({path.name}).")
        return path

    def _ask_label(self, predicted: int) -> int | None:
        items = [str(d) for d in range(10)]
        text, ok = QInputDialog.getItem(self, "Add to my digits", "Which digit did you draw?", items, predicted,
                                        False)
        return int(text) if ok else None

    def delete_selected(self) -> None:
        for item in self.gallery.selectedItems():
            self.store.delete(item.data(Qt.ItemDataRole.UserRole))
        self.refresh()

    def open_folder(self, folder: str | Path | None) -> None:
        """Show (and teach from) a folder of digit images, read off the GUI thread with progress and Cancel
        (folderRead once it is on show); None: back to the personal set."""
        self.cancel_reading()
        if folder is None:
            self.showing_folder = None
            self.refresh()
            return
        self.progress.setValue(0)
        self.progress.show()
        self.cancel_button.show()
        self.result.setText(f"Reading the digits in {folder}…")
        self.reading = submit(read_folder, Path(folder), pass_handle=True, owner=self, name="read a folder of digits",
                              on_done=self._folder_read, on_error=self._folder_failed,
                              on_progress=lambda f: self.progress.setValue(int(100 * f)))

    def cancel_reading(self) -> None:
        if self.reading is not None:
            self.reading.cancel()
            self._reading_over(f"Reading cancelled; {self._where()} stays on show.")

    def _folder_read(self, digits: ImageFolder) -> None:
        self.showing_folder, self.digits = digits.root, digits
        self._reading_over("")
        self._show_predictions()
        self.folderRead.emit()

    def _folder_failed(self, exc) -> None:
        self._reading_over(f"<span style='color:#ff9f6b'>Not opened: {exc}</span>")

    def _reading_over(self, text: str) -> None:
        self.reading = None
        self.progress.hide()
        self.cancel_button.hide()
        self.result.setText(text)

    def _where(self) -> str:
        return f"the folder {self.showing_folder}" if self.showing_folder else "your set"

    def open_folder_dialog(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "A folder with sub-folders 0 to 9 of digit images")
        if folder:
            self.open_folder(folder)

    # --- teaching -----------------------------------------------------------------------------------
    def start_teaching(self) -> None:
        if self.job is not None or self.digits is None or len(self.digits) == 0:
            return
        if self.state.training:
            self.result.setText("Training is running: stop it first (it would overwrite what is taught).")
            return
        if self.mnist is None:
            from nnviz.core.data import DatasetError, load_mnist

            try:
                self.mnist = load_mnist(self.state.data_dir, download=False)
            except (DatasetError, OSError) as exc:
                self.result.setText("<span style='color:#ff9f6b'>Teaching mixes in MNIST so that the network "
                                    "does not forget it, and MNIST is not here: choose its folder.</span>")
                self.state.need_data(str(exc), self.start_teaching)  # the window asks, then teaching goes on
                return
        self.undo_flat = self.state.network.flat.copy()
        self._undo_card, self._undo_modified = dict(self.state.card), self.state.modified
        self.teach_button.setEnabled(False)
        self.progress.setValue(0)
        self.progress.show()
        self.result.setText("Teaching… (a few seconds)")
        self.job = submit(teach, self.undo_flat, self.state.network, dict(self.state.card), self.digits, self.mnist,
                          pass_handle=True, owner=self, name="teach my digits", on_done=self._taught,
                          on_error=self._failed, on_progress=lambda f: self.progress.setValue(int(100 * f)))

    def _taught(self, result) -> None:
        self.job = None
        flat, report = result
        self.progress.hide()
        self.state.set_weights(flat)  # modified: File > Save keeps it
        self.state.update_card(test_accuracy=float(report.mnist_after))  # the status bar says what it is now
        self.undo_button.setEnabled(True)
        n = len(report.labels)
        self.result.setText(
            "<table cellspacing=4><tr><th></th><th>before</th><th>after</th></tr>"
            f"<tr><td>your digits read right</td><td>{int((report.before == report.labels).sum())}/{n}</td>"
            f"<td><b>{int((report.after == report.labels).sum())}/{n}</b></td></tr>"
            f"<tr><td>MNIST test accuracy</td><td>{100 * report.mnist_before:.2f} %</td>"
            f"<td><b>{100 * report.mnist_after:.2f} %</b></td></tr></table>"
            "The model is now <i>modified</i>: File › Save keeps it; <b>Undo teaching</b> goes back.")
        self._show_predictions()
        self.taught.emit(report)

    def _failed(self, exc) -> None:
        self.job = None
        self.progress.hide()
        self.undo_flat = None
        self.result.setText(f"<span style='color:#ff9f6b'>Teaching failed: {exc}</span>")
        self._show_predictions()

    def undo(self) -> None:
        if self.undo_flat is None:
            return
        self.state.restore_weights(self.undo_flat, self._undo_card, self._undo_modified)
        self.undo_flat = None
        self.undo_button.setEnabled(False)
        self.result.setText("The weights from before the teaching are back.")

    def _forget_undo(self) -> None:
        """A different network: the saved weights belong to the old one."""
        self.undo_flat = None
        self.undo_button.setEnabled(False)
        self._show_predictions()


def _icon(x: np.ndarray) -> QIcon:
    g = np.ascontiguousarray(np.clip(x.reshape(28, 28), 0, 1) * 255, np.uint8)
    image = QImage(g.data, 28, 28, 28, QImage.Format.Format_Grayscale8).copy()
    return QIcon(QPixmap.fromImage(image.scaled(THUMB, THUMB)))
