"""File checks shared by every loader and writer: only regular files are opened (a FIFO or a device would
block or never end), their size is bounded before a byte is read, and a target is known to be writable
before the work that produces it starts. Writers write a hidden partial file beside the target and rename
it (partial_file); partial files left by a process that was killed are removed at the next write in
their folder (remove_stale_partials)."""

from __future__ import annotations

import os
import re
import stat
import tempfile
import time
from pathlib import Path

# .<name>.<pid>.<random>.partial[.<suffix>]: a write in progress by process pid
_PARTIAL = re.compile(r"^\..*\.(\d+)\.[A-Za-z0-9_]+\.partial(?:\.[A-Za-z0-9]+)?$")
# .<name>.<random>.tmp: what saves before the pid was in the name left behind (removed after an hour)
_OLD_TMP = re.compile(r"^\..+\.[A-Za-z0-9_]{8}\.tmp$")
OLD_TMP_AGE_S = 3600


class TargetError(OSError):
    """A file cannot be written where asked; the message says why (an OSError, as for any failed write)."""


def check_target(path: str | Path) -> None:
    """Raise TargetError unless a file can be written at path (checked by writing a probe file in
    its folder, or in the nearest existing ancestor when the folder is still to be made)."""
    path = Path(path)
    if path.is_dir():
        raise TargetError(f"{path} is a folder; give a file name (inside it, or next to it)")
    if len(os.fsencode(path.name)) > 255:
        raise TargetError(f"{path.name[:40]}…: the file name is longer than 255 bytes")
    folder = path.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    if not folder.is_dir():
        raise TargetError(f"cannot create the folder for {path}: {folder} is a file")
    try:
        fd, probe = tempfile.mkstemp(prefix=".nnviz-write-test.", dir=folder)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise TargetError(f"cannot write to {folder} ({exc.strerror or exc})") from None


def check_regular_file(path: str | Path, error: type[Exception], max_bytes: int | None = None,
                       verb: str = "open") -> int:
    """The size of path if it is a regular file (symlinks followed) no larger than max_bytes;
    otherwise raise `error` with a one-line message naming the file. Never opens the file."""
    path = Path(path)
    try:
        st = os.stat(path)
    except OSError as exc:
        raise error(f"{path.name}: cannot {verb} {path} ({exc.strerror or exc})") from None
    if stat.S_ISDIR(st.st_mode):
        raise error(f"{path.name}: cannot {verb} {path}: it is a folder, not a file")
    if not stat.S_ISREG(st.st_mode):
        raise error(f"{path.name}: is not a regular file ({_kind(st.st_mode)}); refused")
    if max_bytes is not None and st.st_size > max_bytes:
        raise error(f"{path.name}: {st.st_size} bytes is far too large (limit {max_bytes})")
    return st.st_size


def _kind(mode: int) -> str:
    for test, name in ((stat.S_ISFIFO, "a named pipe"), (stat.S_ISCHR, "a character device"),
                       (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return name
    return "not an ordinary file"


def partial_file(path: str | Path, suffix: str = "") -> tuple[int, Path]:
    """(an open file descriptor, its path) for a hidden partial file beside path, named after this process,
    to be renamed to path once written whole (a short name: path's own may be near the length limit)."""
    path = Path(path)
    fd, name = tempfile.mkstemp(prefix=f".{path.name[:24]}.{os.getpid()}.", suffix=f".partial{suffix}",
                                dir=path.parent)
    return fd, Path(name)


def remove_stale_partials(folder: str | Path) -> list[Path]:
    """Remove the partial files in folder whose writer is no longer running (a save killed mid-write), and
    temporary files of older versions more than an hour old. Returns what was removed."""
    removed = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        stale = False
        if (m := _PARTIAL.match(entry.name)) is not None:
            stale = int(m.group(1)) != os.getpid() and not _running(int(m.group(1)))
        elif _OLD_TMP.match(entry.name):
            try:
                stale = time.time() - entry.stat(follow_symlinks=False).st_mtime > OLD_TMP_AGE_S
            except OSError:
                continue
        if stale and entry.is_file(follow_symlinks=False):
            try:
                os.unlink(entry.path)
                removed.append(Path(entry.path))
            except OSError:
                pass
    return removed


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, ValueError):
        return pid > 0  # another user's process, or a number no process can have
    return True
