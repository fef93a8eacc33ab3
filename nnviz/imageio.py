"""Reading images for `nnviz predict`: any format Qt reads, as an (h, w, 4) uint8 RGBA array.

This lives outside nnviz.core because it uses Qt (QImage); the core only sees arrays.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np


def read_image(path: str | Path) -> np.ndarray:
    """(h, w, 4) uint8 RGBA pixels of an image file, or OSError/ValueError saying what is wrong."""
    from PySide6.QtGui import QImage, QImageReader

    # No application object is needed (format plugins load without one), and creating a bare
    # QCoreApplication here would stop a later QApplication in the same process.
    path = Path(path)
    if not path.is_file():
        raise OSError(f"{path}: no such file")
    reader = QImageReader(str(path))
    image = reader.read()
    if image.isNull():
        raise ValueError(f"{path}: not an image Qt can read ({reader.errorString()})")
    image = image.convertToFormat(QImage.Format.Format_RGBA8888)
    h, w = image.height(), image.width()
    buf = np.frombuffer(image.constBits(), np.uint8, count=image.bytesPerLine() * h)
    return buf.reshape(h, image.bytesPerLine())[:, : w * 4].reshape(h, w, 4).copy()
