"""Preview helpers: a state with a real model and a real MNIST test digit (for __main__ and screenshots)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[3]


def load_network():
    """(network, card): the shipped model, else a fresh 784-300-100-10."""
    from ...core import modelio
    from ...core.network import Network
    for path in (Path(modelio.SHIPPED_MODEL),):
        if path.exists():
            return modelio.load_model(path)
    return Network(seed=0), {}


def mnist_dir() -> Path:
    return Path(os.environ.get("NNVIZ_DATA", REPO.parent / "shared" / "data" / "mnist"))


def test_digit(index: int = 0) -> tuple[np.ndarray, int]:
    """(x (784,) float32, label) of MNIST test image `index`; random noise if MNIST is missing."""
    from ...core.data import DatasetError, load_mnist
    from ...core.pixels import as_input
    try:
        m = load_mnist(mnist_dir())
        return as_input(m.x_test[index]), int(m.y_test[index])  # MNIST keeps uint8 pixels
    except (DatasetError, OSError):
        return np.random.default_rng(index).random(784).astype(np.float32), 0


def make_state(index: int = 0):
    """An AppState with the best available model and MNIST test digit `index` as input."""
    from ..state import AppState
    net, card = load_network()
    state = AppState(net, card)
    x, y = test_digit(index)
    state.set_input(x, y, "dataset")
    return state


def settle(app, view, timeout_s: float = 5.0) -> None:
    """Process events until the view's edge pictures (painted off the GUI thread) have arrived."""
    import time
    end = time.monotonic() + timeout_s
    app.processEvents()
    while not view.edges_settled() and time.monotonic() < end:
        time.sleep(0.005)
        app.processEvents()


def shots(folder: Path) -> None:
    """network_scene.png (MNIST test digit 0, forward view) and network_scene_hover.png (a hidden-2 neuron
    hovered: its fan-in and fan-out, its numbers in the legend), 1600x900, into `folder`."""
    from PySide6.QtWidgets import QApplication

    from ..network_view import NetworkView
    from ..style import apply_theme
    app = QApplication.instance() or QApplication(sys.argv)
    apply_theme("dark", app)
    folder.mkdir(parents=True, exist_ok=True)
    view = NetworkView(make_state(0))
    view.resize(1600, 900)
    view.show()
    for _ in range(10):
        app.processEvents()
    view.reset_view()
    settle(app, view)
    view.grab().save(str(folder / "network_scene.png"))
    view.hover_neuron(2, 91)
    settle(app, view)
    view.grab().save(str(folder / "network_scene_hover.png"))


def main() -> None:
    from PySide6.QtWidgets import QApplication, QSplitter

    if "--shots" in sys.argv:  # python -m nnviz.gui.scene.preview --shots docs/screenshots
        shots(Path(sys.argv[sys.argv.index("--shots") + 1]))
        return

    from ..network_view import NetworkView
    from ..neuron_detail import NeuronDetail
    app = QApplication.instance() or QApplication(sys.argv)
    state = make_state(int(sys.argv[1]) if len(sys.argv) > 1 else 0)
    split = QSplitter()
    view = NetworkView(state)
    detail = NeuronDetail(state)
    view.neuronClicked.connect(detail.show_neuron)
    split.addWidget(view)
    split.addWidget(detail)
    split.resize(1900, 900)
    split.show()
    app.exec()


if __name__ == "__main__":
    main()
