"""The lecture tour walked on a real screen, as a lecturer on a projector walks it (app/test_real_window.py runs it).

    python -m tests.gui.tour.tour_walk

Starts nnviz as `nnviz` does (fresh settings come from the caller's environment), opens the tour, walks
it, then walks it again in presenter mode, and at every step checks what the audience sees: the control
the step highlights is on screen whole (not clipped, not in a scrolled area), the central view and the open
panels show no scroll bar, the tour's frame is around that control, and the network scene, where shown, has
every item inside its view. Then Esc (presenter) must bring the panels back.
Prints one line per mode and exits 0 when all of it holds.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QEvent, QRect, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractScrollArea, QApplication, QDialog, QWidget

SETTLE_MS = 350  # a step's views, layouts and animations settle
result = {"ok": False, "lines": ["the walk never ran"]}


def settle(ms: int = 500) -> None:
    done = []
    QTimer.singleShot(ms, lambda: done.append(True))
    while not done:
        QApplication.processEvents()


def scrolled(widget: QWidget) -> bool:
    """widget sits in a scroll area that shows a scroll bar."""
    p = widget.parentWidget()
    while p is not None:
        if isinstance(p, QAbstractScrollArea):
            for bar in (p.horizontalScrollBar(), p.verticalScrollBar()):
                if bar.isVisible() and bar.maximum() > 0:
                    return True
        p = p.parentWidget()
    return False


def whole_on_screen(widget: QWidget) -> str:
    """'' when the widget is on screen entirely, else what is wrong."""
    if not widget.isVisible():
        return "hidden"
    seen = widget.visibleRegion().boundingRect()
    if seen.width() < widget.width() - 1 or seen.height() < widget.height() - 1:
        return f"clipped to {seen.width()}x{seen.height()} of {widget.width()}x{widget.height()}"
    screen = QApplication.primaryScreen().geometry()
    corners = (widget.mapToGlobal(widget.rect().topLeft()), widget.mapToGlobal(widget.rect().bottomRight()))
    if not all(screen.contains(c) for c in corners):
        return "off screen"
    return "in a scrolled area" if scrolled(widget) else ""


def framed(win, widget: QWidget) -> str:
    """'' when the tour's frame is drawn around the widget (it was once an empty box elsewhere)."""
    frame = win.views.tour.highlight
    where = QRect(widget.mapTo(win, widget.rect().topLeft()), widget.size())
    if not frame.isVisible() or not frame.geometry().contains(where):
        return f"its frame is at {frame.geometry().getRect()}, the control at {where.getRect()}"
    return ""


def scroll_bars(win) -> list[str]:
    """The view scroll areas (the central tab's and the open docks') that show a scroll bar."""
    found = []
    docks = [d.widget() for d in win.docks.values() if d.isVisible() and not d.visibleRegion().isEmpty()]
    for root in (win.tabs.currentWidget(), *docks):
        areas = [root, *root.findChildren(QAbstractScrollArea)] if isinstance(root, QAbstractScrollArea) else \
            root.findChildren(QAbstractScrollArea)
        for area in areas:
            if area.isVisible() and not area.visibleRegion().isEmpty() and area.objectName().endswith("Scroll"):
                for bar in (area.horizontalScrollBar(), area.verticalScrollBar()):
                    if bar.isVisible() and bar.maximum() > 0:
                        found.append(area.objectName())
    return found


def scene_cut(win) -> str:
    view = win.views.network
    if not view.isVisible() or view.visibleRegion().isEmpty():
        return ""
    bounds = view.vb.childrenBounds()
    if bounds is None or bounds[0] is None or bounds[1] is None:
        return ""
    (bx0, bx1), (by0, by1) = bounds
    (x0, x1), (y0, y1) = view.vb.viewRange()
    tx, ty = 0.02 * (bx1 - bx0), 0.02 * (by1 - by0)
    if bx0 < x0 - tx or bx1 > x1 + tx or by0 < y0 - ty or by1 > y1 + ty:
        return "the network scene does not show all its items"
    if view.vb.sceneBoundingRect().right() > view.canvas.width() + 2:
        return "the network scene is wider than its area"
    return ""


def beside_the_tour(win) -> str:
    """'' when the Compare window a step opened is on screen whole, beside the tour's panel, not over it."""
    compare, panel = win.compare_window, win.docks["tourDock"]
    if compare is None or not compare.isVisible():
        return "not shown"
    screen = QApplication.primaryScreen().geometry()
    if not screen.contains(compare.frameGeometry()):
        return f"{compare.frameGeometry().getRect()} is not whole on the screen {screen.getRect()}"
    if compare.frameGeometry().intersects(QRect(panel.mapToGlobal(panel.rect().topLeft()), panel.size())):
        return "it covers the tour's panel"
    return ""


def key(win, k) -> None:
    target = QApplication.focusWidget() or win
    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        QApplication.sendEvent(target, QKeyEvent(kind, k, Qt.KeyboardModifier.NoModifier))


def walk_all() -> None:
    win = next(w for w in QApplication.topLevelWidgets() if w.objectName() == "mainWindow" and w.isVisible())
    for w in QApplication.topLevelWidgets():
        if isinstance(w, QDialog) and w.isVisible():
            w.reject()
    lines, ok = [], True
    for presenter in (False, True):
        problems = walk(win, presenter)
        screen = QApplication.primaryScreen().geometry()
        lines.append(f"{screen.width()}x{screen.height()} {'presenter' if presenter else 'normal'}: "
                     f"{len(win.views.tour.steps)} steps; " + ("; ".join(problems) if problems else "all fit"))
        ok = ok and not problems
    result.update(ok=ok, lines=lines)
    win.setProperty("quitWithoutAsking", True)
    win.close()


def walk(win, presenter: bool) -> list[str]:
    problems: list[str] = []
    opened = lambda: {n for n, d in win.docks.items() if d.toggleViewAction().isChecked()}  # noqa: E731
    before = opened()
    win.start_tour()
    if presenter:
        win.toggle_presenter()
    tour = win.views.tour
    for i, step in enumerate(tour.steps):
        tour.go(i)
        settle(SETTLE_MS)
        name = step.actions.get("highlight")
        if name:
            widget = win.findChild(QWidget, name)
            why = "not found" if widget is None else whole_on_screen(widget) or framed(win, widget)
            if why:
                problems.append(f"step {i + 1} {name}: {why}")
        problems.extend(f"step {i + 1}: scroll bar in {bar}" for bar in scroll_bars(win))
        if "compare" in step.actions:
            why = beside_the_tour(win)
            if why:
                problems.append(f"step {i + 1} the Compare window: {why}")
        cut = scene_cut(win)
        if cut:
            problems.append(f"step {i + 1}: {cut}")
    if presenter:
        key(win, Qt.Key.Key_Escape)
        settle(SETTLE_MS)
        lost = sorted(before - opened())
        if lost:
            problems.append(f"after Esc these panels stay closed: {', '.join(lost)}")
    else:
        tour.go(0)  # back to the start, as the presenter walk finds it
        settle(SETTLE_MS)
    return problems


def main() -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    QTimer.singleShot(2500, walk_all)
    from nnviz.cli import main as nnviz_main

    nnviz_main([])
    del app
    print("\n".join(result["lines"]), flush=True)
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
