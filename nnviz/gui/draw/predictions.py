"""The prediction panel: the network's output ŷ for the current input as ten probability bars.

Shows the top-1 digit large with its probability, the runner-up, a low-confidence marking when the
top probability is under a threshold, and "draw a digit" when there is no input. It follows
AppState.traceChanged (trace.y_hat). Clicking a bar makes that class the backward pass's target
(the saliency map and the inspector then explain that class).

Qt properties for tests and scripts: predictedDigit (int, -1 when empty), probabilities (ten floats).
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Property, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from nnviz.gui.look import colorbars, colormaps, themes
from nnviz.gui.state import AppState

LOW_CONFIDENCE = 0.6  # below this top probability the prediction is marked "unsure"
GOOD, BAD, WARN = QColor(90, 210, 120), QColor(240, 90, 90), QColor(245, 180, 60)
BAR_BG = QColor(40, 40, 50)


class PredictionPanel(QWidget):
    """Ten bars of ŷ_k, the top-1 digit large, the runner-up; click a bar to explain that class."""

    predictionChanged = Signal()

    def __init__(self, state: AppState, parent: QWidget | None = None, threshold: float = LOW_CONFIDENCE) -> None:
        super().__init__(parent)
        self.state = state
        self.threshold = threshold
        self.setObjectName("predictionPanel")
        self.setToolTip("The network's output ŷ: the probability of each digit (softmax of the last layer).\n"
                        "Click a bar to explain that digit in the saliency map.")
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(190, 240)
        self._p = np.zeros(10, np.float32)
        self._digit = -1
        self._target: int | None = None
        self._label: int | None = None
        state.traceChanged.connect(self._on_trace)
        self._on_trace(state.trace)

    # --- Qt properties -------------------------------------------------------------------------
    def _get_digit(self) -> int:
        return self._digit

    def _get_probabilities(self) -> list:
        return [float(v) for v in self._p] if self._digit >= 0 else [0.0] * 10

    predictedDigit = Property(int, _get_digit, notify=predictionChanged)
    probabilities = Property(list, _get_probabilities, notify=predictionChanged)

    def is_unsure(self) -> bool:
        """True when there is a prediction but its probability is under the threshold."""
        return self._digit >= 0 and float(self._p[self._digit]) < self.threshold

    def runner_up(self) -> int:
        """The second most probable digit (-1 when empty)."""
        return int(np.argsort(self._p)[-2]) if self._digit >= 0 else -1

    def sizeHint(self) -> QSize:
        return QSize(260, 380)

    # --- state ---------------------------------------------------------------------------------
    def _on_trace(self, trace) -> None:
        if trace is None:
            self._p[:] = 0
            self._digit, self._target = -1, None
        else:
            self._p = np.asarray(trace.y_hat, np.float32).copy()
            self._digit = int(np.argmax(self._p))
            self._target = trace.target
        self._label = self.state.label
        self.update()
        self.predictionChanged.emit()

    # --- geometry ------------------------------------------------------------------------------
    def _header_height(self) -> float:
        return min(120.0, max(72.0, self.height() * 0.3))

    def _bar_rect(self, k: int) -> QRectF:
        top = self._header_height() + 8
        bottom = self.height() - 48
        row = (bottom - top) / 10
        return QRectF(34, top + k * row + row * 0.12, self.width() - 34 - 56, row * 0.76)

    def mousePressEvent(self, ev) -> None:
        if self._digit < 0:
            return
        for k in range(10):
            r = self._bar_rect(k)
            if r.top() - 3 <= ev.position().y() <= r.bottom() + 3:
                same = self.state.chosen_target == k
                self.state.set_target(None if same else k)
                return

    # --- painting ------------------------------------------------------------------------------
    def paintEvent(self, event) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), themes.current().background)
        self._paint_header(p)
        self._paint_bars(p)
        self._paint_legend(p)
        p.end()

    def _paint_header(self, p: QPainter) -> None:
        h = self._header_height()
        big = QFont(self.font())
        big.setPointSizeF(h * 0.42)
        big.setBold(True)
        small = QFont(self.font())
        small.setPointSizeF(10)
        digit_rect = QRectF(8, 0, h * 0.75, h)
        info = QRectF(digit_rect.right() + 6, 2, self.width() - digit_rect.right() - 10, h - 4)
        if self._digit < 0:
            p.setFont(small)
            p.setPen(themes.current().text_dim)
            p.drawText(QRectF(0, 0, self.width(), h), Qt.AlignmentFlag.AlignCenter,
                       "no input yet:\n← draw a digit, or\n↓ a random MNIST digit")
            return
        unsure = self.is_unsure()
        p.setFont(big)
        p.setPen(WARN if unsure else themes.current().text)
        p.drawText(digit_rect, Qt.AlignmentFlag.AlignCenter, str(self._digit))
        p.setFont(small)
        top, second = float(self._p[self._digit]), self.runner_up()
        lines = [(f"{top:.0%} sure", WARN if unsure else themes.current().text),
                 (f"runner-up: {second} ({self._p[second]:.0%})", themes.current().text_dim)]
        if unsure:
            lines.append((f"⚠ unsure: top probability < {self.threshold:.0%}", WARN))
        if self._label is not None:
            right = self._label == self._digit
            lines.append((f"true label: {self._label} {'✓' if right else '✗'}", GOOD if right else BAD))
        fh = p.fontMetrics().height() + 1
        y = info.top() + max(0.0, (info.height() - fh * len(lines)) / 2)
        for text, colour in lines:
            p.setPen(colour)
            fitted = QFont(small)  # a narrow panel: a smaller font before any text is cut
            while fitted.pointSizeF() > 7.5 and QFontMetricsF(fitted).horizontalAdvance(text) > info.width():
                fitted.setPointSizeF(fitted.pointSizeF() - 0.5)
            p.setFont(fitted)
            text = p.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight, int(info.width()))
            p.drawText(QRectF(info.left(), y, info.width(), fh), Qt.AlignmentFlag.AlignLeft, text)
            y += fh

    def _paint_bars(self, p: QPainter) -> None:
        f = QFont(self.font())
        f.setPointSizeF(10)
        p.setFont(f)
        colours = colormaps.lookup(themes.current().activation_cmap, self._p, 0.0, 1.0)
        for k in range(10):
            r = self._bar_rect(k)
            is_top = k == self._digit
            p.setPen(themes.current().text if is_top else themes.current().text_dim)
            p.drawText(QRectF(4, r.top(), 24, r.height()), Qt.AlignmentFlag.AlignCenter, str(k))
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(BAR_BG)
            p.drawRoundedRect(r, 3, 3)
            v = float(self._p[k]) if self._digit >= 0 else 0.0
            if v > 0:
                c = colours[k]
                p.setBrush(QColor(int(c[0]), int(c[1]), int(c[2])))
                p.drawRoundedRect(QRectF(r.left(), r.top(), max(2.0, r.width() * v), r.height()), 3, 3)
            if self._label == k:
                p.setPen(QPen(GOOD, 1.5, Qt.PenStyle.DashLine))
                p.setBrush(Qt.BrushStyle.NoBrush)
                p.drawRoundedRect(r.adjusted(-1, -1, 1, 1), 3, 3)
            if self._target == k:
                p.setPen(QPen(themes.current().highlight, 2))
                p.drawLine(r.right() + 4, r.top(), r.right() + 4, r.bottom())
            p.setPen(themes.current().text if is_top else themes.current().text_dim)
            text = f"{v:.0%}" if self._digit >= 0 else ""
            p.drawText(QRectF(r.right() + 8, r.top(), 48, r.height()),
                       Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, text)

    def _paint_legend(self, p: QPainter) -> None:
        rect = QRectF(8, self.height() - 44, self.width() - 16, 42)
        colorbars.paint_colorbar(p, rect, themes.current().activation_cmap, 0.0, 1.0,
                             "bar = probability ŷ_k   ▍ = target y (of dJ/dx)")
