"""Animations stream their frames to the writer, and every size is bounded (issue 27.5): a 1920x1080 history
of 132 snapshots peaked at 2.26 GB, 3840x2160 ended in a traceback and a hand-edited history in a crash."""

from __future__ import annotations

import pytest
from PIL import Image

from nnviz.gui.app import animation
from tests.memory import peak_growth

SETUP = """
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication(["t", "-platform", "offscreen"])
from nnviz.gui.app.animation import Recording, write_animation
label = QLabel("frame")
label.resize(1920, 1080)
rec = Recording("a test", label, 60, lambda i: (label.setText(f"frame {i}"), f"frame {i}")[1])
"""


def test_an_apng_of_60_full_hd_frames_holds_one_frame_at_a_time(tmp_path):
    out = tmp_path / "a.png"
    growth, outcome = peak_growth(SETUP, f"    write_animation(rec, {str(out)!r}, (1920, 1080), 10)", cap_mb=600)
    assert outcome == "ok", outcome
    assert growth < 150, growth  # 60 frames of 6 MB were kept until the end: 370 MB and more
    with Image.open(out) as im:
        assert im.format == "PNG" and im.n_frames == 60 and im.size == (1920, 1080)
        im.seek(59)
        assert im.getbbox() is not None


def test_sizes_and_counts_are_bounded_before_anything_is_rendered(qapp, tmp_path):
    from PySide6.QtWidgets import QLabel

    label = QLabel("x")
    rendered = []
    rec = animation.Recording("a test", label, 2000, lambda i: rendered.append(i) or "")
    with pytest.raises(animation.AnimationError, match="larger than 3840x2160"):
        animation.write_animation(rec, tmp_path / "a.png", (7680, 4320), 2)
    with pytest.raises(animation.AnimationError, match="would hold .* MB while it is written"):
        animation.write_animation(rec, tmp_path / "a.gif", (1920, 1080), 2)
    assert rendered == [] and list(tmp_path.iterdir()) == []
    picked = animation.frame_indices(2000)
    assert len(picked) == animation.MAX_FRAMES and picked[0] == 0 and picked[-1] == 1999
    assert animation.frame_indices(5) == [0, 1, 2, 3, 4]
