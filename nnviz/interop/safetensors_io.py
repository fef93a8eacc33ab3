"""An MLP's weights as .safetensors with PyTorch's names (no pickle, NumPy only: torch is not needed).

Reads nn.Sequential state dicts (`0.weight`, `0.bias`, `2.weight`, ...; any common prefix such as
`net.0.weight`) and named modules (`fc1.weight`, `fc2.weight`, ...), ordered by the names' numbers; each
weight is (out, in) like nnviz's W. Writes `0.weight`, `0.bias`, `2.weight`, ... so that
nn.Sequential(Linear, ReLU, Linear, ...).load_state_dict(load_file(path)) takes it unchanged, with
the activation, preprocessing and model card in the file's __metadata__.
"""

from __future__ import annotations

import re
from pathlib import Path

from nnviz.core.modelcard import MAX_CARD_BYTES
from nnviz.core.modelio import ModelError, atomic_write
from nnviz.core.network import Network

from .common import Layer, build, check_matrix, check_size, check_total, metadata_for, require, torch_names

SUFFIX = ".safetensors"
_PARAM = re.compile(r"^(?P<module>.+)\.(?P<kind>weight|bias)$")
_DTYPES = ("F32", "F64")
MAX_TENSORS = 2000
MAX_HEADER_BYTES = MAX_CARD_BYTES + 200 * MAX_TENSORS + 64_000  # a card, and a line for each tensor


def load(path: str | Path, activation: str | None = None, preprocess: str | None = None) -> tuple[Network, dict]:
    """The Network and card in a .safetensors file, or ModelError (NeedsActivation: choose and retry)."""
    path = Path(path)
    check_size(path)
    _check_header(path)
    safe_open = require("safetensors", path).safe_open
    try:
        with safe_open(str(path), framework="np") as f:
            said = dict(f.metadata() or {})
            names = list(f.keys())
            if len(names) > MAX_TENSORS:
                raise ModelError(f"{path.name}: {len(names):,} tensors is implausible for an MLP")
            modules = _modules(path, {name: f.get_slice(name) for name in names})
            slices = [f.get_slice(n) for w, b in modules for n in (w, b) if n]
            check_total(path, [tuple(s.get_shape()) for s in slices],
                        [8 if s.get_dtype() == "F64" else 4 for s in slices])
            layers = [Layer(w, f.get_tensor(w), b, f.get_tensor(b) if b else None) for w, b in modules]
    except ModelError:
        raise
    except Exception as exc:  # the parser's errors for damaged files, and MemoryError
        raise ModelError(f"{path.name}: not a readable .safetensors file ({type(exc).__name__}: {exc})") from None
    return build(path, layers, said, activation, preprocess)


def _check_header(path: Path) -> None:
    """The header's length (the file's first 8 bytes) within MAX_HEADER_BYTES, before it is parsed."""
    with open(path, "rb") as f:
        head = f.read(8)
    n = int.from_bytes(head, "little") if len(head) == 8 else -1
    if not 0 < n <= MAX_HEADER_BYTES:
        raise ModelError(f"{path.name}: not a readable .safetensors file: a header of {n:,} bytes is not "
                         f"plausible (limit {MAX_HEADER_BYTES:,}: the tensors' list and a model card)")


def _modules(path: Path, slices: dict) -> list[tuple[str, str | None]]:
    """[(weight name, bias name or None)] of the dense layers in order; refuses anything else."""
    if len(slices) > MAX_TENSORS:
        raise ModelError(f"{path.name}: {len(slices)} tensors is implausible for an MLP")
    odd = sorted(name for name in slices if not _PARAM.match(name))
    if odd:
        raise ModelError(f"{path.name}: tensors that are not a layer's weight or bias: {', '.join(odd[:5])}"
                         f"{' ...' if len(odd) > 5 else ''}; nnviz opens chains of dense (Linear) layers only")
    found: dict[str, dict[str, str]] = {}
    for name in slices:
        m = _PARAM.match(name)
        found.setdefault(m["module"], {})[m["kind"]] = name
    for module, params in found.items():
        if "weight" not in params:
            raise ModelError(f"{path.name}: {params['bias']} has no {module}.weight")
        for name in params.values():
            dtype = slices[name].get_dtype()
            if dtype not in _DTYPES:
                raise ModelError(f"{path.name}: {name} has dtype {dtype}; nnviz reads F32 or F64 "
                                 "(in PyTorch: model.float() before saving)")
        check_matrix(path, params["weight"], tuple(slices[params["weight"]].get_shape()))
    order = sorted(found, key=_natural)
    return [(found[m]["weight"], found[m].get("bias")) for m in order]


def _natural(name: str) -> list:
    """fc2 before fc10, 2 before 10: numbers compare as numbers."""
    return [(0, int(t), "") if t.isdigit() else (1, 0, t) for t in re.split(r"(\d+)", name) if t]


def save(net: Network, path: str | Path, card: dict | None = None) -> dict:
    """Write net as PyTorch-named tensors with its choices and card in __metadata__. Returns the card."""
    numpy_api = require("safetensors.numpy", path)
    card, metadata = metadata_for(net, card)
    tensors = {}
    for l, (W, b) in enumerate(net.weights()):
        W_name, b_name = torch_names(l)
        tensors[W_name], tensors[b_name] = W.copy(), b.copy()
    data = numpy_api.save(tensors, metadata=metadata)
    atomic_write(path, lambda f: f.write(data))
    return card
