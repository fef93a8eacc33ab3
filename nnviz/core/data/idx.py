"""Reader for the IDX format of MNIST (gzip-compressed or raw), validating every field.

Format: a 4-byte magic (0x00 0x00, type code, number of dimensions), then one big-endian uint32 per
dimension, then the data. MNIST uses type 0x08 (unsigned byte): images are (n, 28, 28), labels (n,).
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import numpy as np

from ..files import check_regular_file

_DTYPES = {0x08: np.uint8, 0x09: np.int8, 0x0B: np.dtype(">i2"), 0x0C: np.dtype(">i4"),
           0x0D: np.dtype(">f4"), 0x0E: np.dtype(">f8")}
MAX_BYTES = 200_000_000  # nothing in MNIST comes close; refuse absurd headers before allocating


class DatasetError(Exception):
    """A data file is missing, corrupt or not what it claims to be. The message names the file."""


_HEAD = 4 + 4 * 255  # the longest possible IDX header


def _damaged(path: Path, exc: Exception) -> DatasetError:
    return DatasetError(f"{path.name}: the gzip data is damaged ({exc}); delete the file and download it again")


def _gunzip_bounded(path: Path, raw: bytes) -> bytes:
    """Decompress gzip data, but never more than its IDX header says the file holds (plus one byte, to
    notice a longer file): a small file cannot inflate to gigabytes."""
    d = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        data = d.decompress(raw, _HEAD)
        expected = _expected_bytes(path, data) if len(data) >= 4 else 0
        want = 4 + 4 * data[3] + expected + 1 if len(data) >= 4 else 0
        while len(data) < want and d.unconsumed_tail:
            data += d.decompress(d.unconsumed_tail, want - len(data))
    except zlib.error as exc:
        raise _damaged(path, exc) from None
    if len(data) < want and not d.eof:
        raise _damaged(path, EOFError("compressed file ended before the end-of-stream marker"))
    return data


def _expected_bytes(path: Path, data: bytes) -> int:
    """Bytes of array data the header at the start of data declares (checked against MAX_BYTES)."""
    zero, code, ndim = struct.unpack(">HBB", data[:4])
    if zero != 0 or code not in _DTYPES or len(data) < 4 + 4 * ndim:
        return 0  # read_idx names the problem
    dims = struct.unpack(f">{ndim}I", data[4:4 + 4 * ndim])
    expected = int(np.prod(dims, dtype=object)) * np.dtype(_DTYPES[code]).itemsize
    if expected > MAX_BYTES:
        raise DatasetError(f"{path.name}: header claims {dims}, which is implausibly large")
    return expected


def read_idx(path: str | Path, expect_dims: int | None = None, max_label: int | None = None) -> np.ndarray:
    """Read an IDX file (optionally gzipped) into an ndarray, or raise DatasetError saying what is wrong."""
    path = Path(path)
    check_regular_file(path, DatasetError, MAX_BYTES + _HEAD, verb="read")
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DatasetError(f"{path.name}: cannot read {path} ({exc.strerror or exc})") from None
    data = _gunzip_bounded(path, raw) if raw[:2] == b"\x1f\x8b" else raw
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
    expected = _expected_bytes(path, data)
    if len(data) - header != expected:
        found = ("" if len(data) - header <= expected else "at least ") + str(len(data) - header)
        raise DatasetError(f"{path.name}: length mismatch: header says {dims} = {expected} bytes of data, "
                           f"file has {found}")
    arr = np.frombuffer(data, dtype, offset=header).reshape(dims)
    _check_values(path, arr, max_label)
    return arr


def _check_values(path: Path, arr: np.ndarray, max_label: int | None) -> None:
    if arr.dtype.kind == "f" and arr.size and not np.isfinite(arr).all():
        raise DatasetError(f"{path.name}: contains NaN or infinite values")
    if max_label is None or not arr.size:
        return
    if arr.dtype.kind != "u" and arr.dtype.kind != "i":
        raise DatasetError(f"{path.name}: labels must be whole numbers, found type {arr.dtype}")
    if int(arr.min()) < 0 or int(arr.max()) > max_label:
        bad = int(arr.min()) if int(arr.min()) < 0 else int(arr.max())
        raise DatasetError(f"{path.name}: label {bad} out of range 0..{max_label}")
