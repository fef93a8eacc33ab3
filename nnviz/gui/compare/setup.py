"""What a comparison trains: a lecture preset, or 2 to 4 runs edited in a table, and what they share.

    setup = RunsSetup()
    specs = setup.specs()          # [RunSpec, ...]; ValueError (shown by the window) when a cell is wrong
    setup.epochs.value(), setup.batch.value(), setup.images.value(), setup.seed.value()
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from nnviz.core.compare import BASE, INITS, PRESETS, RunSpec
from nnviz.core.optim import OPTIMIZERS

PRESET_NAMES = {"g": "g: sigmoid vs ReLU vs tanh", "alpha": "α: too small / right / too large",
                "optimizer": "SGD vs momentum vs Adam", "init": "init: zeros vs small random vs He"}
ACTIVATIONS = ("sigmoid", "relu", "tanh")
COLUMNS = ("name", "g", "optimiser", "α", "init", "hidden sizes")
MIN_RUNS, MAX_RUNS = 2, 4


class RunsSetup(QWidget):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("compareSetup")
        self.preset = QComboBox(objectName="comparePreset", toolTip="A comparison from the lecture: the runs "
                                "differ only in what its name says")
        for key, text in PRESET_NAMES.items():
            self.preset.addItem(text, key)
        self.table = QTableWidget(0, len(COLUMNS), objectName="compareRunsTable")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        rows = self.table.verticalHeader().defaultSectionSize()
        self.table.setFixedHeight(self.table.horizontalHeader().sizeHint().height() + MAX_RUNS * rows + 4)
        self.table.setToolTip("The runs: edit any cell. Every run trains on the same minibatches in the same order.")
        self.add = QPushButton("Add run", objectName="compareAddRun", toolTip=f"At most {MAX_RUNS} runs")
        self.remove = QPushButton("Remove run", objectName="compareRemoveRun",
                                  toolTip="Remove the selected run (at least two stay)")
        self.epochs = _spin(1, 50, 2, "compareEpochs", "Epochs: passes over the training images")
        self.batch = _spin(1, 4096, 128, "compareBatch", "Minibatch size, the same for every run")
        self.images = _spin(1000, 60000, 60000, "compareImages", "Training images used (fewer: a quicker comparison)")
        self.images.setSingleStep(5000)
        self.seed = _spin(0, 2**31 - 1, 0, "compareSeed", "The seed of the initial weights and of the batches' order")
        self._build()
        self.preset.currentIndexChanged.connect(lambda _: self.load(PRESETS[self.preset.currentData()]))
        self.add.clicked.connect(self._add_run)
        self.remove.clicked.connect(self._remove_run)
        self.load(PRESETS["g"])

    def _build(self) -> None:
        shared = QFormLayout()
        for label, w in (("Epochs", self.epochs), ("Batch", self.batch), ("Images", self.images),
                         ("Seed", self.seed)):
            shared.addRow(label, w)
        buttons = QVBoxLayout()
        buttons.addWidget(self.preset)
        buttons.addWidget(self.add)
        buttons.addWidget(self.remove)
        buttons.addStretch(1)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addLayout(buttons)
        row.addWidget(self.table, 1)
        row.addLayout(shared)

    # --- the table ---------------------------------------------------------------------------------
    def load(self, specs: list[RunSpec]) -> None:
        self.table.setRowCount(0)
        for spec in specs:
            self._append(spec)
        self._update_buttons()
        self.changed.emit()

    def _append(self, spec: RunSpec) -> None:
        r = self.table.rowCount()
        self.table.insertRow(r)
        self.table.setCellWidget(r, 0, QLineEdit(spec.name, toolTip="The run's name in legends"))
        self.table.setCellWidget(r, 1, _combo(ACTIVATIONS, spec.activation, "g: the hidden layers' activation"))
        self.table.setCellWidget(r, 2, _combo(tuple(OPTIMIZERS), spec.optimizer, "The optimiser"))
        lr = QDoubleSpinBox(decimals=5, minimum=1e-5, maximum=100.0, value=spec.lr, toolTip="α: the learning rate")
        self.table.setCellWidget(r, 3, lr)
        self.table.setCellWidget(r, 4, _combo(INITS, spec.init, "Initial weights: he (the layer's usual scale), "
                                              "small (N(0, 0.01)), zeros"))
        self.table.setCellWidget(r, 5, QLineEdit(", ".join(map(str, spec.hidden)),
                                                 toolTip="Hidden layer widths, e.g. 300, 100"))

    def _add_run(self) -> None:
        if self.table.rowCount() < MAX_RUNS:
            self._append(replace(BASE, name=f"run {self.table.rowCount() + 1}"))
            self._update_buttons()

    def _remove_run(self) -> None:
        rows = sorted({i.row() for i in self.table.selectedIndexes()}) or [self.table.rowCount() - 1]
        if self.table.rowCount() > MIN_RUNS:
            self.table.removeRow(rows[-1])
            self._update_buttons()

    def _update_buttons(self) -> None:
        self.add.setEnabled(self.table.rowCount() < MAX_RUNS)
        self.remove.setEnabled(self.table.rowCount() > MIN_RUNS)

    def specs(self) -> list[RunSpec]:
        """The runs as the table says; ValueError naming the cell when one is wrong."""
        specs = []
        for r in range(self.table.rowCount()):
            cell = self.table.cellWidget
            name = cell(r, 0).text().strip() or f"run {r + 1}"
            try:
                hidden = tuple(int(v) for v in cell(r, 5).text().replace(",", " ").split())
            except ValueError:
                raise ValueError(f"{name}: hidden sizes must be whole numbers, e.g. 300, 100") from None
            if not hidden or not all(1 <= h <= 4096 for h in hidden) or len(hidden) > 6:
                raise ValueError(f"{name}: give 1 to 6 hidden layers of 1 to 4,096 neurons, e.g. 300, 100")
            specs.append(RunSpec(name, cell(r, 1).currentText(), cell(r, 2).currentText(), cell(r, 3).value(),
                                 cell(r, 4).currentText(), hidden))
        if len({s.name for s in specs}) < len(specs):
            raise ValueError("give every run its own name (the legends tell them apart by name)")
        return specs


def _spin(lo: int, hi: int, value: int, name: str, tip: str) -> QSpinBox:
    return QSpinBox(minimum=lo, maximum=hi, value=value, objectName=name, toolTip=tip)


def _combo(items: tuple[str, ...], current: str, tip: str) -> QComboBox:
    box = QComboBox(toolTip=tip)
    box.addItems(list(items))
    box.setCurrentText(current)
    return box
