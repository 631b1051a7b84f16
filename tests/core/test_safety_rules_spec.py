"""The safety rules as a specification: read the tables, not the code.

Three tables, each row checked against the real rules on the built-in content:

1. **Health answers × exercise** → what the person is offered: the exercise as
   written, on a firm bed, its bone-safe version (in its own words, or another
   exercise in its place), or left out. CONTENT.md 3 and 6b.
2. **Check answer** → how soon a doctor is needed. CONTENT.md 6a; the full
   table of every question is ``SPEC`` in ``test_check_tiers``.
3. **Pain before, usual pain, pain after** → the pain rule kept or broken.
   CONTENT.md 4: at most 2 points above the level before the session, and
   6 out of 10 or more only counts when it is above the level before and
   above the person's usual pain (a person whose pain is usually 6 and who
   ends at 6 has kept the rule).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from coach.core.common.paths import resolve
from coach.core.content.library import Library
from coach.core.session.check import Group, Outcome, evaluate
from coach.core.session.profile import (
    Approach,
    BodySide,
    HealthProfile,
    Joint,
    JointReplacement,
    OfferStatus,
    filter_exercises,
)
from coach.core.session.stop_rules import pain_rule

LIBRARY = Library.load(resolve(Path(tempfile.mkdtemp()) / "data"), include_user=False)


def _hip(approach: Approach = Approach.POSTERIOR) -> HealthProfile:
    new_hip = JointReplacement(joint=Joint.HIP, side=BodySide.LEFT, approach=approach)
    return HealthProfile(joint_replacements=[new_hip], completed=True)


PROFILES: dict[str, HealthProfile] = {
    "no special answers": HealthProfile(completed=True),
    "osteoporosis": HealthProfile(osteoporosis=True, completed=True),
    "long-term steroids": HealthProfile(long_term_steroids=True, completed=True),
    "new hip, posterior approach": _hip(Approach.POSTERIOR),
    "new hip, anterior approach": _hip(Approach.ANTERIOR),
    "new knee": HealthProfile(
        joint_replacements=[JointReplacement(joint=Joint.KNEE, side=BodySide.RIGHT)],
        completed=True,
    ),
    "cannot get down to the floor": HealthProfile(cannot_use_floor=True, completed=True),
    "a fall in the last year": HealthProfile(fall_last_year=True, completed=True),
}

OFFERED = "offered"
ON_A_BED = "offered, on a firm bed"
OWN_WORDS = "bone-safe version in its own words"
WITH_NOTE = "bone-safe version: the same words and a note on how"
LEFT_OUT = "left out"


def swapped_to(exercise_id: str) -> str:
    return f"replaced by {exercise_id}"


# answers                          exercise  what the person gets
OFFER_TABLE: list[tuple[str, str, str]] = [
    ("no special answers",            "S4",  OFFERED),
    ("no special answers",            "S3",  OFFERED),
    ("no special answers",            "X1",  LEFT_OUT),  # arches the back: clinician only
    ("no special answers",            "X2",  LEFT_OUT),
    ("osteoporosis",                  "S4",  swapped_to("C2")),  # deep fold -> hip hinge
    ("osteoporosis",                  "C2",  OWN_WORDS),  # the lean keeps a long back
    ("osteoporosis",                  "S1",  OWN_WORDS),  # the back rests flat
    ("osteoporosis",                  "S2",  OWN_WORDS),  # the tailbone stays down
    ("osteoporosis",                  "S8",  WITH_NOTE),  # a small arc only
    ("osteoporosis",                  "S9",  OWN_WORDS),  # the flexion break, long back
    ("osteoporosis",                  "C1",  OWN_WORDS),
    ("osteoporosis",                  "S3",  LEFT_OUT),  # clinician only
    ("osteoporosis",                  "S10", LEFT_OUT),  # clinician only
    ("osteoporosis",                  "P1",  OFFERED),
    ("osteoporosis",                  "T6",  OFFERED),
    ("long-term steroids",            "S4",  swapped_to("C2")),
    ("long-term steroids",            "S3",  LEFT_OUT),
    ("new hip, posterior approach",   "S1",  LEFT_OUT),  # hip past 90°
    ("new hip, posterior approach",   "S4",  LEFT_OUT),  # hip past 90°
    ("new hip, posterior approach",   "C2",  LEFT_OUT),  # hip past 90°
    ("new hip, posterior approach",   "T6",  LEFT_OUT),  # hip past 90° rising from a chair
    ("new hip, posterior approach",   "S7",  LEFT_OUT),  # crossing
    ("new hip, posterior approach",   "S8",  LEFT_OUT),  # crossing
    ("new hip, posterior approach",   "T4",  LEFT_OUT),  # crossing
    ("new hip, posterior approach",   "S5",  LEFT_OUT),  # stretch backwards
    ("new hip, posterior approach",   "S3",  LEFT_OUT),  # kneeling
    ("new hip, posterior approach",   "S9",  OFFERED),  # standing lean, hip about 45°
    ("new hip, posterior approach",   "P1",  OFFERED),
    ("new hip, posterior approach",   "T2",  OFFERED),
    ("new hip, posterior approach",   "C5",  OFFERED),
    ("new hip, anterior approach",    "S4",  LEFT_OUT),  # the limits hold whatever the approach
    ("new hip, anterior approach",    "S8",  LEFT_OUT),
    ("new hip, anterior approach",    "T3",  LEFT_OUT),  # stretch backwards (bridge)
    ("new knee",                      "S3",  LEFT_OUT),  # kneeling
    ("new knee",                      "T8",  LEFT_OUT),  # kneeling
    ("new knee",                      "S4",  OFFERED),
    ("new knee",                      "T6",  OFFERED),
    ("cannot get down to the floor",  "P1",  ON_A_BED),
    ("cannot get down to the floor",  "R1",  ON_A_BED),
    ("cannot get down to the floor",  "S10", LEFT_OUT),  # all fours: no bed version
    ("cannot get down to the floor",  "T8",  LEFT_OUT),
    ("cannot get down to the floor",  "C1",  OFFERED),
    ("a fall in the last year",       "T1",  ON_A_BED),
    ("a fall in the last year",       "S3",  LEFT_OUT),
]  # fmt: skip


def what_they_get(answers: str, exercise_id: str) -> str:
    offers = {
        o.exercise.id: o for o in filter_exercises(PROFILES[answers], LIBRARY.exercises.values())
    }
    offer = offers[exercise_id]
    if offer.status is OfferStatus.HIDDEN:
        return LEFT_OUT
    if offer.status is OfferStatus.BONE_SAFE_VARIANT:
        variant = offer.variant
        assert variant is not None
        if variant.exercise is not None:
            return swapped_to(variant.exercise)
        return OWN_WORDS if variant.has_own_words else WITH_NOTE
    if offer.notes and any("firm bed" in n.get("en") for n in offer.notes):
        return ON_A_BED
    return OFFERED


@pytest.mark.parametrize(
    ("answers", "exercise_id", "expected"),
    OFFER_TABLE,
    ids=[f"{a} x {e}" for a, e, _ in OFFER_TABLE],
)
def test_health_answers_x_exercise(answers: str, exercise_id: str, expected: str) -> None:
    assert what_they_get(answers, exercise_id) == expected


def test_every_left_out_row_says_why_in_both_languages() -> None:
    for answers, exercise_id, expected in OFFER_TABLE:
        if expected != LEFT_OUT:
            continue
        offers = filter_exercises(PROFILES[answers], [LIBRARY.exercises[exercise_id]])
        [offer] = offers
        assert offer.rules, (answers, exercise_id)
        for rule in offer.rules:
            assert rule.says.get("en") and rule.says.get("de") != rule.says.get("en")


# answer to the check                     how soon
CHECK_TABLE: list[tuple[str, Group]] = [
    ("saddle_numbness",        Group.EMERGENCY),
    ("bladder_change",         Group.EMERGENCY),
    ("both_legs",              Group.EMERGENCY),
    ("chest_pain",             Group.EMERGENCY),  # does not ease within minutes of rest
    ("stroke",                 Group.EMERGENCY),
    ("head_knock_thinners",    Group.EMERGENCY),
    ("chest_pain_exertion",    Group.SAME_DAY),  # eases with rest
    ("palpitations",           Group.SAME_DAY),
    ("numbness_one_side",      Group.SAME_DAY),
    ("fever_after_procedure",  Group.SAME_DAY),  # after a spinal injection or operation
    ("wound_red",              Group.SAME_DAY),
    ("fever",                  Group.SEE_DOCTOR),
    ("night_pain",             Group.SEE_DOCTOR),
    ("recent_fall",            Group.SEE_DOCTOR),
    ("calf_pain_standing",     Group.SEE_DOCTOR),
]  # fmt: skip

_OUTCOME = {
    Group.EMERGENCY: Outcome.EMERGENCY,
    Group.SAME_DAY: Outcome.SAME_DAY,
    Group.SEE_DOCTOR: Outcome.SEE_DOCTOR,
}


@pytest.mark.parametrize(("question", "tier"), CHECK_TABLE, ids=[q for q, _ in CHECK_TABLE])
def test_check_answer_x_tier(question: str, tier: Group) -> None:
    result = evaluate({question: True}, profile=PROFILES["no special answers"])
    assert result.outcome is _OUTCOME[tier]
    assert not result.exercise_allowed


def test_nothing_new_means_exercise_today() -> None:
    result = evaluate({}, profile=PROFILES["no special answers"])
    assert result.outcome is Outcome.OK and result.exercise_allowed


KEPT, BROKEN = "kept", "broken"
N = None  # not rated / not given

# One body part (back or leg): before the session, usual on a normal day, after.
PAIN_TABLE: list[tuple[int | None, int | None, int | None, str]] = [
    # before usual after
    (2,      N,     2,    KEPT),    # no change
    (2,      N,     4,    KEPT),    # a rise of 2 is allowed
    (2,      N,     5,    BROKEN),  # a rise of 3 is not
    (3,      N,     6,    BROKEN),  # reaches 6, above the level before, nothing usual known
    (4,      6,     6,    KEPT),    # reaches 6, but that is the usual pain
    (6,      6,     6,    KEPT),    # usual 6, ends at 6: the rule is kept
    (6,      N,     6,    KEPT),    # started at 6, no higher: the session made nothing worse
    (6,      6,     7,    BROKEN),  # above the level before and the usual level
    (5,      7,     7,    KEPT),    # usual 7: 7 after is the usual day
    (5,      7,     8,    BROKEN),  # a rise of 3
    (8,      8,     6,    KEPT),    # less pain after than before
    (4,      3,     6,    BROKEN),  # above the usual 3 and above the 4 before
    (N,      6,     6,    KEPT),    # no rating before: the usual level decides
    (N,      N,     6,    BROKEN),  # neither before nor usual: 6 breaks it
    (3,      N,     N,    KEPT),    # not rated after: nothing to judge
]  # fmt: skip


@pytest.mark.parametrize(
    ("before", "usual", "after", "expected"),
    PAIN_TABLE,
    ids=[f"before {b} usual {u} after {a}" for b, u, a, _ in PAIN_TABLE],
)
def test_pain_before_usual_after(
    before: int | None, usual: int | None, after: int | None, expected: str
) -> None:
    # The same row for the back (leg calm) and for the leg (back calm).
    as_back = pain_rule(before, 0, after, 0, usual_back=usual)
    as_leg = pain_rule(0, before, 0, after, usual_leg=usual)
    assert {as_back, as_leg} == {expected == KEPT}


def test_back_and_leg_are_judged_separately() -> None:
    # The back keeps the rule, the leg breaks it: the session breaks it.
    assert pain_rule(2, 2, 3, 5) is False
    assert pain_rule(2, 2, 3, 4) is True
