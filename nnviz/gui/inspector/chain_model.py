"""The lecture's scalar chain as a core network: y = g(w5 g(w4 g(w3 g(w2 g(w1 x))))), no biases.

A core Network with sizes (1, 1, 1, 1, 1, 1), squared error, biases 0, and its core Trace; the steps
list every partial derivative in the slide's order (∂J/∂ŷ, ∂ŷ/∂z5, ∂J/∂w5, ∂J/∂a4, ∂a4/∂z4, ∂J/∂w4,
…, ∂J/∂w1), each with its value read from the trace (or g′ from core.activations) and the earlier
steps it reuses. No Qt; no maths beyond the products displayed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nnviz.core.gradcheck import param_gradcheck
from nnviz.core.network import Architecture, Network
from nnviz.core.trace import Trace
from nnviz.gui.inspector.formulas import g_prime
from nnviz.gui.inspector.notation import factor, num

DEPTH = 5


@dataclass(frozen=True)
class ChainSettings:
    x: float = 1.0
    y: float = 0.2
    w: tuple[float, ...] = (0.8, -1.2, 1.5, 0.9, 2.0)
    g: str = "sigmoid"
    output_g: bool = True  # ŷ = g(z5) as in the lecture; False: ŷ = z5 (linear output)


@dataclass(frozen=True)
class ChainStep:
    """One derivative (or forward value). node: what the diagram highlights, e.g. 'a3', 'w2', 'J'."""

    phase: str  # forward | loss | backward
    title: str  # "∂J/∂a4"
    formula: str  # "∂J/∂a4 = ∂J/∂ŷ · ∂ŷ/∂z5 · w5"
    numbers: str  # "= 0.3 × 0.16 × 2 = 0.096"
    value: float
    node: str
    reuses: tuple[int, ...] = ()  # indices of earlier steps whose values this one multiplies
    weight: int | None = None  # k when the weight w_k is a factor (drawn highlighted on its edge)


def chain_network(s: ChainSettings) -> Network:
    """The width-1 depth-5 core network with weights w1..w5 and zero biases (float64)."""
    arch = Architecture((1,) * (DEPTH + 1), activation=s.g, output=s.g if s.output_g else "linear",
                        loss="squared_error")
    net = Network(arch, dtype=np.float64)
    for dense, w in zip(net.dense, s.w):
        dense.W[0, 0] = w
        dense.b[0] = 0.0
    return net


def chain_trace(net: Network, s: ChainSettings) -> Trace:
    """core's forward and backward pass for input x and target y."""
    return net.trace(np.array([s.x]), np.array([s.y]))


def finite_difference_w1(net: Network, s: ChainSettings) -> tuple[float, float]:
    """(backprop, central difference) of ∂J/∂w1 from core.gradcheck."""
    return param_gradcheck(net, np.array([[s.x]]), np.array([[s.y]]), 0, "W", (0, 0))


def _out(name: str, k: int, depth: int) -> str:
    return "ŷ" if k == depth else f"{name}{k}"


def chain_steps(tr: Trace) -> list[ChainStep]:
    """Forward values, the loss, then every partial derivative in the slide's order."""
    L = len(tr.layers)
    steps: list[ChainStep] = []
    for k in range(1, L + 1):
        lt = tr.layers[k - 1]
        prev, prev_v = ("x", tr.x[0]) if k == 1 else (f"a{k - 1}", tr.layers[k - 2].a[0])
        steps.append(ChainStep("forward", f"z{k}", f"z{k} = w{k} · {prev}",
                               f"= {num(lt.W[0, 0])} × {factor(prev_v)} = {num(lt.z[0])}", lt.z[0], f"z{k}"))
        a = _out("a", k, L)
        steps.append(ChainStep("forward", a, f"{a} = {lt.g_name}(z{k})",
                               f"= {lt.g_name}({num(lt.z[0])}) = {num(lt.a[0])}", lt.a[0], f"a{k}"))
    steps.append(ChainStep("loss", "J", "J = ½ (ŷ − y)²", f"= ½ ({num(tr.y_hat[0])} − {factor(tr.y[0])})² = "
                           f"{num(tr.loss)}", tr.loss, "J"))
    first = len(steps)
    top = tr.layers[-1]
    steps.append(ChainStep("backward", "∂J/∂ŷ", "∂J/∂ŷ = ŷ − y",
                           f"= {num(tr.y_hat[0])} − {factor(tr.y[0])} = {num(top.dJ_da[0])}", top.dJ_da[0], "J"))
    upstream = first  # index of the step holding ∂J/∂a_k (∂J/∂ŷ for the top)
    for k in range(L, 0, -1):
        steps += _layer_steps(tr, k, upstream, len(steps))
        upstream = len(steps) - 1
    return steps


def _layer_steps(tr: Trace, k: int, upstream: int, start: int) -> list[ChainStep]:
    """∂a_k/∂z_k, ∂J/∂w_k and (k > 1) ∂J/∂a_{k−1}, reusing ∂J/∂a_k (step `upstream`)."""
    L = len(tr.layers)
    lt = tr.layers[k - 1]
    a, up = _out("a", k, L), ("∂J/∂ŷ" if k == L else f"∂J/∂a{k}")
    gp = g_prime(lt.g_name, lt.z[0])
    local = f"∂{a}/∂z{k}"
    out = [ChainStep("backward", local, f"{local} = {lt.g_name}′(z{k})", f"= {lt.g_name}′({num(lt.z[0])}) = {num(gp)}",
                     gp, f"a{k}")]
    dJ_da_up = lt.dJ_da[0]
    prev, prev_v = ("x", tr.x[0]) if k == 1 else (f"a{k - 1}", tr.layers[k - 2].a[0])
    forward_prev = () if k == 1 else (2 * (k - 2) + 1,)  # the forward step that computed a_{k−1}
    out.append(ChainStep("backward", f"∂J/∂w{k}", f"∂J/∂w{k} = {up} · {local} · {prev}",
                         f"= {num(dJ_da_up)} × {factor(gp)} × {factor(prev_v)} = {num(lt.dJ_dW[0, 0])}",
                         lt.dJ_dW[0, 0], f"w{k}", (upstream, start) + forward_prev))
    if k > 1:
        below = tr.layers[k - 2]
        out.append(ChainStep("backward", f"∂J/∂a{k - 1}", f"∂J/∂a{k - 1} = {up} · {local} · w{k}",
                             f"= {num(dJ_da_up)} × {factor(gp)} × {factor(lt.W[0, 0])} = {num(below.dJ_da[0])}",
                             below.dJ_da[0], f"a{k - 1}", (upstream, start), weight=k))
    return out


def local_derivatives(tr: Trace) -> list[tuple[str, float]]:
    """The factors whose product is ∂J/∂w1, top to bottom: ∂J/∂ŷ, ∂ŷ/∂z5, w5, ∂a4/∂z4, w4, …, ∂a1/∂z1, x."""
    L = len(tr.layers)
    out = [("∂J/∂ŷ", float(tr.layers[-1].dJ_da[0]))]
    for k in range(L, 0, -1):
        lt = tr.layers[k - 1]
        out.append((f"∂{_out('a', k, L)}/∂z{k}", g_prime(lt.g_name, lt.z[0])))
        out.append((f"w{k}", float(lt.W[0, 0])) if k > 1 else ("x", float(tr.x[0])))
    return out


def product_line(tr: Trace) -> str:
    """'∂J/∂w1 = ∂J/∂ŷ · ∂ŷ/∂z5 · w5 · … · x = (…) × (…) × … = value' with the trace's ∂J/∂w1."""
    factors = local_derivatives(tr)
    names = " · ".join(n for n, _ in factors)
    values = " × ".join(factor(v) for _, v in factors)
    return f"∂J/∂w1 = {names}\n      = {values}\n      = {num(tr.layers[0].dJ_dW[0, 0])}"
