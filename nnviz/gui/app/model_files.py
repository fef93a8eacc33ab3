"""Model files in the window: which model it starts with, open / save (.npz), recent files."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog

from nnviz.core import modelio
from nnviz.core.network import Network
from nnviz.gui.app import settings
from nnviz.gui.state import UNTRAINED


def startup_model(path: str | Path | None = None) -> tuple[Network, dict, Path | None, str]:
    """(network, card, its file, status text): path, else the shipped model, else fresh random weights.
    A path that cannot be loaded is reported and the next candidate used."""
    problems = []
    for candidate in ([Path(path)] if path else []) + [modelio.SHIPPED_MODEL]:
        if not candidate.is_file():
            if candidate == (Path(path) if path else None):
                problems.append(f"{candidate} does not exist")
            continue
        try:
            net, card = modelio.load_model(candidate)
        except modelio.ModelError as exc:
            problems.append(str(exc))
            continue
        return net, card, candidate, "; ".join(problems + [f"Model {candidate.name} loaded"])
    note = "No trained model found: starting from fresh random weights (press Start to train)"
    return Network(seed=0), {"note": UNTRAINED}, None, "; ".join(problems + [note])


class ModelFilesMixin:
    """MainWindow's File > Open / Save. Needs self.state (which holds the file's path and the modified
    flag), session, history (the training timeline), _error, statusBar() and the modelLoaded signal."""

    def open_model(self, path: str | Path) -> bool:
        """Load a model file. A bad file shows an error and leaves the current model unchanged."""
        path = Path(path)
        try:
            net, card = modelio.load_model(path)
        except modelio.ModelError as exc:
            self._error("modelErrorDialog", "Cannot open the model", str(exc))
            return False
        self.session.end_run()  # the old run stops for good: nothing from it reaches the opened network
        self.state.set_network(net, card, path)
        self.history.load(path)  # its training history, if it was saved with one
        settings.add_recent_file(path)
        self.statusBar().showMessage(f"Opened {path}", 8000)
        self.modelLoaded.emit(str(path))
        return True

    def open_shipped_model(self) -> bool:
        """File > Open shipped model: back to the trained model that comes with nnviz, whatever happened."""
        if not modelio.SHIPPED_MODEL.is_file():
            self._error("modelErrorDialog", "No shipped model", f"{modelio.SHIPPED_MODEL} is missing")
            return False
        return self.open_model(modelio.SHIPPED_MODEL)

    def save_model(self, path: str | Path) -> bool:
        """Write the current weights and card to path (atomic)."""
        path = Path(path)
        if path.suffix != ".npz":
            path = path.with_suffix(".npz")
        try:
            extra = self.history.arrays_to_save()  # (leaves a rewind first: the file gets the latest weights)
            card = modelio.save_model(self.state.network, path, self.state.card, extra=extra)
        except OSError as exc:
            self._error("modelErrorDialog", "Cannot save the model", f"{path}: {exc.strerror or exc}")
            return False
        self.state.mark_saved(path, card)
        settings.add_recent_file(path)
        self.statusBar().showMessage(f"Saved {path}", 8000)
        return True

    def open_model_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open model", self._last_dir(), "nnviz models (*.npz)")
        if path:
            self.open_model(path)

    def save_model_dialog(self) -> None:
        start = str(Path(self._last_dir()) / (self.state.path.name if self.state.path else "model.npz"))
        path, _ = QFileDialog.getSaveFileName(self, "Save model", start, "nnviz models (*.npz)")
        if path:
            self.save_model(path)

    def _last_dir(self) -> str:
        recent = settings.recent_files()
        return str(Path(recent[0]).parent) if recent else str(Path.home())
