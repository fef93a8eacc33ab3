"""Data augmentation for square digit images: a random affine map (shift, rotation, scale, shear)
plus a smooth elastic distortion, applied to a whole batch at once with bilinear sampling.

Vectorised for speed: about 1 ms for a batch of 128 MNIST digits.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

Array = np.ndarray


@dataclass(frozen=True)
class AugmentConfig:
    max_shift: float = 2.0  # pixels
    max_rotation: float = 12.0  # degrees
    scale_range: tuple[float, float] = (0.85, 1.15)
    max_shear: float = 0.25
    elastic: float = 1.5  # pixels of smooth random displacement (0 = off)


@lru_cache(maxsize=8)
def _grid(side: int) -> tuple[Array, Array, Array]:
    """Centred pixel coordinates (side*side,) and the 4x4 -> side*side bilinear upsampling matrix."""
    ys, xs = np.mgrid[0:side, 0:side].astype(np.float32)
    c = (side - 1) / 2.0
    t = np.linspace(0, 3, side)
    lo = np.minimum(np.floor(t).astype(int), 2)
    f = t - lo
    U = np.zeros((side, 4))
    U[np.arange(side), lo] = 1 - f
    U[np.arange(side), lo + 1] = f
    up = np.einsum("yi,xj->yxij", U, U).reshape(side * side, 16).astype(np.float32)
    return (xs.ravel() - c), (ys.ravel() - c), up


def augment_batch(images: Array, rng: np.random.Generator, cfg: AugmentConfig = AugmentConfig()) -> Array:
    """Distort a batch of square images. images: (n, side*side) or (n, side, side); same shape out."""
    n = images.shape[0]
    side = images.shape[1] if images.ndim == 3 else int(round(np.sqrt(images.shape[1])))
    dx0, dy0, up = _grid(side)
    c = (side - 1) / 2.0
    theta = np.deg2rad(rng.uniform(-cfg.max_rotation, cfg.max_rotation, (n, 1))).astype(np.float32)
    scale = rng.uniform(*cfg.scale_range, (n, 1)).astype(np.float32)
    shear = rng.uniform(-cfg.max_shear, cfg.max_shear, (n, 1)).astype(np.float32)
    shift = rng.uniform(-cfg.max_shift, cfg.max_shift, (n, 2)).astype(np.float32)
    cos, sin = np.cos(theta) / scale, np.sin(theta) / scale
    dx = dx0[None] - shift[:, :1]
    dy = dy0[None] - shift[:, 1:]
    dx = dx + shear * dy
    # Inverse map: each output pixel reads the input at (src_x, src_y).
    src_x = cos * dx + sin * dy + c
    src_y = -sin * dx + cos * dy + c
    if cfg.elastic > 0:
        src_x += rng.uniform(-cfg.elastic, cfg.elastic, (n, 16)).astype(np.float32) @ up.T
        src_y += rng.uniform(-cfg.elastic, cfg.elastic, (n, 16)).astype(np.float32) @ up.T
    out = bilinear_sample(images.reshape(n, side, side), src_x, src_y)
    return out.reshape(images.shape).astype(images.dtype, copy=False)


def bilinear_sample(img: Array, src_x: Array, src_y: Array) -> Array:
    """Sample img (n, h, w) at fractional coordinates src_x, src_y (n, m); outside reads as 0. -> (n, m)."""
    n, h, w = img.shape
    padded = np.zeros((n, h + 2, w + 2), np.float32)
    padded[:, 1:-1, 1:-1] = img
    flat = padded.ravel()
    x0f, y0f = np.floor(src_x), np.floor(src_y)
    fx, fy = (src_x - x0f).astype(np.float32), (src_y - y0f).astype(np.float32)
    # Index the zero-padded image: +1 for the pad, and both corners clipped onto the pad.
    x0 = np.clip(x0f.astype(np.int32) + 1, 0, w + 1)
    x1 = np.clip(x0f.astype(np.int32) + 2, 0, w + 1)
    y0 = np.clip(y0f.astype(np.int32) + 1, 0, h + 1) * (w + 2)
    y1 = np.clip(y0f.astype(np.int32) + 2, 0, h + 1) * (w + 2)
    base = (np.arange(n, dtype=np.int32) * (h + 2) * (w + 2))[:, None]
    top = flat.take(base + y0 + x0) * (1 - fx) + flat.take(base + y0 + x1) * fx
    bottom = flat.take(base + y1 + x0) * (1 - fx) + flat.take(base + y1 + x1) * fx
    return top * (1 - fy) + bottom * fy
