"""The playground's model side (no widgets): settings, data, the core Network, and snapshots.

A snapshot is an immutable picture of the network for the view: parameters, losses, accuracy and
what every neuron computes over the input plane. It is made in the worker thread between steps.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from nnviz.core import toy
from nnviz.core.network import Architecture, Network
from nnviz.core.training import Split, TrainConfig, evaluate

GRID = 72  # output heatmap resolution; neuron tiles use every second point
MAX_LAYERS, MAX_NEURONS = 6, 8


@dataclass(frozen=True)
class Settings:
    dataset: str = "circle"
    noise: float = 0.0  # 0 .. 0.5
    test_ratio: float = 0.5
    n_points: int = 500
    data_seed: int = 0
    features: tuple[str, ...] = ("x1", "x2")
    hidden: tuple[int, ...] = (4, 2)
    activation: str = "tanh"
    lr: float = 0.03
    batch_size: int = 10
    optimizer: str = "sgd"
    regularisation: str = "none"  # none, L1, L2
    reg_rate: float = 0.0
    seed: int = 0

    @property
    def classification(self) -> bool:
        return self.dataset != "regression"

    def architecture(self) -> Architecture:
        if self.classification:
            return Architecture((len(self.features), *self.hidden, 2), self.activation, "softmax", "cross_entropy")
        return Architecture((len(self.features), *self.hidden, 1), self.activation, "linear", "squared_error")

    def train_config(self, epochs: int = 1_000_000) -> TrainConfig:
        rate = self.reg_rate if self.regularisation != "none" else 0.0
        return TrainConfig(epochs=epochs, batch_size=self.batch_size, optimizer=self.optimizer, lr=self.lr,
                           l1=rate if self.regularisation == "L1" else 0.0,
                           l2=rate if self.regularisation == "L2" else 0.0, seed=self.seed)


@dataclass(frozen=True)
class Snapshot:
    epoch: int
    flat: np.ndarray  # copy of every parameter (layout of Network.flat)
    weights: tuple[tuple[np.ndarray, np.ndarray], ...]  # (W, b) copies per layer
    train_loss: float
    test_loss: float
    test_accuracy: float | None
    output: np.ndarray  # (GRID, GRID): P(class 1) or ŷ over the plane, rows = x2
    features: tuple[np.ndarray, ...]  # per input feature: (GRID/2, GRID/2) values over the plane
    neurons: tuple[tuple[np.ndarray, ...], ...]  # per hidden layer, per neuron: (GRID/2, GRID/2) a


@dataclass
class Model:
    """Data, features and network for one Settings; the plane grid's features are cached."""

    settings: Settings
    x: np.ndarray = field(init=False)  # raw points (n, 2)
    data: Split = field(init=False)  # split of raw points
    features: Split = field(init=False)  # split of feature-mapped inputs
    net: Network = field(init=False)

    def __post_init__(self) -> None:
        s = self.settings
        self.x, y = toy.make_dataset(s.dataset, s.n_points, s.noise, s.data_seed)
        self.data = toy.split(self.x, y, s.test_ratio, s.data_seed)
        fm = lambda pts: toy.feature_map(pts, s.features)
        y_tr, y_te = self.data.y_train, self.data.y_test
        if not s.classification:
            y_tr, y_te = y_tr[:, None], y_te[:, None]
        self.features = Split(fm(self.data.x_train), y_tr, fm(self.data.x_test), y_te)
        self.grid_features = fm(toy.plane_grid(GRID))
        self.net = Network(s.architecture(), seed=s.seed, dtype=np.float64)

    def snapshot(self, epoch: int, net: Network | None = None) -> Snapshot:
        """Everything the view shows, computed from `net` (default: this model's network)."""
        net = net or self.net
        f = self.features
        train_loss, _ = evaluate(net, f.x_train, f.y_train)
        test_loss, test_acc = evaluate(net, f.x_test, f.y_test)
        acts = toy.layer_activations(net, self.grid_features)
        out = acts[-1][:, 1] if self.settings.classification else acts[-1][:, 0]
        tile = lambda v: v.reshape(GRID, GRID)[::2, ::2].copy()
        return Snapshot(
            epoch=epoch, flat=net.flat.copy(), weights=tuple((W.copy(), b.copy()) for W, b in net.weights()),
            train_loss=float(train_loss), test_loss=float(test_loss), test_accuracy=test_acc,
            output=out.reshape(GRID, GRID).copy(),
            features=tuple(tile(self.grid_features[:, k]) for k in range(self.grid_features.shape[1])),
            neurons=tuple(tuple(tile(a[:, j]) for j in range(a.shape[1])) for a in acts[:-1]))
