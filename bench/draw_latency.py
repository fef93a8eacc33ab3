"""Latency from a mouse move on the drawing canvas to the predictions (and network scene) repainted.

Replays a recorded multi-stroke digit (a "5": 3 strokes, mouse samples about 6 canvas px apart, as
a hand moving at a normal speed gives at 60 Hz) as real mouse events on the DrawPanel's canvas, next
to a NetworkView when nnviz/gui/network_view.py exists. For each move event: the time from sending
it until the prediction panel and the scene's viewport have both finished painting the new state
(preprocess + trace + signal fan-out + repaints; in 3-D, until its new frame is swapped onto the screen).
Offscreen platform, except for --3d.

Usage: python bench/draw_latency.py [--without-scene | --3d]   (--without-scene: the draw panel alone;
--3d: the network view in 3-D, on a real X server with OpenGL: its own Xvfb when there is no DISPLAY)

Prints one JSON object: {"median_ms", "p95_ms", "max_ms", "n_moves", "with_network_view", ...}.
Targets: median <= 20 ms, p95 <= 50 ms.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
THREE_D = "--3d" in sys.argv
if THREE_D:
    from render3d import own_display

    SERVER = own_display()  # (None when there is a DISPLAY already)
else:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEvent, QObject, QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QSplitter

from nnviz.core.modelio import SHIPPED_MODEL, load_model
from nnviz.gui.draw.panel import DrawPanel
from nnviz.gui.state import AppState


def polyline(points: list[tuple[float, float]], step: float = 6.0) -> list[tuple[float, float]]:
    """Resample a polyline every `step` canvas px (mouse samples)."""
    out = [points[0]]
    for (x0, y0), (x1, y1) in zip(points[:-1], points[1:]):
        n = max(1, int(np.hypot(x1 - x0, y1 - y0) / step))
        out += [(x0 + (x1 - x0) * t, y0 + (y1 - y0) * t) for t in np.linspace(0, 1, n + 1)[1:]]
    return out


def recorded_five() -> list[list[tuple[float, float]]]:
    """Three strokes of a hand-drawn "5" in canvas coordinates (0..280)."""
    top = polyline([(200, 55), (110, 60)])
    stem_and_belly = [(110, 60), (100, 135)]
    stem_and_belly += [(145 + 62 * np.cos(a), 180 + 55 * np.sin(a)) for a in np.linspace(-2.3, 2.5, 22)]
    return [top, polyline(stem_and_belly), polyline([(112, 58), (104, 100)])]


class SwapWatch:
    """Records that an OpenGL surface put a new frame on screen (its frameSwapped signal)."""

    def __init__(self, gl_surface) -> None:
        self.painted = False
        gl_surface.frameSwapped.connect(lambda: setattr(self, "painted", True))


class PaintWatch(QObject):
    """Records that a widget received a Paint event (the filter runs just before it paints)."""

    def __init__(self, widget) -> None:
        super().__init__()
        self.painted = False
        widget.installEventFilter(self)

    def eventFilter(self, obj, ev) -> bool:
        if ev.type() == QEvent.Type.Paint:
            self.painted = True
        return False


def main() -> None:
    from nnviz.gui import before_qapplication

    before_qapplication()
    app = QApplication.instance() or QApplication([])
    model = SHIPPED_MODEL
    net, card = load_model(model)
    state = AppState(net, card)
    window = QSplitter()
    panel = DrawPanel(state)
    window.addWidget(panel)
    view = None
    if (ROOT / "nnviz" / "gui" / "network" / "view.py").exists() and "--without-scene" not in sys.argv:
        from nnviz.gui.network.view import NetworkView

        view = NetworkView(state)
        window.addWidget(view)
    window.resize(1600 if view else 900, 700)
    window.show()
    if THREE_D and view is not None:
        view.set_3d(True)
        if not view.view3d.available:
            raise SystemExit(view.view3d.problem)
    for _ in range(5):
        app.processEvents()
    watches = [PaintWatch(panel.predictions)]
    if view is not None:
        watches.append(SwapWatch(view.view3d.scene) if THREE_D else PaintWatch(view.canvas.viewport()))
    canvas = panel.canvas
    r = canvas.target_rect()
    k = r.width() / canvas.side
    to_widget = lambda x, y: QPoint(int(r.x() + x * k), int(r.y() + y * k))
    times: list[float] = []
    for round_ in range(3):
        canvas.clear()
        app.processEvents()
        for stroke in recorded_five():
            QTest.mousePress(canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, to_widget(*stroke[0]))
            app.processEvents()
            for x, y in stroke[1:]:
                for w in watches:
                    w.painted = False
                t0 = time.perf_counter()
                QTest.mouseMove(canvas, to_widget(x, y))
                deadline = t0 + 1.0
                while not all(w.painted for w in watches) and time.perf_counter() < deadline:
                    app.processEvents()
                app.processEvents()  # let the paints that were just announced finish
                if round_ > 0:  # the first round warms caches up
                    times.append((time.perf_counter() - t0) * 1000)
            QTest.mouseRelease(canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                               to_widget(*stroke[-1]))
            app.processEvents()
    t = np.array(times)
    print(json.dumps({
        "median_ms": round(float(np.median(t)), 2), "p95_ms": round(float(np.percentile(t, 95)), 2),
        "max_ms": round(float(t.max()), 2), "n_moves": len(t), "with_network_view": view is not None,
        "three_d": THREE_D,
        "predicted": int(state.trace.predicted) if state.trace is not None else None,
        "model": model.name, "platform": os.environ.get("QT_QPA_PLATFORM"),
        "load_average_1min": round(os.getloadavg()[0], 2),  # other processes on the machine skew the figures
    }))


if __name__ == "__main__":
    if THREE_D and SERVER is not None:  # the measuring app in a process of its own, on our Xvfb (render3d.py)
        import subprocess

        try:
            proc = subprocess.run([sys.executable, __file__, *sys.argv[1:]], capture_output=True, text=True)
            sys.stdout.write(proc.stdout)
            sys.exit(proc.returncode)
        finally:
            SERVER.terminate()
            SERVER.wait(10)
    main()
