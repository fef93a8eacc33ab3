"""Export -> load gives back the same network bit for bit, with its choices and card, in all three formats;
and the files are what PyTorch's load_state_dict wants (names and shapes of nn.Sequential)."""

import json

import numpy as np
import pytest
from safetensors import safe_open
from safetensors.numpy import load_file

from nnviz.core.modelio import SHIPPED_MODEL, load_model
from nnviz.core.network import Architecture, Network
from nnviz.interop import SUFFIXES, ModelError, load_any, save_any


@pytest.mark.parametrize("suffix", SUFFIXES)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_export_then_load_is_bit_for_bit(tmp_path, suffix, dtype):
    net = Network(Architecture((9, 7, 5, 4), "tanh"), seed=3, dtype=dtype)
    net.flat[...] += np.random.default_rng(1).normal(size=net.flat.size).astype(dtype)
    written = save_any(net, tmp_path / f"m{suffix}", {"seed": 3, "test_accuracy": 0.25, "preprocess": {"deskew": True}})
    back, card = load_any(tmp_path / f"m{suffix}")
    assert back.arch == net.arch and back.dtype == dtype
    np.testing.assert_array_equal(back.flat, net.flat)
    assert card == json.loads(json.dumps(written))
    assert card["test_accuracy"] == 0.25 and card["preprocess"] == {"deskew": True}


@pytest.mark.parametrize("suffix", SUFFIXES)
@pytest.mark.parametrize("output,loss", [("sigmoid", "squared_error"), ("softmax", "squared_error")])
def test_output_and_loss_survive_too(tmp_path, suffix, output, loss):
    net = Network(Architecture((6, 4, 2), "sigmoid", output, loss), seed=2)
    save_any(net, tmp_path / f"m{suffix}", {"preprocess": {"deskew": False}})
    assert load_any(tmp_path / f"m{suffix}")[0].arch == net.arch


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_the_shipped_model_survives_every_format(tmp_path, suffix):
    net, card = load_model(SHIPPED_MODEL)
    save_any(net, tmp_path / f"m{suffix}", card)
    back, card2 = load_any(tmp_path / f"m{suffix}")
    np.testing.assert_array_equal(back.flat, net.flat)
    assert card2["preprocess"] == {"deskew": True} and card2["test_accuracy"] == card["test_accuracy"]


def test_safetensors_export_has_sequential_names_shapes_and_metadata(tmp_path):
    net, card = load_model(SHIPPED_MODEL)
    path = tmp_path / "m.safetensors"
    save_any(net, path, card)
    tensors = load_file(str(path))
    # exactly nn.Sequential(Linear(784, 300), ReLU(), Linear(300, 100), ReLU(), Linear(100, 10)).state_dict()
    assert {k: v.shape for k, v in tensors.items()} == {
        "0.weight": (300, 784), "0.bias": (300,), "2.weight": (100, 300), "2.bias": (100,),
        "4.weight": (10, 100), "4.bias": (10,)}
    assert all(v.dtype == np.float32 for v in tensors.values())
    with safe_open(str(path), framework="np") as f:
        meta = f.metadata()
    assert meta["activation"] == "relu" and meta["preprocess"] == "deskew" and meta["output"] == "softmax"
    assert json.loads(meta["model_card"])["test_accuracy"] == card["test_accuracy"]


def test_choices_override_an_npz_card(tmp_path):
    net, card = load_any(SHIPPED_MODEL, preprocess="none")
    assert card["preprocess"]["deskew"] is False and net.arch.activation == "relu"
    twin, card = load_any(SHIPPED_MODEL, activation="tanh")
    assert twin.arch.activation == "tanh" and card["architecture"]["activation"] == "tanh"
    np.testing.assert_array_equal(twin.flat, net.flat)
    with pytest.raises(ModelError, match="unknown activation"):
        load_any(SHIPPED_MODEL, activation="swish")


def test_a_failed_export_leaves_the_old_file(tmp_path):
    path = tmp_path / "m.onnx"
    save_any(Network(Architecture((4, 3, 2))), path)
    old = path.read_bytes()
    with pytest.raises(ModelError):
        save_any(Network(Architecture((4, 3, 2), "step")), path)
    assert path.read_bytes() == old and [p.name for p in tmp_path.iterdir()] == ["m.onnx"]
