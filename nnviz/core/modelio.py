"""Model files: a .npz of W1, b1, W2, b2, ... plus a JSON model card stored inside as UTF-8 bytes.

Loading never unpickles (allow_pickle=False) and refuses anything that is not exactly a network:
object arrays, missing or extra arrays, shapes that do not chain, non-finite values, or a card that
disagrees with the arrays. Writes are atomic: a temporary file in the same folder, then a rename.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from dataclasses import asdict
from pathlib import Path

import numpy as np

from .. import __version__
from .activations import ACTIVATIONS
from .losses import LOSSES
from .network import Architecture, Network

CARD_KEY = "model_card_json"
_ARRAY_NAME = re.compile(r"^[Wb]([1-9][0-9]*)$")
OPTIONAL_PREFIX = "history_"  # optional arrays (a training history: core/history.py), skipped by load_model
MAX_FILE_BYTES = 200_000_000
SHIPPED_MODEL = Path(__file__).resolve().parents[2] / "resources" / "models" / "mnist-784-300-100-10.npz"


class ModelError(Exception):
    """A model file cannot be used; the message says why."""


def save_model(net: Network, path: str | Path, card: dict | None = None, extra: dict | None = None) -> dict:
    """Write net (and its card) to path atomically. Returns the card as written.
    extra: optional arrays stored alongside, named history_* (core.history.History.arrays)."""
    path = Path(path)
    card = dict(card or {})
    card.update({"format": "nnviz-model", "format_version": 1, "architecture": asdict(net.arch),
                 "n_params": net.arch.n_params, "dtype": str(net.dtype)})
    card.setdefault("nnviz_version", __version__)
    arrays = net.state()
    arrays[CARD_KEY] = np.frombuffer(json.dumps(card, indent=1).encode(), np.uint8)
    arrays.update({k: v for k, v in (extra or {}).items() if k.startswith(OPTIONAL_PREFIX)})
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; a saved model is an ordinary file
    try:
        with os.fdopen(fd, "wb") as f:
            np.savez(f, **arrays)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return card


def load_model(path: str | Path) -> tuple[Network, dict]:
    """Read a model file into a Network and its card, or raise ModelError saying what is wrong."""
    path = Path(path)
    arrays = _read_arrays(path)
    card = _read_card(path, arrays.pop(CARD_KEY, None))
    sizes = _check_arrays(path, arrays)
    arch = _arch_from_card(path, card, sizes)
    net = Network(arch, dtype=np.float32 if arrays["W1"].dtype == np.float32 else np.float64)
    net.load_state(arrays)
    return net, card


def _read_arrays(path: Path) -> dict[str, np.ndarray]:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ModelError(f"{path.name}: cannot open {path} ({exc.strerror or exc})") from None
    if size > MAX_FILE_BYTES:
        raise ModelError(f"{path.name}: {size} bytes is far too large for a model file")
    try:
        npz = np.load(path, allow_pickle=False)
        if not isinstance(npz, np.lib.npyio.NpzFile):  # a bare .npy array has no context manager
            raise ModelError(f"{path.name}: not a .npz model file (a bare .npy array)")
        with npz:
            arrays = {name: npz[name] for name in npz.files if not name.startswith(OPTIONAL_PREFIX)}
        odd = sorted(name for name, arr in arrays.items() if not isinstance(arr, np.ndarray))
        if odd:  # numpy hands back raw bytes for members that are not .npy data
            raise ModelError(f"{path.name}: {odd} are not arrays")
        return arrays
    except ModelError:
        raise
    except ValueError as exc:
        if "object arrays" in str(exc).lower():  # not numpy's "file containing pickled data" (any other file)
            raise ModelError(f"{path.name}: contains object arrays that would need pickle; refused") from None
        if "pickle" in str(exc).lower():  # numpy's guess for a file that is neither a .npz nor a .npy
            raise ModelError(f"{path.name}: not a valid .npz file (not a zip archive of arrays)") from None
        raise ModelError(f"{path.name}: not a valid .npz file ({exc})") from None
    except Exception as exc:  # zip/npy parsing of a damaged file fails in many ways (BadZipFile, OSError,
        # SyntaxError from a mangled .npy header, NotImplementedError for an unknown compression, MemoryError, ...)
        raise ModelError(f"{path.name}: not a readable .npz model file ({type(exc).__name__}: {exc})") from None


def _read_card(path: Path, raw: np.ndarray | None) -> dict:
    if raw is None:
        raise ModelError(f"{path.name}: no model card inside (array {CARD_KEY!r} missing)")
    if raw.dtype != np.uint8 or raw.ndim != 1:
        raise ModelError(f"{path.name}: the model card is not stored as UTF-8 bytes")
    try:
        card = json.loads(raw.tobytes().decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelError(f"{path.name}: the model card is not valid JSON ({exc})") from None
    if not isinstance(card, dict) or card.get("format") != "nnviz-model":
        raise ModelError(f"{path.name}: the model card is not an nnviz model card")
    return card


def _check_arrays(path: Path, arrays: dict[str, np.ndarray]) -> tuple[int, ...]:
    """Validate names, dtypes, shapes and values; return the layer sizes."""
    extra = sorted(n for n in arrays if not _ARRAY_NAME.match(n))
    if extra:
        raise ModelError(f"{path.name}: unexpected arrays {extra}")
    L = max((int(_ARRAY_NAME.match(n).group(1)) for n in arrays), default=0)
    if L > 1000:
        raise ModelError(f"{path.name}: an array for layer {L} is implausible")
    missing = sorted({f"{k}{l}" for l in range(1, L + 1) for k in "Wb"} - set(arrays))
    if L == 0 or missing:
        raise ModelError(f"{path.name}: missing arrays: {missing or 'no layers'} (found {sorted(arrays)})")
    sizes: list[int] = []
    for l in range(1, L + 1):
        W, b = arrays[f"W{l}"], arrays[f"b{l}"]
        for name, arr in ((f"W{l}", W), (f"b{l}", b)):
            if arr.dtype not in (np.float32, np.float64):
                raise ModelError(f"{path.name}: {name} has dtype {arr.dtype}, expected float32 or float64")
            if not np.isfinite(arr).all():
                raise ModelError(f"{path.name}: {name} contains NaN or infinite values")
        if W.ndim != 2 or b.shape != (W.shape[0],) or 0 in W.shape:
            raise ModelError(f"{path.name}: W{l} {W.shape} and b{l} {b.shape} do not form a layer")
        if sizes and W.shape[1] != sizes[-1]:
            raise ModelError(f"{path.name}: shapes do not chain: W{l} takes {W.shape[1]} inputs "
                             f"but layer {l - 1} has {sizes[-1]} outputs")
        if not sizes:
            sizes.append(W.shape[1])
        sizes.append(W.shape[0])
    return tuple(sizes)


def _arch_from_card(path: Path, card: dict, sizes: tuple[int, ...]) -> Architecture:
    spec = card.get("architecture")
    if not isinstance(spec, dict):
        raise ModelError(f"{path.name}: the model card has no architecture")
    if list(spec.get("sizes", [])) != list(sizes):
        raise ModelError(f"{path.name}: the card says sizes {spec.get('sizes')} but the arrays are {list(sizes)}")
    act, out, loss = spec.get("activation"), spec.get("output"), spec.get("loss")
    if act not in ACTIVATIONS or (out != "softmax" and out not in ACTIVATIONS) or loss not in LOSSES:
        raise ModelError(f"{path.name}: the card names an unknown activation, output or loss ({act}, {out}, {loss})")
    return Architecture(tuple(sizes), act, out, loss)
