"""The labs' push buttons: a name tests and the tour can find, a tooltip, a slot."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QPushButton


def button(text: str, name: str, tip: str, slot: Callable) -> QPushButton:
    b = QPushButton(text)
    b.setObjectName(name)
    b.setToolTip(tip)
    b.clicked.connect(slot)
    return b
