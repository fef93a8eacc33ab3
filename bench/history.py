"""Rewinding training: the history's memory, the timeline's speed, and what recording costs training.

    python bench/history.py [--epochs 3]

Opens the real window offscreen at 1920x1080 (every view, a test digit as input) and trains
784-300-100-10 on the full MNIST live, one epoch per run: after a warm-up epoch, `--epochs` runs recording
the history interleaved with as many runs that do not (pairs in alternating order; same process, window
and data), so the machine's load hits both alike.
Then it moves the timeline slider to random snapshots and times each move until every visible view has
been updated (the views' own throttles are flushed, not waited for): in the default window (the scene's
neurons and edges, the curves' cursor, the training panel; the other docks' tabs are behind), and again
with the Draw and Receptive fields tabs raised (the prediction and the receptive fields too).

Prints one JSON object:
  history_mb          memory of the recorded history (float16 snapshots)
  history_mb_20_epochs  the same schedule over 20 epochs of 469 batches (recorded into a History, not estimated)
  scrub_ms_median, scrub_ms_p95   slider move -> every visible view updated, default window
  scrub_all_views_ms_median, scrub_all_views_ms_p95   the same with prediction and receptive fields on show
  train_slowdown      median epoch time with history on / off
  recording_s_per_epoch, recording_share_of_epoch   the time spent taking snapshots (the worker thread),
                      measured directly: the part of the slowdown that the machine's load cannot blur
  train_slowdown_from_recording   epoch time with history / the same without the time spent recording
Targets: scrub p95 <= 50 ms, slowdown <= 1.05, history <= 150 MB for 20 epochs of 784-300-100-10.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["NNVIZ_SETTINGS_DIR"] = tempfile.mkdtemp(prefix="nnviz-bench-settings-")
REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import numpy as np
from PySide6.QtWidgets import QApplication

from nnviz.core.data import mnist
from nnviz.core.history import History
from nnviz.core.training import BatchDone, Split
from nnviz.gui import MainWindow
from nnviz.gui.network.receptive_fields import ReceptiveFieldGallery


def mnist_folder() -> Path:
    for d in (os.environ.get("NNVIZ_DATA"), REPO / ".." / "shared" / "data" / "mnist", mnist.cache_dir()):
        if d and mnist.find_mnist(d) == Path(d):
            return Path(d)
    return mnist.download_mnist()


def time_recording(history: History) -> list[float]:
    """Wrap history's recording methods so that the seconds spent in them (in the worker thread) add up."""
    spent = [0.0]
    for name in ("begin_run", "on_batch", "on_end"):
        method = getattr(history, name)

        def timed(*args, _method=method):
            t0 = time.perf_counter()
            _method(*args)
            spent[0] += time.perf_counter() - t0
        setattr(history, name, timed)
    return spent


def one_epoch(app: QApplication, win: MainWindow, record: bool) -> float:
    """Train one epoch live (recording into the window's history or not); its seconds (EpochDone)."""
    win.run.history = win.timeline.history if record else None
    seconds, done = [], []
    on_epoch, on_done = (lambda e: seconds.append(e.seconds)), done.append
    win.run.epochDone.connect(on_epoch)
    win.run.finished.connect(on_done)
    win.session.start()
    while not done:
        app.processEvents()
        time.sleep(0.002)
    win.run.epochDone.disconnect(on_epoch)
    win.run.finished.disconnect(on_done)
    win.run.history = win.timeline.history
    return seconds[0]


def scrub(app: QApplication, win: MainWindow, moves: int = 60) -> list[float]:
    """Milliseconds from a slider move to every visible view updated, for random snapshots."""
    rng = np.random.default_rng(0)
    slider, view = win.timeline.bar.slider, win.views.network
    rfs = win.findChildren(ReceptiveFieldGallery)
    times = []
    for i in rng.integers(0, slider.maximum() + 1, moves):
        t0 = time.perf_counter()
        slider.setValue(int(i) if int(i) != slider.value() else max(0, int(i) - 1))
        view.flush_edges()  # the scene's edge throttle: its edges now
        for rf in rfs:
            if rf.isVisible() and rf._timer.isActive():  # the receptive fields' throttle: what it would do, now
                rf._timer.stop()
                rf.refresh()
        app.processEvents()  # every repaint
        times.append((time.perf_counter() - t0) * 1000)
    return times


def twenty_epochs_mb(n_params: int = 266_610, n_batches: int = 469, epochs: int = 20) -> float:
    """Record the default schedule over 20 epochs into a History (random weights, the real sizes)."""
    history = History()
    flat = np.random.default_rng(0).normal(0, 0.1, n_params).astype(np.float32)
    history.begin_run(flat)
    for e in range(epochs):
        for b in range(n_batches):
            history.on_batch(flat, BatchDone(e, b, n_batches, 128, 0, 0.1, None, 1e-3, 0.0))
        history.on_end(flat)
    return history.nbytes / 1e6


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--images", type=int, default=60_000, help="training images per epoch (a quick run: fewer)")
    ap.add_argument("--moves", type=int, default=60, help="timeline moves timed")
    args = ap.parse_args()
    app = QApplication(sys.argv[:1])
    data = mnist.load_folder(mnist_folder())
    data = Split(data.x_train[:args.images], data.y_train[:args.images], data.x_test, data.y_test)
    win = MainWindow(data=data)
    win.setProperty("quitWithoutAsking", True)  # app.quit() closes it: no save question in a benchmark
    win.resize(1920, 1080)
    win.show()
    win.state.set_input(data.x_test[0], int(data.y_test[0]), "dataset")
    win.session.confirm_discard = lambda text: True
    win.session.choose_start = lambda text: "keep"  # Start on a trained model asks (fine_tune.KEEP: no question)
    win.train_panel.epochs_spin.setValue(1)
    app.processEvents()
    one_epoch(app, win, False)  # warm-up (first-run costs), not counted
    recording = time_recording(win.timeline.history)
    on, off = [], []
    for i in range(args.epochs):  # on/off pairs, in alternating order
        for record in ((True, False) if i % 2 == 0 else (False, True)):
            (on if record else off).append(one_epoch(app, win, record))
    history = win.timeline.history
    times = scrub(app, win, args.moves)  # the default window: the scene, the curves, the training panel on show
    win.timeline.leave()
    for name in ("drawDock", "receptiveFieldsDock"):  # and with the prediction and receptive fields on show too
        win.docks[name].raise_()
    app.processEvents()
    more = scrub(app, win, args.moves)
    win.timeline.leave()
    print(json.dumps({
        "history_mb": round(history.nbytes / 1e6, 1),
        "snapshots": len(history),
        "history_mb_20_epochs": round(twenty_epochs_mb(), 1),
        "scrub_ms_median": round(statistics.median(times), 1),
        "scrub_ms_p95": round(float(np.percentile(times, 95)), 1),
        "scrub_all_views_ms_median": round(statistics.median(more), 1),
        "scrub_all_views_ms_p95": round(float(np.percentile(more, 95)), 1),
        "train_slowdown": round(statistics.median(on) / statistics.median(off), 3),
        "train_slowdown_from_recording": round(sum(on) / (sum(on) - recording[0]), 3),
        "recording_s_per_epoch": round(recording[0] / args.epochs, 3),
        "recording_share_of_epoch": round(recording[0] / sum(on), 4),
        "epoch_s_history_on": [round(s, 2) for s in on],
        "epoch_s_history_off": [round(s, 2) for s in off],
        "window": [win.width(), win.height()],
    }))
    win.session.shutdown(5000)


if __name__ == "__main__":
    main()
