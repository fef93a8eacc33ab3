"""Any drawn or scanned digit -> the 28x28 input an MNIST network expects.

MNIST's own recipe (LeCun et al.): crop to the ink's bounding box, scale the longer side to 20 px
keeping the aspect ratio (antialiased), and place the result in a 28x28 field with its centre of
mass at the centre. Images here are float arrays (h, w) in [0, 1] with ink = 1 on background = 0.
"""

from __future__ import annotations

import numpy as np

from .augment import bilinear_sample
from .pixels import as_input, is_stored, to_stored

Array = np.ndarray
SIDE, BOX = 28, 20
# MNIST's digits have their centre of mass at pixel (14, 14) (measured: 13.99 ± 0.29 over the test
# set), not at the geometric centre 13.5: whole-pixel shifts towards (14, 14), as in the original.
MNIST_CENTRE = SIDE / 2
INK_THRESHOLD = 0.1  # a pixel counts as ink for the bounding box above this fraction of the maximum


def to_gray(rgb: Array) -> Array:
    """(h, w, 3|4) uint8 or float -> (h, w) float in [0, 1]; alpha composites over white."""
    img = np.asarray(rgb, np.float32)
    if img.max() > 1.0:
        img = img / 255.0
    if img.ndim == 2:
        return img
    gray = img[..., :3] @ np.array([0.299, 0.587, 0.114], np.float32)
    if img.shape[-1] == 4:
        alpha = img[..., 3]
        gray = gray * alpha + (1 - alpha)
    return gray


def ink_polarity(gray: Array) -> Array:
    """Make ink 1 and background 0, deciding the background from the image border."""
    border = np.concatenate([gray[0], gray[-1], gray[:, 0], gray[:, -1]])
    return 1.0 - gray if np.median(border) > 0.5 else gray


def resize_matrix(n_in: int, n_out: int) -> Array:
    """(n_out, n_in) resampling weights: area averaging when shrinking, linear when enlarging."""
    if n_out <= n_in:
        edges = np.linspace(0, n_in, n_out + 1)
        lo, hi = edges[:-1, None], edges[1:, None]
        px = np.arange(n_in)[None]
        overlap = np.clip(np.minimum(hi, px + 1) - np.maximum(lo, px), 0, None)
        return (overlap / overlap.sum(1, keepdims=True)).astype(np.float32)
    centres = (np.arange(n_out) + 0.5) * n_in / n_out - 0.5
    centres = np.clip(centres, 0, n_in - 1)
    lo = np.floor(centres).astype(int)
    hi = np.minimum(lo + 1, n_in - 1)
    f = centres - lo
    M = np.zeros((n_out, n_in), np.float32)
    M[np.arange(n_out), lo] += 1 - f
    M[np.arange(n_out), hi] += f
    return M


def resize(img: Array, h: int, w: int) -> Array:
    """Antialiased resize of a 2-D array (H, W) to (h, w).

    np.einsum rather than `@`: these small products run on the GUI thread at every mouse move, and
    multi-threaded BLAS is slow for them whenever the CPU is busy (measured on 2 loaded cores:
    14 ms with `@`, 1.4 ms with einsum, for a 240x220 crop; unloaded: 0.3 vs 0.6 ms).
    """
    img = np.ascontiguousarray(img, np.float32)
    rows = np.einsum("ij,jk->ik", resize_matrix(img.shape[0], h), img)
    return np.einsum("ij,kj->ik", rows, resize_matrix(img.shape[1], w))


def bounding_box(img: Array) -> tuple[int, int, int, int] | None:
    """(top, bottom, left, right) of the ink (bottom/right exclusive), or None for an empty image."""
    peak = float(img.max()) if img.size else 0.0
    if peak <= 1e-3:
        return None
    rows = np.flatnonzero((img > INK_THRESHOLD * peak).any(1))
    cols = np.flatnonzero((img > INK_THRESHOLD * peak).any(0))
    return int(rows[0]), int(rows[-1]) + 1, int(cols[0]), int(cols[-1]) + 1


def centre_of_mass(img: Array) -> tuple[float, float]:
    total = img.sum()
    ys, xs = np.indices(img.shape)
    return float((ys * img).sum() / total), float((xs * img).sum() / total)


def shift_image(img: Array, dy: int, dx: int) -> Array:
    """Shift by whole pixels, filling with 0."""
    out = np.zeros_like(img)
    h, w = img.shape
    ys, yd = (slice(0, h - dy), slice(dy, h)) if dy >= 0 else (slice(-dy, h), slice(0, h + dy))
    xs, xd = (slice(0, w - dx), slice(dx, w)) if dx >= 0 else (slice(-dx, w), slice(0, w + dx))
    out[yd, xd] = img[ys, xs]
    return out


def deskew(x: Array, chunk: int = 256) -> Array:
    """Straighten slanted digits by their second moments (a shear), centre of mass kept at the centre.

    x: (784,) or (n, 784) in [0, 1] -> the same shape. Blank images pass through unchanged.
    uint8 pixels as a dataset stores them (core.pixels) come back as uint8, rounded to the nearest of
    the 256 levels: a deskewed copy of a dataset then takes a quarter of the memory of float32.
    """
    x = np.asarray(x)
    stored = is_stored(x)
    flat = x.reshape(-1, SIDE * SIDE)
    out = np.empty(flat.shape, np.uint8 if stored else np.float32)
    ys, xs = (g.ravel().astype(np.float32) for g in np.indices((SIDE, SIDE)))
    c = (SIDE - 1) / 2
    for i in range(0, len(flat), chunk):
        img = as_input(flat[i:i + chunk])
        total = np.maximum(img.sum(1, keepdims=True), 1e-6)
        my, mx = (img @ ys)[:, None] / total, (img @ xs)[:, None] / total
        var_y = (img * (ys - my) ** 2).sum(1, keepdims=True) / total
        cov = (img * (ys - my) * (xs - mx)).sum(1, keepdims=True) / total
        alpha = np.where(var_y > 1e-6, cov / np.maximum(var_y, 1e-6), 0)
        src_y = ys[None] - c + my  # output (r, col) reads input (r + my - c, col + alpha (r - c) + mx - c)
        src_x = xs[None] - c + mx + alpha * (ys[None] - c)
        straight = np.clip(bilinear_sample(img.reshape(-1, SIDE, SIDE), src_x, src_y), 0, 1)
        out[i:i + chunk] = to_stored(straight) if stored else straight
    return out.reshape(x.shape)


def model_input(digits: Array, deskew_digits: bool = False) -> Array:
    """MNIST-style 28x28 digits -> the (n, 784) float32 rows in [0, 1] a model takes, deskewed when it
    was trained on deskewed digits (the shipped model was: its card says "preprocess": {"deskew": true},
    an exported file's metadata says preprocess=deskew).

    digits: (28, 28), (n, 28, 28), (784,) or (n, 784); uint8 0..255 or floats in [0, 1], ink high and
    already cropped and centred as MNIST's are (image_to_input does that for any other picture).
    """
    x = np.asarray(digits)
    if x.size % (SIDE * SIDE) or x.shape[-1] not in (SIDE, SIDE * SIDE):
        raise ValueError(f"expected 28x28 digits, got an array of shape {x.shape}")
    x = x.reshape(-1, SIDE * SIDE)
    if x.dtype != np.uint8:
        x = x.astype(np.float32)
    # uint8 digits are deskewed as stored (rounded to the 256 levels), exactly as training and evaluate do
    return as_input(deskew(x) if deskew_digits else x)


def wants_deskew(card: dict | None) -> bool:
    """Whether a model (by its card) was trained on deskewed digits and so wants them deskewed."""
    return bool((card or {}).get("preprocess", {}).get("deskew", False))


def to_mnist(img: Array, deskew_digit: bool = False) -> Array | None:
    """A digit image (h, w) in [0, 1], ink = 1 -> the 28x28 MNIST-style input (784,) float32.

    None when there is no ink at all. deskew_digit: straighten it too (for models trained so).
    """
    img = np.asarray(img, np.float32)
    box = bounding_box(img)
    if box is None:
        return None
    top, bottom, left, right = box
    crop = img[top:bottom, left:right]
    h, w = crop.shape
    scale = BOX / max(h, w)
    nh, nw = max(1, round(h * scale)), max(1, round(w * scale))
    small = np.clip(resize(crop, nh, nw), 0, None)
    small /= max(float(small.max()), 1e-6)  # full-strength ink, as in MNIST
    field = np.zeros((SIDE, SIDE), np.float32)
    y0, x0 = (SIDE - nh) // 2, (SIDE - nw) // 2
    field[y0:y0 + nh, x0:x0 + nw] = small
    cy, cx = centre_of_mass(field)
    field = shift_image(field, int(round(MNIST_CENTRE - cy)), int(round(MNIST_CENTRE - cx)))
    x = np.clip(field, 0, 1).ravel()
    return deskew(x) if deskew_digit else x


def naive_downsample(img: Array) -> Array:
    """The whole image squashed to 28x28, no cropping or centring: the naive way, for comparison."""
    out = resize(np.asarray(img, np.float32), SIDE, SIDE)
    peak = float(out.max())
    return (out / peak if peak > 0 else out).ravel()


def image_to_input(pixels: Array, deskew_digit: bool = False) -> Array | None:
    """Any image array (gray or RGB[A], either polarity) -> MNIST-style input, or None if blank."""
    return to_mnist(ink_polarity(to_gray(pixels)), deskew_digit)
