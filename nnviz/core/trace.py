"""A record of one forward (and optionally backward) pass through a network, for one example.

This is what the network scene and the backprop inspector show. All arrays are read-only, so a trace
can cross threads and be kept while the network trains on: copies, or (Network.trace(share_weights=True))
views of W and b that their owner never writes in place. dJ/dW = dJ/dz · aᵀ is as big as W, so it is
worked out when first read, not with every trace.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

Array = np.ndarray


def frozen(a: Array | None) -> Array | None:
    """A read-only copy of `a` (None stays None)."""
    if a is None:
        return None
    c = np.array(a, copy=True)
    c.setflags(write=False)
    return c


def read_only(a: Array) -> Array:
    """A read-only view of `a` (no copy)."""
    v = a.view()
    v.setflags(write=False)
    return v


@dataclass(frozen=True)
class LayerTrace:
    """Layer l of a pass: z = W a_in + b, a = g(z), and after backward the four gradients.

    Shapes: W (n_out, n_in), a_in (n_in,), b/z/a/dJ_dz/dJ_da/dJ_db (n_out,), dJ_dW (n_out, n_in).
    """

    W: Array
    b: Array
    z: Array
    a: Array
    g_name: str  # the name of the activation g ("softmax" for the classifier output)
    dJ_dz: Array | None = None
    dJ_da: Array | None = None
    dJ_db: Array | None = None
    a_in: Array | None = None  # the layer's input: x for layer 1, else the layer before's a

    @cached_property
    def dJ_dW(self) -> Array | None:
        """dJ/dW = dJ/dz · a_inᵀ (an outer product for one example), made on first use, read-only."""
        if self.dJ_dz is None or self.a_in is None:
            return None
        g = np.outer(self.dJ_dz, self.a_in)
        g.setflags(write=False)
        return g

    @property
    def n_out(self) -> int:
        return int(self.W.shape[0])

    @property
    def n_in(self) -> int:
        return int(self.W.shape[1])


@dataclass(frozen=True)
class Trace:
    """One example's pass. `layers[l]` is layer l+1 in the lecture's numbering (layers[0] is z1, a1).

    x: (n_in,) the input a0; y_hat: (k,) the output; y: (k,) the target (one-hot for classifiers)
    or None for a forward-only trace; loss: J for this example; dJ_dx: (n_in,) the input gradient.
    """

    x: Array
    layers: tuple[LayerTrace, ...]
    y_hat: Array
    loss_name: str
    y: Array | None = None
    loss: float | None = None
    dJ_dx: Array | None = None

    @property
    def has_backward(self) -> bool:
        return self.y is not None

    @property
    def predicted(self) -> int:
        return int(np.argmax(self.y_hat))

    @property
    def target(self) -> int | None:
        return None if self.y is None else int(np.argmax(self.y))

    def activations(self) -> list[Array]:
        """[x, a1, a2, ..., a_L]: every layer's activation, input first."""
        return [self.x] + [lt.a for lt in self.layers]

    def pre_activations(self) -> list[Array]:
        """[x, z1, ..., z_L] (the input has no z; it stands as itself)."""
        return [self.x] + [lt.z for lt in self.layers]


# --- each edge's term of the trace's sums -------------------------------------------------------------
def forward_terms(trace: Trace, l: int, j: int | None = None) -> Array:
    """Each edge's term w·a of z_l = W_l a_{l−1} + b_l: W_l ⊙ a_{l−1} (broadcast over rows).

    l: 1..L (a_0 = x). Shape (n_out, n_in), or (n_in,) for neuron j's row only; its sum plus b_l[j] is z_l[j].
    """
    W, a_prev = trace.layers[l - 1].W, trace.activations()[l - 1]
    return W[j] * a_prev if j is not None else W * a_prev[None, :]


def backward_terms(trace: Trace, l: int) -> Array:
    """Each edge's term w·dJ/dz of dJ/da_{l−1} = W_lᵀ dJ/dz_l: W_l ⊙ dJ/dz_l (broadcast over columns).

    l: 1..L. Shape (n_out, n_in); column i sums to dJ/da_{l−1}[i] (to dJ/dx[i] for l = 1).
    Needs a trace with a backward pass.
    """
    lt = trace.layers[l - 1]
    if lt.dJ_dz is None:
        raise ValueError("backward_terms needs a trace with a backward pass (a target)")
    return lt.W * lt.dJ_dz[:, None]
