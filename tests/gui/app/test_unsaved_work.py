"""Nothing lost without asking, and models open the way desktop apps open files (issue 22.5 and 22.6)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QFileDialog, QInputDialog

from nnviz.cli.parser import MODEL_SUFFIXES, split_model
from nnviz.core import modelio
from nnviz.gui import MainWindow
from nnviz.gui.app import model_files, unsaved
from nnviz.gui.app.quitting import quit_app
from nnviz.interop import save_any


@pytest.fixture
def win(qtbot, tmp_path, monkeypatch):
    monkeypatch.setenv("NNVIZ_SETTINGS_DIR", str(tmp_path / "settings"))
    w = MainWindow()
    qtbot.addWidget(w)
    return w


def answer(monkeypatch, reply: str) -> list:
    asked = []
    monkeypatch.setattr(unsaved, "ask", lambda parent, action, what: asked.append(action) or reply)
    return asked


def modify(w) -> np.ndarray:
    w.state.set_weights(w.state.network.flat * 0.5)  # as training or an applied update does
    assert w.state.modified
    return w.state.network.flat.copy()


@pytest.mark.parametrize("act, words", [
    (lambda w: w.open_shipped_model(), "Opening the shipped model"),
    (lambda w: w.session.reset_weights(), "Fresh random weights"),
    (lambda w: w.open_model_asking(modelio.SHIPPED_MODEL), "Opening another model"),
])
def test_replacing_modified_weights_asks_and_cancel_keeps_them(win, monkeypatch, act, words):
    changed = modify(win)
    asked = answer(monkeypatch, unsaved.CANCEL)
    assert not act(win)
    assert asked == [words]
    np.testing.assert_array_equal(win.state.network.flat, changed)
    answer(monkeypatch, unsaved.DISCARD)
    act(win)
    assert not np.array_equal(win.state.network.flat, changed)


def test_unmodified_weights_are_replaced_without_a_question(win, monkeypatch):
    asked = answer(monkeypatch, unsaved.CANCEL)
    assert win.open_shipped_model() and not asked


def test_save_answers_with_a_save_dialog_that_starts_in_the_documents_not_the_package(win, monkeypatch, tmp_path):
    modify(win)
    answer(monkeypatch, unsaved.SAVE)
    offered, folder = [], Path(win._last_dir())

    def save_dialog(parent, title, start, filters):
        offered.append(start)
        return str(tmp_path / "kept.npz"), filters

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(save_dialog))
    assert win.open_shipped_model()
    assert (tmp_path / "kept.npz").is_file()
    start = Path(offered[0])
    assert modelio.SHIPPED_MODEL.parent not in start.parents and not start.exists()
    assert start.parent == folder  # the last folder used, else the documents (else home)


def test_closing_a_modified_model_asks_and_cancel_keeps_the_window(win, monkeypatch, qtbot):
    win.show()
    qtbot.waitExposed(win)
    modify(win)
    asked = answer(monkeypatch, unsaved.CANCEL)
    assert not win.close() and win.isVisible() and asked == ["Quitting"]
    answer(monkeypatch, unsaved.DISCARD)
    assert win.close()


def test_a_signal_quits_without_asking(win, monkeypatch, qtbot):
    win.show()
    qtbot.waitExposed(win)
    modify(win)
    asked = answer(monkeypatch, unsaved.CANCEL)
    quit_app(win)  # SIGTERM, SIGINT, SIGHUP, a destroyed window
    qtbot.waitUntil(lambda: not win.isVisible(), timeout=5000)
    assert not asked


@pytest.mark.parametrize("suffix", [".safetensors", ".onnx"])
def test_open_reads_every_format_the_app_writes(win, tmp_path, suffix):
    path = tmp_path / f"m{suffix}"
    save_any(win.state.network, path, win.state.card)
    before = win.state.network.flat.copy()
    assert win.open_model(path)
    assert win.state.path == path
    np.testing.assert_allclose(win.state.network.flat, before, rtol=1e-6)
    assert "All models (*.npz *.safetensors *.onnx)" in model_files.OPEN_FILTERS


def test_a_dropped_model_file_opens(win, tmp_path, qtbot):
    path = tmp_path / "dropped.onnx"
    save_any(win.state.network, path, win.state.card)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    assert win.dropped_model(mime) == str(path)
    event = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.NoButton,
                       Qt.KeyboardModifier.NoModifier)
    assert win.acceptDrops() and win.event(event)  # (QApplication refuses a drop with no drag under way)
    assert win.state.path == path
    text = QMimeData()
    text.setUrls([QUrl.fromLocalFile(str(tmp_path / "notes.txt"))])
    assert win.dropped_model(text) is None


@pytest.mark.parametrize("argv, rest, model", [
    (["m.onnx"], [], "m.onnx"),
    (["--data", "d", "x/m.npz"], ["--data", "d"], "x/m.npz"),
    (["export", "--format", "onnx", "--out", "y.onnx"], ["export", "--format", "onnx", "--out", "y.onnx"], None),
    (["doctor"], ["doctor"], None),
])
def test_nnviz_model_opens_the_app_with_it(argv, rest, model):
    assert split_model(argv, {"export", "doctor", "train"}) == (rest, model)
    assert all(s.startswith(".") for s in MODEL_SUFFIXES)


def test_a_file_that_does_not_say_its_activation_asks_for_it_once(win, tmp_path, monkeypatch):
    """A bare PyTorch state dict (.safetensors with no metadata): the window asks for g and the preprocessing,
    each once, and opens it; Cancel leaves the current model."""
    from safetensors.numpy import save_file

    from tests.interop.helpers import mlp_weights, sequential_state

    path = tmp_path / "bare.safetensors"
    save_file(sequential_state(mlp_weights((784, 16, 10))), str(path))
    asked = []
    monkeypatch.setattr(QInputDialog, "getItem",
                        staticmethod(lambda parent, title, label, items, *a: asked.append(label) or (items[0], True)))
    assert win.open_model(path) and win.state.network.sizes == (784, 16, 10)
    assert len(asked) == len(set(asked)) >= 1
    before = win.state.network
    monkeypatch.setattr(QInputDialog, "getItem", staticmethod(lambda *a: ("", False)))
    assert not win.open_model(path) and win.state.network is before
