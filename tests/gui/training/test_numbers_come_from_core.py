"""The training room shows core's numbers: the card's test accuracy belongs to the weights shown
(core.evaluate's number after a whole epoch, none once training moved past the last test), and hidden
sizes are read by core's one parser."""

from __future__ import annotations

from nnviz.core.evaluate import evaluate_model
from tests.gui.helpers import TIMEOUT


def test_a_completed_run_writes_the_one_evaluation_paths_accuracy(qtbot, window, subset):  # noqa: F811
    window.train_panel.epochs_spin.setValue(1)
    with qtbot.waitSignal(window.run.finished, timeout=TIMEOUT) as done:
        window.session.start()
    assert done.args[0].reason == "completed"
    state = window.state
    expected = evaluate_model(state.network, state.card, subset.x_test, subset.y_test).accuracy
    assert state.card["test_accuracy"] == expected


def test_stopping_mid_epoch_drops_an_accuracy_the_weights_no_longer_have(qtbot, window):  # noqa: F811
    assert "test_accuracy" in window.state.card  # the shipped model's
    ctl = window.run
    with qtbot.waitSignal(ctl.batchDone, timeout=TIMEOUT):
        window.session.start()
    with qtbot.waitSignal(window.run.finished, timeout=TIMEOUT) as done:
        window.session.stop()
    assert done.args[0].reason == "stopped" and done.args[0].epochs_done == 0
    assert "test_accuracy" not in window.state.card


def test_the_panel_refuses_hidden_sizes_with_cores_one_message(window):  # noqa: F811
    from nnviz.core.sizes import size_error

    window.train_panel.hidden_edit.setText("300, 0")
    window.train_panel._apply_architecture()
    assert window.train_panel.summary.text() == f"Cannot build that network: {size_error('300, 0', 0, None)}"
