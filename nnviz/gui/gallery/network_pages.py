"""Gallery entries for the network scene, its neuron views and the backprop inspector."""

from __future__ import annotations

import numpy as np
from PySide6.QtWidgets import QHBoxLayout, QSplitter, QWidget

from nnviz.core.data import DatasetError
from nnviz.core.network import Network
from nnviz.gui.gallery.demo import (
    has_mnist,
    make_state,
    mnist,
    process_events,
    shipped_model,
    telling_digit,
    test_digit,
)
from nnviz.gui.gallery.registry import entry

SCENE = ("network.view", "network.scene")
INSPECTOR = ("inspector.inspector_panel", "inspector.walk", "inspector.timeline", "inspector.formulas",
             "inspector.formula_panel", "inspector.timeline_list", "inspector.update_box",
             "inspector.gradcheck_box", "inspector.grad_norms", "inspector.controls", "inspector.prob_bars")


# --- the scene -----------------------------------------------------------------------------------
def scene_of(w: QWidget):
    """The NetworkView of an entry's widget (the widget itself, or its child named galleryScene)."""
    from nnviz.gui.network.view import NetworkView

    return w if isinstance(w, NetworkView) else w.findChild(QWidget, "galleryScene")


def _edges_settled(w: QWidget) -> bool:
    return scene_of(w).items.edges_settled()


def _reset_view(w: QWidget) -> None:
    scene_of(w).reset_view()


def _hover(w: QWidget) -> None:
    _reset_view(w)
    w.hover_neuron(2, 91)


def _scene() -> QWidget:
    from nnviz.gui.network.view import NetworkView
    return NetworkView(make_state(0))


@entry("network-scene", SCENE, (1600, 900), theme="dark", shot="network_scene.png", stage=_reset_view,
       ready=_edges_settled)
def network_scene() -> QWidget:
    """The network scene for MNIST test digit 0 (forward view)."""
    return _scene()


@entry("network-3d", "network.view3d", (1400, 800), theme="dark", stage=lambda w: w.set_3d(True))
def network_3d() -> QWidget:
    """The Network view in 3-D (Harley's view) for MNIST test digit 0; offscreen, its one line on OpenGL."""
    return _scene()


@entry("network-scene-hover", SCENE, (1600, 900), theme="dark", shot="network_scene_hover.png", stage=_hover,
       ready=_edges_settled)
def network_scene_hover() -> QWidget:
    """The scene with a hidden-2 neuron hovered: its fan-in and fan-out, its numbers in the legend."""
    return _scene()


@entry("network-explorer", (*SCENE, "network.neuron_detail"), (1900, 900), stage=_reset_view,
       ready=_edges_settled)
def network_explorer() -> QWidget:
    """The scene beside the neuron detail: click a neuron to see its weights."""
    from nnviz.gui.network.neuron_detail import NeuronDetail
    from nnviz.gui.network.view import NetworkView
    state = make_state(0)
    split = QSplitter()
    view = NetworkView(state)
    view.setObjectName("galleryScene")
    detail = NeuronDetail(state)
    view.neuronClicked.connect(detail.show_neuron)
    split.addWidget(view)
    split.addWidget(detail)
    return split


@entry("neuron-detail", "network.neuron_detail", (560, 760), theme="dark", shot="neuron_detail.png")
def neuron_detail() -> QWidget:
    """One neuron's z, a, incoming weights and top inputs: output neuron 7 for test digit 0 (a 7)."""
    from nnviz.gui.network.neuron_detail import NeuronDetail
    d = NeuronDetail(make_state(0))
    d.show_neuron(3, 7)
    return d


@entry("receptive-fields", "network.receptive_fields", (1000, 800), theme="dark", shot="receptive_fields.png")
def receptive_fields() -> QWidget:
    """Every first-layer neuron's incoming weights as a 28x28 picture."""
    from nnviz.gui.network.receptive_fields import ReceptiveFieldGallery
    return ReceptiveFieldGallery(make_state(0))


# --- the inspector driving the scene -----------------------------------------------------------
def inspector_window() -> QWidget:
    """The scene with the inspector beside it, on a test digit the model is unsure of (digit 0 without MNIST)."""
    from nnviz.gui.inspector.inspector_panel import InspectorPanel
    from nnviz.gui.network.view import NetworkView
    from nnviz.gui.state import AppState
    net, card = shipped_model()
    state = AppState(net, card)
    window = QWidget()
    window.setObjectName("inspectorPreview")
    view = NetworkView(state)
    view.setObjectName("galleryScene")
    panel = InspectorPanel(state, view)
    panel.setObjectName("galleryInspector")
    lay = QHBoxLayout(window)
    lay.setContentsMargins(0, 0, 0, 0)
    lay.addWidget(view, 1)
    lay.addWidget(panel, 0)
    panel.setMaximumWidth(660)
    x, label = telling_digit(net, card, mnist()) if has_mnist() else test_digit(0)
    state.set_input(x, label, "dataset")
    return window


def inspector_of(w: QWidget):
    """The InspectorPanel of an inspector_window()."""
    return w.findChild(QWidget, "galleryInspector")


def _go_to(title: str):
    def stage(w: QWidget) -> None:
        panel = inspector_of(w)
        panel.go(next(i for i, s in enumerate(panel.walk.steps) if s.title == title))
        process_events(20)
    return stage


def _sigmoid_stage(w: QWidget) -> None:
    """Train a deep sigmoid net briefly with core.training, feeding its per-layer gradient norms to the
    panel (as the app's worker does): the first layers' gradients sit far below the last one's."""
    from nnviz.core.training import Split, TrainConfig, train
    panel, data, n = inspector_of(w), mnist(), 6000
    state = panel.state
    net = Network(sizes=(784, 100, 100, 100, 100, 10), activation="sigmoid", seed=1)
    split = Split(data.x_train[:n], data.y_train[:n], data.x_test[:500], data.y_test[:500])
    for event in train(net, split, TrainConfig(epochs=1, batch_size=50, optimizer="sgd", lr=0.5)):
        if hasattr(event, "grad_norms"):
            panel.add_grad_norms(event.samples, event.grad_norms)
    x, label = np.array(state.x), state.label
    state.set_network(net)
    state.set_input(x, label, "dataset")
    panel.tools.setCurrentIndex(2)
    _go_to("dJ/dz₁")(w)
    _reset_view(w)


_INSPECTOR_SHOTS = (("inspector", "inspector_forward.png", "z₂", "the forward pass at z₂"),
                    ("inspector-dJdz2", "inspector_dJdz2.png", "dJ/dz₂", "the backward pass at dJ/dz₂"),
                    ("inspector-dJdW1", "inspector_dJdW1.png", "dJ/dW₁", "the weight gradient dJ/dW₁"))
for _name, _shot, _title, _what in _INSPECTOR_SHOTS:
    entry(_name, (*INSPECTOR, *SCENE), (1900, 860), theme="dark", shot=_shot, stage=_go_to(_title),
          ready=_edges_settled, summary=f"The scene with the inspector beside it: {_what}")(inspector_window)
del _name, _shot, _title, _what


def _needs_mnist() -> QWidget:
    if not has_mnist():
        raise DatasetError("the inspector-sigmoid entry trains on MNIST: set NNVIZ_DATA or pass --data DIR")
    return inspector_window()


entry("inspector-sigmoid", (*INSPECTOR, *SCENE), (1900, 860), theme="dark", shot="inspector_sigmoid.png",
      stage=_sigmoid_stage, ready=_edges_settled,
      summary="Gradient sizes of a briefly trained deep sigmoid net: the first layers' gradients vanish")(_needs_mnist)
