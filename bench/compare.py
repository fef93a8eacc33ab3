"""What comparing runs costs (issue 26): lockstep against single runs, the distributions, and the window.

    python bench/compare.py [--batches 200] [--repeats 3] [--gui-seconds 8] [--moves 12]

(a) lockstep_ratio: three runs of 784-300-100-10 (the g preset: sigmoid, ReLU, tanh) on the same MNIST batches,
    trained in lockstep by nnviz.core.compare, against the same three trained one at a time by the same code,
    in the same process, interleaved (medians over --repeats; target ≤ 1.15);
(b) distributions_share: the time spent taking the W and dJ/dW distributions during a lockstep run, against the
    rest of its time (target ≤ 0.05);
(c) stall_p99_ms: the window's GUI thread while the three runs train in Train → Compare runs… on the full
    MNIST for --gui-seconds, the tabs changing every second: how late a 5 ms timer fires (target ≤ 50);
(d) map_ms: scrubbing the hidden layer's map of 2,000 test digits through the history, from the slider's move
    to the moved points (median and max over --moves; target ≤ 100).
Prints one JSON object.
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

import numpy as np  # noqa: E402

from nnviz.core import compare as lockstep_module  # noqa: E402
from nnviz.core.compare import PRESETS, compare  # noqa: E402
from nnviz.core.data.mnist import load_folder  # noqa: E402
from nnviz.core.training import Split  # noqa: E402


def timed(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def headless(data: Split, repeats: int) -> dict:
    specs = PRESETS["g"]
    lockstep, separate, in_bands = [], [], []
    record_bands = lockstep_module._Run.record_bands
    spent = [0.0]

    def timed_bands(run, t):  # the distributions' own time, measured where it is spent: a run-to-run
        t0 = time.perf_counter()  # comparison of whole runs has ±10% of noise here, the share is ~2%
        record_bands(run, t)
        spent[0] += time.perf_counter() - t0

    for _ in range(repeats):
        spent[0] = 0.0
        lockstep_module._Run.record_bands = timed_bands
        try:
            lockstep.append(timed(lambda: compare(specs, data, epochs=1)))
        finally:
            lockstep_module._Run.record_bands = record_bands
        in_bands.append(spent[0] / (lockstep[-1] - spent[0]))
        separate.append(timed(lambda: [compare([spec], data, epochs=1) for spec in specs]))
    lock, sep = (statistics.median(v) for v in (lockstep, separate))
    return {"lockstep_s": round(lock, 3), "separate_s": round(sep, 3), "lockstep_ratio": round(lock / sep, 3),
            "distributions_share": round(statistics.median(in_bands), 4)}


def in_the_window(mnist_dir: Path, seconds: float, moves: int) -> dict:
    from PySide6.QtWidgets import QApplication
    from ui_latency import StallMeter

    from nnviz.gui import MainWindow

    app = QApplication.instance() or QApplication(["nnviz-bench"])
    win = MainWindow(data_dir=str(mnist_dir))
    win.setProperty("quitWithoutAsking", True)
    win.resize(1366, 768)
    win.show()
    window = win.open_compare()
    window.setup.epochs.setValue(50)
    meter = StallMeter()
    meter.start()
    window.start()
    wait(app, lambda: window.run.last is not None, 120)
    meter.recording = True
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        window.tabs.setCurrentIndex(int(time.monotonic()) % window.tabs.count())
        pump(app, 0.05)
    meter.recording = False
    window.stop()
    wait(app, lambda: not window.run.running, 120)
    late = np.asarray(meter.late or [0.0])
    scrub = scrub_times(app, window, moves)
    win.close()
    return {"stall_p99_ms": round(float(np.percentile(late, 99)), 2), "stall_max_ms": round(float(late.max()), 2),
            "batches_in_window": window.view.done if window.view else 0,
            "map_ms": round(statistics.median(scrub), 1), "map_ms_max": round(max(scrub), 1),
            "map_digits": len(window.map.x)}


def scrub_times(app, window, moves: int) -> list[float]:
    """ms from a slider move to the map's points moved, for `moves` moves back and forth over the history."""
    window.tabs.setCurrentWidget(window.map)
    wait(app, lambda: not window.map.jobs.busy, 60)
    slider, times = window.map.slider, []
    if slider.maximum() == 0:
        raise SystemExit("the run kept one snapshot: nothing to scrub")
    for k in range(moves):
        target = (slider.value() + 1 + (k * 5) % slider.maximum()) % (slider.maximum() + 1)  # never where it is
        shown = window.map.xy
        t0 = time.perf_counter()
        slider.setValue(target)
        wait(app, lambda shown=shown: window.map.xy is not shown and not window.map.jobs.busy, 60)
        times.append(1000 * (time.perf_counter() - t0))
    return times


def pump(app, seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()


def wait(app, condition, timeout: float) -> None:
    end = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > end:
            raise SystemExit("timed out")
        app.processEvents()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--batches", type=int, default=200)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--gui-seconds", type=float, default=8.0)
    ap.add_argument("--moves", type=int, default=12)
    args = ap.parse_args()
    from train_speed import mnist_folder

    folder = mnist_folder()
    if folder is None:
        raise SystemExit("MNIST not found: set NNVIZ_DATA")
    d = load_folder(folder)
    n = args.batches * 128
    data = Split(d.x_train[:n], d.y_train[:n], d.x_test[:1000], d.y_test[:1000])
    figures = headless(data, args.repeats)
    figures.update(in_the_window(folder, args.gui_seconds, args.moves))
    figures.update({"runs": 3, "batches": args.batches, "repeats": args.repeats,
                    "targets": {"lockstep_ratio": 1.15, "distributions_share": 0.05, "stall_p99_ms": 50,
                                "map_ms": 100}, "load_average_1min": round(os.getloadavg()[0], 2)})
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
