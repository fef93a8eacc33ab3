"""The one evaluation path: a network's predictions on a labelled set, and what they add up to.

The model card's test accuracy (`nnviz train`), *Mistakes* and `nnviz evaluate` all come from here,
on the same inputs (`model_inputs`: the stored digits, deskewed when the card says the model wants it),
so they agree to the last digit for the same model and data.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from .network import Network
from .preprocess import deskew, wants_deskew

Array = np.ndarray
BATCH = 2000  # examples per forward pass (the same chunks as training's per-epoch test evaluation)


@dataclass(frozen=True)
class Evaluation:
    """labels (n,) and predicted (n,) classes of n examples, k classes."""

    labels: Array
    predicted: Array
    k: int

    @property
    def n(self) -> int:
        return int(self.labels.size)

    @property
    def correct(self) -> int:
        return int(np.count_nonzero(self.predicted == self.labels))

    @property
    def accuracy(self) -> float:
        """Share of examples classified right (0 for an empty set)."""
        return self.correct / self.n if self.n else 0.0

    @cached_property
    def confusion(self) -> Array:
        """(k, k) int64 counts, [true class, predicted class]."""
        c = np.zeros((self.k, self.k), np.int64)
        np.add.at(c, (self.labels, self.predicted), 1)
        return c

    @property
    def per_class(self) -> Array:
        """(k,) accuracy on each true class (NaN for a class with no example)."""
        c = self.confusion
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.diag(c) / c.sum(axis=1)

    @cached_property
    def wrong(self) -> Array:
        """Indices of the misclassified examples, ascending."""
        return np.flatnonzero(self.predicted != self.labels)


def model_inputs(x: Array, card: dict | None) -> Array:
    """x (n, n_in) as the model was trained to see it: deskewed when its card says so."""
    return deskew(x) if wants_deskew(card) else np.asarray(x)


def evaluate(net: Network, x: Array, labels: Array) -> Evaluation:
    """Classify x (n, n_in) (already `model_inputs`) against class labels (n,). Seconds for MNIST's
    10,000 digits: off the GUI thread."""
    labels = np.asarray(labels, np.int64).reshape(-1)
    if len(x) != labels.size:
        raise ValueError(f"{len(x)} examples but {labels.size} labels")
    predicted = np.argmax(net.predict_proba(x, BATCH), axis=-1).astype(np.int64) if labels.size else labels
    return Evaluation(labels, predicted, int(net.sizes[-1]))


def evaluate_model(net: Network, card: dict | None, x: Array, labels: Array) -> Evaluation:
    """evaluate() on the raw inputs x, preprocessed the way the model's card asks."""
    return evaluate(net, model_inputs(x, card), labels)
