"""Element-wise work in cache-sized pieces, spread over the CPU cores.

NumPy's ufuncs release the GIL while they run, so two Python threads that each call them on their
own pieces of an array keep two cores busy. `map_pieces(fn, n)` runs fn on the cache-sized pieces
of a flat array of n elements: the first half in the calling thread, the second half in one helper
thread, the results in piece order whichever thread finished first. Every array fn writes
element-wise is the same bit for bit with one thread or two (a sum over the results may differ in its
last bits: with one thread fn runs once on the whole array, as the pieces alone gained nothing here:
304 against 309 µs for a momentum step over 266,610 parameters).

Threads: 1 (all in the caller, the default) or 2; change it with set_threads(n) or the environment
variable NNVIZ_THREADS. One is the default because two did not pay where it was measured: on a
2-core machine shared with other busy processes (load average 3), a training batch took 2.07 ms with
the helper thread against 1.95 ms without (the helper waits for a core; with two BLAS threads it also
competes with OpenBLAS's spinning worker). On an idle machine with spare cores it can win back about
half of the optimiser's 0.3 ms per batch.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")
PIECE = 1 << 16  # elements (256 kB of float32): the few arrays an update touches stay in the L2 cache
MIN_SPLIT = 4 * PIECE  # smaller arrays are not worth waking the helper thread for

_lock = threading.Lock()
_pool: ThreadPoolExecutor | None = None


def _default_threads() -> int:
    env = os.environ.get("NNVIZ_THREADS", "")
    if env.isdigit() and int(env) >= 1:
        return int(env)
    return 1


_threads = _default_threads()


def threads() -> int:
    """How many threads element-wise work uses (1 or 2)."""
    return _threads


def set_threads(n: int) -> None:
    """Use n threads for element-wise work from now on (n >= 2 means two: the caller and one helper)."""
    global _threads
    if n < 1:
        raise ValueError(f"threads must be at least 1, got {n}")
    _threads = min(int(n), 2)


def pieces(n: int, piece: int = PIECE) -> list[slice]:
    """Slices covering range(n): an even number of near-equal pieces of at most `piece` elements.

    The same pieces with one thread or two (so sums over them do not depend on the thread count),
    and the two halves are equal work.
    """
    k = 2 * max(1, -(-n // (2 * piece)))
    bounds = [n * i // k for i in range(k + 1)]
    return [slice(lo, hi) for lo, hi in zip(bounds[:-1], bounds[1:]) if hi > lo]


def _helper() -> ThreadPoolExecutor:
    global _pool
    with _lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="nnviz-elementwise")
        return _pool


def map_pieces(fn: Callable[[slice], T], n: int) -> list[T]:
    """[fn(s) for s in pieces(n)], the second half of the pieces in a helper thread, when threads() > 1;
    [fn(slice(0, n))] with one thread (or for arrays too small to split).

    fn must touch only its own piece of any shared array. An exception in either half is raised here.
    """
    if _threads < 2 or n < MIN_SPLIT:
        return [fn(slice(0, n))]  # one thread: one call per operation (pieces alone gained nothing, measured)
    slices = pieces(n)
    half = len(slices) // 2
    back = _helper().submit(lambda: [fn(s) for s in slices[half:]])
    try:
        front = [fn(s) for s in slices[:half]]
    finally:
        rest = back.result()  # always waited for: no piece is still being written after we return
    return front + rest
