"""Browse the MNIST test set: load a random or chosen digit as the network's input, with its label.

A dataset digit is shown to the network as stored (already MNIST-style: 20 px box, centred by mass),
deskewed when the model wants it: exactly the input that `nnviz evaluate`, the model card's test
accuracy and *Mistakes* classify, so a digit listed as a mistake is a mistake when loaded.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSpinBox, QWidget

from nnviz.core import preprocess
from nnviz.core.data import DatasetError, find_mnist, read_idx
from nnviz.core.data.mnist import MNIST_FILES, candidate_dirs
from nnviz.core.pixels import as_input
from nnviz.gui.state import AppState


@dataclass(frozen=True)
class TestSet:
    """MNIST test digits as stored: images (n, 28, 28) uint8 (ink = 255), labels (n,) int64."""

    images: np.ndarray
    labels: np.ndarray
    __test__ = False  # not a pytest test class

    def __len__(self) -> int:
        return len(self.labels)

    def pixels(self, i: int) -> np.ndarray:
        """(28, 28) uint8 pixels of digit i, as a PNG of it would hold them."""
        return self.images[i]


def load_test_set(data_dir: str | None = None) -> TestSet:
    """Read the MNIST test files (about 30 ms) from where core.data.find_mnist finds them (data_dir, else
    $NNVIZ_DATA, the folder chosen in the app, the cache). Raises DatasetError saying where it looked."""
    folder = find_mnist(data_dir)
    if folder is None:
        raise DatasetError("MNIST not found. Looked in: " + ", ".join(str(d) for d in candidate_dirs(data_dir)))
    return _read_test_set(folder.resolve())


@lru_cache(maxsize=4)
def _read_test_set(folder: Path) -> TestSet:
    images = read_idx(folder / MNIST_FILES["test_images"][0], expect_dims=3)
    labels = read_idx(folder / MNIST_FILES["test_labels"][0], expect_dims=1, max_label=9).astype(np.int64)
    return TestSet(images, labels)


def stored_inputs(test_set: TestSet, deskew_digit: bool, index: slice | None = None) -> np.ndarray:
    """(n, 784) network inputs of the test digits (a slice of them): the stored uint8 digits deskewed (when
    the model wants it) exactly as training and `nnviz evaluate` do it, then made floats in [0, 1]."""
    images = test_set.images[index or slice(None)]
    x = images.reshape(len(images), -1)
    return as_input(preprocess.deskew(x) if deskew_digit else x)


def sample_input(test_set: TestSet, i: int, deskew_digit: bool) -> np.ndarray:
    """The network input (784,) for test digit i: as evaluated (stored_inputs), so Mistakes and a loaded digit agree."""
    return stored_inputs(test_set, deskew_digit, slice(i, i + 1))[0]


class DatasetBrowser(QWidget):
    """A strip: ◀ index ▶, random, and the loaded digit's true label.

    test_set: the digits to browse (default: the MNIST test set, loaded on first use).
    """

    sampleLoaded = Signal(int)  # index of the digit just made the input

    def __init__(self, state: AppState, test_set: TestSet | None = None, data_dir: str | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.setObjectName("datasetBrowser")
        self._test_set, self._data_dir = test_set, data_dir
        self.index = -1
        self._rng = np.random.default_rng()
        self.prev_button = QPushButton("◀")
        self.prev_button.setObjectName("previousSample")
        self.prev_button.setToolTip("Previous MNIST test digit (Alt+Left)")
        self.next_button = QPushButton("▶")
        self.next_button.setObjectName("nextSample")
        self.next_button.setToolTip("Next MNIST test digit (Alt+Right)")
        self.random_button = QPushButton("random MNIST digit")
        self.random_button.setObjectName("randomSample")
        self.random_button.setToolTip("Load a random digit of the MNIST test set, 10,000 digits the network "
                                      "never trained on (Ctrl+R)")
        self.spin = QSpinBox()
        self.spin.setObjectName("sampleIndex")
        self.spin.setToolTip("Index of the MNIST test digit to load")
        self.spin.setRange(0, 9999)
        self.spin.setKeyboardTracking(False)
        self.info = QLabel("")
        self.info.setObjectName("sampleLabel")
        self.info.setToolTip("The loaded digit's true label (from the dataset)")
        for b in (self.prev_button, self.next_button):
            b.setFixedWidth(32)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        for w in (self.random_button, self.prev_button, self.spin, self.next_button):
            lay.addWidget(w)
        lay.addWidget(self.info, 1)
        self.prev_button.clicked.connect(self.previous)
        self.next_button.clicked.connect(self.next)
        self.random_button.clicked.connect(self.random)
        self.spin.valueChanged.connect(self._spin_changed)
        state.inputChanged.connect(self._on_input_changed)
        state.networkChanged.connect(self._on_network_changed)

    # --- data ----------------------------------------------------------------------------------
    def test_set(self, retry=None) -> TestSet | None:
        """The digits browsed (loaded on first use), or None with the reason shown, if MNIST is missing.
        retry: the action to run again once the user has chosen MNIST's folder (the window asks)."""
        if self._test_set is None:
            try:
                self._test_set = load_test_set(self._data_dir or self.state.data_dir)
            except DatasetError as exc:
                self.info.setText("<span style='color:#f07070'>MNIST not found: choose its folder</span>")
                self.info.setToolTip(str(exc))
                if retry is not None:
                    self.state.need_data(str(exc), retry)  # the window asks for the folder, then retries
                return None
            self.spin.setRange(0, len(self._test_set) - 1)
        return self._test_set

    # --- actions -------------------------------------------------------------------------------
    def load(self, index: int) -> None:
        """Make test digit `index` the network's input (with its true label)."""
        ts = self.test_set(retry=lambda: self.load(index))
        if ts is None:
            return
        self.info.setToolTip("The loaded digit's true label (from the dataset)")
        self.index = int(index) % len(ts)
        x = sample_input(ts, self.index, preprocess.wants_deskew(self.state.card))
        label = int(ts.labels[self.index])
        self.spin.blockSignals(True)
        self.spin.setValue(self.index)
        self.spin.blockSignals(False)
        self.state.set_input(x, label=label, source="dataset")
        self.info.setText(f"test digit #{self.index}: true label <b>{label}</b>")
        self.sampleLoaded.emit(self.index)

    def next(self) -> None:
        self.load(self.index + 1)

    def previous(self) -> None:
        self.load(self.index - 1 if self.index > 0 else -1)

    def random(self) -> None:
        ts = self.test_set(retry=self.random)
        if ts is not None:
            self.load(int(self._rng.integers(len(ts))))

    def _spin_changed(self, value: int) -> None:
        self.load(value)

    def _on_network_changed(self) -> None:
        """A new model may want different preprocessing: reload the shown digit through it."""
        if self.state.source == "dataset" and self.index >= 0 and self._test_set is not None:
            self.load(self.index)

    def _on_input_changed(self) -> None:
        if self.state.source != "dataset":
            self.info.setText("")
