"""How cost grows with the network, and whether the window stays live at every size.

    python bench/scaling.py [--sizes 784-100-10 784-300-100-10 ...] [--seconds 3] [--blas-threads 1]

For each architecture (default 784-100-10, 784-300-100-10, 784-1000-1000-10, 784-2000-2000-2000-10):
- params; epoch_headless_s: core.training.train in this process, no GUI events;
- epoch_live_s and stall_p99_ms: the real window (offscreen, every view, the scene following the
  weights) trains the same data while a 5 ms QTimer records how late it fires (bench/ui_latency.py);
- scene_input_ms / scene_weights_ms: GUI-thread CPU of a new input and of new weights (strongest
  10,000 edges) in a NetworkView of 1920x1080, repaint included (bench/render_speed.py); *_wall_ms
  the same in wall time (the machine is shared: wall includes waiting for a core); trace_ms: the part of
  both that is core's Network.trace of the input (AppState retraces on every new input and new weights);
- all_edges_s: the all-edges picture, painted off the GUI thread (all_edges_drawn: lines it drew).
Then the slope of the headless epoch time against parameters (a least-squares line, with r²) and
the worst case over all sizes.

To keep it runnable on a 2-core machine, epochs are FRACTIONS of MNIST: the first `fraction` of the
60,000 training and 10,000 test images (each fraction sized so that its epoch takes about
--seconds), and every epoch time is scaled by 1 / fraction to a full epoch (the JSON says so per
architecture). Targets: stall p99 <= 50 ms, live / headless <= 1.5, scene new input <= 16 ms and new
weights <= 33 ms of GUI-thread work, all-edges picture <= 2 s (or sampled, and the legend says so).
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
sys.path.insert(0, str(REPO / "bench"))

import numpy as np
import render_speed as RS  # noqa: E402 (bench/, after sys.path)
import ui_latency as UL  # noqa: E402
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from nnviz.core import budget
from nnviz.core.data import mnist
from nnviz.core.network import Architecture, Network
from nnviz.core.trace import frozen
from nnviz.core.training import EpochDone, Split, train
from nnviz.gui import MainWindow
from nnviz.gui.concurrency import limit_blas_threads
from nnviz.gui.network.view import NetworkView
from nnviz.gui.state import AppState

SIZES = ("784-100-10", "784-300-100-10", "784-1000-1000-10", "784-2000-2000-2000-10")
SCENE_REPEATS = 8
LIVE_SECONDS = 8.0  # at least this long trained live (at least 3 fractional epochs; the first is not counted)


def fraction_for(arch: Architecture, batch_size: int, seconds: float) -> float:
    """The share of MNIST whose epoch takes about `seconds` here (at least 10 batches, at most all)."""
    est = budget.estimate(arch, batch_size).seconds_per_epoch * 2.5  # the estimate is a FLOP floor
    least = 10 * batch_size / 60_000
    return float(min(1.0, max(least, seconds / max(est, 1e-9))))


def part(data, fraction: float) -> Split:
    n, m = round(len(data.x_train) * fraction), max(1, round(len(data.x_test) * fraction))
    return Split(data.x_train[:n], data.y_train[:n], data.x_test[:m], data.y_test[:m])


def headless_epoch(arch: Architecture, data, cfg) -> float:
    """Seconds of the second of two epochs (the first warms up), as measured by core.training."""
    net = Network(arch, seed=0)
    times = [e.seconds for e in train(net, data, cfg) if isinstance(e, EpochDone)]
    return times[-1]


def live_run(app: QApplication, win, arch: Architecture, data, batch_size: int, epochs_n: int
             ) -> tuple[float, np.ndarray]:
    """(median seconds of the live fractional epochs after the first, the stall meter's late ticks in ms)."""
    win.provider.set_data(data)
    win.session.confirm_discard = lambda _text: True
    win.session.set_architecture(arch)
    win.state.set_input(data.x_test[0], int(data.y_test[0]), "dataset")
    win.train_panel.show_architecture(arch)
    win.train_panel.epochs_spin.setValue(epochs_n)
    win.train_panel.batch_spin.setValue(batch_size)
    meter = UL.StallMeter()
    meter.start()
    epochs: list[float] = []
    ctl = win.run

    def on_epoch(e):
        epochs.append(e.seconds)

    def on_batch(*_):
        meter.recording = True

    ctl.epochDone.connect(on_epoch)
    ctl.batchDone.connect(on_batch)
    ctl.finished.connect(app.quit)
    safety = QTimer()
    safety.setSingleShot(True)
    safety.timeout.connect(app.quit)
    safety.start(600_000)
    win.session.start()
    app.exec()
    meter.recording = False
    meter.timer.stop()
    safety.stop()
    for signal, slot in ((ctl.epochDone, on_epoch), (ctl.batchDone, on_batch), (ctl.finished, app.quit)):
        signal.disconnect(slot)
    win.session.shutdown(10_000)
    late = np.array(meter.late) if meter.late else np.zeros(1)
    return statistics.median(epochs[1:] or epochs), late


def scene_times(app: QApplication, arch: Architecture, digits) -> dict:
    """GUI-thread CPU and wall ms of a new input and new weights at 1920x1080; the all-edges picture."""
    state = AppState(Network(arch, seed=0))
    state.set_input(*digits[0], "dataset")
    view = NetworkView(state)
    view.resize(1920, 1080)
    view.show()
    view._bench_paints = RS.PaintCounter(view.canvas.viewport())
    view.edge_interval_ms = 0
    RS.repaint(app, view)
    n = SCENE_REPEATS
    act = RS.timed(lambda i: state.set_input(digits[i % len(digits)][0], digits[i % len(digits)][1], "dataset"),
                   app, view, n=n)
    view.model.set_edge_mode("topk", k=10000)
    base = state.network.flat.copy()
    rng = np.random.default_rng(0)
    noise = rng.normal(0, 0.01, base.size).astype(base.dtype)
    RS.settle(app, view)
    flats = [frozen(base + noise), frozen(base - noise)]  # read-only as the worker sends them, made untimed
    topk = RS.timed(lambda i: state.set_weights(flats[i % 2]), app, view, n=n, spaced=True)
    view.model.set_edge_mode("all")
    all_s, stall = RS.one_render(app, view)
    trace = []
    for x, label in digits:  # the part of both that is core's Network.trace (state retraces the input)
        c = time.thread_time()
        state.network.trace(x, label)
        trace.append((time.thread_time() - c) * 1000)
    out = {"scene_input_ms": round(act[1], 1), "scene_input_wall_ms": round(act[0], 1),
           "trace_ms": round(statistics.median(trace), 1),
           "scene_weights_ms": round(topk[1], 1), "scene_weights_wall_ms": round(topk[0], 1),
           "all_edges_s": round(all_s, 2), "all_edges_gui_stall_ms": round(stall, 1),
           "all_edges_drawn": view.items.all_edges_drawn, "all_edges_legend": view.model.edges.line}
    view.close()
    view.deleteLater()
    return out


def slope(params: list[int], seconds: list[float]) -> dict:
    """Least-squares line seconds = a * params + b, with r² (1: exactly linear)."""
    p, s = np.array(params, float), np.array(seconds, float)
    if p.size < 2:
        return {"epoch_s_per_million_params": None, "intercept_s": None, "r2": None}
    a, b = np.polyfit(p, s, 1)
    r2 = 1 - np.sum((s - (a * p + b)) ** 2) / max(np.sum((s - s.mean()) ** 2), 1e-12)
    return {"epoch_s_per_million_params": round(a * 1e6, 3), "intercept_s": round(b, 3), "r2": round(float(r2), 4)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--sizes", nargs="+", default=list(SIZES))
    ap.add_argument("--seconds", type=float, default=3.0, help="about how long each fractional epoch takes")
    ap.add_argument("--blas-threads", type=int, default=1)
    ap.add_argument("--batch-size", type=int, default=128)
    ap.add_argument("--live-seconds", type=float, default=LIVE_SECONDS, help="at least this long trained live")
    args = ap.parse_args()

    app = QApplication(sys.argv[:1])
    data = mnist.load_folder(UL.mnist_folder())
    limit_blas_threads(args.blas_threads)
    digits = [(np.asarray(data.x_test[i], np.float32), int(data.y_test[i])) for i in range(SCENE_REPEATS)]
    win = MainWindow(data=data)
    win.setProperty("quitWithoutAsking", True)  # app.quit() closes it: no save question in a benchmark
    win.resize(1920, 1080)
    win.show()
    load_before = os.getloadavg()[0]
    rows = {}
    for text in args.sizes:
        arch = Architecture(tuple(int(s) for s in text.split("-")))
        f = fraction_for(arch, args.batch_size, args.seconds)
        chunk = part(data, f)
        win.train_panel.batch_spin.setValue(args.batch_size)
        cfg = win.train_panel.config()
        headless = headless_epoch(arch, chunk, type(cfg)(**{**cfg.__dict__, "epochs": 2}))
        epochs_n = int(min(50, max(3, np.ceil(args.live_seconds / max(headless, 1e-3)) + 1)))
        live, late = live_run(app, win, arch, chunk, args.batch_size, epochs_n)
        rows[text] = {"params": arch.n_params, "fraction_of_epoch": round(f, 4),
                      "batches_measured": -(-len(chunk.x_train) // args.batch_size),
                      "epoch_headless_s": round(headless / f, 2), "epoch_live_s": round(live / f, 2),
                      "live_ratio": round(live / headless, 3),
                      "stall_p50_ms": round(float(np.percentile(late, 50)), 1),
                      "stall_p99_ms": round(float(np.percentile(late, 99)), 1),
                      "stall_max_ms": round(float(late.max()), 1), "ticks": int(late.size),
                      **scene_times(app, arch, digits)}
        print(f"{text}: {rows[text]}", file=sys.stderr)
    win.close()
    vals = list(rows.values())
    print(json.dumps({
        "architectures": rows,
        "slope": slope([r["params"] for r in vals], [r["epoch_headless_s"] for r in vals]),
        "stall_p99_max_ms": max(r["stall_p99_ms"] for r in vals),
        "stall_max_ms": max(r["stall_max_ms"] for r in vals),  # the longest single stall (p99 hides rare ones)
        "live_ratio_max": max(r["live_ratio"] for r in vals),
        "scene_input_ms_max": max(r["scene_input_ms"] for r in vals),
        "scene_weights_ms_max": max(r["scene_weights_ms"] for r in vals),
        "all_edges_s_max": max(r["all_edges_s"] for r in vals),
        "measured": "fractional epochs: the first fraction_of_epoch of MNIST's training and test images per "
                    "epoch, every epoch time scaled by 1 / fraction to a full 60,000-image epoch",
        "blas_threads": args.blas_threads, "batch_size": args.batch_size, "scene_px": [1920, 1080],
        "load_average_1min": {"before": round(load_before, 2), "after": round(os.getloadavg()[0], 2)},
        "cpus": os.cpu_count(),
        "targets": {"stall_p99_ms": 50, "live_ratio": 1.5, "scene_input_ms": 16, "scene_weights_ms": 33,
                    "all_edges_s": 2.0},
    }))


if __name__ == "__main__":
    main()
