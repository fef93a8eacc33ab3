"""The rows under the network scene: colour bars (neurons, a second neuron map when two are in use,
edges) and the two-line legend."""

from __future__ import annotations

import pyqtgraph as pg

from nnviz.gui import colormaps

BAR_W, EDGE_BAR_W = 340, 360  # (they shrink when the scene is narrow)


def build_legend_row(view) -> None:
    """Add view.neuron_bar, view.neuron_bar2 (collapsed until used), view.edge_bar and view.legend."""
    row = view.canvas.addLayout(row=1, col=0)
    row.setContentsMargins(10, 0, 10, 4)
    row.setMaximumHeight(56)
    row.setMinimumHeight(56)
    view.canvas.ci.layout.setRowStretchFactor(0, 1)
    view.neuron_bar = colormaps.ColorBarItem(colormaps.activation_cmap(), 0, 1, "", width=BAR_W)
    view.neuron_bar2 = colormaps.ColorBarItem(colormaps.activation_cmap(), 0, 1, "", width=BAR_W)
    view.edge_bar = colormaps.ColorBarItem(colormaps.diverging_cmap(), -1, 1, "", width=EDGE_BAR_W)
    view.legend = pg.LabelItem("", color=colormaps.TEXT_DIM, size="10pt", justify="left")
    view._bar2_on = True
    show_second_bar(view, False)
    row.addItem(view.neuron_bar, 0, 0)
    row.addItem(view.neuron_bar2, 0, 1)
    row.addItem(view.edge_bar, 0, 2)
    row.addItem(pg.GraphicsWidget(), 0, 3)  # stretch: the bars stay left
    text_row = view.canvas.addLayout(row=2, col=0)
    text_row.setContentsMargins(10, 0, 10, 6)
    text_row.setMaximumHeight(44)
    text_row.setMinimumHeight(44)
    text_row.addItem(view.legend, 0, 0)


def show_second_bar(view, on: bool) -> None:
    """Show or collapse (zero width) the second neuron colour bar."""
    if view._bar2_on == on:
        return
    view._bar2_on = on
    view.neuron_bar2.setVisible(on)
    width = BAR_W if on else 0
    view.neuron_bar2.setMinimumWidth(width)
    view.neuron_bar2.setMaximumWidth(width)


def set_bar(bar, cmap, lo: float, hi: float, title: str, tip: str) -> None:
    """bar.set(...) unless it already shows exactly that (a new input then repaints no colour bar)."""
    args = (id(cmap), float(lo), float(hi), title, tip)
    if getattr(bar, "_shown", None) != args:
        bar._shown = args
        bar.set(cmap, lo, hi, title, tip)
