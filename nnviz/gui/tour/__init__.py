"""The lecture tour: the lecture's path through the app, its polls as questions, and presenter mode.

Steps are plain data files in `lecture/` (Markdown with a TOML header); `script.py` reads them,
`actions.py` sets the app up for a step, `panel.py` shows them, `poll.py` asks the lecture's polls,
`presenter.py` turns the window into a projector-friendly presentation.
"""

from nnviz.gui.tour.panel import TourPanel

__all__ = ["TourPanel"]
