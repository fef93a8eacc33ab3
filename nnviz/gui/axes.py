"""Plot axes in the quantity's own units: a readable log axis, and no SI prefixes ("(x0.001)") anywhere.

    plot = pg.PlotWidget(axisItems={"left": LogAxis("left")})
    plain_ticks(plot)          # every axis: plain numbers, never "weight w (x0.001)"
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg


class LogAxis(pg.AxisItem):
    """A log-scale axis labelled at 1, 2 and 5 x 10^k only (pyqtgraph labels every minor tick)."""

    def tickValues(self, minVal, maxVal, size):
        if not self.logMode:
            return super().tickValues(minVal, maxVal, size)
        decades = range(int(np.floor(minVal)) - 1, int(np.ceil(maxVal)) + 1)
        labelled = [d + np.log10(m) for d in decades for m in (1, 2, 5)]
        minor = [d + np.log10(m) for d in decades for m in (3, 4, 6, 7, 8, 9)]
        inside = lambda values: [v for v in values if minVal <= v <= maxVal]
        if len(inside(labelled)) < 3:  # less than a decade on show: label every tick
            return [(1.0, sorted(inside(labelled) + inside(minor)))]
        return [(1.0, inside(labelled)), (0.1, inside(minor))]

    def tickStrings(self, values, scale, spacing):
        if not self.logMode:
            return super().tickStrings(values, scale, spacing)
        return [f"{10 ** v:.3g}" for v in values]


def plain_ticks(plot: pg.PlotWidget | pg.PlotItem) -> None:
    """No auto SI prefix on any axis: ticks stay in the quantity's own units (0.002, not 2 with "(x0.001)")."""
    item = plot.getPlotItem() if isinstance(plot, pg.PlotWidget) else plot
    for side in ("left", "bottom", "right", "top"):
        axis = item.getAxis(side)
        if axis is not None:
            axis.enableAutoSIPrefix(False)
