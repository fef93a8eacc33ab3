"""The comparison's plots: one look for all of them (the theme's colours, readable log axes, plain ticks)."""

from __future__ import annotations

import pyqtgraph as pg

from nnviz.gui.look import themes
from nnviz.gui.look.axes import LogAxis, plain_ticks

LAYER_STYLES = (pg.QtCore.Qt.PenStyle.SolidLine, pg.QtCore.Qt.PenStyle.DashLine, pg.QtCore.Qt.PenStyle.DotLine,
                pg.QtCore.Qt.PenStyle.DashDotLine)
LAYER_COLOURS = ("#ff7b72", "#ffd866", "#78dce8", "#a9dc76", "#ab9df2", "#fc9867", "#e0e0e0")  # W1, W2, ...


class Plots(pg.GraphicsLayoutWidget):
    """A grid of plots that follow the theme: add(row, col, title, x, y, log=...) -> pg.PlotItem; curve(plot, key,
    x, y) updates a curve in place; clear_plots() when what the plots show changes (another comparison)."""

    def __init__(self, name: str, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.items: list[pg.PlotItem] = []
        self.legends: list[pg.LegendItem] = []
        self._curves: dict[tuple, pg.PlotDataItem] = {}  # updated in place: a redraw moves points, adds no items
        self._theme(themes.current())
        themes.changes().changed.connect(self._theme)

    def add(self, row: int, col: int, title: str, x: str, y: str, log: bool = False, **kw) -> pg.PlotItem:
        p = self.addPlot(row=row, col=col, title=title, axisItems={"left": LogAxis("left")} if log else None, **kw)
        p.setLabel("bottom", x)
        p.setLabel("left", y)
        # (no grid: its translucent lines across the plot cost ~3 ms a plot at every redraw, most of the window's
        # stall while runs train; bench/compare.py)
        plain_ticks(p)
        if log:
            p.setLogMode(y=True)
            p.getAxis("left").setStyle(maxTextLevel=0)
        p.setMenuEnabled(False)
        self.items.append(p)
        self._style(p, themes.current())
        return p

    def legend(self, plot: pg.PlotItem, offset=(10, 10)) -> pg.LegendItem:
        c = themes.colours(themes.current().name)
        legend = plot.addLegend(offset=offset, brush=pg.mkBrush(c["plot_bg"] + "d8"), labelTextColor=c["plot_fg"])
        self.legends.append(legend)
        return legend

    def curve(self, plot: pg.PlotItem, key, x, y, **opts) -> pg.PlotDataItem:
        """The plot's curve named key, made with opts the first time, given x and y every time."""
        item = self._curves.get((id(plot), key))
        if item is None:
            item = self._curves[(id(plot), key)] = plot.plot(**{"antialias": False, **opts})
            item.setDownsampling(auto=True, method="peak")  # ~2 points a pixel, the spikes kept
            item.setClipToView(True)
        item.setData(x, y)
        return item

    def clear_plots(self) -> None:
        for p in self.items:
            for item in list(p.listDataItems()) + [i for i in p.items if isinstance(i, (pg.InfiniteLine,
                                                                                            pg.FillBetweenItem,
                                                                                            pg.PlotCurveItem))]:
                p.removeItem(item)
        for legend in self.legends:
            legend.clear()
        self._curves.clear()

    def _theme(self, theme: themes.Theme) -> None:
        self.setBackground(themes.colours(theme.name)["plot_bg"])
        for p in self.items:
            self._style(p, theme)
        for legend in self.legends:
            legend.setLabelTextColor(themes.colours(theme.name)["plot_fg"])

    @staticmethod
    def _style(p: pg.PlotItem, theme: themes.Theme) -> None:
        fg = themes.colours(theme.name)["plot_fg"]
        for side in ("left", "bottom"):
            p.getAxis(side).setPen(fg)
            p.getAxis(side).setTextPen(fg)
        p.titleLabel.setAttr("color", fg)
        p.titleLabel.setText(p.titleLabel.text)


def sub(n: int | str) -> str:
    """A layer's number as a subscript (W₁): the lecture's notation in titles and captions."""
    return str(n).translate(str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉"))


def pen(colour: str, layer: int = 0, width: float = 2.0):
    return pg.mkPen(colour, width=width * themes.current().line_scale, style=LAYER_STYLES[layer % len(LAYER_STYLES)])
