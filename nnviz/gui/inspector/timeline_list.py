"""The timeline as a list: one row per step, coloured by phase; clicking a row jumps to that step."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QWidget

from nnviz.gui.look import themes

PHASE_MARK = {"forward": "→", "loss": "J", "backward": "←", "update": "⟳"}


class TimelineList(QListWidget):
    """Steps in order: forward (orange →), loss (red), backward (cyan ←), update (green)."""

    stepChosen = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("timelineList")
        self.setToolTip("The steps of one example's pass in the lecture's order: forward →, loss, "
                        "backward ← (each uses the one before it), update. Click a step to jump to it.")
        font = QFont("DejaVu Sans Mono")
        font.setPointSizeF(9.5)
        self.setFont(font)
        self.setMinimumWidth(100)
        # No scroll bars (the short names fit; a small window shows part of the list): the current step is
        # always scrolled into view, and the wheel scrolls.
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.currentRowChanged.connect(self._row_changed)
        self._quiet = False

    def set_steps(self, steps) -> None:
        """steps: objects with .phase and .title (timeline.Step or the scalar chain's steps)."""
        self._quiet = True
        self.clear()
        for s in steps:
            item = QListWidgetItem(f"{PHASE_MARK.get(s.phase, ' ')}  {s.title}")
            item.setForeground(QBrush(QColor(themes.current().phase.get(s.phase, themes.current().text.name()))))
            item.setToolTip(getattr(s, "formula", s.title))
            self.addItem(item)
        self._quiet = False

    def set_current(self, index: int) -> None:
        """Mark step `index` as current without emitting stepChosen."""
        self._quiet = True
        self.setCurrentRow(index)
        item = self.item(index)
        if item is not None:
            self.scrollToItem(item, QListWidget.ScrollHint.EnsureVisible)
        self._quiet = False

    def _row_changed(self, row: int) -> None:
        if not self._quiet and row >= 0:
            self.stepChosen.emit(row)

    def keyPressEvent(self, event) -> None:
        """Left/right/space belong to the walk's shortcuts, not to the list."""
        if event.key() in (Qt.Key.Key_Left, Qt.Key.Key_Right, Qt.Key.Key_Space):
            event.ignore()
            return
        super().keyPressEvent(event)
