"""nnviz's Qt views. `from nnviz.gui import MainWindow` imports the window lazily (Qt loads on use)."""

from __future__ import annotations

__all__ = ["MainWindow", "before_qapplication"]


def before_qapplication() -> None:
    """What Qt must be told before the QApplication exists: every OpenGL view shares one context (pyqtgraph
    compiles its shaders once, for the first 3-D view; a second view with a context of its own could not use
    them: "invalid value" in glUseProgram)."""
    from PySide6.QtCore import QCoreApplication, Qt

    if QCoreApplication.instance() is None:
        QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)


def __getattr__(name: str):
    if name == "MainWindow":
        from nnviz.gui.app.main_window import MainWindow

        return MainWindow
    raise AttributeError(f"module 'nnviz.gui' has no attribute {name!r}")
