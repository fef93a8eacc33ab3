"""MNIST for the GUI: find it, load it off the GUI thread, download it with a cancellable progress
dialog, and explain (with "Choose folder…") when it is missing or damaged. The app keeps running.

Search order (core.data.mnist, the same for every view and command): the --data folder given to the
window, else $NNVIZ_DATA, the folder chosen earlier with "Choose folder…", the user cache. Wherever MNIST
is needed and missing (Start, a random digit, Mistakes, the tour, Teach it my digits) the same dialog asks
for the folder, and the action that asked goes on once it is chosen (AppState.need_data).
"""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox, QProgressDialog, QWidget

from nnviz.core.data import mnist as mnist_mod
from nnviz.core.data.idx import DatasetError
from nnviz.core.preprocess import deskew
from nnviz.core.training import Split
from nnviz.gui.concurrency import Job, submit


class DownloadCancelled(Exception):
    """The user pressed Cancel in the download dialog."""


def folder_has_mnist(folder: str | Path) -> bool:
    return all((Path(folder) / name).is_file() for name, _ in mnist_mod.MNIST_FILES.values())


def deskewed(data) -> Split:
    """The same split with every image deskewed (as models with card preprocess.deskew were trained)."""
    return Split(deskew(data.x_train), data.y_train, deskew(data.x_test), data.y_test)


class DataProvider(QObject):
    """Owns the training data. request() emits ready(data) now or after loading / downloading.

    Data is delivered the way the model wants it: request(deskew=True) deskews every image once (off
    the GUI thread, a few seconds for 70,000 images) and keeps that copy too.
    """

    ready = Signal(object)  # x_train, y_train, x_test, y_test (core.training.Data), as requested
    loaded = Signal(object)  # the raw MNIST was read (core.data.Mnist)
    failed = Signal(str)  # missing, damaged or cancelled: the message shown
    status = Signal(str)  # a line for the status bar

    def __init__(self, parent_widget: QWidget | None, state, data=None) -> None:
        super().__init__(parent_widget)
        self.parent_widget, self.state = parent_widget, state
        self.data = data
        self.loading = False
        self.want_deskew = False
        self.requested = False  # someone waits for ready
        self._deskewed = None
        self.dialog: QMessageBox | None = None  # the last explanation shown (non-modal)
        self.progress_dialog: QProgressDialog | None = None
        self._cancel = threading.Event()
        self._job: Job | None = None
        state.dataNeeded.connect(self.ask_for_folder)

    @property
    def data_dir(self) -> Path | None:
        return self.state.data_dir

    def shutdown(self) -> None:
        """The window closes: a running job is cancelled (a download stops at its next progress report)."""
        self._cancel.set()
        if self._job is not None:
            self._job.cancel()

    def set_data(self, data) -> None:
        """Use these arrays (anything with x_train, y_train, x_test, y_test) from now on."""
        self.data, self._deskewed = data, None

    def find_folder(self) -> Path | None:
        return mnist_mod.find_mnist(self.data_dir)

    def request(self, deskew: bool = False) -> None:
        """Make the data available: emits ready(data) (at once when it is already loaded)."""
        self.want_deskew, self.requested = deskew, True
        if self.loading:
            return
        if self.data is not None:
            self._deliver()
            return
        folder = self.find_folder()
        if folder is not None:
            self.load_folder(folder)
        else:
            self.download()

    def load_folder(self, folder: str | Path) -> None:
        """Read the four files in folder off the GUI thread (about 0.7 s for 70,000 images)."""
        self.loading = True
        self.status.emit(f"Loading MNIST from {folder} …")
        self._job = submit(mnist_mod.load_folder, Path(folder), owner=self, name="load MNIST", on_done=self._loaded,
                           on_error=lambda exc: self._load_failed(exc, Path(folder)))

    def _loaded(self, data) -> None:
        self.loading = False
        self.data, self._deskewed = data, None
        self.status.emit(f"MNIST loaded: {len(data.x_train):,} training and {len(data.x_test):,} test images")
        self.loaded.emit(data)
        if self.requested:
            self._deliver()

    def _deliver(self) -> None:
        if not self.want_deskew:
            self._emit_ready(self.data)
        elif self._deskewed is not None:
            self._emit_ready(self._deskewed)
        else:
            self.loading = True
            n = len(self.data.x_train) + len(self.data.x_test)
            self.status.emit(f"Deskewing {n:,} images, as the model was trained on deskewed digits …")
            raw = self.data
            self._job = submit(deskewed, raw, owner=self, name="deskew MNIST", on_done=self._deskew_done,
                               on_error=self._deskew_failed)

    def _deskew_done(self, data) -> None:
        self.loading = False
        self._deskewed = data
        self._emit_ready(data)

    def _deskew_failed(self, exc: BaseException) -> None:
        self.loading = False
        self._emit_failed(f"deskewing failed: {type(exc).__name__}: {exc}")

    def _emit_ready(self, data) -> None:
        self.requested = False
        self.ready.emit(data)

    def _emit_failed(self, text: str) -> None:
        self.requested = False
        self.failed.emit(text)

    def _load_failed(self, exc: BaseException, folder: Path) -> None:
        self.loading = False
        text = str(exc) if isinstance(exc, DatasetError) else f"{type(exc).__name__}: {exc}"
        self._explain("dataErrorDialog", "MNIST files are damaged",
                      f"The MNIST files in {folder} cannot be used:\n\n{text}\n\nDelete the damaged file so that it "
                      "is downloaded again, or choose a folder with good copies of the four files.",
                      on_cancel=lambda: self._emit_failed(text))

    # --- downloading ---------------------------------------------------------------------------
    def download(self) -> None:
        """Fetch MNIST into the user cache with a cancellable progress dialog (MD5-checked by core)."""
        self.loading = True
        self._cancel.clear()
        dlg = QProgressDialog("Downloading MNIST (about 11 MB, checked against its published MD5 sums)…",
                              "Cancel", 0, 100, self.parent_widget)
        dlg.setObjectName("downloadDialog")
        dlg.setWindowTitle("nnviz: downloading MNIST")
        dlg.setMinimumDuration(0)
        dlg.setWindowModality(Qt.WindowModality.WindowModal)
        dlg.canceled.connect(self._cancel.set)
        dlg.show()
        self.progress_dialog = dlg
        self._job = submit(self._download_job, mnist_mod.candidate_dirs(self.data_dir), owner=self, pass_handle=True,
                           name="download MNIST", on_done=self._downloaded, on_error=self._download_failed,
                           on_progress=self._progress)

    def _download_job(self, handle, searched) -> object:
        def report(name: str, done: int, total: int) -> None:
            if self._cancel.is_set() or handle.cancelled:
                raise DownloadCancelled()
            handle.report((name, done, total))

        folder = mnist_mod.download_mnist(progress=report, searched=searched)
        if self._cancel.is_set() or handle.cancelled:
            raise DownloadCancelled()
        return mnist_mod.load_folder(folder)

    def _progress(self, info) -> None:
        name, done, total = info
        if self.progress_dialog is not None and not self._cancel.is_set():
            self.progress_dialog.setLabelText(f"Downloading {name}: {done / 1e6:.1f} of {total / 1e6:.1f} MB")
            self.progress_dialog.setValue(int(100 * done / total) if total else 0)

    def _close_progress(self) -> None:
        if self.progress_dialog is not None:
            self.progress_dialog.close()
            self.progress_dialog.deleteLater()
            self.progress_dialog = None

    def _downloaded(self, data) -> None:
        self._close_progress()
        self._loaded(data)

    def _download_failed(self, exc: BaseException) -> None:
        cancelled = self._cancel.is_set() or isinstance(exc, DownloadCancelled)
        self._close_progress()  # (closing a QProgressDialog emits canceled)
        self.loading = False
        if cancelled:
            self.status.emit("MNIST download cancelled")
            self._emit_failed("cancelled")
            return
        self._explain("dataMissingDialog", "MNIST is not available",
                      "nnviz trains on MNIST (70,000 handwritten digits) and could not download it; perhaps this "
                      f"computer is offline.\n\n{CHOOSE_TEXT}", detail=str(exc),
                      on_cancel=lambda: self._emit_failed(str(exc)))

    # --- explaining and asking ------------------------------------------------------------------
    def ask_for_folder(self, why: str, retry=None) -> None:
        """A view needs MNIST and it is nowhere: say so, offer "Choose folder…", then retry() (AppState.need_data)."""
        self._explain("dataMissingDialog", "MNIST is not available",
                      f"{why.splitlines()[0][:300] if why else 'MNIST was not found.'}\n\n{CHOOSE_TEXT}",
                      detail=why, then=retry)

    def _explain(self, name: str, title: str, text: str, detail: str = "", then=None, on_cancel=None) -> None:
        """A non-modal message with "Choose folder…" and Cancel. A chosen folder is used (use_folder) and
        then() called (None: the training data is loaded from it); Cancel, or no folder, calls on_cancel()."""
        if self.dialog is not None and self.dialog.isVisible() and self.dialog.objectName() == name:
            self.dialog.close()  # one question at a time: the newest asks
        box = QMessageBox(QMessageBox.Icon.Warning, f"nnviz: {title}", text, QMessageBox.StandardButton.Cancel,
                          self.parent_widget)
        box.setObjectName(name)
        box.setWindowModality(Qt.WindowModality.NonModal)
        if detail:
            box.setDetailedText(detail)
        choose = box.addButton("Choose folder…", QMessageBox.ButtonRole.AcceptRole)
        choose.setObjectName("chooseFolderButton")
        choose.setToolTip("A folder with the four MNIST .gz files; nnviz remembers it for the app and the command line")
        box.setDefaultButton(choose)
        box.finished.connect(lambda _r: self._answered(box.clickedButton() is choose, then, on_cancel))
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.show()  # non-modal: never blocks the event loop (or a test)
        self.dialog = box
        self.status.emit(title)

    def _answered(self, chose: bool, then, on_cancel) -> None:
        self.dialog = None
        if chose:
            self.choose_folder(then, on_cancel)
        elif on_cancel is not None:
            on_cancel()

    def choose_folder(self, then=None, on_cancel=None) -> None:
        folder = QFileDialog.getExistingDirectory(self.parent_widget, "Folder with the four MNIST files")
        if folder:
            self.use_folder(folder, then, on_cancel)
        elif on_cancel is not None:
            on_cancel()

    def use_folder(self, folder: str | Path, then=None, on_cancel=None) -> bool:
        """Remember folder (core.data.mnist.remember_folder: the app and the command line search it), then
        go on: then(), or load the training data from it (a waiting Start goes on). False if the four
        files are not there (the question is asked again)."""
        if not folder_has_mnist(folder):
            self._explain("dataMissingDialog", "MNIST files not found",
                          f"{folder} does not hold all four MNIST files.\n\n{CHOOSE_TEXT}", then=then,
                          on_cancel=on_cancel)
            return False
        try:
            mnist_mod.remember_folder(folder)
        except OSError as exc:  # (a read-only config folder: it is used now, not remembered)
            self.status.emit(f"Using {folder}, but it cannot be remembered: {exc.strerror or exc}")
        if self.state.data_dir is not None:
            self.state.set_data_dir(folder)  # a wrong --data folder is replaced by the chosen one
        if then is not None:
            then()
        else:
            self.data, self._deskewed = None, None
            self.load_folder(folder)
        return True


CHOOSE_TEXT = ("If you have the four files (train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, "
               "t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz), choose their folder: nnviz remembers it, "
               "for the app and the command line, and goes on.")
