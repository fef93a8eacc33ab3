"""Live training curves: running-average training loss per batch, and training / test accuracy per
epoch, in one pyqtgraph plot (objectName `lossPlot`) with two y axes and a legend.

x is in epochs (fractional within an epoch) and keeps counting across runs until the weights are
reset, so stopping and starting again continues the same picture.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QGraphicsItem, QVBoxLayout, QWidget

from nnviz.gui.look import themes
from nnviz.gui.look.axes import LogAxis, log_label

LOSS_COLOUR = "#ffb454"  # training loss (running average): amber
TEST_LOSS_COLOUR = "#ff6e6e"
TRAIN_ACC_COLOUR = "#5ccfe6"  # accuracy on the training batches of the epoch: cyan
TEST_ACC_COLOUR = "#b48cff"  # accuracy on the test set after the epoch: violet
DIVERGED_COLOUR = "#ff5050"  # the exploded loss and the restore line
REDRAW_MS = 300  # the loss curve is redrawn at most this often


class CurvesWidget(QWidget):
    """The `lossPlot`. add_batch / add_epoch append points; clear() starts over."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("curvesPanel")
        self.plot = pg.PlotWidget(axisItems={"left": LogAxis("left")})
        self.plot.setObjectName("lossPlot")
        self.plot.setToolTip("Training loss (left axis, running average over batches) and accuracy per epoch "
                             "(right axis, %): training batches and the held-out test set.")
        self.plot.setMinimumHeight(120)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot)
        self._build_items()
        self.x_offset = 0.0  # epochs trained before the current run
        # A repaint of this plot (three axes of text) costs ~10-40 ms of the GUI thread: coalesce the
        # ~20 batch updates per second into a few redraws (bench/ui_latency.py measured the stalls).
        self._redraw_timer = QTimer(self, singleShot=True, interval=REDRAW_MS)
        self._redraw_timer.timeout.connect(lambda: self.loss_curve.setData(self.loss_x, self.loss_y))
        self.clear()
        self.set_theme(themes.current().name)
        themes.changes().changed.connect(self._on_theme)

    def _on_theme(self, theme: themes.Theme) -> None:
        self.set_theme(theme.name)

    # --- construction ----------------------------------------------------------------------------
    def _build_items(self) -> None:
        p1 = self.plot.getPlotItem()
        p1.setLabel("bottom", "epoch")
        p1.setLabel("left", "loss J (log scale)")
        p1.setLogMode(x=False, y=True)  # the loss falls by orders of magnitude: keep late progress visible
        p1.getAxis("left").setStyle(maxTextLevel=0)  # label 1, 2, 5 x 10^k; the rest are plain ticks
        p1.getAxis("left").enableAutoSIPrefix(False)
        p1.showGrid(x=True, y=True, alpha=0.15)
        p1.setClipToView(True)
        p1.setDownsampling(auto=True, mode="peak")
        self.legend = p1.addLegend(offset=(-10, 10), labelTextSize="8pt")
        self.acc_view = pg.ViewBox()
        p1.showAxis("right")
        p1.scene().addItem(self.acc_view)
        p1.getAxis("right").linkToView(self.acc_view)
        p1.getAxis("right").setLogMode(False, False)  # (setLogMode above switched every axis)
        p1.getAxis("right").enableAutoSIPrefix(False)
        p1.getAxis("right").setLabel("accuracy (%)")
        self.acc_view.setXLink(p1)
        self.acc_view.setLimits(yMin=0, yMax=100.5)
        p1.vb.sigResized.connect(self._sync_views)
        for side in ("left", "bottom", "right"):  # axes of text are slow to paint: paint them once, blit
            p1.getAxis(side).setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.legend.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.loss_curve = p1.plot(pen=pg.mkPen(LOSS_COLOUR, width=2), name="training loss (running average)")
        self.test_loss_curve = p1.plot(pen=pg.mkPen(TEST_LOSS_COLOUR, width=1, style=Qt.PenStyle.DashLine),
                                       symbol="x", symbolSize=7, symbolPen=TEST_LOSS_COLOUR, name="test loss")
        self.train_acc_curve = pg.PlotDataItem(pen=pg.mkPen(TRAIN_ACC_COLOUR, width=2), symbol="o", symbolSize=6,
                                               symbolBrush=TRAIN_ACC_COLOUR, symbolPen=None)
        self.test_acc_curve = pg.PlotDataItem(pen=pg.mkPen(TEST_ACC_COLOUR, width=2), symbol="s", symbolSize=6,
                                              symbolBrush=TEST_ACC_COLOUR, symbolPen=None)
        for item, name in ((self.train_acc_curve, "training accuracy (%)"), (self.test_acc_curve, "test accuracy (%)")):
            self.acc_view.addItem(item)
            self.legend.addItem(item, name)
        self.cursor = pg.InfiniteLine(angle=90, movable=False, pen=pg.mkPen("#e6e6e6", width=1,
                                                                            style=Qt.PenStyle.DashLine))
        self.cursor.setObjectName("historyCursor")
        self.cursor.setToolTip("The moment of the training history on show (the timeline below)")
        self.cursor.setVisible(False)
        p1.addItem(self.cursor, ignoreBounds=True)
        self._sync_views()

    def _sync_views(self) -> None:
        vb = self.plot.getPlotItem().vb
        self.acc_view.setGeometry(vb.sceneBoundingRect())
        self.acc_view.linkedViewChanged(vb, self.acc_view.XAxis)

    # --- data ------------------------------------------------------------------------------------
    def clear(self) -> None:
        """Forget every point (new weights); the x axis follows the data again."""
        self.plot.getPlotItem().enableAutoRange(x=True)
        self.acc_view.setYRange(0, 100, padding=0)
        self.x_offset = 0.0
        self._resume_x = 0.0  # where a branched run continues (truncate)
        self.loss_x: list[float] = []
        self.loss_y: list[float] = []
        self.epoch_x: list[float] = []
        self.test_loss: list[float] = []
        self.train_acc: list[float] = []
        self.test_acc: list[float] = []
        self._drop_marks(after=-np.inf)
        self._redraw()

    def _drop_marks(self, after: float) -> None:
        """Remove the divergence marks right of x = after."""
        keep = []
        for x, items in getattr(self, "_marks", []):
            if x > after + 1e-9:
                for item in items:
                    self.plot.getPlotItem().removeItem(item)
            else:
                keep.append((x, items))
        self._marks: list[tuple[float, list]] = keep

    def follow(self, run) -> None:
        """Draw what `run` (a TrainingRun) reports: each run continues the curves, a new network clears them."""
        run.started.connect(lambda cfg: self.start_run(cfg.epochs))
        run.batchDone.connect(self.add_batch)
        run.epochDone.connect(self.add_epoch)
        run.diverged.connect(lambda event: self.mark_divergence(event.loss))
        run.cleared.connect(self.clear)

    def start_run(self, epochs: int | None = None) -> None:
        """A new run continues where the last one ended (same weights, more epochs).

        With epochs given, the x axis is fixed to the whole run, so it need not be redrawn as it grows.
        """
        ends = self.loss_x[-1:] + self.epoch_x[-1:] + [self._resume_x]
        self.x_offset = max(ends)
        if epochs:
            self.plot.getPlotItem().setXRange(0, self.x_offset + epochs, padding=0.02)

    def add_batch(self, event, loss_avg: float) -> None:
        """One BatchDone and the running-average loss at that batch (drawn at most REDRAW_MS apart)."""
        self.loss_x.append(self.x_offset + event.epoch + (event.batch + 1) / event.n_batches)
        self.loss_y.append(float(loss_avg))
        if not self._redraw_timer.isActive():
            self._redraw_timer.start()

    def add_epoch(self, event) -> None:
        """One EpochDone: accuracies in %, test loss."""
        self.epoch_x.append(self.x_offset + event.epoch + 1)
        self.test_loss.append(float(event.test_loss))
        self.train_acc.append(100 * (event.train_accuracy or 0.0))
        self.test_acc.append(100 * (event.test_accuracy or 0.0))
        self._redraw()

    def mark_divergence(self, loss: float) -> None:
        """The run diverged at the last batch: draw its exploded loss (at the top of the axis if it is NaN or
        infinite) and a line where the last sane weights were restored."""
        x = self.loss_x[-1] if self.loss_x else self.x_offset
        finite = np.isfinite(loss) and loss > 0
        top = max(self.loss_y + [10.0]) * 10
        y = min(float(loss), 1e300) if finite else top
        p1 = self.plot.getPlotItem()
        point = pg.ScatterPlotItem([x], [np.log10(y)], symbol="t1", size=14, brush=DIVERGED_COLOUR,
                                   pen=pg.mkPen(DIVERGED_COLOUR))
        point.setToolTip(f"the batch whose loss exploded: J = {loss:.3g}" if finite else "the loss became NaN/∞")
        # the label sits left of its line, low (the legend is top right), each one a step higher than the last
        k = len(getattr(self, "_marks", []))
        line = pg.InfiniteLine(x, angle=90, pen=pg.mkPen(DIVERGED_COLOUR, width=1.5, style=Qt.PenStyle.DashLine),
                               label=f"diverged (J = {log_label(loss) if finite else '∞'}): weights restored",
                               labelOpts={"position": min(0.12 + 0.14 * k, 0.7), "color": DIVERGED_COLOUR,
                                          "anchors": [(1, 0.5), (1, 0.5)],
                                          "fill": pg.mkBrush(themes.current().background)})
        line.setToolTip("Training diverged here; the weights of the last sane batch were restored")
        self._marks = getattr(self, "_marks", []) + [(x, [point, line])]
        p1.addItem(point)
        p1.addItem(line)
        self.loss_x.append(x)  # the explosion is part of the curve the student sees
        self.loss_y.append(y)
        self._redraw()
        p1.enableAutoRange(y=True)

    # --- the training history's moment (gui/training/history.py) -------------------------------------
    def set_cursor(self, x: float | None) -> None:
        """A vertical line at x (epochs) marking the history's moment on show; None hides it."""
        self.cursor.setVisible(x is not None)
        if x is not None:
            self.cursor.setPos(x)

    def truncate(self, x: float) -> None:
        """Forget every point after x (a new run branches from there and continues the picture)."""
        keep = lambda xs: sum(1 for v in xs if v <= x + 1e-9)
        n, m = keep(self.loss_x), keep(self.epoch_x)
        del self.loss_x[n:], self.loss_y[n:], self.epoch_x[m:], self.test_loss[m:]
        del self.train_acc[m:], self.test_acc[m:]
        self._drop_marks(after=x)  # a branch forgets the old run's divergences after it
        self._resume_x = x  # the next run starts here, even where no point of the curve sits exactly at x
        self._redraw()

    def show_losses(self, xs, losses) -> None:
        """A saved history's losses (at its snapshots) as the loss curve, when there is none yet."""
        if not self.loss_x:
            pairs = [(float(x), float(j)) for x, j in zip(xs, losses) if np.isfinite(j) and j > 0]
            self.loss_x, self.loss_y = [x for x, _ in pairs], [j for _, j in pairs]
            self._redraw()

    def n_points(self) -> int:
        return len(self.loss_x) + len(self.epoch_x)

    def _redraw(self) -> None:
        self.loss_curve.setData(self.loss_x, self.loss_y)
        self.test_loss_curve.setData(self.epoch_x, self.test_loss)
        self.train_acc_curve.setData(self.epoch_x, self.train_acc)
        self.test_acc_curve.setData(self.epoch_x, self.test_acc)
        if self.test_acc:
            lo = min(self.train_acc + self.test_acc)
            self.acc_view.setYRange(max(0.0, lo - 5), 100, padding=0)

    def set_theme(self, name: str) -> None:
        c = themes.colours(name)
        self.plot.setBackground(c["plot_bg"])
        for side in ("left", "bottom", "right"):
            axis = self.plot.getPlotItem().getAxis(side)
            axis.setPen(c["plot_fg"])
            axis.setTextPen(c["plot_fg"])
        self.legend.setLabelTextColor(c["plot_fg"])
        for _sample, label in self.legend.items:  # (existing labels keep their colour until re-set)
            label.setText(label.text, color=c["plot_fg"])
        self.legend.update()
