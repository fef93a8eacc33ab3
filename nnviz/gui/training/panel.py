"""The training panel (objectName `trainPanel`): architecture, hyper-parameters, run buttons, progress.

A form and a view. Its value: architecture(), config() and seed(); show_architecture() and show_config()
fill it. It emits what the user asked for (startRequested, pauseRequested, ...), which TrainingSession
decides, and follows the window's TrainingRun (follow(run)): its buttons, progress and accuracies.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from nnviz.core import budget, losses
from nnviz.core.network import Architecture
from nnviz.core.sizes import parse_sizes
from nnviz.core.training import TrainConfig
from nnviz.gui.state import RunStatus

ACTIVATION_CHOICES = ("relu", "sigmoid", "tanh", "linear", "step")
LOSS_CHOICES = tuple((key, losses.get(key).label) for key in losses.CLASSIFIER_LOSSES)
OPTIMISER_CHOICES = (("adam", "Adam"), ("momentum", "SGD + momentum"), ("sgd", "SGD"))
MAX_EPOCH_SECONDS = 600.0  # a network whose epoch would take longer here is refused (with the estimate)


def format_eta(seconds: float) -> str:
    seconds = max(0, round(seconds))
    return f"{seconds // 60}:{seconds % 60:02d}"


class TrainPanel(QWidget):
    startRequested = Signal()
    pauseRequested = Signal()  # toggles pause / resume
    stepRequested = Signal()
    stopRequested = Signal()
    resetRequested = Signal()
    architectureRequested = Signal(object)  # an Architecture the user applied

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("trainPanel")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self._network_box())
        layout.addWidget(self._training_box())
        layout.addLayout(self._buttons())
        self.progress = QProgressBar(objectName="trainingProgress")
        self.progress.setRange(0, 1000)
        self.progress.setTextVisible(True)
        self.progress.setToolTip("Epoch, minibatch, training speed (samples per second) and time left")
        layout.addWidget(self.progress)
        self.summary = QLabel("", objectName="trainingSummary")
        self.summary.setWordWrap(True)
        self.summary.setToolTip("The latest epoch's training and test accuracy")
        layout.addWidget(self.summary)
        tip = QLabel("Start trains from the current weights, so the views follow them as they change; on a "
                     "trained model it asks first: fine-tune at a rate that keeps it, or fresh weights. "
                     "Step (F10) runs exactly one minibatch: a good way to watch a single gradient step. "
                     "Reset gives fresh random weights; File > Open shipped model brings the trained one back.",
                     objectName="trainingTip")
        tip.setWordWrap(True)
        tip.setEnabled(False)  # drawn dim: a hint, not a control
        layout.addWidget(tip)
        layout.addStretch(1)
        self._progress_text, self._paused = "not training", False
        self.set_running(False, False)
        self.clear_run()

    # --- construction ----------------------------------------------------------------------------
    def _network_box(self) -> QGroupBox:
        box = QGroupBox("Network")
        form = QFormLayout(box)
        self.hidden_edit = QLineEdit("300, 100", objectName="hiddenSizesEdit")
        self.hidden_edit.setValidator(QRegularExpressionValidator(r"^\s*(\d+\s*[,;]?\s*)*$"))
        self.hidden_edit.setToolTip("Neurons in each hidden layer, comma separated (784 inputs and 10 outputs "
                                    "are fixed). Empty: no hidden layer.")
        self.activation_combo = self._combo("activationCombo", [(a, a) for a in ACTIVATION_CHOICES],
                                            "Hidden layers' activation function g(z)")
        self.loss_combo = self._combo("lossCombo", LOSS_CHOICES,
                                      "Loss J: cross-entropy (with softmax) or squared error ‖ŷ − y‖²")
        self.apply_button = QPushButton("Apply architecture", objectName="applyArchitectureButton")
        self.apply_button.setToolTip("Build a new network with these settings (discards the current weights)")
        self.apply_button.clicked.connect(self._apply_architecture)
        form.addRow("Hidden sizes", self.hidden_edit)
        form.addRow("Activation g", self.activation_combo)
        form.addRow("Loss J", self.loss_combo)
        form.addRow(self.apply_button)
        return box

    def _training_box(self) -> QGroupBox:
        box = QGroupBox("Training")
        form = QFormLayout(box)
        self.optimiser_combo = self._combo("optimiserCombo", OPTIMISER_CHOICES, "How the weights follow −dJ/dW")
        self.lr_spin = QDoubleSpinBox(objectName="learningRateSpin", decimals=5, minimum=1e-5, maximum=10000.0)
        self.lr_spin.setValue(1e-3)
        self.lr_spin.setSingleStep(1e-4)
        self.lr_spin.setToolTip("Learning rate α: the step size. Too large and training diverges (loss → NaN).")
        self.batch_spin = QSpinBox(objectName="batchSizeSpin", minimum=1, maximum=60000, value=128)
        self.batch_spin.setToolTip("Minibatch size: examples per gradient step")
        self.epochs_spin = QSpinBox(objectName="epochsSpin", minimum=1, maximum=1000, value=5)
        self.epochs_spin.setToolTip("Passes over the 60,000 training images")
        self.augment_check = QCheckBox("shift, rotate, distort", objectName="augmentCheck")
        self.augment_check.setToolTip("Augmentation: random small affine and elastic distortions of each batch")
        self.seed_spin = QSpinBox(objectName="seedSpin", minimum=0, maximum=2**31 - 1, value=0)
        self.seed_spin.setToolTip("Random seed for shuffling, augmentation and fresh weights (reproducible runs)")
        for label, widget in (("Optimiser", self.optimiser_combo), ("Learning rate α", self.lr_spin),
                              ("Batch size", self.batch_spin), ("Epochs", self.epochs_spin),
                              ("Augmentation", self.augment_check), ("Seed", self.seed_spin)):
            form.addRow(label, widget)
        return box

    def _buttons(self) -> QHBoxLayout:
        row = QHBoxLayout()
        spec = (("start", "Start", "startTrainingButton", "Train from the current weights (F5)", self.startRequested),
                ("pause", "Pause", "pauseTrainingButton", "Pause / resume (F6)", self.pauseRequested),
                ("step", "Step", "stepTrainingButton", "Run exactly one minibatch, then pause (F10)",
                 self.stepRequested),
                ("stop", "Stop", "stopTrainingButton", "Stop after the current minibatch (Shift+F5)",
                 self.stopRequested),
                ("reset", "Reset", "resetWeightsButton", "Fresh random weights from the seed (Ctrl+Shift+R)",
                 self.resetRequested))
        for attr, text, name, tip, signal in spec:
            button = QPushButton(text, objectName=name)
            button.setToolTip(tip)
            button.clicked.connect(signal.emit)
            setattr(self, f"{attr}_button", button)
            row.addWidget(button)
        return row

    @staticmethod
    def _combo(name: str, items, tip: str) -> QComboBox:
        combo = QComboBox(objectName=name)
        for key, text in items:
            combo.addItem(text, key)
        combo.setToolTip(tip)
        return combo

    # --- the form's value ------------------------------------------------------------------------------
    def seed(self) -> int:
        """The seed for shuffling, augmentation and fresh weights."""
        return self.seed_spin.value()

    def show_config(self, cfg: TrainConfig) -> None:
        """Fill the training fields from cfg (a fine-tune's smaller α, for one)."""
        self.optimiser_combo.setCurrentIndex(max(0, self.optimiser_combo.findData(cfg.optimizer)))
        self.lr_spin.setValue(cfg.lr)
        self.batch_spin.setValue(cfg.batch_size)
        self.epochs_spin.setValue(cfg.epochs)
        self.augment_check.setChecked(cfg.augment)
        self.seed_spin.setValue(cfg.seed)

    def config(self) -> TrainConfig:
        """The training settings in the form (raises ValueError for impossible values)."""
        return TrainConfig(epochs=self.epochs_spin.value(), batch_size=self.batch_spin.value(),
                           optimizer=self.optimiser_combo.currentData(), lr=self.lr_spin.value(),
                           augment=self.augment_check.isChecked(), seed=self.seed_spin.value())

    def architecture(self, n_in: int = 784, n_out: int = 10) -> Architecture:
        """The network in the form, if this machine can train it: ValueError for sizes it cannot read,
        budget.TooBig (a ValueError) with the estimate of memory and time for one too big or too slow."""
        sizes = (n_in, *parse_sizes(self.hidden_edit.text()), n_out)  # "": no hidden layer
        arch = Architecture(sizes, self.activation_combo.currentData(), "softmax", self.loss_combo.currentData())
        budget.check_affordable(arch, self.batch_spin.value(), self.optimiser_combo.currentData(),
                                max_seconds_per_epoch=MAX_EPOCH_SECONDS)
        return arch

    def show_architecture(self, arch: Architecture) -> None:
        """Fill the network fields from an existing network's architecture."""
        self.hidden_edit.setText(", ".join(str(n) for n in arch.sizes[1:-1]))
        for combo, key in ((self.activation_combo, arch.activation), (self.loss_combo, arch.loss)):
            i = combo.findData(key)
            if i >= 0:
                combo.setCurrentIndex(i)

    def _apply_architecture(self) -> None:
        try:
            self.architectureRequested.emit(self.architecture())
        except ValueError as exc:
            self.show_problem(f"Cannot build that network: {exc}")

    # --- showing the run ---------------------------------------------------------------------------
    def follow(self, run) -> None:
        """Show what `run` (a TrainingRun) does: its status, its batches and epochs, how it ended."""
        state = run.state
        state.runChanged.connect(lambda _status: self.set_running(state.training, state.run == RunStatus.PAUSED))
        run.batchDone.connect(lambda event, _avg: self.show_batch(event, run.cfg.epochs))
        run.epochDone.connect(self.show_epoch)
        run.finished.connect(self.show_end)
        run.cleared.connect(self.clear_run)

    def set_running(self, running: bool, paused: bool) -> None:
        """Enable the buttons that make sense now and name Pause/Resume."""
        self._paused = running and paused
        self._show_progress()
        self.start_button.setEnabled(not running)
        self.pause_button.setEnabled(running)
        self.pause_button.setText("Resume" if paused else "Pause")
        self.stop_button.setEnabled(running)
        self.reset_button.setEnabled(not running)
        self.apply_button.setEnabled(not running)
        for w in (self.hidden_edit, self.activation_combo, self.loss_combo, self.optimiser_combo, self.lr_spin,
                  self.batch_spin, self.epochs_spin, self.augment_check, self.seed_spin):
            w.setEnabled(not running)

    def show_batch(self, event, epochs: int) -> None:
        """Progress bar: epoch, batch, samples per second, ETA. event: core BatchDone."""
        done = event.epoch * event.n_batches + event.batch + 1
        total = epochs * event.n_batches
        rate = event.samples / event.elapsed if event.elapsed > 0 else 0.0
        left = (total - done) * event.batch_size / rate if rate > 0 else 0.0
        self.progress.setValue(int(1000 * done / total))
        self.show_status(f"epoch {event.epoch + 1}/{epochs} · batch {event.batch + 1}/{event.n_batches} · "
                         f"{rate:,.0f} samples/s · ETA {format_eta(left)}")

    def show_epoch(self, event) -> None:
        """The latest epoch's accuracies. event: core EpochDone."""
        train = f"{100 * event.train_accuracy:.1f}%" if event.train_accuracy is not None else "–"
        test = f"{100 * event.test_accuracy:.2f}%" if event.test_accuracy is not None else "–"
        self.summary.setText(f"Epoch {event.epoch + 1}: training accuracy {train}, test accuracy {test} "
                             f"(test loss {event.test_loss:.3f}, {event.seconds:.1f} s)")

    def show_end(self, event) -> None:
        """How the run ended. event: core Finished."""
        if event.reason == "diverged":
            self.show_status("diverged: weights restored")
        elif event.reason == "failed":
            self.show_status("training failed")
        else:
            self.show_status(f"{event.reason}: {event.samples:,} samples in {event.seconds:.1f} s")

    def show_status(self, text: str) -> None:
        self._progress_text = text
        self._show_progress()

    def show_problem(self, text: str) -> None:
        """Why the form's settings cannot be used (under the progress bar)."""
        self.summary.setText(text)

    def _show_progress(self) -> None:
        self.progress.setFormat(self._progress_text + (" (paused)" if self._paused else ""))

    def clear_run(self) -> None:
        """Forget the last run's progress, accuracies and outcome (a different network)."""
        self.progress.setValue(0)
        self.show_status("not training")
        self.summary.setText("")
