"""Start on a trained model: continue from its weights (fine-tuning, at a rate that keeps it) or fresh weights.

Pressing Start on the shipped model with the form's α = 0.001 for Adam made it worse (99.37% →
99.14%): a lecturer showing "training lowers the loss" showed the opposite. So Start on trained
weights asks first, and fine-tuning uses a rate that keeps the model. Measured on the shipped model, one
epoch at these rates: 99.37% → 99.38% test accuracy with every optimiser.
"""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from nnviz.gui.state import UNTRAINED, AppState

FINE_TUNE_LR = {"adam": 1e-5, "momentum": 1e-3, "sgd": 1e-2}
FINE_TUNE, FRESH, KEEP = "fine-tune", "fresh", "keep"  # (KEEP: the form's α as it is; scripts, tests)


def is_trained(state: AppState) -> bool:
    """The weights were trained (they have a measured test accuracy and are not fresh random ones)."""
    card = state.card
    return isinstance(card.get("test_accuracy"), (int, float)) and card.get("note") != UNTRAINED


def fine_tune_lr(optimizer: str, lr: float) -> float:
    """The form's α, but no more than the rate that keeps a trained model."""
    return min(lr, FINE_TUNE_LR.get(optimizer, lr))


def start_question(state: AppState, optimizer: str, lr: float) -> str:
    acc = 100 * float(state.card["test_accuracy"])
    name = state.path.name if state.path else "this model"
    return (f"{name} is already trained ({acc:.2f}% test accuracy). Start continues training from these weights "
            f"(fine-tuning), at α = {fine_tune_lr(optimizer, lr):g} for {optimizer} so that it does not get "
            f"worse (α = {lr:g} would shake it out of its minimum). Or start again from fresh random weights, "
            f"to watch the loss fall from the beginning.")


def ask_start(parent: QWidget | None, text: str) -> str | None:
    """FINE_TUNE, FRESH, or None (cancelled)."""
    box = QMessageBox(QMessageBox.Icon.Question, "nnviz: train a trained model?", text,
                      QMessageBox.StandardButton.Cancel, parent)
    box.setObjectName("fineTuneDialog")
    tune = box.addButton("Fine-tune these weights", QMessageBox.ButtonRole.AcceptRole)
    fresh = box.addButton("Fresh random weights", QMessageBox.ButtonRole.DestructiveRole)
    box.setDefaultButton(tune)
    box.exec()
    return {tune: FINE_TUNE, fresh: FRESH}.get(box.clickedButton())
