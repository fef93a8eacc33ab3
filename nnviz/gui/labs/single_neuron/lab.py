"""Single neuron lab: h(x) = g(Σ_j w_j x_j + b) on 1-D or 2-D data, g switchable.

The neuron is a core Network of sizes (d, 1) whose output activation is g; gradient descent is
core.training.train with the loss the task calls for, run off the GUI thread by a concurrency.TrainingRunner.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QGridLayout,
    QLabel,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from nnviz.core import activations, toy
from nnviz.core.network import Architecture, Network
from nnviz.core.training import Finished, Split, TrainConfig, train
from nnviz.core.why_zero import why_zero
from nnviz.gui.concurrency import Snapshots, TrainingRunner
from nnviz.gui.labs.buttons import button
from nnviz.gui.labs.single_neuron.plots import CURVE, ActivationPlots, DataPlot, styled_plot
from nnviz.gui.labs.single_neuron.roles import ROLES, Role
from nnviz.gui.look import themes
from nnviz.gui.widgets.flow_layout import FlowLayout, group

WARN_TEXT = "#e8590c"  # an orange that reads on the dark and the light theme

SLIDER_RANGE, SCALE = 4.0, 100


class SingleNeuronLab(QWidget):
    """objectName "singleNeuron". `set_g(name)`, `set_dims(1|2)`, `set_params(w, b)`, `train()`."""

    trainingFinished = Signal(float)  # loss J when a run ends

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("singleNeuron")
        self.g, self.dims, self.selected = "sigmoid", 1, 0
        self.runner: TrainingRunner | None = None
        self.net: Network | None = None
        self._loss_xs: list[float] = []
        self._loss_ys: list[float] = []
        self._build()
        self._rebuild(w=np.array([0.5, 0.5]), b=0.0)
        themes.changes().changed.connect(self._on_theme)

    def _on_theme(self, theme: themes.Theme) -> None:
        """The palette changed: the data plot's background map and points follow."""
        self.data_plot.image.setColorMap(theme.diverging_cmap)
        self._show_data()

    # --- layout -----------------------------------------------------------------------------
    def _build(self) -> None:
        col = QVBoxLayout(self)
        self.title = QLabel()
        self.title.setObjectName("neuronRole")
        self.title.setWordWrap(True)
        col.addWidget(self.title)
        col.addLayout(self._controls())
        grid = QGridLayout()
        self.data_plot = DataPlot()
        self.data_plot.exampleClicked.connect(self.select_example)
        grid.addWidget(self.data_plot, 0, 0, 2, 1)
        self.act_plots = ActivationPlots()
        grid.addWidget(self.act_plots, 0, 1)
        self.loss_plot = styled_plot("Loss J during gradient descent", "J", "gradient-descent step")
        self.loss_plot.setObjectName("neuronLossPlot")
        self.loss_curve = self.loss_plot.plot(pen=pg.mkPen(CURVE, width=2))
        grid.addWidget(self.loss_plot, 1, 1)
        grid.setColumnStretch(0, 5)
        grid.setColumnStretch(1, 6)
        col.addLayout(grid, 1)
        self.info = QLabel()
        self.info.setObjectName("neuronInfo")
        self.info.setWordWrap(True)
        self.info.setTextFormat(Qt.TextFormat.RichText)
        col.addWidget(self.info)

    def _controls(self) -> FlowLayout:
        """g, the data, w1, w2, b, α, Train and Reset: one line that wraps beside the lecture tour."""
        row = FlowLayout()
        self.g_box = QComboBox()
        self.g_box.setObjectName("neuronG")
        self.g_box.addItems(list(ROLES))
        self.g_box.setCurrentText(self.g)
        self.g_box.setToolTip("The activation function g")
        self.g_box.currentTextChanged.connect(self.set_g)
        self.dims_box = QComboBox()
        self.dims_box.setObjectName("neuronDims")
        self.dims_box.addItems(["1-D data (x)", "2-D data (x1, x2)"])
        self.dims_box.setToolTip("One input x, or two inputs x1, x2")
        self.dims_box.currentIndexChanged.connect(lambda i: self.set_dims(i + 1))
        row.addWidget(group("g:", self.g_box, self.dims_box))
        self.sliders: dict[str, QSlider] = {}
        self.values: dict[str, QLabel] = {}
        for name in ("w1", "w2", "b"):
            s = QSlider(Qt.Orientation.Horizontal)
            s.setObjectName(f"neuron_{name}")
            s.setRange(-int(SLIDER_RANGE * SCALE), int(SLIDER_RANGE * SCALE))
            s.setMinimumWidth(110)
            s.setToolTip(f"{name}: {'bias' if name == 'b' else 'weight of input x' + name[1]}")
            s.valueChanged.connect(self._slider_moved)
            value = QLabel("0.00")
            value.setMinimumWidth(40)
            self.sliders[name], self.values[name] = s, value
            row.addWidget(group(name, s, value))
        self.lr = QDoubleSpinBox()
        self.lr.setObjectName("neuronLr")
        self.lr.setRange(0.001, 5.0)
        self.lr.setDecimals(3)
        self.lr.setValue(0.3)
        self.lr.setToolTip("Learning rate α of gradient descent: θ ← θ − α ∇J")
        row.addWidget(group("α", self.lr))
        self.train_button = button("▶ Train", "neuronTrain", "Gradient descent on the whole data set "
                                         "(click again to pause)", self.toggle_train)
        self.reset_button = button("Reset", "neuronReset", "w = 0.5, b = 0", self.reset)
        row.addWidget(group(self.train_button, self.reset_button))
        return row

    # --- model ------------------------------------------------------------------------------
    @property
    def role(self) -> Role:
        return ROLES[self.g]

    def _rebuild(self, w: np.ndarray, b: float) -> None:
        """New data and a new core Network for the current g and dims, with weights w and bias b."""
        self.stop()
        self.x, labels = toy.neuron_data(self.role.task, self.dims, seed=1)
        self.y = toy.class_targets(labels, self.role.labels) if self.role.task == "classification" \
            else labels[:, None].astype(np.float64)
        arch = Architecture((self.dims, 1), activation="linear", output=self.g, loss=self.role.loss)
        self.net = Network(arch, dtype=np.float64)
        self.selected = min(self.selected, len(self.x) - 1)
        self.sliders["w2"].setEnabled(self.dims == 2)
        self.set_params(np.asarray(w, np.float64)[:self.dims], b)
        # the curve starts at the loss of the starting point, never empty (with g = step it then stays flat:
        # gradient descent cannot move)
        J = float(self.net.loss_fn.value(self.net.predict_proba(self.x), self.y))
        self._loss_xs, self._loss_ys = [0], [J]
        self.loss_curve.setData(self._loss_xs, self._loss_ys, symbol="o", symbolSize=5, symbolBrush=CURVE)

    def set_g(self, name: str) -> None:
        if name != self.g_box.currentText():
            self.g_box.setCurrentText(name)  # comes back here
            return
        self.g = name
        self._rebuild(self.w.copy(), self.b)

    def set_dims(self, dims: int) -> None:
        if self.dims_box.currentIndex() != dims - 1:
            self.dims_box.setCurrentIndex(dims - 1)
            return
        self.dims = dims
        self._rebuild(np.array([0.5, 0.5]), 0.0)

    @property
    def w(self) -> np.ndarray:
        return self.net.dense[0].W[0]

    @property
    def b(self) -> float:
        return float(self.net.dense[0].b[0])

    def set_params(self, w: np.ndarray, b: float) -> None:
        """w: (dims,) weights (extra entries are ignored), b: the bias."""
        w = np.asarray(w, np.float64)[:self.dims]
        self.net.dense[0].W[0, :] = w
        self.net.dense[0].b[0] = b
        for name, v in (("w1", w[0]), ("w2", w[1] if self.dims == 2 else 0.0), ("b", b)):
            self.sliders[name].blockSignals(True)
            self.sliders[name].setValue(round(float(v) * SCALE))
            self.sliders[name].blockSignals(False)
            self.values[name].setText(f"{float(v):.2f}")
        self._refresh()

    def _slider_moved(self) -> None:
        self.stop()
        w = np.array([self.sliders["w1"].value(), self.sliders["w2"].value()]) / SCALE
        self.set_params(w[:self.dims], self.sliders["b"].value() / SCALE)

    def select_example(self, index: int) -> None:
        self.selected = int(index)
        self._refresh()

    def gradients(self) -> tuple[float, np.ndarray, float]:
        """(J, dJ/dw (dims,), dJ/db) over the whole data set, from core backward on a twin."""
        twin = self.net.copy_sharing_params()
        J, _ = twin.loss_and_grads(self.x, self.y)
        return J, twin.dense[0].grads["W"][0].copy(), float(twin.dense[0].grads["b"][0])

    def _refresh(self) -> None:
        z_all = toy.layer_activations(self.net, self.x, pre=True)[0][:, 0]
        self.act_plots.show(self.g, float(z_all[self.selected]), z_all)
        self._show_data()
        self._show_text(float(z_all[self.selected]))

    def _show_data(self) -> None:
        classification = self.role.task == "classification"
        if self.dims == 1:
            xs = np.linspace(-4, 4, 401)
            w = float(self.w[0])
            x_at_z0 = -self.b / w if abs(w) > 1e-9 else None
            self.data_plot.show_1d(self.x[:, 0], self.y[:, 0], xs, self.net.predict_proba(xs[:, None])[:, 0],
                                   classification, self.selected, self.role.labels, x_at_z0)
            return
        res = 81
        grid = self.net.predict_proba(toy.plane_grid(res, 4.0))[:, 0].reshape(res, res)
        limits = self.role.labels if classification else (float(self.y.min()) - 0.5, float(self.y.max()) + 0.5)
        self.data_plot.show_2d(self.x, self.y[:, 0], grid, classification, self.selected, limits, self.w, self.b)

    def _show_text(self, z: float) -> None:
        role = self.role
        J, dJ_dw, dJ_db = self.gradients()
        self.title.setText(f"<span style='font-size:14pt'>g = <b>{self.g}</b> makes this neuron: "
                           f"<b>{role.name}</b></span> &nbsp; "
                           "h(x) = g(Σ<sub>j</sub> w<sub>j</sub> x<sub>j</sub> + b), "
                           f"trained with {role.loss.replace('_', ' ')} "
                           f"({'classification' if role.task == 'classification' else 'regression'}). "
                           "Click a point to mark its z in g and g′.")
        grads = ", ".join(f"dJ/dw{j + 1} = {v:+.4f}" for j, v in enumerate(dJ_dw))
        hint = why_zero(self.g, toy.layer_activations(self.net, self.x, pre=True)[0][:, 0], np.r_[dJ_dw, dJ_db])
        stalled = f" <b style='color:{WARN_TEXT}'>Gradient descent is stuck: {hint}.</b>" if hint else ""
        ex = self.x[self.selected]
        act = activations.get(self.g)
        self.info.setText(
            f"Selected example x = ({', '.join(f'{v:.2f}' for v in ex)}): z = {z:.3f}, "
            f"g(z) = {act.g(np.array([z]))[0]:.3f}, "
            f"g′(z) = {act.g_prime(np.array([z]))[0]:.3f}. &nbsp; Whole data set: J = {J:.4f}; {grads}, "
            f"dJ/db = {dJ_db:+.4f}.{stalled}<br>{role.note}")

    # --- gradient descent off the GUI thread ----------------------------------------------------
    def toggle_train(self) -> None:
        if self.runner is None:
            self.train()
        elif self.runner.paused:
            self.runner.resume()
            self.train_button.setText("❚❚ Pause")
        else:
            self.runner.pause()
            self.train_button.setText("▶ Resume")

    def train(self, steps: int = 400, pace: float = 0.01) -> None:
        """Full-batch gradient descent (plain SGD) on a copy of the neuron; snapshots animate the view."""
        self.stop()
        worker = self.net.copy()
        data = Split(self.x, self.y, self.x, self.y)
        cfg = TrainConfig(epochs=steps, batch_size=len(self.x), optimizer="sgd", lr=self.lr.value())
        step0 = self._loss_xs[-1] if self._loss_xs else 0

        def snapshot(event):
            J = float(worker.loss_fn.value(worker.predict_proba(self.x), self.y))
            done = event.epochs_done if isinstance(event, Finished) else event.epoch + 1
            return step0 + done, worker.flat.copy(), J

        self.runner = TrainingRunner(lambda control: train(worker, data, cfg, control),
                                     Snapshots(snapshot, max_hz=30), pace=pace, name="singleNeuronRun", owner=self)
        self.runner.report.connect(self._on_snapshot)
        self.runner.finished.connect(self._on_finished)
        self.runner.failed.connect(self.info.setText)
        self.train_button.setText("❚❚ Pause")
        self.runner.start()

    def _on_snapshot(self, snap) -> None:
        if self.runner is None or self.sender() is not self.runner:
            return
        step, flat, J = snap
        self.set_params(flat[:self.dims], float(flat[self.dims]))
        self._loss_xs.append(step)
        self._loss_ys.append(J)
        self.loss_curve.setData(self._loss_xs, self._loss_ys)
        QTimer.singleShot(0, self.runner.ack)  # once painted and waiting clicks are handled (see traffic)

    def _on_finished(self, event) -> None:
        if self.runner is None or self.sender() is not self.runner:
            return
        self.runner = None
        self.train_button.setText("▶ Train")
        self.trainingFinished.emit(self._loss_ys[-1] if self._loss_ys else float("nan"))

    def stop(self) -> None:
        if self.runner is not None:
            runner, self.runner = self.runner, None
            runner.discard()
            self.train_button.setText("▶ Train")

    def reset(self) -> None:
        self._rebuild(np.array([0.5, 0.5]), 0.0)

    def closeEvent(self, event) -> None:
        self.stop()
        super().closeEvent(event)
