"""The playground's settings widgets: data, features, hidden layers, and training hyper-parameters.

`settings()` reads them into a playground_model.Settings. Signals say what kind of change happened:
`rebuild` (data or network shape: new network), `retrain` (hyper-parameters: same network).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QPushButton,
    QSlider,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from nnviz.core import toy
from nnviz.gui.labs.playground.model import MAX_LAYERS, MAX_NEURONS, Settings
from nnviz.gui.widgets.flow_layout import FlowLayout, group

LEARNING_RATES = ("0.00001", "0.0001", "0.001", "0.003", "0.01", "0.03", "0.1", "0.3", "1", "3")
REG_RATES = ("0", "0.001", "0.003", "0.01", "0.03", "0.1", "0.3", "1")


def _combo(name: str, items, current: str, tip: str) -> QComboBox:
    box = QComboBox()
    box.setObjectName(name)
    box.addItems(list(items))
    box.setCurrentText(current)
    box.setToolTip(tip)
    return box


class DataControls(QWidget):
    """Dataset, noise, train/test ratio, regenerate, feature toggles (left column)."""

    rebuild = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.seed = 0
        col = QVBoxLayout(self)
        col.setContentsMargins(0, 0, 0, 0)
        data = QGroupBox("Data")
        form = QFormLayout(data)
        self.dataset = _combo("pgDataset", [toy.DATASET_NAMES[d] for d in toy.DATASETS], "Circle",
                              "Which data set: four classification problems and one regression surface")
        self.ratio = self._slider("pgRatio", 10, 90, 50, "Percentage of the points used for training")
        self.noise = self._slider("pgNoise", 0, 50, 0, "Noise added to the points (per cent)")
        self.ratio_label, self.noise_label = QLabel(), QLabel()
        regen = QPushButton("Regenerate")
        regen.setObjectName("pgRegenerate")
        regen.setToolTip("Draw a new random sample of the same data set")
        regen.clicked.connect(self._regenerate)
        form.addRow("Dataset", self.dataset)
        form.addRow(self.ratio_label, self.ratio)
        form.addRow(self.noise_label, self.noise)
        form.addRow(regen)
        col.addWidget(data)
        feats = QGroupBox("Features (network inputs)")
        grid = QGridLayout(feats)
        self.features: dict[str, QCheckBox] = {}
        for k, name in enumerate(toy.FEATURES):
            box = QCheckBox(name)
            box.setObjectName(f"pgFeature_{name}")
            box.setChecked(name in ("x1", "x2"))
            box.setToolTip(f"Feed {name} into the network")
            box.toggled.connect(self._feature_toggled)
            grid.addWidget(box, k // 2, k % 2)
            self.features[name] = box
        col.addWidget(feats)
        col.addStretch(1)
        self.dataset.currentTextChanged.connect(self.rebuild)
        for s in (self.ratio, self.noise):
            s.valueChanged.connect(self._labels)
            s.sliderReleased.connect(self.rebuild)
            s.valueChanged.connect(lambda _v, s=s: None if s.isSliderDown() else self.rebuild.emit())
        self._labels()

    @staticmethod
    def _slider(name: str, lo: int, hi: int, value: int, tip: str) -> QSlider:
        s = QSlider(Qt.Orientation.Horizontal)
        s.setObjectName(name)
        s.setRange(lo, hi)
        s.setValue(value)
        s.setToolTip(tip)
        return s

    def _labels(self) -> None:
        self.ratio_label.setText(f"Training data: {self.ratio.value()}%")
        self.noise_label.setText(f"Noise: {self.noise.value()}")

    def _regenerate(self) -> None:
        self.seed += 1
        self.rebuild.emit()

    def _feature_toggled(self) -> None:
        if not any(b.isChecked() for b in self.features.values()):
            self.sender().setChecked(True)  # at least one input
            return
        self.rebuild.emit()

    def dataset_key(self) -> str:
        return toy.DATASETS[self.dataset.currentIndex()]


class NetControls(QWidget):
    """Hidden layers (count and neurons per layer), activation, learning rate, batch size, regularisation."""

    rebuild = Signal()
    retrain = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        row = FlowLayout(self)  # wraps when the lab is narrow (beside the lecture tour)
        self.lr = _combo("pgLr", LEARNING_RATES, "0.03", "Learning rate α")
        self.activation = _combo("pgActivation", ("tanh", "relu", "sigmoid", "linear"), "tanh",
                                 "Activation g of the hidden neurons")
        self.regularisation = _combo("pgRegularisation", ("none", "L1", "L2"), "none",
                                     "Penalty on the weights: L1 adds λ·sign(w), L2 adds λ·w to each gradient")
        self.reg_rate = _combo("pgRegRate", REG_RATES, "0", "Regularisation rate λ")
        self.batch = QSpinBox()
        self.batch.setObjectName("pgBatch")
        self.batch.setRange(1, 30)
        self.batch.setValue(10)
        self.batch.setToolTip("Examples per gradient-descent step")
        self.optimizer = _combo("pgOptimizer", ("sgd", "momentum", "adam"), "sgd", "How each step uses the gradient")
        for label, w in (("Learning rate", self.lr), ("Activation", self.activation),
                         ("Regularisation", self.regularisation),
                         ("Rate", self.reg_rate), ("Batch", self.batch), ("Optimiser", self.optimizer)):
            box = QWidget()
            stack = QVBoxLayout(box)
            stack.setContentsMargins(0, 0, 0, 0)
            stack.setSpacing(2)
            stack.addWidget(QLabel(label))
            stack.addWidget(w)
            row.addWidget(box)
        for w in (self.lr, self.regularisation, self.reg_rate, self.optimizer):
            w.currentTextChanged.connect(self.retrain)
        self.batch.valueChanged.connect(self.retrain)
        self.activation.currentTextChanged.connect(self.rebuild)

    def layer_widget(self) -> QWidget:
        """Hidden-layer count and neurons per layer (shown above the network picture)."""
        w = QWidget()
        row = FlowLayout(w)
        self.n_layers = QSpinBox()
        self.n_layers.setObjectName("pgLayers")
        self.n_layers.setRange(0, MAX_LAYERS)
        self.n_layers.setValue(2)
        self.n_layers.setToolTip(f"Number of hidden layers (0 to {MAX_LAYERS})")
        row.addWidget(group("Hidden layers", self.n_layers, "  neurons per layer:"))
        self.neurons: list[QSpinBox] = []
        for l in range(MAX_LAYERS):
            s = QSpinBox()
            s.setObjectName(f"pgNeurons{l + 1}")
            s.setRange(1, MAX_NEURONS)
            s.setValue((4, 2)[l] if l < 2 else 2)
            s.setToolTip(f"Neurons in hidden layer {l + 1} (1 to {MAX_NEURONS})")
            s.valueChanged.connect(self.rebuild)
            row.addWidget(s)
            self.neurons.append(s)
        self.n_layers.valueChanged.connect(self._layers_changed)
        self._layers_changed(emit=False)
        return w

    def _layers_changed(self, *_args, emit: bool = True) -> None:
        for l, s in enumerate(self.neurons):
            s.setVisible(l < self.n_layers.value())
        if emit:
            self.rebuild.emit()

    def hidden(self) -> tuple[int, ...]:
        return tuple(s.value() for s in self.neurons[:self.n_layers.value()])


def read_settings(data: DataControls, net: NetControls) -> Settings:
    return Settings(dataset=data.dataset_key(), noise=data.noise.value() / 100, test_ratio=1 - data.ratio.value() / 100,
                    data_seed=data.seed, features=tuple(n for n, b in data.features.items() if b.isChecked()),
                    hidden=net.hidden(), activation=net.activation.currentText(), lr=float(net.lr.currentText()),
                    batch_size=net.batch.value(), optimizer=net.optimizer.currentText(),
                    regularisation=net.regularisation.currentText(), reg_rate=float(net.reg_rate.currentText()))
