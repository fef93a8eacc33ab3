"""Runs compared in lockstep (issue 26, its core): the same batches for every run, presets that differ only in
what they name, bit-for-bit twins, and a gradient-norm record that is core's."""

from __future__ import annotations

import hashlib

import numpy as np
import pytest

from nnviz.core.compare import PRESETS, RunSpec, compare
from nnviz.core.network import Architecture, Network
from nnviz.core.training import Split

RNG = np.random.default_rng(3)
X = RNG.random((640, 16), dtype=np.float32)
Y = RNG.integers(0, 10, 640)
DATA = Split(X, Y, X[:100], Y[:100])
SMALL = RunSpec("small", hidden=(12,))


def test_every_run_sees_the_same_batches_in_the_same_order(monkeypatch):
    seen: list[tuple[int, str]] = []
    real = Network.loss_and_grads

    def spy(self, x, y):
        seen.append((id(self), hashlib.sha1(np.ascontiguousarray(x).tobytes() + y.tobytes()).hexdigest()))
        return real(self, x, y)

    monkeypatch.setattr(Network, "loss_and_grads", spy)
    compare([SMALL, RunSpec("other", activation="tanh", optimizer="adam", lr=0.01, hidden=(12,))], DATA, epochs=2,
            batch_size=64)
    nets = sorted({net for net, _ in seen}, key=[net for net, _ in seen].index)
    per_run = [[digest for net, digest in seen if net == n] for n in nets]
    assert len(per_run) == 2 and len(per_run[0]) == 20 and per_run[0] == per_run[1]
    assert len(set(per_run[0][:10])) == 10 and per_run[0][:10] != per_run[0][10:]  # shuffled again each epoch


def test_identical_settings_give_identical_curves_bit_for_bit():
    a, b = compare([SMALL, RunSpec("twin", hidden=(12,))], DATA, epochs=2, batch_size=64)
    assert a.loss == b.loss and a.grad_norm == b.grad_norm and a.weight_norm == b.weight_norm
    assert a.test_accuracy == b.test_accuracy and a.dead == b.dead and len(a.loss) == 20


@pytest.mark.parametrize("preset,varies", [("g", {"activation"}), ("alpha", {"lr"}), ("optimizer", {"optimizer", "lr"}),
                                           ("init", {"init"})])
def test_a_preset_varies_only_what_its_names_say(preset, varies):
    runs = PRESETS[preset]
    settings = [r.settings() for r in runs]
    differ = {k for k in settings[0] if len({repr(s[k]) for s in settings}) > 1}
    assert differ == varies and len({r.name for r in runs}) == len(runs)
    if "lr" in varies:
        assert all(f"{r.lr:g}" in r.name for r in runs)  # the names say α


def test_the_gradient_norm_recorded_is_core_s_on_the_same_batch():
    (run,) = compare([SMALL], DATA, epochs=1, batch_size=64, batches_per_epoch=1)
    net = Network(Architecture((16, 12, 10)), seed=0)
    first = np.random.default_rng(0).permutation(len(X))[:64]
    net.loss_and_grads(X[first], net.one_hot(Y[first]))
    by_hand = [float(np.linalg.norm(d.grads["W"])) for d in net.dense]
    np.testing.assert_allclose([run.grad_norm["W1"][0], run.grad_norm["W2"][0]], by_hand, rtol=1e-6)


def test_a_run_that_diverges_stops_while_the_others_go_on():
    calm, wild = compare([SMALL, RunSpec("wild", lr=1e6, hidden=(12,))], DATA, epochs=1, batch_size=64)
    assert calm.diverged_at is None and len(calm.loss) == 10 and calm.test_accuracy
    assert wild.diverged_at is not None and len(wild.loss) == wild.diverged_at and not wild.test_accuracy
