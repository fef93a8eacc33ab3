"""Layers in the lecture's generic form.

forward:  z_out = f(z_in, θ)
backward: given dJ/dz_out, return dJ/dz_in and leave dJ/dθ in `grads`.

Arrays are batches: z_in has shape (n_ex, n_in), z_out (n_ex, n_out). Each layer keeps the input of
its last forward pass under the name it has in the lecture: a Dense layer's is `a_in` (the previous
layer's activation a), an activation layer's is `z`.
"""

from __future__ import annotations

import numpy as np

from . import activations

Array = np.ndarray


class Layer:
    """Bookkeeping shared by all layers: cache the input, keep parameters and their gradients."""

    params: dict[str, Array]
    grads: dict[str, Array]

    def __init__(self) -> None:
        self.params = {}
        self.grads = {}
        self.input: Array | None = None  # what the last forward() saw (a_in for Dense, z for activations)

    def forward(self, z_in: Array) -> Array:
        self.input = z_in
        return self._fwd(z_in)

    def backward(self, dJ_dz_out: Array) -> Array:
        if self.input is None:
            raise RuntimeError("backward() before forward()")
        return self._bwd(self.input, dJ_dz_out)

    def _fwd(self, z_in: Array) -> Array:  # pragma: no cover - abstract
        raise NotImplementedError

    def _bwd(self, z_in: Array, dJ_dz_out: Array) -> Array:  # pragma: no cover - abstract
        raise NotImplementedError


class Dense(Layer):
    """z = W a + b for each example. W: (n_out, n_in), the lecture's w[layer, output, input]; b: (n_out,)."""

    def __init__(self, W: Array, b: Array, grads: bool = True) -> None:
        """grads=False: no gradient buffers of its own (a network binds views of its flat_grad instead,
        or, for a twin that only traces, none)."""
        super().__init__()
        if W.ndim != 2 or b.shape != (W.shape[0],):
            raise ValueError(f"W must be (n_out, n_in) and b (n_out,), got {W.shape} and {b.shape}")
        self.params = {"W": W, "b": b}
        self.grads = {"W": np.zeros_like(W), "b": np.zeros_like(b)} if grads else None

    @property
    def W(self) -> Array:
        return self.params["W"]

    @property
    def b(self) -> Array:
        return self.params["b"]

    @property
    def a_in(self) -> Array | None:
        """The input activation a (of the layer before) of the last forward pass."""
        return self.input

    def _fwd(self, a_in: Array) -> Array:
        z = a_in @ self.W.T
        z += self.b  # in place: one (n_ex, n_out) array, not two
        return z

    def _bwd(self, a_in: Array, dJ_dz: Array) -> Array:
        np.matmul(dJ_dz.T, a_in, out=self.grads["W"])  # dJ/dW = dJ/dz · aᵀ, summed over the batch
        np.add.reduce(dJ_dz, axis=0, out=self.grads["b"])  # dJ/db = dJ/dz, summed over the batch
        return dJ_dz @ self.W  # dJ/da_in = Wᵀ dJ/dz


class GLayer(Layer):
    """A layer a = g(z) without parameters; `z` is the input of its last forward pass."""

    @property
    def z(self) -> Array | None:
        return self.input


class ActivationLayer(GLayer):
    """a = g(z), element-wise. backward: dJ/dz = dJ/da ⊙ g'(z). No parameters."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.activation = activations.get(name)

    def _fwd(self, z: Array) -> Array:
        return self.activation.g(z)

    def _bwd(self, z: Array, dJ_da: Array) -> Array:
        if self.activation.name == "relu":  # g'(z) = 1 or 0, written as floats into the result's array
            mask = np.greater(z, 0, out=np.empty_like(dJ_da))  # (faster than multiplying by a bool array)
            return np.multiply(dJ_da, mask, out=mask)
        return dJ_da * self.activation.g_prime(z)


class Softmax(GLayer):
    """ŷ = softmax(z) row-wise. backward: the softmax Jacobian-vector product."""

    def __init__(self) -> None:
        super().__init__()
        self.y_hat: Array | None = None
        self.parts: tuple[Array, Array] | None = None  # (max z, Σ exp(z − max)) per row, for the loss

    def _fwd(self, z: Array) -> Array:
        self.y_hat, *parts = activations.softmax_parts(z)
        self.parts = tuple(parts)
        return self.y_hat

    def _bwd(self, z: Array, dJ_dy_hat: Array) -> Array:
        assert self.y_hat is not None
        return activations.softmax_backward(self.y_hat, dJ_dy_hat)
