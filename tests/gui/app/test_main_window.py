"""The application window (issue 3 acceptance): live training, closing, divergence, model files, data.

Trains on a real MNIST subset injected with MainWindow(data=...), so no test loads 60,000 images.
"""

from __future__ import annotations

import gzip
import threading

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QLabel, QMessageBox, QProgressBar, QProgressDialog, QPushButton, QWidget

from nnviz.core import modelio
from nnviz.core.data import mnist as mnist_mod
from nnviz.core.data.idx import DatasetError
from nnviz.gui import MainWindow
from nnviz.gui.inspector import InspectorPanel
from nnviz.gui.state import RunStatus
from tests.gui.helpers import TIMEOUT, start_and_wait


def test_window_builds_with_no_arguments_and_names_its_key_widgets(qtbot):
    win = MainWindow()
    qtbot.addWidget(win)
    assert win.state.network.sizes[0] == 784 and win.state.network.sizes[-1] == 10
    if modelio.SHIPPED_MODEL.is_file():  # (during development the shipped model may not exist yet)
        assert win.state.path == modelio.SHIPPED_MODEL and "test_accuracy" in win.state.card
        assert modelio.SHIPPED_MODEL.name in win.findChild(QLabel, "modelSummaryLabel").text()
    for cls, name in ((QWidget, "trainPanel"), (QPushButton, "startTrainingButton"),
                      (QProgressBar, "trainingProgress"), (pg.PlotWidget, "lossPlot")):
        assert win.findChild(cls, name) is not None, name
    titles = [a.text().replace("&", "") for a in win.menuBar().actions()]
    assert titles == ["File", "View", "Train", "Help"]
    assert win.findChild(pg.PlotWidget, "lossPlot").getPlotItem().getAxis("bottom").labelText == "epoch"


def test_every_view_is_wired_in_and_labs_are_built_when_first_shown(qtbot, window):
    from nnviz.gui.draw.panel import DrawPanel
    from nnviz.gui.labs.labs_widget import LabsWidget
    from nnviz.gui.network.view import NetworkView

    assert window.findChild(NetworkView) is window.views.network and window.findChild(DrawPanel) is not None
    assert {"trainDock", "curvesDock", "drawDock", "inspectorDock", "neuronDock", "mistakesDock",
            "receptiveFieldsDock"} <= set(window.docks)
    window.show()
    inspector = window.findChild(InspectorPanel)
    qtbot.waitUntil(lambda: not inspector.isVisible())  # behind the Training tab: it must not drive the scene
    window.docks["inspectorDock"].raise_()
    qtbot.waitUntil(inspector.isVisible)
    assert window.findChild(LabsWidget) is None
    window.tabs.setCurrentIndex([window.tabs.tabText(i) for i in range(window.tabs.count())].index("Labs"))
    assert window.findChild(LabsWidget) is not None


def test_start_pause_step_resume_stop(qtbot, window):
    ctl, session = window.run, window.session
    before = window.state.network.flat.copy()
    start_and_wait(qtbot, window, ctl.epochDone)  # at least one epoch: accuracy points too
    assert window.state.training
    with qtbot.waitSignal(ctl.pausedAt, timeout=TIMEOUT) as paused:
        window.run.toggle_pause()
    assert window.train_panel.pause_button.text() == "Resume"
    assert window.state.run == RunStatus.PAUSED and not window.findChild(InspectorPanel).busy  # it may work now
    s0 = paused.args[0].samples
    with qtbot.waitSignal(ctl.pausedAt, timeout=TIMEOUT) as stepped:
        session.step()
    assert stepped.args[0].samples == s0 + 100  # exactly one batch of 100
    assert f"batch {stepped.args[0].batch + 1}/30" in window.findChild(QProgressBar, "trainingProgress").format()
    with qtbot.waitSignal(ctl.batchDone, timeout=TIMEOUT,
                          check_params_cb=lambda e, avg: e.samples > s0 + 100):
        window.run.toggle_pause()
    with qtbot.waitSignal(ctl.finished, timeout=TIMEOUT) as done:
        session.stop()
    assert done.args[0].reason == "stopped" and window.state.run == RunStatus.FINISHED
    assert not window.state.training and window.train_panel.start_button.isEnabled()
    curves = window.curves
    assert len(curves.loss_x) > 1 and len(curves.test_acc) >= 1 and 0 < curves.test_acc[0] <= 100
    assert not np.array_equal(window.state.network.flat, before)  # the GUI's model follows training


def test_closing_during_training_joins_the_thread(qtbot, qtlog, window):
    start_and_wait(qtbot, window)
    thread = window.run.thread
    assert thread is not None and thread.isRunning()
    window.close()
    assert thread.isFinished()  # joined: closing waits for the batch in flight (how long: bench/, not here)
    assert window.run.thread is None
    assert not [r for r in qtlog.records if "QThread" in r.message]  # no "Destroyed while thread is still running"


def test_learning_rate_1000_diverges_and_restores_the_last_good_weights(qtbot, window):
    panel = window.train_panel
    panel.lr_spin.setValue(1000.0)  # with the default optimiser and the loaded model
    panel.batch_spin.setValue(64)
    shown = [window.state.network.flat.copy()]  # the GUI's weights before, then after every single step
    window.state.weightsChanged.connect(lambda: shown.append(window.state.network.flat.copy()))
    ctl = window.run
    with qtbot.waitSignal(ctl.pausedAt, timeout=TIMEOUT):
        window.session.step()
    with qtbot.waitSignal(window.run.diverged, timeout=TIMEOUT) as diverged:
        for _ in range(40):
            if not ctl.running:
                break
            with qtbot.waitSignal(window.state.weightsChanged, timeout=TIMEOUT):
                window.session.step()
    assert "smaller learning rate" in diverged.args[0].message
    assert np.isfinite(window.state.network.flat).all()
    # Restored: the weights the last reported loss was measured on (from before that batch's step).
    np.testing.assert_array_equal(shown[-1], shown[-3] if len(shown) > 2 else shown[0])
    box = window.findChild(QMessageBox, "divergedDialog")
    assert box is not None and box.isVisible() and not box.isModal()


def test_a_bad_model_path_at_start_falls_back_and_says_why(qtbot, tmp_path):
    bad = tmp_path / "broken.npz"
    bad.write_text("not a model")
    win = MainWindow(model_path=bad, views=False)
    qtbot.addWidget(win)
    assert win.state.path != bad and "broken.npz" in win.statusBar().currentMessage()


def test_opening_a_bad_model_file_keeps_the_current_model(qtbot, window, tmp_path):
    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"PK\x03\x04 this is not a zip")
    net_before = window.state.network
    flat = net_before.flat.copy()
    assert not window.open_model(bad)
    assert window.state.network is net_before
    np.testing.assert_array_equal(window.state.network.flat, flat)
    box = window.findChild(QMessageBox, "modelErrorDialog")
    assert box is not None and "bad.npz" in box.text()


def test_save_then_open_round_trips_the_weights_exactly(qtbot, window, tmp_path):
    window.state.network.flat[:] += np.float32(0.001) * np.arange(window.state.network.flat.size, dtype=np.float32) % 3
    saved = window.state.network.flat.copy()
    path = tmp_path / "mine.npz"
    assert window.save_model(path)
    window.session.reset_weights()
    assert not np.array_equal(window.state.network.flat, saved)
    label = window.findChild(QLabel, "modelSummaryLabel")
    assert label.text().startswith("unsaved model")  # fresh weights belong to no file
    with qtbot.waitSignal(window.state.networkChanged):
        assert window.open_model(path)
    np.testing.assert_array_equal(window.state.network.flat, saved)
    assert label.text().startswith("mine.npz")
    assert str(path.resolve()) in __import__("nnviz.gui.settings", fromlist=["x"]).recent_files()


def test_changing_the_architecture_asks_first(qtbot, window):
    asked = []
    window.session.confirm_discard = lambda text: asked.append(text) or False
    net = window.state.network
    window.train_panel.hidden_edit.setText("32")
    window.train_panel.apply_button.click()
    assert asked and window.state.network is net  # refused: nothing changed
    assert window.train_panel.hidden_edit.text() == "300, 100"
    window.session.confirm_discard = lambda text: True
    window.train_panel.hidden_edit.setText("32")
    window.train_panel.apply_button.click()
    assert window.state.network.sizes == (784, 32, 10)


def test_export_the_current_view_as_png_and_svg(qtbot, window, tmp_path):
    window.add_view(pg.PlotWidget(objectName="somePlot"), "Plot")
    png, svg = window.export_picture(tmp_path / "v.png"), window.export_picture(tmp_path / "v.svg")
    assert png.read_bytes()[:4] == b"\x89PNG" and b"<svg" in svg.read_bytes()[:2000]
    window.tabs.setCurrentIndex(window.add_view(QPushButton("plain widget"), "Plain"))
    assert window.export_picture(tmp_path / "w.png").stat().st_size > 100
    assert b"<svg" in window.export_picture(tmp_path / "w.svg").read_bytes()[:2000]


def test_add_dock_adds_a_view_menu_toggle(qtbot, window):
    dock = window.add_dock(QWidget(), "Extra", "extraDock", tabify_with="curvesDock")
    assert dock.objectName() == "extraDock"
    assert dock.toggleViewAction() in window.panels_menu.actions()


def test_help_and_about_explain_colours_card_and_data(qtbot, window):
    text = window.show_help().browser.toPlainText()
    for words in ("activation a", "weight w", "dJ/dz", "dJ/dW", "saliency", "Step"):
        assert words in text, words
    about = window.show_about().browser.toPlainText()
    assert "LeCun" in about and "architecture.sizes" in about


def test_theme_is_remembered(qtbot, subset):
    win = MainWindow(data=subset)
    qtbot.addWidget(win)
    win.set_theme("light")
    win.close()
    again = MainWindow(data=subset)
    qtbot.addWidget(again)
    assert again.menu.themes["light"].isChecked()


def test_damaged_mnist_shows_a_message_and_the_app_keeps_running(qtbot, tmp_path, monkeypatch):
    monkeypatch.delenv("NNVIZ_DATA", raising=False)
    for name, _ in mnist_mod.MNIST_FILES.values():
        (tmp_path / name).write_bytes(gzip.compress(b"\x00\x00\x08\x03 garbage"))
    win = MainWindow(data_dir=tmp_path)
    qtbot.addWidget(win)
    damaged = lambda t: t == "MNIST files are damaged"  # (the folder's name has "damaged" in it too)
    with qtbot.waitSignal(win.provider.status, timeout=TIMEOUT, check_params_cb=damaged):
        win.session.start()
    box = win.findChild(QMessageBox, "dataErrorDialog")
    assert box is not None and "damaged" in box.windowTitle() and not win.session.running
    with qtbot.waitSignal(win.provider.failed, timeout=TIMEOUT):  # Cancel: the waiting Start gives up
        box.reject()
    assert not win.session.running and win.session._pending is None


def test_offline_without_mnist_offers_choose_folder_remembers_it_and_start_goes_on(qtbot, tmp_path, monkeypatch,
                                                                                   mnist_path):  # noqa: F811
    monkeypatch.delenv("NNVIZ_DATA", raising=False)
    monkeypatch.setattr(mnist_mod, "find_mnist", lambda data_dir=None: None)

    def offline(**kw):
        raise DatasetError("MNIST not found and could not be downloaded (offline)")

    monkeypatch.setattr(mnist_mod, "download_mnist", offline)
    win = MainWindow()
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.provider.status, timeout=TIMEOUT, check_params_cb=lambda t: "not available" in t):
        win.session.start()
    box = win.findChild(QMessageBox, "dataMissingDialog")
    assert box is not None and box.findChild(QPushButton, "chooseFolderButton") is not None
    assert "offline" in box.detailedText()
    progress = win.findChild(QWidget, "downloadDialog")
    assert progress is None or not progress.isVisible()  # the progress dialog is gone
    with qtbot.waitSignal(win.state.trainingChanged, timeout=60_000):  # Start goes on: no second press
        assert win.provider.use_folder(mnist_path)
    assert mnist_mod.chosen_folder() == mnist_path.resolve()  # the app and the command line both search it
    assert str(mnist_path.resolve()) in [str(d) for d in mnist_mod.candidate_dirs()]
    win.session.shutdown(5000)


def test_the_download_shows_progress_and_can_be_cancelled(qtbot, monkeypatch):
    monkeypatch.delenv("NNVIZ_DATA", raising=False)
    monkeypatch.setattr(mnist_mod, "find_mnist", lambda data_dir=None: None)
    pace = threading.Event()  # never set: wait(timeout) only paces the fake download

    def slow_download(progress=None, searched=None, **kw):
        for i in range(100_000):
            progress("train-images-idx3-ubyte.gz", i * 1000, 9_912_422)  # raises once cancelled
            pace.wait(0.005)
        raise DatasetError("never finished")

    monkeypatch.setattr(mnist_mod, "download_mnist", slow_download)
    win = MainWindow(views=False)
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.provider.failed, timeout=TIMEOUT) as failed:
        win.session.start()
        dialog = win.findChild(QProgressDialog, "downloadDialog")
        qtbot.waitUntil(lambda: dialog.value() > 0, timeout=TIMEOUT)
        assert "train-images" in dialog.labelText()
        qtbot.mouseClick(dialog.findChild(QPushButton), pg.QtCore.Qt.MouseButton.LeftButton)  # Cancel
    assert failed.args[0] == "cancelled" and not win.session.running
    assert win.findChild(QMessageBox, "dataMissingDialog") is None  # cancelling is not an error


def test_the_labs_get_the_whole_window_and_the_docks_come_back(qtbot, window):
    window.show()
    qtbot.waitExposed(window)
    visible = {name for name, dock in window.docks.items() if dock.isVisible()}
    assert {"trainDock", "curvesDock"} <= visible
    labs = next(i for i in range(window.tabs.count()) if window.tabs.tabText(i) == "Labs")
    window.tabs.setCurrentIndex(labs)
    assert not any(dock.isVisible() for dock in window.docks.values())
    window.tabs.setCurrentIndex(0)
    assert {name for name, dock in window.docks.items() if dock.isVisible()} == visible
