"""Opening .safetensors files written with PyTorch's names (by NumPy here: no torch needed), and refusals."""

import json

import numpy as np
import pytest
from safetensors.numpy import save, save_file

from nnviz.interop import MissingExtra, NeedsActivation, load_any

from .helpers import mlp_weights, numpy_probs, refused, sequential_state

X = np.random.default_rng(5).uniform(size=(7, 12)).astype(np.float32)


def write(tmp_path, tensors, metadata=None, name="m.safetensors"):
    path = tmp_path / name
    save_file(tensors, str(path), metadata=metadata)
    return path


@pytest.mark.parametrize("g", ["relu", "tanh", "sigmoid"])
def test_sequential_state_dict_predicts_like_a_numpy_forward_pass(tmp_path, g):
    layers = mlp_weights()
    path = write(tmp_path, sequential_state(layers), {"activation": g, "preprocess": "none"})
    net, card = load_any(path)
    assert net.sizes == (12, 8, 5, 3) and net.arch.activation == g and net.arch.output == "softmax"
    assert card["preprocess"] == {"deskew": False} and card["architecture"]["sizes"] == [12, 8, 5, 3]
    np.testing.assert_allclose(net.predict_proba(X), numpy_probs(layers, X, g), rtol=1e-5, atol=1e-6)
    np.testing.assert_array_equal(net.dense[1].W, layers[1][0])  # W (out, in) as stored, not transposed


def test_without_metadata_the_caller_chooses(tmp_path):
    layers = mlp_weights(seed=1)
    path = write(tmp_path, sequential_state(layers, prefix="net."))
    exc = refused(path, "activation", "preprocess", "--activation")
    assert isinstance(exc, NeedsActivation) and exc.missing == ("activation", "preprocess")
    assert exc.sizes == (12, 8, 5, 3) and exc.path == path
    assert "relu" in exc.choices["activation"] and exc.choices["preprocess"] == ("deskew", "none")
    exc = refused(path, "preprocess", activation="tanh")
    assert isinstance(exc, NeedsActivation) and exc.missing == ("preprocess",)
    net, card = load_any(path, activation="tanh", preprocess="deskew")
    assert net.arch.activation == "tanh" and card["preprocess"]["deskew"] is True
    np.testing.assert_allclose(net.predict_proba(X), numpy_probs(layers, X, "tanh"), rtol=1e-5, atol=1e-6)


def test_named_modules_are_ordered_by_their_numbers(tmp_path):
    sizes = (12, 9, 8, 7, 6, 5, 4, 4, 4, 4, 4, 3)  # 11 layers: fc10 and fc11 come after fc9, not after fc1
    layers = mlp_weights(sizes)
    tensors = {}
    for l, (W, b) in enumerate(layers, start=1):
        tensors[f"model.fc{l}.weight"], tensors[f"model.fc{l}.bias"] = W, b
    net, _ = load_any(write(tmp_path, tensors, {"activation": "relu", "preprocess": "none"}))
    assert net.sizes == sizes
    np.testing.assert_allclose(net.predict_proba(X), numpy_probs(layers, X), rtol=1e-5, atol=1e-6)


def test_a_linear_layer_without_bias_gets_zeros(tmp_path):
    layers = mlp_weights((12, 5, 3))
    tensors = sequential_state(layers)
    del tensors["2.bias"]
    net, _ = load_any(write(tmp_path, tensors, {"activation": "relu", "preprocess": "none"}))
    np.testing.assert_array_equal(net.dense[1].b, 0)


def test_metadata_card_is_used_and_its_choices_apply(tmp_path):
    layers = mlp_weights((12, 5, 3))
    card = {"format": "nnviz-model", "test_accuracy": 0.5, "preprocess": {"deskew": True},
            "architecture": {"sizes": [12, 5, 3], "activation": "sigmoid", "output": "softmax",
                             "loss": "cross_entropy"}}
    net, back = load_any(write(tmp_path, sequential_state(layers), {"model_card": json.dumps(card)}))
    assert net.arch.activation == "sigmoid" and back["test_accuracy"] == 0.5 and back["preprocess"]["deskew"]


def test_refuses_convolution_weights(tmp_path):
    tensors = {"conv1.weight": np.zeros((8, 1, 3, 3), np.float32), "conv1.bias": np.zeros(8, np.float32),
               "fc.weight": np.zeros((10, 72), np.float32)}
    refused(write(tmp_path, tensors), "conv1.weight", "(8, 1, 3, 3)", "convolution", "dense")


def test_refuses_tensors_of_other_layers(tmp_path):
    tensors = {**sequential_state(mlp_weights((12, 5, 3))), "1.running_mean": np.zeros(5, np.float32),
               "1.num_batches_tracked": np.zeros((), np.float32)}
    refused(write(tmp_path, tensors), "1.running_mean", "not a layer's weight or bias")
    tensors = {**sequential_state(mlp_weights((12, 5, 3))), "1.weight": np.ones(5, np.float32)}
    refused(write(tmp_path, tensors, name="bn.safetensors"), "1.weight", "normalisation")


def test_refuses_shapes_that_do_not_chain_naming_the_files_tensors(tmp_path):
    tensors = sequential_state(mlp_weights((12, 5, 3)))
    tensors["2.weight"] = np.zeros((3, 6), np.float32)
    refused(write(tmp_path, tensors), "do not chain", "W2 = 2.weight", activation="relu", preprocess="none")
    tensors = sequential_state(mlp_weights((12, 5, 3)))
    tensors["0.bias"] = np.zeros(4, np.float32)
    refused(write(tmp_path, tensors, name="b.safetensors"), "b1", "W1 = 0.weight", activation="relu",
            preprocess="none")


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_refuses_non_finite_values(tmp_path, bad):
    tensors = sequential_state(mlp_weights((12, 5, 3)))
    tensors["2.weight"][1, 1] = bad
    refused(write(tmp_path, tensors), "NaN or infinite", "W2 = 2.weight", activation="relu", preprocess="none")


@pytest.mark.parametrize("dtype", [np.float16, np.int32, np.uint8])
def test_refuses_other_dtypes(tmp_path, dtype):
    tensors = sequential_state(mlp_weights((12, 5, 3)))
    tensors["0.weight"] = tensors["0.weight"].astype(dtype)
    refused(write(tmp_path, tensors), "0.weight", "dtype", activation="relu", preprocess="none")


@pytest.mark.parametrize("metadata,fragment", [
    ({"activation": "swish", "preprocess": "none"}, "expected one of"),
    ({"activation": "relu", "preprocess": "blur"}, "unknown preprocessing"),
    ({"model_card": "{not json"}, "not valid JSON"),
    ({"model_card": '{"format": "keras"}'}, "not an nnviz model card"),
    ({"model_card": json.dumps({"format": "nnviz-model", "architecture": {"sizes": [12, 4, 3]}}),
      "activation": "relu", "preprocess": "none"}, "card says sizes"),
    ({"model_card": json.dumps({"format": "nnviz-model", "architecture": {"sizes": 5}}),
      "activation": "relu", "preprocess": "none"}, "malformed architecture"),
    ({"model_card": json.dumps({"format": "nnviz-model", "architecture": {"activation": {"g": 1}}}),
      "preprocess": "none"}, "malformed architecture"),
    ({"model_card": json.dumps({"format": "nnviz-model", "architecture": [1, 2]}),
      "activation": "relu", "preprocess": "none"}, "malformed architecture"),
])
def test_refuses_bad_metadata(tmp_path, metadata, fragment):
    refused(write(tmp_path, sequential_state(mlp_weights((12, 5, 3))), metadata), fragment)


@pytest.mark.parametrize("keep", [0.0, 0.01, 0.5, 0.99])
def test_refuses_a_truncated_file(tmp_path, keep):
    data = save(sequential_state(mlp_weights()), metadata={"activation": "relu", "preprocess": "none"})
    path = tmp_path / "cut.safetensors"
    path.write_bytes(data[:int(len(data) * keep)])
    refused(path)


def test_refuses_other_files(tmp_path):
    path = tmp_path / "text.safetensors"
    path.write_text("hello\n" * 40)
    refused(path, "not a readable .safetensors")
    refused(tmp_path / "missing.safetensors", "cannot open")
    refused(write(tmp_path, {}, name="empty.safetensors"), "no dense layers", activation="relu", preprocess="none")
    other = tmp_path / "m.pt"
    other.write_bytes(b"\x80\x04pickle")
    refused(other, "unknown model format", ".safetensors")


def test_a_missing_package_names_the_extra(tmp_path, monkeypatch):
    def no_package(name):
        raise ImportError(f"No module named {name!r}")

    path = write(tmp_path, sequential_state(mlp_weights()))
    monkeypatch.setattr("importlib.import_module", no_package)
    exc = refused(path, "safetensors package", "pip install 'nnviz[formats]'")
    assert isinstance(exc, MissingExtra)
