"""Training as a generator of small immutable events. It never prints and never sleeps.

    for event in train(net, data, TrainConfig(epochs=5), control):
        ...  # BatchDone, EpochDone, then Finished (completed, stopped or diverged)

train() is the lecture's loop: for each epoch, shuffle; for each minibatch, the forward pass and the loss J,
the backward pass dJ/dθ, and the update θ ← θ − α·update(dJ/dθ). Minibatches (minibatches.py) and the
divergence Guard (divergence.py) hold what makes it fast and safe. Pause, step and stop are cooperative: the
generator checks `control` between batches. Deterministic for a given seed (shuffling and augmentation come
from one seeded generator).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from . import optim
from .divergence import Guard, divergence_message
from .fast import sum_of_squares
from .minibatches import Minibatches, is_labels, targets
from .network import Network
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


def evaluate(net: Network, x: Array, y: Array, batch_size: int | None = None) -> tuple[float, float | None]:
    """(mean loss, accuracy or None for regression) over a whole set."""
    loss, y_hat = net.loss_value(x, targets(net, y), batch_size)
    acc = float(np.mean(np.argmax(y_hat, 1) == y)) if is_labels(y) else None
    return loss, acc


def train(net: Network, data: Data, cfg: TrainConfig, control: Control | None = None) -> Iterator[Event]:
    """Train `net` in place, yielding events. Stops early on control.stop() or divergence."""
    control = control or Control()
    rng = np.random.default_rng(cfg.seed)
    batches = Minibatches(net, data.x_train, data.y_train, cfg.batch_size, rng, cfg.augment, cfg.deskew)
    x_test = deskew(data.x_test) if cfg.deskew else data.x_test
    opt = optim.make(cfg.optimizer, cfg.lr, l2=cfg.l2, l1=cfg.l1, decay_mask=weight_mask(net))
    guard, clock, steps = Guard(net), Clock(), cfg.epochs * batches.count
    for epoch in range(cfg.epochs):
        batches.shuffle()
        tally = Tally()
        for b in range(batches.count):
            if not control.may_run():
                yield Finished("stopped", epoch, clock.samples, clock.seconds, "stopped by the user")
                return
            with clock.batch(), np.errstate(over="ignore", invalid="ignore", divide="ignore"):
                x, y, labels = batches.draw(b)
                opt.lr = learning_rate(cfg, epoch * batches.count + b, steps)
                J, y_hat = net.loss_and_grads(x, y)  # forward: ŷ and J; backward: dJ/dθ (net.flat_grad)
                norms = grad_norms(net)
                if guard.exploded(J):
                    yield diverged(J, epoch, clock, cfg)
                    return
                if not guard.step(opt, total_norm(net, norms)):  # θ ← θ − α·update(dJ/dθ)
                    yield diverged(float("inf"), epoch, clock, cfg)
                    return
                clock.count(len(x))
            yield BatchDone(epoch, b, batches.count, len(x), clock.samples, J, tally.add(J, y_hat, labels),
                            opt.lr, clock.seconds, norms)
        yield EpochDone(epoch, cfg.epochs, *tally.means(), *evaluate(net, x_test, data.y_test), tally.seconds())
    yield Finished("completed", cfg.epochs, clock.samples, clock.seconds)


# --- the loop's bookkeeping ------------------------------------------------------------------------------
class Clock:
    """Examples seen and seconds of training since the run started (the time the consumer of the events
    takes, pauses included, is not training)."""

    def __init__(self) -> None:
        self.samples, self.seconds = 0, 0.0

    @contextmanager
    def batch(self):
        t0 = time.perf_counter()
        try:
            yield
        finally:
            self.seconds += time.perf_counter() - t0

    def count(self, n: int) -> None:
        self.samples += n


class Tally:
    """An epoch's training loss and accuracy, batch by batch."""

    def __init__(self) -> None:
        self.t0, self.loss_sum, self.correct, self.seen, self.labels = time.perf_counter(), 0.0, 0, 0, False

    def add(self, J: float, y_hat: Array, labels: Array | None) -> float | None:
        """Count a batch; its accuracy (None for regression targets)."""
        n = len(y_hat)
        self.loss_sum += J * n
        self.seen += n
        if labels is None:
            return None
        self.labels = True
        hits = int(np.count_nonzero(y_hat.argmax(1) == labels))
        self.correct += hits
        return hits / n

    def means(self) -> tuple[float, float | None]:
        return self.loss_sum / self.seen, self.correct / self.seen if self.labels else None

    def seconds(self) -> float:
        return time.perf_counter() - self.t0


def grad_norms(net: Network) -> tuple[float, ...]:
    """‖dJ/dW_l‖ for each layer l = 1..L (where vanishing gradients show)."""
    return tuple(float(np.sqrt(np.dot(w, w))) for w in (d.grads["W"].reshape(-1) for d in net.dense))


def total_norm(net: Network, w_norms: tuple[float, ...]) -> float:
    """‖∇J‖ over every parameter, from the weights' norms and the biases' gradients."""
    b_sq = [sum_of_squares(d.grads["b"]) for d in net.dense]
    return float(np.sqrt(sum(n * n for n in w_norms) + sum(b_sq)))


def learning_rate(cfg: TrainConfig, step: int, steps: int) -> float:
    """α at this step of the run: constant, or on the cosine schedule."""
    return optim.cosine_lr(cfg.lr, step / steps, cfg.lr_floor) if cfg.schedule == "cosine" else cfg.lr


def diverged(J: float, epoch: int, clock: Clock, cfg: TrainConfig) -> Finished:
    return Finished("diverged", epoch, clock.samples, clock.seconds, divergence_message(J, cfg.lr, cfg.optimizer),
                    float(J))


def weight_mask(net: Network) -> Array:
    """1 for every weight, 0 for every bias, in the layout of net.flat (regularisation skips biases)."""
    mask = np.zeros_like(net.flat)
    offset = 0
    for W, b in net.weights():
        mask[offset:offset + W.size] = 1
        offset += W.size + b.size
    return mask
