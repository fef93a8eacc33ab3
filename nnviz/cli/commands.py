"""What `nnviz train`, `evaluate`, `predict`, `export`, `doctor` and `install-desktop` do (parsing: parser.py)."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from pathlib import Path

import numpy as np

from nnviz import __version__
from nnviz.cli.parser import command_line
from nnviz.cli.progress import ProgressBar
from nnviz.core import budget, preprocess
from nnviz.core.data import load_mnist
from nnviz.core.data.extra import load_extra, save_extra
from nnviz.core.evaluate import evaluate_model
from nnviz.core.modelio import SHIPPED_MODEL, ModelError, check_target, save_model
from nnviz.core.network import Architecture, Network
from nnviz.core.training import BatchDone, EpochDone, Finished, Split, TrainConfig, train


def run(args: argparse.Namespace, argv: list[str]) -> int:
    return {"train": cmd_train, "evaluate": cmd_evaluate, "predict": cmd_predict, "export": cmd_export,
            "doctor": cmd_doctor, "install-desktop": cmd_install_desktop,
            "render-strokes": cmd_render_strokes, "animate": cmd_animate,
            "compare": cmd_compare}[args.command](args, argv)


def cmd_compare(args: argparse.Namespace, argv: list[str]) -> int:
    from nnviz.cli.compare import run_compare

    return run_compare(args, load_mnist(args.data, progress=_download_progress))


def _say(msg: str) -> None:
    print(msg, file=sys.stderr)


def cmd_train(args: argparse.Namespace, argv: list[str]) -> int:

    out = Path(args.out)
    if out.suffix != ".npz":
        raise ValueError(f"--out must name a .npz file, got {out}")
    check_target(out)  # before any work: a read-only folder must not cost a training run
    cfg = TrainConfig(epochs=args.epochs, batch_size=args.batch_size, optimizer=args.optimizer, lr=args.lr,
                      schedule=args.schedule, l2=args.l2, augment=args.augment, deskew=args.deskew, seed=args.seed)
    arch = Architecture((784, *args.hidden, 10), args.activation, "softmax", args.loss)
    budget.check_affordable(arch, cfg.batch_size, cfg.optimizer, regularised=cfg.l2 > 0)
    data = load_mnist(args.data, progress=None if args.quiet else _download_progress)
    dataset = {"name": "MNIST", "checksums_md5": data.checksums()}
    if args.extra:
        x_extra, y_extra, dataset["extra"] = load_extra(args.extra)
        data = Split(np.concatenate([data.x_train, x_extra]), np.concatenate([data.y_train, y_extra]),
                     data.x_test, data.y_test)
    net = Network(arch, seed=args.seed)
    bar = None if args.quiet else ProgressBar(sys.stderr)
    t0 = time.perf_counter()
    history, events = _history_recording(args, net, train(net, data, cfg))
    for event in events:
        if isinstance(event, BatchDone) and bar:
            bar.batch(event, cfg.epochs)
        elif isinstance(event, EpochDone) and bar:
            bar.epoch(event)
        elif isinstance(event, Finished) and event.reason != "completed":
            raise ValueError(event.message)
    wall = time.perf_counter() - t0
    preprocessing = {"deskew": args.deskew}
    card = {
        "training_command": command_line(argv), "seed": args.seed, "epochs": args.epochs,
        "config": cfg.__dict__, "wall_time_s": round(wall, 1),
        "test_accuracy": evaluate_model(net, {"preprocess": preprocessing}, data.x_test, data.y_test).accuracy,
        "dataset": dataset,
        "preprocess": preprocessing,
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "nnviz_version": __version__,
    }
    save_model(net, out, card)
    print(f"test accuracy {card['test_accuracy']:.4f}; wrote {out} ({wall:.0f} s)")
    if history is not None:
        save_model(net, args.history, card, extra=history.arrays())
        print(f"wrote {args.history} with its training history ({history.describe()})")
    return 0


# --- training history and animations (issue 14) --------------------------------------------------
def _history_recording(args: argparse.Namespace, net: Network, events):
    """(History or None, events): with --history, the events pass through a recorder of net's weights."""
    if not getattr(args, "history", None):
        return None, events
    from nnviz.core.history import History, recording

    if Path(args.history).suffix != ".npz":
        raise ValueError(f"--history must name a .npz file, got {args.history}")
    history = History(budget_mb=args.history_mb)
    return history, recording(history, net, events)


def cmd_animate(args: argparse.Namespace, argv: list[str]) -> int:
    from nnviz.cli.animate import run_animate

    return run_animate(args)


def _download_progress(name: str, done: int, total: int) -> None:
    pct = f"{100 * done / total:5.1f}%" if total else f"{done >> 10} KiB"
    print(f"\rdownloading {name} {pct}", end="", file=sys.stderr, flush=True)


def _model(args: argparse.Namespace):
    """The --model file (any format) with the --activation / --preprocess choices, or the shipped model."""
    from nnviz.interop import load_any


    return load_any(Path(args.model) if args.model else SHIPPED_MODEL, args.activation, args.preprocess)


def _mnist_model(args: argparse.Namespace):
    """The model at path (default: the shipped one), if it maps 784 pixels to 10 digits."""
    net, card = _model(args)
    if net.sizes[0] != 784 or net.sizes[-1] != 10:
        name = Path(args.model).name if args.model else SHIPPED_MODEL.name
        raise ModelError(f"{name}: this model maps {net.sizes[0]} inputs to {net.sizes[-1]} outputs; "
                         "digits need 784 (28x28 pixels) -> 10 classes")
    return net, card


def cmd_evaluate(args: argparse.Namespace, argv: list[str]) -> int:
    net, card = _mnist_model(args)
    bad: list = []
    if args.images:  # a folder of sub-folders 0-9 of images (ImageFolder), read like `nnviz predict` reads
        from nnviz.handwriting.image_folders import image_files, load_image_folder

        app = _font_system_if_needed([str(f) for f, _ in image_files(Path(args.images))])  # (SVGs need it)
        folder = load_image_folder(args.images)
        del app
        x, y, bad, what = folder.x, folder.y, folder.bad, f"images in {folder.root}"
        for path, why in bad:
            _say(f"skipped {path}: {why}")
        if len(y) == 0:
            raise ValueError(f"{folder.root}: no readable digit images")
    else:
        data = load_mnist(args.data, progress=_download_progress)
        x, y, what = data.x_test, data.y_test, "MNIST test set"
    result = evaluate_model(net, card, x, y)
    confusion = result.confusion
    per_class = [None if a != a else a for a in result.per_class.tolist()]  # NaN: a class with no examples
    if args.json:
        print(json.dumps({"accuracy": result.accuracy, "per_class": per_class, "confusion": confusion.tolist(),
                          "n": result.n, "model": str(args.model or SHIPPED_MODEL), "data": what,
                          "bad_files": [{"file": str(p), "why": w} for p, w in bad]}, allow_nan=False))
        return 0
    print(f"accuracy on the {what}: {result.accuracy:.4f} ({result.correct}/{result.n})")
    print("per class:   " + "  ".join(f"{d}:{a:.3f}" if a is not None else f"{d}:-" for d, a in enumerate(per_class)))
    print("confusion (rows = true digit, columns = predicted):")
    print("      " + " ".join(f"{d:5d}" for d in range(10)))
    for d in range(10):
        print(f"  {d}:  " + " ".join(f"{v:5d}" for v in confusion[d]))
    return 0


def cmd_predict(args: argparse.Namespace, argv: list[str]) -> int:
    net, card = _mnist_model(args)
    deskew = preprocess.wants_deskew(card)
    app = _font_system_if_needed(args.images)  # noqa: F841  (kept alive while the images are read)
    failures = 0
    for path in args.images:
        try:
            result = _predict_one(net, path, deskew)
        except (OSError, ValueError, MemoryError) as exc:  # one bad file never ends the batch
            _say(f"nnviz: error: {exc}")
            failures += 1
            continue
        if args.json:
            print(json.dumps(result, allow_nan=False))
        elif result["digit"] is None:
            print(f"{path}: blank image, no digit")
        else:
            print(f"{path}: {result['digit']} ({max(result['probabilities']):.1%})")
    return 1 if failures else 0


def _predict_one(net: Network, path: str, deskew: bool) -> dict:
    from nnviz.handwriting.images import read_image

    x = preprocess.image_to_input(read_image(path), deskew)
    if x is None:
        return {"file": path, "digit": None, "probabilities": None, "note": "blank image"}
    if not np.isfinite(x).all():
        raise ValueError(f"{path}: the image holds values that are not numbers")
    p = net.predict_proba(x)
    if not np.isfinite(p).all():
        raise ValueError(f"{path}: the model's output for this image is not finite")
    return {"file": path, "digit": int(np.argmax(p)), "probabilities": [float(v) for v in p]}


def _font_system_if_needed(paths: list[str]):
    """A QApplication (offscreen: nothing is shown) when an SVG is to be read: Qt renders SVG text with
    its font database, which aborts the process without an application object."""
    from nnviz.handwriting.images import is_vector

    if not any(is_vector(p) for p in paths):
        return None
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication

    if QGuiApplication.instance() is not None:
        return None
    return QApplication(["nnviz", "-platform", "offscreen"])


def cmd_export(args: argparse.Namespace, argv: list[str]) -> int:
    from nnviz.interop import save_any

    out = Path(args.out)
    if out.suffix.lower() != f".{args.format}":
        raise ValueError(f"--out must end in .{args.format} for --format {args.format}, got {out.name}")
    if args.format != "html" and (args.title or args.history or args.data):
        raise ValueError("--title, --history and --data are for --format html")
    if args.format == "html":
        return _export_lesson(args, out)
    net, card = _model(args)
    card = save_any(net, out, card)
    how = "deskew" if preprocess.wants_deskew(card) else "none"
    print(f"wrote {out}: {net.arch.describe()}, output {net.arch.output}, preprocess {how}")
    return 0


def _export_lesson(args: argparse.Namespace, out: Path) -> int:
    """nnviz export --format html: the lesson page of the model, with MNIST test digits when MNIST is here."""
    from nnviz.core.data.mnist import find_mnist, load_folder
    from nnviz.core.history import read_history
    from nnviz.lesson import write_page

    net, card = _mnist_model(args)
    model = Path(args.model) if args.model else SHIPPED_MODEL
    history = read_history(model, net.flat.size) if args.history and model.suffix == ".npz" else None
    folder = find_mnist(args.data)
    if args.data and folder is None:
        raise ValueError(f"--data {args.data}: no MNIST files there")
    digits = None
    if folder is not None:
        test = load_folder(folder)
        digits = (test.x_test, test.y_test)
    size = write_page(net, card, out, title=args.title, history=history, snapshots=args.history, digits=digits,
                      model_name=model.name)
    note = "" if digits else " (no MNIST found: the page has no test digits to browse; give --data DIR)"
    print(f"wrote {out}: {size / 1e6:.1f} MB, {net.arch.describe()}{note}")
    return 0


def cmd_install_desktop(args: argparse.Namespace, argv: list[str]) -> int:
    from nnviz.cli import desktop

    if args.remove:
        gone = desktop.remove()
        print("removed " + ", ".join(map(str, gone)) if gone else f"nothing to remove in {desktop.data_home()}")
    else:
        entry, icon, mime = desktop.install()
        print(f"wrote {entry}, {icon} and {mime}; nnviz is in the applications menu and opens .npz, .safetensors "
              "and .onnx models on a double-click (log in again if it does not show)")
    return 0


def cmd_doctor(args: argparse.Namespace, argv: list[str]) -> int:
    from nnviz.cli.doctor import run as doctor_run

    return doctor_run()


def cmd_render_strokes(args: argparse.Namespace, argv: list[str]) -> int:
    """Pen trajectories drawn through the canvas's own ink, as MNIST-like training digits."""
    from nnviz.handwriting import pendigits

    out = Path(args.out)
    if out.suffix != ".npz":
        raise ValueError(f"--out must name a .npz file, got {out}")
    check_target(out)
    samples = pendigits.load_pendigits(args.strokes)
    x, y, writers = pendigits.render_dataset(samples, args.copies, args.seed, set(args.exclude_writers))
    info = {"command": command_line(argv), "source": Path(args.strokes).name, "copies": args.copies,
            "excluded_writers": list(args.exclude_writers), "writers": sorted({int(w) for w in writers})}
    save_extra(out, x, y, info, writers=writers)
    print(f"wrote {out}: {len(x)} digits of {len(info['writers'])} writers")
    return 0
