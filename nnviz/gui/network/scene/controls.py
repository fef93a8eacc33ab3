"""The network scene's small controls row: what colours neurons and edges, which edges, view, export.

A QToolBar, so that on a narrow window what does not fit folds into its » overflow menu instead of
forcing a horizontal scroll bar.
"""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QCheckBox, QComboBox, QFileDialog, QLabel, QSizePolicy, QSpinBox, QToolBar, QWidget


def _combo(name: str, items: list[tuple[str, str]], tip: str) -> QComboBox:
    box = QComboBox()
    box.setObjectName(name)
    for text, data in items:
        box.addItem(text, data)
    box.setToolTip(tip)
    return box


class SceneControls(QToolBar):
    """Combos and buttons that call the NetworkView's public methods (it keeps no state of its own)."""

    def __init__(self, view, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("sceneControls")
        self.setMovable(False)
        self.setIconSize(QSize(16, 16))
        self.view = view
        self.neuron = _combo("neuronQuantity", [("activation a", "a"), ("pre-activation z", "z")],
                             "What colours the neurons: a = g(z), or z = W·a_prev + b")
        self.scale = _combo("colourScale", [("scale per layer", "layer"), ("one scale", "global")],
                            "Per layer: each layer uses its own colour range (its max is the top colour).\n"
                            "One scale: all layers share one range, so layers compare directly.")
        self.edge_q = _combo("edgeQuantity", [("weight w", "w"), ("contribution w·a", "wa")],
                             "What colours the edges: the weight w, or its contribution w·a to the next z "
                             "for the current input")
        self.mode = _combo("edgeMode", [("strongest k", "topk"), ("hovered neuron", "hover"),
                                        ("all edges (faint)", "all"), ("no edges", "none")],
                           "Which edges are drawn: the k strongest, only the hovered/selected neuron's,\n"
                           "all 266,200 as a faint picture (rendered in the background), or none")
        self.k = QSpinBox()
        self.k.setObjectName("edgeK")
        self.k.setRange(1, 50000)
        self.k.setValue(view.model.k)
        self.k.setToolTip("How many of the strongest edges to draw: in all, or with 'per neuron' into each neuron")
        self.per_target = QCheckBox("per neuron")
        self.per_target.setObjectName("perTarget")
        self.per_target.setToolTip("k counts the strongest edges into each neuron (every neuron keeps its own k)\n"
                                   "instead of the strongest k of the whole network")
        reset = QAction("Reset view", self)
        reset.setObjectName("resetView")
        reset.setToolTip("Fit the whole network (wheel zooms, drag pans)")
        self.three_d = QAction("3-D", self)
        self.three_d.setObjectName("view3dToggle")
        self.three_d.setCheckable(True)
        self.three_d.setToolTip("The network in 3-D, as the lecture's slides show it (Harley's view): layers as planes "
                                "of squares in depth; drag to turn it (remembered)")
        export = QAction("Export…", self)
        export.setObjectName("exportScene")
        export.setToolTip("Save the scene as PNG or SVG")
        for w in (QLabel(" Neurons: "), self.neuron, self.scale, QLabel("  Edges: "), self.edge_q, self.mode,
                  QLabel(" k "), self.k, self.per_target):
            self.addWidget(w)
        spacer = QWidget()
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.addWidget(spacer)  # Reset and Export stay at the right end
        self.addAction(self.three_d)
        self.addAction(reset)
        self.addAction(export)
        self.neuron.currentIndexChanged.connect(lambda: view.model.set_neuron_quantity(self.neuron.currentData()))
        self.scale.currentIndexChanged.connect(lambda: view.model.set_scale(self.scale.currentData() == "layer"))
        self.edge_q.currentIndexChanged.connect(lambda: view.model.set_edge_quantity(self.edge_q.currentData()))
        for sig in (self.mode.currentIndexChanged, self.k.editingFinished):
            sig.connect(self._edge_mode)
        self.per_target.toggled.connect(self._per_target)
        reset.triggered.connect(view.reset_view)
        self.three_d.toggled.connect(view.set_3d)
        export.triggered.connect(self._export)

    def sync(self) -> None:
        """Show the view's current options (after a programmatic change) without re-triggering them."""
        m = self.view.model
        for w, value in ((self.neuron, m.neuron_quantity), (self.edge_q, m.edge_quantity), (self.mode, m.edge_mode),
                         (self.scale, "layer" if m.per_layer else "global")):
            w.blockSignals(True)
            w.setCurrentIndex(max(0, w.findData(value)))
            w.blockSignals(False)
        self.per_target.blockSignals(True)
        self.per_target.setChecked(m.per_target)
        self.per_target.blockSignals(False)
        self.k.blockSignals(True)
        self.k.setMaximum(m.k_limit(m.per_target))  # k means something up to here (before the value)
        self.k.setValue(m.k)
        self.k.setSingleStep(1 if m.per_target else 500)
        self.k.blockSignals(False)

    def _edge_mode(self, *args) -> None:
        self.view.model.set_edge_mode(self.mode.currentData(), self.k.value(), self.per_target.isChecked())

    def _per_target(self, on: bool) -> None:
        """k changes meaning (in all <-> into each neuron): convert it so that about as many edges stay drawn."""
        self.view.model.set_edge_mode(self.mode.currentData(), self.view.model.k_for(on), on)

    def _export(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export scene", "network.png", "PNG (*.png);;SVG (*.svg)")
        if path:
            self.view.export(path)
