"""A fully connected network: Dense and activation layers stacked, any sizes.

Default: 784-300-100-10, ReLU hidden, softmax output with cross-entropy, float32.
Parameters live in one flat buffer (and their gradients in another) so that optimisers update
everything with a handful of vectorised operations; each layer's W and b are views into it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from . import losses
from .layers import ActivationLayer, Dense, Softmax
from .pixels import as_input
from .trace import LayerTrace, Trace, frozen, read_only

Array = np.ndarray
CHUNK_BYTES = 64 << 20  # activations of one chunk of many examples (predict_proba, loss_value)
DEFAULT_SIZES = (784, 300, 100, 10)


@dataclass(frozen=True)
class Architecture:
    """What a network is, without its numbers."""

    sizes: tuple[int, ...] = DEFAULT_SIZES
    activation: str = "relu"  # hidden layers' g
    output: str = "softmax"  # output layer: "softmax" or an activation name
    loss: str = "cross_entropy"

    def __post_init__(self) -> None:
        if len(self.sizes) < 2 or any(int(n) < 1 for n in self.sizes):
            raise ValueError(f"sizes must be at least two positive numbers, got {self.sizes}")

    @property
    def n_params(self) -> int:
        return sum(n_in * n_out + n_out for n_in, n_out in zip(self.sizes[:-1], self.sizes[1:]))

    def describe(self) -> str:
        return "-".join(str(n) for n in self.sizes) + f" {self.activation}"


def init_scale(activation: str, n_in: int, n_out: int) -> float:
    """Standard deviation of the initial weights: He for ReLU, Xavier (Glorot) otherwise."""
    if activation == "relu":
        return float(np.sqrt(2.0 / n_in))
    return float(np.sqrt(2.0 / (n_in + n_out)))


class Network:
    """Layers of Dense + activation. forward/backward work on batches x: (n_ex, sizes[0])."""

    def __init__(self, arch: Architecture | None = None, seed: int = 0, dtype=np.float32, **kw) -> None:
        self.arch = arch if arch is not None else Architecture(**kw)
        self.dtype = np.dtype(dtype)
        self.loss_fn = losses.get(self.arch.loss)
        self.flat = np.zeros(self.arch.n_params, self.dtype)  # every W and b, in order
        self.flat_grad = np.zeros_like(self.flat)  # dJ/dW and dJ/db, same layout
        self._bind_layers()
        self.initialise(seed)

    # --- parameters -------------------------------------------------------------------------
    def initialise(self, seed: int) -> None:
        """Seeded random weights (He for ReLU, Xavier for the rest) and zero biases."""
        rng = np.random.default_rng(seed)
        for layer in self.dense:
            n_out, n_in = layer.W.shape
            scale = init_scale(self.arch.activation, n_in, n_out)
            layer.W[...] = rng.normal(0.0, scale, size=(n_out, n_in))
            layer.b[...] = 0

    @property
    def sizes(self) -> tuple[int, ...]:
        return self.arch.sizes

    def weights(self) -> list[tuple[Array, Array]]:
        """[(W1, b1), (W2, b2), ...] as live views (not copies)."""
        return [(layer.W, layer.b) for layer in self.dense]

    def state(self) -> dict[str, Array]:
        """Copies of all parameters by name: W1, b1, W2, b2, ..."""
        out = {}
        for l, layer in enumerate(self.dense, start=1):
            out[f"W{l}"] = layer.W.copy()
            out[f"b{l}"] = layer.b.copy()
        return out

    def load_state(self, state: dict[str, Array]) -> None:
        """Copy parameters from a dict like `state()`'s into this network (shapes must match)."""
        for l, layer in enumerate(self.dense, start=1):
            for name, arr in (("W", layer.W), ("b", layer.b)):
                src = np.asarray(state[f"{name}{l}"])
                if src.shape != arr.shape:
                    raise ValueError(f"{name}{l} has shape {src.shape}, expected {arr.shape}")
                arr[...] = src

    def copy(self) -> Network:
        twin = Network(self.arch, dtype=self.dtype)
        twin.flat[...] = self.flat
        return twin

    # --- passes ------------------------------------------------------------------------------
    def forward(self, x: Array) -> Array:
        """ŷ for a batch x: (n_ex, n_in) -> (n_ex, n_out). Caches what backward needs.

        x: floats, or uint8 pixels as a dataset stores them (core.pixels: converted to p / 255).
        """
        a = as_input(x, self.dtype)
        for dense, act in zip(self.dense, self.activation_layers):
            a = act.forward(dense.forward(a))
        return a

    def backward(self, y: Array, input_grad: bool = False, record: bool = False,
                 param_grads: bool = True) -> tuple[float, Array | None]:
        """After forward: J for targets y (n_ex, n_out); leaves dJ/dθ in every layer's grads.

        Returns (J, dJ/dx) with dJ/dx only when input_grad is True (training does not need it).
        record: also keep each layer's dJ/dz and dJ/da in self.dJ_dz[l], self.dJ_da[l] (for traces;
        the output layer's dJ/da is dJ/dŷ). param_grads=False skips dJ/dW and dJ/db (a trace works
        them out from dJ/dz and a only when asked: for a big network they are most of the work).
        """
        y_hat = self._y_hat()
        y = np.asarray(y, dtype=self.dtype)
        if self.loss_fn.fused_output == "softmax" == self.arch.output:
            last = self.activation_layers[-1]
            J = self.loss_fn.value_from_logits(last.z, y, last.parts)  # unclipped, so divergence shows
        else:
            J = self.loss_fn.value(y_hat, y)
        L = len(self.dense)
        if record:
            self.dJ_dz, self.dJ_da = [None] * L, [None] * L
            self.dJ_da[L - 1] = self.loss_fn.dJ_dy_hat(y_hat, y)
        dJ_dz = self.output_dJ_dz(y_hat, y)
        for l in range(L - 1, -1, -1):
            if record:
                self.dJ_dz[l] = dJ_dz
            if l == 0 and not input_grad:
                if param_grads:
                    self._param_grads_only(self.dense[0], dJ_dz)
                return J, None
            dJ_da = self.dense[l].backward(dJ_dz) if param_grads else dJ_dz @ self.dense[l].W
            if l > 0:
                if record:
                    self.dJ_da[l - 1] = dJ_da
                dJ_dz = self.activation_layers[l - 1].backward(dJ_da)
        return J, dJ_da

    def output_dJ_dz(self, y_hat: Array, y: Array) -> Array:
        """dJ/dz of the output layer: ŷ − y when loss and output activation pair up, else the chain."""
        if self.loss_fn.fused_output == self.arch.output:
            return self.loss_fn.dJ_dz_fused(y_hat, y)
        return self.activation_layers[-1].backward(self.loss_fn.dJ_dy_hat(y_hat, y))

    def _y_hat(self) -> Array:
        last = self.activation_layers[-1]
        if last.z is None:
            raise RuntimeError("backward() before forward()")
        return last.y_hat if isinstance(last, Softmax) else last._fwd(last.z)

    @staticmethod
    def _param_grads_only(dense: Dense, dJ_dz: Array) -> None:
        np.matmul(dJ_dz.T, dense.a_in, out=dense.grads["W"])
        np.add.reduce(dJ_dz, axis=0, out=dense.grads["b"])

    def loss_and_grads(self, x: Array, y: Array) -> tuple[float, Array]:
        """Forward + backward on a batch. Returns (J, ŷ); gradients are in `flat_grad`."""
        y_hat = self.forward(x)
        J, _ = self.backward(y)
        return J, y_hat

    def chunk_rows(self) -> int:
        """Examples per chunk when many go through at once: 2000, fewer for wide layers, so that a chunk's
        activations stay within CHUNK_BYTES whatever widths a model file declares."""
        return int(max(1, min(2000, CHUNK_BYTES // (3 * self.dtype.itemsize * max(self.sizes)))))

    def predict_proba(self, x: Array, batch_size: int | None = None) -> Array:
        """ŷ for many examples, in chunks so memory stays small. x: (n_ex, n_in)."""
        batch_size = batch_size or self.chunk_rows()
        x = np.asarray(x)
        single = x.ndim == 1
        x2 = x[None] if single else x
        out = np.concatenate([self._infer(x2[i:i + batch_size]) for i in range(0, len(x2), batch_size)])
        return out[0] if single else out

    def _infer(self, x: Array) -> Array:
        a = as_input(x, self.dtype)
        for dense, act in zip(self.dense, self.activation_layers):
            a = act._fwd(dense._fwd(a))
        return a

    def loss_value(self, x: Array, y: Array, batch_size: int | None = None) -> tuple[float, Array]:
        """(J, ŷ) for a batch x with targets y (n_ex, n_out), without touching caches or gradients.

        Softmax with cross-entropy takes J from the output's z with log-softmax, Σ y (logsumexp(z) − z):
        exact for a target the network finds very unlikely (ŷ = 10⁻²⁸ gives J = 64, not a clipped 27.6).
        """
        batch_size = batch_size or self.chunk_rows()
        x, y = np.asarray(x), np.asarray(y)
        fused = self.loss_fn.fused_output == "softmax" == self.arch.output
        total, y_hats = 0.0, []
        for i in range(0, len(x), batch_size):
            a = as_input(x[i:i + batch_size], self.dtype)  # chunk by chunk: 60,000 floats at once are 188 MB
            for dense, act in zip(self.dense[:-1], self.activation_layers[:-1]):
                a = act._fwd(dense._fwd(a))
            z = self.dense[-1]._fwd(a)
            y_hat = self.activation_layers[-1]._fwd(z)
            part = y[i:i + batch_size]
            J = self.loss_fn.value_from_logits(z, part) if fused else self.loss_fn.value(y_hat, part)
            total += J * len(a)
            y_hats.append(y_hat)
        return total / max(1, len(x)), np.concatenate(y_hats) if y_hats else np.zeros((0, self.sizes[-1]))

    def predict(self, x: Array) -> Array:
        """The predicted class of each example (argmax of ŷ)."""
        return np.argmax(self.predict_proba(x), axis=-1)

    def one_hot(self, labels: Array | int) -> Array:
        labels = np.atleast_1d(np.asarray(labels, dtype=np.int64))
        y = np.zeros((labels.size, self.sizes[-1]), self.dtype)
        y[np.arange(labels.size), labels] = 1
        return y

    def trace(self, x: Array, target: int | Array | Callable[[Array], int] | None = None,
              share_weights: bool = False) -> Trace:
        """Forward (and, given a target class or vector, backward) for one example x: (n_in,).

        target may be a function of the prediction ŷ (n_out,) that returns the target class: it is chosen
        after the forward pass, so choosing it costs no second one.

        Leaves this network's caches and gradients untouched, so it is safe next to training.
        share_weights: the trace's W and b are read-only views of this network's, not copies (for an
        owner that never writes its parameters in place but replaces them: see adopt). dJ/dW is
        worked out when first read (LayerTrace.dJ_dW).
        """
        shadow = self.copy_sharing_params(grads=False)
        x = as_input(x, self.dtype).reshape(1, -1)
        y_hat = shadow.forward(x)
        zs = [g_layer.z for g_layer in shadow.activation_layers]
        a_values = [x] + [dense.a_in for dense in shadow.dense[1:]] + [y_hat]
        y = loss = dJ_dx = None
        dJ_dz_list = dJ_da_list = [None] * len(self.dense)
        if callable(target):
            target = target(y_hat[0])
        if target is not None:
            y = shadow.one_hot(target) if np.ndim(target) == 0 else np.asarray(target, self.dtype).reshape(1, -1)
            loss, dJ_dx = shadow.backward(y, input_grad=True, record=True, param_grads=False)
            dJ_dz_list, dJ_da_list = shadow.dJ_dz, shadow.dJ_da
        param = read_only if share_weights else frozen
        a_frozen = [frozen(a[0]) for a in a_values]
        layers = []
        for l, d in enumerate(shadow.dense):
            has = target is not None
            dJ_dz = frozen(dJ_dz_list[l][0]) if has else None
            layers.append(LayerTrace(
                W=param(d.W), b=param(d.b), z=frozen(zs[l][0]), a=a_frozen[l + 1],
                g_name=self.arch.output if l == len(shadow.dense) - 1 else self.arch.activation,
                dJ_dz=dJ_dz, dJ_da=frozen(dJ_da_list[l][0]) if has else None,
                dJ_db=dJ_dz, a_in=a_frozen[l]))
        return Trace(x=a_frozen[0], layers=tuple(layers), y_hat=a_frozen[-1], loss_name=self.arch.loss,
                     y=frozen(y[0]) if y is not None else None, loss=loss,
                     dJ_dx=frozen(dJ_dx[0]) if dJ_dx is not None else None)

    def copy_sharing_params(self, grads: bool = True) -> Network:
        """A twin that shares W and b (no copy) but has its own caches (and gradient buffers, unless
        grads=False: a twin that only traces needs none)."""
        twin = Network.__new__(Network)
        twin.arch, twin.dtype, twin.loss_fn = self.arch, self.dtype, self.loss_fn
        twin.flat = self.flat
        twin.flat_grad = np.zeros_like(self.flat) if grads else None
        twin._bind_layers()
        return twin

    def adopt(self, flat: Array, views: list[dict[str, Array]] | None = None) -> None:
        """Take `flat` (the same layout as self.flat) as this network's parameters, without writing into
        the old buffer: read-only views of the old weights (a trace's W) keep the values they had.
        views: param_views(flat), when the caller keeps them for a buffer it adopts again and again."""
        flat = np.asarray(flat)
        if flat.shape != self.flat.shape or flat.dtype != self.dtype:
            raise ValueError(f"adopt needs a {self.dtype} vector of {self.flat.size} parameters, "
                             f"got {flat.dtype} {flat.shape}")
        self.flat = flat
        for layer, params in zip(self.dense, views or self.param_views(flat)):  # the same layers, new views
            layer.params = params

    def param_views(self, flat: Array) -> list[dict[str, Array]]:
        """Each layer's {"W": ..., "b": ...} as views of flat (this network's layout)."""
        views, offset = [], 0
        for layer in self.dense:
            n_out, n_in = layer.W.shape
            views.append({"W": flat[offset:offset + n_out * n_in].reshape(n_out, n_in),
                          "b": flat[offset + n_out * n_in:offset + n_out * n_in + n_out]})
            offset += n_out * n_in + n_out
        return views

    def _bind_layers(self) -> None:
        """Make the layers: each Dense's W, b (and gradients) are views into flat (flat_grad)."""
        self.dense, self.activation_layers = [], []
        offset = 0
        sizes = self.arch.sizes
        for l, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
            w_end, b_end = offset + n_in * n_out, offset + n_in * n_out + n_out
            layer = Dense(self.flat[offset:w_end].reshape(n_out, n_in), self.flat[w_end:b_end], grads=False)
            if self.flat_grad is not None:
                layer.grads = {"W": self.flat_grad[offset:w_end].reshape(n_out, n_in),
                               "b": self.flat_grad[w_end:b_end]}
            offset = b_end
            self.dense.append(layer)
            g = self.arch.output if l == len(sizes) - 2 else self.arch.activation
            self.activation_layers.append(Softmax() if g == "softmax" else ActivationLayer(g))
