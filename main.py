"""Launch the nnviz desktop app: `python main.py [--data DIR]` (same as `nnviz`)."""

import os
import sys

# One BLAS thread (before NumPy loads): two would spin on both cores and fight the GUI thread.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

if __name__ == "__main__":
    from nnviz.cli import main

    sys.exit(main(sys.argv[1:]))
