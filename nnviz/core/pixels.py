"""Images as stored and as a network sees them.

Datasets keep their digits as stored: uint8 pixels, 0 = background, 255 = full ink (MNIST's 70,000
images take 55 MB so, against 220 MB as float32). A network sees floats in [0, 1]: `as_input`
converts a batch at the moment it is used, exactly as float32(p) / 255, so a network trained on
converted batches learns bit for bit what it learnt from a dataset converted up front.
Float arrays are inputs already and pass through (cast to the dtype asked for).
"""

from __future__ import annotations

import numpy as np

Array = np.ndarray
FULL_INK = np.float32(255)


def is_stored(x: Array) -> bool:
    """Whether x holds pixels as stored (uint8, 0..255) rather than network inputs (floats in [0, 1])."""
    return np.asarray(x).dtype == np.uint8


def as_input(x: Array, dtype=np.float32, out: Array | None = None) -> Array:
    """x as a network input of `dtype`: uint8 pixels / 255 (float32 arithmetic), floats unchanged.

    out: a float32 array of x's shape to convert uint8 pixels into (reused batch after batch).
    """
    x = np.asarray(x)
    if x.dtype != np.uint8:
        return x.astype(dtype, copy=False)
    f = np.divide(x, FULL_INK, out=out, dtype=np.float32)
    return f.astype(dtype, copy=False)


def to_stored(x: Array) -> Array:
    """Floats in [0, 1] -> uint8 pixels, rounded to the nearest of the 256 levels."""
    return np.rint(np.clip(x, 0, 1) * FULL_INK).astype(np.uint8)
