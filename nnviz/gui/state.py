"""The application's one source of truth: the network and its file, the training run, the input.

    state = AppState(network, card, path=model_file)
    state.networkChanged.connect(view.forget_everything)   # a different network: old facts go
    state.set_weights(flat)                                  # new weights: modified, retraced

Views take an AppState in __init__ and react to its signals (the napari pattern); they never keep a
copy of these facts (card, file, modified, run status) and never compute anything beyond calling
core. Every fact is a read-only property with one setter, and every change emits a signal.

The training run (training/run.py) trains its *own* copy of the network and sends weight copies here
(set_weights); the GUI's network is never changed in place by another thread, nor by this one: new
weights replace its parameter buffer (Network.adopt), so the trace shares W with it, read-only, and
pictures made from an older trace or W stay true.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

import numpy as np
from PySide6.QtCore import QObject, Signal

from nnviz.core.gradscale import default_target
from nnviz.core.network import Network
from nnviz.core.pixels import as_input
from nnviz.core.trace import Trace, frozen


class RunStatus(StrEnum):
    IDLE = "idle"  # no run since this network was made or opened
    RUNNING = "running"
    PAUSED = "paused"  # a run that waits (between batches) for resume, step or stop
    FINISHED = "finished"  # the last run ended: completed, stopped or failed
    DIVERGED = "diverged"  # the last run diverged; its last good weights were restored


ACTIVE = (RunStatus.RUNNING, RunStatus.PAUSED)
UNTRAINED = "untrained: fresh random weights"  # the card note of fresh weights (the first epoch drops it)


class AppState(QObject):
    networkChanged = Signal()  # a different network (new architecture, reset, opened file): forget the old one
    weightsChanged = Signal()  # same architecture, new weights (training, an applied update)
    cardChanged = Signal(object)  # the model card (dict) of the network
    pathChanged = Signal(object)  # the model's file (Path), or None when it belongs to no file
    modifiedChanged = Signal(bool)  # the weights differ from the file's (or were never saved)
    runChanged = Signal(str)  # a RunStatus
    trainingChanged = Signal(bool)  # a run started (True: running or paused) or ended (False)
    inputChanged = Signal()  # a new input x (drawing, dataset sample)
    traceChanged = Signal(object)  # the Trace of the current input (None when there is no input)
    targetChanged = Signal(int)  # the class the backward pass aims at (-1: none)
    dataNeeded = Signal(str, object)  # (why, retry()): MNIST is missing; the window asks for its folder, then retries

    def __init__(self, network: Network, card: dict | None = None, *, path: str | Path | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._network = network
        self._card: dict = dict(card or {})
        self._path: Path | None = None if path is None else Path(path)
        self._modified = False
        self._run = RunStatus.IDLE
        self._x: np.ndarray | None = None
        self._label: int | None = None
        self._source = ""
        self._chosen_target: int | None = None
        self._default_target: tuple[int, str] | None = None  # (target, why) when the user chose none
        self._trace: Trace | None = None
        self._data_dir: Path | None = None

    # --- facts, read-only (one setter each) ------------------------------------------------------
    @property
    def network(self) -> Network:
        """The GUI's network (set_network for another one, set_weights for new weights)."""
        return self._network

    @property
    def card(self) -> dict:
        """The model card: architecture, training, test accuracy, note. Never change it in place:
        set_card / update_card (which signal)."""
        return self._card

    @property
    def path(self) -> Path | None:
        """The file the network was opened from or saved to; None for a fresh network."""
        return self._path

    @property
    def modified(self) -> bool:
        """The weights changed since they were opened or saved (or were never saved)."""
        return self._modified

    @property
    def run(self) -> RunStatus:
        return self._run

    @property
    def training(self) -> bool:
        """A run exists (running or paused): the weights are the run's, not the user's."""
        return self._run in ACTIVE

    @property
    def busy(self) -> bool:
        """A run is running (not paused): views that edit or inspect the weights wait."""
        return self._run == RunStatus.RUNNING

    @property
    def x(self) -> np.ndarray | None:
        """The current input, (n_in,) float32 in [0, 1], or None."""
        return self._x

    @property
    def label(self) -> int | None:
        """The current input's true class when it comes from a dataset."""
        return self._label

    @property
    def source(self) -> str:
        """Where the current input comes from: "canvas", "dataset", ..."""
        return self._source

    @property
    def chosen_target(self) -> int | None:
        """A target the user picked for the backward pass (overrides the label)."""
        return self._chosen_target

    @property
    def target_reason(self) -> str:
        """Why the backward pass aims at `target`: the user's choice, or what the default shows."""
        if self._chosen_target is not None:
            return f"your choice: {self._chosen_target}"
        return self._default_target[1] if self._default_target is not None else ""

    @property
    def data_dir(self) -> Path | None:
        """The MNIST folder given with --data (or chosen instead of it), else None: core.data's search
        ($NNVIZ_DATA, the folder chosen in the app, the cache) decides, for every view alike."""
        return self._data_dir

    def set_data_dir(self, folder: str | Path | None) -> None:
        self._data_dir = None if folder is None else Path(folder)

    def need_data(self, why: str, retry) -> None:
        """MNIST could not be found for an action: the window asks for its folder, then calls retry()."""
        self.dataNeeded.emit(why, retry)

    @property
    def trace(self) -> Trace | None:
        """The current input's forward and backward pass through the network (None without an input)."""
        return self._trace

    # --- the network ---------------------------------------------------------------------------
    def set_network(self, network: Network, card: dict | None = None, path: str | Path | None = None) -> None:
        """A different network. With a path it was just opened from that file (not modified);
        without one it is fresh (reset, new architecture), belongs to no file and is unsaved."""
        self._network = network
        self._retrace(emit=False, choose=True)  # views hearing networkChanged must find a trace of the new network
        if not self.training:
            self._set_run(RunStatus.IDLE)  # the last run's outcome was about the old network
        self.set_card(card or {})
        self._set_path(path)
        self._set_modified(path is None)
        self.networkChanged.emit()
        self.traceChanged.emit(self.trace)

    def set_weights(self, flat: np.ndarray) -> None:
        """Take a flat parameter vector (same layout as network.flat) as the GUI's network's weights."""
        if self._modified or not np.array_equal(self._network.flat, flat):  # (compared only while unmodified)
            self._network.adopt(self._read_only(flat))  # a new buffer: traces keep the old one
            self._set_modified(True)
        self.weightsChanged.emit()
        self._retrace()

    def restore_weights(self, flat: np.ndarray, card: dict, modified: bool) -> None:
        """Weights, card and modified flag back as they were before a change (an undo): set_weights, then the
        card (its test accuracy) and the flag from then."""
        self.set_weights(flat)
        self.set_card(card)
        self._set_modified(modified)

    def show_weights(self, flat: np.ndarray) -> None:
        """Weights shown for a while (a moment of the training history): taken by the GUI's network and
        signalled like set_weights, but the modified flag stays; the caller puts the latest weights back."""
        self._network.adopt(self._read_only(flat))
        self.weightsChanged.emit()
        self._retrace()

    def _read_only(self, flat: np.ndarray) -> np.ndarray:
        """flat itself when it is a read-only array owning its data (the worker's snapshots: at 9.6 M
        weights a copy costs the GUI thread 5-10 ms); else a read-only copy."""
        if (isinstance(flat, np.ndarray) and flat.dtype == self._network.dtype and flat.flags.owndata
                and not flat.flags.writeable):
            return flat
        return frozen(np.asarray(flat, self._network.dtype))

    def set_card(self, card: dict) -> None:
        self._card = dict(card)
        self.cardChanged.emit(self._card)

    def update_card(self, **changes) -> None:
        """Some entries of the card (e.g. test_accuracy after an epoch), the rest kept."""
        self.set_card({**self._card, **changes})

    def mark_saved(self, path: str | Path, card: dict) -> None:
        """The network was written to path with this card: not modified any more."""
        self.set_card(card)
        self._set_path(path)
        self._set_modified(False)

    def _set_path(self, path: str | Path | None) -> None:
        path = None if path is None else Path(path)
        if path != self._path:
            self._path = path
            self.pathChanged.emit(path)

    def _set_modified(self, modified: bool) -> None:
        if modified != self._modified:
            self._modified = modified
            self.modifiedChanged.emit(modified)

    # --- the training run ----------------------------------------------------------------------
    def set_run(self, status: RunStatus | str) -> None:
        self._set_run(RunStatus(status))

    def _set_run(self, status: RunStatus) -> None:
        if status == self._run:
            return
        was_training = self.training
        self._run = status
        self.runChanged.emit(str(status))
        if self.training != was_training:
            self.trainingChanged.emit(self.training)

    # --- the input -----------------------------------------------------------------------------
    def set_input(self, x: np.ndarray | None, label: int | None = None, source: str = "canvas") -> None:
        """A new input (784,) in [0, 1], or None to clear it. label: its true class when known."""
        self._x = None if x is None else as_input(x).reshape(-1)  # uint8 pixels are / 255
        self._label, self._source = label, source
        self._chosen_target = None
        self.inputChanged.emit()
        self._retrace(announce_target=True, choose=True)

    @property
    def target(self) -> int | None:
        """The class the backward pass aims at: the user's choice, else the one that shows learning
        (gradscale.default_target: the label where the network is wrong or unsure, else the runner-up)."""
        if self.chosen_target is not None:
            return self.chosen_target
        if self._default_target is not None:
            return self._default_target[0]
        return self.label

    def set_target(self, target: int | None) -> None:
        self._chosen_target = target
        self._retrace(announce_target=True)

    def _pick_target(self, y_hat: np.ndarray) -> int | None:
        """The default target for this prediction (during the trace's one forward pass), then the target."""
        self._default_target = default_target(y_hat, self._label)
        return self.target

    def _retrace(self, emit: bool = True, announce_target: bool = False, choose: bool = False) -> None:
        """Trace the input again; targetChanged follows traceChanged when the target moved (or when asked).
        choose: pick the default target anew (a new input or network); new weights keep it, so an applied
        update or a training run goes on aiming at the same y."""
        before = self.target
        if self._x is not None and self._x.size != self._network.sizes[0]:
            self._x = None  # an input of the old network's size means nothing to this one
        if self._x is None:
            self._trace, self._default_target = None, None
        else:
            target = self._pick_target if choose or self._default_target is None else self.target
            self._trace = self._network.trace(self._x, target, share_weights=True)  # see set_weights
        if emit:
            self.traceChanged.emit(self.trace)
            if announce_target or self.target != before:
                self.targetChanged.emit(-1 if self.target is None else self.target)
