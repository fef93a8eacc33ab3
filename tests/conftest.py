"""Test configuration: Qt runs offscreen unless a display is wanted (NNVIZ_TEST_DISPLAY=1)."""

import os

if not os.environ.get("NNVIZ_TEST_DISPLAY"):
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ.setdefault("OPENBLAS_NUM_THREADS", "2")
