"""The application's shared model: the current network, the current input and its trace.

Views take an AppState in __init__ and react to its signals (the napari pattern); they never
compute anything themselves beyond calling core. The training worker trains its *own* copy of the
network and sends weight copies here (set_weights); the GUI's network is never changed in place
by another thread.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QObject, Signal

from nnviz.core.network import Network
from nnviz.core.trace import Trace


class AppState(QObject):
    networkChanged = Signal()  # a different network (architecture or a newly loaded model)
    weightsChanged = Signal()  # same architecture, new weights (training, an applied update)
    inputChanged = Signal()  # a new input x (drawing, dataset sample)
    traceChanged = Signal(object)  # the Trace of the current input (None when there is no input)
    targetChanged = Signal(int)  # the class the backward pass aims at (-1: none)
    trainingChanged = Signal(bool)  # training started (True) or ended/paused-for-good (False)

    def __init__(self, network: Network, card: dict | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.network = network
        self.card: dict = card or {}
        self.x: np.ndarray | None = None  # (n_in,) float32 in [0, 1]
        self.label: int | None = None  # the true label when the input comes from a dataset
        self.source: str = ""  # "canvas", "dataset", ...
        self.chosen_target: int | None = None  # a target the user picked (overrides the label)
        self.trace: Trace | None = None
        self.training = False

    # --- the network ---------------------------------------------------------------------------
    def set_network(self, network: Network, card: dict | None = None) -> None:
        self.network = network
        self.card = card or {}
        self._retrace(emit=False)  # views hearing networkChanged must find a trace of the new network
        self.networkChanged.emit()
        self.traceChanged.emit(self.trace)

    def set_weights(self, flat: np.ndarray) -> None:
        """Copy a flat parameter vector (same layout as network.flat) into the GUI's network."""
        self.network.flat[...] = flat
        self.weightsChanged.emit()
        self._retrace()

    def set_training(self, running: bool) -> None:
        if running != self.training:
            self.training = running
            self.trainingChanged.emit(running)

    # --- the input -----------------------------------------------------------------------------
    def set_input(self, x: np.ndarray | None, label: int | None = None, source: str = "canvas") -> None:
        """A new input (784,) in [0, 1], or None to clear it. label: its true class when known."""
        self.x = None if x is None else np.asarray(x, np.float32).reshape(-1)
        self.label, self.source = label, source
        self.chosen_target = None
        self.inputChanged.emit()
        self._retrace()
        self.targetChanged.emit(-1 if self.target is None else self.target)

    @property
    def target(self) -> int | None:
        """The class the backward pass aims at: the user's choice, else the true label, else the prediction."""
        if self.chosen_target is not None:
            return self.chosen_target
        if self.label is not None:
            return self.label
        return None if self.trace is None else self.trace.predicted

    def set_target(self, target: int | None) -> None:
        self.chosen_target = target
        self._retrace()
        self.targetChanged.emit(-1 if self.target is None else self.target)

    def _retrace(self, emit: bool = True) -> None:
        if self.x is not None and self.x.size != self.network.sizes[0]:
            self.x = None  # an input of the old network's size means nothing to this one
        if self.x is None:
            self.trace = None
        else:
            target = self.chosen_target if self.chosen_target is not None else self.label
            if target is None:  # aim the backward pass at the prediction itself
                target = int(np.argmax(self.network.predict_proba(self.x)))
            self.trace = self.network.trace(self.x, target)
        if emit:
            self.traceChanged.emit(self.trace)
