"""Weights written the way PyTorch users write them, and an independent NumPy forward pass to check against."""

from __future__ import annotations

import numpy as np
import pytest

from nnviz.core.modelio import ModelError
from nnviz.interop import load_any

G = {"relu": lambda z: np.maximum(z, 0), "tanh": np.tanh, "sigmoid": lambda z: 1 / (1 + np.exp(-z)),
     "linear": lambda z: z}


def mlp_weights(sizes=(12, 8, 5, 3), seed=0, dtype=np.float32) -> list[tuple[np.ndarray, np.ndarray]]:
    """[(W, b)] with W (out, in) like torch.nn.Linear.weight."""
    rng = np.random.default_rng(seed)
    return [(rng.normal(0, 0.5, (n_out, n_in)).astype(dtype), rng.normal(0, 0.1, n_out).astype(dtype))
            for n_in, n_out in zip(sizes[:-1], sizes[1:])]


def sequential_state(layers, prefix="") -> dict[str, np.ndarray]:
    """nn.Sequential(Linear, g, Linear, g, ..., Linear).state_dict() names: 0.weight, 0.bias, 2.weight, ..."""
    out = {}
    for l, (W, b) in enumerate(layers):
        out[f"{prefix}{2 * l}.weight"], out[f"{prefix}{2 * l}.bias"] = W, b
    return out


def numpy_probs(layers, x, g="relu") -> np.ndarray:
    """softmax(W_L g(... g(W_1 x + b_1) ...) + b_L) in float64, written out independently of nnviz."""
    a = np.asarray(x, np.float64)
    for l, (W, b) in enumerate(layers):
        z = a @ W.astype(np.float64).T + b
        a = G[g](z) if l < len(layers) - 1 else z
    e = np.exp(a - a.max(-1, keepdims=True))
    return e / e.sum(-1, keepdims=True)


def refused(path, *fragments, **choices) -> ModelError:
    """load_any(path) fails with one line naming the file and saying each fragment."""
    with pytest.raises(ModelError) as info:
        load_any(path, **choices)
    msg = str(info.value)
    assert path.name in msg and "\n" not in msg, msg
    for frag in fragments:
        assert frag.lower() in msg.lower(), msg
    return info.value
