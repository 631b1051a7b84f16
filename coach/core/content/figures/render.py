"""SVG output: projects a built body and its props through the camera.

Each body part group (torso with head, each arm, each leg) is drawn as one
silhouette: first every shape of the group with a thick dark stroke, then the
same shapes filled without a stroke, so the group reads as one smooth outline
(no lines at the knee or inside the trunk) while a limb in front of the body
keeps its own outline. Groups are painted back to front.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from .body import BACK_LINE, LOWER_BACK, Body, Capsule, Ellipsoid, Shape, build, interpolate
from .geometry import V2, V3, dot
from .model import Arrow, Camera, Mark, Pose, Prop, Scene

WIDTH = 400
HEIGHT = 300
MARGIN = 12.0

INK = "#2b2b2b"
OUTLINE = 2.5
SKIN = "#dce5ee"
SKIN_FAR = "#aebdcc"
PROP_FILL = "#e6e6e6"
PROP_LINE = "#a3a3a3"
FLOOR = "#8f8f8f"
GOOD = "#168f7d"
GOOD_TINT = "#9fd8cc"
AVOID = "#d9481c"
AVOID_TINT = "#f5b8a0"
ARROW = "#3f5f86"
WATER = "#9ccbe8"
GAP = "#7d7d7d"
STRAP = "#6f6f6f"


def num(v: float) -> str:
    """Stable number text: one decimal, no trailing zero, no negative zero."""
    s = f"{v:.1f}"
    if s in ("0.0", "-0.0"):
        return "0"
    if s.endswith(".0"):
        s = s[:-2]
    return s


@dataclass(frozen=True)
class View:
    camera: Camera
    ox: float = 0.0
    oy: float = 0.0

    def axes(self) -> tuple[V3, V3, V3]:
        """Screen right, screen up and towards-viewer as world vectors."""
        ya = math.radians(self.camera.yaw)
        el = math.radians(self.camera.elevation)
        right: V3 = (math.cos(ya), 0.0, math.sin(ya))
        depth: V3 = (-math.sin(ya), 0.0, math.cos(ya))
        up: V3 = (
            -depth[0] * math.sin(el),
            math.cos(el),
            -depth[2] * math.sin(el),
        )
        toward: V3 = (
            depth[0] * math.cos(el),
            math.sin(el),
            depth[2] * math.cos(el),
        )
        return right, up, toward

    def point(self, p: V3) -> V2:
        r, u, _ = self.axes()
        return (self.ox + dot(p, r), self.oy - dot(p, u))

    def depth(self, p: V3) -> float:
        return dot(p, self.axes()[2])

    def flat(self, x: float, y: float) -> V2:
        return self.point((x, y, 0.0))


# --- 2-D outlines of the solid shapes --------------------------------------------


def _ellipse_path(view: View, e: Ellipsoid) -> tuple[str, tuple[float, float, float, float]]:
    r, u, _ = view.axes()
    sxx = sum(dot(a, r) ** 2 for a in e.axes)
    syy = sum(dot(a, u) ** 2 for a in e.axes)
    sxy = -sum(dot(a, r) * dot(a, u) for a in e.axes)  # screen y points down
    half = (sxx + syy) / 2.0
    diff = math.sqrt(((sxx - syy) / 2.0) ** 2 + sxy * sxy)
    rx = math.sqrt(max(half + diff, 1e-6))
    ry = math.sqrt(max(half - diff, 1e-6))
    ang = 0.5 * math.atan2(2.0 * sxy, sxx - syy)
    cx, cy = view.point(e.center)
    dx, dy = math.cos(ang) * rx, math.sin(ang) * rx
    p1 = (cx + dx, cy + dy)
    p2 = (cx - dx, cy - dy)
    rot = num(math.degrees(ang))
    d = (
        f"M{num(p1[0])} {num(p1[1])}"
        f"A{num(rx)} {num(ry)} {rot} 1 0 {num(p2[0])} {num(p2[1])}"
        f"A{num(rx)} {num(ry)} {rot} 1 0 {num(p1[0])} {num(p1[1])}Z"
    )
    bx = math.sqrt(sxx)
    by = math.sqrt(syy)
    return d, (cx - bx, cy - by, cx + bx, cy + by)


def _circle_d(c: V2, r: float) -> str:
    return (
        f"M{num(c[0] + r)} {num(c[1])}"
        f"A{num(r)} {num(r)} 0 1 0 {num(c[0] - r)} {num(c[1])}"
        f"A{num(r)} {num(r)} 0 1 0 {num(c[0] + r)} {num(c[1])}Z"
    )


def _capsule_path(view: View, c: Capsule) -> tuple[str, tuple[float, float, float, float]]:
    p1 = view.point(c.a)
    p2 = view.point(c.b)
    r1, r2 = c.ra, c.rb
    box = (
        min(p1[0] - r1, p2[0] - r2),
        min(p1[1] - r1, p2[1] - r2),
        max(p1[0] + r1, p2[0] + r2),
        max(p1[1] + r1, p2[1] + r2),
    )
    dx, dy = p2[0] - p1[0], p2[1] - p1[1]
    d = math.hypot(dx, dy)
    if d <= abs(r1 - r2) + 0.05:
        return (_circle_d(p1, r1) if r1 >= r2 else _circle_d(p2, r2)), box
    ux, uy = dx / d, dy / d
    g = math.acos(max(-1.0, min(1.0, (r1 - r2) / d)))

    def rot(a: float) -> V2:
        return (ux * math.cos(a) - uy * math.sin(a), ux * math.sin(a) + uy * math.cos(a))

    np_, nm = rot(g), rot(-g)
    a1 = (p1[0] + r1 * np_[0], p1[1] + r1 * np_[1])
    a2 = (p2[0] + r2 * np_[0], p2[1] + r2 * np_[1])
    b2 = (p2[0] + r2 * nm[0], p2[1] + r2 * nm[1])
    b1 = (p1[0] + r1 * nm[0], p1[1] + r1 * nm[1])
    large2 = 1 if 2 * g > math.pi else 0
    large1 = 1 if 2 * math.pi - 2 * g > math.pi else 0
    path = (
        f"M{num(a1[0])} {num(a1[1])}L{num(a2[0])} {num(a2[1])}"
        f"A{num(r2)} {num(r2)} 0 {large2} 0 {num(b2[0])} {num(b2[1])}"
        f"L{num(b1[0])} {num(b1[1])}"
        f"A{num(r1)} {num(r1)} 0 {large1} 0 {num(a1[0])} {num(a1[1])}Z"
    )
    return path, box


def shape_path(view: View, shape: Shape) -> tuple[str, tuple[float, float, float, float]]:
    if isinstance(shape, Capsule):
        return _capsule_path(view, shape)
    return _ellipse_path(view, shape)


# --- a pen that writes SVG and remembers how much room it used ------------------


@dataclass
class Pen:
    view: View
    parts: list[str] = field(default_factory=list)
    box: list[float] = field(default_factory=lambda: [1e9, 1e9, -1e9, -1e9])

    def grow(self, b: tuple[float, float, float, float]) -> None:
        self.box[0] = min(self.box[0], b[0])
        self.box[1] = min(self.box[1], b[1])
        self.box[2] = max(self.box[2], b[2])
        self.box[3] = max(self.box[3], b[3])

    def grow_points(self, pts: Iterable[V2], pad: float = 0.0) -> None:
        for x, y in pts:
            self.grow((x - pad, y - pad, x + pad, y + pad))

    def add(self, text: str) -> None:
        self.parts.append(text)

    def poly(
        self,
        pts: Sequence[V2],
        *,
        fill: str = "none",
        stroke: str = PROP_LINE,
        width: float = 2.0,
        close: bool = True,
        extra: str = "",
        measure: bool = True,
    ) -> None:
        if measure:
            self.grow_points(pts, width / 2)
        d = "M" + "L".join(f"{num(x)} {num(y)}" for x, y in pts) + ("Z" if close else "")
        self.add(_path(d, fill, stroke, width, extra))

    def circle(
        self,
        c: V2,
        r: float,
        *,
        fill: str = PROP_FILL,
        stroke: str = PROP_LINE,
        width: float = 2.0,
        measure: bool = True,
    ) -> None:
        if measure:
            self.grow((c[0] - r, c[1] - r, c[0] + r, c[1] + r))
        self.add(
            f'<circle cx="{num(c[0])}" cy="{num(c[1])}" r="{num(r)}" fill="{fill}"'
            + (f' stroke="{stroke}" stroke-width="{num(width)}"' if stroke != "none" else "")
            + "/>"
        )

    def line(
        self, a: V2, b: V2, *, stroke: str = PROP_LINE, width: float = 2.0, measure: bool = True
    ) -> None:
        self.poly(
            [a, b],
            close=False,
            stroke=stroke,
            width=width,
            measure=measure,
            extra=' stroke-linecap="round"',
        )

    def rect(
        self,
        x0: float,
        y0: float,
        x1: float,
        y1: float,
        *,
        r: float = 2.0,
        fill: str = PROP_FILL,
        stroke: str = PROP_LINE,
        width: float = 2.0,
    ) -> None:
        """A world-space rectangle (y up) with rounded corners."""
        (ax, ay), (bx, by) = self.view.flat(x0, y0), self.view.flat(x1, y1)
        lx, ty = min(ax, bx), min(ay, by)
        w, h = abs(bx - ax), abs(by - ay)
        self.grow((lx - width / 2, ty - width / 2, lx + w + width / 2, ty + h + width / 2))
        self.add(
            f'<rect x="{num(lx)}" y="{num(ty)}" width="{num(w)}" height="{num(h)}"'
            f' rx="{num(r)}" fill="{fill}" stroke="{stroke}" stroke-width="{num(width)}"/>'
        )


def _path(d: str, fill: str, stroke: str, width: float, extra: str = "") -> str:
    s = f'<path d="{d}" fill="{fill}"'
    if stroke != "none":
        s += f' stroke="{stroke}" stroke-width="{num(width)}" stroke-linejoin="round"'
    return s + extra + "/>"


# --- the figure -------------------------------------------------------------------


GROUP_BIAS = {"torso": 0.0, "near_leg": -2.0, "far_leg": -2.0, "near_arm": 2.0, "far_arm": 2.0}
GROUP_ROOT = {
    "torso": "hips",
    "near_leg": "near_hip",
    "far_leg": "far_hip",
    "near_arm": "near_shoulder",
    "far_arm": "far_shoulder",
}


def _group_depth(view: View, name: str, body: Body) -> float:
    """Painter's order: by the depth of the joint a group hangs from."""
    return view.depth(body.joints[GROUP_ROOT[name]]) + GROUP_BIAS[name]


def _group_paths(view: View, shapes: Sequence[Shape], pen: Pen) -> str:
    out = []
    for sh in shapes:
        d, b = shape_path(view, sh)
        pen.grow((b[0] - OUTLINE, b[1] - OUTLINE, b[2] + OUTLINE, b[3] + OUTLINE))
        out.append(d)
    return "".join(out)


def _back_points(view: View, body: Body, lo: float, hi: float) -> list[V2]:
    pts: list[V2] = []
    r, u, _ = view.axes()
    for sl in body.slices:
        if not lo <= sl.s <= hi:
            continue
        nx, ny = dot(sl.back, r), -dot(sl.back, u)
        n = math.hypot(nx, ny)
        if n < 0.6:
            return []
        nx, ny = nx / n, ny / n
        # support point of the projected ellipse in the screen direction (nx, ny)
        vx = sum(dot(a, r) * (dot(a, r) * nx - dot(a, u) * ny) for a in sl.shape.axes)
        vy = sum(-dot(a, u) * (dot(a, r) * nx - dot(a, u) * ny) for a in sl.shape.axes)
        k = math.sqrt(max(vx * nx + vy * ny, 1e-9))
        cx, cy = view.point(sl.shape.center)
        pts.append((cx + vx / k + nx * OUTLINE * 0.5, cy + vy / k + ny * OUTLINE * 0.5))
    return pts


def smooth_d(pts: Sequence[V2]) -> str:
    """An open Catmull-Rom curve through the points, as cubic Béziers."""
    if len(pts) < 3:
        return "M" + "L".join(f"{num(x)} {num(y)}" for x, y in pts)
    d = f"M{num(pts[0][0])} {num(pts[0][1])}"
    for i in range(len(pts) - 1):
        p0 = pts[max(i - 1, 0)]
        p1, p2 = pts[i], pts[i + 1]
        p3 = pts[min(i + 2, len(pts) - 1)]
        c1 = (p1[0] + (p2[0] - p0[0]) / 6.0, p1[1] + (p2[1] - p0[1]) / 6.0)
        c2 = (p2[0] - (p3[0] - p1[0]) / 6.0, p2[1] - (p3[1] - p1[1]) / 6.0)
        d += f"C{num(c1[0])} {num(c1[1])} {num(c2[0])} {num(c2[1])} {num(p2[0])} {num(p2[1])}"
    return d


def _smooth(pts: Sequence[V2], k: int) -> list[V2]:
    """Moving average over 2k+1 points (ends kept), to iron out slice ripples."""
    out: list[V2] = []
    n = len(pts)
    for i in range(n):
        lo, hi = max(0, i - k), min(n, i + k + 1)
        w = min(i - lo, hi - 1 - i)
        seg = pts[i - w : i + w + 1]
        out.append((sum(p[0] for p in seg) / len(seg), sum(p[1] for p in seg) / len(seg)))
    return out


def _thin(pts: Sequence[V2], step: float) -> list[V2]:
    out = [pts[0]]
    for p in pts[1:]:
        if math.dist(p, out[-1]) >= step:
            out.append(p)
    if len(pts) > 1 and out[-1] != pts[-1]:
        if len(out) > 1 and math.dist(out[-1], pts[-1]) < step / 2:
            out[-1] = pts[-1]
        else:
            out.append(pts[-1])
    return out


def draw_figure(
    pen: Pen,
    body: Body,
    mark: Mark | None,
    props_mid: Callable[[], None],
    merge: tuple[str, ...] = (),
    shade: tuple[str, ...] | None = None,
    behind: tuple[str, ...] = (),
) -> V2:
    """Paint the body back to front; returns where a badge should go.

    Groups named in ``merge`` join the torso's silhouette (a leg hanging
    from the pelvis in a side view) so no seam is drawn at the hip.
    """
    view = pen.view
    groups = dict(body.groups)
    for name in merge:
        groups["torso"] = groups[name] + groups["torso"]
        del groups[name]

    def key(kv: tuple[str, list[Shape]]) -> tuple[float, str]:
        d = _group_depth(view, kv[0], body)
        if kv[0] in behind:
            d = min(d, _group_depth(view, "torso", body) - 1.0)
        return (d, kv[0])

    order = sorted(groups.items(), key=key)
    torso_depth = _group_depth(view, "torso", body)
    mid_done = False
    badge: V2 = (0.0, 0.0)
    for name, shapes in order:
        depth = _group_depth(view, name, body)
        if not mid_done and depth >= torso_depth - 0.5:
            props_mid()
            mid_done = True
        d = _group_paths(view, shapes, pen)
        if shade is not None:
            far = name in shade
        else:
            root = view.depth(body.joints[GROUP_ROOT[name]])
            far = name != "torso" and root < view.depth(body.joints["hips"]) - 4.0
        fill = SKIN_FAR if far else SKIN
        pen.add(_path(d, INK, INK, OUTLINE * 2))
        pen.add(_path(d, fill, "none", 0))
        if name == "torso" and mark is not None:
            badge = _draw_lower_back(pen, body, mark)
    if not mid_done:
        props_mid()
    return badge


def _draw_lower_back(pen: Pen, body: Body, mark: Mark) -> V2:
    view = pen.view
    tint = GOOD_TINT if mark == "good" else AVOID_TINT
    color = GOOD if mark == "good" else AVOID
    lo, hi = LOWER_BACK
    shapes: list[Shape] = []
    for sl in body.slices:
        if lo <= sl.s <= hi:
            a0, a1, a2 = sl.shape.axes
            half = math.sqrt(dot(a0, a0)) * 0.5
            cc = sl.shape.center
            center = (
                cc[0] + sl.back[0] * half,
                cc[1] + sl.back[1] * half,
                cc[2] + sl.back[2] * half,
            )
            shapes.append(Ellipsoid(center, ((a0[0] * 0.5, a0[1] * 0.5, a0[2] * 0.5), a1, a2)))
    d = "".join(shape_path(view, sh)[0] for sh in shapes)
    pen.add(_path(d, tint, "none", 0))
    pts = _back_points(view, body, *BACK_LINE)
    if pts:
        pts = _thin(_smooth(pts, 3), 4.0)
        pen.add(
            f'<path d="{smooth_d(pts)}" fill="none" stroke="{color}" stroke-width="6"'
            ' stroke-linecap="round" stroke-linejoin="round"/>'
        )
        mid = pts[len(pts) // 2]
        # push the badge out along the back
        along = [s for s in body.slices if BACK_LINE[0] <= s.s <= BACK_LINE[1]]
        r, u, _ = view.axes()
        b = along[len(along) // 2].back
        nx, ny = dot(b, r), -dot(b, u)
        n = math.hypot(nx, ny) or 1.0
        floor_y = view.flat(0.0, 0.0)[1]
        if mid[1] + ny / n * 24.0 > floor_y - 14.0 or ny / n > 0.5:
            # the back faces the floor: put the badge above the belly instead
            bel = view.point(body.joints["belly"])
            return (bel[0] - nx / n * 16.0, bel[1] - ny / n * 16.0 - 10.0)
        return (mid[0] + nx / n * 24.0, mid[1] + ny / n * 24.0)
    c = view.point(body.joints["lumbar"])
    return (c[0] + 46.0, c[1] - 10.0)


GAP_MIN = 4.0
"""A hollow under the lower back shallower than this (figure units) is
drawn as resting flat."""


def draw_gap(pen: Pen, body: Body, level: float) -> None:
    """The floor seen under a lower back that does not touch it: a dark
    wedge between the back's outline and the surface the body lies on."""
    view = pen.view
    floor_y = view.flat(0.0, level)[1]
    pts = _back_points(view, body, 0.0, BACK_LINE[1] + 20.0)
    if len(pts) < 3:
        return
    pts = _smooth(pts, 2)
    runs: list[list[V2]] = [[]]
    for p in pts:
        if p[1] < floor_y - 0.5:
            runs[-1].append(p)
        elif runs[-1]:
            runs.append([])
    run = max(runs, key=lambda r: max((floor_y - p[1] for p in r), default=0.0))
    if len(run) < 3 or max(floor_y - p[1] for p in run) < GAP_MIN:
        return
    run = sorted(run)
    top = smooth_d(_thin(run, 3.0))
    d = f"{top}L{num(run[-1][0])} {num(floor_y)}L{num(run[0][0])} {num(floor_y)}Z"
    pen.add(_path(d, GAP, "none", 0))


def draw_badge(pen: Pen, at: V2, mark: Mark) -> None:
    x = min(max(at[0], 16.0), WIDTH - 16.0)
    y = min(max(at[1], 16.0), HEIGHT - 16.0)
    color = GOOD if mark == "good" else AVOID
    pen.circle((x, y), 12.5, fill=color, stroke="#ffffff", width=2.5, measure=False)
    if mark == "good":
        pts = [(x - 6.0, y + 0.5), (x - 1.5, y + 5.0), (x + 6.5, y - 5.0)]
        pen.poly(
            pts,
            close=False,
            stroke="#ffffff",
            width=3.2,
            measure=False,
            extra=' stroke-linecap="round"',
        )
    else:
        pen.line((x - 5.0, y - 5.0), (x + 5.0, y + 5.0), stroke="#ffffff", width=3.2, measure=False)
        pen.line((x - 5.0, y + 5.0), (x + 5.0, y - 5.0), stroke="#ffffff", width=3.2, measure=False)


# --- arrows -------------------------------------------------------------------------


def _arrow_head(pen: Pen, tip: V2, frm: V2, size: float = 11.0) -> None:
    dx, dy = tip[0] - frm[0], tip[1] - frm[1]
    n = math.hypot(dx, dy) or 1.0
    dx, dy = dx / n, dy / n
    base = (tip[0] - dx * size, tip[1] - dy * size)
    left = (base[0] - dy * size * 0.55, base[1] + dx * size * 0.55)
    right = (base[0] + dy * size * 0.55, base[1] - dx * size * 0.55)
    pen.poly([(tip[0] + dx * 2, tip[1] + dy * 2), left, right], fill=ARROW, stroke=ARROW, width=1.5)


def draw_arrow(pen: Pen, scene: Scene, arrow: Arrow) -> None:
    view = pen.view
    if arrow.kind == "turn":
        c = view.point(build(scene.end).joints[arrow.anchor])
        cx, cy = c[0] + arrow.offset[0], c[1] + arrow.offset[1]
        n = 16
        pts = []
        for i in range(n + 1):
            a = math.radians(arrow.a0 + (arrow.a1 - arrow.a0) * i / n)
            pts.append((cx + arrow.radius * math.cos(a), cy - arrow.radius * math.sin(a)))
    else:
        n = 14
        pts = []
        for i in range(n + 1):
            t = arrow.trim + (1.0 - 2.0 * arrow.trim) * i / n
            p = view.point(build(interpolate(scene.start, scene.end, t)).joints[arrow.anchor])
            pts.append((p[0] + arrow.offset[0], p[1] + arrow.offset[1]))
    pts = _thin(pts, 3.0)
    if len(pts) < 2:
        return
    # stop the shaft short of the head so the line does not poke through it
    tip = pts[-1]
    shaft = list(pts)
    while len(shaft) > 2 and math.dist(shaft[-1], tip) < 7.0:
        shaft.pop()
    pen.grow_points(pts, 6.0)
    pen.add(
        f'<path d="{smooth_d(shaft)}" fill="none" stroke="{ARROW}" stroke-width="4"'
        ' stroke-linecap="round" stroke-linejoin="round"/>'
    )
    _arrow_head(pen, tip, shaft[-1] if shaft[-1] != tip else pts[-2])


def draw_belly_arrows(pen: Pen, body: Body, inward: bool) -> None:
    view = pen.view
    b = view.point(body.joints["belly"])
    c = view.point(body.joints["lumbar"])
    dx, dy = b[0] - c[0], b[1] - c[1]
    n = math.hypot(dx, dy) or 1.0
    dx, dy = dx / n, dy / n
    if inward:
        start = (b[0] + dx * 30, b[1] + dy * 30)
        end = (b[0] + dx * 9, b[1] + dy * 9)
    else:
        start = (b[0] + dx * 9, b[1] + dy * 9)
        end = (b[0] + dx * 30, b[1] + dy * 30)
    pen.add(
        f'<path d="M{num(start[0])} {num(start[1])}L{num(end[0] - dx * 6)} {num(end[1] - dy * 6)}"'
        f' fill="none" stroke="{ARROW}" stroke-width="4" stroke-linecap="round"/>'
    )
    pen.grow_points([start, end], 6.0)
    _arrow_head(pen, end, start)


# --- props -------------------------------------------------------------------------

PropDraw = Callable[[Pen, Prop, Body], None]
PROP_LAYER = {"water": "front", "strap": "front", "bike": "mid", "treadmill_rail": "mid"}


def draw_props(pen: Pen, props: Iterable[Prop], body: Body, layer: str) -> None:
    from .props import DRAW

    for prop in props:
        if PROP_LAYER.get(prop.kind, "back") == layer:
            DRAW[prop.kind](pen, prop, body)


# --- the whole picture ------------------------------------------------------------


def _compose(
    scene: Scene, pose: Pose, view: View, mark: Mark | None, arrow: bool, belly: int
) -> Pen:
    pen = Pen(view)
    body = build(pose)
    if scene.floor:
        y = view.flat(0.0, 0.0)[1]
        pen.line((0.0, y), (float(WIDTH), y), stroke=FLOOR, width=3.0, measure=False)
        pen.grow(
            (pen.box[0], y - 1.5, pen.box[2], y + 1.5)
            if pen.box[0] < 1e8
            else (1e9, y - 1.5, -1e9, y + 1.5)
        )
    draw_props(pen, pose.props, body, "back")
    side_view = scene.camera == Camera() and abs(pose.roll) < 1e-6
    merge = ("near_leg",) if side_view and pose.near_leg.flex < 100.0 else ()
    badge = draw_figure(
        pen,
        body,
        mark,
        lambda: draw_props(pen, pose.props, body, "mid"),
        merge,
        scene.shade,
        scene.behind,
    )
    if scene.gap:
        level = max((p.h or 4.0 for p in pose.props if p.kind == "mat"), default=0.0)
        draw_gap(pen, body, level)
    draw_props(pen, pose.props, body, "front")
    if arrow:
        for a in scene.arrows:
            draw_arrow(pen, scene, a)
    if belly:
        draw_belly_arrows(pen, body, inward=belly < 0)
        badge = (badge[0] - 36.0, badge[1] + 6.0)  # beside the arrows, not on them
    if mark is not None:
        draw_badge(pen, badge, mark)
    return pen


@functools.lru_cache(maxsize=64)
def layout(scene: Scene) -> View:
    """One offset per exercise, from all its frames, so start and end line up."""
    probe = View(scene.camera)
    box = [1e9, 1e9, -1e9, -1e9]
    poses = [scene.frame(f) for f in scene.frames()]
    for p in poses:
        pen = _compose(scene, p, probe, None, p is scene.end, 0)
        for i in (0, 1):
            box[i] = min(box[i], pen.box[i])
        for i in (2, 3):
            box[i] = max(box[i], pen.box[i])
    cx = (box[0] + box[2]) / 2.0
    cy = (box[1] + box[3]) / 2.0
    ox = WIDTH / 2.0 - cx
    oy = HEIGHT / 2.0 - cy
    # never let the floor drop below the bottom margin
    floor_y = probe.flat(0.0, 0.0)[1] + oy
    if floor_y > HEIGHT - MARGIN:
        oy -= floor_y - (HEIGHT - MARGIN)
    return View(scene.camera, round(ox, 1), round(oy, 1))


def render_svg(
    scene: Scene, pose: Pose, *, mark: Mark | None, arrow: bool, mirror: bool, belly: int = 0
) -> str:
    view = layout(scene)
    pen = _compose(scene, pose, view, mark, arrow, belly)
    body = "\n".join(pen.parts)
    if mirror:
        body = f'<g transform="matrix(-1 0 0 1 {WIDTH} 0)">\n{body}\n</g>'
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}"'
        f' width="{WIDTH}" height="{HEIGHT}">\n{body}\n</svg>\n'
    )
