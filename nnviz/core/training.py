"""Training as a generator of small immutable events. It never prints and never sleeps.

    for event in train(net, data, TrainConfig(epochs=5), control):
        ...  # BatchDone, EpochDone, then Finished (completed, stopped or diverged)

Pause, step and stop are cooperative: the generator checks `control` between batches.
Deterministic for a given seed (shuffling and augmentation come from one seeded generator).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from . import optim
from .augment import augment_batch
from .network import Network
from .pixels import as_input, is_stored
from .preprocess import deskew

Array = np.ndarray


class Data(Protocol):
    x_train: Array
    y_train: Array
    x_test: Array
    y_test: Array


@dataclass(frozen=True)
class Split:
    """Any train/test split: x (n, n_in); y (n,) class labels or (n, k) target vectors."""

    x_train: Array
    y_train: Array
    x_test: Array
    y_test: Array


@dataclass(frozen=True)
class TrainConfig:
    epochs: int = 10
    batch_size: int = 128
    optimizer: str = "adam"
    lr: float = 1e-3
    schedule: str = "constant"  # or "cosine" (decays to lr·lr_floor over the run)
    lr_floor: float = 0.01
    l2: float = 0.0
    l1: float = 0.0
    augment: bool = False
    deskew: bool = False  # straighten every digit (after augmentation); the model then wants deskewed input
    seed: int = 0

    def __post_init__(self) -> None:
        if self.epochs < 1 or self.batch_size < 1:
            raise ValueError("epochs and batch size must be at least 1")
        if not np.isfinite(self.lr) or self.lr <= 0:
            raise ValueError(f"learning rate must be a positive number, got {self.lr}")
        for name, value in (("l2", self.l2), ("l1", self.l1)):
            if not (np.isfinite(value) and value >= 0):
                raise ValueError(f"{name} regularisation must be a non-negative number, got {value}")
        if self.schedule not in ("constant", "cosine"):
            raise ValueError(f"unknown schedule {self.schedule!r}; choose constant or cosine")


@dataclass(frozen=True, slots=True)
class BatchDone:
    epoch: int  # 0-based
    batch: int  # 0-based, within the epoch
    n_batches: int
    batch_size: int  # examples in this batch
    samples: int  # examples seen since the run started
    loss: float
    accuracy: float | None  # None for regression targets
    lr: float
    elapsed: float  # seconds of training (pauses excluded)
    grad_norms: tuple[float, ...] = ()  # ‖dJ/dW_l‖ for each layer l = 1..L (vanishing gradients show here)


@dataclass(frozen=True)
class EpochDone:
    epoch: int
    epochs: int
    train_loss: float
    train_accuracy: float | None
    test_loss: float
    test_accuracy: float | None
    seconds: float


@dataclass(frozen=True)
class Finished:
    reason: str  # "completed", "stopped" or "diverged"
    epochs_done: int
    samples: int
    seconds: float
    message: str = ""
    loss: float = float("nan")  # "diverged": the exploded loss J of the batch that stopped the run (inf if unknown)


Event = BatchDone | EpochDone | Finished


class Control:
    """Thread-safe pause / resume / step / stop for a running training generator.

    before_wait, if given, is called in the training thread just before it waits on a pause (a GUI sends
    what it has not shown yet, so that a paused view shows exactly where training stands)."""

    def __init__(self, before_wait: Callable[[], None] | None = None) -> None:
        self._before_wait = before_wait
        self._cond = threading.Condition()
        self._paused = False
        self._stopped = False
        self._steps = 0

    @property
    def paused(self) -> bool:
        return self._paused

    @property
    def stopped(self) -> bool:
        return self._stopped

    def pause(self) -> None:
        with self._cond:
            self._paused = True

    def resume(self) -> None:
        with self._cond:
            self._paused = False
            self._cond.notify_all()

    def step(self, n: int = 1) -> None:
        """While paused: let exactly n more batches run, then pause again."""
        with self._cond:
            self._paused = True
            self._steps += n
            self._cond.notify_all()

    def stop(self) -> None:
        with self._cond:
            self._stopped = True
            self._cond.notify_all()

    def may_run(self) -> bool:
        """Block while paused (with no step granted); False once stopped."""
        if not (self._paused or self._stopped):  # the common case, without the lock (a flag set meanwhile
            return True  # is seen at the next batch)
        if self._before_wait is not None and self._paused and self._steps == 0 and not self._stopped:
            self._before_wait()
        with self._cond:
            while self._paused and self._steps == 0 and not self._stopped:
                self._cond.wait()
            if self._stopped:
                return False
            if self._paused:
                self._steps -= 1
            return True


def targets(net: Network, y: Array) -> Array:
    """Class labels (n,) -> one-hot (n, k); target vectors (n, k) pass through."""
    y = np.asarray(y)
    if y.ndim == 1 and np.issubdtype(y.dtype, np.integer):
        return net.one_hot(y)
    return y.reshape(len(y), -1).astype(net.dtype, copy=False)


def evaluate(net: Network, x: Array, y: Array, batch_size: int = 2000) -> tuple[float, float | None]:
    """(mean loss, accuracy or None for regression) over a whole set."""
    loss, y_hat = net.loss_value(x, targets(net, y), batch_size)
    acc = float(np.mean(np.argmax(y_hat, 1) == y)) if _is_labels(y) else None
    return loss, acc


def _is_labels(y: Array) -> bool:
    return np.asarray(y).ndim == 1 and np.issubdtype(np.asarray(y).dtype, np.integer)


def train(net: Network, data: Data, cfg: TrainConfig, control: Control | None = None) -> Iterator[Event]:
    """Train `net` in place, yielding events. Stops early on control.stop() or divergence."""
    control = control or Control()
    rng = np.random.default_rng(cfg.seed)
    opt = optim.make(cfg.optimizer, cfg.lr, l2=cfg.l2, l1=cfg.l1, decay_mask=weight_mask(net))
    x_all, y_all = np.asarray(data.x_train), np.asarray(data.y_train)
    x_test = deskew(data.x_test) if cfg.deskew else data.x_test
    if cfg.deskew and not cfg.augment:
        x_all = deskew(x_all)  # once, up front (uint8 stays uint8); with augmentation each batch after distortion
    labels = _is_labels(y_all)
    n = len(x_all)
    n_batches = -(-n // cfg.batch_size)
    total = cfg.epochs * n_batches
    samples, elapsed = 0, 0.0
    # The weights the last reported loss was measured on (measured) and the ones before (earlier): on
    # divergence the network goes back to sane weights, not to ones that were already blowing up. The
    # three buffers take turns (the step writes the new weights into the oldest): no copy per batch.
    measured, earlier = net.flat.copy(), net.flat.copy()
    views = {id(buf): net.param_views(buf) for buf in (net.flat, measured, earlier)}  # each layer's W, b in each
    limit: float | None = None  # a loss above this counts as diverged (set from the first batch)
    x_buf = np.empty((min(cfg.batch_size, n),) + np.shape(x_all)[1:], np.asarray(x_all[:1]).dtype)
    # uint8 pixels (as a dataset stores them) become inputs batch by batch, into one reused array
    f_buf = np.empty(x_buf.shape, np.float32) if is_stored(x_buf) else None
    # Targets batch by batch into reused arrays: a label becomes its one-hot row in one comparison with the
    # class numbers; target vectors (regression) are gathered as they are
    y_rows = None if labels else targets(net, y_all)
    if labels and len(y_all) and not (0 <= y_all.min() and y_all.max() < net.sizes[-1]):
        raise ValueError(f"class labels must be 0 to {net.sizes[-1] - 1} for this network's {net.sizes[-1]} "
                         f"outputs, got {y_all.min()} to {y_all.max()}")
    classes = np.arange(net.sizes[-1])
    y_buf = np.empty((len(x_buf), net.sizes[-1] if labels else y_rows.shape[1]), net.dtype)
    label_buf = np.empty(len(x_buf), y_all.dtype)
    for epoch in range(cfg.epochs):
        order = rng.permutation(n)
        t_epoch, loss_sum, correct, seen = time.perf_counter(), 0.0, 0, 0
        for b in range(n_batches):
            if not control.may_run():
                yield Finished("stopped", epoch, samples, elapsed, "stopped by the user")
                return
            t0 = time.perf_counter()
            idx = order[b * cfg.batch_size:(b + 1) * cfg.batch_size]
            x = x_all.take(idx, axis=0, out=x_buf[:len(idx)], mode="clip")  # gathered into one reused array
            if f_buf is not None:
                x = as_input(x, net.dtype, out=f_buf[:len(idx)])
            if cfg.augment:
                x = augment_batch(x, rng)
                if cfg.deskew:
                    x = deskew(x)
            if cfg.schedule == "cosine":
                opt.lr = optim.cosine_lr(cfg.lr, (epoch * n_batches + b) / total, cfg.lr_floor)
            with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
                if labels:
                    label = y_all.take(idx, out=label_buf[:len(idx)], mode="clip")
                    y = np.equal(label[:, None], classes, out=y_buf[:len(idx)], casting="unsafe")  # one-hot
                else:
                    y = y_rows.take(idx, axis=0, out=y_buf[:len(idx)], mode="clip")
                J, y_hat = net.loss_and_grads(x, y)
                norms = tuple(_norm(d.grads["W"]) for d in net.dense)  # ‖dJ/dW_l‖
                b_sq = [float(d.grads["b"].dot(d.grads["b"])) for d in net.dense]  # ‖dJ/db_l‖²
                grad_norm = float(np.sqrt(sum(n * n for n in norms) + sum(b_sq)))  # ‖∇J‖, for the step's guard
                limit = explosion_limit(net, J) if limit is None else limit
                if not J <= limit:  # NaN fails every comparison
                    net.flat[...] = measured if samples else earlier
                    yield Finished("diverged", epoch, samples, elapsed, divergence_message(J, cfg.lr, cfg.optimizer),
                                   float(J))
                    return
                new = earlier  # the step leaves the weights J was measured on where they are:
                sum_sq = opt.step(net.flat, net.flat_grad, out=new, grad_norm=grad_norm)
                measured, earlier = net.flat, measured
                net.adopt(new, views.get(id(new)))
                # A gradient that is not finite makes the weights it updates NaN or inf, and so does a step
                # that overflows: one check of Σθ² (computed by the step, or bounded from ‖∇J‖) catches both.
                if not _all_finite(net.flat, sum_sq):
                    net.flat[...] = earlier
                    yield Finished("diverged", epoch, samples, elapsed,
                                   divergence_message(float("inf"), cfg.lr, cfg.optimizer), float("inf"))
                    return
            samples += len(idx)
            elapsed += time.perf_counter() - t0
            loss_sum += J * len(idx)
            seen += len(idx)
            acc = None
            if labels:
                hits = int(np.count_nonzero(y_hat.argmax(1) == label))
                correct += hits
                acc = hits / len(idx)
            yield BatchDone(epoch, b, n_batches, len(idx), samples, J, acc, opt.lr, elapsed, norms)
        test_loss, test_acc = evaluate(net, x_test, data.y_test)
        yield EpochDone(epoch, cfg.epochs, loss_sum / seen, correct / seen if labels else None,
                        test_loss, test_acc, time.perf_counter() - t_epoch)
    yield Finished("completed", cfg.epochs, samples, elapsed)


def _all_finite(a: Array, sum_sq: float) -> bool:
    """Whether every entry of the 1-D array a is finite, given Σ a² (which the optimiser's step computed
    while it had a in the cache): that sum is finite exactly when every entry is, unless the squares
    overflow; only then look entry by entry."""
    return bool(np.isfinite(sum_sq)) or bool(np.isfinite(a).all())


def _norm(a: Array) -> float:
    """‖a‖ as np.linalg.norm computes it (√ of one dot product), without its checks and reshapes."""
    flat = a.reshape(-1)
    return float(np.sqrt(flat.dot(flat)))


def weight_mask(net: Network) -> Array:
    """1 for every weight, 0 for every bias, in the layout of net.flat (regularisation skips biases)."""
    mask = np.zeros_like(net.flat)
    offset = 0
    for W, b in net.weights():
        mask[offset:offset + W.size] = 1
        offset += W.size + b.size
    return mask


def explosion_limit(net: Network, J_first: float) -> float:
    """The loss above which training counts as diverged: 1000 times the first batch's loss, or chance
    level for a softmax classifier (log k), whichever is larger."""
    chance = float(np.log(net.sizes[-1])) if net.arch.output == "softmax" else 0.0
    return 1e3 * max(float(J_first) if np.isfinite(J_first) else 0.0, chance, 1e-3)


# Learning rates that train this MLP well from fresh weights, per optimiser (Adam's steps do not scale
# with the gradient, so it wants a far smaller α than plain SGD).
GOOD_LR = {"adam": 1e-3, "momentum": 1e-2, "sgd": 1e-1}


def suggested_lr(lr: float, optimizer: str) -> float:
    """A rate to try after diverging at lr: a tenth of it, but no more than what suits the optimiser."""
    return min(lr / 10, GOOD_LR.get(optimizer, lr / 10))


def divergence_message(J: float, lr: float, optimizer: str = "sgd") -> str:
    what = f"the loss became {J:g}" if np.isfinite(J) else "the loss became infinite or NaN"
    if np.isfinite(J) and J < 1e300:
        what = f"the loss exploded to {J:.3g}"
    return (f"Training diverged: {what} at learning rate {lr:g}. The weights on which the last reported loss "
            f"was measured were restored. Try a smaller learning rate (for example {suggested_lr(lr, optimizer):g}"
            f" for {optimizer}).")
