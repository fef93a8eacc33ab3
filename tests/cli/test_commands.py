"""The command line: evaluate and predict on the shipped model with real MNIST, and bad input."""

import json
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import numpy as np
import pytest

from nnviz.cli import main
from nnviz.core.data import load_mnist
from nnviz.core.modelio import SHIPPED_MODEL
from tests.helpers import mnist_dir


def write_png(path: Path, gray: np.ndarray) -> None:
    """A minimal 8-bit grayscale PNG writer (so the test does not depend on Qt to make images)."""
    arr = np.clip(gray, 0, 255).astype(np.uint8)
    h, w = arr.shape
    raw = b"".join(b"\x00" + arr[i].tobytes() for i in range(h))

    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)

    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0))
                     + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def test_shipped_model_exists_and_is_small():
    assert SHIPPED_MODEL.is_file()
    assert SHIPPED_MODEL.stat().st_size < 2_000_000


def test_evaluate_json_on_shipped_model_reaches_99_2(capsys):
    assert main(["evaluate", "--json", "--data", str(mnist_dir())]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["accuracy"] >= 0.992
    assert len(out["per_class"]) == 10 and all(0.97 < a <= 1 for a in out["per_class"])
    assert np.array(out["confusion"]).sum() == 10_000


def test_predict_json_returns_labels_of_mnist_test_pngs(tmp_path, capsys):
    data = load_mnist(mnist_dir())
    files, labels = [], []
    for i in range(12):
        img = data.x_test[i].reshape(28, 28).astype(np.float64)  # the stored pixels, 0..255
        # Vary size and polarity: the CLI must cope with both.
        big = np.kron(img, np.ones((i % 3 + 1, i % 3 + 1)))
        if i % 2:
            big = 255 - big
        path = tmp_path / f"digit{i}.png"
        write_png(path, big)
        files.append(str(path))
        labels.append(int(data.y_test[i]))
    assert main(["predict", "--json", *files]) == 0
    results = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["file"] for r in results] == files
    assert [r["digit"] for r in results] == labels
    assert all(len(r["probabilities"]) == 10 and abs(sum(r["probabilities"]) - 1) < 1e-4 for r in results)


@pytest.mark.parametrize("argv, fragment", [
    (["train", "--epochs", "0", "--out", "m.npz"], "--epochs"),
    (["train", "--lr", "-1", "--out", "m.npz"], "--lr"),
    (["train", "--hidden", "300,abc", "--out", "m.npz"], "--hidden"),
    (["train", "--hidden", "300,-5", "--out", "m.npz"], "--hidden: write layer sizes as whole numbers of at least 1"),
    (["evaluate", "--model", "/nonexistent/model.npz"], "model.npz"),
    (["predict", "/nonexistent/digit.png"], "no such file"),
    (["bogus"], "invalid choice"),
])
def test_bad_arguments_give_one_line_and_nonzero_exit(argv, fragment):
    proc = subprocess.run([sys.executable, "-m", "nnviz", *argv], capture_output=True, text=True, timeout=120)
    assert proc.returncode != 0
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert fragment in lines[0]
    assert "Traceback" not in proc.stderr


def test_predict_rejects_a_file_that_is_not_an_image(tmp_path):
    bad = tmp_path / "notes.png"
    bad.write_text("not an image")
    proc = subprocess.run([sys.executable, "-m", "nnviz", "predict", str(bad)], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 1
    assert "not an image" in proc.stderr and "Traceback" not in proc.stderr


def test_corrupt_model_file_is_refused_with_one_line(tmp_path):
    bad = tmp_path / "model.npz"
    bad.write_bytes(b"PK\x03\x04 this is no zip")
    proc = subprocess.run([sys.executable, "-m", "nnviz", "evaluate", "--model", str(bad)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1 and "model.npz" in proc.stderr and "Traceback" not in proc.stderr


def test_python_dash_m_nnviz_is_the_same_cli():
    proc = subprocess.run([sys.executable, "-m", "nnviz", "--version"], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0 and "nnviz" in proc.stdout


def test_predict_reads_other_formats_than_png(tmp_path, capsys):
    from PySide6.QtGui import QImage

    data = load_mnist(mnist_dir())
    files, labels = [], []
    for i, fmt in zip(range(20, 24), ("jpg", "bmp", "tiff", "webp")):
        png = tmp_path / f"d{i}.png"
        write_png(png, np.kron(data.x_test[i].reshape(28, 28), np.ones((4, 4), np.uint8)))
        other = tmp_path / f"d{i}.{fmt}"
        assert QImage(str(png)).save(str(other))
        files.append(str(other))
        labels.append(int(data.y_test[i]))
    assert main(["predict", "--json", *files]) == 0
    assert [json.loads(line)["digit"] for line in capsys.readouterr().out.splitlines()] == labels

