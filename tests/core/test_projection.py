"""The hidden layer's map: the last hidden layer's activations, projected on their two main directions."""

import numpy as np
import pytest

from nnviz.core.network import Architecture, Network
from nnviz.core.projection import last_hidden, pca_2d


def test_last_hidden_is_the_forward_pass_stopped_before_the_output_layer():
    net = Network(Architecture((16, 8, 5, 10), "tanh"), seed=0)
    x = np.random.default_rng(0).random((7, 16), dtype=np.float32)
    net.forward(x)
    np.testing.assert_allclose(last_hidden(net, x), net.dense[2].a_in, rtol=1e-6)  # what the output layer saw
    with pytest.raises(ValueError, match="no hidden layer"):
        last_hidden(Network(Architecture((16, 10)), seed=0), x)


def test_the_first_axis_is_the_direction_of_largest_variance():
    rng = np.random.default_rng(1)
    a = np.column_stack([rng.normal(0, 10, 500), rng.normal(0, 1, 500), rng.normal(0, 0.1, 500)])
    xy = pca_2d(a)
    assert xy.shape == (500, 2) and xy.dtype == np.float32
    assert np.std(xy[:, 0]) == pytest.approx(np.std(a[:, 0]), rel=0.02)
    assert np.std(xy[:, 1]) == pytest.approx(np.std(a[:, 1]), rel=0.05)


def test_a_map_turns_to_agree_with_the_one_before():
    rng = np.random.default_rng(2)
    a = rng.normal(size=(300, 6)) * np.arange(6, 0, -1)
    before = pca_2d(a)
    assert np.allclose(pca_2d(-a, previous=before), before, atol=1e-4)  # a flipped cloud lands where it was
