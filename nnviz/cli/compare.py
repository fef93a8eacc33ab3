"""`nnviz compare`: runs that differ in one thing, trained in lockstep; DIR/compare.json and DIR/compare.png.

    nnviz compare --preset g --epochs 2 --out runs/          # sigmoid vs ReLU vs tanh
    nnviz compare --config a.toml --config b.toml --out runs/

The JSON: {"runs": [{"name", "settings", "loss" (per batch), "train_accuracy" and "test_accuracy" (per
epoch), "grad_norm" and "weight_norm" ({"W1": per batch, ...}), "dead_relu" ({"a1": per batch, ...}: ReLU
runs), "diverged_at" (a batch, or null)}]}. The PNG: the loss per batch, ‖dJ/dW₁‖ per batch (vanishing
gradients show there) and the test accuracy per epoch, the runs overlaid and named.
"""

from __future__ import annotations

import argparse
import json
import sys
import tomllib
from dataclasses import fields
from pathlib import Path

from nnviz.core.compare import PRESETS, RunRecord, RunSpec, compare
from nnviz.core.files import check_regular_file, check_target
from nnviz.core.training import Split


def run_compare(args: argparse.Namespace, data) -> int:
    specs = _specs(args)
    out = Path(args.out)
    check_target(out / "compare.json")  # before the training: a folder it cannot write must not cost a run
    n = args.images or len(data.x_train)
    split = Split(data.x_train[:n], data.y_train[:n], data.x_test, data.y_test)
    runs = compare(specs, split, epochs=args.epochs, batch_size=args.batch_size, seed=args.seed,
                   progress=lambda done, total: _progress(len(specs), done, total))
    out.mkdir(parents=True, exist_ok=True)
    (out / "compare.json").write_text(json.dumps({"runs": [r.as_json() for r in runs]}, allow_nan=False))
    write_png(runs, out / "compare.png")
    for r in runs:
        end = f"diverged at batch {r.diverged_at}" if r.diverged_at is not None else \
            f"test accuracy {100 * r.test_accuracy[-1]:.2f}%"
        print(f"{r.spec.name}: {end}")
    print(f"wrote {out / 'compare.json'} and {out / 'compare.png'}")
    return 0


def _progress(runs: int, done: int, total: int) -> None:
    if done == total or done % max(1, total // 20) == 0:
        print(f"\r{runs} runs in lockstep: {done}/{total} batches", end="\n" if done == total else "",
              file=sys.stderr)


def _specs(args: argparse.Namespace) -> list[RunSpec]:
    if bool(args.preset) == bool(args.config):
        raise ValueError("give --preset or 2 to 4 --config files")
    if args.preset:
        return PRESETS[args.preset]
    if not 2 <= len(args.config) <= 4:
        raise ValueError(f"give 2 to 4 --config files, got {len(args.config)}")
    return [_spec(Path(p)) for p in args.config]


def _spec(path: Path) -> RunSpec:
    check_regular_file(path, ValueError, 64_000, verb="read")
    try:
        said = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ValueError(f"{path}: not a TOML file ({exc})") from None
    known = {f.name for f in fields(RunSpec)}
    if set(said) - known:
        raise ValueError(f"{path}: unknown settings {sorted(set(said) - known)}; known: {sorted(known)}")
    said.setdefault("name", path.stem)
    if "hidden" in said:
        said["hidden"] = tuple(said["hidden"])
    return RunSpec(**said)


def write_png(runs: list[RunRecord], path: Path) -> None:
    """Three plots, the runs overlaid: loss per batch, ‖dJ/dW₁‖ per batch (both log), test accuracy per epoch."""
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import pyqtgraph as pg
    import pyqtgraph.exporters
    from PySide6.QtWidgets import QApplication

    from nnviz.gui.compare.run import RUN_COLOURS
    from nnviz.gui.look.axes import LogAxis

    app = QApplication.instance() or QApplication(["nnviz"])
    layout = pg.GraphicsLayoutWidget()
    layout.setBackground("#121218")
    titles = ("loss J per batch", "‖dJ/dW₁‖ per batch: vanishing gradients show here", "test accuracy per epoch (%)")
    xs = ("batch", "batch", "epoch")
    plots = []
    for k, (title, x) in enumerate(zip(titles, xs)):
        p = layout.addPlot(row=k, col=0, title=title, axisItems={"left": LogAxis("left")} if k < 2 else None)
        p.setLabel("bottom", x)
        p.showGrid(x=True, y=True, alpha=0.15)
        if k < 2:
            p.setLogMode(y=True)
            p.getAxis("left").setStyle(maxTextLevel=0)
            p.getAxis("left").enableAutoSIPrefix(False)
        plots.append(p)
    plots[0].addLegend(offset=(10, -10), brush=pg.mkBrush(18, 18, 24, 220))  # bottom left: the curves start high
    for r, colour in zip(runs, RUN_COLOURS):
        pen = pg.mkPen(colour, width=2)
        plots[0].plot(r.loss, pen=pen, name=r.spec.name + (f" (diverged at batch {r.diverged_at})"
                                                         if r.diverged_at is not None else ""))
        plots[1].plot(r.grad_norm.get("W1", []), pen=pen)
        plots[2].plot(list(range(1, len(r.test_accuracy) + 1)), [100 * a for a in r.test_accuracy], pen=pen,
                      symbol="o", symbolBrush=colour)
    layout.resize(1200, 900)
    layout.show()  # (offscreen: nothing appears; the layout takes its size)
    app.processEvents()
    exporter = pyqtgraph.exporters.ImageExporter(layout.scene())
    exporter.parameters()["width"] = 1200
    exporter.export(str(path))
    layout.close()
