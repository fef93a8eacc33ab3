"""The lesson page's size and speed in headless chromium (issue 25).

    python bench/lesson_page.py [--digits 10] [--runs 5]

Writes the shipped model's page (with 50 MNIST test digits), opens it --runs times in Debian's chromium
(Playwright; /usr/bin/chromium), and replays --digits pendigits trajectories as real pointer drags on its pad.
Prints one JSON object: size_mb (target ≤ 5); load_ms, the median time from opening the page to its first
prediction being ready (≤ 1,000); predict_ms_median and predict_ms_p95, the page's own time per pointer move
to turn the pad's picture into the 28x28 input and the ten probabilities (≤ 8 and ≤ 16).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import numpy as np  # noqa: E402

from nnviz.core.data.mnist import find_mnist, load_folder  # noqa: E402
from nnviz.core.modelio import SHIPPED_MODEL, load_model  # noqa: E402
from nnviz.handwriting.pendigits import load_pendigits, place  # noqa: E402
from nnviz.lesson import write_page  # noqa: E402

PENDIGITS = REPO.parent / "shared" / "data" / "pendigits" / "strokes-train.json.gz"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--digits", type=int, default=10)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    net, card = load_model(SHIPPED_MODEL)
    folder = find_mnist()
    digits = None
    if folder is not None:
        m = load_folder(folder)
        digits = (m.x_test, m.y_test)
    path = Path(tempfile.mkdtemp(prefix="nnviz-lesson-")) / "lesson.html"
    size = write_page(net, card, path, title="bench", digits=digits, model_name=SHIPPED_MODEL.name)
    samples = load_pendigits(os.environ.get("NNVIZ_PENDIGITS", PENDIGITS))
    rng = np.random.default_rng(0)
    chosen = [samples[int(i)] for i in rng.choice(len(samples), args.digits, replace=False)]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=["--no-sandbox"])
        loads = []
        for _ in range(args.runs):
            page = browser.new_page(viewport={"width": 1366, "height": 768})
            page.goto(path.as_uri())
            page.wait_for_selector("body[data-ready='1']")
            loads.append(page.evaluate("nnvizLesson.readyAt"))
            page.close()
        page = browser.new_page(viewport={"width": 1366, "height": 768})
        page.goto(path.as_uri())
        page.wait_for_selector("body[data-ready='1']")
        box = page.locator("#drawPad").bounding_box()
        k = box["width"] / 280
        for sample in chosen:
            page.click("#clearPad")
            for stroke in place(sample["strokes"], 280, rng):
                page.mouse.move(box["x"] + k * stroke[0][0], box["y"] + k * stroke[0][1])
                page.mouse.down()
                for x, y in stroke[1:]:
                    page.mouse.move(box["x"] + k * x, box["y"] + k * y)
                page.mouse.up()
        times = page.evaluate("nnvizLesson.timings.slice()")
        browser.close()
    print(json.dumps({"size_mb": round(size / 1e6, 2), "load_ms": round(statistics.median(loads), 1),
                      "predict_ms_median": round(float(np.median(times)), 2),
                      "predict_ms_p95": round(float(np.percentile(times, 95)), 2), "moves": len(times),
                      "targets": {"size_mb": 5, "load_ms": 1000, "predict_ms_median": 8, "predict_ms_p95": 16},
                      "load_average_1min": round(os.getloadavg()[0], 2)}))


if __name__ == "__main__":
    main()
