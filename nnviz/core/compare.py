"""Runs compared in lockstep: the same minibatches, in the same order, for every run, each with its own network.

    runs = compare(PRESETS["g"], data, epochs=2)      # sigmoid vs ReLU vs tanh
    runs[0].loss, runs[0].grad_norm["W1"], runs[0].dead["a1"], runs[0].test_accuracy

A preset varies one thing the lecture varies (g, α, the optimiser, the initial weights) and nothing else.
One seeded generator draws the batches and their augmentation once, and every run trains on that batch, so
the curves differ only by what the runs differ in. Recorded per batch: the loss, ‖dJ/dW_l‖ and ‖W_l‖ of each
layer, and the share of each hidden layer's ReLUs that are dead (z ≤ 0 for every example of the batch); per
epoch: training and test accuracy. A run that diverges stops there (diverged_at) while the others go on.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace

import numpy as np

from . import optim
from .divergence import Guard
from .minibatches import Minibatches
from .network import Architecture, Network
from .training import Data, evaluate, grad_norms, total_norm, weight_mask

INITS = ("he", "small", "zeros")  # the layer's usual scale (He / Xavier), N(0, 0.01), all zero


@dataclass(frozen=True)
class RunSpec:
    name: str
    activation: str = "relu"
    optimizer: str = "sgd"
    lr: float = 0.1
    init: str = "he"
    hidden: tuple[int, ...] = (300, 100)

    def settings(self) -> dict:
        return {k: list(v) if isinstance(v, tuple) else v for k, v in asdict(self).items() if k != "name"}


BASE = RunSpec("")
PRESETS: dict[str, list[RunSpec]] = {
    "g": [replace(BASE, name="g = sigmoid", activation="sigmoid"), replace(BASE, name="g = ReLU"),
          replace(BASE, name="g = tanh", activation="tanh")],
    "alpha": [replace(BASE, name="α = 0.001 (too small)", lr=0.001), replace(BASE, name="α = 0.1 (right)"),
              replace(BASE, name="α = 10 (too large)", lr=10.0)],
    "optimizer": [replace(BASE, name="SGD, α = 0.1"), replace(BASE, name="momentum, α = 0.01", optimizer="momentum",
                                                               lr=0.01),
                  replace(BASE, name="Adam, α = 0.001", optimizer="adam", lr=0.001)],
    "init": [replace(BASE, name="init: zeros", init="zeros"), replace(BASE, name="init: small random", init="small"),
             replace(BASE, name="init: He", init="he")],
}


@dataclass
class RunRecord:
    spec: RunSpec
    loss: list[float] = field(default_factory=list)  # per batch
    grad_norm: dict[str, list[float]] = field(default_factory=dict)  # "W1": per batch
    weight_norm: dict[str, list[float]] = field(default_factory=dict)
    dead: dict[str, list[float]] = field(default_factory=dict)  # "a1": share of layer 1's ReLUs dead, per batch
    train_accuracy: list[float] = field(default_factory=list)  # per epoch
    test_accuracy: list[float] = field(default_factory=list)
    diverged_at: int | None = None  # the batch (counted from the start) where it diverged

    def as_json(self) -> dict:
        return {"name": self.spec.name, "settings": self.spec.settings(), "loss": self.loss,
                "train_accuracy": self.train_accuracy, "test_accuracy": self.test_accuracy,
                "grad_norm": self.grad_norm, "weight_norm": self.weight_norm, "dead_relu": self.dead,
                "diverged_at": self.diverged_at}


class _Run:
    """One run's network, optimiser, divergence guard and record."""

    def __init__(self, spec: RunSpec, sizes: tuple[int, ...], seed: int) -> None:
        self.net = Network(Architecture(sizes, spec.activation), seed=seed)
        initialise(self.net, spec.init, seed)
        self.opt = optim.make(spec.optimizer, spec.lr, decay_mask=weight_mask(self.net))
        self.guard = Guard(self.net)
        self.record = RunRecord(spec)
        self.correct = self.seen = 0

    def step(self, x: np.ndarray, y: np.ndarray, labels: np.ndarray, t: int) -> None:
        """Forward, backward and update on this batch; recorded, or the run ends here (diverged)."""
        net, rec = self.net, self.record
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            J, y_hat = net.loss_and_grads(x, y)
            norms = grad_norms(net)
            dead = dead_shares(net) if self.record.spec.activation == "relu" else []  # (only a ReLU dies)
            if self.guard.exploded(J) or not self.guard.step(self.opt, total_norm(net, norms)):
                rec.diverged_at = t
                return
        rec.loss.append(float(J))
        for l, (n, d) in enumerate(zip(norms, net.dense), start=1):
            rec.grad_norm.setdefault(f"W{l}", []).append(n)
            rec.weight_norm.setdefault(f"W{l}", []).append(float(np.sqrt(np.dot(d.W.ravel(), d.W.ravel()))))
        for l, share in enumerate(dead, start=1):
            rec.dead.setdefault(f"a{l}", []).append(share)
        self.correct += int(np.count_nonzero(y_hat.argmax(1) == labels))
        self.seen += len(labels)


def compare(specs: list[RunSpec], data: Data, epochs: int = 1, batch_size: int = 128, seed: int = 0,
            batches_per_epoch: int | None = None, progress=None) -> list[RunRecord]:
    """Train every spec in lockstep on the same minibatches; their records. progress(done, total) if given."""
    if not 1 <= len(specs) <= 8:
        raise ValueError(f"compare 1 to 8 runs, got {len(specs)}")
    n_in, n_out = int(np.shape(data.x_train)[1]), int(np.max(data.y_train)) + 1
    runs = [_Run(s, (n_in, *s.hidden, max(n_out, 10)), seed) for s in specs]
    rng = np.random.default_rng(seed)  # the batches' order and augmentation: drawn once for every run
    batches = Minibatches(runs[0].net, data.x_train, data.y_train, batch_size, rng)
    count = min(batches.count, batches_per_epoch or batches.count)
    for epoch in range(epochs):
        batches.shuffle()
        for run in runs:
            run.correct = run.seen = 0
        for b in range(count):
            x, y, labels = batches.draw(b)
            for run in (r for r in runs if r.record.diverged_at is None):
                run.step(x, y, labels, epoch * count + b)
            if progress is not None:
                progress(epoch * count + b + 1, epochs * count)
        for run in (r for r in runs if r.record.diverged_at is None):
            run.record.train_accuracy.append(run.correct / max(run.seen, 1))
            run.record.test_accuracy.append(float(evaluate(run.net, data.x_test, data.y_test)[1]))
    return [run.record for run in runs]


def initialise(net: Network, init: str, seed: int) -> None:
    """The initial weights a run starts from: "he" (the network's own: He for ReLU, Xavier otherwise),
    "small" (N(0, 0.01)) or "zeros" (every weight 0: every neuron of a layer then learns the same)."""
    if init not in INITS:
        raise ValueError(f"unknown init {init!r}; choose from {', '.join(INITS)}")
    if init == "he":
        return
    rng = np.random.default_rng(seed)
    for layer in net.dense:
        layer.W[...] = 0.0 if init == "zeros" else rng.normal(0.0, 0.01, size=layer.W.shape)


def dead_shares(net: Network) -> list[float]:
    """For each hidden layer after the last forward pass: the share of its neurons with z ≤ 0 for every
    example of the batch (a ReLU there passes nothing back: it is dead for this batch)."""
    return [float(np.mean(np.all(g.z <= 0, axis=0))) for g in net.activation_layers[:-1]]
