"""Losses J(ŷ, y), averaged over the batch, with their gradients.

y_hat and y have shape (n_ex, k); y is one-hot for classification.
`dJ_dz` is the fused gradient with respect to the output pre-activation when the loss and the
output activation pair up (softmax + cross-entropy, sigmoid + binary cross-entropy): ŷ − y.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

Array = np.ndarray
_EPS = 1e-12


@dataclass(frozen=True)
class Loss:
    name: str
    formula: str
    fused_output: str | None  # the output activation with which dJ/dz = (ŷ − y)/n
    label: str  # as a menu shows it: "cross-entropy"

    def value(self, y_hat: Array, y: Array) -> float:
        raise NotImplementedError

    def dJ_dy_hat(self, y_hat: Array, y: Array) -> Array:
        raise NotImplementedError

    def dJ_dz_fused(self, y_hat: Array, y: Array) -> Array:
        return (y_hat - y) / y_hat.shape[0]


class SquaredError(Loss):
    """J = 1/n Σ_examples ½ Σ_k (ŷ_k − y_k)²."""

    def __init__(self) -> None:
        super().__init__("squared_error", "J = ½ Σ (ŷ − y)²", None, "squared error")

    def value(self, y_hat: Array, y: Array) -> float:
        d = y_hat - y
        return float(0.5 * np.sum(d * d) / y_hat.shape[0])

    def dJ_dy_hat(self, y_hat: Array, y: Array) -> Array:
        return (y_hat - y) / y_hat.shape[0]


class CrossEntropy(Loss):
    """J = −1/n Σ_examples Σ_k y_k log ŷ_k, with ŷ = softmax(z)."""

    def __init__(self) -> None:
        super().__init__("cross_entropy", "J = −Σ y log ŷ", "softmax", "cross-entropy")

    def value(self, y_hat: Array, y: Array) -> float:
        return float(-np.sum(y * np.log(np.maximum(y_hat, _EPS))) / y_hat.shape[0])

    def dJ_dy_hat(self, y_hat: Array, y: Array) -> Array:
        return -y / np.maximum(y_hat, _EPS) / y_hat.shape[0]

    def value_from_logits(self, z: Array, y: Array, parts: tuple[Array, Array] | None = None) -> float:
        """The same J from the softmax's input z, exact and unclipped: Σ y (logsumexp(z) − z).

        value() clips ŷ at 1e-12 (J ≤ 27.6 per example); from z an exploding network shows as it is.
        parts: (top, total) as activations.softmax_parts computed them for this z (saves recomputing).
        """
        if parts is None:
            top = z.max(axis=-1, keepdims=True)
            parts = top, np.exp(z - top).sum(axis=-1, keepdims=True)
        top, total = parts
        lse = top + np.log(total)
        return float(np.add.reduce(y * (lse - z), axis=None) / z.shape[0])


class BinaryCrossEntropy(Loss):
    """J = −1/n Σ [y log ŷ + (1 − y) log(1 − ŷ)], with ŷ = sigmoid(z) (logistic regression)."""

    def __init__(self) -> None:
        super().__init__("binary_cross_entropy", "J = −[y log ŷ + (1 − y) log(1 − ŷ)]", "sigmoid",
                         "binary cross-entropy")

    def value(self, y_hat: Array, y: Array) -> float:
        p = np.clip(y_hat, _EPS, 1 - _EPS)
        return float(-np.sum(y * np.log(p) + (1 - y) * np.log(1 - p)) / y_hat.shape[0])

    def dJ_dy_hat(self, y_hat: Array, y: Array) -> Array:
        p = np.clip(y_hat, _EPS, 1 - _EPS)
        return (p - y) / (p * (1 - p)) / y_hat.shape[0]


LOSSES = {"squared_error": SquaredError(), "cross_entropy": CrossEntropy(),
          "binary_cross_entropy": BinaryCrossEntropy()}
CLASSIFIER_LOSSES = ("cross_entropy", "squared_error")  # what a softmax classifier can be trained with


def get(name: str) -> Loss:
    try:
        return LOSSES[name]
    except KeyError:
        raise ValueError(f"unknown loss {name!r}; choose from {', '.join(LOSSES)}") from None
