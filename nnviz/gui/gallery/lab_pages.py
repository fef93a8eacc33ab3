"""Gallery entries for the Labs tab and each lab's parts."""

from __future__ import annotations

import numpy as np
from PySide6.QtWidgets import QVBoxLayout, QWidget

from nnviz.gui.gallery.registry import entry


@entry("labs", "labs.labs_widget", (1500, 850))
def labs() -> QWidget:
    """The Labs tab: every lab."""
    from nnviz.gui.labs.labs_widget import LabsWidget
    return LabsWidget()


@entry("params-lab", "labs.params.counter", (1300, 700), shot="lab_params.png")
def params_lab() -> QWidget:
    """How many parameters: the counter with its diagram and polls."""
    from nnviz.gui.labs.params.counter import ParamCounterLab
    return ParamCounterLab()


@entry("params-diagram", "labs.params.diagram", (700, 320))
def params_diagram() -> QWidget:
    """784-300-100-10 drawn lecture-style, layer 3 highlighted."""
    from nnviz.gui.labs.params.diagram import ParamDiagram
    d = ParamDiagram()
    d.set_sizes((784, 300, 100, 10), highlight_layer=3)
    return d


@entry("playground-lab", ("labs.playground.lab", "labs.playground.model"), (1500, 860))
def playground_lab() -> QWidget:
    """The playground: a small net on 2-D data (press Play)."""
    from nnviz.gui.labs.playground.lab import PlaygroundLab
    return PlaygroundLab()


@entry("playground-controls", "labs.playground.controls", (520, 560))
def playground_controls() -> QWidget:
    """The playground's network and data controls."""
    from nnviz.gui.labs.playground.controls import DataControls, NetControls
    w = QWidget()
    col = QVBoxLayout(w)
    data, net = DataControls(), NetControls()
    col.addWidget(net)
    col.addWidget(net.layer_widget())
    col.addWidget(data)
    return w


@entry("playground-output", "labs.playground.output", (420, 620))
def playground_output() -> QWidget:
    """The playground's output plane and loss curve for an untrained net."""
    from nnviz.gui.labs.playground.model import Model, Settings
    from nnviz.gui.labs.playground.output import PlaygroundOutput
    model = Model(Settings())
    out = PlaygroundOutput()
    out.set_data(model.data, True)
    out.show_snapshot(model.snapshot(0))
    return out


@entry("playground-view", "labs.playground.view", (700, 420))
def playground_view() -> QWidget:
    """The playground's network: features, two hidden layers (4, 3), output tiles."""
    from nnviz.gui.labs.playground.model import Model, Settings
    from nnviz.gui.labs.playground.view import PlaygroundNetView
    model = Model(Settings(hidden=(4, 3)))
    view = PlaygroundNetView()
    view.build(list(model.settings.features), model.settings.hidden)
    view.show_snapshot(model.snapshot(0))
    return view


@entry("neuron-lab", ("labs.single_neuron.lab", "labs.single_neuron.roles"), (1500, 820))
def neuron_lab() -> QWidget:
    """The single-neuron lab: one neuron, its g and g′, its data and loss."""
    from nnviz.gui.labs.single_neuron.lab import SingleNeuronLab
    return SingleNeuronLab()


@entry("activation-plots", "labs.single_neuron.plots", (800, 300))
def activation_plots() -> QWidget:
    """g(z) and g′(z) of the sigmoid, z = 1.2 selected."""
    from nnviz.gui.labs.single_neuron.plots import ActivationPlots
    plots = ActivationPlots()
    plots.show("sigmoid", 1.2, np.linspace(-3, 3, 20))
    return plots


@entry("traffic-lab", "labs.traffic.lab", (1500, 820))
def traffic_lab() -> QWidget:
    """The traffic lab: three neurons fit a day of traffic."""
    from nnviz.gui.labs.traffic.lab import TrafficLab
    return TrafficLab()


@entry("traffic-controls", "labs.traffic.controls", (360, 300))
def traffic_controls() -> QWidget:
    """The traffic network's seven parameter sliders at the lecture's values."""
    from nnviz.core.toy import LECTURE_VALUES
    from nnviz.gui.labs.traffic.controls import ParamSliders
    sliders = ParamSliders()
    sliders.show_params(LECTURE_VALUES)
    return sliders


@entry("traffic-diagram", "labs.traffic.diagram", (480, 280))
def traffic_diagram() -> QWidget:
    """The 1-2-1 traffic network at the lecture's values."""
    from nnviz.core.toy import LECTURE_VALUES
    from nnviz.gui.labs.traffic.diagram import TrafficDiagram
    d = TrafficDiagram()
    d.set_params(LECTURE_VALUES)
    return d
