"""The hidden layer map's projections (gui/compare/embedding.py): PCA from core, t-SNE from scikit-learn."""

from __future__ import annotations

import importlib.util

import numpy as np
import pytest

from nnviz.core.projection import pca_2d
from nnviz.gui.compare import embedding


def blobs(n: int = 150, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Three classes far apart in 20 dimensions, each a cloud around its centre."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(0, 10, (3, 20))
    labels = np.repeat(np.arange(3), n // 3)
    return (centres[labels] + rng.normal(0, 1, (len(labels), 20))).astype(np.float32), labels


def test_pca_is_core_s():
    a, _ = blobs()
    np.testing.assert_array_equal(embedding.project("PCA", a), pca_2d(a))


def test_tsne_puts_each_class_on_an_island_of_its_own():
    a, labels = blobs()
    xy = embedding.project("t-SNE", a)
    assert xy.shape == (len(a), 2) and xy.dtype == np.float32 and np.isfinite(xy).all()
    centres = np.array([xy[labels == k].mean(axis=0) for k in range(3)])
    spread = max(np.linalg.norm(xy[labels == k] - centres[k], axis=1).mean() for k in range(3))
    gaps = min(np.linalg.norm(centres[i] - centres[j]) for i in range(3) for j in range(i + 1, 3))
    assert gaps > 3 * spread


def test_tsne_started_from_the_map_before_keeps_it_in_place():
    a, _ = blobs()
    before = embedding.project("t-SNE", a)
    moved = a + np.random.default_rng(1).normal(0, 0.05, a.shape).astype(np.float32)  # a moment later
    after = embedding.project("t-SNE", moved, previous=before)
    assert min(np.corrcoef(before[:, k], after[:, k])[0, 1] for k in range(2)) > 0.9


def test_an_unknown_method_or_too_few_digits_is_refused():
    a, _ = blobs()
    with pytest.raises(ValueError, match="no projection called 'umap'"):
        embedding.project("umap", a)
    with pytest.raises(ValueError, match="at least 4"):
        embedding.project("t-SNE", a[:3])


def test_without_scikit_learn_t_sne_says_how_to_get_it(monkeypatch):
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "sklearn" else real(name, *a))
    assert embedding.tsne_problem() == "t-SNE needs scikit-learn: pip install 'nnviz[embed]'"


def test_a_t_sne_is_given_up_when_asked_without_waiting_for_it_and_its_errors_come_through():
    import threading

    a, _ = blobs(600)  # (about a second of t-SNE: still at work after three polls)
    polls = []
    with pytest.raises(embedding.Stopped):
        embedding.project("t-SNE", a, stop=lambda: polls.append(True) or len(polls) > 2)
    assert any(t.name == "t-SNE" and t.is_alive() for t in threading.enumerate())  # still at work: not waited for
    with pytest.raises(ZeroDivisionError):
        embedding.abandonable(lambda: 1 / 0, stop=lambda: False)
