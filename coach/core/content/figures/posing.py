"""The helpers every pose is authored with: stand, lie, sit, kneel, reach.

Poses are authored with these helpers and then fitted to the floor and the
props with inverse kinematics, so the stored result is plain data: a root
position and joint angles. Every exercise group (``poses_*.py``) uses them, so a
change here can move many pictures; ``coach figures`` and the committed SVG
check in ``tests/core/test_figures.py`` show which.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import replace

from .body import (
    ANKLE_H,
    FOREARM,
    SHANK,
    THIGH,
    UPPER_ARM,
    aim_hand,
    back_to,
    bend_towards,
    build,
    grip,
    ground,
    place,
    plant,
    reach,
)
from .geometry import V3, sub, unit
from .model import Camera, Limb, Pose, Prop, Scene

MAT = 4.0
SEAT = 58.0
COUNTER = 122.0

L = Limb


def hip_height(knee: float, dx: float = 0.0) -> float:
    """Hip height over the sole when a leg with this knee bend stands dx away."""
    k = math.radians(180.0 - knee)
    d2 = THIGH**2 + SHANK**2 - 2 * THIGH * SHANK * math.cos(k)
    return ANKLE_H + math.sqrt(max(d2 - dx * dx, 1.0))


def joint(p: Pose, name: str) -> V3:
    return build(p).joints[name]


def head_to(p: Pose, level: float, most: float = 40.0) -> Pose:
    """Tilt the head (neck angle, at most ``most`` forward) until its lowest
    point rests at ``level``."""
    lo, hi = -45.0, most

    # the head is the last three shapes of the torso group
    def head_low(n: float) -> float:
        b = build(replace(p, neck=n))
        shapes = b.groups["torso"][-3:]
        from .body import shape_min

        return min(shape_min(s, (0.0, 1.0, 0.0)) for s in shapes)

    f_lo, f_hi = head_low(lo) - level, head_low(hi) - level
    if f_lo * f_hi > 0:
        return replace(p, neck=lo if abs(f_lo) < abs(f_hi) else hi)
    for _ in range(30):
        mid = (lo + hi) / 2
        f_mid = head_low(mid) - level
        if f_lo * f_mid <= 0:
            hi, f_hi = mid, f_mid
        else:
            lo, f_lo = mid, f_mid
    return replace(p, neck=round((lo + hi) / 2, 2))


# --- standing -----------------------------------------------------------------------


def stand(
    x: float = 0.0,
    *,
    pelvis: float = 0.0,
    chest: float = 0.0,
    neck: float = 0.0,
    knee: float = 4.0,
    near_x: float | None = None,
    far_x: float | None = None,
    near_y: float = 0.0,
    far_y: float = 0.0,
    z: float = 0.0,
    spread: float = 0.0,
    arms: tuple[Limb, Limb] = (L(flex=4, bend=10), L(flex=-2, bend=10)),
    props: tuple[Prop, ...] = (),
    floor: float = 0.0,
) -> Pose:
    nx = x - 1.0 if near_x is None else near_x
    fx = x - 3.0 if far_x is None else far_x
    p = Pose(
        x=x,
        y=floor + hip_height(knee, 0.0),
        z=z,
        pelvis=pelvis,
        chest=chest,
        neck=neck,
        near_arm=arms[0],
        far_arm=arms[1],
        props=props,
    )
    p = plant(p, "near_leg", nx, floor + near_y, z=z + 9.0 + spread)
    p = plant(p, "far_leg", fx, floor + far_y, z=z - 9.0 - spread)
    return p


def on_counter(
    p: Pose, cx: float, *, far: bool = True, top: float = COUNTER, reach_in: float = 12.0
) -> Pose:
    """Both hands resting on a counter whose front edge is at cx."""
    p = grip(p, "near_arm", (cx + reach_in, top + 4.0, 14.0), fingers=(1.0, -0.15, 0.0))
    if far:
        p = grip(p, "far_arm", (cx + reach_in + 4.0, top + 4.0, -14.0), fingers=(1.0, -0.15, 0.0))
    return p


# --- lying ---------------------------------------------------------------------------


def arms_by_sides(p: Pose, level: float) -> Pose:
    b = build(p)
    for side in ("near", "far"):
        sh = b.joints[f"{side}_shoulder"]
        z = sh[2] + (4.0 if side == "near" else -4.0)
        dy = sh[1] - (level + 4.3)
        dx = math.sqrt(max((UPPER_ARM + FOREARM - 0.5) ** 2 - dy * dy, 1.0))
        p = reach(p, f"{side}_arm", (sh[0] + dx, level + 4.3, z))
        p = aim_hand(p, f"{side}_arm", (1.0, -0.05, 0.0))
    return p


def lay(p: Pose, level: float) -> Pose:
    """Rest a lying torso on the floor at its buttocks and its upper back."""
    from .body import shape_min

    def gap(d: float) -> float:
        q = replace(p, pelvis=p.pelvis + d, chest=p.chest + d)
        b = build(q)
        lo = min(shape_min(sl.shape, (0.0, 1.0, 0.0)) for sl in b.slices if sl.s < 26)
        hi = min(shape_min(sl.shape, (0.0, 1.0, 0.0)) for sl in b.slices if sl.s > 60)
        return lo - hi

    a, c = -30.0, 30.0
    fa = gap(a)
    for _ in range(30):
        m = (a + c) / 2
        fm = gap(m)
        if fa * fm <= 0:
            c = m
        else:
            a, fa = m, fm
    d = round((a + c) / 2, 3)
    return ground(replace(p, pelvis=p.pelvis + d, chest=p.chest + d), ("torso",), level)


def supine(
    x: float = 0.0,
    *,
    lumbar: float = 0.0,
    feet: float | None = 62.0,
    far_feet: float | None = None,
    level: float = MAT,
    arms: bool = True,
    props: tuple[Prop, ...] = (),
) -> Pose:
    """On the back, head to the left; ``feet``: ankle distance from the hips
    (knees bent, soles on the floor), or None for straight legs."""
    p = Pose(x=x, y=level + 20.0, pelvis=-90.0 - lumbar, chest=-90.0, props=props)
    p = lay(p, level)
    p = head_to(p, level)
    if feet is None:
        for name in ("near_leg", "far_leg"):
            p = p.with_limb(name, L(flex=-1.5, tip=-40))
        p = ground(p, ("torso", "near_leg", "far_leg"), level)
    else:
        hx = p.x
        p = plant(p, "near_leg", hx + feet, level)
        p = plant(p, "far_leg", hx + (far_feet if far_feet is not None else feet) - 2.0, level)
    if arms:
        p = arms_by_sides(p, level)
    return p


def prone(
    x: float = 0.0,
    *,
    lumbar: float = 0.0,
    level: float = MAT,
    props: tuple[Prop, ...] = (),
) -> Pose:
    """Face down, head to the right."""
    p = Pose(x=x, y=level + 20.0, pelvis=90.0 - lumbar, chest=90.0, neck=-10.0, props=props)
    for name in ("near_leg", "far_leg"):
        p = p.with_limb(name, L(flex=-2.0, tip=-70.0))
    p = ground(p, ("torso", "near_leg", "far_leg"), level)
    return p


# --- sitting ---------------------------------------------------------------------------


def sit(
    x: float = 0.0,
    *,
    pelvis: float = 0.0,
    chest: float = 0.0,
    neck: float = 0.0,
    seat: float = SEAT,
    feet: float = 50.0,
    far_feet: float | None = None,
    props: tuple[Prop, ...] = (),
    chair: bool = True,
) -> Pose:
    """On a chair facing +x, the seat front edge near x + 18."""
    p = Pose(
        x=x,
        y=seat + 14.0,
        pelvis=pelvis,
        chest=chest,
        neck=neck,
        props=props,
        near_leg=L(flex=90.0, bend=90.0),
        far_leg=L(flex=90.0, bend=90.0),
    )
    p = ground(p, ("torso",), seat)
    p = plant(p, "near_leg", p.x + feet, 0.0)
    p = plant(p, "far_leg", p.x + (far_feet if far_feet is not None else feet) - 3.0, 0.0)
    if chair:
        p = replace(p, props=(Prop("chair", x=p.x + 18.0, y=seat, w=48.0, h=58.0), *p.props))
    return p


def hands_on_thighs(p: Pose, along: float = 0.62) -> Pose:
    b = build(p)
    for side in ("near", "far"):
        hip, knee = b.joints[f"{side}_hip"], b.joints[f"{side}_knee"]
        t = (
            hip[0] + (knee[0] - hip[0]) * along,
            hip[1] + (knee[1] - hip[1]) * along + 13.0,
            hip[2] + (4.0 if side == "near" else -4.0),
        )
        p = grip(p, f"{side}_arm", t, fingers=(1.0, -0.3, 0.0))
    return p


# --- kneeling -----------------------------------------------------------------------


def all_fours(
    x: float = 0.0,
    *,
    pelvis: float = 90.0,
    chest: float = 84.0,
    neck: float = -8.0,
    level: float = MAT,
    props: tuple[Prop, ...] = (),
    hands_x: float | None = None,
) -> Pose:
    """Hands and knees, head to the right, hips over the knees."""
    y = level + 8.0 + THIGH
    p = Pose(x=x, y=y, pelvis=pelvis, chest=chest, neck=neck, props=props)
    for name, z in (("near_leg", 9.0), ("far_leg", -9.0)):
        p = reach(p, name, (x - SHANK + 1.0, level + 4.6, z))
        p = aim_tip_back(p, name)
    b = build(p)
    for side, z in (("near", 16.0), ("far", -16.0)):
        sh = b.joints[f"{side}_shoulder"]
        hx = sh[0] + 2.0 if hands_x is None else hands_x
        p = place(p, f"{side}_arm", f"{side}_palm", (hx, level + 1.0, z), fingers=(1.0, -0.02, 0.0))
    return p


def aim_tip_back(p: Pose, name: str) -> Pose:
    from .body import aim_tip

    return aim_tip(p, name, (-1.0, -0.05, 0.0))


def kneel_hands(p: Pose, level: float, hands: tuple[float, float]) -> Pose:
    for side, z, hx in (("near", 16.0, hands[0]), ("far", -16.0, hands[1])):
        p = place(p, f"{side}_arm", f"{side}_palm", (hx, level + 1.0, z), fingers=(1.0, -0.02, 0.0))
    return p


def tiptoe(p: Pose, name: str, ball_x: float, pitch: float, level: float = 0.0) -> Pose:

    c, s_ = math.cos(math.radians(pitch)), math.sin(math.radians(pitch))
    side = name.split("_")[0]
    z = joint(p, f"{side}_hip")[2]
    return place(p, name, f"{side}_sole", (ball_x, level, z), foot=(c, s_, 0.0))


def heel_on(p: Pose, name: str, heel_x: float, pitch: float, level: float = 0.0) -> Pose:
    c, s_ = math.cos(math.radians(pitch)), math.sin(math.radians(pitch))
    side = name.split("_")[0]
    z = joint(p, f"{side}_hip")[2]
    return place(p, name, f"{side}_heel", (heel_x, level, z), foot=(c, s_, 0.0))


def hand_to(p: Pose, name: str, target: V3, fingers: V3 = (1.0, 0.0, 0.0)) -> Pose:
    side = name.split("_")[0]
    return place(p, name, f"{side}_hand", target, fingers=fingers)


ELBOW_OUT = {"near": (-0.6, 1.2, 0.2), "far": (-1.4, 0.6, -0.2)}
"""Which way the elbows point while hugging a knee: up and out beside the
chest, so each arm draws a clear bend above the trunk instead of a line
through the thigh (the far elbow a little further towards the head so that
it shows behind the near one)."""


def hold_knee(p: Pose, leg_side: str, arm_side: str, along: float = 6.0) -> Pose:
    """One hand wrapped round the top of a lifted knee, just below the
    kneecap, with the elbow bent out to the side."""
    b = build(p)
    knee, ankle = b.joints[f"{leg_side}_knee"], b.joints[f"{leg_side}_ankle"]
    d = unit(sub(ankle, knee))
    up = (-d[1], d[0], 0.0) if d[0] >= 0 else (d[1], -d[0], 0.0)
    dz = 8.0 if arm_side == "near" else -8.0
    target = (
        knee[0] + d[0] * along + up[0] * 6.0,
        knee[1] + d[1] * along + up[1] * 6.0,
        knee[2] + dz,
    )
    fingers = (-up[0] + 0.2 * d[0], -up[1] + 0.2 * d[1], 0.0)
    name = f"{arm_side}_arm"
    for _ in range(4):
        b = build(p)
        off = sub(b.joints[f"{arm_side}_palm"], b.joints[f"{arm_side}_wrist"])
        p = bend_towards(p, name, sub(target, off), ELBOW_OUT[arm_side])
        p = aim_hand(p, name, fingers)
    return p


def hug(p: Pose, leg_side: str, *, arms: tuple[str, ...] = ("near", "far")) -> Pose:
    """Both hands round one knee."""
    for side in arms:
        p = hold_knee(p, leg_side, side)
    return p


def both_hug(p: Pose) -> Pose:
    """Each hand round its own knee."""
    for side in ("near", "far"):
        p = hold_knee(p, side, side)
    return p


def wall_stand(
    wall_x: float,
    heel_out: float,
    *,
    knee: float,
    lumbar: float,
    props: tuple[Prop, ...],
) -> Pose:
    """Back against a wall at wall_x (buttocks and shoulder blades touching),
    heels heel_out in front of it; ``lumbar`` as in ``Pose.lumbar``."""
    from .body import shape_min

    ankle_x = wall_x + heel_out + 3.0

    def rear(q: Pose, lo: float, hi: float) -> float:
        b = build(q)
        return min(shape_min(sl.shape, (1.0, 0.0, 0.0)) for sl in b.slices if lo < sl.s < hi)

    def fit(lean: float) -> Pose:
        hx = wall_x + 20.0
        q = Pose()
        for _ in range(4):
            q = Pose(
                x=hx,
                y=hip_height(knee, ankle_x - hx),
                pelvis=lean - lumbar,
                chest=lean,
                props=props,
                near_arm=L(flex=2, bend=8),
                far_arm=L(flex=-2, bend=8),
            )
            q = back_to(q, wall_x)
            hx = q.x
        return q

    # lean the trunk back until buttocks and upper back both touch the wall
    a, c = -25.0, 10.0
    fa = rear(fit(a), 0, 26) - rear(fit(a), 60, 99)
    for _ in range(20):
        m = (a + c) / 2
        q = fit(m)
        fm = rear(q, 0, 26) - rear(q, 60, 99)
        if fa * fm <= 0:
            c = m
        else:
            a, fa = m, fm
    p = fit(round((a + c) / 2, 2))
    p = plant(p, "near_leg", ankle_x, 0.0)
    p = plant(p, "far_leg", ankle_x - 2.0, 0.0)
    return p


def leg(p: Pose, name: str, thigh: float, shank: float, tip: float = 0.0) -> Pose:
    """Set a leg by the side-view directions of thigh and shank (degrees,
    counter-clockwise from pointing forward/right)."""
    return p.with_limb(name, L(flex=thigh + 90.0 + p.pelvis, bend=thigh - shank, tip=tip))


# --- props and hands shared by several groups ---------------------------------------------


def mat(x: float, w: float = 300.0) -> Prop:
    return Prop("mat", x=x, w=w, h=MAT)


def hand_on_belly(p: Pose) -> Pose:
    b = build(p)
    bel = b.joints["belly"]
    lum = b.joints["lumbar"]
    target = (bel[0] - 2.0, bel[1] + 3.0, 12.0)
    del lum
    return place(p, "near_arm", "near_palm", target, fingers=(1.0, -0.25, 0.0))


FLOOR_MAT = (mat(-140.0),)


def counter_props(x: float = 40.0) -> tuple[Prop, ...]:
    return (Prop("counter", x=x, y=COUNTER, w=90.0),)


def aim_tip(p: Pose, name: str) -> Pose:
    from .body import aim_tip as _aim

    return _aim(p, name, (1.0, 0.0, 0.0))


BACK = Camera(yaw=90.0)


def back_counter() -> tuple[Prop, ...]:
    return (Prop("counter_far", x=34.0, y=COUNTER, w=150.0),)


def on_counter_back(p: Pose, *, hover: float = 0.0) -> Pose:
    for side, z in (("near", 24.0), ("far", -24.0)):
        p = place(
            p,
            f"{side}_arm",
            f"{side}_palm",
            (30.0, COUNTER + 3.0 + hover, z),
            fingers=(1.0, -0.1, 0.0),
        )
    return p


# --- the table of one group's scenes ----------------------------------------------------

SceneFn = Callable[[], Scene]


def registry() -> tuple[dict[str, SceneFn], Callable[[SceneFn], SceneFn]]:
    """A group's scenes by exercise id (in the order defined) and the decorator adding one."""
    scenes: dict[str, SceneFn] = {}

    def scene(fn: SceneFn) -> SceneFn:
        scenes[fn.__name__.upper()] = fn
        return fn

    return scenes, scene
