"""Real pen trajectories (the UCI pendigits set) drawn through the canvas's own ink.

    samples = load_pendigits(path)                       # [{"label", "writer", "strokes"}, ...]
    pixels = render(samples[0]["strokes"], rng)          # (280, 280) float32, as the canvas draws it
    x, y, writers = render_dataset(samples, copies=3, seed=0, exclude_writers={1, 2})

A digit is placed as a user draws on the pad: its longer side 45-80 % of the pad's side (aspect kept)
at a random position, strokes drawn with the canvas's brush (InkPicture), then made MNIST-like by
nnviz.core.preprocess.to_mnist (not deskewed: training deskews like it does MNIST). Used by
`nnviz render-strokes` (extra training data) and bench/canvas_handwriting.py. Qt (QImage painting,
no window) lives here, outside nnviz.core.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import numpy as np

from nnviz.core import preprocess

SIZE_RANGE = (0.45, 0.80)  # the digit's longer side, as a fraction of the pad's side
MAX_BYTES = 64 << 20  # the real strokes file of 7,494 digits is under 1 MB compressed
MAX_TEXT_BYTES = 256 << 20  # and its JSON about 4 MB
SIDE = 280  # the canvas picture's side (handwriting/ink.py)


def load_pendigits(path: str | Path) -> list[dict]:
    """The strokes file (gzip JSON list of {"label", "writer", "strokes"}); ValueError when it is not one
    (a FIFO or a device is refused before it is opened: reading one would hang or never end)."""
    from nnviz.core.files import check_regular_file

    check_regular_file(path, ValueError, MAX_BYTES, verb="read")
    try:
        with gzip.open(path, "rb") as f:
            text = f.read(MAX_TEXT_BYTES + 1)  # bounded: a small file may inflate to gigabytes
        if len(text) > MAX_TEXT_BYTES:
            raise ValueError(f"{path}: inflates to more than {MAX_TEXT_BYTES >> 20} MB; not a pendigits strokes file")
        samples = json.loads(text.decode("utf-8"))
    except (OSError, EOFError, UnicodeDecodeError, RecursionError, json.JSONDecodeError) as exc:
        raise ValueError(f"{path}: not a pendigits strokes file ({str(exc)[:100]})") from None
    if not isinstance(samples, list) or not all(isinstance(s, dict) and {"label", "writer", "strokes"} <= s.keys()
                                                for s in samples):
        raise ValueError(f"{path}: expected a list of {{label, writer, strokes}} objects")
    return samples


def place(strokes, pad: float, rng: np.random.Generator) -> list[np.ndarray]:
    """Strokes scaled (aspect kept) to a random size and position inside a pad of side `pad`."""
    arrays = [np.asarray(s, float).reshape(-1, 2) for s in strokes]
    pts = np.concatenate(arrays)
    lo, hi = pts.min(0), pts.max(0)
    scale = rng.uniform(*SIZE_RANGE) * pad / max(float((hi - lo).max()), 1.0)
    box = (hi - lo) * scale
    offset = np.array([rng.uniform(0, pad - box[0]), rng.uniform(0, pad - box[1])])
    return [(a - lo) * scale + offset for a in arrays]


def render(strokes, rng: np.random.Generator) -> np.ndarray:
    """One digit drawn with the canvas's ink at a random size and place: (280, 280) float32 in [0, 1]."""
    from PySide6.QtCore import QPointF

    from nnviz.handwriting.ink import InkPicture

    ink = InkPicture(SIDE)
    for stroke in place(strokes, SIDE, rng):
        ink.begin_stroke(QPointF(*stroke[0]))
        for p in stroke[1:]:
            ink.extend_stroke(QPointF(*p))
        ink.end_stroke()
    return ink.pixels()


def render_dataset(samples: list[dict], copies: int = 1, seed: int = 0, exclude_writers=(),
                   only_writers=None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(x (n, 28, 28) uint8, labels (n,) uint8, writers (n,) uint8): every sample `copies` times."""
    rng = np.random.default_rng(seed)
    exclude = set(exclude_writers)
    keep = [s for s in samples if s["writer"] not in exclude and (only_writers is None or s["writer"] in only_writers)]
    xs, ys, ws = [], [], []
    for _ in range(copies):
        for s in keep:
            x = preprocess.to_mnist(render(s["strokes"], rng))
            if x is None:
                continue
            xs.append(np.round(x * 255).astype(np.uint8).reshape(28, 28))
            ys.append(int(s["label"]))
            ws.append(int(s["writer"]))
    if not xs:
        raise ValueError("no digits to render: every writer in the file was excluded" if samples and not keep
                         else "no digits to render: the strokes file has none that draw a digit")
    return np.stack(xs), np.array(ys, np.uint8), np.array(ws, np.uint8)
