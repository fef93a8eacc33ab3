"""Mistakes: which MNIST test digits does the current network get wrong?

The evaluation (core.evaluate on the stored digits, deskewed when the model wants it: the numbers of
`nnviz evaluate` and of the model card) runs on a worker thread with a copy of the network; the view
shows a confusion matrix and a gallery of the misclassified digits. Clicking a confusion cell filters
the gallery to that (true, predicted) pair; clicking a digit loads it as the network's input.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QIcon, QImage, QPainter, QPen, QPixmap
from PySide6.QtWidgets import (
    QHBoxLayout,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from nnviz.core import preprocess
from nnviz.core.data import DatasetError
from nnviz.core.evaluate import Evaluation, evaluate
from nnviz.core.network import Network
from nnviz.gui.concurrency import describe, submit
from nnviz.gui.dataset.browser import DatasetBrowser, TestSet, load_test_set, stored_inputs
from nnviz.gui.look import colorbars, colormaps, themes
from nnviz.gui.state import AppState
from nnviz.gui.widgets.flat_label import FlatLabel

MistakesResult = Evaluation  # predicted, labels, wrong, confusion, accuracy: core's one evaluation path


def evaluate_mistakes(net: Network, test_set: TestSet, deskew_digit: bool) -> Evaluation:
    """Classify every test digit as `nnviz evaluate` does (off the GUI thread: about a second)."""
    return evaluate(net, stored_inputs(test_set, deskew_digit), test_set.labels)


class ConfusionMatrix(QWidget):
    """10x10 counts [true row, predicted column]; click an off-diagonal cell to filter the gallery."""

    cellClicked = Signal(int, int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("confusionMatrix")
        self.setToolTip("Rows: true digit; columns: predicted digit. Off-diagonal cells are mistakes.\n"
                        "Click a cell to list only those mistakes; click it again to list all.")
        self.setMinimumSize(260, 300)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        self.confusion: np.ndarray | None = None
        self.selected: tuple[int, int] | None = None

    def sizeHint(self) -> QSize:
        return QSize(320, 360)

    def cell_rect(self, i: int, j: int) -> QRectF:
        side = min(self.width() - 40, self.height() - 104) / 10
        return QRectF(30 + j * side, 38 + i * side, side, side)

    def mousePressEvent(self, ev) -> None:
        for i in range(10):
            for j in range(10):
                if self.cell_rect(i, j).contains(ev.position()):
                    self.cellClicked.emit(i, j)
                    return

    def paintEvent(self, event) -> None:
        p = QPainter(self)
        p.fillRect(self.rect(), themes.current().background)
        f = QFont(self.font())
        f.setPointSizeF(8.5)
        p.setFont(f)
        c = self.confusion if self.confusion is not None else np.zeros((10, 10), np.int64)
        off = c.copy()
        np.fill_diagonal(off, 0)
        hi = max(1, int(off.max()))
        cmap = themes.current().activation_cmap
        colours = colormaps.lookup(cmap, np.log1p(off), 0.0, np.log1p(hi)).reshape(10, 10, 4)
        for i in range(10):
            for j in range(10):
                r = self.cell_rect(i, j)
                col = QColor(48, 70, 56) if i == j else QColor(*map(int, colours[i, j, :3]))
                p.fillRect(r.adjusted(0.5, 0.5, -0.5, -0.5), col)
                if c[i, j]:
                    bright = i != j and off[i, j] > hi ** 0.5
                    p.setPen(QColor(20, 20, 20) if bright else themes.current().text)
                    p.drawText(r, Qt.AlignmentFlag.AlignCenter, str(int(c[i, j])))
        p.setPen(themes.current().text_dim)
        for k in range(10):
            p.drawText(self.cell_rect(k, 0).translated(-26, 0), Qt.AlignmentFlag.AlignCenter, str(k))
            col = self.cell_rect(0, k)
            p.drawText(QRectF(col.left(), 18, col.width(), 18), Qt.AlignmentFlag.AlignCenter, str(k))
        p.drawText(QRectF(0, 18, 30, 18), Qt.AlignmentFlag.AlignCenter, "true↓")
        grid = self.cell_rect(0, 0).united(self.cell_rect(0, 9))
        p.drawText(QRectF(grid.left(), 0, grid.width(), 18), Qt.AlignmentFlag.AlignCenter, "predicted digit →")
        if self.selected is not None:
            p.setPen(QPen(themes.current().highlight, 2.5))
            p.drawRect(self.cell_rect(*self.selected))
        bottom = self.cell_rect(9, 0).bottom() + 8
        colorbars.paint_colorbar(p, QRectF(8, bottom, self.width() - 16, 44), themes.current().activation_cmap, 0, hi,
                             "mistakes per cell (log colour); green = correct")
        p.end()


def digit_icon(pixels: np.ndarray, scale: int = 2) -> QIcon:
    """A QIcon of a (28, 28) uint8 digit, white on black, scaled up `scale` times."""
    g = np.ascontiguousarray(pixels, np.uint8)
    img = QImage(g.data, 28, 28, g.strides[0], QImage.Format.Format_Grayscale8).copy()
    return QIcon(QPixmap.fromImage(img.scaled(28 * scale, 28 * scale)))


ASK = "Which test digits does the network get wrong?"


class MistakesView(QWidget):
    """Confusion matrix + gallery of misclassified test digits; click one to load it.

    browser: a DatasetBrowser to load digits through (so it shows the index); else loads directly.
    """

    evaluated = Signal(object)  # MistakesResult, on the GUI thread
    sampleChosen = Signal(int)

    def __init__(self, state: AppState, test_set: TestSet | None = None, browser: DatasetBrowser | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.setObjectName("mistakesView")
        self._test_set, self.browser = test_set, browser
        self.result: MistakesResult | None = None
        self.filter: tuple[int, int] | None = None
        self._generation = 0  # which network the evaluations are of (a new network: +1)
        self.button = QPushButton("Find mistakes")
        self.button.setObjectName("findMistakes")
        self.button.setToolTip("Classify all 10,000 MNIST test digits with the current network (in the background)")
        self.status = FlatLabel(ASK)  # (wrapped, yet the view fits its dock)
        self.status.setObjectName("mistakesStatus")
        self.status.setWordWrap(True)
        self.matrix = ConfusionMatrix()
        self.gallery = QListWidget()
        self.gallery.setObjectName("mistakesGallery")
        self.gallery.setToolTip("Misclassified test digits: true → predicted. Click one to load it.")
        self.gallery.setViewMode(QListView.ViewMode.IconMode)
        self.gallery.setIconSize(QSize(56, 56))
        self.gallery.setGridSize(QSize(70, 82))
        self.gallery.setResizeMode(QListView.ResizeMode.Adjust)
        self.gallery.setMovement(QListView.Movement.Static)
        self.gallery.setUniformItemSizes(True)
        self._build_layout()
        self.button.clicked.connect(self.evaluate)
        self.matrix.cellClicked.connect(self._on_cell)
        self.gallery.itemClicked.connect(lambda item: self.load(int(item.data(Qt.ItemDataRole.UserRole))))
        state.weightsChanged.connect(self._mark_stale)
        state.networkChanged.connect(self._forget)

    def _build_layout(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.button)
        top.addWidget(self.status, 1)
        body = QHBoxLayout()
        body.addWidget(self.matrix, 0)
        body.addWidget(self.gallery, 1)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addLayout(top)
        lay.addLayout(body, 1)

    # --- evaluation ----------------------------------------------------------------------------
    def test_set(self, retry=None) -> TestSet:
        """The digits evaluated; DatasetError when MNIST cannot be found (then, with retry, the window asks
        for its folder and calls retry() once it is chosen)."""
        if self._test_set is None:
            if self.browser is not None:
                ts = self.browser.test_set(retry=retry)
            else:
                try:
                    ts = load_test_set(self.state.data_dir)
                except DatasetError as exc:
                    if retry is not None:
                        self.state.need_data(str(exc), retry)
                    raise
            if ts is None:
                raise DatasetError("MNIST not found: choose the folder with its four files")
            self._test_set = ts
        return self._test_set

    def evaluate(self) -> None:
        """Start the evaluation on the thread pool (a copy of the network; the GUI stays live)."""
        try:
            ts = self.test_set(retry=self.evaluate)
        except (DatasetError, OSError) as exc:
            self._on_failed(str(exc))
            return
        self.button.setEnabled(False)
        self.status.setText(f"classifying {len(ts):,} test digits in the background…")
        gen = self._generation  # a result for a network that has since been replaced is never shown
        submit(evaluate_mistakes, self.state.network.copy(), ts, preprocess.wants_deskew(self.state.card), owner=self,
               name="mistakes", on_done=lambda result: self._on_done(result) if gen == self._generation else None,
               on_error=lambda exc: self._on_failed(describe(exc)) if gen == self._generation else None)

    def _on_done(self, result: MistakesResult) -> None:
        self.result = result
        self.button.setEnabled(True)
        self.button.setText("Re-evaluate")
        self.matrix.confusion = result.confusion
        self.set_filter(None)
        self.evaluated.emit(result)

    def _on_failed(self, message: str) -> None:
        self.button.setEnabled(True)
        self.status.setText(f"<span style='color:#f07070'>could not evaluate: {message}</span>")

    def _forget(self) -> None:
        """A different network: the old one's matrix and mistakes go, and a running evaluation of it
        is never shown."""
        self._generation += 1
        self.result = None
        self.matrix.confusion = None
        self.set_filter(None)
        self.button.setEnabled(True)
        self.button.setText("Find mistakes")
        self.status.setText(ASK)

    def _mark_stale(self) -> None:
        if self.result is not None and not self.status.text().startswith("(outdated)"):
            self.status.setText("(outdated: the network changed) " + self.status.text())

    # --- gallery -------------------------------------------------------------------------------
    def _on_cell(self, i: int, j: int) -> None:
        self.set_filter(None if self.filter == (i, j) or i == j else (i, j))

    def set_filter(self, cell: tuple[int, int] | None) -> None:
        """List only mistakes with true digit cell[0] predicted as cell[1] (None: all mistakes)."""
        self.filter = cell
        self.matrix.selected = cell
        self.matrix.update()
        self.gallery.clear()
        if self.result is None:
            return
        r = self.result
        head = f"accuracy {r.accuracy:.2%}: {len(r.wrong)} of {len(r.labels):,} test digits wrong. "
        if cell is None:
            self.status.setText(head + "Click a cell to filter, a digit to load it.")
        else:
            n = int(r.confusion[cell])
            self.status.setText(head + f"Showing the {n} true {cell[0]} predicted as {cell[1]} "
                                "(click the cell again for all).")
        ts, r = self.test_set(), self.result
        for i in self.gallery_indices():
            item = QListWidgetItem(digit_icon(ts.pixels(i)), f"{r.labels[i]} → {r.predicted[i]}")
            item.setData(Qt.ItemDataRole.UserRole, int(i))
            item.setToolTip(f"test digit #{i}: true {r.labels[i]}, predicted {r.predicted[i]}")
            self.gallery.addItem(item)

    def gallery_indices(self) -> list[int]:
        """Test-set indices listed in the gallery under the current filter."""
        if self.result is None:
            return []
        r, w = self.result, self.result.wrong
        if self.filter is not None:
            w = w[(r.labels[w] == self.filter[0]) & (r.predicted[w] == self.filter[1])]
        return [int(i) for i in w]

    def load(self, index: int) -> None:
        """Make test digit `index` the input (through the browser when there is one)."""
        if self.browser is not None:
            self.browser.load(index)
        else:
            ts = self.test_set()
            from nnviz.gui.dataset.browser import sample_input
            x = sample_input(ts, index, preprocess.wants_deskew(self.state.card))
            self.state.set_input(x, label=int(ts.labels[index]), source="dataset")
        self.sampleChosen.emit(index)
