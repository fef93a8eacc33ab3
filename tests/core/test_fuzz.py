"""Property-based fuzzing with mutated real files: nothing escapes but DatasetError / ModelError.

The IDX reader gets the real MNIST labels file and a slice of the real images (gzipped and raw);
the model loader gets a small saved model (20-8-3) and, for a few examples, a full-size one.
"""

import functools
import gzip
import io
import tempfile
import zipfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nnviz.core.data import DatasetError, read_idx
from nnviz.core.modelio import ModelError, load_model, save_model
from nnviz.core.network import Architecture, Network
from tests.core.idx_files import idx_bytes
from tests.helpers import mnist_dir

FUZZ = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def mutations(draw, size):
    """A list of edits to a byte string of length `size`: bit flips, byte sets, a cut, an insertion."""
    kind = st.sampled_from(["flip", "set", "cut", "insert", "header"])
    edits = []
    for _ in range(draw(st.integers(1, 4))):
        k = draw(kind)
        if k == "flip":
            edits.append(("flip", draw(st.integers(0, size - 1)), draw(st.integers(0, 7))))
        elif k == "set":
            edits.append(("set", draw(st.integers(0, size - 1)), draw(st.integers(0, 255))))
        elif k == "header":  # the first bytes hold the magic numbers, dimensions and zip/gzip headers
            edits.append(("set", draw(st.integers(0, min(size, 64) - 1)), draw(st.integers(0, 255))))
        elif k == "cut":
            edits.append(("cut", draw(st.integers(0, size - 1)), 0))
        else:
            edits.append(("insert", draw(st.integers(0, size)), draw(st.integers(0, 255))))
    return edits


def put(path: Path, data: bytes) -> Path:
    """Write a fresh file (unlink first: truncating in place is ~20x slower on some file systems)."""
    path.unlink(missing_ok=True)
    path.write_bytes(data)
    return path


def mutate(data: bytes, edits) -> bytes:
    b = bytearray(data)
    for kind, pos, val in edits:
        pos = min(pos, max(len(b) - 1, 0))
        if not b:
            break
        if kind == "flip":
            b[pos] ^= 1 << val
        elif kind == "set":
            b[pos] = val
        elif kind == "cut":
            del b[pos:]
        else:
            b.insert(pos, val)
    return bytes(b)


@pytest.fixture(scope="module")
def work(tmp_path_factory):
    return tmp_path_factory.mktemp("fuzz")


@functools.lru_cache(maxsize=1)
def idx_seeds():
    """Real bytes: the labels file as shipped, and the first 100 test images re-encoded as IDX.
    (A cached function, not a fixture, so that hypothesis does not print megabytes on failure.)"""
    folder = mnist_dir()
    labels_gz = (folder / "train-labels-idx1-ubyte.gz").read_bytes()
    with gzip.open(folder / "t10k-images-idx3-ubyte.gz") as f:
        head = f.read(16 + 100 * 784)
    images = np.frombuffer(head, np.uint8, offset=16).reshape(100, 28, 28)
    return {"labels_gz": labels_gz, "labels_raw": gzip.decompress(labels_gz), "images_raw": idx_bytes(images),
            "images_gz": gzip.compress(idx_bytes(images), mtime=0)}


def _read(path, name):
    is_images = name.startswith("images")
    try:
        arr = read_idx(path, expect_dims=3 if is_images else 1, max_label=None if is_images else 9)
    except DatasetError as exc:
        assert path.name in str(exc)
        return None
    assert isinstance(arr, np.ndarray)
    return arr


@FUZZ
@given(data=st.data(), name=st.sampled_from(["labels_gz", "labels_raw", "images_raw", "images_gz"]),
       regzip=st.booleans())
def test_idx_reader_mutated_real_files(work, data, name, regzip):
    seed = idx_seeds()[name]
    if name.endswith("raw") and regzip:  # mutate the content, then wrap it in valid gzip
        payload = gzip.compress(mutate(seed, data.draw(mutations(len(seed)))), mtime=0)
    else:
        payload = mutate(seed, data.draw(mutations(len(seed))))
    path = work / f"{name}.idx.gz"
    put(path, payload)
    _read(path, name)


def test_idx_reader_every_header_byte_of_the_real_labels(work):
    """Exhaustive over the 8 header bytes of (the first 1000 of) the real labels: every value of each."""
    labels = np.frombuffer(idx_seeds()["labels_raw"], np.uint8, offset=8)[:1000]
    raw = idx_bytes(labels)
    path = work / "labels-header.idx"
    accepted = set()
    for pos in range(8):
        for val in range(256):
            put(path, raw[:pos] + bytes([val]) + raw[pos + 1:])
            if _read(path, "labels_raw") is not None:
                accepted.add((pos, val))
    # only the true bytes pass, plus type code 0x09 (int8), which reads labels 0..9 the same
    assert accepted == {(pos, raw[pos]) for pos in range(8)} | {(2, 0x09)}


def test_negative_int8_labels_are_out_of_range(work):
    raw = bytes([0, 0, 0x09, 1, 0, 0, 0, 3]) + np.array([1, -3, 2], np.int8).tobytes()
    path = work / "signed.idx"
    put(path, raw)
    with pytest.raises(DatasetError, match="label -3 out of range 0..9"):
        read_idx(path, expect_dims=1, max_label=9)


@functools.lru_cache(maxsize=1)
def model_seeds():
    """Bytes of a saved small (20-8-3) and a full-size (784-300-100-10) model."""
    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, net in (("small", Network(Architecture((20, 8, 3)), seed=0)), ("full", Network(seed=1))):
            save_model(net, Path(tmp) / "m.npz", {"seed": 0})
            out[name] = (Path(tmp) / "m.npz").read_bytes()
    return out


def _load(path):
    try:
        net, card = load_model(path)
    except ModelError as exc:
        assert path.name in str(exc)
        return None
    assert isinstance(card, dict) and np.isfinite(net.flat).all()
    return net


@FUZZ
@given(data=st.data())
def test_model_loader_mutated_bytes(work, data):
    seed = model_seeds()["small"]
    path = work / "mutated.npz"
    put(path, mutate(seed, data.draw(mutations(len(seed)))))
    _load(path)


@settings(max_examples=15, deadline=None)
@given(data=st.data())
def test_model_loader_mutated_full_size_model(work, data):
    seed = model_seeds()["full"]
    path = work / "mutated-full.npz"
    put(path, mutate(seed, data.draw(mutations(len(seed)))))
    _load(path)


def _npy(arr) -> bytes:
    buf = io.BytesIO()
    np.save(buf, arr, allow_pickle=True)
    return buf.getvalue()


MEMBER_PAYLOADS = st.one_of(
    st.binary(max_size=300),
    st.sampled_from([_npy(np.zeros((8, 20), np.float32)), _npy(np.zeros((3, 8), np.float64)),
                     _npy(np.full((8, 20), np.nan, np.float32)), _npy(np.zeros(8, np.int32)),
                     _npy(np.array([{"x": 1}], dtype=object)), _npy(np.zeros((0, 3), np.float32)),
                     _npy(np.frombuffer(b'{"format": "nnviz-model"}', np.uint8)),
                     _npy(np.frombuffer(b"\xff\xfe not json", np.uint8)), _npy(np.zeros((2, 2, 2), np.float32))]))


@FUZZ
@given(data=st.data(), compress=st.booleans())
def test_model_loader_zip_entries_replaced(work, data, compress):
    """Rebuild the zip with members replaced, dropped, renamed or added (valid zip, odd contents)."""
    with zipfile.ZipFile(io.BytesIO(model_seeds()["small"])) as z:
        members = {n: z.read(n) for n in z.namelist()}
    names = sorted(members)
    for _ in range(data.draw(st.integers(1, 3))):
        action = data.draw(st.sampled_from(["replace", "drop", "rename", "add", "mutate"]))
        target = data.draw(st.sampled_from(names))
        if target not in members:
            continue
        if action == "replace":
            members[target] = data.draw(MEMBER_PAYLOADS)
        elif action == "drop":
            members.pop(target)
        elif action == "rename":
            members[data.draw(st.sampled_from(["W3.npy", "b1.npy", "x.npy", "W1", "W01.npy", "b0.npy"]))] = \
                members.pop(target)
        elif action == "add":
            members[data.draw(st.sampled_from(["W3.npy", "b3.npy", "extra.npy"]))] = data.draw(MEMBER_PAYLOADS)
        else:
            blob = members[target]
            members[target] = mutate(blob, data.draw(mutations(max(len(blob), 1)))) if blob else blob
    path = work / "entries.npz"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED) as z:
        for n, blob in members.items():
            z.writestr(n, blob)
    _load(path)


def test_seed_files_themselves_load(work):
    for name in ("small", "full"):
        path = work / f"{name}-copy.npz"
        put(path, model_seeds()[name])
        assert _load(path) is not None
