"""Cold start of the app to the window shown: a fresh Python process each run, median of several.

    python bench/startup.py [--runs 5] [--platform offscreen]

Each run starts `python -c <child>` that imports nnviz, builds MainWindow() (the shipped model and
every view), shows it and waits for its first paint; the clock runs from just before the process is
spawned to that paint. Byte-code is cached outside the repo (PYTHONPYCACHEPREFIX) and one unmeasured
warm-up run fills it, as an installed app would have it. Prints one JSON object; target median_s <= 2.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

CHILD = r"""
import os, sys, time
from PySide6.QtCore import QObject, QEvent, QTimer
from PySide6.QtWidgets import QApplication
app = QApplication(sys.argv[:1])
from nnviz.gui import MainWindow
win = MainWindow()

class FirstPaint(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and not getattr(self, "seen", False):
            self.seen = True
            QTimer.singleShot(0, lambda: (print("SHOWN", time.time(), flush=True), app.quit()))
        return False

spy = FirstPaint()
win.installEventFilter(spy)
win.show()
QTimer.singleShot(20000, app.quit)
app.exec()
"""


def one_run(env: dict[str, str]) -> float:
    t0 = time.time()
    out = subprocess.run([sys.executable, "-c", CHILD], env=env, cwd=REPO, capture_output=True, text=True, check=False,
                         timeout=120)
    for line in out.stdout.splitlines():
        if line.startswith("SHOWN"):
            return float(line.split()[1]) - t0
    raise RuntimeError(f"the window never showed:\n{out.stderr[-2000:]}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--platform", default=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    args = ap.parse_args()
    env = dict(os.environ, QT_QPA_PLATFORM=args.platform,
               NNVIZ_SETTINGS_DIR=tempfile.mkdtemp(prefix="nnviz-bench-settings-"),
               PYTHONPYCACHEPREFIX=str(Path(tempfile.gettempdir()) / "nnviz-bench-pycache"))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    one_run(env)  # warm-up: byte-code cache and the OS file cache
    runs = [one_run(env) for _ in range(args.runs)]
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    print(json.dumps({"median_s": round(statistics.median(runs), 3), "runs_s": [round(r, 3) for r in runs],
                      "min_s": round(min(runs), 3), "platform": args.platform, "target_s": 2.0,
                      "load_average_1min": load, "cpus": os.cpu_count()}))


if __name__ == "__main__":
    main()
