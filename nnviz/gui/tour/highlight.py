"""A frame drawn around the control a tour step points at (it follows the control and takes no clicks)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRect, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QWidget
from shiboken6 import isValid

from nnviz.gui.look import themes

MARGIN = 4


def _on_screen(widget: QWidget) -> bool:
    """Shown and not clipped away by its parents. (Not visibleRegion(): a widget covered by an opaque
    sibling, such as a pyqtgraph plot beside another, reports an empty one while it is in plain view.)"""
    if not widget.isVisible():
        return False
    rect, w = widget.rect(), widget
    while w.parentWidget() is not None and not w.isWindow():
        rect = rect.translated(w.pos()).intersected(w.parentWidget().rect())
        w = w.parentWidget()
    return not rect.isEmpty()


COVER_TEXT = "Answer the poll first: this shows the answer"


class Highlight(QWidget):
    """A transparent overlay on `window` that frames one target widget while both are visible; or, covering,
    an opaque one that hides it (a poll's answer, until the poll is answered)."""

    def __init__(self, window: QWidget, covering: bool = False) -> None:
        super().__init__(window)
        self.setObjectName("tourCover" if covering else "tourHighlight")
        self.covering = covering
        if covering:
            self.setToolTip(COVER_TEXT)  # (it takes the clicks too: the answer cannot be clicked at either)
        else:
            self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground)
        self.target: QWidget | None = None
        self._watched: list[QWidget] = []  # the target and its parents, whose moves move the frame
        self.hide()

    def frame(self, target: QWidget | None) -> None:
        """Frame `target` (None: no frame). A target that is deleted meanwhile just loses its frame.

        The target and every widget it sits in are watched: a layout that moves a box holding the target
        (a wrapping row) moves the target on screen without moving it in its parent."""
        old = self.target
        if old is not None and isValid(old):
            QObject.disconnect(self._watch)
        for w in self._watched:
            if isValid(w):
                w.removeEventFilter(self)
        self.target, self._watched = target, []
        if target is not None:
            w = target
            while w is not None and w is not self.parentWidget():
                w.installEventFilter(self)
                self._watched.append(w)
                w = w.parentWidget()
            self._watch = target.destroyed.connect(self._target_gone)
        self._follow()

    def _target_gone(self) -> None:
        self.target = None
        self.hide()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.Move, QEvent.Type.Resize, QEvent.Type.Show, QEvent.Type.Hide):
            self._follow()
        return False

    def target_rect(self) -> QRect | None:
        """The target's rectangle in the window's coordinates (None when it is not on screen)."""
        t = self.target
        if t is None or not isValid(t) or not _on_screen(t):
            return None
        top_left = t.mapTo(self.parentWidget(), t.rect().topLeft())
        return QRect(top_left, t.size()).adjusted(-MARGIN, -MARGIN, MARGIN, MARGIN)

    def _follow(self) -> None:
        rect = self.target_rect()
        if rect is None:
            self.hide()
            return
        self.setGeometry(rect)
        self.raise_()
        self.show()
        self.update()

    def paintEvent(self, event) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        colour = QColor(themes.current().highlight)
        if self.covering:  # the poll's answer is under it: opaque, with a word on why
            p.setBrush(themes.current().panel)
            p.setPen(QPen(colour, 2, Qt.PenStyle.DashLine))
            p.drawRoundedRect(self.rect().adjusted(1, 1, -1, -1), 6, 6)
            p.setPen(themes.current().text)
            p.drawText(self.rect().adjusted(6, 2, -6, -2),
                       Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, COVER_TEXT)
            return
        p.setPen(QPen(colour, 3))
        p.drawRoundedRect(self.rect().adjusted(2, 2, -2, -2), 6, 6)
