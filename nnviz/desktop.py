"""`nnviz install-desktop`: put nnviz in the user's applications menu on Linux (freedesktop.org).

Writes $XDG_DATA_HOME/applications/nnviz.desktop (default ~/.local/share) and the icon
$XDG_DATA_HOME/icons/hicolor/scalable/apps/nnviz.svg. The entry starts this installation's nnviz (the
`nnviz` script beside the running Python, else `python -m nnviz`), so a pipx or venv install works
without being on PATH. `--remove` takes both away again.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from nnviz.core import shipped

ENTRY = Path("applications") / "nnviz.desktop"
ICON = Path("icons") / "hicolor" / "scalable" / "apps" / "nnviz.svg"
_RESERVED = set(' \t\n"\'\\><~|&;$*?#()`')


def data_home() -> Path:
    return Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")


def command() -> list[str]:
    """How to start this installation's nnviz."""
    script = Path(sys.executable).parent / "nnviz"
    return [str(script)] if script.is_file() else [sys.executable, "-m", "nnviz"]


def exec_quote(arg: str) -> str:
    """One argument of a desktop entry's Exec key (its own quoting rules, then the string escapes)."""
    if _RESERVED & set(arg):
        arg = '"' + "".join("\\" + c if c in '"`$\\' else c for c in arg) + '"'
    return arg.replace("\\", "\\\\").replace("%", "%%")


def entry_text(icon: Path, argv: list[str]) -> str:
    return "\n".join([
        "[Desktop Entry]", "Type=Application", "Version=1.0", "Name=nnviz",
        "GenericName=Neural network visualiser",
        "Comment=Watch, poke and take apart a neural network: live MNIST training, drawing, backprop step by step",
        "Exec=" + " ".join(exec_quote(a) for a in argv), f"Icon={icon}", "Terminal=false",
        "Categories=Education;ArtificialIntelligence;",
        "Keywords=neural network;MNIST;backpropagation;machine learning;", "StartupWMClass=nnviz", ""])


def install(home: Path | None = None) -> list[Path]:
    """Write the icon and the desktop entry; returns their paths."""
    home = home or data_home()
    icon, entry = home / ICON, home / ENTRY
    icon.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(shipped.path("icons", "nnviz.svg"), icon)
    entry.parent.mkdir(parents=True, exist_ok=True)
    entry.write_text(entry_text(icon, command()), encoding="utf-8")
    return [entry, icon]


def remove(home: Path | None = None) -> list[Path]:
    """Delete the desktop entry and the icon; returns the paths that were there."""
    home = home or data_home()
    gone = [p for p in (home / ENTRY, home / ICON) if p.is_file()]
    for p in gone:
        p.unlink()
    return gone
