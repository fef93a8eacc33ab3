"""`python -m nnviz.gui.gallery`: open, render or list the gallery's entries (see the package docstring)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path


def parse_size(text: str) -> tuple[int, int]:
    try:
        w, h = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"size {text!r} is not WIDTHxHEIGHT, e.g. 1600x900") from None
    if w <= 0 or h <= 0:
        raise argparse.ArgumentTypeError(f"size {text!r} must be positive")
    return w, h


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m nnviz.gui.gallery",
                                description="nnviz's widgets one at a time, and the README's screenshots.")
    p.add_argument("name", nargs="?", help="the entry to show (see --list)")
    p.add_argument("--list", action="store_true", help="list the entries and the modules each covers")
    p.add_argument("--shot", type=Path, metavar="PATH", help="render NAME offscreen to PATH (.png) and exit")
    p.add_argument("--all-shots", type=Path, metavar="DIR", help="render every README screenshot into DIR")
    p.add_argument("--size", type=parse_size, metavar="WxH", help="widget size instead of the entry's own")
    p.add_argument("--data", type=Path, metavar="DIR", help="folder with the MNIST files (sets NNVIZ_DATA)")
    return p


def list_entries() -> None:
    from nnviz.gui.gallery.registry import entries
    for e in entries().values():
        shot = f"  [README: {e.shot}]" if e.shot else ""
        print(f"{e.name:22} {e.summary}{shot}\n{'':22} covers: {', '.join(e.covers)}")


def save(image, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if not image.save(str(path)):
        raise OSError(f"could not write {path}")
    print(f"wrote {path} ({image.width()}x{image.height()})")


def shoot(name: str, path: Path, size: tuple[int, int] | None) -> None:
    from nnviz.gui.gallery.registry import close, get, grab, show
    widget = show(get(name), size)
    try:
        save(grab(widget), path)
    finally:
        close(widget)


def all_shots(folder: Path) -> None:
    from nnviz.gui.gallery.demo import has_mnist
    from nnviz.gui.gallery.registry import entries
    if not has_mnist():
        from nnviz.core.data import DatasetError
        raise DatasetError("the screenshots show real MNIST digits: set NNVIZ_DATA or pass --data DIR")
    for e in entries().values():
        if e.shot:
            shoot(e.name, folder / e.shot, None)


def run(args: argparse.Namespace) -> int:
    from PySide6.QtWidgets import QApplication

    from nnviz.gui import before_qapplication
    from nnviz.gui.gallery.registry import close, get, show

    before_qapplication()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    if args.all_shots:
        all_shots(args.all_shots)
    elif args.shot:
        shoot(args.name, args.shot, args.size)
    else:
        widget = show(get(args.name), args.size)
        app.exec()
        close(widget)
    return 0


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.data:
        os.environ["NNVIZ_DATA"] = str(args.data)
    if args.list:
        list_entries()
        return 0
    if not args.name and not args.all_shots:
        parser().error("give an entry NAME (see --list) or --all-shots DIR")
    if (args.shot or args.all_shots) and not os.environ.get("QT_QPA_PLATFORM"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"  # rendering to files needs no screen
    from nnviz.core.data import DatasetError
    try:
        return run(args)
    except (KeyError, DatasetError, OSError, TimeoutError) as exc:
        message = exc.args[0] if isinstance(exc, KeyError) and exc.args else exc
        print(f"gallery: {message}", file=sys.stderr)
        return 2


sys.exit(main())
