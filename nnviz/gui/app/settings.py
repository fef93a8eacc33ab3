"""Where nnviz keeps its preferences (QSettings), and small typed helpers around them.

Organisation and application are both "nnviz". Set NNVIZ_SETTINGS_DIR to keep the settings in an
INI file in that folder instead (tests do, so they never touch the user's preferences).
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QSettings

ORGANISATION = APPLICATION = "nnviz"
MAX_RECENT = 8


def settings() -> QSettings:
    """The application's QSettings (an INI file under $NNVIZ_SETTINGS_DIR when that is set)."""
    folder = os.environ.get("NNVIZ_SETTINGS_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        return QSettings(str(Path(folder) / "nnviz.ini"), QSettings.Format.IniFormat)
    return QSettings(ORGANISATION, APPLICATION)


def get_str(key: str, default: str = "") -> str:
    value = settings().value(key, default)
    return str(value) if value is not None else default


def set_value(key: str, value) -> None:
    s = settings()
    s.setValue(key, value)
    s.sync()


def recent_files() -> list[str]:
    """Recently opened or saved model files, newest first (only those that still exist)."""
    value = settings().value("recentFiles", [])
    if isinstance(value, str):
        value = [value]
    return [p for p in (value or []) if Path(p).is_file()][:MAX_RECENT]


def add_recent_file(path: str | Path) -> list[str]:
    path = str(Path(path).resolve())
    files = [path] + [p for p in recent_files() if p != path]
    set_value("recentFiles", files[:MAX_RECENT])
    return files[:MAX_RECENT]
