"""Plots for the single-neuron lab: g(z) and g'(z) side by side, and the data with the neuron's output.

Colours: the neuron's output ŷ in cyan (1-D) or as the background on the diverging map (2-D);
class 0 / class 1 points in blue / red (the ends of the same map); the selected example's z in yellow.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from nnviz.core import activations
from nnviz.gui.look import colorbars, colormaps, themes
from nnviz.gui.look.axes import plain_ticks

Z = np.linspace(-6, 6, 601)
CURVE = (80, 220, 255)
Z_MARK = (255, 230, 90)
CLASS_COLORS = ((90, 150, 255), (255, 100, 80))  # class 0, class 1
EXTENT = 4.0


def styled_plot(title: str, left: str, bottom: str) -> pg.PlotWidget:
    w = pg.PlotWidget(background=themes.current().background)
    plain_ticks(w)  # the quantity's own units, never "(x0.001)"
    w.setTitle(title, color=themes.current().text.name(), size="10pt")
    w.setLabel("left", left)
    w.setLabel("bottom", bottom)
    w.showGrid(x=True, y=True, alpha=0.15)
    w.getAxis("left").enableAutoSIPrefix(False)
    return w


class ActivationPlots(QWidget):
    """g(z) | g'(z), each with the selected example's z marked and every example's z as a rug."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("activationPlots")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.plots, self.curves, self.marks, self.rugs, self.lines = [], [], [], [], []
        for name, title, left in (("g", "g(z) · yellow: selected z · ticks: all z", "g(z)"),
                                  ("g_prime", "g′(z): the slope backprop multiplies by", "g′(z)")):
            w = styled_plot(title, left, "z = w·x + b")
            w.setObjectName(f"plot_{name}")
            self.curves.append(w.plot(pen=pg.mkPen(CURVE, width=2.5)))
            self.rugs.append(w.plot(pen=None, symbol="|", symbolSize=10, symbolPen=pg.mkPen(200, 200, 210, 130)))
            line = pg.InfiniteLine(angle=90, pen=pg.mkPen(Z_MARK, width=1, style=Qt.PenStyle.DashLine))
            w.addItem(line)
            self.lines.append(line)
            self.marks.append(w.plot(pen=None, symbol="o", symbolSize=11, symbolBrush=Z_MARK))
            w.setXRange(-6, 6)
            row.addWidget(w)
            self.plots.append(w)
        self.plots[0].setToolTip("cyan: g(z); yellow: the selected example's z; grey ticks: every example's z")
        self.plots[1].setToolTip("cyan: g′(z); gradient descent multiplies by this slope (chain rule)")

    def show(self, g_name: str, z_selected: float, z_all: np.ndarray) -> None:
        act = activations.get(g_name)
        for k, fn in enumerate((act.g, act.g_prime)):
            y = fn(Z.copy())
            self.curves[k].setData(Z, y, connect="finite")
            lo, hi = float(np.min(y)), float(np.max(y))
            pad = 0.15 * max(hi - lo, 1.0)
            self.plots[k].setYRange(lo - pad, hi + pad)
            zs = np.clip(z_all, -6, 6)
            self.rugs[k].setData(zs, np.full_like(zs, lo - pad * 0.6))
            z = float(np.clip(z_selected, -6, 6))
            self.lines[k].setValue(z)
            self.marks[k].setData([z], fn(np.array([z_selected]))[:1])
        super().show()


class DataPlot(QWidget):
    """1-D: points and the curve ŷ = h(x); 2-D: ŷ over the plane as a heatmap, points, boundary z = 0.

    Emits `exampleClicked(index)` when a data point is clicked.
    """

    exampleClicked = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("neuronDataPlot")
        col = QVBoxLayout(self)
        col.setContentsMargins(0, 0, 0, 0)
        self.plot = styled_plot("Data and the neuron's output ŷ = h(x)", "y", "x")
        self.legend = self.plot.addLegend(offset=(8, 8), labelTextColor=themes.current().text.name())
        self.legend.setBrush(pg.mkBrush(30, 30, 38, 220))
        self.image = pg.ImageItem()
        self.image.setColorMap(themes.current().diverging_cmap)
        self.image.setOpacity(0.75)
        self.plot.addItem(self.image)
        self.curve = self.plot.plot(pen=pg.mkPen(CURVE, width=3))
        self.points = pg.ScatterPlotItem(size=9, hoverable=True, tip=None)
        self.points.sigClicked.connect(lambda _item, spots, _ev: self.exampleClicked.emit(int(spots[0].data())))
        self.plot.addItem(self.points)
        self.boundary = self.plot.plot(pen=pg.mkPen(Z_MARK, width=2, style=Qt.PenStyle.DashLine))
        self.selected = self.plot.plot(pen=None, symbol="o", symbolSize=18, symbolBrush=None,
                                       symbolPen=pg.mkPen(Z_MARK, width=2.5))
        col.addWidget(self.plot, 1)
        self.bar = colorbars.ColorBar(themes.current().diverging_cmap, 0, 1, "background: ŷ = h(x1, x2)")
        col.addWidget(self.bar)
        self._legend_key = None

    def _set_legend(self, entries: list[tuple[object, str]]) -> None:
        key = tuple(name for _, name in entries)
        if key == self._legend_key:
            return
        self.legend.clear()
        for item, name in entries:
            self.legend.addItem(item, name)
        self._legend_key = key

    def _point_brushes(self, y: np.ndarray, classification: bool, lo: float, hi: float) -> list:
        if classification:
            return [pg.mkBrush(*CLASS_COLORS[int(c)]) for c in y]
        rgba = colormaps.lookup(themes.current().diverging_cmap, y, lo, hi)
        return [pg.mkBrush(*map(int, c)) for c in rgba]

    def show_1d(self, x: np.ndarray, y_target: np.ndarray, xs: np.ndarray, y_hat: np.ndarray,
                classification: bool, selected: int, labels: tuple[float, float], x_at_z0: float | None) -> None:
        """x_at_z0: the input where z = w·x + b = 0 (None when w = 0)."""
        self.image.setVisible(False)
        self.bar.setVisible(False)
        if x_at_z0 is not None and abs(x_at_z0) < 2 * EXTENT:
            self.boundary.setData([x_at_z0, x_at_z0], [-10, 10])
        else:
            self.boundary.setData([], [])
        self.plot.setLabel("left", "target y  /  output ŷ")
        self.plot.setLabel("bottom", "x")
        self.curve.setData(xs, y_hat)
        brushes = [pg.mkBrush(*CLASS_COLORS[int(t == labels[1])]) for t in y_target] if classification \
            else [pg.mkBrush(200, 200, 210, 220)] * len(x)
        self.points.setData(x=x, y=y_target, brush=brushes, pen=pg.mkPen(20, 20, 20), data=np.arange(len(x)))
        self.selected.setData([x[selected]], [y_target[selected]])
        entries = [(self.curve, "ŷ = h(x)"), (self.boundary, "z = 0 (x = −b / w)")]
        if classification:
            entries += [(pg.ScatterPlotItem(brush=CLASS_COLORS[0]), f"class 0 (y = {labels[0]:g})"),
                        (pg.ScatterPlotItem(brush=CLASS_COLORS[1]), f"class 1 (y = {labels[1]:g})")]
        else:
            entries += [(pg.ScatterPlotItem(brush=(200, 200, 210)), "data (x, y)")]
        self._set_legend(entries + [(self.selected, "selected example (its z is marked in g, g′)")])
        self.plot.setXRange(-EXTENT, EXTENT)
        lo, hi = float(min(np.min(y_target), -0.2)), float(max(np.max(y_target), 1.2))
        self.plot.setYRange(lo - 0.3, hi + 0.3)

    def show_2d(self, x: np.ndarray, y: np.ndarray, y_hat_grid: np.ndarray, classification: bool,
                selected: int, limits: tuple[float, float], w: np.ndarray, b: float) -> None:
        """y_hat_grid: (res, res) ŷ over [-4, 4]², rows = x2; limits: colour range of ŷ."""
        lo, hi = limits
        self.image.setVisible(True)
        self.bar.setVisible(True)
        self.curve.setData([], [])
        self.plot.setLabel("left", "x2")
        self.plot.setLabel("bottom", "x1")
        self.image.setImage(y_hat_grid.T, levels=(lo, hi))
        self.image.setRect(QRectF(-EXTENT, -EXTENT, 2 * EXTENT, 2 * EXTENT))
        self.bar.set(lo=lo, hi=hi, title="background: ŷ = h(x1, x2) (dark = middle of the range)"
                     + ("" if classification else "; points: target y on the same scale"))
        self.points.setData(x=x[:, 0], y=x[:, 1], brush=self._point_brushes(y, classification, lo, hi),
                            pen=pg.mkPen(255, 255, 255, 230, width=1.5), size=10, data=np.arange(len(x)))
        self.selected.setData([x[selected, 0]], [x[selected, 1]])
        t = np.linspace(-EXTENT, EXTENT, 2)
        if abs(w[1]) > 1e-9:
            self.boundary.setData(t, -(w[0] * t + b) / w[1])
        elif abs(w[0]) > 1e-9:
            self.boundary.setData([-b / w[0]] * 2, t)
        entries = [(self.boundary, "z = 0 (w·x + b = 0)")]
        if classification:
            entries += [(pg.ScatterPlotItem(brush=CLASS_COLORS[0]), "class 0"),
                        (pg.ScatterPlotItem(brush=CLASS_COLORS[1]), "class 1")]
        self._set_legend(entries + [(self.selected, "selected example")])
        self.plot.setXRange(-EXTENT, EXTENT)
        self.plot.setYRange(-EXTENT, EXTENT)
