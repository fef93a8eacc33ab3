"""Training history: snapshots of the weights, dense early and sparse late, within a memory budget.

    history = History(budget_mb=150)
    for event in recording(history, net, train(net, data, cfg)):   # in whatever thread trains
        ...
    flat = history.weights(i)        # the parameter vector at snapshot i (float32, layout of Network.flat)

Which batches are kept (Schedule): every batch up to `dense`, then batches spaced geometrically
(each gap `growth` times the previous), plus every epoch's end and the run's end; the weights before
the first batch are snapshot 0. Snapshots are float16 (half the memory of float32; measured: the
predictions and the views' colours do not change visibly, tests/core/test_history.py). When the
next snapshot would pass the budget, every other snapshot after the first is dropped (thinning), so
the history always spans the whole run. Thread-safe: one thread records while another reads.
"""

from __future__ import annotations

import itertools
import json
import math
import threading
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from .training import BatchDone, EpochDone, Finished

Array = np.ndarray
PREFIX = "history_"  # the arrays' names inside a model .npz
DEFAULT_BUDGET_MB = 150.0
F16_MAX = float(np.finfo(np.float16).max)
# What a saved history may say (it may be hand-edited): its settings' size and values, its moments' range
META_MAX_BYTES = 4096
MAX_BUDGET_MB, MAX_DENSE, MIN_GROWTH, MAX_GROWTH, MAX_THINNED = 100_000.0, 100_000, 1.001, 100.0, 64
MAX_T = 10**12  # updates since the history began


class HistoryError(ValueError):
    """A saved history cannot be used; the message says why."""


@dataclass(frozen=True)
class Schedule:
    """Record after batch t (1-based count of updates since the history began) when t <= dense or
    t is a geometric point: dense, then each next point max(p + 1, ceil(p * growth))."""

    dense: int = 100
    growth: float = 1.05

    def __post_init__(self) -> None:
        if self.dense < 1 or not self.growth > 1:
            raise ValueError("a schedule needs dense >= 1 and growth > 1")

    def points(self, last: int) -> list[int]:
        """Every t in 1..last the schedule records (epoch and run ends come on top)."""
        return list(itertools.takewhile(lambda p: p <= last, self.after(0)))

    def after(self, t: int) -> Iterator[int]:
        """The points the schedule records after t, in order, for ever (computed as they are asked for)."""
        if t < self.dense:
            yield from range(t + 1, self.dense + 1)
        p = self.dense
        while True:
            p = max(p + 1, math.ceil(p * self.growth))
            if p > t:
                yield p


@dataclass(frozen=True)
class Moment:
    """Where a snapshot sits: t updates since the history began, x in epochs, samples seen, loss there."""

    t: int
    x: float
    samples: int
    loss: float


class History:
    """Snapshots of one network's weights during training (possibly over several runs)."""

    def __init__(self, budget_mb: float = DEFAULT_BUDGET_MB, schedule: Schedule | None = None,
                 dtype=np.float16) -> None:
        self.budget_bytes = int(budget_mb * 1e6)
        self.schedule = schedule or Schedule()
        self.dtype = np.dtype(dtype)
        self._lock = threading.Lock()
        self._snaps: list[Array] = []
        self._moments: list[Moment] = []
        self._next = 1  # the next t the schedule wants
        self._points = iter(())
        self._restart_points(0)
        self.thinned = 0  # how many times the budget halved the snapshots
        self._latest: tuple[int, BatchDone] | None = None  # the last batch seen (t, event)
        self._run_t, self._run_x, self._run_samples = 0, 0.0, 0

    # --- reading ---------------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self._snaps)

    @property
    def nbytes(self) -> int:
        with self._lock:
            return sum(s.nbytes for s in self._snaps)

    @property
    def moments(self) -> list[Moment]:
        with self._lock:
            return list(self._moments)

    def weights(self, i: int) -> Array:
        """Snapshot i as float32 (a new array)."""
        with self._lock:
            return self._snaps[i].astype(np.float32)

    def moment(self, i: int) -> Moment:
        with self._lock:
            return self._moments[i]

    @property
    def last(self) -> Moment | None:
        with self._lock:
            return self._moments[-1] if self._moments else None

    def describe(self) -> str:
        """"212 snapshots · 113 MB of 150 MB"."""
        return f"{len(self)} snapshots · {self.nbytes / 1e6:.1f} MB of {self.budget_bytes / 1e6:.0f} MB"

    # --- recording -------------------------------------------------------------------------------
    def begin_run(self, flat: Array) -> None:
        """A run starts from these weights: snapshot them unless they are the last snapshot's."""
        last = self.last
        if last is None:
            self._add(flat, Moment(0, 0.0, 0, float("nan")))
        elif not np.array_equal(self._snaps[-1], flat.astype(self._snaps[-1].dtype)):
            self._add(flat, Moment(last.t, last.x, last.samples, last.loss))  # weights changed between runs
        self._run_t, self._run_x, self._run_samples = self.last.t, self.last.x, self.last.samples
        self._latest = None

    def on_batch(self, flat: Array, event: BatchDone) -> None:
        """After a batch's update (flat: the weights now). Records when the schedule says so."""
        t = self._run_t + event.epoch * event.n_batches + event.batch + 1
        if t >= self._next:
            self._add(flat, self._moment(t, event))
            while self._next <= t:
                self._next = next(self._points, math.inf)
        self._latest = (t, event)

    def on_end(self, flat: Array) -> None:
        """An epoch or the run ended: make sure its weights are the last snapshot."""
        latest, last = self._latest, self.last
        if latest is not None and last is not None and latest[0] > last.t:
            self._add(flat, self._moment(*latest))

    def _moment(self, t: int, event: BatchDone) -> Moment:
        x = self._run_x + event.epoch + (event.batch + 1) / event.n_batches
        return Moment(t, x, self._run_samples + event.samples, float(event.loss))

    def _restart_points(self, after: int) -> None:
        self._points = self.schedule.after(after)
        self._next = next(self._points, math.inf)

    def _add(self, flat: Array, moment: Moment) -> None:
        flat = np.asarray(flat)
        if self.dtype.itemsize < 4 and not (flat.max() < F16_MAX and flat.min() > -F16_MAX):  # (NaN fails too)
            snap = flat.astype(np.float32)  # a weight beyond float16's range: keep this snapshot exact
        else:
            snap = flat.astype(self.dtype)  # (~1.4 ms for 266,610 weights: the recorder's whole cost)
        with self._lock:
            while self._snaps and sum(s.nbytes for s in self._snaps) + snap.nbytes > self.budget_bytes:
                if len(self._snaps) < 3:
                    break
                keep = [0] + list(range(2, len(self._snaps), 2))
                if (len(self._snaps) - 1) % 2:  # keep the latest too
                    keep.append(len(self._snaps) - 1)
                self._snaps = [self._snaps[i] for i in keep]
                self._moments = [self._moments[i] for i in keep]
                self.thinned += 1
            self._snaps.append(snap)
            self._moments.append(moment)

    def truncate(self, i: int) -> None:
        """Forget every snapshot after i (Branch here: a new run continues from snapshot i)."""
        with self._lock:
            del self._snaps[i + 1:]
            del self._moments[i + 1:]
        self._restart_points(self.last.t)

    # --- files -----------------------------------------------------------------------------------
    def arrays(self) -> dict[str, Array]:
        """The history as plain arrays for a model's .npz (no pickle): weights (n, P), moments, settings."""
        with self._lock:
            snaps, moments = list(self._snaps), list(self._moments)
        dtype = np.result_type(*snaps) if snaps else self.dtype
        meta = {"budget_mb": self.budget_bytes / 1e6, "schedule": asdict(self.schedule), "thinned": self.thinned}
        return {
            PREFIX + "weights": np.stack(snaps).astype(dtype) if snaps else np.zeros((0, 0), dtype),
            PREFIX + "t": np.array([m.t for m in moments], np.int64),
            PREFIX + "x": np.array([m.x for m in moments], np.float64),
            PREFIX + "samples": np.array([m.samples for m in moments], np.int64),
            PREFIX + "loss": np.array([m.loss for m in moments], np.float64),
            PREFIX + "meta_json": np.frombuffer(json.dumps(meta).encode(), np.uint8),
        }

    @classmethod
    def from_arrays(cls, arrays: dict[str, Array], n_params: int) -> History:
        """The inverse of arrays(); raises HistoryError for anything that is not a valid history."""
        names = ("weights", "t", "x", "samples", "loss", "meta_json")
        missing = [PREFIX + n for n in names if PREFIX + n not in arrays]
        if missing:
            raise HistoryError(f"the training history is incomplete (missing {missing})")
        W = arrays[PREFIX + "weights"]
        if W.dtype not in (np.float16, np.float32) or W.ndim != 2 or W.shape[1:] != (n_params,) or not len(W):
            raise HistoryError(f"the training history's weights {W.dtype} {W.shape} do not fit a network "
                               f"of {n_params} parameters")
        cols = [np.asarray(arrays[PREFIX + n]) for n in names[1:5]]
        if any(c.shape != (len(W),) or c.dtype.kind not in "if" for c in cols):
            raise HistoryError("the training history's moments do not match its snapshots")
        t, x, samples, loss = (c.astype(np.float64) for c in cols)
        if not np.isfinite(W).all() or np.any(np.diff(t) < 0):
            raise HistoryError("the training history holds non-finite weights or runs backwards")
        if not (np.all((t >= 0) & (t <= MAX_T)) and np.all(np.isfinite(x) & (x >= 0))
                and np.all((samples >= 0) & (samples <= MAX_T * 1e6)) and not np.any(np.isinf(loss))):
            raise HistoryError(f"the training history's moments are out of range (updates 0 to {MAX_T:.0e}, "
                               "epochs and samples finite and not negative)")
        budget_mb, schedule, thinned = _settings(np.asarray(arrays[PREFIX + "meta_json"]))
        history = cls(budget_mb, schedule, dtype=W.dtype)
        history._snaps = [row.copy() for row in W]
        history._moments = [Moment(int(a), float(b), int(c), float(d)) for a, b, c, d in zip(*cols)]
        history.thinned = thinned
        history._restart_points(history.last.t)
        return history


def _settings(raw: Array) -> tuple[float, Schedule, int]:
    """(budget in MB, schedule, times thinned) from a history's settings, each checked (HistoryError)."""
    if raw.dtype != np.uint8 or raw.ndim != 1 or raw.size > META_MAX_BYTES:
        raise HistoryError(f"the training history's settings are not a short JSON text (at most {META_MAX_BYTES} "
                           "bytes)")

    def no_constant(name: str):
        raise ValueError(f"{name} is not a number")

    try:
        meta = json.loads(raw.tobytes().decode(), parse_constant=no_constant)
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        raise HistoryError(f"the training history's settings are unreadable ({str(exc)[:100]})") from None
    schedule = meta.get("schedule") if isinstance(meta, dict) else None
    if not isinstance(schedule, dict) or set(schedule) != {"dense", "growth"}:
        raise HistoryError("the training history's settings need a budget and a schedule of dense and growth")
    budget, thinned = meta.get("budget_mb"), meta.get("thinned", 0)
    dense, growth = schedule["dense"], schedule["growth"]
    checks = ((budget, (int, float), 1.0, MAX_BUDGET_MB, "budget_mb"), (dense, int, 1, MAX_DENSE, "dense"),
              (growth, (int, float), MIN_GROWTH, MAX_GROWTH, "growth"), (thinned, int, 0, MAX_THINNED, "thinned"))
    for value, kind, lo, hi, name in checks:
        if isinstance(value, bool) or not isinstance(value, kind) or not lo <= value <= hi:
            raise HistoryError(f"the training history's {name} must be a number from {lo:g} to {hi:g}, "
                               f"got {str(value)[:40]}")
    return float(budget), Schedule(int(dense), float(growth)), int(thinned)


def recording(history: History, net, events: Iterator) -> Iterator:
    """Pass a training generator's events through, recording net's weights into history on the way.
    Runs in the training thread: net.flat holds the weights after each BatchDone's update."""
    history.begin_run(net.flat)
    for event in events:
        if isinstance(event, BatchDone):
            history.on_batch(net.flat, event)
        elif isinstance(event, (EpochDone, Finished)):
            history.on_end(net.flat)
        yield event


def read_history(path: str | Path, n_params: int) -> History | None:
    """The history saved inside a model .npz, or None when it has none. Never unpickles."""
    try:
        with np.load(Path(path), allow_pickle=False) as npz:
            names = [n for n in npz.files if n.startswith(PREFIX)]
            arrays = {n: np.asarray(npz[n]) for n in names}
    except Exception as exc:  # a damaged archive fails in many ways (see modelio._read_arrays)
        raise HistoryError(f"the training history cannot be read ({type(exc).__name__}: {exc})") from None
    return History.from_arrays(arrays, n_params) if arrays else None
