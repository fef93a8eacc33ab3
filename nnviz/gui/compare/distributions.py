"""One run's distributions per layer over training, as TensorBoard draws them: nested bands per step.

For the run and the quantity chosen (W or dJ/dW), one plot per layer: the outer band spans min to max, the
next ones the middle 87%, 68% and 38% of the values (±1.5σ, ±1σ, ±0.5σ of a normal distribution), the
line is the median. With α too large the weights' bands blow up before the loss does; with sigmoid the
first layer's dJ/dW bands are narrower than the last's (the gradient vanishes on its way back).
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from nnviz.gui.compare.plots import Plots, sub
from nnviz.gui.compare.run import RUN_COLOURS, ComparisonView

BAND_ALPHAS = (45, 75, 110, 150)  # outer (min-max) to inner (±0.5σ)
QUANTITIES = {"W": "weights W", "dJ_dW": "gradients dJ/dW"}


class DistributionsView(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("compareDistributions")
        self.run = QComboBox(objectName="distributionRun", toolTip="Whose distributions")
        self.quantity = QComboBox(objectName="distributionQuantity", toolTip="Weights W or their gradients dJ/dW")
        for key, text in QUANTITIES.items():
            self.quantity.addItem(text, key)
        caption = QLabel("Bands, darkest inside: the middle 38%, 68% and 87% of the values, then min to max "
                         "(TensorBoard's); line: the median. x: batches trained.", wordWrap=True)
        self.plots = Plots("distributionPlots")
        top = QHBoxLayout()
        top.addWidget(QLabel("Run"))
        top.addWidget(self.run)
        top.addWidget(self.quantity)
        top.addWidget(caption, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.plots, 1)
        self.view: ComparisonView | None = None
        self._drawn_for: tuple | None = None  # (run, quantity, layers, name) the plots are laid out for
        self._bands: list[list[tuple[pg.PlotCurveItem, pg.PlotCurveItem]]] = []  # per layer: (low, high) per band
        self.run.currentIndexChanged.connect(lambda _: self._draw())
        self.quantity.currentIndexChanged.connect(lambda _: self._draw())

    def show_view(self, view: ComparisonView) -> None:
        names = [r.name for r in view.runs]
        if names != [self.run.itemText(i) for i in range(self.run.count())]:
            keep = self.run.currentIndex()
            self.run.blockSignals(True)
            self.run.clear()
            self.run.addItems(names)
            self.run.setCurrentIndex(keep if 0 <= keep < len(names) else 0)
            self.run.blockSignals(False)
        self.view = view
        self._draw()

    def _draw(self) -> None:
        if self.view is None or not self.view.runs:
            return
        k = min(max(0, self.run.currentIndex()), len(self.view.runs) - 1)
        run, quantity = self.view.runs[k], self.quantity.currentData()
        layers = len(run.grad_norm) or sum(key.startswith("W") for key in run.bands)
        if (k, quantity, layers, run.name) != self._drawn_for:
            self._relayout(layers, RUN_COLOURS[k % len(RUN_COLOURS)], quantity, run.name)
            self._drawn_for = (k, quantity, layers, run.name)
        for l, plot in enumerate(self.plots.items, start=1):
            q = run.bands.get(f"{quantity}{l}")
            if q is None or len(q) == 0:
                continue
            t = run.band_t[:len(q)]
            for band, (low, high) in enumerate(self._bands[l - 1]):
                low.setData(t, q[:, band])
                high.setData(t, q[:, 8 - band])
            self.plots.curve(plot, "median", t, q[:, 4])

    def _relayout(self, layers: int, colour: str, quantity: str, name: str) -> None:
        """One plot per layer, each with its four bands (filled between curves updated in place) and median."""
        if layers != len(self.plots.items):
            self.plots.clear()
            self.plots.items, self.plots.legends = [], []
            for l in range(1, layers + 1):
                self.plots.add(0, l - 1, "", "batch", "value")
        self.plots.clear_plots()
        c = pg.mkColor(colour)
        self._bands = []
        for l, plot in enumerate(self.plots.items, start=1):
            plot.setTitle(f"{QUANTITIES[quantity].split()[-1]}{sub(l)} of {name}")
            pairs = []
            for alpha in BAND_ALPHAS:
                low, high = pg.PlotCurveItem(), pg.PlotCurveItem()
                plot.addItem(pg.FillBetweenItem(low, high, brush=pg.mkBrush(c.red(), c.green(), c.blue(), alpha)))
                pairs.append((low, high))
            self._bands.append(pairs)
            self.plots.curve(plot, "median", [], [], pen=pg.mkPen(colour, width=2))
