"""The playground's output side: train/test loss readout and curve, and the output heatmap with data.

Colours: the heatmap is the network's output on the shared diverging map, for classification
P(class 1) from 0 (blue) through 0.5 (dark: the decision boundary) to 1 (red); class 0 / class 1
points in blue / red with a white rim (training) or a yellow rim (test, when shown).
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QRectF
from PySide6.QtWidgets import QCheckBox, QLabel, QVBoxLayout, QWidget

from nnviz.core import toy
from nnviz.gui.look import colorbars, colormaps, themes
from nnviz.gui.look.axes import plain_ticks

TRAIN_PEN, TEST_PEN = (240, 240, 240), (255, 220, 60)
TRAIN_CURVE, TEST_CURVE = (200, 200, 210), (80, 220, 255)


class PlaygroundOutput(QWidget):
    """`set_data(split, classification)`; `show_snapshot(snap)`; `add_losses(epoch, train, test)`."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("playgroundOutput")
        col = QVBoxLayout(self)
        col.setContentsMargins(0, 0, 0, 0)
        self.readout = QLabel()
        self.readout.setObjectName("playgroundLoss")
        self.readout.setWordWrap(True)
        col.addWidget(self.readout)
        self.curve_plot = pg.PlotWidget(background=themes.current().background)
        plain_ticks(self.curve_plot)
        self.curve_plot.setObjectName("playgroundCurve")
        self.curve_plot.setMaximumHeight(130)
        self.curve_plot.setLabel("bottom", "epoch")
        self.curve_plot.setLabel("left", "loss")
        self.curve_plot.getAxis("left").enableAutoSIPrefix(False)
        self.curve_plot.getAxis("bottom").enableAutoSIPrefix(False)
        self.curve_plot.setLimits(xMin=0, yMin=0)
        legend = self.curve_plot.addLegend(offset=(-8, 4), labelTextColor=themes.current().text.name())
        legend.setBrush(pg.mkBrush(30, 30, 38, 200))
        self.train_curve = self.curve_plot.plot(pen=pg.mkPen(TRAIN_CURVE, width=2), name="training loss")
        self.test_curve = self.curve_plot.plot(pen=pg.mkPen(TEST_CURVE, width=2), name="test loss")
        col.addWidget(self.curve_plot)
        self.plot = pg.PlotWidget(background=themes.current().background)
        self.plot.setObjectName("playgroundHeatmap")
        self.plot.setAspectLocked(True)
        self.plot.setLabel("bottom", "x1")
        self.plot.setLabel("left", "x2")
        self.plot.setToolTip("The network's output over the input plane, with the data points")
        self.image = pg.ImageItem()
        self.image.setColorMap(themes.current().diverging_cmap)
        self.image.setOpacity(0.8)  # a little of the dark background shows through, so the points stand out
        self.plot.addItem(self.image)
        self.train_points = pg.ScatterPlotItem(size=7, pen=pg.mkPen(TRAIN_PEN, width=1))
        self.test_points = pg.ScatterPlotItem(size=7, pen=pg.mkPen(TEST_PEN, width=1.5))
        self.plot.addItem(self.train_points)
        self.plot.addItem(self.test_points)
        self.plot.setRange(xRange=(-toy.EXTENT, toy.EXTENT), yRange=(-toy.EXTENT, toy.EXTENT), padding=0)
        col.addWidget(self.plot, 1)
        self.show_test = QCheckBox("Show test data (yellow rim)")
        self.show_test.setObjectName("playgroundShowTest")
        self.show_test.setToolTip("Overlay the held-out test points, with a yellow rim; "
                                  "training points have a white rim")
        self.show_test.toggled.connect(self.test_points.setVisible)
        col.addWidget(self.show_test)
        self.bar = colorbars.ColorBar(themes.current().diverging_cmap, 0, 1, "")
        col.addWidget(self.bar)
        self.legend = QLabel()
        self.legend.setWordWrap(True)
        self.legend.setObjectName("playgroundLegend")
        col.addWidget(self.legend)
        self.limits = (0.0, 1.0)
        self._data = None  # the points shown (a Split)
        themes.changes().changed.connect(self._on_theme)
        self.epochs: list[int] = []
        self.train_losses: list[float] = []
        self.test_losses: list[float] = []

    def set_data(self, data, classification: bool) -> None:
        """data: a Split of raw 2-D points; y labels 0/1 or regression targets."""
        self.limits = (0.0, 1.0) if classification else (-1.2, 1.2)
        self._data = data
        self._colour_points()
        self.test_points.setVisible(self.show_test.isChecked())
        if classification:
            self.bar.set(lo=0, hi=1, title="background: P(class 1): blue 0 · dark 0.5 (boundary) · red 1")
        else:
            self.bar.set(lo=-1.2, hi=1.2, title="background: output ŷ; points: target y (same scale)")
        self.legend.setText("<small>Tiles in the network: what each feature / neuron computes over this plane "
                            "(blue &lt; 0 &lt; red, each scaled to its own max |a|). Edges: colour = weight on the "
                            "same map, width = |w|. Hover an edge for its weight; click it to type a new one.</small>")
        self.clear_curve()

    def _colour_points(self) -> None:
        data = self._data
        for item, x, y in ((self.train_points, data.x_train, data.y_train),
                           (self.test_points, data.x_test, data.y_test)):
            rgba = colormaps.lookup(themes.current().diverging_cmap, y, *self.limits)
            item.setData(x=x[:, 0], y=x[:, 1], brush=[pg.mkBrush(*map(int, c)) for c in rgba])

    def _on_theme(self, theme: themes.Theme) -> None:
        """The palette changed: the output's map and the points' colours follow."""
        self.image.setColorMap(theme.diverging_cmap)
        if self._data is not None:
            self._colour_points()

    def clear_curve(self) -> None:
        self.epochs, self.train_losses, self.test_losses = [], [], []
        self.train_curve.setData([], [])
        self.test_curve.setData([], [])

    def show_snapshot(self, snap) -> None:
        self.image.setImage(snap.output.T, levels=self.limits)
        self.image.setRect(QRectF(-toy.EXTENT, -toy.EXTENT, 2 * toy.EXTENT, 2 * toy.EXTENT))  # after each image
        if not self.epochs or snap.epoch > self.epochs[-1]:
            self.epochs.append(snap.epoch)
            self.train_losses.append(snap.train_loss)
            self.test_losses.append(snap.test_loss)
            self.train_curve.setData(self.epochs, self.train_losses)
            self.test_curve.setData(self.epochs, self.test_losses)
        acc = "" if snap.test_accuracy is None else f" &nbsp; Test accuracy <b>{100 * snap.test_accuracy:.1f}%</b>"
        self.readout.setText(f"Test loss <b>{snap.test_loss:.3f}</b> &nbsp; Training loss "
                             f"<b>{snap.train_loss:.3f}</b>{acc}")
