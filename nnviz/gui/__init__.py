"""nnviz's Qt views. `from nnviz.gui import MainWindow` imports the window lazily (Qt loads on use)."""

from __future__ import annotations

__all__ = ["MainWindow"]


def __getattr__(name: str):
    if name == "MainWindow":
        from nnviz.gui.app.main_window import MainWindow

        return MainWindow
    raise AttributeError(f"module 'nnviz.gui' has no attribute {name!r}")
