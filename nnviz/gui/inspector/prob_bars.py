"""Probabilities before and after an update, side by side per class (QPainter)."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from nnviz.gui.inspector.notation import num
from nnviz.gui.look import themes

BEFORE = QColor(130, 130, 145)
AFTER = QColor(80, 220, 255)
TARGET = QColor(125, 220, 125)


class ProbBars(QWidget):
    """Two bars per class: ŷ before (grey) and after (cyan) the update; the target class is framed green."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("probBars")
        self.setToolTip("Probabilities ŷ for this example: grey before the update, cyan after; "
                        "the target class is framed in green")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumHeight(80)
        self.before: np.ndarray | None = None
        self.after: np.ndarray | None = None
        self.target: int | None = None

    def sizeHint(self) -> QSize:
        return QSize(320, 120)

    def set_probs(self, before: np.ndarray | None, after: np.ndarray | None, target: int | None) -> None:
        """before/after: (k,) probabilities (either may be None)."""
        self.before = None if before is None else np.asarray(before, np.float64)
        self.after = None if after is None else np.asarray(after, np.float64)
        self.target = target
        self.update()

    def caption(self) -> str:
        t = self.target
        if t is None or self.after is None:
            return "ŷ"
        if self.before is None:
            return f"P({t}) = {num(self.after[t], 3)}"
        return f"P({t}): {num(self.before[t], 4)} → {num(self.after[t], 4)}"

    def paintEvent(self, event) -> None:
        p = QPainter(self)
        p.fillRect(self.rect(), themes.current().background)
        font = QFont(p.font())
        font.setPointSizeF(8.5)
        p.setFont(font)
        fh = p.fontMetrics().height()
        self._legend(p, fh)
        ref = self.after if self.after is not None else self.before
        if ref is not None:
            self._bars(p, QRectF(6, fh + 8, self.width() - 12, self.height() - 2 * fh - 14), len(ref), fh)
        p.end()

    def _legend(self, p: QPainter, fh: int) -> None:
        x = 6.0
        for colour, text in ((BEFORE, "before"), (AFTER, "after the update")):
            p.fillRect(QRectF(x, 5, 10, 10), colour)
            p.setPen(themes.current().text)
            p.drawText(QRectF(x + 14, 2, 140, fh + 4), Qt.AlignmentFlag.AlignVCenter, text)
            x += 24 + p.fontMetrics().horizontalAdvance(text)
        p.setPen(TARGET)
        p.drawText(QRectF(x, 2, self.width() - x - 6, fh + 4),
                   Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight, self.caption())

    def _bars(self, p: QPainter, area: QRectF, k: int, fh: int) -> None:
        slot = area.width() / k
        bar_w = max(2.0, slot * 0.36)
        base = area.bottom()
        for c in range(k):
            x0 = area.left() + c * slot + slot * 0.12
            for off, probs, colour in ((0.0, self.before, BEFORE), (bar_w, self.after, AFTER)):
                if probs is None:
                    continue
                h = float(np.clip(probs[c], 0, 1)) * area.height()
                p.fillRect(QRectF(x0 + off, base - h, bar_w, h), colour)
            if c == self.target:
                p.setPen(QPen(TARGET, 1.5))
                p.setBrush(Qt.BrushStyle.NoBrush)
                p.drawRect(QRectF(x0 - 2, area.top(), 2 * bar_w + 4, area.height()))
            p.setPen(TARGET if c == self.target else themes.current().text_dim)
            p.drawText(QRectF(x0, base + 1, 2 * bar_w, fh), Qt.AlignmentFlag.AlignHCenter, str(c))
        p.setPen(QPen(themes.current().highlight.darker(200), 0))
        p.drawLine(int(area.left()), int(base), int(area.right()), int(base))
