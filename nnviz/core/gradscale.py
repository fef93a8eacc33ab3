"""What a backward pass can show: the target that makes it worth watching, and how big its gradients are.

    default_target(y_hat, label)   (target, why): the label where the network is wrong or unsure, else
                                   "what if this were a K?" with K the runner-up class
    resolved(trace)                False when ŷ ≈ y to the trace's float precision: every gradient is noise
    shown(trace, values)           values, or zeros when the trace's gradients are not resolved
    largest(values)                the step's scale: the largest |value|
    scale_text(name, values, trace) "largest |dJ/dz₂| = 3.2 × 10⁻⁴", or why it is drawn as 0

A network that reads a digit at 100 % has ŷ = y to the last bit of float32, and ŷ − y, the seed of
every gradient, is rounding noise (about 10⁻¹⁹): stretched to full colour it would look like signal.
"""

from __future__ import annotations

import math

import numpy as np

from nnviz.core.trace import Trace

Array = np.ndarray
SURE = 0.99  # a prediction at least this probable counts as sure: its gradients are too small to see
_SUPER = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def default_target(y_hat: Array, label: int | None = None) -> tuple[int, str]:
    """The target y that shows learning for an example the network reads as y_hat, and why (short: one line)."""
    p = np.asarray(y_hat, np.float64).ravel()
    if label is not None and not 0 <= label < p.size:
        label = None  # a label the network has no output for (a 784→7 model and a digit 9) is no target
    order = np.argsort(-p, kind="stable")
    top, second = int(order[0]), int(order[1]) if p.size > 1 else int(order[0])
    if label is not None and (top != label or p[label] < SURE):
        verdict = f"the network reads {top}" if top != label else f"the network is unsure ({p[label]:.0%})"
        return int(label), f"the true label; {verdict}"
    if label is None and p[top] < SURE:
        return top, f"the prediction, made surer ({p[top]:.0%})"
    return second, f"what if this were a {second}? (sure of {top}: {p[top]:.0%})"


def resolution(trace: Trace) -> float:
    """The smallest |ŷ − y| the trace's floats can tell from rounding: a few ulps of 1 in its precision."""
    return 4 * float(np.finfo(trace.y_hat.dtype if np.issubdtype(trace.y_hat.dtype, np.floating)
                              else np.float64).eps)


def resolved(trace: Trace) -> bool:
    """True when the output error ŷ − y is above float rounding, so the gradients mean something."""
    if not trace.has_backward:
        return False
    err = np.abs(np.asarray(trace.y_hat, np.float64) - np.asarray(trace.y, np.float64))
    return bool(np.max(err) > resolution(trace))


def shown(trace: Trace, values: Array | None) -> Array | None:
    """A gradient as it should be drawn: itself, or zeros when the trace's gradients are rounding noise."""
    if values is None or resolved(trace):
        return values
    return np.zeros_like(values)


def largest(values: Array | None) -> float:
    """max |value| (0 for nothing)."""
    if values is None or np.size(values) == 0:
        return 0.0
    return float(np.max(np.abs(np.asarray(values, np.float64))))


def power_of_ten(value: float, digits: int = 2) -> str:
    """3.2e-04 as '3.2 × 10⁻⁴' (0 as '0')."""
    if value == 0 or not math.isfinite(value):
        return "0" if value == 0 else str(value)
    mantissa, exponent = f"{value:.{digits - 1}e}".split("e")
    return f"{mantissa} × 10{str(int(exponent)).translate(_SUPER)}"


def scale_text(name: str, values: Array | None, trace: Trace) -> str:
    """The scale a backward step states: its largest |value|, or why it is drawn as 0."""
    big = largest(values)
    if not resolved(trace):
        return (f"scale: largest |{name}| = {power_of_ten(big)}, below what float32 resolves (ŷ ≈ y): drawn as 0"
                if big else f"scale: {name} = 0 everywhere")
    return f"scale: largest |{name}| = {power_of_ten(big)}"


SURE_HINT = "ŷ ≈ y: the network is already sure, so the gradients are about 0; choose another target to see it learn"
