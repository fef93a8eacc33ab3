"""The network scene survives what a user does around it (issue 17, item 1): a network replaced while
the scene is hidden (Labs -> Reset weights -> back to Network) used to paint a picture that did not
exist yet: 'NoneType' object has no attribute 'transform', and offscreen a SIGSEGV. (The same in process:
test_network_view.py::test_two_paints_before_the_first_edge_picture_arrives.)"""

from __future__ import annotations

import subprocess
import sys

from tests.helpers import REPO_ROOT

RESET_WHILE_IN_LABS = """
import os
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication
app = QApplication([])
from nnviz.gui import MainWindow
w = MainWindow()
w.resize(1400, 900)
w.show()
app.processEvents()
tab = {w.tabs.tabText(i): i for i in range(w.tabs.count())}
w.tabs.setCurrentIndex(tab["Labs"])
app.processEvents()
w.findChild(QAction, "resetAction").trigger()  # Ctrl+Shift+R
app.processEvents()
w.tabs.setCurrentIndex(tab["Network"])
for _ in range(20):
    app.processEvents()
w.views.network.canvas.viewport().repaint()
print("survived")
"""


def test_reset_weights_in_labs_then_back_to_the_network_neither_crashes_nor_raises(tmp_path):
    env = {**__import__("os").environ, "NNVIZ_SETTINGS_DIR": str(tmp_path), "QT_QPA_PLATFORM": "offscreen"}
    proc = subprocess.run([sys.executable, "-X", "faulthandler", "-c", RESET_WHILE_IN_LABS], cwd=REPO_ROOT,
                          env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "survived" in proc.stdout
    assert "Traceback" not in proc.stderr and "Error calling Python override" not in proc.stderr, proc.stderr[-3000:]
