"""A comparison on the worker side: core.compare's runs stepped in lockstep on their own thread, their records
sent to the GUI as immutable copies a few times a second.

    run = ComparisonRun()
    run.updated.connect(window.show_runs)        # tuple[RunView, ...], then ack() when shown
    run.start(specs, data, epochs=2)
    run.stop()
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QObject, Signal

from nnviz.core.compare import Comparison, Progress, RunRecord, RunSpec, Snapshot
from nnviz.core.trace import frozen
from nnviz.core.training import Data, Finished
from nnviz.gui.concurrency import Snapshots, TrainingRunner

MAX_HZ = 4.0  # record copies a second (the curves redraw at that rate; the worker never waits long for them)
RUN_COLOURS = ("#ffb454", "#5ccfe6", "#b48cff", "#7ddc7d")  # run 1 amber, 2 cyan, 3 violet, 4 green


@dataclass(frozen=True)
class RunView:
    """One run's record as it stands, copied in the worker: read-only arrays, shared with no one."""

    spec: RunSpec
    loss: np.ndarray  # per batch
    grad_norm: dict[str, np.ndarray]  # "W1": per batch
    weight_norm: dict[str, np.ndarray]
    dead: dict[str, np.ndarray]  # "a1": per batch (ReLU runs)
    train_accuracy: np.ndarray  # per epoch
    test_accuracy: np.ndarray
    diverged_at: int | None
    band_t: np.ndarray  # the batches the distributions were taken after
    bands: dict[str, np.ndarray]  # "W1", "dJ_dW1": (len(band_t), 9) quantiles
    snapshots: tuple[Snapshot, ...]  # (their arrays are read-only already)

    @property
    def name(self) -> str:
        return self.spec.name


@dataclass(frozen=True)
class ComparisonView:
    runs: tuple[RunView, ...]
    done: int  # batches, of total
    total: int
    final: Finished | None = None  # set in the last view


def view_of(record: RunRecord) -> RunView:
    copy = lambda values: frozen(np.array(values, dtype=np.float64))  # noqa: E731
    return RunView(record.spec, copy(record.loss), {k: copy(v) for k, v in record.grad_norm.items()},
                   {k: copy(v) for k, v in record.weight_norm.items()}, {k: copy(v) for k, v in record.dead.items()},
                   copy(record.train_accuracy), copy(record.test_accuracy), record.diverged_at,
                   frozen(np.array(record.band_t, dtype=np.int64)),
                   {k: frozen(np.array(v, dtype=np.float32).reshape(-1, 9)) for k, v in record.bands.items()},
                   tuple(record.snapshots))


class ComparisonRun(QObject):
    """One comparison at a time: start() trains the runs on a worker thread; updated(ComparisonView) a few
    times a second and once at the end (with final set); failed(text) if the worker raised."""

    updated = Signal(object)
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.runner: TrainingRunner | None = None
        self.last: ComparisonView | None = None

    @property
    def running(self) -> bool:
        return self.runner is not None and self.runner.running

    def start(self, specs: list[RunSpec], data: Data, epochs: int = 1, batch_size: int = 128, seed: int = 0) -> None:
        """Train specs in lockstep (a comparison still running is stopped first). Bad settings raise here."""
        self.stop()
        comparison = Comparison(specs, data, epochs, batch_size, seed)  # (raises on bad settings, in the GUI)

        def snapshot(event) -> ComparisonView:
            done = event.done if isinstance(event, Progress) else comparison.done
            final = event if isinstance(event, Finished) else None
            return ComparisonView(tuple(view_of(r) for r in comparison.records), done, comparison.total, final)

        self.runner = TrainingRunner(comparison.steps, Snapshots(snapshot, max_hz=MAX_HZ), name="comparisonRunner",
                                     owner=self)
        self.runner.report.connect(self._on_report)
        self.runner.failed.connect(self.failed)
        self.runner.start()

    def ack(self) -> None:
        """The GUI has shown the last view: the worker may send the next."""
        if self.runner is not None:
            self.runner.ack()

    def stop(self, wait: bool = False) -> None:
        if self.runner is not None:
            self.runner.stop(wait=wait)

    def _on_report(self, view: ComparisonView) -> None:
        self.last = view
        self.updated.emit(view)
