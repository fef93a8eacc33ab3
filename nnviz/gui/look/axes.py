"""Plot axes in the quantity's own units: a readable log axis, and no SI prefixes ("(x0.001)") anywhere.

    plot = pg.PlotWidget(axisItems={"left": LogAxis("left")})
    plain_ticks(plot)          # every axis: plain numbers, never "weight w (x0.001)"
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")
LABEL_PX = 18  # at least this many pixels per labelled tick: no overprinted labels


class LogAxis(pg.AxisItem):
    """A log-scale axis labelled at 1, 2 and 5 x 10^k, or at 10^k only (every n-th decade) when that is
    all the axis has room for (pyqtgraph labels every minor tick and overprints them)."""

    def tickValues(self, minVal, maxVal, size):
        if not self.logMode:
            return super().tickValues(minVal, maxVal, size)
        room = max(2, int(size // LABEL_PX))
        inside = lambda values: [v for v in values if minVal <= v <= maxVal]  # noqa: E731
        decades = list(range(int(np.floor(minVal)) - 1, int(np.ceil(maxVal)) + 1))
        for marks in ((1, 2, 5), (1,)):
            labelled = inside([d + np.log10(m) for d in decades for m in marks])
            if 3 <= len(labelled) <= room or (marks == (1, 2, 5) and len(labelled) < 3):
                others = [m for m in range(2, 10) if m not in marks]
                minor = inside([d + np.log10(m) for d in decades for m in others])
                if len(labelled) < 3:  # less than a decade on show: label every tick
                    return [(1.0, sorted(labelled + minor))]
                return [(1.0, labelled), (0.1, minor)]
        step = int(np.ceil(len(inside(decades)) / room))  # many decades (an exploding loss): every n-th one
        labelled = [float(d) for d in inside(decades) if d % step == 0]
        return [(float(step), labelled), (1.0, [float(d) for d in inside(decades) if d % step])]

    def tickStrings(self, values, scale, spacing):
        if not self.logMode:
            return super().tickStrings(values, scale, spacing)
        return [log_label(10 ** v) for v in values]


def log_label(x: float) -> str:
    """0.002, 5, 2000 as they are; 10⁸ and 5·10⁻⁶ beyond (never "5e+08")."""
    if 1 <= x < 1e5 and abs(x - round(x)) < 1e-6 * x:
        return f"{round(x):,}"
    if 1e-3 <= x < 1e5:
        return f"{x:.3g}"
    k = int(np.floor(np.log10(x) + 1e-9))
    m = round(x / 10 ** k)
    power = f"10{str(k).translate(SUPERSCRIPT)}"
    return power if m == 1 else f"{m}·{power}"


def plain_ticks(plot: pg.PlotWidget | pg.PlotItem) -> None:
    """No auto SI prefix on any axis: ticks stay in the quantity's own units (0.002, not 2 with "(x0.001)")."""
    item = plot.getPlotItem() if isinstance(plot, pg.PlotWidget) else plot
    for side in ("left", "bottom", "right", "top"):
        axis = item.getAxis(side)
        if axis is not None:
            axis.enableAutoSIPrefix(False)
