"""The window's views, and where each goes (one line each), as one record.

Central tabs: the network scene and the lecture labs (built when first opened).
Right, tabbed (the full height of the window): drawing + predictions (on show at launch), the training panel
(added by MainWindow itself), the backprop inspector, the clicked neuron's details, the mistakes, my digits.
Bottom, under the scene: the training curves (MainWindow's) and the receptive-field gallery.
Left, hidden until Help > Lecture tour: the tour, with presenter mode.

    views = build_views(window)         # window: a Host (host.py)
    views.network.select_neuron(1, 3)
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QPushButton

from nnviz.gui import settings
from nnviz.gui.app.host import Host
from nnviz.gui.app.stage import WindowStage
from nnviz.gui.dataset.mistakes import MistakesView
from nnviz.gui.draw.my_digits import MyDigitsPanel
from nnviz.gui.draw.panel import DrawPanel
from nnviz.gui.inspector import InspectorPanel
from nnviz.gui.labs.labs_widget import LabsWidget
from nnviz.gui.network.neuron_detail import NeuronDetail
from nnviz.gui.network.receptive_fields import ReceptiveFieldGallery
from nnviz.gui.network.view import NetworkView
from nnviz.gui.tour import TourPanel
from nnviz.gui.tour.presenter import PresenterMode

RIGHT, BOTTOM, LEFT = (Qt.DockWidgetArea.RightDockWidgetArea, Qt.DockWidgetArea.BottomDockWidgetArea,
                       Qt.DockWidgetArea.LeftDockWidgetArea)


@dataclass(frozen=True)
class Views:
    network: NetworkView
    draw: DrawPanel
    inspector: InspectorPanel
    neuron: NeuronDetail
    receptive_fields: ReceptiveFieldGallery
    mistakes: MistakesView
    my_digits: MyDigitsPanel
    stage: WindowStage  # what the tour may do in the window
    tour: TourPanel
    presenter: PresenterMode
    tour_offer: QPushButton | None  # in the status bar until the tour has been opened once


def build_views(win: Host) -> Views:
    """Build every view on win.state and put it in a tab or a dock."""
    s = win.state
    network = NetworkView(s)
    win.add_view(network, "Network", "Every neuron and the strongest connections, live")
    win.add_view(LabsWidget, "Labs", "Small experiments from the lecture (built when first opened)")
    draw = DrawPanel(s)
    _keep_brackets(draw.canvas)
    draw_dock = win.add_dock(draw, "Draw", "drawDock", RIGHT, tabify_with="trainDock")
    train = win.docks["trainDock"]  # drawing is the first tab, training the second
    win.removeDockWidget(train)
    win.tabifyDockWidget(draw_dock, train)
    train.show()
    inspector = InspectorPanel(s, network)
    win.run.batchDone.connect(lambda event, _avg: inspector.add_grad_norms(event.samples, event.grad_norms))
    win.add_dock(inspector, "Backprop", "inspectorDock", RIGHT, tabify_with=draw_dock)
    neuron = NeuronDetail(s)
    network.neuronClicked.connect(neuron.show_neuron)
    win.add_dock(neuron, "Neuron", "neuronDock", RIGHT, tabify_with=draw_dock)
    network.neuronClicked.connect(lambda layer, _j: _raise_neuron_panel(win, layer))
    fields = ReceptiveFieldGallery(s)
    win.add_dock(fields, "Receptive fields", "receptiveFieldsDock", BOTTOM, tabify_with="curvesDock")
    mistakes = MistakesView(s, browser=draw.browser)
    win.add_dock(mistakes, "Mistakes", "mistakesDock", RIGHT, tabify_with=draw_dock)  # (it needs the height)
    my_digits = _add_my_digits(win, draw)
    stage = WindowStage(win, network, draw, inspector)
    tour, presenter, offer = _add_tour(win, stage)
    win.docks["drawDock"].raise_()  # draw first: the app's first moment
    win.docks["curvesDock"].raise_()
    return Views(network, draw, inspector, neuron, fields, mistakes, my_digits, stage, tour, presenter, offer)


def _raise_neuron_panel(win: Host, layer: int) -> None:
    """A clicked neuron opens its panel, unless the inspector is in view: there the click picks the neuron
    for the walk and the gradient check, and the inspector stays."""
    inspector, neuron = win.docks["inspectorDock"], win.docks["neuronDock"]
    if layer >= 0 and not (inspector.isVisible() and not inspector.visibleRegion().isEmpty()):
        neuron.show()
        neuron.raise_()


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


def _add_my_digits(win: Host, draw: DrawPanel) -> MyDigitsPanel:
    """My digits: a panel beside Draw (hidden until used), opened by the draw panel's "+ Mine" button."""
    mine = MyDigitsPanel(win.state, canvas_pixels=draw.canvas.pixels)
    dock = win.add_dock(mine, "My digits", "myDigitsDock", RIGHT, tabify_with="drawDock")
    dock.hide()

    def add() -> None:
        dock.show()
        dock.raise_()
        mine.add_drawing()

    draw.my_digits_button.clicked.connect(add)
    return mine


def _add_tour(win: Host, stage: WindowStage) -> tuple[TourPanel, PresenterMode, QPushButton | None]:
    """The lecture tour: a dock on the left (hidden until Help > Lecture tour), presenter mode, and a
    button in the status bar that offers the tour until it has been opened once."""
    tour = TourPanel(stage)
    dock = win.add_dock(tour, "Lecture tour", "tourDock", LEFT)
    dock.hide()
    presenter = PresenterMode(stage, dock, tour)
    offer = None
    if not settings.settings().value("tour/offered", False, type=bool):
        offer = QPushButton("▶ Take the lecture tour", objectName="tourOffer")
        offer.setFlat(True)
        offer.setToolTip("A guided walk from the single neuron to backpropagation (Help > Lecture tour)")
        offer.clicked.connect(win.start_tour)
        win.statusBar().insertPermanentWidget(0, offer)  # (a temporary message would cover a normal widget)
    return tour, presenter, offer
