"""The training generator: events, determinism, pause/step/stop, divergence, and real MNIST."""

import queue
import threading

import numpy as np
import pytest

from nnviz.core.network import Architecture, Network
from nnviz.core.training import BatchDone, Control, EpochDone, Finished, Split, TrainConfig, evaluate, train


def blobs(n=300, n_test=90, d=20, k=3, seed=0):
    """k well-separated Gaussian clusters in d dimensions."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(0, 3, (k, d))
    def make(m):
        y = rng.integers(0, k, m)
        return (centres[y] + rng.normal(size=(m, d))).astype(np.float32), y.astype(np.int64)
    return Split(*make(n), *make(n_test))


def small_net(seed=0):
    return Network(Architecture((20, 16, 3)), seed=seed)


def run(cfg, data=None, net=None, control=None):
    net = net or small_net()
    events = list(train(net, data or blobs(), cfg, control))
    return net, events


def test_events_in_order_and_learning_happens():
    cfg = TrainConfig(epochs=3, batch_size=32, lr=0.01)
    net, events = run(cfg)
    batches = [e for e in events if isinstance(e, BatchDone)]
    epochs = [e for e in events if isinstance(e, EpochDone)]
    assert isinstance(events[-1], Finished) and events[-1].reason == "completed"
    assert events[-1].epochs_done == 3 and events[-1].samples == 900
    assert len(batches) == 3 * 10 and len(epochs) == 3
    assert [b.batch for b in batches[:10]] == list(range(10)) and batches[0].n_batches == 10
    assert batches[9].batch_size == 300 - 9 * 32  # the last, partial batch
    assert [b.samples for b in batches] == sorted(b.samples for b in batches)
    assert all(len(b.grad_norms) == 2 and all(g >= 0 for g in b.grad_norms) for b in batches)
    assert all(0 <= b.accuracy <= 1 and np.isfinite(b.loss) for b in batches)
    assert epochs[-1].test_accuracy > 0.9 and epochs[-1].test_loss < epochs[0].test_loss + 1e-9
    assert epochs[-1].test_accuracy == pytest.approx(evaluate(net, blobs().x_test, blobs().y_test)[1])
    with pytest.raises(AttributeError):  # events are immutable (frozen dataclasses)
        batches[0].loss = 0


@pytest.mark.parametrize("cfg", [TrainConfig(epochs=2, batch_size=16, optimizer="adam", lr=0.01),
                                 TrainConfig(epochs=2, batch_size=16, optimizer="momentum", lr=0.05,
                                             schedule="cosine", l2=1e-3, seed=5),
                                 TrainConfig(epochs=1, batch_size=50, optimizer="sgd", lr=0.1, augment=False,
                                             seed=9)])
def test_deterministic_for_a_seed(cfg):
    a, ev_a = run(cfg)
    b, ev_b = run(cfg)
    np.testing.assert_array_equal(a.flat, b.flat)
    strip = lambda evs: [(type(e).__name__, getattr(e, "loss", None), getattr(e, "test_loss", None)) for e in evs]  # noqa: E731
    assert strip(ev_a) == strip(ev_b)
    c, _ = run(TrainConfig(**{**cfg.__dict__, "seed": cfg.seed + 1}))
    assert not np.array_equal(a.flat, c.flat)  # the seed matters (shuffling)


def test_deterministic_with_augmentation_on_digit_shaped_data():
    rng = np.random.default_rng(0)
    x = rng.uniform(0, 1, (64, 784)).astype(np.float32)
    y = rng.integers(0, 10, 64)
    data = Split(x, y, x[:16], y[:16])
    cfg = TrainConfig(epochs=1, batch_size=16, augment=True, seed=3)
    a, _ = run(cfg, data, Network(sizes=(784, 8, 10)))
    b, _ = run(cfg, data, Network(sizes=(784, 8, 10)))
    np.testing.assert_array_equal(a.flat, b.flat)


def test_cosine_schedule_decays_the_reported_lr():
    _, events = run(TrainConfig(epochs=2, batch_size=32, lr=0.1, optimizer="sgd", schedule="cosine"))
    lrs = [e.lr for e in events if isinstance(e, BatchDone)]
    assert lrs[0] == pytest.approx(0.1) and lrs[-1] < 0.01 and lrs == sorted(lrs, reverse=True)


def test_regression_targets_have_no_accuracy():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(64, 3)).astype(np.float32)
    y = (x @ np.array([[1.0], [-2.0], [0.5]])).astype(np.float32)
    net = Network(Architecture((3, 8, 1), "tanh", "linear", "squared_error"), seed=0)
    events = list(train(net, Split(x, y, x, y), TrainConfig(epochs=20, batch_size=16, lr=0.01)))
    ep = [e for e in events if isinstance(e, EpochDone)]
    assert ep[-1].test_accuracy is None and ep[-1].test_loss < ep[0].test_loss / 2


def test_labels_outside_the_networks_classes_are_refused_before_any_batch():
    data = blobs()
    bad = Split(data.x_train, np.where(data.y_train == 2, 3, data.y_train), data.x_test, data.y_test)
    net = small_net()
    before = net.flat.copy()
    with pytest.raises(ValueError, match="class labels must be 0 to 2 .* got 0 to 3"):
        next(train(net, bad, TrainConfig(epochs=1)))
    np.testing.assert_array_equal(net.flat, before)


def test_stop_yields_finished_stopped():
    control = Control()
    net = small_net()
    gen = train(net, blobs(), TrainConfig(epochs=5, batch_size=32), control)
    first = [next(gen) for _ in range(3)]
    assert all(isinstance(e, BatchDone) for e in first)
    weights = net.flat.copy()
    control.stop()
    end = next(gen)
    assert isinstance(end, Finished) and end.reason == "stopped" and end.samples == 96
    np.testing.assert_array_equal(net.flat, weights)
    assert list(gen) == []


def test_step_while_paused_runs_exactly_one_batch_in_the_same_thread():
    control = Control()
    control.pause()
    gen = train(small_net(), blobs(), TrainConfig(epochs=1, batch_size=32), control)
    control.step()
    e = next(gen)
    assert isinstance(e, BatchDone) and e.batch == 0
    assert control.paused and control._steps == 0  # the granted step was used up by that one batch
    control.step(2)
    assert [next(gen).batch for _ in range(2)] == [1, 2]
    assert control._steps == 0
    control.stop()
    assert next(gen).reason == "stopped"


def test_pause_step_resume_from_another_thread():
    """The generator runs in a worker, as in the GUI; pause and step from this thread."""
    control, net, q = Control(), small_net(), queue.Queue()
    control.pause()

    def worker():
        for ev in train(net, blobs(), TrainConfig(epochs=1, batch_size=32), control):
            q.put(ev)

    t = threading.Thread(target=worker, daemon=True)
    t.start()
    with pytest.raises(queue.Empty):
        q.get(timeout=0.2)  # paused from the start: nothing runs
    control.step()
    e = q.get(timeout=10)
    assert isinstance(e, BatchDone) and e.batch == 0
    weights = net.flat.copy()
    with pytest.raises(queue.Empty):
        q.get(timeout=0.2)  # exactly one batch, then paused again
    np.testing.assert_array_equal(net.flat, weights)
    control.resume()
    rest = [q.get(timeout=10) for _ in range(9 + 2)]  # batches 1..9, EpochDone, Finished
    assert [e.batch for e in rest[:9]] == list(range(1, 10))
    assert rest[-1].reason == "completed"
    t.join(timeout=10)
    assert not t.is_alive()


def test_stop_wakes_a_paused_generator():
    control, q = Control(), queue.Queue()
    control.pause()
    t = threading.Thread(target=lambda: q.put(list(train(small_net(), blobs(), TrainConfig(), control))),
                         daemon=True)
    t.start()
    control.stop()
    events = q.get(timeout=10)
    assert len(events) == 1 and events[0].reason == "stopped" and events[0].samples == 0


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "adam"])
@pytest.mark.parametrize("lr", [1000.0, 1e300])  # the loss explodes / the very first step overflows the weights
def test_divergence_stops_and_restores_the_weights_of_the_last_reported_loss(lr, optimizer):
    net = small_net()
    history = [net.flat.copy()]  # the weights before the run, then after each BatchDone's step
    losses = []
    end = None
    for ev in train(net, blobs(), TrainConfig(epochs=50, batch_size=32, optimizer=optimizer, lr=lr)):
        if isinstance(ev, BatchDone):
            history.append(net.flat.copy())
            losses.append(ev.loss)
        end = ev
    assert isinstance(end, Finished) and end.reason == "diverged"
    assert "learning rate" in end.message and f"{lr:g}" in end.message
    assert np.all(np.isfinite(net.flat))
    # The last reported loss was measured on the weights from before its own step: history[-2].
    expected = history[-2] if len(history) > 1 else history[0]
    np.testing.assert_array_equal(net.flat, expected)
    if losses:
        J_restored, _ = net.loss_and_grads(*_batch_of(blobs(), net))
        assert np.isfinite(J_restored)


def _batch_of(data, net):
    return data.x_train[:32], net.one_hot(data.y_train[:32])


def test_an_exploding_loss_counts_as_divergence_but_ordinary_noise_does_not():
    # Adam at α = 1000 never produces NaN (the cross-entropy of a huge logit is just huge), yet diverges.
    net, events = run(TrainConfig(epochs=2, batch_size=32, optimizer="adam", lr=1000.0))
    assert events[-1].reason == "diverged" and "exploded" in events[-1].message
    net, events = run(TrainConfig(epochs=3, batch_size=32, optimizer="adam", lr=0.05))  # noisy but sane
    assert events[-1].reason == "completed"


def test_bad_config_is_refused():
    for kw in ({"epochs": 0}, {"batch_size": 0}, {"lr": -1.0}, {"lr": float("nan")}, {"schedule": "step"}):
        with pytest.raises(ValueError):
            TrainConfig(**kw)


@pytest.mark.slow
def test_short_run_on_real_mnist_reaches_90_percent(mnist):
    data = Split(mnist.x_train[:10000], mnist.y_train[:10000], mnist.x_test[:2000], mnist.y_test[:2000])
    net = Network(seed=0)
    events = list(train(net, data, TrainConfig(epochs=2, batch_size=128, optimizer="adam", lr=1e-3, seed=0)))
    assert events[-1].reason == "completed"
    test_acc = [e.test_accuracy for e in events if isinstance(e, EpochDone)]
    assert test_acc[-1] >= 0.90, test_acc
    _, acc = evaluate(net, data.x_test, data.y_test)
    assert acc == test_acc[-1]
