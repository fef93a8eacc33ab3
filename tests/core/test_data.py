"""The IDX reader's validation (each failure a DatasetError naming file and problem) and MNIST loading."""

import gzip
import struct

import numpy as np
import pytest

from nnviz.core.data import MNIST_FILES, DatasetError, load_mnist, read_idx
from nnviz.core.data import mnist as mnist_mod
from tests.core.idx_files import idx_bytes, tiny_mnist, write_idx

TRAIN_COUNTS = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]
TEST_COUNTS = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]
LABELS = np.array([3, 1, 4, 1, 5, 9, 2, 6], np.uint8)
IMAGES = np.arange(3 * 28 * 28, dtype=np.uint32).astype(np.uint8).reshape(3, 28, 28)


def fails(path, *fragments, **kw):
    with pytest.raises(DatasetError) as info:
        read_idx(path, **kw)
    msg = str(info.value)
    assert path.name in msg, msg
    for frag in fragments:
        assert frag.lower() in msg.lower(), msg
    return msg


@pytest.mark.parametrize("gz", [True, False])
def test_reads_valid_files(tmp_path, gz):
    np.testing.assert_array_equal(read_idx(write_idx(tmp_path / "l.idx", LABELS, gz), 1, 9), LABELS)
    out = read_idx(write_idx(tmp_path / "i.idx", IMAGES, gz), expect_dims=3)
    assert out.dtype == np.uint8 and out.shape == (3, 28, 28)
    np.testing.assert_array_equal(out, IMAGES)


def test_reads_other_idx_types(tmp_path):
    arr = np.array([[1.5, -2.0], [3.25, 4.0]], ">f4")
    raw = bytes([0, 0, 0x0D, 2]) + struct.pack(">2I", 2, 2) + arr.tobytes()
    np.testing.assert_array_equal(read_idx(write_idx(tmp_path / "f.idx", None, raw=raw)), arr)


def test_bad_gzip(tmp_path):
    good = gzip.compress(idx_bytes(LABELS))
    path = tmp_path / "labels.gz"
    path.write_bytes(good[:len(good) // 2])  # cut mid-stream
    fails(path, "gzip", "damaged")
    corrupt = bytearray(good)
    corrupt[-6] ^= 0xFF  # the CRC trailer no longer matches
    path.write_bytes(bytes(corrupt))
    fails(path, "gzip")


def test_bad_magic(tmp_path):
    raw = bytearray(idx_bytes(LABELS))
    raw[0] = 0x12
    fails(write_idx(tmp_path / "a.gz", None, raw=bytes(raw)), "bad magic", "0x1200")
    raw = bytearray(idx_bytes(LABELS))
    raw[2] = 0x07  # no such type code
    fails(write_idx(tmp_path / "b.gz", None, raw=bytes(raw)), "bad magic")
    fails(write_idx(tmp_path / "c.gz", None, raw=b"<html>404 Not Found</html>"), "bad magic")


def test_wrong_dims(tmp_path):
    path = write_idx(tmp_path / "images.gz", LABELS)
    fails(path, "1 dimensions", "expected 3", expect_dims=3)
    fails(write_idx(tmp_path / "zero.gz", None, raw=b"\x00\x00\x08\x00"), "0 dimensions")


def test_length_mismatch(tmp_path):
    raw = idx_bytes(LABELS)
    fails(write_idx(tmp_path / "short.gz", None, raw=raw[:-2]), "length mismatch", "8 bytes", "6")
    fails(write_idx(tmp_path / "long.gz", None, raw=raw + b"\x00"), "length mismatch", "9")


def test_implausibly_large_header(tmp_path):
    raw = bytes([0, 0, 8, 3]) + struct.pack(">3I", 4_000_000_000, 28, 28)
    fails(write_idx(tmp_path / "huge.gz", None, raw=raw), "implausibly large")


def test_label_out_of_range(tmp_path):
    bad = LABELS.copy()
    bad[3] = 12
    fails(write_idx(tmp_path / "labels.gz", bad), "label 12", "out of range", "0..9", max_label=9)


@pytest.mark.parametrize("raw,fragment", [(b"", "too short"), (b"\x00\x00", "too short"),
                                          (b"\x00\x00\x08\x03\x00\x00\x00\x05", "header cut short")])
def test_truncated_header(tmp_path, raw, fragment):
    fails(write_idx(tmp_path / "t.gz", None, raw=raw), fragment)
    fails(write_idx(tmp_path / "t.raw", None, gz=False, raw=raw), fragment)


def test_missing_file(tmp_path):
    fails(tmp_path / "train-labels-idx1-ubyte.gz", "cannot read", str(tmp_path))


def test_a_folder_instead_of_a_file(tmp_path):
    (tmp_path / "d.gz").mkdir()
    fails(tmp_path / "d.gz", "cannot read")


def _tiny_folder(folder, **override):
    folder.mkdir(parents=True, exist_ok=True)
    arrays = {**tiny_mnist(), **override}
    for key, (name, _) in MNIST_FILES.items():
        write_idx(folder / name, arrays[key])
    return arrays


def test_load_mnist_from_a_given_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("NNVIZ_DATA", raising=False)
    arrays = _tiny_folder(tmp_path / "m")
    data = load_mnist(tmp_path / "m", download=False)
    assert data.x_train.shape == (30, 784) and data.x_test.shape == (20, 784)
    np.testing.assert_array_equal(data.x_train, arrays["train_images"].reshape(30, 784))
    np.testing.assert_array_equal(data.y_test, arrays["test_labels"])
    assert data.folder == tmp_path / "m"


def test_mnist_keeps_its_pixels_as_stored_and_shares_them(tmp_path, monkeypatch):
    """uint8 as in the files (a quarter of float32's memory), views of the decompressed bytes, not copies."""
    monkeypatch.delenv("NNVIZ_DATA", raising=False)
    _tiny_folder(tmp_path / "m")
    data = load_mnist(tmp_path / "m", download=False)
    for x, n in ((data.x_train, 30), (data.x_test, 20)):
        assert x.dtype == np.uint8 and x.nbytes == n * 784
        assert not x.flags.owndata and not x.flags.writeable  # a view: nothing can scribble on the dataset


def test_mnist_refuses_images_that_are_not_bytes(tmp_path, monkeypatch):
    monkeypatch.delenv("NNVIZ_DATA", raising=False)
    folder = tmp_path / "f"
    _tiny_folder(folder)
    write_idx(folder / MNIST_FILES["test_images"][0], None, raw=idx_bytes(np.zeros((20, 28, 28), ">f4"), code=0x0D))
    with pytest.raises(DatasetError, match="uint8"):
        load_mnist(tmp_path / "f", download=False)


def test_load_mnist_checks_each_file(tmp_path, monkeypatch):
    monkeypatch.delenv("NNVIZ_DATA", raising=False)
    _tiny_folder(tmp_path / "a", test_labels=np.zeros(19, np.uint8))
    with pytest.raises(DatasetError, match="test set: 20 images but 19 labels"):
        load_mnist(tmp_path / "a", download=False)
    _tiny_folder(tmp_path / "b", train_images=np.zeros((30, 16, 16), np.uint8))
    with pytest.raises(DatasetError, match="train-images-idx3-ubyte.gz: images are 16x16, expected 28x28"):
        load_mnist(tmp_path / "b", download=False)
    _tiny_folder(tmp_path / "c", train_labels=np.full(30, 10, np.uint8))
    with pytest.raises(DatasetError, match="train-labels-idx1-ubyte.gz: label 10 out of range"):
        load_mnist(tmp_path / "c", download=False)


def test_search_order_data_dir_alone_else_env_then_cache(tmp_path, monkeypatch):
    _tiny_folder(tmp_path / "given")
    _tiny_folder(tmp_path / "env")
    monkeypatch.setenv("NNVIZ_DATA", str(tmp_path / "env"))
    monkeypatch.setattr(mnist_mod, "cache_dir", lambda: tmp_path / "cache")
    assert mnist_mod.find_mnist(tmp_path / "given") == tmp_path / "given"
    assert mnist_mod.find_mnist(tmp_path / "empty") is None  # an explicit folder is never silently replaced
    assert mnist_mod.find_mnist() == tmp_path / "env"
    monkeypatch.delenv("NNVIZ_DATA")
    assert mnist_mod.find_mnist() is None
    _tiny_folder(tmp_path / "cache")
    assert mnist_mod.find_mnist() == tmp_path / "cache"


def test_no_files_and_no_download_names_everything(tmp_path, monkeypatch):
    monkeypatch.delenv("NNVIZ_DATA", raising=False)
    monkeypatch.setattr(mnist_mod, "cache_dir", lambda: tmp_path / "cache")
    with pytest.raises(DatasetError) as info:
        load_mnist(None, download=False)
    msg = str(info.value)
    for name, _ in MNIST_FILES.values():
        assert name in msg
    assert str(tmp_path / "cache") in msg and "--data" in msg and "NNVIZ_DATA" in msg


def test_real_mnist_shapes_dtypes_range_and_class_counts(mnist):
    assert mnist.x_train.shape == (60000, 784) and mnist.x_test.shape == (10000, 784)
    assert mnist.x_train.dtype == np.uint8 and mnist.x_test.dtype == np.uint8  # as stored: 55 MB, not 220
    assert mnist.x_train.nbytes + mnist.x_test.nbytes == 70000 * 784
    assert mnist.y_train.dtype == np.int64 and mnist.y_test.dtype == np.int64
    for x in (mnist.x_train, mnist.x_test):
        assert x.min() == 0 and x.max() == 255
    assert np.bincount(mnist.y_train, minlength=10).tolist() == TRAIN_COUNTS
    assert np.bincount(mnist.y_test, minlength=10).tolist() == TEST_COUNTS
    assert mnist.y_train[:10].tolist() == [5, 0, 4, 1, 9, 2, 1, 3, 1, 4]  # the famous first digits
    assert mnist.y_test[:5].tolist() == [7, 2, 1, 0, 4]


def test_real_mnist_checksums(mnist_path):
    assert all(mnist_mod.verify(mnist_path).values())
