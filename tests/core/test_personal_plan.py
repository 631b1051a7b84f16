"""The personal plan against a table: each input, what the person plays and what is listed."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from coach.core.common.paths import resolve
from coach.core.content.library import Library
from coach.core.content.model import Routine
from coach.core.session.personal import (
    AS_WRITTEN,
    Cause,
    ChangeKind,
    ClinicianPlan,
    PersonalInputs,
    personal_plan,
)
from coach.core.session.plan import build_plan
from coach.core.session.profile import BodySide, HealthProfile, Joint, JointReplacement

TODAY = date(2026, 12, 7)
HIP = HealthProfile(
    completed=True, joint_replacements=[JointReplacement(joint=Joint.HIP, side=BodySide.LEFT)]
)
HIP_CLEARED = HealthProfile(
    completed=True,
    joint_replacements=[JointReplacement(joint=Joint.HIP, side=BodySide.LEFT, limits_apply=False)],
)
BONES = HealthProfile(completed=True, osteoporosis=True)
NO_FLOOR = HealthProfile(completed=True, cannot_use_floor=True)
OPERATED = HealthProfile(
    completed=True, back_operation_recent=True, back_operation_date=date(2026, 11, 2)
)
PLAN = ClinicianPlan("B. Physio", start=date(2026, 11, 20), review=date(2027, 1, 8))


@pytest.fixture(scope="module")
def lib(tmp_path_factory: pytest.TempPathFactory) -> Library:
    return Library.load(resolve(tmp_path_factory.mktemp("data")))


@dataclass
class Row:
    name: str
    routine: str
    played: list[str] | None  # exercise ids as played, None: not playable
    changes: list[tuple[Cause, ChangeKind, int | None, str | None]]
    profile: HealthProfile | None = None
    clinician_plan: ClinicianPlan | None = None
    dose_changes: dict[str, Any] = field(default_factory=dict)
    walking_test_s: float | None = None


ROWS = [
    Row("nothing known: as written", "daily-relief", ["S4", "P1", "S1", "S8", "T1", "R1"], []),
    Row(
        "a new hip leaves out deep hip bending and crossing",
        "daily-relief",
        ["P1", "T1", "R1"],
        [
            (Cause.HEALTH, ChangeKind.LEFT_OUT, 0, "S4"),
            (Cause.HEALTH, ChangeKind.LEFT_OUT, 2, "S1"),
            (Cause.HEALTH, ChangeKind.LEFT_OUT, 3, "S8"),
        ],
        profile=HIP,
    ),
    Row(
        "a hip whose limits are over changes nothing",
        "daily-relief",
        ["S4", "P1", "S1", "S8", "T1", "R1"],
        [],
        profile=HIP_CLEARED,
    ),
    Row(
        "weak bones: the forward bend becomes the lean, knee rolls stay small",
        "daily-relief",
        ["C2", "P1", "S1", "S8", "T1", "R1"],
        [
            (Cause.HEALTH, ChangeKind.SWAPPED, 0, "S4"),
            (Cause.HEALTH, ChangeKind.SWAPPED, 2, "S1"),
            (Cause.HEALTH, ChangeKind.SWAPPED, 3, "S8"),
        ],
        profile=BONES,
    ),
    Row(
        "no floor: floor work on a firm bed, kneeling left out",
        "strength",
        ["P1", "T1", "T2", "T3", "T4"],
        [
            *((Cause.HEALTH, ChangeKind.NOTE, i, x) for i, x in enumerate(["P1", "T1", "T2"])),
            (Cause.HEALTH, ChangeKind.NOTE, 3, "T3"),
            (Cause.HEALTH, ChangeKind.NOTE, 4, "T4"),
            (Cause.HEALTH, ChangeKind.LEFT_OUT, 5, "S3"),
        ],
        profile=NO_FLOOR,
    ),
    Row(
        "after a back operation the built-in routines wait",
        "daily-relief",
        None,
        [(Cause.HEALTH, ChangeKind.NOT_PLAYABLE, None, None)],
        profile=OPERATED,
    ),
    Row(
        "after a back operation the clinician's plan goes on",
        "daily-relief",
        ["S4", "P1", "S1", "S8", "T1", "R1"],
        [(Cause.PROGRAMME_WEEK, ChangeKind.PROGRAMME, None, None)],
        profile=OPERATED,
        clinician_plan=PLAN,
    ),
    Row(
        "an accepted step changes the dose",
        "strength",
        ["P1", "T1", "T2", "T3", "T4", "S3"],
        [(Cause.DOSE_CHANGE, ChangeKind.DOSE, 1, "T1")],
        dose_changes={"strength": {"1": {"exercise_id": "T1", "reps": 14}}},
    ),
    Row(
        "a step for an item that is another exercise now is not applied",
        "strength",
        ["P1", "T1", "T2", "T3", "T4", "S3"],
        [],
        dose_changes={"strength": {"2": {"exercise_id": "T1", "reps": 14}}},
    ),
    Row(
        "a step keeps its item when an earlier item is left out",
        "daily-relief",
        ["P1", "T1", "R1"],
        [
            (Cause.DOSE_CHANGE, ChangeKind.DOSE, 4, "T1"),
            (Cause.HEALTH, ChangeKind.LEFT_OUT, 0, "S4"),
            (Cause.HEALTH, ChangeKind.LEFT_OUT, 2, "S1"),
            (Cause.HEALTH, ChangeKind.LEFT_OUT, 3, "S8"),
        ],
        profile=HIP,
        dose_changes={"daily-relief": {"4": {"exercise_id": "T1", "reps": 12}}},
    ),
    Row(
        "a step for an item the health answers leave out is not listed",
        "strength",
        ["P1", "T1", "T2", "T3", "T4"],
        [(Cause.HEALTH, ChangeKind.LEFT_OUT, 5, "S3")],
        profile=BONES,
        dose_changes={"strength": {"5": {"exercise_id": "S3", "hold_s": 25}}},
    ),
    Row(
        "the walking test sets the stages",
        "walking",
        ["P2", "C5", "A3", "C2"],
        [(Cause.WALKING_TEST, ChangeKind.WALK_STAGE, 2, "A3")],
        walking_test_s=300,
    ),
    Row(
        "a walking test that gives the written stage changes nothing",
        "walking",
        ["P2", "C5", "A3", "C2"],
        [],
        walking_test_s=375,  # 80 % of it is the routine's own 300 s
    ),
    Row(
        "the programme week of a clinician's plan",
        "chair-counter",
        ["C1", "C2", "C3", "C4", "C5", "B1"],
        [(Cause.PROGRAMME_WEEK, ChangeKind.PROGRAMME, None, None)],
        clinician_plan=PLAN,
    ),
]


@pytest.mark.parametrize("row", ROWS, ids=[r.name for r in ROWS])
def test_personal_plan_table(lib: Library, row: Row) -> None:
    written = lib.routines[row.routine]
    result = personal_plan(
        written,
        lib.exercises,
        profile=row.profile,
        clinician_plan=row.clinician_plan,
        dose_changes=row.dose_changes,
        walking_test_s=row.walking_test_s,
        today=TODAY,
    )
    assert result.written is written
    if row.played is None:
        assert result.routine is None and result.plan is None and not result.playable
        assert result.total_seconds == 0
    else:
        assert result.routine is not None and result.plan is not None
        assert result.routine.exercise_ids() == row.played
        # The steps are the plan of exactly the routine as played, in the
        # words it is played in (a bone-safe version has its own).
        used = {**lib.exercises, **result.worded}
        again = build_plan(result.routine, used, walking_test_s=row.walking_test_s)
        assert result.plan.steps == again.steps
    got = [(c.cause, c.kind, c.item_index, c.exercise_id) for c in result.changes]
    assert got == row.changes
    for change in result.changes:
        # Words in both languages, never the English twice.
        assert change.text.get("en") and change.text.get("de")
        assert change.text.get("de") != change.text.get("en") or change.cause is Cause.CONTENT


def test_the_dose_step_is_what_the_player_gets(lib: Library) -> None:
    result = personal_plan(
        lib.routines["daily-relief"],
        lib.exercises,
        profile=HIP,
        dose_changes={"daily-relief": {"4": {"exercise_id": "T1", "reps": 12}}},
        today=TODAY,
    )
    assert result.plan is not None
    t1 = [s for s in result.plan.steps if s.exercise_id == "T1" and s.reps]
    assert t1 and {s.reps for s in t1} == {12}
    written = lib.routines["daily-relief"].items[4].apply_to(lib.exercises["T1"].dosage).reps
    assert written != 12 and f"{written} → 12" in result.changes[0].text.get("en")


def test_walking_stage_words_and_seconds(lib: Library) -> None:
    result = personal_plan(lib.routines["walking"], lib.exercises, walking_test_s=300)
    assert result.plan is not None
    walks = [s for s in result.plan.steps if s.phase.value == "walk"]
    assert walks and {s.seconds for s in walks} == {240}
    assert "4:00" in result.changes[0].text.get("en") and "5:00" in result.changes[0].text.get()
    # A nonsense test (0 s) is ignored rather than crashing the plan.
    assert personal_plan(lib.routines["walking"], lib.exercises, walking_test_s=0).changes == ()


@pytest.mark.parametrize(
    ("today", "words"),
    [
        (date(2026, 11, 1), "starts on 20 Nov 2026"),
        (date(2026, 11, 20), "Week 1 of 8"),
        (date(2026, 12, 7), "Week 3 of 8"),
        (date(2027, 1, 8), "Week 8 of 8"),
        (date(2027, 1, 9), "review date"),
    ],
)
def test_programme_week(lib: Library, today: date, words: str) -> None:
    result = personal_plan(
        lib.routines["strength"], lib.exercises, clinician_plan=PLAN, today=today
    )
    assert [c.cause for c in result.changes] == [Cause.PROGRAMME_WEEK]
    assert words in result.changes[0].text.get("en")


def test_an_allowed_extension_is_listed_as_the_clinicians(lib: Library) -> None:
    written = Routine.from_data(
        {
            "id": "with-extension",
            "title": {"en": "With extension"},
            "description": {"en": "For one patient."},
            "items": [{"exercise": "P1"}, {"exercise": "X1"}],
            "permissions": {"allow_extension": ["X1"], "allowed_by": "B. Physio"},
        }
    )
    result = personal_plan(
        written, lib.exercises, profile=HealthProfile(completed=True), today=TODAY
    )
    assert result.routine is not None and result.routine.exercise_ids() == ["P1", "X1"]
    assert [(c.cause, c.kind, c.exercise_id) for c in result.changes] == [
        (Cause.CLINICIAN, ChangeKind.NOTE, "X1")
    ]
    # Without the permission the same exercise is left out.
    bare = written.replace(permissions=written.permissions.replace(allow_extension=[]))
    result = personal_plan(bare, lib.exercises, profile=HealthProfile(completed=True))
    assert [(c.kind, c.exercise_id) for c in result.changes] == [(ChangeKind.LEFT_OUT, "X1")]


def test_inputs_plan_for_uses_the_routines_own_clinician_plan(lib: Library) -> None:
    inputs = PersonalInputs(profile=OPERATED, clinician_plans={"strength": PLAN}, today=TODAY)
    assert inputs.plan_for(lib.routines["strength"], lib.exercises).playable
    assert not inputs.plan_for(lib.routines["daily-relief"], lib.exercises).playable
    written = AS_WRITTEN.plan_for(lib.routines["daily-relief"], lib.exercises)
    assert written.changes == ()
    assert (
        written.total_seconds
        == build_plan(lib.routines["daily-relief"], lib.exercises).total_seconds
    )


def test_json_and_timeline_carry_the_changes(lib: Library) -> None:
    result = personal_plan(lib.routines["daily-relief"], lib.exercises, profile=HIP, today=TODAY)
    data = result.to_json_dict("de")
    assert data["routine"] == "daily-relief" and data["playable"] is True
    assert [c["exercise"] for c in data["changes"]] == ["S4", "S1", "S8"]
    assert data["changes"][0]["item"] == 1 and data["changes"][0]["cause"] == "health"
    assert "weggelassen" in data["changes"][0]["text"]
    assert all(step["exercise"] not in ("S1", "S4", "S8") for step in data["steps"])
    text = result.format_timeline("en", detailed=False)
    assert "Changed for you" in text and "One knee to the chest" in text


def test_the_written_routine_is_never_changed(lib: Library, tmp_path: Path) -> None:
    written = lib.routines["strength"]
    before = written.to_data()
    personal_plan(
        written,
        lib.exercises,
        profile=BONES,
        dose_changes={"strength": {"1": {"exercise_id": "T1", "reps": 14}}},
    )
    assert written.to_data() == before
