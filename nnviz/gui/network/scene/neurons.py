"""Neuron items: a grid layer as one cached QImage (one pixel block per neuron), the output column
as labelled circles with probabilities, and the panel + title behind each layer."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QImage, QPainter, QPen, QStaticText, QTransform
from PySide6.QtWidgets import QGraphicsObject

from nnviz.gui.look import themes
from nnviz.gui.network.scene import discs
from nnviz.gui.network.scene.layout import LayerGeometry


class NeuronGridItem(QGraphicsObject):
    """A layer drawn as a rows x cols grid: squares without gaps (input) or discs (hidden).

    Disc grids are painted from a picture at the device's resolution (see discs.py), so they need no
    item cache; the input grid is a tiny image scaled without smoothing (the view caches it)."""

    def __init__(self, geom: LayerGeometry):
        super().__init__()
        self.geom = geom
        self.discs = geom.kind != "input"
        self.colors = np.zeros((geom.n, 4), np.uint8)
        self._image = QImage()  # rows x cols, one pixel per neuron
        self._picture: tuple[tuple, QImage] | None = None  # (size key, disc picture)
        self._buffer: QImage | None = None  # the device-sized picture's memory, reused

    def set_colors(self, rgba: np.ndarray) -> None:
        """rgba: (n, 4) uint8, one colour per neuron. Unchanged colours cost nothing (no repaint)."""
        g = self.geom
        rgba = np.ascontiguousarray(rgba, np.uint8)
        if not self._image.isNull() and np.array_equal(rgba, self.colors):
            return
        self.colors = rgba
        grid = np.zeros((g.rows * g.cols, 4), np.uint8)
        grid[: g.n] = rgba
        self._image = QImage(grid.data, g.cols, g.rows, g.cols * 4, QImage.Format.Format_RGBA8888).copy()
        self._picture = None
        self.update()

    def boundingRect(self) -> QRectF:
        return QRectF(*self.geom.rect())

    def paint(self, p: QPainter, *args) -> None:
        rect = self.boundingRect()
        if not self.discs:
            p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
            p.drawImage(rect, self._image)
            return
        t = p.worldTransform()
        dr = t.mapRect(rect)
        w, h = round(dr.width()), round(dr.height())
        g = self.geom
        if t.isRotating() or not 0 < w * h <= discs.MAX_DEVICE_PX:
            if self._picture is None or self._picture[0] != "cells":
                self._picture = ("cells", discs.cell_picture(self._image, g.rows, g.cols))
            p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
            p.drawImage(rect, self._picture[1])
            return
        if self._picture is None or self._picture[0] != (w, h):
            self._picture = ((w, h), discs.disc_picture(self._image, g.rows, g.cols, w, h, self._buffer))
            self._buffer = self._picture[1]
        p.save()
        p.resetTransform()  # a 1:1 blit in device pixels
        p.drawImage(QPointF(round(dr.x()), round(dr.y())), self._picture[1])
        p.restore()


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
            p.setPen(QPen(themes.current().highlight if pred else themes.current().text_dim, 3.0 if pred else 1.0))
            p.setBrush(QBrush(QColor(int(c[0]), int(c[1]), int(c[2]), int(c[3]))))
            p.drawEllipse(QRectF(cx - r, cy - r, 2 * r, 2 * r))
            size = 17 if pred else 13
            p.setFont(self._fonts[size])
            look = themes.current()
            p.setPen(look.highlight if pred else look.text if self.probs is not None else look.text_dim)
            x = cx + r + 10
            label = self._static(self.labels[k], size)
            p.drawStaticText(QPointF(x, cy - label.size().height() / 2), label)
            if self.probs is not None:
                self._paint_prob(p, x + 24, cy, float(self.probs[k]), pred, k == self.true_label)

    def _paint_prob(self, p: QPainter, x: float, cy: float, prob: float, pred: bool, true: bool) -> None:
        bar = QRectF(x, cy - 4, 72, 8)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(themes.current().panel.lighter(150))
        p.drawRect(bar)
        p.setBrush(themes.current().highlight if pred else themes.current().text_dim)
        p.drawRect(QRectF(bar.left(), bar.top(), bar.width() * prob, bar.height()))
        p.setFont(self._fonts[10])
        p.setPen(themes.current().text if pred else themes.current().text_dim)
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
        look = themes.current()
        pen = QPen(look.highlight, 3.0) if self.highlighted else QPen(look.panel.lighter(160), 1.0)
        p.setPen(pen)
        p.setBrush(themes.current().panel)
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
        p.setPen(themes.current().highlight if self.highlighted else themes.current().text)
        left = self.geom.l == 0 and room > rect.width() + 1  # the first layer's title grows to the right only
        x = rect.left() if left else rect.center().x() - room / 2
        align = Qt.AlignmentFlag.AlignLeft if left else Qt.AlignmentFlag.AlignHCenter
        p.drawText(QRectF(x, rect.top() - 30, room, 26), align | Qt.AlignmentFlag.AlignBottom, self.title)
