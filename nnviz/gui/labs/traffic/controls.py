"""Seven slider + number-box rows for the traffic network's parameters."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDoubleSpinBox, QGridLayout, QLabel, QSlider, QWidget

from nnviz.core.toy import TRAFFIC_NAMES

RANGES = {"w1,1": 2.0, "w1,2": 2.0, "w2,1": 3.0, "w2,2": 3.0, "b1,1": 12.0, "b1,2": 12.0, "b2,1": 12.0}
TIPS = {"w1,1": "weight from the hour x into hidden neuron 1", "b1,1": "bias of hidden neuron 1",
        "w1,2": "weight from the hour x into hidden neuron 2", "b1,2": "bias of hidden neuron 2",
        "w2,1": "weight from hidden neuron 1 into the output", "w2,2": "weight from hidden neuron 2 into the output",
        "b2,1": "bias of the output neuron"}
SCALE = 100  # slider ticks per unit


class ParamSliders(QWidget):
    """Emits `edited(name, value)` when the user moves a slider or types a number."""

    edited = Signal(str, float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("trafficSliders")
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        self.sliders: dict[str, QSlider] = {}
        self.boxes: dict[str, QDoubleSpinBox] = {}
        for row, name in enumerate(TRAFFIC_NAMES):
            label = QLabel(f"<b>{name[0]}</b><sub>{name[1:]}</sub>")
            label.setToolTip(TIPS[name])
            slider = QSlider(Qt.Orientation.Horizontal)
            slider.setObjectName(f"slider_{name}")
            slider.setRange(int(-RANGES[name] * SCALE), int(RANGES[name] * SCALE))
            slider.setToolTip(TIPS[name])
            slider.setMinimumWidth(160)
            box = QDoubleSpinBox()
            box.setObjectName(f"box_{name}")
            box.setRange(-50.0, 50.0)
            box.setDecimals(2)
            box.setSingleStep(0.05 if name.startswith("w") else 0.1)
            box.setToolTip(TIPS[name] + " (type a value)")
            slider.valueChanged.connect(lambda v, n=name: self._from_slider(n, v))
            box.valueChanged.connect(lambda v, n=name: self._from_box(n, v))
            grid.addWidget(label, row, 0)
            grid.addWidget(slider, row, 1)
            grid.addWidget(box, row, 2)
            self.sliders[name], self.boxes[name] = slider, box

    def _from_slider(self, name: str, ticks: int) -> None:
        value = ticks / SCALE
        box = self.boxes[name]
        box.blockSignals(True)
        box.setValue(value)
        box.blockSignals(False)
        self.edited.emit(name, value)

    def _from_box(self, name: str, value: float) -> None:
        slider = self.sliders[name]
        slider.blockSignals(True)
        slider.setValue(round(value * SCALE))
        slider.blockSignals(False)
        self.edited.emit(name, value)

    def show_params(self, params: dict[str, float]) -> None:
        """Show values without emitting `edited`."""
        for name, value in params.items():
            for w, v in ((self.sliders[name], round(value * SCALE)), (self.boxes[name], value)):
                w.blockSignals(True)
                w.setValue(v)
                w.blockSignals(False)
