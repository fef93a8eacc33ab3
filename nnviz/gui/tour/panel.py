"""The lecture tour panel: one step at a time, with the app set up to show it.

    tour = TourPanel(stage)           # stage: what the tour may do in the app (stage.py)
    tour.go(0); tour.next(); tour.back()

Each step's text is Markdown from a data file (script.py); its header's actions open the right tab,
lab, panel or inspector step (actions.py) and frame the control to use (highlight.py); its poll is
asked in place (poll.py). The step the user reached is remembered (QSettings "tour/step").
Test hooks: objectName "lectureTour"; Qt properties stepCount, stepIndex, stepTitle.
"""

from __future__ import annotations

from PySide6.QtCore import Property, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from nnviz.gui import settings
from nnviz.gui.tour import actions
from nnviz.gui.tour.highlight import Highlight
from nnviz.gui.tour.poll import PollWidget
from nnviz.gui.tour.script import Step, TourError, load_steps
from nnviz.gui.tour.stage import Stage

SETTINGS_KEY = "tour/step"


class TourPanel(QWidget):
    stepChanged = Signal(int)

    def __init__(self, stage: Stage, steps: list[Step] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lectureTour")
        self.stage = stage
        self.steps = steps if steps is not None else load_steps()
        self._index = -1
        self.last_error: str | None = None
        self.poll: PollWidget | None = None
        self.highlight = Highlight(stage.window)
        self.covers: list[Highlight] = []  # over the poll's answer until the student has answered
        self._build()

    def _build(self) -> None:
        self.jump = QComboBox(objectName="tourSteps")
        self.jump.setToolTip("Jump to any step of the lecture")
        # as narrow as the panel: a long step title must not widen the tour (it is elided in the box)
        self.jump.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.jump.setMinimumContentsLength(12)
        for i, step in enumerate(self.steps):
            self.jump.addItem(f"{i + 1}. {step.title}")
        self.jump.activated.connect(self.go)
        self.heading = QLabel(objectName="tourHeading")
        self.heading.setWordWrap(True)
        self._size_heading()
        self.text = QTextBrowser(objectName="tourText")
        self.text.setOpenExternalLinks(True)
        self.error = QLabel(objectName="tourError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #ff9f6b;")
        self.error.hide()
        self.note = QLabel(objectName="tourNote")  # a passing remark (presenter mode's Space)
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: palette(placeholder-text);")
        self.note.hide()
        self.offer_3d = QPushButton("See it in 3-D, as on the slides", objectName="tourOffer3d")
        self.offer_3d.setToolTip("The Network view in 3-D (Harley's view from the lecture): layers as planes of "
                                 "squares; drag to turn it")
        self.offer_3d.clicked.connect(self.stage.show_3d)
        self.offer_3d.hide()
        self.poll_holder = QVBoxLayout()
        self.back_button = QPushButton("◀ Back", objectName="tourBack")
        self.back_button.setToolTip("The previous step (PageUp in presenter mode)")
        self.next_button = QPushButton("Next ▶", objectName="tourNext")
        self.next_button.setToolTip("The next step (PageDown or Space in presenter mode)")
        self.back_button.clicked.connect(self.back)
        self.next_button.clicked.connect(self.next)
        buttons = QHBoxLayout()
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        buttons.addWidget(self.next_button)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 6, 6, 6)
        lay.addWidget(self.jump)
        lay.addWidget(self.heading)
        lay.addWidget(self.text, 1)
        lay.addWidget(self.offer_3d)
        lay.addLayout(self.poll_holder)
        lay.addWidget(self.error)
        lay.addWidget(self.note)
        lay.addLayout(buttons)

    HEADING_SCALE = 1.45  # the step's title, relative to the text's font (presenter mode enlarges both)

    def _size_heading(self) -> None:
        font = QFont(self.font())
        font.setPointSizeF(self.font().pointSizeF() * self.HEADING_SCALE)
        font.setBold(True)
        self.heading.setFont(font)

    # --- moving -------------------------------------------------------------------------------------
    def go(self, index: int) -> None:
        """Show step `index` and set the app up for it; an error in a step file is shown, not raised."""
        if not self.steps:
            return
        self._index = max(0, min(int(index), len(self.steps) - 1))
        step = self.steps[self._index]
        self.jump.setCurrentIndex(self._index)
        self.heading.setText(f"Step {self._index + 1} of {len(self.steps)}: {step.title}")
        self.text.setMarkdown(step.text)
        self._show_poll(step)
        self.offer_3d.setVisible(bool(step.actions.get("offer_3d")))
        self.last_error = None
        try:
            actions.apply(self.stage, step.actions)
        except TourError as exc:
            self.last_error = f"{step.name}: {exc}"
        self.error.setText(self.last_error or "")
        self.error.setVisible(self.last_error is not None)
        self.note.hide()
        self._frame(step.actions.get("highlight"))
        self._cover(step)
        self.back_button.setEnabled(self._index > 0)
        self.next_button.setEnabled(self._index < len(self.steps) - 1)
        settings.set_value(SETTINGS_KEY, self._index)
        self.stepChanged.emit(self._index)

    def notice(self, text: str) -> None:
        """Say something in passing under the step (until the next step)."""
        self.note.setText(text)
        self.note.setVisible(bool(text))

    def next(self) -> None:
        if self._index < len(self.steps) - 1:
            self.go(self._index + 1)

    def back(self) -> None:
        if self._index > 0:
            self.go(self._index - 1)

    def resume(self) -> None:
        """Go to the step the user left off at (the first one the first time)."""
        try:
            saved = int(settings.settings().value(SETTINGS_KEY, 0))
        except (TypeError, ValueError):
            saved = 0
        self.go(saved if 0 <= saved < len(self.steps) else 0)

    def _show_poll(self, step: Step) -> None:
        if self.poll is not None:
            self.poll.setParent(None)
            self.poll.deleteLater()
            self.poll = None
        if step.poll is not None:
            self.poll = PollWidget(step.poll, self.stage)
            self.poll_holder.addWidget(self.poll)

    def _cover(self, step: Step) -> None:
        """Cover what shows the poll's answer (the step's highlighted control and the poll's `covers`) until
        the poll is answered; then the count is there to see, on the live view."""
        self._uncover()
        if step.poll is None:
            return
        names = ([step.actions["highlight"]] if "highlight" in step.actions else []) + list(step.poll.covers)
        for name in names:
            target = self.stage.control(name)
            if target is not None:
                cover = Highlight(self.stage.window, covering=True)
                cover.frame(target)
                self.covers.append(cover)
        if self.poll is not None:
            self.poll.answeredChanged.connect(lambda _right: self._uncover())

    def _uncover(self) -> None:
        for cover in self.covers:
            cover.frame(None)
            cover.deleteLater()
        self.covers = []

    def _frame(self, name: str | None) -> None:
        target = self.stage.control(name) if name else None
        self.highlight.frame(target)

    def hideEvent(self, event) -> None:
        self.highlight.frame(None)
        self._uncover()
        super().hideEvent(event)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if 0 <= self._index < len(self.steps):
            self._frame(self.steps[self._index].actions.get("highlight"))
            if self.poll is not None and not self.poll.property("answered"):
                self._cover(self.steps[self._index])

    # --- test hooks ---------------------------------------------------------------------------------
    def _count(self) -> int:
        return len(self.steps)

    def _get_index(self) -> int:
        return self._index

    def _title(self) -> str:
        return self.steps[self._index].title if 0 <= self._index < len(self.steps) else ""

    stepCount = Property(int, _count, constant=True)
    stepIndex = Property(int, _get_index, notify=stepChanged)
    stepTitle = Property(str, _title, notify=stepChanged)

    @property
    def step(self) -> Step | None:
        return self.steps[self._index] if 0 <= self._index < len(self.steps) else None

    def sizeHint(self):
        hint = super().sizeHint()
        hint.setWidth(360)
        return hint


