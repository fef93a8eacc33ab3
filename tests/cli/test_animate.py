"""`nnviz animate` and `nnviz train --history` (issue 14), run in-process without a screen."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from nnviz.cli import main
from nnviz.core.history import read_history
from nnviz.core.modelio import load_model
from nnviz.gui.app import animation
from tests.helpers import mnist, mnist_path  # noqa: F401 (fixtures)


def test_animate_backprop_writes_one_gif_frame_per_inspector_step(tmp_path, mnist_path, capsys):  # noqa: F811
    out = tmp_path / "walk.gif"
    assert main(["animate", "backprop", "--digit", "7", "--out", str(out), "--size", "480x300",
                 "--data", str(mnist_path)]) == 0
    with Image.open(out) as im:
        assert im.format == "GIF" and im.n_frames >= 19 and im.size == (480, 300)
        n = im.n_frames
    assert f"{n} frames" in capsys.readouterr().out


def test_animate_backprop_shows_the_gradient_in_every_backward_frame(tmp_path, mnist_path, monkeypatch):  # noqa: F811
    """The README's example on the shipped model: each backward frame states a visible scale and the target y
    with its reason; --target aims it elsewhere. (Before: the digit's pixels went in 255 times too strong,
    the network read it at 100 % and every backward frame was grey.)"""
    captions = {}
    real = animation.write_animation

    def spy(rec, path, size, fps):
        for i in range(rec.count):
            captions.setdefault(str(path), []).append(rec.go(i))
        return real(rec, path, size, fps)

    monkeypatch.setattr(animation, "write_animation", spy)
    for argv in ([], ["--target", "3"]):
        out = tmp_path / f"walk{len(argv)}.gif"
        assert main(["animate", "backprop", "--digit", "7", "--out", str(out), "--size", "480x300",
                     "--data", str(mnist_path), *argv]) == 0
    default, aimed = captions[str(tmp_path / "walk0.gif")], captions[str(tmp_path / "walk2.gif")]
    backward = [c for c in default if "· backward ·" in c]
    assert len(backward) >= 10
    for c in backward:
        assert "scale: largest |" in c and "drawn as 0" not in c and "= 0 everywhere" not in c, c
    assert all("target y = " in c for c in default)
    assert all("target y = 3 (your choice: 3)" in c for c in aimed)


def test_train_with_history_then_animate_it(tmp_path, mnist_path, capsys, monkeypatch):  # noqa: F811
    model, with_history = tmp_path / "m.npz", tmp_path / "h.npz"
    assert main(["train", "--hidden", "16", "--epochs", "1", "--batch-size", "600", "--quiet", "--data",
                 str(mnist_path), "--out", str(model), "--history", str(with_history)]) == 0
    net, _card = load_model(with_history)
    history = read_history(with_history, net.flat.size)
    assert [m.t for m in history.moments] == list(range(0, 101))  # 100 batches: all within the dense start
    assert read_history(model, net.flat.size) is None  # --out is the plain model
    apng = tmp_path / "training.png"
    assert main(["animate", "history", str(with_history), "--out", str(apng), "--size", "320x200",
                 "--data", str(mnist_path)]) == 0
    with Image.open(apng) as im:
        assert im.n_frames == len(history)
        im.seek(im.n_frames // 2)
        frame = np.asarray(im.convert("RGB"), np.int16)[:-40]  # above the caption band
    # the loss curve of the run (amber, #ffb454, thin at this size) is in the right of the frame
    right = frame[:, int(0.6 * frame.shape[1]):]
    amber = (right[..., 0] > right[..., 2] + 60) & (right[..., 0] > 120)
    assert amber.sum() > 20  # (before: no curve at all, and the network in the left 60 % only)
    rec = {}
    monkeypatch.setattr(animation, "write_animation", lambda r, *a, **k: rec.setdefault("r", r) and None)
    assert main(["animate", "history", str(with_history), "--out", str(tmp_path / "x.gif"), "--data",
                 str(mnist_path)]) == 0
    captions = [rec["r"].go(i) for i in range(rec["r"].count)]
    assert not any("MB" in c or "hover" in c for c in captions) and "loss J" in captions[-1]
    monkeypatch.undo()
    mp4 = tmp_path / "training.mp4"
    if animation.mp4_problem() is None:
        assert main(["animate", "history", str(with_history), "--out", str(mp4), "--size", "320x200",
                     "--data", str(mnist_path)]) == 0
        assert mp4.stat().st_size > 1000 and mp4.read_bytes()[4:8] == b"ftyp"
    monkeypatch.setattr(animation, "mp4_problem", lambda: "MP4 needs imageio's ffmpeg plugin: pip install x")
    capsys.readouterr()
    assert main(["animate", "history", str(with_history), "--out", str(tmp_path / "no.mp4")]) == 1
    assert "MP4 needs imageio's ffmpeg plugin" in capsys.readouterr().err and not (tmp_path / "no.mp4").exists()


@pytest.mark.parametrize("argv, fragment", [
    (["animate", "history", "--out", "x.gif"], "needs a MODEL.npz"),
    (["animate", "backprop", "--out", "x.avi"], ".gif, .png (APNG) or .mp4"),
    (["animate", "backprop", "--out", "x.gif", "--size", "big"], "--size"),
])
def test_animate_refuses_bad_requests_in_one_line(argv, fragment, capsys):
    assert main(argv) != 0
    err = capsys.readouterr().err
    assert fragment in err and len(err.strip().splitlines()) == 1


def test_animate_history_of_a_model_without_one_says_so(tmp_path, mnist_path, capsys):  # noqa: F811
    from nnviz.core.modelio import SHIPPED_MODEL

    assert main(["animate", "history", str(SHIPPED_MODEL), "--out", str(tmp_path / "x.gif"),
                 "--data", str(mnist_path)]) == 1
    assert "has no training history" in capsys.readouterr().err


def test_animate_writes_beside_the_file_then_renames_and_refuses_absurd_rates(
        tmp_path, mnist_path, monkeypatch, capsys):  # noqa: F811
    """Issue 27.6 and 27.10: a failed write left a truncated GIF in place of the old one; --fps 1e-300 ended in
    an OverflowError traceback; a 784→7 model's walk, or --target past its outputs, in an IndexError."""
    out = tmp_path / "walk.gif"
    out.write_bytes(b"the old animation")

    def disk_full(frames, count, path, fps):
        next(frames)
        Path(path).write_bytes(b"half")
        raise OSError(28, "No space left on device")

    monkeypatch.setitem(animation.WRITERS, "GIF", disk_full)
    assert main(["animate", "backprop", "--out", str(out), "--size", "320x200", "--data", str(mnist_path)]) == 1
    assert out.read_bytes() == b"the old animation" and [p.name for p in tmp_path.iterdir()] == ["walk.gif"]
    monkeypatch.undo()
    capsys.readouterr()
    assert main(["animate", "backprop", "--out", str(out), "--fps", "1e-300"]) == 2
    assert "between 0.1 and 60" in capsys.readouterr().err
    from nnviz.core.modelio import save_model
    from nnviz.core.network import Architecture, Network

    seven = tmp_path / "m7.npz"
    save_model(Network(Architecture(sizes=(784, 7)), seed=0), seven, {})
    assert main(["animate", "backprop", str(seven), "--out", str(out), "--size", "320x200",
                 "--data", str(mnist_path)]) == 0  # the default digit 7 has no output here: not a target
    capsys.readouterr()
    assert main(["animate", "backprop", str(seven), "--target", "8", "--out", str(out), "--data",
                 str(mnist_path)]) == 1
    assert "this model has 7 outputs" in capsys.readouterr().err


def test_3d_without_opengl_says_why_in_one_line(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    assert main(["animate", "backprop", "--3d", "--out", str(tmp_path / "turn.gif")]) == 1
    err = capsys.readouterr().err
    assert "The 3-D view needs OpenGL" in err and "libgl1-mesa-dri" in err and err.count("\n") == 1
    assert not (tmp_path / "turn.gif").exists()
    assert main(["animate", "history", "m.npz", "--3d", "--out", str(tmp_path / "h.gif")]) == 1
    assert "--3d animates the backprop walk" in capsys.readouterr().err
