"""forward_terms / backward_terms: each edge's term of the sums the trace holds (z and dJ/da)."""

import numpy as np
import pytest

from nnviz.core.network import Architecture, Network
from nnviz.core.trace import backward_terms, forward_terms


@pytest.fixture
def trace():
    net = Network(Architecture((6, 5, 4, 3), "tanh"), seed=2, dtype=np.float64)
    net.flat[...] += np.random.default_rng(0).normal(0, 0.1, net.flat.size)  # non-zero biases
    return net.trace(np.random.default_rng(1).uniform(0, 1, 6), target=1)


def test_forward_terms_sum_to_each_layers_z(trace):
    for l, lt in enumerate(trace.layers, start=1):
        terms = forward_terms(trace, l)
        assert terms.shape == lt.W.shape
        np.testing.assert_allclose(terms.sum(axis=1) + lt.b, lt.z, rtol=1e-12)
        assert terms[2, 3] == lt.W[2, 3] * trace.activations()[l - 1][3]


def test_forward_terms_of_one_neuron_are_its_row(trace):
    np.testing.assert_array_equal(forward_terms(trace, 2, j=3), forward_terms(trace, 2)[3])
    z = forward_terms(trace, 2, j=3).sum() + trace.layers[1].b[3]
    assert z == pytest.approx(trace.layers[1].z[3], rel=1e-12)


def test_backward_terms_sum_to_dJ_da_below_and_to_dJ_dx(trace):
    for l in (2, 3):
        np.testing.assert_allclose(backward_terms(trace, l).sum(axis=0), trace.layers[l - 2].dJ_da, rtol=1e-12)
    np.testing.assert_allclose(backward_terms(trace, 1).sum(axis=0), trace.dJ_dx, rtol=1e-12)
    lt = trace.layers[2]
    assert backward_terms(trace, 3)[1, 2] == lt.W[1, 2] * lt.dJ_dz[1]


def test_backward_terms_need_a_backward_pass():
    net = Network(Architecture((4, 3, 2)), seed=0)
    with pytest.raises(ValueError, match="backward pass"):
        backward_terms(net.trace(np.ones(4)), 1)
