"""ONNX: exports pass onnx.checker and run in onnx's reference runtime like nnviz; foreign graphs of
Gemm or MatMul+Add open; everything else is refused with the operator or tensor named."""

import numpy as np
import onnx
import pytest
from onnx import TensorProto, helper, numpy_helper
from onnx.reference import ReferenceEvaluator

from nnviz.core.modelio import SHIPPED_MODEL, ModelError, load_model
from nnviz.core.network import Architecture, Network
from nnviz.interop import NeedsActivation, load_any, save_any

from .helpers import mlp_weights, numpy_probs, refused

X = np.random.default_rng(3).uniform(size=(9, 12)).astype(np.float32)


def run(path, x):
    return ReferenceEvaluator(onnx.load(str(path))).run(None, {"x": x})[0]


def test_export_of_the_shipped_model_is_valid_and_runs_like_nnviz(tmp_path):
    net, card = load_model(SHIPPED_MODEL)
    path = tmp_path / "mnist.onnx"
    save_any(net, path, card)
    model = onnx.load(str(path))
    onnx.checker.check_model(model, full_check=True)
    props = {p.key: p.value for p in model.metadata_props}
    assert props["activation"] == "relu" and props["preprocess"] == "deskew"
    assert '"test_accuracy"' in props["model_card"]
    names = [i.name for i in model.graph.initializer]
    assert names == ["0.weight", "0.bias", "2.weight", "2.bias", "4.weight", "4.bias"]
    x = np.random.default_rng(0).uniform(size=(32, 784)).astype(np.float32)
    np.testing.assert_allclose(run(path, x), net.predict_proba(x), atol=1e-5)


@pytest.mark.parametrize("g,output", [("sigmoid", "softmax"), ("tanh", "sigmoid"), ("linear", "softmax")])
def test_export_of_other_activations_runs_like_nnviz(tmp_path, g, output):
    net = Network(Architecture((12, 6, 4, 3), g, output, "cross_entropy" if output == "softmax" else "squared_error"),
                  seed=4, dtype=np.float64)
    save_any(net, tmp_path / "m.onnx", {"preprocess": {"deskew": False}})
    onnx.checker.check_model(onnx.load(str(tmp_path / "m.onnx")), full_check=True)
    y = run(tmp_path / "m.onnx", X.astype(np.float64))
    np.testing.assert_allclose(y, net.predict_proba(X.astype(np.float64)), atol=1e-12)
    back, card = load_any(tmp_path / "m.onnx")
    assert back.arch == net.arch and back.dtype == np.float64 and card["preprocess"] == {"deskew": False}


def test_step_networks_are_not_exported(tmp_path):
    net = Network(Architecture((4, 3, 2), "step"))
    with pytest.raises(ModelError, match="step"):
        save_any(net, tmp_path / "m.onnx")
    assert not (tmp_path / "m.onnx").exists()


def graph_model(nodes, inits, out="y", metadata=None, inputs=("x",)):
    graph = helper.make_graph(nodes, "g", [helper.make_tensor_value_info(i, TensorProto.FLOAT, ["N", 12])
                                           for i in inputs],
                              [helper.make_tensor_value_info(out, TensorProto.FLOAT, None)], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], ir_version=8)
    helper.set_model_props(model, metadata or {"preprocess": "none"})
    return model


def save_graph(tmp_path, model, name="m.onnx"):
    path = tmp_path / name
    path.write_bytes(model.SerializeToString())
    return path


def matmul_add_graph(layers, g="Tanh", softmax=False):
    """x @ W^T + b with W stored (in, out), as TensorFlow/Keras exporters write dense layers."""
    nodes, inits, x = [], [], "x"
    for l, (W, b) in enumerate(layers):
        inits += [numpy_helper.from_array(np.ascontiguousarray(W.T), f"k{l}"), numpy_helper.from_array(b, f"c{l}")]
        nodes += [helper.make_node("MatMul", [x, f"k{l}"], [f"m{l}"]),
                  helper.make_node("Add", [f"c{l}", f"m{l}"], [f"z{l}"])]
        x = f"z{l}"
        if l < len(layers) - 1:
            nodes.append(helper.make_node(g, [x], [f"a{l}"]))
            x = f"a{l}"
    if softmax:
        nodes.append(helper.make_node("Softmax", [x], ["p"], axis=1))
        x = "p"
    return nodes, inits, x


@pytest.mark.parametrize("softmax", [False, True])
def test_matmul_add_graphs_open_and_predict_like_numpy(tmp_path, softmax):
    layers = mlp_weights()
    nodes, inits, out = matmul_add_graph(layers, "Tanh", softmax)
    net, card = load_any(save_graph(tmp_path, graph_model(nodes, inits, out)))
    assert net.sizes == (12, 8, 5, 3) and net.arch.activation == "tanh" and net.arch.output == "softmax"
    np.testing.assert_allclose(net.predict_proba(X), numpy_probs(layers, X, "tanh"), rtol=1e-5, atol=1e-6)


def test_gemm_without_transposed_weights_and_identity_nodes(tmp_path):
    layers = mlp_weights((12, 5, 3))
    inits = [numpy_helper.from_array(np.ascontiguousarray(layers[0][0].T), "w0"),
             numpy_helper.from_array(layers[0][1], "b0"),
             numpy_helper.from_array(layers[1][0], "w1"), numpy_helper.from_array(layers[1][1], "b1")]
    nodes = [helper.make_node("Identity", ["x"], ["x1"]), helper.make_node("Gemm", ["x1", "w0", "b0"], ["z0"]),
             helper.make_node("Relu", ["z0"], ["a0"]), helper.make_node("Gemm", ["a0", "w1", "b1"], ["y"], transB=1)]
    net, _ = load_any(save_graph(tmp_path, graph_model(nodes, inits)))
    np.testing.assert_allclose(net.predict_proba(X), numpy_probs(layers, X, "relu"), rtol=1e-5, atol=1e-6)


def test_refuses_a_convolution(tmp_path):
    w = numpy_helper.from_array(np.zeros((4, 1, 3, 3), np.float32), "conv.weight")
    nodes = [helper.make_node("Conv", ["x", "conv.weight"], ["y"], name="conv1")]
    refused(save_graph(tmp_path, graph_model(nodes, [w])), "operator Conv", "conv1")


def test_refuses_unsupported_operators_and_mixed_activations(tmp_path):
    nodes, inits, out = matmul_add_graph(mlp_weights(), "LeakyRelu")
    refused(save_graph(tmp_path, graph_model(nodes, inits, out)), "operator LeakyRelu")
    nodes, inits, out = matmul_add_graph(mlp_weights(), "Relu")
    nodes[5].op_type = "Sigmoid"  # the second hidden activation
    path = save_graph(tmp_path, graph_model(nodes, inits, out), "mixed.onnx")
    refused(path, "different activations", "relu", "sigmoid")


def test_refuses_a_graph_that_is_not_a_chain(tmp_path):
    layers = mlp_weights((12, 5, 3))
    nodes, inits, out = matmul_add_graph(layers)
    nodes.append(helper.make_node("Relu", ["m0"], ["other"]))  # a second reader of m0: a branch
    refused(save_graph(tmp_path, graph_model(nodes, inits, out)), "feeds 2 nodes")
    nodes, inits, out = matmul_add_graph(layers)
    refused(save_graph(tmp_path, graph_model(nodes, inits, out, inputs=("x", "x2")), "two.onnx"), "2 inputs")


def test_refuses_weights_in_external_files(tmp_path):
    nodes, inits, out = matmul_add_graph(mlp_weights((12, 5, 3)))
    inits[0].data_location = TensorProto.EXTERNAL
    del inits[0].external_data[:]
    inits[0].external_data.add(key="location", value="../../etc/passwd")
    refused(save_graph(tmp_path, graph_model(nodes, inits, out)), "k0", "external file")


def test_refuses_non_finite_weights_and_other_types(tmp_path):
    layers = mlp_weights((12, 5, 3))
    layers[1][0][0, 0] = np.nan
    nodes, inits, out = matmul_add_graph(layers)
    refused(save_graph(tmp_path, graph_model(nodes, inits, out)), "NaN", "W2 = k1")
    nodes, inits, out = matmul_add_graph(mlp_weights((12, 5, 3)))
    inits[0] = numpy_helper.from_array(np.zeros((12, 5), np.int64), "k0")
    refused(save_graph(tmp_path, graph_model(nodes, inits, out), "int.onnx"), "k0", "INT64")


def test_refuses_shapes_that_do_not_chain(tmp_path):
    layers = mlp_weights((12, 5, 3))
    layers[1] = (np.zeros((3, 4), np.float32), layers[1][1])
    nodes, inits, out = matmul_add_graph(layers)
    refused(save_graph(tmp_path, graph_model(nodes, inits, out)), "do not chain")


def test_the_graph_decides_the_activation_and_the_metadata_the_preprocessing(tmp_path):
    nodes, inits, out = matmul_add_graph(mlp_weights())
    path = save_graph(tmp_path, graph_model(nodes, inits, out, metadata={"producer": "keras2onnx"}))
    exc = refused(path, "preprocess")
    assert isinstance(exc, NeedsActivation) and exc.missing == ("preprocess",)
    assert load_any(path, preprocess="deskew")[1]["preprocess"]["deskew"] is True
    refused(path, "tanh", "not relu", activation="relu", preprocess="none")


@pytest.mark.parametrize("keep", [0.0, 0.1, 0.5, 0.9, 0.999])
def test_refuses_a_truncated_file(tmp_path, keep):
    path = tmp_path / "m.onnx"
    save_any(Network(Architecture((12, 6, 3)), seed=0), path, {"preprocess": {"deskew": False}})
    data = path.read_bytes()
    path.write_bytes(data[:int(len(data) * keep)])
    refused(path)


def test_refuses_a_file_that_is_not_onnx(tmp_path):
    path = tmp_path / "m.onnx"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    refused(path)
