"""Neuron items: a grid layer as one cached QImage (one pixel block per neuron), the output column
as labelled circles with probabilities, and the panel + title behind each layer."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QImage, QPainter, QPen, QStaticText, QTransform
from PySide6.QtWidgets import QGraphicsObject

from .. import theme
from .layout import LayerGeometry

CELL_PX = 16  # image pixels per hidden neuron (a smooth disc is drawn in it)


def disc_mask(px: int, fill: float = 0.84) -> np.ndarray:
    """(px, px) float32 alpha of an antialiased disc of diameter fill*px."""
    yy, xx = np.mgrid[0:px, 0:px] + 0.5 - px / 2
    r = np.sqrt(xx * xx + yy * yy)
    return np.clip(fill * px / 2 - r + 0.5, 0, 1).astype(np.float32)


_DISCS: dict[tuple[int, int], QImage] = {}


def disc_image(rows: int, cols: int) -> QImage:
    """A rows x cols grid of antialiased discs (CELL_PX per cell) as an alpha mask, cached per shape."""
    if (rows, cols) not in _DISCS:
        alpha = np.tile(disc_mask(CELL_PX), (rows, cols))
        arr = np.zeros(alpha.shape + (4,), np.uint8)
        arr[..., 3] = np.rint(255 * alpha).astype(np.uint8)
        _DISCS[(rows, cols)] = QImage(arr.data, arr.shape[1], arr.shape[0], arr.shape[1] * 4,
                                      QImage.Format.Format_RGBA8888).convertToFormat(
                                          QImage.Format.Format_ARGB32_Premultiplied)
    return _DISCS[(rows, cols)]


class NeuronGridItem(QGraphicsObject):
    """A layer drawn as a rows x cols grid: squares without gaps (input) or discs (hidden)."""

    def __init__(self, geom: LayerGeometry):
        super().__init__()
        self.geom = geom
        self.discs = geom.kind != "input"
        self._mask = disc_image(geom.rows, geom.cols) if self.discs else None
        self.colors = np.zeros((geom.n, 4), np.uint8)
        self._image = QImage()

    def set_colors(self, rgba: np.ndarray) -> None:
        """rgba: (n, 4) uint8, one colour per neuron. Unchanged colours cost nothing (no repaint)."""
        g = self.geom
        rgba = np.ascontiguousarray(rgba, np.uint8)
        if not self._image.isNull() and np.array_equal(rgba, self.colors):
            return
        self.colors = rgba
        grid = np.zeros((g.rows * g.cols, 4), np.uint8)
        grid[: g.n] = rgba
        tiny = QImage(grid.data, g.cols, g.rows, g.cols * 4, QImage.Format.Format_RGBA8888)
        if self.discs:  # one CELL_PX block per neuron (Qt's nearest scaling), cut to discs by the mask
            image = tiny.scaled(g.cols * CELL_PX, g.rows * CELL_PX, Qt.AspectRatioMode.IgnoreAspectRatio,
                                Qt.TransformationMode.FastTransformation)
            image = image.convertToFormat(QImage.Format.Format_ARGB32_Premultiplied)
            p = QPainter(image)
            p.setCompositionMode(QPainter.CompositionMode.CompositionMode_DestinationIn)
            p.drawImage(0, 0, self._mask)
            p.end()
            self._image = image
        else:
            self._image = tiny.copy()
        self.update()

    def boundingRect(self) -> QRectF:
        return QRectF(*self.geom.rect())

    def paint(self, p: QPainter, *args) -> None:
        p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, self.discs)
        p.drawImage(self.boundingRect(), self._image)


class OutputItem(QGraphicsObject):
    """Ten (or n) output neurons as discs with their label and probability; the prediction stands out."""

    def __init__(self, geom: LayerGeometry, labels: list[str] | None = None):
        super().__init__()
        self.geom = geom
        self.labels = labels or [str(i) for i in range(geom.n)]
        self.colors = np.zeros((geom.n, 4), np.uint8)
        self.probs: np.ndarray | None = None
        self.predicted: int | None = None
        self.true_label: int | None = None
        self._fonts = {size: _font(size, bold) for size, bold in ((17, True), (13, False), (10, False))}
        self._texts = {}  # (text, bold) -> QStaticText: laid out once, drawn many times

    def set_colors(self, rgba: np.ndarray) -> None:
        rgba = np.asarray(rgba, np.uint8)
        if not np.array_equal(rgba, self.colors):
            self.colors = rgba.copy()
            self.update()

    def set_outputs(self, probs: np.ndarray | None, true_label: int | None) -> None:
        """probs: (n,) the network's output y_hat (None: no input, or not computed yet)."""
        probs = None if probs is None else np.asarray(probs, np.float64)
        same = (probs is None) == (self.probs is None) and (probs is None or np.array_equal(probs, self.probs))
        if same and true_label == self.true_label:
            return
        self.probs = probs
        self.predicted = None if probs is None else int(np.argmax(probs))
        self.true_label = true_label
        self.update()

    def boundingRect(self) -> QRectF:
        x, y, w, h = self.geom.rect()
        return QRectF(x - 4, y - 4, w + 190, h + 8)

    def _static(self, text: str, size: int) -> QStaticText:
        key = (text, size)
        if key not in self._texts:
            st = QStaticText(text)
            st.prepare(QTransform(), self._fonts[size])
            self._texts[key] = st
        return self._texts[key]

    def paint(self, p: QPainter, *args) -> None:
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        g, cell = self.geom, self.geom.cell
        r = cell * 0.36
        for k, (cx, cy) in enumerate(g.centers):
            pred = k == self.predicted
            c = self.colors[k]
            p.setPen(QPen(theme.HIGHLIGHT if pred else theme.TEXT_DIM, 3.0 if pred else 1.0))
            p.setBrush(QBrush(QColor(int(c[0]), int(c[1]), int(c[2]), int(c[3]))))
            p.drawEllipse(QRectF(cx - r, cy - r, 2 * r, 2 * r))
            size = 17 if pred else 13
            p.setFont(self._fonts[size])
            p.setPen(theme.HIGHLIGHT if pred else theme.TEXT if self.probs is not None else theme.TEXT_DIM)
            x = cx + r + 10
            label = self._static(self.labels[k], size)
            p.drawStaticText(QPointF(x, cy - label.size().height() / 2), label)
            if self.probs is not None:
                self._paint_prob(p, x + 24, cy, float(self.probs[k]), pred, k == self.true_label)

    def _paint_prob(self, p: QPainter, x: float, cy: float, prob: float, pred: bool, true: bool) -> None:
        bar = QRectF(x, cy - 4, 72, 8)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(theme.PANEL.lighter(150))
        p.drawRect(bar)
        p.setBrush(theme.HIGHLIGHT if pred else theme.TEXT_DIM)
        p.drawRect(QRectF(bar.left(), bar.top(), bar.width() * prob, bar.height()))
        p.setFont(self._fonts[10])
        p.setPen(theme.TEXT if pred else theme.TEXT_DIM)
        text = f"{100 * prob:.1f}%" + ("  ✓ label" if true else "")
        p.drawText(QPointF(x, cy + 5 + p.fontMetrics().ascent()), text)


def _font(size: float, bold: bool) -> QFont:
    font = QFont()
    font.setPointSizeF(size)
    font.setBold(bold)
    return font


class LayerPanelItem(QGraphicsObject):
    """The band behind a layer with its title; highlighted when the layer is active."""

    def __init__(self, geom: LayerGeometry, title: str, extra_width: float = 0.0):
        super().__init__()
        self.geom, self.title, self.extra = geom, title, extra_width
        self.title_room = 50.0  # extra width the title may use beyond the panel (set from the gaps)
        self.highlighted = False
        self.greyed = False

    def set_highlighted(self, on: bool) -> None:
        self.highlighted = on
        self.update()

    def panel_rect(self) -> QRectF:
        x, y, w, h = self.geom.rect()
        pad = 8.0
        return QRectF(x - pad, y - pad, w + 2 * pad + self.extra, h + 2 * pad)

    def boundingRect(self) -> QRectF:
        m = self.title_room / 2 + 4
        return self.panel_rect().adjusted(-m, -40, 2 * m, 4)

    def paint(self, p: QPainter, *args) -> None:
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        rect = self.panel_rect()
        pen = QPen(theme.HIGHLIGHT, 3.0) if self.highlighted else QPen(theme.PANEL.lighter(160), 1.0)
        p.setPen(pen)
        p.setBrush(theme.PANEL)
        p.drawRoundedRect(rect, 8, 8)
        font = QFont(p.font())
        font.setBold(self.highlighted)
        room = rect.width() + self.title_room
        size = 14.0
        while size > 7:  # shrink the title until it fits above the layer and its share of the gaps
            font.setPointSizeF(size)
            if QFontMetricsF(font).horizontalAdvance(self.title) <= room:
                break
            size -= 0.5
        p.setFont(font)
        p.setPen(theme.HIGHLIGHT if self.highlighted else theme.TEXT)
        left = self.geom.l == 0 and room > rect.width() + 1  # the first layer's title grows to the right only
        x = rect.left() if left else rect.center().x() - room / 2
        align = Qt.AlignmentFlag.AlignLeft if left else Qt.AlignmentFlag.AlignHCenter
        p.drawText(QRectF(x, rect.top() - 30, room, 26), align | Qt.AlignmentFlag.AlignBottom, self.title)
