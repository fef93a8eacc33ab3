"""Which model the window starts with."""

from __future__ import annotations

from pathlib import Path

from ..core import modelio
from ..core.network import Network

DEV_MODEL = Path("/tmp/nnviz-dev-model.npz")  # used during development until the shipped model exists


def startup_model(path: str | Path | None = None) -> tuple[Network, dict, Path | None, str]:
    """(network, card, its file, status text): path, else the shipped model, else the dev model, else
    fresh random weights. A path that cannot be loaded is reported and the next candidate used."""
    problems = []
    for candidate in ([Path(path)] if path else []) + [modelio.SHIPPED_MODEL, DEV_MODEL]:
        if not candidate.is_file():
            if candidate == (Path(path) if path else None):
                problems.append(f"{candidate} does not exist")
            continue
        try:
            net, card = modelio.load_model(candidate)
        except modelio.ModelError as exc:
            problems.append(str(exc))
            continue
        return net, card, candidate, "; ".join(problems + [f"Model {candidate.name} loaded"])
    note = "No trained model found: starting from fresh random weights (press Start to train)"
    return Network(seed=0), {"note": "untrained: fresh random weights"}, None, "; ".join(problems + [note])
