"""nnviz export --format html: the lesson page from the command line (issue 25)."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest

from nnviz.cli import main
from nnviz.core.history import History, recording
from nnviz.core.modelio import save_model
from nnviz.core.network import Architecture, Network
from nnviz.core.training import Split, TrainConfig, train
from tests.helpers import mnist_path  # noqa: F401 (fixture)


def _data(path) -> dict:
    text = path.read_text(encoding="utf-8")
    return json.loads(re.search(r'id="lessonData">(.*?)</script>', text, re.S)[1])


def test_the_shipped_model_s_page_with_a_title_and_mnist_s_test_digits(tmp_path, capsys, mnist_path):  # noqa: F811
    out = tmp_path / "lesson.html"
    assert main(["export", "--format", "html", "--out", str(out), "--title", "10-315, lecture 7",
                 "--data", str(mnist_path)]) == 0
    said = capsys.readouterr().out
    assert said.startswith(f"wrote {out}: 1.5 MB, 784-300-100-10 relu") and "no MNIST" not in said
    data = _data(out)
    assert data["title"] == "10-315, lecture 7" and data["model"] == "mnist-784-300-100-10.npz"
    assert len(data["digits"]["labels"]) == 50 and sorted(set(data["digits"]["labels"])) == list(range(10))
    assert data["deskew"] is True and out.stat().st_size <= 5_000_000


def test_without_mnist_the_page_says_it_has_no_digits_to_browse(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("NNVIZ_DATA", str(tmp_path / "nowhere"))
    monkeypatch.setattr("nnviz.core.data.mnist.cache_dir", lambda: tmp_path / "no-cache")
    monkeypatch.setattr("nnviz.core.data.mnist.chosen_folder", lambda: None)
    assert main(["export", "--format", "html", "--out", str(tmp_path / "l.html")]) == 0
    assert "no MNIST found: the page has no test digits to browse" in capsys.readouterr().out
    assert _data(tmp_path / "l.html")["digits"] is None


def test_history_snapshots_from_a_model_saved_with_its_history(tmp_path):
    rng = np.random.default_rng(0)
    x, y = rng.random((400, 784), dtype=np.float32), rng.integers(0, 10, 400)
    net, history = Network(Architecture((784, 8, 10)), seed=0), History(budget_mb=10)
    for _ in recording(history, net, train(net, Split(x, y, x[:50], y[:50]), TrainConfig(epochs=1, batch_size=20))):
        pass
    model = tmp_path / "small.npz"
    save_model(net, model, {"note": "tiny"}, extra=history.arrays())
    out = tmp_path / "small.html"
    assert main(["export", "--format", "html", "--model", str(model), "--out", str(out), "--history", "3"]) == 0
    kept = _data(out)["history"]
    assert len(kept) == 3 and kept[0]["t"] == 0 and kept[-1]["t"] == history.last.t == 20


@pytest.mark.parametrize("args, message", [
    (["--history", "3"], "no training history to scrub"),
    (["--title", "x", "--format", "npz"], "--title, --history and --data are for --format html"),
])
def test_what_cannot_be_done_is_one_line_and_no_file(tmp_path, capsys, args, message):
    fmt = [] if "--format" in args else ["--format", "html"]
    out = tmp_path / ("l.npz" if "npz" in args else "l.html")
    assert main(["export", *fmt, *args, "--out", str(out)]) == 1
    assert message in capsys.readouterr().err and not out.exists()

