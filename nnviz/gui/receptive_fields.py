"""Gallery of all first-layer receptive fields: neuron j's incoming weights W1[j] as a 28x28 tile.

Follows state.weightsChanged during training, throttled (at most every REFRESH_MS), and builds the
mosaic with NumPy (one colour lookup for all 300 x 784 weights, a few ms).
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from . import theme
from .scene.images import image_view, tile_shape
from .scene.layout import grid_shape
from .state import AppState

GAP = 2  # pixels between tiles
REFRESH_MS = 250


def mosaic(W1: np.ndarray, cols: int) -> tuple[np.ndarray, tuple[int, int]]:
    """(rows*(h+GAP), cols*(w+GAP), 4) uint8 picture of every row of W1 (n, h*w), each tile scaled by
    its own max |w| (so every neuron's pattern shows); returns (image, (h, w))."""
    n, n_in = W1.shape
    h, w = tile_shape(n_in)
    rows = -(-n // cols)
    m = np.abs(W1).max(axis=1, keepdims=True)
    t = W1 / np.where(m > 0, m, 1.0)
    padded = np.zeros((rows * cols, h * w), np.float32)
    padded[:n, :n_in] = t
    rgba = theme.lookup(theme.diverging_cmap(), padded, -1.0, 1.0).reshape(rows, cols, h, w, 4)
    bg = theme.BACKGROUND
    out = np.empty((rows, h + GAP, cols, w + GAP, 4), np.uint8)
    out[...] = (bg.red(), bg.green(), bg.blue(), 255)
    out[:, :h, :, :w] = rgba.transpose(0, 2, 1, 3, 4)
    for k in range(n, rows * cols):  # empty trailing tiles stay background
        out[k // cols, :, k % cols] = (bg.red(), bg.green(), bg.blue(), 255)
    return out.reshape(rows * (h + GAP), cols * (w + GAP), 4), (h, w)


class ReceptiveFieldGallery(QWidget):
    """All first-layer receptive fields; hover a tile for its neuron, click it to select the neuron."""

    neuronClicked = Signal(int, int)  # (1, j)

    def __init__(self, state: AppState, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("receptiveFieldGallery")
        self.state = state
        self.updates = 0  # how many times the mosaic was rebuilt (observable for tests)
        self.view, self.vb, self.image = image_view(
            "galleryImage", "Each tile: one hidden-1 neuron's 784 incoming weights W1[j] as a 28x28 picture")
        self.caption = QLabel("")
        self.caption.setObjectName("galleryCaption")
        self.caption.setWordWrap(True)
        self.bar = theme.ColorBar(theme.diverging_cmap(), -1, 1,
                                  "tile colour = weight w ÷ that tile's max |w| (blue < 0 < red)")
        lay = QVBoxLayout(self)
        lay.addWidget(self.caption)
        lay.addWidget(self.view, 1)
        lay.addWidget(self.bar)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self.refresh)
        state.weightsChanged.connect(self._schedule)
        state.networkChanged.connect(self.refresh)
        self.view.scene().sigMouseMoved.connect(self._on_move)
        self.view.scene().sigMouseClicked.connect(self._on_click)
        self.refresh()

    def _schedule(self) -> None:
        """Throttle: a refresh at most every REFRESH_MS however often the weights change."""
        if not self._timer.isActive():
            self._timer.start()

    def refresh(self) -> None:
        W1 = self.state.network.dense[0].W
        n = W1.shape[0]
        self.cols = grid_shape(n, 0.75)[1]
        img, self.tile = mosaic(np.asarray(W1, np.float32), self.cols)
        self.image.setImage(img)
        self.vb.autoRange(padding=0.01)
        self.updates += 1
        h, w = self.tile
        self.caption.setText(f"Receptive fields of all {n} hidden-1 neurons: what each one looks for in the "
                             f"{h}x{w} input (red pixels push its z up, blue push it down).")

    def tile_at(self, x: float, y: float) -> int | None:
        h, w = self.tile
        c, r = int(x // (w + GAP)), int(y // (h + GAP))
        j = r * self.cols + c
        ok = x >= 0 and y >= 0 and c < self.cols and j < self.state.network.dense[0].W.shape[0]
        return j if ok else None

    def _on_move(self, pos) -> None:
        p = self.vb.mapSceneToView(pos)
        j = self.tile_at(p.x(), p.y())
        self.view.setToolTip("" if j is None else f"hidden-1 neuron {j}: click to select it")

    def _on_click(self, ev) -> None:
        p = self.vb.mapSceneToView(ev.scenePos())
        j = self.tile_at(p.x(), p.y())
        if j is not None:
            self.neuronClicked.emit(1, j)


if __name__ == "__main__":
    from PySide6.QtWidgets import QApplication

    from .scene.preview import make_state
    app = QApplication([])
    g = ReceptiveFieldGallery(make_state(0))
    g.resize(900, 760)
    g.show()
    app.exec()
