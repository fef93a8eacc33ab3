"""What the network sees: the 28x28 input x, a naive-downsample comparison and a saliency overlay.

- "network input": exactly AppState.x (the vector the network receives), drawn pixel by pixel.
- "compare naive": beside it, the whole canvas squashed to 28x28 with no cropping or centring, and
  what the same network predicts for that, so the user sees why preprocessing matters.
- "saliency": the input gradient dJ/dx of the current trace (core's backward pass, aimed at the
  target y the inspector uses, by default or as chosen), on a diverging colour map with its own colour bar.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPen
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from nnviz.core import preprocess
from nnviz.gui.look import colorbars, colormaps, themes
from nnviz.gui.state import AppState

SIDE = preprocess.SIDE


def gray_rgba(x: np.ndarray) -> np.ndarray:
    """(784,) in [0, 1] -> (28, 28, 4) uint8, white ink on black."""
    v = np.clip(np.asarray(x, np.float32).reshape(SIDE, SIDE) * 255, 0, 255).astype(np.uint8)
    return np.dstack([v, v, v, np.full_like(v, 255)])


def saliency_rgba(dJ_dx: np.ndarray, x: np.ndarray, lo: float, hi: float) -> np.ndarray:
    """dJ/dx on the diverging map, with the digit's ink as a faint white veil so its shape shows."""
    rgba = colormaps.lookup(themes.current().diverging_cmap, dJ_dx, lo, hi).astype(np.float32)
    ink = np.clip(np.asarray(x, np.float32).ravel(), 0, 1)[:, None] * 0.28
    rgba[:, :3] = rgba[:, :3] * (1 - ink) + 255 * ink
    return rgba.clip(0, 255).astype(np.uint8).reshape(SIDE, SIDE, 4)


def to_qimage(rgba: np.ndarray) -> QImage:
    rgba = np.ascontiguousarray(rgba)
    return QImage(rgba.data, rgba.shape[1], rgba.shape[0], rgba.strides[0], QImage.Format.Format_RGBA8888).copy()


class _Pictures(QWidget):
    """Paints one or two 28x28 pictures with captions, plus the colour bars that explain them."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("inputPictures")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(200, 150)
        self.panels: list[tuple[QImage, str, str]] = []  # (image, title, caption)
        self.bars: list[tuple[object, float, float, str, str]] = []  # (cmap, lo, hi, title, note below)

    def sizeHint(self) -> QSize:
        return QSize(300, 300)

    def _note_lines(self, fm, note: str) -> list[tuple[str, Qt.AlignmentFlag]]:
        """A "left|right" note under a colour bar: one line if it fits, else two."""
        if not note:
            return []
        left, _, right = note.partition("|")
        if fm.horizontalAdvance(left) + fm.horizontalAdvance(right) + 24 <= self.width() - 16:
            return [(left, Qt.AlignmentFlag.AlignLeft), (right, Qt.AlignmentFlag.AlignRight)]
        return [(left, Qt.AlignmentFlag.AlignLeft), (right, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom)]

    def paintEvent(self, event) -> None:
        p = QPainter(self)
        p.fillRect(self.rect(), themes.current().background)
        f = QFont(self.font())
        f.setPointSizeF(9.5)
        p.setFont(f)
        fm = p.fontMetrics()
        fh = fm.height()
        notes = [self._note_lines(fm, note) for *_, note in self.bars]
        note_h = [0 if not n else fh if n[1][1] == Qt.AlignmentFlag.AlignRight else 2 * fh for n in notes]
        bars_h = sum(46 + h for h in note_h)
        n = max(1, len(self.panels))
        gap = 10
        side = min((self.width() - gap * (n + 1)) / n, self.height() - bars_h - 2 * fh - 12)
        x0 = (self.width() - n * side - (n - 1) * gap) / 2
        for i, (img, title, caption) in enumerate(self.panels):
            r = QRectF(x0 + i * (side + gap), fh + 4, side, side)
            room = int(max(r.width() + gap - 2, self.width() / n - 4))  # captions may use their share of the width
            p.setPen(themes.current().text)
            p.drawText(QRectF(r.center().x() - room / 2, 0, room, fh + 2), Qt.AlignmentFlag.AlignCenter,
                       fm.elidedText(title, Qt.TextElideMode.ElideRight, room))
            p.drawImage(r, img)  # nearest neighbour: each input pixel a crisp square
            p.setPen(QPen(QColor(80, 80, 96), 1))
            p.drawRect(r)
            p.setPen(themes.current().text_dim)
            p.drawText(QRectF(r.center().x() - room / 2, r.bottom() + 3, room, fh + 2),
                       Qt.AlignmentFlag.AlignCenter, fm.elidedText(caption, Qt.TextElideMode.ElideRight, room))
        y = self.height() - bars_h
        for (cmap, lo, hi, title, _note), lines, h in zip(self.bars, notes, note_h):
            colorbars.paint_colorbar(p, QRectF(8, y, self.width() - 16, 44), cmap, lo, hi, title, lo < 0 < hi)
            y += 46
            p.setFont(f)
            p.setPen(themes.current().text_dim)
            for text, align in lines:
                p.drawText(QRectF(8, y - 4, self.width() - 16, h), align, text)
            y += h
        p.end()


class InputPreview(QWidget):
    """The 28x28 network input with toggles for the naive comparison and the saliency overlay.

    canvas: the DrawingCanvas whose whole picture the naive comparison squashes (optional).
    """

    def __init__(self, state: AppState, canvas=None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.canvas = canvas
        self.setObjectName("inputPreview")
        self.pictures = _Pictures(self)
        self.pictures.setToolTip("Exactly the 784 numbers the network receives (28x28, 0 = black, 1 = white ink).")
        self.compare = QCheckBox("compare naive")
        self.compare.setObjectName("compareNaive")
        self.compare.setToolTip("Beside the network input, show the whole canvas squashed to 28x28 without "
                                "cropping or centring, and what the network predicts for that")
        self.saliency = QCheckBox("saliency dJ/dx")
        self.saliency.setObjectName("saliencyToggle")
        self.saliency.setToolTip("Colour each input pixel by dJ/dx: which pixels would change this prediction")
        self.target = QComboBox()
        self.target.setObjectName("saliencyTarget")
        self.target.setToolTip("The class whose loss J the gradient dJ/dx is taken for")
        self.target.addItem("for: default y", None)  # (renamed with the target it stands for: _sync_target)
        for k in range(10):
            self.target.addItem(f"for: {k}", k)
        self._build_layout()
        self.naive_x: np.ndarray | None = None
        self.naive_p: np.ndarray | None = None
        self.compare.toggled.connect(self._refresh)
        self.saliency.toggled.connect(self._refresh)
        self.target.activated.connect(self._on_target_chosen)
        state.traceChanged.connect(self._refresh)
        themes.changes().changed.connect(self._refresh)  # the palette's maps
        state.targetChanged.connect(self._sync_target)
        state.networkChanged.connect(self._update_naive)
        state.weightsChanged.connect(self._update_naive)
        if canvas is not None:
            canvas.imageChanged.connect(self._on_canvas)
        self._refresh()

    def _build_layout(self) -> None:
        top = QHBoxLayout()
        top.setContentsMargins(4, 2, 4, 0)
        title = QLabel("<b>What the network sees</b>")
        title.setToolTip(self.pictures.toolTip())
        top.addWidget(title)
        top.addStretch(1)
        row = QHBoxLayout()
        row.setContentsMargins(4, 0, 4, 0)
        for w in (self.compare, self.saliency, self.target):
            row.addWidget(w)
        row.addStretch(1)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        lay.addLayout(top)
        lay.addLayout(row)
        lay.addWidget(self.pictures, 1)

    # --- reacting ------------------------------------------------------------------------------
    def _on_target_chosen(self, index: int) -> None:
        self.state.set_target(self.target.itemData(index))
        if not self.saliency.isChecked():
            self.saliency.setChecked(True)

    def _sync_target(self, _target: int) -> None:
        chosen = self.state.chosen_target
        self.target.blockSignals(True)
        self.target.setCurrentIndex(0 if chosen is None else chosen + 1)
        target = self.state.target
        self.target.setItemText(0, "for: default y" if target is None else f"for: y = {target}")  # (why: tooltip)
        self.target.setItemData(0, self.state.target_reason, Qt.ItemDataRole.ToolTipRole)
        self.target.blockSignals(False)

    def _on_canvas(self, input_follows: bool) -> None:
        """The canvas picture changed: the naive comparison with it; the new trace redraws (once), or,
        when no input follows (the picture shows another source's digit), this does."""
        self._update_naive()
        if not input_follows:
            self._refresh()

    def _update_naive(self) -> None:
        """Squash the whole canvas picture to 28x28 and ask the network about it (only when shown). A new trace
        follows every change that calls this (a stroke, new weights, a new network) and redraws the preview."""
        self.naive_x = self.naive_p = None
        if self.canvas is not None and self.compare.isChecked() and not self.canvas.is_empty():
            self.naive_x = preprocess.naive_downsample(self.canvas.pixels())
            self.naive_p = self.state.network.predict_proba(self.naive_x)

    def _refresh(self, *_args) -> None:
        if self.compare.isChecked() and self.naive_x is None and self.canvas is not None and not self.canvas.is_empty():
            self._update_naive()  # (just switched on)
        trace, x = self.state.trace, self.state.x
        pics, bars = [], []
        if x is None:
            blank = np.zeros((SIDE, SIDE, 4), np.uint8)
            blank[..., 3] = 255
            pics.append((to_qimage(blank), "network input x", "no input: draw a digit"))
        else:
            caption = "" if trace is None else f"predicts {trace.predicted} ({trace.y_hat[trace.predicted]:.0%})"
            pics.append((to_qimage(gray_rgba(x)), "network input x", caption))
        if x is not None and self.saliency.isChecked() and trace is not None and trace.dJ_dx is not None:
            lo, hi = colormaps.symmetric_limits(trace.dJ_dx, 99.5)
            k = trace.target
            pics.append((to_qimage(saliency_rgba(trace.dJ_dx, x, lo, hi)), f"dJ/dx for class {k}",
                         f"J = −log ŷ_{k}" if trace.loss_name == "cross_entropy" else f"J: {trace.loss_name}"))
            bars.append((themes.current().diverging_cmap, lo, hi, "dJ/dx: which pixels would change this prediction",
                         f"◀ blue: more ink here → more '{k}'|red: more ink → less '{k}' ▶"))
        if self.compare.isChecked() and self.naive_x is not None:
            k = int(np.argmax(self.naive_p))
            pics.append((to_qimage(gray_rgba(self.naive_x)), "naive downsample",
                         f"predicts {k} ({self.naive_p[k]:.0%})"))
        if not bars:
            bars.append((pg_gray(), 0.0, 1.0, "pixel value x (0 = background, 1 = ink)", ""))
        self.pictures.panels, self.pictures.bars = pics, bars
        self.pictures.update()


@lru_cache(maxsize=1)
def pg_gray():
    """A black-to-white pyqtgraph colour map for the pixel-value colour bar."""
    import pyqtgraph as pg

    return pg.ColorMap([0.0, 1.0], [(0, 0, 0), (255, 255, 255)])
