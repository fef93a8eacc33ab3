"""The rows under the network scene: colour bars (neurons, a second neuron map when two are in use,
edges) and the two-line legend."""

from __future__ import annotations

import pyqtgraph as pg

from nnviz.gui import colormaps

BAR_W, EDGE_BAR_W = 340, 360  # (they shrink when the scene is narrow)


class LegendRow:
    """neuron_bar, neuron_bar2 (collapsed until used), edge_bar and the legend text, added to `canvas`
    (a GraphicsLayoutWidget) in rows 1 and 2 under the view box."""

    def __init__(self, canvas: pg.GraphicsLayoutWidget) -> None:
        row = canvas.addLayout(row=1, col=0)
        row.setContentsMargins(10, 0, 10, 4)
        row.setMaximumHeight(56)
        row.setMinimumHeight(56)
        canvas.ci.layout.setRowStretchFactor(0, 1)
        self.neuron_bar = colormaps.ColorBarItem(colormaps.activation_cmap(), 0, 1, "", width=BAR_W)
        self.neuron_bar2 = colormaps.ColorBarItem(colormaps.activation_cmap(), 0, 1, "", width=BAR_W)
        self.edge_bar = colormaps.ColorBarItem(colormaps.diverging_cmap(), -1, 1, "", width=EDGE_BAR_W)
        self.legend = pg.LabelItem("", color=colormaps.TEXT_DIM, size="10pt", justify="left")
        self._bar2_on = True
        self.show_second_bar(False)
        row.addItem(self.neuron_bar, 0, 0)
        row.addItem(self.neuron_bar2, 0, 1)
        row.addItem(self.edge_bar, 0, 2)
        row.addItem(pg.GraphicsWidget(), 0, 3)  # stretch: the bars stay left
        text_row = canvas.addLayout(row=2, col=0)
        text_row.setContentsMargins(10, 0, 10, 6)
        text_row.setMaximumHeight(44)
        text_row.setMinimumHeight(44)
        text_row.addItem(self.legend, 0, 0)

    def show_second_bar(self, on: bool) -> None:
        """Show or collapse (zero width) the second neuron colour bar."""
        if self._bar2_on == on:
            return
        self._bar2_on = on
        self.neuron_bar2.setVisible(on)
        width = BAR_W if on else 0
        self.neuron_bar2.setMinimumWidth(width)
        self.neuron_bar2.setMaximumWidth(width)

    def set_lines(self, first: str, second: str) -> None:
        self.legend.setText(f"{first}<br><span style='color:{colormaps.TEXT.name()}'>{second}</span>",
                            color=colormaps.TEXT_DIM.name())  # (the theme's colours)


def set_bar(bar, cmap, lo: float, hi: float, title: str, tip: str) -> None:
    """bar.set(...) unless it already shows exactly that (a new input then repaints no colour bar)."""
    args = (id(cmap), float(lo), float(hi), title, tip)
    if getattr(bar, "_shown", None) != args:
        bar._shown = args
        bar.set(cmap, lo, hi, title, tip)
