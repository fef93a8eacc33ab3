"""Words for the scene: layer titles, neuron tooltips with the formula and its numbers, legends."""

from __future__ import annotations

import math
import re

import numpy as np

from nnviz.core.activations import ACTIVATIONS
from nnviz.core.trace import Trace


def num(x: float) -> str:
    """A number as shown in tooltips: 4 significant digits."""
    s = f"{float(x):.4g}"
    return "0" if s == "-0" else s


def layer_title(l: int, sizes: tuple[int, ...], g: str) -> str:
    """'input x · 784 pixels', 'hidden 1 · 300 ReLU', 'output · 10 softmax'."""
    last = len(sizes) - 1
    if l == 0:
        side = math.isqrt(sizes[0])
        return f"input x · {sizes[0]} {'pixels' if side * side == sizes[0] and side > 3 else 'values'}"
    name = "ReLU" if g == "relu" else g
    if l == last:
        return f"output ŷ · {sizes[l]} {name}"
    return f"hidden {l} · {sizes[l]} {name}"


def _g_formula(g: str, z: float, a: float) -> str:
    if g == "softmax":
        return f"a = softmax(z) = e^z / Σ e^z = {num(a)}"
    act = ACTIVATIONS.get(g)
    name = "ReLU" if g == "relu" else g
    if act is None:
        return f"a = {name}(z) = {num(a)}"
    # z as an argument stands alone ("max(0, −0.19)"); after an operator a negative one gets brackets ("e^(−(−0.19))")
    alone = lambda m: z >= 0 or act.formula[m.start() - 1:m.start()] in ("", "(", " ")  # noqa: E731
    body = re.sub(r"(?<![a-zA-Z])z(?![a-zA-Z])", lambda m: num(z) if alone(m) else f"({num(z)})", act.formula)
    return f"a = {name}(z) = {body} = {num(a)}"


def neuron_tooltip(trace: Trace | None, sizes: tuple[int, ...], layer: int, index: int,
                   b: np.ndarray | None, g_names: list[str]) -> str:
    """Plain-text tooltip for neuron `index` of `layer` (0 = input), numbers from the trace."""
    if layer == 0:
        side = math.isqrt(sizes[0])
        where = f"pixel (row {index // side}, col {index % side})" if side * side == sizes[0] else f"input {index}"
        head = f"input layer · {where}"
        if trace is None:
            return head + "\n(no input yet)"
        return f"{head}\nx = a₀ = {num(trace.x[index])}  (0 = white paper, 1 = ink)"
    last = len(sizes) - 1
    kind = "output" if layer == last else f"hidden layer {layer}"
    head = f"{kind} · neuron {index}" + (f" (digit {index})" if layer == last and sizes[-1] == 10 else "")
    bias = "" if b is None else f"bias b = {num(b[index])}"
    if trace is None:
        return f"{head}\n{bias}\n(no input yet)"
    lt = trace.layers[layer - 1]
    z, a = float(lt.z[index]), float(lt.a[index])
    lines = [head, f"z = W·a_prev + b = {num(z)}   ({bias})", _g_formula(g_names[layer - 1], z, a)]
    if lt.dJ_dz is not None:
        lines.append(f"dJ/dz = {num(lt.dJ_dz[index])}")
    return "\n".join(lines)


SIGNS = " (blue < 0 < red)"


def neuron_legend(quantity: str, per_layer: bool, title: str | None = None, diverging: bool = False) -> str:
    """Colour-bar title for neurons."""
    if title is not None:
        base = title + (SIGNS if diverging and "<" not in title else "")
    else:
        base = "neuron colour = activation a" if quantity == "a" else "neuron colour = z" + SIGNS
    return base + (" ÷ layer max" if per_layer else "")


def edge_legend(quantity: str, per_layer: bool, title: str | None = None) -> str:
    """Colour-bar title for edges (always the diverging map)."""
    if title is not None:
        base = title + ("" if "<" in title else SIGNS)
    elif quantity == "wa":
        base = "edge colour = contribution w·a" + SIGNS
    else:
        base = "edge colour = weight w" + SIGNS
    return base + (" ÷ layer scale" if per_layer else "")


def mode_legend(mode: str, count: int, quantity: str, per_target: int = 0, layer: int | None = None,
                sampled: tuple[int, int] | None = None) -> str:
    """One line saying which edges are drawn. count: how many are drawn; per_target: the strongest
    per_target into each neuron (0: strongest overall); quantity: "w", "wa" or a title such as "dJ/dW₂";
    sampled: (drawn, total) when the all-edges picture shows a random sample."""
    short = quantity.split(":")[0].split(" = ")[0].split(" (")[0].strip()  # "dJ/dW₂ = ..." -> "dJ/dW₂"
    q = {"wa": "|w·a|", "w": "|w|"}.get(quantity, f"|{short}|")
    hover = "a hovered neuron shows all its edges"
    if layer is not None and mode == "topk":
        return f"edges: the strongest {count:,} of layer {layer} by {q}; {hover}"
    if mode == "topk" and per_target:
        return f"edges: the {per_target:,} strongest into each neuron by {q} ({count:,} in all); {hover}"
    if mode == "topk":
        return f"edges: the strongest {count:,} by {q}; {hover}"
    if mode == "hover":
        return "edges: only the hovered or selected neuron's fan-in and fan-out"
    if mode == "all" and sampled is not None:
        return (f"edges: a random sample of {sampled[0]:,} of all {sampled[1]:,}, faint (too many to draw; "
                "pre-rendered picture); hover a neuron for its own")
    if mode == "all":
        return "edges: all of them, faint (pre-rendered picture); hover a neuron for its own"
    return "edges: hidden"


NEURON_SCALE_TIP = {
    True: "Scale per layer: each layer's values are divided by that layer's largest |value|, so every layer\n"
          "uses the whole colour bar (its most active neuron gets the top colour). The tooltip of a neuron\n"
          "gives its real numbers. Choose 'one scale' to compare layers directly.",
    False: "One scale: every layer shares these limits, so colours compare across layers.",
}
EDGE_SCALE_TIP = {
    True: "Scale per layer: each layer's edge values are divided by that layer's 99.5th percentile of |value|\n"
          "(the few beyond it get the end colours), so every layer uses the whole colour bar.\n"
          "Edges near 0 are dark and fade into the background.",
    False: "One scale: all edges share these limits (99.5th percentile of |value| over the drawn layers).",
}
