"""What `nnviz train`, `evaluate`, `predict` and `doctor` do (argument parsing is in cli.py)."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from pathlib import Path

import numpy as np

from nnviz import __version__
from nnviz.core import preprocess
from nnviz.core.data import load_mnist
from nnviz.core.modelio import SHIPPED_MODEL, ModelError, load_model, save_model
from nnviz.core.network import Architecture, Network
from nnviz.core.training import BatchDone, EpochDone, Finished, TrainConfig, train
from nnviz.progress import ProgressBar


def run(args: argparse.Namespace, argv: list[str]) -> int:
    return {"train": cmd_train, "evaluate": cmd_evaluate, "predict": cmd_predict,
            "doctor": cmd_doctor, "animate": cmd_animate}[args.command](args, argv)


def _say(msg: str) -> None:
    print(msg, file=sys.stderr)


def cmd_train(args: argparse.Namespace, argv: list[str]) -> int:
    from nnviz.cli import command_line

    out = Path(args.out)
    if out.suffix != ".npz":
        raise ValueError(f"--out must name a .npz file, got {out}")
    cfg = TrainConfig(epochs=args.epochs, batch_size=args.batch_size, optimizer=args.optimizer, lr=args.lr,
                      schedule=args.schedule, l2=args.l2, augment=args.augment, deskew=args.deskew, seed=args.seed)
    data = load_mnist(args.data, progress=None if args.quiet else _download_progress)
    arch = Architecture((784, *args.hidden, 10), args.activation, "softmax", args.loss)
    net = Network(arch, seed=args.seed)
    bar = None if args.quiet else ProgressBar(sys.stderr)
    t0 = time.perf_counter()
    last_epoch: EpochDone | None = None
    history, events = _history_recording(args, net, train(net, data, cfg))
    for event in events:
        if isinstance(event, BatchDone) and bar:
            bar.batch(event, cfg.epochs)
        elif isinstance(event, EpochDone):
            last_epoch = event
            if bar:
                bar.epoch(event)
        elif isinstance(event, Finished) and event.reason != "completed":
            raise ValueError(event.message)
    wall = time.perf_counter() - t0
    card = {
        "training_command": command_line(argv), "seed": args.seed, "epochs": args.epochs,
        "config": cfg.__dict__, "wall_time_s": round(wall, 1),
        "test_accuracy": last_epoch.test_accuracy if last_epoch else None,
        "dataset": {"name": "MNIST", "checksums_md5": data.checksums()},
        "preprocess": {"deskew": args.deskew},
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
    from nnviz.animate import run_animate

    return run_animate(args)


def _download_progress(name: str, done: int, total: int) -> None:
    pct = f"{100 * done / total:5.1f}%" if total else f"{done >> 10} KiB"
    print(f"\rdownloading {name} {pct}", end="", file=sys.stderr, flush=True)


def _model(path: str | None):
    return load_model(Path(path) if path else SHIPPED_MODEL)


def cmd_evaluate(args: argparse.Namespace, argv: list[str]) -> int:
    net, card = _model(args.model)
    if net.sizes[0] != 784 or net.sizes[-1] != 10:
        raise ModelError(f"this model maps {net.sizes[0]} inputs to {net.sizes[-1]} outputs; MNIST needs 784 -> 10")
    data = load_mnist(args.data, progress=_download_progress)
    x = preprocess.deskew(data.x_test) if preprocess.wants_deskew(card) else data.x_test
    pred = net.predict(x)
    confusion = np.zeros((10, 10), np.int64)
    np.add.at(confusion, (data.y_test, pred), 1)
    per_class = (np.diag(confusion) / confusion.sum(1)).tolist()
    accuracy = float(np.mean(pred == data.y_test))
    if args.json:
        print(json.dumps({"accuracy": accuracy, "per_class": per_class, "confusion": confusion.tolist(),
                          "n": int(len(pred)), "model": str(args.model or SHIPPED_MODEL)}))
        return 0
    print(f"test accuracy: {accuracy:.4f} ({int(np.sum(pred == data.y_test))}/{len(pred)})")
    print("per class:   " + "  ".join(f"{d}:{a:.3f}" for d, a in enumerate(per_class)))
    print("confusion (rows = true digit, columns = predicted):")
    print("      " + " ".join(f"{d:5d}" for d in range(10)))
    for d in range(10):
        print(f"  {d}:  " + " ".join(f"{v:5d}" for v in confusion[d]))
    return 0


def cmd_predict(args: argparse.Namespace, argv: list[str]) -> int:
    from nnviz.imageio import read_image

    net, card = _model(args.model)
    if net.sizes[0] != 784:
        raise ModelError(f"this model takes {net.sizes[0]} inputs; images become 784 (28x28)")
    deskew = preprocess.wants_deskew(card)
    failures = 0
    for path in args.images:
        try:
            x = preprocess.image_to_input(read_image(path), deskew)
        except (OSError, ValueError) as exc:
            _say(f"nnviz: error: {exc}")
            failures += 1
            continue
        if x is None:
            result = {"file": path, "digit": None, "probabilities": None, "note": "blank image"}
        else:
            p = net.predict_proba(x)
            result = {"file": path, "digit": int(np.argmax(p)), "probabilities": [float(v) for v in p]}
        if args.json:
            print(json.dumps(result))
        elif result["digit"] is None:
            print(f"{path}: blank image, no digit")
        else:
            print(f"{path}: {result['digit']} ({max(result['probabilities']):.1%})")
    return 1 if failures else 0


def cmd_doctor(args: argparse.Namespace, argv: list[str]) -> int:
    from nnviz.doctor import run as doctor_run

    return doctor_run()
