"""The dataset room: the MNIST test-digit browser strip, the mistakes view and its confusion matrix.

Other rooms (the draw panel embeds the browser strip) import from this package, not its modules.
"""

from nnviz.gui.dataset.browser import DatasetBrowser, TestSet
from nnviz.gui.dataset.mistakes import ConfusionMatrix

__all__ = ["ConfusionMatrix", "DatasetBrowser", "TestSet"]
