"""Teach a trained network someone's own digits without forgetting MNIST.

    split = personal_mix(x_mine, y_mine, mnist, rng)          # mine repeated, plus a slice of MNIST
    for event in train(net, split, FINE_TUNE): ...            # a few gentle epochs
    before_after(net_before, net_after, x_mine, y_mine, mnist) # what changed, for the table

The personal digits are few (a handful to a few hundred), so they are repeated to make up about
`share` of the mix, and the rest is MNIST (so the network keeps what it knew). A small learning rate
and few epochs: the weights move a little, not start over.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nnviz.core.training import Split, TrainConfig

Array = np.ndarray
FINE_TUNE = TrainConfig(epochs=3, batch_size=64, optimizer="adam", lr=2e-4, schedule="cosine", seed=0)
MNIST_SLICE = 6000  # MNIST training digits mixed in per fine-tuning run


def personal_mix(x_mine: Array, y_mine: Array, x_mnist: Array, y_mnist: Array, x_test: Array, y_test: Array,
                 rng: np.random.Generator, share: float = 0.1, n_mnist: int = MNIST_SLICE) -> Split:
    """A training split of the personal digits (repeated to about `share` of it) and n_mnist MNIST digits.

    x_*: (n, 784) in [0, 1]; the test part is MNIST's test set (what the run reports as test accuracy).
    """
    if len(x_mine) == 0:
        raise ValueError("no personal digits to learn from: add some with 'Add to my digits' first")
    x_mine = np.asarray(x_mine, np.float32).reshape(len(x_mine), -1)
    pick = rng.choice(len(x_mnist), min(n_mnist, len(x_mnist)), replace=False)
    x_m = _as_float(x_mnist[pick])
    repeat = max(1, int(round(share * len(x_m) / ((1 - share) * len(x_mine)))))
    x = np.concatenate([x_m, np.tile(x_mine, (repeat, 1))])
    y = np.concatenate([np.asarray(y_mnist)[pick], np.tile(np.asarray(y_mine), repeat)]).astype(np.int64)
    return Split(x, y, _as_float(x_test), np.asarray(y_test))


def _as_float(x: Array) -> Array:
    x = np.asarray(x)
    x = x.reshape(len(x), -1)
    return x.astype(np.float32) / 255 if x.dtype == np.uint8 else x.astype(np.float32, copy=False)


@dataclass(frozen=True)
class BeforeAfter:
    """Predictions of the personal digits and MNIST test accuracy, before and after fine-tuning."""

    labels: Array  # (n,)
    before: Array  # (n,) predicted classes
    after: Array
    mnist_before: float
    mnist_after: float

    @property
    def mine_before(self) -> float:
        return float((self.before == self.labels).mean()) if len(self.labels) else float("nan")

    @property
    def mine_after(self) -> float:
        return float((self.after == self.labels).mean()) if len(self.labels) else float("nan")


def before_after(net_before, net_after, x_mine: Array, y_mine: Array, x_test: Array, y_test: Array) -> BeforeAfter:
    x_mine, x_test = _as_float(x_mine), _as_float(x_test)
    acc = lambda net: float((net.predict(x_test) == np.asarray(y_test)).mean())
    return BeforeAfter(np.asarray(y_mine), net_before.predict(x_mine), net_after.predict(x_mine),
                       acc(net_before), acc(net_after))
