"""File > Export animation…: choose what (backprop walk, training history, a lab's gradient descent), the
file (.gif, .png = APNG, .mp4), the frame size and rate; then record with progress and Cancel."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

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
from nnviz.gui.inspector import InspectorPanel
from nnviz.gui.labs.labs_widget import LabsWidget
from nnviz.gui.network.view import NetworkView
from nnviz.gui.state import AppState
from nnviz.gui.training.timeline import Timeline

SOURCES = (("backprop", "Backprop inspector: every step, forward and backward"),
           ("backprop3d", "Backprop in 3-D: the view turning as it plays"),
           ("history", "Training history replay"),
           ("lab", "Single-neuron lab: gradient descent"))


@dataclass(frozen=True)
class Sources:
    """What a window can record, and how it reports."""

    state: AppState
    network: NetworkView | None  # None: a window without views
    inspector: InspectorPanel | None
    timeline: Timeline
    labs: Callable[[], LabsWidget]  # shows the Labs tab and gives its widget
    show_network: Callable[[], None]  # shows the Network tab
    error: Callable[[str, str, str], object]  # (objectName, title, text): a message box
    status: Callable[[str], None]  # a line in the status bar
    last_dir: str  # where the file dialog starts


def recording_for(src: Sources, what: str) -> animation.Recording:
    """The Recording of `what` in this window (switching to the tab it is shown in)."""
    if what == "lab":
        labs = src.labs()
        labs.setCurrentWidget(labs.neuron)
        return animation.lab_recording(labs.neuron)
    if src.network is None:
        raise animation.AnimationError("this window has no network scene to record")
    if src.state.busy:
        raise animation.AnimationError("pause or stop training first: the views follow the run while it runs")
    src.show_network()
    if what == "history":
        if len(src.timeline.history) < 2:
            raise animation.AnimationError("no training history yet: train (or open a model saved with one)")
        return animation.history_recording(src.timeline, src.network)
    if src.inspector is None or not src.inspector.walk.count:
        raise animation.AnimationError("the backprop inspector needs an input: draw a digit or pick one")
    record = animation.backprop3d_recording if what == "backprop3d" else animation.backprop_recording
    return record(src.inspector.walk, src.network, src.state.target_reason)


class AnimationDialog(QDialog):
    def __init__(self, parent: QWidget, last_dir: str) -> None:
        super().__init__(parent)
        self.setObjectName("animationDialog")
        self.setWindowTitle("nnviz: export animation")
        form = QFormLayout(self)
        self.what = QComboBox(objectName="animationSource")
        for key, text in SOURCES:
            self.what.addItem(text, key)
        self.path = QLineEdit(str(Path(last_dir) / "nnviz.gif"), objectName="animationPath")
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


def export_animation(parent: QWidget, src: Sources, what: str, path: str | Path, size=(960, 600),
                     fps: float = 2.0) -> Path | None:
    """Record `what` to path with a progress dialog (Cancel stops; nothing is written). Errors are shown."""
    try:
        animation.check_target(path)
        rec = recording_for(src, what)
    except animation.AnimationError as exc:
        src.error("animationErrorDialog", "Cannot export the animation", str(exc))
        return None
    box = QProgressDialog(f"Recording {rec.name}…", "Cancel", 0, rec.count, parent)
    box.setObjectName("animationProgress")
    box.setMinimumDuration(0)
    box.setWindowTitle("nnviz: export animation")

    def progress(i: int, n: int) -> bool:
        box.setValue(i)
        return not box.wasCanceled()

    try:
        out = animation.write_animation(rec, path, size, fps, progress=progress)
    except (animation.AnimationError, OSError) as exc:
        src.error("animationErrorDialog", "Cannot export the animation", str(exc))
        return None
    finally:
        box.close()
    src.status(f"Exported {out}: {rec.count} frames" if out else "Animation cancelled")
    return out


def export_animation_dialog(parent: QWidget, src: Sources) -> None:
    dlg = AnimationDialog(parent, src.last_dir)
    if dlg.exec() == QDialog.DialogCode.Accepted:
        what, path, size, fps = dlg.settings()
        export_animation(parent, src, what, path, size, fps)
