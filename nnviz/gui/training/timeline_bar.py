"""The timeline under the training curves (objectName `historyBar`): a slider over the training
history's snapshots, Play, Branch here, Live, and what the history holds (snapshots, memory of budget).

A view only: it emits what the user asked for and shows what it is told (set_count, set_position).
Timeline (history.py) decides what happens.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QPushButton, QSlider, QWidget


class ElidedLabel(QLabel):
    """One line of text up to WIDTH px, less when the row is narrow: what does not fit ends in "…"; text() is
    always the whole text."""

    WIDTH = 290

    def __init__(self, text: str = "", **kw) -> None:
        super().__init__(**kw)
        self._full, self.explain = "", ""
        self.setText(text)

    def setText(self, text: str) -> None:
        self._full = text
        self.setToolTip(f"{text}\n{self.explain}" if self.explain else text)
        super().setText(self.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight, max(10, self.width() - 4)))

    def text(self) -> str:
        return self._full

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name): the width it asks for, whatever the text elides to
        return QSize(self.WIDTH, super().sizeHint().height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return QSize(0, super().minimumSizeHint().height())

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.setText(self._full)


class TimelineBar(QWidget):
    moved = Signal(int)  # the user put the slider on snapshot i
    liveRequested = Signal()  # back to the latest weights
    playToggled = Signal(bool)
    branchRequested = Signal()  # train on from the moment on show (a new run)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("historyBar")
        row = QHBoxLayout(self)
        row.setContentsMargins(6, 0, 6, 2)
        self.live_button = self._button("● Live", "historyLiveButton", "Back to the latest weights (leave the history)")
        self.play_button = self._button("▶ Play", "historyPlayButton", "Replay the training history as an animation")
        self.play_button.setCheckable(True)
        self.slider = QSlider(Qt.Orientation.Horizontal, objectName="historySlider")
        self.slider.setToolTip("Rewind training: every view shows the network as it was at this moment "
                               "(keys [ and ]). The weights are recorded dense early and sparse late.")
        self.slider.setTracking(True)
        self.branch_button = self._button("Branch here", "historyBranchButton",
                                          "Train on from the moment on show: a new run (later snapshots are dropped)")
        self.save_check = QCheckBox("save with model", objectName="historySaveCheck")
        self.save_check.setChecked(True)
        self.save_check.setToolTip("File > Save model also stores the training history (the file grows by its size)")
        self.label = ElidedLabel(objectName="historyLabel")
        self.label.setMaximumWidth(ElidedLabel.WIDTH)  # longer text is elided (whole in its tooltip); in a narrow
        self.slider.setMinimumWidth(60)  # dock (the tour open at 1366x768) it gives way before the slider does
        self.label.explain = ("The moment on show, and the history's size against its memory budget "
                              "(float16 snapshots; over budget, every other one is dropped)")
        for w in (self.live_button, self.play_button, self.slider, self.branch_button, self.save_check, self.label):
            row.addWidget(w, 1 if w is self.slider else 0)
        self.slider.valueChanged.connect(lambda i: self.moved.emit(i) if not self._quiet else None)
        self.live_button.clicked.connect(self.liveRequested.emit)
        self.play_button.toggled.connect(self._on_play)
        self.branch_button.clicked.connect(self.branchRequested.emit)
        self._quiet = False
        self.set_count(0, "")

    def _button(self, text: str, name: str, tip: str) -> QPushButton:
        button = QPushButton(text, objectName=name)
        button.setToolTip(tip)
        return button

    def _on_play(self, on: bool) -> None:
        self.play_button.setText("❚❚ Pause" if on else "▶ Play")
        self.playToggled.emit(on)

    def set_count(self, n: int, text: str) -> None:
        """n snapshots recorded; text: what the history holds."""
        self._set_quietly(lambda: self.slider.setRange(0, max(0, n - 1)))
        self.slider.setEnabled(n > 0 and self.isEnabled())
        self.play_button.setEnabled(n > 1)
        self.label.setText(text or "no training history yet: train to record one")

    def set_position(self, index: int | None, text: str) -> None:
        """The snapshot on show (None: the latest weights, live)."""
        self._set_quietly(lambda: self.slider.setValue(self.slider.maximum() if index is None else index))
        self.live_button.setEnabled(index is not None)
        self.branch_button.setEnabled(index is not None)
        self.label.setText(text)

    def set_playing(self, on: bool) -> None:
        if self.play_button.isChecked() != on:
            self.play_button.setChecked(on)

    def _set_quietly(self, change) -> None:
        self._quiet = True
        try:
            change()
        finally:
            self._quiet = False
