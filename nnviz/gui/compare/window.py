"""Training → Compare…: 2 to 4 runs that differ in what the lecture varies, trained in lockstep on the same
minibatches, shown side by side: the curves, the gradients per layer (where they vanish), the distributions
of W and dJ/dW over training, and the hidden layer's map. Any run's weights at any moment can become the
app's model (the network view, the Draw tab and the inspector then show it).

    window = CompareWindow(state, provider, use=main_window.use_network)
    window.show(); window.start()
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from nnviz.core import preprocess
from nnviz.core.compare import PRESETS
from nnviz.core.pixels import as_input
from nnviz.core.training import Split
from nnviz.gui.compare.curves import CurvesView, GradientsView
from nnviz.gui.compare.distributions import DistributionsView
from nnviz.gui.compare.hidden_map import HiddenMapView, network_at
from nnviz.gui.compare.run import ComparisonRun, ComparisonView
from nnviz.gui.compare.setup import RunsSetup
from nnviz.gui.state import AppState


class CompareWindow(QDialog):
    """Non-modal. comparisonEnded(ComparisonView) once a comparison has ended (completed or stopped)."""

    comparisonEnded = Signal(object)

    def __init__(self, state: AppState, provider, use=None, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("compareWindow")
        self.setWindowTitle("nnviz: compare runs")
        self.state, self.provider, self.use = state, provider, use
        self.run = ComparisonRun(self)
        self.setup = RunsSetup()
        self.start_button = QPushButton("Start", objectName="compareStart", toolTip="Train the runs in lockstep (F5)")
        self.stop_button = QPushButton("Stop", objectName="compareStop", enabled=False,
                                       toolTip="Stop after the current batch; what was recorded stays")
        self.progress = QProgressBar(objectName="compareProgress", textVisible=True, format="not started")
        self.curves, self.gradients = CurvesView(), GradientsView()
        self.distributions, self.map = DistributionsView(), HiddenMapView()
        self.tabs = QTabWidget(objectName="compareTabs")
        for view, title, tip in ((self.curves, "Curves", "Loss and accuracy, the runs overlaid"),
                                 (self.gradients, "Gradients", "‖dJ/dW‖ per layer: where the gradient vanishes"),
                                 (self.distributions, "Distributions", "W and dJ/dW per layer over training"),
                                 (self.map, "Hidden layer map", "The test digits placed by the last hidden layer")):
            self.tabs.setTabToolTip(self.tabs.addTab(view, title), tip)
        self._build()
        self._waiting = False
        self.data: Split | None = None
        self.view: ComparisonView | None = None
        self._drawn: dict[QWidget, ComparisonView] = {}
        self.start_button.clicked.connect(self.start)
        self.stop_button.clicked.connect(self.stop)
        self.run.updated.connect(self._on_update)
        self.run.failed.connect(lambda text: self._error("The comparison failed", text))
        self.tabs.currentChanged.connect(lambda _: self._draw_current())
        self.map.digitChosen.connect(self._digit_chosen)
        self.map.useRequested.connect(self.use_run)
        provider.ready.connect(self._on_data)
        provider.failed.connect(self._on_data_failed)
        QShortcut(QKeySequence.StandardKey.Quit, self, lambda: (self.parentWidget() or self).close())  # the app's
        QShortcut(QKeySequence("F5"), self, self.start)
        QShortcut(QKeySequence("Shift+F5"), self, self.stop)
        QShortcut(QKeySequence("["), self, lambda: self.map.step(-1))
        QShortcut(QKeySequence("]"), self, lambda: self.map.step(1))
        self.resize(1240, 700)

    def _build(self) -> None:
        controls = QHBoxLayout()
        controls.addWidget(self.start_button)
        controls.addWidget(self.stop_button)
        controls.addWidget(self.progress, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.setup)
        layout.addLayout(controls)
        layout.addWidget(self.tabs, 1)
        note = QLabel("Every run trains on the same minibatches in the same order; colour = run throughout.")
        note.setObjectName("compareNote")
        layout.addWidget(note)

    @property
    def running(self) -> bool:
        return self.run.running or self._waiting

    # --- starting and stopping -----------------------------------------------------------------------
    def start(self) -> None:
        """Train the table's runs (after the data has loaded: the provider may ask for the folder)."""
        if self.running:
            return
        try:
            self.setup.specs()
        except ValueError as exc:
            self._error("Cannot compare these runs", str(exc))
            return
        self._waiting = True
        self._set_running(True)
        self.progress.setFormat("loading the training data…")
        self.provider.request(deskew=False)

    def demo(self, preset: str, images: int = 6000, epochs: int = 1) -> None:
        """A lecture's short demo (the tour): the preset on a few thousand images, the Gradients tab on show."""
        self.stop()
        self.setup.preset.setCurrentIndex(self.setup.preset.findData(preset))
        self.setup.load(PRESETS[preset])
        self.setup.images.setValue(images)
        self.setup.epochs.setValue(epochs)
        self.setup.batch.setValue(128)
        self.tabs.setCurrentWidget(self.gradients)
        if not self.run.running:
            self.start()

    def _on_data(self, data) -> None:
        if not self._waiting:
            return  # (the main window's training asked for it)
        self._waiting = False
        n = self.setup.images.value()
        self.data = Split(data.x_train[:n], data.y_train[:n], data.x_test, data.y_test)
        self.map.set_digits(data.x_test, data.y_test)
        try:
            self.run.start(self.setup.specs(), self.data, self.setup.epochs.value(), self.setup.batch.value(),
                           self.setup.seed.value())
        except ValueError as exc:
            self._set_running(False)
            self._error("Cannot compare these runs", str(exc))
            return
        self.progress.setFormat("training in lockstep: %v of %m batches")

    def _on_data_failed(self, text: str) -> None:
        if self._waiting:
            self._waiting = False
            self._set_running(False)
            self.progress.setFormat("no training data")

    def stop(self) -> None:
        self._waiting = False
        self.run.stop()
        if not self.run.running:
            self._set_running(False)

    def _set_running(self, running: bool) -> None:
        self.start_button.setEnabled(not running)
        self.stop_button.setEnabled(running)
        self.setup.setEnabled(not running)

    # --- what the runs recorded ------------------------------------------------------------------------
    def _on_update(self, view: ComparisonView) -> None:
        self.view = view
        self.progress.setMaximum(view.total)
        self.progress.setValue(view.done)
        self._draw_current()
        self.run.ack()
        if view.final is not None:
            self._set_running(False)
            ended = {"completed": "done", "stopped": "stopped"}.get(view.final.reason, view.final.reason)
            self.progress.setFormat(f"{ended}: %v of %m batches, {view.final.seconds:.1f} s")
            self.comparisonEnded.emit(view)

    def _draw_current(self) -> None:
        """Only the tab on show is redrawn (the others when they are shown): the window stays live."""
        tab = self.tabs.currentWidget()
        if self.view is not None and self._drawn.get(tab) is not self.view:
            tab.show_view(self.view)
            self._drawn[tab] = self.view

    # --- into the app ------------------------------------------------------------------------------------
    def _digit_chosen(self, i: int) -> None:
        if self.data is None:
            return
        x = self.data.x_test[i:i + 1].reshape(1, -1)
        if preprocess.wants_deskew(self.state.card):
            x = preprocess.deskew(x)
        self.state.set_input(as_input(x)[0], label=int(self.data.y_test[i]), source="dataset")

    def use_run(self, k: int, snapshot: int) -> None:
        """Run k's weights at snapshot become the app's model (after the app offers to save unsaved work)."""
        if self.view is None or self.use is None or not 0 <= k < len(self.view.runs):
            return
        run = self.view.runs[k]
        snap = run.snapshots[min(snapshot, len(run.snapshots) - 1)]
        net = network_at(run.spec, self.map.sizes, snap.flat)
        card = {"note": f"From a comparison: {run.name}, after {snap.t:,} batches", "trained_in_app": True,
                "config": {**run.spec.settings(), "batches": snap.t, "compared_with": [r.name for r in self.view.runs]}}
        if len(run.test_accuracy) and snap.t >= len(run.loss):
            card["test_accuracy"] = float(run.test_accuracy[-1])
        self.use(net, card)

    def _error(self, title: str, text: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, f"nnviz: {title}", text, QMessageBox.StandardButton.Ok, self)
        box.setObjectName("compareErrorDialog")
        box.open()

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        self.stop()
        super().closeEvent(event)

    def reject(self) -> None:
        """Escape or the window's close button: the comparison stops (what it recorded stays)."""
        self.stop()
        super().reject()


