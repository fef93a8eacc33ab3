"""The loss menus show core.losses' names and formulas (one copy of each formula, in core)."""

from __future__ import annotations

from PySide6.QtCore import Qt

from nnviz.core import losses
from nnviz.gui.inspector.controls import LossChoice
from nnviz.gui.training.panel import TrainPanel


def test_inspector_and_training_panel_offer_cores_losses(qtbot):
    choice = LossChoice()
    qtbot.addWidget(choice)
    items = [(choice.itemData(i), choice.itemText(i), choice.itemData(i, Qt.ItemDataRole.ToolTipRole))
             for i in range(choice.count())]
    assert items == [("cross_entropy", "cross-entropy", "J = −Σ y log ŷ"),
                     ("squared_error", "squared error", "J = ½ Σ (ŷ − y)²")]
    assert all(losses.get(key).formula == tip and losses.get(key).label == text for key, text, tip in items)
    panel = TrainPanel()
    qtbot.addWidget(panel)
    combo = panel.loss_combo
    assert [(combo.itemData(i), combo.itemText(i)) for i in range(combo.count())] == [k[:2] for k in items]
