"""Which views the main window shows, and where (one line each).

Central tabs: the network scene and the lecture labs.
Right, tabbed (the full height of the window): the training panel (added by MainWindow itself), drawing +
predictions (on show at launch), the backprop inspector, the clicked neuron's details and the mistakes.
Bottom, under the scene: the training curves and the receptive-field gallery.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt

if TYPE_CHECKING:
    from nnviz.gui.app.main_window import MainWindow

RIGHT, BOTTOM = Qt.DockWidgetArea.RightDockWidgetArea, Qt.DockWidgetArea.BottomDockWidgetArea


def add_standard_views(win: MainWindow) -> None:
    """Build every view on win.state and put it in a tab or a dock."""
    from nnviz.gui.dataset.mistakes import MistakesView
    from nnviz.gui.draw.panel import DrawPanel
    from nnviz.gui.inspector import InspectorPanel
    from nnviz.gui.labs.labs_widget import LabsWidget
    from nnviz.gui.network.neuron_detail import NeuronDetail
    from nnviz.gui.network.receptive_fields import ReceptiveFieldGallery
    from nnviz.gui.network.view import NetworkView

    s = win.state
    win.network_view = NetworkView(s)
    win.add_view(win.network_view, "Network", "Every neuron and the strongest connections, live")
    win.add_view(LabsWidget, "Labs", "Small experiments from the lecture (built when first opened)")
    win.draw_panel = DrawPanel(s)
    _keep_brackets(win.draw_panel.canvas)
    draw = win.add_dock(win.draw_panel, "Draw", "drawDock", RIGHT, tabify_with="trainDock")
    train = win.docks["trainDock"]  # drawing is the first tab, training the second
    win.removeDockWidget(train)
    win.tabifyDockWidget(draw, train)
    train.show()
    inspector = InspectorPanel(s, win.network_view)
    win.run.batchDone.connect(lambda event, _avg: inspector.add_grad_norms(event.samples,
                                                                                         event.grad_norms))
    win.add_dock(inspector, "Backprop", "inspectorDock", RIGHT, tabify_with=draw)
    detail = NeuronDetail(s)
    win.network_view.neuronClicked.connect(detail.show_neuron)
    neuron_dock = win.add_dock(detail, "Neuron", "neuronDock", RIGHT, tabify_with=draw)
    inspector_dock = win.docks["inspectorDock"]

    def show_neuron_panel(layer: int, _j: int) -> None:
        """A clicked neuron opens its panel, unless the inspector is in view: there the click picks the
        neuron for the walk and the gradient check, and the inspector stays."""
        if layer >= 0 and not (inspector_dock.isVisible() and not inspector_dock.visibleRegion().isEmpty()):
            neuron_dock.show()
            neuron_dock.raise_()

    win.network_view.neuronClicked.connect(show_neuron_panel)
    win.add_dock(ReceptiveFieldGallery(s), "Receptive fields", "receptiveFieldsDock", BOTTOM, tabify_with="curvesDock")
    win.add_dock(MistakesView(s, browser=win.draw_panel.browser), "Mistakes", "mistakesDock", RIGHT,
                 tabify_with=draw)  # (the confusion matrix needs the column's height)
    _add_my_digits(win, draw)
    _add_tour(win)
    win.docks["drawDock"].raise_()  # draw first: the app's first moment
    win.docks["curvesDock"].raise_()


class _Brackets(QObject):
    """Lets a widget keep [ and ] while it has the focus (the canvas: brush width); elsewhere the window's
    shortcuts get them (Train > Rewind / Forward one snapshot)."""

    def eventFilter(self, obj: QObject, ev: QEvent) -> bool:
        if ev.type() == QEvent.Type.ShortcutOverride and ev.key() in (Qt.Key.Key_BracketLeft, Qt.Key.Key_BracketRight):
            ev.accept()
            return True
        return False


def _keep_brackets(widget) -> None:
    widget.installEventFilter(_Brackets(widget))


def _add_my_digits(win: MainWindow, draw) -> None:
    """My digits: a panel beside Draw (hidden until used), opened by the draw panel's "+ Mine" button."""
    from nnviz.gui.draw.my_digits import MyDigitsPanel

    win.my_digits = MyDigitsPanel(win.state, canvas_pixels=win.draw_panel.canvas.pixels)
    dock = win.add_dock(win.my_digits, "My digits", "myDigitsDock", RIGHT, tabify_with=draw)
    dock.hide()

    def add() -> None:
        dock.show()
        dock.raise_()
        win.my_digits.add_drawing()

    win.draw_panel.my_digits_button.clicked.connect(add)


def _add_tour(win: MainWindow) -> None:
    """The lecture tour: a dock on the left (hidden until Help > Lecture tour), presenter mode, and a
    button in the status bar that offers the tour until it has been opened once."""
    from PySide6.QtWidgets import QPushButton

    from nnviz.gui import settings
    from nnviz.gui.tour import TourPanel
    from nnviz.gui.tour.presenter import PresenterMode

    win.tour = TourPanel(win)
    dock = win.add_dock(win.tour, "Lecture tour", "tourDock", Qt.DockWidgetArea.LeftDockWidgetArea)
    dock.hide()
    win.presenter = PresenterMode(win, dock, win.tour)
    win.presenter.toggled.connect(win.presenter_action.setChecked)
    if not settings.settings().value("tour/offered", False, type=bool):
        offer = QPushButton("▶ Take the lecture tour", objectName="tourOffer")
        offer.setFlat(True)
        offer.setToolTip("A guided walk from the single neuron to backpropagation (Help > Lecture tour)")
        offer.clicked.connect(win.start_tour)
        win.statusBar().insertPermanentWidget(0, offer)  # (a temporary message would cover a normal widget)
        win.tour_offer = offer
