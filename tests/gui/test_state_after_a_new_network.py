"""Issue 10, "one source of truth": after a change of network no view shows the old network's numbers,
and the window shows whether the weights were modified since they were opened or saved.

The old network is trained for an epoch (accuracies in the panel, curves, gradient sizes, the card,
About), evaluated in Mistakes, then made to diverge ("diverged: weights restored" and its dialog).
Then each change in turn: a new architecture, Reset, Open, and Start with another architecture.
"""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtWidgets import QDialog, QLabel, QProgressBar, QTextBrowser

from nnviz.gui.dataset.mistakes import MistakesView
from nnviz.gui.inspector import InspectorPanel
from nnviz.gui.network.receptive_fields import ReceptiveFieldGallery
from nnviz.gui.state import RunStatus
from tests.helpers import mnist, mnist_path  # noqa: F401 (fixtures)

TIMEOUT = 60_000


def shown_text(win) -> str:
    """Everything the window and its open dialogs say in words (views behind a dock tab included)."""
    parts = [win.windowTitle()]
    shown = lambda w: w.window() is win or w.window().isVisible()  # noqa: E731
    parts += [w.text() for w in win.findChildren(QLabel) if shown(w)]
    parts += [w.format() for w in win.findChildren(QProgressBar) if shown(w)]
    parts += [w.toPlainText() for w in win.findChildren(QTextBrowser) if shown(w)]
    return "\n".join(parts)


def train_one_epoch(qtbot, win) -> object:
    win.train_panel.epochs_spin.setValue(1)
    with qtbot.waitSignal(win.run.epochDone, timeout=TIMEOUT) as epoch:
        with qtbot.waitSignal(win.run.finished, timeout=TIMEOUT):
            win.session.start()
    return epoch.args[0]


def diverge(qtbot, win) -> None:
    win.train_panel.lr_spin.setValue(1000.0)
    win.train_panel.epochs_spin.setValue(20)
    with qtbot.waitSignal(win.run.finished, timeout=TIMEOUT,
                          check_params_cb=lambda f: f.reason == "diverged"):
        win.session.start()
    win.train_panel.lr_spin.setValue(1e-3)


def old_facts(qtbot, win) -> list[str]:
    """Fill every view with facts about the current network; the words that must go with it."""
    event = train_one_epoch(qtbot, win)
    test_acc, train_acc = f"{100 * event.test_accuracy:.2f}%", f"{100 * event.train_accuracy:.1f}%"
    about = win.show_about().browser.toPlainText()
    assert "untrained" not in about and f"{event.test_accuracy:.4g}" in about  # the card follows training
    assert test_acc in win.model_label.text() and "(modified)" in win.model_label.text()
    mistakes = win.findChild(MistakesView)
    with qtbot.waitSignal(mistakes.evaluated, timeout=TIMEOUT) as evaluated:
        mistakes.evaluate()
    diverge(qtbot, win)
    text = shown_text(win)
    words = [test_acc, train_acc, f"{evaluated.args[0].accuracy:.2%}", "Epoch 1:", "diverged"]
    assert all(w in text for w in words), [w for w in words if w not in text]
    assert win.curves.n_points() > 0 and win.findChild(InspectorPanel).norm_plot.samples
    return words


def assert_no_trace_of_the_old_network(win, words: list[str]) -> None:
    text = shown_text(win)
    assert not [w for w in words if w in text], text
    st = win.state
    assert st.run in (RunStatus.IDLE, RunStatus.RUNNING)
    assert win.curves.n_points() == 0
    assert win.findChild(InspectorPanel).norm_plot.samples == []
    mistakes = win.findChild(MistakesView)
    assert mistakes.result is None and mistakes.matrix.confusion is None and mistakes.gallery.count() == 0
    fields = win.findChild(ReceptiveFieldGallery)
    assert fields.n_tiles == st.network.sizes[1] and f"all {st.network.sizes[1]} hidden-1" in fields.caption.text()
    assert not [d for d in win.findChildren(QDialog) if d.isVisible() and d.objectName() == "divergedDialog"]
    about = win.findChild(QTextBrowser, "aboutDialogText").toPlainText()
    assert "test_accuracy" not in about and "trained_in_app" not in about


def new_architecture(qtbot, win, _tmp_path) -> None:
    win.train_panel.hidden_edit.setText("32")
    win.train_panel.apply_button.click()
    assert win.state.network.sizes == (784, 32, 10)


def reset(qtbot, win, _tmp_path) -> None:
    win.train_panel.reset_button.click()


def open_other(qtbot, win, tmp_path) -> None:
    assert win.open_model(tmp_path / "fresh.npz")


def start_another_architecture(qtbot, win, tmp_path) -> None:
    win.train_panel.hidden_edit.setText("20, 10")
    win.session.start()  # the new network is built before the run's first batch can be shown
    assert win.state.network.sizes == (784, 20, 10, 10)


@pytest.mark.parametrize("change", [new_architecture, reset, open_other, start_another_architecture])
def test_a_new_network_leaves_no_view_showing_the_old_ones_numbers(qtbot, window, tmp_path, change):  # noqa: F811
    window.session.reset_weights()  # fresh weights: the numbers below are this test's own
    assert window.save_model(tmp_path / "fresh.npz")  # an untrained model to open later
    words = old_facts(qtbot, window)
    change(qtbot, window, tmp_path)
    assert_no_trace_of_the_old_network(window, words)
    assert window.session.shutdown(5000)


def label(win) -> str:
    return win.findChild(QLabel, "modelSummaryLabel").text()


def test_the_modified_flag_follows_the_weights_and_the_status_bar_shows_it(qtbot, window, tmp_path):  # noqa: F811
    st, name = window.state, window.state.path.name
    assert not st.modified and label(window).startswith(f"{name}:") and not window.isWindowModified()
    st.set_input(np.random.default_rng(0).random(784, dtype=np.float32), label=3, source="dataset")
    assert window.findChild(InspectorPanel).update_box.apply_update()  # an applied inspector update
    assert st.modified and label(window).startswith(f"{name} (modified):") and window.isWindowModified()
    assert window.save_model(tmp_path / "mine.npz")
    assert not st.modified and label(window).startswith("mine.npz:") and not window.isWindowModified()
    with qtbot.waitSignal(window.run.pausedAt, timeout=TIMEOUT):
        window.session.step()  # one minibatch of training
    qtbot.waitUntil(lambda: st.modified, timeout=TIMEOUT)
    assert "(modified)" in label(window)
    with qtbot.waitSignal(window.run.finished, timeout=TIMEOUT):
        window.session.stop()
    assert window.open_model(tmp_path / "mine.npz")
    assert not st.modified and label(window).startswith("mine.npz:")
    window.session.reset_weights()
    assert st.modified and st.path is None and label(window).startswith("unsaved model (modified):")


def test_an_evaluation_of_the_old_network_finishing_late_is_not_shown(qtbot, window):  # noqa: F811
    from nnviz.gui import concurrency

    mistakes = window.findChild(MistakesView)
    mistakes.evaluate()
    assert "mistakes" in concurrency.registry().running()
    window.session.reset_weights()
    # the job leaves the registry on the GUI thread just before its result is delivered (or dropped)
    qtbot.waitUntil(lambda: "mistakes" not in concurrency.registry().running(), timeout=TIMEOUT)
    assert mistakes.result is None and mistakes.matrix.confusion is None and mistakes.button.isEnabled()
    assert "accuracy" not in mistakes.status.text()
