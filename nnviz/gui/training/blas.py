"""Limit OpenBLAS's threads at run time, without threadpoolctl (not a dependency)."""

from __future__ import annotations

import ctypes


def limit_blas_threads(n: int) -> bool:
    """Limit OpenBLAS to n threads at run time (no threadpoolctl needed). True if it worked.

    Finds the OpenBLAS library NumPy loaded (its name varies: libopenblas, libscipy_openblas64_...)
    and calls its *_set_num_threads*. Setting OPENBLAS_NUM_THREADS before NumPy is imported is the
    portable alternative (main.py does that).
    """
    try:
        with open("/proc/self/maps") as f:
            libs = {line.split()[-1] for line in f if "openblas" in line.lower() and ".so" in line}
    except OSError:
        return False
    for path in libs:
        lib = ctypes.CDLL(path)
        for name in ("scipy_openblas_set_num_threads64_", "openblas_set_num_threads64_",
                     "scipy_openblas_set_num_threads", "openblas_set_num_threads"):
            fn = getattr(lib, name, None)
            if fn is not None:
                fn(ctypes.c_int(n))
                return True
    return False
