"""The hidden layer map's projections: PCA (nnviz.core.projection, always) and t-SNE (scikit-learn's, when it is
installed: `pip install 'nnviz[embed]'`), the non-linear one that pulls each class into an island of its own.

    xy = project("t-SNE", a, previous=xy_before)     # (n, 2) float32; previous: the map before, same method

PCA shows the directions along which the activations vary most (distances mean something); t-SNE keeps each
digit near its nearest neighbours and nothing else (a cluster's size and the gaps between clusters mean
little). Starting t-SNE from the map before keeps the islands in place while the history is scrubbed.
"""

from __future__ import annotations

import importlib.util
import threading
from collections.abc import Callable

import numpy as np

from nnviz.core.projection import pca_2d

METHODS = ("PCA", "t-SNE")
TSNE_ITERATIONS = 500  # (2,000 digits: about 2.5 s on 2 cores; scikit-learn's 1,000 take twice that, for little)


def tsne_problem() -> str | None:
    """Why t-SNE is not offered here (None when it is)."""
    if importlib.util.find_spec("sklearn") is None:
        return "t-SNE needs scikit-learn: pip install 'nnviz[embed]'"
    return None


class Stopped(Exception):
    """The t-SNE was given up (the app is quitting)."""


def project(method: str, a: np.ndarray, previous: np.ndarray | None = None,
            stop: Callable[[], bool] = lambda: False) -> np.ndarray:
    """(n, 2) float32: the activations a placed by PCA or t-SNE (previous: that method's map before). A t-SNE
    gives up with Stopped within STOP_POLL_S of stop() turning true."""
    if method == "PCA":
        return pca_2d(a, previous)
    if method != "t-SNE":
        raise ValueError(f"no projection called {method!r}: {', '.join(METHODS)}")
    return abandonable(lambda: tsne_2d(a, previous), stop)


STOP_POLL_S = 0.05


def abandonable(fn: Callable[[], np.ndarray], stop: Callable[[], bool]) -> np.ndarray:
    """fn() in a daemon thread of its own, given up (Stopped) as soon as stop() says so: scikit-learn's t-SNE
    cannot be interrupted, and quitting must not wait seconds for it (an abandoned one ends with the process)."""
    out: dict = {}

    def run() -> None:
        try:
            out["xy"] = fn()
        except BaseException as exc:  # noqa: BLE001 - raised again in the caller's thread
            out["error"] = exc

    worker = threading.Thread(target=run, name="t-SNE", daemon=True)
    worker.start()
    while worker.is_alive():
        if stop():
            raise Stopped("the t-SNE map was given up")
        worker.join(STOP_POLL_S)
    if "error" in out:
        raise out["error"]
    return out["xy"]


def tsne_2d(a: np.ndarray, previous: np.ndarray | None = None) -> np.ndarray:
    """scikit-learn's t-SNE of a, started from previous when it is a map of the same digits (else from PCA)."""
    from sklearn.manifold import TSNE

    a = np.asarray(a, np.float32)
    if len(a) < 4:
        raise ValueError("t-SNE needs at least 4 digits to place")
    start = previous.astype(np.float32) if previous is not None and previous.shape == (len(a), 2) else "pca"
    perplexity = min(30.0, (len(a) - 1) / 3)  # (scikit-learn wants fewer neighbours than digits)
    tsne = TSNE(2, perplexity=perplexity, init=start, max_iter=TSNE_ITERATIONS, random_state=0)
    return tsne.fit_transform(a).astype(np.float32)
