"""The rows under the network scene: colour bars (neurons, a second neuron map when two are in use,
edges) and the two-line legend."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QSizePolicy

from nnviz.gui.look import colorbars, themes

BAR_W, EDGE_BAR_W = 340, 360  # (they shrink when the scene is narrow)


class WrappingLabel(pg.LabelItem):
    """The legend's text: wraps to the width its row gives it instead of widening the scene past its panel."""

    MIN_WIDTH = 160

    def resizeEvent(self, ev) -> None:
        width = self.size().width()
        if width > 0 and abs(self.item.textWidth() - width) > 0.5:
            self.item.setTextWidth(width)
        super().resizeEvent(ev)

    def updateMin(self) -> None:
        bounds = self.itemRect()
        self.setMinimumWidth(self.MIN_WIDTH)
        self.setMinimumHeight(bounds.height())
        self._sizeHint = {Qt.SizeHint.MinimumSize: (self.MIN_WIDTH, bounds.height()),
                          Qt.SizeHint.PreferredSize: (bounds.width(), bounds.height()),
                          Qt.SizeHint.MaximumSize: (-1, -1), Qt.SizeHint.MinimumDescent: (0, 0)}
        self.updateGeometry()


class LegendRow:
    """neuron_bar, neuron_bar2 (collapsed until used), edge_bar and the legend text, added to `canvas`
    (a GraphicsLayoutWidget) in rows 1 and 2 under the view box."""

    def __init__(self, canvas: pg.GraphicsLayoutWidget) -> None:
        row = canvas.addLayout(row=1, col=0)
        row.setContentsMargins(10, 0, 10, 4)
        self.bar_row = row
        canvas.ci.layout.setRowStretchFactor(0, 1)
        self.neuron_bar = colorbars.ColorBarItem(themes.current().activation_cmap, 0, 1, "", width=BAR_W)
        self.neuron_bar2 = colorbars.ColorBarItem(themes.current().activation_cmap, 0, 1, "", width=BAR_W)
        self.edge_bar = colorbars.ColorBarItem(themes.current().diverging_cmap, -1, 1, "", width=EDGE_BAR_W)
        self.legend = WrappingLabel("", color=themes.current().text_dim, size="10pt", justify="left")
        self.legend.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)  # its lines, no more
        self.text_scale = 1.0
        self._bar2_on = True
        self.show_second_bar(False)
        row.addItem(self.neuron_bar, 0, 0)
        row.addItem(self.neuron_bar2, 0, 1)
        row.addItem(self.edge_bar, 0, 2)
        row.addItem(pg.GraphicsWidget(), 0, 3)  # stretch: the bars stay left
        text_row = canvas.addLayout(row=2, col=0)
        text_row.setContentsMargins(10, 0, 10, 6)
        text_row.addItem(self.legend, 0, 0)
        text_row.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)  # the scene takes the rest
        self.text_row = text_row
        self.set_text_scale(1.0)

    def set_text_scale(self, scale: float) -> None:
        """Colour bars and legend text at scale × their size (presenter mode: 1.5)."""
        self.text_scale = scale
        bar_h = round(56 * scale)
        self.bar_row.setMinimumHeight(bar_h)
        self.bar_row.setMaximumHeight(bar_h)
        for bar in (self.neuron_bar, self.neuron_bar2, self.edge_bar):
            bar.set_text_scale(scale)
        self.text_row.setMinimumHeight(round(44 * scale))  # two lines; more when they wrap
        self.text_row.setMaximumHeight(round(88 * scale))
        self.legend.setText(self.legend.text, size=f"{10 * scale:g}pt")

    def show_edge_bar(self, on: bool) -> None:
        """Show or collapse (zero width, so the other bars get its room) the edges' colour bar."""
        self.edge_bar.setVisible(on)
        self.edge_bar.setMinimumWidth(min(EDGE_BAR_W, 140) if on else 0)
        self.edge_bar.setMaximumWidth(EDGE_BAR_W if on else 0)

    def show_second_bar(self, on: bool) -> None:
        """Show or collapse (zero width) the second neuron colour bar."""
        if self._bar2_on == on:
            return
        self._bar2_on = on
        self.neuron_bar2.setVisible(on)
        self.neuron_bar2.setMinimumWidth(min(BAR_W, 140) if on else 0)  # shrinks like the others
        self.neuron_bar2.setMaximumWidth(BAR_W if on else 0)

    def set_lines(self, first: str, second: str) -> None:
        self.legend.setText(f"{first}<br><span style='color:{themes.current().text.name()}'>{second}</span>",
                            color=themes.current().text_dim.name())  # (the theme's colours)


def set_bar(bar, cmap, lo: float, hi: float, title: str, tip: str) -> None:
    """bar.set(...) unless it already shows exactly that (a new input then repaints no colour bar)."""
    args = (id(cmap), float(lo), float(hi), title, tip)
    if getattr(bar, "_shown", None) != args:
        bar._shown = args
        bar.set(cmap, lo, hi, title, tip)
