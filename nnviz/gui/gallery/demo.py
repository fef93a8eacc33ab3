"""What the gallery's widgets show: the shipped model and MNIST test digits, found as the app finds them.

MNIST comes through nnviz.core.data's finder ($NNVIZ_DATA, then the user cache; `--data DIR` sets
$NNVIZ_DATA); the gallery never downloads. Without MNIST, `test_digit` falls back to seeded noise so
that every widget can still be previewed; the screenshots need the real digits and say so.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import cache

import numpy as np

from nnviz.core import modelio, preprocess
from nnviz.core.data import DatasetError, Mnist, load_mnist
from nnviz.core.network import Network
from nnviz.core.pixels import as_input


def shipped_model() -> tuple[Network, dict]:
    """(network, card) of the model shipped with nnviz."""
    return modelio.load_model(modelio.SHIPPED_MODEL)


@cache
def mnist() -> Mnist:
    """MNIST from the app's finder (no download); DatasetError says where it looked."""
    return load_mnist(download=False)


def has_mnist() -> bool:
    try:
        mnist()
    except (DatasetError, OSError):
        return False
    return True


def test_digit(index: int = 0) -> tuple[np.ndarray, int]:
    """(x (784,) float32, label) of MNIST test image `index`; seeded noise (label 0) without MNIST."""
    if not has_mnist():
        return np.random.default_rng(index).random(784).astype(np.float32), 0
    m = mnist()
    return as_input(m.x_test[index]), int(m.y_test[index])  # MNIST keeps uint8 pixels


def make_state(index: int = 0):
    """An AppState with the shipped model and MNIST test digit `index` as its input."""
    from nnviz.gui.state import AppState

    state = AppState(*shipped_model())
    x, y = test_digit(index)
    state.set_input(x, y, "dataset")
    return state


def telling_digit(net: Network, card: dict, data: Mnist, lo: float = 0.5, hi: float = 0.9) -> tuple[np.ndarray, int]:
    """The first test digit (as the model sees it) whose target probability is between lo and hi:
    unsure enough that the gradients are large and worth looking at."""
    x = data.x_test[:1000]
    x = preprocess.deskew(x) if preprocess.wants_deskew(card) else x
    p = net.predict_proba(x)[np.arange(len(x)), data.y_test[:1000]]
    i = int(np.flatnonzero((p > lo) & (p < hi))[0])
    return as_input(x[i]), int(data.y_test[i])


def wait_until(done: Callable[[], bool], timeout_s: float = 10.0) -> bool:
    """Process Qt events until done() (work finishing off the GUI thread) or the timeout; returns done()."""
    from PySide6.QtCore import QCoreApplication, QEventLoop

    end = time.monotonic() + timeout_s
    QCoreApplication.processEvents()
    while not done() and time.monotonic() < end:
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 20)
    return done()


def process_events(rounds: int = 10) -> None:
    """A few rounds of events: layouts settle and deferred repaints run."""
    from PySide6.QtCore import QCoreApplication

    for _ in range(rounds):
        QCoreApplication.processEvents()
