"""The playground's network picture: feature and neuron tiles (what each computes over the plane),
edges coloured and sized by weight. Hover an edge to see its weight; click it to type a new one.

Colours (explained by the legend under the picture): tiles and edges both use the shared diverging
map, blue < 0 < red with a dark centre; tiles are scaled per neuron to its own max |a|, edges to the
largest |w| in the network; edge width grows with |w|.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QLineF, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QImage, QPainter, QPainterPath, QPainterPathStroker, QPen, QPixmap
from PySide6.QtWidgets import (
    QGraphicsLineItem,
    QGraphicsPixmapItem,
    QGraphicsScene,
    QGraphicsView,
)

from nnviz.gui.look import colormaps, themes

TILE = 44  # neuron tile size in scene units
COL_GAP = 150
ROW_GAP = 60


def tile_rgba(tiles: list[np.ndarray]) -> np.ndarray:
    """(k, h, w) tiles -> (k, h, w, 4) uint8 on the diverging map, each scaled to its own max |value|."""
    stack = np.asarray(tiles, np.float32)
    m = np.max(np.abs(stack), axis=(1, 2), keepdims=True)
    stack = stack / np.where(m > 1e-12, m, 1.0)
    lut = colormaps.lut(themes.current().diverging_cmap)
    return lut[colormaps.normalise(stack[:, ::-1], -1.0, 1.0)]  # flip: x2 up on screen


def rgba_pixmap(rgba: np.ndarray) -> QPixmap:
    h, w = rgba.shape[:2]
    img = QImage(np.ascontiguousarray(rgba).data, w, h, w * 4, QImage.Format.Format_RGBA8888)
    return QPixmap.fromImage(img.copy())


class EdgeItem(QGraphicsLineItem):
    """One weight W[l][j, i] (from unit i of layer l to unit j of layer l+1). Wide hover area."""

    def __init__(self, view: PlaygroundNetView, layer: int, j: int, i: int, line: QLineF) -> None:
        super().__init__(line)
        self.view, self.layer, self.j, self.i = view, layer, j, i
        self.w = 0.0
        self.setAcceptHoverEvents(True)
        self.setZValue(-1)
        self.setCursor(Qt.CursorShape.PointingHandCursor)

    def shape(self) -> QPainterPath:
        path = QPainterPath(self.line().p1())
        path.lineTo(self.line().p2())
        stroker = QPainterPathStroker()
        stroker.setWidth(8)
        return stroker.createStroke(path)

    def set_weight(self, w: float, pen: QPen) -> None:
        self.w = w
        if getattr(self, "_pen", None) is not None:
            self._pen = pen  # hovered: keep the highlight, restore this pen on leave
        else:
            self.setPen(pen)

    def hoverEnterEvent(self, event) -> None:
        self.setToolTip(self.view.edge_text(self) + "\nClick to type a new value.")
        self.view.edgeHovered.emit(self.view.edge_text(self))
        self.setZValue(2)
        self._pen = self.pen()
        self.setPen(QPen(themes.current().highlight, max(2.5, self._pen.widthF() + 1.5)))  # the hovered edge, cyan
        super().hoverEnterEvent(event)

    def hoverLeaveEvent(self, event) -> None:
        self.setZValue(-1)
        if getattr(self, "_pen", None) is not None:
            self.setPen(self._pen)
            self._pen = None
        super().hoverLeaveEvent(event)

    def mousePressEvent(self, event) -> None:
        self.view.edgeClicked.emit(self.layer, self.j, self.i, self.w)
        event.accept()


class PlaygroundNetView(QGraphicsView):
    """`build(feature_names, hidden_sizes)` then `show_snapshot(snapshot)`."""

    edgeHovered = Signal(str)
    edgeClicked = Signal(int, int, int, float)  # layer (0-based Dense index), j (to), i (from), current w

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("playgroundNet")
        self.setScene(QGraphicsScene(self))
        self.setBackgroundBrush(QBrush(themes.current().background))
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMouseTracking(True)
        self.setToolTip("")
        self.names: list[list[str]] = []
        self.tiles: list[list[QGraphicsPixmapItem]] = []
        self.edges: list[EdgeItem] = []
        self.edge_limit = 1.0
        self._pens: dict[tuple[int, int], QPen] = {}
        self._snap = None  # the snapshot on show
        themes.changes().changed.connect(self._on_theme)

    def _on_theme(self, theme: themes.Theme) -> None:
        """The palette changed: the tiles and edges take its diverging map (the pens are made again)."""
        self.setBackgroundBrush(QBrush(theme.background))
        self._pens.clear()
        if self._snap is not None:
            self.show_snapshot(self._snap)

    def _column_positions(self, n: int, x: float, height: float) -> list[QPointF]:
        top = (height - (n * ROW_GAP)) / 2
        return [QPointF(x, top + k * ROW_GAP) for k in range(n)]

    def build(self, feature_names: list[str], hidden: tuple[int, ...]) -> None:
        """Lay out feature tiles, hidden neuron tiles and the edges between them (output is drawn elsewhere)."""
        scene = self.scene()
        scene.clear()
        sizes = [len(feature_names), *hidden, 1]
        height = max(sizes) * ROW_GAP + 40
        cols = [self._column_positions(n, 20 + c * COL_GAP, height) for c, n in enumerate(sizes)]
        self.names = [list(feature_names)] + [[f"layer {l + 1}, neuron {j + 1}" for j in range(n)]
                                               for l, n in enumerate(hidden)] + [["output ŷ"]]
        self.edges = []
        for l in range(len(sizes) - 1):
            for j, dst in enumerate(cols[l + 1]):
                for i, src in enumerate(cols[l]):
                    line = QLineF(src + QPointF(TILE, TILE / 2), dst + QPointF(0, TILE / 2))
                    edge = EdgeItem(self, l, j, i, line)
                    scene.addItem(edge)
                    self.edges.append(edge)
        self.tiles = []
        for c, col in enumerate(cols):
            row = []
            for k, pos in enumerate(col):
                frame = scene.addRect(QRectF(pos, pos + QPointF(TILE, TILE)), QPen(themes.current().text_dim, 1))
                pix = QGraphicsPixmapItem()
                pix.setPos(pos)
                pix.setTransformationMode(Qt.TransformationMode.SmoothTransformation)
                scene.addItem(pix)
                frame.setZValue(1)
                frame.setToolTip(self._tile_tip(c, k, len(cols)))
                pix.setToolTip(frame.toolTip())
                row.append(pix)
                if c == 0:
                    label = scene.addSimpleText(feature_names[k])
                    label.setBrush(themes.current().text)
                    label.setPos(pos.x() - 4 - label.boundingRect().width() + 0, pos.y() + TILE / 2 - 8)
                    label.setPos(pos.x() - label.boundingRect().width() - 6, pos.y() + TILE / 2 - 8)
            self.tiles.append(row)
            title = "features" if c == 0 else ("output" if c == len(cols) - 1 else f"layer {c}\n{len(col)} neurons")
            text = scene.addSimpleText(title)
            text.setBrush(themes.current().text)
            text.setPos(col[0].x(), col[0].y() - 40 if c else col[0].y() - 24)
        self.setSceneRect(scene.itemsBoundingRect().adjusted(-10, -10, 10, 10))
        self.fitInView(self.sceneRect(), Qt.AspectRatioMode.KeepAspectRatio)

    def _tile_tip(self, c: int, k: int, n_cols: int) -> str:
        if c == 0:
            return f"Input feature {self.names[0][k]} over the plane (blue < 0 < red)"
        if c == n_cols - 1:
            return "The network's output over the plane (see the big picture on the right)"
        return f"Layer {c}, neuron {k + 1}: its a = g(z) over the input plane (blue < 0 < red, scaled to its max |a|)"

    def edge_text(self, edge: EdgeItem) -> str:
        src = self.names[edge.layer][edge.i]
        dst = self.names[edge.layer + 1][edge.j]
        return f"weight w = {edge.w:+.3f}  (from {src} to {dst})"

    def show_snapshot(self, snap) -> None:
        """Recolour tiles and edges from a playground_model.Snapshot."""
        self._snap = snap
        out = snap.output[::2, ::2]
        out = out - 0.5 if out.min() >= 0 and out.max() <= 1 else out  # probabilities: 0.5 is the middle
        tiles = [*snap.features, *(t for layer in snap.neurons for t in layer), out]
        items = [pix for row in self.tiles for pix in row]
        for pix, rgba in zip(items, tile_rgba(tiles)):
            pix.setPixmap(rgba_pixmap(rgba))
            pix.setScale(TILE / rgba.shape[1])
        last = len(snap.weights) - 1
        w = np.array([self._output_weight(snap.weights[e.layer][0], e.i) if e.layer == last
                      else snap.weights[e.layer][0][e.j, e.i] for e in self.edges])
        self.edge_limit = max(float(np.max(np.abs(w))), 1e-6) if w.size else 1.0
        colours = colormaps.normalise(w, -self.edge_limit, self.edge_limit) // 8  # 32 colour bins
        widths = np.rint(np.minimum(np.abs(w) / self.edge_limit, 1.0) * 10).astype(int)  # 11 width bins
        for edge, value, c, k in zip(self.edges, w, colours, widths):
            edge.set_weight(float(value), self._pen(int(c), int(k)))

    def _pen(self, colour_bin: int, width_bin: int) -> QPen:
        key = (colour_bin, width_bin)
        if key not in self._pens:
            rgba = colormaps.lut(themes.current().diverging_cmap)[colour_bin * 8 + 4]
            self._pens[key] = QPen(QColor(int(rgba[0]), int(rgba[1]), int(rgba[2])), 0.6 + 0.5 * width_bin)
        return self._pens[key]

    @staticmethod
    def _output_weight(W: np.ndarray, i: int) -> float:
        """The drawn output edge: for two softmax outputs, the weight difference W[1, i] − W[0, i]."""
        return W[1, i] - W[0, i] if W.shape[0] == 2 else W[0, i]

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self.scene() and not self.sceneRect().isEmpty():
            self.fitInView(self.sceneRect(), Qt.AspectRatioMode.KeepAspectRatio)
