"""The window as the tour's Stage (gui/tour/stage.py): every step, poll and presenter-mode change the tour
asks for, done on the window's own parts.

    stage = WindowStage(window, views.network, views.draw, views.inspector)
    stage.open_lab("traffic"); stage.answer("network_total")
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QByteArray, QPoint, QRect
from PySide6.QtWidgets import QWidget

from nnviz.core import toy
from nnviz.core.compare import PRESETS
from nnviz.gui.app.host import Host
from nnviz.gui.draw.panel import DrawPanel
from nnviz.gui.inspector import InspectorPanel
from nnviz.gui.labs.labs_widget import LabsWidget
from nnviz.gui.look import themes
from nnviz.gui.network.view import NetworkView
from nnviz.gui.tour.script import TourError
from nnviz.gui.tour.stage import ANSWERS, INSPECTOR_TABS, LABS, TRAFFIC

LAB_WIDGETS = {"single_neuron": "neuron", "traffic": "traffic", "params": "counter", "playground": "playground"}
PLAYABLE = (("playground", "toggle_play", "the playground"),  # objectName, method, what Space says it toggled
            ("trafficLab", "toggle_fit", "gradient descent on the traffic curve"),
            ("singleNeuron", "toggle_train", "the neuron's training"))


class WindowStage:
    def __init__(self, host: Host, network: NetworkView, draw: DrawPanel, inspector: InspectorPanel) -> None:
        self.host, self.network, self.draw, self.inspector = host, network, draw, inspector
        self._answers: dict[str, Callable[[], object]] = {
            "param_counter_total": self._counter_total, "network_total": self._network_total,
            "output_neuron_params": self._output_neuron, "first_hidden_neuron_params": self._first_hidden_neuron,
            "gradient_descent_updates": self._gd_updates, "playground_line_colour": self._edge_colour,
            "playground_tile_colour": self._tile_colour,
        }
        assert set(self._answers) == set(ANSWERS)
        self._comparison: QWidget | None = None  # the Compare window a step opened

    @property
    def window(self) -> QWidget:
        return self.host.window()

    # --- setting a step up ----------------------------------------------------------------------------
    def show_tab(self, title: str) -> None:
        tabs = self.host.tabs
        titles = [tabs.tabText(i) for i in range(tabs.count())]
        if title not in titles:
            raise TourError(f"no tab called {title!r} (there are {', '.join(titles)})")
        tabs.setCurrentIndex(titles.index(title))

    def labs(self) -> LabsWidget:
        """The Labs tab's widget, on show (it is built when first shown)."""
        self.show_tab("Labs")
        labs = self.host.findChild(LabsWidget)
        if labs is None:
            raise TourError("the Labs tab is missing")
        return labs

    def open_lab(self, name: str) -> None:
        if name not in LABS:
            raise TourError(f"no lab called {name!r} (there are {', '.join(LABS)})")
        labs = self.labs()
        labs.setCurrentWidget(getattr(labs, LAB_WIDGETS[name]))

    def set_neuron_g(self, name: str) -> None:
        self.labs().neuron.set_g(name)

    def set_traffic(self, which: str) -> None:
        if which not in TRAFFIC:
            raise TourError(f"traffic takes {' or '.join(TRAFFIC)}, not {which!r}")
        values = toy.LECTURE_VALUES if which == "lecture" else toy.TRAFFIC_START
        self.labs().traffic.set_params(dict(values))

    def set_architecture(self, text: str) -> None:
        counter = self.labs().counter
        counter.set_architecture(text)
        counter.show_poll(counter.poll_index)  # its quiz box starts unanswered: no earlier guess or verdict shows

    def show_panel(self, name: str) -> None:
        docks = self.host.docks
        if name not in docks:
            raise TourError(f"no panel called {name!r} (there are {', '.join(docks)})")
        docks[name].show()
        docks[name].raise_()

    def show_inspector(self, tab: str) -> None:
        if tab not in INSPECTOR_TABS:
            raise TourError(f"inspector_tab takes {' or '.join(INSPECTOR_TABS)}, not {tab!r}")
        self.show_panel("inspectorDock")
        self.inspector.tabs.setCurrentIndex(INSPECTOR_TABS.index(tab))

    def inspector_step(self, title: str) -> None:
        panel = self.inspector
        if not panel.walk.steps:  # nothing drawn yet: the walk needs an input
            self.draw.canvas.draw_example()
        titles = [s.title for s in panel.walk.steps]
        if title not in titles:
            raise TourError(f"the inspector has no step {title!r} for this input")
        panel.go(titles.index(title))

    def chain_step(self, row: int) -> None:
        self.inspector.chain.go(row)

    def inspector_tool(self, title: str) -> None:
        tools = self.inspector.tools
        titles = [tools.tabText(i) for i in range(tools.count())]
        if title not in titles:
            raise TourError(f"the inspector has no tool {title!r}")
        tools.setCurrentIndex(titles.index(title))

    def show_digit(self, label: int) -> None:
        browser = self.draw.browser
        test_set = browser.test_set(retry=lambda: self.show_digit(label))
        if test_set is None:  # no MNIST here: a drawn digit for now; the window asks for its folder, then retries
            if self.host.state.x is None:
                self.draw.canvas.draw_example()
            return
        hits = (test_set.labels == label).nonzero()[0]
        browser.load(int(hits[0]))

    def select_neuron(self, layer: int, index: int) -> None:
        self.network.select_neuron(layer, index)

    def show_3d(self) -> None:
        self.show_tab("Network")
        self.network.set_3d(True)

    def run_comparison(self, preset: str) -> None:
        if preset not in PRESETS:
            raise TourError(f"no Compare preset {preset!r} (there are {', '.join(PRESETS)})")
        window = self.host.open_compare(activate=False)
        window.setGeometry(self._beside_the_tour())
        window.demo(preset)
        self._comparison = window

    def _beside_the_tour(self) -> QRect:
        """The window's area (under its menu bar, over its status bar) less the tour's panel, in screen
        coordinates: the comparison covers the other panels, the step's text and its buttons stay in sight."""
        win = self.host.window()
        bar, status = self.host.menuBar(), self.host.statusBar()
        top = bar.height() if bar.isVisible() else 0
        bottom = win.height() - (status.height() if status.isVisible() else 0)
        area = QRect(win.mapToGlobal(QPoint(0, top)), win.mapToGlobal(QPoint(win.width() - 1, bottom - 1)))
        tour = self.host.docks.get("tourDock")
        if tour is not None and tour.isVisible() and not tour.isFloating():
            panel = QRect(tour.mapToGlobal(QPoint(0, 0)), tour.size())
            if panel.center().x() < area.center().x():
                area.setLeft(panel.right() + 1)
            else:
                area.setRight(panel.left() - 1)
        return area

    def close_comparison(self) -> None:
        if self._comparison is not None:
            self._comparison.reject()  # (stops its runs; what they recorded stays for Train → Compare runs…)
            self._comparison = None

    def control(self, name: str) -> QWidget | None:
        return self.host.findChild(QWidget, name)

    def on_screen(self) -> dict[str, object]:
        tabs = self.host.tabs
        shown: dict[str, object] = {"tab": tabs.tabText(tabs.currentIndex())}
        labs = self.host.findChild(LabsWidget)
        if labs is not None and shown["tab"] == "Labs":
            shown["lab"] = next(k for k, attr in LAB_WIDGETS.items() if getattr(labs, attr) is labs.currentWidget())
        shown["inspector_tab"] = INSPECTOR_TABS[self.inspector.tabs.currentIndex()]
        step = self.inspector.walk.step
        shown["inspector_step"] = step.title if step is not None else None
        return shown

    # --- the polls' answers, counted on what is on screen -----------------------------------------------
    def answer(self, name: str) -> object:
        if name not in self._answers:
            raise TourError(f"no answer called {name!r} (known: {', '.join(self._answers)})")
        return self._answers[name]()

    def _counter_total(self) -> int:
        counter = self.labs().counter
        if counter.total is None:  # the student typed something that is no network into its box
            raise TourError(f"the parameter counter shows no network (its box says {counter.entry.text()!r}): "
                            "type the step's architecture back, or go to the step again")
        return int(counter.total)

    def _network_total(self) -> int:
        return int(self.host.state.network.arch.n_params)

    def _output_neuron(self) -> int:
        return int(self.host.state.network.sizes[-2]) + 1

    def _first_hidden_neuron(self) -> int:
        return int(self.host.state.network.sizes[0]) + 1

    def _gd_updates(self) -> frozenset[str]:
        """What gradient descent changes: the parameters θ of the traffic network, never the input x."""
        names = set(self.labs().traffic.params())
        shown = {"x": "x", "w₁,₁": "w1,1", "b₁,₁": "b1,1"}
        return frozenset(k for k, v in shown.items() if v in names)

    def _edge_colour(self) -> str:
        title = self.labs().playground.edge_bar.title.lower()
        return "weight" if "weight" in title else title

    def _tile_colour(self) -> str:
        title = self.labs().playground.tile_bar.title.lower()
        return "activation" if "a" in title.split() or "activation" in title else title

    # --- presenter mode ---------------------------------------------------------------------------------
    def panel_names(self) -> list[str]:
        return list(self.host.docks)

    def show_only_panels(self, names: set[str]) -> None:
        for name, dock in self.host.docks.items():
            dock.setVisible(name in names)

    def set_chrome(self, visible: bool) -> None:
        for bar in (self.host.menuBar(), self.host.statusBar(), self.host.tabs.tabBar()):
            bar.setVisible(visible)

    def set_large(self, on: bool, font_scale: float, line_scale: float) -> None:
        themes.enlarge(self.host.tabs, font_scale if on else 1.0)
        self.network.set_text_scale(font_scale if on else 1.0)
        themes.update(line_scale=line_scale if on else 1.0)  # the scene redraws its edges

    def workspace_layout(self) -> QByteArray:
        return self.host.workspace_layout()

    def restore_workspace_layout(self, layout: QByteArray) -> None:
        self.host.restore_workspace_layout(layout)

    def play_pause(self) -> str:
        def shown(name: str):
            w = self.host.findChild(QWidget, name)
            return w if w is not None and w.isVisible() and not w.visibleRegion().isEmpty() else None

        chain, inspector = shown("scalarChain"), shown("backpropInspector")
        if chain is not None:
            chain.controls.toggle_play()
            return "the scalar chain " + ("plays" if chain.controls.playing else "pauses")
        if inspector is not None:
            inspector.controls.toggle_play()
            return "the backprop walk " + ("plays" if inspector.controls.playing else "pauses")
        for name, toggle, what in PLAYABLE:
            w = shown(name)
            if w is not None:
                getattr(w, toggle)()
                return f"{what} starts or pauses"
        return ""
