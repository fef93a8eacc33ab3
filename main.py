"""Launch the nnviz desktop app: `python main.py [--data DIR]` (same as `nnviz`)."""

import sys

if __name__ == "__main__":
    from nnviz.cli import main

    sys.exit(main(sys.argv[1:]))
