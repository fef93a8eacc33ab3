"""Unsaved work is offered for saving before it is lost, as desktop apps do: Save / Discard / Cancel.

    if win.ok_to_lose_work("Opening another model"):   # asks only when the model is modified
        ...

Asked before open, open shipped model, fresh weights, a new architecture, closing the window and Ctrl+Q;
never for a quit by signal (SIGTERM, SIGINT, SIGHUP) or a window destroyed by another program, which
must end at once (gui/app/quitting.py).
"""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

SAVE, DISCARD, CANCEL = "save", "discard", "cancel"


def ask(parent: QWidget | None, action: str, what: str) -> str:
    """The question (modal): SAVE, DISCARD or CANCEL. Save is the default button, Esc cancels."""
    box = QMessageBox(QMessageBox.Icon.Question, "nnviz: save the model?",
                      f"The model has changes that are not saved: {what}.", QMessageBox.StandardButton.NoButton,
                      parent)
    box.setObjectName("unsavedQuestion")
    box.setInformativeText(f"{action} discards them. Save them first?")
    save = box.addButton("&Save…", QMessageBox.ButtonRole.AcceptRole)
    save.setObjectName("saveButton")
    discard = box.addButton("&Discard", QMessageBox.ButtonRole.DestructiveRole)
    discard.setObjectName("discardButton")
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(save)
    box.setEscapeButton(cancel)
    box.exec()
    clicked = box.clickedButton()
    return SAVE if clicked is save else DISCARD if clicked is discard else CANCEL
