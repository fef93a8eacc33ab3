"""Extra training digits beside MNIST: a .npz of x (n, 28, 28) uint8 (ink 255) and y (n,) labels 0-9.

    x, y, info = load_extra("pendigits-canvas.npz")     # checked; info: how the file was made
    save_extra(path, x, y, info)                        # what `nnviz render-strokes` writes

`nnviz train --extra FILE` appends these digits to MNIST's training set (never to its test set), and
the model card records the file's MD5 and `info` (e.g. the command that rendered it). Never unpickled.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import numpy as np

from nnviz.core.data.idx import DatasetError
from nnviz.core.files import check_regular_file

MAX_EXTRA = 1_000_000  # digits in one file
MAX_EXTRA_BYTES = MAX_EXTRA * 28 * 28 + 64_000_000  # their pixels (uint8) and what a .npz adds
INFO_KEY = "info_json"


def save_extra(path: str | Path, x: np.ndarray, y: np.ndarray, info: dict, **more: np.ndarray) -> None:
    """Write digits x (n, 28, 28) uint8 and labels y (n,) with a JSON `info` (and any extra arrays)."""
    np.savez_compressed(path, x=np.asarray(x, np.uint8), y=np.asarray(y, np.uint8),
                        **{INFO_KEY: np.frombuffer(json.dumps(info).encode(), np.uint8)}, **more)


def load_extra(path: str | Path) -> tuple[np.ndarray, np.ndarray, dict]:
    """(x (n, 784) float32 in [0, 1], y (n,) int64, info dict with its md5); DatasetError naming the file."""
    path = Path(path)
    if not os.path.lexists(path):
        raise DatasetError(f"{path}: no such file (extra training digits, a .npz from `nnviz render-strokes`)")
    check_regular_file(path, DatasetError, MAX_EXTRA_BYTES, verb="read")  # (a FIFO would hang the read)
    try:
        with np.load(path, allow_pickle=False) as npz:
            if "x" not in npz.files or "y" not in npz.files:
                raise DatasetError(f"{path.name}: expected arrays x and y, found {sorted(npz.files)}")
            x, y = npz["x"], npz["y"]
            raw = npz[INFO_KEY] if INFO_KEY in npz.files else None
    except DatasetError:
        raise
    except Exception as exc:  # a damaged or foreign file fails in many ways inside numpy's reader
        raise DatasetError(f"{path.name}: not a readable .npz of digits ({type(exc).__name__}: {exc})") from None
    if x.dtype != np.uint8 or x.ndim != 3 or x.shape[1:] != (28, 28):
        raise DatasetError(f"{path.name}: x must be (n, 28, 28) uint8, found {x.shape} {x.dtype}")
    if y.shape != (len(x),) or not np.issubdtype(y.dtype, np.integer) or len(x) == 0 or len(x) > MAX_EXTRA:
        raise DatasetError(f"{path.name}: y must hold one label per digit (1 to {MAX_EXTRA:,} digits), "
                           f"found {y.shape} for {len(x)} digits")
    if y.min() < 0 or y.max() > 9:
        raise DatasetError(f"{path.name}: labels must be 0-9, found {int(y.min())}..{int(y.max())}")
    try:
        info = json.loads(raw.tobytes().decode()) if raw is not None else {}
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise DatasetError(f"{path.name}: its info is not JSON") from None
    info = {"file": path.name, "n": int(len(x)), "md5": _md5(path), **(info if isinstance(info, dict) else {})}
    return x.reshape(len(x), -1).astype(np.float32) / 255.0, y.astype(np.int64), info


def _md5(path: Path) -> str:
    h = hashlib.md5()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()
