"""Extra training digits (core.data.extra) and the personal mix for fine-tuning (core.finetune)."""

from __future__ import annotations

import numpy as np
import pytest

from nnviz.core.data.extra import load_extra, save_extra
from nnviz.core.data.idx import DatasetError
from nnviz.core.finetune import before_after, personal_mix
from nnviz.core.network import Network


def digits(n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    return rng.integers(0, 256, (n, 28, 28), dtype=np.uint8), rng.integers(0, 10, n).astype(np.uint8)


def test_extra_digits_round_trip_with_their_info_and_md5(tmp_path):
    x, y = digits(12)
    path = tmp_path / "pen.npz"
    save_extra(path, x, y, {"command": "nnviz render-strokes ..."}, writers=np.arange(12, dtype=np.uint8))
    x2, y2, info = load_extra(path)
    assert x2.shape == (12, 784) and x2.dtype == np.float32
    assert np.array_equal(np.round(x2 * 255).astype(np.uint8).reshape(12, 28, 28), x)
    assert np.array_equal(y2, y) and info["n"] == 12 and info["command"].startswith("nnviz render-strokes")
    assert len(info["md5"]) == 32 and info["file"] == "pen.npz"


@pytest.mark.parametrize("arrays, message", [
    ({"x": np.zeros((3, 28, 28), np.float32), "y": np.zeros(3, np.uint8)}, "uint8"),
    ({"x": np.zeros((3, 20, 20), np.uint8), "y": np.zeros(3, np.uint8)}, r"\(n, 28, 28\)"),
    ({"x": np.zeros((3, 28, 28), np.uint8), "y": np.zeros(4, np.uint8)}, "one label per digit"),
    ({"x": np.zeros((3, 28, 28), np.uint8), "y": np.array([0, 1, 12], np.uint8)}, "labels must be 0-9"),
    ({"images": np.zeros((3, 28, 28), np.uint8)}, "expected arrays x and y"),
])
def test_wrong_extra_files_are_refused_naming_the_file(tmp_path, arrays, message):
    path = tmp_path / "bad.npz"
    np.savez(path, **arrays)
    with pytest.raises(DatasetError, match=f"bad.npz: .*{message}"):
        load_extra(path)


def test_a_file_that_is_not_an_npz_is_refused(tmp_path):
    path = tmp_path / "junk.npz"
    path.write_bytes(b"not a zip at all")
    with pytest.raises(DatasetError, match="junk.npz: not a readable .npz"):
        load_extra(path)
    with pytest.raises(DatasetError, match="no such file"):
        load_extra(tmp_path / "missing.npz")


def test_personal_mix_repeats_the_few_digits_to_their_share_and_keeps_mnist():
    rng = np.random.default_rng(0)
    mine = rng.random((5, 784)).astype(np.float32)
    x_m, y_m = digits(1000, 1)
    split = personal_mix(mine, np.full(5, 1), x_m.reshape(1000, -1), y_m, x_m[:50].reshape(50, -1), y_m[:50],
                         rng, share=0.1, n_mnist=900)
    n_mine = len(split.x_train) - 900
    assert n_mine % 5 == 0 and 0.07 < n_mine / len(split.x_train) < 0.13
    assert split.x_train.dtype == np.float32 and split.x_train.max() <= 1.0
    assert np.array_equal(split.x_train[900:905], mine) and (split.y_train[900:] == 1).all()
    with pytest.raises(ValueError, match="no personal digits"):
        personal_mix(mine[:0], np.zeros(0), x_m, y_m, x_m, y_m, rng)


def test_before_after_reports_both_networks_on_the_same_digits():
    a, b = Network(seed=0), Network(seed=1)
    x, y = digits(30, 2)
    report = before_after(a, b, x.reshape(30, -1), y, x.reshape(30, -1), y)
    assert np.array_equal(report.before, a.predict(x.reshape(30, -1).astype(np.float32) / 255))
    assert report.mine_before == pytest.approx(float((report.before == y).mean()))
    assert report.mnist_after == pytest.approx(float((b.predict(x.reshape(30, -1) / 255) == y).mean()))


def test_a_fifo_as_extra_digits_is_refused_at_once(tmp_path):
    """Issue 27.3: every path nnviz reads is checked to be a regular file first (a FIFO would hang the read)."""
    import os

    from nnviz.core.data import DatasetError
    from nnviz.core.data.extra import load_extra

    fifo = tmp_path / "extra.npz"
    os.mkfifo(fifo)
    with pytest.raises(DatasetError, match="not a regular file"):
        load_extra(fifo)
