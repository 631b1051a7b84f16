"""Small 3-D vector helpers for the figure model (plain tuples, no numpy).

Coordinates: x forward (the way a side-view figure faces, screen right), y up
(the floor is y = 0), z towards the viewer of the side view (the "near" side).
"""

from __future__ import annotations

import math

V3 = tuple[float, float, float]
V2 = tuple[float, float]
Axes = tuple[V3, V3, V3]
"""A segment's frame: (forward, up, lateral) unit vectors."""

BASE_AXES: Axes = ((1.0, 0.0, 0.0), (0.0, 1.0, 0.0), (0.0, 0.0, 1.0))


def add(a: V3, b: V3) -> V3:
    return (a[0] + b[0], a[1] + b[1], a[2] + b[2])


def sub(a: V3, b: V3) -> V3:
    return (a[0] - b[0], a[1] - b[1], a[2] - b[2])


def mul(a: V3, k: float) -> V3:
    return (a[0] * k, a[1] * k, a[2] * k)


def dot(a: V3, b: V3) -> float:
    return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]


def cross(a: V3, b: V3) -> V3:
    return (
        a[1] * b[2] - a[2] * b[1],
        a[2] * b[0] - a[0] * b[2],
        a[0] * b[1] - a[1] * b[0],
    )


def norm(a: V3) -> float:
    return math.sqrt(dot(a, a))


def unit(a: V3) -> V3:
    n = norm(a)
    if n < 1e-12:
        return (0.0, 1.0, 0.0)
    return mul(a, 1.0 / n)


def lerp(a: float, b: float, t: float) -> float:
    return a + (b - a) * t


def lerp3(a: V3, b: V3, t: float) -> V3:
    return (lerp(a[0], b[0], t), lerp(a[1], b[1], t), lerp(a[2], b[2], t))


def combo(ax: Axes, f: float, u: float, lat: float) -> V3:
    """The vector with frame coordinates (forward, up, lateral)."""
    return add(add(mul(ax[0], f), mul(ax[1], u)), mul(ax[2], lat))


def coords(ax: Axes, v: V3) -> V3:
    """Frame coordinates (f, u, l) of a world vector."""
    return (dot(v, ax[0]), dot(v, ax[1]), dot(v, ax[2]))


def _cs(deg: float) -> tuple[float, float]:
    r = math.radians(deg)
    return math.cos(r), math.sin(r)


def rot_l(ax: Axes, deg: float) -> Axes:
    """Rotate about the lateral axis: positive turns -up towards forward (flexion)."""
    f, u, lat = ax
    c, s = _cs(deg)
    return (add(mul(f, c), mul(u, s)), sub(mul(u, c), mul(f, s)), lat)


def rot_f(ax: Axes, deg: float) -> Axes:
    """Rotate about the forward axis: positive turns -up towards +lateral."""
    f, u, lat = ax
    c, s = _cs(deg)
    return (f, sub(mul(u, c), mul(lat, s)), add(mul(lat, c), mul(u, s)))


def rot_u(ax: Axes, deg: float) -> Axes:
    """Rotate about the up axis: positive turns forward towards +lateral."""
    f, u, lat = ax
    c, s = _cs(deg)
    return (add(mul(f, c), mul(lat, s)), u, sub(mul(lat, c), mul(f, s)))


def roll_x(v: V3, deg: float) -> V3:
    """Rotate a world vector about the world x axis (y turns towards z)."""
    c, s = _cs(deg)
    return (v[0], v[1] * c - v[2] * s, v[1] * s + v[2] * c)


def wrap180(deg: float) -> float:
    while deg > 180.0:
        deg -= 360.0
    while deg <= -180.0:
        deg += 360.0
    return deg
