"""The gallery (python -m nnviz.gui.gallery): every entry renders offscreen to a picture that is not
blank, every widget module is in some entry, the command line works, and no module but
nnviz/__main__.py and the gallery has a `__main__` block."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QWidget

import nnviz
import nnviz.gui
from nnviz.gui.gallery import registry

ENTRIES = registry.entries()
PACKAGE = Path(nnviz.__file__).resolve().parent


def pixels(image: QImage) -> np.ndarray:
    """(h, w) uint32 ARGB values of the image."""
    image = image.convertToFormat(QImage.Format.Format_ARGB32)
    rows = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), image.bytesPerLine())
    return rows[:, : image.width() * 4].copy().view(np.uint32)


@pytest.fixture
def with_mnist(monkeypatch, mnist_path):
    """The gallery finds MNIST as the app does: here through $NNVIZ_DATA."""
    monkeypatch.setenv("NNVIZ_DATA", str(mnist_path))


@pytest.mark.parametrize("name", sorted(ENTRIES))
def test_entry_renders_a_picture(qtbot, with_mnist, name):
    item = ENTRIES[name]
    widget = registry.show(item, theme=False)
    try:
        image = registry.grab(widget)
    finally:
        registry.close(widget)
    assert (image.width(), image.height()) == item.size
    values = pixels(image)
    assert len(np.unique(values)) >= 8, f"{name}: the picture is (nearly) blank"
    # not one flat colour with a few specks: at least 1% of the pixels differ from the commonest one
    colours, counts = np.unique(values, return_counts=True)
    assert counts.max() <= 0.99 * values.size, f"{name}: the picture is (nearly) one colour"


def gui_modules() -> list[str]:
    """The gui modules (relative names, e.g. "draw.panel") that define a QWidget, gallery aside."""
    found = []
    for info in pkgutil.walk_packages(nnviz.gui.__path__, "nnviz.gui."):
        if info.name.startswith("nnviz.gui.gallery"):
            continue
        module = importlib.import_module(info.name)
        widgets = [c for _, c in inspect.getmembers(module, inspect.isclass)
                   if issubclass(c, QWidget) and c.__module__ == info.name]
        if widgets:
            found.append(info.name.removeprefix("nnviz.gui."))
    return found


def test_every_widget_module_has_a_gallery_entry():
    covered = {c for e in ENTRIES.values() for c in e.covers}
    missing = [m for m in gui_modules() if not any(m == c or m.startswith(c + ".") for c in covered)]
    assert not missing, f"widget modules no gallery entry covers: {missing}"


def test_entries_are_registered_once_with_the_modules_they_name():
    for e in ENTRIES.values():
        for covered in e.covers:
            importlib.import_module(f"nnviz.gui.{covered}")  # a typo in covers fails here
    assert len({e.shot for e in ENTRIES.values() if e.shot}) == sum(1 for e in ENTRIES.values() if e.shot)


def gallery(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "nnviz.gui.gallery", *args], capture_output=True, text=True,
                          timeout=120, env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"})


def test_command_line_renders_one_entry_at_a_given_size(tmp_path):
    out = tmp_path / "bars.png"
    proc = gallery("prob-bars", "--shot", str(out), "--size", "300x120")
    assert proc.returncode == 0, proc.stderr
    image = QImage(str(out))
    assert (image.width(), image.height()) == (300, 120)


def test_command_line_lists_entries_and_rejects_unknown_names():
    listed = gallery("--list")
    assert listed.returncode == 0 and all(name in listed.stdout for name in ENTRIES)
    unknown = gallery("no-such-widget", "--shot", "x.png")
    assert unknown.returncode == 2
    assert unknown.stderr.strip().splitlines() == [
        "gallery: no gallery entry 'no-such-widget'; `python -m nnviz.gui.gallery --list` lists them"]
    bad_size = gallery("prob-bars", "--size", "big")
    assert bad_size.returncode == 2 and "WIDTHxHEIGHT" in bad_size.stderr


MAIN_BLOCK = re.compile(r"^if __name__ == ['\"]__main__['\"]", re.MULTILINE)


def test_no_main_block_outside_the_entry_points():
    allowed = {PACKAGE / "__main__.py", PACKAGE / "gui" / "gallery" / "__main__.py"}
    offenders = [str(p.relative_to(PACKAGE)) for p in PACKAGE.rglob("*.py")
                 if p not in allowed and MAIN_BLOCK.search(p.read_text(encoding="utf-8"))]
    assert not offenders, f"__main__ blocks outside nnviz/__main__.py and the gallery: {offenders}"
