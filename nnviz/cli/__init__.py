"""The `nnviz` command: the GUI by default, and train / evaluate / predict / export / doctor / install-desktop.

The command-line wing of nnviz: parser.py (the arguments), commands.py (each command's work), animate.py,
doctor.py, desktop.py, progress.py. It may use everything below it (gui, handwriting, interop, core);
nothing below imports it.

Every failure the user can cause (bad arguments, missing or corrupt files) ends in one line on
stderr and a non-zero exit status, never a traceback.
"""

from __future__ import annotations

import argparse
import sys

from nnviz.cli.parser import EXIT_FAILURE, EXIT_USAGE, UsageError, build_parser, split_model


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    try:
        parser = build_parser()
        commands = next(a.choices for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        argv, model = split_model(list(argv), commands)
        args = parser.parse_args(argv)
        if args.command is None:
            return launch_gui(args, model)
        from nnviz.cli.commands import run
        return run(args, argv)
    except UsageError as exc:
        print(exc, file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("nnviz: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # the documented errors of the core, and I/O
        from nnviz.core.data import DatasetError
        from nnviz.core.modelio import ModelError
        if isinstance(exc, (DatasetError, ModelError, OSError, ValueError)):
            print(f"nnviz: error: {exc}", file=sys.stderr)
            return EXIT_FAILURE
        raise


def launch_gui(args: argparse.Namespace, model: str | None = None) -> int:
    """The desktop app; model: a model file to open at once (its errors and questions are dialogs)."""
    from PySide6.QtWidgets import QApplication

    from nnviz.gui import before_qapplication

    before_qapplication()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("nnviz")
    app.setOrganizationName("nnviz")
    app.setDesktopFileName("nnviz")  # the menu entry `nnviz install-desktop` writes (its icon on Wayland)
    from nnviz.gui import MainWindow

    window = MainWindow(data_dir=args.data) if args.data else MainWindow()
    window.show()  # with an empty canvas that invites a drawing
    window.raise_()
    window.activateWindow()  # keyboard focus at launch, also on an X server with no window manager
    if model is not None:
        from PySide6.QtCore import QTimer

        QTimer.singleShot(0, window, lambda: window.open_model(model))  # once the window is up (it may ask)
    from nnviz.gui.app.quitting import QuitRequests

    QuitRequests(app, window)  # Ctrl+C, SIGTERM or a destroyed window: a clean quit, exit status 0
    return app.exec()
