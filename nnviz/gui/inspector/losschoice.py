"""The loss choice: the state's network, or a twin with the same weights and another loss.

Only core is used: a twin is Network(Architecture(sizes, activation, output, loss)) whose flat
parameter vector is refreshed from the state's network before every use; the losses' names and
formulas are core.losses'. No Qt.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from nnviz.core.network import Network
from nnviz.core.trace import Trace


class LossTwins:
    """Networks that share the state network's weights (by copy) but use a chosen loss."""

    def __init__(self) -> None:
        self._twins: dict[tuple, Network] = {}

    def network(self, net: Network, loss: str, dtype=None, share: bool = True) -> Network:
        """A network equal to `net` with loss `loss` (and dtype, default net's); `net` itself never changes.

        Same loss and dtype and share: a twin sharing net's parameters (core's copy_sharing_params).
        Otherwise a cached Network whose flat vector is a fresh copy of net.flat (cast to dtype).
        """
        dtype = np.dtype(dtype or net.dtype)
        if share and loss == net.arch.loss and dtype == net.dtype:
            return net.copy_sharing_params()
        arch = replace(net.arch, loss=loss)
        key = (arch, dtype.str)  # one cached twin per architecture, loss and dtype
        twin = self._twins.get(key)
        if twin is None:
            twin = Network(arch, dtype=dtype)
            self._twins[key] = twin
        twin.flat[...] = net.flat
        return twin

    def trace(self, net: Network, x: np.ndarray, target: int | None, loss: str) -> Trace:
        """core's Trace of x with a backward pass to `target` under `loss` (forward only if target is None)."""
        return self.network(net, loss).trace(x, target)
