"""TrainingSession: what the Train buttons and menu do before and around a run. It reads the training
panel's form, asks what must be asked (a trained model: fine-tune or fresh weights; unsaved weights:
Save / Discard / Cancel), waits for the data, starts the window's TrainingRun (run.py) and explains a run
that diverged. What a run reports goes from the run straight to the views that follow it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from nnviz.core.network import Architecture, Network
from nnviz.core.preprocess import wants_deskew
from nnviz.core.training import Finished
from nnviz.gui.state import UNTRAINED, AppState
from nnviz.gui.training import fine_tune
from nnviz.gui.training.data_dialogs import DataProvider
from nnviz.gui.training.panel import TrainPanel
from nnviz.gui.training.run import TrainingRun


class TrainingSession(QObject):
    message = Signal(str)  # one line for the status bar
    aboutToStart = Signal()  # a run is about to be asked for (a rewound training history commits its moment)

    def __init__(self, state: AppState, run: TrainingRun, panel: TrainPanel, provider: DataProvider,
                 parent_widget: QWidget | None = None) -> None:
        super().__init__(parent_widget)
        self.state, self.run, self.panel, self.provider = state, run, panel, provider
        self.parent_widget = parent_widget
        # Asked before weights are thrown away, with what would replace them ("Fresh random weights"): True to
        # go on. The window sets its Save / Discard / Cancel question (MainWindow.ok_to_lose_work); tests
        # replace it (e.g. lambda action: True).
        self.confirm_discard: Callable[[str], bool] = self._ask
        # Start on trained weights asks: fine_tune.FINE_TUNE, FRESH, KEEP (the form's α) or None (cancel).
        self.choose_start: Callable[[str], str | None] = lambda text: fine_tune.ask_start(self.parent_widget, text)
        self.divergence_box: QMessageBox | None = None
        self._pending: str | None = None  # "start" or "step" while the data loads
        self._fresh = False  # the pending start begins from fresh random weights
        self._wire()
        panel.show_architecture(state.network.arch)

    def _wire(self) -> None:
        p, r = self.panel, self.run
        p.startRequested.connect(self.start)
        p.pauseRequested.connect(r.toggle_pause)
        p.stepRequested.connect(self.step)
        p.stopRequested.connect(self.stop)
        p.resetRequested.connect(self.reset_weights)
        p.architectureRequested.connect(self.set_architecture)
        r.diverged.connect(lambda event: self._show_divergence(event.message))
        r.finished.connect(self._say_how_it_ended)
        r.failed.connect(lambda text: self.message.emit(f"Training failed: {text}"))
        r.cleared.connect(self._forget_run)
        self.provider.ready.connect(self._on_data)
        self.provider.failed.connect(self._on_data_failed)
        self.provider.status.connect(self.message)

    # --- buttons ---------------------------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self.run.running

    def start(self) -> None:
        """Train from the current weights (after confirming an architecture change in the form)."""
        self._begin("start")

    def step(self) -> None:
        """Exactly one minibatch: pauses a running run first; from idle, starts a paused run."""
        if self.running:
            self.run.step(1)
        else:
            self._begin("step")

    def stop(self) -> None:
        self._pending = None
        self.run.stop()

    def shutdown(self, timeout_ms: int | None = 1000) -> bool:
        """Stop and join the worker thread (window closing; None: however long). True when it ended in time."""
        self._pending = None
        return self.run.shutdown(timeout_ms)

    def end_run(self, timeout_ms: int | None = None) -> bool:
        """Before the network is replaced: the run (and a start waiting for data) ends for good and
        nothing from it reaches the new network. True when its thread has ended (else it ends unheard)."""
        self._pending = None
        return self.run.discard(timeout_ms)

    def reset_weights(self) -> None:
        """Fresh random weights (the form's seed) for the current architecture, after offering to save
        unsaved weights (confirm_discard)."""
        if self.running or not self.confirm_discard("Fresh random weights"):
            return
        self._fresh_weights()

    def _fresh_weights(self) -> None:
        self._new_network(self.state.network.arch)
        self.message.emit(f"New random weights (seed {self.panel.seed()})")

    def set_architecture(self, arch: Architecture) -> bool:
        """A new network with this architecture, after asking. False if the user said no."""
        if self.running:
            return False
        if arch == self.state.network.arch:
            return True
        if not self.confirm_discard(f"A new {arch.describe()} network ({arch.loss.replace('_', ' ')})"):
            self.panel.show_architecture(self.state.network.arch)
            return False
        self._new_network(arch)
        self.message.emit(f"New network {arch.describe()}: random weights, untrained")
        return True

    def _new_network(self, arch: Architecture) -> None:
        self.end_run()
        net = Network(arch, seed=self.panel.seed())
        card = {"note": UNTRAINED, "preprocess": self.state.card.get("preprocess", {})}
        self.state.set_network(net, card)

    def _forget_run(self) -> None:
        """A different network: the form shows it, and no dialog about the old one stays."""
        self.panel.show_architecture(self.state.network.arch)
        if self.divergence_box is not None:
            self.divergence_box.close()
            self.divergence_box = None

    # --- starting --------------------------------------------------------------------------------
    def _begin(self, what: str) -> None:
        if self.running or self._pending:
            return
        try:
            arch, cfg = self.panel.architecture(), self.panel.config()
        except ValueError as exc:  # (budget.TooBig too: the panel shows the estimate before any array exists)
            self.message.emit(f"Cannot start: {exc}")
            self.panel.show_problem(f"Cannot start: {exc}")
            return
        if arch != self.state.network.arch and not self.set_architecture(arch):
            return
        self.aboutToStart.emit()
        if what == "start" and fine_tune.is_trained(self.state):
            cfg = self._fine_tune_or_fresh(cfg)
            if cfg is None:
                return
        self._pending = what
        self._cfg = cfg
        self.provider.request(deskew=wants_deskew(self.state.card))

    def _fine_tune_or_fresh(self, cfg):
        """Trained weights: continue at a rate that keeps them, or start from fresh ones (None: cancelled)."""
        choice = self.choose_start(fine_tune.start_question(self.state, cfg.optimizer, cfg.lr))
        self._fresh = choice == fine_tune.FRESH  # fresh weights once the data is found (_on_data), not before
        if choice == fine_tune.FINE_TUNE:
            cfg = replace(cfg, lr=fine_tune.fine_tune_lr(cfg.optimizer, cfg.lr))
            self.panel.show_config(cfg)
            self.message.emit(f"Fine-tuning {self.state.path.name if self.state.path else 'the model'} "
                              f"from its weights at α = {cfg.lr:g}")
        return None if choice is None else cfg

    def _on_data(self, data) -> None:
        what, self._pending = self._pending, None
        if what is None or self.running:
            return
        if self._fresh:  # (the start question was the user's say: no second question)
            self._fresh = False
            self._fresh_weights()
        self.run.start(data, self._cfg, paused=(what == "step"))
        if what == "step":
            self.run.step(1)
        self.message.emit(f"Training on {len(data.x_train):,} images: {self._cfg.optimizer}, "
                          f"α = {self._cfg.lr:g}, batch {self._cfg.batch_size}, {self._cfg.epochs} epochs")

    def _on_data_failed(self, text: str) -> None:
        self._pending, self._fresh = None, False
        self.message.emit("No training data: " + text.splitlines()[0][:200] if text else "No training data")

    def _say_how_it_ended(self, event: Finished) -> None:
        if event.reason == "failed":
            self.message.emit(f"Training failed: {event.message}")
        elif event.reason != "diverged":
            self.message.emit(f"Training {event.reason} after {event.epochs_done} epochs")

    def _show_divergence(self, text: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, "nnviz: training diverged", text, QMessageBox.StandardButton.Ok,
                          self.parent_widget)
        box.setObjectName("divergedDialog")
        box.setWindowModality(Qt.WindowModality.NonModal)
        box.setInformativeText("The steps were so large that the weights flew off. "
                               "Lower the learning rate α (by 10×) and start again.")  # (the text says how far J got)
        box.show()  # non-modal: tests and the event loop carry on
        self.divergence_box = box
        self.message.emit(text)

    def _ask(self, action: str) -> bool:
        text = f"{action} replace the current weights. Go on?"
        answer = QMessageBox.question(self.parent_widget, "nnviz: discard the weights?", text)
        return answer == QMessageBox.StandardButton.Yes
