"""Changing position (U1): getting up from lying, the way the plan puts it in.

Each exercise group has its own module so that a pose is found from the letter
of its exercise id; :mod:`.library` puts the groups together in catalogue order.

The pose model has no sideways bend of the trunk, so the push up from the side
cannot be drawn halfway; the two key poses are the moments the person is told
about: on the side with the top hand on the bed ready to push, and sitting on
the edge of the bed with the feet on the floor. The player shows them one after
the other, never the blend between them.
"""

from __future__ import annotations

from dataclasses import replace

from .body import build, ground, place
from .model import Arrow, Camera, Pose, Prop, Scene
from .posing import L, joint, registry, sit

SCENES, scene = registry()

BED_TOP = 66.0
"""A bed about knee high (49 cm): sitting on its edge, the feet rest flat on the
floor, as they must before standing up."""
BED_LENGTH = 230.0
PILLOW = 9.0


def bed(edge: float, pillow: float) -> tuple[Prop, ...]:
    """A firm bed whose foot end is at ``edge``, a pillow at x = ``pillow``."""
    return (
        Prop("bed", x=edge - BED_LENGTH, y=BED_TOP, w=BED_LENGTH, h=16.0),
        Prop("roll", x=pillow, y=BED_TOP + PILLOW, w=PILLOW),
    )


def on_the_side(edge: float) -> Pose:
    """Lying on the side facing the viewer, knees bent, the top hand flat on the
    bed in front of the chest and the lower forearm under the head: ready to push."""
    p = Pose(
        x=edge - 86.0,
        y=BED_TOP + 30.0,
        pelvis=-90.0,
        chest=-90.0,
        neck=6.0,
        roll=90.0,
        near_leg=L(flex=62.0, bend=96.0, tip=-20.0),
        far_leg=L(flex=60.0, bend=92.0, tip=-20.0, abduct=4.0),
        near_arm=L(flex=150.0, bend=120.0),
    )
    p = ground(p, ("torso", "near_leg", "near_arm"), BED_TOP)
    b = build(p)
    chest = b.joints["c7"]
    hip = b.joints["hips"]
    # the palm a hand's width in front of the chest, pressing on the mattress
    target = (chest[0] + (hip[0] - chest[0]) * 0.3, BED_TOP + 1.0, 26.0)
    return place(p, "far_arm", "far_palm", target, fingers=(-0.2, -0.1, 1.0))


def on_the_edge(edge: float) -> Pose:
    """Sitting up on the foot end of the bed, hands on the mattress beside the hips."""
    # the hips this far back leave the back of the knees just clear of the edge
    p = sit(edge - 40.0, seat=BED_TOP, feet=44.0, chair=False)
    hip = joint(p, "near_hip")
    for side, z in (("near", 26.0), ("far", -26.0)):
        p = place(
            p,
            f"{side}_arm",
            f"{side}_palm",
            (hip[0] - 4.0, BED_TOP + 1.0, z),
            fingers=(1.0, -0.05, 0.0),
        )
    return p


@scene
def u1() -> Scene:
    edge = 60.0
    start = on_the_side(edge)
    # the same bed in both pictures, the pillow where the head lay
    props = bed(edge, joint(start, "head")[0])
    return Scene(
        "U1",
        replace(start, props=props),
        replace(on_the_edge(edge), props=props),
        # a little from above: the bent knees come towards the viewer
        camera=Camera(elevation=26.0),
        arrows=(Arrow("crown", offset=(0, -12)),),
    )
