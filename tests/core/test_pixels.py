"""Datasets keep uint8 pixels; networks, training and deskewing convert them batch by batch."""

import numpy as np
import pytest

from nnviz.core import preprocess
from nnviz.core.network import Network
from nnviz.core.pixels import as_input, is_stored, to_stored
from nnviz.core.training import BatchDone, EpochDone, Split, TrainConfig, evaluate, train


def digits(n=96, seed=0):
    """Stroke-like uint8 images (784,) with labels: a bright bar whose place depends on the class."""
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 10, n)
    img = rng.integers(0, 40, (n, 28, 28)).astype(np.uint8)
    for i, k in enumerate(y):
        img[i, 4:24, 2 + 2 * k:4 + 2 * k] = rng.integers(180, 256)
    return img.reshape(n, 784), y.astype(np.int64)


def test_every_pixel_converts_as_the_float_dataset_did():
    p = np.arange(256, dtype=np.uint8)
    np.testing.assert_array_equal(as_input(p), p.astype(np.float32) / 255.0)  # bit for bit
    assert as_input(p, np.float64).dtype == np.float64 and as_input(p).dtype == np.float32
    np.testing.assert_array_equal(to_stored(as_input(p)), p)
    x = np.linspace(0, 1, 7, dtype=np.float32)
    assert as_input(x) is x  # inputs already: no copy
    assert is_stored(p) and not is_stored(x)


def test_a_batch_converted_into_a_reused_array():
    x, _ = digits(8)
    out = np.full((8, 784), np.nan, np.float32)
    got = as_input(x, out=out)
    assert got is out
    np.testing.assert_array_equal(out, x / np.float32(255))


def test_training_on_uint8_pixels_is_bit_identical_to_training_on_their_floats():
    x, y = digits()
    cfg = TrainConfig(epochs=2, batch_size=32, optimizer="momentum", lr=0.05, seed=4)
    runs = []
    for xs in (x, x.astype(np.float32) / 255.0):
        net = Network(sizes=(784, 16, 10), seed=1)
        events = list(train(net, Split(xs, y, xs[:40], y[:40]), cfg))
        runs.append((net.flat, [e.loss for e in events if isinstance(e, BatchDone)],
                     [e.test_loss for e in events if isinstance(e, EpochDone)]))
    np.testing.assert_array_equal(runs[0][0], runs[1][0])
    assert runs[0][1:] == runs[1][1:]


def test_networks_see_uint8_pixels_as_their_floats():
    x, y = digits(20)
    net = Network(sizes=(784, 16, 10), seed=2)
    xf = x.astype(np.float32) / 255.0
    np.testing.assert_array_equal(net.predict_proba(x, batch_size=7), net.predict_proba(xf, batch_size=7))
    assert evaluate(net, x, y) == evaluate(net, xf, y)
    np.testing.assert_array_equal(net.trace(x[3], int(y[3])).dJ_dx, net.trace(xf[3], int(y[3])).dJ_dx)


def test_deskewing_uint8_pixels_gives_uint8_within_half_a_level():
    x, _ = digits(12)
    straight = preprocess.deskew(x, chunk=5)
    assert straight.dtype == np.uint8 and straight.shape == x.shape
    exact = preprocess.deskew(x.astype(np.float32) / 255.0)
    assert np.abs(as_input(straight) - exact).max() <= 0.5 / 255 + 1e-7
    assert preprocess.deskew(x[0]).shape == (784,)


@pytest.mark.parametrize("augment", [False, True])
def test_training_with_deskew_keeps_uint8_data_small_and_learns(augment):
    x, y = digits(200, seed=1)
    net = Network(sizes=(784, 32, 10), seed=0)
    cfg = TrainConfig(epochs=4, batch_size=20, optimizer="adam", lr=3e-3, deskew=True, augment=augment)
    events = list(train(net, Split(x, y, x[:60], y[:60]), cfg))
    assert events[-1].reason == "completed"
    assert [e.test_accuracy for e in events if isinstance(e, EpochDone)][-1] > 0.5


@pytest.mark.parametrize("deskew", [False, True])
def test_training_never_holds_a_float_copy_of_the_dataset(deskew):
    """Batches are converted one at a time (and a deskewed copy is uint8, made in chunks of 256 images):
    the run's peak allocation stays well below one float32 copy of the training images."""
    import tracemalloc

    x, y = digits(20000 if deskew else 6000, seed=2)
    float_copy = x.size * 4  # 62.7 MB with deskew, 18.8 MB without
    net = Network(sizes=(784, 16, 10), seed=0)
    cfg = TrainConfig(epochs=1, batch_size=128, optimizer="sgd", lr=0.1, deskew=deskew)
    tracemalloc.start()
    try:
        events = list(train(net, Split(x, y, x[:500], y[:500]), cfg))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert events[-1].reason == "completed"
    assert peak < float_copy * (0.75 if deskew else 0.5), f"peak {peak / 1e6:.1f} MB"
