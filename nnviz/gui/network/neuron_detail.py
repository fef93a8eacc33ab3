"""The panel for one clicked neuron: its incoming weights as a picture (a first-layer neuron's receptive
field, 28x28), their histogram, and the inputs that contribute most (w·a) for the current input; for an
output neuron also the softmax over all classes."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QGridLayout, QLabel, QWidget

from nnviz.core.trace import forward_terms
from nnviz.gui.look import colorbars, colormaps, themes
from nnviz.gui.look.axes import plain_ticks
from nnviz.gui.network.scene import describe
from nnviz.gui.network.scene.images import as_grid, image_view, rgba_image, tile_shape
from nnviz.gui.network.scene.layout import layout
from nnviz.gui.state import AppState
from nnviz.gui.widgets.flat_label import FlatLabel

TOP_N = 8


class NeuronDetail(QWidget):
    """show_neuron(layer, index): layer 0 = input (shows its outgoing weights), 1..L = its incoming W_l[index]."""

    def __init__(self, state: AppState, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("neuronDetail")
        self.state = state
        self.layer = self.index = None
        self.title = FlatLabel("Click a neuron in the network to see it here.")
        self.title.setObjectName("detailTitle")
        self.title.setWordWrap(True)
        self.picture, self.picture_vb, self.image = image_view(
            "detailWeights", "This neuron's incoming weights w, laid out like the layer they come from")
        self.weights_bar = colorbars.ColorBar(themes.current().diverging_cmap, -1, 1, "weight w (blue < 0 < red)")
        self.hist = pg.PlotWidget(background=themes.current().background)
        self.hist.setObjectName("detailHistogram")
        self.hist.setToolTip("How many incoming weights have each value")
        self.hist.setLabel("bottom", "weight w")
        self.hist.setLabel("left", "count")
        plain_ticks(self.hist)
        self.hist.setMenuEnabled(False)
        self.bars = pg.PlotWidget(background=themes.current().background)
        self.bars.setObjectName("detailSoftmax")
        self.bars.setToolTip("The network's output ŷ = softmax(z): one probability per class")
        self.bars.setLabel("bottom", "class")
        self.bars.setLabel("left", "probability")
        self.bars.setMenuEnabled(False)
        self.top = QLabel("")
        self.top.setObjectName("detailTopInputs")
        self.top.setToolTip("The inputs a_prev whose contribution w·a to this neuron's z is largest in size")
        self.top.setStyleSheet("font-family: monospace;")
        lay = QGridLayout(self)
        lay.addWidget(self.title, 0, 0, 1, 2)
        lay.addWidget(self.picture, 1, 0)
        lay.addWidget(self.hist, 1, 1)
        lay.addWidget(self.weights_bar, 2, 0)
        lay.addWidget(self.top, 3, 0, 1, 2)
        lay.addWidget(self.bars, 4, 0, 1, 2)
        lay.setRowStretch(1, 3)
        lay.setRowStretch(4, 2)
        state.traceChanged.connect(lambda _t: self.refresh())
        state.weightsChanged.connect(self.refresh)
        themes.changes().changed.connect(self._on_theme)
        state.networkChanged.connect(lambda: self.show_neuron(-1, -1))
        self.bars.setVisible(False)

    def show_neuron(self, layer: int, index: int) -> None:
        """Show neuron `index` of `layer` (-1, -1: nothing)."""
        self.layer, self.index = (None, None) if layer < 0 else (int(layer), int(index))
        self.refresh()

    def weights(self) -> tuple[np.ndarray, str] | None:
        """(the weight vector shown, what it is): incoming W_l[index], or outgoing W_1[:, index] for an input."""
        if self.layer is None:
            return None
        net = self.state.network
        if self.layer == 0:
            return net.dense[0].W[:, self.index].astype(np.float64), "outgoing weights to hidden 1"
        return net.dense[self.layer - 1].W[self.index].astype(np.float64), "incoming weights"

    def _on_theme(self, _theme: themes.Theme) -> None:
        self.refresh()  # the weights' picture takes the palette's map

    def refresh(self) -> None:
        got = self.weights()
        if got is None:
            self.title.setText("Click a neuron in the network to see it here.")
            return
        w, what = got
        sizes = self.state.network.sizes
        src = sizes[1] if self.layer == 0 else sizes[self.layer - 1]
        self.title.setText(self._title(what, src))
        lo, hi = colormaps.symmetric_limits(w, 100.0)
        self.image.setImage(rgba_image(as_grid(w, self._shape(w.size)), themes.current().diverging_cmap, lo, hi))
        self.picture_vb.autoRange(padding=0.02)
        self.weights_bar.set(lo=lo, hi=hi, title=f"{what} w (blue < 0 < red)")
        self._histogram(w)
        self._top_inputs()
        self._softmax()

    def _shape(self, n: int) -> tuple[int, int]:
        """(rows, cols) of the layer the weights come from, as the network scene lays it out."""
        for g in layout(tuple(self.state.network.sizes)):
            if g.n == n and g.l == (1 if self.layer == 0 else self.layer - 1):
                return g.rows, g.cols
        return tile_shape(n)

    def _title(self, what: str, src: int) -> str:
        net = self.state.network
        tr = self.state.trace
        g_names = [net.arch.activation] * (len(net.sizes) - 2) + [net.arch.output]
        b = net.dense[self.layer - 1].b if self.layer >= 1 else None
        text = describe.neuron_tooltip(tr, tuple(net.sizes), self.layer, self.index, b, g_names)
        kind = "receptive field: " if self.layer == 1 and tile_shape(src)[0] ** 2 == src else ""
        return "<b>" + text.replace("\n", "</b><br>", 1).replace("\n", "<br>") + f"<br><i>{kind}{src} {what}</i>"

    def _histogram(self, w: np.ndarray) -> None:
        counts, edges = np.histogram(w, bins=40)
        self.hist.clear()
        self.hist.plot(edges, counts, stepMode="center", fillLevel=0, brush=(120, 160, 230, 150),
                       pen=pg.mkPen(themes.current().text_dim))
        self.hist.addLine(x=0, pen=pg.mkPen(themes.current().text_dim, style=pg.QtCore.Qt.PenStyle.DashLine))

    def _top_inputs(self) -> None:
        tr = self.state.trace
        if tr is None or self.layer == 0:
            self.top.setText("" if self.layer == 0 else "(no input: contributions w·a need an input)")
            return
        l, j = self.layer, self.index
        w, a_prev = tr.layers[l - 1].W[j], tr.activations()[l - 1]  # the trace's w and a: its own z
        contrib = forward_terms(tr, l, j)
        order = np.argsort(-np.abs(contrib))[:TOP_N]
        name = "pixel" if l == 1 else f"h{l - 1} neuron"
        side = self._shape(w.size)[1]
        rows = [f"top inputs by |w·a|   (z = Σ w·a + b = {describe.num(float(tr.layers[l - 1].z[j]))})"]
        for i in order:
            where = f"({i // side:2d},{i % side:2d})" if l == 1 else f"{i:4d}"
            rows.append(f"{name} {where}:  w = {w[i]:+.3f}  a = {a_prev[i]:.3f}  w·a = {contrib[i]:+.3f}")
        self.top.setText("\n".join(rows))

    def _softmax(self) -> None:
        tr = self.state.trace
        last = len(self.state.network.sizes) - 1
        show = tr is not None and self.layer == last
        self.bars.setVisible(show)
        if not show:
            return
        y_hat = np.asarray(tr.y_hat, np.float64)
        look = themes.current()
        colours = [look.highlight if k == self.index else look.text_dim for k in range(y_hat.size)]
        brushes = [pg.mkBrush(c) for c in colours]
        self.bars.clear()
        self.bars.addItem(pg.BarGraphItem(x=np.arange(y_hat.size), height=y_hat, width=0.7, brushes=brushes))
        self.bars.setYRange(0, 1)
