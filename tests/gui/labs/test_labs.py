"""Issue 7 acceptance: the lecture labs, driven through their widgets (pytest-qt, offscreen)."""

from __future__ import annotations

import csv
import re

import numpy as np
import pytest
from PySide6.QtCore import Qt

from nnviz.core import toy
from nnviz.gui.labs.labs_widget import LabsWidget
from nnviz.gui.labs.traffic.lab import TrafficLab

LECTURE = {"w1,1": 0.4, "b1,1": -5.9, "w1,2": -0.6, "b1,2": 5.2, "w2,1": -1.0, "w2,2": -1.0, "b2,1": 5.1}


def _read_csv() -> tuple[np.ndarray, np.ndarray]:
    """The shipped traffic.csv read with the csv module (not with the lab's loader)."""
    rows = []
    with open(toy.TRAFFIC_CSV, newline="", encoding="utf-8") as f:
        for row in csv.reader(line for line in f if not line.startswith("#")):
            if row and row[0] != "hour":
                rows.append((float(row[0]), float(row[1])))
    data = np.array(rows)
    return data[:, 0], data[:, 1]


def _formula_mse(p: dict[str, float]) -> float:
    x, y = _read_csv()
    relu = lambda t: np.maximum(t, 0.0)
    y_hat = p["b2,1"] + p["w2,1"] * relu(p["w1,1"] * x + p["b1,1"]) + p["w2,2"] * relu(p["w1,2"] * x + p["b1,2"])
    return float(np.mean((y_hat - y) ** 2))


def _shown_mse(lab: TrafficLab) -> float:
    return float(re.search(r"MSE = <b>([0-9.]+)</b>", lab.mse_label.text()).group(1))


@pytest.fixture
def traffic(qtbot):
    lab = TrafficLab()
    qtbot.addWidget(lab)
    yield lab
    lab.stop_fit()


def test_traffic_csv_is_marked_synthetic():
    head = toy.TRAFFIC_CSV.read_text(encoding="utf-8").splitlines()[:2]
    assert "SYNTHETIC" in head[0] and toy.TRAFFIC_COMMAND in head[1]


def test_lecture_values_give_the_shown_mse(traffic, qtbot):
    traffic.set_params(toy.TRAFFIC_START)
    qtbot.mouseClick(traffic.lecture_button, Qt.MouseButton.LeftButton)
    assert traffic.params() == pytest.approx(LECTURE)
    expected = _formula_mse(LECTURE)
    assert traffic.current_mse == pytest.approx(expected, rel=1e-9)
    assert _shown_mse(traffic) == pytest.approx(expected, abs=6e-5)
    assert 0.1 < expected < 0.5  # the lecture's values are a sensible fit of the shipped data


def test_slider_moves_change_the_mse_like_the_formula(traffic):
    traffic.sliders.boxes["b2,1"].setValue(4.6)
    p = dict(LECTURE, **{"b2,1": 4.6})
    assert traffic.current_mse == pytest.approx(_formula_mse(p), rel=1e-9)
    assert traffic.best_mse <= traffic.current_mse


def test_gradient_descent_beats_the_lecture_values(traffic, qtbot):
    lecture_mse = _formula_mse(LECTURE)
    traffic.start_button.click()
    assert traffic.current_mse > lecture_mse  # a poor start
    traffic.pace = 0.0
    with qtbot.waitSignal(traffic.fitFinished, timeout=30000) as blocker:
        traffic.fit_button.click()
    final = blocker.args[0]
    assert final < lecture_mse
    assert final == pytest.approx(_formula_mse(traffic.params()), rel=1e-9)
    assert traffic.mse_curve.getData()[1][-1] < lecture_mse


def test_gradient_descent_pauses(traffic, qtbot):
    traffic.pace = 0.002
    traffic.fit_button.click()
    qtbot.waitUntil(lambda: len(traffic._mse_ys) > 2, timeout=10000)
    traffic.fit_button.click()  # pause
    assert traffic.runner.paused
    n = len(traffic._mse_ys)
    qtbot.wait(300)
    assert len(traffic._mse_ys) <= n + 2  # at most the snapshots already on their way
    traffic.stop_fit()


# --- parameter counter ----------------------------------------------------------------------------
@pytest.fixture
def counter(qtbot):
    from nnviz.gui.labs.params.counter import ParamCounterLab

    lab = ParamCounterLab()
    qtbot.addWidget(lab)
    return lab


def test_counter_counts_typed_architectures(counter, qtbot):
    counter.entry.clear()
    qtbot.keyClicks(counter.entry, "784-10")
    assert counter.total == 7850 and "7,850" in counter.total_label.text()
    counter.entry.setText("784-300-100-10")
    assert counter.total == 266610
    assert counter.table.item(0, 4).text().endswith("785") and counter.table.item(2, 4).text().endswith("101")
    counter.entry.setText("784-x")
    assert counter.total is None and "layer sizes as whole numbers" in counter.total_label.text()


def test_quiz_reveals_the_lectures_answers(counter):
    from PySide6.QtWidgets import QPushButton

    answers = []
    counter.show_poll(0)
    for _ in range(4):
        counter.findChild(QPushButton, "quizReveal").click()
        answers.append(counter.answer.text())
        counter.findChild(QPushButton, "quizNext").click()
    for text, number in zip(answers, ("7,850", "101", "785", "266,610")):
        assert f"<b>{number}</b>" in text and "=" in text  # the number, with its formula


def test_quiz_checks_a_typed_guess(counter, qtbot):
    counter.show_poll(2)
    qtbot.keyClicks(counter.guess, "785")
    counter.check()
    assert "Right" in counter.answer.text()
    counter.guess.setText("784")
    counter.check()
    assert "Not quite" in counter.answer.text()


# --- single neuron --------------------------------------------------------------------------------
@pytest.fixture
def neuron(qtbot):
    from nnviz.gui.labs.single_neuron.lab import SingleNeuronLab

    lab = SingleNeuronLab()
    qtbot.addWidget(lab)
    yield lab
    lab.stop()


@pytest.mark.parametrize("g, name", [("step", "Perceptron"), ("sigmoid", "Logistic regression"),
                                     ("linear", "Linear regression"), ("relu", "ReLU"), ("tanh", "tanh")])
def test_neuron_names_what_g_makes_it(neuron, g, name):
    from PySide6.QtGui import QTextDocument

    neuron.g_box.setCurrentText(g)
    assert name in neuron.title.text()
    assert neuron.net.arch.output == g
    doc = QTextDocument()
    doc.setHtml(neuron.info.text())
    assert doc.toPlainText().rstrip().endswith(("instead.)", "ŷ − y.", "'die'.", "(saturation).", "squared error."))


def test_neuron_sliders_set_w_and_b(neuron):
    neuron.sliders["w1"].setValue(150)
    neuron.sliders["b"].setValue(-50)
    assert neuron.w[0] == pytest.approx(1.5) and neuron.b == pytest.approx(-0.5)
    # the marked z is the selected example's w·x + b
    z = neuron.act_plots.lines[0].value()
    assert z == pytest.approx(float(np.clip(1.5 * neuron.x[neuron.selected, 0] - 0.5, -6, 6)))


def test_logistic_regression_learns_by_gradient_descent(neuron, qtbot):
    neuron.set_dims(2)
    J0 = neuron.gradients()[0]
    with qtbot.waitSignal(neuron.trainingFinished, timeout=20000) as blocker:
        neuron.train(steps=150, pace=0)
    assert blocker.args[0] < 0.5 * J0


def test_step_function_stalls_gradient_descent(neuron, qtbot):
    neuron.g_box.setCurrentText("step")
    w0, b0 = neuron.w.copy(), neuron.b
    J, dJ_dw, dJ_db = neuron.gradients()
    assert J > 0 and not dJ_dw.any() and dJ_db == 0
    assert "stuck" in neuron.info.text() and "g = step has g′(z) = 0" in neuron.info.text()
    with qtbot.waitSignal(neuron.trainingFinished, timeout=20000):
        neuron.train(steps=20, pace=0)
    assert np.array_equal(neuron.w, w0) and neuron.b == b0


# --- 2-D playground -------------------------------------------------------------------------------
@pytest.fixture
def playground(qtbot):
    from nnviz.gui.labs.playground.lab import PlaygroundLab

    lab = PlaygroundLab()
    lab.resize(1400, 800)
    qtbot.addWidget(lab)
    yield lab
    lab.shutdown()


def test_playground_learns_the_circle_with_a_small_relu_network(playground, qtbot):
    pg_ = playground
    pg_.data_controls.dataset.setCurrentText("Circle")
    pg_.net_controls.activation.setCurrentText("relu")
    pg_.net_controls.n_layers.setValue(2)
    pg_.net_controls.neurons[0].setValue(4)
    pg_.net_controls.neurons[1].setValue(4)
    pg_.net_controls.lr.setCurrentText("0.1")
    assert pg_.model.net.sizes == (2, 4, 4, 2) and pg_.model.net.arch.activation == "relu"
    assert pg_.snapshot.epoch == 0 and pg_.snapshot.test_accuracy < 0.95
    bound = 100  # epochs of 250 examples in batches of 10: at most 2,500 gradient steps
    # Step epoch by epoch (Play's view is throttled and may skip epochs): every epoch is seen.
    for epoch in range(1, bound + 1):
        with qtbot.waitSignal(pg_.snapshotShown, timeout=20000,
                              check_params_cb=lambda s, e=epoch: s.epoch == e):
            qtbot.mouseClick(pg_.step_button, Qt.MouseButton.LeftButton)
        if pg_.snapshot.test_accuracy >= 0.95:
            break
    snap = pg_.snapshot
    assert snap.test_accuracy >= 0.95 and snap.epoch <= bound
    # the accuracy shown is the network's on the held-out points, recomputed here from the snapshot's weights
    from nnviz.core.network import Network
    net = Network(pg_.model.net.arch, dtype=np.float64)
    net.flat[...] = snap.flat
    f = pg_.model.features
    assert np.mean(net.predict(f.x_test) == f.y_test) == pytest.approx(snap.test_accuracy)
    assert f"{100 * snap.test_accuracy:.1f}%" in pg_.output.readout.text()


def test_playground_step_pause_reset(playground, qtbot):
    with qtbot.waitSignal(playground.snapshotShown, timeout=10000, check_params_cb=lambda s: s.epoch == 1):
        playground.step_button.click()
    qtbot.waitUntil(lambda: playground.runner is not None and playground.snapshot.epoch == 1)
    playground.reset_button.click()
    assert playground.epoch == 0 and playground.runner is None


def test_playground_architecture_and_features_rebuild_the_network(playground):
    playground.data_controls.features["x1²"].setChecked(True)
    playground.net_controls.n_layers.setValue(6)
    for s in playground.net_controls.neurons:
        s.setValue(8)
    assert playground.model.net.sizes == (3, 8, 8, 8, 8, 8, 8, 2)
    assert len(playground.net_view.tiles) == 8 and len(playground.snapshot.neurons) == 6
    playground.data_controls.dataset.setCurrentText("Regression surface")
    assert playground.model.net.arch.loss == "squared_error" and playground.snapshot.test_accuracy is None


def test_playground_edges_show_and_edit_weights(playground, qtbot, monkeypatch):
    from PySide6.QtWidgets import QInputDialog

    playground.show()
    qtbot.waitExposed(playground)
    view = playground.net_view
    edge = next(e for e in view.edges if e.layer == 0)
    w = playground.model.net.dense[0].W[edge.j, edge.i]
    pos = view.mapFromScene(edge.line().pointAt(0.3))
    assert view.itemAt(pos) is edge
    qtbot.mouseMove(view.viewport(), pos)
    qtbot.waitUntil(lambda: f"{w:+.3f}" in playground.hover.text())  # hover shows the weight
    assert f"{w:+.3f}" in edge.toolTip()
    monkeypatch.setattr(QInputDialog, "getDouble", lambda *a, **k: (0.75, True))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    assert playground.model.net.dense[0].W[edge.j, edge.i] == 0.75
    assert edge.w == 0.75  # redrawn from a fresh snapshot


def test_labs_widget_holds_the_four_labs(qtbot):
    labs = LabsWidget()
    qtbot.addWidget(labs)
    assert labs.objectName() == "labs" and labs.count() == 4
    names = {labs.widget(i).objectName() for i in range(4)}
    assert names == {"singleNeuron", "trafficLab", "paramCounter", "playground"}
    labs.setCurrentWidget(labs.playground)
    labs.playground.play()
    qtbot.waitUntil(lambda: labs.playground.epoch >= 1, timeout=10000)
    labs.setCurrentWidget(labs.counter)  # leaving the tab pauses its training
    assert labs.playground.runner.paused
    labs.shutdown()
    assert labs.playground.runner is None



def test_a_fit_snapshot_is_acknowledged_only_after_waiting_events(traffic, qtbot):
    """Under X a running fit kept the GUI thread so busy (30 snapshots a second, each acknowledged at once,
    so the next came before the paint and the user's click) that a click took over a second: "the first
    click after Fit is ignored". A snapshot is now acknowledged once the event loop has handled what waits."""
    from PySide6.QtCore import QObject, Signal

    class FakeRunner(QObject):
        report = Signal(object)

        def __init__(self):
            super().__init__()
            self.acks = 0

        def ack(self):
            self.acks += 1

    runner = FakeRunner()
    traffic.runner = runner
    runner.report.connect(traffic._on_snapshot)
    runner.report.emit((1, toy.traffic_network(toy.TRAFFIC_START).flat.copy(), 1.0))
    assert runner.acks == 0  # not while the snapshot's paint and any click still wait
    qtbot.waitUntil(lambda: runner.acks == 1, timeout=2000)
    traffic.runner = None
