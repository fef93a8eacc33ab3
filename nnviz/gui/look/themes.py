"""The look of nnviz: one frozen Theme value, held here, with a signal when it changes.

    look = themes.current()                  # Theme(name="dark", palette="standard", line_scale=1.0)
    look.background, look.text, look.phase["backward"], look.activation_cmap, look.diverging_cmap
    themes.changes().changed.connect(view.recolour)    # views that keep coloured pictures redo them
    themes.update(palette="colour-blind safe")          # View > Colour-blind-safe palette
    apply_theme("light")                                 # the Qt application too (Fusion style + palette)

Every painted view reads its colours from current() when it paints; a view that keeps pictures made with
them subscribes to changes(). The window subscribes too, and repaints everything in it (repaint()).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from types import MappingProxyType

import pyqtgraph as pg
from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QWidget

from nnviz.core import shipped
from nnviz.gui.look import colormaps

THEMES = ("dark", "light")
# The two maps of each palette: (activation a ≥ 0, signed values); cividis and CET-CBD1 (blue < grey <
# yellow) read the same with red-green colour blindness.
PALETTES = {"standard": ("inferno", "CET-D4"), "colour-blind safe": ("cividis", "CET-CBD1")}
# The painted views' colours (the scene's background, a layer's band, text, dim text, the hovered or
# selected neuron, a layer without values) and the backprop phases' text colours, per theme.
SCENE_COLOURS = {
    "dark": {"background": (18, 18, 24), "panel": (30, 30, 38), "text": (225, 225, 232), "text_dim": (150, 150, 162),
             "highlight": (80, 220, 255), "greyed": (60, 60, 68)},
    "light": {"background": (250, 250, 252), "panel": (232, 232, 238), "text": (28, 28, 34),
              "text_dim": (95, 95, 108), "highlight": (0, 120, 190), "greyed": (205, 205, 212)},
}
PHASE_TEXT = {
    "dark": {"forward": "#ffb347", "loss": "#ff6b6b", "backward": "#50dcff", "update": "#7ddc7d", "warn": "#ffb347"},
    "light": {"forward": "#b35900", "loss": "#c62828", "backward": "#006f9e", "update": "#2e7d32", "warn": "#b35900"},
}


def _colour(key: str) -> property:
    return property(lambda self: QColor(*SCENE_COLOURS[self.name][key]), doc=f"The {key} colour (a new QColor).")


@dataclass(frozen=True)
class Theme:
    name: str = "dark"  # one of THEMES
    palette: str = "standard"  # one of PALETTES
    line_scale: float = 1.0  # the network scene's edges, in device pixels (presenter mode: 2)

    def __post_init__(self) -> None:
        if self.name not in THEMES:
            raise ValueError(f"unknown theme {self.name!r}; known: {', '.join(THEMES)}")
        if self.palette not in PALETTES:
            raise ValueError(f"unknown palette {self.palette!r}; known: {', '.join(PALETTES)}")

    background, panel, text, text_dim, highlight, greyed = (_colour(k) for k in SCENE_COLOURS["dark"])

    @property
    def phase(self) -> MappingProxyType:
        """Text colours of the backprop phases: forward, loss, backward, update, warn."""
        return MappingProxyType(PHASE_TEXT[self.name])

    @property
    def activation_cmap(self) -> pg.ColorMap:
        """The sequential map for values ≥ 0 (activations a, probabilities)."""
        return colormaps.named(PALETTES[self.palette][0])

    @property
    def diverging_cmap(self) -> pg.ColorMap:
        """The diverging map for signed values (blue < 0 < red; centre dark)."""
        return colormaps.named(PALETTES[self.palette][1])

    def in_palette(self, cmap: pg.ColorMap) -> pg.ColorMap:
        """cmap as this palette draws it: any palette's activation (diverging) map -> this one's."""
        for act, div in PALETTES.values():
            if cmap is colormaps.named(act):
                return self.activation_cmap
            if cmap is colormaps.named(div):
                return self.diverging_cmap
        return cmap


class _Changes(QObject):
    changed = Signal(object)  # the new Theme


_current = Theme()
_changes: _Changes | None = None


def current() -> Theme:
    """The theme every view paints with."""
    return _current


def changes() -> _Changes:
    """Its change signal: changes().changed(Theme)."""
    global _changes
    if _changes is None:
        _changes = _Changes()
    return _changes


def update(**fields) -> Theme:
    """A new theme with these fields changed (name, palette, line_scale); the subscribers are told."""
    global _current
    new = replace(_current, **fields)
    if new != _current:
        _current = new
        changes().changed.emit(new)
    return _current


def repaint(root: QWidget, old: Theme, new: Theme) -> None:
    """root and everything in it repainted with the new theme: plots on the old background get the new one
    (a window subscribes with this: every widget of it that paints with the theme's colours)."""
    for view in root.findChildren(pg.GraphicsView):
        if view.backgroundBrush().color() == old.background:
            view.setBackground(new.background)
    for widget in root.findChildren(QWidget):
        widget.update()
CHECK_MARK = shipped.path("icons", "check.svg")  # white tick (installed as nnviz.resources)

_DARK = {
    "window": "#202028", "base": "#17171d", "alt": "#25252e", "text": "#e1e1e8", "dim": "#8c8c99",
    "button": "#2b2b35", "highlight": "#2f7dd1", "link": "#50dcff", "plot_bg": "#121218", "plot_fg": "#c8c8d2",
}
_LIGHT = {
    "window": "#f2f2f5", "base": "#ffffff", "alt": "#ebebf0", "text": "#1c1c22", "dim": "#70707c",
    "button": "#e4e4ea", "highlight": "#2f7dd1", "link": "#1b5fae", "plot_bg": "#ffffff", "plot_fg": "#2a2a30",
}


def colours(name: str) -> dict[str, str]:
    """The named colours of a theme ("dark" or "light")."""
    return _LIGHT if name == "light" else _DARK


def palette(name: str) -> QPalette:
    c = {k: QColor(v) for k, v in colours(name).items()}
    R = QPalette.ColorRole
    p = QPalette()
    for role, key in ((R.Window, "window"), (R.Base, "base"), (R.AlternateBase, "alt"), (R.Button, "button"),
                      (R.ToolTipBase, "base"), (R.Highlight, "highlight"), (R.Link, "link")):
        p.setColor(role, c[key])
    for role in (R.WindowText, R.Text, R.ButtonText, R.ToolTipText, R.BrightText):
        p.setColor(role, c["text"])
    p.setColor(R.HighlightedText, QColor("#ffffff"))
    p.setColor(R.PlaceholderText, c["dim"])
    for role in (R.WindowText, R.Text, R.ButtonText):
        p.setColor(QPalette.ColorGroup.Disabled, role, c["dim"])
    return p


_applied: dict[int, str] = {}  # id(app) -> the theme it has


def apply_theme(name: str, app: QApplication | None = None) -> str:
    """Apply "dark" or "light" to the whole application (once); returns the name applied."""
    name = name if name in THEMES else "dark"
    app = app or QApplication.instance()
    if app is None or _applied.get(id(app)) == name:
        return name
    _applied[id(app)] = name
    update(name=name)
    app.setStyle("Fusion")
    app.setPalette(palette(name))
    c = colours(name)
    pg.setConfigOptions(background=c["plot_bg"], foreground=c["plot_fg"], antialias=True)
    app.setStyleSheet(
        f"QDockWidget::title {{ background: {c['alt']}; padding: 4px 6px; }}"
        f"QGroupBox {{ font-weight: bold; border: 1px solid {c['button']}; border-radius: 4px; margin-top: 8px; }}"
        "QGroupBox::title { subcontrol-origin: margin; left: 8px; padding: 0 3px; }"
        f"QToolTip {{ color: {c['text']}; background: {c['base']}; border: 1px solid {c['dim']}; }}"
        # Fusion draws a check box as a faint outline on the base colour: nearly invisible in the dark theme
        f"QCheckBox::indicator, QGroupBox::indicator {{ width: 13px; height: 13px; border: 1px solid {c['dim']};"
        f" border-radius: 2px; background: {c['base']}; }}"
        f"QCheckBox::indicator:checked, QGroupBox::indicator:checked {{ background: {c['highlight']};"
        f" border-color: {c['highlight']}; image: url({CHECK_MARK.as_posix()}); }}"
        f"QCheckBox::indicator:disabled {{ border-color: {c['button']}; }}"
    )
    return name


def enlarge(widget: QWidget, scale: float, extra: str = "") -> None:
    """widget and everything in it at scale × the application's font (1: back to normal). A style sheet, not
    setFont: the theme's style sheet decides the fonts of the widgets it styles (docks, tab bars)."""
    size = QApplication.font().pointSizeF() * scale
    widget.setStyleSheet(f"* {{ font-size: {size:g}pt; }} {extra}" if scale != 1.0 else "")
