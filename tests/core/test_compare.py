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


def test_distributions_are_recorded_every_few_batches_from_the_layers_own_values():
    from nnviz.core.compare import BAND_EVERY, Comparison

    comparison = Comparison([RunSpec("small", hidden=(12,))], DATA, epochs=1, batch_size=64)
    net = comparison.networks()[0]
    for event in comparison.steps():
        if getattr(event, "done", None) == BAND_EVERY:  # the distribution just taken is of these values
            rec = comparison.records[0]
            assert rec.band_t == [BAND_EVERY]
            np.testing.assert_allclose(rec.bands["W1"][0], np.percentile(net.dense[0].W, PERCENTILES), rtol=1e-6)
            np.testing.assert_allclose(rec.bands["dJ_dW2"][0], np.percentile(net.dense[1].grads["W"], PERCENTILES),
                                       rtol=1e-6, atol=1e-12)
    assert set(comparison.records[0].bands) == {"W1", "W2", "dJ_dW1", "dJ_dW2"}


def test_snapshots_span_the_whole_run_within_their_budget(monkeypatch):
    import nnviz.core.compare as c

    monkeypatch.setattr(c, "MAX_SNAPSHOTS", 6)
    monkeypatch.setattr(c, "SNAPSHOT_EVERY", 1)
    (run,) = c.compare([SMALL], DATA, epochs=3, batch_size=64)
    ts = [s.t for s in run.snapshots]
    assert ts[0] == 0 and ts[-1] == 30 and len(ts) <= 7 and ts == sorted(set(ts))
    assert all(s.flat.dtype == np.float16 and not s.flat.flags.writeable for s in run.snapshots)


def test_a_stopped_comparison_ends_at_once_with_its_last_weights_kept():
    from nnviz.core.compare import Comparison
    from nnviz.core.training import Control, Finished

    control, comparison = Control(), Comparison([SMALL, RunSpec("b", hidden=(12,))], DATA, epochs=5, batch_size=64)
    events = []
    for event in comparison.steps(control):
        events.append(event)
        if len(events) == 3:
            control.stop()
    assert isinstance(events[-1], Finished) and events[-1].reason == "stopped" and len(events) == 4
    assert all(r.snapshots[-1].t == 3 and len(r.loss) == 3 for r in comparison.records)


def test_the_vanishing_line_names_the_run_whose_first_layer_gets_the_smallest_gradient():
    from nnviz.core.compare import RunRecord, gradient_ratio, vanishing_summary

    fading = RunRecord(RunSpec("g = sigmoid"), grad_norm={"W1": [0.1, 0.2, 0.3], "W2": [1.0, 1.0, 1.0],
                                                          "W3": [1.0, 1.0, 1.0]})
    steady = RunRecord(RunSpec("g = ReLU"), grad_norm={"W1": [2.0, 1.6, 1.8], "W2": [1.0] * 3, "W3": [1.0] * 3})
    assert gradient_ratio(fading) == pytest.approx(0.2) and gradient_ratio(steady) == pytest.approx(1.8)
    line = vanishing_summary([fading, steady])
    assert line.startswith("‖dJ/dW₁‖ ÷ ‖dJ/dW₃‖") and "g = sigmoid 0.2 (vanishing toward the input)" in line
    assert "g = ReLU 1.8." in line.replace(", ", " ") or line.endswith("g = ReLU 1.8.")
    assert gradient_ratio(RunRecord(RunSpec("new"))) is None


PERCENTILES = (0.0, 6.68, 15.87, 30.85, 50.0, 69.15, 84.13, 93.32, 100.0)
