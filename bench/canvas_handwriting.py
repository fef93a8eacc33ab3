"""What users get when they draw: real pen trajectories replayed as mouse drags on the drawing canvas.

The pendigits set (30 writers, 7,494 digits; ../shared/data/pendigits, see its README) is replayed
stroke by stroke as real mouse events (press, moves, release) on the app's `drawingCanvas`, inside
the drawing pad, at a random size (45-80 % of the pad's side) and a random position (seeded); the
answer is read from `predictionPanel`'s `predictedDigit`, as a user would read it.

Evaluate a model only on writers it was not trained on: `--writers` picks the writers to replay
(e.g. the held-out fold of a writer-disjoint split); the shipped model was trained on MNIST only.

Usage: python bench/canvas_handwriting.py [--model M.npz] [--per-writer 20 | --all] [--writers 1,2]
                                          [--seed 0] [--dump FILE.npz]
       python bench/canvas_handwriting.py --all --fold-models 'out/fold-{fold}.npz'   (writer-disjoint)
(--dump also saves each canvas picture, 280x280 uint8, with labels and writers, for experiments.)
--fold-models: the three folds 1-10, 11-20 and 21-30, each replayed on the model of that name trained
without them (see resources/models/MODEL_CARD.md); `accuracy` is then over all 30 writers, none seen.
Without it, `writer_disjoint` says whether the model's card lists any replayed writer as trained on.

Prints one JSON object: accuracy, naive_accuracy (whole-canvas downsample, for comparison), per
class, per writer, the top confusions, how many digits, the model.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import sys
from collections import Counter
from pathlib import Path

import numpy as np

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from nnviz.core import preprocess
from nnviz.core.modelio import SHIPPED_MODEL, load_model
from nnviz.gui.draw.panel import DrawPanel
from nnviz.gui.state import AppState

PENDIGITS = ROOT.parent / "shared" / "data" / "pendigits" / "strokes-train.json.gz"
SIZE_RANGE = (0.45, 0.80)  # the digit's longer side, as a fraction of the pad's side


def load_pendigits(path: Path) -> list[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return json.load(f)


def choose(samples: list[dict], per_writer: int | None, writers: set[int] | None, seed: int) -> list[int]:
    """Indices of the digits to replay: per_writer of each writer (all when None), seeded."""
    rng = np.random.default_rng(seed)
    by_writer: dict[int, list[int]] = {}
    for i, s in enumerate(samples):
        if writers is None or s["writer"] in writers:
            by_writer.setdefault(s["writer"], []).append(i)
    chosen = []
    for w in sorted(by_writer):
        idx = by_writer[w]
        chosen += idx if per_writer is None else list(rng.choice(idx, min(per_writer, len(idx)), replace=False))
    return chosen


def placed_strokes(strokes, pad: int, rng) -> list[np.ndarray]:
    """The digit's strokes scaled (aspect kept) to a random size and position inside the pad, in pad px."""
    pts = np.concatenate([np.asarray(s, float) for s in strokes])
    lo, hi = pts.min(0), pts.max(0)
    extent = max(float((hi - lo).max()), 1.0)
    size = rng.uniform(*SIZE_RANGE) * pad
    scale = size / extent
    box = (hi - lo) * scale
    offset = np.array([rng.uniform(0, pad - box[0]), rng.uniform(0, pad - box[1])])
    return [(np.asarray(s, float) - lo) * scale + offset for s in strokes]


def replay(canvas, strokes: list[np.ndarray], app) -> None:
    """Press, move through, release: one stroke at a time, as real mouse events on the canvas."""
    r = canvas.target_rect()
    to_widget = lambda p: QPoint(int(round(r.x() + p[0])), int(round(r.y() + p[1])))
    for stroke in strokes:
        QTest.mousePress(canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, to_widget(stroke[0]))
        for p in stroke[1:]:
            QTest.mouseMove(canvas, to_widget(p))
        QTest.mouseRelease(canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, to_widget(stroke[-1]))
    app.processEvents()


def report(labels, predicted, naive, writers) -> dict:
    labels, predicted, naive, writers = map(np.asarray, (labels, predicted, naive, writers))
    ok = predicted == labels
    confusions = Counter(f"{t}->{p}" for t, p in zip(labels[~ok], predicted[~ok]))
    return {
        "accuracy": round(float(ok.mean()), 4),
        "naive_accuracy": round(float((naive == labels).mean()), 4),
        "per_class": {int(c): round(float(ok[labels == c].mean()), 4) for c in range(10) if (labels == c).any()},
        "per_writer": {int(w): round(float(ok[writers == w].mean()), 4) for w in np.unique(writers)},
        "worst_writer": round(float(min(ok[writers == w].mean() for w in np.unique(writers))), 4),
        "top_confusions": dict(confusions.most_common(8)),
        "n_digits": int(labels.size), "n_writers": int(np.unique(writers).size),
    }


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model", default=str(SHIPPED_MODEL))
    ap.add_argument("--data", default=os.environ.get("NNVIZ_PENDIGITS", str(PENDIGITS)))
    ap.add_argument("--per-writer", type=int, default=20)
    ap.add_argument("--all", action="store_true", help="replay every digit (about 7,500: slow)")
    ap.add_argument("--writers", default="", help="comma-separated writer numbers (default: all 30)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--dump", default="", help="save the canvas pictures, labels and writers to this .npz")
    ap.add_argument("--fold-models", default="", help="writer-disjoint: a path with {fold} for 1-10, 11-20, 21-30")
    args = ap.parse_args(argv)
    if args.fold_models:
        return folds(args)
    samples = load_pendigits(Path(args.data))
    writers = {int(w) for w in args.writers.split(",") if w.strip()} or None
    chosen = choose(samples, None if args.all else args.per_writer, writers, args.seed)
    app = QApplication.instance() or QApplication([])
    net, card = load_model(args.model)
    state = AppState(net, card)
    panel = DrawPanel(state)
    panel.resize(900, 700)
    panel.show()
    app.processEvents()
    canvas, predictions = panel.canvas, panel.findChild(type(panel.predictions), "predictionPanel")
    pad = canvas.target_rect().width()
    rng = np.random.default_rng(args.seed)
    labels, predicted, naive, who, pictures = [], [], [], [], []
    for i in chosen:
        s = samples[i]
        canvas.clear()
        replay(canvas, placed_strokes(s["strokes"], pad, rng), app)
        labels.append(s["label"])
        who.append(s["writer"])
        predicted.append(int(predictions.property("predictedDigit")))
        pixels = canvas.pixels()
        naive.append(int(np.argmax(net.predict_proba(preprocess.naive_downsample(pixels).reshape(1, -1)))))
        if args.dump:
            pictures.append(np.round(pixels * 255).astype(np.uint8))
    result = report(labels, predicted, naive, who)
    trained_on = set(card.get("dataset", {}).get("extra", {}).get("writers", []))
    result["writer_disjoint"] = not (trained_on & set(int(w) for w in who))
    result.update({"model": Path(args.model).name, "seed": args.seed, "pad_px": pad,
                   "size_range": SIZE_RANGE, "load_average_1min": round(os.getloadavg()[0], 2)})
    if args.dump:
        np.savez_compressed(args.dump, pictures=np.stack(pictures), labels=np.array(labels, np.uint8),
                            writers=np.array(who, np.uint8), predicted=np.array(predicted, np.int16))
    print(json.dumps(result))
    return result


def folds(args) -> dict:
    """Each fold of ten writers replayed on its own model (trained without them); one report over all."""
    import contextlib
    import io

    parts = []
    for lo in (1, 11, 21):
        fold = f"{lo}-{lo + 9}"
        argv = ["--model", args.fold_models.format(fold=fold), "--writers", ",".join(map(str, range(lo, lo + 10))),
                "--seed", str(args.seed), "--data", args.data]
        argv += ["--all"] if args.all else ["--per-writer", str(args.per_writer)]
        with contextlib.redirect_stdout(io.StringIO()):
            parts.append(main(argv))
    n = sum(p["n_digits"] for p in parts)
    mean = lambda key: round(sum(p[key] * p["n_digits"] for p in parts) / n, 4)
    result = {"accuracy": mean("accuracy"), "naive_accuracy": mean("naive_accuracy"), "writer_disjoint":
              all(p["writer_disjoint"] for p in parts), "per_fold": {p["model"]: p["accuracy"] for p in parts},
              "per_writer": {k: v for p in parts for k, v in p["per_writer"].items()},
              "worst_writer": min(p["worst_writer"] for p in parts), "n_digits": n,
              "load_average_1min": round(os.getloadavg()[0], 2)}
    print(json.dumps(result))
    return result


if __name__ == "__main__":
    main()
