"""Small data and closed-form pieces for the lecture labs (NumPy only).

- 2-D datasets of the TensorFlow Playground (circle, XOR, two Gaussians, spiral, a regression
  surface) with noise and a seeded train/test split; the feature maps x1, x2, x1², x2², x1x2, sin.
- The lecture's traffic example: a seeded synthetic generator of traffic volume against hour of day,
  the 1-2-1 network as a core Network, MSE, and least squares on the quadratic features (1, x, x²).
- Parameter counting per layer, per neuron and in total: n_in·n_out + n_out.
- The a of every layer of a core Network over many inputs (for per-neuron heatmaps).

Regenerate the shipped data file:  python -c "import nnviz.core.toy as t; t.write_traffic_csv(t.TRAFFIC_CSV)"
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from . import shipped
from .network import Architecture, Network
from .training import Split

Array = np.ndarray
TRAFFIC_CSV = shipped.path("data", "traffic.csv")
TRAFFIC_COMMAND = 'python -c "import nnviz.core.toy as t; t.write_traffic_csv(t.TRAFFIC_CSV)"'

# --- 2-D datasets (the plane is [-6, 6]², as in the TensorFlow Playground) ---------------------
EXTENT = 6.0
CLASSIFICATION = ("circle", "xor", "gauss", "spiral")
DATASETS = CLASSIFICATION + ("regression",)
DATASET_NAMES = {"circle": "Circle", "xor": "XOR", "gauss": "Two Gaussians", "spiral": "Spiral",
                 "regression": "Regression surface"}


def _circle(n: int, rng: np.random.Generator) -> tuple[Array, Array]:
    inner = n // 2
    r = np.r_[rng.uniform(0, 2.5, inner), rng.uniform(3.5, 5.0, n - inner)]
    t = rng.uniform(0, 2 * np.pi, n)
    return np.c_[r * np.cos(t), r * np.sin(t)], (np.arange(n) < inner).astype(np.int64)


def _xor(n: int, rng: np.random.Generator) -> tuple[Array, Array]:
    x = rng.uniform(-5, 5, (n, 2))
    x += np.sign(x) * 0.3  # a small gap along the axes
    return x, (x[:, 0] * x[:, 1] >= 0).astype(np.int64)


def _gauss(n: int, rng: np.random.Generator) -> tuple[Array, Array]:
    y = (np.arange(n) < n // 2).astype(np.int64)
    centre = np.where(y[:, None] == 1, 2.0, -2.0)
    return centre + rng.normal(0, 1.0, (n, 2)), y


def _spiral(n: int, rng: np.random.Generator) -> tuple[Array, Array]:
    y = (np.arange(n) < n // 2).astype(np.int64)
    t = rng.uniform(0, 1, n)
    r = 5 * t
    angle = 1.75 * 2 * np.pi * t + np.pi * y
    return np.c_[r * np.sin(angle), r * np.cos(angle)], y


def regression_surface(x: Array) -> Array:
    """The regression target over the plane: x (n, 2) -> (n,) in [-1, 1]."""
    return np.sin(x[:, 0] / 2.0) * np.cos(x[:, 1] / 3.0)


def _regression(n: int, rng: np.random.Generator) -> tuple[Array, Array]:
    x = rng.uniform(-EXTENT, EXTENT, (n, 2))
    return x, regression_surface(x)


_MAKERS: dict[str, Callable] = {"circle": _circle, "xor": _xor, "gauss": _gauss, "spiral": _spiral,
                                "regression": _regression}


def make_dataset(name: str, n: int = 500, noise: float = 0.0, seed: int = 0) -> tuple[Array, Array]:
    """A 2-D dataset: x (n, 2) in about [-6, 6]², y (n,) int64 labels 0/1 or float targets.

    noise in [0, 1]: Gaussian jitter of the points (sd = 2·noise) or, for regression, of the target.
    """
    if name not in _MAKERS:
        raise ValueError(f"unknown dataset {name!r}; choose from {', '.join(DATASETS)}")
    rng = np.random.default_rng(seed)
    x, y = _MAKERS[name](n, rng)
    if name == "regression":
        y = y + rng.normal(0, noise, n)
    else:
        x = x + rng.normal(0, 2.0 * noise, x.shape)
    order = rng.permutation(n)
    return x[order], y[order]


def split(x: Array, y: Array, test_ratio: float = 0.5, seed: int = 0) -> Split:
    """A seeded random train/test split; test_ratio of the examples go to the test set."""
    if not 0 < test_ratio < 1:
        raise ValueError(f"test ratio must be between 0 and 1, got {test_ratio}")
    order = np.random.default_rng(seed).permutation(len(x))
    n_test = round(test_ratio * len(x))
    test, train = order[:n_test], order[n_test:]
    return Split(x[train], y[train], x[test], y[test])


def neuron_data(task: str, dims: int, n: int = 40, seed: int = 0) -> tuple[Array, Array]:
    """Data for one neuron: x (n, dims) in about [-4, 4]; y (n,) int64 0/1 or float targets.

    classification: two overlapping Gaussian clouds; regression: a noisy line (dims 1) or plane (dims 2).
    """
    rng = np.random.default_rng(seed)
    if task == "classification":
        y = (np.arange(n) >= n // 2).astype(np.int64)
        centre = np.where(y[:, None] == 1, 1.3, -1.3) * np.ones((1, dims))
        return centre + rng.normal(0, 0.9, (n, dims)), y
    x = rng.uniform(-3, 3, (n, dims))
    slope = np.array([0.8, -0.5])[:dims]
    return x, x @ slope + 0.6 + rng.normal(0, 0.35, n)


def class_targets(y: Array, labels: tuple[float, float] = (0.0, 1.0)) -> Array:
    """Class labels 0/1 (n,) -> target column (n, 1) with labels[0] for class 0, labels[1] for 1."""
    return np.where(np.asarray(y)[:, None] == 1, labels[1], labels[0]).astype(np.float64)


# --- feature maps ------------------------------------------------------------------------------
FEATURES: dict[str, Callable[[Array, Array], Array]] = {
    "x1": lambda x1, x2: x1, "x2": lambda x1, x2: x2,
    "x1²": lambda x1, x2: x1 * x1, "x2²": lambda x1, x2: x2 * x2, "x1x2": lambda x1, x2: x1 * x2,
    "sin x1": lambda x1, x2: np.sin(x1), "sin x2": lambda x1, x2: np.sin(x2),
}


def feature_map(x: Array, names: tuple[str, ...] | list[str]) -> Array:
    """Input features of the network: x (n, 2) -> (n, len(names)), in the order given."""
    if not names:
        raise ValueError("choose at least one feature")
    x1, x2 = x[:, 0], x[:, 1]
    return np.stack([FEATURES[name](x1, x2) for name in names], axis=1)


def plane_grid(resolution: int, extent: float = EXTENT) -> Array:
    """(resolution², 2) points covering [-extent, extent]², row-major with x2 rising along rows."""
    t = np.linspace(-extent, extent, resolution)
    x1, x2 = np.meshgrid(t, t)
    return np.c_[x1.ravel(), x2.ravel()]


def layer_activations(net: Network, x: Array, pre: bool = False) -> list[Array]:
    """The a of every layer for inputs x (n, n_in): [a1 (n, n1), ..., ŷ (n, n_L)], caches untouched.

    pre=True gives each layer's z (before g) instead.
    """
    a = np.asarray(x, dtype=net.dtype)
    out = []
    for dense, act in zip(net.dense, net.activation_layers):
        z = dense._fwd(a)
        a = act._fwd(z)
        out.append(z if pre else a)
    return out


# --- the lecture's traffic example -------------------------------------------------------------
TRAFFIC_UNITS = "thousand vehicles per hour"
TRAFFIC_NAMES = ("w1,1", "b1,1", "w1,2", "b1,2", "w2,1", "w2,2", "b2,1")
LECTURE_VALUES = {"w1,1": 0.4, "b1,1": -5.9, "w1,2": -0.6, "b1,2": 5.2,
                  "w2,1": -1.0, "w2,2": -1.0, "b2,1": 5.1}
TRAFFIC_START = {"w1,1": 0.3, "b1,1": -3.0, "w1,2": -0.3, "b1,2": 3.0,
                 "w2,1": -1.0, "w2,2": -1.0, "b2,1": 4.0}  # a fixed, deliberately poor start
TRAFFIC_ARCH = Architecture((1, 2, 1), activation="relu", output="linear", loss="squared_error")


def _softplus(t: Array, k: float = 1.5) -> Array:
    return np.logaddexp(0.0, k * t) / k


def traffic_mean(hour: Array) -> Array:
    """The generator's noise-free volume (thousand vehicles/h) at an hour of day in [0, 24].

    Low at night, a ramp up to a morning peak near 8 am, a plateau, an evening peak near 5 pm,
    then a decline through the evening.
    """
    h = np.asarray(hour, dtype=np.float64)
    bump = lambda mu, sd: np.exp(-0.5 * ((h - mu) / sd) ** 2)
    v = 4.9 - _softplus(0.5 * h - 8.0) - _softplus(-0.85 * h + 5.6) + 0.6 * bump(8.0, 0.9) + 0.8 * bump(17.3, 1.0)
    return np.maximum(v, 0.2)


def make_traffic(n: int = 96, noise: float = 0.35, seed: int = 7) -> tuple[Array, Array]:
    """Synthetic (hour (n,), volume (n,)): hours uniform in [0, 24] (sorted), volume ≥ 0."""
    rng = np.random.default_rng(seed)
    hour = np.sort(rng.uniform(0, 24, n))
    return hour, np.clip(traffic_mean(hour) + rng.normal(0, noise, n), 0, None)


def write_traffic_csv(path: Path | str, n: int = 96, noise: float = 0.35, seed: int = 7) -> None:
    hour, volume = make_traffic(n, noise, seed)
    header = (f"# SYNTHETIC traffic data for the nnviz labs (not measured): volume in {TRAFFIC_UNITS}.\n"
              f"# Made by nnviz.core.toy.make_traffic(n={n}, noise={noise}, seed={seed}); "
              f"regenerate with: {TRAFFIC_COMMAND}\n")
    rows = "".join(f"{h:.3f},{v:.3f}\n" for h, v in zip(hour, volume))
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text(header + "hour,volume\n" + rows, encoding="utf-8")


def load_traffic(path: Path | str = TRAFFIC_CSV) -> tuple[Array, Array]:
    """(hour (n,), volume (n,)) float64 from the CSV (comment lines start with '#')."""
    rows = [line.split(",") for line in Path(path).read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#") and not line.startswith("hour")]
    data = np.array(rows, dtype=np.float64).reshape(-1, 2)
    return data[:, 0], data[:, 1]


def traffic_network(params: dict[str, float] | None = None) -> Network:
    """The lecture's 1-2-1 network (ReLU hidden, linear output) as a core Network, float64."""
    net = Network(TRAFFIC_ARCH, seed=0, dtype=np.float64)
    set_traffic_params(net, params or LECTURE_VALUES)
    return net


def set_traffic_params(net: Network, params: dict[str, float]) -> None:
    """Write the lecture's named parameters into the network's W1 (2,1), b1 (2,), W2 (1,2), b2 (1,)."""
    (W1, b1), (W2, b2) = net.weights()
    W1[:, 0] = params["w1,1"], params["w1,2"]
    b1[:] = params["b1,1"], params["b1,2"]
    W2[0, :] = params["w2,1"], params["w2,2"]
    b2[0] = params["b2,1"]


def traffic_params(flat: Array) -> dict[str, float]:
    """Named parameters from a traffic network's flat vector (layout W1, b1, W2, b2)."""
    w11, w12, b11, b12, w21, w22, b21 = (float(v) for v in flat)
    return {"w1,1": w11, "b1,1": b11, "w1,2": w12, "b1,2": b12, "w2,1": w21, "w2,2": w22, "b2,1": b21}


def mse(y_hat: Array, y: Array) -> float:
    """Mean squared error 1/n Σ (ŷ − y)² (the lecture's MSE; core's squared error J is half of it)."""
    d = np.ravel(y_hat) - np.ravel(y)
    return float(np.mean(d * d))


def quadratic_features(x: Array) -> Array:
    """(n,) -> (n, 3): columns 1, x, x²."""
    x = np.asarray(x, dtype=np.float64)
    return np.stack([np.ones_like(x), x, x * x], axis=1)


def quadratic_fit(x: Array, y: Array) -> Array:
    """Least squares on (1, x, x²): θ (3,) minimising ‖Φθ − y‖², via the normal equations' solver."""
    theta, *_ = np.linalg.lstsq(quadratic_features(x), np.asarray(y, np.float64), rcond=None)
    return theta


def quadratic_predict(theta: Array, x: Array) -> Array:
    return quadratic_features(x) @ theta


# --- parameter counting ------------------------------------------------------------------------
@dataclass(frozen=True)
class LayerCount:
    """One Dense layer: n_out neurons, each with n_in weights and one bias."""

    layer: int  # 1-based
    n_in: int
    n_out: int

    @property
    def weights(self) -> int:
        return self.n_in * self.n_out

    @property
    def biases(self) -> int:
        return self.n_out

    @property
    def params(self) -> int:
        return self.weights + self.biases

    @property
    def per_neuron(self) -> int:
        return self.n_in + 1


def count_parameters(sizes: tuple[int, ...]) -> list[LayerCount]:
    """Per-layer counts of a fully connected network with these layer sizes."""
    return [LayerCount(l, n_in, n_out) for l, (n_in, n_out) in enumerate(itertools.pairwise(sizes), start=1)]


def total_parameters(sizes: tuple[int, ...]) -> int:
    return sum(c.params for c in count_parameters(sizes))
