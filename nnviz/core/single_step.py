"""One gradient step on one example, with undo: the inspector's *Apply update*, *Repeat* and *Undo*.

    steps = SingleSteps()
    new_flat = steps.step(net, x, target, lr)   # W ← W − α dJ/dW for this one example; net unchanged
    old_flat = steps.undo()                     # the parameters before that step, bit for bit

The caller puts the returned vector into its network (the GUI through AppState.set_weights).
"""

from __future__ import annotations

import numpy as np

from .network import Network
from .optim import SGD

Array = np.ndarray


def gradient_step(net: Network, x: Array, target: int | Array, lr: float) -> Array:
    """net's parameters after one plain SGD step on one example, as a new flat vector (layout of net.flat).

    x: (n_in,) the input; target: a class index or a target vector (k,); J is net's own loss.
    net (weights, caches, gradients) is left as it was.
    """
    shadow = net.copy_sharing_params()  # own caches and gradient buffer, the same W and b
    y = shadow.one_hot(target) if np.ndim(target) == 0 else np.asarray(target, net.dtype).reshape(1, -1)
    shadow.loss_and_grads(np.asarray(x, net.dtype).reshape(1, -1), y)
    new_flat = net.flat.copy()
    SGD(lr).step(new_flat, shadow.flat_grad)
    return new_flat


class SingleSteps:
    """Gradient steps on single examples, each one undoable: a stack of the parameters each step replaced."""

    def __init__(self) -> None:
        self._saved: list[Array] = []

    def __len__(self) -> int:
        return len(self._saved)

    def step(self, net: Network, x: Array, target: int | Array, lr: float) -> Array:
        """gradient_step(net, ...), remembering net's current parameters for undo()."""
        new_flat = gradient_step(net, x, target, lr)
        self._saved.append(net.flat.copy())
        return new_flat

    def undo(self) -> Array | None:
        """The parameters from before the last step not yet undone (an exact copy), or None."""
        return self._saved.pop() if self._saved else None

    def clear(self) -> None:
        """Forget every step (a different network: its old parameters mean nothing to it)."""
        self._saved.clear()
