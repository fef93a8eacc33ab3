"""The `nnviz` command's arguments: the parser, its value types, and the command line a card records.

Every failure the user can cause in the arguments ends in one line (UsageError), never a traceback.
"""

from __future__ import annotations

import argparse
import shlex

from nnviz import __version__

EXIT_USAGE, EXIT_FAILURE = 2, 1


class UsageError(Exception):
    pass


class Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, not usage + message
        raise UsageError(f"{self.prog}: {message} (see {self.prog} --help)")


def positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def frame_rate(text: str) -> float:
    value = float(text)
    if not 0.1 <= value <= 60:  # (NaN fails too)
        raise argparse.ArgumentTypeError(f"must be between 0.1 and 60 frames per second, got {text}")
    return value


def positive_float(text: str) -> float:
    value = float(text)
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"must be a positive number, got {text}")
    return value


def non_negative_float(text: str) -> float:
    value = float(text)
    if not value >= 0 or value == float("inf"):  # NaN fails the comparison
        raise argparse.ArgumentTypeError(f"must be a non-negative number, got {text}")
    return value


def seed_int(text: str) -> int:
    value = int(text)
    if not 0 <= value < 2**63:
        raise argparse.ArgumentTypeError(f"must be a whole number from 0 to 2**63-1, got {text}")
    return value


def hidden_sizes(text: str) -> tuple[int, ...]:
    from nnviz.core.sizes import parse_sizes

    try:
        return parse_sizes(text)  # too big for the machine: core.budget refuses it with the estimate
    except ValueError as exc:  # argparse shows an ArgumentTypeError's own text
        raise argparse.ArgumentTypeError(str(exc)) from None


DATA_HELP = "folder with the four MNIST .gz files (the only one used; default: $NNVIZ_DATA, then the cache)"


def build_parser() -> Parser:
    p = Parser(prog="nnviz", description="Watch, poke and take apart a neural network. With no command, opens the "
               "desktop app; `nnviz MODEL` opens it with that .npz, .safetensors or .onnx file.")
    p.add_argument("--version", action="version", version=f"nnviz {__version__}")
    # Also accepted after train/evaluate; there it must not reset the value given before the command.
    p.add_argument("--data", metavar="DIR", help=DATA_HELP)
    sub = p.add_subparsers(dest="command", parser_class=Parser)

    t = sub.add_parser("train", help="train a network on MNIST and save it")
    t.add_argument("--hidden", type=hidden_sizes, default=(300, 100), help="hidden layer sizes (default 300,100)")
    t.add_argument("--activation", default="relu", choices=["relu", "sigmoid", "tanh", "linear"])
    t.add_argument("--loss", default="cross_entropy", choices=["cross_entropy", "squared_error"])
    t.add_argument("--optimizer", default="adam", choices=["sgd", "momentum", "adam"])
    t.add_argument("--lr", type=positive_float, default=1e-3, help="learning rate (default 0.001)")
    t.add_argument("--schedule", default="constant", choices=["constant", "cosine"])
    t.add_argument("--l2", type=non_negative_float, default=0.0, help="L2 weight decay (default 0)")
    t.add_argument("--batch-size", type=positive_int, default=128)
    t.add_argument("--epochs", type=positive_int, default=10)
    t.add_argument("--augment", action="store_true", help="random shifts, rotations, scaling, elastic distortion")
    t.add_argument("--deskew", action="store_true", help="train on deskewed digits (inputs are deskewed too)")
    t.add_argument("--seed", type=seed_int, default=0)
    t.add_argument("--data", metavar="DIR", default=argparse.SUPPRESS, help=DATA_HELP)
    t.add_argument("--out", required=True, metavar="MODEL.npz", help="where to write the model")
    t.add_argument("--extra", metavar="DIGITS.npz", help="more training digits (e.g. from render-strokes)")
    t.add_argument("--quiet", action="store_true", help="no progress bar")
    t.add_argument("--history", metavar="FILE.npz", help="also write the model with its training history "
                   "(weight snapshots, dense early and sparse late) to FILE.npz: the app can rewind it")
    t.add_argument("--history-mb", type=positive_float, default=150.0, help="memory budget of the history (MB)")

    e = sub.add_parser("evaluate", help="test accuracy, per-class accuracy and confusion matrix")
    model_options(e)
    e.add_argument("--data", metavar="DIR", default=argparse.SUPPRESS, help=DATA_HELP)
    e.add_argument("--images", metavar="DIR", help="evaluate on a folder of sub-folders 0-9 of digit images instead")
    e.add_argument("--json", action="store_true", help="print one JSON object")

    r = sub.add_parser("predict", help="classify digit images (any format Qt reads, any size, either polarity)")
    model_options(r)
    r.add_argument("--json", action="store_true", help="one JSON object per image")
    r.add_argument("images", nargs="+", metavar="IMAGE")

    x = sub.add_parser("export", help="write a model as .safetensors (PyTorch), .onnx or .npz, or as a lesson page "
                       "(.html: one file that draws, predicts and backpropagates in any browser, offline)")
    model_options(x)
    x.add_argument("--format", required=True, choices=["safetensors", "onnx", "npz", "html"])
    x.add_argument("--out", required=True, metavar="FILE", help="where to write it (ending in .FORMAT)")
    x.add_argument("--title", default="", help="html: the page's title, e.g. '10-315, lecture 7'")
    x.add_argument("--history", type=positive_int, default=0, metavar="N",
                   help="html: N snapshots of the model's training history (a .npz saved with one) to scrub")
    x.add_argument("--data", metavar="DIR", help="html: the MNIST folder whose test digits the page bundles "
                   "(default: $NNVIZ_DATA or the cache; without MNIST the page has none to browse)")

    rs = sub.add_parser("render-strokes", help="draw pen trajectories through the canvas's ink: training digits")
    rs.add_argument("--strokes", required=True, metavar="FILE.json.gz", help="pendigits strokes (see README)")
    rs.add_argument("--out", required=True, metavar="DIGITS.npz", help="where to write them")
    rs.add_argument("--copies", type=positive_int, default=2, help="renders per trajectory (sizes, places)")
    rs.add_argument("--exclude-writers", type=writers_list, default=(), metavar="LIST",
                    help="writers to leave out, e.g. 1-10 (to evaluate on them later)")
    rs.add_argument("--seed", type=seed_int, default=0)

    sub.add_parser("doctor", help="check the installation: versions, Qt platform, MNIST cache, model")
    d = sub.add_parser("install-desktop", help="add nnviz to the applications menu (Linux; $XDG_DATA_HOME)")
    d.add_argument("--remove", action="store_true", help="take the menu entry and icon away again")
    _animate_parser(sub)
    _compare_parser(sub)
    return p


MAX_WRITER = 10_000  # writer numbers (the pendigits set has 44 writers)


def writers_list(text: str) -> tuple[int, ...]:
    """"1-5,9" -> (1, 2, 3, 4, 5, 9); writer numbers from 0 to MAX_WRITER."""
    out: set[int] = set()
    try:
        for part in filter(None, (p.strip() for p in text[:1000].split(","))):
            lo, _, hi = part.partition("-")
            lo, hi = int(lo), int(hi or lo)
            if not 0 <= lo <= hi <= MAX_WRITER:
                raise argparse.ArgumentTypeError(f"writer numbers go from 0 to {MAX_WRITER}, got {part!r}")
            out.update(range(lo, hi + 1))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected writer numbers like 1-5,9, got {text[:60]!r}") from None
    return tuple(sorted(out))


def model_options(p: argparse.ArgumentParser) -> None:
    """--model and the choices a model file may leave open (safetensors and ONNX files often do)."""
    from nnviz.core.activations import ACTIVATIONS

    p.add_argument("--model", metavar="MODEL", help="a .npz, .safetensors or .onnx model (default: the shipped one)")
    p.add_argument("--activation", choices=list(ACTIVATIONS),
                   help="the hidden layers' g, for a file that does not say (overrides the file's metadata)")
    p.add_argument("--preprocess", choices=["deskew", "none"],
                   help="the input pipeline the model expects, for a file that does not say (overrides it)")


def _compare_parser(sub) -> None:
    """`nnviz compare`: runs that differ in one thing, trained in lockstep on the same minibatches."""
    from nnviz.core.compare import PRESETS

    c = sub.add_parser("compare", help="train 2-4 runs in lockstep on the same batches; JSON and a PNG of curves")
    c.add_argument("--preset", choices=list(PRESETS), help="g: sigmoid/ReLU/tanh; alpha: too small/right/too "
                   "large; optimizer: SGD/momentum/Adam; init: zeros/small random/He")
    c.add_argument("--config", action="append", metavar="RUN.toml", default=[],
                   help="a run's settings (name, activation, optimizer, lr, init, hidden); give 2 to 4")
    c.add_argument("--epochs", type=positive_int, default=1)
    c.add_argument("--batch-size", type=positive_int, default=128)
    c.add_argument("--images", type=positive_int, default=None, help="train on the first N training images")
    c.add_argument("--seed", type=seed_int, default=0)
    c.add_argument("--out", required=True, metavar="DIR", help="writes DIR/compare.json and DIR/compare.png")
    c.add_argument("--data", metavar="DIR", help=DATA_HELP)


def _animate_parser(sub) -> None:
    """`nnviz animate backprop|history`: animations rendered offscreen with the app's own views."""
    a = sub.add_parser("animate", help="render an animation (GIF, APNG .png, MP4) offscreen, no screen needed")
    a.add_argument("what", choices=["backprop", "history"], help="backprop: the inspector's walk through one "
                   "digit; history: a training history replayed (needs MODEL.npz saved with a history)")
    a.add_argument("model", nargs="?", metavar="MODEL.npz", help="default: the shipped model (backprop only)")
    a.add_argument("--digit", type=int, default=7, choices=range(10), metavar="D",
                   help="backprop: the first MNIST test image of this digit (default 7)")
    a.add_argument("--target", type=int, default=None, choices=range(10), metavar="K",
                   help="backprop: the target y of the backward pass (default: the label where the network is "
                        "wrong or unsure, else the runner-up class: what if this were a K?)")
    a.add_argument("--out", required=True, metavar="FILE", help=".gif, .png (APNG) or .mp4")
    a.add_argument("--3d", dest="three_d", action="store_true",
                   help="backprop: the walk in the 3-D view, turning as it plays (needs a display with OpenGL: X, "
                        "or xvfb-run with Mesa)")
    a.add_argument("--size", default="960x600", metavar="WxH", help="frame size in pixels (default 960x600)")
    a.add_argument("--fps", type=frame_rate, default=None,
                   help="frames per second (default: 2 backprop, 10 history)")
    a.add_argument("--data", metavar="DIR", help="folder with the four MNIST .gz files")


MODEL_SUFFIXES = (".npz", ".safetensors", ".onnx")


def split_model(argv: list[str], commands) -> tuple[list[str], str | None]:
    """`nnviz MODEL` (a double-clicked file: Exec=nnviz %f) opens the app with that model: (argv without
    it, MODEL). Only a last word that names no command and ends in a model suffix counts."""
    if argv and not argv[-1].startswith("-") and argv[-1] not in commands \
            and argv[-1].lower().endswith(MODEL_SUFFIXES) and not set(argv[:-1]) & set(commands):
        return argv[:-1], argv[-1]
    return argv, None


def command_line(argv: list[str]) -> str:
    return "nnviz " + shlex.join(argv)
