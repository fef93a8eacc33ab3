"""The cost estimate of a network (memory, seconds per epoch) and the guard that refuses the impossible."""

import numpy as np
import pytest

from nnviz.core import budget
from nnviz.core.budget import TooBig, check_affordable, estimate
from nnviz.core.network import Architecture
from tests.memory import peak_growth

GiB = 1 << 30


def test_estimate_counts_every_copy_training_keeps():
    arch = Architecture((784, 300, 100, 10))
    p = arch.n_params * 4
    adam, sgd = estimate(arch, 128, "adam", flops_per_second=1e10), estimate(arch, 128, "sgd", flops_per_second=1e10)
    assert adam.params_bytes == adam.grads_bytes == p
    assert adam.optimiser_bytes - sgd.optimiser_bytes == 3 * p  # Adam's m and v and its scratch
    assert estimate(arch, regularised=True, flops_per_second=1e10).optimiser_bytes == adam.optimiser_bytes + 3 * p
    assert estimate(arch, dtype=np.float64, flops_per_second=1e10).total_bytes == 2 * adam.total_bytes
    assert adam.activations_bytes == 2 * 2000 * (784 + 300 + 100 + 10) * 4  # an evaluation chunk dominates
    assert estimate(arch, 4096, flops_per_second=1e10).activations_bytes == 4 * 4096 * (784 + 300 + 100 + 10) * 4


def test_seconds_per_epoch_follow_the_flop_count():
    arch = Architecture((784, 300, 100, 10))
    weights = 784 * 300 + 300 * 100 + 100 * 10
    cost = estimate(arch, flops_per_second=1e11)
    assert cost.flops_per_epoch == 2 * weights * (3 * 60_000 + 10_000)
    assert cost.seconds_per_epoch == pytest.approx(cost.flops_per_epoch / 1e11)
    assert budget.measured_flops_per_second() > 1e8


def test_the_estimate_bounds_what_training_really_takes():
    """Peak RSS of a real (short) training run stays below the estimate, and not far below it."""
    setup = """
import numpy as np
from nnviz.core.network import Architecture, Network
from nnviz.core.training import Split, TrainConfig, train
rng = np.random.default_rng(0)
data = Split(rng.random((512, 784), np.float32), rng.integers(0, 10, 512),
             rng.random((100, 784), np.float32), rng.integers(0, 10, 100))
"""
    call = """
net = Network(Architecture((784, 1500, 1500, 10)))
for event in train(net, data, TrainConfig(epochs=1, batch_size=128, l2=1e-4)):
    pass
"""
    growth, outcome = peak_growth(setup, call)
    assert outcome == "ok", outcome
    cost = estimate(Architecture((784, 1500, 1500, 10)), 128, "adam", regularised=True, flops_per_second=1e10)
    assert 0.5 * cost.total_bytes < growth * (1 << 20) < 1.1 * cost.total_bytes, (growth, cost.describe())


def test_too_big_is_refused_with_the_estimate():
    with pytest.raises(TooBig) as info:
        check_affordable(Architecture((784, 100000, 100000, 10)), available_bytes=24 * GiB, flops_per_second=1e11)
    msg = str(info.value)
    assert msg.startswith("network 784-100000-100000-10 relu is too big for this machine")
    assert "GiB of memory" in msg and "per epoch" in msg and "24.0 GiB of memory is available" in msg
    assert "\n" not in msg


def test_ten_hidden_layers_of_4096_fit_a_large_machine_but_not_a_small_one():
    arch = Architecture((784, *[4096] * 10, 10))
    with pytest.raises(TooBig):
        check_affordable(arch, available_bytes=8 * GiB, flops_per_second=1e11)
    assert check_affordable(arch, available_bytes=64 * GiB, flops_per_second=1e11).total_bytes > 4 * GiB
    with pytest.raises(TooBig, match="too slow to train here"):
        check_affordable(arch, available_bytes=64 * GiB, flops_per_second=1e11, max_seconds_per_epoch=60)


def test_the_default_network_is_affordable_anywhere_reasonable():
    cost = check_affordable(Architecture(), available_bytes=1 * GiB, flops_per_second=1e10)
    assert cost.total_bytes < 64 << 20 and "per epoch" in cost.describe()


def test_available_memory_is_plausible():
    assert 64 << 20 < budget.available_memory() < 1 << 50
