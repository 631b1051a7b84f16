"""Aerobic exercise (A1-A4): the bike, the treadmill, walking in stages, water.

Each exercise group has its own module so that a pose is found from the letter
of its exercise id; :mod:`.library` puts the groups together in catalogue order.
"""

from __future__ import annotations

from .body import ground, place
from .model import Arrow, Pose, Prop, Scene
from .posing import L, heel_on, hip_height, registry, stand, tiptoe
from .props import bike_grip, bike_pedal, bike_seat, deck_y

SCENES, scene = registry()


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

    def astride() -> Pose:
        # Before the belt moves: one foot on each side rail, wider than the
        # hips, standing tall and holding on (the start the steps describe).
        hx = -10.0
        rail_top = deck_y(tm, hx) + 3.0
        p = stand(hx, floor=rail_top, spread=9.0, props=(tm, rail))
        for side, z in (("near", 16.0), ("far", -16.0)):
            p = place(
                p, f"{side}_arm", f"{side}_hand", (hx + 48.0, 130.0, z), fingers=(1.0, -0.3, 0.0)
            )
        return p

    return Scene(
        "A2",
        astride(),
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
