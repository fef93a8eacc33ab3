"""How long the backprop inspector keeps the GUI thread busy, on the real model, digit and scene.

For every step of the walk (19 for 784-300-100-10): the inspector's own work (re-applying the step's
picture through the NetworkView API: show_values, show_edge_values, highlight) and the same plus the
repaint of the scene (processEvents with a window 1900x860, offscreen). Also: Apply update (core
gradient + core SGD + AppState.set_weights + retrace + scene refresh) and a float64 gradient check
(off the GUI thread: only its set-up is on it).

Usage: python bench/inspector_steps.py
Prints one JSON object. Targets: inspector work per step <= 30 ms median; step incl. repaint <= 150 ms p95.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

import numpy as np

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtWidgets import QApplication

from nnviz.core import modelio
from nnviz.gui.gallery.network_pages import inspector_of, inspector_window, scene_of


def _ms(f) -> float:
    t = time.perf_counter()
    f()
    return (time.perf_counter() - t) * 1000


def main() -> None:
    app = QApplication(sys.argv)
    window = inspector_window()
    window.resize(1900, 860)
    view, panel = scene_of(window), inspector_of(window)
    window.show()
    app.processEvents()
    own, with_paint = [], []
    for _ in range(3):
        for i in range(panel.walk.count):
            own.append(_ms(lambda i=i: panel.go(i)))
            app.processEvents()
            with_paint.append(_ms(lambda i=i: (panel.go(i), app.processEvents())))
    apply = [_ms(lambda: (panel.update_box.apply_update(), app.processEvents())) for _ in range(5)]
    undo = [_ms(lambda: (panel.update_box.undo(), app.processEvents())) for _ in range(5)]
    view.edgeClicked.emit(1, 10, 400)
    setup = _ms(panel.gradcheck.check)
    t = time.perf_counter()
    while panel.gradcheck.result is None and time.perf_counter() - t < 30:
        app.processEvents()
    total = (time.perf_counter() - t) * 1000 + setup
    print(json.dumps({
        "steps": panel.walk.count,
        "inspector_step_median_ms": round(float(np.median(own)), 1),
        "inspector_step_max_ms": round(float(np.max(own)), 1),
        "step_with_repaint_median_ms": round(float(np.median(with_paint)), 1),
        "step_with_repaint_p95_ms": round(float(np.percentile(with_paint, 95)), 1),
        "apply_update_median_ms": round(float(np.median(apply)), 1),
        "undo_median_ms": round(float(np.median(undo)), 1),
        "gradcheck_gui_thread_ms": round(setup, 1),
        "gradcheck_total_ms": round(total, 1),
        "model": str(modelio.SHIPPED_MODEL),
    }))


if __name__ == "__main__":
    main()
