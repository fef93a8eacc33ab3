"""GUI smoothness while training live, and what the live view costs the training.

    python bench/ui_latency.py [--seconds 20] [--blas-threads 1] [--batch-size 128]

Opens the real window offscreen (every view, the network scene showing a test digit), trains on the
full MNIST for about `--seconds` with the views following the weights, and measures
(a) the GUI thread's stalls: how late a 5 ms QTimer fires (p50, p99, max), and
(b) the epoch time with the live view against a headless epoch (core.training.train in this process,
    no GUI events) on the same data and settings, in the same run, and
(c) the process's peak resident memory up to the end of the live training (rss_mb).
Prints one JSON object. Targets: stall_p99_ms <= 50; ratio (live / headless) <= 1.5; rss_mb <= 350.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
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
from PySide6.QtCore import QElapsedTimer, Qt, QTimer
from PySide6.QtWidgets import QApplication

from nnviz.core.data import mnist
from nnviz.core.pixels import as_input
from nnviz.core.training import EpochDone, train
from nnviz.gui import MainWindow
from nnviz.gui.concurrency import limit_blas_threads

TICK_MS = 5


def mnist_folder() -> Path:
    for d in (os.environ.get("NNVIZ_DATA"), REPO / ".." / "shared" / "data" / "mnist", mnist.cache_dir()):
        if d and mnist.find_mnist(d) == Path(d):
            return Path(d)
    return mnist.download_mnist()


class StallMeter:
    """A 5 ms precise timer; records how late each tick comes (ms) while recording is on."""

    def __init__(self) -> None:
        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self._tick)
        self.clock = QElapsedTimer()
        self.late: list[float] = []
        self.recording = False
        self._last = None

    def start(self) -> None:
        self.clock.start()
        self.timer.start()

    def _tick(self) -> None:
        now = self.clock.nsecsElapsed() / 1e6
        if self.recording and self._last is not None:
            self.late.append(max(0.0, now - self._last - TICK_MS))
        self._last = now


def peak_rss_mb() -> float:
    """This process's peak resident set size so far, in MB (Linux reports kB, macOS bytes)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(peak / (1 << 20 if sys.platform == "darwin" else 1 << 10), 1)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--seconds", type=float, default=20.0)
    ap.add_argument("--blas-threads", type=int, default=1)
    ap.add_argument("--batch-size", type=int, default=128)
    ap.add_argument("--headless-epochs", type=int, default=3, help="headless epochs timed for the ratio")
    args = ap.parse_args()

    app = QApplication(sys.argv[:1])
    data = mnist.load_folder(mnist_folder())
    win = MainWindow(data=data)
    win.setProperty("quitWithoutAsking", True)  # app.quit() closes it: no save question in a benchmark
    limit_blas_threads(args.blas_threads)
    win.show()
    win.state.set_input(as_input(data.x_test[0]), int(data.y_test[0]), "dataset")
    win.session.reset_weights()
    start_flat = win.state.network.flat.copy()
    win.train_panel.epochs_spin.setValue(1000)
    win.train_panel.batch_spin.setValue(args.batch_size)
    cfg = win.train_panel.config()

    meter = StallMeter()
    meter.start()
    epochs: list[float] = []
    used: dict = {}
    ctl = win.run
    ctl.epochDone.connect(lambda e: epochs.append(e.seconds))
    ctl.started.connect(lambda _cfg: used.setdefault("data", win.provider._deskewed or win.provider.data))
    t_begin: list[float] = []

    def on_first_batch(*_):
        if not t_begin:
            t_begin.append(time.perf_counter())
            meter.recording = True
            QTimer.singleShot(int(args.seconds * 1000), finish)

    def finish():
        meter.recording = False
        used["rss_mb"] = peak_rss_mb()
        win.session.shutdown(5000)
        app.quit()

    ctl.batchDone.connect(on_first_batch)
    win.session.start()
    QTimer.singleShot(int((args.seconds + 120) * 1000), app.quit)  # safety net
    app.exec()
    live_seconds = time.perf_counter() - t_begin[0] if t_begin else 0.0
    meter.timer.stop()

    # headless: the same data and settings, no GUI events, in this process
    net = win.state.network.copy()
    net.flat[...] = start_flat
    headless = []
    for event in train(net, used["data"], type(cfg)(**{**cfg.__dict__, "epochs": args.headless_epochs})):
        if isinstance(event, EpochDone):
            headless.append(event.seconds)

    late = np.array(meter.late) if meter.late else np.zeros(1)
    live_epoch = statistics.median(epochs[1:] or epochs) if epochs else float("nan")
    headless_epoch = statistics.median(headless)
    def num(x: float, nd: int = 3):
        return round(float(x), nd) if np.isfinite(x) else None  # JSON has no NaN

    print(json.dumps({
        "stall_p50_ms": round(float(np.percentile(late, 50)), 2),
        "stall_p99_ms": round(float(np.percentile(late, 99)), 2),
        "stall_max_ms": round(float(late.max()), 2),
        "epoch_live_s": num(live_epoch),
        "epoch_headless_s": num(headless_epoch),
        "ratio": num(live_epoch / headless_epoch),
        "rss_mb": used.get("rss_mb"),
        "live_epochs": len(epochs), "live_seconds": round(live_seconds, 1), "ticks": len(meter.late),
        "blas_threads": args.blas_threads, "batch_size": args.batch_size, "train_images": len(used["data"].x_train),
        "load_average_1min": os.getloadavg()[0], "cpus": os.cpu_count(),
    }))


if __name__ == "__main__":
    main()
