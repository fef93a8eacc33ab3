"""LabsWidget: the four lecture labs as tabs (objectName "labs"), for the main window."""

from __future__ import annotations

from PySide6.QtWidgets import QTabWidget, QWidget

from nnviz.gui.labs.traffic import TrafficLab


class LabsWidget(QTabWidget):
    """Tabs: Single neuron, Traffic (3 neurons), Parameter counter, Playground."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("labs")
        self.traffic = TrafficLab()
        self.addTab(self.traffic, "Three neurons: traffic")
        self.setTabToolTip(0, "The lecture's 1-2-1 ReLU network fitted to (synthetic) traffic data")

    def shutdown(self) -> None:
        """Stop every lab's background training (call from the window's closeEvent)."""
        self.traffic.stop_fit()

    def closeEvent(self, event) -> None:
        self.shutdown()
        super().closeEvent(event)
