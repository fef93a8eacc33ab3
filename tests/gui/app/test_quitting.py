"""Quitting while any kind of work runs stops and joins it, then exits 0 and prints nothing (issue 10).

Each case is a fresh process (tests/gui/app/quit_scenarios.py): the app starts offscreen, the work starts,
the scenario checks that the work is running, then quits. Ctrl+Q is what the bug report used; the
download's progress dialog is window-modal, so there the window is closed (as a window manager would).
"""

from __future__ import annotations

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.helpers import find_mnist_dir

ROOT = Path(__file__).resolve().parents[3]
# The offscreen platform's own notice when a window is shown (not ours, not a problem).
OFFSCREEN_NOISE = "This plugin does not support propagateSizeHints()"

CASES = [("training", "ctrl+q"), ("training_paused", "menu"), ("lab_neuron", "ctrl+q"), ("lab_traffic", "close"),
         ("lab_playground", "ctrl+q"), ("mistakes", "ctrl+q"), ("all_edges", "ctrl+q"), ("topk_picture", "menu"),
         ("gradcheck", "ctrl+q"), ("loading", "ctrl+q"), ("deskew", "ctrl+q"), ("download", "close"),
         ("comparison", "ctrl+q")]


def run_scenario(kind: str, how: str, settings: Path, mnist_dir: Path | None) -> subprocess.CompletedProcess:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", NNVIZ_SETTINGS_DIR=str(settings),
               NNVIZ_DATA=str(mnist_dir or ""), PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "tests.gui.app.quit_scenarios", kind, how], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def scenarios(tmp_path_factory):
    """Every case's process, three at a time from the first test on (the cores run them side by side)."""
    mnist_dir = find_mnist_dir()
    with ThreadPoolExecutor(max_workers=3) as pool:
        yield {kind: pool.submit(run_scenario, kind, how, tmp_path_factory.mktemp(kind) / "settings", mnist_dir)
               for kind, how in CASES}


@pytest.mark.parametrize("kind,how", CASES, ids=[kind for kind, _ in CASES])
def test_quitting_during_work_stops_it_and_exits_cleanly(kind, how, scenarios):
    if kind in ("mistakes", "loading") and find_mnist_dir() is None:
        pytest.fail("MNIST files not found (set NNVIZ_DATA)")
    proc = scenarios[kind].result()
    stderr = "\n".join(line for line in proc.stderr.splitlines() if line.strip() != OFFSCREEN_NOISE)
    assert "running: [" in proc.stdout, proc.stdout + stderr  # the work was under way when quitting
    assert (proc.returncode, stderr) == (0, "")
