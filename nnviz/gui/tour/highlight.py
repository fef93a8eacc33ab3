"""A frame drawn around the control a tour step points at (it follows the control and takes no clicks)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRect, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QWidget
from shiboken6 import isValid

from nnviz.gui import colormaps

MARGIN = 4


class Highlight(QWidget):
    """A transparent overlay on `window` that frames one target widget while both are visible."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.setObjectName("tourHighlight")
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground)
        self.target: QWidget | None = None
        self.hide()

    def frame(self, target: QWidget | None) -> None:
        """Frame `target` (None: no frame). A target that is deleted meanwhile just loses its frame."""
        old = self.target
        if old is not None and isValid(old):
            old.removeEventFilter(self)
            QObject.disconnect(self._watch)
        self.target = target
        if target is not None:
            target.installEventFilter(self)
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
        if t is None or not isValid(t) or not t.isVisible() or t.visibleRegion().isEmpty():
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
        colour = QColor(colormaps.HIGHLIGHT)
        p.setPen(QPen(colour, 3))
        p.drawRoundedRect(self.rect().adjusted(2, 2, -2, -2), 6, 6)
