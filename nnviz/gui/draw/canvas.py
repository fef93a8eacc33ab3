"""The drawing canvas: white ink on black like MNIST; every stroke movement updates the input x.

The picture (nnviz.handwriting.ink.InkPicture, side x side pixels, 280 by default) is shown scaled to the
widget (it grows with the window, always square). On every change (a mouse/tablet move, clear, undo)
the canvas hands its pixels to core's MNIST preprocessing and sets the result as the AppState's
input, so predictions follow the pen while the stroke is being drawn, not only when it ends.

Strokes are smoothed with quadratic curves through the midpoints of successive samples; a tablet's
pressure widens the pen. Touch input reaches the canvas as Qt's synthesised mouse events.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from nnviz.core import preprocess
from nnviz.gui.state import AppState
from nnviz.handwriting.ink import InkPicture

HINT = QColor(120, 120, 135)


# The digit the app starts with: one stroke in unit coordinates (x right, y down).
EXAMPLE_DIGIT = (((0.30, 0.34), (0.35, 0.25), (0.47, 0.19), (0.61, 0.21), (0.68, 0.31), (0.65, 0.44),
                  (0.55, 0.55), (0.42, 0.66), (0.31, 0.77), (0.50, 0.77), (0.71, 0.77)),)

class DrawingCanvas(QWidget):
    """A square drawing surface. pixels() -> (side, side) float ink in [0, 1]."""

    imageChanged = Signal(bool)  # the pixels changed (each stroke move, clear, undo, redo, a loaded sample);
    # True: the network's input follows at once (state.set_input), False: the picture shows another input
    strokeFinished = Signal()
    toolChanged = Signal()  # brush width or eraser changed
    undoChanged = Signal()  # undo/redo availability changed

    def __init__(self, state: AppState, side: int = 280, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.side = side
        self.ink = InkPicture(side)
        self.setObjectName("drawingCanvas")
        self.setToolTip("Draw a digit here (white ink on black, like MNIST).\n"
                        "Esc/Delete: clear · Ctrl+Z / Ctrl+Shift+Z: undo/redo · E: eraser · B: brush · [ ]: pen width")
        self.setMinimumSize(200, 200)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)  # for the brush outline under the cursor
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self._hover: QPointF | None = None
        self._empty = True
        state.inputChanged.connect(self._on_input_changed)
        state.networkChanged.connect(self._on_network_changed)

    # --- public API ----------------------------------------------------------------------------
    @property
    def image(self) -> QImage:
        """The picture (side x side, white ink on black)."""
        return self.ink.image

    @property
    def brush_width(self) -> float:
        return self.ink.brush_width

    @property
    def eraser(self) -> bool:
        return self.ink.eraser

    def sizeHint(self) -> QSize:
        return QSize(self.side, self.side)

    def pixels(self) -> np.ndarray:
        """(side, side) float32 ink in [0, 1] (white = 1), read from the picture."""
        return self.ink.pixels()

    def is_empty(self) -> bool:
        return self._empty

    def set_brush_width(self, width: float) -> None:
        self.ink.brush_width = float(np.clip(width, 2, 60))
        self.toolChanged.emit()
        self.update()

    def set_eraser(self, on: bool) -> None:
        self.ink.eraser = bool(on)
        self.toolChanged.emit()
        self.update()

    def clear(self) -> None:
        """Wipe the picture (undoable); the input becomes None and predictions go blank."""
        if not self._empty:
            self.ink.clear()
        self._changed()

    def undo(self) -> None:
        if self.ink.undo():
            self._changed()

    def redo(self) -> None:
        if self.ink.redo():
            self._changed()

    def can_undo(self) -> bool:
        return bool(self.ink.undo_stack)

    def can_redo(self) -> bool:
        return bool(self.ink.redo_stack)

    def load_pixels(self, gray: np.ndarray, publish: bool = False) -> None:
        """Show an image (h, w) in [0, 1] (ink = 1) scaled to the canvas, e.g. a dataset digit (undoable).

        publish: also make it the network's input (otherwise the current input stays as it is).
        """
        self.ink.load(gray)
        self._changed(publish)

    # --- strokes (picture coordinates) ---------------------------------------------------------
    def target_rect(self) -> QRect:
        """Where the picture is shown: the largest centred square in the widget."""
        s = min(self.width(), self.height())
        return QRect((self.width() - s) // 2, (self.height() - s) // 2, s, s)

    def to_image(self, pos: QPointF) -> QPointF:
        """Widget coordinates -> picture coordinates."""
        r = self.target_rect()
        k = self.side / max(1, r.width())
        return QPointF((pos.x() - r.x()) * k, (pos.y() - r.y()) * k)

    def draw_example(self) -> None:
        """Draw a "2" stroke by stroke, as a hand would, so that every view has an input at start."""
        for stroke in EXAMPLE_DIGIT:
            points = [QPointF(x * self.ink.side, y * self.ink.side) for x, y in stroke]
            self.begin_stroke(points[0])
            for a, b in zip(points, points[1:]):
                for t in np.linspace(0.25, 1.0, 4):  # samples a few pixels apart, like mouse moves
                    self.extend_stroke(a + (b - a) * float(t))
            self.end_stroke()

    def begin_stroke(self, pos: QPointF, pressure: float = 0.5) -> None:
        """Start a stroke at picture coordinates pos (pressure 0.5: the brush width)."""
        was_empty = self._empty
        touched = self.ink.begin_stroke(pos, pressure)
        self._changed(dirty=None if was_empty else self._to_widget(touched))  # all at first: the hint goes

    def extend_stroke(self, pos: QPointF, pressure: float = 0.5) -> None:
        touched = self.ink.extend_stroke(pos, pressure)
        if touched is not None:
            self._changed(dirty=self._to_widget(touched))

    def end_stroke(self) -> None:
        if self.ink.end_stroke() is not None:
            self._changed()  # whole widget: the hint and the brush outline may change too
            self.strokeFinished.emit()

    def _to_widget(self, rect: QRectF) -> QRect:
        """A picture rectangle -> the widget area showing it (repainting only it keeps moves cheap)."""
        r = self.target_rect()
        k = r.width() / self.side
        return QRectF(r.x() + rect.x() * k, r.y() + rect.y() * k, rect.width() * k, rect.height() * k).toAlignedRect()

    # --- publishing ----------------------------------------------------------------------------
    def _changed(self, publish: bool = True, dirty: QRect | None = None) -> None:
        """The picture changed: repaint (only `dirty` if given), recompute the network's input, tell listeners."""
        gray = self.pixels()
        self._empty = not bool(gray.max() > 0.02)
        if dirty is None or self._hover is not None:
            self.update()  # the whole canvas (the brush outline moves too)
        else:
            self.update(dirty)
        self.imageChanged.emit(publish)  # before the input: a view that follows both then redraws once
        self.undoChanged.emit()
        if publish:
            x = None if self._empty else preprocess.to_mnist(gray, preprocess.wants_deskew(self.state.card))
            self.state.set_input(x, source="canvas")

    def _on_input_changed(self) -> None:
        """Another source (the dataset browser) set the input: show it here so it can be drawn over."""
        if self.state.source == "canvas":  # (the canvas's own input)
            return
        if self.state.x is None:
            if not self._empty:
                self.ink.clear()
                self._changed(publish=False)
            return
        self.load_pixels(self.state.x.reshape(preprocess.SIDE, preprocess.SIDE))

    def _on_network_changed(self) -> None:
        """A new model may want different preprocessing (deskew or not): recompute x from the picture."""
        if self.state.source == "canvas" and not self._empty:
            self._changed()

    # --- Qt events -----------------------------------------------------------------------------
    def _paint_invitation(self, p: QPainter, r: QRectF) -> None:
        """The empty canvas says what to do: a big pen and "draw a digit here", and what then happens."""
        f = p.font()
        big = max(11.0, r.width() / 17)
        f.setPointSizeF(big * 2.2)
        p.setFont(f)
        p.setPen(QColor(120, 200, 255))
        p.drawText(QRectF(r.left(), r.top(), r.width(), r.height() * 0.5), Qt.AlignmentFlag.AlignHCenter
                   | Qt.AlignmentFlag.AlignBottom, "✎")
        f.setPointSizeF(big)
        f.setBold(True)
        p.setFont(f)
        p.setPen(QColor(210, 210, 220))
        p.drawText(QRectF(r.left(), r.center().y(), r.width(), r.height() * 0.16), Qt.AlignmentFlag.AlignCenter,
                   "draw a digit here")
        f.setPointSizeF(max(8.0, big * 0.55))
        f.setBold(False)
        p.setFont(f)
        p.setPen(HINT)
        p.drawText(QRectF(r.left() + 8, r.center().y() + r.height() * 0.16, r.width() - 16, r.height() * 0.3),
                   Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap,
                   "with the mouse, a pen or a finger:\nthe network answers while you draw")

    def paintEvent(self, event) -> None:
        p = QPainter(self)
        p.fillRect(self.rect(), QColor(18, 18, 24))
        r = self.target_rect()
        p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        p.drawImage(r, self.image)
        p.setPen(QPen(QColor(70, 70, 84), 1))
        p.drawRect(r.adjusted(0, 0, -1, -1))
        if self._empty and not self.ink.drawing:
            self._paint_invitation(p, r)
        if self._hover is not None and not self.ink.drawing:
            p.setRenderHint(QPainter.RenderHint.Antialiasing)
            radius = self.ink.pen_width(0.5) / 2 * r.width() / self.side
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
        if self.ink.drawing:
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
