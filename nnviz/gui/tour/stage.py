"""What the tour may do in the app: a small typed interface that the window implements (gui/app/stage.py).

The tour knows no view, dock or tab of the app. It sets a step up, frames a control, counts a poll's
answer and runs presenter mode only through a Stage, with the names its step files use: each method raises
TourError for a name it does not know, so a typo in a step file shows up in the tests, not in a lecture.
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QByteArray
from PySide6.QtWidgets import QWidget

LABS = ("single_neuron", "traffic", "params", "playground")
INSPECTOR_TABS = ("network", "chain")
TRAFFIC = ("lecture", "start")  # the traffic network's parameters: the lecture's fit, or its starting point
# The answers a poll may ask for, each counted on the live views when the student answers:
ANSWERS = {
    "param_counter_total": "parameters of the network in the parameter counter lab",
    "network_total": "parameters of the loaded digit network",
    "output_neuron_params": "parameters of one output neuron of the digit network (its weights and bias)",
    "first_hidden_neuron_params": "parameters of one neuron of the first hidden layer",
    "gradient_descent_updates": "which of x, w₁,₁ and b₁,₁ gradient descent changes in the traffic lab",
    "playground_line_colour": "what the playground's lines are coloured by (its colour bar says)",
    "playground_tile_colour": "what the playground's neuron tiles are coloured by",
}


class Stage(Protocol):
    """The app, as the tour sees it."""

    @property
    def window(self) -> QWidget:
        """Where the tour draws its frames and covers, and whose keys presenter mode takes."""

    # --- setting a step up --------------------------------------------------------------------------
    def show_tab(self, title: str) -> None:
        """A central tab ("Network", "Labs")."""

    def open_lab(self, name: str) -> None:
        """One of LABS, on the Labs tab."""

    def set_neuron_g(self, name: str) -> None:
        """The single-neuron lab's activation g (step, sigmoid, linear, relu, ...)."""

    def set_traffic(self, which: str) -> None:
        """The traffic network's parameters: one of TRAFFIC."""

    def set_architecture(self, text: str) -> None:
        """The parameter counter's network ("784-10", "1-2-1", ...), its poll box unanswered."""

    def show_panel(self, name: str) -> None:
        """Show and raise a panel (drawDock, inspectorDock, neuronDock, ...)."""

    def show_inspector(self, tab: str) -> None:
        """The backprop inspector on one of INSPECTOR_TABS."""

    def inspector_step(self, title: str) -> None:
        """The inspector's walk at the step with this title (e.g. "dJ/dz₃"); it draws a digit if it has none."""

    def chain_step(self, row: int) -> None:
        """The scalar chain's row (0: the first forward step)."""

    def inspector_tool(self, title: str) -> None:
        """The inspector's tool tab ("Update", "Gradient check", ...)."""

    def show_digit(self, label: int) -> None:
        """The first MNIST test digit with that label (a drawn digit while MNIST is missing)."""

    def select_neuron(self, layer: int, index: int) -> None:
        """Select a neuron of the network scene."""

    def show_3d(self) -> None:
        """Show the network in 3-D (the Network tab, its 3-D view: Harley's, as on the lecture's slides)."""

    def run_comparison(self, preset: str) -> None:
        """Open Compare runs over the central view and train a lecture preset for a short while."""

    def close_comparison(self) -> None:
        """Close the comparison a step opened (the other steps need the central view)."""

    def control(self, name: str) -> QWidget | None:
        """The control with this objectName (to frame or cover), or None."""

    def on_screen(self) -> dict[str, object]:
        """What is shown: tab, lab (on the Labs tab), inspector_tab and inspector_step."""

    def answer(self, name: str) -> object:
        """A poll's answer (one of ANSWERS), counted on the live views now."""

    # --- presenter mode ------------------------------------------------------------------------------
    def panel_names(self) -> list[str]:
        """Every panel's name."""

    def show_only_panels(self, names: set[str]) -> None:
        """These panels shown, every other one hidden."""

    def set_chrome(self, visible: bool) -> None:
        """The menu bar, the status bar and the central tabs' bar."""

    def set_large(self, on: bool, font_scale: float, line_scale: float) -> None:
        """The central view's text font_scale times larger and the scene's lines line_scale thicker (or back)."""

    def workspace_layout(self) -> QByteArray:
        """The panels as they are (to restore when presenter mode ends)."""

    def restore_workspace_layout(self, layout: QByteArray) -> None: ...

    def play_pause(self) -> str:
        """Play or pause what moves on screen; what it toggled, or "" when nothing on screen plays."""
