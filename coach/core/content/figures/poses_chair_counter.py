"""Exercises on a chair and at the kitchen counter (C1-C7).

Each exercise group has its own module so that a pose is found from the letter
of its exercise id; :mod:`.library` puts the groups together in catalogue order.
"""

from __future__ import annotations

from dataclasses import replace

from .body import FOREARM, aim_hand, build, place, plant, reach
from .geometry import V3
from .model import Arrow, Pose, Scene
from .posing import (
    BACK,
    L,
    back_counter,
    counter_props,
    hands_on_thighs,
    on_counter,
    on_counter_back,
    registry,
    sit,
    stand,
    tiptoe,
)

SCENES, scene = registry()


@scene
def c1() -> Scene:
    start = hands_on_thighs(sit(pelvis=-2.0, chest=-2.0))
    end = hands_on_thighs(sit(pelvis=-20.0, chest=10.0, neck=6.0))
    return Scene(
        "C1",
        start,
        end,
        arrows=(Arrow("pelvis_mid", kind="turn", radius=30, a0=-60, a1=40),),
        marks=(("end", "good"),),
    )


@scene
def c2() -> Scene:
    start = hands_on_thighs(sit(pelvis=-2.0, chest=-2.0, feet=56.0))
    end = sit(pelvis=40.0, chest=58.0, neck=6.0, feet=56.0)
    b = build(end)
    for side in ("near", "far"):
        k = b.joints[f"{side}_knee"]
        h = b.joints[f"{side}_hip"]
        t = (h[0] + (k[0] - h[0]) * 0.45, k[1] + 14.0, k[2] + (6.0 if side == "near" else -6.0))
        end = place(end, f"{side}_arm", f"{side}_elbow", t)
        end = aim_hand(end, f"{side}_arm", (1.0, -0.2, 0.0))
        end = elbow_on(end, side, t)
    return Scene("C2", start, end, arrows=(Arrow("crown", offset=(12, -14)),))


def elbow_on(p: Pose, side: str, elbow: V3) -> Pose:
    """Forearm resting along the thigh from the elbow forwards."""
    hand = (elbow[0] + FOREARM + 2.0, elbow[1] - 2.0, elbow[2])
    p = reach(p, f"{side}_arm", hand)
    return aim_hand(p, f"{side}_arm", (1.0, -0.1, 0.0))


@scene
def c3() -> Scene:
    start = hands_on_thighs(sit(pelvis=-2.0, chest=-2.0))
    end = start.with_limb("near_leg", L(flex=112.0, bend=102.0, tip=2.0))
    end = hands_on_thighs(end)
    return Scene("C3", start, end, arrows=(Arrow("near_knee", offset=(14, -12)),))


@scene
def c4() -> Scene:
    start = hands_on_thighs(sit(pelvis=-2.0, chest=-2.0))
    end = start.with_limb("near_leg", L(flex=92.0, bend=6.0, tip=14.0))
    end = hands_on_thighs(end)
    return Scene("C4", start, end, arrows=(Arrow("near_ankle", offset=(12, 0)),))


@scene
def c5() -> Scene:
    props = counter_props(26.0)
    start = on_counter(stand(-24.0, props=props), 26.0)
    b = build(start)
    balls = {n: b.joints[f"{n.split('_')[0]}_sole"][0] for n in ("near_leg", "far_leg")}
    end = on_counter(stand(-24.0, props=props, floor=12.0), 26.0)
    for name, bx in balls.items():
        end = tiptoe(end, name, bx, -34.0)
    end = on_counter(end, 26.0)
    return Scene("C5", start, end, arrows=(Arrow("crown", offset=(-22, 6), trim=0.0),))


@scene
def c6() -> Scene:
    props = back_counter()
    start = on_counter_back(stand(0.0, props=props, near_x=0.0, far_x=0.0))
    end = start.with_limb("near_leg", L(abduct=28.0, bend=2.0, tip=-10.0))
    end = replace(end, z=-4.0)
    end = plant(end, "far_leg", 0.0, 0.0, z=-9.0)
    end = on_counter_back(end)
    return Scene("C6", start, end, camera=BACK, arrows=(Arrow("near_ankle", offset=(10, -10)),))


@scene
def c7() -> Scene:
    props = counter_props(30.0)
    start = on_counter(stand(-26.0, props=props), 30.0)
    end = start.with_limb("near_leg", L(flex=80.0, bend=92.0, tip=0.0))
    return Scene("C7", start, end, arrows=(Arrow("near_knee", offset=(12, -16)),))
