"""The drawing canvas: white ink on black like MNIST; every stroke movement updates the input x.

The picture lives in a QImage of side x side pixels (280 by default) that is shown scaled to the
widget (it grows with the window, always square). On every change (a mouse/tablet move, clear, undo)
the canvas hands its pixels to core's MNIST preprocessing and sets the result as the AppState's
input, so predictions follow the pen while the stroke is being drawn, not only when it ends.

Strokes are smoothed with quadratic curves through the midpoints of successive samples; a tablet's
pressure widens the pen. Touch input reaches the canvas as Qt's synthesised mouse events.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from ..core import preprocess
from .state import AppState

INK, PAPER = QColor(255, 255, 255), QColor(0, 0, 0)
HINT = QColor(120, 120, 135)
MAX_HISTORY = 40


def qimage_to_array(img: QImage) -> np.ndarray:
    """Any QImage -> (h, w, 4) uint8 RGBA array (a copy), ready for preprocess.to_gray."""
    rgba = img.convertToFormat(QImage.Format.Format_RGBA8888)
    h, w = rgba.height(), rgba.width()
    buf = np.frombuffer(rgba.constBits(), np.uint8, count=rgba.bytesPerLine() * h)
    return buf.reshape(h, rgba.bytesPerLine())[:, :w * 4].reshape(h, w, 4).copy()


class DrawingCanvas(QWidget):
    """A square drawing surface. pixels() -> (side, side) float ink in [0, 1]."""

    imageChanged = Signal()  # the pixels changed (each stroke move, clear, undo, redo, a loaded sample)
    strokeFinished = Signal()
    toolChanged = Signal()  # brush width or eraser changed
    historyChanged = Signal()  # undo/redo availability changed

    def __init__(self, state: AppState, side: int = 280, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.side = side
        self.setObjectName("drawingCanvas")
        self.setToolTip("Draw a digit here (white ink on black, like MNIST).\n"
                        "Esc/Delete: clear · Ctrl+Z / Ctrl+Shift+Z: undo/redo · E: eraser · B: brush · [ ]: pen width")
        self.setMinimumSize(200, 200)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)  # for the brush outline under the cursor
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.image = QImage(side, side, QImage.Format.Format_RGB32)
        self.image.fill(PAPER)
        self.brush_width = 18.0  # in image pixels (about the stroke width of an MNIST digit)
        self.eraser = False
        self._undo: list[QImage] = []
        self._redo: list[QImage] = []
        self._drawing = False
        self._last = self._last_mid = QPointF()
        self._width = self.brush_width
        self._hover: QPointF | None = None
        self._publishing = False
        self._empty = True
        state.inputChanged.connect(self._on_input_changed)
        state.networkChanged.connect(self._on_network_changed)

    # --- public API ----------------------------------------------------------------------------
    def sizeHint(self) -> QSize:
        return QSize(self.side, self.side)

    def heightForWidth(self, w: int) -> int:
        return w

    def pixels(self) -> np.ndarray:
        """(side, side) float32 ink in [0, 1] (white = 1), read from the picture."""
        bpl = self.image.bytesPerLine()
        buf = np.frombuffer(self.image.constBits(), np.uint8, count=bpl * self.side)
        return buf.reshape(self.side, bpl // 4, 4)[:, :self.side, 1].astype(np.float32) * (1 / 255)

    def is_empty(self) -> bool:
        return self._empty

    def network_input(self) -> np.ndarray | None:
        """What the network receives for this picture: core's MNIST preprocessing, (784,) or None."""
        return preprocess.to_mnist(self.pixels(), deskew_digit=preprocess.wants_deskew(self.state.card))

    def set_brush_width(self, width: float) -> None:
        self.brush_width = float(np.clip(width, 2, 60))
        self.toolChanged.emit()
        self.update()

    def set_eraser(self, on: bool) -> None:
        self.eraser = bool(on)
        self.toolChanged.emit()
        self.update()

    def clear(self) -> None:
        """Wipe the picture (undoable); the input becomes None and predictions go blank."""
        if not self._empty:
            self._push_undo()
            self.image.fill(PAPER)
        self._changed()

    def undo(self) -> None:
        if self._undo:
            self._redo.append(self.image.copy())
            self.image = self._undo.pop()
            self._changed()

    def redo(self) -> None:
        if self._redo:
            self._undo.append(self.image.copy())
            self.image = self._redo.pop()
            self._changed()

    def can_undo(self) -> bool:
        return bool(self._undo)

    def can_redo(self) -> bool:
        return bool(self._redo)

    def load_pixels(self, gray: np.ndarray, publish: bool = False) -> None:
        """Show an image (h, w) in [0, 1] (ink = 1) scaled to the canvas, e.g. a dataset digit (undoable).

        publish: also make it the network's input (otherwise the current input stays as it is).
        """
        g = np.ascontiguousarray(np.clip(np.asarray(gray, np.float32), 0, 1) * 255, dtype=np.uint8)
        small = QImage(g.data, g.shape[1], g.shape[0], g.strides[0], QImage.Format.Format_Grayscale8)
        big = small.scaled(self.side, self.side, Qt.AspectRatioMode.KeepAspectRatio,
                           Qt.TransformationMode.SmoothTransformation)
        self._push_undo()
        self.image.fill(PAPER)
        p = QPainter(self.image)
        p.drawImage(QRectF((self.side - big.width()) / 2, (self.side - big.height()) / 2, big.width(), big.height()), big)
        p.end()
        self._changed(publish)

    # --- drawing -------------------------------------------------------------------------------
    def target_rect(self) -> QRect:
        """Where the picture is shown: the largest centred square in the widget."""
        s = min(self.width(), self.height())
        return QRect((self.width() - s) // 2, (self.height() - s) // 2, s, s)

    def to_image(self, pos: QPointF) -> QPointF:
        """Widget coordinates -> picture coordinates."""
        r = self.target_rect()
        k = self.side / max(1, r.width())
        return QPointF((pos.x() - r.x()) * k, (pos.y() - r.y()) * k)

    def begin_stroke(self, pos: QPointF, pressure: float = 0.5) -> None:
        """Start a stroke at picture coordinates pos; a dot appears at once.

        pressure in [0, 1]: 0.5 (a mouse) gives the brush width, a harder-pressed pen up to 1.6x.
        """
        self._push_undo()
        self._drawing = True
        self._width = self._pen_width(pressure)
        self._last = self._last_mid = QPointF(pos)
        p = self._painter()
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(PAPER if self.eraser else INK)
        p.drawEllipse(pos, self._width / 2, self._width / 2)
        p.end()
        self._changed(dirty=None if self._empty else self._dirty(pos, pos))  # all at first: the hint goes

    def extend_stroke(self, pos: QPointF, pressure: float = 0.5) -> None:
        """Continue the stroke to pos: a quadratic curve through the previous sample's midpoint."""
        if not self._drawing:
            return
        mid = (self._last + pos) / 2
        path = QPainterPath(self._last_mid)
        path.quadTo(self._last, mid)
        self._width = 0.6 * self._width + 0.4 * self._pen_width(pressure)  # smooth pressure changes
        p = self._painter()
        p.setPen(self._pen(self._width))
        p.drawPath(path)
        p.end()
        dirty = self._dirty(self._last_mid, self._last, mid)
        self._last, self._last_mid = QPointF(pos), mid
        self._changed(dirty=dirty)

    def end_stroke(self) -> None:
        if not self._drawing:
            return
        p = self._painter()
        p.setPen(self._pen(self._width))
        p.drawLine(self._last_mid, self._last)
        p.end()
        self._drawing = False
        self._changed()  # whole widget: the hint and the brush outline may change too
        self.strokeFinished.emit()

    def _pen_width(self, pressure: float) -> float:
        return self.brush_width * (1.4 if self.eraser else 1.0) * (0.4 + 1.2 * float(np.clip(pressure, 0, 1)))

    def _pen(self, width: float) -> QPen:
        pen = QPen(PAPER if self.eraser else INK, width)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        return pen

    def _painter(self) -> QPainter:
        p = QPainter(self.image)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        return p

    # --- history and publishing ----------------------------------------------------------------
    def _push_undo(self) -> None:
        self._undo.append(self.image.copy())
        del self._undo[:-MAX_HISTORY]
        self._redo.clear()
        self.historyChanged.emit()

    def _dirty(self, *points: QPointF) -> QRect:
        """The widget area covering picture points (plus the pen): repainting only it keeps moves cheap."""
        xs, ys = [pt.x() for pt in points], [pt.y() for pt in points]
        pad = self._width * 0.8 + 2
        r, k = self.target_rect(), self.target_rect().width() / self.side
        return QRectF(r.x() + (min(xs) - pad) * k, r.y() + (min(ys) - pad) * k,
                      (max(xs) - min(xs) + 2 * pad) * k, (max(ys) - min(ys) + 2 * pad) * k).toAlignedRect()

    def _changed(self, publish: bool = True, dirty: QRect | None = None) -> None:
        """The picture changed: repaint (only `dirty` if given), recompute the network's input, tell listeners."""
        gray = self.pixels()
        self._empty = not bool(gray.max() > 0.02)
        if publish:
            x = None if self._empty else preprocess.to_mnist(gray, preprocess.wants_deskew(self.state.card))
            self._publishing = True
            try:
                self.state.set_input(x, source="canvas")
            finally:
                self._publishing = False
        if dirty is None or self._hover is not None:
            self.update()  # the whole canvas (the brush outline moves too)
        else:
            self.update(dirty)
        self.imageChanged.emit()
        self.historyChanged.emit()

    def _on_input_changed(self) -> None:
        """Another source (the dataset browser) set the input: show it here so it can be drawn over."""
        if self._publishing or self.state.source == "canvas":
            return
        if self.state.x is None:
            if not self._empty:
                self._push_undo()
                self.image.fill(PAPER)
                self._changed(publish=False)
            return
        self.load_pixels(self.state.x.reshape(preprocess.SIDE, preprocess.SIDE))

    def _on_network_changed(self) -> None:
        """A new model may want different preprocessing (deskew or not): recompute x from the picture."""
        if self.state.source == "canvas" and not self._empty:
            self._changed()

    # --- Qt events -----------------------------------------------------------------------------
    def paintEvent(self, event) -> None:
        p = QPainter(self)
        p.fillRect(self.rect(), QColor(18, 18, 24))
        r = self.target_rect()
        p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        p.drawImage(r, self.image)
        p.setPen(QPen(QColor(70, 70, 84), 1))
        p.drawRect(r.adjusted(0, 0, -1, -1))
        if self._empty and not self._drawing:
            p.setPen(HINT)
            f = p.font()
            f.setPointSizeF(max(10.0, r.width() / 22))
            p.setFont(f)
            p.drawText(r, Qt.AlignmentFlag.AlignCenter, "draw a digit here")
        if self._hover is not None and not self._drawing:
            p.setRenderHint(QPainter.RenderHint.Antialiasing)
            radius = self._pen_width(0.5) / 2 * r.width() / self.side
            p.setPen(QPen(QColor(255, 120, 120) if self.eraser else QColor(120, 200, 255), 1))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawEllipse(self._hover, radius, radius)
        p.end()

    def mousePressEvent(self, ev) -> None:
        if ev.button() == Qt.MouseButton.LeftButton:
            self.begin_stroke(self.to_image(ev.position()))
        elif ev.button() == Qt.MouseButton.RightButton:
            self.set_eraser(not self.eraser)

    def mouseMoveEvent(self, ev) -> None:
        if self._drawing:
            self._hover = None  # no brush outline while drawing: only the new segment is repainted
            self.extend_stroke(self.to_image(ev.position()))
        else:
            self._hover = ev.position()
            self.update()

    def mouseReleaseEvent(self, ev) -> None:
        if ev.button() == Qt.MouseButton.LeftButton:
            self.end_stroke()

    def leaveEvent(self, ev) -> None:
        self._hover = None
        self.update()

    def tabletEvent(self, ev) -> None:
        """A pen: pressure in [0, 1] widens the stroke (0.5 is the normal width)."""
        pos, t = self.to_image(ev.position()), ev.type()
        if t == ev.Type.TabletPress:
            self.begin_stroke(pos, ev.pressure())
        elif t == ev.Type.TabletMove:
            self.extend_stroke(pos, ev.pressure())
        elif t == ev.Type.TabletRelease:
            self.end_stroke()
        ev.accept()

    def keyPressEvent(self, ev) -> None:
        key = ev.key()
        if key in (Qt.Key.Key_Escape, Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.clear()
        elif key == Qt.Key.Key_E:
            self.set_eraser(True)
        elif key == Qt.Key.Key_B:
            self.set_eraser(False)
        elif key == Qt.Key.Key_BracketLeft:
            self.set_brush_width(self.brush_width - 2)
        elif key == Qt.Key.Key_BracketRight:
            self.set_brush_width(self.brush_width + 2)
        else:
            super().keyPressEvent(ev)


if __name__ == "__main__":
    from PySide6.QtWidgets import QApplication

    from ..core.modelio import SHIPPED_MODEL, load_model

    app = QApplication([])
    net, card = load_model(SHIPPED_MODEL if SHIPPED_MODEL.exists() else "/tmp/nnviz-dev-model.npz")
    st = AppState(net, card)
    st.traceChanged.connect(lambda tr: print("prediction:", None if tr is None else tr.predicted))
    w = DrawingCanvas(st)
    w.resize(320, 320)
    w.show()
    app.exec()
