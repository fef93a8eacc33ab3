"""Draw a digit and see predictions: canvas + tools + dataset strip + network input preview + predictions.

One composite widget for one dock of the main window. It only lays out and wires the views; each
view takes the AppState and reacts to its signals on its own.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QLabel, QSlider, QToolButton, QVBoxLayout, QWidget

from nnviz.gui.dataset import DatasetBrowser, TestSet
from nnviz.gui.draw.canvas import DrawingCanvas
from nnviz.gui.draw.input_preview import InputPreview
from nnviz.gui.draw.predictions import PredictionPanel
from nnviz.gui.state import AppState


def tool_button(text: str, tip: str, name: str, checkable: bool = False) -> QToolButton:
    b = QToolButton()
    b.setText(text)
    b.setToolTip(tip)
    b.setObjectName(name)
    b.setCheckable(checkable)
    b.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    return b


class DrawPanel(QWidget):
    """Canvas (left) with its tools and the dataset strip; predictions and the 28x28 input (right)."""

    def __init__(self, state: AppState, test_set: TestSet | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.setObjectName("drawPanel")
        self.canvas = DrawingCanvas(state)
        self.predictions = PredictionPanel(state)
        self.preview = InputPreview(state, canvas=self.canvas)
        self.browser = DatasetBrowser(state, test_set=test_set)
        self._make_tools()
        self._layout()
        self._shortcuts()
        self.canvas.toolChanged.connect(self._sync_tools)
        self.canvas.undoChanged.connect(self._sync_tools)
        self._sync_tools()

    def _make_tools(self) -> None:
        self.brush = tool_button("✎ Brush", "Draw white ink (B)", "brushTool", True)
        self.eraser = tool_button("⌫ Eraser", "Erase to black (E, or right-click the canvas)", "eraserTool", True)
        group = QButtonGroup(self)
        group.addButton(self.brush)
        group.addButton(self.eraser)
        self.brush.setChecked(True)
        self.width_slider = QSlider(Qt.Orientation.Horizontal)
        self.width_slider.setObjectName("brushWidth")
        self.width_slider.setRange(4, 40)
        self.width_slider.setValue(int(self.canvas.brush_width))
        self.width_slider.setFixedWidth(90)
        self.width_slider.setToolTip("Pen width in canvas pixels ([ and ] change it)")
        self.undo_button = tool_button("↶", "Undo (Ctrl+Z)", "undoButton")
        self.redo_button = tool_button("↷", "Redo (Ctrl+Shift+Z or Ctrl+Y)", "redoButton")
        self.clear_button = tool_button("Clear", "Clear the canvas (Esc or Delete)", "clearButton")
        self.my_digits_button = tool_button("+ Mine", "Add to my digits: keep this drawing with its true label, "
                                            "to teach the network your handwriting (the My digits panel)",
                                            "addToMyDigits")
        self.brush.clicked.connect(lambda: self.canvas.set_eraser(False))
        self.eraser.clicked.connect(lambda: self.canvas.set_eraser(True))
        self.width_slider.valueChanged.connect(self.canvas.set_brush_width)
        self.undo_button.clicked.connect(self.canvas.undo)
        self.redo_button.clicked.connect(self.canvas.redo)
        self.clear_button.clicked.connect(self.canvas.clear)

    def _layout(self) -> None:
        """Tools on top; the canvas with the predictions beside it; the MNIST strip; what the network sees.

        One column that fits a ~480 px wide dock at 1366x768 (the scene keeps the rest of the window)."""
        tools = QHBoxLayout()
        tools.setSpacing(4)
        for w in (self.brush, self.eraser):
            tools.addWidget(w)
        width_label = QLabel("width")
        width_label.setToolTip(self.width_slider.toolTip())
        tools.addWidget(width_label)
        tools.addWidget(self.width_slider)
        tools.addStretch(1)
        for w in (self.undo_button, self.redo_button, self.clear_button, self.my_digits_button):
            tools.addWidget(w)
        top = QHBoxLayout()
        top.addWidget(self.canvas, 1)
        top.addWidget(self.predictions, 1)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 6, 6, 6)
        lay.addLayout(tools)
        lay.addLayout(top, 5)
        lay.addWidget(self.browser)
        lay.addWidget(self.preview, 3)

    def _shortcuts(self) -> None:
        ctx = Qt.ShortcutContext.WidgetWithChildrenShortcut
        for keys, slot in (((QKeySequence.StandardKey.Undo,), self.canvas.undo),
                           ((QKeySequence.StandardKey.Redo, "Ctrl+Y"), self.canvas.redo),
                           (("Esc", "Delete"), self.canvas.clear),
                           (("Alt+Right",), self.browser.next), (("Alt+Left",), self.browser.previous),
                           (("Ctrl+R",), self.browser.random)):
            # each key once: Redo is Ctrl+Y itself on some platforms, and two equal shortcuts fire neither
            for key in dict.fromkeys(QKeySequence(k).toString() for k in keys):
                sc = QShortcut(QKeySequence(key), self)
                sc.setContext(ctx)
                sc.activated.connect(slot)

    def _sync_tools(self) -> None:
        self.eraser.setChecked(self.canvas.eraser)
        self.brush.setChecked(not self.canvas.eraser)
        self.width_slider.blockSignals(True)
        self.width_slider.setValue(int(round(self.canvas.brush_width)))
        self.width_slider.blockSignals(False)
        self.undo_button.setEnabled(self.canvas.can_undo())
        self.redo_button.setEnabled(self.canvas.can_redo())


def draw_demo_nine(canvas: DrawingCanvas) -> None:
    """Draw a "9" in the top right of the canvas through the stroke API (for previews and screenshots)."""
    import numpy as np
    from PySide6.QtCore import QPointF

    loop = [(185 + 55 * np.cos(a), 95 + 45 * np.sin(a)) for a in np.linspace(0, 2 * np.pi, 26)]
    tail = [(235 - 35 * t, 95 + 155 * t) for t in np.linspace(0, 1, 20)]
    points = [QPointF(x, y) for x, y in loop + tail]
    canvas.begin_stroke(points[0])
    for p in points[1:]:
        canvas.extend_stroke(p)
    canvas.end_stroke()
