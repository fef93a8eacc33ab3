"""Dark and light application themes (Fusion style + a palette) and matching pyqtgraph colours.

The painted views (the network scene, the chain diagram, predictions, labs' plots) follow the theme
too: colormaps.set_scene_colours switches their background and text colours, and the views already
built get the new background here.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QWidget

from nnviz.core import shipped
from nnviz.gui import colormaps

THEMES = ("dark", "light")
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
    colormaps.set_scene_colours(name)
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


def repaint_views(root: QWidget, old_background: QColor) -> None:
    """root's views built before a theme change: pyqtgraph views on the old background get the new one."""
    for view in root.findChildren(pg.GraphicsView):
        if view.backgroundBrush().color() == old_background:
            view.setBackground(QColor(colormaps.BACKGROUND))
    for widget in root.findChildren(QWidget):
        widget.update()


def enlarge(widget: QWidget, scale: float, extra: str = "") -> None:
    """widget and everything in it at scale × the application's font (1: back to normal). A style sheet, not
    setFont: the theme's style sheet decides the fonts of the widgets it styles (docks, tab bars)."""
    size = QApplication.font().pointSizeF() * scale
    widget.setStyleSheet(f"* {{ font-size: {size:g}pt; }} {extra}" if scale != 1.0 else "")
