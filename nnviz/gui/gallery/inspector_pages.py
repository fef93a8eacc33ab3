"""Gallery entries for the backprop inspector's parts and the scalar chain."""

from __future__ import annotations

import numpy as np
from PySide6.QtWidgets import QVBoxLayout, QWidget

from nnviz.core.network import Network
from nnviz.gui.gallery.registry import entry


@entry("scalar-chain", ("inspector.scalar_chain", "inspector.chain_model", "inspector.chain_diagram"), (900, 600),
       theme="dark", shot="scalar_chain.png", stage=lambda w: w.go(17))
def scalar_chain() -> QWidget:
    """The scalar chain at ∂J/∂a3: it reuses ∂J/∂a4 and ∂a4/∂z4, times w4."""
    from nnviz.gui.inspector.scalar_chain import ScalarChainPanel
    return ScalarChainPanel()


@entry("chain-diagram", ("inspector.chain_diagram", "inspector.chain_model"), (820, 300))
def chain_diagram() -> QWidget:
    """The chain of scalar neurons at step 17."""
    from nnviz.gui.inspector.chain_diagram import ChainDiagram
    from nnviz.gui.inspector.chain_model import ChainSettings, chain_network, chain_steps, chain_trace
    s = ChainSettings()
    w = ChainDiagram()
    w.set_steps(chain_steps(chain_trace(chain_network(s), s)), 17, s.w)
    return w


@entry("inspector-controls", ("inspector.controls", "inspector.losschoice"), (420, 260))
def inspector_controls() -> QWidget:
    """Step controls, target buttons and the loss choice."""
    from nnviz.gui.inspector.controls import LossChoice, StepControls, TargetButtons
    w = QWidget()
    lay = QVBoxLayout(w)
    steps, targets, loss = StepControls(), TargetButtons(), LossChoice()
    steps.set_position(11, 19, "backward")
    targets.set_target(3, 3)
    for x in (steps, targets, loss):
        lay.addWidget(x)
    return w


def _trace():
    return Network(sizes=(784, 300, 100, 10)).trace(np.random.default_rng(0).random(784), 7)


@entry("formula-panel", ("inspector.formula_panel", "inspector.formulas", "inspector.timeline"), (560, 180))
def formula_panel() -> QWidget:
    """The formula of step 12 of the walk, with its numbers for neurons (2, 17, 42)."""
    from nnviz.gui.inspector.formula_panel import FormulaPanel
    from nnviz.gui.inspector.timeline import build_steps
    tr = _trace()
    steps = build_steps(tr)
    w = FormulaPanel()
    w.show_step(steps[12], tr, (2, 17, 42), index=12, count=len(steps))
    return w


@entry("timeline-list", ("inspector.timeline_list", "inspector.timeline"), (200, 420))
def timeline_list() -> QWidget:
    """The walk's steps as a list, step 11 current."""
    from nnviz.gui.inspector.timeline import build_steps
    from nnviz.gui.inspector.timeline_list import TimelineList
    w = TimelineList()
    w.set_steps(build_steps(Network().trace(np.zeros(784), 3)))
    w.set_current(11)
    return w


@entry("grad-norms", "inspector.grad_norms", (480, 320))
def grad_norms() -> QWidget:
    """Per-layer gradient sizes: bars for one batch and their history."""
    from nnviz.gui.inspector.grad_norms import GradNormBars, GradNormPlot
    w = QWidget()
    lay = QVBoxLayout(w)
    bars, plot = GradNormBars(), GradNormPlot()
    bars.set_norms((0.002, 0.03, 0.4))
    for s in range(1, 200):
        plot.add(64 * s, (0.002 * (1 + 1 / s), 0.03 * (1 + 1 / s), 0.4 * (1 + 1 / s)))
    lay.addWidget(bars)
    lay.addWidget(plot)
    return w


def _state_with_input():
    from nnviz.gui.state import AppState
    state = AppState(Network())
    state.set_input(np.random.default_rng(0).random(784), 3)
    return state


@entry("gradcheck", "inspector.gradcheck_box", (420, 220), stage=lambda w: w.check(),
       ready=lambda w: w.button.isEnabled())
def gradcheck() -> QWidget:
    """A gradient check of backprop against finite differences for neurons (2, 5, 7)."""
    from nnviz.gui.inspector.gradcheck_box import GradCheckBox
    return GradCheckBox(_state_with_input(), lambda: (2, 5, 7), lambda: "cross_entropy")


@entry("update-box", ("inspector.update_box", "inspector.losschoice"), (420, 260))
def update_box() -> QWidget:
    """One gradient step on one example, with undo."""
    from nnviz.gui.inspector.losschoice import LossTwins
    from nnviz.gui.inspector.update_box import UpdateBox
    return UpdateBox(_state_with_input(), LossTwins(), lambda: "cross_entropy")


@entry("prob-bars", "inspector.prob_bars", (420, 130))
def prob_bars() -> QWidget:
    """Predicted probabilities against the target's."""
    from nnviz.gui.inspector.prob_bars import ProbBars
    w = ProbBars()
    w.set_probs(np.full(10, 0.1), np.r_[np.full(9, 0.05), 0.55], 9)
    return w
