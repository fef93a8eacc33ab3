"""Datasets: the IDX reader, MNIST (find, download, verify, load), and small toy datasets."""

from .idx import DatasetError, read_idx
from .mnist import MNIST_FILES, Mnist, find_mnist, images_to_x, load_mnist

__all__ = ["DatasetError", "read_idx", "MNIST_FILES", "Mnist", "find_mnist", "images_to_x", "load_mnist"]
