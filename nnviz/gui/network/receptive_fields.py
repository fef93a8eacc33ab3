"""Gallery of all first-layer receptive fields: neuron j's incoming weights W1[j] as a 28x28 tile.

Follows state.weightsChanged during training, throttled (at most every REFRESH_MS), and builds the
mosaic with NumPy (one colour lookup for all 300 x 784 weights, a few ms). A layer of more than PAGE
neurons is shown a page at a time ("neurons 1–400 of 2000", with ‹ › buttons): a screen shows no more,
and a mosaic of 2,000 tiles cost the GUI thread ~130 ms per refresh while training.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from nnviz.gui.look import colorbars, colormaps, themes
from nnviz.gui.network.scene.images import image_view, tile_shape
from nnviz.gui.network.scene.layout import grid_shape
from nnviz.gui.state import AppState
from nnviz.gui.widgets.flat_label import FlatLabel

FRAME = 2  # pixels of frame around a tile: its neuron's activation a for the current input
GAP = 2  # pixels between framed tiles
REFRESH_MS = 250
PAGE = 400  # tiles shown at a time


def cell_size(h: int, w: int) -> tuple[int, int]:
    """Pixels from one tile's origin to the next (tile + frame on both sides + gap)."""
    return h + 2 * FRAME + GAP, w + 2 * FRAME + GAP


def tile_origin(k: int, cols: int, tile: tuple[int, int]) -> tuple[int, int]:
    """(row, col) pixel of the top-left weight pixel of tile k."""
    ch, cw = cell_size(*tile)
    return (k // cols) * ch + FRAME, (k % cols) * cw + FRAME


def mosaic(W1: np.ndarray, cols: int, frames: np.ndarray | None = None) -> tuple[np.ndarray, tuple[int, int]]:
    """Picture of every row of W1 (n, h*w) as an h x w tile, each scaled by its own max |w| (so every
    neuron's pattern shows), in a grid of `cols` columns; frames: (n, 4) uint8 colour of each tile's
    frame (None: background). Returns (image (rows*ch, cols*cw, 4) uint8, (h, w))."""
    n, n_in = W1.shape
    h, w = tile_shape(n_in)
    rows = -(-n // cols)
    m = np.abs(W1).max(axis=1, keepdims=True)
    t = W1 / np.where(m > 0, m, 1.0)
    padded = np.zeros((rows * cols, h * w), np.float32)
    padded[:n, :n_in] = t
    rgba = colormaps.lookup(themes.current().diverging_cmap, padded, -1.0, 1.0).reshape(rows, cols, h, w, 4)
    bg = themes.current().background
    ch, cw = cell_size(h, w)
    out = np.empty((rows, ch, cols, cw, 4), np.uint8)
    out[...] = (bg.red(), bg.green(), bg.blue(), 255)
    if frames is not None:
        f = np.zeros((rows * cols, 4), np.uint8)
        f[:n] = frames
        f[n:] = (bg.red(), bg.green(), bg.blue(), 255)
        out[:, : ch - GAP, :, : cw - GAP] = f.reshape(rows, 1, cols, 1, 4)
    out[:, FRAME:FRAME + h, :, FRAME:FRAME + w] = rgba.transpose(0, 2, 1, 3, 4)
    for k in range(n, rows * cols):  # empty trailing tiles stay background
        out[k // cols, :, k % cols] = (bg.red(), bg.green(), bg.blue(), 255)
    return out.reshape(rows * ch, cols * cw, 4), (h, w)


def frame_pixels(n: int, cols: int, tile: tuple[int, int]) -> tuple[np.ndarray, np.ndarray]:
    """(flat pixel indices of every tile's frame in the mosaic, the tile each belongs to)."""
    h, w = tile
    ch, cw = cell_size(h, w)
    ring = np.zeros((ch, cw), bool)
    ring[: ch - GAP, : cw - GAP] = True
    ring[FRAME:FRAME + h, FRAME:FRAME + w] = False
    ry, rx = np.nonzero(ring)
    k = np.arange(n)
    y = (k // cols)[:, None] * ch + ry[None, :]
    x = (k % cols)[:, None] * cw + rx[None, :]
    return (y * (cols * cw) + x).ravel(), np.repeat(k, ry.size)


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
        self.caption = FlatLabel("")
        self.caption.setObjectName("galleryCaption")
        self.caption.setWordWrap(True)
        self.bar = colorbars.ColorBar(themes.current().diverging_cmap, -1, 1,
                                  "tile colour = weight w ÷ that tile's max |w| (blue < 0 < red)")
        self.frame_bar = colorbars.ColorBar(themes.current().activation_cmap, 0, 1,
                                        "frame colour = the neuron's activation a for the current input ÷ max a")
        self.first = 0  # the neuron of the first tile shown (a page of at most PAGE)
        self.prev_button = QPushButton("‹", objectName="galleryPrevPage")
        self.next_button = QPushButton("›", objectName="galleryNextPage")
        for button, step, tip in ((self.prev_button, -1, "the previous page of neurons"),
                                  (self.next_button, 1, "the next page of neurons")):
            button.setToolTip(f"Show {tip}")
            button.setMaximumWidth(32)
            button.clicked.connect(lambda _=False, step=step: self.turn_page(step))
        bars = QHBoxLayout()
        bars.addWidget(self.prev_button)
        bars.addWidget(self.next_button)
        bars.addWidget(self.bar)
        bars.addWidget(self.frame_bar)
        lay = QVBoxLayout(self)
        lay.addWidget(self.caption)
        lay.addWidget(self.view, 1)
        lay.addLayout(bars)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self.refresh)
        state.weightsChanged.connect(self._schedule)
        state.networkChanged.connect(self.refresh)
        themes.changes().changed.connect(self._on_theme)
        state.traceChanged.connect(lambda _t: self._stale_while_hidden() or self.show_frames())
        self.view.scene().sigMouseMoved.connect(self._on_move)
        self.view.scene().sigMouseClicked.connect(self._on_click)
        self.refresh()

    def _schedule(self) -> None:
        """Throttle: a refresh at most every REFRESH_MS however often the weights change."""
        if not self._stale_while_hidden() and not self._timer.isActive():
            self._timer.start()

    def _stale_while_hidden(self) -> bool:
        """Hidden on purpose (behind another dock's tab): nothing is redrawn now, all of it when shown again."""
        hidden = self.isHidden() and self.testAttribute(Qt.WidgetAttribute.WA_WState_ExplicitShowHide)
        self._stale = getattr(self, "_stale", False) or hidden
        return hidden

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if getattr(self, "_stale", False):
            self._stale = False
            self.refresh()

    def turn_page(self, step: int) -> None:
        """Show the next (step 1) or previous (-1) page of PAGE neurons."""
        n = self.state.network.dense[0].W.shape[0]
        first = min(max(0, self.first + step * PAGE), PAGE * ((n - 1) // PAGE))
        if first != self.first:
            self.first = first
            self.refresh()

    def _on_theme(self, _theme: themes.Theme) -> None:
        self.refresh()  # the fields' pictures take the palette's map

    def refresh(self) -> None:
        """Rebuild the tiles of the page shown from W1 (throttled during training), then the frames."""
        W1 = self.state.network.dense[0].W
        n_all = W1.shape[0]
        if self.first >= n_all:  # a smaller network: back to its first page
            self.first = 0
        n = min(PAGE, n_all - self.first)
        self.cols = grid_shape(n, 0.75)[1]
        self._base, self.tile = mosaic(np.asarray(W1[self.first:self.first + n], np.float32), self.cols)
        self._frame_idx, self._frame_tile = frame_pixels(n, self.cols, self.tile)
        self.n_tiles, self.n_all = n, n_all
        self.updates += 1
        h, w = self.tile
        who = "hidden-1" if len(self.state.network.sizes) > 2 else "output"  # 784 -> 10: no hidden layer
        which = (f"all {n} {who} neurons" if n == n_all else
                 f"{who} neurons {self.first + 1}–{self.first + n} of {n_all:,} (‹ › for the others)")
        self.caption.setText(f"Receptive fields of {which}: what each one looks for in the "
                             f"{h}x{w} input (red pixels push its z up, blue push it down). A bright frame: "
                             "the neuron fires for the current input.")
        self.prev_button.setVisible(n < n_all)
        self.next_button.setVisible(n < n_all)
        self.prev_button.setEnabled(self.first > 0)
        self.next_button.setEnabled(self.first + n < n_all)
        self.show_frames()
        self.vb.autoRange(padding=0.01)

    def show_frames(self) -> None:
        """Frame each tile in its neuron's activation a1 for the current input (dark without an input)."""
        img = self._base.copy()
        tr = self.state.trace
        a1 = None if tr is None else np.asarray(tr.layers[0].a, np.float64)
        if a1 is not None and a1.size == self.n_all:  # (a new network's trace may come before its tiles)
            top = max(float(a1.max()), 1e-9)  # (the whole layer's: pages compare)
            a1 = a1[self.first:self.first + self.n_tiles]
            colours = colormaps.lookup(themes.current().activation_cmap, a1, 0.0, top)
            img.reshape(-1, 4)[self._frame_idx] = colours[self._frame_tile]
        self.image.setImage(img)

    def tile_at(self, x: float, y: float) -> int | None:
        """The hidden-1 neuron whose tile is under image pixel (x, y) (its index in the layer), or None."""
        ch, cw = cell_size(*self.tile)
        c, r = int(x // cw), int(y // ch)
        j = r * self.cols + c
        ok = x >= 0 and y >= 0 and c < self.cols and j < self.n_tiles
        return self.first + j if ok else None

    def _on_move(self, pos) -> None:
        p = self.vb.mapSceneToView(pos)
        j = self.tile_at(p.x(), p.y())
        self.view.setToolTip("" if j is None else f"hidden-1 neuron {j}: click to select it")

    def _on_click(self, ev) -> None:
        p = self.vb.mapSceneToView(ev.scenePos())
        j = self.tile_at(p.x(), p.y())
        if j is not None:
            self.neuronClicked.emit(1, j)
