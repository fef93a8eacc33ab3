"""The maths of nnviz: NumPy and the standard library only, never Qt, pyqtgraph or nnviz.gui (lint-imports checks)."""
