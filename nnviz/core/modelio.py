"""Model files: a .npz of W1, b1, W2, b2, ... plus a JSON model card stored inside as UTF-8 bytes.

Loading never unpickles (allow_pickle=False) and refuses anything that is not exactly a network:
anything but a regular file, object arrays, missing or extra arrays, shapes that do not chain (all
checked from the zip directory and .npy headers before any array is read), non-finite values, weights
whose forward pass overflows, or a card that breaks its schema (modelcard.py) or disagrees with the
arrays. Writes are atomic: a temporary file in the same folder, then a rename.

Other formats' loaders (nnviz.interop) call `network_from_arrays(name, arrays, card)`: the same checks.
"""

from __future__ import annotations

import json
import os
import re
import zipfile
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import BinaryIO

import numpy as np

from .. import __version__
from . import modelcard, npzheaders, shipped
from .files import TargetError, check_regular_file, check_target, partial_file, remove_stale_partials
from .network import Architecture, Network

__all__ = ["CARD_KEY", "SHIPPED_MODEL", "ModelError", "TargetError", "check_layout", "check_target",
           "load_model", "make_card", "network_from_arrays", "save_model"]
CARD_KEY = "model_card_json"
_ARRAY_NAME = re.compile(r"^[Wb]([1-9][0-9]*)$")
OPTIONAL_PREFIX = "history_"  # optional arrays (a training history: core/history.py), skipped by load_model
MAX_HISTORY_BYTES = 512_000_000  # their bound (core.history keeps its snapshots within 150 MB)
MAX_FILE_BYTES = 200_000_000  # on disk
MAX_ARRAY_BYTES = 100_000_000  # all arrays uncompressed (25M float32 parameters; the default net has 0.27M)
MAX_LAYERS = modelcard.MAX_LAYERS
SHIPPED_MODEL = shipped.path("models", "mnist-784-300-100-10.npz")


class ModelError(Exception):
    """A model file cannot be used; the message says why."""



def make_card(arch: Architecture, dtype=np.float32, card: dict | None = None) -> dict:
    """card (or {}) completed with what the arrays say: format, architecture, n_params, dtype."""
    card = dict(card or {})
    card.update({"format": modelcard.FORMAT, "format_version": modelcard.FORMAT_VERSION,
                 "architecture": asdict(arch), "n_params": arch.n_params, "dtype": str(np.dtype(dtype))})
    card.setdefault("nnviz_version", __version__)
    return card


def save_model(net: Network, path: str | Path, card: dict | None = None, extra: dict | None = None) -> dict:
    """Write net (and its card) to path atomically. Returns the card as written.
    extra: optional arrays stored alongside, named history_* (core.history.History.arrays)."""
    path = Path(path)
    check_target(path)
    card = make_card(net.arch, net.dtype, card)
    arrays = net.state()
    arrays[CARD_KEY] = np.frombuffer(json.dumps(card, indent=1).encode(), np.uint8)
    arrays.update({k: v for k, v in (extra or {}).items() if k.startswith(OPTIONAL_PREFIX)})
    atomic_write(path, lambda f: np.savez(f, **arrays))
    return card


def card_for(net: Network, card: dict | None = None) -> dict:
    """A copy of card stamped with net's format, architecture, size and dtype (as every saved model has)."""
    return make_card(net.arch, net.dtype, card)


def atomic_write(path: str | Path, write: Callable[[BinaryIO], object]) -> None:
    """Call write(f) on a temporary file in path's folder, then rename it to path: all or nothing."""
    path = Path(path)
    check_target(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_partials(path.parent)  # what a save killed mid-write left
    fd, tmp = partial_file(path)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; a saved model is an ordinary file
    try:
        with os.fdopen(fd, "wb") as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def load_model(path: str | Path) -> tuple[Network, dict]:
    """Read a model file into a Network and its card, or raise ModelError saying what is wrong."""
    path = Path(path)
    check_regular_file(path, ModelError, MAX_FILE_BYTES)
    arrays = _read_arrays(path)
    card = _read_card(path.name, arrays.pop(CARD_KEY, None))
    return network_from_arrays(path.name, arrays, card), card


def network_from_arrays(name: str | Path, arrays: dict[str, np.ndarray], card: dict) -> Network:
    """The Network that arrays {W1, b1, W2, b2, ...} and a card describe, after every check (layout, values,
    card schema, card against arrays, a probe forward pass); else ModelError starting with name."""
    name = Path(name).name
    try:
        modelcard.validate_card(card)
    except modelcard.CardError as exc:
        raise ModelError(f"{name}: {exc}") from None
    sizes = check_layout(name, arrays)
    for key, arr in arrays.items():
        if not np.isfinite(arr).all():
            raise ModelError(f"{name}: {key} contains NaN or infinite values")
    arch = _arch_from_card(name, card, sizes)
    net = Network(arch, dtype=np.float32 if arrays["W1"].dtype == np.float32 else np.float64)
    net.load_state(arrays)
    _probe(name, net)
    return net


def _read_arrays(path: Path) -> dict[str, np.ndarray]:
    """Check the zip directory and .npy headers (shapes, dtypes, sizes) first, then read the arrays."""
    try:
        with open(path, "rb") as f:
            if f.read(6) == b"\x93NUMPY":
                raise ModelError(f"{path.name}: not a .npz model file (a bare .npy array)")
        # (a training history's arrays are bounded here, and read and checked by core.history)
        specs = npzheaders.read_specs(path, MAX_ARRAY_BYTES, OPTIONAL_PREFIX, MAX_HISTORY_BYTES)
        card_spec = specs.pop(CARD_KEY, None)
        if card_spec is not None and card_spec.size > modelcard.MAX_CARD_BYTES:
            raise ModelError(f"{path.name}: the model card is {card_spec.size} bytes "
                             f"(limit {modelcard.MAX_CARD_BYTES})")
        check_layout(path.name, specs)
        with np.load(path, allow_pickle=False) as npz:
            return {name: npz[name] for name in npz.files if not name.startswith(OPTIONAL_PREFIX)}
    except ModelError:
        raise
    except npzheaders.HeaderError as exc:
        raise ModelError(f"{path.name}: {exc}") from None
    except zipfile.BadZipFile:
        raise ModelError(f"{path.name}: not a valid .npz file (not a zip archive of arrays)") from None
    except Exception as exc:  # zip/npy parsing of a damaged file fails in many ways (ValueError, OSError,
        # SyntaxError from a mangled .npy header, NotImplementedError for an unknown compression, EOFError, ...)
        raise ModelError(f"{path.name}: not a readable .npz model file ({type(exc).__name__}: {exc})") from None


def _read_card(name: str, raw: np.ndarray | None) -> dict:
    if raw is None:
        raise ModelError(f"{name}: no model card inside (array {CARD_KEY!r} missing)")
    if raw.dtype != np.uint8 or raw.ndim != 1:
        raise ModelError(f"{name}: the model card is not stored as UTF-8 bytes")
    try:
        return modelcard.parse_card(raw.tobytes())
    except modelcard.CardError as exc:
        raise ModelError(f"{name}: {exc}") from None


def check_layout(name: str, arrays: dict) -> tuple[int, ...]:
    """Validate names, dtypes and shapes (of arrays or of npzheaders.Spec); return the layer sizes."""
    extra = sorted(n for n in arrays if not _ARRAY_NAME.match(n))
    if extra:
        raise ModelError(f"{name}: unexpected arrays {extra}")
    L = max((int(_ARRAY_NAME.match(n).group(1)) for n in arrays), default=0)
    if L > MAX_LAYERS:
        raise ModelError(f"{name}: an array for layer {L} is implausible")
    missing = sorted({f"{k}{l}" for l in range(1, L + 1) for k in "Wb"} - set(arrays))
    if L == 0 or missing:
        raise ModelError(f"{name}: missing arrays: {missing or 'no layers'} (found {sorted(arrays)})")
    sizes: list[int] = []
    for l in range(1, L + 1):
        W, b = arrays[f"W{l}"], arrays[f"b{l}"]
        for key, arr in ((f"W{l}", W), (f"b{l}", b)):
            if arr.dtype not in (np.float32, np.float64):
                raise ModelError(f"{name}: {key} has dtype {arr.dtype}, expected float32 or float64")
        if W.ndim != 2 or tuple(b.shape) != (W.shape[0],) or 0 in W.shape:
            raise ModelError(f"{name}: W{l} {tuple(W.shape)} and b{l} {tuple(b.shape)} do not form a layer")
        if sizes and W.shape[1] != sizes[-1]:
            raise ModelError(f"{name}: shapes do not chain: W{l} takes {W.shape[1]} inputs "
                             f"but layer {l - 1} has {sizes[-1]} outputs")
        if not sizes:
            sizes.append(int(W.shape[1]))
        sizes.append(int(W.shape[0]))
    return tuple(sizes)


def _arch_from_card(name: str, card: dict, sizes: tuple[int, ...]) -> Architecture:
    spec = card["architecture"]  # validated by modelcard: sizes, activation, output and loss are known
    if list(spec["sizes"]) != list(sizes):
        raise ModelError(f"{name}: the card says sizes {spec['sizes']} but the arrays are {list(sizes)}")
    return Architecture(tuple(sizes), spec["activation"], spec["output"], spec["loss"])


def _probe(name: str, net: Network) -> None:
    """Refuse weights whose forward pass overflows (finite but huge, e.g. 3e38) on plausible inputs:
    all zeros, all ones, and seeded uniform [0, 1] noise."""
    n_in = net.sizes[0]
    x = np.vstack([np.zeros(n_in), np.ones(n_in), np.random.default_rng(0).uniform(size=(6, n_in))])
    a = np.asarray(x, net.dtype)
    with np.errstate(all="ignore"):
        for l, (dense, act) in enumerate(zip(net.dense, net.activation_layers), start=1):
            z = dense._fwd(a)
            a = act._fwd(z)
            if not (np.isfinite(z).all() and np.isfinite(a).all()):
                raise ModelError(f"{name}: the forward pass overflows in layer {l} on a probe input "
                                 f"(weights up to {float(np.abs(dense.W).max()):.3g}); refused")
