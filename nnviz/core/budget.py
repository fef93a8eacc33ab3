"""What training a network costs, estimated before any array is made, and a guard against the impossible.

    cost = estimate(Architecture((784, 100000, 100000, 10)), batch_size=128, optimizer="adam")
    check_affordable(arch, batch_size=128, optimizer="adam")   # raises TooBig with the estimate

Memory counts every array training keeps per parameter (the parameters, their gradients, the two
snapshots kept to undo a divergence, the regularisation mask, the optimiser's state and scratch) and
the activations of one batch (forward caches and backward temporaries) or of one evaluation chunk.
Seconds per epoch come from a FLOP count (forward 2, backward 4 multiply-adds per weight and example)
and this machine's measured matrix-multiply speed.
"""

from __future__ import annotations

import functools
import os
import time
from dataclasses import dataclass

import numpy as np

from .network import Architecture

OPTIMISER_COPIES = {"sgd": 1, "momentum": 2, "adam": 4}  # state + scratch arrays, each one parameter vector
TRAINING_COPIES = 5  # parameters, gradients, two snapshots (divergence undo), weight-decay mask
REGULARISATION_COPIES = 3  # temporaries of l2 * theta + l1 * sign(theta) and the masked sum
EVAL_CHUNK = 2000  # examples per chunk in evaluation and prediction
MEMORY_FRACTION = 0.5  # refuse networks that would need more than this share of the available memory
GiB = 1 << 30


class TooBig(ValueError):
    """The network cannot be trained on this machine; the message gives the estimate."""


@dataclass(frozen=True)
class Cost:
    n_params: int
    params_bytes: int
    grads_bytes: int
    optimiser_bytes: int  # optimiser state and scratch, snapshots, mask, regularisation temporaries
    activations_bytes: int  # one batch forward and backward (or one evaluation chunk)
    flops_per_epoch: float
    seconds_per_epoch: float

    @property
    def total_bytes(self) -> int:
        return self.params_bytes + self.grads_bytes + self.optimiser_bytes + self.activations_bytes

    def describe(self) -> str:
        """One line: 'about 37.5 GiB (parameters 9.3 GiB, gradients …) and 2,400 s per epoch'."""
        parts = ", ".join(f"{name} {_size(b)}" for name, b in (
            ("parameters", self.params_bytes), ("gradients", self.grads_bytes),
            ("optimiser and copies", self.optimiser_bytes), ("activations", self.activations_bytes)))
        return (f"about {_size(self.total_bytes)} of memory ({parts}) and about "
                f"{_duration(self.seconds_per_epoch)} per epoch for {self.n_params:,} parameters")


def estimate(arch: Architecture, batch_size: int = 128, optimizer: str = "adam", dtype=np.float32,
             n_train: int = 60_000, n_test: int = 10_000, regularised: bool = False,
             flops_per_second: float | None = None) -> Cost:
    """The cost of training arch for one epoch of n_train examples (and evaluating n_test). Pure arithmetic."""
    item = np.dtype(dtype).itemsize
    n_params = arch.n_params
    n_weights = sum(a * b for a, b in zip(arch.sizes[:-1], arch.sizes[1:]))
    p = n_params * item
    copies = OPTIMISER_COPIES.get(optimizer, max(OPTIMISER_COPIES.values())) + TRAINING_COPIES - 2
    copies += REGULARISATION_COPIES if regularised else 0
    rows = max(4 * batch_size, 2 * EVAL_CHUNK)  # forward caches and backward temporaries, or an eval chunk
    activations = rows * sum(arch.sizes) * item
    flops = 2.0 * n_weights * (3 * n_train + n_test)
    speed = flops_per_second or measured_flops_per_second()
    return Cost(n_params, p, p, copies * p, activations, flops, flops / speed)


def check_affordable(arch: Architecture, batch_size: int = 128, optimizer: str = "adam", dtype=np.float32,
                     available_bytes: int | None = None, max_seconds_per_epoch: float | None = None,
                     **kw) -> Cost:
    """The Cost, if training arch fits in MEMORY_FRACTION of the available memory (and, when given, within
    max_seconds_per_epoch); otherwise TooBig saying what it would take. Call it before making the Network."""
    cost = estimate(arch, batch_size, optimizer, dtype, **kw)
    available = available_memory() if available_bytes is None else available_bytes
    if cost.total_bytes > MEMORY_FRACTION * available:
        raise TooBig(f"network {arch.describe()} is too big for this machine: it needs {cost.describe()}; "
                     f"{_size(available)} of memory is available")
    if max_seconds_per_epoch is not None and cost.seconds_per_epoch > max_seconds_per_epoch:
        raise TooBig(f"network {arch.describe()} is too slow to train here: it needs {cost.describe()} "
                     f"(limit {_duration(max_seconds_per_epoch)} per epoch)")
    return cost


def available_memory() -> int:
    """Bytes of memory available to a new allocation (Linux MemAvailable; else free physical pages)."""
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return 4 * GiB


@functools.lru_cache(maxsize=1)
def measured_flops_per_second() -> float:
    """float32 matrix-multiply speed of this machine, as training uses it (a few ms to measure, once)."""
    rng = np.random.default_rng(0)
    a, b = rng.random((128, 784), np.float32), rng.random((784, 512), np.float32)
    best = float("inf")
    for _ in range(8):  # the fastest of a few: a busy machine slows single runs, not the typical one
        t0 = time.perf_counter()
        for _ in range(4):
            a @ b
        best = min(best, (time.perf_counter() - t0) / 4)
    return max(2.0 * 128 * 784 * 512 / max(best, 1e-9), 1e8)


def _size(n: float) -> str:
    for unit, scale in (("GiB", GiB), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n >= scale:
            return f"{n / scale:.1f} {unit}"
    return f"{int(n)} bytes"


def _duration(s: float) -> str:
    if s < 120:
        return f"{s:.1f} s"
    if s < 7200:
        return f"{s / 60:.0f} min"
    return f"{s / 3600:,.0f} h"
