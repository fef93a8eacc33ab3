"""LabsWidget: the four lecture labs as tabs (objectName "labs"), for the main window.

    labs = LabsWidget()          # add it as a tab or dock

Each lab's training runs on a concurrency.TrainingRunner, so quitting the app stops and joins it
(concurrency.stop_all); shutdown() stops them earlier, e.g. when the labs are closed.
"""

from __future__ import annotations

from PySide6.QtWidgets import QTabWidget, QWidget

from nnviz.gui.labs.params.counter import ParamCounterLab
from nnviz.gui.labs.playground.lab import PlaygroundLab
from nnviz.gui.labs.single_neuron.lab import SingleNeuronLab
from nnviz.gui.labs.traffic.lab import TrafficLab


class LabsWidget(QTabWidget):
    """Tabs: Single neuron, Three neurons (traffic), Parameter counter, 2-D playground."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("labs")
        self.neuron = SingleNeuronLab()
        self.traffic = TrafficLab()
        self.counter = ParamCounterLab()
        self.playground = PlaygroundLab()
        for lab, title, tip in (
                (self.neuron, "Single neuron", "h(x) = g(w·x + b): perceptron, logistic and linear regression"),
                (self.traffic, "Three neurons: traffic",
                 "The lecture's 1-2-1 ReLU network on (synthetic) traffic data"),
                (self.counter, "Parameter counter", "n_in·n_out + n_out per layer, and the lecture's polls"),
                (self.playground, "2-D playground", "The lecture's TensorFlow Playground slide")):
            index = self.addTab(lab, title)
            self.setTabToolTip(index, tip)
        self.currentChanged.connect(self._pause_hidden)

    def hasHeightForWidth(self) -> bool:
        """No: a scroll area would then give the labs their *preferred* height (word-wrapped text makes
        that tall) and scroll; without it they fill the window and scroll only below their minimum."""
        return False

    def _pause_hidden(self, _index: int) -> None:
        """A lab that is not visible stops its background training (saves the shared CPU)."""
        current = self.currentWidget()
        if current is not self.neuron:
            self.neuron.stop()
        if current is not self.traffic:
            self.traffic.pause_fit()
        if current is not self.playground:
            self.playground.pause()

    def shutdown(self) -> None:
        """Stop every lab's background run and join it."""
        self.neuron.stop()
        self.traffic.stop_fit()
        self.playground.shutdown()

    def closeEvent(self, event) -> None:
        self.shutdown()
        super().closeEvent(event)
