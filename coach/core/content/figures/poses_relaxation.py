"""Relaxation (R1-R2): belly breathing with the legs up, muscle relaxation.

Each exercise group has its own module so that a pose is found from the letter
of its exercise id; :mod:`.library` puts the groups together in catalogue order.
"""

from __future__ import annotations

from dataclasses import replace

from .body import FOREARM, aim_hand, bend_towards, build, reach
from .model import Arrow, Pose, Prop, Scene
from .posing import (
    FLOOR_MAT,
    MAT,
    SEAT,
    L,
    aim_tip,
    arms_by_sides,
    hand_on_belly,
    joint,
    registry,
    supine,
)

SCENES, scene = registry()


def calves_on_chair(belly: float) -> Pose:
    p = supine(props=FLOOR_MAT, feet=None, arms=False)
    hip = joint(p, "near_hip")
    chair_x = hip[0] + 30.0
    props = (*FLOOR_MAT, Prop("chair", x=chair_x, y=SEAT, w=46.0, h=58.0, angle=180.0))
    p = replace(p, props=props, belly=belly)
    for name, z in (("near_leg", 9.0), ("far_leg", -9.0)):
        p = reach(p, name, (hip[0] + 84.0, SEAT + 5.0, z))
        p = aim_tip(p, name)
    p = hand_on_belly(p)
    p = p.with_limb("far_arm", L(flex=10.0, bend=20.0))
    return p


@scene
def r1() -> Scene:
    return Scene("R1", calves_on_chair(1.2), calves_on_chair(-0.8), belly_arrow=True)


@scene
def r2() -> Scene:
    def lie(tip: float, tense: float) -> Pose:
        p = supine(props=FLOOR_MAT, feet=None, arms=False)
        p = replace(p, shrug=tense, fist=tense)
        for name, z in (("near_leg", 9.0), ("far_leg", -9.0)):
            p = reach(p, name, (p.x + 102.0, MAT + 5.0, z))
            p = p.with_limb(name, replace(p.limb(name), tip=tip))
        p = arms_by_sides(p, MAT)
        if tense:
            # elbows stay on the floor, forearms come up with the fists
            b = build(p)
            for side in ("near", "far"):
                el = b.joints[f"{side}_elbow"]
                wrist = (el[0] + 14.0, el[1] + FOREARM * 0.92, el[2])
                p = bend_towards(p, f"{side}_arm", wrist, (0.0, -1.0, 0.0))
                p = aim_hand(p, f"{side}_arm", (0.6, 1.0, 0.0))
        return p

    # start: let go (feet fall away, hands open); end: tense gently (feet
    # pulled up, fists, forearms and shoulders drawn up)
    start = lie(-32.0, 0.0)
    knee = joint(start, "near_knee")
    r = max(6.0, (knee[1] - 8.0 - MAT) / 2.0)
    roll = Prop("roll", x=knee[0], y=MAT + r, w=r)
    start = replace(start, props=(*FLOOR_MAT, roll))
    end = replace(lie(16.0, 1.0), props=start.props)
    return Scene(
        "R2",
        start,
        end,
        arrows=(
            Arrow("near_ankle", kind="turn", radius=22, a0=5, a1=85, offset=(4, -4)),
            Arrow("near_wrist", offset=(18, -16)),
        ),
    )
