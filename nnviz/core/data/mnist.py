"""MNIST: where the four files are, downloading them with checksums, and loading them validated.

Search order, the same for the app and every command: an explicit folder (--data DIR) alone, when given
(a wrong one is an error, never silently replaced); otherwise $NNVIZ_DATA, then the folder chosen in the
app ("Choose folder…", remembered in a small text file beside the settings), then the user cache folder.
Missing files are downloaded from the public mirrors, tried in turn, each file checked against its
published MD5 (pooch does the download and the check).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .idx import DatasetError, read_idx

MNIST_FILES = {
    "train_images": ("train-images-idx3-ubyte.gz", "f68b3c2dcbeaaa9fbdd348bbdeb94873"),
    "train_labels": ("train-labels-idx1-ubyte.gz", "d53e105ee54ea40749a09fcbcd1e9432"),
    "test_images": ("t10k-images-idx3-ubyte.gz", "9fb629c4189551a2d022fa330f9573f3"),
    "test_labels": ("t10k-labels-idx1-ubyte.gz", "ec29112dd5afa0611ce80d1b7f02629c"),
}
MIRRORS = (
    "https://ossci-datasets.s3.amazonaws.com/mnist/",
    "https://storage.googleapis.com/cvdf-datasets/mnist/",
    "http://yann.lecun.com/exdb/mnist/",
)
ATTRIBUTION = ("MNIST by Yann LeCun, Corinna Cortes and Christopher J.C. Burges, "
               "licensed CC BY-SA 3.0 (http://yann.lecun.com/exdb/mnist/).")

Progress = Callable[[str, int, int], None]  # (file name, bytes done, bytes total)


def cache_dir() -> Path:
    """The user cache folder for MNIST (platformdirs), e.g. ~/.cache/nnviz/mnist on Linux."""
    import platformdirs

    return Path(platformdirs.user_cache_dir("nnviz", appauthor=False)) / "mnist"


def _chosen_file() -> Path:
    """Where the folder chosen in the app is remembered: beside the settings ($NNVIZ_SETTINGS_DIR, as the
    app's QSettings, else the user config folder), so that the command line finds it too."""
    import platformdirs

    folder = os.environ.get("NNVIZ_SETTINGS_DIR") or platformdirs.user_config_dir("nnviz", appauthor=False)
    return Path(folder) / "mnist-folder.txt"


def chosen_folder() -> Path | None:
    """The MNIST folder the user chose in the app, or None (never chosen, or unreadable)."""
    try:
        text = _chosen_file().read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return Path(text) if text and "\n" not in text and "\0" not in text else None


def remember_folder(folder: str | Path) -> None:
    """Remember folder as the user's MNIST folder (searched after $NNVIZ_DATA, before the cache)."""
    path = _chosen_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(str(Path(folder).resolve()) + "\n", encoding="utf-8")


def candidate_dirs(data_dir: str | Path | None = None) -> list[Path]:
    """Folders searched for the four files, in order: an explicit folder is the only one."""
    if data_dir:
        return [Path(data_dir)]
    dirs = []
    if os.environ.get("NNVIZ_DATA"):
        dirs.append(Path(os.environ["NNVIZ_DATA"]))
    chosen = chosen_folder()
    if chosen is not None:
        dirs.append(chosen)
    dirs.append(cache_dir())
    return dirs


def md5(path: Path) -> str:
    h = hashlib.md5()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def find_mnist(data_dir: str | Path | None = None) -> Path | None:
    """The first candidate folder that holds all four files, or None."""
    for d in candidate_dirs(data_dir):
        if all((d / name).is_file() for name, _ in MNIST_FILES.values()):
            return d
    return None


def explicit_folder(folder: Path) -> Path:
    """folder, if it holds the four MNIST files; else DatasetError naming it and what is missing."""
    if not folder.is_dir():
        raise DatasetError(f"MNIST folder {folder} does not exist (or is not a folder)")
    missing = [name for name, _ in MNIST_FILES.values() if not (folder / name).is_file()]
    if missing:
        raise DatasetError(f"MNIST folder {folder} lacks {', '.join(missing)}")
    return folder


def verify(folder: Path) -> dict[str, bool]:
    """File name -> whether its MD5 matches the published one."""
    return {name: (folder / name).is_file() and md5(folder / name) == digest
            for name, digest in MNIST_FILES.values()}


def missing_message(tried_dirs: list[Path], errors: list[str], mirrors: tuple[str, ...] | None = None) -> str:
    names = ", ".join(name for name, _ in MNIST_FILES.values())
    mirrors = MIRRORS if mirrors is None else mirrors
    return (f"MNIST not found and could not be downloaded. nnviz needs the four files {names}. "
            f"Looked in: {', '.join(str(d) for d in tried_dirs)}. Mirrors tried: {', '.join(mirrors)}"
            + (f" ({'; '.join(errors)})" if errors else "")
            + ". Put the files in a folder and pass --data DIR or set NNVIZ_DATA=DIR.")


def download_mnist(dest: Path | None = None, mirrors: tuple[str, ...] | None = None,
                   progress: Progress | None = None, searched: list[Path] | None = None) -> Path:
    """Fetch any missing file into dest (default: the cache), trying each mirror in turn; check MD5.

    mirrors: base URLs ending in "/" (default: MIRRORS, looked up at call time).
    """
    import pooch

    pooch.get_logger().setLevel("WARNING")  # our own progress speaks; pooch's 'Downloading…' lines are noise

    mirrors = MIRRORS if mirrors is None else tuple(mirrors)
    dest = Path(dest) if dest else cache_dir()
    dest.mkdir(parents=True, exist_ok=True)
    errors: list[str] = []
    for name, digest in MNIST_FILES.values():
        if (dest / name).is_file() and md5(dest / name) == digest:
            continue
        for mirror in mirrors:
            try:
                pooch.retrieve(mirror + name, known_hash=f"md5:{digest}", fname=name, path=dest,
                               progressbar=_PoochProgress(name, progress) if progress else False)
                break
            except ValueError:  # pooch: hash mismatch (it deletes the bad download)
                errors.append(f"{mirror}{name}: checksum mismatch")
            except Exception as exc:  # network errors of every kind: try the next mirror
                errors.append(f"{mirror}{name}: {type(exc).__name__}")
        else:
            raise DatasetError(missing_message(searched or [dest], errors, mirrors))
    return dest


class _PoochProgress:
    """Adapts pooch's tqdm-like progress protocol to a plain callback."""

    def __init__(self, name: str, callback: Progress) -> None:
        self.name, self.callback, self.total, self.n = name, callback, 0, 0

    def update(self, k: int) -> None:
        self.n += k
        self.callback(self.name, self.n, self.total)

    def reset(self) -> None:
        self.n = 0

    def close(self) -> None:
        self.callback(self.name, self.total, self.total)


@dataclass(frozen=True)
class Mnist:
    """MNIST as stored: x_* (n, 784) uint8 pixels (0..255, ink 255; 55 MB in all, read-only views of the
    decompressed files), y_* (n,) int64; and the folder it came from. Networks, training and
    evaluation convert pixels to inputs in [0, 1] batch by batch (core.pixels.as_input)."""

    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    folder: Path

    def checksums(self) -> dict[str, str]:
        return {name: digest for name, digest in MNIST_FILES.values()}


def load_folder(folder: Path) -> Mnist:
    """Read and validate the four files in folder."""
    arrays = {}
    for key, (name, _) in MNIST_FILES.items():
        is_images = key.endswith("images")
        arr = read_idx(folder / name, expect_dims=3 if is_images else 1, max_label=None if is_images else 9)
        if is_images and arr.shape[1:] != (28, 28):
            raise DatasetError(f"{name}: images are {arr.shape[1]}x{arr.shape[2]}, expected 28x28")
        if is_images and arr.dtype != np.uint8:
            raise DatasetError(f"{name}: pixels are {arr.dtype}, expected unsigned bytes (uint8)")
        arrays[key] = arr
        if arr.shape[0] == 0:
            raise DatasetError(f"{name}: holds no examples (header says {arr.shape[0]})")
    for split in ("train", "test"):
        n_img, n_lab = len(arrays[f"{split}_images"]), len(arrays[f"{split}_labels"])
        if n_img != n_lab:
            raise DatasetError(f"{split} set: {n_img} images but {n_lab} labels")
    flat = lambda a: a.reshape(len(a), -1)  # noqa: E731  (a view: the pixels are not copied)
    return Mnist(flat(arrays["train_images"]), arrays["train_labels"].astype(np.int64),
                 flat(arrays["test_images"]), arrays["test_labels"].astype(np.int64), folder)


def images_to_x(images: np.ndarray) -> np.ndarray:
    """Stored digits (n, 28, 28) uint8 (ink 255) -> network inputs (n, 784) float32 in [0, 1]."""
    return images.reshape(len(images), -1).astype(np.float32) / 255.0


def load_mnist(data_dir: str | Path | None = None, download: bool = True,
               progress: Progress | None = None) -> Mnist:
    """Find MNIST (or download it into the cache) and load it; DatasetError says what went wrong.

    An explicit data_dir must hold the four files: it is neither searched past nor downloaded into."""
    if data_dir:
        return load_folder(explicit_folder(Path(data_dir)))
    folder = find_mnist(data_dir)
    if folder is None:
        if not download:
            raise DatasetError(missing_message(candidate_dirs(data_dir), []))
        folder = download_mnist(progress=progress, searched=candidate_dirs(data_dir))
    return load_folder(folder)
