"""File > Export animation…: choose what (backprop walk, training history, a lab's gradient descent), the
file (.gif, .png = APNG, .mp4), the frame size and rate; then record with progress and Cancel."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressDialog,
    QPushButton,
    QSpinBox,
    QWidget,
)

from nnviz.gui.app import animation

if TYPE_CHECKING:
    from nnviz.gui.app.main_window import MainWindow

SOURCES = (("backprop", "Backprop inspector: every step, forward and backward"),
           ("history", "Training history replay"),
           ("lab", "Single-neuron lab: gradient descent"))


def recording_for(win: MainWindow, what: str) -> animation.Recording:
    """The Recording of `what` in this window (switching to the tab it is shown in)."""
    view = getattr(win, "network_view", None)
    if what == "lab":
        labs_index = next(i for i in range(win.tabs.count()) if win.tabs.tabText(i) == "Labs")
        win.tabs.setCurrentIndex(labs_index)  # (built when first shown)
        labs = win.tabs.widget(labs_index).widget().findChild(QWidget, "labs")
        labs.setCurrentWidget(labs.neuron)
        return animation.lab_recording(labs.neuron)
    if view is None:
        raise animation.AnimationError("this window has no network scene to record")
    if win.state.busy:
        raise animation.AnimationError("pause or stop training first: the views follow the run while it runs")
    win.tabs.setCurrentIndex(0)
    if what == "history":
        if len(win.timeline.history) < 2:
            raise animation.AnimationError("no training history yet: train (or open a model saved with one)")
        return animation.history_recording(win.timeline, view)
    inspector = win.findChild(QWidget, "backpropInspector")
    if inspector is None or not inspector.walk.count:
        raise animation.AnimationError("the backprop inspector needs an input: draw a digit or pick one")
    return animation.backprop_recording(inspector.walk, view, win.state.target_reason)


class AnimationDialog(QDialog):
    def __init__(self, win: MainWindow) -> None:
        super().__init__(win)
        self.win = win
        self.setObjectName("animationDialog")
        self.setWindowTitle("nnviz: export animation")
        form = QFormLayout(self)
        self.what = QComboBox(objectName="animationSource")
        for key, text in SOURCES:
            self.what.addItem(text, key)
        self.path = QLineEdit(str(Path(win._last_dir()) / "nnviz.gif"), objectName="animationPath")
        browse = QPushButton("…")
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        self.width_spin = QSpinBox(minimum=160, maximum=3840, value=960, objectName="animationWidth")
        self.height_spin = QSpinBox(minimum=120, maximum=2160, value=600, objectName="animationHeight")
        size = QHBoxLayout()
        size.addWidget(self.width_spin)
        size.addWidget(QLabel("×"))
        size.addWidget(self.height_spin)
        self.fps = QDoubleSpinBox(minimum=0.2, maximum=60, value=2.0, decimals=1, objectName="animationFps")
        mp4 = animation.mp4_problem()
        note = QLabel(".gif and .png (APNG) always work; " + (f"<b>no MP4 here</b>: {mp4}" if mp4 else ".mp4 works"))
        note.setWordWrap(True)
        form.addRow("Record", self.what)
        form.addRow("File", row)
        form.addRow("Frame size", size)
        form.addRow("Frames per second", self.fps)
        form.addRow(note)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Record")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def _browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export animation", self.path.text(),
                                              "Animated GIF (*.gif);;Animated PNG (*.png);;MP4 video (*.mp4)")
        if path:
            self.path.setText(path)

    def settings(self) -> tuple[str, Path, tuple[int, int], float]:
        return (self.what.currentData(), Path(self.path.text()), (self.width_spin.value(), self.height_spin.value()),
                self.fps.value())


def export_animation(win: MainWindow, what: str, path: str | Path, size=(960, 600), fps: float = 2.0) -> Path | None:
    """Record `what` to path with a progress dialog (Cancel stops; nothing is written). Errors are shown."""
    try:
        animation.check_target(path)
        rec = recording_for(win, what)
    except animation.AnimationError as exc:
        win._error("animationErrorDialog", "Cannot export the animation", str(exc))
        return None
    box = QProgressDialog(f"Recording {rec.name}…", "Cancel", 0, rec.count, win)
    box.setObjectName("animationProgress")
    box.setMinimumDuration(0)
    box.setWindowTitle("nnviz: export animation")

    def progress(i: int, n: int) -> bool:
        box.setValue(i)
        return not box.wasCanceled()

    try:
        out = animation.write_animation(rec, path, size, fps, progress=progress)
    except (animation.AnimationError, OSError) as exc:
        win._error("animationErrorDialog", "Cannot export the animation", str(exc))
        return None
    finally:
        box.close()
    win.statusBar().showMessage(f"Exported {out}: {rec.count} frames" if out else "Animation cancelled", 8000)
    return out


def export_animation_dialog(win: MainWindow) -> None:
    dlg = AnimationDialog(win)
    if dlg.exec() == QDialog.DialogCode.Accepted:
        what, path, size, fps = dlg.settings()
        export_animation(win, what, path, size, fps)
