"""FlatLabel: a word-wrapped QLabel that does not make its panel height-for-width.

A panel in a dock sits in a resizing QScrollArea; when the panel's layout is height-for-width (any
word-wrapped label makes it so) the scroll area sizes it to its *preferred* height for the width and
scrolls, instead of fitting it to the dock. FlatLabel opts out, so the panel fits and scrolls only
below its minimum size.
"""

from __future__ import annotations

from PySide6.QtWidgets import QLabel


class FlatLabel(QLabel):
    def hasHeightForWidth(self) -> bool:
        return False
