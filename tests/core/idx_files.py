"""Make small IDX files (raw or gzipped) for the data tests."""

import gzip
import struct

import numpy as np


def idx_bytes(arr: np.ndarray, code: int = 0x08) -> bytes:
    """The IDX encoding of a uint8 array: magic 00 00 code ndim, big-endian dims, data."""
    arr = np.ascontiguousarray(arr)
    return bytes([0, 0, code, arr.ndim]) + struct.pack(f">{arr.ndim}I", *arr.shape) + arr.tobytes()


def write_idx(path, arr: np.ndarray, gz: bool = True, raw: bytes | None = None):
    data = raw if raw is not None else idx_bytes(arr)
    path.write_bytes(gzip.compress(data, mtime=0) if gz else data)
    return path


def tiny_mnist(n_train=30, n_test=20, seed=0) -> dict[str, np.ndarray]:
    """A valid miniature MNIST: key (as in MNIST_FILES) -> uint8 array."""
    rng = np.random.default_rng(seed)
    return {"train_images": rng.integers(0, 256, (n_train, 28, 28), dtype=np.uint8),
            "train_labels": rng.integers(0, 10, n_train, dtype=np.uint8),
            "test_images": rng.integers(0, 256, (n_test, 28, 28), dtype=np.uint8),
            "test_labels": rng.integers(0, 10, n_test, dtype=np.uint8)}
