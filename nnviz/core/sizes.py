"""Layer sizes as a person writes them: "300, 100", "300 100", "784-300-100-10", "784 → 300 → 10".

The one parser behind `nnviz train --hidden`, the training panel's hidden sizes and the parameter
counting lab, with one error message. It caps no size: whether a network is too big to train here is
core.budget's verdict (with its estimate of memory and time).
"""

from __future__ import annotations

import re

_SEPARATOR = re.compile(r"\s*(?:,|;|->|→|–|-|×|x)\s*|\s+")


def parse_sizes(text: str, at_least: int = 0, largest: int | None = None) -> tuple[int, ...]:
    """The whole numbers in text, in order: "300, 100" -> (300, 100); "" -> ().

    Separators: commas, semicolons, spaces, dashes, arrows or x; one trailing separator is ignored.
    at_least: fewest sizes accepted; largest: biggest size accepted (None: any).
    Raises ValueError (the same message for every mistake) on anything else.
    """
    parts = _SEPARATOR.split(text.strip()) if text.strip() else []
    if parts and parts[-1] == "" and len(parts) > 1:
        parts.pop()  # "300, 100," while still typing
    ok = len(parts) >= at_least and all(p.isascii() and p.isdigit() for p in parts)
    sizes = tuple(int(p) for p in parts) if ok else ()
    if not ok or any(n < 1 or (largest is not None and n > largest) for n in sizes):
        raise ValueError(size_error(text, at_least, largest))
    return sizes


def size_error(text: str, at_least: int, largest: int | None) -> str:
    count = f"at least {at_least} " if at_least > 1 else ""
    bound = f"from 1 to {largest:,}" if largest is not None else "of at least 1"
    return (f"write {count}layer sizes as whole numbers {bound}, separated by commas, spaces or dashes "
            f"(like 300, 100 or 784-300-100-10); got {text.strip()!r}")
