"""Hypothesis searches over model cards (JSON of any shape) and image files (any bytes, lying headers,
SVG), run by tests/test_fuzzed_files.py in a subprocess so that their peak memory can be measured.

Each function is a complete hypothesis search: call it, and it raises on the first input that escapes
as anything but the documented error, or that is read into something unbounded.
"""

from __future__ import annotations

import json
import struct
import tempfile
import zlib
from pathlib import Path

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nnviz.core import preprocess
from nnviz.core.modelio import CARD_KEY, ModelError, load_model, save_model
from nnviz.core.network import Architecture, Network

SETTINGS = settings(max_examples=150, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
WORK = Path(tempfile.mkdtemp(prefix="nnviz-fuzz-"))

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20)
    | st.sampled_from([10 ** 400, -1, 0, 1, 784, "relu", "softmax", "cross_entropy", "nnviz-model", "deskew"]),
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=12) | st.sampled_from(
        ["sizes", "activation", "output", "loss", "deskew", "format"]), inner, max_size=5),
    max_leaves=30)
CARD_KEYS = ["format", "format_version", "architecture", "n_params", "dtype", "seed", "epochs", "config",
             "wall_time_s", "test_accuracy", "dataset", "preprocess", "date", "note", "trained_in_app", "other"]
NET = Network(Architecture((6, 5, 3)), seed=0)


def _good_card() -> dict:
    path = WORK / "good.npz"
    return save_model(NET, path, {"seed": 0, "test_accuracy": 0.5, "preprocess": {"deskew": False}})


def _write(card_bytes: bytes) -> Path:
    path = WORK / "card.npz"
    path.unlink(missing_ok=True)
    with open(path, "wb") as f:
        np.savez(f, **NET.state(), **{CARD_KEY: np.frombuffer(card_bytes, np.uint8)})
    return path


def _load_and_use(path: Path) -> None:
    """Load; a refusal must be one ModelError line naming the file; an accepted card must be usable."""
    try:
        net, card = load_model(path)
    except ModelError as exc:
        assert path.name in str(exc) and "\n" not in str(exc), str(exc)
        return
    preprocess.wants_deskew(card)  # what the views and commands read from a card
    acc = card.get("test_accuracy")
    if acc is not None:
        f"{acc:.4f}"
    json.dumps(card, allow_nan=False)
    assert net.sizes == tuple(card["architecture"]["sizes"])


@SETTINGS
@given(card=JSON)
def fuzz_card_any_json(card) -> None:
    """Any JSON value as the whole card."""
    _load_and_use(_write(json.dumps(card).encode()))


@SETTINGS
@given(key=st.sampled_from(CARD_KEYS), inner=st.sampled_from([None, "sizes", "activation", "output", "loss",
                                                               "deskew"]), value=JSON)
def fuzz_card_one_key(key, inner, value) -> None:
    """A valid card with one key (or one key of architecture / preprocess) replaced by any JSON."""
    card = _good_card()
    target = card.get(key) if inner and isinstance(card.get(key), dict) else card
    target[inner if target is not card else key] = value
    _load_and_use(_write(json.dumps(card).encode()))


@SETTINGS
@given(depth=st.integers(1, 200_000), opener=st.sampled_from(["[", '{"a":']))
def fuzz_card_nesting(depth, opener) -> None:
    closer = "]" if opener == "[" else "}"
    card = json.dumps(_good_card())[:-1] + ', "x": ' + opener * depth + "1" * (opener != "[") + closer * depth + "}"
    _load_and_use(_write(card.encode()))


# --- images ---------------------------------------------------------------------------------------
def _png(w: int, h: int, idat: bytes, color_type: int = 0) -> bytes:
    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, color_type, 0, 0, 0))
            + chunk(b"IDAT", idat) + chunk(b"IEND", b""))


def _svg(w: int, h: int, body: str) -> bytes:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}">'
            f'<rect width="100%" height="100%" fill="white"/>{body}</svg>').encode()


SIDES = st.integers(1, 70_000)
IMAGES = st.one_of(
    st.binary(max_size=400),
    st.builds(_png, SIDES, SIDES, st.binary(max_size=200), st.sampled_from([0, 2, 6])),
    st.builds(lambda w, h, rows: _png(w, h, zlib.compress(bytes(rows))), st.integers(1, 20_000),
              st.integers(1, 20_000), st.integers(0, 50_000)),
    st.builds(_svg, SIDES, SIDES, st.sampled_from(
        ['<text x="10" y="50" font-size="40">7</text>', '<path d="M1 1 L50 50" stroke="black"/>',
         '<text><tspan font-family="nothing">x</tspan></text>', "", '<image href="/etc/passwd"/>'])),
)


@SETTINGS
@given(blob=IMAGES, suffix=st.sampled_from([".png", ".svg", ".jpg", ".bin"]))
def fuzz_image_reader(blob: bytes, suffix: str) -> None:
    """Any bytes, PNGs declaring up to 70,000 pixels a side, SVGs of any size: an array at most MAX_SIDE
    long, or OSError/ValueError naming the file."""
    from nnviz.handwriting.images import MAX_SIDE, read_image

    path = WORK / f"image{suffix}"
    path.unlink(missing_ok=True)
    path.write_bytes(blob)
    try:
        pixels = read_image(path)
    except (OSError, ValueError) as exc:
        assert path.name in str(exc), str(exc)
        return
    assert pixels.dtype == np.uint8 and pixels.ndim == 3 and pixels.shape[2] == 4
    assert max(pixels.shape[:2]) <= MAX_SIDE
