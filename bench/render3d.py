"""The 3-D network view's cost on this machine: Mesa's software OpenGL (llvmpipe) under Xvfb at 1366x768.

    python bench/render3d.py [--frames 60]

Starts its own Xvfb when there is no DISPLAY. The Network view in 3-D on the shipped model (784-300-100-10,
the default strongest 1,000 edges), measured on the GUI thread, each until its frame is on the screen:
input_ms, a new input (a canvas stroke: the trace, the colours, a frame; median of 30); weights_ms, new
weights (training: neurons, the strongest edges, a frame; median of 30); orbit_ms_median and orbit_ms_p95,
one orbit step and its frame; orbit_ms_p95_big, the same for 784-2000-2000-2000-10. Each is the GUI thread's
own time (CPU), as the targets say, until the frame is swapped onto the screen; *_wall_ms are the wall times,
which also count the waits for Mesa's rendering threads (a GPU renders beside the GUI thread) and Qt's update
timer. Prints one JSON object.
Targets: input_ms ≤ 16, weights_ms ≤ 33, orbit median ≤ 40 and p95 ≤ 60, big p95 ≤ 120.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
os.environ["NNVIZ_SETTINGS_DIR"] = tempfile.mkdtemp(prefix="nnviz-bench-settings-")


def own_display() -> subprocess.Popen | None:
    """An Xvfb of our own when there is no DISPLAY (its number picked by Xvfb itself)."""
    if os.environ.get("DISPLAY"):
        return None
    read, write = os.pipe()
    server = subprocess.Popen(["Xvfb", "-displayfd", str(write), "-screen", "0", "1366x768x24", "-nolisten", "tcp",
                               "-noreset"], pass_fds=(write,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write)
    with os.fdopen(read) as pipe:
        os.environ["DISPLAY"] = ":" + pipe.readline().strip()
    os.environ["QT_QPA_PLATFORM"] = "xcb"
    return server


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--frames", type=int, default=60)
    args = ap.parse_args()
    server = own_display()
    if server is None:
        print(json.dumps(measure(args.frames)))
        return
    try:  # the measuring app in a process of its own: it leaves the X server before the server goes
        proc = subprocess.run([sys.executable, __file__, "--frames", str(args.frames)], env=os.environ.copy(),
                              capture_output=True, text=True)
        sys.stdout.write(proc.stdout)
        if proc.returncode:
            raise SystemExit(proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else proc.returncode)
    finally:
        server.terminate()
        server.wait(10)


def measure(frames: int) -> dict:
    import numpy as np
    from PySide6.QtCore import QEventLoop, QObject, QTimer
    from PySide6.QtWidgets import QApplication

    from nnviz.core import preprocess
    from nnviz.core.data.mnist import find_mnist, load_folder
    from nnviz.core.modelio import SHIPPED_MODEL, load_model
    from nnviz.core.network import Architecture, Network
    from nnviz.gui import before_qapplication
    from nnviz.gui.concurrency import limit_blas_threads
    from nnviz.gui.network.view import NetworkView
    from nnviz.gui.state import AppState

    before_qapplication()
    app = QApplication.instance() or QApplication(["nnviz-bench"])
    limit_blas_threads()

    wall: list[float] = []

    def timed(fn, v3) -> float:
        """The GUI thread's own time (CPU) for fn and the frame it asks for, until that frame is swapped onto the
        screen; the wall time goes to `wall` (it also counts the waits for Mesa's rendering threads, which a GPU
        does beside the GUI thread, and Qt's update timer)."""
        loop, swapped = QEventLoop(), []
        link = v3.scene.frameSwapped.connect(lambda: (swapped.append(True), loop.quit()))
        t0, c0 = time.perf_counter(), time.thread_time()
        fn()
        if not swapped:
            QTimer.singleShot(5000, loop.quit)
            loop.exec()
        wall.append(1000 * (time.perf_counter() - t0))
        cpu = 1000 * (time.thread_time() - c0)
        QObject.disconnect(link)
        if not swapped:
            raise SystemExit("no frame was drawn within 5 s")
        return cpu

    def open_view(net, card):
        state = AppState(net, card)
        view = NetworkView(state)
        view.resize(1366, 700)
        view.show()
        view.set_3d(True)
        for _ in range(10):
            app.processEvents()
        if not view.view3d.available:
            raise SystemExit(view.view3d.problem)
        return state, view, view.view3d

    net, card = load_model(SHIPPED_MODEL)
    state, view, v3 = open_view(net, card)
    folder = find_mnist()
    if folder is None:
        raise SystemExit("MNIST not found: set NNVIZ_DATA")
    d = load_folder(folder)
    xs = preprocess.model_input(d.x_test[:31], preprocess.wants_deskew(card))
    state.set_input(xs[0], int(d.y_test[0]), "dataset")
    inputs = [timed(lambda k=k: state.set_input(xs[k], int(d.y_test[k]), "dataset"), v3) for k in range(1, 31)]
    inputs_wall = wall[-30:]
    rng = np.random.default_rng(0)
    base = net.flat.copy()
    weights = []
    for _ in range(30):
        flat = (base + rng.normal(0, 1e-3, base.shape)).astype(base.dtype)
        weights.append(timed(lambda f=flat: (state.set_weights(f), view.flush_edges()), v3))
    weights_wall = wall[-30:]
    orbit = [timed(lambda: v3.scene.orbit(2.0, 0.0), v3) for _ in range(frames)]
    orbit_wall = wall[-frames:]
    big_net = Network(Architecture((784, 2000, 2000, 2000, 10)), seed=0)
    big_state, big_view, big_v3 = open_view(big_net, {})
    big_state.set_input(xs[0], int(d.y_test[0]), "dataset")
    app.processEvents()
    big = [timed(lambda: big_v3.scene.orbit(2.0, 0.0), big_v3) for _ in range(frames)]
    from OpenGL.GL import GL_RENDERER, glGetString
    v3.scene.makeCurrent()
    renderer = glGetString(GL_RENDERER).decode()
    med = lambda v: round(float(np.median(v)), 2)  # noqa: E731
    return {"input_ms": med(inputs), "weights_ms": med(weights), "input_wall_ms": med(inputs_wall),
            "weights_wall_ms": med(weights_wall), "orbit_wall_ms_median": med(orbit_wall),
            "orbit_ms_median": round(float(np.median(orbit)), 2),
            "orbit_ms_p95": round(float(np.percentile(orbit, 95)), 2),
            "orbit_ms_p95_big": round(float(np.percentile(big, 95)), 2), "renderer": renderer,
            "edges": int(len(view.model.edges.topk)), "size": [v3.scene.width(), v3.scene.height()],
            "targets": {"input_ms": 16, "weights_ms": 33, "orbit_ms_median": 40, "orbit_ms_p95": 60,
                        "orbit_ms_p95_big": 120}, "load_average_1min": round(os.getloadavg()[0], 2)}


if __name__ == "__main__":
    main()
