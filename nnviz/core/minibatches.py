"""The training set as shuffled minibatches: an input batch x and its targets y, ready for the network.

    batches = Minibatches(net, x_train, y_train, cfg, rng)
    batches.shuffle()                      # once per epoch
    x, y, labels = batches.draw(b)          # minibatch b of the epoch; labels None for regression targets

Drawing a batch gathers its examples, turns stored pixels (uint8, as MNIST is kept) into the network's
float inputs, distorts and deskews them if the run asks, and makes each class label a one-hot row of y.
All of it is written into arrays made once and reused every batch: at about 2 ms per batch, allocating a
batch's arrays each time costs as much as the arithmetic on them (bench/train_speed.py).
"""

from __future__ import annotations

import numpy as np

from .augment import augment_batch
from .network import Network
from .pixels import as_input, is_stored
from .preprocess import deskew

Array = np.ndarray


def is_labels(y: Array) -> bool:
    """Class labels (n,) of integers, rather than target vectors."""
    return np.asarray(y).ndim == 1 and np.issubdtype(np.asarray(y).dtype, np.integer)


def targets(net: Network, y: Array) -> Array:
    """Class labels (n,) -> one-hot (n, k); target vectors (n, k) pass through."""
    y = np.asarray(y)
    if is_labels(y):
        return net.one_hot(y)
    return y.reshape(len(y), -1).astype(net.dtype, copy=False)


class Minibatches:
    def __init__(self, net: Network, x: Array, y: Array, batch_size: int, rng: np.random.Generator,
                 augment: bool = False, deskew_digits: bool = False) -> None:
        self.x, self.y, self.rng = np.asarray(x), np.asarray(y), rng
        self.augment, self.deskew = augment, deskew_digits
        if deskew_digits and not augment:
            self.x = deskew(self.x)  # once, up front (uint8 stays uint8); with augmentation each batch after it
        self.labels = is_labels(self.y)
        if self.labels and len(self.y) and not (0 <= self.y.min() and self.y.max() < net.sizes[-1]):
            raise ValueError(f"class labels must be 0 to {net.sizes[-1] - 1} for this network's {net.sizes[-1]} "
                             f"outputs, got {self.y.min()} to {self.y.max()}")
        self.n = len(self.x)
        self.batch_size = batch_size
        self.count = -(-self.n // batch_size)  # batches per epoch (the last may be smaller)
        self.order = np.arange(self.n)
        self._reuse(net)

    def _reuse(self, net: Network) -> None:
        """The arrays every batch is written into."""
        rows = min(self.batch_size, self.n)
        self._x = np.empty((rows,) + self.x.shape[1:], self.x[:1].dtype)
        self._inputs = np.empty(self._x.shape, np.float32) if is_stored(self._x) else None  # pixels -> floats
        self._y_rows = None if self.labels else targets(net, self.y)
        self._y = np.empty((rows, net.sizes[-1] if self.labels else self._y_rows.shape[1]), net.dtype)
        self._labels = np.empty(rows, self.y.dtype)
        self._classes = np.arange(net.sizes[-1])
        self._dtype = net.dtype

    def shuffle(self) -> None:
        self.order = self.rng.permutation(self.n)

    def draw(self, b: int) -> tuple[Array, Array, Array | None]:
        """Minibatch b of this epoch's order: (x, y, class labels or None)."""
        idx = self.order[b * self.batch_size:(b + 1) * self.batch_size]
        k = len(idx)
        x = self.x.take(idx, axis=0, out=self._x[:k], mode="clip")
        if self._inputs is not None:
            x = as_input(x, self._dtype, out=self._inputs[:k])
        if self.augment:
            x = augment_batch(x, self.rng)
            if self.deskew:
                x = deskew(x)
        if not self.labels:
            return x, self._y_rows.take(idx, axis=0, out=self._y[:k], mode="clip"), None
        labels = self.y.take(idx, out=self._labels[:k], mode="clip")
        y = np.equal(labels[:, None], self._classes, out=self._y[:k], casting="unsafe")  # one-hot, in one go
        return x, y, labels
