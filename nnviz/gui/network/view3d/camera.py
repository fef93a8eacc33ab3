"""The 3-D view's named camera positions (as pyqtgraph's GL view takes them) and its slow auto-rotation."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Pose:
    distance: float
    elevation: float  # degrees above the planes' middle
    azimuth: float  # degrees around the vertical axis (0: looking along the depth axis from the output side)


def poses(span: float) -> dict[str, Pose]:
    """The lecture's views for a network `span` units deep: Harley's three-quarter view first."""
    d = max(45.0, 0.92 * span)
    return {"three-quarter": Pose(d, 18.0, -135.0), "front": Pose(d * 1.3, 0.0, 180.0), "side": Pose(d, 0.0, -90.0),
            "top": Pose(d, 89.0, -90.0)}


KEYS = {"1": "front", "2": "side", "3": "top", "4": "three-quarter"}
ROTATE_DEG_PER_TICK = 0.35  # auto-rotation: about 10 degrees a second at 30 ticks a second (a projector's pace)
ROTATE_MS = 33
