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
from ..network_view import NetworkView
from ..state import AppState
from ..style import apply_theme
from .inspector_panel import InspectorPanel

DEV_MODEL = Path("/tmp/nnviz-dev-model.npz")
SHARED_MNIST = Path(__file__).resolve().parents[3] / ".." / "shared" / "data" / "mnist"


def load_any_model():
    """The shipped model if present, else the dev model."""
    path = modelio.SHIPPED_MODEL if modelio.SHIPPED_MODEL.exists() else DEV_MODEL
    return modelio.load_model(path)


def telling_digit(net, card, data, lo: float = 0.5, hi: float = 0.9) -> tuple[np.ndarray, int]:
    """The first test digit (as the model sees it) whose target probability is between lo and hi:
    unsure enough that the gradients are large and worth looking at."""
    x = data.x_test[:1000]
    x = preprocess.deskew(x) if preprocess.wants_deskew(card) else x
    p = net.predict_proba(x)[np.arange(len(x)), data.y_test[:1000]]
    i = int(np.flatnonzero((p > lo) & (p < hi))[0])
    return np.asarray(x[i], np.float32), int(data.y_test[i])


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
    view.setMinimumWidth(1200)  # the scene's legend row needs it (else the output layer is cut off)
    state.set_input(*telling_digit(net, card, data), "dataset")
    window.resize(1900, 860)
    return window, state, view, panel


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
    panel.tabs.setCurrentWidget(panel.chain)
    panel.chain.go(17)
    app.processEvents()
    panel.chain.resize(900, 600)
    panel.chain.grab().save(str(folder / "scalar_chain.png"))


if __name__ == "__main__":
    app = QApplication(sys.argv)
    apply_theme("dark", app)
    if "--shots" in sys.argv:
        shots(Path(sys.argv[sys.argv.index("--shots") + 1]))
    else:
        w, *_ = build()
        w.show()
        app.exec()
