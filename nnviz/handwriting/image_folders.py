"""A folder of digit images as a dataset: sub-folders `0` ... `9` of images in any format Qt reads
(torchvision's ImageFolder convention), made MNIST-like by nnviz.core.preprocess.

    folder = load_image_folder("my-digits/", deskew=True)
    folder.x (n, 784) float32, folder.y (n,) uint8, folder.paths, folder.bad [(path, reason), ...]

Bad files (not images, unreadable, blank) are listed in `bad` and skipped, never fatal; a folder with
no digit sub-folders at all is an error (FolderError) that says what was expected.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from nnviz.core import preprocess
from nnviz.handwriting.images import read_image

CLASSES = tuple(str(d) for d in range(10))
MAX_IMAGES = 10_000  # images read at once (their inputs: 31 MB; a folder of 100,000 took 1.6 GB and 108 s)


class FolderError(ValueError):
    """The folder cannot be used as a dataset; the message says why."""


@dataclass
class ImageFolder:
    root: Path
    x: np.ndarray  # (n, 784) float32 in [0, 1], MNIST-like (deskewed when asked)
    y: np.ndarray  # (n,) uint8
    paths: list[Path] = field(default_factory=list)
    bad: list[tuple[Path, str]] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.y)

    def counts(self) -> dict[int, int]:
        return {c: int((self.y == c).sum()) for c in range(10)}


def digit_folders(root: Path) -> list[Path]:
    return [root / name for name in CLASSES if (root / name).is_dir()]


def image_files(root: Path) -> list[tuple[Path, int]]:
    """(file, label) for every entry of root/0 ... root/9 but folders and hidden files: a FIFO, a device or a
    dangling link is in the list too, so that reading it says why it was skipped."""
    return [(f, int(d.name)) for d in digit_folders(Path(root)) for f in sorted(d.iterdir())
            if not f.name.startswith(".") and not f.is_dir()]


def load_image_folder(root: str | Path, deskew: bool = False, progress=None, cancelled=None) -> ImageFolder:
    """Every image under root/0 ... root/9 (at most MAX_IMAGES). progress(done, total) is called now and then
    if given; cancelled() true stops the reading (FolderError "cancelled")."""
    root = Path(root)
    if not root.is_dir():
        raise FolderError(f"{root}: not a folder")
    folders = digit_folders(root)
    if not folders:
        raise FolderError(f"{root}: no digit sub-folders; expected folders named 0 to 9 holding images")
    files = image_files(root)
    if len(files) > MAX_IMAGES:
        raise FolderError(f"{root}: {len(files):,} images; nnviz reads at most {MAX_IMAGES:,} at once "
                          "(make a folder with a part of them)")
    xs, ys, paths, bad = [], [], [], []
    for i, (path, label) in enumerate(files):
        if cancelled is not None and cancelled():
            raise FolderError(f"{root}: reading cancelled")
        try:
            x = preprocess.image_to_input(read_image(path), deskew)
        except (OSError, ValueError) as exc:
            bad.append((path, str(exc).removeprefix(f"{path}: ")))
            continue
        if x is None:
            bad.append((path, "blank: no ink"))
            continue
        xs.append(x)
        ys.append(label)
        paths.append(path)
        if progress is not None and i % 50 == 0:
            progress(i, len(files))
    x = np.stack(xs).astype(np.float32) if xs else np.zeros((0, 784), np.float32)
    return ImageFolder(root, x, np.array(ys, np.uint8), paths, bad)
