"""Training history: the schedule, a live run's snapshots, float16 fidelity, the budget, files."""

from dataclasses import astuple

import numpy as np
import pytest

from nnviz.core import modelio
from nnviz.core.history import History, HistoryError, Schedule, read_history, recording
from nnviz.core.network import Architecture, Network
from nnviz.core.training import BatchDone, Split, TrainConfig, train

F16_TOL = 2e-3  # float16 keeps ~3 significant digits


def subset(mnist, n=3000, n_test=500):
    return Split(mnist.x_train[:n], mnist.y_train[:n], mnist.x_test[:n_test], mnist.y_test[:n_test])


def small_net(seed=0):
    return Network(Architecture((784, 32, 10)), seed=seed)


def close16(snapshot, exact):
    return np.allclose(snapshot, exact, rtol=F16_TOL, atol=1e-4)


def test_schedule_is_dense_then_geometric():
    assert Schedule(dense=10, growth=1.5).points(60) == list(range(1, 11)) + [15, 23, 35, 53]
    assert Schedule(dense=3, growth=1.01).points(6) == [1, 2, 3, 4, 5, 6]  # gaps never shrink below 1
    with pytest.raises(ValueError):
        Schedule(growth=1.0)


def test_live_run_records_the_scheduled_snapshots_of_the_weights_of_that_moment(mnist):
    net, history = small_net(), History(schedule=Schedule(dense=10, growth=1.5))
    initial = net.flat.copy()
    seen = {}  # t -> the weights after batch t, copied here independently of the history
    cfg = TrainConfig(epochs=2, batch_size=100, lr=1e-3)
    for event in recording(history, net, train(net, subset(mnist), cfg)):
        if isinstance(event, BatchDone):
            seen[event.epoch * event.n_batches + event.batch + 1] = net.flat.copy()
    # 30 batches per epoch, 60 in all: t = 0 (before training), 1..10, 15, 23, 35, 53, epoch ends 30 and 60
    ts = [m.t for m in history.moments]
    assert ts == [0, *range(1, 11), 15, 23, 30, 35, 53, 60]
    assert close16(history.weights(0), initial)
    for i, t in enumerate(ts[1:], 1):
        assert close16(history.weights(i), seen[t]), t
    assert history.moment(13).x == pytest.approx(1.0) and history.moment(16).x == pytest.approx(2.0)
    assert history.moment(16).samples == 6000 and np.isfinite(history.moment(16).loss)
    assert history.weights(0).dtype == np.float32 and history.nbytes == 17 * net.flat.size * 2


def test_a_second_run_continues_the_timeline(mnist):
    net, history = small_net(), History(schedule=Schedule(dense=5, growth=2.0))
    data, cfg = subset(mnist, 1000), TrainConfig(epochs=1, batch_size=100)
    list(recording(history, net, train(net, data, cfg)))
    first = history.last
    list(recording(history, net, train(net, data, cfg)))
    assert first.t == 10 and history.last.t == 20 and history.last.x == pytest.approx(2.0)
    assert [m.t for m in history.moments] == [0, 1, 2, 3, 4, 5, 10, 20]  # (the schedule counts on: 10, 20)


def test_float16_snapshots_predict_like_float32(mnist):
    net, _card = modelio.load_model(modelio.SHIPPED_MODEL)
    history = History()
    history.begin_run(net.flat)
    half = net.copy()
    half.flat[...] = history.weights(0)
    x = mnist.x_test[:2000]
    p32, p16 = net.predict_proba(x), half.predict_proba(x)
    assert np.mean(np.argmax(p32, 1) == np.argmax(p16, 1)) >= 0.999
    assert np.abs(p32 - p16).max() < 0.02
    a32, a16 = net.trace(x[0], 7).activations(), half.trace(x[0], 7).activations()
    for l in range(1, len(a32)):  # every layer's activations within 1% of their range (below a colour step)
        assert np.abs(a32[l] - a16[l]).max() <= 0.01 * max(np.ptp(a32[l]), 1e-6)


def test_budget_thins_but_keeps_the_whole_span():
    net = small_net()
    size = net.flat.size * 2
    history = History(budget_mb=10.5 * size / 1e6, schedule=Schedule(dense=1000))
    history.begin_run(net.flat)
    for b in range(60):
        net.flat += 0.01
        history.on_batch(net.flat, BatchDone(0, b, 60, 1, b + 1, 1.0, None, 0.1, 0.0))
    ts = [m.t for m in history.moments]
    assert history.nbytes <= history.budget_bytes and len(ts) >= 5 and history.thinned > 0
    assert ts[0] == 0 and ts[-1] == 60 and ts == sorted(ts)
    assert close16(history.weights(len(history) - 1), net.flat)


def test_truncate_then_record_again():
    net, history = small_net(), History(schedule=Schedule(dense=3, growth=2.0))
    history.begin_run(net.flat)
    for b in range(8):
        history.on_batch(net.flat + b, BatchDone(0, b, 8, 1, b + 1, 1.0, None, 0.1, 0.0))
    history.truncate(2)
    assert [m.t for m in history.moments] == [0, 1, 2]
    history.begin_run(history.weights(2))  # Branch here: the new run starts from snapshot 2
    history.on_batch(net.flat, BatchDone(0, 0, 8, 1, 1, 1.0, None, 0.1, 0.0))
    assert [m.t for m in history.moments] == [0, 1, 2, 3]


def test_history_round_trips_through_the_model_file(tmp_path, mnist):
    net, history = small_net(), History(schedule=Schedule(dense=4, growth=2.0))
    list(recording(history, net, train(net, subset(mnist, 1000), TrainConfig(epochs=1, batch_size=100))))
    path = tmp_path / "m.npz"
    modelio.save_model(net, path, {"note": "x"}, extra=history.arrays())
    loaded, _card = modelio.load_model(path)  # the model opens as before
    assert np.array_equal(loaded.flat, net.flat)
    back = read_history(path, loaded.flat.size)
    assert len(back) == len(history)
    np.testing.assert_array_equal([astuple(m) for m in back.moments], [astuple(m) for m in history.moments])
    for i in range(len(history)):
        assert np.array_equal(back.weights(i), history.weights(i))
    plain = tmp_path / "plain.npz"
    modelio.save_model(net, plain)
    assert read_history(plain, net.flat.size) is None


def test_a_damaged_history_is_refused_with_a_reason(tmp_path):
    net, history = small_net(), History()
    history.begin_run(net.flat)
    arrays = history.arrays()
    with pytest.raises(HistoryError, match="do not fit"):
        History.from_arrays(arrays, net.flat.size + 1)
    bad = dict(arrays, history_t=np.array([0, 1]))
    with pytest.raises(HistoryError, match="moments"):
        History.from_arrays(bad, net.flat.size)
    with pytest.raises(HistoryError, match="missing"):
        History.from_arrays({k: v for k, v in arrays.items() if k != "history_x"}, net.flat.size)
    junk = tmp_path / "junk.npz"
    junk.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(HistoryError, match="cannot be read"):
        read_history(junk, net.flat.size)


def test_a_weight_beyond_float16_keeps_its_snapshot_exact():
    net, history = small_net(), History()
    net.flat[0] = 1e6  # far beyond float16's 65504
    history.begin_run(net.flat)
    assert history.weights(0)[0] == 1e6 and np.isfinite(history.weights(0)).all()
    assert history.arrays()["history_weights"].dtype == np.float32  # the file keeps it exact too
