"""The drawing canvas's picture: a QImage of white ink on black, smoothed strokes, undo/redo.

No widget here (the DrawingCanvas shows it and turns input events into strokes). QImage painting
is thread-safe, so a picture could also be drawn off the GUI thread, e.g. by a replay script.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPainterPath, QPen

INK, PAPER = QColor(255, 255, 255), QColor(0, 0, 0)
MAX_UNDO = 40


class InkPicture:
    """side x side pixels; strokes are quadratic curves through the midpoints of successive samples.

    Coordinates are picture pixels (0..side). Stroke methods return the picture rectangle they
    touched, so a view can repaint only that.
    """

    def __init__(self, side: int = 280) -> None:
        self.side = side
        self.image = QImage(side, side, QImage.Format.Format_RGB32)
        self.image.fill(PAPER)
        self.brush_width = 18.0  # about the stroke width of an MNIST digit at this scale
        self.eraser = False
        self.undo_stack: list[QImage] = []
        self.redo_stack: list[QImage] = []
        self.drawing = False
        self.width = self.brush_width  # the current stroke's (pressure-smoothed) width
        self._last = self._last_mid = QPointF()

    def pixels(self) -> np.ndarray:
        """(side, side) float32 ink in [0, 1] (white = 1)."""
        bpl = self.image.bytesPerLine()
        buf = np.frombuffer(self.image.constBits(), np.uint8, count=bpl * self.side)
        return buf.reshape(self.side, bpl // 4, 4)[:, :self.side, 1].astype(np.float32) * (1 / 255)

    def pen_width(self, pressure: float = 0.5) -> float:
        """pressure in [0, 1]: 0.5 (a mouse) gives the brush width, a harder-pressed pen up to 1.6x."""
        return self.brush_width * (1.4 if self.eraser else 1.0) * (0.4 + 1.2 * float(np.clip(pressure, 0, 1)))

    # --- strokes -------------------------------------------------------------------------------
    def begin_stroke(self, pos: QPointF, pressure: float = 0.5) -> QRectF:
        """Start a stroke at pos (undoable); a dot appears at once."""
        self.push_undo()
        self.drawing = True
        self.width = self.pen_width(pressure)
        self._last = self._last_mid = QPointF(pos)
        p = self._painter()
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(PAPER if self.eraser else INK)
        p.drawEllipse(pos, self.width / 2, self.width / 2)
        p.end()
        return self._bounds(pos)

    def extend_stroke(self, pos: QPointF, pressure: float = 0.5) -> QRectF | None:
        """Continue the stroke to pos: a quadratic curve from the last midpoint through the last sample."""
        if not self.drawing:
            return None
        mid = (self._last + pos) / 2
        path = QPainterPath(self._last_mid)
        path.quadTo(self._last, mid)
        self.width = 0.6 * self.width + 0.4 * self.pen_width(pressure)  # smooth pressure changes
        p = self._painter()
        p.setPen(self._pen())
        p.drawPath(path)
        p.end()
        touched = self._bounds(self._last_mid, self._last, mid)
        self._last, self._last_mid = QPointF(pos), mid
        return touched

    def end_stroke(self) -> QRectF | None:
        if not self.drawing:
            return None
        p = self._painter()
        p.setPen(self._pen())
        p.drawLine(self._last_mid, self._last)
        p.end()
        self.drawing = False
        return self._bounds(self._last_mid, self._last)

    def _pen(self) -> QPen:
        pen = QPen(PAPER if self.eraser else INK, self.width)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        return pen

    def _painter(self) -> QPainter:
        p = QPainter(self.image)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        return p

    def _bounds(self, *points: QPointF) -> QRectF:
        xs, ys = [pt.x() for pt in points], [pt.y() for pt in points]
        pad = self.width * 0.8 + 2
        return QRectF(min(xs) - pad, min(ys) - pad, max(xs) - min(xs) + 2 * pad, max(ys) - min(ys) + 2 * pad)

    # --- whole-picture changes and history -----------------------------------------------------
    def clear(self) -> None:
        self.push_undo()
        self.image.fill(PAPER)

    def load(self, gray: np.ndarray) -> None:
        """Replace the picture by an image (h, w) in [0, 1] (ink = 1), smoothly scaled to fit (undoable)."""
        g = np.ascontiguousarray(np.clip(np.asarray(gray, np.float32), 0, 1) * 255, dtype=np.uint8)
        small = QImage(g.data, g.shape[1], g.shape[0], g.strides[0], QImage.Format.Format_Grayscale8)
        big = small.scaled(self.side, self.side, Qt.AspectRatioMode.KeepAspectRatio,
                           Qt.TransformationMode.SmoothTransformation)
        self.clear()
        p = QPainter(self.image)
        left, top = (self.side - big.width()) / 2, (self.side - big.height()) / 2
        p.drawImage(QRectF(left, top, big.width(), big.height()), big)
        p.end()

    def push_undo(self) -> None:
        self.undo_stack.append(self.image.copy())
        del self.undo_stack[:-MAX_UNDO]
        self.redo_stack.clear()

    def undo(self) -> bool:
        if not self.undo_stack:
            return False
        self.redo_stack.append(self.image.copy())
        self.image = self.undo_stack.pop()
        return True

    def redo(self) -> bool:
        if not self.redo_stack:
            return False
        self.undo_stack.append(self.image.copy())
        self.image = self.redo_stack.pop()
        return True
