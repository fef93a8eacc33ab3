"""What a .npz holds, read from the zip directory and each member's .npy header only (no array data).

A few kilobytes of a crafted file can declare gigabytes: each member's declared shape and dtype must
agree with its uncompressed size in the zip directory, and the totals are bounded, before any array
is read. Readers of the data afterwards cannot get more bytes than the directory declares (zipfile
stops at the declared size and checks the CRC).
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass

import numpy as np

MAX_MEMBERS = 4096
MAX_HEADER = 10_000  # numpy's own limit for a .npy header


class HeaderError(ValueError):
    """The zip directory or a .npy header is not what a model file holds; the message says why."""


@dataclass(frozen=True)
class Spec:
    """One member's declared array: the same attributes a loaded ndarray has, without the data."""

    shape: tuple[int, ...]
    dtype: np.dtype
    nbytes: int  # uncompressed member size in the zip directory (header included)

    @property
    def ndim(self) -> int:
        return len(self.shape)

    @property
    def size(self) -> int:
        return int(np.prod(self.shape, dtype=object))


def read_specs(path, max_total_bytes: int, optional_prefix: str = "", max_optional_bytes: int = 0) -> dict[str, Spec]:
    """{array name: Spec} of an .npz, or HeaderError saying what is wrong (zip errors pass through).

    Arrays named optional_prefix... (when given) are bounded by max_optional_bytes on their own and left out
    of the result: their reader checks them."""
    with zipfile.ZipFile(path) as zf:
        infos = zf.infolist()
        if len(infos) > MAX_MEMBERS:
            raise HeaderError(f"{len(infos)} members is implausible for a model")
        optional = [i for i in infos if optional_prefix and i.filename.startswith(optional_prefix)]
        infos = [i for i in infos if i not in optional]
        total = sum(info.file_size for info in infos)
        if total > max_total_bytes:
            raise HeaderError(f"its arrays would take {total} bytes uncompressed (limit {max_total_bytes})")
        extra = sum(info.file_size for info in optional)
        if extra > max_optional_bytes:
            raise HeaderError(f"its {optional_prefix}* arrays would take {extra} bytes uncompressed "
                              f"(limit {max_optional_bytes})")
        return {_array_name(info.filename): _spec(zf, info) for info in infos}


def _array_name(member: str) -> str:
    return member[:-4] if member.endswith(".npy") else member


def _spec(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> Spec:
    name = _array_name(info.filename)
    with zf.open(info) as f:
        try:
            version = np.lib.format.read_magic(f)
            reader = {(1, 0): np.lib.format.read_array_header_1_0, (2, 0): np.lib.format.read_array_header_2_0}
            if version not in reader:
                raise HeaderError(f"unknown .npy version {version}")
            shape, _fortran, dtype = reader[version](f, max_header_size=MAX_HEADER)
            header_len = f.tell()
        except ValueError as exc:  # numpy's own header errors (and ours above)
            raise HeaderError(f"member {name!r} is not a .npy array ({exc})") from None
    if dtype.hasobject:
        raise HeaderError(f"{name} contains object arrays that would need pickle; refused")
    data_bytes = int(np.prod(shape, dtype=object)) * dtype.itemsize
    if header_len + data_bytes != info.file_size:
        raise HeaderError(f"{name} declares shape {shape} of {dtype} ({data_bytes} bytes) but its member "
                         f"holds {info.file_size - header_len}")
    return Spec(tuple(int(n) for n in shape), dtype, info.file_size)
