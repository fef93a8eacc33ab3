"""Issue 17 on data files: FIFOs, gzip bombs, empty sets, NaN labels and pixels, an explicit folder."""

import os
import struct
import threading
import zlib

import numpy as np
import pytest

from nnviz.core.data import MNIST_FILES, DatasetError, load_mnist, read_idx
from nnviz.core.data import mnist as mnist_mod
from tests.core.idx_files import idx_bytes, tiny_mnist, write_idx
from tests.core.test_data import _tiny_folder, fails
from tests.memory import peak_growth


def test_fifo_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "train-labels-idx1-ubyte.gz"
    os.mkfifo(fifo)
    errors = []

    def read():
        try:
            read_idx(fifo)
        except DatasetError as exc:
            errors.append(str(exc))

    worker = threading.Thread(target=read, daemon=True)
    worker.start()
    worker.join(10)
    assert not worker.is_alive(), "read_idx blocked on a FIFO"
    assert errors and fifo.name in errors[0] and "named pipe" in errors[0]


def _labels_bomb(path, gib=1):
    """A gzip of a valid 60000-label header followed by `gib` GiB of zeros (about 1 MB per GiB)."""
    c = zlib.compressobj(1, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    parts = [c.compress(bytes([0, 0, 8, 1]) + struct.pack(">I", 60000))]
    zeros = bytes(1 << 24)
    parts += [c.compress(zeros) for _ in range(gib * 64)]
    path.write_bytes(b"".join(parts) + c.flush())
    return path


def test_a_labels_gzip_that_inflates_to_a_gibibyte_is_refused_cheaply(tmp_path):
    path = _labels_bomb(tmp_path / "train-labels-idx1-ubyte.gz")
    assert path.stat().st_size < 10_000_000
    growth, outcome = peak_growth("from nnviz.core.data import read_idx", f"read_idx({str(path)!r}, 1, 9)")
    assert outcome.startswith("DatasetError: train-labels-idx1-ubyte.gz: length mismatch"), outcome
    assert growth < 300, f"{growth:.0f} MB"


def test_bounded_gunzip_still_reads_and_checks_every_byte(tmp_path):
    labels = np.arange(1000, dtype=np.uint8) % 10
    np.testing.assert_array_equal(read_idx(write_idx(tmp_path / "l.gz", labels), 1, 9), labels)
    good = (tmp_path / "l.gz").read_bytes()
    (tmp_path / "cut.gz").write_bytes(good[:-12])  # the data is there, the end-of-stream marker is not
    fails(tmp_path / "cut.gz", "gzip data is damaged")
    bad_crc = bytearray(good)
    bad_crc[-6] ^= 0xFF
    (tmp_path / "crc.gz").write_bytes(bytes(bad_crc))
    fails(tmp_path / "crc.gz", "gzip data is damaged")


@pytest.mark.parametrize("key", ["train_images", "train_labels", "test_images", "test_labels"])
def test_an_empty_set_names_its_file(tmp_path, monkeypatch, key):
    monkeypatch.delenv("NNVIZ_DATA", raising=False)
    empty = np.zeros((0, 28, 28) if key.endswith("images") else (0,), np.uint8)
    _tiny_folder(tmp_path / "m", **{key: empty})
    with pytest.raises(DatasetError, match=rf"^{MNIST_FILES[key][0]}: holds no examples"):
        load_mnist(tmp_path / "m", download=False)


def test_nan_labels_name_their_file(tmp_path):
    raw = bytes([0, 0, 0x0D, 1]) + struct.pack(">I", 3) + np.array([1, np.nan, 2], ">f4").tobytes()
    fails(write_idx(tmp_path / "train-labels-idx1-ubyte.gz", None, raw=raw), "NaN", max_label=9)
    raw = bytes([0, 0, 0x0D, 1]) + struct.pack(">I", 3) + np.array([1, 2.5, 2], ">f4").tobytes()
    fails(write_idx(tmp_path / "t10k-labels-idx1-ubyte.gz", None, raw=raw), "whole numbers", max_label=9)


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_non_finite_pixels_are_refused(tmp_path, monkeypatch, bad):
    monkeypatch.delenv("NNVIZ_DATA", raising=False)
    _tiny_folder(tmp_path / "m")
    pixels = tiny_mnist()["test_images"].astype(">f4")
    pixels[3, 10, 10] = bad
    name = MNIST_FILES["test_images"][0]
    write_idx(tmp_path / "m" / name, None, raw=idx_bytes(pixels, code=0x0D))
    with pytest.raises(DatasetError, match=rf"^{name}: contains NaN or infinite values"):
        load_mnist(tmp_path / "m", download=False)


def test_an_explicit_folder_wins_over_nnviz_data_and_a_wrong_one_is_an_error(tmp_path, monkeypatch):
    _tiny_folder(tmp_path / "env")
    monkeypatch.setenv("NNVIZ_DATA", str(tmp_path / "env"))
    monkeypatch.setattr(mnist_mod, "download_mnist", lambda *a, **k: pytest.fail("no download for an explicit folder"))
    with pytest.raises(DatasetError, match=r"MNIST folder .*nonexistent does not exist"):
        load_mnist(tmp_path / "nonexistent")
    (tmp_path / "half").mkdir()
    write_idx(tmp_path / "half" / MNIST_FILES["train_labels"][0], tiny_mnist()["train_labels"])
    with pytest.raises(DatasetError, match=r"half lacks train-images-idx3-ubyte.gz, t10k-images"):
        load_mnist(tmp_path / "half")
    _tiny_folder(tmp_path / "given", **tiny_mnist(n_train=12, seed=5))
    assert load_mnist(tmp_path / "given").x_train.shape == (12, 784)  # not the env folder's 30
