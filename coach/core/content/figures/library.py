"""The key poses of every exercise.

Poses are authored with a few helpers (stand, lie, sit, kneel) and then
fitted to the floor and the props with inverse kinematics, so the stored
result is plain data: a root position and joint angles.
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
    set_limb,
)
from .body import aim_tip as aim_foot
from .geometry import V3, add, sub, unit
from .model import Arrow, Camera, Limb, Pose, Prop, Scene
from .props import bike_grip, bike_pedal, bike_seat, deck_y

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


# --- scenes ------------------------------------------------------------------------------

SCENES: dict[str, Callable[[], Scene]] = {}


def scene(fn: Callable[[], Scene]) -> Callable[[], Scene]:
    SCENES[fn.__name__.upper()] = fn
    return fn


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


def counter_props(x: float = 40.0) -> tuple[Prop, ...]:
    return (Prop("counter", x=x, y=COUNTER, w=90.0),)


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


# --- stretching -------------------------------------------------------------------------


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


# --- strengthening -------------------------------------------------------------------------


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


def aim_tip(p: Pose, name: str) -> Pose:
    from .body import aim_tip as _aim

    return _aim(p, name, (1.0, 0.0, 0.0))


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


# --- chair and counter -------------------------------------------------------------------------


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


# --- balance ------------------------------------------------------------------------------------


@scene
def b1() -> Scene:
    props = back_counter()
    start = on_counter_back(stand(0.0, props=props, near_x=0.0, far_x=0.0, spread=9.0), hover=8.0)
    end = on_counter_back(stand(0.0, props=props, near_x=0.0, far_x=0.0, spread=-4.0), hover=8.0)
    return Scene(
        "B1",
        start,
        end,
        camera=BACK,
        arrows=(Arrow("near_ankle", offset=(16, -6), trim=0.0),),
    )


@scene
def b2() -> Scene:
    props = counter_props(34.0)
    start = stand(-26.0, props=props, near_x=-12.0, far_x=-28.0, spread=-9.0)
    start = on_counter(start, 34.0, reach_in=6.0)
    end = stand(-26.0, props=props, near_x=2.0, far_x=-30.0, spread=-9.0)
    end = on_counter(end, 34.0, reach_in=6.0)
    return Scene(
        "B2",
        start,
        end,
        arrows=(Arrow("near_ankle", offset=(0, -22), trim=0.0),),
    )


@scene
def b3() -> Scene:
    props = counter_props(30.0)
    start = on_counter(stand(-26.0, props=props), 30.0)
    end = start.with_limb("near_leg", L(flex=18.0, bend=80.0, tip=-10.0))
    return Scene("B3", start, end, arrows=(Arrow("near_ankle", offset=(-12, -6)),))


@scene
def b4() -> Scene:
    props = back_counter()
    start = on_counter_back(stand(0.0, props=props, near_x=0.0, far_x=0.0, spread=3.0), hover=2.0)
    end = replace(start, z=13.0)
    end = plant(end, "near_leg", 0.0, 0.0, z=12.0)
    end = plant(end, "far_leg", 0.0, 0.0, z=-12.0)
    end = on_counter_back(end, hover=2.0)
    return Scene(
        "B4",
        start,
        end,
        camera=BACK,
        arrows=(Arrow("crown", kind="turn", radius=60, a0=120, a1=60, offset=(-10, 50)),),
    )


# --- aerobic --------------------------------------------------------------------------------------


@scene
def a1() -> Scene:
    bk = Prop("bike", x=24.0, y=30.0)
    sx, sy = bike_seat(bk)
    gx, gy = bike_grip(bk)

    def ride(deg: float) -> Pose:
        p = Pose(x=sx - 2.0, y=sy + 16.0, pelvis=28.0, chest=34.0, neck=-8.0, props=(bk,))
        p = ground(p, ("torso",), sy)
        for side, z, a in (("near", 10.0, deg), ("far", -10.0, deg + 180.0)):
            px, py = bike_pedal(bk, a)
            p = place(
                p, f"{side}_leg", f"{side}_sole", (px + 6.0, py + 2.0, z), foot=(1.0, -0.15, 0.0)
            )
            p = place(
                p,
                f"{side}_arm",
                f"{side}_hand",
                (gx - 4.0, gy + 4.0, z * 1.4),
                fingers=(1.0, -0.4, 0.0),
            )
        return p

    return Scene(
        "A1",
        ride(-70.0),
        ride(110.0),
        arrows=(Arrow("hips", kind="turn", radius=26, a0=100, a1=-60, offset=(48 - 0.0, 78.0)),),
    )


@scene
def a2() -> Scene:
    tm = Prop("treadmill", x=-120.0, y=14.0, w=210.0, angle=8.0)
    rail = Prop("treadmill_rail", x=-120.0, y=14.0, w=210.0, h=128.0)

    def walk(front: str, back: str) -> Pose:
        hx = -10.0
        p = Pose(
            x=hx,
            y=deck_y(tm, hx) + hip_height(14.0, 20.0),
            pelvis=6.0,
            chest=10.0,
            props=(tm, rail),
        )
        fz = 9.0 if front == "near_leg" else -9.0
        bz = -fz
        p = place(
            p,
            front,
            f"{front.split('_')[0]}_heel",
            (hx + 26.0, deg_y(tm, hx + 26), fz),
            foot=(1.0, 0.32, 0.0),
        )
        p = place(
            p,
            back,
            f"{back.split('_')[0]}_sole",
            (hx - 28.0, deg_y(tm, hx - 28), bz),
            foot=(1.0, -0.25, 0.0),
        )
        for side, z in (("near", 16.0), ("far", -16.0)):
            p = place(
                p, f"{side}_arm", f"{side}_hand", (hx + 48.0, 130.0, z), fingers=(1.0, -0.3, 0.0)
            )
        return p

    return Scene(
        "A2",
        walk("near_leg", "far_leg"),
        walk("far_leg", "near_leg"),
        arrows=(Arrow("far_toe", offset=(0, 10)),),
    )


def deg_y(tm: Prop, x: float) -> float:
    return deck_y(tm, x)


@scene
def a3() -> Scene:
    wk = Prop("walker", x=34.0, y=104.0)
    start = stand(-12.0, pelvis=4.0, chest=8.0, props=(wk,))
    start = heel_on(start, "near_leg", 8.0, 18.0)
    start = tiptoe(start, "far_leg", -30.0, -22.0)
    for side, z in (("near", 14.0), ("far", -14.0)):
        start = place(
            start, f"{side}_arm", f"{side}_hand", (34.0, 106.0, z), fingers=(1.0, -0.5, 0.0)
        )
    end = stand(-82.0, pelvis=34.0, chest=66.0, neck=16.0, knee=10.0, props=(wk,))
    for side, z in (("near", 14.0), ("far", -14.0)):
        end = place(end, f"{side}_arm", f"{side}_hand", (34.0, 106.0, z), fingers=(1.0, -0.8, 0.0))
    return Scene("A3", start, end, arrows=(Arrow("crown", offset=(-16, -16)),))


@scene
def a4() -> Scene:
    props = (Prop("water", y=150.0),)

    def wade(front: str, back: str) -> Pose:
        p = Pose(x=0.0, y=hip_height(12.0, 22.0), pelvis=4.0, chest=6.0, props=props)
        s_f, s_b = front.split("_")[0], back.split("_")[0]
        p = place(
            p,
            front,
            f"{s_f}_heel",
            (26.0, 0.0, 9.0 if s_f == "near" else -9.0),
            foot=(1.0, 0.2, 0.0),
        )
        p = place(
            p,
            back,
            f"{s_b}_sole",
            (-30.0, 0.0, 9.0 if s_b == "near" else -9.0),
            foot=(1.0, -0.3, 0.0),
        )
        arm_f = "far_arm" if s_f == "near" else "near_arm"
        arm_b = "near_arm" if s_f == "near" else "far_arm"
        p = p.with_limb(arm_f, L(flex=40.0, abduct=10.0, bend=40.0))
        p = p.with_limb(arm_b, L(flex=-30.0, abduct=10.0, bend=20.0))
        return p

    return Scene(
        "A4",
        wade("near_leg", "far_leg"),
        wade("far_leg", "near_leg"),
        arrows=(Arrow("far_toe", offset=(0, 12)),),
    )


# --- relaxation -----------------------------------------------------------------------------------


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


# --- extension exercises (not used by default) -----------------------------------------------


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
