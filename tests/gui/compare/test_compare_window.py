"""Train → Compare runs… (issue 26): the lecture's presets trained in lockstep in the window, their curves,
gradients, distributions and the hidden layer's map; a digit from the map and a run's weights into the app."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from nnviz.core.compare import PRESETS
from tests.gui.helpers import TIMEOUT


@pytest.fixture
def compared(qtbot, window):
    """The window's compare window after a short g comparison (3 runs, 1,000 images, 1 epoch, batch 100)."""
    compare = window.open_compare()
    compare.setup.images.setValue(1000)
    compare.setup.epochs.setValue(1)
    compare.setup.batch.setValue(100)
    with qtbot.waitSignal(compare.comparisonEnded, timeout=TIMEOUT) as ended:
        qtbot.mouseClick(compare.start_button, Qt.MouseButton.LeftButton)
    return compare, ended.args[0]


def test_the_g_preset_trains_three_runs_in_lockstep_and_overlays_their_curves(compared):
    compare, view = compared
    assert [r.name for r in view.runs] == [s.name for s in PRESETS["g"]]
    assert view.final.reason == "completed" and view.done == view.total == 10
    assert all(len(r.loss) == 10 and len(r.test_accuracy) == 1 for r in view.runs)
    curves = compare.curves.loss.listDataItems()
    named = [label.text for _, label in compare.curves.legends[0].items]
    assert len(curves) == 3 and named == [s.name for s in PRESETS["g"]]
    assert compare.progress.text().startswith("done: 10 of 10 batches")
    assert compare.start_button.isEnabled() and not compare.stop_button.isEnabled()


def test_the_gradients_tab_says_where_the_gradient_vanishes(qtbot, compared):
    compare, view = compared
    compare.tabs.setCurrentWidget(compare.gradients)
    line = compare.gradients.line.text()
    assert line.startswith("‖dJ/dW₁‖ ÷ ‖dJ/dW₃‖") and all(r.name in line for r in view.runs)
    per_run = compare.gradients.plots.items[:3]
    assert [len(p.listDataItems()) for p in per_run] == [3, 3, 3]  # W1, W2, W3 for each run
    assert len(compare.gradients.dead.listDataItems()) == 2  # the ReLU run's two hidden layers


def test_the_distributions_tab_draws_bands_of_the_chosen_run_and_quantity(qtbot, compared):
    compare, view = compared
    compare.tabs.setCurrentWidget(compare.distributions)
    d = compare.distributions
    d.run.setCurrentIndex(1)
    d.quantity.setCurrentIndex(1)  # dJ/dW
    plots = d.plots.items
    assert len(plots) == 3 and "dJ/dW₁ of g = ReLU" in plots[0].titleLabel.text
    fills = [i for i in plots[0].items if isinstance(i, pg.FillBetweenItem)]
    assert len(fills) == 4
    median = plots[0].listDataItems()[-1].getData()[1]
    np.testing.assert_array_equal(median, view.runs[1].bands["dJ_dW1"][:, 4])


def test_the_map_places_the_test_digits_and_a_clicked_one_becomes_the_input(qtbot, compared, window):
    compare, view = compared
    with qtbot.waitSignal(compare.map.jobs.done, timeout=TIMEOUT):
        compare.tabs.setCurrentWidget(compare.map)
    placed = np.concatenate([item.data["data"] for item in compare.map.classes])
    assert sorted(placed) == list(range(1000)) and np.isfinite(compare.map.xy).all()  # the subset's test digits
    assert all(np.all(compare.data.y_test[item.data["data"].astype(int)] == digit)
               for digit, item in enumerate(compare.map.classes))  # each class in its own colour
    assert compare.map.moment.text() == "after 10 batches"  # it follows the run to its end
    with qtbot.waitSignal(compare.map.jobs.done, timeout=TIMEOUT):
        compare.map.step(-1)  # scrub back
    assert compare.map.moment.text() == f"after {view.runs[0].snapshots[-2].t} batches"
    with qtbot.waitSignal(window.state.inputChanged, timeout=TIMEOUT):
        compare.map.digitChosen.emit(7)
    assert window.state.label == int(compare.data.y_test[7]) and window.state.source == "dataset"


def test_a_run_s_weights_at_a_moment_become_the_app_s_model(qtbot, compared, window, unsaved_asked):
    compare, view = compared
    compare.tabs.setCurrentWidget(compare.map)
    compare.map.run.setCurrentIndex(0)  # sigmoid
    compare.map.slider.setValue(compare.map.slider.maximum())
    with qtbot.waitSignal(window.state.networkChanged, timeout=TIMEOUT):
        qtbot.mouseClick(compare.map.use, Qt.MouseButton.LeftButton)
    net = window.state.network
    assert net.arch.activation == "sigmoid" and net.sizes == (784, 300, 100, 10)
    np.testing.assert_array_equal(net.flat, view.runs[0].snapshots[-1].flat.astype(np.float32))
    assert window.state.modified and window.state.path is None and "g = sigmoid" in window.state.card["note"]


def test_a_wrong_cell_is_named_and_nothing_starts(qtbot, window):
    compare = window.open_compare()
    compare.setup.table.cellWidget(1, 5).setText("300, many")
    compare.start()
    box = compare.findChild(QMessageBox, "compareErrorDialog")
    assert box is not None and "g = ReLU: hidden sizes must be whole numbers" in box.text()
    assert not compare.running and compare.start_button.isEnabled()


def test_presets_fill_the_table_and_runs_can_be_added_and_removed(qtbot, window):
    setup = window.open_compare().setup
    setup.preset.setCurrentIndex(1)  # α
    assert [s.lr for s in setup.specs()] == [0.001, 0.1, 10.0]
    qtbot.mouseClick(setup.add, Qt.MouseButton.LeftButton)
    assert len(setup.specs()) == 4 and not setup.add.isEnabled()
    for _ in range(3):
        qtbot.mouseClick(setup.remove, Qt.MouseButton.LeftButton)
    assert len(setup.specs()) == 2 and not setup.remove.isEnabled()


def test_stop_ends_a_comparison_with_what_it_recorded(qtbot, window):
    compare = window.open_compare()
    compare.setup.epochs.setValue(50)
    compare.setup.batch.setValue(20)
    with qtbot.waitSignal(compare.run.updated, timeout=TIMEOUT):
        compare.start()
    with qtbot.waitSignal(compare.comparisonEnded, timeout=TIMEOUT) as ended:
        qtbot.mouseClick(compare.stop_button, Qt.MouseButton.LeftButton)
    view = ended.args[0]
    assert view.final.reason == "stopped" and 0 < view.done < view.total
    assert all(len(r.loss) == view.done for r in view.runs)


def test_a_run_that_diverges_is_marked_where_it_stopped_while_the_others_go_on(qtbot, window):
    compare = window.open_compare()
    compare.setup.preset.setCurrentIndex(compare.setup.preset.findData("alpha"))
    compare.setup.images.setValue(1000)
    compare.setup.batch.setValue(100)
    compare.setup.epochs.setValue(1)
    with qtbot.waitSignal(compare.comparisonEnded, timeout=TIMEOUT) as ended:
        compare.start()
    small, right, large = ended.args[0].runs
    assert large.diverged_at is not None and len(large.loss) == large.diverged_at < 10
    assert len(small.loss) == len(right.loss) == 10  # the others went on
    named = [label.text for _, label in compare.curves.legends[0].items]
    assert named[2] == f"α = 10 (too large) (diverged at batch {large.diverged_at})"
    marks = [i for i in compare.curves.loss.items if isinstance(i, pg.InfiniteLine)]
    assert len(marks) == 1 and marks[0].value() == large.diverged_at


def test_the_map_by_t_sne_shows_a_busy_bar_then_the_islands(qtbot, compared):
    compare, view = compared
    m = compare.map
    with qtbot.waitSignal(m.jobs.done, timeout=TIMEOUT):
        compare.tabs.setCurrentWidget(m)
    pca = m.xy.copy()
    with qtbot.waitSignal(m.jobs.done, timeout=60_000):
        m.method.setCurrentText("t-SNE")
        assert m.busy.isVisibleTo(m)  # (seconds of work: the bar says so)
    assert not m.busy.isVisibleTo(m) and m.xy.shape == pca.shape and not np.allclose(m.xy, pca)
    assert "t-SNE of its activations" in m.plot.titleLabel.text
    assert m.plot.getAxis("bottom").labelText == "t-SNE 1"


def test_without_scikit_learn_the_t_sne_choice_is_greyed_and_says_why(qtbot, monkeypatch):
    from nnviz.gui.compare import embedding
    from nnviz.gui.compare.hidden_map import HiddenMapView

    monkeypatch.setattr(embedding, "tsne_problem", lambda: "t-SNE needs scikit-learn: pip install 'nnviz[embed]'")
    m = HiddenMapView()
    qtbot.addWidget(m)
    item = m.method.model().item(embedding.METHODS.index("t-SNE"))
    assert not item.isEnabled() and "pip install 'nnviz[embed]'" in item.toolTip()
    assert m.method.currentText() == "PCA"
