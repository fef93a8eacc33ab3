"""Issue 17 on the command line: every bad input ends in one line (or one line per bad file in a batch),
a non-zero exit, no traceback, and nothing else changes; big inputs cost little memory."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from nnviz.core.modelio import save_model
from nnviz.core.network import Architecture, Network
from tests.cli.test_commands import write_png
from tests.helpers import mnist_dir
from tests.memory import peak_growth

SVG_TEXT = ('<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100"><rect width="100" height="100" '
            'fill="white"/><text x="25" y="80" font-size="80">7</text></svg>')
SVG_PATH = ('<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100"><rect width="100" height="100" '
            'fill="white"/><path d="M20 15 L80 15 L40 90" stroke="black" stroke-width="10" fill="none"/></svg>')


def nnviz(*argv, env=None, timeout=120):
    full_env = {**os.environ, **(env or {})}
    return subprocess.run([sys.executable, "-m", "nnviz", *map(str, argv)], capture_output=True, text=True,
                          timeout=timeout, env=full_env)


def one_error_line(proc, *fragments):
    assert proc.returncode == 1 or proc.returncode == 2, (proc.returncode, proc.stderr)
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in proc.stderr, proc.stderr
    for frag in fragments:
        assert frag in lines[0], lines[0]
    return lines[0]


def strict_json(line: str):
    return json.loads(line, parse_constant=lambda c: pytest.fail(f"{c} in JSON output"))


@pytest.fixture
def digit(tmp_path):
    img = np.zeros((28, 28))
    img[5:23, 12:16] = 255  # a "1"
    write_png(tmp_path / "one.png", img)
    return tmp_path / "one.png"


# --- item 2: SVG in a batch ----------------------------------------------------------------------
def test_svgs_with_text_are_rendered_and_a_bad_file_does_not_end_the_batch(tmp_path, digit):
    (tmp_path / "text.svg").write_text(SVG_TEXT)
    (tmp_path / "path.svg").write_text(SVG_PATH)
    (tmp_path / "bad.png").write_text("not an image")
    files = [tmp_path / "text.svg", tmp_path / "bad.png", tmp_path / "path.svg", digit]
    proc = nnviz("predict", "--json", *files)
    one_error_line(proc, "bad.png", "not an image")  # exit 1 for the one bad file, and no abort (not -6)
    results = [strict_json(line) for line in proc.stdout.splitlines()]
    assert [r["file"] for r in results] == [str(f) for f in files if f.name != "bad.png"]
    assert all(isinstance(r["digit"], int) for r in results)
    assert results[0]["digit"] == 7 and results[2]["digit"] == 1


def test_read_image_without_an_application_refuses_svg_with_a_line(tmp_path):
    (tmp_path / "text.svg").write_text(SVG_TEXT)
    code = ("from nnviz.handwriting.images import read_image\n"
            f"try:\n    read_image({str(tmp_path / 'text.svg')!r})\nexcept ValueError as e:\n    print(e)\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                          env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert proc.returncode == 0 and "text.svg: SVG needs Qt's font system" in proc.stdout, proc.stderr


# --- item 3: FIFOs -----------------------------------------------------------------------------
def test_fifo_model_and_fifo_image_are_refused_at_once(tmp_path, digit):
    os.mkfifo(tmp_path / "model.npz")
    os.mkfifo(tmp_path / "pipe.png")
    one_error_line(nnviz("evaluate", "--model", tmp_path / "model.npz", timeout=60), "model.npz", "named pipe")
    proc = nnviz("predict", tmp_path / "pipe.png", digit, timeout=60)
    one_error_line(proc, "pipe.png", "named pipe")
    assert proc.stdout.startswith(f"{digit}: 1 ")


@pytest.mark.parametrize("name, argv", [
    ("m.onnx", ["evaluate", "--model"]),
    ("m.safetensors", ["export", "--format", "npz", "--out", "x.npz", "--model"]),
    ("strokes.json.gz", ["render-strokes", "--out", "d.npz", "--strokes"]),
])
def test_fifos_and_devices_in_the_new_formats_are_refused_at_once(tmp_path, name, argv):
    """Issue 27.3: `mkfifo m.onnx; nnviz evaluate --model m.onnx` hung, as did .safetensors and the strokes
    file, and a link to /dev/zero read until memory ran out."""
    os.mkfifo(tmp_path / name)
    argv = [tmp_path / a if a.endswith(".npz") else a for a in argv]
    one_error_line(nnviz(*argv, tmp_path / name, timeout=60), name, "named pipe")
    if Path("/dev/zero").exists():
        zero = tmp_path / f"zero-{name}"
        zero.symlink_to("/dev/zero")
        one_error_line(nnviz(*argv, zero, timeout=60), zero.name, "character device")


# --- item 6: huge images -----------------------------------------------------------------------
def test_an_8000_pixel_png_is_refused_cheaply(tmp_path):
    big = np.full((8000, 8000), 255, np.uint8)
    big[2000:6000, 3500:4500] = 0
    write_png(tmp_path / "big.png", big)
    del big
    assert (tmp_path / "big.png").stat().st_size < 1_000_000
    call = f"assert main(['predict', {str(tmp_path / 'big.png')!r}]) == 1"
    growth, outcome = peak_growth("from nnviz.cli import main", call)
    assert outcome == "ok" and growth < 300, (outcome, growth)


def test_an_8000_pixel_jpeg_is_scaled_while_decoding(tmp_path):
    from PySide6.QtGui import QColor, QImage, QPainter

    img = QImage(8000, 8000, QImage.Format.Format_Grayscale8)
    img.fill(QColor(255, 255, 255))
    painter = QPainter(img)
    painter.fillRect(3600, 1500, 800, 5000, QColor(0, 0, 0))
    painter.end()
    assert img.save(str(tmp_path / "big.jpg"), quality=50)
    del img
    call = f"""from nnviz.handwriting.images import read_image
pixels = read_image({str(tmp_path / 'big.jpg')!r})
assert max(pixels.shape[:2]) == 2048, pixels.shape"""
    growth, outcome = peak_growth("", call)
    assert outcome == "ok" and growth < 300, (outcome, growth)
    proc = nnviz("predict", tmp_path / "big.jpg")
    assert proc.returncode == 0 and proc.stdout.startswith(f"{tmp_path / 'big.jpg'}: 1 "), proc.stderr


# --- item 7: networks too big for the machine ---------------------------------------------------
def test_a_network_too_big_for_the_machine_is_refused_up_front(tmp_path):
    line = one_error_line(nnviz("train", "--hidden", "100000,100000", "--out", tmp_path / "m.npz"),
                          "too big for this machine", "GiB", "per epoch", "784-100000-100000-10")
    assert "available" in line
    assert list(tmp_path.iterdir()) == []
    call = f"assert main(['train', '--hidden', '100000,100000', '--out', {str(tmp_path / 'm.npz')!r}]) == 1"
    growth, outcome = peak_growth("from nnviz.cli import main", call)
    assert outcome == "ok" and growth < 300, (outcome, growth)


# --- items 9, 10: overflowing weights, other sizes ----------------------------------------------
def test_overflowing_weights_are_refused_by_predict(tmp_path, digit):
    net = Network(seed=0)
    net.dense[0].W[...] = 3e38
    save_model(net, tmp_path / "huge.npz")
    one_error_line(nnviz("predict", "--json", "--model", tmp_path / "huge.npz", digit), "huge.npz", "overflows")


@pytest.mark.parametrize("sizes", [(784, 7), (5, 3, 2)])
def test_predict_and_evaluate_refuse_models_that_are_not_784_to_10(tmp_path, digit, sizes):
    save_model(Network(Architecture(sizes)), tmp_path / "odd.npz")
    want = f"maps {sizes[0]} inputs to {sizes[-1]} outputs"
    one_error_line(nnviz("predict", "--model", tmp_path / "odd.npz", digit), "odd.npz", want)
    one_error_line(nnviz("evaluate", "--model", tmp_path / "odd.npz", "--data", "/nonexistent"), "odd.npz", want)


def test_a_784_to_10_model_without_hidden_layers_predicts(tmp_path, digit):
    save_model(Network(Architecture((784, 10)), seed=2), tmp_path / "linear.npz")
    proc = nnviz("predict", "--json", "--model", tmp_path / "linear.npz", digit)
    assert proc.returncode == 0, proc.stderr
    result = strict_json(proc.stdout)
    assert len(result["probabilities"]) == 10 and abs(sum(result["probabilities"]) - 1) < 1e-5


# --- item 11: --data before the command; explicit wins ----------------------------------------
def test_data_before_the_command_is_honoured_and_wins_over_nnviz_data(tmp_path):
    real = str(mnist_dir())
    one_error_line(nnviz("--data", tmp_path / "nonexistent", "evaluate", env={"NNVIZ_DATA": real}),
                   "nonexistent does not exist")
    one_error_line(nnviz("evaluate", "--data", tmp_path / "nonexistent", env={"NNVIZ_DATA": real}),
                   "nonexistent does not exist")
    proc = nnviz("--data", real, "evaluate", "--json", env={"NNVIZ_DATA": str(tmp_path / "nonexistent")})
    assert proc.returncode == 0, proc.stderr
    assert strict_json(proc.stdout)["accuracy"] > 0.99


# --- items 12, 13: --out, --l2, --seed ------------------------------------------------------------
def test_an_unwritable_out_fails_before_training_or_loading_data(tmp_path):
    if os.geteuid() == 0:
        out = Path("/sys/nnviz-test/m.npz")  # sysfs refuses even root
    else:
        (tmp_path / "ro").mkdir(mode=0o555)
        out = tmp_path / "ro" / "m.npz"
    one_error_line(nnviz("train", "--out", out, "--data", tmp_path / "nonexistent"), "cannot write")


def test_out_that_is_a_folder_is_refused_and_left_alone(tmp_path):
    (tmp_path / "model.npz").mkdir()
    one_error_line(nnviz("train", "--out", tmp_path / "model.npz"), "model.npz is a folder")
    assert list((tmp_path / "model.npz").iterdir()) == []


@pytest.mark.parametrize("argv, fragment", [
    (["--l2", "-1"], "argument --l2: must be a non-negative number, got -1"),
    (["--l2", "nan"], "argument --l2: must be a non-negative number, got nan"),
    (["--l2", "inf"], "argument --l2"),
    (["--seed", "-1"], "argument --seed: must be a whole number"),
])
def test_bad_training_options_name_the_option(tmp_path, argv, fragment):
    proc = nnviz("train", *argv, "--out", tmp_path / "m.npz")
    assert proc.returncode == 2
    one_error_line(proc, fragment)
    assert list(tmp_path.iterdir()) == []


def test_evaluate_json_has_no_nan_when_a_class_is_absent(tmp_path):
    from nnviz.core.data import MNIST_FILES
    from tests.core.idx_files import tiny_mnist, write_idx

    arrays = tiny_mnist()
    arrays["test_labels"] = np.arange(20, dtype=np.uint8) % 9  # no 9 in the test set
    (tmp_path / "m").mkdir()
    for key, (name, _) in MNIST_FILES.items():
        write_idx(tmp_path / "m" / name, arrays[key])
    proc = nnviz("evaluate", "--json", "--data", tmp_path / "m")
    assert proc.returncode == 0, proc.stderr
    out = strict_json(proc.stdout)
    assert out["per_class"][9] is None and all(isinstance(a, float) for a in out["per_class"][:9])
    text = nnviz("evaluate", "--data", tmp_path / "m")
    assert text.returncode == 0 and "9:-" in text.stdout and "nan" not in text.stdout


# --- issue 27.10: the small ones ----------------------------------------------------------------------------
def test_a_huge_writer_range_is_refused_in_one_line(tmp_path):
    one_error_line(nnviz("render-strokes", "--strokes", tmp_path / "x.json.gz", "--out", tmp_path / "o.npz",
                         "--exclude-writers", "1-100000000000"), "writer numbers go from 0 to 10000")


def test_a_gzip_bomb_of_strokes_is_refused_in_bounded_memory(tmp_path):
    import gzip

    bomb = tmp_path / "strokes.json.gz"
    with gzip.open(bomb, "wb", compresslevel=9) as f:
        f.write(b"[")
        for _ in range(64):  # 64 MB of spaces, 64 KB on disk: eight times the (lowered) limit
            f.write(b" " * (1 << 20))
        f.write(b"]")
    setup = "from nnviz.handwriting import pendigits\npendigits.MAX_TEXT_BYTES = 8 << 20"
    growth, outcome = peak_growth(setup, f"    pendigits.load_pendigits({str(bomb)!r})", cap_mb=100)
    assert outcome.startswith("ValueError") and "inflates to more than 8 MB" in outcome and growth < 50, \
        (growth, outcome)
    # with the real limit (256 MB) the command reads these 64 MB whole, and says what they hold: no digits
    one_error_line(nnviz("render-strokes", "--strokes", bomb, "--out", tmp_path / "o.npz"), "no digits to render")


def test_excluding_every_writer_says_so(tmp_path):
    import gzip

    strokes = tmp_path / "few.json.gz"
    with gzip.open(strokes, "wt") as f:
        json.dump([{"label": 1, "writer": 3, "strokes": [[[0, 0], [0, 10]]]}], f)
    one_error_line(nnviz("render-strokes", "--strokes", strokes, "--out", tmp_path / "o.npz",
                         "--exclude-writers", "3"), "every writer in the file was excluded")


def test_a_file_name_that_is_not_utf8_is_read(tmp_path, digit):
    name = os.fsdecode(b"\xffdigit.png")
    path = tmp_path / name
    shutil.copy(digit, path)
    proc = nnviz("predict", "--json", path)
    assert proc.returncode == 0 and json.loads(proc.stdout)["digit"] in range(10), proc.stderr


def test_evaluate_images_reads_svgs_and_lists_what_it_skipped(tmp_path, digit):
    for label in range(10):
        (tmp_path / str(label)).mkdir()
    shutil.copy(digit, tmp_path / "7" / "a.png")
    (tmp_path / "7" / "b.svg").write_text(SVG_PATH)
    os.mkfifo(tmp_path / "7" / "pipe.png")
    (tmp_path / "7" / "gone.png").symlink_to(tmp_path / "nowhere.png")
    proc = nnviz("evaluate", "--images", tmp_path, "--json")
    assert proc.returncode == 0, proc.stderr
    result = strict_json(proc.stdout)
    assert result["n"] == 2, result  # the PNG and the SVG
    skipped = proc.stderr
    assert "pipe.png" in skipped and "gone.png" in skipped and "b.svg" not in skipped, skipped
