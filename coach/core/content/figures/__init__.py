"""Exercise illustrations generated from a small pose model.

A jointed, side-view figure (head, torso with a lower-back curve, pelvis,
arms, legs; solid limbs, not a stick man) is posed per exercise with key
poses ``start`` and ``end`` (and ``avoid`` where a common fault is worth
showing). The same data draws the committed SVG files, lets the player
animate start -> end (``t``), mirror the figure for the other side, and
colour the lower back as good or to avoid (with a tick or a cross, so colour
is never the only signal).

Pure Python, no Qt.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Literal

from .body import build, interpolate
from .model import Arrow, Camera, Frame, Limb, Mark, Pose, Prop, Scene
from .render import render_svg

__all__ = [
    "Arrow",
    "Camera",
    "Frame",
    "Limb",
    "Mark",
    "Pose",
    "Prop",
    "Scene",
    "build",
    "exercise_ids",
    "frames",
    "interpolate",
    "pose",
    "render_all",
    "scene",
    "svg",
]

FRAMES: tuple[Frame, ...] = ("start", "end", "avoid")
BackMark = Literal["good", "avoid", "none"]


@cache
def _scene(key: str) -> Scene:
    from .library import SCENES

    return SCENES[key]()


def exercise_ids() -> list[str]:
    """Every exercise with an illustration, in catalogue order."""
    from .library import SCENES

    return list(SCENES)


def scene(exercise_id: str) -> Scene:
    """Everything drawn for one exercise (poses, props, camera, arrows)."""
    from .library import SCENES

    key = exercise_id.upper()
    if key not in SCENES:
        raise KeyError(f"no illustration for exercise '{exercise_id}'")
    return _scene(key)


def frames(exercise_id: str) -> list[Frame]:
    """The key poses drawn for an exercise: start, end and maybe avoid."""
    return scene(exercise_id).frames()


def pose(exercise_id: str, frame: Frame = "start") -> Pose:
    """The key pose ``frame`` ("start", "end" or "avoid") of an exercise."""
    if frame not in FRAMES:
        raise ValueError(f"unknown frame '{frame}' (known: {', '.join(FRAMES)})")
    return scene(exercise_id).frame(frame)


def svg(
    exercise_id: str,
    frame: Frame = "start",
    *,
    t: float | None = None,
    mirror: bool = False,
    back: BackMark | None = None,
) -> str:
    """The SVG text of one picture.

    ``t`` (0..1) draws the pose between start (0) and end (1) instead of
    ``frame``, for animation. ``mirror`` flips the picture for the other side.
    ``back`` marks the lower back and pelvis: "good" (accent colour + tick),
    "avoid" (warning colour + cross) or "none"; left at None, each frame uses
    its own default (the avoid frame is marked avoid; start and end are marked
    good only where the lower back is what the exercise is about).
    The movement arrow is drawn on the end frame only.
    """
    sc = scene(exercise_id)
    if t is not None:
        tt = min(1.0, max(0.0, float(t)))
        p = interpolate(sc.start, sc.end, tt)
        nearest: Frame = "end" if tt >= 0.5 else "start"
        mark = sc.mark(nearest)
        arrow = False
        belly = 0
    else:
        if frame not in FRAMES:
            raise ValueError(f"unknown frame '{frame}' (known: {', '.join(FRAMES)})")
        p = sc.frame(frame)
        mark = sc.mark(frame)
        arrow = frame == "end"
        belly = (
            (-1 if sc.end.belly < sc.start.belly else 1)
            if (sc.belly_arrow and frame == "end")
            else 0
        )
    chosen: Mark | None
    if back is None:
        chosen = mark
    elif back == "none":
        chosen = None
    elif back in ("good", "avoid"):
        chosen = back
    else:
        raise ValueError(f"unknown back mark '{back}'")
    return render_svg(sc, p, mark=chosen, arrow=arrow, mirror=mirror, belly=belly)


def render_all(out_dir: Path) -> list[Path]:
    """Write ``<ID>-<frame>.svg`` for every exercise and frame; returns the paths."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for ex in exercise_ids():
        for fr in frames(ex):
            path = out_dir / f"{ex}-{fr}.svg"
            text = svg(ex, fr)
            path.write_bytes(text.encode("utf-8"))
            written.append(path)
    return written
