"""Help pages: "What am I looking at?" (every colour and control) and About (version, model card,
data attribution). Plain non-modal dialogs with a QTextBrowser; the colour bars are drawn from the
very colour maps the views use (colormaps.py), so the page cannot drift from the pictures.
"""

from __future__ import annotations

import html

import numpy as np
from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from nnviz import __version__
from nnviz.core.data.mnist import ATTRIBUTION
from nnviz.gui.look import colormaps, themes
from nnviz.gui.state import AppState


def colour_bar_html(cmap, left: str, right: str, middle: str = "", cells: int = 32) -> str:
    """An HTML table row of `cells` colour swatches from cmap, with labels under both ends."""
    table = colormaps.lut(cmap)
    idx = np.linspace(0, len(table) - 1, cells).round().astype(int)
    swatches = "".join(f'<td bgcolor="#{r:02x}{g:02x}{b:02x}" width="9" height="14"></td>'
                       for r, g, b, _ in table[idx])
    third = cells // 3
    labels = (f'<tr><td colspan="{third}">{left}</td><td colspan="{cells - 2 * third}" align="center">{middle}</td>'
              f'<td colspan="{third}" align="right">{right}</td></tr>')
    return f'<table cellspacing="0" cellpadding="0"><tr>{swatches}</tr>{labels}</table>'


def what_am_i_looking_at_html() -> str:
    act = colour_bar_html(themes.current().activation_cmap, "0 (silent)", "large a (firing)")
    div = colour_bar_html(themes.current().diverging_cmap, "negative", "positive", "0")
    return f"""
<h2>What am I looking at?</h2>
<p>A <b>multilayer perceptron</b> that reads 28&times;28 images of handwritten digits (784 inputs),
passes them through hidden layers (300 and 100 neurons by default) and outputs 10 probabilities
&#375;, one per digit. The names are the lecture's: <b>z</b> = W a + b (pre-activation),
<b>a</b> = g(z) (activation), <b>W</b> weights, <b>b</b> biases, <b>J</b> the loss.</p>

<h3>Colours: one colour scale means one thing everywhere</h3>
<p><b>Sequential (inferno)</b>: quantities that are never negative. Neurons are coloured by their
activation <b>a</b>; output bars and probabilities by &#375;.</p>{act}
<p><b>Diverging (blue &lt; 0 &lt; red, dark at 0)</b>: signed quantities. Edges are coloured by their
weight <b>w</b> (or by their contribution w&middot;a); in gradient mode neurons show
<b>dJ/dz</b> and edges <b>dJ/dW</b>; the saliency map shows <b>dJ/dx</b>, how much each input pixel
would change the loss. Near-zero values fade into the dark background, so what you see is what
matters.</p>{div}
<p>Every view repeats its colour bar with the actual limits, and hovering over a neuron or an edge
shows its numbers.</p>

<h3>The views</h3>
<ul>
<li><b>Network</b>: the input image on the left, then one grid of neurons per layer. Neurons show
a (sequential) or z (diverging), scaled per layer or overall. Only the strongest edges (largest |w|
or |w&middot;a|) are drawn live: k of them in all, or with <i>per neuron</i> the k strongest into each
neuron (the line under the scene says how many); hover or click a neuron to see all of its incoming and
outgoing edges.</li>
<li><b>Neuron</b>: the clicked neuron's incoming weights (for a first-layer neuron a 28&times;28
picture: what it looks for), their histogram, and which inputs contribute most (w&middot;a).</li>
<li><b>Receptive fields</b>: the incoming weights W1 of all 300 first-layer neurons as 28&times;28
tiles (diverging: red pixels push z up, blue push it down); they change as the network trains.</li>
<li><b>Mistakes</b>: the confusion matrix of the test set and the misclassified digits; click a cell
to filter, a digit to load it.</li>
<li><b>Drawing canvas</b>: draw a digit with the mouse. It is centred, scaled and (for the shipped
model) deskewed exactly like MNIST before the network sees it; the small image shows what the
network sees.</li>
<li><b>Predictions</b>: the 10 output probabilities &#375; for the current input.</li>
<li><b>Dataset</b>: browse MNIST test images, filter by label or by mistakes; click one to make it the
current input.</li>
<li><b>Backprop</b> (the inspector): one example, step by step: the forward pass (z, a), the loss J, then
the backward pass (dJ/d&#375;, dJ/dz, dJ/dW, dJ/db) layer by layer, with the formulas.</li>
<li><b>Labs</b>: small experiments from the lecture (activation functions, learning rates, ...).</li>
</ul>

<h3>Training</h3>
<ul>
<li><b>Hidden sizes, activation g, loss J</b>: the network's shape. Changing them (Apply architecture)
discards the weights, after asking.</li>
<li><b>Optimiser, learning rate &alpha;, batch size, epochs, augmentation, seed</b>: how it learns. A
learning rate that is too large makes training diverge: nnviz stops, restores the last good weights
and tells you.</li>
<li><b>Start</b> (F5) trains from the current weights; <b>Pause/Resume</b> (F6); <b>Step</b> (F10)
runs exactly one minibatch; <b>Stop</b> (Shift+F5); <b>Reset</b> (Ctrl+Shift+R) gives fresh random weights.</li>
<li><b>Curves</b>: <span style="color:#ffb454">amber</span> = training loss (running average over
minibatches, left axis); <span style="color:#ff6e6e">red crosses</span> = test loss after each epoch;
<span style="color:#5ccfe6">cyan</span> = training accuracy and <span style="color:#b48cff">violet</span> =
test accuracy per epoch (right axis, %). The test set is never trained on.</li>
<li>Training runs in a background thread on its own copy of the network; the views follow its
weights a few times per second.</li>
<li><b>Timeline</b> (under the curves): every run records the weights, every minibatch at first and
sparser later (float16, within the memory budget shown beside it). Drag the slider (or press [ and ])
and every view shows the network as it was then; the dashed line on the curves marks the moment.
<b>Live</b> returns to the latest weights, <b>Play</b> replays the run, <b>Branch here</b> (or Start
while rewound) trains on from that moment. The history is saved with the model unless you untick it.</li>
</ul>

<h3>Files and keys</h3>
<p>Ctrl+O open a model, Ctrl+S save it (.npz with its model card), Ctrl+E export a picture of the
current view (PNG or SVG), Ctrl+Shift+E record an animation (the backprop walk, the training history
or a lab's gradient descent, as GIF, APNG or MP4), F1 this page. Docks can be dragged, tabbed and closed; the View menu
brings them back and switches between the dark and light colormaps.</p>
"""


MAX_CARD_ROWS, MAX_CELL = 60, 300  # what About shows of a card (one with 60,000 keys froze it for 15 s)


def about_html(card: dict) -> str:
    flat = flatten_card(card)
    rows = "".join(f"<tr><td><b>{html.escape(k[:MAX_CELL])}</b>&nbsp;&nbsp;</td><td>{html.escape(v[:MAX_CELL])}"
                   f"{'…' if len(v) > MAX_CELL else ''}</td></tr>" for k, v in flat[:MAX_CARD_ROWS])
    if len(flat) > MAX_CARD_ROWS:
        rows += f"<tr><td colspan=2>… and {len(flat) - MAX_CARD_ROWS:,} more entries</td></tr>"
    return f"""
<h2>nnviz {__version__}</h2>
<p>Watch, poke and take apart a neural network: live MNIST training, drawing, and an animated
backprop inspector. NumPy for the maths, PySide6 (Qt) and pyqtgraph for the pictures.</p>
<h3>The loaded model</h3>
<table>{rows or '<tr><td>no model card</td></tr>'}</table>
<h3>Software</h3>
<p>{html.escape(software_versions())}</p>
<h3>Data</h3>
<p>{html.escape(ATTRIBUTION)}</p>
"""


def software_versions() -> str:
    import platform

    import pyqtgraph
    import PySide6
    from PySide6 import QtCore

    return (f"Python {platform.python_version()}, NumPy {np.__version__}, PySide6 {PySide6.__version__} "
            f"(Qt {QtCore.qVersion()}), pyqtgraph {pyqtgraph.__version__}")


def flatten_card(card: dict, prefix: str = "") -> list[tuple[str, str]]:
    """{"a": {"b": 1}} -> [("a.b", "1")]: a model card as rows of text."""
    rows = []
    for key, value in card.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            rows.extend(flatten_card(value, name + "."))
        elif isinstance(value, float):
            rows.append((name, f"{value:.4g}"))
        else:
            rows.append((name, str(value)))
    return rows


class HtmlDialog(QDialog):
    """A non-modal dialog showing one HTML page."""

    def __init__(self, title: str, page: str, object_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(object_name)
        self.setWindowTitle(title)
        self.browser = QTextBrowser(objectName=f"{object_name}Text")
        self.browser.setOpenExternalLinks(True)
        self.browser.setHtml(page)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)
        self.resize(640, 620)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)


def help_dialog(parent: QWidget | None = None) -> HtmlDialog:
    return HtmlDialog("nnviz: what am I looking at?", what_am_i_looking_at_html(), "helpDialog", parent)


class AboutDialog(HtmlDialog):
    """About nnviz with the model card of the network in use, rewritten whenever the card changes
    (an epoch's test accuracy, a new network, an opened file): it never shows an old network's card."""

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__("About nnviz", about_html(state.card), "aboutDialog", parent)
        state.cardChanged.connect(self.show_card)  # (a bound method: disconnected when the dialog goes)

    @Slot(object)
    def show_card(self, card: dict) -> None:
        self.browser.setHtml(about_html(card))


def about_dialog(state: AppState, parent: QWidget | None = None) -> AboutDialog:
    return AboutDialog(state, parent)
