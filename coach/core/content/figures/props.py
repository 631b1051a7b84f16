"""Props in light grey: mat, chair, wall, bed, step, counter, trolley, walker,
exercise bike, treadmill, strap, water, knee roll.

Every prop is drawn from its anchor in figure units (x forward, y up, z towards
the side-view viewer). The few numbers a pose must agree with (where the bike
seat and handlebars are, how high the treadmill deck is) are functions here
so the poses in the library and the drawings cannot drift apart.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from .body import Body
from .geometry import V2, V3
from .model import Prop
from .render import PROP_FILL, PROP_LINE, STRAP, WATER, Pen, num, smooth_d

LIGHT = "#f1f1f1"
DARK_PROP = "#c9c9c9"


def _pts(pen: Pen, pts: list[V3]) -> list[V2]:
    return [pen.view.point(p) for p in pts]


def _box(
    pen: Pen,
    x0: float,
    y0: float,
    x1: float,
    y1: float,
    z: float = 0.0,
    *,
    fill: str = PROP_FILL,
    width: float = 2.0,
    r: float = 0.0,
) -> None:
    del r
    pen.poly(
        _pts(pen, [(x0, y0, z), (x1, y0, z), (x1, y1, z), (x0, y1, z)]),
        fill=fill,
        stroke=PROP_LINE,
        width=width,
    )


def mat(pen: Pen, p: Prop, body: Body) -> None:
    x0, x1, h = p.x, p.x + p.w, p.h or 4.0
    zn = p.y if p.y > 0 else 32.0
    zf = -zn
    top = _pts(pen, [(x0, h, zf), (x1, h, zf), (x1, h, zn), (x0, h, zn)])
    if abs(top[0][1] - top[3][1]) > 1.0:
        pen.poly(top, fill=LIGHT, stroke=PROP_LINE, width=2.0)
    front = _pts(pen, [(x0, h, zn), (x1, h, zn), (x1, 0.0, zn), (x0, 0.0, zn)])
    pen.poly(front, fill=DARK_PROP, stroke=PROP_LINE, width=2.0)


def chair(pen: Pen, p: Prop, body: Body) -> None:
    """A plain four-legged chair; ``angle`` 180 turns it to face -x."""
    s = -1.0 if abs(p.angle) > 90 else 1.0
    x, y, w, h = p.x, p.y, p.w or 46.0, p.h or 58.0

    def X(dx: float) -> float:
        return x + s * dx

    z = 0.0
    # back leg continuing into the backrest post
    pen.poly(
        _pts(
            pen,
            [
                (X(-w + 3), 0, z),
                (X(-w + 9), 0, z),
                (X(-w + 8), y, z),
                (X(-w + 6 - 4), y + h, z),
                (X(-w - 4), y + h, z),
                (X(-w + 2), y, z),
            ],
        ),
        fill=PROP_FILL,
        width=2.0,
    )
    # backrest board
    pen.poly(
        _pts(
            pen,
            [
                (X(-w - 5), y + h - 2, z),
                (X(-w + 3), y + h - 2, z),
                (X(-w + 5), y + h - 26, z),
                (X(-w - 2), y + h - 26, z),
            ],
        ),
        fill=PROP_FILL,
        width=2.0,
    )
    # front leg
    pen.poly(
        _pts(pen, [(X(-9), 0, z), (X(-3), 0, z), (X(-3), y, z), (X(-9), y, z)]),
        fill=PROP_FILL,
        width=2.0,
    )
    # seat
    pen.poly(
        _pts(pen, [(X(-w - 1), y, z), (X(1), y, z), (X(1), y - 6, z), (X(-w - 1), y - 6, z)]),
        fill=PROP_FILL,
        width=2.0,
    )


def wall(pen: Pen, p: Prop, body: Body) -> None:
    """A wall behind the figure, its surface at x, cut at the picture's top."""
    x, floor = pen.view.point((p.x, 0.0, 0.0))
    pts = [(max(x - 40.0, 0.0), floor), (x, floor), (x, 0.0), (max(x - 40.0, 0.0), 0.0)]
    pen.poly(pts, fill=LIGHT, stroke="none", width=0, measure=False)
    pen.line((x, floor), (x, 0.0), stroke=PROP_LINE, width=3.0, measure=False)


def bed(pen: Pen, p: Prop, body: Body) -> None:
    x0, x1, top, th = p.x, p.x + p.w, p.y, p.h or 14.0
    # legs and frame
    for lx in (x0 + 4, x1 - 12):
        _box(pen, lx, 0, lx + 8, top - th)
    _box(pen, x0, top - th - 8, x1, top - th)
    # headboard
    _box(pen, x0 - 8, 0, x0, top + 34)
    # mattress
    pen.poly(
        _pts(
            pen,
            [
                (x0, top - th, 0),
                (x1, top - th, 0),
                (x1 + 2, top - th / 2, 0),
                (x1, top, 0),
                (x0, top, 0),
            ],
        ),
        fill=LIGHT,
        width=2.0,
    )


def step(pen: Pen, p: Prop, body: Body) -> None:
    _box(pen, p.x, 0, p.x + p.w, p.h)


def counter(pen: Pen, p: Prop, body: Body) -> None:
    """Kitchen counter seen from the side, its front face at ``x``."""
    x, y, w = p.x, p.y, p.w or 70.0
    _box(pen, x + 2, 9, x + w, y - 6)
    _box(pen, x + 8, 0, x + w, 9, fill=DARK_PROP)
    _box(pen, x - 8, y - 6, x + w, y, fill=LIGHT)


def counter_far(pen: Pen, p: Prop, body: Body) -> None:
    """A counter beyond a figure seen from behind: ``x`` is its depth,
    ``w`` its half width across the picture."""
    x, y, w = p.x, p.y, p.w or 120.0
    front = _pts(pen, [(x, 4, -w), (x, 4, w), (x, y - 7, w), (x, y - 7, -w)])
    pen.poly(front, fill=PROP_FILL, stroke=PROP_LINE, width=2.0)
    for zz in (-w / 2, 0.0, w / 2):
        a, b = pen.view.point((x, 10, zz)), pen.view.point((x, y - 13, zz))
        pen.line(a, b, stroke=PROP_LINE, width=1.5)
    top = _pts(
        pen, [(x - 8, y - 7, -w - 6), (x - 8, y - 7, w + 6), (x - 8, y, w + 6), (x - 8, y, -w - 6)]
    )
    pen.poly(top, fill=LIGHT, stroke=PROP_LINE, width=2.0)


def trolley(pen: Pen, p: Prop, body: Body) -> None:
    """Shopping trolley; the handle bar is at (x, y), the basket in front."""
    x, y = p.x, p.y
    z = 0.0
    wheel_r = 6.0
    rear = (x + 10, wheel_r)
    front = (x + 84, wheel_r)
    # frame
    pen.poly(
        _pts(pen, [(x + 2, y - 2, z), (x + 12, y - 52, z), (rear[0], rear[1], z)]),
        close=False,
        stroke=PROP_LINE,
        width=4.0,
    )
    pen.line(
        pen.view.point((rear[0], 14, z)),
        pen.view.point((front[0], 14, z)),
        stroke=PROP_LINE,
        width=4.0,
    )
    pen.line(
        pen.view.point((x + 70, 14, z)),
        pen.view.point((x + 78, y - 52, z)),
        stroke=PROP_LINE,
        width=3.0,
    )
    # basket
    basket = [(x + 6, y - 6, z), (x + 92, y - 3, z), (x + 80, y - 52, z), (x + 14, y - 54, z)]
    pen.poly(_pts(pen, basket), fill=LIGHT, stroke=PROP_LINE, width=2.5)
    for i in range(1, 6):
        t = i / 6
        a = (x + 6 + 86 * t, y - 6 + 3 * t, z)
        b = (x + 14 + 66 * t, y - 54 + 2 * t, z)
        pen.line(pen.view.point(a), pen.view.point(b), stroke=DARK_PROP, width=1.5)
    # handle bar end
    pen.circle(pen.view.point((x, y, z)), 4.5, fill=DARK_PROP)
    for cx in (rear[0], front[0]):
        pen.circle(pen.view.point((cx, wheel_r, z)), wheel_r, fill=DARK_PROP)


def walker(pen: Pen, p: Prop, body: Body) -> None:
    """Rollator (walker with wheels and a seat); the hand grips are at (x, y)."""
    x, y = p.x, p.y
    z = 0.0
    wr = 9.0
    pen.poly(
        _pts(pen, [(x, y, z), (x - 2, y - 30, z), (x - 6, wr, z)]),
        close=False,
        stroke=PROP_LINE,
        width=4.0,
    )
    pen.poly(
        _pts(pen, [(x - 1, y - 14, z), (x + 16, y - 40, z), (x + 46, wr, z)]),
        close=False,
        stroke=PROP_LINE,
        width=4.0,
    )
    # seat
    pen.poly(
        _pts(
            pen, [(x - 4, y - 40, z), (x + 26, y - 40, z), (x + 26, y - 45, z), (x - 4, y - 45, z)]
        ),
        fill=PROP_FILL,
        width=2.0,
    )
    # grip and brake lever
    pen.line(
        pen.view.point((x - 9, y + 1, z)),
        pen.view.point((x + 9, y + 1, z)),
        stroke="#9a9a9a",
        width=7.0,
    )
    pen.line(
        pen.view.point((x + 6, y - 3, z)),
        pen.view.point((x - 6, y - 9, z)),
        stroke=PROP_LINE,
        width=2.0,
    )
    for cx in (x - 6, x + 46):
        pen.circle(pen.view.point((cx, wr, z)), wr, fill=DARK_PROP)
        pen.circle(pen.view.point((cx, wr, z)), 2.5, fill=PROP_LINE, stroke="none")


# --- exercise bike -----------------------------------------------------------------

BIKE_CRANK = 17.0


def bike_seat(p: Prop) -> tuple[float, float]:
    return (p.x - 30.0, p.y + 82.0)


def bike_grip(p: Prop) -> tuple[float, float]:
    return (p.x + 42.0, p.y + 104.0)


def bike_pedal(p: Prop, deg: float) -> tuple[float, float]:
    a = math.radians(deg)
    return (p.x + BIKE_CRANK * math.cos(a), p.y + BIKE_CRANK * math.sin(a))


def bike(pen: Pen, p: Prop, body: Body) -> None:
    """Upright exercise bike: the crank hub is at (x, y)."""
    x, y = p.x, p.y
    z = -14.0
    sx, sy = bike_seat(p)
    gx, gy = bike_grip(p)
    pt = pen.view.point

    def tube(pts: list[tuple[float, float]], width: float, color: str = PROP_LINE) -> None:
        pen.poly(
            _pts(pen, [(a, b, z) for a, b in pts]),
            close=False,
            stroke=color,
            width=width,
            extra=' stroke-linecap="round"',
        )

    # feet
    tube([(x - 72, 4), (x - 40, 4)], 7.0)
    tube([(x + 44, 4), (x + 78, 4)], 7.0)
    # frame: rear foot to hub, hub to seat post, top tube, front column
    tube([(x - 56, 5), (x - 4, y + 12)], 7.0)
    tube([(x - 4, y + 10), (sx + 2, sy - 10)], 6.0)
    tube([(x + 58, 5), (x + 44, y + 52), (gx + 8, gy - 10)], 7.0)
    tube([(sx + 8, sy - 30), (x + 44, y + 54)], 5.0)
    # flywheel housing
    pen.circle(pt((x + 24, y + 16, z)), 31.0, fill=LIGHT)
    pen.circle(pt((x + 24, y + 16, z)), 6.0, fill=DARK_PROP)
    # console and handlebars reaching back to the grips
    pen.poly(
        _pts(
            pen,
            [(gx + 2, gy - 4, z), (gx + 16, gy + 2, z), (gx + 19, gy - 8, z), (gx + 6, gy - 14, z)],
        ),
        fill=PROP_FILL,
        width=2.0,
    )
    tube([(gx + 8, gy - 8), (gx + 2, gy + 2), (gx - 12, gy + 3)], 5.0, "#9a9a9a")
    # saddle
    pen.poly(
        _pts(
            pen,
            [
                (sx - 15, sy - 1, z),
                (sx + 14, sy - 2, z),
                (sx + 12, sy - 8, z),
                (sx - 13, sy - 8, z),
            ],
        ),
        fill=DARK_PROP,
        stroke=PROP_LINE,
        width=2.0,
    )
    # cranks to the pedals under the feet
    hub = pt((x, y, z))
    for name in ("far_sole", "near_sole"):
        if name in body.joints:
            sole = body.joints[name]
            pedal = pt((sole[0] - 6, sole[1] - 2, z))
            pen.line(hub, pedal, stroke="#9a9a9a", width=4.0)
            pen.line(
                (pedal[0] - 7, pedal[1]), (pedal[0] + 7, pedal[1]), stroke=PROP_LINE, width=4.0
            )
    pen.circle(hub, 7.0, fill=DARK_PROP)


# --- treadmill ------------------------------------------------------------------------


def deck_y(p: Prop, x: float) -> float:
    """Height of the treadmill belt at x."""
    return p.y + (x - p.x) * math.tan(math.radians(p.angle))


def treadmill(pen: Pen, p: Prop, body: Body) -> None:
    x0, x1 = p.x, p.x + p.w
    y0, y1 = deck_y(p, x0), deck_y(p, x1)
    z = 0.0
    pen.poly(
        _pts(pen, [(x0, 0, z), (x1, 0, z), (x1, y1, z), (x0, y0, z)]), fill=DARK_PROP, width=2.0
    )
    pen.poly(
        _pts(pen, [(x0 - 2, y0 - 5, z), (x1 + 2, y1 - 5, z), (x1 + 2, y1, z), (x0 - 2, y0, z)]),
        fill=LIGHT,
        width=2.0,
    )
    pen.circle(pen.view.point((x0 + 3, y0 - 2.5, z)), 5.0, fill=PROP_FILL)
    pen.circle(pen.view.point((x1 - 3, y1 - 2.5, z)), 5.0, fill=PROP_FILL)
    # upright and console
    pen.poly(
        _pts(pen, [(x1 - 6, y1, z), (x1 + 8, 148, z)]), close=False, stroke=PROP_LINE, width=7.0
    )
    pen.poly(
        _pts(pen, [(x1 - 8, 146, z), (x1 + 14, 154, z), (x1 + 17, 146, z), (x1 - 4, 138, z)]),
        fill=PROP_FILL,
        width=2.0,
    )


def treadmill_rail(pen: Pen, p: Prop, body: Body) -> None:
    z = 0.0
    x1 = p.x + p.w
    pen.poly(
        _pts(pen, [(x1 + 2, 140, z), (x1 - 40, p.h, z), (x1 - 78, p.h, z)]),
        close=False,
        stroke="#9a9a9a",
        width=5.0,
    )
    pen.line(
        pen.view.point((x1 - 60, p.h, z)),
        pen.view.point((x1 - 54, deck_y(p, x1 - 54), z)),
        stroke=PROP_LINE,
        width=3.0,
    )


# --- things that follow the body ------------------------------------------------------


def strap(pen: Pen, p: Prop, body: Body) -> None:
    hand, foot_a, foot_b = (body.joints[r] for r in p.ref)
    h = pen.view.point(hand)
    a = pen.view.point(foot_a)
    b = pen.view.point(foot_b)
    pen.poly([h, a, b], close=True, stroke=STRAP, width=3.0)


def water(pen: Pen, p: Prop, body: Body) -> None:
    y = pen.view.flat(0.0, p.y)[1]
    floor = pen.view.flat(0.0, 0.0)[1]
    waves = [(20.0 * i, y + (2.5 if i % 2 else -2.5)) for i in range(21)]
    d = smooth_d(waves) + f"L{num(400)} {num(floor)}L{num(0)} {num(floor)}Z"
    pen.add(f'<path d="{d}" fill="{WATER}" fill-opacity="0.45" stroke="none"/>')
    pen.add(f'<path d="{smooth_d(waves)}" fill="none" stroke="#4f93c2" stroke-width="3"/>')


def roll(pen: Pen, p: Prop, body: Body) -> None:
    c = pen.view.point((p.x, p.y, 0.0))
    pen.circle(c, p.w, fill=PROP_FILL)


DRAW: dict[str, Callable[[Pen, Prop, Body], None]] = {
    "mat": mat,
    "chair": chair,
    "wall": wall,
    "bed": bed,
    "step": step,
    "counter": counter,
    "counter_far": counter_far,
    "trolley": trolley,
    "walker": walker,
    "bike": bike,
    "treadmill": treadmill,
    "treadmill_rail": treadmill_rail,
    "strap": strap,
    "water": water,
    "roll": roll,
}
