"""The gallery's registry: one Entry per previewable widget, and rendering an entry to an image.

An entry builds its widget (with the QApplication already running); `render` sizes and shows it,
runs its `stage` (what to point at: a hovered neuron, a step of the walk), waits until its work off
the GUI thread has arrived (`ready`), and grabs it. Entries with a `shot` are README screenshots.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtGui import QImage
from PySide6.QtWidgets import QWidget

from nnviz.gui.gallery.demo import process_events, wait_until

PAGES = tuple(f"nnviz.gui.gallery.{page}" for page in ("app_pages", "network_pages", "inspector_pages", "lab_pages"))
READY_TIMEOUT_S = 60.0


@dataclass(frozen=True)
class Entry:
    name: str
    build: Callable[[], QWidget]
    covers: tuple[str, ...]  # the modules of nnviz.gui it shows (relative names, e.g. "draw.panel")
    size: tuple[int, int]
    summary: str
    theme: str | None = None  # "dark"/"light": the app theme of its screenshot; None: Qt's default look
    shot: str | None = None  # file name of its README screenshot (docs/screenshots/...)
    stage: Callable[[QWidget], None] | None = None  # after show: what to point at
    ready: Callable[[QWidget], bool] | None = None  # True once work off the GUI thread has arrived


REGISTRY: dict[str, Entry] = {}


def entry(name: str, covers: tuple[str, ...] | str, size: tuple[int, int], **given) -> Callable:
    """Decorator: register the decorated build function as gallery entry `name` (summary: its docstring
    unless summary= is given; the other options are Entry's fields)."""
    def register(build: Callable[[], QWidget]) -> Callable[[], QWidget]:
        options = dict(given)
        if name in REGISTRY:
            raise ValueError(f"gallery entry {name!r} registered twice")
        summary = options.pop("summary", None) or (build.__doc__ or name).strip().splitlines()[0]
        covered = (covers,) if isinstance(covers, str) else tuple(covers)
        REGISTRY[name] = Entry(name, build, covered, size, summary, **options)
        return build
    return register


def entries() -> dict[str, Entry]:
    """Every entry by name (the page modules register them on import)."""
    for page in PAGES:
        importlib.import_module(page)
    return dict(sorted(REGISTRY.items()))


def get(name: str) -> Entry:
    known = entries()
    if name not in known:
        raise KeyError(f"no gallery entry {name!r}; `python -m nnviz.gui.gallery --list` lists them")
    return known[name]


def show(item: Entry, size: tuple[int, int] | None = None, theme: bool = True) -> QWidget:
    """Build, size and show the entry's widget, staged and with its background work arrived."""
    if theme and item.theme:
        from nnviz.gui.look.themes import apply_theme
        apply_theme(item.theme)
    widget = item.build()
    widget.resize(*(size or item.size))
    QWidget.show(widget)  # some widgets have a show(...) of their own
    process_events()
    if item.stage is not None:
        item.stage(widget)
        process_events()
    if item.ready is not None and not wait_until(lambda: item.ready(widget), READY_TIMEOUT_S):
        raise TimeoutError(f"gallery entry {item.name!r}: its background work did not arrive "
                           f"within {READY_TIMEOUT_S:.0f} s")
    process_events()
    return widget


def grab(widget: QWidget) -> QImage:
    return widget.grab().toImage()


def close(widget: QWidget) -> None:
    """Close the widget (its closeEvent stops its work) and let Qt delete it."""
    widget.close()
    widget.deleteLater()
    process_events(2)
