"""MNIST-style preprocessing: shifted, scaled and off-centre drawings of a digit map to nearly the same
28x28 input; the naive whole-image downsample does not. No Qt here."""

from __future__ import annotations

import numpy as np
import pytest

from nnviz.core import preprocess
from nnviz.core.augment import bilinear_sample
from nnviz.core.pixels import as_input

CANVAS = 280


@pytest.fixture(scope="module")
def digits(mnist):
    """A few real MNIST test digits as (28, 28) float images."""
    return [mnist.x_test[i].reshape(28, 28) for i in (0, 1, 2, 3, 4, 7, 8, 11)]


def place(digit: np.ndarray, size: float, cx: float, cy: float, canvas: int = CANVAS) -> np.ndarray:
    """Draw a (28, 28) digit onto a blank canvas: its 28-px field scaled to `size` px, centred at (cx, cy)."""
    ys, xs = np.mgrid[0:canvas, 0:canvas].astype(np.float32)
    k = 28.0 / size
    src_x = ((xs - cx) * k + 13.5).reshape(1, -1)
    src_y = ((ys - cy) * k + 13.5).reshape(1, -1)
    return bilinear_sample(digit[None].astype(np.float32), src_x, src_y).reshape(canvas, canvas)


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Cosine similarity of two inputs."""
    return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))


PLACEMENTS = [  # (size of the 28-px field in canvas px, centre x, centre y)
    (280, 140, 140),  # fills the canvas
    (140, 140, 140),  # half size, centred
    (90, 50, 60),  # small, top-left corner
    (120, 210, 200),  # off-centre, bottom-right
    (200, 120, 160),  # large and shifted
]


# Without deskew, centring is by whole pixels (as in MNIST), so a one-pixel rounding difference between
# two placements costs some similarity; deskew re-centres with sub-pixel precision.
@pytest.mark.parametrize("deskew_digit, min_similarity, max_mean_diff", [(False, 0.85, 0.06), (True, 0.97, 0.025)])
def test_shifted_scaled_and_off_centre_digits_map_to_nearly_the_same_input(digits, deskew_digit, min_similarity,
                                                                            max_mean_diff):
    for digit in digits:
        xs = [preprocess.to_mnist(place(digit, *p), deskew_digit) for p in PLACEMENTS]
        reference = xs[0]
        for p, x in zip(PLACEMENTS[1:], xs[1:]):
            assert x.shape == (784,) and x.dtype == np.float32 and 0 <= x.min() and x.max() <= 1
            assert similarity(x, reference) > min_similarity, p
            assert np.abs(x - reference).mean() < max_mean_diff, p


def test_naive_downsample_does_not_normalise_position_or_size(digits):
    digit = digits[0]
    centred = preprocess.naive_downsample(place(digit, 280, 140, 140))
    corner = preprocess.naive_downsample(place(digit, 90, 50, 60))
    assert similarity(centred, corner) < 0.3


def test_output_is_centred_by_mass_and_fits_20_pixels(digits):
    for digit in digits:
        img = preprocess.to_mnist(place(digit, 100, 70, 200)).reshape(28, 28)
        cy, cx = preprocess.centre_of_mass(img)
        assert abs(cy - 14) <= 0.5 and abs(cx - 14) <= 0.5  # MNIST convention: mass at (14, 14)
        top, bottom, left, right = preprocess.bounding_box(img)
        assert max(bottom - top, right - left) <= 21 and max(bottom - top, right - left) >= 19
        assert img.max() == pytest.approx(1.0, abs=1e-3)


def test_mnist_digits_are_almost_unchanged(mnist):
    """MNIST digits already follow the recipe, so preprocessing them is nearly the identity."""
    pixels = mnist.x_test[:200]
    x = as_input(pixels)
    y = np.stack([preprocess.image_to_input(p.reshape(28, 28)) for p in pixels])
    sims = [similarity(a, b) for a, b in zip(x, y)]
    assert np.median(sims) > 0.999 and np.percentile(sims, 5) > 0.99


def test_blank_images_give_none():
    assert preprocess.to_mnist(np.zeros((50, 60))) is None
    assert preprocess.image_to_input(np.full((40, 40, 3), 255, np.uint8)) is None  # white paper, no ink


def test_polarity_and_colour_formats_agree(digits):
    gray = place(digits[2], 150, 130, 150)
    u8 = (gray * 255).round().astype(np.uint8)
    white_on_black = preprocess.image_to_input(u8)
    black_on_white_rgb = preprocess.image_to_input(np.dstack([255 - u8] * 3))
    rgba = np.dstack([255 - u8] * 3 + [np.full_like(u8, 255)])
    np.testing.assert_allclose(white_on_black, black_on_white_rgb, atol=2e-3)
    np.testing.assert_allclose(white_on_black, preprocess.image_to_input(rgba), atol=2e-3)


def test_non_square_canvas_and_thin_strokes():
    wide = np.zeros((100, 400), np.float32)
    wide[48:52, 50:350] = 1  # a long thin horizontal bar: aspect kept, so it stays a flat line
    img = preprocess.to_mnist(wide).reshape(28, 28)
    rows = np.flatnonzero(img.max(1) > 0.1)
    cols = np.flatnonzero(img.max(0) > 0.1)
    assert len(cols) >= 19 and len(rows) <= 3


def test_deskew_straightens_a_slanted_stroke():
    img = np.zeros((28, 28), np.float32)
    for r in range(4, 24):
        c = 8 + (r - 4) * 0.6  # leans right by 0.6 px per row
        img[r, int(c):int(c) + 3] = 1
    straight = preprocess.deskew(img.ravel()).reshape(28, 28)
    cols = [np.average(np.arange(28), weights=straight[r] + 1e-9) for r in range(6, 22) if straight[r].sum() > 0.5]
    assert np.ptp(cols) < 2.0  # was 0.6 * 16 ≈ 10 px of lean


def test_model_input_is_the_shipped_models_pipeline_for_28x28_digits(mnist):
    """What README tells PyTorch users to call: uint8 or float digits in any of the usual shapes -> (n, 784)."""
    as_uint8 = mnist.x_test[:5].reshape(5, 28, 28)  # MNIST as stored
    x = as_uint8.reshape(5, 784).astype(np.float32) / np.float32(255)
    out = preprocess.model_input(as_uint8, deskew_digits=True)
    assert out.shape == (5, 784) and out.dtype == np.float32
    np.testing.assert_array_equal(out, preprocess.deskew(as_uint8.reshape(5, 784)) / np.float32(255))  # as trained
    np.testing.assert_allclose(out, preprocess.deskew(x), atol=1 / 255)  # (floats deskew without rounding)
    np.testing.assert_array_equal(preprocess.model_input(x[0]), x[:1])  # one digit, no deskew: unchanged
    assert not np.allclose(preprocess.model_input(x, True), x)  # deskewing does change MNIST digits
    with pytest.raises(ValueError, match="28x28"):
        preprocess.model_input(np.zeros((20, 20)))
