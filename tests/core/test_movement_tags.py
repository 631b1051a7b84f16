"""Movement tags match the movement the figures draw, and the hip rule uses them.

The hip-replacement rule hides exercises by their tags, so a missing tag lets
a movement through that the surgeon's limits forbid (S4, the deep forward
fold sitting, was offered while the gentler C2 was hidden). Each exercise's
key poses are built from the pose model and measured: the angle of each thigh
against the pelvis, and how far the knee and ankle come towards, or across,
the middle of the body. The numbers are the figures' own, so a figure and its
tags can no longer tell different stories.
"""

from __future__ import annotations

import math
import tempfile
from datetime import date
from pathlib import Path

import pytest

from coach.core.common.paths import resolve
from coach.core.content.figures.body import Body, build
from coach.core.content.figures.geometry import dot, sub
from coach.core.content.figures.library import SCENES
from coach.core.content.library import Library
from coach.core.content.model import Tag
from coach.core.session.personal import PersonalInputs
from coach.core.session.profile import (
    REASON_HIP_CROSSING,
    REASON_HIP_EXTENSION,
    REASON_HIP_FLEXION,
    REASON_KNEELING_HIP,
    Approach,
    BodySide,
    HealthProfile,
    Joint,
    JointReplacement,
    OfferStatus,
    filter_exercises,
)

# Built-in content only: a data folder of its own that holds nothing.
LIBRARY = Library.load(resolve(Path(tempfile.mkdtemp()) / "data"), include_user=False)
EXERCISES = LIBRARY.exercises

# A thigh drawn further than this past a right angle needs the tag; a little
# slack keeps a tabletop (exactly 90°) or a cycling stroke (92°) untagged.
FLEXION_LIMIT = 90.0
FLEXION_SLACK = 3.0
# Thigh angles behind the pelvis beyond this are a real stretch backwards (the
# hip-flexor stretch at the bed edge); normal gait stays well inside it.
EXTENSION_LIMIT = -30.0
# A leg counts as crossing when its knee or ankle comes this far over the
# middle (figure units, about centimetres): shifting the weight onto one foot
# in standing brings that foot under the body's centre without the leg
# crossing over.
CROSSING_DEPTH = 2.0

# Tagged as crossing although the drawing keeps the legs apart. The tag stays:
# it is the conservative reading of what the person's legs do, and these are
# the only two exceptions the test accepts.
CROSSING_NOT_DRAWN = {
    "S8": "knee rolls: the figure turns the pelvis with the knees, but the top "
    "thigh turns inwards over the lower one as the knees drop",
    "T4": "clamshell: side-lying with the knees together lets the top thigh drop "
    "across the midline unless a pillow is between the knees",
}


def thigh_angle(body: Body, side: str) -> float:
    """Hip flexion as drawn: the thigh against the pelvis (0 = in line, + = forward)."""
    forward, up, _lateral = body.axes["pelvis"]
    thigh = sub(body.joints[f"{side}_knee"], body.joints[f"{side}_hip"])
    return math.degrees(math.atan2(dot(thigh, forward), -dot(thigh, up)))


def clearance(body: Body, side: str) -> float:
    """How far this leg's knee and ankle stay on their own side of the midline.

    Negative: the leg crosses over the middle of the body.
    """
    _forward, _up, lateral = body.axes["pelvis"]
    middle = body.joints["hips"]
    own_side = 1.0 if dot(sub(body.joints[f"{side}_hip"], middle), lateral) > 0 else -1.0
    return min(
        own_side * dot(sub(body.joints[f"{side}_{joint}"], middle), lateral)
        for joint in ("knee", "ankle")
    )


def drawn(exercise_id: str) -> tuple[float, float, float]:
    """Largest thigh angle, smallest thigh angle, smallest clearance over both key poses."""
    scene = SCENES[exercise_id]()
    bodies = [build(scene.start), build(scene.end)]
    angles = [thigh_angle(b, side) for b in bodies for side in ("near", "far")]
    gaps = [clearance(b, side) for b in bodies for side in ("near", "far")]
    return max(angles), min(angles), min(gaps)


def test_every_built_in_exercise_has_a_drawn_scene() -> None:
    assert set(EXERCISES) <= set(SCENES), "an exercise without key poses cannot be audited"


@pytest.mark.parametrize("exercise_id", sorted(EXERCISES))
def test_hip_flexion_tag_matches_the_drawn_thigh(exercise_id: str) -> None:
    most, _least, _gap = drawn(exercise_id)
    tagged = Tag.HIP_FLEXION_OVER_90 in EXERCISES[exercise_id].tags
    if most > FLEXION_LIMIT + FLEXION_SLACK:
        assert tagged, f"{exercise_id} draws the hip at {most:.0f}° but has no hip_flexion_over_90"
    if tagged:
        assert most > FLEXION_LIMIT, (
            f"{exercise_id} is tagged hip_flexion_over_90 but never draws the hip past "
            f"a right angle ({most:.0f}°)"
        )


@pytest.mark.parametrize("exercise_id", sorted(EXERCISES))
def test_hip_crossing_tag_matches_the_drawn_legs(exercise_id: str) -> None:
    _most, _least, gap = drawn(exercise_id)
    tagged = Tag.HIP_CROSSING in EXERCISES[exercise_id].tags
    if gap < -CROSSING_DEPTH:
        assert tagged, f"{exercise_id} draws a leg across the midline but has no hip_crossing"
    if tagged and exercise_id not in CROSSING_NOT_DRAWN:
        assert gap < -CROSSING_DEPTH, (
            f"{exercise_id} is tagged hip_crossing but no leg crosses the midline"
        )


def test_the_crossing_exceptions_are_still_needed() -> None:
    for exercise_id in CROSSING_NOT_DRAWN:
        assert Tag.HIP_CROSSING in EXERCISES[exercise_id].tags
        assert drawn(exercise_id)[2] >= -CROSSING_DEPTH, (
            f"{exercise_id} now draws the crossing: drop it here"
        )


@pytest.mark.parametrize("exercise_id", sorted(EXERCISES))
def test_a_drawn_stretch_behind_the_body_is_tagged(exercise_id: str) -> None:
    _most, least, _gap = drawn(exercise_id)
    if least < EXTENSION_LIMIT:
        assert Tag.HIP_EXTENSION in EXERCISES[exercise_id].tags, (
            f"{exercise_id} draws the thigh {least:.0f}° behind the body without hip_extension"
        )


def hip(approach: Approach) -> HealthProfile:
    replacement = JointReplacement(joint=Joint.HIP, side=BodySide.LEFT, approach=approach)
    return HealthProfile(joint_replacements=[replacement], completed=True)


HIP_TAGS = {Tag.HIP_FLEXION_OVER_90, Tag.HIP_CROSSING, Tag.HIP_EXTENSION, Tag.KNEELING}


@pytest.mark.parametrize("approach", list(Approach))
def test_the_hip_rule_hides_every_hip_tag_whatever_the_approach(approach: Approach) -> None:
    hip_reasons = [
        REASON_HIP_FLEXION,
        REASON_HIP_CROSSING,
        REASON_HIP_EXTENSION,
        REASON_KNEELING_HIP,
    ]
    for offer in filter_exercises(hip(approach), EXERCISES.values()):
        risky = HIP_TAGS & set(offer.exercise.tags)
        hidden_for_the_hip = offer.status is OfferStatus.HIDDEN and any(
            reason in hip_reasons for reason in offer.reasons
        )
        assert hidden_for_the_hip == bool(risky), offer.exercise.id


def test_the_deep_fold_is_hidden_for_a_new_hip_like_the_gentler_lean() -> None:
    offers = {
        o.exercise.id: o for o in filter_exercises(hip(Approach.ANTERIOR), EXERCISES.values())
    }
    assert offers["S4"].status is OfferStatus.HIDDEN
    assert offers["C2"].status is OfferStatus.HIDDEN
    assert offers["S9"].shown, "the standing lean keeps the hip at about 45°: the relief stays"


@pytest.mark.parametrize("approach", list(Approach))
@pytest.mark.parametrize("routine_id", sorted(LIBRARY.routines))
def test_no_offered_routine_bends_a_new_hip_past_a_right_angle(
    routine_id: str, approach: Approach
) -> None:
    inputs = PersonalInputs(profile=hip(approach), today=date(2026, 12, 7))
    personal = inputs.plan_for(LIBRARY.routines[routine_id], EXERCISES)
    if personal.plan is None:
        return
    played = {s.exercise_id for s in personal.plan.steps if s.exercise_id is not None}
    for exercise_id in played:
        tags = set(EXERCISES[exercise_id].tags)
        assert not tags & HIP_TAGS, f"{routine_id} plays {exercise_id} ({sorted(tags & HIP_TAGS)})"
