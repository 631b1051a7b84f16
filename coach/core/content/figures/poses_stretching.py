"""Stretches (S1-S10), on the floor, on a chair and leaning on a support.

Each exercise group has its own module so that a pose is found from the letter
of its exercise id; :mod:`.library` puts the groups together in catalogue order.
"""

from __future__ import annotations

import math
from dataclasses import replace

from .body import aim_tip as aim_foot
from .body import bend_towards, build, ground, place, plant, reach
from .geometry import add, sub, unit
from .model import Arrow, Camera, Pose, Prop, Scene
from .posing import (
    FLOOR_MAT,
    MAT,
    L,
    aim_tip_back,
    all_fours,
    both_hug,
    hands_on_thighs,
    head_to,
    hug,
    joint,
    kneel_hands,
    leg,
    mat,
    registry,
    sit,
    stand,
    supine,
)

SCENES, scene = registry()


@scene
def s1() -> Scene:
    # the feet a little further out than usual: the standing knee then stays
    # clear of the hugged leg's foot
    start = supine(props=FLOOR_MAT, feet=72.0)
    end = supine(props=FLOOR_MAT, feet=72.0, lumbar=14.0)
    end = leg(end, "near_leg", 125.0, 0.0, tip=-10.0)
    end = hug(end, "near")
    return Scene("S1", start, end, arrows=(Arrow("near_knee", offset=(10, -40)),))


@scene
def s2() -> Scene:
    start = supine(props=FLOOR_MAT)
    end = supine(lumbar=30.0, props=FLOOR_MAT)
    end = leg(end, "near_leg", 125.0, 0.0, tip=-10.0)
    end = leg(end, "far_leg", 119.0, -6.0, tip=-10.0)
    end = ground(end, ("torso",), MAT)
    end = head_to(end, MAT)
    end = both_hug(end)
    return Scene("S2", start, end, arrows=(Arrow("near_knee", offset=(10, -40)),))


@scene
def s3() -> Scene:
    props = (mat(-150.0, 330.0),)
    start = all_fours(props=props)
    b = build(start)
    ankles = {n: b.joints[f"{n.split('_')[0]}_ankle"] for n in ("near_leg", "far_leg")}
    end = Pose(
        x=ankles["near_leg"][0] + 10.0,
        y=MAT + 28.0,
        pelvis=58.0,
        chest=112.0,
        neck=20.0,
        props=props,
    )
    end = ground(end, ("torso",), MAT)
    for name, a in ankles.items():
        end = reach(end, name, a)
        end = aim_tip_back(end, name)
    end = straight_hands(end)
    return Scene("S3", start, end, arrows=(Arrow("pelvis_mid", offset=(-6, -34)),))


def straight_hands(p: Pose) -> Pose:
    """Arms stretched forward, hands flat on the floor."""
    b = build(p)
    xs = []
    for side in ("near", "far"):
        sh = b.joints[f"{side}_shoulder"]
        dy = sh[1] - (MAT + 5.0)
        xs.append(sh[0] + math.sqrt(max(72.0**2 - dy * dy, 1.0)) + 8.0)
    return kneel_hands(p, MAT, (xs[0], xs[1]))


@scene
def s4() -> Scene:
    start = hands_on_thighs(sit(pelvis=0.0, chest=0.0))
    end = sit(pelvis=35.0, chest=95.0, neck=30.0)
    b = build(end)
    a = b.joints["near_ankle"]
    end = place(end, "near_arm", "near_palm", (a[0] + 8, a[1] + 16, 12.0), fingers=(0.2, -1.0, 0.0))
    end = place(end, "far_arm", "far_palm", (a[0] + 6, a[1] + 18, -12.0), fingers=(0.2, -1.0, 0.0))
    return Scene("S4", start, end, arrows=(Arrow("crown", offset=(12, -16)),))


@scene
def s5() -> Scene:
    top = 74.0
    props = (Prop("bed", x=-200.0, y=top, w=212.0, h=16.0),)
    start = supine(lumbar=25.0, feet=None, level=top, arms=False, props=props)
    start = replace(start, x=start.x)
    start = leg(start, "near_leg", 125.0, 0.0, tip=-10.0)
    start = leg(start, "far_leg", 119.0, -6.0, tip=-10.0)
    start = ground(start, ("torso",), top)
    start = head_to(start, top)
    start = both_hug(start)
    end = leg(start, "near_leg", -30.0, -80.0)
    hip = joint(end, "near_hip")
    end = plant(end, "near_leg", hip[0] + 40.0, 0.0)
    end = hug(end, "far")
    return Scene("S5", start, end, arrows=(Arrow("near_knee", offset=(22, 0)),))


def hands_on_strap(p: Pose, frac: float = 0.55) -> Pose:
    b = build(p)
    sole = b.joints["near_sole"]
    for side in ("near", "far"):
        sh = b.joints[f"{side}_shoulder"]
        t = (sh[0] + (sole[0] - sh[0]) * frac, sh[1] + (sole[1] - sh[1]) * frac, sh[2] * 0.3)
        p = place(
            p, f"{side}_arm", f"{side}_hand", t, fingers=(sole[0] - sh[0], sole[1] - sh[1], 0)
        )
    return p


@scene
def s6() -> Scene:
    strap = Prop("strap", ref=("near_hand", "near_sole", "near_heel"))
    start = supine(props=(*FLOOR_MAT, strap))
    start = start.with_limb("near_leg", L(flex=95.0, bend=95.0, tip=5.0))
    start = hands_on_strap(start, 0.5)
    end = start.with_limb("near_leg", L(flex=78.0, bend=4.0, tip=12.0))
    end = hands_on_strap(end, 0.45)
    return Scene("S6", start, end, arrows=(Arrow("near_toe", offset=(14, -6)),))


@scene
def s7() -> Scene:
    start = cross_leg(supine(props=FLOOR_MAT, arms=True))
    end = leg(start, "far_leg", 100.0, -10.0, tip=-10.0)
    end = cross_leg(end)
    b = build(end)
    hip, knee = b.joints["far_hip"], b.joints["far_knee"]
    # both hands behind the pulled-in thigh, most of the way to the knee
    held = (hip[0] + (knee[0] - hip[0]) * 0.7 + 7.0, hip[1] + (knee[1] - hip[1]) * 0.7 - 2.0, 3.0)
    for side in ("near", "far"):
        end = place(end, f"{side}_arm", f"{side}_palm", held, fingers=(0.3, -1.0, 0.0))
    return Scene(
        "S7",
        start,
        end,
        # from beside the feet and a little above: the crossed leg's knee
        # falls out to the side and its shin across the other thigh make the "4"
        camera=Camera(yaw=-50.0, elevation=18.0),
        floor=False,
        arrows=(Arrow("far_knee", offset=(26, -26)),),
    )


def cross_leg(p: Pose) -> Pose:
    """The near ankle rests on the far thigh just above the knee, the near
    knee fallen out to the side, the foot relaxed past the far thigh."""
    b = build(p)
    knee = b.joints["far_knee"]
    p = bend_towards(p, "near_leg", (knee[0] - 4.0, knee[1] + 9.0, knee[2] + 2.0), (0.3, 0.2, 1.0))
    b = build(p)
    shin = unit(sub(b.joints["near_ankle"], b.joints["near_knee"]))
    return aim_foot(p, "near_leg", add(shin, (0.0, 0.0, -0.6)))


@scene
def s8() -> Scene:
    props = (Prop("mat", x=-150.0, y=48.0, w=290.0, h=MAT),)
    start = arms_out(supine(props=props, feet=56.0))
    end = replace(start, twist=40.0)
    end = end.with_limb("near_leg", replace(end.near_leg, abduct=end.near_leg.abduct + 8))
    end = end.with_limb("far_leg", replace(end.far_leg, abduct=end.far_leg.abduct - 8))
    return Scene(
        "S8",
        start,
        end,
        camera=Camera(yaw=-20.0, elevation=28.0),
        arrows=(Arrow("near_knee", offset=(26, -4), trim=0.0),),
        floor=False,
    )


def arms_out(p: Pose) -> Pose:
    b = build(p)
    for side, z in (("near", 1.0), ("far", -1.0)):
        sh = b.joints[f"{side}_shoulder"]
        p = place(
            p,
            f"{side}_arm",
            f"{side}_hand",
            (sh[0] + 26, MAT + 4.5, sh[2] + z * 52),
            fingers=(0.5, 0.0, z),
        )
    return p


@scene
def s9() -> Scene:
    props = (Prop("trolley", x=30.0, y=128.0),)
    start = stand(-22.0, props=props)
    start = place(start, "near_arm", "near_hand", (30.0, 129.0, 12.0), fingers=(0.6, -1.0, 0.0))
    start = place(start, "far_arm", "far_hand", (30.0, 129.0, -12.0), fingers=(0.6, -1.0, 0.0))
    end = stand(-94.0, pelvis=40.0, chest=80.0, neck=18.0, knee=12.0, props=props)
    end = place(end, "near_arm", "near_hand", (30.0, 129.0, 12.0), fingers=(0.6, -1.0, 0.0))
    end = place(end, "far_arm", "far_hand", (30.0, 129.0, -12.0), fingers=(0.6, -1.0, 0.0))
    return Scene("S9", start, end, arrows=(Arrow("crown", offset=(-18, -18)),))


@scene
def s10() -> Scene:
    props = (mat(-110.0, 260.0),)
    start = all_fours(pelvis=90.0, chest=92.0, props=props)
    b = build(start)
    hands = (b.joints["near_palm"][0], b.joints["far_palm"][0])
    end = all_fours(pelvis=66.0, chest=112.0, neck=40.0, props=props, hands_x=hands[0])
    end = kneel_hands(end, MAT, hands)
    return Scene(
        "S10",
        start,
        end,
        arrows=(Arrow("lumbar", kind="turn", radius=40, a0=120, a1=60, offset=(6, 12)),),
    )
