"""The one rule: nnviz.core knows no Qt. Importing it (in a fresh interpreter) loads no GUI library."""

import pkgutil
import subprocess
import sys

import nnviz.core

FORBIDDEN = ("PySide6", "shiboken6", "pyqtgraph", "PyQt5", "PyQt6")


def core_modules() -> list[str]:
    return sorted(m.name for m in pkgutil.walk_packages(nnviz.core.__path__, "nnviz.core."))


def test_core_modules_are_found():
    mods = core_modules()
    for expected in ("nnviz.core.network", "nnviz.core.training", "nnviz.core.modelio", "nnviz.core.data.mnist",
                     "nnviz.core.preprocess", "nnviz.core.augment", "nnviz.core.gradcheck"):
        assert expected in mods


def test_importing_nnviz_core_loads_no_qt_or_pyqtgraph():
    code = (
        "import importlib, sys\n"
        f"mods = {['nnviz.core'] + core_modules()!r}\n"
        "for m in mods:\n"
        "    importlib.import_module(m)\n"
        # exercise the lazily imported helpers too: the cache folder (platformdirs) and a tiny pass
        "from nnviz.core.data import mnist\n"
        "mnist.cache_dir()\n"
        "from nnviz.core.network import Network\n"
        "Network(sizes=(4, 3, 2)).trace([0.1, 0.2, 0.3, 0.4], target=1)\n"
        f"bad = sorted(n for n in sys.modules if n.split('.')[0] in {FORBIDDEN!r})\n"
        "print('LOADED:' + ','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    loaded = out.stdout.strip().rsplit("LOADED:", 1)[1]
    assert loaded == "", f"nnviz.core pulled in GUI modules: {loaded}"


def test_the_check_would_notice_qt():
    """Guard against a vacuous test: the same probe does see PySide6 when something imports it."""
    code = ("import sys, PySide6.QtCore\n"
            f"print(sorted(n for n in sys.modules if n.split('.')[0] in {FORBIDDEN!r}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert "PySide6" in out.stdout
