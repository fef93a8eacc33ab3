"""Model files in the window: which model it starts with, open (every format the app reads) and save
(.npz), recent files, and Save / Discard / Cancel before unsaved work would be lost (gui/app/unsaved.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QStandardPaths, SignalInstance
from PySide6.QtWidgets import QFileDialog, QInputDialog, QStatusBar

from nnviz.core import modelio
from nnviz.core.network import Network
from nnviz.gui import settings
from nnviz.gui.app import unsaved
from nnviz.gui.state import UNTRAINED, AppState
from nnviz.gui.training.session import TrainingSession
from nnviz.gui.training.timeline import Timeline
from nnviz.interop import FILE_FILTER, SUFFIXES, NeedsActivation, load_any

OPEN_FILTERS = FILE_FILTER.replace("Models (", "All models (") + ";;All files (*)"


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
    """MainWindow's File > Open / Save, and a model file dropped on the window. What it needs of the window:"""

    state: AppState  # the network, its card, its file and the modified flag
    session: TrainingSession  # the run ends for good before another network comes in
    timeline: Timeline  # a model's training history opens and saves with it
    modelLoaded: SignalInstance  # (path) emitted after a model file was opened

    show_error: Callable[[str, str, str], object]  # (objectName, title, text): a message box (MainWindow's)
    statusBar: Callable[[], QStatusBar]  # (QMainWindow's)

    def open_model(self, path: str | Path) -> bool:
        """Load a model file (.npz, .safetensors, .onnx). A bad file shows an error and leaves the current
        model unchanged; a file that does not say its activation or preprocessing asks for them."""
        path = Path(path)
        try:
            net, card = self._load_asking(path)
        except modelio.ModelError as exc:
            self.show_error("modelErrorDialog", "Cannot open the model", str(exc))
            return False
        if net is None:
            return False  # the user cancelled a question
        self.session.end_run()  # the old run stops for good: nothing from it reaches the opened network
        self.state.set_network(net, card, path)
        if path.suffix.lower() == ".npz":
            self.timeline.load(path)  # its training history, if it was saved with one
        settings.add_recent_file(path)
        self.statusBar().showMessage(f"Opened {path}", 8000)
        self.modelLoaded.emit(str(path))
        return True

    # --- a model file dropped on the window --------------------------------------------------------
    @staticmethod
    def dropped_model(mime) -> str | None:
        """The model file a drag carries (one local .npz, .safetensors or .onnx), else None."""
        urls = mime.urls() if mime.hasUrls() else []
        paths = [u.toLocalFile() for u in urls if u.isLocalFile()]
        if len(paths) == 1 and Path(paths[0]).suffix.lower() in SUFFIXES:
            return paths[0]
        return None

    def dragEnterEvent(self, event) -> None:
        if self.dropped_model(event.mimeData()) is not None:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event) -> None:
        path = self.dropped_model(event.mimeData())
        if path is None:
            event.ignore()
            return
        event.acceptProposedAction()
        self.open_model_asking(path)

    def _load_asking(self, path: Path):
        """(net, card) of path; what the file does not say (activation, preprocessing) is asked for.
        (None, None) when a question is cancelled."""
        chosen: dict[str, str] = {}
        while True:
            try:
                return load_any(path, **chosen)
            except NeedsActivation as exc:
                if not exc.missing or set(exc.missing) <= chosen.keys():
                    raise  # (answered already: asking again would never end)
                for name in exc.missing:
                    items = list(exc.choices[name])
                    text = {"activation": "the activation g of its hidden layers",
                            "preprocess": "how its input digits are preprocessed"}[name]
                    value, ok = QInputDialog.getItem(self, f"nnviz: {path.name}", f"The file does not say {text}:",
                                                     items, 0, False)
                    if not ok:
                        return None, None
                    chosen[name] = value

    def open_model_asking(self, path: str | Path) -> bool:
        """Open path, after offering to save unsaved work (Open recent, a dropped file)."""
        return self.ok_to_lose_work("Opening another model") and self.open_model(path)

    def open_shipped_model(self) -> bool:
        """File > Open shipped model: back to the trained model that comes with nnviz, whatever happened."""
        if not modelio.SHIPPED_MODEL.is_file():
            self.show_error("modelErrorDialog", "No shipped model", f"{modelio.SHIPPED_MODEL} is missing")
            return False
        return self.ok_to_lose_work("Opening the shipped model") and self.open_model(modelio.SHIPPED_MODEL)

    def ok_to_lose_work(self, action: str) -> bool:
        """Before the weights (and their training history) are replaced: True to go on. A modified model
        is offered for saving first (Save / Discard / Cancel); Save goes on only once it is saved."""
        if not self.state.modified:
            return True
        n = len(self.timeline.history) if self.timeline is not None else 0
        what = "its weights" + (f" and a training history of {n} snapshots" if n > 1 else "")
        answer = unsaved.ask(self, action, what)
        if answer == unsaved.SAVE:
            return self.save_model_dialog()
        return answer == unsaved.DISCARD

    def save_model(self, path: str | Path) -> bool:
        """Write the current weights and card to path (atomic)."""
        path = Path(path)
        if path.suffix != ".npz":
            path = path.with_suffix(".npz")
        try:
            extra = self.timeline.arrays_to_save()  # (leaves a rewind first: the file gets the latest weights)
            card = modelio.save_model(self.state.network, path, self.state.card, extra=extra)
        except OSError as exc:
            self.show_error("modelErrorDialog", "Cannot save the model", f"{path}: {exc.strerror or exc}")
            return False
        self.state.mark_saved(path, card)
        settings.add_recent_file(path)
        self.statusBar().showMessage(f"Saved {path}", 8000)
        return True

    def open_model_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open model", self._last_dir(), OPEN_FILTERS)
        if path:
            self.open_model_asking(path)

    def save_model_dialog(self) -> bool:
        """File > Save model…: asks where (the last folder used, else the user's documents). True if saved."""
        path, _ = QFileDialog.getSaveFileName(self, "Save model", str(self._save_start()), "nnviz models (*.npz)")
        return bool(path) and self.save_model(path)

    def _save_start(self) -> Path:
        """The suggested file: the model's own file when it is the user's, else a new name (never the shipped
        model, never an existing file) in the last folder used or the user's documents."""
        own = self.state.path
        if own is not None and own != modelio.SHIPPED_MODEL and own.suffix == ".npz":
            return own
        folder = Path(self._last_dir())
        stem = (own.stem if own is not None else "model") + (" (trained)" if self.state.modified else "")
        candidate, n = folder / f"{stem}.npz", 2
        while candidate.exists():
            candidate, n = folder / f"{stem} {n}.npz", n + 1
        return candidate

    def _last_dir(self) -> str:
        """The folder of the last model opened or saved, else the user's documents (else home)."""
        for path in settings.recent_files():
            folder = Path(path).parent
            if folder.is_dir() and folder != modelio.SHIPPED_MODEL.parent:
                return str(folder)
        docs = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        return docs if docs and Path(docs).is_dir() else str(Path.home())
