"""2-D playground (the lecture's TensorFlow Playground slide), built on the core Network and train().

Training runs in a TrainingRunner thread on the model's network; the view only shows Snapshots (copies made
in the worker). While a run is alive the GUI never touches the network: edits stop the run first.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QInputDialog, QLabel, QVBoxLayout, QWidget

from nnviz.core.training import EpochDone, Finished, train
from nnviz.gui.concurrency import Snapshots, TrainingRunner
from nnviz.gui.labs.buttons import button
from nnviz.gui.labs.playground.controls import DataControls, NetControls, read_settings
from nnviz.gui.labs.playground.model import Model, Settings, Snapshot
from nnviz.gui.labs.playground.output import PlaygroundOutput
from nnviz.gui.labs.playground.view import PlaygroundNetView
from nnviz.gui.look import themes
from nnviz.gui.look.colorbars import ColorBar
from nnviz.gui.widgets.flow_layout import FlowLayout


class PlaygroundLab(QWidget):
    """objectName "playground". play()/pause()/step()/reset(); `snapshot` is the latest Snapshot."""

    snapshotShown = Signal(object)  # the Snapshot just drawn

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("playground")
        self.runner: TrainingRunner | None = None
        self.model: Model | None = None
        self.snapshot: Snapshot | None = None
        self.epoch = 0
        self._build()
        self.rebuild()

    # --- layout -----------------------------------------------------------------------------
    def _build(self) -> None:
        col = QVBoxLayout(self)
        top = FlowLayout()  # wraps when the lab is narrow (beside the lecture tour)
        self.play_button = button("▶ Play", "pgPlay", "Train continuously (click again to pause)",
                                        self.toggle_play)
        self.step_button = button("Step", "pgStep", "Train one epoch, then pause", self.step)
        self.reset_button = button("⟲ Reset", "pgReset", "New random weights, epoch 0", self.reset)
        for b in (self.reset_button, self.play_button, self.step_button):
            top.addWidget(b)
        self.epoch_label = QLabel()
        self.epoch_label.setObjectName("pgEpoch")
        self.epoch_label.setToolTip("Passes over the training data so far")
        top.addWidget(self.epoch_label)
        self.net_controls = NetControls()
        top.addWidget(self.net_controls)
        col.addLayout(top)
        row = QHBoxLayout()
        self.data_controls = DataControls()
        self.data_controls.setMaximumWidth(260)
        row.addWidget(self.data_controls)
        middle = QVBoxLayout()
        middle.addWidget(self.net_controls.layer_widget())
        self.net_view = PlaygroundNetView()
        middle.addWidget(self.net_view, 1)
        under = FlowLayout()  # the two colour bars side by side, or stacked when narrow
        self.edge_bar = ColorBar(themes.current().diverging_cmap, -1, 1, "edge colour = weight w (width = |w|)")
        self.edge_bar.setObjectName("pgEdgeBar")
        self.edge_bar.setMaximumWidth(330)
        self.tile_bar = ColorBar(themes.current().diverging_cmap, -1, 1,
                                 "tile colour = a over the plane (÷ its max |a|)")
        self.tile_bar.setObjectName("pgTileBar")
        self.tile_bar.setMaximumWidth(330)
        under.addWidget(self.edge_bar)
        under.addWidget(self.tile_bar)
        middle.addLayout(under)
        self.hover = QLabel("Hover an edge to see its weight; click it to type a new one.")
        self.hover.setObjectName("pgHover")
        self.hover.setWordWrap(True)
        middle.addWidget(self.hover)
        row.addLayout(middle, 3)
        self.output = PlaygroundOutput()
        self.output.setMinimumWidth(300)
        row.addWidget(self.output, 2)
        col.addLayout(row, 1)
        self.data_controls.rebuild.connect(self.rebuild)
        self.net_controls.rebuild.connect(self.rebuild)
        self.net_controls.retrain.connect(self._retrain)
        self.net_view.edgeHovered.connect(
            lambda text: self.hover.setText(f"Hovered edge (cyan): {text}. Click it to type a new value."))
        self.net_view.edgeClicked.connect(self._edit_edge)

    # --- model ------------------------------------------------------------------------------
    def settings(self) -> Settings:
        return read_settings(self.data_controls, self.net_controls)

    def rebuild(self) -> None:
        """New data / features / network from the widgets; epoch 0."""
        self._stop()
        self.model = Model(self.settings())
        s = self.model.settings
        self.net_view.build(list(s.features), s.hidden)
        self.output.set_data(self.model.data, s.classification)
        self.epoch = 0
        self._show(self.model.snapshot(0))

    def reset(self) -> None:
        self._stop()
        self.model.net.initialise(self.model.settings.seed)
        self.output.clear_curve()
        self.epoch = 0
        self._show(self.model.snapshot(0))

    def _show(self, snap: Snapshot) -> None:
        self.snapshot = snap
        self.epoch = snap.epoch
        self.epoch_label.setText(f"Epoch <b>{snap.epoch:,}</b>")
        self.net_view.show_snapshot(snap)
        self.edge_bar.set(lo=-self.net_view.edge_limit, hi=self.net_view.edge_limit)
        self.output.show_snapshot(snap)
        self.snapshotShown.emit(snap)

    # --- training off the GUI thread ------------------------------------------------------------
    def _start(self, paused: bool = False) -> None:
        model, epoch0 = self.model, self.epoch
        model.settings = self.settings()  # hyper-parameters may have changed; shape has not
        cfg = model.settings.train_config()

        def snapshot(event) -> Snapshot:
            done = event.epochs_done if isinstance(event, Finished) else event.epoch + isinstance(event, EpochDone)
            return model.snapshot(epoch0 + done)

        self.runner = TrainingRunner(lambda control: train(model.net, model.features, cfg, control),
                                     Snapshots(snapshot, max_hz=20), name="playgroundRun", owner=self)
        if paused:
            self.runner.pause()
        self.runner.report.connect(self._on_snapshot)
        self.runner.finished.connect(self._on_finished)
        self.runner.failed.connect(self.hover.setText)
        self.runner.start()

    def _on_snapshot(self, snap: Snapshot) -> None:
        if self.runner is not None and self.sender() is self.runner:
            self._show(snap)
            QTimer.singleShot(0, self.runner.ack)  # once painted and waiting clicks are handled (see traffic)

    def _on_finished(self, event: Finished) -> None:
        if self.runner is None or self.sender() is not self.runner:
            return
        self.runner = None
        self.play_button.setText("▶ Play")
        if event.reason == "diverged":
            self.hover.setText(event.message)

    def toggle_play(self) -> None:
        if self.runner is None or self.runner.paused:
            self.play()
        else:
            self.pause()

    def play(self) -> None:
        if self.runner is None:
            self._start()
        else:
            self.runner.resume()
        self.play_button.setText("❚❚ Pause")

    def pause(self) -> None:
        if self.runner is not None:
            self.runner.pause()
        self.play_button.setText("▶ Play")

    def step(self) -> None:
        """One epoch (all training batches), then pause."""
        if self.runner is None:
            self._start(paused=True)
        n = len(self.model.features.x_train)
        self.runner.step(-(-n // self.model.settings.batch_size))
        self.play_button.setText("▶ Play")

    def _retrain(self) -> None:
        """Hyper-parameters changed: continue with the same network under the new settings."""
        running = self.runner is not None and not self.runner.paused
        self._stop()
        if running:
            self.play()

    def _stop(self) -> None:
        if self.runner is not None:
            runner, self.runner = self.runner, None
            runner.discard()
            self.play_button.setText("▶ Play")

    # --- editing a weight --------------------------------------------------------------------
    def set_weight(self, layer: int, j: int, i: int, value: float) -> None:
        """Set the weight of the drawn edge i -> j of Dense layer `layer` (stops training first)."""
        self._stop()
        W = self.model.net.dense[layer].W
        if layer == len(self.model.net.dense) - 1 and W.shape[0] == 2:
            W[1, i] = W[0, i] + value  # two-class output: the edge shows w(class 1) − w(class 0)
        else:
            W[j, i] = value
        self._show(self.model.snapshot(self.epoch))

    def _edit_edge(self, layer: int, j: int, i: int, w: float) -> None:
        value, ok = QInputDialog.getDouble(self, "Edit weight", "New weight w:", w, -100.0, 100.0, 3)
        if ok:
            self.set_weight(layer, j, i, value)

    def shutdown(self) -> None:
        self._stop()

    def closeEvent(self, event) -> None:
        self._stop()
        super().closeEvent(event)
