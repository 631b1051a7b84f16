"""The key poses of every exercise, in catalogue order.

The scenes are written in one module per exercise group with the helpers of
:mod:`.posing`; this table joins the groups in the order the exercise ids are
listed and the SVG files written. The order is set here and nowhere else, and the
figures package loads this table only when the first picture is asked for.
"""

from __future__ import annotations

from collections.abc import Callable

from . import (
    poses_aerobic,
    poses_balance,
    poses_chair_counter,
    poses_extension,
    poses_position,
    poses_posture,
    poses_relaxation,
    poses_strengthening,
    poses_stretching,
)
from .model import Scene

SCENES: dict[str, Callable[[], Scene]] = {
    **poses_posture.SCENES,
    **poses_stretching.SCENES,
    **poses_strengthening.SCENES,
    **poses_chair_counter.SCENES,
    **poses_balance.SCENES,
    **poses_aerobic.SCENES,
    **poses_relaxation.SCENES,
    **poses_position.SCENES,
    **poses_extension.SCENES,
}
