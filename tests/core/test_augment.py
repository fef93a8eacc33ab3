"""Data augmentation (identity exact, range, shape, dtype, determinism) and moment deskewing."""

import numpy as np
import pytest

from nnviz.core.augment import AugmentConfig, augment_batch, bilinear_sample
from nnviz.core.preprocess import deskew

IDENTITY = AugmentConfig(max_shift=0, max_rotation=0, scale_range=(1.0, 1.0), max_shear=0, elastic=0)


def digits(n=16, seed=0):
    """Digit-like images: a few random strokes of ink in [0, 1] on a 28x28 field, (n, 784) float32."""
    rng = np.random.default_rng(seed)
    img = np.zeros((n, 28, 28), np.float32)
    for i in range(n):
        r0, c0 = rng.integers(6, 12, 2)
        img[i, r0:r0 + 12, c0:c0 + 3] = rng.uniform(0.5, 1, (12, 3))
        img[i, r0:r0 + 3, c0:c0 + 9] = 1.0
    return img.reshape(n, 784)


def test_identity_config_is_exact():
    x = digits()
    out = augment_batch(x, np.random.default_rng(0), IDENTITY)
    np.testing.assert_array_equal(out, x)


def test_identity_on_real_digits(mnist):
    x = mnist.x_test[:64]
    np.testing.assert_array_equal(augment_batch(x, np.random.default_rng(1), IDENTITY), x)


@pytest.mark.parametrize("shape", [(16, 784), (16, 28, 28)])
def test_shape_dtype_and_range(shape):
    x = digits().reshape(shape)
    out = augment_batch(x, np.random.default_rng(0))
    assert out.shape == shape and out.dtype == np.float32
    assert out.min() >= 0 and out.max() <= 1 + 1e-6
    assert not np.array_equal(out, x)  # it did change something
    # ink is moved, not created or destroyed wholesale
    ratio = out.reshape(16, -1).sum(1) / x.reshape(16, -1).sum(1)
    assert np.all((ratio > 0.5) & (ratio < 1.6))


def test_deterministic_for_a_seed():
    x = digits()
    a = augment_batch(x, np.random.default_rng(7))
    b = augment_batch(x, np.random.default_rng(7))
    c = augment_batch(x, np.random.default_rng(8))
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)


def test_bilinear_sample_at_whole_pixel_offsets_is_an_exact_shift():
    x = digits(4)
    src = np.arange(784, dtype=np.float32)
    xs, ys = (src % 28)[None].repeat(4, 0), (src // 28)[None].repeat(4, 0)
    shifted = bilinear_sample(x.reshape(4, 28, 28), xs - 2, ys - 1).reshape(4, 28, 28)
    np.testing.assert_array_equal(shifted[:, 1:, 2:], x.reshape(4, 28, 28)[:, :-1, :-2])
    np.testing.assert_array_equal(shifted[:, 0, :], 0)  # outside reads as 0


def _slant(img):
    """cov(x, y) / var(y) of the ink: how much the digit leans."""
    ys, xs = np.indices((28, 28))
    w = img.reshape(28, 28) / img.sum()
    my, mx = (w * ys).sum(), (w * xs).sum()
    return float((w * (ys - my) * (xs - mx)).sum() / (w * (ys - my) ** 2).sum())


def _shear(x, alpha):
    ys, xs = (g.ravel().astype(np.float32) for g in np.indices((28, 28)))
    src_x = xs + alpha * (ys - 13.5)
    return bilinear_sample(x.reshape(-1, 28, 28), src_x[None].repeat(len(x), 0), ys[None].repeat(len(x), 0))


def test_deskew_straightens_a_sheared_bar():
    bar = np.zeros((28, 28), np.float32)
    bar[4:24, 12:16] = 1.0
    sheared = _shear(bar.reshape(1, 784), 0.4).reshape(784)
    assert abs(_slant(sheared)) > 0.3
    straight = deskew(sheared)
    assert abs(_slant(straight)) < 0.05
    assert straight.shape == (784,) and straight.dtype == np.float32
    assert 0 <= straight.min() and straight.max() <= 1


def test_deskew_real_digits_reduces_their_slant(mnist):
    x = mnist.x_test[:200]
    sheared = _shear(x, 0.3).reshape(200, 784)
    before = np.abs([_slant(s) for s in sheared])
    after = np.abs([_slant(s) for s in deskew(sheared)])
    assert np.median(after) < 0.3 * np.median(before)
    assert np.mean(after < before) > 0.9


def test_deskew_keeps_blank_images_blank():
    np.testing.assert_array_equal(deskew(np.zeros((3, 784), np.float32)), 0)
