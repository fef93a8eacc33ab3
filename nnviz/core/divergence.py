"""When training diverges: a loss that explodes, or weights that stop being finite, end the run with the
network back on sane weights, and a message that says what to try.

    guard = Guard(net)
    if guard.exploded(J): ...                 # before the step: J is far above where it started
    if not guard.step(opt, grad_norm): ...    # the step made a weight NaN or inf

Back to which weights: the ones the last reported loss was measured on (not the ones that were already
blowing up). To keep them without copying 1 MB of weights every batch, the guard holds three buffers that
take turns: the weights now, the ones the last loss was measured on, and the ones before; a step writes the
new weights into the oldest (Optimizer.step's `out`) and the network adopts it (Network.adopt).
"""

from __future__ import annotations

import numpy as np

from .network import Network
from .optim import Optimizer

Array = np.ndarray
# Learning rates that train this MLP well from fresh weights, per optimiser (Adam's steps do not scale
# with the gradient, so it wants a far smaller α than plain SGD).
GOOD_LR = {"adam": 1e-3, "momentum": 1e-2, "sgd": 1e-1}


class Guard:
    def __init__(self, net: Network) -> None:
        self.net = net
        self.limit: float | None = None  # a loss above this counts as diverged (set from the first batch)
        self.steps = 0
        self.measured, self.earlier = net.flat.copy(), net.flat.copy()
        self._views = [(buf, net.param_views(buf)) for buf in (net.flat, self.measured, self.earlier)]

    def exploded(self, J: float) -> bool:
        """True (and the weights restored) when J is far above the first batch's loss, or not a number."""
        self.limit = explosion_limit(self.net, J) if self.limit is None else self.limit
        if J <= self.limit:  # (NaN fails every comparison)
            return False
        self.net.flat[...] = self.measured if self.steps else self.earlier
        return True

    def step(self, opt: Optimizer, grad_norm: float) -> bool:
        """θ ← θ − update(∇J) into the oldest buffer, which the network adopts. False (and the weights of the last
        reported loss restored) when a weight is no longer finite: one check of the Σθ² the step returns."""
        new = self.earlier
        sum_sq = opt.step(self.net.flat, self.net.flat_grad, out=new, grad_norm=grad_norm)
        self.measured, self.earlier = self.net.flat, self.measured
        self.net.adopt(new, next(views for buf, views in self._views if buf is new))
        self.steps += 1
        if np.isfinite(sum_sq) or np.isfinite(new).all():  # (the squares alone may overflow)
            return True
        self.net.flat[...] = self.earlier
        return False


def explosion_limit(net: Network, J_first: float) -> float:
    """The loss above which training counts as diverged: 1000 times the first batch's loss, or chance
    level for a softmax classifier (log k), whichever is larger."""
    chance = float(np.log(net.sizes[-1])) if net.arch.output == "softmax" else 0.0
    return 1e3 * max(float(J_first) if np.isfinite(J_first) else 0.0, chance, 1e-3)


def suggested_lr(lr: float, optimizer: str) -> float:
    """A rate to try after diverging at lr: a tenth of it, but no more than what suits the optimiser."""
    return min(lr / 10, GOOD_LR.get(optimizer, lr / 10))


def divergence_message(J: float, lr: float, optimizer: str = "sgd") -> str:
    what = f"the loss became {J:g}" if np.isfinite(J) else "the loss became infinite or NaN"
    if np.isfinite(J) and J < 1e300:
        what = f"the loss exploded to {J:.3g}"
    return (f"Training diverged: {what} at learning rate {lr:g}. The weights on which the last reported loss "
            f"was measured were restored. Try a smaller learning rate (for example {suggested_lr(lr, optimizer):g}"
            f" for {optimizer}).")
