"""An MLP as an .onnx graph: Gemm (or MatMul + Add) layers with Relu / Sigmoid / Tanh between them and
an optional final Softmax, the weights as initializers.

Reading walks the graph from its one input to its one output and refuses anything that is not such a
chain, naming the operator or tensor it found; external data (weights in other files) is refused, never
followed. Writing makes x -> Gemm -> g -> ... -> Gemm -> Softmax -> y_hat (opset 17) with the
initializers named like PyTorch's (`0.weight`, `0.bias`, `2.weight`, ...) and the activation,
preprocessing and model card in metadata_props.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from nnviz import __version__
from nnviz.core.modelio import ModelError, atomic_write
from nnviz.core.network import Network

from .common import Layer, build, check_matrix, check_size, check_total, metadata_for, one_line, require, torch_names

SUFFIX = ".onnx"
OPSET, IR_VERSION = 17, 8  # IR 8 = opset 17's: runtimes from 2022 on read it
ACT_OPS = {"Relu": "relu", "Sigmoid": "sigmoid", "Tanh": "tanh"}
OPS = {**{g: op for op, g in ACT_OPS.items()}, "linear": None, "softmax": "Softmax"}
MAX_ELEMENTS = 50_000_000
MAX_NODES = 2000  # an MLP's graph has a few nodes per layer
MAX_METADATA_CHARS = 2 * 1_000_000  # the model card (1 MB, as in a .npz) and the other properties


def load(path: str | Path, activation: str | None = None, preprocess: str | None = None) -> tuple[Network, dict]:
    """The Network and card in an .onnx file, or ModelError (NeedsActivation: choose and retry)."""
    path = Path(path)
    check_size(path)
    onnx = require("onnx", path)
    try:
        model = onnx.load_model_from_string(path.read_bytes())
        _check_graph(path, model)
        said = {p.key: p.value for p in model.metadata_props}
        layers, acts, final = _walk(path, model.graph)
    except ModelError:
        raise
    except Exception as exc:  # protobuf's DecodeError for damaged files, numpy_helper's for odd tensors, ...
        raise ModelError(one_line(f"{path.name}: not a readable .onnx model ({type(exc).__name__}: {exc})")) from None
    kinds = sorted(set(acts))
    if len(kinds) > 1:
        raise ModelError(f"{path.name}: the hidden layers use different activations ({', '.join(kinds)}); "
                         "nnviz uses one g for every hidden layer")
    if kinds:
        if activation is not None and activation != kinds[0]:
            raise ModelError(f"{path.name}: the graph's hidden layers use {kinds[0]}, not {activation}")
        said["activation"] = kinds[0]
    if final is not None:
        said["output"] = final
    return build(path, layers, said, activation, preprocess)


def _check_graph(path: Path, model) -> None:
    """What the parsed graph declares, bounded before anything of it is decoded or walked: its nodes, its
    metadata, its initializers' names (each once) and dimensions, and their bytes in all."""
    graph = model.graph
    if len(graph.node) > MAX_NODES:
        raise ModelError(f"{path.name}: {len(graph.node):,} nodes is implausible for an MLP (limit {MAX_NODES:,})")
    if sum(len(p.key) + len(p.value) for p in model.metadata_props) > MAX_METADATA_CHARS:
        raise ModelError(f"{path.name}: its metadata is larger than {MAX_METADATA_CHARS:,} characters")
    names = [t.name for t in graph.initializer]
    if len(set(names)) != len(names):
        twice = sorted({n for n in names if names.count(n) > 1})
        raise ModelError(one_line(f"{path.name}: the weights {', '.join(map(repr, twice[:5]))} are stored more "
                                  "than once; refused (which one would the graph use?)"))
    for t in graph.initializer:
        if len(t.dims) > 5 or min(t.dims, default=1) < 0:
            dims = list(t.dims[:6])
            raise ModelError(one_line(f"{path.name}: {t.name} has implausible dimensions "
                                      f"({len(t.dims):,} of them: {dims}{' …' if len(t.dims) > 6 else ''})"))
    check_total(path, [tuple(t.dims) for t in graph.initializer],
                [8 if t.data_type == 11 else 4 for t in graph.initializer])  # (11: DOUBLE)


class _Chain:
    """Walks a graph from its input to its output, one node at a time."""

    def __init__(self, path: Path, graph):
        self.path, self.graph = path, graph
        self.inits = {t.name: t for t in graph.initializer}
        inputs = [i.name for i in graph.input if i.name not in self.inits]
        if len(inputs) != 1 or len(graph.output) != 1:
            self.refuse(f"the graph has {len(inputs)} inputs and {len(graph.output)} outputs, not one of each")
        self.tensor, self.end = inputs[0], graph.output[0].name
        self.users: dict[str, list] = {}
        for node in graph.node:
            for name in node.input:
                self.users.setdefault(name, []).append(node)
        self.seen: set[int] = set()

    def refuse(self, why: str):
        raise ModelError(f"{self.path.name}: {why}; nnviz opens chains of Gemm or MatMul+Add layers with "
                         "Relu, Sigmoid or Tanh between them")

    def next(self):
        """The one node that reads the current tensor (None at the graph's output)."""
        users = self.users.get(self.tensor, [])
        if self.tensor == self.end and not users:
            return None
        if len(users) != 1:
            self.refuse(f"tensor {self.tensor!r} feeds {len(users)} nodes, not a chain")
        node = users[0]
        if id(node) in self.seen or len(node.output) != 1:
            self.refuse(f"node {node.name or node.op_type!r} is not a step of a chain")
        self.seen.add(id(node))
        self.tensor = node.output[0]
        return node

    def weight(self, node, index: int) -> tuple[str, np.ndarray]:
        """The initializer a node reads at input `index`, as an array."""
        from onnx import TensorProto, numpy_helper

        name = node.input[index] if index < len(node.input) else ""
        t = self.inits.get(name)
        if t is None:
            self.refuse(f"{node.op_type} {node.name!r} reads {name!r}, which is not a stored weight")
        if t.data_location == TensorProto.EXTERNAL:
            raise ModelError(f"{self.path.name}: {name} is stored in an external file; refused")
        if t.data_type not in (TensorProto.FLOAT, TensorProto.DOUBLE):
            raise ModelError(f"{self.path.name}: {name} has type {TensorProto.DataType.Name(t.data_type)}; "
                             "nnviz reads float or double weights")
        if int(np.prod(t.dims, dtype=np.float64)) > MAX_ELEMENTS:
            raise ModelError(f"{self.path.name}: {name} has implausible dimensions {list(t.dims)}")
        return name, numpy_helper.to_array(t)


def _attrs(node) -> dict:
    from onnx import helper

    return {a.name: helper.get_attribute_value(a) for a in node.attribute}


def _walk(path: Path, graph) -> tuple[list[Layer], list[str], str | None]:
    """(the dense layers, the activation after each but the last, what follows the last: g, softmax or None)."""
    chain = _Chain(path, graph)
    layers: list[Layer] = []
    after: list[str | None] = []  # what follows each layer
    while (node := chain.next()) is not None:
        op = node.op_type
        if node.domain not in ("", "ai.onnx"):
            chain.refuse(f"operator {node.domain}.{op} (node {node.name!r}) is not a standard ONNX operator")
        if op in ("Gemm", "MatMul"):
            layers.append(_gemm(chain, node) if op == "Gemm" else _matmul(chain, node))
            after.append(None)
        elif op == "Add" and layers and layers[-1].b is None and after[-1] is None:  # MatMul's bias
            layers[-1].b_name, layers[-1].b = chain.weight(node, 0 if node.input[0] in chain.inits else 1)
        elif op in ACT_OPS or op == "Softmax":
            if not layers or after[-1] is not None:
                chain.refuse(f"{op} {node.name!r} does not follow a dense layer")
            if op == "Softmax" and _attrs(node).get("axis", -1) not in (-1, 1):
                chain.refuse(f"Softmax {node.name!r} is over axis {_attrs(node)['axis']}")
            after[-1] = ACT_OPS.get(op, "softmax")
        elif op != "Identity":
            chain.refuse(f"operator {op} (node {node.name!r}) is not a dense layer or an activation")
    stray = len(graph.node) - len(chain.seen)
    if stray:
        chain.refuse(f"{stray} nodes are not on the path from the input to the output")
    if "softmax" in after[:-1]:
        chain.refuse("a Softmax comes before the last layer")
    return layers, [a or "linear" for a in after[:-1]], after[-1] if layers else None


def _gemm(chain: _Chain, node) -> Layer:
    a = _attrs(node)
    if a.get("transA", 0) or a.get("alpha", 1.0) != 1.0 or a.get("beta", 1.0) != 1.0:
        chain.refuse(f"Gemm {node.name!r} uses transA, alpha or beta")
    W_name, W = chain.weight(node, 1)
    check_matrix(chain.path, W_name, W.shape)
    layer = Layer(W_name, W if a.get("transB", 0) else np.ascontiguousarray(W.T))
    if len(node.input) > 2 and node.input[2]:
        layer.b_name, layer.b = chain.weight(node, 2)
    return layer


def _matmul(chain: _Chain, node) -> Layer:
    W_name, W = chain.weight(node, 1)
    check_matrix(chain.path, W_name, W.shape)
    return Layer(W_name, np.ascontiguousarray(W.T))  # MatMul's x @ W holds W as (in, out)


def save(net: Network, path: str | Path, card: dict | None = None) -> dict:
    """Write net as an ONNX graph with its choices and card in metadata_props. Returns the card."""
    onnx = require("onnx", path)
    from onnx import TensorProto, helper, numpy_helper

    if "step" in (net.arch.activation, net.arch.output):
        raise ModelError("ONNX has no step function: a step network cannot be exported as .onnx")
    card, metadata = metadata_for(net, card)
    elem = TensorProto.FLOAT if net.dtype == np.float32 else TensorProto.DOUBLE
    nodes, inits, x = [], [], "x"
    L = len(net.dense)
    for l, (W, b) in enumerate(net.weights()):
        W_name, b_name = torch_names(l)
        inits += [numpy_helper.from_array(W.copy(), W_name), numpy_helper.from_array(b.copy(), b_name)]
        nodes.append(helper.make_node("Gemm", [x, W_name, b_name], [f"z{l + 1}"], name=f"dense{l + 1}", transB=1))
        x = f"z{l + 1}"
        op = OPS[net.arch.activation if l < L - 1 else net.arch.output]
        if op:
            extra = {"axis": -1} if op == "Softmax" else {}
            nodes.append(helper.make_node(op, [x], [f"a{l + 1}"], name=f"{op.lower()}{l + 1}", **extra))
            x = f"a{l + 1}"
    graph = helper.make_graph(nodes, "nnviz_mlp", [helper.make_tensor_value_info("x", elem, ["N", net.sizes[0]])],
                              [helper.make_tensor_value_info(x, elem, ["N", net.sizes[-1]])], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)], producer_name="nnviz",
                              producer_version=__version__, ir_version=IR_VERSION)
    helper.set_model_props(model, metadata)
    onnx.checker.check_model(model)
    data = model.SerializeToString()
    atomic_write(path, lambda f: f.write(data))
    return card
