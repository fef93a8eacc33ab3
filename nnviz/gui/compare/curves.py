"""The runs overlaid, one set of axes per measure: loss per batch and accuracy per epoch (`CurvesView`); each
run's gradient norm per layer on one log axis, with the line that says where the gradient vanishes, and the
ReLUs that died (`GradientsView`). Colour = run (the legend names it); line style = layer."""

from __future__ import annotations

import html

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from nnviz.core.compare import RunRecord, vanishing_summary
from nnviz.gui.compare.plots import LAYER_COLOURS, Plots, pen, sub
from nnviz.gui.compare.run import RUN_COLOURS, ComparisonView, RunView

DIVERGED = "#ff5050"
DEAD_TITLE = "dead ReLUs (%, z ≤ 0 for the whole batch)"


class CurvesView(Plots):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("compareCurves", parent)
        self.loss = self.add(0, 0, "loss J per batch (log scale)", "batch", "J", log=True)
        self.accuracy = self.add(0, 1, "accuracy per epoch: test ——, training - - -", "epoch", "%")
        self.accuracy.getAxis("bottom").setTickSpacing(1, 1)
        self.setToolTip("Colour = run. A run that diverged stops at the red line with its name; the others go on.")
        self._names: tuple[str, ...] = ()
        self._legend: pg.LegendItem | None = None

    def show_view(self, view: ComparisonView) -> None:
        names = tuple(_label(run) for run in view.runs)
        if names != self._names:  # another comparison, or a run diverged: the legend and markers anew
            self._relayout(view, names)
        for k, (run, colour) in enumerate(zip(view.runs, RUN_COLOURS)):
            self.curve(self.loss, ("loss", k), np.arange(1, len(run.loss) + 1), np.maximum(run.loss, 1e-12))
            epochs = np.arange(1, len(run.test_accuracy) + 1)
            self.curve(self.accuracy, ("test", k), epochs, 100 * run.test_accuracy, pen=pen(colour), symbol="o",
                       symbolBrush=colour, symbolSize=7)
            self.curve(self.accuracy, ("train", k), epochs, 100 * run.train_accuracy, pen=pen(colour, 1))
        self.accuracy.setXRange(0.8, max(2, max((len(r.test_accuracy) for r in view.runs), default=1)) + 0.2)

    def _relayout(self, view: ComparisonView, names: tuple[str, ...]) -> None:
        self.clear_plots()
        if self._legend is None:
            self._legend = self.legend(self.loss, offset=(10, -10))  # bottom left: the losses start high
        for k, (run, colour, name) in enumerate(zip(view.runs, RUN_COLOURS, names)):
            self._legend.addItem(self.curve(self.loss, ("loss", k), [], [], pen=pen(colour, 0, 1.5)), name)
            if run.diverged_at is not None:
                self.loss.addItem(pg.InfiniteLine(run.diverged_at, angle=90, pen=pg.mkPen(DIVERGED, style=pen(
                    colour, 1).style()), label=f"{run.name} diverged", labelOpts={"color": DIVERGED, "position": 0.9}))
        self._names = names


def _label(run: RunView) -> str:
    return run.name + (f" (diverged at batch {run.diverged_at})" if run.diverged_at is not None else "")


class GradientsView(QWidget):
    """One plot per run: ‖dJ/dW_l‖ of each layer per batch, log scale; below, dead ReLUs per layer (%)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("compareGradients")
        self.line = QLabel(objectName="vanishingLine", wordWrap=True)
        self.line.setToolTip("Below 1 the gradient shrinks on its way back from the output layer to the first: "
                             "the first layer learns slowly (vanishing gradients, the lecture's case for ReLU).")
        self.plots = Plots("compareGradientPlots")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.line)
        layout.addWidget(self.plots, 1)
        self._layout_for: tuple[str, ...] = ()

    def show_view(self, view: ComparisonView) -> None:
        names = tuple(r.name for r in view.runs)
        if names != self._layout_for:  # a new comparison: one plot per run, then the dead ReLUs under them
            self.plots.clear()
            self.plots.items, self.plots.legends = [], []
            for k, name in enumerate(names):
                self.plots.add(0, k, name, "batch", "‖dJ/dW‖ (log)", log=True)
            self.dead = self.plots.add(1, 0, DEAD_TITLE, "batch", "%",
                                       colspan=max(1, len(names)))
            self.plots.clear_plots()
            self._layout_for = names
        self.line.setText(vanishing_summary([_record(r) for r in view.runs]))
        for k, (plot, run) in enumerate(zip(self.plots.items, view.runs)):
            keys = sorted(run.grad_norm, key=lambda key: int(key[1:]))
            for l, key in enumerate(keys):
                values = np.maximum(run.grad_norm[key], 1e-12)
                self.plots.curve(plot, (k, key), np.arange(1, len(values) + 1), values,
                                 pen=pg.mkPen(_layer_colour(l), width=1.5))
            named = " ".join(f"<span style='color:{_layer_colour(l)}'>■ {_w(key)}</span>" for l, key in enumerate(keys))
            title = f"{html.escape(run.name)}: {named}"
            if plot.titleLabel.text != title:
                plot.setTitle(title)
        for k, (run, colour) in enumerate(zip(view.runs, RUN_COLOURS)):
            for l, key in enumerate(sorted(run.dead, key=lambda key: int(key[1:]))):
                self.plots.curve(self.dead, ("dead", k, key), np.arange(1, len(run.dead[key]) + 1),
                                 100 * run.dead[key], pen=pen(colour, l))
        runs = ", ".join(f"<span style='color:{c}'>■ {html.escape(r.name)}</span>"
                         for r, c in zip(view.runs, RUN_COLOURS) if r.dead)
        title = f"{DEAD_TITLE}: {runs}; layer 1 ——, 2 - - -, 3 ····" if runs else "dead ReLUs: no run uses ReLU"
        if self.dead.titleLabel.text != title:
            self.dead.setTitle(title)


def _layer_colour(l: int) -> str:
    return LAYER_COLOURS[l % len(LAYER_COLOURS)]


def _w(key: str) -> str:
    return "W" + sub(key[1:])


def _record(run: RunView) -> RunRecord:
    return RunRecord(run.spec, grad_norm={k: list(v) for k, v in run.grad_norm.items()})
