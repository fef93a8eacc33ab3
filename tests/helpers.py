"""Shared test helpers: where the real MNIST files are, and a session fixture that loads them once.

Search order for the four MNIST files: $NNVIZ_DATA, the repo's ../shared/data/mnist, the user
cache (nnviz.core.data.mnist.cache_dir()); then a download into the cache when online. In CI
(CI=true) a missing dataset fails loudly instead of skipping.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from nnviz.core.data import mnist as mnist_mod

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED_MNIST = (REPO_ROOT / ".." / "shared" / "data" / "mnist").resolve()
MNIST_NAMES = tuple(name for name, _ in mnist_mod.MNIST_FILES.values())


def _has_all(folder: Path | None) -> bool:
    return folder is not None and all((folder / name).is_file() for name in MNIST_NAMES)


def mnist_candidates() -> list[Path]:
    """Folders searched for the four files, in order (no download)."""
    dirs = []
    if os.environ.get("NNVIZ_DATA"):
        dirs.append(Path(os.environ["NNVIZ_DATA"]))
    dirs.append(SHARED_MNIST)
    dirs.append(mnist_mod.cache_dir())
    return dirs


def find_mnist_dir() -> Path | None:
    """The first candidate folder holding all four MNIST files, or None (never downloads)."""
    for d in mnist_candidates():
        if _has_all(d):
            return d
    return None


def mnist_dir() -> Path:
    """A folder with the four MNIST files; downloads into the cache if needed; fails in CI, else skips."""
    found = find_mnist_dir()
    if found is not None:
        return found
    error = ""
    try:
        folder = mnist_mod.download_mnist()
        if _has_all(folder):
            return folder
    except Exception as exc:  # offline, mirrors down: decided below
        error = str(exc)
    message = (f"MNIST not found in {', '.join(map(str, mnist_candidates()))} and download failed: {error}. "
               "Set NNVIZ_DATA to a folder with the four MNIST files.")
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def mnist_path() -> Path:
    """The folder holding the real MNIST files."""
    return mnist_dir()


@pytest.fixture(scope="session")
def mnist(mnist_path):
    """The real MNIST, loaded once per session (nnviz.core.data.Mnist)."""
    from nnviz.core.data import mnist as m

    return m.load_folder(mnist_path)
