"""The backprop timeline: every step of one example's forward and backward pass, in the lecture's order.

forward  z₁ = W₁x + b₁, a₁ = g(z₁), ..., z_L, ŷ, J
backward dJ/dz_L (= ŷ − y for softmax + cross-entropy), dJ/dW_L, dJ/db_L, dJ/da_{L−1}, dJ/dz_{L−1}, ...,
         dJ/dW₁, dJ/db₁
update   W ← W − α dJ/dW

A Step knows its layer, its quantity, its title, its formula with shapes, and how to show itself on the
network scene (NetworkView: show_values / show_edge_values / highlight_layer / animate_transition).
Each step re-applies its whole picture, so stepping back shows exactly what was shown before.
Layers are numbered as in the scene: 0 = input x, l = 1..L (layer l holds W_l, b_l, z_l, a_l).
No Qt and no maths here: each edge's term (w·a, w·dJ/dz) of a sum the trace holds comes from core.trace.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nnviz.core import gradscale, losses
from nnviz.core.trace import Trace, backward_terms, forward_terms
from nnviz.gui.inspector.notation import input_name, mat, sym, vec

Array = np.ndarray
SIGNED_G = ("tanh", "linear")  # activations whose a can be negative (shown on the diverging map)
GATE_TEXT = {
    "relu": "ReLU's g′ is 1 where z > 0 and 0 elsewhere: neurons that were off pass no gradient back.",
    "sigmoid": "sigmoid's g′ = σ(1 − σ) is at most 0.25: every sigmoid layer shrinks the gradient "
               "(the vanishing gradient).",
    "tanh": "tanh's g′ = 1 − tanh² is at most 1 and small where the neuron saturates.",
    "linear": "A linear layer's g′ is 1: the gradient passes unchanged.",
    "step": "The step function's g′ is 0 everywhere: no gradient passes (why it cannot be trained).",
}


@dataclass(frozen=True)
class Step:
    """One moment of the walk. layer: the scene layer it concerns (for dJ/dW_l and dJ/db_l: l)."""

    phase: str  # "forward" | "loss" | "backward" | "update"
    quantity: str  # z, a, y_hat, J, dJ_dy_hat, dJ_dz, dJ_dW, dJ_db, dJ_da, update
    layer: int
    title: str  # "dJ/dz₂"
    formula: str  # "dJ/dz₂ = dJ/da₂ ⊙ g′(z₂) : (100×1)⊙(100×1) → 100×1"
    explain: str  # one sentence for the student
    n_layers: int  # L

    # --- the scene picture, a pure function of (step, trace) ---------------------------------
    def neuron_values(self, trace: Trace) -> tuple[list[Array | None], bool]:
        """(values per scene layer 0..L, diverging?) that this step colours the neurons with. Gradients
        below what the floats resolve (ŷ ≈ y) are drawn as 0 (gradscale.shown), never stretched to full colour."""
        if self.phase in ("forward", "loss"):
            return _forward_values(self, trace)
        values = _backward_values(self, trace)
        activations = [m == 0 or (self.quantity == "dJ_dW" and m == self.layer - 1) for m in range(len(values))]
        return [v if act else gradscale.shown(trace, v) for v, act in zip(values, activations)], True

    def own_values(self, trace: Trace) -> Array | None:
        """The quantity this step computes (a backward step's gradient), as the trace holds it, or None."""
        if self.phase != "backward":
            return None
        lt = trace.layers[self.layer - 1]
        return {"dJ_dy_hat": lt.dJ_da, "dJ_da": lt.dJ_da, "dJ_db": lt.dJ_db, "dJ_dW": lt.dJ_dW}.get(self.quantity,
                                                                                                   lt.dJ_dz)

    def scale(self, trace: Trace) -> str:
        """A backward step's scale, "scale: largest |dJ/dz₂| = 3.2 × 10⁻⁴" (or why it is drawn as 0); "" otherwise."""
        values = self.own_values(trace)
        return "" if values is None else gradscale.scale_text(self.title, values, trace)

    def edge_values(self, trace: Trace) -> tuple[int | None, Array | None, str, int]:
        """(l, matrix shaped like W_l, title, k) for the edges, k = -1: the caller's k; (None, None, title, 0):
        a step without edges.

        z_l: each edge's term w·a of the sum z = Σ w a + b (what the signal carries forward);
        dJ/da_{l−1} and dJ/dz_{l−1}: each edge's term w·dJ/dz of the sum dJ/da = Σ w dJ/dz (the error
        carried back, kept while g′ gates it);
        dJ/dW_l: the trace's dJ/dW_l. The terms are core.trace's forward_terms and backward_terms.
        """
        L, l = self.n_layers, self.layer
        if self.quantity == "z":
            return l, forward_terms(trace, l), f"w·{input_name(l)}: the terms of {sym('z', l)}", -1
        shown = lambda v: gradscale.shown(trace, v)
        if self.quantity == "dJ_dW":
            return l, shown(trace.layers[l - 1].dJ_dW), f"{sym('dJ/dW', l)} = {sym('dJ/dz', l)} · {input_name(l)}ᵀ", -1
        if self.quantity == "dJ_da" or (self.quantity == "dJ_dz" and l < L):
            return (l + 1, shown(backward_terms(trace, l + 1)),
                    f"w·{sym('dJ/dz', l + 1)}: error carried back", -1)
        if self.quantity == "update":
            return L, shown(trace.layers[L - 1].dJ_dW), f"{sym('dJ/dW', L)} (W moves against it)", -1
        return None, None, "no edges in this step", 0

    def transition(self) -> tuple[int, int] | None:
        """(from_layer, to_layer) of the pulse that brings this step's signal, or None."""
        if self.quantity == "z":
            return self.layer - 1, self.layer
        if self.quantity == "dJ_da":
            return self.layer + 1, self.layer
        return None

    def scene_title(self) -> str:
        """The main neuron colour bar's title (short: the scene adds its sign key): this step's quantity,
        and what the other layers on the same map show."""
        l, q = self.layer, self.quantity
        if q == "z":
            return f"{sym('z', l)} (this step)"
        if q in ("a", "y_hat"):
            return f"{self.title} · left: a" if l > 1 else f"{self.title} · input: x"
        if q == "J":
            return "ŷ (loss step) · left: a"
        if q == "update":
            return "dJ/dz, every layer"
        if q == "dJ_dW":
            return sym("dJ/dz", l)  # the edge bar says dJ/dW = dJ/dz · aᵀ, the second bar names the other factor
        return self.title

    def other_title(self) -> str:
        """The second colour bar's title: the activations shown on the activation map beside the step's
        signed quantity (the earlier layers forward, the input and dJ/dW's other factor backward)."""
        l, q = self.layer, self.quantity
        if q == "z":
            return "input x" if l == 1 else "earlier: " + ", ".join(["x"] + [sym("a", m) for m in range(1, l)])
        if q == "dJ_dW":
            return f"{input_name(l)}, the other factor" if l > 1 else "input x, the other factor"
        return "input x"

    def outputs(self, trace: Trace) -> Array | None:
        """The probabilities ŷ beside the output layer: from the step that computes them on, else None."""
        computed = self.phase != "forward" or self.quantity == "y_hat"
        return trace.y_hat if computed else None

    def highlighted(self) -> int | None:
        return None if self.quantity == "update" else self.layer

    def show(self, view, trace: Trace, animate: bool = False, k: int = 2000, duration_ms: int = 300) -> None:
        """Put this step's whole picture on the scene (deterministic); animate the pulse if asked."""
        values, diverging = self.neuron_values(trace)
        view.model.show_values(values, title=self.scene_title(), diverging=diverging,
                               maps=neuron_maps(self, trace, values), other_title=self.other_title(),
                               outputs=self.outputs(trace))
        l, edges, edge_title, edge_k = self.edge_values(trace)
        if l is None:
            view.model.show_edge_values(None, None, title=edge_title, hide=True)
        else:  # the scene never pads the strongest k with zero-valued edges
            view.model.show_edge_values(l, edges, title=edge_title, k=k if edge_k < 0 else edge_k)
        view.model.highlight_layer(self.highlighted())
        move = self.transition()
        if move is not None and animate:
            view.items.animate(move[0], move[1], duration_ms)


def neuron_maps(step: Step, trace: Trace, values: list[Array | None]) -> list[str | None]:
    """The colour map of each scene layer: activations (x, a) on the sequential "activation" map unless
    they can be negative, z and every gradient on the "diverging" map; None for greyed layers."""
    signed = [False] + [lt.g_name in SIGNED_G for lt in trace.layers]
    grads = step.phase in ("backward", "update")
    maps: list[str | None] = []
    for m, v in enumerate(values):
        if v is None:
            maps.append(None)
            continue
        is_activation = (m < step.layer or (m == step.layer and step.quantity in ("a", "y_hat", "J"))) \
            if not grads else (m == 0 or (step.quantity == "dJ_dW" and m == step.layer - 1))
        maps.append("activation" if is_activation and not signed[m] else "diverging")
    return maps


def _forward_values(step: Step, trace: Trace) -> tuple[list[Array | None], bool]:
    """Forward: the activations so far, left to right; the current layer shows z or a."""
    L, l = step.n_layers, step.layer
    acts = trace.activations()  # [x, a1, ..., aL]
    hidden_g = trace.layers[0].g_name if L > 1 else "linear"
    signed = hidden_g in SIGNED_G
    values: list[Array | None] = [None] * (L + 1)
    for m in range(l + 1):
        values[m] = acts[m]
    if step.quantity == "z":
        values[l] = trace.layers[l - 1].z
        return values, True
    out_signed = trace.layers[-1].g_name in SIGNED_G
    return values, signed or (l == L and out_signed)


def _backward_values(step: Step, trace: Trace) -> list[Array | None]:
    """Backward: the gradients computed so far, right to left; layers still to come are greyed out."""
    L = step.n_layers
    values: list[Array | None] = [None] * (L + 1)
    values[0] = trace.x  # the example stays visible while its gradients are computed
    if step.quantity == "update":
        for m in range(1, L + 1):
            values[m] = trace.layers[m - 1].dJ_dz
        return values
    m = step.layer
    for above in range(m + 1, L + 1):
        values[above] = trace.layers[above - 1].dJ_dz
    lt = trace.layers[m - 1]
    if step.quantity == "dJ_dW":  # both factors of the outer product: a_{l−1} (or x) and dJ/dz_l
        values[m - 1] = trace.activations()[m - 1]
    values[m] = {"dJ_dy_hat": lt.dJ_da, "dJ_da": lt.dJ_da, "dJ_db": lt.dJ_db}.get(step.quantity, lt.dJ_dz)
    return values


# --- building the list ---------------------------------------------------------------------------
def build_steps(trace: Trace) -> list[Step]:
    """All steps for this trace's architecture and loss (backward steps only if it has a target)."""
    sizes = [int(trace.x.shape[0])] + [lt.n_out for lt in trace.layers]
    L = len(trace.layers)
    steps = _forward_steps(trace, sizes, L)
    if trace.has_backward:
        steps += _output_error_steps(trace, sizes, L)
        for l in range(L, 0, -1):
            steps += _layer_backward_steps(trace, sizes, l, L)
        steps.append(Step("update", "update", L, "W ← W − α dJ/dW",
                          f"W_l ← W_l − α dJ/dW_l,  b_l ← b_l − α dJ/db_l   for l = 1..{L}",
                          "Every weight takes a small step against its gradient; "
                          "'Apply update' does it and re-runs the forward pass.", L))
    return steps


def _forward_steps(trace: Trace, sizes: list[int], L: int) -> list[Step]:
    steps = []
    for l in range(1, L + 1):
        n_out, n_in = sizes[l], sizes[l - 1]
        z, a_in, b = sym("z", l), input_name(l), sym("b", l)
        steps.append(Step("forward", "z", l, z, f"{z} = {sym('W', l)} {a_in} + {b} : "
                          f"({mat(n_out, n_in)})({vec(n_in)}) + ({vec(n_out)}) → {vec(n_out)}",
                          f"Each neuron of layer {l} adds up its {n_in} inputs, each times its weight, plus its "
                          "bias; the edges show the strongest terms w·a.", L))
        g = trace.layers[l - 1].g_name
        if l < L:
            steps.append(Step("forward", "a", l, sym("a", l), f"{sym('a', l)} = g({z}) = {g}({z}) : {vec(n_out)}",
                              f"The activation g = {g} is applied to every neuron separately.", L))
        elif g == "softmax":
            formula = f"ŷ = softmax({z}),  ŷₖ = exp({z},ₖ) / Σⱼ exp({z},ⱼ) : {vec(n_out)}"
            steps.append(Step("forward", "y_hat", l, "ŷ", formula,
                              "Softmax turns the scores z into probabilities that sum to 1.", L))
        else:
            steps.append(Step("forward", "y_hat", l, "ŷ", f"ŷ = {g}({z}) : {vec(n_out)}",
                              f"The output activation {g} gives the prediction ŷ.", L))
    formula = losses.get(trace.loss_name).formula
    steps.append(Step("loss", "J", L, "J", f"{formula} : scalar",
                      "The loss measures how far ŷ is from the target y (one-hot: 1 at the target class).", L))
    return steps


def _output_error_steps(trace: Trace, sizes: list[int], L: int) -> list[Step]:
    """dJ/dz_L: fused ŷ − y, or dJ/dŷ followed by the chain through the output activation."""
    n, dz = sizes[L], sym("dJ/dz", L)
    g = trace.layers[-1].g_name
    if losses.get(trace.loss_name).fused_output == g:
        return [Step("backward", "dJ_dz", L, dz, f"{dz} = ŷ − y : ({vec(n)}) − ({vec(n)}) → {vec(n)}",
                     "The error at the output is ŷ − y: negative at the target class (raise it), "
                     "positive at the others (lower them).", L)]
    first = Step("backward", "dJ_dy_hat", L, "dJ/dŷ", f"dJ/dŷ = ŷ − y : {vec(n)}",
                 "Squared error: the loss's own derivative is ŷ − y.", L)
    if g == "softmax":
        formula = f"{dz} = (∂ŷ/∂{sym('z', L)})ᵀ dJ/dŷ : ({mat(n, n)})({vec(n)}) → {vec(n)}"
        why = "The error goes back through softmax's Jacobian ŷ_k(δ_kj − ŷ_j): every output depends on every z."
    else:
        formula = f"{dz} = dJ/dŷ ⊙ g′({sym('z', L)}) : ({vec(n)})⊙({vec(n)}) → {vec(n)}"
        why = f"The error goes back through the output activation {g}, gated by its slope g′(z)."
    return [first, Step("backward", "dJ_dz", L, dz, formula, why, L)]


def _layer_backward_steps(trace: Trace, sizes: list[int], l: int, L: int) -> list[Step]:
    """For layer l (its dJ/dz known): dJ/dW_l, dJ/db_l, then dJ/da_{l−1} and dJ/dz_{l−1} if l > 1."""
    n_out, n_in = sizes[l], sizes[l - 1]
    dz, a_in = sym("dJ/dz", l), input_name(l)
    steps = [
        Step("backward", "dJ_dW", l, sym("dJ/dW", l),
             f"{sym('dJ/dW', l)} = {dz} · {a_in}ᵀ : ({vec(n_out)})(1×{n_in}) → {mat(n_out, n_in)}",
             f"A weight's gradient is the error at its destination times the activation at its source: "
             f"edges from silent {'pixels' if l == 1 else 'neurons'} get no gradient.", L),
        Step("backward", "dJ_db", l, sym("dJ/db", l), f"{sym('dJ/db', l)} = {dz} : {vec(n_out)}",
             "A bias always sees the input 1, so its gradient is the error itself.", L),
    ]
    if l > 1:
        da, m = sym("dJ/da", l - 1), l - 1
        g = trace.layers[m - 1].g_name
        steps.append(Step("backward", "dJ_da", m, da,
                          f"{da} = {sym('W', l)}ᵀ · {dz} : ({mat(n_in, n_out)})({vec(n_out)}) → {vec(n_in)}",
                          f"The error flows back along the same edges: each neuron of layer {m} collects "
                          f"the errors of the {n_out} neurons it feeds, weighted by W{l} (edges: w·dJ/dz).", L))
        steps.append(Step("backward", "dJ_dz", m, sym("dJ/dz", m),
                          f"{sym('dJ/dz', m)} = {da} ⊙ g′({sym('z', m)}) : ({vec(n_in)})⊙({vec(n_in)}) → {vec(n_in)}",
                          GATE_TEXT.get(g, "Gated by the activation's slope g′(z)."), L))
    return steps
