"""File checks shared by every loader: only regular files are opened (a FIFO or a device would block
or never end), and their size is bounded before a byte is read."""

from __future__ import annotations

import os
import stat
from pathlib import Path


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
