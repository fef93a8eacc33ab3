"""Import rules (pyproject.toml, [tool.importlinter]) hold: `lint-imports` passes on the code, and each
contract breaks when an import crosses it (checked on a copy of the package with one bad import each)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
LINT = "from importlinter.cli import lint_imports_command; lint_imports_command()"


def lint_imports(root: Path) -> subprocess.CompletedProcess:
    """`lint-imports` on the package and pyproject.toml in root (its nnviz first on the path)."""
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run([sys.executable, "-c", LINT, "--no-cache"], cwd=root, env=env, capture_output=True,
                          text=True, timeout=120)


def test_the_import_rules_hold():
    proc = lint_imports(REPO)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr
    assert "0 broken" in proc.stdout


BAD_IMPORTS = {  # file -> a line that crosses a rule, and the contract that must break
    "nnviz/core/trace.py": ("from PySide6.QtCore import QObject", "nnviz.core is not allowed to import PySide6"),
    "nnviz/core/data/idx.py": ("import pyqtgraph", "nnviz.core is not allowed to import pyqtgraph"),
    "nnviz/core/losses.py": ("import nnviz.gui.state", "nnviz.core is not allowed to import nnviz.gui"),
    "nnviz/gui/training/fine_tune.py": ("from nnviz.gui.draw import panel",
                                        "nnviz.gui.training is not allowed to import nnviz.gui.draw"),
    "nnviz/gui/tour/poll.py": ("from nnviz.gui.app import main_window",
                               "nnviz.gui.tour is not allowed to import nnviz.gui.app"),
    "nnviz/handwriting/ink.py": ("import nnviz.gui.state", "nnviz.handwriting is not allowed to import nnviz.gui"),
    "nnviz/gui/draw/canvas.py": ("from nnviz.cli import parser", "nnviz.gui is not allowed to import nnviz.cli"),
    "nnviz/core/pixels.py": ("from nnviz.core import training", "No cycles are allowed in nnviz.core"),
    "nnviz/gui/app/menus.py": ("from nnviz.gui.app import main_window", "No cycles are allowed in nnviz.gui.app"),
    "nnviz/interop/common.py": ("from nnviz.handwriting import images",
                                "nnviz.interop is not allowed to import nnviz.handwriting"),
    "nnviz/gui/network/scene/layout.py": ("from nnviz.gui.app import main_window",
                                          "nnviz.gui.network is not allowed to import nnviz.gui.app"),
    "nnviz/gui/state.py": ("from nnviz.gui.inspector import walk",
                           "nnviz.gui.state is not allowed to import nnviz.gui.inspector"),
    "nnviz/gui/labs/playground/model.py": ("from nnviz.gui.labs.traffic import lab",
                                           "nnviz.gui.labs.playground is not allowed to import nnviz.gui.labs.traffic"),
}


def test_each_rule_notices_a_crossing_import(tmp_path):
    shutil.copytree(REPO / "nnviz", tmp_path / "nnviz", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "pyproject.toml", tmp_path)
    for name, (line, _) in BAD_IMPORTS.items():
        path = tmp_path / name
        path.write_text(path.read_text(encoding="utf-8") + f"\n{line}  # noqa\n", encoding="utf-8")
    proc = lint_imports(tmp_path)
    assert proc.returncode != 0
    for name, (_, message) in BAD_IMPORTS.items():
        assert message in proc.stdout, f"{name}: no '{message}' in\n{proc.stdout[-3000:]}"
