"""Model files: exact round trip, atomic writes, and every refusal with a ModelError that says why."""

import json
import zipfile

import numpy as np
import pytest

from nnviz.core.modelio import CARD_KEY, ModelError, load_model, save_model
from nnviz.core.network import Architecture, Network


@pytest.fixture
def small():
    return Network(Architecture((6, 5, 3)), seed=1)


def card_bytes(card):
    return np.frombuffer(json.dumps(card).encode(), np.uint8)


def good_card(net):
    return {"format": "nnviz-model", "format_version": 1, "architecture": {
        "sizes": list(net.sizes), "activation": net.arch.activation, "output": net.arch.output,
        "loss": net.arch.loss}}


def write_npz(path, arrays):
    with open(path, "wb") as f:
        np.savez(f, **arrays)
    return path


def crafted(tmp_path, net, name="m.npz", card=None, drop=(), **replace):
    """A model file made by hand: net's arrays and card, with some arrays dropped or replaced."""
    arrays = {**net.state(), CARD_KEY: card_bytes(card if card is not None else good_card(net))}
    arrays.update(replace)
    for k in drop:
        arrays.pop(k)
    return write_npz(tmp_path / name, arrays)


def refused(path, *fragments):
    with pytest.raises(ModelError) as info:
        load_model(path)
    msg = str(info.value)
    assert path.name in msg, msg
    for frag in fragments:
        assert frag.lower() in msg.lower(), msg
    return msg


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_round_trip_is_exact(tmp_path, dtype):
    net = Network(Architecture((7, 5, 4, 3), "tanh"), seed=2, dtype=dtype)
    net.flat[...] += np.random.default_rng(0).normal(size=net.flat.size).astype(dtype)
    card = save_model(net, tmp_path / "sub" / "model.npz", {"seed": 2, "test_accuracy": 0.5,
                                                             "preprocess": {"deskew": True}})
    back, card2 = load_model(tmp_path / "sub" / "model.npz")
    assert back.dtype == dtype and back.arch == net.arch
    np.testing.assert_array_equal(back.flat, net.flat)
    assert card2 == json.loads(json.dumps(card)) and card2["seed"] == 2 and card2["preprocess"] == {"deskew": True}
    assert card2["architecture"]["sizes"] == [7, 5, 4, 3] and card2["n_params"] == net.arch.n_params
    x = np.random.default_rng(1).uniform(size=(3, 7))
    np.testing.assert_array_equal(back.predict_proba(x), net.predict_proba(x))


def test_saved_file_is_a_plain_npz_without_pickle(tmp_path, small):
    path = tmp_path / "m.npz"
    save_model(small, path)
    with np.load(path, allow_pickle=False) as npz:
        assert sorted(npz.files) == sorted(["W1", "b1", "W2", "b2", CARD_KEY])
        assert all(npz[k].dtype != object for k in npz.files)


def test_atomic_write_leaves_no_temporary_files(tmp_path, small):
    path = tmp_path / "m.npz"
    save_model(small, path)
    small.flat[...] = 0.5
    save_model(small, path)  # overwrite in place
    assert [p.name for p in tmp_path.iterdir()] == ["m.npz"]
    np.testing.assert_array_equal(load_model(path)[0].flat, 0.5)


def test_failed_write_keeps_the_old_file_and_leaves_no_temporary(tmp_path, small, monkeypatch):
    path = tmp_path / "m.npz"
    save_model(small, path)
    old = path.read_bytes()

    def boom(*a, **k):
        raise OSError("disk full")

    monkeypatch.setattr(np, "savez", boom)
    with pytest.raises(OSError):
        save_model(small, path)
    assert path.read_bytes() == old and [p.name for p in tmp_path.iterdir()] == ["m.npz"]


def test_refuses_object_arrays_that_need_pickle(tmp_path, small):
    obj = np.array([{"evil": 1}, None], dtype=object)
    path = crafted(tmp_path, small, W1=obj)
    refused(path, "pickle")
    refused(write_npz(tmp_path / "only.npz", {"x": obj}), "pickle")


def test_refuses_missing_arrays(tmp_path, small):
    refused(crafted(tmp_path, small, drop=["b2"]), "missing", "b2")
    refused(crafted(tmp_path, small, name="none.npz", drop=["W1", "b1", "W2", "b2"]), "no layers")


def test_refuses_extra_arrays(tmp_path, small):
    refused(crafted(tmp_path, small, extra=np.zeros(3)), "unexpected", "extra")
    refused(crafted(tmp_path, small, name="w3.npz", W3=np.zeros((2, 3), np.float32)), "W3", "missing", "b3")


def test_refuses_shapes_that_do_not_chain(tmp_path, small):
    refused(crafted(tmp_path, small, W2=np.zeros((3, 4), np.float32)), "do not chain", "W2")
    refused(crafted(tmp_path, small, name="b.npz", b1=np.zeros(4, np.float32)), "W1", "b1", "do not form a layer")
    refused(crafted(tmp_path, small, name="v.npz", W1=np.zeros(30, np.float32)), "W1")


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_refuses_non_finite_values(tmp_path, small, bad):
    W = small.dense[1].W.copy()
    W[1, 2] = bad
    refused(crafted(tmp_path, small, W2=W), "W2", "NaN or infinite")


def test_refuses_non_float_arrays(tmp_path, small):
    refused(crafted(tmp_path, small, b1=np.zeros(5, np.int64)), "b1", "dtype")


def test_refuses_a_card_that_disagrees_with_the_arrays(tmp_path, small):
    card = good_card(small)
    card["architecture"]["sizes"] = [6, 4, 3]
    refused(crafted(tmp_path, small, card=card), "card says sizes", "[6, 5, 3]")
    card = good_card(small)
    card["architecture"]["activation"] = "swish"
    refused(crafted(tmp_path, small, name="act.npz", card=card), "architecture.activation", "swish")
    card = good_card(small)
    del card["architecture"]
    refused(crafted(tmp_path, small, name="arch.npz", card=card), "no architecture")


def test_refuses_a_missing_card(tmp_path, small):
    refused(crafted(tmp_path, small, drop=[CARD_KEY]), "no model card")


@pytest.mark.parametrize("raw,fragment", [
    (np.frombuffer(b"{not json", np.uint8), "not valid JSON"),
    (np.frombuffer(b"\xff\xfe\x00", np.uint8), "not valid JSON"),
    (np.frombuffer(b"[1, 2]", np.uint8), "not an nnviz model card"),
    (np.frombuffer(b'{"format": "other"}', np.uint8), "not an nnviz model card"),
    (np.zeros(4, np.float32), "not stored as UTF-8 bytes"),
])
def test_refuses_a_card_that_is_not_a_json_model_card(tmp_path, small, raw, fragment):
    path = tmp_path / "m.npz"
    write_npz(path, {**small.state(), CARD_KEY: raw})
    refused(path, fragment)


@pytest.mark.parametrize("keep", [0.0, 0.3, 0.7, 0.95])
def test_refuses_a_truncated_file(tmp_path, small, keep):
    path = tmp_path / "m.npz"
    save_model(small, path)
    data = path.read_bytes()
    path.write_bytes(data[:int(len(data) * keep)])
    refused(path)


def test_refuses_a_file_that_is_not_a_zip(tmp_path):
    path = tmp_path / "m.npz"
    path.write_text("hello, I am a text file\n" * 10)
    assert "pickle" not in refused(path, "not a valid .npz")


def test_refuses_a_bare_npy(tmp_path):
    path = tmp_path / "m.npy"
    np.save(path, np.zeros((3, 3), np.float32))
    refused(path, ".npz", ".npy")


def test_refuses_a_zip_with_other_members(tmp_path):
    path = tmp_path / "m.npz"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("readme.txt", "not an array")
    refused(path)


def test_refuses_a_missing_file_and_a_folder(tmp_path):
    refused(tmp_path / "nope.npz", "cannot open")
    (tmp_path / "dir.npz").mkdir()
    refused(tmp_path / "dir.npz")


def test_loads_the_shipped_model():
    from nnviz.core.modelio import SHIPPED_MODEL

    net, card = load_model(SHIPPED_MODEL)
    assert net.sizes == (784, 300, 100, 10) and net.dtype == np.float32
    assert card["format"] == "nnviz-model"


def test_refuses_an_absurd_layer_number_quickly(tmp_path, small):
    refused(crafted(tmp_path, small, W999999999=np.zeros((2, 3), np.float32)), "layer 999999999")
