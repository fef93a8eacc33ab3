"""My digits (issue 12): a drawn digit is stored and listed; teaching the network a handful of flagged 1s makes
it read them while MNIST barely moves; undo is bit for bit."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt

from nnviz.core.modelio import SHIPPED_MODEL, load_model
from nnviz.gui.draw.canvas import DrawingCanvas
from nnviz.gui.draw.my_digits import MyDigitsPanel
from nnviz.gui.state import AppState
from nnviz.handwriting.personal import PersonalDigits
from tests.helpers import mnist, mnist_path  # noqa: F401 (fixtures)


@pytest.fixture
def setup(qtbot, tmp_path):
    net, card = load_model(SHIPPED_MODEL)
    state = AppState(net, card)
    canvas = DrawingCanvas(state)
    canvas.resize(300, 300)
    qtbot.addWidget(canvas)
    canvas.show()
    store = PersonalDigits(tmp_path / "my-digits")
    return state, canvas, store


def drag(qtbot, canvas, points) -> None:
    """One stroke as real mouse events, points in the pad's 0-1 coordinates."""
    r = canvas.target_rect()
    at = [QPoint(int(r.x() + x * r.width()), int(r.y() + y * r.height())) for x, y in points]
    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=at[0])
    for p in at[1:]:
        qtbot.mouseMove(canvas, p)
    qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=at[-1])


def flagged_one(qtbot, canvas, dx: float, scale: float) -> None:
    """A continental 1: a long lead-in up-stroke (the flag) to the top, then straight down."""
    canvas.clear()
    flag = [(0.35 + dx, 0.45), (0.42 + dx, 0.33), (0.48 + dx, 0.22), (0.55 + dx, 0.12)]
    down = [(0.55 + dx, 0.12 + t * 0.8 * scale) for t in np.linspace(0.1, 1.0, 8)]
    drag(qtbot, canvas, [(x, y) for x, y in flag + down])


def test_hidden_my_digits_read_nothing_until_shown(qtbot, setup, monkeypatch):
    """New weights (training sends a few a second) cost nothing while the panel is hidden; shown, it reads
    the digits once with the latest weights."""
    from nnviz.gui.draw import my_digits

    state, canvas, store = setup
    flagged_one(qtbot, canvas, 0.0, 1.0)
    store.add(canvas.pixels(), 1)
    panel = MyDigitsPanel(state, store, canvas_pixels=canvas.pixels)
    qtbot.addWidget(panel)
    reads, real = [], my_digits.evaluate_model
    monkeypatch.setattr(my_digits, "evaluate_model", lambda net, *a: reads.append(net.flat.copy()) or real(net, *a))
    for _ in range(5):
        state.set_weights(state.network.flat * 0.99)
    assert reads == [] and not panel.isVisible()
    panel.show()
    qtbot.waitExposed(panel)
    assert len(reads) == 1 and np.array_equal(reads[0], state.network.flat)
    state.set_weights(state.network.flat * 0.99)  # on show: read at once
    assert len(reads) == 2


def test_a_digit_that_cannot_be_stored_is_not_reported_as_added(qtbot, setup, capfd):
    """my-digits/7 is a file: + Mine with label 7 says why it was not added (it used to print a
    FileExistsError traceback and leave "Added a 1…" on show)."""
    state, canvas, store = setup
    (store.folder / "7").parent.mkdir(parents=True, exist_ok=True)
    (store.folder / "7").write_text("in the way")
    panel = MyDigitsPanel(state, store, canvas_pixels=canvas.pixels)
    qtbot.addWidget(panel)
    flagged_one(qtbot, canvas, 0.0, 1.0)
    panel.ask_label = lambda predicted: 1
    assert panel.add_drawing() is not None and panel.result.text().startswith("Added a 1")
    panel.ask_label = lambda predicted: 7
    assert panel.add_drawing() is None
    assert panel.result.text().startswith("Not added:") and "is a file, not a folder" in panel.result.text()
    assert "Traceback" not in capfd.readouterr().err and panel.gallery.count() == 1


def test_a_bomb_among_my_digits_is_listed_as_skipped_and_the_rest_read(qtbot, setup):
    """An SVG of nested <use> in my-digits/7 kept the app from ever showing its window (issue 27.2)."""
    from tests.handwriting.test_vector_images import nested_uses

    state, canvas, store = setup
    flagged_one(qtbot, canvas, 0.0, 1.0)
    store.add(canvas.pixels(), 1)
    (store.folder / "7").mkdir(parents=True)
    (store.folder / "7" / "bomb.png").write_text(nested_uses())
    panel = MyDigitsPanel(state, store, canvas_pixels=canvas.pixels)
    qtbot.addWidget(panel)
    assert panel.gallery.count() == 1 and "1 files skipped" in panel.summary.text()


def test_a_drawn_digit_is_stored_with_its_label_and_listed(qtbot, setup):
    state, canvas, store = setup
    panel = MyDigitsPanel(state, store, canvas_pixels=canvas.pixels)
    qtbot.addWidget(panel)
    assert panel.gallery.count() == 0 and "No digits of yours yet" in panel.summary.text()
    flagged_one(qtbot, canvas, 0.0, 1.0)
    asked = []
    panel.ask_label = lambda predicted: asked.append(predicted) or 1
    path = panel.add_drawing()
    assert asked == [state.trace.predicted]  # the prediction is offered first
    assert path.parent.name == "1" and path.suffix == ".png" and path.is_file()
    assert panel.gallery.count() == 1 and panel.gallery.item(0).text().startswith("1 → ")
    panel.gallery.item(0).setSelected(True)
    panel.delete_selected()
    assert panel.gallery.count() == 0 and not path.exists()


def test_teaching_flagged_ones_makes_them_read_right_and_undo_is_exact(qtbot, setup, mnist):  # noqa: F811
    state, canvas, store = setup
    for dx, scale in ((0.0, 1.0), (-0.1, 0.9), (0.08, 0.85), (-0.05, 1.0), (0.04, 0.95), (-0.12, 0.8)):
        flagged_one(qtbot, canvas, dx, scale)
        store.add(canvas.pixels(), 1)
    panel = MyDigitsPanel(state, store, canvas_pixels=canvas.pixels, mnist=mnist)
    qtbot.addWidget(panel)
    original, card, modified = state.network.flat.copy(), dict(state.card), state.modified
    with qtbot.waitSignal(panel.taught, timeout=180_000) as caught:
        qtbot.mouseClick(panel.teach_button, Qt.MouseButton.LeftButton)
    report = caught.args[0]
    assert report.mine_after == 1.0, report.after  # every one of them is read as a 1 now
    assert report.mnist_before - report.mnist_after <= 0.002 + 1e-9  # at most 0.2 points of MNIST lost
    assert state.modified and not np.array_equal(state.network.flat, original)
    assert "your digits read right" in panel.result.text()
    assert state.card["test_accuracy"] == report.mnist_after  # the status bar's accuracy is the taught model's
    qtbot.mouseClick(panel.undo_button, Qt.MouseButton.LeftButton)
    assert np.array_equal(state.network.flat, original)  # bit for bit
    assert state.modified == modified and state.card == card  # not "modified", the accuracy from before


def test_an_opened_folder_is_evaluated_and_its_bad_files_counted(qtbot, setup, tmp_path):
    state, canvas, store = setup
    folder = PersonalDigits(tmp_path / "folder")
    flagged_one(qtbot, canvas, 0.0, 1.0)
    folder.add(canvas.pixels(), 1)
    (tmp_path / "folder" / "1" / "notes.txt").write_text("no")
    panel = MyDigitsPanel(state, store, canvas_pixels=canvas.pixels)
    qtbot.addWidget(panel)
    with qtbot.waitSignal(panel.folderRead, timeout=30_000):
        panel.open_folder(tmp_path / "folder")
    assert panel.gallery.count() == 1 and "1 files skipped" in panel.summary.text()
    assert panel.matrix.confusion.sum() == 1 and panel.matrix.confusion[1].sum() == 1  # one true 1, counted
    read = int(panel.matrix.confusion[1].argmax())
    panel.matrix.cellClicked.emit(1, read)
    assert [i.text() for i in panel.gallery.selectedItems()] == [f"1 → {read}"]


def a_folder_of(tmp_path, canvas, n: int):
    """A folder of n copies of the canvas's digit, as digit pictures in 1/."""
    folder = PersonalDigits(tmp_path / "folder")
    for _ in range(n):
        folder.add(canvas.pixels(), 1)
    return tmp_path / "folder"


def test_a_folder_larger_than_the_limit_is_refused_before_it_is_read(qtbot, setup, tmp_path, monkeypatch):
    from nnviz.handwriting import image_folders

    state, canvas, store = setup
    flagged_one(qtbot, canvas, 0.0, 1.0)
    folder = a_folder_of(tmp_path, canvas, 4)
    monkeypatch.setattr(image_folders, "MAX_IMAGES", 3)
    monkeypatch.setattr(image_folders, "read_image", lambda path: pytest.fail("an image was read"))
    panel = MyDigitsPanel(state, store, canvas_pixels=canvas.pixels)
    qtbot.addWidget(panel)
    panel.open_folder(folder)
    qtbot.waitUntil(lambda: panel.reading is None, timeout=30_000)
    assert "Not opened" in panel.result.text() and "4 images; nnviz reads at most 3" in panel.result.text()
    assert panel.showing_folder is None and not panel.progress.isVisible()


def test_reading_a_folder_keeps_the_window_live_and_cancel_leaves_the_set_on_show(qtbot, setup, tmp_path):
    """A big folder is read off the GUI thread (it froze the window for 108 s); Cancel stops it for good."""
    from nnviz.gui import concurrency

    state, canvas, store = setup
    flagged_one(qtbot, canvas, 0.0, 1.0)
    folder = a_folder_of(tmp_path, canvas, 300)
    panel = MyDigitsPanel(state, store, canvas_pixels=canvas.pixels)
    qtbot.addWidget(panel)
    read = []
    panel.folderRead.connect(lambda: read.append(True))
    panel.open_folder(folder)
    assert panel.reading is not None and panel.cancel_button.isVisibleTo(panel)  # returned at once, reading
    panel.cancel_reading()
    assert "Reading cancelled" in panel.result.text() and panel.showing_folder is None
    qtbot.waitUntil(lambda: concurrency.registry().running() == [], timeout=30_000)
    assert read == [] and panel.showing_folder is None  # nothing of the cancelled reading arrived
    with qtbot.waitSignal(panel.folderRead, timeout=60_000):
        panel.open_folder(folder)
    assert panel.gallery.count() == 300 and panel.showing_folder == folder


def test_the_draw_panels_button_adds_to_my_digits_in_the_window(qtbot, tmp_path, monkeypatch):
    from nnviz.gui import MainWindow

    monkeypatch.setenv("NNVIZ_SETTINGS_DIR", str(tmp_path / "settings"))
    win = MainWindow()
    qtbot.addWidget(win)
    win.resize(1600, 1000)
    win.show()
    win.views.my_digits.store = PersonalDigits(tmp_path / "mine")
    win.views.my_digits.ask_label = lambda predicted: 7
    canvas = win.views.draw.canvas
    drag(qtbot, canvas, [(0.3, 0.2), (0.7, 0.2), (0.45, 0.85)])
    qtbot.mouseClick(win.views.draw.my_digits_button, Qt.MouseButton.LeftButton)
    assert win.docks["myDigitsDock"].isVisible()
    assert [p.parent.name for p in (tmp_path / "mine").rglob("*.png")] == ["7"]
    assert win.views.my_digits.gallery.count() == 1
