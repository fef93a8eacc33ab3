"""Models in other formats: .safetensors (PyTorch's names) and .onnx, next to nnviz's own .npz.

One call opens any of them, one exception says "ask the user":

    try:
        net, card = load_any(path)
    except NeedsActivation as exc:  # exc.missing: ("activation", "preprocess"); exc.choices: their values
        net, card = load_any(path, activation="relu", preprocess="deskew")

Every failure is a ModelError with a one-line message (NeedsActivation and MissingExtra are ModelErrors);
nothing is changed until a load succeeds. The formats need the optional packages safetensors and onnx
(pip install 'nnviz[formats]'); .npz needs neither.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from nnviz.core.activations import ACTIVATIONS
from nnviz.core.modelio import ModelError, load_model, save_model
from nnviz.core.network import Network

from .common import PREPROCESS, MissingExtra, NeedsActivation, one_line

SUFFIXES = (".npz", ".safetensors", ".onnx")
FILE_FILTER = "Models (*.npz *.safetensors *.onnx);;nnviz models (*.npz);;safetensors (*.safetensors);;ONNX (*.onnx)"
__all__ = ["FILE_FILTER", "PREPROCESS", "SUFFIXES", "MissingExtra", "ModelError", "NeedsActivation", "load_any",
           "save_any"]


def _module(path: Path):
    from . import onnx_io, safetensors_io

    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise ModelError(f"{path.name}: unknown model format {suffix or '(no suffix)'!r}; "
                         f"nnviz reads and writes {', '.join(SUFFIXES)}")
    return {".safetensors": safetensors_io, ".onnx": onnx_io}.get(suffix)


def load_any(path: str | Path, activation: str | None = None, preprocess: str | None = None) -> tuple[Network, dict]:
    """(Network, card) from a .npz, .safetensors or .onnx file (by its suffix).

    activation (the hidden layers' g) and preprocess ("deskew" or "none") are used where the file does not
    say, and override what it says (except an ONNX graph's own activation operators).
    """
    path = Path(path)
    module = _module(path)
    if module is not None:
        try:
            return module.load(path, activation, preprocess)
        except ModelError as exc:  # every message one readable line (a 20-million-entry list made one 60 MB)
            exc.args = (one_line(str(exc)),)
            raise
    net, card = load_model(path)
    if activation is not None and activation not in ACTIVATIONS:
        raise ModelError(f"unknown activation {activation!r}; choose from {', '.join(ACTIVATIONS)}")
    if activation is not None and activation != net.arch.activation:
        twin = Network(dataclasses.replace(net.arch, activation=activation), dtype=net.dtype)
        twin.flat[...] = net.flat
        net, card = twin, {**card, "architecture": dataclasses.asdict(twin.arch)}
    if preprocess is not None:
        if preprocess not in PREPROCESS:
            raise ModelError(f"unknown preprocessing {preprocess!r}; choose {' or '.join(PREPROCESS)}")
        before = card.get("preprocess") if isinstance(card.get("preprocess"), dict) else {}
        card = {**card, "preprocess": {**before, "deskew": preprocess == "deskew"}}
    return net, card


def save_any(net: Network, path: str | Path, card: dict | None = None) -> dict:
    """Write net (and its card) as .npz, .safetensors or .onnx by path's suffix, atomically. Returns the card."""
    path = Path(path)
    module = _module(path)
    return (module.save if module is not None else save_model)(net, path, card)
