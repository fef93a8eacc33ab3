"""Parameter counter: type an architecture, see n_in·n_out + n_out per layer, per neuron and in total.

Quiz mode asks the lecture's polls and reveals each answer with its formula. Counting is
nnviz.core.toy.count_parameters; this view only shows it.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from nnviz.core import toy
from nnviz.core.sizes import parse_sizes
from nnviz.gui.labs.params.diagram import ParamDiagram
from nnviz.gui.look import themes
from nnviz.gui.look.axes import plain_ticks
from nnviz.gui.widgets.flow_layout import FlowLayout, group

PRESETS = ("784-10", "784-300-100-10", "1-2-1", "2-4-4-2")
BAR_COLOR = (80, 220, 255)


@dataclass(frozen=True)
class Poll:
    question: str
    sizes: tuple[int, ...]
    layer: int | None  # None: the whole network; else one neuron of this 1-based layer

    def answer(self) -> int:
        counts = toy.count_parameters(self.sizes)
        return toy.total_parameters(self.sizes) if self.layer is None else counts[self.layer - 1].per_neuron

    def formula(self) -> str:
        counts = toy.count_parameters(self.sizes)
        if self.layer is not None:
            c = counts[self.layer - 1]
            return f"{c.n_in} weights (one per input) + 1 bias = {c.per_neuron:,}"
        parts = " + ".join(f"({c.n_in}·{c.n_out} + {c.n_out})" for c in counts)
        return f"Σ (n_in·n_out + n_out) = {parts} = {self.answer():,}"


POLLS = (
    Poll("Logistic regression on MNIST (784 inputs → 10 outputs): how many parameters?", (784, 10), None),
    Poll("In 784-300-100-10, how many parameters does ONE output neuron have?", (784, 300, 100, 10), 3),
    Poll("In 784-300-100-10, how many parameters does ONE neuron of the first hidden layer have?",
         (784, 300, 100, 10), 1),
    Poll("How many parameters does the whole 784-300-100-10 network have?", (784, 300, 100, 10), None),
)


class ParamCounterLab(QWidget):
    """objectName "paramCounter". `set_architecture(text)`; `total` (int or None); quiz via `reveal()`."""

    totalChanged = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("paramCounter")
        self.total: int | None = None
        self.poll_index = 0
        self.highlight_layer: int | None = None
        row = QHBoxLayout(self)
        row.addLayout(self._counter(), 3)
        right = QVBoxLayout()
        right.addWidget(self._quiz(), 1)
        right.addWidget(self._bars(), 1)
        row.addLayout(right, 2)
        self.set_architecture("784-300-100-10")
        self.show_poll(0)

    # --- counter ----------------------------------------------------------------------------
    def _counter(self) -> QVBoxLayout:
        col = QVBoxLayout()
        intro = QLabel("<b>Count the parameters.</b> A dense layer from n_in to n_out neurons has "
                       "<b>n_in·n_out</b> weights and <b>n_out</b> biases; each of its neurons has n_in + 1.")
        intro.setWordWrap(True)
        col.addWidget(intro)
        entry = FlowLayout()  # wraps beside the lecture tour
        self.entry = QLineEdit()
        self.entry.setMinimumWidth(160)
        self.entry.setObjectName("archInput")
        self.entry.setPlaceholderText("layer sizes, e.g. 784-300-100-10")
        self.entry.setToolTip("Layer sizes from input to output, separated by '-' (or spaces, commas)")
        self.entry.textChanged.connect(self.set_architecture)
        entry.addWidget(group("Architecture:", self.entry))
        for text in PRESETS:
            b = QPushButton(text)
            b.setObjectName(f"preset_{text}")
            b.setToolTip(f"Count {text}")
            b.clicked.connect(lambda _=False, t=text: self.entry.setText(t))
            entry.addWidget(b)
        col.addLayout(entry)
        self.total_label = QLabel()  # the answer (or the entry's error) right under the entry, never below the fold
        self.total_label.setObjectName("paramTotal")
        self.total_label.setWordWrap(True)
        col.addWidget(self.total_label)
        self.diagram = ParamDiagram()
        col.addWidget(self.diagram, 3)
        self.table = QTableWidget(0, 5)
        self.table.setObjectName("paramTable")
        self.table.setHorizontalHeaderLabels(["layer", "n_in → n_out", "n_in·n_out + n_out", "parameters",
                                              "per neuron"])
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setToolTip("One row per dense layer")
        self.table.setMaximumHeight(170)
        col.addWidget(self.table, 1)
        return col

    def _bars(self) -> pg.PlotWidget:
        self.bars = pg.PlotWidget(background=themes.current().background)
        plain_ticks(self.bars)
        self.bars.setObjectName("paramBars")
        self.bars.setTitle("Where the parameters are: bar height = parameters in that layer",
                           color=themes.current().text.name(), size="10pt")
        self.bars.setLabel("left", "parameters")
        self.bars.getAxis("left").enableAutoSIPrefix(False)
        self.bars.setMouseEnabled(False, False)
        self.bars.setMinimumHeight(200)
        return self.bars

    def set_architecture(self, text: str) -> None:
        """Parse and count; on a malformed entry say what is wrong instead of a table."""
        if self.entry.text() != text:
            self.entry.setText(text)  # comes back here through textChanged
            return
        try:
            sizes = parse_sizes(text, at_least=2)
        except ValueError as exc:
            self.total = None
            self.table.setRowCount(0)
            self.bars.clear()
            self.diagram.set_sizes(())
            self.total_label.setText(f"<span style='color:#ff8080'>{exc}</span>")
            return
        counts = toy.count_parameters(sizes)
        self.table.setRowCount(len(counts))
        for r, c in enumerate(counts):
            cells = (f"{c.layer}", f"{c.n_in:,} → {c.n_out:,}", f"{c.n_in:,}·{c.n_out:,} + {c.n_out:,}",
                     f"{c.params:,}", f"{c.n_in:,} + 1 = {c.per_neuron:,}")
            for col, text_ in enumerate(cells):
                item = QTableWidgetItem(text_)
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.table.setItem(r, col, item)
        self.total = toy.total_parameters(sizes)
        self.diagram.set_sizes(sizes, self.highlight_layer)
        self.highlight_layer = None
        terms = " + ".join(f"{c.params:,}" for c in counts)
        self.total_label.setText(f"<span style='font-size:14pt'>Total: <b>{self.total:,}</b></span>"
                                 f"{' = ' + terms if len(counts) > 1 else ''}")
        self._draw_bars(counts)
        self.totalChanged.emit(self.total)

    def _draw_bars(self, counts: list[toy.LayerCount]) -> None:
        self.bars.clear()
        xs = list(range(1, len(counts) + 1))
        self.bars.addItem(pg.BarGraphItem(x=xs, height=[c.params for c in counts], width=0.6, brush=BAR_COLOR))
        ticks = [(x, f"layer {c.layer}: {c.n_in}→{c.n_out}") for x, c in zip(xs, counts)]
        self.bars.getAxis("bottom").setTicks([ticks])
        self.bars.setXRange(0.4, len(counts) + 0.6)

    # --- quiz -------------------------------------------------------------------------------
    def _quiz(self) -> QGroupBox:
        box = QGroupBox("Quiz: the lecture's polls")
        box.setObjectName("paramQuiz")
        col = QVBoxLayout(box)
        self.question = QLabel()
        self.question.setObjectName("quizQuestion")
        self.question.setWordWrap(True)
        self.guess = QLineEdit()
        self.guess.setObjectName("quizGuess")
        self.guess.setPlaceholderText("your answer")
        self.guess.setToolTip("Type a number and press Enter (or Check)")
        self.guess.returnPressed.connect(self.check)
        self.answer = QLabel()
        self.answer.setObjectName("quizAnswer")
        self.answer.setWordWrap(True)
        self.answer.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons = FlowLayout()
        for text, name, slot in (("Check", "quizCheck", self.check), ("Reveal", "quizReveal", self.reveal),
                                 ("◀ Previous", "quizPrev", lambda: self.show_poll(self.poll_index - 1)),
                                 ("Next ▶", "quizNext", lambda: self.show_poll(self.poll_index + 1))):
            b = QPushButton(text)
            b.setObjectName(name)
            b.setToolTip(text)
            b.clicked.connect(slot)
            buttons.addWidget(b)
        for w in (self.question, self.guess):
            col.addWidget(w)
        col.addLayout(buttons)
        col.addWidget(self.answer)
        col.addStretch(1)
        return box

    def show_poll(self, index: int) -> None:
        self.poll_index = index % len(POLLS)
        self.question.setText(f"<b>Poll {self.poll_index + 1} of {len(POLLS)}.</b> {POLLS[self.poll_index].question}")
        self.guess.clear()
        self.answer.setText("")

    def check(self) -> None:
        poll = POLLS[self.poll_index]
        try:
            guess = int(self.guess.text().replace(",", "").replace(" ", ""))
        except ValueError:
            self.answer.setText("Type a whole number.")
            return
        if guess == poll.answer():
            self.answer.setText(f"<span style='color:#7fe07f'>Right!</span> {poll.formula()}")
        else:
            self.answer.setText("<span style='color:#ff9060'>Not quite</span>: try again, or Reveal.")

    def reveal(self) -> None:
        """Show the answer with its formula, and count that network in the table."""
        poll = POLLS[self.poll_index]
        self.answer.setText(f"<span style='font-size:16pt'>Answer: <b>{poll.answer():,}</b></span><br>{poll.formula()}")
        self.highlight_layer = poll.layer
        self.set_architecture("-".join(str(n) for n in poll.sizes))
