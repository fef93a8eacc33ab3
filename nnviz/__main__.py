"""`python -m nnviz ...`: the same as the `nnviz` command (the GUI when no command is given)."""

import sys

from nnviz.cli import main

sys.exit(main())
