"""InspectorPanel: the backprop inspector (issue 6), driving the network scene step by step.

InspectorPanel(state, network_view): the walk (timeline + formula panel + step controls), the target
and loss choice, apply/repeat/undo an update, a gradient check, the per-layer gradient sizes, and the
scalar chain. It reads core traces and does no maths of its own. While training runs it is disabled
and leaves the scene to its live view; it resumes when training stops or pauses.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSplitter, QTabWidget, QVBoxLayout, QWidget

from nnviz.gui.inspector.controls import LossChoice, StepControls, TargetButtons
from nnviz.gui.inspector.formula_panel import FormulaPanel
from nnviz.gui.inspector.grad_norms import GradNormBars, GradNormPlot, trace_grad_norms
from nnviz.gui.inspector.gradcheck_box import GradCheckBox
from nnviz.gui.inspector.losschoice import LossTwins
from nnviz.gui.inspector.scalar_chain import ScalarChainPanel
from nnviz.gui.inspector.timeline_list import TimelineList
from nnviz.gui.inspector.update_box import UpdateBox
from nnviz.gui.inspector.walk import Walk
from nnviz.gui.look import themes
from nnviz.gui.state import AppState


class InspectorPanel(QWidget):
    """The composite inspector. Public: walk, go/step_forward/step_back/first/last, add_grad_norms."""

    def __init__(self, state: AppState, network_view, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("backpropInspector")
        self.setToolTip("Backprop inspector: step through one example's forward and backward pass")
        self.state, self.view = state, network_view
        self.twins = LossTwins()
        self.walk = Walk(network_view)
        self._was_busy = False
        self._build()
        self._connect()
        self._shortcuts()
        self.walk.active = False  # becomes active when shown
        self._on_trace(state.trace)
        self._on_target(-1)
        self._on_run()

    # --- layout ----------------------------------------------------------------------------------
    def _build(self) -> None:
        self.controls = StepControls()
        self.timeline = TimelineList()
        self.formula = FormulaPanel()
        self.targets = TargetButtons()
        self.targets.set_count(self.state.network.sizes[-1])
        self.loss_choice = LossChoice()
        self.loss_choice.set_loss(self.state.network.arch.loss)
        self.update_box = UpdateBox(self.state, self.twins, lambda: self.loss_choice.loss)
        self.gradcheck = GradCheckBox(self.state, self.gradcheck_focus, lambda: self.loss_choice.loss)
        self.norm_bars = GradNormBars()
        self.norm_plot = GradNormPlot()
        self.banner = QLabel("Training is running: the inspector waits until it is paused.")
        self.banner.setObjectName("inspectorBanner")
        self.banner.setStyleSheet(f"color: {themes.current().phase['warn']}; font-weight: bold;")
        self.banner.setWordWrap(True)
        self.banner.hide()
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.timeline)
        split.addWidget(self.formula)
        split.setStretchFactor(1, 3)
        split.setSizes([115, 485])  # the formulas get the room: they must not be cut mid-line
        choice = QHBoxLayout()  # the loss J, and why the backward pass aims at its target y
        choice.addWidget(QLabel("loss J:"))
        choice.addWidget(self.loss_choice)
        choice.addWidget(self.targets.reason, 1)
        sizes = QWidget()
        sizes_lay = QVBoxLayout(sizes)
        sizes_lay.setContentsMargins(0, 0, 0, 0)
        sizes_lay.addWidget(self.norm_bars)
        sizes_lay.addWidget(self.norm_plot, 1)
        self.tools = QTabWidget()
        self.tools.setObjectName("inspectorTools")
        self.tools.addTab(self.update_box, "Update")
        self.tools.addTab(self.gradcheck, "Gradient check")
        self.tools.addTab(sizes, "Gradient sizes")
        walk_page = QWidget()
        lay = QVBoxLayout(walk_page)
        lay.addWidget(self.banner)
        lay.addWidget(self.controls)
        lay.addWidget(split, 5)
        lay.addWidget(self.targets)
        lay.addLayout(choice)
        lay.addWidget(self.tools, 2)
        self.chain = ScalarChainPanel()
        self.tabs = QTabWidget()
        self.tabs.setObjectName("inspectorTabs")
        self.tabs.addTab(walk_page, "Backprop on the network")
        self.tabs.addTab(self.chain, "Scalar chain (warm-up)")
        self.tabs.setTabToolTip(1, "The lecture's width-1, depth-5 network: every partial derivative, one by one")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(4, 4, 4, 4)
        outer.addWidget(self.tabs)
        self.walk_page = walk_page

    def _connect(self) -> None:
        st = self.state
        st.traceChanged.connect(self._on_trace)
        st.targetChanged.connect(self._on_target)
        st.runChanged.connect(lambda _status: self._on_run())
        st.networkChanged.connect(self._on_network)
        self.controls.first.connect(self.first)
        self.controls.back.connect(self.step_back)
        self.controls.forward.connect(self.step_forward)
        self.controls.last.connect(self.last)
        self.controls.tick.connect(self._play_tick)
        self.timeline.stepChosen.connect(lambda i: self.go(i))
        self.targets.targetChosen.connect(st.set_target)
        self.loss_choice.lossChanged.connect(lambda _: self._on_trace(st.trace))
        self.update_box.lr.valueChanged.connect(lambda _: self._refresh_formula())
        self.tabs.currentChanged.connect(lambda _: self._sync_active())
        if self.view is not None:
            self.view.neuronClicked.connect(self.select_neuron)
            self.view.edgeClicked.connect(self.select_edge)
            self.view.selectionCleared.connect(lambda: self.select_neuron(-1, -1))

    def _shortcuts(self) -> None:
        ctx = Qt.ShortcutContext.WidgetWithChildrenShortcut
        for key, slot in ((Qt.Key.Key_Right, self.step_forward), (Qt.Key.Key_Left, self.step_back),
                          (Qt.Key.Key_Home, self.first), (Qt.Key.Key_End, self.last),
                          (Qt.Key.Key_Space, self.controls.toggle_play)):
            sc = QShortcut(QKeySequence(key), self.walk_page)
            sc.setContext(ctx)
            sc.activated.connect(slot)

    # --- the walk --------------------------------------------------------------------------------
    def go(self, index: int, animate: bool = False) -> None:
        self.walk.go(index, animate)
        self._refresh()

    @Slot()
    def step_forward(self) -> bool:
        moved = self.walk.forward(animate=True)
        self._refresh()
        return moved

    @Slot()
    def step_back(self) -> bool:
        moved = self.walk.back()
        self._refresh()
        return moved

    @Slot()
    def first(self) -> None:
        self.go(0)

    @Slot()
    def last(self) -> None:
        self.go(self.walk.count - 1)

    def _play_tick(self) -> None:
        self.walk.duration_ms = int(min(300, 800 / self.controls.steps_per_second))
        if not self.step_forward():
            self.controls.set_playing(False)

    @Slot(int, int)
    def select_neuron(self, layer: int, index: int) -> None:
        self.walk.selection = None if layer < 0 else (int(layer), int(index))
        self._refresh_formula()

    @Slot(int, int, int)
    def select_edge(self, l: int, j: int, i: int) -> None:
        self.walk.selection = (int(l), int(j), int(i))
        self._refresh_formula()

    def gradcheck_focus(self) -> tuple[int, ...] | None:
        """The parameter to check: the selected edge (weight) or neuron (bias), else the formula's focus."""
        sel = self.walk.selection
        if sel is not None and sel[0] >= 1:
            return sel
        numbers = self.formula.numbers
        if numbers is not None and numbers.focus[0] >= 1:
            return numbers.focus
        return None

    @Slot(int, tuple)
    def add_grad_norms(self, samples: int, norms: tuple) -> None:
        """From the training worker's BatchDone: (examples seen, ‖dJ/dW_l‖ for l = 1..L)."""
        self.norm_plot.add(samples, tuple(norms))

    @property
    def busy(self) -> bool:
        """Training is running (not paused): the inspector waits."""
        return self.state.busy

    # --- reacting to the state ------------------------------------------------------------------
    def _inspected_trace(self, trace):
        st = self.state
        if trace is None or st.x is None or self.loss_choice.loss == st.network.arch.loss:
            return trace
        return self.twins.trace(st.network, st.x, trace.target, self.loss_choice.loss)

    def _on_trace(self, trace) -> None:
        if self.busy:
            return
        self.walk.set_trace(self._inspected_trace(trace))
        self.norm_bars.set_norms(trace_grad_norms(self.walk.trace))
        self._refresh()

    def _on_target(self, _target: int) -> None:
        self.targets.set_target(self.state.target, self.state.label, self.state.target_reason)

    def _on_network(self) -> None:
        """A new network: the trace that follows (traceChanged) rebuilds the walk; the old network's
        gradient-size history goes."""
        self.walk.selection = None
        self.norm_plot.clear_run()
        self.targets.set_count(self.state.network.sizes[-1])
        self.loss_choice.blockSignals(True)
        self.loss_choice.set_loss(self.state.network.arch.loss)
        self.loss_choice.blockSignals(False)

    def _on_run(self) -> None:
        """While a run is paused the walk works on the latest weights; updates stay off while any run
        exists (the run would overwrite them on resume)."""
        running, busy = self.state.training, self.busy
        self.banner.setVisible(busy)
        for w in (self.controls, self.timeline, self.targets, self.loss_choice, self.tools):
            w.setEnabled(not busy)
        self.update_box.setEnabled(not running)
        self.update_box.setToolTip("Pause-time updates would be overwritten by the training run: stop it first"
                                   if running else "")
        if busy:
            self.controls.set_playing(False)
            self.update_box.timer.stop()
            self.walk.set_active(False)
        elif self._was_busy:  # the traces that came while it ran were skipped: show the latest
            self._on_trace(self.state.trace)
        if not busy:
            self._sync_active()
        # (Only then: runChanged also comes while a new network is set up, before the scene has heard
        # networkChanged; the new trace pushed into the old scene raised ValueError. The monkey found it.)
        self._was_busy = busy

    def _sync_active(self) -> None:
        on = self.isVisible() and not self.busy and self.tabs.currentWidget() is self.walk_page
        self.walk.set_active(on)
        self._mark_focus()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._sync_active()

    def hideEvent(self, event) -> None:
        super().hideEvent(event)
        self.walk.set_active(False)

    def _refresh(self) -> None:
        w = self.walk
        titles = [s.title for s in w.steps]
        if titles != getattr(self, "_timeline_titles", None):
            self._timeline_titles = titles
            self.timeline.set_steps(w.steps)
        self.timeline.set_current(w.index)
        step = w.step
        self.controls.set_position(w.index, w.count, step.phase if step else "")
        self._refresh_formula()

    def _refresh_formula(self) -> None:
        w = self.walk
        self.formula.show_step(w.step, w.trace, w.selection, self.update_box.lr.value(), w.index, w.count)
        self._mark_focus()

    def _mark_focus(self) -> None:
        """Mark the neuron or edge the formula's numbers are about on the scene (a dashed ring/line)."""
        if not self.walk.active or self.view is None:
            return
        numbers = self.formula.numbers
        focus = numbers.focus if numbers is not None else None
        if focus is not None and len(focus) == 3:
            self.view.model.set_focus_edge(*focus)
        else:
            self.view.model.set_focus(*(focus or (None,)))
