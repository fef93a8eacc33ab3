"""The lecture's traffic example: fit traffic volume against hour of day with a 1-2-1 ReLU network.

Seven sliders, a live MSE (the poll: "what's the smallest MSE that you can find?"), the best so far,
the lecture's values, a prediction at 8 am, gradient descent animated off the GUI thread, and the
lecture's comparison with least squares on the quadratic features (1, x, x²).
All maths comes from nnviz.core (toy.traffic_network is a core Network; training.train fits it).
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QComboBox, QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from nnviz.core import toy
from nnviz.core.training import EpochDone, Split, TrainConfig, train
from nnviz.gui.concurrency import Snapshots, TrainingRunner
from nnviz.gui.labs.buttons import button
from nnviz.gui.labs.traffic.controls import ParamSliders
from nnviz.gui.labs.traffic.diagram import OUTPUT_COLOR, UNIT_COLORS, TrafficDiagram
from nnviz.gui.look import themes
from nnviz.gui.look.axes import plain_ticks

QUAD_COLOR = (255, 170, 60)
MARK_COLOR = (255, 230, 90)
HOURS = np.linspace(0, 24, 241)
OPTIMISERS = {"Adam (lr 0.01)": ("adam", 0.01), "Plain gradient descent (lr 0.002)": ("sgd", 0.002)}


def _plot(title: str, left: str, bottom: str) -> pg.PlotWidget:
    w = pg.PlotWidget(background=themes.current().background)
    plain_ticks(w)
    w.setTitle(title, color=themes.current().text.name(), size="10pt")
    w.setLabel("left", left)
    w.setLabel("bottom", bottom)
    w.showGrid(x=True, y=True, alpha=0.15)
    return w


class TrafficLab(QWidget):
    """objectName "trafficLab". `params()`, `set_params()`, `current_mse`, `fit()`, `pause_fit()`."""

    mseChanged = Signal(float)
    fitFinished = Signal(float)  # MSE when a gradient-descent run ends

    def __init__(self, parent: QWidget | None = None, data_path=toy.TRAFFIC_CSV) -> None:
        super().__init__(parent)
        self.setObjectName("trafficLab")
        self.hour, self.volume = toy.load_traffic(data_path)
        self.x = self.hour[:, None]
        self.net = toy.traffic_network(toy.LECTURE_VALUES)
        self.quad_theta = toy.quadratic_fit(self.hour, self.volume)
        self.quad_mse = toy.mse(toy.quadratic_predict(self.quad_theta, self.hour), self.volume)
        self.current_mse = float("nan")
        self.best_mse, self.best_params = float("inf"), dict(toy.LECTURE_VALUES)
        self.steps, self.pace = 1500, 0.004  # gradient-descent steps per run, seconds per step shown
        self.runner: TrainingRunner | None = None
        self._gd_step0 = 0
        self._build()
        self.set_params(toy.LECTURE_VALUES)

    # --- layout -----------------------------------------------------------------------------
    def _build(self) -> None:
        grid = QGridLayout(self)
        head = QLabel("<b>Three neurons fit the traffic curve.</b> The data are <b>synthetic</b> "
                      f"(a seeded generator, not measurements): volume in {toy.TRAFFIC_UNITS} against hour of day. "
                      "Move the seven parameters: what is the smallest MSE you can find?")
        head.setWordWrap(True)
        head.setObjectName("trafficHeader")
        grid.addWidget(head, 0, 0, 1, 3)
        self.diagram = TrafficDiagram()
        grid.addWidget(self.diagram, 1, 0)
        grid.addWidget(self._pieces_plot(), 2, 0)
        grid.addWidget(self._main_plot(), 1, 1)
        grid.addWidget(self._mse_plot(), 2, 1)
        grid.addLayout(self._panel(), 1, 2, 2, 1)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 4)
        grid.setRowStretch(1, 3)
        grid.setRowStretch(2, 2)

    def _main_plot(self) -> pg.PlotWidget:
        w = _plot("Traffic volume vs hour of day", f"volume ({toy.TRAFFIC_UNITS})", "hour of day x")
        w.setObjectName("trafficPlot")
        legend = w.addLegend(labelTextColor=themes.current().text.name())
        legend.setBrush(pg.mkBrush(30, 30, 38, 220))
        legend.anchor(itemPos=(0.5, 1), parentPos=(0.5, 1), offset=(0, -30))
        w.plot(self.hour, self.volume, pen=None, symbol="o", symbolSize=6, symbolBrush=(200, 200, 210, 200),
               symbolPen=None, name="data (synthetic)")
        self.curve = w.plot(pen=pg.mkPen(OUTPUT_COLOR, width=3), name="network ŷ")
        quad = toy.quadratic_predict(self.quad_theta, HOURS)
        w.plot(HOURS, quad, pen=pg.mkPen(QUAD_COLOR, width=2, style=Qt.PenStyle.DashLine),
               name=f"least squares on (1, x, x²): MSE {self.quad_mse:.4f}")
        self.marker = w.plot(pen=None, symbol="star", symbolSize=16, symbolBrush=MARK_COLOR, name="prediction at 8 am")
        w.addItem(pg.InfiniteLine(8.0, angle=90, pen=pg.mkPen(MARK_COLOR, width=1, style=Qt.PenStyle.DotLine)))
        self.marker_text = pg.TextItem(color=MARK_COLOR, anchor=(0, 1))
        w.addItem(self.marker_text)
        w.setXRange(0, 24)
        w.setYRange(-0.5, 6.5)
        w.getAxis("bottom").setTicks([[(h, f"{h}") for h in range(0, 25, 3)]])
        return w

    def _pieces_plot(self) -> pg.PlotWidget:
        w = _plot("Each hidden neuron's ReLU piece", "a = ReLU(w1,j x + b1,j)", "hour of day x")
        w.setObjectName("trafficPieces")
        legend = w.addLegend(labelTextColor=themes.current().text.name())
        legend.setBrush(pg.mkBrush(30, 30, 38, 220))
        legend.anchor(itemPos=(0.5, 0), parentPos=(0.5, 0), offset=(0, 30))
        self.pieces = [w.plot(pen=pg.mkPen(c, width=2.5), name=f"h{j + 1}") for j, c in enumerate(UNIT_COLORS)]
        w.setXRange(0, 24)
        return w

    def _mse_plot(self) -> pg.PlotWidget:
        w = _plot("MSE during gradient descent", "MSE", "gradient-descent step")
        w.setObjectName("trafficMsePlot")
        w.getAxis("left").enableAutoSIPrefix(False)
        self.mse_curve = w.plot(pen=pg.mkPen(OUTPUT_COLOR, width=2))
        self.lecture_line = pg.InfiniteLine(angle=0, pen=pg.mkPen(200, 200, 210, 120, style=Qt.PenStyle.DashLine),
                                            label="lecture values",
                                            labelOpts={"color": themes.current().text_dim.name(), "position": 0.8,
                                                       "anchors": [(0.5, 0), (0.5, 0)]})
        w.addItem(self.lecture_line)
        lecture_mse = toy.mse(toy.traffic_network().predict_proba(self.x), self.volume)
        self.lecture_line.setValue(lecture_mse)
        self.lecture_line.label.setFormat(f"lecture values: MSE {lecture_mse:.4f}")
        w.setLimits(yMin=0)  # an MSE is never negative: the empty plot starts at 0, not at −0.2
        w.setYRange(0, 2 * lecture_mse)
        self.mse_plot, self._lecture_mse = w, lecture_mse
        self._mse_xs: list[float] = []
        self._mse_ys: list[float] = []
        return w

    def _panel(self) -> QVBoxLayout:
        col = QVBoxLayout()
        self.sliders = ParamSliders()
        self.sliders.edited.connect(self._edited)
        col.addWidget(self.sliders)
        self.mse_label = QLabel()
        self.mse_label.setObjectName("trafficMse")
        self.mse_label.setToolTip("MSE = 1/n Σ (ŷ − y)² over the data points, for the current parameters")
        self.best_label = QLabel()
        self.best_label.setObjectName("trafficBest")
        self.quad_label = QLabel(f"Least squares on (1, x, x²), closed form: <b>MSE {self.quad_mse:.4f}</b><br>"
                                 f"ŷ = {self.quad_theta[0]:.3f} + {self.quad_theta[1]:.3f} x "
                                 f"{'−' if self.quad_theta[2] < 0 else '+'} {abs(self.quad_theta[2]):.4f} x²")
        self.quad_label.setObjectName("trafficQuad")
        self.quad_label.setToolTip("Linear regression on the quadratic features, solved by least squares")
        self.pred_label = QLabel()
        self.pred_label.setObjectName("trafficPrediction")
        for lab in (self.mse_label, self.best_label, self.pred_label, self.quad_label):
            lab.setWordWrap(True)
            col.addWidget(lab)
        # room for two lines each: a running fit rewrites them 30 times a second, and a label that went from
        # one line to two moved the buttons below between a click's press and its release (the click was lost)
        for lab in (self.best_label, self.pred_label):
            lab.setMinimumHeight(2 * lab.fontMetrics().lineSpacing() + 2)
        col.addLayout(self._buttons())
        self.status = QLabel("")
        self.status.setObjectName("trafficStatus")
        self.status.setWordWrap(True)
        col.addWidget(self.status)
        tips = QLabel("<small><b>How the knobs act.</b> w1,j sets the slope of hidden neuron j's ReLU piece and "
                      "b1,j where it bends (at x = −b1,j / w1,j); w2,j scales that piece into the output "
                      "(negative: subtracts it); b2,1 lifts the whole curve.</small>")
        tips.setObjectName("trafficTips")
        tips.setWordWrap(True)
        col.addWidget(tips)
        col.addStretch(1)
        return col

    def _buttons(self) -> QVBoxLayout:
        box = QVBoxLayout()
        row = QHBoxLayout()
        self.lecture_button = button("Lecture values", "lectureValues",
                                           "w1,1 = 0.4, b1,1 = −5.9, w1,2 = −0.6, "
                                           "b1,2 = 5.2, w2,1 = −1.0, w2,2 = −1.0, b2,1 = 5.1",
                                           lambda: self.set_params(toy.LECTURE_VALUES))
        self.start_button = button("Poor start", "trafficStart",
                                         "A fixed, poor starting point for gradient descent",
                                         lambda: self.set_params(toy.TRAFFIC_START))
        self.best_button = button("Best so far", "trafficBestButton", "Go back to the best parameters found",
                                        lambda: self.set_params(self.best_params))
        for b in (self.lecture_button, self.start_button, self.best_button):
            row.addWidget(b)
        box.addLayout(row)
        self.optimiser = QComboBox()
        self.optimiser.setObjectName("trafficOptimiser")
        self.optimiser.addItems(list(OPTIMISERS))
        self.optimiser.setToolTip("How to step downhill: Adam adapts each parameter's step; "
                                  "plain GD uses θ ← θ − α ∇J")
        box.addWidget(self.optimiser)
        self.fit_button = button("▶ Fit by gradient descent", "fitGD",
                                       "Run gradient descent on the MSE from the current parameters "
                                       "(click again to pause)",
                                       self.toggle_fit)
        box.addWidget(self.fit_button)
        return box

    # --- model ------------------------------------------------------------------------------
    def params(self) -> dict[str, float]:
        return toy.traffic_params(self.net.flat)

    def set_params(self, params: dict[str, float], from_fit: bool = False) -> None:
        """Show these parameters; a user change (not from a running fit) stops any fit."""
        if not from_fit:
            self.stop_fit()
        toy.set_traffic_params(self.net, params)
        self.sliders.show_params(self.params())
        self._refresh()

    def _edited(self, name: str, value: float) -> None:
        params = self.params()
        params[name] = value
        self.set_params(params)

    def _refresh(self) -> None:
        params = self.params()
        self.diagram.set_params(params)
        self.curve.setData(HOURS, self.net.predict_proba(HOURS[:, None])[:, 0])
        for piece, a in zip(self.pieces, toy.layer_activations(self.net, HOURS[:, None])[0].T):
            piece.setData(HOURS, a)
        self.current_mse = toy.mse(self.net.predict_proba(self.x), self.volume)
        if self.current_mse < self.best_mse:
            self.best_mse, self.best_params = self.current_mse, params
        y8 = float(self.net.predict_proba(np.array([[8.0]]))[0, 0])
        self.marker.setData([8.0], [y8])
        self.marker_text.setText(f" 8 am: ŷ = {y8:.2f}")
        self.marker_text.setPos(8.0, y8 + 0.15)
        self.mse_label.setText(f"<span style='font-size:15pt'>MSE = <b>{self.current_mse:.4f}</b></span>")
        self.best_label.setText(f"Best so far: <b>{self.best_mse:.4f}</b>")
        self.pred_label.setText(f"Prediction at 8 am: <b>{y8:.2f}</b> thousand vehicles/h")
        self.mseChanged.emit(self.current_mse)

    # --- gradient descent off the GUI thread ----------------------------------------------------
    def toggle_fit(self) -> None:
        if self.runner is None:
            self.fit()
        elif self.runner.paused:
            self.runner.resume()
            self.fit_button.setText("❚❚ Pause")
        else:
            self.runner.pause()
            self.fit_button.setText("▶ Resume gradient descent")

    def fit(self) -> None:
        """Start gradient descent on a copy of the network; snapshots animate the view."""
        self.stop_fit()
        worker = toy.traffic_network(self.params())
        y = self.volume[:, None]
        opt, lr = OPTIMISERS[self.optimiser.currentText()]
        cfg = TrainConfig(epochs=self.steps, batch_size=len(self.x), optimizer=opt, lr=lr)
        data = Split(self.x, y, self.x, y)

        def snapshot(event) -> tuple[int, np.ndarray, float]:
            step = event.epoch + 1 if isinstance(event, EpochDone) else event.samples // len(self.x)
            return step, worker.flat.copy(), toy.mse(worker.predict_proba(self.x), self.volume)

        self.runner = TrainingRunner(lambda control: train(worker, data, cfg, control),
                                     Snapshots(snapshot, max_hz=30), pace=self.pace, name="trafficRun", owner=self)
        self.runner.report.connect(self._on_snapshot)
        self.runner.finished.connect(self._on_finished)
        self.runner.failed.connect(self.status.setText)
        self._gd_step0 = int(self._mse_xs[-1]) if self._mse_xs else 0
        self.fit_button.setText("❚❚ Pause")
        self.status.setText(f"Gradient descent on J = ½·MSE with {opt} (learning rate {lr}), {self.steps} steps.")
        self.runner.start()

    def _on_snapshot(self, snap: tuple[int, np.ndarray, float]) -> None:
        if self.runner is None or self.sender() is not self.runner:
            return  # a late snapshot from a run that was stopped
        step, flat, mse = snap
        self.set_params(toy.traffic_params(flat), from_fit=True)
        self._mse_xs.append(self._gd_step0 + step)
        self._mse_ys.append(mse)
        self.mse_curve.setData(self._mse_xs, self._mse_ys)
        self.mse_plot.setYRange(0, 1.1 * max(max(self._mse_ys), self._lecture_mse), padding=0)  # curve and line
        # the next snapshot once this one is painted and waiting clicks are handled: acked at once, a fit kept
        # the GUI so busy that a click took over a second (the "ignored" first click after Fit)
        QTimer.singleShot(0, self.runner.ack)

    def _on_finished(self, event) -> None:
        if self.runner is None or self.sender() is not self.runner:
            return
        self.runner = None
        self.fit_button.setText("▶ Fit by gradient descent")
        self.status.setText(f"Gradient descent {event.reason}: MSE {self.current_mse:.4f}.")
        self.fitFinished.emit(self.current_mse)

    def pause_fit(self) -> None:
        if self.runner is not None and not self.runner.paused:
            self.toggle_fit()

    def stop_fit(self) -> None:
        if self.runner is not None:
            runner, self.runner = self.runner, None
            runner.discard()
            self.fit_button.setText("▶ Fit by gradient descent")

    def closeEvent(self, event) -> None:
        self.stop_fit()
        super().closeEvent(event)
