"""Posture exercises (P1-P4): the pelvic tilt lying, standing and at the wall, a foot up.

Each exercise group has its own module so that a pose is found from the letter
of its exercise id; :mod:`.library` puts the groups together in catalogue order.
"""

from __future__ import annotations

from .body import plant
from .model import Arrow, Prop, Scene
from .posing import FLOOR_MAT, counter_props, on_counter, registry, stand, supine, wall_stand

SCENES, scene = registry()


@scene
def p1() -> Scene:
    start = supine(lumbar=-18.0, props=FLOOR_MAT)
    end = supine(lumbar=26.0, props=FLOOR_MAT)
    return Scene(
        "P1",
        start,
        end,
        arrows=(Arrow("pelvis_mid", kind="turn", radius=30, a0=20, a1=150, offset=(-4, 4)),),
        marks=(("end", "good"),),
        behind=("near_arm",),
        gap=True,
    )


@scene
def p2() -> Scene:
    props = counter_props()
    start = on_counter(stand(-20.0, pelvis=14.0, chest=-6.0, props=props), 40.0, far=False)
    end = on_counter(stand(-20.0, pelvis=-8.0, chest=2.0, knee=8.0, props=props), 40.0, far=False)
    avoid = on_counter(
        stand(-20.0, pelvis=20.0, chest=-16.0, neck=-8, props=props), 40.0, far=False
    )
    return Scene(
        "P2",
        start,
        end,
        avoid,
        arrows=(Arrow("pelvis_mid", kind="turn", radius=30, a0=-70, a1=30),),
        marks=(("end", "good"),),
    )


@scene
def p3() -> Scene:
    props = (Prop("wall", x=-60.0),)
    start = wall_stand(-60.0, 40.0, knee=12.0, lumbar=-10.0, props=props)
    end = wall_stand(-60.0, 40.0, knee=16.0, lumbar=14.0, props=props)
    return Scene(
        "P3",
        start,
        end,
        arrows=(Arrow("pelvis_mid", kind="turn", radius=28, a0=-70, a1=30),),
        marks=(("end", "good"),),
    )


@scene
def p4() -> Scene:
    props = (*counter_props(30.0), Prop("step", x=8.0, w=30.0, h=22.0))
    start = stand(-30.0, pelvis=0.0, chest=2.0, props=props)
    start = plant(start, "near_leg", 20.0, 22.0)
    start = on_counter(start, 30.0, far=False)
    end = stand(-30.0, pelvis=0.0, chest=2.0, props=props)
    end = plant(end, "far_leg", 18.0, 22.0)
    end = on_counter(end, 30.0, far=False)
    return Scene("P4", start, end, arrows=(Arrow("far_knee", offset=(10, -22)),))
