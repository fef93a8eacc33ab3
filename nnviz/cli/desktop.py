"""`nnviz install-desktop`: put nnviz in the user's applications menu on Linux (freedesktop.org).

Writes $XDG_DATA_HOME/applications/nnviz.desktop (default ~/.local/share), the icon
$XDG_DATA_HOME/icons/hicolor/scalable/apps/nnviz.svg and the model file types
$XDG_DATA_HOME/mime/packages/nnviz.xml (.npz, .safetensors, .onnx), so that a double-clicked model opens
in nnviz (`Exec=nnviz %f`). The entry starts this installation's nnviz (the `nnviz` script beside the
running Python, else `python -m nnviz`), so a pipx or venv install works without being on PATH. The
desktop's caches are refreshed when their tools are there. `--remove` takes it all away again.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from nnviz.core import shipped

ENTRY = Path("applications") / "nnviz.desktop"
ICON = Path("icons") / "hicolor" / "scalable" / "apps" / "nnviz.svg"
MIME = Path("mime") / "packages" / "nnviz.xml"
MODEL_TYPES = {  # MIME type: (glob, description)
    "application/x-nnviz-model": ("*.npz", "nnviz model (NumPy .npz)"),
    "application/x-safetensors": ("*.safetensors", "safetensors model weights"),
    "application/x-onnx": ("*.onnx", "ONNX model"),
}
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
        "Exec=" + " ".join(exec_quote(a) for a in argv) + " %f", f"Icon={icon}", "Terminal=false",
        "MimeType=" + ";".join(MODEL_TYPES) + ";",
        "Categories=Education;ArtificialIntelligence;",
        "Keywords=neural network;MNIST;backpropagation;machine learning;", "StartupWMClass=nnviz", ""])


def mime_xml() -> str:
    """shared-mime-info's package file for the model types nnviz opens."""
    types = "".join(f'  <mime-type type="{t}">\n    <comment>{what}</comment>\n    <glob pattern="{glob}"/>\n'
                    f'  </mime-type>\n' for t, (glob, what) in MODEL_TYPES.items())
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<mime-info xmlns="http://www.freedesktop.org/standards/shared-mime-info">\n' + types + "</mime-info>\n")


def _refresh(home: Path) -> None:
    """Tell the desktop about the new entry and types (update-mime-database, update-desktop-database), where
    those tools are installed; without them the files take effect at the next log-in."""
    for tool, folder in (("update-mime-database", home / "mime"), ("update-desktop-database", home / "applications")):
        if shutil.which(tool) and folder.is_dir():
            subprocess.run([tool, str(folder)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=60,
                           check=False)


def install(home: Path | None = None) -> list[Path]:
    """Write the icon, the desktop entry and the model types; returns their paths."""
    home = home or data_home()
    icon, entry, mime = home / ICON, home / ENTRY, home / MIME
    icon.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(shipped.path("icons", "nnviz.svg"), icon)
    entry.parent.mkdir(parents=True, exist_ok=True)
    entry.write_text(entry_text(icon, command()), encoding="utf-8")
    mime.parent.mkdir(parents=True, exist_ok=True)
    mime.write_text(mime_xml(), encoding="utf-8")
    _refresh(home)
    return [entry, icon, mime]


def remove(home: Path | None = None) -> list[Path]:
    """Delete the desktop entry, the icon and the model types; returns the paths that were there."""
    home = home or data_home()
    gone = [p for p in (home / ENTRY, home / ICON, home / MIME) if p.is_file()]
    for p in gone:
        p.unlink()
    _refresh(home)
    return gone
