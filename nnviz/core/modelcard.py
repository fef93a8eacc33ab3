"""The model card: a JSON object stored in every model file, checked against a small schema.

Known keys must have the right type and range (the views and the command line read them); unknown
keys are kept as they are. The whole card is bounded in size and nesting depth, so that no card can
make a reader recurse or allocate without limit. Every refusal names the key.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable

from .activations import ACTIVATIONS
from .losses import LOSSES

FORMAT, FORMAT_VERSION = "nnviz-model", 1
MAX_CARD_BYTES = 1_000_000
MAX_DEPTH = 16
MAX_LAYERS = 1000
MAX_WIDTH = 1_000_000


class CardError(ValueError):
    """The card breaks the schema; the message names the key (e.g. architecture.sizes)."""


def parse_card(text: bytes) -> dict:
    """UTF-8 JSON bytes -> a validated card, or CardError saying what is wrong."""
    if len(text) > MAX_CARD_BYTES:
        raise CardError(f"the model card is {len(text)} bytes (limit {MAX_CARD_BYTES})")
    try:
        card = json.loads(text.decode("utf-8"), parse_constant=_no_constant)
    except RecursionError:
        raise CardError(f"the model card is nested too deeply (limit {MAX_DEPTH} levels)") from None
    except (UnicodeDecodeError, ValueError) as exc:
        raise CardError(f"the model card is not valid JSON ({exc})") from None
    if not isinstance(card, dict) or card.get("format") != FORMAT:
        raise CardError("the model card is not an nnviz model card")
    validate_card(card)
    return card


def _no_constant(name: str):
    raise ValueError(f"{name} is not a number JSON allows")


def validate_card(card: dict) -> None:
    """Raise CardError unless card is within the schema (see KEYS) and bounded in depth."""
    if not isinstance(card, dict):
        raise CardError("the model card is not a JSON object")
    _check_depth(card)
    for key, check in KEYS.items():
        if key in card:
            check(key, card[key])
    if "architecture" not in card:
        raise CardError("the model card has no architecture")
    if card.get("format") != FORMAT:
        raise CardError(f"format: expected {FORMAT!r}")


def _check_depth(card: dict) -> None:
    """Iterative (no recursion): every container at most MAX_DEPTH deep, every number finite."""
    stack = [(card, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise CardError(f"the model card is nested too deeply (limit {MAX_DEPTH} levels)")
        children = node.values() if isinstance(node, dict) else node
        for child in children:
            if isinstance(child, (dict, list)):
                stack.append((child, depth + 1))
            elif isinstance(child, float) and not math.isfinite(child):
                raise CardError("the model card holds a number that is not finite")


# --- checks per key ---------------------------------------------------------------------------
def _fail(key: str, want: str, value) -> CardError:
    shown = repr(value)
    return CardError(f"model card key {key!r}: expected {want}, got {shown[:60]}{'…' if len(shown) > 60 else ''}")


def _is_int(v) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _is_number(v) -> bool:
    return (_is_int(v) or isinstance(v, float)) and abs(v) < 1e300


def string(key: str, v) -> None:
    if not isinstance(v, str):
        raise _fail(key, "a string", v)


def boolean(key: str, v) -> None:
    if not isinstance(v, bool):
        raise _fail(key, "true or false", v)


def obj(key: str, v) -> None:
    if not isinstance(v, dict):
        raise _fail(key, "an object", v)


def int_range(lo: int, hi: int, nullable: bool = False) -> Callable[[str, object], None]:
    def check(key: str, v) -> None:
        if v is None and nullable:
            return
        if not (_is_int(v) and lo <= v <= hi):
            raise _fail(key, f"an integer {lo}..{hi}" + (" or null" if nullable else ""), v)
    return check


def number_range(lo: float, hi: float, nullable: bool = False) -> Callable[[str, object], None]:
    def check(key: str, v) -> None:
        if v is None and nullable:
            return
        if not (_is_number(v) and lo <= v <= hi):
            raise _fail(key, f"a number {lo:g}..{hi:g}" + (" or null" if nullable else ""), v)
    return check


def architecture(key: str, v) -> None:
    obj(key, v)
    sizes = v.get("sizes")
    if not (isinstance(sizes, list) and 2 <= len(sizes) <= MAX_LAYERS + 1
            and all(_is_int(n) and 1 <= n <= MAX_WIDTH for n in sizes)):
        raise _fail(f"{key}.sizes", f"a list of 2..{MAX_LAYERS + 1} integers 1..{MAX_WIDTH}", sizes)
    act, out, loss = v.get("activation"), v.get("output"), v.get("loss")
    if not (isinstance(act, str) and act in ACTIVATIONS):
        raise _fail(f"{key}.activation", f"one of {sorted(ACTIVATIONS)}", act)
    if not (isinstance(out, str) and (out == "softmax" or out in ACTIVATIONS)):
        raise _fail(f"{key}.output", "softmax or an activation name", out)
    if not (isinstance(loss, str) and loss in LOSSES):
        raise _fail(f"{key}.loss", f"one of {sorted(LOSSES)}", loss)


def preprocess(key: str, v) -> None:
    obj(key, v)
    if "deskew" in v:
        boolean(f"{key}.deskew", v["deskew"])


def dtype(key: str, v) -> None:
    if v not in ("float32", "float64"):
        raise _fail(key, "float32 or float64", v)


def fmt_version(key: str, v) -> None:
    int_range(1, 10**6)(key, v)
    if v > FORMAT_VERSION:
        raise CardError(f"model card key {key!r}: version {v} is newer than this nnviz reads ({FORMAT_VERSION})")


KEYS: dict[str, Callable[[str, object], None]] = {
    "format": string, "format_version": fmt_version, "architecture": architecture,
    "n_params": int_range(0, 10**12), "dtype": dtype, "nnviz_version": string, "training_command": string,
    "seed": int_range(0, 2**64, nullable=True), "epochs": int_range(0, 10**9, nullable=True),
    "config": obj, "wall_time_s": number_range(0, 1e12, nullable=True),
    "test_accuracy": number_range(0, 1, nullable=True), "dataset": obj, "preprocess": preprocess,
    "date": string, "note": string, "trained_in_app": boolean,
}
