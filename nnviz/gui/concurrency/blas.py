"""The window's BLAS threads: one, decided here and nowhere else.

OpenBLAS (NumPy's matrix products) starts a thread per core whose idle workers spin: with two of them the
training worker's products spin on both cores and the GUI thread waits for a core (stalls of 50 ms and
more while drawing during training, bench/ui_latency.py). One BLAS thread leaves the second core to the
GUI, and costs headless training little (bench/train_speed.py: its one-thread figures). The window sets
it when it is built, through threadpoolctl, which finds every BLAS library loaded (OpenBLAS, MKL,
BLIS) on every platform. The command line's commands keep BLAS's own default (all cores).
"""

from __future__ import annotations

from threadpoolctl import threadpool_limits

GUI_BLAS_THREADS = 1


def limit_blas_threads(n: int = GUI_BLAS_THREADS) -> bool:
    """From now on every loaded BLAS library uses at most n threads. True if there was one to limit."""
    import numpy  # noqa: F401 (threadpoolctl limits the libraries already loaded: NumPy's BLAS first)

    return bool(threadpool_limits(limits=n, user_api="blas").get_original_num_threads())
