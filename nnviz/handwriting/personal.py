"""The user's own digits: folder/<label>/<time>.png, white ink on black like the canvas (My digits).

    store = PersonalDigits()          # $NNVIZ_MY_DIGITS, else the user data folder's my-digits/
    path = store.add(pixels, 7)       # written whole or not at all (OSError says why)
    digits = store.load()             # an ImageFolder, or None when there are none yet
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import numpy as np
from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtGui import QImage

from nnviz.core.files import partial_file, remove_stale_partials
from nnviz.handwriting.image_folders import ImageFolder, load_image_folder


def user_digits_folder() -> Path:
    """$NNVIZ_MY_DIGITS, else the user data folder's my-digits/ (platformdirs)."""
    if os.environ.get("NNVIZ_MY_DIGITS"):
        return Path(os.environ["NNVIZ_MY_DIGITS"])
    from platformdirs import user_data_dir

    return Path(user_data_dir("nnviz", appauthor=False)) / "my-digits"


def png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise OSError("could not encode the picture as PNG")
    return bytes(data.data())


def write_checked(data: bytes, path: Path, readable) -> None:
    """data to path through a hidden file beside it: written whole, synced, `readable(file)` true, renamed.
    Any failure removes the hidden file and raises OSError naming path (nothing half-written stays)."""
    fd, partial = partial_file(path)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        if partial.stat().st_size != len(data) or not readable(partial):
            raise OSError("the file written is incomplete")
        os.replace(partial, path)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise OSError(f"could not write {path}: {exc.strerror or exc}") from None


class PersonalDigits:
    """The personal set: folder/<label>/<time>.png, white ink on black like the canvas."""

    def __init__(self, folder: str | Path | None = None) -> None:
        self.folder = Path(folder) if folder else user_digits_folder()

    def add(self, pixels: np.ndarray, label: int) -> Path:
        """Store a drawing ((h, w) floats in [0, 1], ink 1) under its true label; returns the file.

        The picture is written beside its place, checked (complete and readable back) and then renamed, so a
        full disk or a folder that cannot be made leaves nothing half-written: OSError says what failed."""
        if not 0 <= int(label) <= 9:
            raise ValueError(f"a digit's label is 0-9, got {label}")
        g = np.ascontiguousarray(np.clip(np.asarray(pixels, np.float32), 0, 1) * 255, np.uint8)
        image = QImage(g.data, g.shape[1], g.shape[0], g.strides[0], QImage.Format.Format_Grayscale8)
        folder = self.folder / str(int(label))
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:  # (my-digits/7 is a file; no permission)
            what = "is a file, not a folder" if folder.exists() else (exc.strerror or str(exc)).lower()
            raise OSError(f"cannot store it in {folder}: it {what}" if folder.exists() else
                          f"cannot make the folder {folder}: {what}") from None
        path = folder / f"{dt.datetime.now().strftime('%Y%m%d-%H%M%S-%f')}.png"
        write_checked(png_bytes(image), path, lambda written: not QImage(str(written)).isNull())
        return path

    def delete(self, path: str | Path) -> None:
        Path(path).unlink(missing_ok=True)

    def load(self) -> ImageFolder | None:
        """Every stored digit (None when there are none yet); partial pictures of a killed save go first."""
        for d in range(10):
            remove_stale_partials(self.folder / str(d))
        if not any((self.folder / str(d)).is_dir() for d in range(10)):
            return None
        return load_image_folder(self.folder)
