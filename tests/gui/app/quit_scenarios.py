"""One quit scenario per kind of background work, each run in a fresh process by test_quitting.py:

    python -m tests.gui.app.quit_scenarios KIND

starts the app (offscreen), starts the work, prints what runs, asks to quit (Ctrl+Q, the menu or
closing the window), answers Discard when offered to save the trained weights, and exits with app.exec()'s
status. The test wants 0 and an empty stderr.
"""

from __future__ import annotations

import functools
import os
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np  # noqa: E402
from PySide6.QtCore import QEventLoop, Qt, QTimer  # noqa: E402
from PySide6.QtGui import QAction  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from nnviz.core.training import Split  # noqa: E402
from nnviz.gui import concurrency  # noqa: E402
from nnviz.gui.training import fine_tune  # noqa: E402

TIMEOUT = 60.0


def wait_until(app: QApplication, condition, what: str) -> None:
    end = time.monotonic() + TIMEOUT
    while not condition():
        if time.monotonic() > end:
            raise SystemExit(f"timed out waiting for {what}")
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)


def random_split(n: int = 600) -> Split:
    rng = np.random.default_rng(0)
    x = rng.random((n, 784), dtype=np.float32)
    y = rng.integers(0, 10, n)
    return Split(x, y, x[: n // 4], y[: n // 4])


def slow(fn, seconds: float = 1.0):
    """fn, but taking at least `seconds` (so that quitting surely finds it running)."""
    @functools.wraps(fn)
    def wrapped(*args, **kwargs):
        time.sleep(seconds)
        return fn(*args, **kwargs)
    return wrapped


# --- the kinds of work: each starts it and returns the name it runs under --------------------------
def training(app, win):
    win.train_panel.batch_spin.setValue(20)
    win.session.start()
    wait_until(app, lambda: win.run.thread is not None and win.curves.loss_x, "a batch")
    return "nnvizTrainingThread"


def training_paused(app, win):
    training(app, win)
    win.run.toggle_pause()
    wait_until(app, lambda: win.run.paused, "the pause")
    return "nnvizTrainingThread"


def _labs(app, win):
    win.tabs.setCurrentIndex([win.tabs.tabText(i) for i in range(win.tabs.count())].index("Labs"))
    from nnviz.gui.labs.labs_widget import LabsWidget
    return win.findChild(LabsWidget)


def lab_neuron(app, win):
    labs = _labs(app, win)
    labs.neuron.train(steps=100_000)
    wait_until(app, lambda: labs.neuron._loss_xs, "a snapshot")
    return "singleNeuronRun"


def lab_traffic(app, win):
    labs = _labs(app, win)
    labs.setCurrentWidget(labs.traffic)
    labs.traffic.fit()
    wait_until(app, lambda: labs.traffic._mse_xs, "a snapshot")
    return "trafficRun"


def lab_playground(app, win):
    labs = _labs(app, win)
    labs.setCurrentWidget(labs.playground)
    labs.playground.play()
    wait_until(app, lambda: labs.playground.snapshot is not None and labs.playground.runner is not None, "a snapshot")
    labs.playground.pause()
    return "playgroundRun"


def mistakes(app, win):
    from nnviz.gui.dataset import mistakes as mod

    mod.evaluate_mistakes = slow(mod.evaluate_mistakes)
    win.findChild(mod.MistakesView).evaluate()
    return "mistakes"


def all_edges(app, win):
    from nnviz.gui.network.scene import all_edges as mod

    mod.render_all_edges = slow(mod.render_all_edges)
    win.views.network.model.set_edge_mode("all")
    return "render_all_edges"


def topk_picture(app, win):
    from nnviz.gui.network.scene import edge_image as mod

    mod.render_edges = slow(mod.render_edges)
    win.views.network.model.set_edge_mode("topk", k=20_000)
    wait_until(app, lambda: concurrency.registry().running(), "a picture job")
    return "render_edges"


def gradcheck(app, win):
    from nnviz.gui.inspector import InspectorPanel
    from nnviz.gui.inspector import gradcheck_box as mod

    mod.run_check = slow(mod.run_check)
    panel = win.findChild(InspectorPanel)
    panel.gradcheck.focus_of = lambda: (2, 5, 7)
    win.state.set_input(np.zeros(784, np.float32), 3)
    assert panel.gradcheck.check()
    return "gradient check"


def loading(app, win):
    from nnviz.core.data import mnist as mod

    mod.load_folder = slow(mod.load_folder)
    win.provider.set_data(None)
    win.provider.load_folder(os.environ["NNVIZ_DATA"])
    return "load MNIST"


def deskew(app, win):
    from nnviz.gui.training import data_dialogs as mod

    mod.deskewed = slow(mod.deskewed)
    win.provider.request(deskew=True)
    return "deskew MNIST"


def download(app, win):
    from nnviz.core.data import mnist as mod

    def fake_download(progress, searched):
        for i in range(10_000):  # ends only when cancelled (progress raises)
            progress("train-images-idx3-ubyte.gz", i, 10_000)
            time.sleep(0.01)
        raise OSError("never")

    mod.download_mnist = fake_download
    win.provider.set_data(None)
    win.provider.download()
    wait_until(app, lambda: win.provider.progress_dialog.value() > 0, "download progress")
    return "download MNIST"


def comparison(app, win):
    """Train → Compare runs…, the g preset on random images, quit while the three runs train."""
    window = win.open_compare()
    window.setup.epochs.setValue(50)
    window.start()
    wait_until(app, lambda: window.run.last is not None and window.run.running, "the runs' first record")
    return "comparisonRunner"


KINDS = {f.__name__: f for f in (training, training_paused, lab_neuron, lab_traffic, lab_playground, mistakes,
                                 all_edges, topk_picture, gradcheck, loading, deskew, download, comparison)}
QUITS = ("ctrl+q", "menu", "close")


def quit_by(app, win, how: str) -> None:
    if how == "ctrl+q":
        win.activateWindow()
        if not QTest.qWaitForWindowActive(win, 5000):
            print("the window never became active", file=sys.stderr)
        QTest.keyClick(win, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    elif how == "menu":
        win.findChild(QAction, "quitAction").trigger()
    else:
        win.close()


def main(kind: str, how: str) -> int:
    app = QApplication(sys.argv[:1])
    from nnviz.gui import MainWindow

    win = MainWindow(data=random_split())
    win.session.choose_start = lambda text: fine_tune.KEEP  # Start on the shipped model asks (a modal dialog)
    from nnviz.gui.app import unsaved

    unsaved.ask = lambda *a: print("asked to save:", a[1], flush=True) or unsaved.DISCARD  # the user discards
    win.show()
    name = KINDS[kind](app, win)
    running = concurrency.registry().running()
    print("running:", running, flush=True)
    if name not in running:
        print(f"{name!r} is not running", file=sys.stderr)
        return 3
    QTimer.singleShot(0, lambda: quit_by(app, win, how))
    return app.exec()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else "menu"))
