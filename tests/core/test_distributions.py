"""A layer's distribution as nine quantiles, read at fixed sampled positions for large layers."""

import numpy as np

from nnviz.core.distributions import PERCENTILES, SAMPLE, Sample


def test_a_small_layer_is_read_whole():
    W = np.random.default_rng(0).normal(size=(30, 40)).astype(np.float32)
    np.testing.assert_allclose(Sample(W.size).quantiles(W), np.percentile(W, PERCENTILES), rtol=1e-6, atol=1e-9)


def test_a_large_layer_s_sampled_quantiles_stay_close_to_the_whole_ones():
    W = np.random.default_rng(1).standard_t(4, size=(300, 784)).astype(np.float32)  # heavy tails, as gradients
    sample = Sample(W.size, seed=0)
    assert sample.index.size == SAMPLE and np.all(np.diff(sample.index) > 0)
    whole, sampled = np.percentile(W, PERCENTILES), sample.quantiles(W)
    spread = whole[7] - whole[1]
    assert np.all(np.abs(sampled[1:-1] - whole[1:-1]) < 0.05 * spread)
    assert whole[0] <= sampled[0] and sampled[-1] <= whole[-1]


def test_the_positions_stay_fixed_for_the_whole_run():
    sample = Sample(100_000, seed=3)
    a = np.arange(100_000, dtype=np.float32)
    assert np.array_equal(sample.quantiles(a), sample.quantiles(a.copy()))
    np.testing.assert_array_equal(Sample(100_000, seed=3).index, sample.index)
