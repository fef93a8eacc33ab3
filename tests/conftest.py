"""Test configuration: Qt runs offscreen unless a display is wanted (NNVIZ_TEST_DISPLAY=1), and no test (nor
a process it starts) can reach the X server the tests were started from: a test that needs a real X server
starts its own Xvfb (tests/gui/app/test_real_window.py, `-displayfd`) and names it. Settings go to a
throw-away folder (never the user's), and BLAS uses one thread (two spin against the GUI thread)."""

import os
import tempfile

if not os.environ.get("NNVIZ_TEST_DISPLAY"):
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    for name in ("DISPLAY", "WAYLAND_DISPLAY"):
        os.environ.pop(name, None)
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ["NNVIZ_SETTINGS_DIR"] = tempfile.mkdtemp(prefix="nnviz-test-settings-")
os.environ["NNVIZ_MY_DIGITS"] = tempfile.mkdtemp(prefix="nnviz-test-my-digits-")  # never the user's own digits

from nnviz.gui import before_qapplication  # noqa: E402
from tests.helpers import find_mnist_dir, mnist, mnist_path  # noqa: E402,F401  (session fixtures for every test folder)

before_qapplication()  # (before pytest-qt makes the QApplication)

if not os.environ.get("NNVIZ_DATA") and find_mnist_dir() is not None:
    os.environ["NNVIZ_DATA"] = str(find_mnist_dir())  # the app under test finds MNIST as a user's would
