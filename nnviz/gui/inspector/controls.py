"""Controls of the walk: step navigation with play/pause and speed, target class buttons, loss choice.

The widgets only emit signals; InspectorPanel moves the walk and calls core.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QButtonGroup, QComboBox, QHBoxLayout, QLabel, QPushButton, QSlider, QWidget

from nnviz.core import losses

SPEEDS = (0.5, 1.0, 2.0, 4.0, 8.0)  # steps per second for play


def _button(text: str, name: str, tip: str, checkable: bool = False) -> QPushButton:
    b = QPushButton(text)
    b.setObjectName(name)
    b.setToolTip(tip)
    b.setCheckable(checkable)
    b.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keep arrows and space for the shortcuts
    b.setMinimumWidth(28)
    return b


class StepControls(QWidget):
    """⏮ ◀ ▶/⏸ ▶ ⏭ and a speed slider. `tick` fires while playing, once per step period."""

    first = Signal()
    back = Signal()
    forward = Signal()
    last = Signal()
    tick = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("stepControls")
        self.first_button = _button("|◀", "stepFirst", "Jump to the first step (Home)")
        self.back_button = _button("◀", "stepBack", "Step back (←): shows exactly what the previous step showed")
        self.play_button = _button("play", "stepPlay", "Play / pause the walk (space)", checkable=True)
        self.forward_button = _button("▶", "stepForward", "Step forward (→), with the animated transition")
        self.last_button = _button("▶|", "stepLast", "Jump to the last step (End)")
        self.speed = QSlider(Qt.Orientation.Horizontal)
        self.speed.setObjectName("stepSpeed")
        self.speed.setRange(0, len(SPEEDS) - 1)
        self.speed.setValue(1)
        self.speed.setMaximumWidth(80)
        self.speed.setToolTip("Play speed (steps per second)")
        self.speed.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.speed_label = QLabel()
        self.position = QLabel()
        self.position.setObjectName("stepPosition")
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.tick)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        for w in (self.first_button, self.back_button, self.play_button, self.forward_button, self.last_button):
            lay.addWidget(w)
        lay.addSpacing(4)
        lay.addWidget(self.speed)
        lay.addWidget(self.speed_label)
        lay.addStretch(1)
        lay.addWidget(self.position)
        self.first_button.clicked.connect(self.first)
        self.back_button.clicked.connect(self.back)
        self.forward_button.clicked.connect(self.forward)
        self.last_button.clicked.connect(self.last)
        self.play_button.toggled.connect(self._play_toggled)
        self.speed.valueChanged.connect(self._speed_changed)
        self._speed_changed(self.speed.value())

    @property
    def steps_per_second(self) -> float:
        return SPEEDS[self.speed.value()]

    @property
    def playing(self) -> bool:
        return self.play_button.isChecked()

    def set_playing(self, on: bool) -> None:
        self.play_button.setChecked(on)

    def toggle_play(self) -> None:
        self.play_button.toggle()

    def set_position(self, index: int, count: int, phase: str) -> None:
        self.position.setText(f"{index + 1}/{count} {phase}" if count else "")

    def _play_toggled(self, on: bool) -> None:
        self.play_button.setText("pause" if on else "play")
        if on:
            self.timer.start()
        else:
            self.timer.stop()

    def _speed_changed(self, v: int) -> None:
        self.speed_label.setText(f"{SPEEDS[v]:g}/s")
        self.timer.setInterval(int(1000 / SPEEDS[v]))


class TargetButtons(QWidget):
    """Ten buttons 0-9: the class the backward pass aims at. The true label, when known, is marked ✓."""

    targetChosen = Signal(int)

    def __init__(self, n_classes: int = 10, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("targetButtons")
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        # why this target: the user's choice, or what the default shows (the panel places it)
        self.reason = QLabel("")
        self.reason.setObjectName("targetReason")
        font = self.reason.font()
        font.setPointSizeF(font.pointSizeF() * 0.9)
        self.reason.setFont(font)
        self.reason.setToolTip("Why this target y. It decides the output error ŷ − y that the backward pass "
                               "carries back: where the network is wrong or unsure, the true label; where it "
                               "is sure, the runner-up class (a sure network has ŷ ≈ y: nothing to learn)")
        # the chosen target stands out: filled with the highlight colour, bold
        self.setStyleSheet("QPushButton:checked { background: #e0a030; color: #101010; font-weight: bold; "
                           "border: 2px solid #ffd27a; }")
        lay.addWidget(QLabel("target y:"))
        self.buttons: list[QPushButton] = []
        for k in range(n_classes):
            b = _button(str(k), f"target{k}", f"Aim the backward pass at class {k} (re-runs it)", checkable=True)
            b.setMinimumWidth(26)
            b.setMaximumWidth(34)
            self.group.addButton(b, k)
            lay.addWidget(b)
            self.buttons.append(b)
        lay.addStretch(1)
        self.group.idClicked.connect(self.targetChosen)

    def set_count(self, n_classes: int) -> None:
        """Show one button per output class (up to the ten built)."""
        for k, b in enumerate(self.buttons):
            b.setVisible(k < n_classes)

    def set_target(self, target: int | None, label: int | None = None, reason: str = "") -> None:
        """Show `target` as chosen (no signal), mark the true label and say why this target."""
        self.reason.setText(f"y = {target}: {reason}" if target is not None and reason else "")
        for k, b in enumerate(self.buttons):
            b.blockSignals(True)
            b.setChecked(k == target)
            b.blockSignals(False)
            b.setText(f"{k}✓" if k == label else str(k))
            b.setToolTip(f"Aim the backward pass at class {k}" + (" (the true label)" if k == label else ""))


class LossChoice(QComboBox):
    """Cross-entropy or squared error: which loss the backward pass differentiates."""

    lossChanged = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lossChoice")
        self.setToolTip("The loss J whose gradient is shown; the output error term dJ/dz changes with it")
        for key in losses.CLASSIFIER_LOSSES:
            self.addItem(losses.get(key).label, key)
            self.setItemData(self.count() - 1, losses.get(key).formula, Qt.ItemDataRole.ToolTipRole)
        self.currentIndexChanged.connect(lambda _: self.lossChanged.emit(self.loss))

    @property
    def loss(self) -> str:
        return str(self.currentData())

    def set_loss(self, loss: str) -> None:
        i = self.findData(loss)
        if i >= 0:
            self.setCurrentIndex(i)
