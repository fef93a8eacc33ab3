"""Fuzzing the .safetensors and .onnx loaders with mutated real exports, like the .npz loader in
tests/core/test_fuzz.py: whatever the bytes, only a ModelError naming the file comes out."""

import functools
import json
import tempfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from nnviz.core.modelio import ModelError
from nnviz.core.network import Architecture, Network
from nnviz.interop import load_any, save_any
from tests.core.test_fuzz import FUZZ, mutate, mutations, put, work  # noqa: F401  (work: a fixture)


@functools.cache
def seed_bytes(suffix: str) -> bytes:
    """A small (20-8-3) network exported with its metadata and card."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"m{suffix}"
        save_any(Network(Architecture((20, 8, 3)), seed=0), path, {"seed": 0, "preprocess": {"deskew": True}})
        return path.read_bytes()


def load(path, choose):
    try:
        net, card = load_any(path, *(("relu", "none") if choose else ()))
    except ModelError as exc:
        assert path.name in str(exc) and "\n" not in str(exc), str(exc)
        return None
    assert isinstance(card, dict) and np.isfinite(net.flat).all()
    return net


@pytest.mark.parametrize("suffix", [".safetensors", ".onnx"])
@FUZZ
@given(data=st.data(), choose=st.booleans())
def test_loaders_mutated_bytes(work, suffix, data, choose):  # noqa: F811
    seed = seed_bytes(suffix)
    put(work / f"mutated{suffix}", mutate(seed, data.draw(mutations(len(seed)))))
    load(work / f"mutated{suffix}", choose)


@FUZZ
@given(header=st.dictionaries(st.text(max_size=12), st.one_of(st.text(max_size=20), st.integers(),
                                                              st.lists(st.integers(-2, 10**12), max_size=5),
                                                              st.dictionaries(st.text(max_size=8), st.integers())),
                              max_size=4), body=st.binary(max_size=200))
def test_safetensors_loader_made_up_headers(work, header, body):  # noqa: F811
    """A valid length prefix and JSON header that lies about dtypes, shapes and offsets."""
    raw = json.dumps(header).encode()
    put(work / "header.safetensors", len(raw).to_bytes(8, "little") + raw + body)
    load(work / "header.safetensors", True)


def test_the_seed_files_themselves_load(work):  # noqa: F811
    for suffix in (".safetensors", ".onnx"):
        put(work / f"seed{suffix}", seed_bytes(suffix))
        assert load(work / f"seed{suffix}", False) is not None


JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
                    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
                    max_leaves=8)
CARD_KEYS = st.sampled_from(["format", "architecture", "preprocess", "sizes", "activation", "output", "loss", "deskew"])


@st.composite
def made_up_cards(draw):
    """A model_card that is nearly an nnviz card: the right keys, any JSON below them."""
    card = draw(st.dictionaries(CARD_KEYS, JSON, max_size=4))
    card.setdefault("format", "nnviz-model")
    if draw(st.booleans()):
        card["architecture"] = draw(st.dictionaries(CARD_KEYS, JSON | st.sampled_from(["relu", "softmax", [20, 8, 3]]),
                                                    max_size=4))
    return json.dumps(card)


@FUZZ
@given(metadata=st.dictionaries(st.sampled_from(["activation", "output", "preprocess", "model_card", "other"]),
                                st.one_of(st.text(max_size=12), st.sampled_from(["relu", "softmax", "deskew", "none"]),
                                          made_up_cards()), max_size=5))
def test_safetensors_loader_made_up_metadata(work, metadata):  # noqa: F811
    from safetensors.numpy import save

    net = Network(Architecture((20, 8, 3)), seed=0)
    tensors = {f"{2 * l}.{k}": arr for l, (W, b) in enumerate(net.weights()) for k, arr in (("weight", W), ("bias", b))}
    put(work / "meta.safetensors", save(tensors, metadata=metadata))
    load(work / "meta.safetensors", False)
