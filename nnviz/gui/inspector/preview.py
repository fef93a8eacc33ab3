"""Preview and screenshots of the inspector driving the real network scene.

python -m nnviz.gui.inspector.preview            a window (scene left, inspector right)
python -m nnviz.gui.inspector.preview --shots D  render the README moments to D/*.png and exit
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from PySide6.QtWidgets import QApplication, QHBoxLayout, QWidget

from ...core import modelio, preprocess
from ...core.data.mnist import load_mnist
from ...core.pixels import as_input
from ..network_view import NetworkView
from ..state import AppState
from ..style import apply_theme
from .inspector_panel import InspectorPanel
from .scalar_chain import ScalarChainPanel

SHARED_MNIST = Path(__file__).resolve().parents[3] / ".." / "shared" / "data" / "mnist"


def load_any_model():
    """The shipped model if present, else the dev model."""
    path = modelio.SHIPPED_MODEL
    return modelio.load_model(path)


def telling_digit(net, card, data, lo: float = 0.5, hi: float = 0.9) -> tuple[np.ndarray, int]:
    """The first test digit (as the model sees it) whose target probability is between lo and hi:
    unsure enough that the gradients are large and worth looking at."""
    x = data.x_test[:1000]
    x = preprocess.deskew(x) if preprocess.wants_deskew(card) else x
    p = net.predict_proba(x)[np.arange(len(x)), data.y_test[:1000]]
    i = int(np.flatnonzero((p > lo) & (p < hi))[0])
    return as_input(x[i]), int(data.y_test[i])  # MNIST keeps uint8 pixels: the input is p / 255


def build() -> tuple[QWidget, AppState, NetworkView, InspectorPanel]:
    """A window with the scene and the inspector on a telling test digit."""
    net, card = load_any_model()
    data = load_mnist(SHARED_MNIST.resolve(), download=False)
    state = AppState(net, card)
    window = QWidget()
    window.setObjectName("inspectorPreview")
    view = NetworkView(state)
    panel = InspectorPanel(state, view)
    lay = QHBoxLayout(window)
    lay.setContentsMargins(0, 0, 0, 0)
    lay.addWidget(view, 1)
    lay.addWidget(panel, 0)
    panel.setMaximumWidth(660)
    state.set_input(*telling_digit(net, card, data), "dataset")
    window.resize(1900, 860)
    window._mnist = data
    return window, state, view, panel


def data_of(window: QWidget):
    return window.property("mnist") if window.property("mnist") is not None else window._mnist


def sigmoid_run(state: AppState, panel: InspectorPanel, data, n: int = 6000) -> None:
    """Train a deep sigmoid net briefly with core.training, feeding its per-layer gradient norms to the
    panel (as the app's worker does): the first layers' gradients sit far below the last one's."""
    from ...core.network import Network
    from ...core.training import Split, TrainConfig, train

    net = Network(sizes=(784, 100, 100, 100, 100, 10), activation="sigmoid", seed=1)
    split = Split(data.x_train[:n], data.y_train[:n], data.x_test[:500], data.y_test[:500])
    for event in train(net, split, TrainConfig(epochs=1, batch_size=50, optimizer="sgd", lr=0.5)):
        if hasattr(event, "grad_norms"):
            panel.add_grad_norms(event.samples, event.grad_norms)
    x, label = np.array(state.x), state.label
    state.set_network(net)
    state.set_input(x, label, "dataset")


def find_step(panel: InspectorPanel, title: str) -> int:
    return next(i for i, s in enumerate(panel.walk.steps) if s.title == title)


def shots(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    window, state, view, panel = build()
    window.show()
    app = QApplication.instance()
    app.processEvents()
    view.reset_view()
    for name, title, selection in (("inspector_forward", "z₂", None), ("inspector_dJdz2", "dJ/dz₂", None),
                                   ("inspector_dJdW1", "dJ/dW₁", None)):
        panel.walk.selection = selection
        panel.go(find_step(panel, title))
        for _ in range(20):
            app.processEvents()
        window.grab().save(str(folder / f"{name}.png"))
    sigmoid_run(state, panel, data_of(window))
    panel.tools.setCurrentIndex(2)
    panel.go(find_step(panel, "dJ/dz₁"))
    for _ in range(20):
        app.processEvents()
    view.reset_view()
    app.processEvents()
    window.grab().save(str(folder / "inspector_sigmoid.png"))
    chain = ScalarChainPanel()
    chain.resize(900, 600)
    chain.show()
    chain.go(17)  # ∂J/∂a3: reuses ∂J/∂a4 and ∂a4/∂z4, times w4
    app.processEvents()
    chain.grab().save(str(folder / "scalar_chain.png"))


def main() -> None:
    app = QApplication(sys.argv)
    apply_theme("dark", app)
    if "--shots" in sys.argv:
        shots(Path(sys.argv[sys.argv.index("--shots") + 1]))
    else:
        w, *_ = build()
        w.show()
        app.exec()


if __name__ == "__main__":
    main()
