"""Files nnviz ships (the model, the labs' data, the icon), found with importlib.resources.

The repository keeps them in the top-level `resources/` folder; pyproject.toml installs that folder as
the package `nnviz.resources` (a wheel holds it as nnviz/resources/, an editable install maps it back
to the checkout). A checkout used without installing it at all (`python main.py` in a fresh clone)
has no `nnviz.resources` to import: then, and only then, the checkout's own `resources/` is used.
"""

from __future__ import annotations

import atexit
import contextlib
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

PACKAGE = "nnviz.resources"
_extracted = contextlib.ExitStack()  # files copied out of a zipped install live until exit
atexit.register(_extracted.close)


def root() -> Traversable:
    """The folder of shipped files: the package nnviz.resources, or an uninstalled checkout's resources/."""
    try:
        return resources.files(PACKAGE)
    except ModuleNotFoundError:
        package = resources.files("nnviz")
        if isinstance(package, Path) and (package.parent / "resources").is_dir():
            return package.parent / "resources"
        raise FileNotFoundError(f"nnviz's resources are not installed ({PACKAGE} is missing); "
                                "reinstall nnviz (pip install .)") from None


def path(*parts: str) -> Path:
    """A real file-system path of one shipped file (copied out once if the install is zipped)."""
    item = root()
    for part in parts:  # one at a time: a namespace package's MultiplexedPath joins a single name (3.11)
        item = item / part
    if isinstance(item, Path):
        return item
    return _extracted.enter_context(resources.as_file(item))
