"""nnviz.core.toy: the labs' data, the traffic example, least squares and parameter counting."""

from __future__ import annotations

import numpy as np
import pytest

from nnviz.core import toy
from nnviz.core.network import Architecture, Network
from nnviz.core.sizes import parse_sizes
from nnviz.core.training import TrainConfig, evaluate, train


@pytest.mark.parametrize("name", toy.DATASETS)
def test_datasets_are_seeded_and_shaped(name):
    x, y = toy.make_dataset(name, n=200, noise=0.1, seed=3)
    x2, y2 = toy.make_dataset(name, n=200, noise=0.1, seed=3)
    assert x.shape == (200, 2) and y.shape == (200,)
    assert np.array_equal(x, x2) and np.array_equal(y, y2)
    assert not np.array_equal(x, toy.make_dataset(name, n=200, noise=0.1, seed=4)[0])
    assert np.all(np.abs(x) < 9)
    if name in toy.CLASSIFICATION:
        assert y.dtype == np.int64 and set(np.unique(y)) == {0, 1} and 80 <= y.sum() <= 120


def test_circle_labels_follow_the_radius_without_noise():
    x, y = toy.make_dataset("circle", n=300, noise=0.0, seed=1)
    r = np.hypot(x[:, 0], x[:, 1])
    assert np.all(r[y == 1] <= 2.5) and np.all(r[y == 0] >= 3.5)


def test_xor_labels_are_the_sign_of_x1_x2():
    x, y = toy.make_dataset("xor", n=300, seed=2)
    assert np.array_equal(y, (x[:, 0] * x[:, 1] >= 0).astype(np.int64))


def test_split_partitions_the_examples():
    x, y = toy.make_dataset("gauss", n=100, seed=0)
    s = toy.split(x, y, test_ratio=0.3, seed=5)
    assert len(s.x_test) == 30 and len(s.x_train) == 70
    both = np.concatenate([s.x_train, s.x_test])
    assert sorted(map(tuple, both)) == sorted(map(tuple, x))
    with pytest.raises(ValueError):
        toy.split(x, y, test_ratio=1.0)


def test_feature_map_columns():
    x = np.array([[1.0, 2.0], [-0.5, 3.0]])
    f = toy.feature_map(x, ["x1", "x2", "x1²", "x2²", "x1x2", "sin x1", "sin x2"])
    expected = np.array([[1, 2, 1, 4, 2, np.sin(1), np.sin(2)], [-0.5, 3, 0.25, 9, -1.5, np.sin(-0.5), np.sin(3)]])
    assert np.allclose(f, expected)
    with pytest.raises(ValueError):
        toy.feature_map(x, [])


def test_layer_activations_match_the_network():
    net = Network(Architecture((3, 4, 2), "tanh", "softmax"), seed=1, dtype=np.float64)
    x = np.random.default_rng(0).normal(size=(5, 3))
    a1, y_hat = toy.layer_activations(net, x)
    W1, b1 = net.dense[0].W, net.dense[0].b
    assert np.allclose(a1, np.tanh(x @ W1.T + b1))
    assert np.allclose(y_hat, net.predict_proba(x))
    z1, _ = toy.layer_activations(net, x, pre=True)
    assert np.allclose(z1, x @ W1.T + b1)


def test_traffic_generator_is_shaped_like_the_lecture_figure():
    hour, volume = toy.make_traffic()
    assert np.all(np.diff(hour) >= 0) and hour.min() >= 0 and hour.max() <= 24 and np.all(volume >= 0)
    mean = toy.traffic_mean(np.arange(25))
    assert mean[0] < 0.5 and mean[1] < 0.5 and mean[3] < 2  # low at night
    assert mean[8] > 5 and mean[17] > 4.8  # morning and evening peaks
    assert mean[8] > mean[14] < mean[17]  # a dip between them
    assert mean[23] < mean[17] - 2  # falls in the evening


def test_shipped_csv_is_what_the_generator_makes(tmp_path):
    path = tmp_path / "traffic.csv"
    toy.write_traffic_csv(path)
    assert path.read_text(encoding="utf-8") == toy.TRAFFIC_CSV.read_text(encoding="utf-8")
    hour, volume = toy.load_traffic()
    h2, v2 = toy.make_traffic()
    assert np.allclose(hour, h2, atol=5e-4) and np.allclose(volume, v2, atol=5e-4)


def test_traffic_network_is_the_lectures_formula():
    p = toy.LECTURE_VALUES
    net = toy.traffic_network(p)
    x = np.linspace(0, 24, 49)
    relu = lambda t: np.maximum(t, 0)
    y = p["b2,1"] + p["w2,1"] * relu(p["w1,1"] * x + p["b1,1"]) + p["w2,2"] * relu(p["w1,2"] * x + p["b1,2"])
    assert np.allclose(net.predict_proba(x[:, None])[:, 0], y)
    assert toy.traffic_params(net.flat) == pytest.approx(p)


def test_lecture_values_are_a_sensible_fit_and_gradient_descent_improves_it():
    hour, volume = toy.load_traffic()
    lecture = toy.mse(toy.traffic_network().predict_proba(hour[:, None]), volume)
    assert 0.1 < lecture < 0.4
    net = toy.traffic_network(toy.TRAFFIC_START)
    x, y = hour[:, None], volume[:, None]
    from nnviz.core.training import Split
    for _ in train(net, Split(x, y, x, y), TrainConfig(epochs=500, batch_size=len(x), optimizer="adam", lr=0.01)):
        pass
    assert toy.mse(net.predict_proba(x), volume) < lecture
    assert evaluate(net, x, y)[0] == pytest.approx(toy.mse(net.predict_proba(x), volume) / 2)  # J = ½ MSE


def test_quadratic_fit_recovers_an_exact_parabola_and_is_least_squares():
    x = np.linspace(0, 24, 30)
    assert np.allclose(toy.quadratic_fit(x, 1 - 0.5 * x + 0.02 * x**2), [1, -0.5, 0.02])
    hour, volume = toy.load_traffic()
    theta = toy.quadratic_fit(hour, volume)
    best = toy.mse(toy.quadratic_predict(theta, hour), volume)
    for d in np.eye(3) * 1e-3:
        assert toy.mse(toy.quadratic_predict(theta + d, hour), volume) > best


@pytest.mark.parametrize("text, total", [("784-10", 7850), ("784-300-100-10", 266610), ("1 2 1", 7),
                                         ("2,4,4,2", 42)])
def test_parameter_counts(text, total):
    sizes = parse_sizes(text, at_least=2)
    assert toy.total_parameters(sizes) == total == Architecture(sizes).n_params


def test_per_neuron_counts_of_the_lecture_network():
    counts = toy.count_parameters((784, 300, 100, 10))
    assert [c.per_neuron for c in counts] == [785, 301, 101]
    assert [(c.weights, c.biases) for c in counts] == [(235200, 300), (30000, 100), (1000, 10)]


@pytest.mark.parametrize("bad", ["", "784", "784-0", "784-a-10", "-"])
def test_the_counter_rejects_malformed_entries(bad):
    with pytest.raises(ValueError, match="^write at least 2 layer sizes"):
        parse_sizes(bad, at_least=2)


def test_neuron_data_and_class_targets():
    x, y = toy.neuron_data("classification", 2, n=40, seed=0)
    assert x.shape == (40, 2) and set(np.unique(y)) == {0, 1}
    t = toy.class_targets(y, (-1.0, 1.0))
    assert t.shape == (40, 1) and set(np.unique(t)) == {-1.0, 1.0}
    xr, yr = toy.neuron_data("regression", 1, n=30, seed=0)
    assert xr.shape == (30, 1) and yr.dtype == np.float64
