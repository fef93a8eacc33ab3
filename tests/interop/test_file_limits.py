"""Model files small on disk and huge in memory (issue 27.4): one limit on the weights for every format,
checked from the declared shapes before any tensor is read; headers, cards, graphs and their error messages
bounded; duplicate ONNX weights refused; evaluation in chunks sized from the network's widths."""

from __future__ import annotations

import json
import struct

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper
from safetensors.numpy import save_file

from nnviz.core.network import Architecture, Network
from nnviz.interop import common, load_any
from nnviz.interop import onnx_io as onnx_module
from tests.interop.helpers import mlp_weights, refused, sequential_state
from tests.memory import peak_growth


def test_every_format_has_the_npz_weight_limit_checked_before_reading(tmp_path, monkeypatch):
    save_file(sequential_state(mlp_weights((12, 8, 3))), str(tmp_path / "m.safetensors"),
              metadata={"activation": "relu", "preprocess": "none"})
    load_any(tmp_path / "m.safetensors")
    monkeypatch.setattr(common, "MAX_ARRAY_BYTES", 100)  # these weights take 4 * (96 + 8 + 24 + 3) bytes
    import safetensors

    real = safetensors.safe_open

    class NoReading:  # the tensors must not be read before the limit is checked
        def __init__(self, *a, **k):
            self.f = real(*a, **k)

        def __enter__(self):
            self.inner = self.f.__enter__()
            self.inner_get = self.inner.get_tensor
            return self

        def __exit__(self, *a):
            return self.f.__exit__(*a)

        def __getattr__(self, name):
            if name == "get_tensor":
                raise AssertionError("a tensor was read before the size check")
            return getattr(self.inner, name)

    monkeypatch.setattr(safetensors, "safe_open", NoReading)
    refused(tmp_path / "m.safetensors", "its weights take", "limit")


def test_a_safetensors_header_that_claims_a_gigabyte_is_refused_before_it_is_parsed(tmp_path):
    path = tmp_path / "big.safetensors"
    path.write_bytes(struct.pack("<Q", 10**9) + b"{" + b" " * 100)
    refused(path, "header of 1,000,000,000 bytes")


def test_a_card_larger_than_a_megabyte_is_refused_in_every_format(tmp_path):
    card = json.dumps({"format": "nnviz-model", "note": "x" * 1_100_000})
    save_file(sequential_state(mlp_weights((12, 8, 3))), str(tmp_path / "m.safetensors"),
              metadata={"activation": "relu", "preprocess": "none", "model_card": card})
    refused(tmp_path / "m.safetensors", "model_card metadata is", "limit 1,000,000")


def graph_model(nodes, inits, metadata=None):
    graph = helper.make_graph(nodes, "g", [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 4])],
                              [helper.make_tensor_value_info(nodes[-1].output[0], TensorProto.FLOAT, ["N", 3])],
                              inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    if metadata:
        helper.set_model_props(model, metadata)
    return model


def test_duplicate_onnx_weights_are_refused(tmp_path):
    W = numpy_helper.from_array(np.ones((3, 4), np.float32), "W")
    W_again = numpy_helper.from_array(np.zeros((3, 4), np.float32), "W")
    model = graph_model([helper.make_node("Gemm", ["x", "W"], ["y"], transB=1)], [W, W_again])
    onnx.save(model, tmp_path / "twice.onnx")
    refused(tmp_path / "twice.onnx", "'W'", "stored more than once")


def test_a_graph_of_many_identity_nodes_is_refused_before_it_is_walked(tmp_path):
    n = onnx_module.MAX_NODES + 1
    nodes = [helper.make_node("Identity", ["x" if i == 0 else f"t{i - 1}"], [f"t{i}"]) for i in range(n)]
    onnx.save(graph_model(nodes, []), tmp_path / "long.onnx")
    refused(tmp_path / "long.onnx", f"{n:,} nodes is implausible")


def test_twenty_thousand_dims_make_a_short_message(tmp_path):
    t = helper.make_tensor("W", TensorProto.FLOAT, [1] * 20_000, [0.5])
    model = graph_model([helper.make_node("Gemm", ["x", "W"], ["y"], transB=1)], [t])
    onnx.save(model, tmp_path / "dims.onnx")
    error = refused(tmp_path / "dims.onnx", "implausible dimensions", "20,000 of them")
    assert len(str(error)) <= 300


def test_a_wide_layer_is_evaluated_in_chunks_its_width_allows():
    """784-10-200000-10 (4 M weights): a chunk of 2,000 examples would hold 1.6 GB of activations."""
    net = Network(Architecture((784, 10, 200_000, 10)), seed=0)
    assert net.chunk_rows() * 200_000 * 4 * 3 <= 64 << 20
    setup = ("import numpy as np\nfrom nnviz.core.network import Architecture, Network\n"
             "net = Network(Architecture((784, 10, 200_000, 10)), seed=0)\n"
             "x = np.random.default_rng(0).random((2000, 784), dtype=np.float32)")
    call = "    net.predict_proba(x)\n    net.loss_value(x, net.one_hot(np.zeros(2000, int)))"
    growth, outcome = peak_growth(setup, call, cap_mb=600)
    assert outcome == "ok" and growth < 200, (growth, outcome)
