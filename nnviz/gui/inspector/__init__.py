"""The backprop inspector (issue 6): InspectorPanel(state, network_view) and its parts.

Imports are lazy so that `python -m nnviz.gui.inspector.<module>` previews run cleanly.
"""

__all__ = ["InspectorPanel", "ScalarChainPanel"]


def __getattr__(name: str):
    if name == "InspectorPanel":
        from .inspector_panel import InspectorPanel
        return InspectorPanel
    if name == "ScalarChainPanel":
        from .scalar_chain import ScalarChainPanel
        return ScalarChainPanel
    raise AttributeError(name)
