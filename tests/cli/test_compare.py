"""`nnviz compare` (issue 26, its command): runs in lockstep on MNIST, written as JSON that scripts read and
a PNG of the overlaid curves; bad settings are one line."""

from __future__ import annotations

import json

import numpy as np
from PIL import Image

from nnviz.cli import main
from tests.helpers import mnist_path  # noqa: F401 (fixture)


def test_the_g_preset_writes_its_json_and_its_picture(tmp_path, mnist_path, capsys):  # noqa: F811
    assert main(["compare", "--preset", "g", "--epochs", "1", "--images", "6400", "--batch-size", "64",
                 "--out", str(tmp_path), "--data", str(mnist_path)]) == 0
    runs = json.loads((tmp_path / "compare.json").read_text())["runs"]
    assert [r["name"] for r in runs] == ["g = sigmoid", "g = ReLU", "g = tanh"]
    for r in runs:
        assert len(r["loss"]) == 100 and len(r["test_accuracy"]) == 1 and set(r["grad_norm"]) == {"W1", "W2", "W3"}
        assert r["settings"]["hidden"] == [300, 100] and r["diverged_at"] is None
    sigmoid, relu = runs[0]["grad_norm"]["W1"], runs[1]["grad_norm"]["W1"]
    assert sorted(sigmoid)[50] < sorted(relu)[50] / 2  # sigmoid's first layer hears far less of the error
    assert set(runs[1]["dead_relu"]) == {"a1", "a2"} and runs[0]["dead_relu"] == {}
    with Image.open(tmp_path / "compare.png") as im:
        assert im.size[0] == 1200 and len(np.unique(np.asarray(im.convert("RGB")).reshape(-1, 3), axis=0)) > 20
    assert "g = ReLU: test accuracy" in capsys.readouterr().out


def test_configs_are_read_and_bad_ones_are_one_line(tmp_path, mnist_path, capsys):  # noqa: F811
    (tmp_path / "a.toml").write_text('name = "slow"\nlr = 0.01\nhidden = [20]\n')
    (tmp_path / "b.toml").write_text('name = "fast"\nlr = 0.2\nhidden = [20]\n')
    out = tmp_path / "out"
    assert main(["compare", "--config", str(tmp_path / "a.toml"), "--config", str(tmp_path / "b.toml"),
                 "--images", "1280", "--out", str(out), "--data", str(mnist_path)]) == 0
    assert [r["name"] for r in json.loads((out / "compare.json").read_text())["runs"]] == ["slow", "fast"]
    (tmp_path / "c.toml").write_text('learning_rate = 0.1\n')
    capsys.readouterr()
    assert main(["compare", "--config", str(tmp_path / "a.toml"), "--config", str(tmp_path / "c.toml"),
                 "--out", str(out), "--data", str(mnist_path)]) == 1
    err = capsys.readouterr().err.strip()
    assert "unknown settings ['learning_rate']" in err and len(err.splitlines()) == 1
