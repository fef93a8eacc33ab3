"""TrainingSession: what the training buttons do. Ties the panel, the curves, the data and the worker
thread to the shared AppState. The GUI thread never runs a training step: it only copies the
worker's weight snapshots into the GUI's network (state.set_weights), a few times per second.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from nnviz.core.network import Architecture, Network
from nnviz.core.preprocess import wants_deskew
from nnviz.core.training import Finished
from nnviz.gui.state import UNTRAINED, AppState, RunStatus
from nnviz.gui.training import fine_tune
from nnviz.gui.training.curves import CurvesWidget
from nnviz.gui.training.data_dialogs import DataProvider
from nnviz.gui.training.panel import TrainPanel
from nnviz.gui.training.worker import TrainingController


class TrainingSession(QObject):
    message = Signal(str)  # one line for the status bar
    diverged = Signal(str)  # a run diverged; the text explains and suggests a smaller learning rate
    runFinished = Signal(object)  # core Finished of every run
    aboutToStart = Signal()  # a run is about to be asked for (a rewound training history commits its moment)

    def __init__(self, state: AppState, panel: TrainPanel, curves: CurvesWidget, provider: DataProvider,
                 parent_widget: QWidget | None = None) -> None:
        super().__init__(parent_widget)
        self.state, self.panel, self.curves, self.provider = state, panel, curves, provider
        self.parent_widget = parent_widget
        self.controller = TrainingController(self)
        # Asked before weights are thrown away, with what would replace them ("Fresh random weights"): True to
        # go on. The window sets its Save / Discard / Cancel question (MainWindow.ok_to_lose_work); tests
        # replace it (e.g. lambda action: True).
        self.confirm_discard: Callable[[str], bool] = self._ask
        # Start on trained weights asks: fine_tune.FINE_TUNE, FRESH, KEEP (the form's α) or None (cancel).
        self.choose_start: Callable[[str], str | None] = lambda text: fine_tune.ask_start(self.parent_widget, text)
        self.divergence_box: QMessageBox | None = None
        self.epochs, self._n_train = 1, 0  # the run's epochs and training examples
        self._pending: str | None = None  # "start" or "step" while the data loads
        self._fresh = False  # the pending start begins from fresh random weights
        self.history = None  # a core.history.History every run records into (gui/training/history.py sets it)
        self._wire()
        panel.show_architecture(state.network.arch)

    def _wire(self) -> None:
        p, c = self.panel, self.controller
        p.startRequested.connect(self.start)
        p.pauseRequested.connect(self.toggle_pause)
        p.stepRequested.connect(self.step)
        p.stopRequested.connect(self.stop)
        p.resetRequested.connect(self.reset_weights)
        p.architectureRequested.connect(self.set_architecture)
        c.batchDone.connect(self._on_batch)
        c.epochDone.connect(self._on_epoch)
        c.weightsReady.connect(self.state.set_weights)
        c.pausedAt.connect(self._on_paused)
        c.finished.connect(self._on_finished)
        c.failed.connect(lambda text: self.message.emit(f"Training failed: {text}"))
        self.provider.ready.connect(self._on_data)
        self.provider.failed.connect(self._on_data_failed)
        self.provider.status.connect(self.message)
        self.state.runChanged.connect(self._show_run)
        self.state.networkChanged.connect(self._forget_run)

    # --- buttons ---------------------------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self.controller.running

    def start(self) -> None:
        """Train from the current weights (after confirming an architecture change in the form)."""
        self._begin("start")

    def step(self) -> None:
        """Exactly one minibatch: pauses a running run first; from idle, starts a paused run."""
        if self.running:
            self.controller.step(1)
        else:
            self._begin("step")

    def toggle_pause(self) -> None:
        if not self.running:
            return
        if self.state.run == RunStatus.PAUSED:
            self.controller.resume()
            self.state.set_run(RunStatus.RUNNING)
        else:
            self.controller.pause()  # paused once the worker says so (pausedAt)

    def stop(self) -> None:
        self._pending = None
        self.controller.stop()

    def shutdown(self, timeout_ms: int | None = 1000) -> bool:
        """Stop and join the worker thread (window closing; None: however long). True when it ended in time."""
        self._pending = None
        return self.controller.shutdown(timeout_ms)

    def end_run(self, timeout_ms: int | None = None) -> bool:
        """Before the network is replaced: the run (and a start waiting for data) ends for good and
        nothing from it reaches the new network. True when its thread has ended (else it ends unheard)."""
        self._pending = None
        return self.controller.discard(timeout_ms)

    def reset_weights(self) -> None:
        """Fresh random weights (the form's seed) for the current architecture, after offering to save
        unsaved weights (confirm_discard)."""
        if self.running or not self.confirm_discard("Fresh random weights"):
            return
        self._fresh_weights()

    def _fresh_weights(self) -> None:
        self._new_network(self.state.network.arch)
        self.message.emit(f"New random weights (seed {self.panel.seed_spin.value()})")

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
        net = Network(arch, seed=self.panel.seed_spin.value())
        card = {"note": UNTRAINED, "preprocess": self.state.card.get("preprocess", {})}
        self.state.set_network(net, card)

    def _forget_run(self) -> None:
        """A different network: nothing the panel, the curves or a dialog says about the old one stays."""
        self.panel.show_architecture(self.state.network.arch)
        self.panel.clear_run()
        self.curves.clear()
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
            self.panel.summary.setText(f"Cannot start: {exc}")
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
            self.panel.lr_spin.setValue(cfg.lr)
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
        self.epochs, self._n_train = self._cfg.epochs, len(data.x_train)
        self.curves.start_run(self._cfg.epochs)
        self.controller.start(self.state.network, data, self._cfg, paused=(what == "step"), history=self.history)
        if what == "step":
            self.controller.step(1)
        self.state.set_run(RunStatus.RUNNING)  # (a step's run is paused once its batch is done: pausedAt)
        self.message.emit(f"Training on {len(data.x_train):,} images: {self._cfg.optimizer}, "
                          f"α = {self._cfg.lr:g}, batch {self._cfg.batch_size}, {self._cfg.epochs} epochs")

    def _on_data_failed(self, text: str) -> None:
        self._pending, self._fresh = None, False
        self.message.emit("No training data: " + text.splitlines()[0][:200] if text else "No training data")

    # --- the worker's news -----------------------------------------------------------------------
    def _show_run(self, status: str) -> None:
        """The panel's buttons and progress follow the state's run status."""
        paused = status == RunStatus.PAUSED
        self.panel.set_running(self.state.training, paused)
        if paused:
            self.panel.show_status(self.panel.progress.format().split(" (paused)")[0] + " (paused)")

    def _on_paused(self, _event) -> None:
        if self.controller.paused:  # (not a pause that a quick Resume has already ended)
            self.state.set_run(RunStatus.PAUSED)

    def _on_batch(self, event, loss_avg: float) -> None:
        self.curves.add_batch(event, loss_avg)
        self.panel.show_batch(event, self.epochs)
        if self.state.run == RunStatus.PAUSED:
            self.panel.show_status(self.panel.progress.format() + " (paused)")

    def _on_epoch(self, event) -> None:
        self.curves.add_epoch(event)
        self.panel.show_epoch(event)
        card = {k: v for k, v in self.state.card.items() if not (k == "note" and v == UNTRAINED)}
        if event.test_accuracy is not None:
            card["test_accuracy"] = round(float(event.test_accuracy), 4)
        card["trained_in_app"] = True
        self.state.set_card(card)

    def _on_finished(self, event: Finished) -> None:
        if event.samples != event.epochs_done * self._n_train and "test_accuracy" in self.state.card:
            # the weights moved on after the last epoch's test: its accuracy is not theirs (core.evaluate's is)
            self.state.set_card({k: v for k, v in self.state.card.items() if k != "test_accuracy"})
        self.state.set_run(RunStatus.DIVERGED if event.reason == "diverged" else RunStatus.FINISHED)
        self.runFinished.emit(event)
        if event.reason == "diverged":
            self.curves.mark_divergence(event.loss)
            self._show_divergence(event.message)
        elif event.reason == "failed":
            self.panel.show_status("training failed")
            self.message.emit(f"Training failed: {event.message}")
        else:
            self.panel.show_status(f"{event.reason}: {event.samples:,} samples in {event.seconds:.1f} s")
            self.message.emit(f"Training {event.reason} after {event.epochs_done} epochs")

    def _show_divergence(self, text: str) -> None:
        self.panel.show_status("diverged: weights restored")
        box = QMessageBox(QMessageBox.Icon.Warning, "nnviz: training diverged", text, QMessageBox.StandardButton.Ok,
                          self.parent_widget)
        box.setObjectName("divergedDialog")
        box.setWindowModality(Qt.WindowModality.NonModal)
        box.setInformativeText("The steps were so large that the weights flew off. "
                               "Lower the learning rate α (by 10×) and start again.")  # (the text says how far J got)
        box.show()  # non-modal: tests and the event loop carry on
        self.divergence_box = box
        self.message.emit(text)
        self.diverged.emit(text)

    def _ask(self, action: str) -> bool:
        text = f"{action} replace the current weights. Go on?"
        answer = QMessageBox.question(self.parent_widget, "nnviz: discard the weights?", text)
        return answer == QMessageBox.StandardButton.Yes
