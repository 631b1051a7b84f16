"""The data of an illustration: a pose (root position + joint angles), props,
the camera and the movement arrow. Everything here is plain, frozen data so a
pose can be compared, interpolated and written out deterministically.

Angles are in degrees. Trunk angles are *leans* from upright (+ = forward);
limb angles are anatomical and relative to the parent segment.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from typing import Literal

from .geometry import lerp, wrap180

Frame = Literal["start", "end", "avoid"]
Mark = Literal["good", "avoid"]
Side = Literal["near", "far"]


@dataclass(frozen=True)
class Limb:
    """One arm or leg.

    ``flex``: hip/shoulder flexion (forward raise; negative = extension),
    ``abduct``: out to the side, ``rotate``: outward rotation about the limb's
    long axis, ``bend``: knee/elbow flexion, ``tip``: ankle dorsiflexion /
    wrist extension.
    """

    flex: float = 0.0
    abduct: float = 0.0
    rotate: float = 0.0
    bend: float = 0.0
    tip: float = 0.0


@dataclass(frozen=True)
class Prop:
    """Something the figure uses: drawn by ``kind`` from a reference point.

    ``x``/``y`` is the prop's anchor in figure units (floor at y = 0), ``w``/``h``
    its size, ``angle`` a tilt where it has one and ``ref`` the names of body
    anchors for props that follow the body (a strap from the hands to a foot).
    """

    kind: str
    x: float = 0.0
    y: float = 0.0
    w: float = 0.0
    h: float = 0.0
    angle: float = 0.0
    ref: tuple[str, ...] = ()


@dataclass(frozen=True)
class Pose:
    """A key pose: where the hip centre is and how every joint is bent.

    ``pelvis`` and ``chest`` are the leans of pelvis and thorax from upright
    (+ forward, -90 = lying on the back with the head to the left, +90 = lying
    face down with the head to the right). The lower-back curve follows from
    their difference: ``chest - pelvis`` = 0 is the natural hollow, larger
    values flatten and then round the lower back, negative values arch it.
    ``neck`` bends the head forward from the thorax, ``twist`` turns the pelvis
    about the spine (knee rolls), ``roll`` turns the whole body about the
    forward axis (90 = lying on the side, facing the viewer), ``belly`` draws
    the belly in (< 0) or lets it rise (> 0), ``shrug`` lifts the shoulders
    towards the ears (0..1) and ``fist`` closes both hands (0 open, 1 fist).
    """

    x: float = 0.0
    y: float = 118.0
    z: float = 0.0
    pelvis: float = 0.0
    chest: float = 0.0
    neck: float = 0.0
    twist: float = 0.0
    roll: float = 0.0
    belly: float = 0.0
    shrug: float = 0.0
    fist: float = 0.0
    near_leg: Limb = field(default_factory=Limb)
    far_leg: Limb = field(default_factory=Limb)
    near_arm: Limb = field(default_factory=Limb)
    far_arm: Limb = field(default_factory=Limb)
    props: tuple[Prop, ...] = ()

    @property
    def lumbar(self) -> float:
        """Lower-back bend relative to the natural curve (+ rounds, - arches)."""
        return self.chest - self.pelvis

    def limb(self, name: str) -> Limb:
        value = getattr(self, name)
        assert isinstance(value, Limb)
        return value

    def with_limb(self, name: str, limb: Limb) -> Pose:
        if name == "near_leg":
            return replace(self, near_leg=limb)
        if name == "far_leg":
            return replace(self, far_leg=limb)
        if name == "near_arm":
            return replace(self, near_arm=limb)
        if name == "far_arm":
            return replace(self, far_arm=limb)
        raise KeyError(name)


def _lerp_angle(a: float, b: float, t: float) -> float:
    return a + wrap180(b - a) * t


def blend_limb(a: Limb, b: Limb, t: float) -> Limb:
    return Limb(*(_lerp_angle(getattr(a, f.name), getattr(b, f.name), t) for f in fields(Limb)))


def blend(a: Pose, b: Pose, t: float) -> Pose:
    """Joint-angle interpolation (no contact fixing; see ``body.interpolate``)."""
    return Pose(
        x=lerp(a.x, b.x, t),
        y=lerp(a.y, b.y, t),
        z=lerp(a.z, b.z, t),
        pelvis=_lerp_angle(a.pelvis, b.pelvis, t),
        chest=_lerp_angle(a.chest, b.chest, t),
        neck=_lerp_angle(a.neck, b.neck, t),
        twist=_lerp_angle(a.twist, b.twist, t),
        roll=_lerp_angle(a.roll, b.roll, t),
        belly=lerp(a.belly, b.belly, t),
        shrug=lerp(a.shrug, b.shrug, t),
        fist=lerp(a.fist, b.fist, t),
        near_leg=blend_limb(a.near_leg, b.near_leg, t),
        far_leg=blend_limb(a.far_leg, b.far_leg, t),
        near_arm=blend_limb(a.near_arm, b.near_arm, t),
        far_arm=blend_limb(a.far_arm, b.far_arm, t),
        props=a.props if t < 0.5 else b.props,
    )


@dataclass(frozen=True)
class Camera:
    """``yaw`` turns the view about the vertical (0 = side view, 90 = from
    behind, -90 = from the front); ``elevation`` looks down from above."""

    yaw: float = 0.0
    elevation: float = 0.0


@dataclass(frozen=True)
class Arrow:
    """The movement arrow drawn on the end pose.

    ``trace``: follows ``anchor`` from the start to the end pose, moved by
    ``offset`` (screen units, y down) so that it runs beside the body.
    ``turn``: an arc of ``radius`` around ``anchor`` + ``offset`` from angle
    ``a0`` to ``a1`` (degrees, screen, counter-clockwise as seen).
    """

    anchor: str
    kind: Literal["trace", "turn"] = "trace"
    offset: tuple[float, float] = (0.0, 0.0)
    radius: float = 0.0
    a0: float = 0.0
    a1: float = 0.0
    trim: float = 0.12


@dataclass(frozen=True)
class Scene:
    """Everything needed to draw one exercise."""

    id: str
    start: Pose
    end: Pose
    avoid: Pose | None = None
    camera: Camera = Camera()
    arrows: tuple[Arrow, ...] = ()
    marks: tuple[tuple[Frame, Mark], ...] = ()
    floor: bool = True
    mat: bool = False
    belly_arrow: bool = False
    shade: tuple[str, ...] | None = None
    """Limb groups drawn in the darker far-side fill (default: by depth)."""
    behind: tuple[str, ...] = ()
    """Limb groups painted behind the torso whatever their depth (an arm on
    the floor that would hide the gap under the lower back)."""
    gap: bool = False
    """Shade the floor seen under a hollow lower back (lying on the back), so
    a gap reads even in a thumbnail; a back resting flat shows none."""

    def frame(self, name: Frame) -> Pose:
        if name == "start":
            return self.start
        if name == "end":
            return self.end
        if self.avoid is None:
            raise KeyError(f"{self.id} has no 'avoid' frame")
        return self.avoid

    def frames(self) -> list[Frame]:
        names: list[Frame] = ["start", "end"]
        if self.avoid is not None:
            names.append("avoid")
        return names

    def mark(self, name: Frame) -> Mark | None:
        for frame, mark in self.marks:
            if frame == name:
                return mark
        return "avoid" if name == "avoid" else None
