"""The 3-D view on a real X server with Mesa's OpenGL (issue 24): it draws, the most active neuron's square has
its colour where it projects, hover and click pick the right neuron, a new input changes the picture, the
inspector's lit layer is framed, and the app quits at once while the view turns."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pytest

from tests.gui.app.test_real_window import ROOT, launched, start_xvfb
from tests.helpers import find_mnist_dir

pytestmark = pytest.mark.slow  # (real X: .ci/run's pytest -m slow)


@pytest.fixture
def x_server():
    server, display = start_xvfb("1366x768")
    yield display
    server.terminate()
    server.wait(10)


def test_the_3d_view_draws_picks_and_follows_the_input(x_server, tmp_path):
    env = dict(os.environ, DISPLAY=x_server, QT_QPA_PLATFORM="xcb", NNVIZ_SETTINGS_DIR=str(tmp_path),
               NNVIZ_DATA=str(find_mnist_dir() or ""), PYTHONPATH=str(ROOT))
    proc = subprocess.run([sys.executable, "-m", "tests.gui.network.view3d.real_gl_check"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=180)
    assert proc.returncode == 0, proc.stderr[-3000:]
    got = json.loads(proc.stdout.strip().splitlines()[-1])
    assert got["available"], got["problem"]
    assert got["objectName"] == "network3d" and got["distinct_colours"] > 50  # not blank
    drawn, model = got["active_neuron"]["drawn"], got["active_neuron"]["model"]
    assert max(abs(a - b) for a, b in zip(drawn, model)) <= 24, got["active_neuron"]
    assert got["hovered"] == [1, 37] and got["clicked"] == [1, 37] and got["selected"] == [1, 37]
    assert got["changed_pixels"] > 1000
    # the export is the screen's picture (a window without a depth buffer of its own drew lines over squares: ~4)
    assert got["new_frame_on_screen"] and got["export_vs_screen"] < 2.0
    assert got["skipped_while_hidden"] and got["hidden_export_differs_from_before"] > 1000
    assert got["hidden_export_vs_shown"] < 0.5
    assert got["frame_visible"] and got["frame_is_plane_2"]
    assert got["light_corner"] == got["light_want"] and got["light_labels"]


def test_quitting_while_the_3d_view_turns_exits_cleanly(x_server, tmp_path):
    settings = tmp_path / "settings"
    settings.mkdir()
    (settings / "nnviz.ini").write_text("[network]\n3d=1\n", encoding="utf-8")  # the app opens in 3-D
    app = launched(x_server, tmp_path)
    app.key("space")  # (the 3-D view has no focus yet: Space plays nothing; the view draws on anyway)
    app.key("ctrl+q")
    assert app.finish_discarding() == (0, "")


def test_nnviz_animate_backprop_3d_turns_the_view_while_the_walk_plays(x_server, tmp_path):
    out = tmp_path / "turn.gif"
    env = dict(os.environ, DISPLAY=x_server, QT_QPA_PLATFORM="xcb", NNVIZ_SETTINGS_DIR=str(tmp_path / "s"),
               NNVIZ_DATA=str(find_mnist_dir() or ""), PYTHONPATH=str(ROOT))
    proc = subprocess.run([sys.executable, "-m", "nnviz", "animate", "backprop", "--3d", "--out", str(out), "--size",
                           "480x300"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=180)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "frames of the backprop walk in 3-D" in proc.stdout
    from PIL import Image

    with Image.open(out) as gif:
        frames = []
        for k in (0, gif.n_frames - 1):
            gif.seek(k)
            frames.append(np.asarray(gif.convert("RGB"), np.int16))
        assert gif.n_frames == 19
    assert np.mean(np.abs(frames[0] - frames[1])) > 2  # the view turned and the lit plane moved
