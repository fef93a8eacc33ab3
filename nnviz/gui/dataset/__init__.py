"""The dataset room: the MNIST test-digit browser strip and the mistakes view.

Other rooms (the draw panel embeds the browser strip) import from this package, not its modules.
"""

from nnviz.gui.dataset.browser import DatasetBrowser, TestSet

__all__ = ["DatasetBrowser", "TestSet"]
