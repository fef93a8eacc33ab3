"""Issue 17 on model files: non-regular files, bombs, lying cards, overflowing weights, odd shapes, saving.

Every refusal is a ModelError (or TargetError for writes) naming the file or key, and leaves
what was there before untouched.
"""

import io
import json
import os
import threading
import zipfile
from pathlib import Path

import numpy as np
import pytest

from nnviz.core import modelio
from nnviz.core.modelio import CARD_KEY, ModelError, TargetError, load_model, network_from_arrays, save_model
from nnviz.core.network import Architecture, Network
from tests.core.test_modelio import good_card, refused, write_npz
from tests.memory import peak_growth


@pytest.fixture
def small():
    return Network(Architecture((6, 5, 3)), seed=1)


def with_raw_card(tmp_path, net, raw: bytes, name="m.npz"):
    return write_npz(tmp_path / name, {**net.state(), CARD_KEY: np.frombuffer(raw, np.uint8)})


def card_with(net, key, value):
    card = good_card(net)
    if "." in key:
        outer, inner = key.split(".")
        card[outer][inner] = value
    else:
        card[key] = value
    return json.dumps(card).encode()


# --- item 3: a FIFO (or any non-regular file) is refused at once -------------------------------
def test_fifo_model_path_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "model.npz"
    os.mkfifo(fifo)
    outcome = []
    worker = threading.Thread(target=lambda: outcome.append(_error_of(load_model, fifo)), daemon=True)
    worker.start()
    worker.join(10)
    assert not worker.is_alive(), "load_model blocked on a FIFO"
    assert "model.npz" in outcome[0] and "named pipe" in outcome[0]


def test_device_is_refused():
    msg = _error_of(load_model, Path("/dev/zero"))
    assert "zero" in msg and "not a regular file" in msg


def _error_of(fn, *args) -> str:
    try:
        fn(*args)
    except (ModelError, Exception) as exc:
        return str(exc)
    return "no error"


# --- item 4: declared shapes and sizes are checked before reading ------------------------------
def _bomb(path: Path, gib: int = 1) -> Path:
    """A valid .npz whose W1 inflates to `gib` GiB of zeros (a few MB on disk), with a valid card."""
    head = io.BytesIO()  # the .npy header by hand; the zeros stream through the compressor
    np.lib.format.write_array_header_1_0(head, {"descr": "<f4", "fortran_order": False, "shape": (1024, gib * 262144)})
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        with z.open("W1.npy", "w", force_zip64=True) as f:
            f.write(head.getvalue())
            zeros = bytes(1 << 24)
            for _ in range(gib * 64):
                f.write(zeros)
        z.writestr("b1.npy", _npy(np.zeros(1024, np.float32)))
        card = {"format": "nnviz-model", "format_version": 1, "architecture": {
            "sizes": [gib * 262144, 1024], "activation": "relu", "output": "softmax", "loss": "cross_entropy"}}
        z.writestr(CARD_KEY + ".npy", _npy(np.frombuffer(json.dumps(card).encode(), np.uint8)))
    return path


def _npy(arr) -> bytes:
    b = io.BytesIO()
    np.save(b, arr)
    return b.getvalue()


def test_a_small_npz_that_inflates_to_a_gibibyte_is_refused_cheaply(tmp_path):
    path = _bomb(tmp_path / "bomb.npz")
    assert path.stat().st_size < 10_000_000
    growth, outcome = peak_growth("from nnviz.core.modelio import load_model",
                                  f"load_model({str(path)!r})")
    assert outcome.startswith("ModelError: bomb.npz: its arrays would take 1073746"), outcome
    assert "bytes uncompressed (limit 100000000)" in outcome, outcome
    assert growth < 300, f"{growth:.0f} MB"


def test_a_member_whose_header_disagrees_with_its_size_is_refused(tmp_path, small):
    path = tmp_path / "lie.npz"
    arrays = {**small.state(), CARD_KEY: np.frombuffer(json.dumps(good_card(small)).encode(), np.uint8)}
    write_npz(path, arrays)
    with zipfile.ZipFile(path) as z:
        members = {n: z.read(n) for n in z.namelist()}
    members["W1.npy"] = members["W1.npy"].replace(b"(5, 6)", b"(5, 7)")  # header says more than the data holds
    with zipfile.ZipFile(path, "w") as z:
        for n, blob in members.items():
            z.writestr(n, blob)
    refused(path, "W1", "declares shape (5, 7)")


def test_shapes_are_checked_against_each_other_from_the_headers(tmp_path, small, monkeypatch):
    """A chain error is found without reading any array (np.load is never reached)."""
    path = write_npz(tmp_path / "chain.npz", {**small.state(), "W2": np.zeros((3, 4), np.float32),
                                               CARD_KEY: np.frombuffer(b"{}", np.uint8)})
    monkeypatch.setattr(np, "load", lambda *a, **k: pytest.fail("arrays were read"))
    refused(path, "do not chain", "W2")


# --- item 8: the card is validated against a schema, naming the key ----------------------------
@pytest.mark.parametrize("key, value, fragment", [
    ("architecture.sizes", 5, "architecture.sizes"),
    ("architecture.sizes", None, "architecture.sizes"),
    ("architecture.sizes", [6, True, 3], "architecture.sizes"),
    ("architecture.activation", ["relu"], "architecture.activation"),
    ("architecture.loss", {}, "architecture.loss"),
    ("architecture", [], "architecture"),
    ("preprocess", "deskew", "preprocess"),
    ("preprocess", None, "preprocess"),
    ("preprocess.deskew", "yes", "preprocess.deskew"),
    ("test_accuracy", 10 ** 400, "test_accuracy"),
    ("test_accuracy", 1.5, "test_accuracy"),
    ("test_accuracy", "99%", "test_accuracy"),
    ("format_version", 2, "format_version"),
    ("dtype", "float16", "dtype"),
    ("seed", -1, "seed"),
    ("trained_in_app", "true", "trained_in_app"),
])
def test_card_with_a_wrong_type_is_refused_naming_the_key(tmp_path, small, key, value, fragment):
    if key == "preprocess.deskew":
        raw = card_with(small, "preprocess", {"deskew": value})
    else:
        raw = card_with(small, key, value)
    msg = refused(with_raw_card(tmp_path, small, raw), f"'{fragment}'")
    assert len(msg.splitlines()) == 1 and len(msg) < 300


@pytest.mark.parametrize("depth", [17, 1000, 100_000])
def test_deeply_nested_card_is_refused_without_recursion_error(tmp_path, small, depth):
    card = json.dumps(good_card(small))[:-1] + ', "extra": ' + "[" * depth + "]" * depth + "}"
    refused(with_raw_card(tmp_path, small, card.encode()), "nested too deeply")


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_card_with_non_json_numbers_is_refused(tmp_path, small, constant):
    card = json.dumps(good_card(small))[:-1] + f', "wall_time_s": {constant}' + "}"
    refused(with_raw_card(tmp_path, small, card.encode()), constant)


def test_unknown_keys_are_kept(tmp_path, small):
    raw = card_with(small, "my_notes", {"by": "someone", "tags": ["a", 1, None]})
    _, card = load_model(with_raw_card(tmp_path, small, raw))
    assert card["my_notes"] == {"by": "someone", "tags": ["a", 1, None]}


def test_an_oversized_card_is_refused_before_reading(tmp_path, small):
    card = good_card(small)
    card["note"] = "x" * 2_000_000
    refused(with_raw_card(tmp_path, small, json.dumps(card).encode()), "model card", "limit")


# --- item 9: finite weights whose forward pass overflows ---------------------------------------
def test_weights_that_overflow_the_forward_pass_are_refused(tmp_path, small):
    W1 = np.full_like(small.dense[0].W, 3e38)
    path = write_npz(tmp_path / "huge.npz", {**small.state(), "W1": W1,
                                              CARD_KEY: np.frombuffer(json.dumps(good_card(small)).encode(), np.uint8)})
    refused(path, "overflows", "layer 1")


def test_large_but_harmless_weights_still_load(tmp_path, small):
    small.dense[0].W[...] = 1e6
    save_model(small, tmp_path / "big.npz")
    net, _ = load_model(tmp_path / "big.npz")
    assert np.isfinite(net.predict_proba(np.ones((1, 6)))).all()


# --- item 10: any sizes load (the views and commands decide what they can show) ----------------
@pytest.mark.parametrize("sizes", [(784, 7), (5, 3, 2), (784, 10)])
def test_models_of_other_sizes_load(tmp_path, sizes):
    net = Network(Architecture(sizes), seed=3)
    save_model(net, tmp_path / "m.npz")
    back, card = load_model(tmp_path / "m.npz")
    assert back.sizes == sizes and card["architecture"]["sizes"] == list(sizes)
    np.testing.assert_array_equal(back.flat, net.flat)


def test_network_from_arrays_is_the_same_check_for_other_formats(small):
    card = good_card(small)
    net = network_from_arrays("other.onnx", small.state(), card)
    np.testing.assert_array_equal(net.flat, small.flat)
    with pytest.raises(ModelError, match=r"other.onnx: W2 contains NaN"):
        network_from_arrays("other.onnx", {**small.state(), "W2": np.full((3, 5), np.nan, np.float32)}, card)
    with pytest.raises(ModelError, match=r"other.onnx: model card key 'architecture.loss'"):
        network_from_arrays("other.onnx", small.state(), {**card, "architecture": {**card["architecture"],
                                                                                      "loss": "hinge"}})


# --- item 13: saving -----------------------------------------------------------------------------
def test_a_244_character_file_name_saves(tmp_path, small):
    path = tmp_path / ("m" * 240 + ".npz")
    save_model(small, path)
    np.testing.assert_array_equal(load_model(path)[0].flat, small.flat)
    assert [p.name for p in tmp_path.iterdir()] == [path.name]


def test_saving_onto_a_folder_says_so_and_changes_nothing(tmp_path, small):
    target = tmp_path / "one.npz"
    target.mkdir()
    (target / "keep.txt").write_text("mine")
    with pytest.raises(TargetError, match=r"one.npz is a folder; give a file name"):
        save_model(small, target)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["one.npz"]
    assert [p.name for p in target.iterdir()] == ["keep.txt"]


def test_saving_below_a_file_says_so(tmp_path, small):
    (tmp_path / "one.png").write_text("a picture")
    with pytest.raises(TargetError, match=r"one.png is a file"):
        save_model(small, tmp_path / "one.png" / "m.npz")
    assert (tmp_path / "one.png").read_text() == "a picture"


def test_an_unwritable_folder_is_found_before_writing(tmp_path):
    if os.geteuid() == 0:  # root writes through file modes; sysfs refuses even root
        target = Path("/sys/nnviz-test/model.npz")
    else:
        ro = tmp_path / "ro"
        ro.mkdir(mode=0o555)
        target = ro / "model.npz"
    with pytest.raises(TargetError, match=r"cannot write to"):
        modelio.check_target(target)
    assert not target.exists()
