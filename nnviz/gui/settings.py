"""Where nnviz keeps its preferences (QSettings), and small typed helpers around them.

Organisation and application are both "nnviz". Set NNVIZ_SETTINGS_DIR to keep the settings in an
INI file in that folder instead (tests do, so they never touch the user's preferences).

A settings file is data from wherever the home folder came from, so it is never code: PySide6's QSettings
unpickles a value stored as @Variant(... PySide::PyObjectWrapper ...) when it is read, and a crafted one
runs what it likes. nnviz stores only strings, numbers, lists of strings and byte arrays, none of them a
@Variant; such lines are removed from the file before Qt reads it (and said once in the log). A settings
path that is not a regular file (a FIFO would hang the start) or is absurdly large is not read: the
session keeps its settings in a file of its own.
"""

from __future__ import annotations

import logging
import os
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths

ORGANISATION = APPLICATION = "nnviz"
MAX_RECENT = 8
MAX_BYTES = 1 << 20  # a real settings file is a few KB
_log = logging.getLogger("nnviz.settings")
_said: set[str] = set()
_session_file: list[str] = []  # the stand-in file when the real one cannot be read safely


def settings() -> QSettings:
    """The application's QSettings (an INI file under $NNVIZ_SETTINGS_DIR when that is set), disarmed
    before Qt reads it (reading is what unpickles)."""
    folder = os.environ.get("NNVIZ_SETTINGS_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        path = Path(folder) / "nnviz.ini"
        return QSettings(str(path), QSettings.Format.IniFormat) if _safe(path) else _stand_in()
    path = native_file()
    if path is not None and not _safe(path):
        return _stand_in()
    return QSettings(ORGANISATION, APPLICATION)


def native_file() -> Path | None:
    """Where QSettings keeps nnviz's settings on a Unix desktop ($XDG_CONFIG_HOME/nnviz/nnviz.conf), found
    without a QSettings (constructing one reads the file); None elsewhere (the Windows registry, a macOS
    plist: Qt's own stores)."""
    if sys.platform.startswith(("win", "darwin")):
        return None
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.GenericConfigLocation)
    return Path(base) / ORGANISATION / f"{APPLICATION}.conf" if base else None


def _safe(path: Path) -> bool:
    """Whether the settings file can be read: absent, or a regular file of sane size with no pickle in it
    (which this removes). False: it is left alone and not used."""
    try:
        if not path.exists() and not path.is_symlink():
            return True
        if not path.is_file() or path.stat().st_size > MAX_BYTES:
            _say(f"{path} is not a settings file (not a regular file, or larger than 1 MB): not read; "
                 "this session's settings are not kept")
            return False
        text = path.read_bytes()
    except OSError as exc:
        _say(f"{path} cannot be read ({exc.strerror or exc}): this session's settings are not kept")
        return False
    if b"@Variant(" not in text:
        return True
    lines = text.splitlines(keepends=True)
    kept = [line for line in lines if b"@Variant(" not in line]
    try:
        path.write_bytes(b"".join(kept))
    except OSError as exc:
        _say(f"{path} holds values nnviz never writes (pickled objects) and cannot be cleaned "
             f"({exc.strerror or exc}): not read")
        return False
    _say(f"{path}: {len(lines) - len(kept)} value(s) of a kind nnviz never writes (pickled Python objects, "
         "which would run code) removed")
    return True


def _stand_in() -> QSettings:
    if not _session_file:
        handle, name = tempfile.mkstemp(prefix="nnviz-settings-", suffix=".ini")
        os.close(handle)
        _session_file.append(name)
    return QSettings(_session_file[0], QSettings.Format.IniFormat)


def _say(text: str) -> None:
    if text not in _said:
        _said.add(text)
        _log.warning("%s", text)


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
