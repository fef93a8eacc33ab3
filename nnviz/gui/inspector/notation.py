"""The lecture's notation as text: subscripts, symbols with indices, numbers, shapes.

Pure Python (no Qt, no maths): the timeline and the formula panel write every label through here,
so "dJ/dz₂", "a₁,₄₂" and "(100×1)(1×300) → 100×300" look the same everywhere.
"""

from __future__ import annotations

import math

_SUB = str.maketrans("0123456789,ijk", "₀₁₂₃₄₅₆₇₈₉,ᵢⱼₖ")
MINUS = "−"


def sub(*indices: int | str) -> str:
    """Subscript indices joined by commas: sub(2, 17) -> '₂,₁₇'."""
    return ",".join(str(i) for i in indices).translate(_SUB)


def sym(name: str, *indices: int | str) -> str:
    """A symbol with subscripts: sym('a', 1, 42) -> 'a₁,₄₂'; sym('dJ/dz', 2) -> 'dJ/dz₂'."""
    return name + sub(*indices) if indices else name


def num(value: float, digits: int = 4) -> str:
    """A number as shown on screen: `digits` significant digits, a true minus sign, no '-0'."""
    v = float(value)
    if v == 0 or not math.isfinite(v):
        return "0" if v == 0 else str(v)
    s = f"{v:.{digits}g}"
    if s in ("-0", "0"):
        return "0"
    return s.replace("-", MINUS)


def factor(value: float) -> str:
    """A number written as a later operand: negatives in brackets, '0.1 × (−3.57)'."""
    s = num(value)
    return f"({s})" if s.startswith(MINUS) else s


def parse_num(text: str) -> float:
    """Inverse of `num` (for tests and tooltips): '−3.1e−05' -> -3.1e-05."""
    return float(text.replace(MINUS, "-"))


def vec(n: int) -> str:
    """Shape of a column vector: '100×1'."""
    return f"{n}×1"


def mat(rows: int, cols: int) -> str:
    """Shape of a matrix: '100×300'."""
    return f"{rows}×{cols}"


def input_name(l: int) -> str:
    """The activation feeding layer l: 'x' for l = 1 (the input is a₀), else 'a_{l−1}'."""
    return "x" if l == 1 else sym("a", l - 1)


def input_sym(l: int, i: int) -> str:
    """Component i of the activation feeding layer l: 'x₄₂' or 'a₁,₄₂'."""
    return sym("x", i) if l == 1 else sym("a", l - 1, i)
