"""Which model the window starts with."""

from __future__ import annotations

from pathlib import Path

from ..core import modelio
from ..core.network import Network

DEV_MODEL = Path("/tmp/nnviz-dev-model.npz")  # used during development until the shipped model exists


def startup_model(path: str | Path | None = None) -> tuple[Network, dict, str]:
    """(network, card, status text): path, else the shipped model, else the dev model, else fresh weights."""
    for candidate in ([Path(path)] if path else []) + [modelio.SHIPPED_MODEL, DEV_MODEL]:
        if candidate.is_file():
            try:
                net, card = modelio.load_model(candidate)
                return net, card, f"Model {candidate.name} loaded"
            except modelio.ModelError as exc:
                if path and candidate == Path(path):
                    return Network(seed=0), {}, f"Could not load {candidate}: {exc}. Using fresh random weights."
    return Network(seed=0), {"note": "untrained: fresh random weights"}, \
        "No trained model found: starting from fresh random weights (press Start to train)"
