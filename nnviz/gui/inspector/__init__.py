"""The backprop inspector (issue 6): InspectorPanel(state, network_view) and its parts.

Imports are lazy: importing the package loads no Qt until a name is used.
"""

__all__ = ["InspectorPanel", "ScalarChainPanel"]


def __getattr__(name: str):
    if name == "InspectorPanel":
        from nnviz.gui.inspector.inspector_panel import InspectorPanel
        return InspectorPanel
    if name == "ScalarChainPanel":
        from nnviz.gui.inspector.scalar_chain import ScalarChainPanel
        return ScalarChainPanel
    raise AttributeError(name)
