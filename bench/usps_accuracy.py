"""USPS accuracy of the shipped model through the same path as `nnviz predict`.

Each USPS test digit (16x16 scans in [-1, 1], -1 background) is rendered as a PNG at canvas scale
(placed in a frame, then upscaled to 280x280 with Qt's smooth interpolation, white ink on black),
read back with nnviz.handwriting.images.read_image and fed to preprocess.image_to_input: what `nnviz predict`
does. For comparison, the naive whole-image downsample of the same picture is classified too.

Two layouts: "centred" (the digit fills the canvas) and "off_centre" (smaller, low left, as people
often draw). Prints one JSON object:
{"model": ..., "n": 2007, "pipeline_accuracy": ..., "naive_accuracy": ...,
 "pipeline_accuracy_off_centre": ..., "naive_accuracy_off_centre": ..., "per_class": {...}, ...}

Usage: python bench/usps_accuracy.py [--model PATH] [--limit N] [--save-misses DIR]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QImage

from nnviz.core import preprocess
from nnviz.core.modelio import SHIPPED_MODEL, load_model
from nnviz.handwriting.images import read_image

USPS_TEST = Path(os.environ.get("NNVIZ_USPS", ROOT.parent / "shared" / "data" / "usps" / "zip.test.gz"))
CANVAS_SIDE = 280
# Where the 16x16 digit sits before the frame is upscaled to the canvas: (frame side, top, left).
LAYOUTS = {
    "centred": (20, 2, 2),  # a 2-px margin all round: the digit fills the canvas, as if drawn large
    "off_centre": (40, 20, 4),  # 40% of the canvas, low and to the left: how people often draw
}


def load_usps(path: Path) -> tuple[np.ndarray, np.ndarray]:
    """-> images (n, 16, 16) uint8 with ink = 255 on 0, labels (n,) int64."""
    with gzip.open(path) as f:
        a = np.loadtxt(f)
    y = a[:, 0].astype(np.int64)
    x = np.round((a[:, 1:] + 1) / 2 * 255).clip(0, 255).astype(np.uint8).reshape(-1, 16, 16)
    return x, y


def render_png(digit: np.ndarray, layout: str = "centred") -> bytes:
    """(16, 16) uint8 -> PNG bytes of a 280x280 white-on-black picture (smooth upscaling)."""
    side, top, left = LAYOUTS[layout]
    framed = np.zeros((side, side), np.uint8)
    framed[top:top + 16, left:left + 16] = digit
    framed = np.ascontiguousarray(framed)
    small = QImage(framed.data, framed.shape[1], framed.shape[0], framed.strides[0], QImage.Format_Grayscale8)
    big = small.scaled(CANVAS_SIDE, CANVAS_SIDE, Qt.IgnoreAspectRatio, Qt.SmoothTransformation)
    data = QByteArray()
    buf = QBuffer(data)
    buf.open(QIODevice.WriteOnly)
    big.save(buf, "PNG")
    return bytes(data)


def read_png(png: bytes, folder: Path, i: int) -> np.ndarray:
    """Write the PNG to a file and read it back exactly as `nnviz predict` does (nnviz.handwriting.images)."""
    path = folder / f"usps_{i:04d}.png"
    path.write_bytes(png)
    return read_image(path)


def pick_model(arg: str | None) -> Path:
    if arg:
        return Path(arg)
    return SHIPPED_MODEL


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model")
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--save-misses", help="folder for PNGs of misclassified digits")
    args = ap.parse_args()
    model_path = pick_model(args.model)
    net, card = load_model(model_path)
    deskew = preprocess.wants_deskew(card)
    images, labels = load_usps(USPS_TEST)
    if args.limit:
        images, labels = images[:args.limit], labels[:args.limit]
    t0 = time.perf_counter()
    result = {"model": str(model_path.relative_to(ROOT) if model_path.is_relative_to(ROOT) else model_path),
              "deskew": deskew, "n": len(labels)}
    tmp = tempfile.TemporaryDirectory(prefix="nnviz-usps-")
    for layout in LAYOUTS:
        ok, ok_naive, pred = classify(net, images, labels, deskew, layout, Path(tmp.name))
        suffix = "" if layout == "centred" else f"_{layout}"
        result[f"pipeline_accuracy{suffix}"] = round(float(ok.mean()), 4)
        result[f"naive_accuracy{suffix}"] = round(float(ok_naive.mean()), 4)
        if layout == "centred":
            result["per_class"] = {int(k): round(float(ok[labels == k].mean()), 4) for k in range(10)}
            if args.save_misses:
                save_misses(Path(args.save_misses), images, labels, pred, ok)
    tmp.cleanup()
    result["render"] = {k: f"16x16 at ({t},{l}) in a {s}px frame, Qt smooth upscale to a {CANVAS_SIDE}px PNG"
                        for k, (s, t, l) in LAYOUTS.items()}
    result["ms_per_digit"] = round(1000 * (time.perf_counter() - t0) / len(labels) / len(LAYOUTS), 2)
    print(json.dumps(result))


def classify(net, images: np.ndarray, labels: np.ndarray, deskew: bool, layout: str, folder: Path):
    """-> (pipeline correct (n,) bool, naive correct (n,) bool, pipeline predictions (n,))."""
    x_pipe, x_naive = [], []
    for i, digit in enumerate(images):
        pixels = read_png(render_png(digit, layout), folder, i)
        x = preprocess.image_to_input(pixels, deskew)
        x_pipe.append(np.zeros(784, np.float32) if x is None else x)
        x_naive.append(preprocess.naive_downsample(preprocess.ink_polarity(preprocess.to_gray(pixels))))
    pred = net.predict(np.array(x_pipe))
    return pred == labels, net.predict(np.array(x_naive)) == labels, pred


def save_misses(out: Path, images: np.ndarray, labels: np.ndarray, pred: np.ndarray, ok: np.ndarray) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for i in np.flatnonzero(~ok)[:200]:
        (out / f"{i:04d}_true{labels[i]}_pred{pred[i]}.png").write_bytes(render_png(images[i]))


if __name__ == "__main__":
    main()
