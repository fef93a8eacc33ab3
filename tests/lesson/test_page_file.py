"""The lesson page's file, without a browser: what it holds, its policy, its limits and its errors."""

from __future__ import annotations

import base64
import hashlib
import json
import re

import numpy as np
import pytest

from nnviz.core.history import History, Moment
from nnviz.core.network import Architecture, Network
from nnviz.lesson import LessonError, build_page, write_page
from nnviz.lesson.page import page_data

SMALL = Network(Architecture((784, 16, 10)), seed=0)


def _data(page: str) -> dict:
    return json.loads(re.search(r'<script type="application/json" id="lessonData">(.*?)</script>', page, re.S)[1])


def test_the_weights_travel_bit_for_bit_and_the_card_as_data():
    page = build_page(SMALL, {"note": "</script><script>alert(1)</script>", "test_accuracy": 0.5}, title="T")
    data = _data(page)
    assert "</script><script>alert(1)" not in page.split('id="lessonData">')[1].split("</script>")[0]
    assert data["card"]["note"] == "</script><script>alert(1)</script>"  # (escaped as \\u003c, read back whole)
    for layer, saved in zip(SMALL.dense, data["layers"]):
        np.testing.assert_array_equal(np.frombuffer(base64.b64decode(saved["W"]), "<f4").reshape(layer.W.shape),
                                      layer.W)
    assert data["sizes"] == [784, 16, 10] and data["activation"] == "relu" and data["history"] == []


def test_the_policy_admits_exactly_the_page_s_own_script_and_style():
    page = build_page(SMALL, {}, title='{{SCRIPT}} "quoted"')
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page)[1].replace("&#x27;", "'")
    script = re.search(r"<script>(.*)</script>", page, re.S)[1]
    style = re.search(r"<style>(.*)</style>", page, re.S)[1]
    digest = lambda text: base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()  # noqa: E731
    assert f"script-src 'sha256-{digest(script)}'" in policy and f"style-src 'sha256-{digest(style)}'" in policy
    assert "default-src 'none'" in policy
    assert "<title>{{SCRIPT}} &quot;quoted&quot;</title>" in page  # put in once, never searched again


def _history(n: int) -> History:
    history = History(budget_mb=50)
    rng = np.random.default_rng(0)
    for t in range(n):
        history._add(rng.normal(size=SMALL.flat.size).astype(np.float32),
                     Moment(t * 10, t / 10, t * 1000, 1.0 / (t + 1)))
    return history


def test_history_snapshots_are_spread_over_the_run_as_float16():
    history = _history(12)
    data = page_data(SMALL, {}, "", history=history, snapshots=4)
    assert [h["t"] for h in data["history"]] == [0, 40, 70, 110]
    first = np.frombuffer(base64.b64decode(data["history"][0]["flat"]), "<f2")
    np.testing.assert_array_equal(first, history.weights(0).astype(np.float16))


@pytest.mark.parametrize("kw, message", [
    ({"history": None, "snapshots": 3}, "no training history"),
    ({"history": "twelve", "snapshots": 1}, "2 to 40 snapshots"),
])
def test_a_history_that_cannot_be_had_is_refused_with_the_reason(kw, message):
    if kw["history"] == "twelve":
        kw = {**kw, "history": _history(12)}
    with pytest.raises(LessonError, match=message):
        page_data(SMALL, {}, "", **kw)


def test_the_file_is_html_written_whole_or_not_at_all(tmp_path):
    with pytest.raises(LessonError, match=r"\.html file"):
        write_page(SMALL, {}, tmp_path / "lesson.txt")
    size = write_page(SMALL, {}, tmp_path / "lesson.html")
    assert size == (tmp_path / "lesson.html").stat().st_size and list(tmp_path.iterdir()) == [tmp_path / "lesson.html"]
    regression = Network(Architecture((784, 16, 1), output="linear", loss="squared_error"), seed=0)
    with pytest.raises(LessonError, match="classifiers"):
        write_page(regression, {}, tmp_path / "other.html")
    with pytest.raises(LessonError, match="784 inputs"):
        write_page(Network(Architecture((2, 4, 2)), seed=0), {}, tmp_path / "other.html")
    assert list(tmp_path.iterdir()) == [tmp_path / "lesson.html"]
