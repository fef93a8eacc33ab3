"""A hand-edited training history (issue 27.8): every way its settings or moments can lie ends in one
HistoryError line, in bounded memory, and the model it came with still opens."""

from __future__ import annotations

import json

import numpy as np
import pytest

from nnviz.core import modelio
from nnviz.core.history import PREFIX, History, HistoryError, Moment, Schedule, read_history
from nnviz.core.network import Architecture, Network
from tests.memory import peak_growth

ARCH = Architecture((784, 8, 10))


def saved(tmp_path, meta=None, **moments) -> str:
    """A model .npz with a three-snapshot history whose settings (meta) or moments were edited."""
    net = Network(ARCH, seed=0)
    history = History(schedule=Schedule(dense=2, growth=1.5))
    for k in range(3):
        history._add(net.flat + k, Moment(k, k / 2, 64 * k, 1.0))
    arrays = history.arrays()
    if meta is not None:
        arrays[PREFIX + "meta_json"] = np.frombuffer(meta.encode(), np.uint8)
    for name, values in moments.items():
        arrays[PREFIX + name] = np.asarray(values)
    path = tmp_path / "model.npz"
    modelio.save_model(net, path, {"note": "test"}, extra=arrays)
    return str(path)


GOOD_SCHEDULE = {"dense": 2, "growth": 1.5}
BAD_SETTINGS = {
    "infinite budget": '{"budget_mb": Infinity, "schedule": {"dense": 2, "growth": 1.5}}',
    "NaN growth": '{"budget_mb": 40, "schedule": {"dense": 2, "growth": NaN}}',
    "a list for a number": json.dumps({"budget_mb": [40], "schedule": GOOD_SCHEDULE}),
    "a string for dense": json.dumps({"budget_mb": 40, "schedule": {"dense": "2", "growth": 1.5}}),
    "deep nesting": '{"budget_mb": 40, "schedule": ' + "[" * 1500 + "]" * 1500 + "}",
    "a tiny growth factor": json.dumps({"budget_mb": 40, "schedule": {"dense": 2, "growth": 1.0000001}}),
    "ten million dense points": json.dumps({"budget_mb": 40, "schedule": {"dense": 10**7, "growth": 1.5}}),
    "an infinite thinning count": json.dumps({"budget_mb": 40, "schedule": GOOD_SCHEDULE, "thinned": 1e400}),
    "not JSON": "budget: forty",
    "too long": json.dumps({"budget_mb": 40, "schedule": GOOD_SCHEDULE, "note": "x" * 10_000}),
}


@pytest.mark.parametrize("what", list(BAD_SETTINGS))
def test_hand_edited_settings_are_one_line_and_the_model_opens(tmp_path, what):
    path = saved(tmp_path, BAD_SETTINGS[what])
    with pytest.raises(HistoryError) as refused:
        read_history(path, Network(ARCH).flat.size)
    assert "\n" not in str(refused.value) and len(str(refused.value)) < 300
    net, _card = modelio.load_model(path)
    assert net.arch == ARCH


@pytest.mark.parametrize("moments", [{"t": [0, 1, 10**13]}, {"x": [0.0, np.inf, 1.0]}, {"samples": [0, -5, 9]},
                                     {"loss": [1.0, np.inf, 1.0]}], ids=["t", "x", "samples", "loss"])
def test_moments_out_of_range_are_refused(tmp_path, moments):
    with pytest.raises(HistoryError, match="out of range"):
        read_history(saved(tmp_path, **moments), Network(ARCH).flat.size)


def test_ten_million_declared_updates_cost_nothing_to_read(tmp_path):
    """t far along a valid schedule (10⁷ updates): the next point is computed, not a list of them all."""
    path = saved(tmp_path, t=[0, 10**7, 10**7 + 5], samples=[0, 64 * 10**7, 64 * 10**7 + 320])
    growth, outcome = peak_growth(f"from nnviz.core.history import read_history\npath = {path!r}",
                                  "    h = read_history(path, 784 * 8 + 8 + 8 * 10 + 10)\n    assert h._next > 10**7",
                                  cap_mb=300)
    assert outcome == "ok" and growth < 40, (growth, outcome)
