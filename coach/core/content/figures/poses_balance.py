"""Balance exercises (B1-B4), standing at the counter.

Each exercise group has its own module so that a pose is found from the letter
of its exercise id; :mod:`.library` puts the groups together in catalogue order.
"""

from __future__ import annotations

from dataclasses import replace

from .body import plant
from .model import Arrow, Scene
from .posing import (
    BACK,
    L,
    back_counter,
    counter_props,
    on_counter,
    on_counter_back,
    registry,
    stand,
)

SCENES, scene = registry()


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
