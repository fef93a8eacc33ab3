"""What the .safetensors and .onnx adapters share: the errors, the metadata they write and read, and
turning a file's dense layers into a Network through modelio's own checks (the .npz ones).

A file describes the network as layers (the file's tensor names and their arrays) and a few strings of
metadata: `activation` (the hidden layers' g), `output`, `preprocess` (`deskew` or `none`) and
`model_card` (the nnviz card as JSON). What the file does not say, the caller chooses; when it is not
chosen either, NeedsActivation says what to ask for.
"""

from __future__ import annotations

import importlib
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from nnviz.core import modelcard
from nnviz.core.activations import ACTIVATIONS
from nnviz.core.files import check_regular_file
from nnviz.core.modelio import MAX_ARRAY_BYTES, MAX_FILE_BYTES, ModelError, card_for, network_from_arrays
from nnviz.core.network import Network
from nnviz.core.preprocess import wants_deskew

PREPROCESS = ("deskew", "none")  # what a model's input goes through: see nnviz.core.preprocess.model_input
INSTALL_HINT = "pip install 'nnviz[formats]'"


class NeedsActivation(ModelError):
    """The file does not say its hidden layers' activation and/or its input preprocessing.

    missing: the names to choose ("activation", "preprocess"); choices: the allowed values of each;
    sizes: the layer sizes the weights have (to show while asking). Load again with the choices
    (load_any(path, activation=..., preprocess=...)).
    """

    def __init__(self, path: Path, missing: tuple[str, ...], sizes: tuple[int, ...] = ()):
        self.path, self.missing, self.sizes = path, missing, sizes
        self.choices = {"activation": tuple(ACTIVATIONS), "preprocess": PREPROCESS}
        said = {"activation": f"which activation its hidden layers use ({', '.join(ACTIVATIONS)})",
                "preprocess": f"how its input is preprocessed ({' or '.join(PREPROCESS)})"}
        flags = " and ".join(f"--{name}" for name in missing)
        super().__init__(f"{path.name}: the file does not say {' nor '.join(said[m] for m in missing)}; "
                         f"choose with {flags}")


class MissingExtra(ModelError):
    """An optional package for this format is not installed."""


def require(module: str, path: Path):
    """Import an optional format package, or MissingExtra naming the extra that installs it."""
    try:
        return importlib.import_module(module)
    except ImportError:
        raise MissingExtra(f"{Path(path).name}: {Path(path).suffix} models need the {module.split('.')[0]} package: "
                           f"{INSTALL_HINT}") from None


def check_size(path: Path) -> None:
    """A regular file (not a FIFO, which would hang the read, nor /dev/zero, which never ends) no larger
    than a model file can be, checked before it is opened; else ModelError naming it."""
    check_regular_file(path, ModelError, MAX_FILE_BYTES)


def check_total(path: Path, shapes: list[tuple[int, ...]], itemsizes: list[int]) -> None:
    """The weights' bytes as the file stores them, from their shapes (before any is read): at most the
    MAX_ARRAY_BYTES a .npz may hold, so that every format opens what the others do, and export never
    writes a file open refuses."""
    total = sum(float(np.prod(s, dtype=np.float64)) * k for s, k in zip(shapes, itemsizes))
    if total > MAX_ARRAY_BYTES:
        raise ModelError(f"{path.name}: its weights take {total / 1e6:,.0f} MB (limit {MAX_ARRAY_BYTES / 1e6:,.0f} "
                         "MB for any model file)")


def one_line(text: str, limit: int = 300) -> str:
    """A message as one readable line: the first line, cut to `limit` characters."""
    first = text.strip().splitlines()[0] if text.strip() else text
    return first if len(first) <= limit else first[:limit - 1] + "…"


def check_matrix(path: Path, name: str, shape: tuple[int, ...]) -> None:
    """Refuse a weight that is not a dense layer's (out, in) matrix, saying what it looks like."""
    if len(shape) == 2:
        return
    kind = {0: "a scalar", 1: "a vector (a normalisation layer's scale?)", 3: "a 1-D convolution's kernel",
            4: "a 2-D convolution's kernel", 5: "a 3-D convolution's kernel"}.get(len(shape), "not a matrix")
    raise ModelError(f"{path.name}: {name} has shape {tuple(shape)}, {kind}, not a dense layer's (out, in) "
                     "matrix; nnviz opens chains of dense (Linear) layers only")


@dataclass
class Layer:
    """One dense layer as the file stores it: W (out, in), b (out,) or None for no bias."""

    W_name: str
    W: np.ndarray
    b_name: str | None = None
    b: np.ndarray | None = None


def metadata_for(net: Network, card: dict | None) -> tuple[dict, dict[str, str]]:
    """(the card as written, the string metadata that carries it and the model's choices)."""
    card = card_for(net, card)
    return card, {"activation": net.arch.activation, "output": net.arch.output,
                  "preprocess": "deskew" if wants_deskew(card) else "none", "model_card": json.dumps(card)}


def torch_names(l: int) -> tuple[str, str]:
    """Layer l's (0-based) tensor names in nn.Sequential(Linear, g, Linear, g, ..., Linear)."""
    return f"{2 * l}.weight", f"{2 * l}.bias"


def build(path: Path, layers: list[Layer], said: dict[str, str], activation: str | None = None,
          preprocess: str | None = None) -> tuple[Network, dict]:
    """The Network and card for a file's layers and metadata (`said`), the caller's choices first."""
    if not layers:
        raise ModelError(f"{path.name}: no dense layers found")
    odd = sorted(repr(k) for k, v in said.items() if not isinstance(k, str) or not isinstance(v, str))
    if odd:  # protobuf hands back bytes for strings that are not UTF-8
        raise ModelError(f"{path.name}: metadata {', '.join(odd)} is not text")
    card = _card_from(path, said.get("model_card"))
    spec = _spec(path, card)
    sizes = [layers[0].W.shape[-1]] + [layer.W.shape[0] for layer in layers]
    activation, preprocess = _choices(path, said, card, tuple(sizes), activation, preprocess)
    output = said.get("output") or spec.get("output") or "softmax"
    card["architecture"] = {"sizes": spec.get("sizes", sizes), "activation": activation, "output": output,
                            "loss": spec.get("loss") or ("cross_entropy" if output == "softmax" else "squared_error")}
    card["preprocess"] = {**(card.get("preprocess") if isinstance(card.get("preprocess"), dict) else {}),
                          "deskew": preprocess == "deskew"}
    card["format"], card["format_version"] = modelcard.FORMAT, modelcard.FORMAT_VERSION  # now an nnviz model
    arrays = {}
    for l, layer in enumerate(layers, start=1):
        arrays[f"W{l}"] = layer.W
        arrays[f"b{l}"] = layer.b if layer.b is not None else np.zeros(layer.W.shape[:1], layer.W.dtype)
    try:
        net = network_from_arrays(path, arrays, card)
    except ModelError as exc:  # modelio says W2, b2: say which of the file's tensors those are
        legend = ", ".join(f"W{l} = {layer.W_name}" for l, layer in enumerate(layers, start=1))
        raise ModelError(f"{exc} ({legend})") from None
    return net, json.loads(json.dumps(card_for(net, card)))  # lists, not tuples: as a card read from .npz


def _choices(path: Path, said: dict[str, str], card: dict, sizes: tuple[int, ...], activation: str | None,
             preprocess: str | None) -> tuple[str, str]:
    """(activation, preprocess): the caller's, else the metadata's, else the card's, else NeedsActivation."""
    activation = activation or said.get("activation") or _spec(path, card).get("activation")
    if preprocess is None and said.get("preprocess"):
        preprocess = said["preprocess"]
    elif preprocess is None and isinstance(card.get("preprocess"), dict):
        preprocess = "deskew" if wants_deskew(card) else "none"
    missing = (("activation",) if activation is None and len(sizes) > 2 else ()) + \
        (("preprocess",) if preprocess is None else ())
    if missing:
        raise NeedsActivation(path, missing, sizes)
    if preprocess not in PREPROCESS:
        raise ModelError(f"{path.name}: unknown preprocessing {preprocess!r}; choose {' or '.join(PREPROCESS)}")
    return activation or "relu", preprocess  # (one layer: no hidden g to ask about)


def _spec(path: Path, card: dict) -> dict:
    """The card's architecture, if it has one of the right shape (modelio checks the values)."""
    spec = card.get("architecture", {})
    ok = isinstance(spec, dict) and all(isinstance(spec.get(k, ""), str) for k in ("activation", "output", "loss")) \
        and isinstance(spec.get("sizes", []), list)
    if not ok:
        raise ModelError(f"{path.name}: the model_card metadata has a malformed architecture")
    return spec


def _card_from(path: Path, text: str | None) -> dict:
    if text is None:
        return {}
    if len(text) > modelcard.MAX_CARD_BYTES:  # the same limit as a .npz's card
        raise ModelError(f"{path.name}: the model_card metadata is {len(text):,} characters "
                         f"(limit {modelcard.MAX_CARD_BYTES:,})")
    try:
        card = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as exc:
        raise ModelError(f"{path.name}: the model_card metadata is not valid JSON ({exc})") from None
    if not isinstance(card, dict) or card.get("format") != "nnviz-model":
        raise ModelError(f"{path.name}: the model_card metadata is not an nnviz model card")
    return card
