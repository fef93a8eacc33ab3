"""Reading images for `nnviz predict`: any format Qt reads, as an (h, w, 4) uint8 RGBA array.

This lives outside nnviz.core because it uses Qt (QImage); the core only sees arrays.

Bounded: an image is never decoded larger than MAX_SIDE on its longer side when its format can scale
while decoding (JPEG, SVG, ...); formats that cannot (PNG, ...) are refused above MAX_PIXELS before
decoding. A few kilobytes of PNG that declare 8000x8000 pixels cost nothing. The file is read by Python
(any file name, and a permission error said as such) and decoded from memory.

Vector images (SVG, gzip-compressed SVGZ) are checked before Qt sees them (vector.py): the inflated text
is bounded, and so is the number of shapes its <use> references expand to (a 2.5 KB file of nested <use>
spun for minutes; a 1 MB SVGZ that inflates to 1 GB aborted the process). They are rendered only when a
QGuiApplication exists (their text needs the font database; without one Qt aborts the process).
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from nnviz.core.files import check_regular_file
from nnviz.handwriting import vector

MAX_SIDE = 2048  # decoded images are at most this long (a digit needs 28 pixels)
MAX_PIXELS = 4096 * 4096  # formats that cannot scale while decoding are refused above this
MAX_FILE_BYTES = 200_000_000
ALLOCATION_LIMIT_MB = 128  # Qt refuses (with a message) to allocate more for one decoded image
VECTOR_FORMATS = (b"svg", b"svgz")


def read_image(path: str | Path) -> np.ndarray:
    """(h, w, 4) uint8 RGBA pixels of an image file, or OSError/ValueError saying what is wrong."""
    # No application object is needed for raster formats (format plugins load without one), and creating a
    # bare QCoreApplication here would stop a later QApplication in the same process.
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
    from PySide6.QtGui import QGuiApplication, QImage, QImageReader

    path = Path(path)
    if not os.path.lexists(path):
        raise OSError(f"{path}: no such file")
    check_regular_file(path, OSError, MAX_FILE_BYTES, verb="read")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise OSError(f"{path}: cannot read it ({exc.strerror or exc})") from None
    if vector.looks_like_svg(data):
        if QGuiApplication.instance() is None:
            raise ValueError(f"{path}: SVG needs Qt's font system, which is not running here; convert it to PNG")
        data = vector.checked_svg(data, str(path))  # inflated, and within bounds (ValueError otherwise)
    buffer = QBuffer()
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    reader = QImageReader(buffer)
    try:
        image, error = _decode(reader, path)
    finally:
        reader.setDevice(None)  # (the reader must not outlive its device: Python frees locals in any order)
        buffer.close()
    if image.isNull():
        raise ValueError(f"{path}: not an image Qt can read ({error})")
    if max(image.width(), image.height()) > MAX_SIDE:
        image = image.scaled(MAX_SIDE, MAX_SIDE, Qt.AspectRatioMode.KeepAspectRatio,
                             Qt.TransformationMode.SmoothTransformation)
    image = image.convertToFormat(QImage.Format.Format_RGBA8888)
    h, w = image.height(), image.width()
    buf = np.frombuffer(image.constBits(), np.uint8, count=image.bytesPerLine() * h)
    return buf.reshape(h, image.bytesPerLine())[:, : w * 4].reshape(h, w, 4).copy()


def _decode(reader, path: Path):
    """(QImage, error text): the reader's image, scaled while decoding when it is larger than MAX_SIDE, or
    ValueError for an image too large to decode whole."""
    from PySide6.QtCore import QSize, Qt
    from PySide6.QtGui import QImageIOHandler

    fmt = bytes(reader.format().data())
    size = reader.size()
    scalable = reader.supportsOption(QImageIOHandler.ImageOption.ScaledSize)
    if size.isValid() and max(size.width(), size.height()) > MAX_SIDE:
        if not scalable and size.width() * size.height() > MAX_PIXELS:
            raise ValueError(f"{path}: {size.width()}x{size.height()} pixels is too large to read "
                             f"({fmt.decode(errors='replace').upper()} cannot be scaled while decoding; "
                             f"limit {MAX_PIXELS // 1_000_000} megapixels); scale it down first")
        if scalable:
            reader.setScaledSize(size.scaled(QSize(MAX_SIDE, MAX_SIDE), Qt.AspectRatioMode.KeepAspectRatio))
    return _read_limited(reader), reader.errorString()


def _read_limited(reader):
    """reader.read() with Qt's per-image allocation limit lowered for the call (it is process-wide)."""
    from PySide6.QtGui import QImageReader

    old = QImageReader.allocationLimit()
    QImageReader.setAllocationLimit(min(old, ALLOCATION_LIMIT_MB) if old else ALLOCATION_LIMIT_MB)
    try:
        return reader.read()
    finally:
        QImageReader.setAllocationLimit(old)


def is_vector(path: str | Path) -> bool:
    """Whether path holds an SVG (plain or gzip-compressed), by its first bytes. Only regular files are
    looked into (opening a FIFO would block)."""
    path = Path(path)
    if not path.is_file():
        return False
    try:
        with open(path, "rb") as f:
            return vector.looks_like_svg(f.read(4096))
    except OSError:
        return False
