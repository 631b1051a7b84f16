"""Changing position: getting up from lying gets its own time, and routines keep it rare.

CONTENT (section 2): rise slowly after lying; getting up is rolling onto the
side, pushing up to sitting and sitting 30-60 s before standing. The plan puts
that in between an item done lying and the next one done sitting or standing,
and at the end of a routine that ends lying. The built-in routines are ordered
so that nobody goes floor -> chair -> floor, and the posture routine leans on a
support before 5 minutes of standing add up.
"""

from __future__ import annotations

import tempfile
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest

from coach.core.common.paths import resolve
from coach.core.content.library import Library
from coach.core.content.model import GET_UP, Exercise, Routine, Tag
from coach.core.session.personal import AS_WRITTEN
from coach.core.session.plan import (
    ROLL_AND_PUSH_UP_S,
    SIT_BEFORE_STANDING_S,
    Frame,
    Phase,
    Plan,
    Position,
    Step,
    build_plan,
    position_of,
)

# Built-in content only: a data folder of its own that holds nothing.
LIBRARY = Library.load(resolve(Path(tempfile.mkdtemp()) / "data"), include_user=False)
EXERCISES = LIBRARY.exercises
BUILT_IN = sorted(LIBRARY.routines)

STANDING_LIMIT_S = 5 * 60
"""Longest standing still before a relief position (the brief of issue 14)."""
RELIEF = "S9"
"""The supported forward lean: done standing, but it is the relief position."""


def routine(*ids: str) -> Routine:
    return Routine.from_data(
        {
            "id": "test-routine",
            "title": {"en": "Test", "de": "Test"},
            "description": {"en": "For tests."},
            "items": [{"exercise": i} for i in ids],
        }
    )


def plan_of(*ids: str, exercises: dict[str, Exercise] | None = None, **kwargs: Any) -> Plan:
    return build_plan(routine(*ids), exercises if exercises is not None else EXERCISES, **kwargs)


def getting_up(plan: Plan) -> list[Step]:
    return [s for s in plan.steps if s.getting_up]


def next_ids_after_getting_up(plan: Plan) -> list[str | None]:
    """For each getting-up pair, the exercise of the step that follows it."""
    found = []
    for n, step in enumerate(plan.steps):
        if step.getting_up and not plan.steps[n + 1].getting_up:
            found.append(plan.steps[n + 1].exercise_id)
    return found


# --- reading the position from the tags ---------------------------------------------


@pytest.mark.parametrize(
    ("exercise_id", "expected"),
    [
        ("P1", Position.DOWN),  # lying on the back, floor or bed
        ("T4", Position.DOWN),  # side-lying
        ("S3", Position.DOWN),  # kneeling
        ("S5", Position.DOWN),  # lying at the edge of a bed: bed_ok alone
        ("C1", Position.UP),  # sitting
        ("P2", Position.UP),  # standing
        ("T6", Position.UP),  # sit to stand
        ("A3", Position.UP),  # walking
        ("R2", None),  # lying in bed or sitting in an armchair: stays as it was
        ("A4", None),  # in the pool: no position tag
        (GET_UP, Position.UP),  # it ends sitting
    ],
)
def test_the_tags_tell_lying_from_sitting_and_standing(
    exercise_id: str, expected: Position | None
) -> None:
    assert position_of(EXERCISES[exercise_id]) is expected


def test_every_built_in_exercise_lying_or_kneeling_is_down() -> None:
    for ex in EXERCISES.values():
        if Tag.FLOOR in ex.tags:
            assert position_of(ex) is Position.DOWN, ex.id


# --- where the plan gets the person up --------------------------------------------


def test_floor_to_chair_gets_the_getting_up_step_instead_of_the_plain_rest() -> None:
    plan = plan_of("P1", "C1")
    up = getting_up(plan)
    assert [(s.phase, s.seconds, s.frame) for s in up] == [
        (Phase.TRANSITION, ROLL_AND_PUSH_UP_S, Frame.START),
        (Phase.TRANSITION, SIT_BEFORE_STANDING_S, Frame.END),
    ]
    roll, sit = up
    # the getting-up exercise's picture and title, its own words and cues
    helper = EXERCISES[GET_UP]
    assert {s.exercise_id for s in up} == {GET_UP}
    assert plan.title_of(GET_UP) == "Getting up from lying"
    assert roll.cue == helper.cue
    assert sit.cue == helper.breathing
    assert "roll onto your side" in roll.instruction.get("en").lower()
    assert "auf die Seite" in roll.instruction.get("de")
    title = EXERCISES["C1"].title
    assert sit.instruction.get("en").endswith(f"Next: {title.get('en')}")
    assert sit.instruction.get("de").endswith(f"Als Nächstes: {title.get('de')}")
    # no "Rest. Next:" on top, and the next item starts with its get-ready
    after = plan.steps[sit.index + 1]
    assert (after.phase, after.exercise_id) == (Phase.GET_READY, "C1")
    assert not [s for s in plan.steps if s.phase is Phase.TRANSITION and s.exercise_id == "C1"]


def test_floor_to_standing_and_bed_edge_to_chair_get_up_too() -> None:
    assert next_ids_after_getting_up(plan_of("T4", "C5")) == ["C5"]
    assert next_ids_after_getting_up(plan_of("S5", "S4")) == ["S4"]


@pytest.mark.parametrize(
    "ids",
    [
        ("P1", "S1", "T1"),  # all lying
        ("C1", "C2", "C5"),  # sitting to standing
        ("C1", "P1", "S1"),  # getting down is no getting up
        ("P2", "A3", "C2"),  # standing, walking, sitting
        ("A4", "C1"),  # an unknown start is no lying
    ],
)
def test_no_getting_up_where_nobody_lies(ids: tuple[str, ...]) -> None:
    plan = plan_of(*ids)
    ends_lying = position_of(EXERCISES[ids[-1]]) is Position.DOWN
    # at most the one at the end, never between two items
    assert next_ids_after_getting_up(plan) == ([None] if ends_lying else [])
    rests = [s for s in plan.steps if s.phase is Phase.TRANSITION and not s.getting_up]
    assert len(rests) == len(ids) - 1


def test_an_item_done_lying_or_sitting_keeps_the_person_lying() -> None:
    # R2 may be done lying in bed: the person gets up only before the chair.
    assert next_ids_after_getting_up(plan_of("P1", "R2", "C1")) == ["C1"]
    # ...and after sitting for R2, nobody is told to roll to the side.
    assert getting_up(plan_of("C1", "R2", "C2")) == []


def test_getting_up_written_into_the_routine_is_not_doubled() -> None:
    plan = plan_of("P1", GET_UP, "C1")
    assert getting_up(plan) == []
    assert [s.exercise_id for s in plan.steps if s.phase is Phase.GET_READY] == [
        "P1",
        GET_UP,
        "C1",
    ]


def test_a_routine_that_ends_lying_ends_with_getting_up() -> None:
    plan = plan_of("C1", "P1")
    roll, sit, done = plan.steps[-3:]
    assert roll.getting_up and sit.getting_up and done.phase is Phase.DONE
    assert "Next" not in sit.instruction.get("en")
    assert "Als Nächstes" not in sit.instruction.get("de")
    assert sit.instruction.get("en").startswith("Sit and breathe calmly")
    assert len(getting_up(plan)) == 2


def test_every_change_up_gets_its_own_getting_up() -> None:
    plan = plan_of("P1", "C1", "S1", "C2", "S8")
    assert next_ids_after_getting_up(plan) == ["C1", "C2", None]


def test_the_time_to_get_up_is_about_45_seconds_sitting_included() -> None:
    up = plan_of("P1", "C1")
    assert sum(s.seconds for s in getting_up(up)) == 45
    # it is the whole change: no plain rest on top
    assert up.total_seconds == sum(s.seconds for s in up.steps if not s.getting_up) + 45
    assert [s for s in up.steps if s.phase is Phase.TRANSITION and not s.getting_up] == []
    assert 30 <= SIT_BEFORE_STANDING_S <= 60  # CONTENT: sit 30-60 s before standing
    # A longer sit (a person dizzy on standing) is one argument.
    longer = plan_of("P1", "C1", sit_before_standing_s=60)
    assert sum(s.seconds for s in getting_up(longer)) == 75
    assert longer.total_seconds - up.total_seconds == 30


def test_the_steps_need_no_player_change_the_voice_reads_the_instruction() -> None:
    from coach.core.progress.history import NOT_EXERCISE_PHASES

    plan = plan_of("P1", "C1")
    for step in getting_up(plan):
        # a transition: no exercise counted for it, the player speaks its instruction
        assert step.phase.value in NOT_EXERCISE_PHASES
        assert step.item_index is None and step.side is None
        assert not step.self_paced and not step.count_aloud


def test_without_the_getting_up_exercise_the_time_and_words_stay() -> None:
    """A library that lacks U1 (a sheet printed from a routine's own exercises)."""
    few = {i: EXERCISES[i] for i in ("P1", "C1")}
    bare = plan_of("P1", "C1", exercises=few)
    full = plan_of("P1", "C1")
    assert bare.total_seconds == full.total_seconds
    pairs = zip(getting_up(bare), getting_up(full), strict=True)
    for alone, with_helper in pairs:
        assert alone.exercise_id is None
        assert alone.instruction == with_helper.instruction
        assert alone.cue is not None
    assert "Getting up" in bare.format_timeline(detailed=False)


def test_the_timeline_and_json_show_the_getting_up() -> None:
    plan = plan_of("P1", "C1")
    lines = plan.format_timeline().splitlines()
    assert sum("getting up" in line for line in lines) == 2
    assert sum("Aufstehen" in line for line in plan.format_timeline("de").splitlines()) == 2
    blocks = plan.format_timeline(detailed=False).splitlines()
    assert blocks[2] == "    2:17  U1 Getting up from lying  (0:45)"
    assert blocks[-1].endswith("Well done. The session is finished.  (0:00)")
    steps = plan.to_json_dict()["steps"]
    up = [s for s in steps if s["exercise"] == GET_UP]
    assert [(s["phase"], s["seconds"], s["frame"]) for s in up] == [
        ("transition", 15, "start"),
        ("transition", 30, "end"),
    ]
    assert up[0]["cue"] == EXERCISES[GET_UP].cue.get("en")


def test_a_routine_ending_lying_has_its_getting_up_apart_from_the_end() -> None:
    blocks = plan_of("C1", "P1").format_timeline(detailed=False).splitlines()
    assert blocks[-2].endswith("U1 Getting up from lying  (0:45)")
    assert blocks[-1].endswith("Well done. The session is finished.  (0:00)")


# --- the library -----------------------------------------------------------------


def test_getting_up_is_in_the_library_but_not_offered_to_pick() -> None:
    helper = EXERCISES[GET_UP]
    assert LIBRARY.illustration(GET_UP, "start") is not None
    assert LIBRARY.illustration(GET_UP, "end") is not None
    assert helper.breathing is not None
    listed = {e.id for group in LIBRARY.by_category(include_extension=True).values() for e in group}
    assert GET_UP not in listed
    assert GET_UP not in {e.id for e in LIBRARY.search("getting up", include_extension=True)}
    assert GET_UP not in {e.id for e in LIBRARY.search("", include_extension=True)}
    assert "P1" in listed  # the filter is not emptying the lists


# --- the built-in routines -----------------------------------------------------------


def positions(r: Routine) -> list[Position]:
    """The known positions in order, repeats and unknowns dropped."""
    found: list[Position] = []
    for item in r.items:
        now = position_of(EXERCISES[item.exercise])
        if now is not None and (not found or found[-1] is not now):
            found.append(now)
    return found


def test_the_position_sequence_check_sees_a_floor_chair_floor_routine() -> None:
    assert positions(routine("P1", "S4", "S8")) == [Position.DOWN, Position.UP, Position.DOWN]


@pytest.mark.parametrize("routine_id", BUILT_IN)
def test_no_built_in_routine_goes_floor_then_up_then_floor_again(routine_id: str) -> None:
    seen = positions(LIBRARY.routines[routine_id])
    downs = [n for n, p in enumerate(seen) if p is Position.DOWN]
    # down at most once: an up between two downs means getting up and down again
    assert len(downs) <= 1, f"{routine_id}: {[p.value for p in seen]}"


@pytest.mark.parametrize("routine_id", BUILT_IN)
def test_built_in_routines_get_up_wherever_they_leave_the_floor(routine_id: str) -> None:
    r = LIBRARY.routines[routine_id]
    plan = AS_WRITTEN.plan_for(r, EXERCISES).plan
    assert plan is not None
    seen = positions(r)
    ups_after_down = sum(1 for a, b in pairwise(seen) if (a, b) == (Position.DOWN, Position.UP))
    ends_down = bool(seen) and seen[-1] is Position.DOWN
    assert len(getting_up(plan)) == 2 * (ups_after_down + ends_down)


def test_the_routines_ending_lying_end_with_getting_up() -> None:
    for routine_id in ("daily-relief", "strength"):
        plan = AS_WRITTEN.plan_for(LIBRARY.routines[routine_id], EXERCISES).plan
        assert plan is not None
        assert [s.getting_up for s in plan.steps[-3:]] == [True, True, False], routine_id


def test_daily_relief_keeps_the_belly_breathing_last_and_the_chair_first() -> None:
    ids = LIBRARY.routines["daily-relief"].exercise_ids()
    assert ids[0] == "S4" and ids[-1] == "R1"
    assert sorted(ids) == sorted(["P1", "S1", "S4", "S8", "T1", "R1"])  # CONTENT section 4


# --- standing still in the posture routine ------------------------------------------


def longest_standing_s(plan: Plan) -> float:
    """The longest planned time standing still before a relief.

    Steps of a standing item count, and so do the rest and the get-ready before
    a relief lean (the person is still standing then); the lean itself, a
    flexion break, sitting, lying and getting up end the stretch.
    """
    longest = run = 0.0
    for step in plan.steps:
        ex = EXERCISES.get(step.exercise_id or "")
        standing = ex is not None and not step.getting_up and Tag.STANDING in ex.tags
        leaning = ex is not None and ex.id == RELIEF
        getting_ready = step.phase in (Phase.TRANSITION, Phase.GET_READY)
        if step.phase is Phase.FLEXION_BREAK or not standing or (leaning and not getting_ready):
            run = 0.0
            continue
        run += step.seconds
        longest = max(longest, run)
    return longest


def test_the_standing_check_fails_the_old_posture_routine() -> None:
    # as written before issue 14: P2, P3 and P4 one after the other, the lean last
    old = plan_of("P2", "P3", "P4", "S9")
    assert longest_standing_s(old) > STANDING_LIMIT_S


def test_posture_routine_leans_on_a_support_before_5_minutes_of_standing() -> None:
    r = LIBRARY.routines["posture-daily"]
    plan = AS_WRITTEN.plan_for(r, EXERCISES).plan
    assert plan is not None
    assert longest_standing_s(plan) <= STANDING_LIMIT_S
    assert RELIEF in r.exercise_ids()
    # still the posture routine of CONTENT section 4: P2, P4 and S9, plus the wall tilt
    assert {"P2", "P3", "P4", "S9"} == set(r.exercise_ids())


def test_a_person_dizzy_on_standing_sits_a_full_minute_before_standing() -> None:
    from coach.core.session.personal import SIT_BEFORE_STANDING_DIZZY_S, PersonalInputs
    from coach.core.session.profile import HealthProfile

    routine = LIBRARY.routines["daily-relief"]

    def sits(profile: HealthProfile) -> list[float]:
        personal = PersonalInputs(profile=profile).plan_for(routine, LIBRARY.exercises)
        assert personal.plan is not None
        steps = [s for s in personal.plan.steps if s.getting_up]
        return [s.seconds for s in steps if "Sit" in s.instruction.get("en")]

    assert sits(HealthProfile(completed=True)) == [30.0]
    dizzy = HealthProfile(completed=True, dizziness_on_standing=True)
    assert sits(dizzy) == [SIT_BEFORE_STANDING_DIZZY_S] == [60.0]
