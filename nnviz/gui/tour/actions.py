"""Set the app up for a tour step, through the Stage (stage.py), and read the polls' options.

A step's header names what it opens; each key is one Stage method:

| key              | value                                  | what it does                                   |
|------------------|----------------------------------------|------------------------------------------------|
| tab              | "Network" or "Labs"                    | shows that central tab                         |
| lab              | single_neuron, traffic, params, playground | opens that lab (and the Labs tab)          |
| neuron_g         | step, sigmoid, linear, relu, ...       | the single neuron's activation g               |
| traffic          | "lecture" or "start"                   | the traffic network's parameters               |
| architecture     | "784-10", "1-2-1", ...                 | the parameter counter's network                |
| dock             | drawDock, inspectorDock, neuronDock, … | shows and raises that panel                    |
| inspector_tab    | "network" or "chain"                   | the inspector's backprop walk or scalar chain  |
| inspector_step   | a step title, e.g. "dJ/dz₃"            | goes to that step of the walk                  |
| chain_step       | a row number of the scalar chain       | goes to that row (0: the first forward step)   |
| inspector_tool   | "Update", "Gradient check", ...        | the inspector's tool tab                       |
| digit            | 0-9                                    | the first MNIST test digit with that label     |
| select_neuron    | [layer, index]                         | selects a neuron of the network scene          |
| compare          | g, alpha, optimizer, init              | trains that Compare preset a short while, beside |
|                  |                                        | the tour (closed at the next step)             |
| highlight        | an objectName                          | a frame around that control (see highlight.py) |
| offer_3d         | true                                   | a button under the text: the Network view in   |
|                  |                                        | 3-D, Harley's view from the slides (panel.py)  |

Unknown keys raise TourError, so a typo in a step file shows up in the tests, not in a lecture.
"""

from __future__ import annotations

from collections.abc import Callable

from nnviz.gui.tour.script import TourError
from nnviz.gui.tour.stage import Stage


def _highlight(stage: Stage, name: str) -> None:
    """Drawn by the panel (it owns the frame); checked here so that a typo fails early."""
    if stage.control(name) is None:
        raise TourError(f"no control called {name!r} to highlight")


ACTIONS: dict[str, Callable[[Stage, object], None]] = {
    "tab": lambda stage, title: stage.show_tab(str(title)),
    "lab": lambda stage, name: stage.open_lab(str(name)),
    "neuron_g": lambda stage, name: stage.set_neuron_g(str(name)),
    "traffic": lambda stage, which: stage.set_traffic(str(which)),
    "architecture": lambda stage, text: stage.set_architecture(str(text)),
    "dock": lambda stage, name: stage.show_panel(str(name)),
    "inspector_tab": lambda stage, tab: stage.show_inspector(str(tab)),
    "inspector_step": lambda stage, title: stage.inspector_step(str(title)),
    "chain_step": lambda stage, row: stage.chain_step(int(row)),
    "inspector_tool": lambda stage, title: stage.inspector_tool(str(title)),
    "digit": lambda stage, label: stage.show_digit(int(label)),
    "select_neuron": lambda stage, where: stage.select_neuron(*(int(v) for v in where)),
    "compare": lambda stage, preset: stage.run_comparison(str(preset)),
    "highlight": _highlight,
}
ORDER = tuple(ACTIONS)  # tab before lab before its settings; docks before inspector steps; highlight last
OFFERS = ("offer_3d",)  # keys the panel shows as a button for the student to press, not actions on entry


def apply(stage: Stage, actions: dict) -> None:
    """Run a step's actions in a fixed order (the order of ACTIONS)."""
    unknown = set(actions) - set(ACTIONS) - set(OFFERS)
    if unknown:
        raise TourError(f"unknown action {', '.join(sorted(unknown))} (known: {', '.join(ACTIONS)})")
    if "compare" not in actions:
        stage.close_comparison()
    for key in ORDER:
        if key in actions:
            ACTIONS[key](stage, actions[key])


# --- the polls' options --------------------------------------------------------------------------------
def option_value(option: str):
    """What an option means: a number ("7,850" -> 7850), a set of names ("w₁,₁ and b₁,₁"), or a word."""
    text = option.strip()
    digits = text.replace(",", "").replace(" ", "")
    if digits.isdigit():
        return int(digits)
    if " and " in text or text.endswith(" only"):
        return frozenset(p.strip() for p in text.removesuffix(" only").replace(" and ", ", ").split(", "))
    return text.lower()


def is_right(option: str, right) -> bool:
    value = option_value(option)
    if isinstance(right, frozenset):
        return value == right or (isinstance(value, str) and frozenset({option.strip()}) == right)
    if isinstance(right, str):
        return isinstance(value, str) and right in value
    return value == right
