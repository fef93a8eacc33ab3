"""Build the lesson page: the template, its script and style, and the data they read, in one HTML file.

The data is one JSON object in a `<script type="application/json">` element (never executed; `<` is
escaped so no string in it can close the element): the network's sizes, activation and preprocessing,
each layer's W and b as base64 little-endian float32, the card (shown as text only), test digits as
base64 uint8, and history snapshots as base64 float16 (the page reads float16 exactly; a snapshot's
weights are then within 2⁻¹¹ relative of the float32 ones, as the app's own history keeps them).
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from importlib import resources
from pathlib import Path

import numpy as np

from nnviz import __version__
from nnviz.core.files import check_target
from nnviz.core.history import History
from nnviz.core.modelio import atomic_write
from nnviz.core.network import Network
from nnviz.core.preprocess import wants_deskew

MAX_BYTES = 5_000_000  # the default model's page, without history, is ~1.5 MB
MAX_SNAPSHOTS = 40
DIGITS_PER_CLASS = 5
ACTIVATIONS = ("relu", "sigmoid", "tanh", "linear", "step")


class LessonError(ValueError):
    """The page cannot be made as asked (the message says why)."""


def _asset(name: str) -> str:
    return resources.files("nnviz.lesson").joinpath("assets", name).read_text(encoding="utf-8")


def _b64(a: np.ndarray, dtype: str) -> str:
    return base64.b64encode(np.ascontiguousarray(a, dtype=dtype).tobytes()).decode("ascii")


def _csp_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def _digits(x: np.ndarray | None, y: np.ndarray | None) -> dict | None:
    """DIGITS_PER_CLASS test digits of each class, in the test set's order (uint8 pixels, 0-255)."""
    if x is None or y is None:
        return None
    pixels = np.asarray(x).reshape(len(x), -1)
    if pixels.shape[1] != 784:
        return None
    picked = [i for c in range(10) for i in np.flatnonzero(np.asarray(y) == c)[:DIGITS_PER_CLASS]]
    picked.sort()
    stored = pixels[picked]
    if stored.dtype != np.uint8:
        stored = np.clip(np.rint(np.asarray(stored, np.float32) * 255), 0, 255)
    return {"pixels": _b64(stored, "u1"), "labels": [int(y[i]) for i in picked], "index": [int(i) for i in picked]}


def _history(history: History | None, snapshots: int, n_params: int) -> list[dict]:
    if not snapshots:
        return []
    if history is None or len(history) < 2:
        raise LessonError("the model has no training history to scrub: train it with one (Train in the app, "
                          "or nnviz train --history FILE.npz), or leave out --history")
    if not 2 <= snapshots <= MAX_SNAPSHOTS:
        raise LessonError(f"--history takes 2 to {MAX_SNAPSHOTS} snapshots, got {snapshots}")
    chosen = sorted({round(k * (len(history) - 1) / (snapshots - 1)) for k in range(snapshots)})
    out = []
    for i in chosen:
        flat, moment = history.weights(i), history.moment(i)
        if flat.size != n_params:
            raise LessonError("the training history belongs to another network")
        out.append({"t": moment.t, "epoch": round(moment.x, 3), "loss": None if not np.isfinite(moment.loss)
                    else round(float(moment.loss), 4), "flat": _b64(flat, "<f2")})
    return out


def page_data(net: Network, card: dict, title: str, history: History | None = None, snapshots: int = 0,
              digits: tuple[np.ndarray, np.ndarray] | None = None, model_name: str = "") -> dict:
    if net.arch.activation not in ACTIVATIONS:
        raise LessonError(f"the page cannot run the activation {net.arch.activation!r}")
    if net.arch.output != "softmax":
        raise LessonError("the page shows classifiers: the model's output must be softmax")
    if net.sizes[0] != 784:
        raise LessonError(f"the page's pad draws 28x28 digits (784 inputs); this model takes {net.sizes[0]}")
    layers = [{"W": _b64(layer.W, "<f4"), "b": _b64(layer.b, "<f4")} for layer in net.dense]
    return {"title": title, "model": model_name, "version": __version__, "sizes": list(net.sizes),
            "activation": net.arch.activation, "deskew": wants_deskew(card), "layers": layers,
            "card": {k: card[k] for k in ("note", "test_accuracy", "epochs", "training_command", "date", "dataset")
                     if k in card},
            "digits": _digits(*(digits or (None, None))), "history": _history(history, snapshots, net.flat.size)}


def build_page(net: Network, card: dict, title: str = "", history: History | None = None, snapshots: int = 0,
               digits: tuple[np.ndarray, np.ndarray] | None = None, model_name: str = "") -> str:
    """The page's HTML, one string."""
    data = json.dumps(page_data(net, card, title, history, snapshots, digits, model_name), allow_nan=False,
                      separators=(",", ":"))
    data = data.replace("<", "\\u003c")  # no "</script>" (or "<!--") can appear inside the element
    script, style = _asset("lesson.js"), _asset("lesson.css")
    csp = (f"default-src 'none'; script-src {_csp_hash(script)}; style-src {_csp_hash(style)}; img-src data:; "
           "base-uri 'none'; form-action 'none'")
    values = {"CSP": html.escape(csp), "TITLE": html.escape(title or "nnviz lesson"), "STYLE": style, "DATA": data,
              "SCRIPT": script}
    # one pass over the template: what is put in is never searched again (a title "{{SCRIPT}}" stays text)
    return re.sub(r"\{\{(CSP|TITLE|STYLE|DATA|SCRIPT)\}\}", lambda m: values[m.group(1)], _asset("lesson.html"))


def write_page(net: Network, card: dict, path: str | Path, title: str = "", history: History | None = None,
               snapshots: int = 0, digits: tuple[np.ndarray, np.ndarray] | None = None,
               model_name: str = "") -> int:
    """Write the page to path (atomically: a failure leaves no half-written file); its size in bytes."""
    path = Path(path)
    if path.suffix.lower() not in (".html", ".htm"):
        raise LessonError(f"the lesson page is an .html file, got {path.name}")
    check_target(path)
    text = build_page(net, card, title, history, snapshots, digits, model_name).encode("utf-8")
    if len(text) > MAX_BYTES and not snapshots:
        raise LessonError(f"the page would be {len(text) / 1e6:.1f} MB, more than {MAX_BYTES / 1e6:.0f} MB: "
                          "a smaller network shares better")
    atomic_write(path, lambda f: f.write(text))
    return len(text)
