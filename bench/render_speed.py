"""Network scene speed, offscreen at 1600x900; prints one JSON object of medians.

activations_ms: a new input (trace + recolour) and a forced repaint      target <= 16 ms
weights_topk_ms: new weights in strongest-edges mode, k = 10,000, repaint target <= 33 ms
  (the lines are painted off the GUI thread: weights_topk_image_ms is the wait until the new picture is
  on screen, gui_thread_cpu_ms.weights_topk_cycle the GUI thread's CPU for all of it; updates arrive at
  most ~15 times a second in the app, so each starts with no picture being painted; weights_topk_burst_ms:
  back to back, each while the previous picture is still being painted)
hover_ms: hover a different neuron (its fan-in/out), repaint             target <= 16 ms
all_edges_s: all 266,200 edges re-rendered off the GUI thread            target <= 1 s
all_edges_gui_stall_ms: the GUI thread's longest stall meanwhile         target <= 50 ms
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np
from PySide6.QtCore import QElapsedTimer, QEvent, QEventLoop, QObject, QTimer
from PySide6.QtWidgets import QApplication

from nnviz.gui.gallery import demo
from nnviz.gui.network.view import NetworkView

REPEATS = 25


class PaintCounter(QObject):
    """Counts paint events of a widget (so a repaint is forced only when none happened)."""

    def __init__(self, widget):
        super().__init__()
        self.count = 0
        widget.installEventFilter(self)

    def eventFilter(self, obj, ev) -> bool:
        if ev.type() == QEvent.Type.Paint:
            self.count += 1
        return False


def repaint(app: QApplication, view: NetworkView) -> None:
    """Deliver the queued scene update (that paints the viewport); force a paint if it did not."""
    counter = view._bench_paints
    before = counter.count
    app.processEvents()
    if counter.count == before:
        view.canvas.viewport().repaint()


def settle(app: QApplication, view: NetworkView) -> None:
    """Wait (without polling) until the pictures painted off the GUI thread have arrived, then paint them."""
    while not view.items.edges_settled():
        app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)
    repaint(app, view)


def timed(fn, app, view, n=REPEATS, spaced: bool = False) -> tuple[float, ...]:
    """Medians (wall ms, GUI-thread CPU ms) of fn(i) + the repaint it causes; spaced: each starts once the
    previous pictures have arrived, and also (wall ms, GUI-thread CPU ms) until the new picture is shown."""
    wall, cpu, wall_all, cpu_all = [], [], [], []
    for i in range(n):
        t, c = time.perf_counter(), time.thread_time()
        fn(i)
        repaint(app, view)
        wall.append((time.perf_counter() - t) * 1000)
        cpu.append((time.thread_time() - c) * 1000)
        if spaced:
            settle(app, view)
            wall_all.append((time.perf_counter() - t) * 1000)
            cpu_all.append((time.thread_time() - c) * 1000)
    if not spaced:
        return statistics.median(wall), statistics.median(cpu)
    return tuple(statistics.median(x) for x in (wall, cpu, wall_all, cpu_all))


def one_render(app: QApplication, view: NetworkView) -> tuple[float, float]:
    """(seconds until allEdgesImageReady, longest gap in ms between 5 ms GUI-thread ticks meanwhile)."""
    done, gaps, clock = [], [], QElapsedTimer()
    view.allEdgesImageReady.connect(lambda: done.append(time.perf_counter()))
    ticker = QTimer()
    ticker.setInterval(5)
    ticker.timeout.connect(lambda: gaps.append(clock.restart()))
    t0 = time.perf_counter()
    view.items.request_all_edges()
    clock.start()
    ticker.start()
    while not done:
        app.processEvents()
        time.sleep(0.001)
    ticker.stop()
    view.allEdgesImageReady.disconnect()
    return done[0] - t0, float(max(gaps) if gaps else 0)


def all_edges(app: QApplication, view: NetworkView, n: int = 3) -> tuple[float, float]:
    """Medians of one_render over n renders."""
    runs = [one_render(app, view) for _ in range(n)]
    return statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)


def main() -> None:
    app = QApplication.instance() or QApplication([])
    state = demo.make_state(0)
    view = NetworkView(state)
    view.resize(1600, 900)
    view.show()
    view._bench_paints = PaintCounter(view.canvas.viewport())
    view.edge_interval_ms = 0  # measure every redraw (the app throttles new weights to ~15 Hz)
    repaint(app, view)
    digits = [demo.test_digit(i) for i in range(REPEATS)]
    act = timed(lambda i: state.set_input(digits[i][0], digits[i][1], "dataset"), app, view)

    view.model.set_edge_mode("topk", k=10000)
    base = state.network.flat.copy()
    rng = np.random.default_rng(0)
    flats = [base + rng.normal(0, 0.01, base.size).astype(base.dtype) for _ in range(REPEATS)]
    settle(app, view)
    topk = timed(lambda i: state.set_weights(flats[i]), app, view, spaced=True)
    burst = timed(lambda i: state.set_weights(flats[-1 - i]), app, view)
    state.set_weights(base)
    settle(app, view)

    view.model.set_edge_mode("topk", k=2000)
    settle(app, view)
    picks = [(1 + i % 3, (7 * i) % 10) for i in range(REPEATS)]
    hover = timed(lambda i: view.hover_neuron(*picks[i]), app, view)
    view.hover_neuron(-1, -1)

    view.model.set_edge_mode("all")
    all_s, stall = all_edges(app, view)
    print(json.dumps({"activations_ms": round(act[0], 2), "weights_topk_ms": round(topk[0], 2),
                      "weights_topk_image_ms": round(topk[2], 2), "weights_topk_burst_ms": round(burst[0], 2),
                      "hover_ms": round(hover[0], 2), "all_edges_s": round(all_s, 3),
                      "all_edges_gui_stall_ms": round(stall, 1),
                      "gui_thread_cpu_ms": {"activations": round(act[1], 2), "weights_topk": round(topk[1], 2),
                                            "weights_topk_cycle": round(topk[3], 2),
                                            "weights_topk_burst": round(burst[1], 2), "hover": round(hover[1], 2)},
                      "load_average_1min": round(os.getloadavg()[0], 2),
                      "targets": {"activations_ms": 16, "weights_topk_ms": 33, "hover_ms": 16,
                                  "all_edges_s": 1.0, "all_edges_gui_stall_ms": 50}}))


if __name__ == "__main__":
    main()
