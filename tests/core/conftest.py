"""Fixtures for the core tests: the real MNIST (see tests/helpers.py)."""

from tests.helpers import mnist, mnist_path  # noqa: F401  (pytest fixtures)
