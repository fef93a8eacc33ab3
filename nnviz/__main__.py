"""`python -m nnviz ...`: the same as the `nnviz` command (the GUI when no command is given)."""

import os
import sys

# One BLAS thread (before NumPy loads): two would spin on both cores and fight the GUI thread.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from nnviz.cli import main

sys.exit(main())
