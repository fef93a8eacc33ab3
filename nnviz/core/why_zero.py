"""Why a gradient is zero: one line for the student when a step's gradients are all (or mostly) zero.

    why_zero("relu", z, grad)          # "" when most of grad is non-zero
    trace_hint(trace, "dJ_dz", 1)      # the same for a step of a traced backward pass

A zero gradient has few causes in an MLP, named in this order: ŷ ≈ y (the network is already sure of the
target, so ŷ − y is rounding noise: gradscale.resolved), g′(z) = 0 (g = step everywhere; a dead ReLU where z < 0; a
saturated sigmoid or tanh), or an input a = 0 that multiplies dJ/dW = dJ/dz · aᵀ.
"""

from __future__ import annotations

import numpy as np

from nnviz.core import activations
from nnviz.core.gradscale import SURE_HINT, resolved
from nnviz.core.trace import Trace

Array = np.ndarray
TINY = 1e-12  # |value| at or below this counts as zero
MOSTLY = 0.5  # a hint from this share of zeros on


def zero_share(grad: Array) -> float:
    """The share of exactly-zero entries (0 for an empty array)."""
    grad = np.asarray(grad, np.float64)
    return float(np.mean(np.abs(grad) <= TINY)) if grad.size else 0.0


def _amount(share: float) -> str:
    return "all gradients are 0" if share >= 1.0 else f"{share:.0%} of them are 0"


def why_zero(g: str, z: Array, grad: Array) -> str:
    """One line saying why grad (through a layer with activation g and pre-activations z) is mostly zero."""
    share = zero_share(grad)
    if share < MOSTLY:
        return ""
    z = np.atleast_1d(np.asarray(z, np.float64))
    what = _amount(share)
    if g == "step":
        return f"{what}: g = step has g′(z) = 0 for every z ≠ 0, so no gradient flows back (nothing to descend)"
    if g not in activations.ACTIVATIONS:
        return f"{what}: ŷ − y is 0 for those classes (the network is sure of them)"
    flat = np.abs(activations.get(g).g_prime(z)) <= 1e-6
    if g == "relu" and flat.any():
        return f"{what}: dead ReLU, z < 0 in {int(flat.sum())} of {z.size} neurons, where g′(z) = 0"
    if flat.any():
        return f"{what}: {g} saturated (|z| large, g′(z) ≈ 0) in {int(flat.sum())} of {z.size} neurons"
    return f"{what}: the error dJ/dŷ reaching this layer is 0"


def trace_hint(trace: Trace, quantity: str, layer: int) -> str:
    """The hint for the backward step `quantity` (dJ_dz, dJ_da, dJ_dW, dJ_db) of layer l (1..L), or ""."""
    if not trace.has_backward or not 1 <= layer <= len(trace.layers):
        return ""
    if not resolved(trace):  # the first cause: nothing to learn, every gradient is rounding noise
        return SURE_HINT
    lt = trace.layers[layer - 1]
    grad = getattr(lt, quantity, None)
    if grad is None or zero_share(grad) < MOSTLY:
        return ""
    if quantity == "dJ_dW" and zero_share(lt.dJ_dz) < MOSTLY:  # the zeros come from the inputs
        a_prev = trace.activations()[layer - 1]
        return (f"{_amount(zero_share(grad))}: dJ/dW = dJ/dz · aᵀ is 0 where the input a = 0 "
                f"({int(np.sum(np.abs(a_prev) <= TINY))} of {a_prev.size})")
    if quantity == "dJ_da" and layer < len(trace.layers):
        return why_zero(trace.layers[layer].g_name, trace.layers[layer].z, grad)
    hint = why_zero(lt.g_name, lt.z, grad)
    if quantity == "dJ_dW":  # both causes at once: rows of silent neurons, columns of zero inputs
        a_prev = trace.activations()[layer - 1]
        zeros = int(np.sum(np.abs(a_prev) <= TINY))
        hint += f", and the input a = 0 in {zeros} of {a_prev.size} (dJ/dW = dJ/dz · aᵀ)" if zeros else ""
    return hint


def chain_hint(trace: Trace) -> str:
    """The scalar chain's hint: which g′(z_k) = 0 on the way back stops every derivative behind it, or ""."""
    if not trace.has_backward:
        return ""
    if not resolved(trace):
        return SURE_HINT
    grads = np.concatenate([lt.dJ_dW.ravel() for lt in trace.layers])
    share = zero_share(grads)
    if share < MOSTLY:
        return ""
    for k in range(len(trace.layers), 0, -1):
        lt = trace.layers[k - 1]
        if lt.g_name in activations.ACTIVATIONS and abs(float(activations.get(lt.g_name).g_prime(lt.z)[0])) <= 1e-6:
            why = {"relu": "a dead ReLU: z ≤ 0", "step": "g = step"}.get(lt.g_name, f"{lt.g_name} saturated")
            return (f"{_amount(share)}: g′(z{k}) = 0 at z{k} = {float(lt.z[0]):.3g} ({why}), so every "
                    f"derivative behind it is 0")
    return f"{_amount(share)}: the error dJ/dŷ is 0 (ŷ = y)"
