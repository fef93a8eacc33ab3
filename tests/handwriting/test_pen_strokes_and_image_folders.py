"""Real pen strokes through the canvas's ink (nnviz.handwriting.pendigits, `nnviz render-strokes`) and folders of digit
images (nnviz.handwriting.image_folders): the data behind issue 12's handwriting work."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys

import numpy as np
import pytest
from PySide6.QtGui import QColor, QImage, QPainter, QPen

from nnviz.core.data.extra import load_extra
from nnviz.handwriting import pendigits
from nnviz.handwriting.image_folders import FolderError, load_image_folder

ONE = [[[250, 60], [250, 200], [250, 440]]]  # a vertical bar
SEVEN = [[[100, 80], [400, 80], [220, 440]], [[170, 260], [330, 260]]]  # crossed, two strokes


def strokes_file(tmp_path, samples):
    path = tmp_path / "strokes.json.gz"
    with gzip.open(path, "wt", encoding="utf-8") as f:
        json.dump(samples, f)
    return path


def test_a_trajectory_is_drawn_with_the_canvas_ink_at_a_size_inside_the_pad():
    rng = np.random.default_rng(3)
    for _ in range(5):
        pixels = pendigits.render(SEVEN, rng)
        assert pixels.shape == (280, 280) and pixels.max() == pytest.approx(1.0)
        rows, cols = np.flatnonzero(pixels.max(1) > 0.5), np.flatnonzero(pixels.max(0) > 0.5)
        longer = max(rows[-1] - rows[0], cols[-1] - cols[0])
        assert 0.45 * 280 - 2 <= longer <= 0.80 * 280 + 20  # + the brush's width


def test_render_dataset_leaves_out_writers_and_repeats_copies():
    samples = [{"label": 1, "writer": 1, "strokes": ONE}, {"label": 7, "writer": 2, "strokes": SEVEN}]
    x, y, w = pendigits.render_dataset(samples, copies=3, seed=0, exclude_writers={2})
    assert x.shape == (3, 28, 28) and x.dtype == np.uint8 and list(y) == [1, 1, 1] and set(w) == {1}
    assert not np.array_equal(x[0], x[1])  # another size and place each time
    x2, _, _ = pendigits.render_dataset(samples, copies=3, seed=0, exclude_writers={2})
    assert np.array_equal(x, x2)  # seeded


def test_a_file_that_is_not_strokes_is_refused(tmp_path):
    bad = tmp_path / "bad.json.gz"
    bad.write_bytes(b"plain text")
    with pytest.raises(ValueError, match="not a pendigits strokes file"):
        pendigits.load_pendigits(bad)
    with pytest.raises(ValueError, match="expected a list"):
        pendigits.load_pendigits(strokes_file(tmp_path, [{"label": 1}]))


def test_render_strokes_writes_training_digits_that_train_extra_reads(tmp_path):
    samples = [{"label": 1, "writer": w, "strokes": ONE} for w in (1, 2, 3)]
    samples.append({"label": 7, "writer": 4, "strokes": SEVEN})
    out = tmp_path / "pen.npz"
    proc = subprocess.run([sys.executable, "-m", "nnviz", "render-strokes", "--strokes",
                           str(strokes_file(tmp_path, samples)), "--out", str(out), "--copies", "2",
                           "--exclude-writers", "2-3"], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    x, y, info = load_extra(out)
    assert len(x) == 4 and sorted(y.tolist()) == [1, 1, 7, 7]
    assert info["excluded_writers"] == [2, 3] and info["writers"] == [1, 4]
    assert "render-strokes" in info["command"] and "--exclude-writers 2-3" in info["command"]


def write_digit(path, label_digit: str, fmt: str = "PNG") -> None:
    img = QImage(120, 120, QImage.Format.Format_RGB32)
    img.fill(QColor("white"))
    p = QPainter(img)
    p.setPen(QPen(QColor("black"), 12))
    if label_digit == "1":
        p.drawLine(60, 15, 60, 105)
    else:
        p.drawLine(20, 20, 100, 20)
        p.drawLine(100, 20, 45, 105)
    p.end()
    assert img.save(str(path), fmt)


def test_an_image_folder_loads_and_lists_its_bad_files(tmp_path):
    for label in ("1", "7"):
        (tmp_path / label).mkdir()
        for k in range(3):
            write_digit(tmp_path / label / f"d{k}.png", label)
    write_digit(tmp_path / "7" / "d3.jpg", "7", "JPG")
    (tmp_path / "7" / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 40)  # a PNG cut short
    (tmp_path / "1" / "notes.txt").write_text("not a digit")
    (tmp_path / "other").mkdir()  # not a class: ignored
    blank = QImage(40, 40, QImage.Format.Format_RGB32)
    blank.fill(QColor("white"))
    blank.save(str(tmp_path / "1" / "blank.png"))
    folder = load_image_folder(tmp_path, deskew=True)
    assert len(folder) == 7 and folder.counts()[1] == 3 and folder.counts()[7] == 4
    assert folder.x.shape == (7, 784) and 0 <= folder.x.min() and folder.x.max() <= 1
    bad = {p.name: why for p, why in folder.bad}
    assert set(bad) == {"broken.png", "notes.txt", "blank.png"}
    assert "blank" in bad["blank.png"]


def test_a_folder_without_digit_folders_says_what_it_expected(tmp_path):
    (tmp_path / "cats").mkdir()
    with pytest.raises(FolderError, match="expected folders named 0 to 9"):
        load_image_folder(tmp_path)
    with pytest.raises(FolderError, match="not a folder"):
        load_image_folder(tmp_path / "missing")


def test_evaluate_images_reports_accuracy_and_the_skipped_files(tmp_path):
    for label in ("1", "7"):
        (tmp_path / label).mkdir()
        for k in range(2):
            write_digit(tmp_path / label / f"d{k}.png", label)
    (tmp_path / "7" / "junk.png").write_bytes(b"junk")
    proc = subprocess.run([sys.executable, "-m", "nnviz", "evaluate", "--images", str(tmp_path), "--json"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert report["n"] == 4 and report["accuracy"] == 1.0  # the shipped model reads clean 1s and 7s
    assert [b["file"].endswith("junk.png") for b in report["bad_files"]] == [True]
    assert "skipped" in proc.stderr and "junk.png" in proc.stderr
