"""The hidden layer's map: 2,000 test digits placed by a PCA (or a t-SNE) of their last hidden layer's
activations, coloured by class, at any moment of a run's history (scrub, and watch the classes separate as it
learns). A misread digit wears a ring; clicking a digit makes it the app's input (the Draw tab and the inspector).

The map is computed off the GUI thread (a forward pass of 2,000 digits and a 2-D PCA, ~20 ms; a t-SNE, a few
seconds, with a busy bar) from the run's weight snapshot; a newer request replaces one still waiting, so
scrubbing never queues up work.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QProgressBar, QPushButton, QSlider, QVBoxLayout, QWidget

from nnviz.core.compare import RunSpec
from nnviz.core.network import Architecture, Network
from nnviz.core.projection import last_hidden
from nnviz.gui.compare import embedding
from nnviz.gui.compare.plots import Plots
from nnviz.gui.compare.run import ComparisonView
from nnviz.gui.concurrency import CoalescedJobs
from nnviz.gui.look import themes

MAP_DIGITS = 2000
# The ten classes: matplotlib's "tab10" (distinct for most colour-blind viewers too, and named in the legend)
CLASS_COLOURS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
                 "#bcbd22", "#17becf")


def network_at(spec: RunSpec, sizes: tuple[int, int], flat: np.ndarray) -> Network:
    """The run's network with a snapshot's weights (sizes: its input and output widths)."""
    net = Network(Architecture((sizes[0], *spec.hidden, sizes[1]), spec.activation), seed=0)
    net.adopt(np.asarray(flat, net.dtype))
    return net


def compute_map(job, spec: RunSpec, sizes: tuple[int, int], flat: np.ndarray, x: np.ndarray,
                previous: np.ndarray | None, method: str = "PCA") -> tuple[np.ndarray, np.ndarray, str]:
    """(xy (n, 2), predicted class (n,), method) of the digits x under the snapshot's weights (runs in a pool
    thread; job.cancelled: the app is quitting), placed by `method` (embedding.METHODS). The prediction is
    argmax z of the output layer on the same a (softmax keeps the order of z)."""
    net = network_at(spec, sizes, flat)
    with np.errstate(all="ignore"):
        a = last_hidden(net, x)
        out = net.dense[-1]
        predicted = np.argmax(a @ out.W.T + out.b, axis=1)
        a = np.nan_to_num(a, posinf=0.0, neginf=0.0)
    return embedding.project(method, a, previous, stop=lambda: job.cancelled), predicted, method


class HiddenMapView(QWidget):
    digitChosen = Signal(int)  # the index of the clicked test digit
    useRequested = Signal(int, int)  # (run, snapshot): make these weights the app's model

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("compareMap")
        self.run = QComboBox(objectName="mapRun", toolTip="Whose hidden layer")
        self.method = self._methods()
        self.busy = QProgressBar(objectName="mapBusy", minimum=0, maximum=0, textVisible=False,
                                 toolTip="The t-SNE map is being computed (a few seconds)")
        self.busy.setMaximumWidth(70)
        self.busy.hide()
        self.slider = QSlider(Qt.Orientation.Horizontal, objectName="mapMoment",
                              toolTip="Scrub the run's history: the map at that moment of training ([ and ] step)")
        self.slider.setMaximum(0)
        self.moment = QLabel(objectName="mapMomentLabel")
        self.use = QPushButton("Use these weights", objectName="useRunButton",
                               toolTip="Make this run's weights at this moment the app's model: the network view, "
                                       "the Draw tab and the inspector show it; File → Save keeps it")
        self.plots = Plots("mapPlot")
        self.plot = self.plots.add(0, 0, "last hidden layer, PCA of its activations", "1st principal direction",
                                   "2nd principal direction")
        # one item per class (one brush each: ~4 times quicker to move than 2,000 brushes in one item)
        self.classes = [pg.ScatterPlotItem(size=5, pen=None, brush=c) for c in CLASS_COLOURS]
        self.rings = pg.ScatterPlotItem(size=11, brush=None, symbol="o")
        for item in (*self.classes, self.rings):
            self.plot.addItem(item)
        self.legend = self._legend()
        self._build()
        self.x = self.labels = None
        self.sizes = (784, 10)
        self.view: ComparisonView | None = None
        self.xy: np.ndarray | None = None
        self.jobs = CoalescedJobs(self, pass_handle=True)
        self.jobs.done.connect(self._on_map)
        self.jobs.failed.connect(self._on_failed)
        self._shown: tuple | None = None  # (run, snapshot's t, digits) of the map asked for last
        self.run.currentIndexChanged.connect(lambda _: self._on_run())
        self.method.currentIndexChanged.connect(lambda _: self._on_run())
        self.slider.valueChanged.connect(lambda _: self.request())
        for item in self.classes:
            item.sigClicked.connect(self._clicked)
        self.use.clicked.connect(lambda: self.useRequested.emit(self.run.currentIndex(), self.slider.value()))

    def _build(self) -> None:
        top = QHBoxLayout()
        top.addWidget(QLabel("Run"))
        top.addWidget(self.run)
        top.addWidget(self.method)
        top.addWidget(self.slider, 1)
        top.addWidget(self.busy)
        top.addWidget(self.moment)
        top.addWidget(self.use)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.plots, 1)
        layout.addWidget(self.legend)

    def _methods(self) -> QComboBox:
        """PCA, and t-SNE where scikit-learn is installed (else greyed, saying how to get it)."""
        box = QComboBox(objectName="mapMethod")
        box.addItems(embedding.METHODS)
        box.setToolTip("PCA: the two directions along which the activations vary most (distances mean something). "
                       "t-SNE: each digit near its nearest neighbours, the classes as islands (a few seconds; "
                       "sizes and gaps mean little)")
        problem = embedding.tsne_problem()
        if problem:
            item = box.model().item(embedding.METHODS.index("t-SNE"))
            item.setEnabled(False)
            item.setToolTip(problem)
        return box

    def _legend(self) -> QLabel:
        """The classes' colours, under the map (inside it, a legend covers a cluster)."""
        swatches = " ".join(f"<span style='color:{c}'>●</span>&nbsp;{d}&nbsp;" for d, c in enumerate(CLASS_COLOURS))
        return QLabel(f"true digit: {swatches} &nbsp; ◯ misread (the network's answer is another digit)",
                      objectName="mapLegend")

    def set_digits(self, x: np.ndarray, labels: np.ndarray) -> None:
        """The test digits to place (the first MAP_DIGITS)."""
        self.x, self.labels = x[:MAP_DIGITS], np.asarray(labels[:MAP_DIGITS])
        self.sizes = (int(x.shape[1]), max(10, int(np.max(labels)) + 1))
        self.xy = None
        self._shown = None
        self.request()

    def show_view(self, view: ComparisonView) -> None:
        names = [r.name for r in view.runs]
        if names != [self.run.itemText(i) for i in range(self.run.count())]:
            self.run.blockSignals(True)
            self.run.clear()
            self.run.addItems(names)
            self.run.blockSignals(False)
            self.xy = self._shown = None
        at_end = self.slider.value() >= self.slider.maximum()
        self.view = view
        run = view.runs[max(0, self.run.currentIndex())]
        self.slider.blockSignals(True)
        self.slider.setMaximum(max(0, len(run.snapshots) - 1))
        if at_end:  # following the run: stay at its latest moment
            self.slider.setValue(self.slider.maximum())
        self.slider.blockSignals(False)
        self.request()

    def _on_run(self) -> None:
        self.xy = self._shown = None
        if self.view is not None:
            self.show_view(self.view)

    def step(self, delta: int) -> None:
        self.slider.setValue(self.slider.value() + delta)

    def request(self) -> None:
        """Compute the map of the chosen run at the chosen snapshot (off the GUI thread)."""
        if self.view is None or self.x is None or not self.view.runs:
            return
        k = max(0, self.run.currentIndex())
        run = self.view.runs[k]
        if not run.snapshots:
            return
        snap = run.snapshots[min(self.slider.value(), len(run.snapshots) - 1)]
        self.moment.setText(f"after {snap.t:,} batches")
        method = self.method.currentText()
        if self._shown == (k, snap.t, id(self.x), method):
            return  # (a new record with the same snapshot: nothing moves)
        self._shown = (k, snap.t, id(self.x), method)
        self.busy.setVisible(method != "PCA")  # (PCA takes ~20 ms: no bar flashing while scrubbing)
        self.jobs.request(compute_map, (run.spec, self.sizes, snap.flat, self.x, self.xy, method))

    def _on_failed(self, generation: int, text: str) -> None:
        self.busy.setVisible(self.jobs.busy)
        self.plot.setTitle(f"no map: {text}")

    def _on_map(self, generation: int, result) -> None:
        xy, predicted, method = result
        self.busy.setVisible(self.jobs.busy)
        if method != self.method.currentText():
            return  # (a map of the method before: the one asked for now follows)
        self.xy = xy
        for digit, item in enumerate(self.classes):
            mine = np.flatnonzero(self.labels % 10 == digit)
            item.setData(pos=xy[mine], data=mine)
        wrong = predicted != self.labels
        fg = themes.colours(themes.current().name)["plot_fg"]
        self.rings.setData(pos=xy[wrong], pen=pg.mkPen(fg, width=1), brush=None)
        self.plot.setTitle(f"last hidden layer, {method} of its activations: {int(np.count_nonzero(wrong))} of "
                           f"{len(wrong):,} test digits misread (ringed)")
        axes = ("1st principal direction", "2nd principal direction") if method == "PCA" else ("t-SNE 1", "t-SNE 2")
        self.plot.setLabel("bottom", axes[0])
        self.plot.setLabel("left", axes[1])

    def _clicked(self, _item, points, *_) -> None:
        if len(points):
            self.digitChosen.emit(int(points[0].data()))
