"""Gallery entries for the window (app), training, drawing, the dataset views and the colour maps."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import numpy as np
from PySide6.QtWidgets import QVBoxLayout, QWidget

from nnviz.gui.gallery.demo import make_state, shipped_model
from nnviz.gui.gallery.registry import entry


@entry("main-window", ("app.main_window", "app.menus", "app.views", "app.workspace"), (1800, 1050),
       stage=lambda win: win.resize(1800, 1050))  # (shown, the window fits itself to the screen: 800x800 offscreen)
def main_window() -> QWidget:
    """The whole window: scene, training, drawing, inspector, labs (the app itself)."""
    from nnviz.gui.app.main_window import MainWindow
    return MainWindow()


def _open_a_poll(win) -> None:
    win.start_tour()
    win.views.tour.go(next(i for i, s in enumerate(win.views.tour.steps) if s.poll is not None))
    win.resize(1600, 1000)  # (a shown window fits itself to the screen: an 800x800 one offscreen)


@entry("lecture-tour", ("tour.panel", "tour.poll", "tour.highlight", "tour.presenter"), (1600, 1000),
       stage=_open_a_poll)
def lecture_tour() -> QWidget:
    """Help > Lecture tour on a poll step: the step's text, the poll, the lab it opened, the frame."""
    from nnviz.gui.app.main_window import MainWindow
    return MainWindow()


@entry("animation-dialog", "app.animation_dialog", (520, 360))
def animation_dialog() -> QWidget:
    """File > Export animation…: what to record (backprop walk, history, lab), size, frame rate, progress."""
    from nnviz.gui.app.animation_dialog import AnimationDialog
    from nnviz.gui.app.main_window import MainWindow
    win = MainWindow()
    dialog = AnimationDialog(win, str(Path.home()))
    dialog.destroyed.connect(win.deleteLater)
    return dialog


@entry("lesson-dialog", "app.lesson_dialog", (560, 260))
def lesson_dialog() -> QWidget:
    """File > Export lesson page…: the title, history snapshots to scrub, where the HTML file goes."""
    from nnviz.gui.app.lesson_dialog import LessonDialog
    return LessonDialog(make_state(), None, str(Path.home()))


@entry("history-bar", "training.timeline_bar", (900, 60))
def history_bar() -> QWidget:
    """The training history's timeline under the curves: 40 snapshots, the 25th on show."""
    from nnviz.gui.training.timeline_bar import TimelineBar
    w = TimelineBar()
    w.set_count(40, "40 snapshots · 12.3 MB of 40")
    w.set_position(25, "epoch 2.4 · batch 1,130")
    return w


@entry("flat-label", "widgets.flat_label", (360, 80))
def flat_label() -> QWidget:
    """A word-wrapped label that asks for no height of its own (panels fit without scroll bars)."""
    from nnviz.gui.widgets.flat_label import FlatLabel
    return FlatLabel("A long explanation that wraps to the panel's width instead of asking the dock for "
                     "the height of one very long line.")


@entry("help", "app.help", (700, 600))
def help_window() -> QWidget:
    """Help > What am I looking at?"""
    from nnviz.gui.app.help import help_dialog
    return help_dialog()


@entry("colour-bars", ("look.colorbars", "look.colormaps"), (360, 120))
def colour_bars() -> QWidget:
    """The scene's colour maps: activation and the diverging weight map."""
    from nnviz.gui.look import themes
    from nnviz.gui.look.colorbars import ColorBar
    w = QWidget()
    lay = QVBoxLayout(w)
    lay.addWidget(ColorBar(themes.current().activation_cmap, 0, 1, "neuron colour = activation a"))
    lay.addWidget(ColorBar(themes.current().diverging_cmap, -0.5, 0.5, "edge colour = weight w (blue < 0 < red)"))
    return w


@entry("training-panel", "training.panel", (440, 520))
def training_panel() -> QWidget:
    """The training dock: architecture, optimiser and the run buttons."""
    from nnviz.gui.training.panel import TrainPanel
    return TrainPanel()


@entry("curves", "training.curves", (600, 300))
def curves() -> QWidget:
    """Training curves fed three made-up epochs of batches."""
    from nnviz.gui.training.curves import CurvesWidget
    w = CurvesWidget()
    for i in range(300):
        w.add_batch(SimpleNamespace(epoch=i // 100, batch=i % 100, n_batches=100), 2.3 * np.exp(-i / 60) + 0.1)
    for e in range(3):
        w.add_epoch(SimpleNamespace(epoch=e, test_loss=0.5 / (e + 1), train_accuracy=0.9 + 0.02 * e,
                                    test_accuracy=0.89 + 0.02 * e))
    return w


@entry("canvas", "draw.canvas", (320, 320))
def canvas() -> QWidget:
    """The drawing canvas alone (draw with the mouse; the shipped model predicts)."""
    from nnviz.gui.draw.canvas import DrawingCanvas
    return DrawingCanvas(make_state(0))


@entry("input-preview", "draw.input_preview", (344, 360))
def input_preview() -> QWidget:
    """What the network sees of a drawn ring, with its saliency."""
    from nnviz.core.preprocess import SIDE
    from nnviz.gui.draw.input_preview import InputPreview
    from nnviz.gui.state import AppState
    state = AppState(*shipped_model())
    w = InputPreview(state)
    yy, xx = np.mgrid[0:SIDE, 0:SIDE]
    ring = np.exp(-((np.hypot(yy - 13.5, (xx - 13.5) * 1.4) - 8) ** 2) / 3).astype(np.float32)
    state.set_input(ring.ravel())
    w.saliency.setChecked(True)
    return w


@entry("predictions", "draw.predictions", (280, 400))
def predictions() -> QWidget:
    """Class probabilities of an untrained network for a noise input."""
    from nnviz.core.network import Network
    from nnviz.gui.draw.predictions import PredictionPanel
    from nnviz.gui.state import AppState
    state = AppState(Network(seed=1))
    w = PredictionPanel(state)
    state.set_input(np.random.default_rng(0).random(784).astype(np.float32))
    return w


@entry("my-digits", "draw.my_digits", (460, 720))
def my_digits() -> QWidget:
    """My digits: a personal set (here six MNIST test digits in a throw-away folder) and what the network reads."""
    import tempfile

    from nnviz.gui.draw.my_digits import MyDigitsPanel
    from nnviz.gui.gallery.demo import test_digit
    from nnviz.gui.state import AppState
    from nnviz.handwriting.personal import PersonalDigits
    store = PersonalDigits(tempfile.mkdtemp(prefix="nnviz-gallery-digits-"))
    for i in range(6):
        x, y = test_digit(i)
        store.add(np.asarray(x, np.float32).reshape(28, 28) / (255 if np.asarray(x).dtype == np.uint8 else 1), y)
    return MyDigitsPanel(AppState(*shipped_model()), store)


@entry("draw-panel", ("draw.panel", "draw.canvas", "draw.input_preview", "draw.predictions", "dataset.browser"),
       (960, 600), theme="dark", shot="draw_panel.png")
def draw_panel() -> QWidget:
    """Draw and predict: a drawn 9 off-centre, compared with the naive input, with saliency."""
    from nnviz.gui.draw.panel import DrawPanel, draw_demo_nine
    from nnviz.gui.state import AppState
    w = DrawPanel(AppState(*shipped_model()))
    draw_demo_nine(w.canvas)
    w.preview.compare.setChecked(True)
    w.preview.saliency.setChecked(True)
    return w


@entry("dataset-browser", "dataset.browser", (420, 60))
def dataset_browser() -> QWidget:
    """The MNIST test-digit strip (◀ index ▶, random)."""
    from nnviz.gui.dataset.browser import DatasetBrowser
    from nnviz.gui.state import AppState
    return DatasetBrowser(AppState(*shipped_model()))


def _evaluate(w: QWidget) -> None:
    w.evaluate()


@entry("mistakes", "dataset.mistakes", (1000, 520), theme="dark", shot="mistakes.png", stage=_evaluate,
       ready=lambda w: w.result is not None or w.button.isEnabled())
def mistakes() -> QWidget:
    """The shipped model's confusion matrix and its wrong test digits."""
    from nnviz.gui.dataset.mistakes import MistakesView
    from nnviz.gui.state import AppState
    return MistakesView(AppState(*shipped_model()))


def _comparison_data():
    """6,000 MNIST training and 2,000 test digits (seeded noise without MNIST)."""
    from nnviz.core.training import Split
    from nnviz.gui.gallery.demo import has_mnist, mnist
    if has_mnist():
        m = mnist()
        return Split(m.x_train[:6000], m.y_train[:6000], m.x_test[:2000], m.y_test[:2000])
    rng = np.random.default_rng(0)
    x, y = rng.random((3000, 784), dtype=np.float32), rng.integers(0, 10, 3000)
    return Split(x, y, x[:1000], y[:1000])


@entry("compare-runs", "compare", (1240, 720), theme="dark",
       ready=lambda w: w.view is not None and w.view.final is not None and not w.map.jobs.busy)
def compare_runs() -> QWidget:
    """Train > Compare runs…: the g preset (sigmoid, ReLU, tanh) trained in lockstep, its Gradients tab."""
    from nnviz.gui.compare import CompareWindow
    from nnviz.gui.training.data_dialogs import DataProvider
    state = make_state()
    provider = DataProvider(None, state, _comparison_data())
    window = CompareWindow(state, provider)
    window.demo("g", images=6000, epochs=1)
    return window
