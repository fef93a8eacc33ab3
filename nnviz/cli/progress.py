"""A one-line progress bar on a text stream (stderr) for `nnviz train`: epoch, batch, loss, accuracy, ETA."""

from __future__ import annotations

import time
from typing import TextIO


def _clock(seconds: float) -> str:
    seconds = int(max(seconds, 0))
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}" if seconds >= 3600 \
        else f"{seconds // 60}:{seconds % 60:02d}"


class ProgressBar:
    def __init__(self, stream: TextIO, width: int = 24, min_interval: float = 0.1) -> None:
        self.stream, self.width, self.min_interval = stream, width, min_interval
        self.t0 = time.perf_counter()
        self.last = 0.0
        self.loss = None

    def batch(self, ev, epochs: int) -> None:
        self.loss = ev.loss if self.loss is None else 0.98 * self.loss + 0.02 * ev.loss
        now = time.perf_counter()
        if now - self.last < self.min_interval and ev.batch + 1 < ev.n_batches:
            return
        self.last = now
        done = ev.epoch * ev.n_batches + ev.batch + 1
        total = epochs * ev.n_batches
        filled = int(self.width * done / total)
        eta = (now - self.t0) / done * (total - done)
        acc = f" acc {ev.accuracy:.3f}" if ev.accuracy is not None else ""
        self.stream.write(f"\r[{'#' * filled}{'.' * (self.width - filled)}] epoch {ev.epoch + 1}/{epochs} "
                          f"batch {ev.batch + 1}/{ev.n_batches} loss {self.loss:.4f}{acc} ETA {_clock(eta)} ")
        self.stream.flush()

    def epoch(self, ev) -> None:
        acc = f"{ev.test_accuracy:.4f}" if ev.test_accuracy is not None else "n/a"
        self.stream.write(f"\repoch {ev.epoch + 1}/{ev.epochs}: train loss {ev.train_loss:.4f}, "
                          f"test loss {ev.test_loss:.4f}, test accuracy {acc} ({ev.seconds:.1f} s)".ljust(100) + "\n")
        self.stream.flush()
