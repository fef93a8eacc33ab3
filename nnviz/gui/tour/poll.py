"""One of the lecture's polls as a predict-then-reveal question: click an option, see the verdict and why.

The right answer is computed from the live views when the student answers (stage.ANSWERS), never
typed into the step file: the verdict shows the number the app counted on the network on screen.
Test hooks: objectName "lecturePoll"; Qt properties `answeredCorrectly` (bool) and `answered` (bool).
"""

from __future__ import annotations

from PySide6.QtCore import Property, Signal
from PySide6.QtWidgets import QButtonGroup, QGroupBox, QLabel, QPushButton, QVBoxLayout, QWidget

from nnviz.gui.tour import actions
from nnviz.gui.tour.script import Poll, TourError
from nnviz.gui.tour.stage import Stage

RIGHT, WRONG = "#7fe07f", "#ff9f6b"


def describe(value) -> str:
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, frozenset):
        return " and ".join(sorted(value, key=lambda s: (s == "x", s))) or "nothing"
    return str(value)


class PollWidget(QGroupBox):
    """Asks `poll`; `answer_with(i)` is what a click on option i does. Emits `answered(correct)`."""

    answeredChanged = Signal(bool)

    def __init__(self, poll: Poll, stage: Stage, parent: QWidget | None = None) -> None:
        super().__init__("Poll: what do you think?", parent)
        self.setObjectName("lecturePoll")
        self.poll, self.stage = poll, stage
        self._correct: bool | None = None
        self.right_value = None
        lay = QVBoxLayout(self)
        question = QLabel(poll.question)
        question.setWordWrap(True)
        question.setObjectName("pollQuestion")
        lay.addWidget(question)
        self.group = QButtonGroup(self)
        self.buttons: list[QPushButton] = []
        for i, text in enumerate(poll.options):
            b = QPushButton(text, objectName=f"pollOption{i}", checkable=True)
            b.setToolTip("Answer with this option; the app then shows why, on the live views")
            self.group.addButton(b, i)
            self.buttons.append(b)
            lay.addWidget(b)
        self.group.idClicked.connect(self.answer_with)
        self.verdict = QLabel("Pick an answer before you look it up.", objectName="pollVerdict")
        self.verdict.setWordWrap(True)
        lay.addWidget(self.verdict)

    def answer_with(self, index: int) -> bool:
        """Check option `index` against the answer computed now from the views; show the verdict."""
        self.buttons[index].setChecked(True)
        try:
            self.right_value = self.stage.answer(self.poll.answer)
        except TourError as exc:  # the view no longer shows what the poll asks about: say so, answer later
            self.verdict.setText(f"<span style='color:{WRONG}'>Cannot count it on the view: {exc}.</span>")
            return False
        self._correct = actions.is_right(self.poll.options[index], self.right_value)
        right_text = next((o for o in self.poll.options if actions.is_right(o, self.right_value)),
                          describe(self.right_value))
        head = (f"<b style='color:{RIGHT}'>Right!</b>" if self._correct
                else f"<b style='color:{WRONG}'>Not quite.</b> The answer is <b>{right_text}</b>.")
        counted = f" The app counted <b>{describe(self.right_value)}</b> on the view shown." \
            if isinstance(self.right_value, int) else ""
        self.verdict.setText(f"{head}{counted} {self.poll.why}")
        self.answeredChanged.emit(self._correct)
        return self._correct

    def _get_correct(self) -> bool:
        return bool(self._correct)

    def _get_answered(self) -> bool:
        return self._correct is not None

    answeredCorrectly = Property(bool, _get_correct, notify=answeredChanged)
    answered = Property(bool, _get_answered, notify=answeredChanged)
