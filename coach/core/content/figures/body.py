"""The jointed figure: forward kinematics, body shapes, inverse kinematics.

The body is built from solid primitives so any camera can look at it:
tapered capsules (two spheres and the cone between them) for limbs and the
neck, ellipsoids for the torso slices and the head. The torso is a stack of
ellipsoid slices along a spine that runs through a rigid pelvis, a bending
lumbar arc and the thorax, so the lower-back curve (flat, natural, arched)
comes straight out of the pose's pelvis and chest angles.

Sizes are in figure units (1 unit = 1 SVG pixel); a standing adult is about
230 units tall, the head about 1/7.5 of that.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

from .geometry import (
    BASE_AXES,
    V3,
    Axes,
    add,
    combo,
    coords,
    cross,
    dot,
    lerp3,
    mul,
    norm,
    roll_x,
    rot_f,
    rot_l,
    rot_u,
    sub,
    unit,
    wrap180,
)
from .model import Limb, Pose, blend

# --- proportions -------------------------------------------------------------
THIGH = 55.0
SHANK = 55.0
ANKLE_H = 8.0
UPPER_ARM = 41.0
FOREARM = 33.0
HIP_HALF = 9.0
SHOULDER_HALF = 20.0
LUMBAR_LEN = 24.0
THORAX_LEN = 40.0
LORDOSIS = 34.0
KYPHOSIS = 38.0
NECK_LEN = 14.0
PELVIS_TOP = (-7.0, 12.0)
STAND_HIP = THIGH + SHANK + ANKLE_H

# Torso slices along the spine: (s, back offset, depth, width).
# s runs from the bottom of the buttocks (0) to the base of the neck.
_PELVIS_LEN = 27.0
_S_L0 = _PELVIS_LEN
_S_T12 = _S_L0 + LUMBAR_LEN
_S_C7 = _S_T12 + THORAX_LEN
TORSO_TABLE: tuple[tuple[float, float, float, float], ...] = (
    (7.0, 4.0, 22.0, 32.0),
    (11.0, 6.5, 29.0, 38.0),
    (15.0, 7.0, 31.0, 40.0),
    (21.0, 6.0, 30.0, 37.0),
    (_S_L0, 5.0, 28.0, 33.0),
    (_S_L0 + 11.0, 5.0, 26.5, 29.0),
    (_S_T12, 5.0, 28.0, 31.0),
    (_S_T12 + 11.0, 5.5, 31.0, 35.0),
    (_S_T12 + 22.0, 6.5, 31.5, 41.0),
    (_S_T12 + 31.0, 6.5, 27.0, 44.0),
    (_S_C7 - 2.0, 4.5, 17.0, 38.0),
)
SLICE_STEP = 2.0
SLICE_ALONG = 8.0
LOWER_BACK = (4.0, _S_T12 + 2.0)
"""The s range coloured as lower back / pelvis."""
BACK_LINE = (8.0, _S_T12 + 6.0)
"""The s range of the accent line drawn along the lower-back surface."""

LIMBS = ("near_leg", "far_leg", "near_arm", "far_arm")
SHRUG = 5.0
"""How far a full shrug lifts the shoulders towards the ears."""


@dataclass(frozen=True)
class Ellipsoid:
    center: V3
    axes: tuple[V3, V3, V3]
    """Semi-axis vectors."""


@dataclass(frozen=True)
class Capsule:
    a: V3
    ra: float
    b: V3
    rb: float


Shape = Ellipsoid | Capsule


@dataclass(frozen=True)
class Slice:
    s: float
    shape: Ellipsoid
    back: V3
    """Unit vector pointing out of the back at this slice."""


@dataclass
class Body:
    """A built pose: joint positions, shapes per drawing group, torso slices."""

    joints: dict[str, V3] = field(default_factory=dict)
    axes: dict[str, Axes] = field(default_factory=dict)
    groups: dict[str, list[Shape]] = field(default_factory=dict)
    slices: list[Slice] = field(default_factory=list)


def _side(name: str) -> float:
    return 1.0 if name.startswith("near") else -1.0


def _table(s: float) -> tuple[float, float, float]:
    """Hermite (Catmull-Rom style) interpolation of the torso table: smooth,
    with no flat spots at the keys."""
    rows = TORSO_TABLE
    if s <= rows[0][0]:
        return rows[0][1], rows[0][2], rows[0][3]
    if s >= rows[-1][0]:
        return rows[-1][1], rows[-1][2], rows[-1][3]
    k = 0
    while rows[k + 1][0] < s:
        k += 1
    s0, s1 = rows[k][0], rows[k + 1][0]
    h = s1 - s0
    t = (s - s0) / h
    h00 = 2 * t**3 - 3 * t**2 + 1
    h10 = t**3 - 2 * t**2 + t
    h01 = -2 * t**3 + 3 * t**2
    h11 = t**3 - t**2
    out = []
    for c in (1, 2, 3):

        def slope(i: int, c: int = c) -> float:
            a = rows[max(i - 1, 0)]
            b = rows[min(i + 1, len(rows) - 1)]
            return (b[c] - a[c]) / (b[0] - a[0])

        out.append(
            h00 * rows[k][c] + h10 * h * slope(k) + h01 * rows[k + 1][c] + h11 * h * slope(k + 1)
        )
    return out[0], out[1], out[2]


@dataclass(frozen=True)
class Trunk:
    origin: V3
    base: Axes
    pelvis: Axes
    chest: Axes
    spine: tuple[tuple[V3, V3, V3], ...]
    """Samples every 1 unit of s: (point, tangent, lateral)."""
    c7: V3
    shrug: float = 0.0


def _lean(ax: Axes, deg: float) -> Axes:
    return rot_l(ax, -deg)


def trunk(pose: Pose) -> Trunk:
    base: Axes = (
        roll_x(BASE_AXES[0], pose.roll),
        roll_x(BASE_AXES[1], pose.roll),
        roll_x(BASE_AXES[2], pose.roll),
    )
    origin: V3 = (pose.x, pose.y, pose.z)
    pelvis = rot_u(_lean(base, pose.pelvis), pose.twist)
    chest = _lean(base, pose.chest)
    samples: list[tuple[V3, V3, V3]] = []

    t0 = _lean(pelvis, LORDOSIS / 2.0)[1]
    top = add(origin, combo(pelvis, PELVIS_TOP[0], PELVIS_TOP[1], 0.0))
    bottom = sub(top, mul(t0, _PELVIS_LEN))
    tp = t0
    n_pelvis = round(_PELVIS_LEN)
    for i in range(n_pelvis):
        samples.append((lerp3(bottom, top, i / _PELVIS_LEN), tp, pelvis[2]))

    def arc(start: V3, a0: float, a1: float, length: float, l0: Axes, l1: Axes) -> V3:
        steps = round(length)
        pos = start
        for i in range(steps):
            v = (i + 0.5) / steps
            a = math.radians(a0 + (a1 - a0) * v)
            tan = unit(add(mul(chest[1], math.cos(a)), mul(chest[0], math.sin(a))))
            lat = unit(lerp3(l0[2], l1[2], v))
            samples.append((pos, tan, lat))
            pos = add(pos, mul(tan, length / steps))
        return pos

    a0 = math.degrees(math.atan2(dot(t0, chest[0]), dot(t0, chest[1])))
    t12 = arc(top, a0, -LORDOSIS / 2.0, LUMBAR_LEN, pelvis, chest)
    c7 = arc(t12, -LORDOSIS / 2.0, KYPHOSIS / 2.0, THORAX_LEN, chest, chest)
    tan_end = unit(
        add(
            mul(chest[1], math.cos(math.radians(KYPHOSIS / 2))),
            mul(chest[0], math.sin(math.radians(KYPHOSIS / 2))),
        )
    )
    samples.append((c7, tan_end, chest[2]))
    return Trunk(origin, base, pelvis, chest, tuple(samples), c7, pose.shrug)


def _spine_at(tr: Trunk, s: float) -> tuple[V3, V3, V3]:
    i = max(0, min(len(tr.spine) - 2, int(s)))
    t = max(0.0, min(1.0, s - i))
    p0, t0, l0 = tr.spine[i]
    p1, t1, l1 = tr.spine[i + 1]
    return lerp3(p0, p1, t), unit(lerp3(t0, t1, t)), unit(lerp3(l0, l1, t))


def _belly_bump(s: float) -> float:
    lo, hi = 10.0, _S_T12 + 6.0
    if s <= lo or s >= hi:
        return 0.0
    return math.sin(math.pi * (s - lo) / (hi - lo))


def limb_joints(root: V3, parent: Axes, limb: Limb, name: str) -> tuple[list[V3], list[Axes]]:
    """Joint positions [root, middle, end] and frames [upper, lower, tip]."""
    s = _side(name)
    leg = name.endswith("leg")
    upper = rot_u(rot_f(rot_l(parent, limb.flex), s * limb.abduct), s * limb.rotate)
    a = THIGH if leg else UPPER_ARM
    b = SHANK if leg else FOREARM
    mid = add(root, mul(upper[1], -a))
    lower = rot_l(upper, -limb.bend if leg else limb.bend)
    end = add(mid, mul(lower[1], -b))
    tip = rot_l(lower, limb.tip)
    return [root, mid, end], [upper, lower, tip]


def limb_root(tr: Trunk, name: str) -> V3:
    s = _side(name)
    if name.endswith("leg"):
        return add(tr.origin, mul(tr.pelvis[2], s * HIP_HALF))
    return add(tr.c7, combo(tr.chest, 5.0, -8.0 + SHRUG * tr.shrug, s * SHOULDER_HALF))


def build(pose: Pose) -> Body:
    tr = trunk(pose)
    body = Body()
    body.axes["pelvis"] = tr.pelvis
    body.axes["chest"] = tr.chest
    j = body.joints
    j["hips"] = tr.origin
    j["c7"] = tr.c7

    # torso slices
    torso: list[Shape] = []
    s = TORSO_TABLE[0][0]
    while s <= TORSO_TABLE[-1][0] + 1e-6:
        p, tan, lat = _spine_at(tr, s)
        back_off, depth, width = _table(s)
        depth += 4.0 * pose.belly * _belly_bump(s)
        fwd = unit(cross(tan, lat))
        lat = unit(cross(fwd, tan))
        center = add(p, mul(fwd, depth / 2.0 - back_off))
        along = SLICE_ALONG
        ell = Ellipsoid(center, (mul(fwd, depth / 2.0), mul(tan, along), mul(lat, width / 2.0)))
        torso.append(ell)
        body.slices.append(Slice(s, ell, mul(fwd, -1.0)))
        s += SLICE_STEP
    j["sacrum"] = add(_spine_at(tr, 12.0)[0], mul(body.slices[4].back, 10.0))
    lumbar_p, lumbar_t, lumbar_l = _spine_at(tr, _S_L0 + 10.0)
    j["lumbar"] = lumbar_p
    j["belly"] = add(lumbar_p, mul(unit(cross(lumbar_t, lumbar_l)), 20.0 + 2.0 * pose.belly))
    j["pelvis_mid"] = add(tr.origin, combo(tr.pelvis, -2.0, 2.0, 0.0))

    # neck and head
    neck_base = add(tr.c7, combo(tr.chest, 3.0, -2.0, 0.0))
    neck_ax = _lean(tr.chest, 18.0)
    atlas = add(neck_base, mul(neck_ax[1], NECK_LEN))
    head = _lean(tr.chest, pose.neck)
    torso.append(Capsule(neck_base, 7.0, atlas, 6.2))
    # shoulder girdle: gives the trunk its shoulder line seen from front or back
    lift = -6.0 + SHRUG * pose.shrug
    sh_near = add(tr.c7, combo(tr.chest, 2.0, lift, SHOULDER_HALF - 3.0))
    sh_far = add(tr.c7, combo(tr.chest, 2.0, lift, -SHOULDER_HALF + 3.0))
    torso.insert(0, Capsule(sh_near, 8.0, sh_far, 8.0))
    cranium = add(atlas, combo(head, 1.0, 12.0, 0.0))
    torso.append(Ellipsoid(cranium, (mul(head[0], 13.0), mul(head[1], 14.0), mul(head[2], 10.5))))
    jaw = add(atlas, combo(head, 6.0, 4.0, 0.0))
    torso.append(Ellipsoid(jaw, (mul(head[0], 9.0), mul(head[1], 8.5), mul(head[2], 8.0))))
    nose = add(atlas, combo(head, 13.5, 8.0, 0.0))
    torso.append(Ellipsoid(nose, (mul(head[0], 3.0), mul(head[1], 3.6), mul(head[2], 2.0))))
    j["head"] = cranium
    j["crown"] = add(atlas, combo(head, 1.0, 26.0, 0.0))
    j["face"] = add(atlas, combo(head, 14.0, 8.0, 0.0))
    j["back_of_head"] = add(atlas, combo(head, -12.0, 12.0, 0.0))
    body.axes["head"] = head
    body.groups["torso"] = torso

    for name in LIMBS:
        limb = pose.limb(name)
        side = name.split("_")[0]
        root = limb_root(tr, name)
        parent = tr.pelvis if name.endswith("leg") else tr.chest
        (r, mid, end), (up, low, tip) = limb_joints(root, parent, limb, name)
        shapes: list[Shape] = []
        if name.endswith("leg"):
            shapes.append(Capsule(r, 12.0, mid, 8.3))
            calf = add(add(mid, mul(low[1], -17.0)), mul(low[0], -1.8))
            shapes.append(Capsule(mid, 8.0, calf, 8.4))
            shapes.append(Capsule(calf, 8.4, end, 4.6))
            ball = add(end, combo(tip, 17.0, -4.6, 0.0))
            heel = add(end, combo(tip, -3.0, -4.2, 0.0))
            toe = add(end, combo(tip, 23.5, -5.3, 0.0))
            shapes.append(Capsule(end, 4.9, add(end, combo(tip, 14.0, -3.6, 0.0)), 3.7))
            shapes.append(Capsule(heel, 4.0, ball, 3.2))
            shapes.append(Capsule(ball, 3.2, toe, 2.6))
            j[f"{side}_hip"] = r
            j[f"{side}_knee"] = mid
            j[f"{side}_ankle"] = end
            j[f"{side}_heel"] = add(heel, combo(tip, 0.0, -4.0, 0.0))
            j[f"{side}_sole"] = add(ball, combo(tip, 0.0, -3.2, 0.0))
            j[f"{side}_toe"] = toe
            j[f"{side}_shin"] = add(add(mid, mul(low[1], -14.0)), mul(low[0], 7.5))
            j[f"{side}_thigh_back"] = add(add(r, mul(up[1], -40.0)), mul(up[0], -9.0))
            body.axes[f"{side}_foot"] = tip
            body.axes[f"{side}_shank"] = low
        else:
            shapes.append(Capsule(r, 7.2, mid, 5.3))
            shapes.append(Capsule(mid, 5.3, end, 3.9))
            # a fist is shorter and rounder than an open hand
            f = max(0.0, min(1.0, pose.fist))
            hand_end = add(end, combo(tip, 1.0 + 1.5 * f, -12.5 + 6.0 * f, 0.0))
            shapes.append(Capsule(end, 4.0 + 0.6 * f, hand_end, 4.5 + 1.6 * f))
            j[f"{side}_shoulder"] = r
            j[f"{side}_elbow"] = mid
            j[f"{side}_wrist"] = end
            j[f"{side}_hand"] = add(end, combo(tip, 0.5, -8.0, 0.0))
            j[f"{side}_palm"] = add(end, combo(tip, -4.5, -8.0, 0.0))
            j[f"{side}_fingers"] = add(end, combo(tip, 1.0, -17.0, 0.0))
            body.axes[f"{side}_hand"] = tip
        body.groups[name] = shapes
    return body


# --- measuring a built body ----------------------------------------------------


def shape_min(shape: Shape, axis: V3) -> float:
    """The smallest value of dot(point, axis) over the shape (axis a unit vector)."""
    if isinstance(shape, Capsule):
        return min(dot(shape.a, axis) - shape.ra, dot(shape.b, axis) - shape.rb)
    extent = math.sqrt(sum(dot(a, axis) ** 2 for a in shape.axes))
    return dot(shape.center, axis) - extent


def extent(body: Body, groups: tuple[str, ...], axis: V3) -> float:
    return min(shape_min(sh, axis) for g in groups for sh in body.groups[g])


# --- helpers used to author poses ----------------------------------------------

ALL_GROUPS = ("torso", *LIMBS)


def ground(pose: Pose, groups: tuple[str, ...] = ("torso",), level: float = 0.0) -> Pose:
    """Move the figure up or down so its lowest point (of ``groups``) is at ``level``."""
    low = extent(build(pose), groups, (0.0, 1.0, 0.0))
    return replace(pose, y=pose.y + level - low)


def back_to(pose: Pose, x: float, groups: tuple[str, ...] = ("torso",)) -> Pose:
    """Move the figure along x so its rearmost point (of ``groups``) is at ``x``."""
    rear = extent(build(pose), groups, (1.0, 0.0, 0.0))
    return replace(pose, x=pose.x + x - rear)


def front_to(pose: Pose, x: float, groups: tuple[str, ...] = ("torso",)) -> Pose:
    front = -extent(build(pose), groups, (-1.0, 0.0, 0.0))
    return replace(pose, x=pose.x + x - front)


def reach(pose: Pose, name: str, target: V3) -> Pose:
    """Bend a limb (two-bone IK, no long-axis rotation) so its ankle/wrist is at
    ``target``; flexion, abduction and knee/elbow bend change, the rest stays."""
    tr = trunk(pose)
    leg = name.endswith("leg")
    parent = tr.pelvis if leg else tr.chest
    root = limb_root(tr, name)
    limb = pose.limb(name)
    a = THIGH if leg else UPPER_ARM
    b = SHANK if leg else FOREARM
    e = coords(parent, sub(target, root))
    dist = max(abs(a - b) + 0.01, min(a + b - 0.001, norm(e)))
    ef, eu, el = (c / max(norm(e), 1e-9) for c in e)
    cos_knee = (a * a + b * b - dist * dist) / (2 * a * b)
    bend = 180.0 - math.degrees(math.acos(max(-1.0, min(1.0, cos_knee))))
    cos_beta = (a * a + dist * dist - b * b) / (2 * a * dist)
    beta = math.acos(max(-1.0, min(1.0, cos_beta)))
    s = _side(name)
    sin_abd = max(-1.0, min(1.0, el / max(math.cos(beta), 1e-6)))
    abd = math.asin(sin_abd)
    vf = -math.sin(beta) if leg else math.sin(beta)
    vu = -math.cos(beta) * math.cos(abd)
    flex = math.degrees(math.atan2(eu, ef) - math.atan2(vu, vf))
    new = replace(limb, flex=wrap180(flex), abduct=s * math.degrees(abd), bend=bend, rotate=0.0)
    return pose.with_limb(name, new)


def bend_towards(pose: Pose, name: str, target: V3, pole: V3) -> Pose:
    """Two-bone IK with a pole: put the ankle/wrist at ``target`` with the
    knee/elbow pushed out along ``pole`` (an elbow bent outward, a knee turned
    out). Unlike ``reach`` this may rotate the limb about its long axis."""
    tr = trunk(pose)
    leg = name.endswith("leg")
    parent = tr.pelvis if leg else tr.chest
    root = limb_root(tr, name)
    a = THIGH if leg else UPPER_ARM
    b = SHANK if leg else FOREARM
    span = sub(target, root)
    dist = max(abs(a - b) + 0.01, min(a + b - 0.001, norm(span)))
    axis = unit(span)
    out = sub(pole, mul(axis, dot(pole, axis)))
    if norm(out) < 1e-6:
        out = sub(parent[0], mul(axis, dot(parent[0], axis)))
    out = unit(out)
    along = (a * a - b * b + dist * dist) / (2.0 * dist)
    mid = add(add(root, mul(axis, along)), mul(out, math.sqrt(max(a * a - along * along, 0.0))))
    end = add(root, mul(axis, dist))
    return set_limb(pose, name, mid, end)


def set_limb(pose: Pose, name: str, mid: V3, end: V3) -> Pose:
    """The joint angles that put the knee/elbow at ``mid`` and the limb's
    direction below it towards ``end`` (segment lengths are kept)."""
    tr = trunk(pose)
    leg = name.endswith("leg")
    parent = tr.pelvis if leg else tr.chest
    s = _side(name)
    root = limb_root(tr, name)
    d1 = unit(sub(mid, root))
    d2 = unit(sub(end, mid))
    fx, uy, lz = coords(parent, mul(d1, -1.0))
    abduct = math.degrees(math.asin(max(-1.0, min(1.0, -lz))))
    flex = math.degrees(math.atan2(-fx, uy))
    upper = rot_f(rot_l(parent, flex), abduct)
    cos_b = max(-1.0, min(1.0, dot(d1, d2)))
    bend = math.degrees(math.acos(cos_b))
    fwd = sub(d2, mul(d1, cos_b))
    if norm(fwd) < 1e-6:
        rotate = 0.0
    else:
        fwd = unit(fwd)
        if leg:
            fwd = mul(fwd, -1.0)  # a knee bends the shank backwards
        rotate = math.degrees(math.atan2(dot(fwd, upper[2]), dot(fwd, upper[0])))
    limb = pose.limb(name)
    new = replace(
        limb, flex=wrap180(flex), abduct=s * abduct, rotate=wrap180(s * rotate), bend=bend
    )
    return pose.with_limb(name, new)


def _tip_frame(pose: Pose, name: str) -> tuple[Axes, Axes]:
    tr = trunk(pose)
    parent = tr.pelvis if name.endswith("leg") else tr.chest
    _, (_, lower, tip) = limb_joints(limb_root(tr, name), parent, pose.limb(name), name)
    return lower, tip


def aim_tip(pose: Pose, name: str, forward: V3) -> Pose:
    """Turn the foot/hand so its forward axis points as near ``forward`` as it can."""
    lower, _ = _tip_frame(pose, name)
    g = unit(forward)
    ang = math.degrees(math.atan2(dot(lower[1], g), dot(lower[0], g)))
    limb = pose.limb(name)
    return pose.with_limb(name, replace(limb, tip=wrap180(ang)))


def aim_hand(pose: Pose, name: str, down: V3) -> Pose:
    """Turn a hand so that its fingers point along ``down`` (hands follow -up)."""
    lower, _ = _tip_frame(pose, name)
    g = unit(down)
    # fingers = -(u cos t - f sin t) = f sin t - u cos t
    ang = math.degrees(math.atan2(dot(lower[0], g), -dot(lower[1], g)))
    limb = pose.limb(name)
    return pose.with_limb(name, replace(limb, tip=wrap180(ang)))


def plant(
    pose: Pose, name: str, x: float, y: float = 0.0, z: float | None = None, pitch: float = 0.0
) -> Pose:
    """Put a foot with its sole at height ``y`` and its ankle above ``x``."""
    side = name.split("_")[0]
    tr = trunk(pose)
    zz = z if z is not None else dot(limb_root(tr, name), (0.0, 0.0, 1.0))
    p = reach(pose, name, (x, y + ANKLE_H, zz))
    c, s = math.cos(math.radians(pitch)), math.sin(math.radians(pitch))
    p = aim_tip(p, name, (c, s, 0.0))
    del side
    return p


def grip(pose: Pose, name: str, target: V3, fingers: V3 | None = None) -> Pose:
    """Put a hand (its palm centre) on ``target``; fingers point along ``fingers``."""
    p = pose
    for _ in range(3):
        body = build(p)
        side = name.split("_")[0]
        off = sub(body.joints[f"{side}_hand"], body.joints[f"{side}_wrist"])
        p = reach(p, name, sub(target, off))
        if fingers is not None:
            p = aim_hand(p, name, fingers)
    return p


def effector(body: Body, name: str) -> V3:
    side = name.split("_")[0]
    return body.joints[f"{side}_ankle" if name.endswith("leg") else f"{side}_wrist"]


def interpolate(a: Pose, b: Pose, t: float) -> Pose:
    """Pose between ``a`` (t = 0) and ``b`` (t = 1): joint angles blend, and a
    hand or foot that rests on the same spot in both poses stays on it."""
    if t <= 0.0:
        return a
    if t >= 1.0:
        return b
    p = blend(a, b, t)
    ba, bb = build(a), build(b)
    for name in LIMBS:
        ea, eb = effector(ba, name), effector(bb, name)
        if math.dist(ea, eb) > 1.5:
            continue
        side = name.split("_")[0]
        key = f"{side}_foot" if name.endswith("leg") else f"{side}_hand"
        fa, fb = ba.axes[key][0], bb.axes[key][0]
        target = lerp3(ea, eb, t)
        if a.limb(name).rotate or b.limb(name).rotate:
            # a turned limb (a knee opening like a book): swing the knee or
            # elbow round the line to the resting foot or hand
            mid = "knee" if name.endswith("leg") else "elbow"
            pa = _off_axis(ba.joints[f"{side}_{mid}"], limb_root(trunk(a), name), ea)
            pb = _off_axis(bb.joints[f"{side}_{mid}"], limb_root(trunk(b), name), eb)
            p = bend_towards(p, name, target, lerp3(pa, pb, t))
        else:
            p = reach(p, name, target)
        if name.endswith("leg"):
            p = aim_tip(p, name, lerp3(fa, fb, t))
        else:
            p = aim_hand(p, name, mul(lerp3(ba.axes[key][1], bb.axes[key][1], t), -1.0))
    return p


def _off_axis(mid: V3, root: V3, end: V3) -> V3:
    """Unit direction from the root-end line out to the middle joint."""
    axis = unit(sub(end, root))
    v = sub(mid, root)
    return unit(sub(v, mul(axis, dot(v, axis))))


def place(
    pose: Pose,
    name: str,
    anchor: str,
    target: V3,
    *,
    foot: V3 | None = None,
    fingers: V3 | None = None,
) -> Pose:
    """Move a limb so that a body anchor (``near_sole``, ``far_hand``...) is at
    ``target``, optionally turning the foot or hand first."""
    p = pose
    for _ in range(5):
        if foot is not None:
            p = aim_tip(p, name, foot)
        if fingers is not None:
            p = aim_hand(p, name, fingers)
        b = build(p)
        off = sub(b.joints[anchor], effector(b, name))
        p = reach(p, name, sub(target, off))
    if foot is not None:
        p = aim_tip(p, name, foot)
    if fingers is not None:
        p = aim_hand(p, name, fingers)
    return p
