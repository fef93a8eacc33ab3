"""Reading images for `nnviz predict`: any format Qt reads, as an (h, w, 4) uint8 RGBA array.

This lives outside nnviz.core because it uses Qt (QImage); the core only sees arrays.

Bounded: an image is never decoded larger than MAX_SIDE on its longer side when its format can scale
while decoding (JPEG, SVG, ...); formats that cannot (PNG, ...) are refused above MAX_PIXELS before
decoding. A few kilobytes of PNG that declare 8000x8000 pixels cost nothing. SVGs are rendered only
when a QGuiApplication exists (their text needs the font database; without one Qt aborts the process).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from nnviz.core.files import check_regular_file

MAX_SIDE = 2048  # decoded images are at most this long (a digit needs 28 pixels)
MAX_PIXELS = 4096 * 4096  # formats that cannot scale while decoding are refused above this
MAX_FILE_BYTES = 200_000_000
ALLOCATION_LIMIT_MB = 128  # Qt refuses (with a message) to allocate more for one decoded image
VECTOR_FORMATS = (b"svg", b"svgz")


def read_image(path: str | Path) -> np.ndarray:
    """(h, w, 4) uint8 RGBA pixels of an image file, or OSError/ValueError saying what is wrong."""
    from PySide6.QtCore import QSize, Qt
    from PySide6.QtGui import QGuiApplication, QImage, QImageIOHandler, QImageReader

    # No application object is needed for raster formats (format plugins load without one), and creating a
    # bare QCoreApplication here would stop a later QApplication in the same process.
    path = Path(path)
    if not path.exists():
        raise OSError(f"{path}: no such file")
    check_regular_file(path, OSError, MAX_FILE_BYTES)
    reader = QImageReader(str(path))
    fmt = bytes(reader.format().data())
    if fmt in VECTOR_FORMATS and QGuiApplication.instance() is None:
        raise ValueError(f"{path}: SVG needs Qt's font system, which is not running here; convert it to PNG")
    size = reader.size()
    scalable = reader.supportsOption(QImageIOHandler.ImageOption.ScaledSize)
    if size.isValid() and max(size.width(), size.height()) > MAX_SIDE:
        if not scalable and size.width() * size.height() > MAX_PIXELS:
            raise ValueError(f"{path}: {size.width()}x{size.height()} pixels is too large to read "
                             f"({fmt.decode(errors='replace').upper()} cannot be scaled while decoding; "
                             f"limit {MAX_PIXELS // 1_000_000} megapixels); scale it down first")
        if scalable:
            reader.setScaledSize(size.scaled(QSize(MAX_SIDE, MAX_SIDE), Qt.AspectRatioMode.KeepAspectRatio))
    image = _read_limited(reader)
    if image.isNull():
        raise ValueError(f"{path}: not an image Qt can read ({reader.errorString()})")
    if max(image.width(), image.height()) > MAX_SIDE:
        image = image.scaled(MAX_SIDE, MAX_SIDE, Qt.AspectRatioMode.KeepAspectRatio,
                             Qt.TransformationMode.SmoothTransformation)
    image = image.convertToFormat(QImage.Format.Format_RGBA8888)
    h, w = image.height(), image.width()
    buf = np.frombuffer(image.constBits(), np.uint8, count=image.bytesPerLine() * h)
    return buf.reshape(h, image.bytesPerLine())[:, : w * 4].reshape(h, w, 4).copy()


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
    """Whether Qt reads path as SVG (by content or name), without decoding it. Only regular files are
    looked into (opening a FIFO would block)."""
    from PySide6.QtGui import QImageReader

    return Path(path).is_file() and bytes(QImageReader(str(path)).format().data()) in VECTOR_FORMATS
