"""Strengthening (T1-T8), from belly bracing to the bird-dog.

Each exercise group has its own module so that a pose is found from the letter
of its exercise id; :mod:`.library` puts the groups together in catalogue order.
"""

from __future__ import annotations

import math
from dataclasses import replace

from .body import FOREARM, SHANK, THIGH, UPPER_ARM, aim_hand, build, ground, place, reach, set_limb
from .geometry import V3, add, sub, unit
from .model import Arrow, Camera, Limb, Pose, Prop, Scene
from .posing import (
    FLOOR_MAT,
    MAT,
    L,
    aim_tip,
    all_fours,
    arms_by_sides,
    head_to,
    hip_height,
    joint,
    mat,
    registry,
    sit,
    supine,
    wall_stand,
)

SCENES, scene = registry()


@scene
def t1() -> Scene:
    start = replace(supine(props=FLOOR_MAT), belly=0.6)
    # the lower belly drawn in (a hollow below the ribs) and the lower back
    # resting flat: marked good like the end of the pelvic tilt
    end = replace(supine(props=FLOOR_MAT, lumbar=14.0), belly=-2.5)
    return Scene("T1", start, end, belly_arrow=True, marks=(("end", "good"),), behind=("near_arm",))


@scene
def t2() -> Scene:
    start = supine(props=FLOOR_MAT, lumbar=18.0, arms=False)
    table = L(flex=90.0, bend=90.0, tip=0.0)
    up = L(flex=88.0, bend=4.0, tip=0.0)
    start = replace(start, near_leg=table, far_leg=table, near_arm=up, far_arm=up)
    end = replace(
        start, near_leg=L(flex=32.0, bend=8.0, tip=-10.0), far_arm=L(flex=170.0, bend=6.0)
    )
    return Scene(
        "T2",
        start,
        end,
        arrows=(Arrow("near_ankle", offset=(14, -10)), Arrow("far_wrist", offset=(-8, -10))),
    )


def bridge(start: Pose, lift: float, lumbar: float) -> Pose:
    """Hips lifted off the floor: the thorax tilts up by ``lift`` degrees
    about the shoulder blades, which stay on the floor where they lay, the
    head rests on the floor and the feet stay planted."""
    from .body import shape_min

    b = build(start)
    feet = {n: b.joints[f"{n.split('_')[0]}_ankle"] for n in ("near_leg", "far_leg")}
    p = replace(start, chest=-90.0 - lift, pelvis=-90.0 - lift - lumbar)
    p = replace(p, x=p.x + b.joints["c7"][0] - joint(p, "c7")[0])
    low = min(shape_min(sl.shape, (0.0, 1.0, 0.0)) for sl in build(p).slices if sl.s > 62.0)
    p = replace(p, y=p.y + MAT - low)
    p = head_to(p, MAT, most=80.0)
    for name, a in feet.items():
        p = reach(p, name, a)
        p = aim_tip(p, name)
    return arms_by_sides(p, MAT)


def above_line(p: Pose) -> float:
    """How far the hips are above the shoulder-knee line (negative: below)."""
    b = build(p)
    sh, hip, knee = b.joints["near_shoulder"], b.joints["near_hip"], b.joints["near_knee"]
    t = (hip[0] - sh[0]) / (knee[0] - sh[0])
    return hip[1] - (sh[1] + t * (knee[1] - sh[1]))


@scene
def t3() -> Scene:
    start = supine(props=FLOOR_MAT, feet=64.0)
    # end: shoulders, hips and knees in one line, tail tucked (lower back flat);
    # avoid: hips pushed well above that line with the lower back arched
    end = bridge(start, 17.0, 10.0)
    avoid = bridge(start, 44.0, -28.0)
    return Scene(
        "T3",
        start,
        end,
        avoid,
        arrows=(Arrow("sacrum", offset=(8, -3), trim=0.05),),
        marks=(("end", "good"),),
    )


def side_lying(top_leg: Limb, bottom_leg: Limb, *, level: float = MAT) -> Pose:
    p = Pose(
        x=0.0,
        y=level + 30.0,
        pelvis=-90.0,
        chest=-90.0,
        roll=90.0,
        neck=0.0,
        near_leg=bottom_leg,
        far_leg=top_leg,
        near_arm=L(flex=170.0, abduct=0.0, bend=20.0),
        far_arm=L(flex=30.0, abduct=0.0, bend=30.0),
        props=(mat(-150.0, 290.0),),
    )
    p = ground(p, ALL_SIDE, level)
    return p


ALL_SIDE = ("torso", "near_leg", "near_arm")


@scene
def t4() -> Scene:
    bottom = L(flex=48.0, bend=92.0, tip=-20.0)
    start = side_lying(L(flex=48.0, bend=92.0, tip=-20.0, abduct=-4.0), bottom)
    start = hand_on_top_hip(start)
    b = build(start)
    hip, knee, ankle = (b.joints[k] for k in ("far_hip", "far_knee", "far_ankle"))
    # open the top knee like a book: turn it about the hip-ankle line, feet together
    axis = unit(sub(ankle, hip))
    v = sub(knee, hip)
    k_target = _rotate(v, axis, 70.0)
    if k_target[1] < v[1]:
        k_target = _rotate(v, axis, -70.0)
    end = set_limb(start, "far_leg", add(hip, k_target), ankle)
    end = hand_on_top_hip(end)
    return Scene(
        "T4",
        start,
        end,
        # from the front and a little above: the knees come towards the
        # viewer, so the top knee rises straight up the picture
        camera=Camera(yaw=-10.0, elevation=28.0),
        floor=False,
        shade=("near_leg", "near_arm"),
        arrows=(Arrow("far_knee", offset=(10, -12), trim=0.0),),
    )


def hand_on_top_hip(p: Pose) -> Pose:
    """Side-lying: the top hand rests on the top hip (it feels the pelvis roll)."""
    b = build(p)
    hip = b.joints["far_hip"]
    return place(
        p,
        "far_arm",
        "far_palm",
        (hip[0] - 6.0, hip[1] + 4.0, hip[2] + 10.0),
        fingers=(1.0, -0.2, 0.3),
    )


def _rotate(v: V3, axis: V3, deg: float) -> V3:
    """Rodrigues rotation of v about a unit axis."""
    c, s_ = math.cos(math.radians(deg)), math.sin(math.radians(deg))
    k = axis
    kxv = (k[1] * v[2] - k[2] * v[1], k[2] * v[0] - k[0] * v[2], k[0] * v[1] - k[1] * v[0])
    kv = k[0] * v[0] + k[1] * v[1] + k[2] * v[2]
    return (
        v[0] * c + kxv[0] * s_ + k[0] * kv * (1 - c),
        v[1] * c + kxv[1] * s_ + k[1] * kv * (1 - c),
        v[2] * c + kxv[2] * s_ + k[2] * kv * (1 - c),
    )


@scene
def t5() -> Scene:
    bottom = L(flex=40.0, bend=80.0, tip=-20.0)
    start = side_lying(L(flex=-8.0, bend=2.0, tip=-25.0, abduct=-6.0), bottom)
    end = side_lying(L(flex=-8.0, bend=2.0, tip=-25.0, abduct=30.0), bottom)
    return Scene(
        "T5",
        start,
        end,
        camera=Camera(elevation=12.0),
        floor=False,
        shade=("near_leg", "near_arm"),
        arrows=(Arrow("far_ankle", offset=(14, -8)),),
    )


@scene
def t6() -> Scene:
    start = sit(pelvis=38.0, chest=48.0, neck=-10.0, feet=38.0)
    start = replace(start, near_arm=L(flex=70.0, bend=10.0), far_arm=L(flex=66.0, bend=10.0))
    b = build(start)
    feet = {n: b.joints[f"{n.split('_')[0]}_ankle"] for n in ("near_leg", "far_leg")}
    end = Pose(
        x=feet["near_leg"][0] - 2.0,
        y=hip_height(3.0),
        pelvis=0.0,
        chest=0.0,
        near_arm=L(flex=4, bend=10),
        far_arm=L(flex=-2, bend=10),
        props=start.props,
    )
    for name, a in feet.items():
        end = reach(end, name, a)
        end = aim_tip(end, name)
    return Scene("T6", start, end, arrows=(Arrow("crown", offset=(24, -6)),))


@scene
def t7() -> Scene:
    props = (Prop("wall", x=-60.0),)
    start = wall_stand(-60.0, 52.0, knee=12.0, lumbar=10.0, props=props)
    end = wall_stand(-60.0, 52.0, knee=62.0, lumbar=12.0, props=props)
    return Scene("T7", start, end, arrows=(Arrow("crown", offset=(26, 6), trim=0.0),))


def bird_dog(
    leg_lift: float,
    arm_lift: float,
    *,
    pelvis: float,
    chest: float,
    neck: float,
    props: tuple[Prop, ...],
) -> Pose:
    p = all_fours(pelvis=90.0, chest=84.0, props=props)
    b = build(p)
    hand = b.joints["near_palm"]
    q = all_fours(pelvis=pelvis, chest=chest, neck=neck, props=props, hands_x=hand[0])
    q = q.with_limb(
        "near_leg", L(flex=-(90.0 - pelvis) - 90.0 + 90.0 - leg_lift + 0.0, bend=4.0, tip=-40.0)
    )
    q = q.with_limb("far_arm", L(flex=180.0 - (90.0 - chest) + arm_lift, bend=4.0))
    return q


@scene
def t8() -> Scene:
    props = (mat(-150.0, 330.0),)
    start = all_fours(pelvis=90.0, chest=84.0, props=props)
    end = bird_dog(0.0, 0.0, pelvis=88.0, chest=84.0, neck=-8.0, props=props)
    end = end.with_limb("near_leg", L(flex=-2.0 - 88.0 + 90.0 - 0.0, bend=4.0, tip=-40.0))
    end = level_leg(end, 0.0)
    end = level_arm(end, 0.0)
    avoid = bird_dog(0.0, 0.0, pelvis=112.0, chest=78.0, neck=-34.0, props=props)
    avoid = level_leg(avoid, 24.0)
    avoid = level_arm(avoid, 18.0)
    return Scene("T8", start, end, avoid, arrows=(Arrow("near_ankle", offset=(0, -14)),))


def level_leg(p: Pose, up: float) -> Pose:
    """Straight leg pointing back, ``up`` degrees above horizontal."""
    from .body import aim_tip

    hip = joint(p, "near_hip")
    a = math.radians(up)
    t = (
        hip[0] - (THIGH + SHANK - 1.0) * math.cos(a),
        hip[1] + (THIGH + SHANK - 1.0) * math.sin(a),
        hip[2],
    )
    p = reach(p, "near_leg", t)
    return aim_tip(p, "near_leg", (-0.3, -1.0, 0.0))


def level_arm(p: Pose, up: float) -> Pose:
    sh = joint(p, "far_shoulder")
    a = math.radians(up)
    t = (
        sh[0] + (UPPER_ARM + FOREARM - 0.8) * math.cos(a),
        sh[1] + (UPPER_ARM + FOREARM - 0.8) * math.sin(a),
        sh[2],
    )
    p = reach(p, "far_arm", t)
    return aim_hand(p, "far_arm", (math.cos(a), math.sin(a), 0.0))
