"""The walk through one example: the trace shown, its steps, the current step and the selection.

Plain Python driving a NetworkView (duck-typed: show_values, show_edge_values, highlight_layer,
animate_transition, skip_animation, clear_override). Each `go` re-applies the whole picture of the
step, so any path through the timeline shows the same thing at the same step.
"""

from __future__ import annotations

from nnviz.core.trace import Trace
from nnviz.gui.inspector.timeline import Step, build_steps


def _signature(steps: list[Step]) -> tuple:
    return tuple((s.phase, s.quantity, s.layer) for s in steps)


class Walk:
    """index: the current step (0-based); selection: (layer, j) or (l, j, i) or None."""

    def __init__(self, view) -> None:
        self.view = view
        self.trace: Trace | None = None
        self.steps: list[Step] = []
        self.index = 0
        self.selection: tuple[int, ...] | None = None
        self.active = True  # False: leave the scene alone
        self.edge_k: int | None = None  # strongest-k edges to draw; None: the scene's own k setting
        self.duration_ms = 300

    @property
    def step(self) -> Step | None:
        return self.steps[self.index] if self.steps else None

    @property
    def count(self) -> int:
        return len(self.steps)

    def set_trace(self, trace: Trace | None) -> None:
        """A new trace; the step index is kept when the timeline has the same shape, else reset."""
        old = _signature(self.steps)
        self.trace = trace
        self.steps = build_steps(trace) if trace is not None else []
        if _signature(self.steps) != old:
            self.index = 0
            if self.selection is not None and trace is not None and not self._selection_fits(trace):
                self.selection = None
        self.index = min(self.index, max(0, self.count - 1))
        self.show(animate=False)

    def _selection_fits(self, trace: Trace) -> bool:
        sizes = [trace.x.shape[0]] + [lt.n_out for lt in trace.layers]
        sel = self.selection
        if len(sel) == 2:
            return 0 <= sel[0] < len(sizes) and 0 <= sel[1] < sizes[sel[0]]
        return 1 <= sel[0] < len(sizes) and sel[1] < sizes[sel[0]] and sel[2] < sizes[sel[0] - 1]

    def go(self, index: int, animate: bool = False) -> None:
        if not self.steps:
            return
        self.index = max(0, min(int(index), self.count - 1))
        self.show(animate)

    def forward(self, animate: bool = True) -> bool:
        """One step on (with its transition); False at the end."""
        if self.index >= self.count - 1:
            return False
        self.go(self.index + 1, animate)
        return True

    def back(self) -> bool:
        if self.index <= 0:
            return False
        self.go(self.index - 1, animate=False)
        return True

    def show(self, animate: bool = False) -> None:
        """Put the current step on the scene (nothing when inactive)."""
        if not self.active or self.view is None:
            return
        step = self.step
        if step is None or self.trace is None:
            self.view.clear_override()
            return
        self.view.items.skip_animation()
        k = self.edge_k if self.edge_k is not None else self.view.model.k
        step.show(self.view, self.trace, animate=animate, k=k, duration_ms=self.duration_ms)

    def set_active(self, on: bool) -> None:
        """Active: the scene shows the current step; inactive: the scene goes back to its own view."""
        if on == self.active:
            return
        self.active = on
        if on:
            self.show(animate=False)
        elif self.view is not None:
            self.view.items.skip_animation()
            self.view.clear_override()
