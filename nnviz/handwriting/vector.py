"""SVG files, checked before Qt renders them: time and memory bounded by the document, not by what it asks for.

    if looks_like_svg(data):
        svg = checked_svg(data, name)    # the (inflated) text, or ValueError in one line

An SVGZ is inflated only up to MAX_SVG_BYTES. The text is parsed with expat (which refuses entity
expansion bombs) and no more than MAX_ELEMENTS elements; each <use> draws what it references again, so the
number of shapes the document expands to is counted (references followed, cycles refused) and bounded by
MAX_DRAWN, which a digit drawn as SVG never comes near.
"""

from __future__ import annotations

import gzip
import io
import re
import zlib
from xml.etree import ElementTree

MAX_SVG_BYTES = 4 << 20  # inflated text
MAX_ELEMENTS = 50_000
MAX_DRAWN = 200_000  # shapes after every <use> is expanded
GZIP_MAGIC = b"\x1f\x8b"
_SVG_START = re.compile(rb"^\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*(<!DOCTYPE[^>]*>\s*)?(<!--.*?-->\s*)*<svg[\s>]",
                        re.S | re.I)
_XLINK = "{http://www.w3.org/1999/xlink}href"


def looks_like_svg(data: bytes) -> bool:
    """An SVG by its first bytes: gzip (SVGZ: Qt reads it as SVG whatever its name) or an <svg> document."""
    return data[:2] == GZIP_MAGIC or bool(_SVG_START.match(data[:4096]))


def checked_svg(data: bytes, name: str) -> bytes:
    """The SVG text of data (inflated if it is SVGZ), or ValueError saying which bound it passes."""
    if data[:2] == GZIP_MAGIC:
        try:
            with gzip.GzipFile(fileobj=io.BytesIO(data)) as f:
                data = f.read(MAX_SVG_BYTES + 1)
        except (OSError, EOFError, zlib.error) as exc:
            raise ValueError(f"{name}: a damaged compressed SVG ({exc})") from None
        if not _SVG_START.match(data[:4096]):
            raise ValueError(f"{name}: compressed, but not an SVG inside")
    if len(data) > MAX_SVG_BYTES:
        raise ValueError(f"{name}: the SVG is larger than {MAX_SVG_BYTES >> 20} MB (inflated); refused")
    try:
        root = ElementTree.fromstring(data)
    except (ElementTree.ParseError, RecursionError) as exc:
        raise ValueError(f"{name}: not a well-formed SVG ({str(exc)[:80]})") from None
    drawn = _drawn(root, name)
    if drawn > MAX_DRAWN:
        raise ValueError(f"{name}: the SVG's <use> references expand to {drawn:,} shapes or more "
                         f"(limit {MAX_DRAWN:,}); refused")
    return data


def _drawn(root: ElementTree.Element, name: str) -> int:
    """How many elements rendering root draws, with each <use> counted as what it references."""
    elements = list(root.iter())
    if len(elements) > MAX_ELEMENTS:
        raise ValueError(f"{name}: the SVG has more than {MAX_ELEMENTS:,} elements; refused")
    by_id = {e.get("id"): e for e in elements if e.get("id")}
    counts: dict[int, int] = {}
    active: set[int] = set()

    def count(e: ElementTree.Element) -> int:
        key = id(e)
        if key in counts:
            return counts[key]
        if key in active:
            raise ValueError(f"{name}: the SVG's <use> references form a cycle; refused")
        active.add(key)
        n = 1 + sum(count(child) for child in e)
        if e.tag.rsplit("}", 1)[-1] == "use":
            ref = (e.get("href") or e.get(_XLINK) or "").lstrip("#")
            if ref in by_id:
                n += count(by_id[ref])
        active.discard(key)
        counts[key] = n = min(n, MAX_DRAWN + 1)  # (no need to count further)
        return n

    try:
        return count(root)
    except RecursionError:
        raise ValueError(f"{name}: the SVG is nested too deeply; refused") from None
