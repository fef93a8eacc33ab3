"""`nnviz animate backprop|history`: animations rendered offscreen with the app's own views.

    nnviz animate backprop --digit 7 --out walk.gif        every inspector step, forward and backward
    nnviz animate backprop --digit 7 --target 3 --out w.gif  ... aimed at another target y
    nnviz animate backprop --3d --out turn.gif             the same in 3-D, the view turning (needs OpenGL)
    nnviz animate history MODEL.npz --out training.mp4     a training history (nnviz train --history)

No screen is needed (Qt's offscreen platform); frames are renders of the views (gui/app/animation.py).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import numpy as np

SCENE_MIN_WIDTH = 1280


def _size(text: str) -> tuple[int, int]:
    try:
        w, h = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise ValueError(f"--size must look like 960x600, got {text!r}") from None
    if not (16 <= w <= 3840 and 16 <= h <= 2160):
        raise ValueError(f"--size {text}: between 16x16 and 3840x2160")
    return w, h


def _digit(card: dict, data_dir: str | None, digit: int) -> tuple[np.ndarray, int]:
    """The first MNIST test image of `digit`, as the model wants its input."""
    from nnviz.core import preprocess
    from nnviz.core.data import load_mnist
    from nnviz.core.pixels import as_input

    data = load_mnist(data_dir)
    i = int(np.flatnonzero(data.y_test == digit)[0])
    x = data.x_test[i:i + 1]
    x = preprocess.deskew(x) if preprocess.wants_deskew(card) else x
    return as_input(x[0]), digit  # pixels / 255, as the network reads them


def run_animate(args: argparse.Namespace) -> int:
    from nnviz.core.modelio import SHIPPED_MODEL, load_model

    if args.three_d and args.what != "backprop":
        raise ValueError("--3d animates the backprop walk: nnviz animate backprop --3d")
    if not args.three_d:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # (3-D needs a display with OpenGL: X, Xvfb)
    size = _size(args.size)
    from nnviz.gui.app import animation

    animation.check_target(args.out)  # an unknown suffix, or MP4 without its plugin: say so before any work
    if args.what == "history" and not args.model:
        raise ValueError("nnviz animate history needs a MODEL.npz saved with a history (nnviz train --history)")
    net, card = load_model(Path(args.model) if args.model else SHIPPED_MODEL)
    from PySide6.QtWidgets import QApplication

    from nnviz.gui import before_qapplication

    before_qapplication()
    app = QApplication.instance() or QApplication(sys.argv[:1])  # noqa: F841 (kept alive while rendering)
    from nnviz.gui.look.themes import apply_theme
    from nnviz.gui.network.view import NetworkView
    from nnviz.gui.state import AppState

    apply_theme("dark")
    x, label = _digit(card, args.data, args.digit)  # (MNIST missing: said before any window exists)
    state = AppState(net, card)
    view = NetworkView(state)
    try:
        rec, fps = _recording(args, state, view, size, x, label, net)
        out = animation.write_animation(rec, args.out, size, fps)
    finally:
        view.close()  # (in a process that goes on, e.g. the tests, no window is left on screen)
        view.deleteLater()
    print(f"wrote {out}: {rec.count} frames of {rec.name} at {size[0]}x{size[1]}, {fps:g} frames per second")
    return 0


def _recording(args: argparse.Namespace, state, view, size: tuple[int, int], x, label, net):
    """(the Recording, frames per second) for `nnviz animate backprop|history` on the shown view."""
    from nnviz.gui.app import animation

    k = max(1.0, SCENE_MIN_WIDTH / size[0])  # the scene needs ~1200 px to lay out: render larger, scale down
    view.resize(round(size[0] * k), round(size[1] * k))
    view.show()
    state.set_input(x, label, "dataset")
    if args.what == "backprop":
        from nnviz.gui.inspector.walk import Walk

        if args.target is not None:
            if args.target >= net.sizes[-1]:
                raise ValueError(f"--target {args.target}: this model has {net.sizes[-1]} outputs (0 to "
                                 f"{net.sizes[-1] - 1})")
            state.set_target(args.target)
        walk = Walk(view)
        walk.set_trace(state.trace)
        record = animation.backprop3d_recording if args.three_d else animation.backprop_recording
        return record(walk, view, state.target_reason), args.fps or 2.0
    from nnviz.core.history import read_history

    history = read_history(args.model, net.flat.size)
    if history is None:
        raise ValueError(f"{args.model} has no training history (write one with nnviz train --history FILE)")
    return animation.saved_history_recording(state, history, view), args.fps or 10.0
