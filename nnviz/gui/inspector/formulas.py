"""The same equation with numbers, for the selected neuron or edge: what the formula panel shows.

e.g. "dJ/dw₂,₁₇,₄₂ = dJ/dz₂,₁₇ × a₁,₄₂ = 0.031 × 0.87 = 0.027". Every number is read from the core
Trace (the last one too: it is the trace's dJ/dW, not a product computed here); g′(z) comes from
core.activations and the updated weight from core.optim.SGD. The only arithmetic is the product
of a single displayed term (one of the Σ's terms), shown as such.

Focus: (layer, j) a neuron of scene layer 0..L, or (l, j, i) the weight W_l[j, i]. Indices are 0-based.
No Qt here.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nnviz.core import activations, losses
from nnviz.core.optim import SGD
from nnviz.core.trace import Trace
from nnviz.gui.inspector.notation import factor, input_sym, num, sym
from nnviz.gui.inspector.timeline import Step

Selection = tuple[int, ...] | None


@dataclass(frozen=True)
class Numbers:
    """The numeric lines for one step and focus. values: every number shown, in text order."""

    focus: tuple[int, ...]
    lines: tuple[str, ...]
    values: tuple[float, ...]


def g_prime(name: str, z: float) -> float:
    """g′(z) from core for one value (the slope the gradient is multiplied by)."""
    return float(activations.get(name).g_prime(np.array([z], np.float64))[0])


def _argmax_abs(v: np.ndarray) -> int:
    return int(np.argmax(np.abs(v)))


def focus_for(step: Step, trace: Trace, selection: Selection) -> tuple[int, ...]:
    """Which neuron/edge the numbers are about: the user's selection if it fits this step, else a telling default."""
    q, l = step.quantity, step.layer
    sel = selection or ()
    if q == "dJ_dW" or q == "update":
        return _edge_focus(step, trace, sel)
    if q == "J" and trace.loss_name == "cross_entropy" and trace.target is not None:
        return (l, trace.target)  # only the target class's term is in J
    if len(sel) == 2 and sel[0] == l:
        return (l, sel[1])
    if len(sel) == 3 and sel[0] == l:
        return (l, sel[1])
    if len(sel) == 3 and sel[0] - 1 == l:
        return (l, sel[2])
    return (l, _default_neuron(step, trace))


def _default_neuron(step: Step, trace: Trace) -> int:
    q, lt = step.quantity, trace.layers[step.layer - 1]
    if q in ("y_hat", "J") or (step.phase == "backward" and step.layer == step.n_layers and q != "dJ_da"):
        return trace.target if trace.target is not None else trace.predicted
    if q in ("z", "a"):
        return _argmax_abs(lt.a)
    return _argmax_abs({"dJ_da": lt.dJ_da, "dJ_db": lt.dJ_db}.get(q, lt.dJ_dz))


def _edge_focus(step: Step, trace: Trace, sel: tuple[int, ...]) -> tuple[int, ...]:
    if step.quantity == "update":
        if len(sel) == 3 or (len(sel) == 2 and sel[0] >= 1):
            return tuple(sel)
        l = step.n_layers
    else:
        l = step.layer
        if len(sel) == 3 and sel[0] == l:
            return tuple(sel)
    G = trace.layers[l - 1].dJ_dW
    if len(sel) == 2 and sel[0] == l:
        return (l, sel[1], _argmax_abs(G[sel[1]]))
    if len(sel) == 2 and sel[0] == l - 1:
        return (l, _argmax_abs(G[:, sel[1]]), sel[1])
    j, i = np.unravel_index(int(np.argmax(np.abs(G))), G.shape)
    return (l, int(j), int(i))


# --- the lines ------------------------------------------------------------------------------------
def numbers_for(step: Step, trace: Trace, selection: Selection = None, lr: float = 0.1) -> Numbers:
    """The numeric lines of `step` for the selection (see focus_for)."""
    focus = focus_for(step, trace, selection)
    maker = _MAKERS[step.quantity]
    lines, values = maker(step, trace, focus, selection or (), lr)
    return Numbers(focus, tuple(lines), tuple(float(v) for v in values))


def _term_line(left: str, right: str, u: float, v: float) -> tuple[str, list[float]]:
    """'one term: left × right = u × v = u·v' (the one product this module computes, as shown)."""
    return f"one term: {left} × {right} = {num(u)} × {factor(v)} = {num(u * v)}", [u, v, u * v]


def _z(step, trace, focus, sel, lr):
    l, j = focus
    lt = trace.layers[l - 1]
    lines = [(f"{sym('z', l, j)} = Σᵢ {sym('w', l, j, 'i')} {input_sym(l, 'i')} + {sym('b', l, j)} = "
             f"{num(lt.z[j])}   (bias {sym('b', l, j)} = {num(lt.b[j])})")]
    values = [lt.z[j], lt.b[j]]
    if len(sel) == 3 and sel[0] == l and sel[1] == j:
        i = sel[2]
        a_in = trace.activations()[l - 1][i]
        text, vals = _term_line(sym("w", l, j, i), input_sym(l, i), lt.W[j, i], a_in)
        lines.append(text)
        values += vals
    return lines, values


def _a(step, trace, focus, sel, lr):
    l, j = focus
    lt = trace.layers[l - 1]
    return [f"{sym('a', l, j)} = {lt.g_name}({sym('z', l, j)}) = {lt.g_name}({num(lt.z[j])}) = {num(lt.a[j])}"], \
        [lt.z[j], lt.a[j]]


def _y_hat(step, trace, focus, sel, lr):
    l, k = focus
    lt = trace.layers[l - 1]
    if lt.g_name == "softmax":
        return [(f"ŷ{sym('', k)} = softmax({sym('z', l)}){sym('', k)} = {num(lt.a[k])}   "
                f"({sym('z', l, k)} = {num(lt.z[k])})")], [lt.a[k], lt.z[k]]
    return [f"ŷ{sym('', k)} = {lt.g_name}({sym('z', l, k)}) = {lt.g_name}({num(lt.z[k])}) = {num(lt.a[k])}"], \
        [lt.z[k], lt.a[k]]


def _J(step, trace, focus, sel, lr):
    _, k = focus
    y_hat, y = trace.y_hat, trace.y
    if trace.loss_name == "cross_entropy" and y is not None and trace.target == k:
        return [(f"J = −log ŷ{sym('', k)} = −log({num(y_hat[k])}) = {num(trace.loss)}   "
                "(only the target class counts)")], [y_hat[k], trace.loss]
    if y is None:
        return [f"ŷ{sym('', k)} = {num(y_hat[k])}   (no target: no loss)"], [y_hat[k]]
    return [f"J = {num(trace.loss)}   (ŷ{sym('', k)} = {num(y_hat[k])}, y{sym('', k)} = {num(y[k])})"], \
        [trace.loss, y_hat[k], y[k]]


def _dJ_dy_hat(step, trace, focus, sel, lr):
    l, k = focus
    d = trace.layers[l - 1].dJ_da[k]
    s = sym("", k)
    return [f"dJ/dŷ{s} = ŷ{s} − y{s} = {num(trace.y_hat[k])} − {factor(trace.y[k])} = {num(d)}"], \
        [trace.y_hat[k], trace.y[k], d]


def _dJ_dz(step, trace, focus, sel, lr):
    l, j = focus
    lt = trace.layers[l - 1]
    name = sym("dJ/dz", l, j)
    if l == step.n_layers:
        if losses.get(trace.loss_name).fused_output == lt.g_name:
            return [(f"{name} = ŷ{sym('', j)} − y{sym('', j)} = {num(trace.y_hat[j])} − {factor(trace.y[j])} = "
                    f"{num(lt.dJ_dz[j])}")], [trace.y_hat[j], trace.y[j], lt.dJ_dz[j]]
        if lt.g_name == "softmax":
            return [(f"{name} = Σⱼ (∂ŷⱼ/∂{sym('z', l, j)}) dJ/dŷⱼ = {num(lt.dJ_dz[j])}   "
                    f"(dJ/dŷ{sym('', j)} = {num(lt.dJ_da[j])})")], [lt.dJ_dz[j], lt.dJ_da[j]]
        gp = g_prime(lt.g_name, lt.z[j])
        return [(f"{name} = dJ/dŷ{sym('', j)} × g′({sym('z', l, j)}) = {num(lt.dJ_da[j])} × {factor(gp)} = "
                f"{num(lt.dJ_dz[j])}")], [lt.dJ_da[j], gp, lt.dJ_dz[j]]
    gp = g_prime(lt.g_name, lt.z[j])
    return [(f"{name} = {sym('dJ/da', l, j)} × g′({sym('z', l, j)}) = {num(lt.dJ_da[j])} × {factor(gp)} = "
            f"{num(lt.dJ_dz[j])}   ({sym('z', l, j)} = {num(lt.z[j])})")], [lt.dJ_da[j], gp, lt.dJ_dz[j], lt.z[j]]


def _dJ_dW(step, trace, focus, sel, lr):
    l, j, i = focus
    lt = trace.layers[l - 1]
    a_in = trace.activations()[l - 1][i]
    return [(f"{sym('dJ/dw', l, j, i)} = {sym('dJ/dz', l, j)} × {input_sym(l, i)} = "
            f"{num(lt.dJ_dz[j])} × {factor(a_in)} = {num(lt.dJ_dW[j, i])}")], [lt.dJ_dz[j], a_in, lt.dJ_dW[j, i]]


def _dJ_db(step, trace, focus, sel, lr):
    l, j = focus
    lt = trace.layers[l - 1]
    return [f"{sym('dJ/db', l, j)} = {sym('dJ/dz', l, j)} = {num(lt.dJ_db[j])}"], [lt.dJ_db[j]]


def _dJ_da(step, trace, focus, sel, lr):
    m, i = focus
    l = m + 1
    lines = [(f"{sym('dJ/da', m, i)} = Σⱼ {sym('w', l, 'j', i)} {sym('dJ/dz', l, 'j')} = "
             f"{num(trace.layers[m - 1].dJ_da[i])}")]
    values = [trace.layers[m - 1].dJ_da[i]]
    if len(sel) == 3 and sel[0] == l and sel[2] == i:
        j = sel[1]
        above = trace.layers[l - 1]
        text, vals = _term_line(sym("w", l, j, i), sym("dJ/dz", l, j), above.W[j, i], above.dJ_dz[j])
        lines.append(text)
        values += vals
    return lines, values


def _update(step, trace, focus, sel, lr):
    lt = trace.layers[focus[0] - 1]
    if len(focus) == 3:
        l, j, i = focus
        old, grad, name, gname = lt.W[j, i], lt.dJ_dW[j, i], sym("w", l, j, i), sym("dJ/dw", l, j, i)
    else:
        l, j = focus
        old, grad, name, gname = lt.b[j], lt.dJ_db[j], sym("b", l, j), sym("dJ/db", l, j)
    theta = np.array([old], np.float64)
    SGD(lr).step(theta, np.array([grad], np.float64))
    return [f"{name} ← {name} − α {gname} = {num(old, 6)} − {factor(lr)} × {factor(grad)} = {num(theta[0], 6)}"], \
        [old, lr, grad, theta[0]]


_MAKERS = {"z": _z, "a": _a, "y_hat": _y_hat, "J": _J, "dJ_dy_hat": _dJ_dy_hat, "dJ_dz": _dJ_dz,
           "dJ_dW": _dJ_dW, "dJ_db": _dJ_db, "dJ_da": _dJ_da, "update": _update}
