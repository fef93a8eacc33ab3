"""Compare runs (Training → Compare…): lockstep runs, their curves, gradients, distributions and the hidden
layer's map. setup (what to train), run (the worker), curves / distributions / hidden_map (the views), window."""

from nnviz.gui.compare.window import CompareWindow

__all__ = ["CompareWindow"]
