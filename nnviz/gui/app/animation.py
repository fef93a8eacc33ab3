"""Animations of the app's own views, for slides: animated GIF, APNG (Pillow) or MP4 (imageio + ffmpeg).

    rec = backprop_recording(walk, view)           # or history_recording(...), lab_recording(lab)
    write_animation(rec, "walk.gif", size=(960, 600), fps=2, progress=lambda i, n: not cancelled)

A Recording puts moment i on its widget (`go(i)` returns the moment's caption); each frame is an exact
render of that widget (QWidget.grab: the widget paints itself into an image, offscreen or not, nothing
else on the screen), scaled to fit the chosen size, with the caption in a band underneath.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PySide6.QtCore import QCoreApplication, QRect, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter
from PySide6.QtWidgets import QWidget

from nnviz.core.files import partial_file, remove_stale_partials
from nnviz.gui.app.animation_files import WRITERS
from nnviz.gui.look import themes

FORMATS = {".gif": "GIF", ".png": "APNG", ".apng": "APNG", ".mp4": "MP4"}
MAX_FRAMES = 600  # moments recorded (more are sampled evenly)
MAX_FRAME_PIXELS = 3840 * 2160
MAX_GIF_BYTES = 400_000_000  # Pillow's GIF writer keeps every frame (1 byte a pixel) until the end
CAPTION_PX = 34
BACKGROUND = "#1b1e24"


class AnimationError(ValueError):
    """The animation cannot be written as asked; the message says why."""


@dataclass
class Recording:
    """What to record: `count` moments of `widget`; go(i) shows moment i and returns its caption;
    finish() puts the widget back as it was."""

    name: str
    widget: QWidget
    count: int
    go: Callable[[int], str]
    finish: Callable[[], None] = lambda: None
    picture: Callable[[], QImage] | None = None  # the frame's picture, when it is not simply widget.grab()


def mp4_problem() -> str | None:
    """Why MP4 cannot be written here (None when it can)."""
    if importlib.util.find_spec("imageio") is None:
        return "MP4 needs imageio and its ffmpeg plugin: pip install 'nnviz[video]' (or write .gif / .png)"
    if importlib.util.find_spec("imageio_ffmpeg") is None:
        return "MP4 needs imageio's ffmpeg plugin: pip install imageio-ffmpeg (or write .gif / .png)"
    return None


def check_target(path: str | Path) -> str:
    """The format for path's suffix, or AnimationError (unknown suffix, MP4 without its plugin)."""
    fmt = FORMATS.get(Path(path).suffix.lower())
    if fmt is None:
        raise AnimationError(f"{Path(path).name}: write .gif, .png (APNG) or .mp4")
    if fmt == "MP4" and (problem := mp4_problem()):
        raise AnimationError(problem)
    return fmt


def render_frame(widget: QWidget | QImage, size: tuple[int, int], caption: str = "") -> QImage:
    """An exact render of widget (or a picture already made), scaled to fit size (w, h) above a caption band."""
    w, h = size
    lines = caption.count("\n") + 1 if caption else 0
    band = round(CAPTION_PX * (1 + 0.6 * (lines - 1))) if caption else 0  # a line's height, 0.45 of CAPTION_PX
    shot = widget if isinstance(widget, QImage) else widget.grab().toImage()
    shot = shot.scaled(w, h - band, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation)
    frame = QImage(w, h, QImage.Format.Format_RGB32)
    frame.fill(QColor(BACKGROUND))
    p = QPainter(frame)
    try:
        p.drawImage((w - shot.width()) // 2, (h - band - shot.height()) // 2, shot)
        if caption:
            p.setPen(QColor("#e6e6e6"))
            font = QFont()
            font.setPixelSize(int(CAPTION_PX * 0.45))
            p.setFont(font)
            p.drawText(QRect(8, h - band, w - 16, band), Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                       caption)
    finally:
        p.end()
    return frame


def to_rgb(image: QImage) -> np.ndarray:
    """(h, w, 3) uint8 RGB copy of a QImage."""
    image = image.convertToFormat(QImage.Format.Format_RGB888)
    h, w, stride = image.height(), image.width(), image.bytesPerLine()
    return np.frombuffer(image.constBits(), np.uint8, h * stride).reshape(h, stride)[:, :3 * w].reshape(h, w, 3).copy()


def frame_indices(count: int) -> list[int]:
    """The moments recorded: every one, or MAX_FRAMES spread evenly over them (the first and the last too)."""
    if count <= MAX_FRAMES:
        return list(range(count))
    return sorted({round(k * (count - 1) / (MAX_FRAMES - 1)) for k in range(MAX_FRAMES)})


def write_animation(rec: Recording, path: str | Path, size: tuple[int, int] = (960, 600), fps: float = 2.0,
                    captions: bool = True, progress: Callable[[int, int], bool] | None = None) -> Path | None:
    """Render the moments of rec and write path (.gif, .png APNG, .mp4). progress(i, n) is called after each
    frame; returning False cancels (nothing is written, None returned).

    Frames stream to the writer as they are rendered: an APNG or MP4 holds one frame in memory at a time;
    a GIF (whose writer keeps its 1-byte-per-pixel frames until the end) is refused beyond MAX_GIF_BYTES.
    At most MAX_FRAMES moments (spread evenly) and MAX_FRAME_PIXELS per frame, whatever a file asks for."""
    path = Path(path)
    fmt = check_target(path)
    if size[0] < 16 or size[1] < 16 or not 0.1 <= fps <= 60:
        raise AnimationError("frames need a size of at least 16x16 and a frame rate from 0.1 to 60 per second")
    if size[0] * size[1] > MAX_FRAME_PIXELS:
        raise AnimationError(f"frames of {size[0]}x{size[1]} are larger than 3840x2160; choose a smaller size")
    if rec.count < 1:
        raise AnimationError(f"nothing to record: {rec.name} has no moments")
    indices = frame_indices(rec.count)
    if fmt == "GIF" and len(indices) * size[0] * size[1] > MAX_GIF_BYTES:
        raise AnimationError(f"a GIF of {len(indices)} frames at {size[0]}x{size[1]} would hold "
                             f"{len(indices) * size[0] * size[1] / 1e6:,.0f} MB while it is written (limit "
                             f"{MAX_GIF_BYTES / 1e6:,.0f} MB): choose a smaller size, or .png (APNG) or .mp4")
    path.parent.mkdir(parents=True, exist_ok=True)
    # written beside it under another name, then renamed: a full disk or a kill mid-write leaves the old
    # file as it was (it became a truncated or empty file), never half a new one
    remove_stale_partials(path.parent)  # what an export killed mid-write left
    fd, partial = partial_file(path, path.suffix)  # (the suffix: the writers pick the format by it)
    os.close(fd)
    cancelled = []

    def frames():
        for n, i in enumerate(indices):
            caption = rec.go(i)
            QCoreApplication.processEvents()  # deferred repaints and layouts land before the render
            picture = rec.picture() if rec.picture is not None else rec.widget
            yield to_rgb(render_frame(picture, size, caption if captions else ""))
            if progress is not None and progress(n + 1, len(indices)) is False:
                cancelled.append(True)
                return

    try:
        WRITERS[fmt](frames(), len(indices), partial, fps)
        if cancelled:
            return None
        os.replace(partial, path)
    finally:
        rec.finish()
        partial.unlink(missing_ok=True)
    return path


# --- what can be recorded -------------------------------------------------------------------------------
def scene_of(view: QWidget) -> QWidget:
    """The network scene's picture without its row of controls (a NetworkView's canvas), else view itself."""
    return getattr(view, "canvas", None) or view


def flat_scene_follows(view: QWidget) -> Callable[[], None]:
    """A recording takes the flat scene's picture: it follows the model while it runs, even where the 3-D view
    is chosen (the flat scene waits behind it otherwise). Returns what puts it back."""
    items = getattr(view, "items", None)
    if items is None or not items.paused:
        return lambda: None
    items.set_paused(False)
    return lambda: items.set_paused(view.showing_3d())


def backprop_recording(walk, view: QWidget, target_reason: str = "") -> Recording:
    """The inspector's walk through one example, every step forward and backward, on the network scene.
    Each caption names the target y and why it was chosen; a backward step also states its scale."""
    was_active, index = walk.active, walk.index
    put_back = flat_scene_follows(view)
    walk.active = True
    trace = walk.trace
    aim = f"target y = {trace.target}" + (f" ({target_reason})" if target_reason else "") if trace is not None \
        and trace.has_backward else ""

    def go(i: int) -> str:
        walk.go(i, animate=False)
        view.items.skip_animation()
        s = walk.step
        lines = [f"step {i + 1}/{walk.count} · {s.phase} · {s.formula}"]
        scale = s.scale(walk.trace)
        lines += [scale] if scale else []
        return "\n".join(lines + ([aim] if aim else []))

    def finish() -> None:
        walk.go(index)
        if not was_active:
            walk.set_active(False)  # the scene goes back to its own view
        put_back()

    return Recording("the backprop walk", scene_of(view), walk.count, go, finish)


def backprop3d_recording(walk, view: QWidget, target_reason: str = "", turn_degrees: float = 120.0) -> Recording:
    """The walk in 3-D: the camera turns `turn_degrees` in all while the forward and backward pass play, each
    step lighting its plane. The Network view switches to 3-D for it (and back afterwards); without OpenGL
    AnimationError says why."""
    was_3d = view.showing_3d()
    view.set_3d(True)
    v3 = view.view3d
    if not v3.available:
        view.set_3d(was_3d)
        raise AnimationError(v3.problem)
    v3.set_pose("three-quarter")
    flat = backprop_recording(walk, view, target_reason)
    step = turn_degrees / max(1, flat.count - 1)

    def go(i: int) -> str:
        caption = flat.go(i)
        if i:
            v3.scene.orbit(step, 0)
        QCoreApplication.processEvents()
        return caption

    def finish() -> None:
        flat.finish()
        view.set_3d(was_3d)

    return Recording("the backprop walk in 3-D", v3, flat.count, go, finish, picture=v3.grab_picture)


def history_recording(timeline, view: QWidget) -> Recording:
    """A training history replayed on a view (timeline: gui.training.timeline.Timeline): each frame
    the network beside the loss curve with the moment marked."""
    frames = HistoryFrames(timeline.history, view)
    put_back = flat_scene_follows(view)

    def go(i: int) -> str:
        timeline.show(i)
        frames.index = i
        return moment_caption(timeline.history, i)

    return Recording("the training history", scene_of(view), len(timeline.history), go,
                     lambda: (timeline.leave(), put_back()), picture=frames.picture)


def saved_history_recording(state, history, view: QWidget) -> Recording:
    """A core History (e.g. read from a file) replayed through an AppState onto a view (no window needed)."""
    latest = state.network.flat.copy()
    frames = HistoryFrames(history, view)
    put_back = flat_scene_follows(view)

    def go(i: int) -> str:
        state.show_weights(history.weights(i))
        frames.index = i
        return moment_caption(history, i)

    return Recording("the training history", scene_of(view), len(history), go,
                     lambda: (state.show_weights(latest), put_back()), picture=frames.picture)


def moment_caption(history, i: int) -> str:
    """What a history frame says: which snapshot, when, and its loss (no UI text, no memory figures)."""
    m = history.moment(i)
    loss = f" · loss J = {m.loss:.3f}" if np.isfinite(m.loss) else ""
    return f"snapshot {i + 1}/{len(history)} · epoch {m.x:.2f} · {m.samples:,} samples seen{loss}"


class HistoryFrames:
    """A training-history frame: the network with its colour bars (no controls, hints or memory figures) and,
    beside it, the loss curve of the whole run with the moment on show marked."""

    def __init__(self, history, view: QWidget) -> None:
        import pyqtgraph as pg


        self.history, self.view, self.index = history, view, None
        moments = [history.moment(k) for k in range(len(history))]
        self.xs = np.array([m.x for m in moments], float)
        self.losses = np.array([m.loss for m in moments], float)
        self.plot = pg.PlotWidget(background=themes.current().background)
        self.plot.setTitle("training loss J", color=themes.current().text.name())
        self.plot.setLabel("bottom", "epoch")
        self.plot.setLogMode(y=True)
        self.plot.showGrid(x=True, y=True, alpha=0.15)
        ok = np.isfinite(self.losses) & (self.losses > 0)
        self.plot.plot(self.xs[ok], self.losses[ok], pen=pg.mkPen("#ffb454", width=2))
        self.cursor = pg.InfiniteLine(angle=90, pen=pg.mkPen(themes.current().highlight, width=2))
        self.dot = pg.ScatterPlotItem(size=10, brush=themes.current().highlight, pen=None)
        self.plot.addItem(self.cursor)
        self.plot.addItem(self.dot)

    def picture(self) -> QImage:
        canvas = scene_of(self.view)
        vb, bars = getattr(self.view, "vb", None), getattr(getattr(self.view, "legend_row", None), "bar_row", None)
        if vb is not None and hasattr(canvas, "mapFromScene"):  # the network and its colour bars, not the hints
            area = vb.sceneBoundingRect().united(bars.sceneBoundingRect()) if bars is not None \
                else vb.sceneBoundingRect()
            rect = canvas.mapFromScene(area).boundingRect().intersected(canvas.rect())
            scene = canvas.grab(rect).toImage()
        else:
            scene = canvas.grab().toImage()
        i = len(self.xs) - 1 if self.index is None else int(self.index)
        if 0 <= i < len(self.xs):
            self.cursor.setValue(self.xs[i])
            if np.isfinite(self.losses[i]) and self.losses[i] > 0:
                self.dot.setData([self.xs[i]], [np.log10(self.losses[i])])
        self.plot.resize(max(240, int(scene.width() * 0.42)), scene.height())
        curve = self.plot.grab().toImage()
        out = QImage(scene.width() + curve.width(), max(scene.height(), curve.height()), QImage.Format.Format_RGB32)
        out.fill(QColor(BACKGROUND))
        p = QPainter(out)
        try:
            p.drawImage(0, (out.height() - scene.height()) // 2, scene)
            p.drawImage(scene.width(), (out.height() - curve.height()) // 2, curve)
        finally:
            p.end()
        return out


def lab_recording(lab, steps: int = 80) -> Recording:
    """The single-neuron lab's gradient descent, one frame per step (computed here: a tiny full-batch SGD)."""
    from nnviz.core.training import EpochDone, Split, TrainConfig, train

    lab.stop()
    start, curve = lab.net.flat.copy(), lab.loss_curve.getData()
    worker = lab.net.copy()
    cfg = TrainConfig(epochs=steps, batch_size=len(lab.x), optimizer="sgd", lr=lab.lr.value())
    states = [(worker.flat.copy(), float(worker.loss_fn.value(worker.predict_proba(lab.x), lab.y)))]
    for event in train(worker, Split(lab.x, lab.y, lab.x, lab.y), cfg):
        if isinstance(event, EpochDone):
            states.append((worker.flat.copy(), float(event.test_loss)))
    dims = lab.dims

    def go(i: int) -> str:
        flat, J = states[i]
        lab.set_params(flat[:dims], float(flat[dims]))
        lab.loss_curve.setData(list(range(i + 1)), [s[1] for s in states[:i + 1]])
        return f"gradient descent step {i}/{len(states) - 1} · J = {J:.4f} · α = {cfg.lr:g}"

    def finish() -> None:
        lab.set_params(start[:dims], float(start[dims]))
        lab.loss_curve.setData(*(curve if curve[0] is not None else ([], [])))

    return Recording("the single neuron's gradient descent", lab, len(states), go, finish)
