"""Reader for the IDX format of MNIST (gzip-compressed or raw), validating every field.

Format: a 4-byte magic (0x00 0x00, type code, number of dimensions), then one big-endian uint32 per
dimension, then the data. MNIST uses type 0x08 (unsigned byte): images are (n, 28, 28), labels (n,).
"""

from __future__ import annotations

import gzip
import struct
import zlib
from pathlib import Path

import numpy as np

_DTYPES = {0x08: np.uint8, 0x09: np.int8, 0x0B: np.dtype(">i2"), 0x0C: np.dtype(">i4"),
           0x0D: np.dtype(">f4"), 0x0E: np.dtype(">f8")}
MAX_BYTES = 200_000_000  # nothing in MNIST comes close; refuse absurd headers before allocating


class DatasetError(Exception):
    """A data file is missing, corrupt or not what it claims to be. The message names the file."""


def _decompress(path: Path, raw: bytes) -> bytes:
    if raw[:2] != b"\x1f\x8b":
        return raw
    try:
        return gzip.decompress(raw)
    except (OSError, EOFError, zlib.error) as exc:
        raise DatasetError(f"{path.name}: the gzip data is damaged ({exc}); "
                           "delete the file and download it again") from None


def read_idx(path: str | Path, expect_dims: int | None = None, max_label: int | None = None) -> np.ndarray:
    """Read an IDX file (optionally gzipped) into an ndarray, or raise DatasetError saying what is wrong."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DatasetError(f"{path.name}: cannot read {path} ({exc.strerror or exc})") from None
    data = _decompress(path, raw)
    if len(data) < 4:
        raise DatasetError(f"{path.name}: too short to be an IDX file ({len(data)} bytes)")
    zero, code, ndim = struct.unpack(">HBB", data[:4])
    if zero != 0 or code not in _DTYPES:
        raise DatasetError(f"{path.name}: bad magic number 0x{data[:4].hex()} (not an IDX file)")
    if ndim == 0 or (expect_dims is not None and ndim != expect_dims):
        want = f"{expect_dims}" if expect_dims is not None else "at least 1"
        raise DatasetError(f"{path.name}: has {ndim} dimensions, expected {want}")
    header = 4 + 4 * ndim
    if len(data) < header:
        raise DatasetError(f"{path.name}: header cut short ({len(data)} bytes)")
    dims = struct.unpack(f">{ndim}I", data[4:header])
    dtype = np.dtype(_DTYPES[code])
    expected = int(np.prod(dims, dtype=np.int64)) * dtype.itemsize
    if expected > MAX_BYTES:
        raise DatasetError(f"{path.name}: header claims {dims}, which is implausibly large")
    if len(data) - header != expected:
        raise DatasetError(f"{path.name}: length mismatch: header says {dims} = {expected} bytes of data, "
                           f"file has {len(data) - header}")
    arr = np.frombuffer(data, dtype, offset=header).reshape(dims)
    if max_label is not None and arr.size and (int(arr.min()) < 0 or int(arr.max()) > max_label):
        bad = int(arr.min()) if int(arr.min()) < 0 else int(arr.max())
        raise DatasetError(f"{path.name}: label {bad} out of range 0..{max_label}")
    return arr
