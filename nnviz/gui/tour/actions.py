"""Set the app up for a tour step, and compute the polls' answers from the live views.

A step's header names what it opens; each key has one function here:

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
| highlight        | an objectName                          | a frame around that control (see highlight.py) |

Unknown keys raise TourError, so a typo in a step file shows up in the tests, not in a lecture.
`view_name(win)` says what is on screen, so tests can check that a step opened what it names.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QTabWidget, QWidget

from nnviz.core import toy
from nnviz.gui.tour.script import TourError

LABS = {"single_neuron": "neuron", "traffic": "traffic", "params": "counter", "playground": "playground"}
INSPECTOR_TABS = {"network": 0, "chain": 1}


# --- finding the live views --------------------------------------------------------------------------
def labs_widget(win) -> QTabWidget:
    """The Labs tab's widget (built on first show)."""
    index = next(i for i in range(win.tabs.count()) if win.tabs.tabText(i) == "Labs")
    win.tabs.setCurrentIndex(index)
    labs = win.findChild(QTabWidget, "labs")
    if labs is None:
        raise TourError("the Labs tab is missing")
    return labs


def inspector(win) -> QWidget:
    panel = win.findChild(QWidget, "backpropInspector")
    if panel is None:
        raise TourError("the backprop inspector is missing")
    return panel


# --- actions --------------------------------------------------------------------------------------
def _tab(win, title: str) -> None:
    titles = [win.tabs.tabText(i) for i in range(win.tabs.count())]
    if title not in titles:
        raise TourError(f"no tab called {title!r} (there are {', '.join(titles)})")
    win.tabs.setCurrentIndex(titles.index(title))


def _lab(win, name: str) -> None:
    if name not in LABS:
        raise TourError(f"no lab called {name!r} (there are {', '.join(LABS)})")
    labs = labs_widget(win)
    labs.setCurrentWidget(getattr(labs, LABS[name]))


def _neuron_g(win, name: str) -> None:
    labs_widget(win).neuron.set_g(name)


def _traffic(win, which: str) -> None:
    values = {"lecture": toy.LECTURE_VALUES, "start": toy.TRAFFIC_START}
    if which not in values:
        raise TourError(f"traffic takes 'lecture' or 'start', not {which!r}")
    labs_widget(win).traffic.set_params(dict(values[which]))


def _architecture(win, text: str) -> None:
    counter = labs_widget(win).counter
    counter.set_architecture(text)
    counter.show_poll(counter.poll_index)  # its quiz box starts unanswered: no earlier guess or verdict shows


def _dock(win, name: str) -> None:
    if name not in win.docks:
        raise TourError(f"no panel called {name!r} (there are {', '.join(win.docks)})")
    win.docks[name].show()
    win.docks[name].raise_()


def _inspector_tab(win, name: str) -> None:
    if name not in INSPECTOR_TABS:
        raise TourError(f"inspector_tab takes {' or '.join(INSPECTOR_TABS)}, not {name!r}")
    _dock(win, "inspectorDock")
    inspector(win).tabs.setCurrentIndex(INSPECTOR_TABS[name])


def _inspector_step(win, title: str) -> None:
    panel = inspector(win)
    if not panel.walk.steps:  # nothing drawn yet: the walk needs an input
        win.draw_panel.canvas.draw_example()
    titles = [s.title for s in panel.walk.steps]
    if title not in titles:
        raise TourError(f"the inspector has no step {title!r} for this input")
    panel.go(titles.index(title))


def _chain_step(win, row: int) -> None:
    inspector(win).chain.go(int(row))


def _inspector_tool(win, title: str) -> None:
    tools = inspector(win).tools
    titles = [tools.tabText(i) for i in range(tools.count())]
    if title not in titles:
        raise TourError(f"the inspector has no tool {title!r}")
    tools.setCurrentIndex(titles.index(title))


def _digit(win, label: int) -> None:
    browser = win.draw_panel.browser
    test_set = browser.test_set(retry=lambda: _digit(win, label))
    if test_set is None:  # no MNIST here: a drawn digit for now; the window asks for its folder, then retries
        if win.state.x is None:
            win.draw_panel.canvas.draw_example()
        return
    hits = (test_set.labels == int(label)).nonzero()[0]
    browser.load(int(hits[0]))


def _select_neuron(win, where: list) -> None:
    layer, index = (int(v) for v in where)
    win.network_view.select_neuron(layer, index)


def _highlight(win, name: str) -> None:
    """Handled by the panel (it owns the frame); checked here so that a typo fails early."""
    if win.findChild(QWidget, name) is None:
        raise TourError(f"no control called {name!r} to highlight")


ACTIONS: dict[str, Callable] = {
    "tab": _tab, "lab": _lab, "neuron_g": _neuron_g, "traffic": _traffic, "architecture": _architecture,
    "dock": _dock, "inspector_tab": _inspector_tab, "inspector_step": _inspector_step,
    "chain_step": _chain_step, "inspector_tool": _inspector_tool, "digit": _digit,
    "select_neuron": _select_neuron, "highlight": _highlight,
}
ORDER = tuple(ACTIONS)  # tab before lab before its settings; docks before inspector steps; highlight last


def apply(win, actions: dict) -> None:
    """Run a step's actions in a fixed order (the order of ACTIONS)."""
    unknown = set(actions) - set(ACTIONS)
    if unknown:
        raise TourError(f"unknown action {', '.join(sorted(unknown))} (known: {', '.join(ACTIONS)})")
    for key in ORDER:
        if key in actions:
            ACTIONS[key](win, actions[key])


def view_name(win) -> dict[str, object]:
    """What is on screen: the central tab, the open lab, the inspector's tab and step."""
    shown: dict[str, object] = {"tab": win.tabs.tabText(win.tabs.currentIndex())}
    labs = win.findChild(QTabWidget, "labs")
    if labs is not None and shown["tab"] == "Labs":
        shown["lab"] = next(k for k, attr in LABS.items() if getattr(labs, attr) is labs.currentWidget())
    panel = win.findChild(QWidget, "backpropInspector")
    if panel is not None:
        shown["inspector_tab"] = next(k for k, v in INSPECTOR_TABS.items() if v == panel.tabs.currentIndex())
        step = panel.walk.step
        shown["inspector_step"] = step.title if step is not None else None
    return shown


# --- the polls' answers, computed from what is on screen ----------------------------------------------
def _counter_total(win) -> int:
    counter = labs_widget(win).counter
    if counter.total is None:  # the student typed something that is no network into its box
        raise TourError(f"the parameter counter shows no network (its box says {counter.entry.text()!r}): "
                        "type the step's architecture back, or go to the step again")
    return int(counter.total)


def _network_total(win) -> int:
    return int(win.state.network.arch.n_params)


def _output_neuron(win) -> int:
    sizes = win.state.network.sizes
    return int(sizes[-2]) + 1


def _first_hidden_neuron(win) -> int:
    return int(win.state.network.sizes[0]) + 1


def _gd_updates(win) -> frozenset[str]:
    """What gradient descent changes: the parameters θ of the traffic network, never the input x."""
    names = set(labs_widget(win).traffic.params())
    shown = {"x": "x", "w₁,₁": "w1,1", "b₁,₁": "b1,1"}
    return frozenset(k for k, v in shown.items() if v in names)


def _edge_colour(win) -> str:
    """What the playground's lines are coloured by: its colour bar's title says."""
    title = labs_widget(win).playground.edge_bar.title.lower()
    return "weight" if "weight" in title else title


def _tile_colour(win) -> str:
    title = labs_widget(win).playground.tile_bar.title.lower()
    return "activation" if "a" in title.split() or "activation" in title else title


ANSWERS: dict[str, Callable] = {
    "param_counter_total": _counter_total, "network_total": _network_total,
    "output_neuron_params": _output_neuron, "first_hidden_neuron_params": _first_hidden_neuron,
    "gradient_descent_updates": _gd_updates, "playground_line_colour": _edge_colour,
    "playground_tile_colour": _tile_colour,
}


def answer(win, name: str):
    if name not in ANSWERS:
        raise TourError(f"no answer called {name!r} (known: {', '.join(ANSWERS)})")
    return ANSWERS[name](win)


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
