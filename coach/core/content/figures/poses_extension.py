"""Extension exercises (X1-X3), which arch the lower back.

Apart from the rest because they are drawn for clinicians only: no routine offers
them unless its ``permissions.allow_extension`` names them.
"""

from __future__ import annotations

from dataclasses import replace

from .body import build, ground, place
from .model import Arrow, Pose, Scene
from .posing import FLOOR_MAT, MAT, L, joint, kneel_hands, prone, registry, stand

SCENES, scene = registry()


@scene
def x1() -> Scene:
    start = prone(props=FLOOR_MAT)
    b = build(start)
    sh = b.joints["near_shoulder"]
    start = kneel_hands(
        start.with_limb("near_arm", L(flex=-30, bend=120)).with_limb(
            "far_arm", L(flex=-30, bend=120)
        ),
        MAT,
        (sh[0] + 6.0, sh[0] + 4.0),
    )
    hands = (joint(start, "near_palm")[0], joint(start, "far_palm")[0])
    end = replace(start, chest=42.0, neck=-24.0)
    end = kneel_hands(end, MAT, hands)
    return Scene("X1", start, end, arrows=(Arrow("crown", offset=(-20, -10)),))


@scene
def x2() -> Scene:
    def hands_back(p: Pose) -> Pose:
        b = build(p)
        s = b.joints["sacrum"]
        for side, z in (("near", 14.0), ("far", -14.0)):
            p = place(
                p,
                f"{side}_arm",
                f"{side}_palm",
                (s[0] - 2.0, s[1] + 4.0, z),
                fingers=(0.1, -1.0, 0.0),
            )
        return p

    start = hands_back(stand(0.0))
    end = hands_back(
        stand(8.0, pelvis=4.0, chest=-34.0, neck=-16.0, knee=10.0, near_x=-1.0, far_x=-3.0)
    )
    return Scene("X2", start, end, arrows=(Arrow("crown", offset=(-14, -12)),))


@scene
def x3() -> Scene:
    start = prone(props=FLOOR_MAT)
    start = replace(start, near_arm=L(flex=178.0, bend=4.0), far_arm=L(flex=178.0, bend=4.0))
    start = ground(start, ("torso", "near_leg", "far_leg", "near_arm"), MAT)
    end = replace(
        start,
        chest=76.0,
        pelvis=97.0,
        neck=-14.0,
        near_arm=L(flex=182.0, bend=4.0),
        far_arm=L(flex=181.0, bend=4.0),
        near_leg=L(flex=-9.0, tip=-70.0),
        far_leg=L(flex=-8.0, tip=-70.0),
    )
    from .body import shape_min

    b = build(end)
    low = min(shape_min(sl.shape, (0.0, 1.0, 0.0)) for sl in b.slices if 20 < sl.s < 60)
    end = replace(end, y=end.y + MAT - low)
    return Scene("X3", start, end, arrows=(Arrow("crown", offset=(0, -16)),))
