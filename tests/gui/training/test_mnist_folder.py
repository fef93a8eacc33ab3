"""One MNIST folder, everywhere (issue 22.2): with MNIST nowhere, every view that needs it asks for its folder in
the same dialog, and after the folder is chosen the action that asked goes on; the command line then finds it."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox, QPushButton

from nnviz.cli import main
from nnviz.core.data import mnist as mnist_mod
from nnviz.gui import MainWindow
from tests.helpers import mnist_path  # noqa: F401 (fixture)

TIMEOUT = 30_000


@pytest.fixture
def offline(tmp_path, monkeypatch):
    """No NNVIZ_DATA, an empty cache, fresh settings: MNIST is nowhere until a folder is chosen."""
    monkeypatch.delenv("NNVIZ_DATA", raising=False)
    monkeypatch.setenv("NNVIZ_SETTINGS_DIR", str(tmp_path / "settings"))
    monkeypatch.setattr(mnist_mod, "cache_dir", lambda: tmp_path / "empty-cache")
    assert mnist_mod.find_mnist() is None


def _asked(win) -> QMessageBox:
    boxes = [b for b in win.findChildren(QMessageBox, "dataMissingDialog") if b.isVisible()]
    assert boxes, "no dialog asked for MNIST's folder"
    return boxes[-1]


def _choose(win, monkeypatch, folder) -> None:
    """Click the dialog's Choose folder… and pick folder in the file dialog."""
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(lambda *a, **k: str(folder)))
    _asked(win).findChild(QPushButton, "chooseFolderButton").click()


def test_random_digit_asks_for_the_folder_then_loads_the_digit(qtbot, offline, mnist_path, monkeypatch):  # noqa: F811
    win = MainWindow()
    qtbot.addWidget(win)
    browser = win.views.draw.browser
    browser.random_button.click()
    assert win.state.x is None
    _asked(win)
    with qtbot.waitSignal(win.state.inputChanged, timeout=TIMEOUT):  # the random digit comes once chosen
        _choose(win, monkeypatch, mnist_path)
    assert win.state.label is not None and win.state.source == "dataset"


def test_mistakes_and_teaching_ask_instead_of_failing_silently(qtbot, offline, mnist_path, capsys,  # noqa: F811
                                                               monkeypatch):
    from nnviz.gui.dataset.mistakes import MistakesView
    from nnviz.gui.draw.my_digits import MyDigitsPanel

    win = MainWindow()
    qtbot.addWidget(win)
    mistakes = win.findChild(MistakesView)
    mistakes.evaluate()
    _asked(win).reject()
    teach = win.findChild(MyDigitsPanel)
    teach.digits = _three_digits()
    teach.start_teaching()
    box = _asked(win)
    assert "MNIST" in box.text() and teach.job is None
    assert "Traceback" not in capsys.readouterr().err
    with qtbot.waitSignal(teach.taught, timeout=120_000):  # teaching goes on once the folder is chosen
        _choose(win, monkeypatch, mnist_path)


def _three_digits():
    from nnviz.handwriting.image_folders import ImageFolder

    rng = np.random.default_rng(0)
    return ImageFolder(Path("."), rng.random((3, 784)).astype(np.float32), np.array([1, 2, 3], np.uint8))


def test_the_command_line_finds_the_folder_chosen_in_the_app(tmp_path, offline, mnist_path, capsys):  # noqa: F811
    out = tmp_path / "walk.gif"
    assert main(["animate", "backprop", "--out", str(out), "--size", "320x200"]) == 1
    assert "MNIST not found" in capsys.readouterr().err
    mnist_mod.remember_folder(mnist_path)
    assert main(["animate", "backprop", "--out", str(out), "--size", "320x200"]) == 0 and out.stat().st_size > 0


def test_fresh_weights_wait_until_the_data_is_found(qtbot, offline, monkeypatch):
    from nnviz.core.data.idx import DatasetError
    from nnviz.gui.training import fine_tune

    def no_network(**kw):
        raise DatasetError("MNIST could not be downloaded (offline)")

    monkeypatch.setattr(mnist_mod, "download_mnist", no_network)
    win = MainWindow()
    qtbot.addWidget(win)
    shipped = win.state.network.flat.copy()
    win.session.choose_start = lambda text: fine_tune.FRESH
    with qtbot.waitSignal(win.provider.status, timeout=TIMEOUT, check_params_cb=lambda t: "not available" in t):
        win.session.start()
    np.testing.assert_array_equal(win.state.network.flat, shipped)  # the trained model is still there
    with qtbot.waitSignal(win.provider.failed, timeout=TIMEOUT):
        _asked(win).reject()
    np.testing.assert_array_equal(win.state.network.flat, shipped)
    assert not win.state.modified
