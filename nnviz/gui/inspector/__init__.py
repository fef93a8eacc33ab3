"""The backprop inspector (issue 6): InspectorPanel(state, network_view) and its parts."""

from .inspector_panel import InspectorPanel
from .scalar_chain import ScalarChainPanel

__all__ = ["InspectorPanel", "ScalarChainPanel"]
