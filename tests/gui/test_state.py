"""AppState, the one source of truth: every fact has one setter and a signal, and a new network
starts with no run, its own card and file, and the right modified flag."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from nnviz.core.network import Network
from nnviz.gui.state import AppState, RunStatus


@pytest.fixture
def state(qtbot):
    return AppState(Network(sizes=(16, 8, 10), seed=0), {"test_accuracy": 0.9}, path="/models/a.npz")


def record(state: AppState) -> list[tuple[str, object]]:
    """Every signal the state emits, in order, as (name, argument)."""
    seen: list[tuple[str, object]] = []
    for name in ("networkChanged", "weightsChanged", "cardChanged", "pathChanged", "modifiedChanged",
                 "runChanged", "trainingChanged", "inputChanged", "traceChanged", "targetChanged"):
        getattr(state, name).connect(lambda *args, n=name: seen.append((n, args[0] if args else None)))
    return seen


def names(seen) -> list[str]:
    return [n for n, _ in seen]


def test_facts_are_read_only_so_nothing_changes_them_without_a_signal(state):
    for fact, value in (("network", None), ("card", {}), ("path", None), ("modified", True),
                        ("run", RunStatus.RUNNING), ("training", True), ("x", None), ("trace", None),
                        ("label", 1), ("chosen_target", 1)):
        with pytest.raises(AttributeError):
            setattr(state, fact, value)
    assert state.card == {"test_accuracy": 0.9} and state.path == Path("/models/a.npz") and not state.modified


def test_card_changes_are_signalled_and_update_card_keeps_the_rest(state):
    seen = record(state)
    state.update_card(test_accuracy=0.95, trained_in_app=True)
    assert seen == [("cardChanged", {"test_accuracy": 0.95, "trained_in_app": True})]
    assert state.card == {"test_accuracy": 0.95, "trained_in_app": True}


def test_changed_weights_set_modified_once_and_identical_weights_do_not(state):
    seen = record(state)
    state.set_weights(state.network.flat.copy())  # e.g. the final copy of a run that made no step
    assert not state.modified and "modifiedChanged" not in names(seen)
    flat = state.network.flat.copy()
    flat[0] += 1
    state.set_weights(flat)
    state.set_weights(flat + 1)
    assert state.modified and names(seen).count("modifiedChanged") == 1
    assert names(seen).count("weightsChanged") == 3
    state.mark_saved("/models/b.npz", {"note": "saved"})
    assert not state.modified and state.path == Path("/models/b.npz") and state.card == {"note": "saved"}
    assert ("pathChanged", Path("/models/b.npz")) in seen and seen[-1] == ("modifiedChanged", False)


def test_run_status_is_signalled_and_training_means_running_or_paused(state):
    seen = record(state)
    state.set_run(RunStatus.RUNNING)
    assert state.training and state.busy
    state.set_run("paused")
    assert state.training and not state.busy
    state.set_run(RunStatus.PAUSED)  # no change: no signal
    state.set_run(RunStatus.DIVERGED)
    assert not state.training and not state.busy
    assert seen == [("runChanged", "running"), ("trainingChanged", True), ("runChanged", "paused"),
                    ("runChanged", "diverged"), ("trainingChanged", False)]
    with pytest.raises(ValueError):
        state.set_run("sleeping")


def test_an_opened_network_is_unmodified_and_a_fresh_one_is_modified_and_fileless(state):
    state.set_run(RunStatus.FINISHED)
    state.set_input(np.full(16, 0.5, np.float32), label=3)
    seen = record(state)
    fresh = Network(sizes=(16, 4, 10), seed=1)
    state.set_network(fresh, {"note": "new"})
    assert state.network is fresh and state.path is None and state.modified and state.run == RunStatus.IDLE
    assert state.card == {"note": "new"}
    assert state.trace is not None and state.trace.layers[0].a.shape == (4,)  # retraced before anyone hears
    assert names(seen).index("networkChanged") > max(names(seen).index(n) for n in
                                                      ("runChanged", "cardChanged", "pathChanged", "modifiedChanged"))
    seen.clear()
    state.set_network(Network(sizes=(16, 8, 10), seed=2), {"test_accuracy": 0.8}, "/models/c.npz")
    assert state.path == Path("/models/c.npz") and not state.modified
    assert ("modifiedChanged", False) in seen and ("cardChanged", {"test_accuracy": 0.8}) in seen


def test_a_live_run_keeps_its_status_across_a_new_network(state):
    """Only a finished run's outcome belongs to the old network; a live one is still running."""
    state.set_run(RunStatus.PAUSED)
    state.set_network(Network(sizes=(16, 8, 10), seed=3))
    assert state.run == RunStatus.PAUSED
