"""Runs compared in lockstep: the same minibatches, in the same order, for every run, each with its own network.

    runs = compare(PRESETS["g"], data, epochs=2)      # sigmoid vs ReLU vs tanh
    runs[0].loss, runs[0].grad_norm["W1"], runs[0].dead["a1"], runs[0].test_accuracy

    comparison = Comparison(PRESETS["g"], data, epochs=2)   # the same, one batch at a time (a GUI's worker)
    for event in comparison.steps(control):                  # Progress after each batch, then Finished
        ...

A preset varies one thing the lecture varies (g, α, the optimiser, the initial weights) and nothing else.
One seeded generator draws the batches and their augmentation once, and every run trains on that batch, so
the curves differ only by what the runs differ in. Recorded per batch: the loss, ‖dJ/dW_l‖ and ‖W_l‖ of each
layer, and the share of each hidden layer's ReLUs that are dead (z ≤ 0 for every example of the batch); per
epoch: training and test accuracy. A run that diverges stops there (diverged_at) while the others go on.
Every BAND_EVERY batches: the distribution of W and of dJ/dW in each layer (core.distributions); now and
then (dense early, within MAX_SNAPSHOTS) the weights themselves, float16, to scrub, show and map.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field, replace

import numpy as np

from . import optim
from .distributions import Sample
from .divergence import Guard
from .minibatches import Minibatches
from .network import Architecture, Network
from .training import Control, Data, Finished, evaluate, grad_norms, total_norm, weight_mask

INITS = ("he", "small", "zeros")  # the layer's usual scale (He / Xavier), N(0, 0.01), all zero
BAND_EVERY = 5  # batches between two distributions of W and dJ/dW (measured: ~2% of the training time)
SNAPSHOT_EVERY = 5  # batches between two weight snapshots, at first (doubled whenever MAX_SNAPSHOTS is passed)
F16_MAX = float(np.finfo(np.float16).max)
MAX_SNAPSHOTS = 48  # per run: 784-300-100-10 in float16 is 0.53 MB a snapshot, 100 MB for 4 runs at most


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


@dataclass(frozen=True)
class Snapshot:
    t: int  # batches trained when it was taken (0: the initial weights)
    flat: np.ndarray  # the parameter vector (Network.flat's layout), float16, read-only


@dataclass(frozen=True, slots=True)
class Progress:
    done: int  # batches done (of every run), of total
    total: int


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
    band_t: list[int] = field(default_factory=list)  # the batches (1-based) the distributions were taken after
    bands: dict[str, list[np.ndarray]] = field(default_factory=dict)  # "W1", "dJ_dW1": quantiles (9,) per band_t
    snapshots: list[Snapshot] = field(default_factory=list)

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
        self.samples = [Sample(d.W.size, seed) for d in self.net.dense]
        self.snapshot_every = SNAPSHOT_EVERY
        self.snapshot(0)

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
        if (t + 1) % BAND_EVERY == 0:
            self.record_bands(t + 1)
        if (t + 1) % self.snapshot_every == 0:
            self.snapshot(t + 1)

    def record_bands(self, t: int) -> None:
        """The distributions of W and dJ/dW in each layer now (after t batches). W is the updated weight;
        dJ/dW is the gradient of the batch that updated it."""
        rec = self.record
        rec.band_t.append(t)
        for l, (d, sample) in enumerate(zip(self.net.dense, self.samples), start=1):
            rec.bands.setdefault(f"W{l}", []).append(sample.quantiles(d.W))
            rec.bands.setdefault(f"dJ_dW{l}", []).append(sample.quantiles(d.grads["W"]))

    def snapshot(self, t: int) -> None:
        """Keep the weights after t batches; past MAX_SNAPSHOTS, every other one goes (the first stays)
        and snapshots come half as often from then on."""
        snaps = self.record.snapshots
        if snaps and snaps[-1].t == t:
            return
        flat = np.clip(self.net.flat, -F16_MAX, F16_MAX).astype(np.float16)  # (a diverging run's huge weights)
        flat.flags.writeable = False
        snaps.append(Snapshot(t, flat))
        if len(snaps) > MAX_SNAPSHOTS:
            snaps[:] = snaps[:1] + snaps[2::2]
            self.snapshot_every *= 2


class Comparison:
    """Runs in lockstep, one batch at a time: steps() yields Progress after each batch, then Finished."""

    def __init__(self, specs: list[RunSpec], data: Data, epochs: int = 1, batch_size: int = 128, seed: int = 0,
                 batches_per_epoch: int | None = None) -> None:
        if not 1 <= len(specs) <= 8:
            raise ValueError(f"compare 1 to 8 runs, got {len(specs)}")
        if epochs < 1:
            raise ValueError(f"epochs must be at least 1, got {epochs}")
        n_in, n_out = int(np.shape(data.x_train)[1]), int(np.max(data.y_train)) + 1
        self.data, self.epochs = data, epochs
        self._runs = [_Run(s, (n_in, *s.hidden, max(n_out, 10)), seed) for s in specs]
        rng = np.random.default_rng(seed)  # the batches' order and augmentation: drawn once for every run
        self.batches = Minibatches(self._runs[0].net, data.x_train, data.y_train, batch_size, rng)
        self.per_epoch = min(self.batches.count, batches_per_epoch or self.batches.count)
        self.total = epochs * self.per_epoch
        self.done = 0  # batches done so far (of every live run)

    @property
    def records(self) -> list[RunRecord]:
        return [run.record for run in self._runs]

    def networks(self) -> list[Network]:
        """The runs' networks as they are now (the worker's own: read them in its thread)."""
        return [run.net for run in self._runs]

    def steps(self, control: Control | None = None) -> Iterator[Progress | Finished]:
        control = control or Control()
        t0, done = time.perf_counter(), 0
        for epoch in range(self.epochs):
            self.batches.shuffle()
            for run in self._runs:
                run.correct = run.seen = 0
            for b in range(self.per_epoch):
                if not control.may_run():
                    yield self._finished("stopped", epoch, done, t0)
                    return
                x, y, labels = self.batches.draw(b)
                for run in self._live():
                    run.step(x, y, labels, done)
                done = self.done = done + 1
                yield Progress(done, self.total)
            for run in self._live():
                run.record.train_accuracy.append(run.correct / max(run.seen, 1))
                run.record.test_accuracy.append(float(evaluate(run.net, self.data.x_test, self.data.y_test)[1]))
        yield self._finished("completed", self.epochs, done, t0)

    def _live(self) -> list[_Run]:
        return [r for r in self._runs if r.record.diverged_at is None]

    def _finished(self, reason: str, epochs: int, done: int, t0: float) -> Finished:
        for run in self._runs:
            run.snapshot(run.record.diverged_at if run.record.diverged_at is not None else done)
        return Finished(reason, epochs, done * self.batches.batch_size, time.perf_counter() - t0)


def compare(specs: list[RunSpec], data: Data, epochs: int = 1, batch_size: int = 128, seed: int = 0,
            batches_per_epoch: int | None = None, progress=None) -> list[RunRecord]:
    """Train every spec in lockstep on the same minibatches; their records. progress(done, total) if given."""
    comparison = Comparison(specs, data, epochs, batch_size, seed, batches_per_epoch)
    for event in comparison.steps():
        if progress is not None and isinstance(event, Progress):
            progress(event.done, event.total)
    return comparison.records


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


def gradient_ratio(record: RunRecord) -> float | None:
    """The median over batches of ‖dJ/dW₁‖ / ‖dJ/dW_L‖: below 1 the gradient shrinks on its way back from the
    output layer L to the first (it vanishes); None before a batch, or for a network of one layer."""
    first, last = record.grad_norm.get("W1", []), record.grad_norm.get(f"W{len(record.grad_norm)}", [])
    if len(record.grad_norm) < 2 or not first:
        return None
    with np.errstate(divide="ignore", invalid="ignore"):
        ratios = np.asarray(first) / np.asarray(last)
    ratios = ratios[np.isfinite(ratios)]
    return float(np.median(ratios)) if ratios.size else None


def vanishing_summary(records: list[RunRecord]) -> str:
    """One line that says where the gradient vanishes, from the runs' gradient norms:
    "‖dJ/dW₁‖ ÷ ‖dJ/dW₃‖ (median): g = sigmoid 0.38 (vanishing toward the input), g = ReLU 1.7"."""
    said = []
    for r in records:
        ratio = gradient_ratio(r)
        if ratio is not None:
            said.append(f"{r.spec.name} {ratio:.2g}" + (" (vanishing toward the input)" if ratio < 0.5 else ""))
    if not said:
        return "No gradients yet: the line appears after the first batch."
    layers = max(len(r.grad_norm) for r in records)
    return f"‖dJ/dW₁‖ ÷ ‖dJ/dW{_sub(layers)}‖, median over batches: " + ", ".join(said) + "."


def _sub(n: int) -> str:
    return str(n).translate(str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉"))
