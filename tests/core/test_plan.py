"""build_plan: how a routine expands into timed steps, and the plan's outputs."""

from __future__ import annotations

from typing import Any

import pytest

from coach.core.content.model import Exercise, Routine, Side
from coach.core.session.plan import (
    SELF_PACED_REP_S,
    Frame,
    Phase,
    Plan,
    PlanError,
    bout_seconds,
    build_plan,
    format_clock,
)


def exercise(ex_id: str, **dosage: Any) -> Exercise:
    data: dict[str, Any] = {
        "id": ex_id,
        "category": "posture",
        "title": {"en": f"Title {ex_id}", "de": f"Titel {ex_id}"},
        "start_position": {"en": "Lie on your back."},
        "steps": [{"en": "One."}, {"en": "Two."}, {"en": "Three."}],
        "dosage": dosage,
        "cue": {"en": f"Cue {ex_id}", "de": f"Hinweis {ex_id}"},
        "illustrations": {"start": "a.svg", "end": "b.svg"},
    }
    if dosage.get("hold_s"):
        data["breathing"] = {"en": "Keep breathing."}
    return Exercise.from_data(data)


def routine(*items: dict[str, Any]) -> Routine:
    return Routine.from_data(
        {
            "id": "test-routine",
            "title": {"en": "Test", "de": "Test DE"},
            "description": {"en": "For tests."},
            "items": list(items),
        }
    )


def plan_of(ex: Exercise, **kwargs: Any) -> Plan:
    return build_plan(routine({"exercise": ex.id}), {ex.id: ex}, **kwargs)


def shape(plan: Plan) -> list[tuple[str, float]]:
    return [(s.phase.value, s.seconds) for s in plan.steps]


REP = dict(tempo={"out_s": 2, "back_s": 3}, hold_s=5, relax_s=4, rest_s=30)


def test_reps_expand_into_move_hold_back_with_relax_between_reps_only() -> None:
    plan = plan_of(exercise("P1", reps=3, **REP))
    assert shape(plan) == [
        ("get_ready", 20),
        ("move", 2), ("hold", 5), ("back", 3), ("relax", 4),
        ("move", 2), ("hold", 5), ("back", 3), ("relax", 4),
        ("move", 2), ("hold", 5), ("back", 3),
        ("done", 0),
    ]  # fmt: skip
    assert plan.total_seconds == 20 + 3 * 10 + 2 * 4 == 58
    assert [s.index for s in plan.steps] == list(range(13))
    assert [s.rep_no for s in plan.steps[1:4]] == [1, 1, 1]
    assert plan.steps[5].rep_no == 2 and plan.steps[5].reps == 3
    assert plan.steps[4].rep_no == 1  # a relax belongs to the rep just done
    assert all(s.side is None for s in plan.steps)


def test_count_aloud_frames_and_cue() -> None:
    plan = plan_of(exercise("P1", reps=1, **REP))
    move, hold, back = plan.steps[1:4]
    assert (move.count_aloud, hold.count_aloud, back.count_aloud) == (True, False, True)
    assert (move.frame, hold.frame, back.frame) == (Frame.END, Frame.END, Frame.START)
    assert plan.steps[0].frame is Frame.START
    assert move.cue is not None and move.cue.get("de") == "Hinweis P1"
    assert hold.instruction.get("en") == "Hold, and keep breathing"
    assert hold.instruction.get("de") == "Halten und ruhig weiteratmen"
    assert move.exercise_id == "P1" and move.item_index == 0


def test_sets_have_rest_between_them_not_after_the_last() -> None:
    plan = plan_of(exercise("T3", sets=2, reps=2, tempo={"out_s": 1, "back_s": 1}, relax_s=2))
    assert shape(plan) == [
        ("get_ready", 20),
        ("move", 1), ("back", 1), ("relax", 2), ("move", 1), ("back", 1),
        ("rest", 30),
        ("move", 1), ("back", 1), ("relax", 2), ("move", 1), ("back", 1),
        ("done", 0),
    ]  # fmt: skip
    rest = plan.steps[6]
    assert (rest.set_no, rest.sets) == (1, 2)
    assert [s.set_no for s in plan.steps[7:12]] == [2] * 5


def test_zero_hold_relax_and_rest_leave_no_empty_steps() -> None:
    plan = plan_of(
        exercise("X", sets=2, reps=2, tempo={"out_s": 1, "back_s": 1}, relax_s=0, rest_s=0)
    )
    assert [p for p, _ in shape(plan)] == [
        "get_ready", "move", "back", "move", "back", "move", "back", "move", "back", "done",
    ]  # fmt: skip


def test_both_sides_do_all_sets_right_then_switch_then_left() -> None:
    plan = plan_of(
        exercise("S6", side="both", sets=2, reps=1, tempo={"out_s": 1, "back_s": 1}, rest_s=10)
    )
    assert [(s.phase.value, s.side, s.set_no) for s in plan.steps] == [
        ("get_ready", Side.RIGHT, None),
        ("move", Side.RIGHT, 1), ("back", Side.RIGHT, 1),
        ("rest", Side.RIGHT, 1),
        ("move", Side.RIGHT, 2), ("back", Side.RIGHT, 2),
        ("switch_side", Side.LEFT, None),
        ("move", Side.LEFT, 1), ("back", Side.LEFT, 1),
        ("rest", Side.LEFT, 1),
        ("move", Side.LEFT, 2), ("back", Side.LEFT, 2),
        ("done", None, None),
    ]  # fmt: skip
    switch = plan.steps[6]
    assert switch.seconds == 5
    assert switch.instruction.get("en") == "Switch to your left side"
    assert switch.instruction.get("de") == "Wechseln Sie zur linken Seite"
    assert plan.steps[1].instruction.get("en") == "Right side: Move slowly"
    assert plan.total_seconds == 20 + 4 * 2 + 2 * 10 + 5


def test_alternate_sides_take_turns_within_a_set_and_reps_count_per_side() -> None:
    plan = plan_of(
        exercise(
            "C3", side="alternate", sets=2, reps=2, tempo={"out_s": 1, "back_s": 1},
            relax_s=1, rest_s=20,
        )
    )  # fmt: skip
    moves = [s for s in plan.steps if s.phase is Phase.MOVE]
    assert [(s.set_no, s.rep_no, s.reps, s.side) for s in moves] == [
        (1, 1, 2, Side.RIGHT), (1, 1, 2, Side.LEFT), (1, 2, 2, Side.RIGHT), (1, 2, 2, Side.LEFT),
        (2, 1, 2, Side.RIGHT), (2, 1, 2, Side.LEFT), (2, 2, 2, Side.RIGHT), (2, 2, 2, Side.LEFT),
    ]  # fmt: skip
    assert Phase.SWITCH_SIDE not in {s.phase for s in plan.steps}
    relaxes = [(s.rep_no, s.side) for s in plan.steps if s.phase is Phase.RELAX]
    assert relaxes[:3] == [(1, Side.RIGHT), (1, Side.LEFT), (2, Side.RIGHT)]
    assert [s.phase for s in plan.steps].count(Phase.REST) == 1
    assert plan.total_seconds == 20 + 2 * (4 * 2 + 3 * 1) + 20


def test_self_paced_reps_are_one_move_each_with_an_estimate() -> None:
    for dosage in ({"tempo": None}, {"self_paced": True}):
        plan = plan_of(exercise("S1", reps=2, hold_s=20, relax_s=5, **dosage))
        assert shape(plan) == [
            ("get_ready", 20),
            ("move", SELF_PACED_REP_S + 20), ("relax", 5), ("move", SELF_PACED_REP_S + 20),
            ("done", 0),
        ]  # fmt: skip
        move = plan.steps[1]
        assert move.self_paced and not move.count_aloud
        assert move.frame is Frame.ANIMATE
        assert plan.total_seconds == 20 + 2 * 24 + 5


def test_timed_item_is_one_step_and_split_by_side_when_both() -> None:
    plan = plan_of(exercise("A1", duration_s=600))
    assert shape(plan) == [("get_ready", 20), ("timed", 600), ("done", 0)]
    assert plan.steps[1].frame is Frame.ANIMATE
    sided = plan_of(exercise("B3", duration_s=20, side="both"))
    assert [(s.phase.value, s.seconds, s.side) for s in sided.steps] == [
        ("get_ready", 20, Side.RIGHT),
        ("timed", 20, Side.RIGHT),
        ("switch_side", 5, Side.LEFT),
        ("timed", 20, Side.LEFT),
        ("done", 0, None),
    ]


def test_timed_item_with_sets_rests_between_them() -> None:
    plan = plan_of(exercise("B1", duration_s=30, sets=3, rest_s=15))
    assert shape(plan) == [
        ("get_ready", 20), ("timed", 30), ("rest", 15), ("timed", 30), ("rest", 15),
        ("timed", 30), ("done", 0),
    ]  # fmt: skip


def walk_exercises(**walk: Any) -> dict[str, Exercise]:
    return {
        "A3": exercise("A3", tempo=None, walk={"bouts": 3, "bout_s": 300, "break_s": 90, **walk}),
        "S9": exercise("S9", duration_s=30),
    }


def test_walk_bouts_with_flexion_breaks_showing_the_break_exercise() -> None:
    exercises = walk_exercises()
    plan = build_plan(routine({"exercise": "A3"}), exercises)
    assert [(s.phase.value, s.seconds, s.exercise_id, s.rep_no) for s in plan.steps] == [
        ("get_ready", 20, "A3", None),
        ("walk", 300, "A3", 1),
        ("flexion_break", 90, "S9", 1),
        ("walk", 300, "A3", 2),
        ("flexion_break", 90, "S9", 2),
        ("walk", 300, "A3", 3),
        ("done", 0, None, None),
    ]
    brk = plan.steps[2]
    assert brk.cue is not None and brk.cue.get("en") == "Cue S9"
    assert brk.item_index == 0 and brk.frame is Frame.END
    assert plan.steps[1].instruction.get("en") == "Walk at a comfortable pace"
    assert plan.total_seconds == 20 + 900 + 180


def test_walk_bouts_follow_the_walking_test_in_whole_seconds() -> None:
    exercises = walk_exercises(from_walking_test=0.8)
    plan = build_plan(routine({"exercise": "A3"}), exercises, walking_test_s=412)
    walks = [s.seconds for s in plan.steps if s.phase is Phase.WALK]
    assert walks == [330.0, 330.0, 330.0]  # 0.8 x 412 = 329.6
    # Without a walking test the fixed bout length applies.
    fixed = build_plan(routine({"exercise": "A3"}), exercises)
    assert [s.seconds for s in fixed.steps if s.phase is Phase.WALK] == [300.0] * 3


def test_bout_seconds_rounding_and_opt_out() -> None:
    walk = walk_exercises(from_walking_test=0.5)["A3"].dosage.walk
    assert walk is not None
    assert bout_seconds(walk, 201) == 101  # 100.5 rounds half up
    assert bout_seconds(walk, 1) == 1  # never a zero-length bout
    no_test = walk_exercises(from_walking_test=None)["A3"].dosage.walk
    assert no_test is not None
    assert bout_seconds(no_test, 600) == 300


def test_exercises_are_joined_by_transition_and_get_ready() -> None:
    p1 = exercise("P1", reps=1, tempo={"out_s": 2, "back_s": 2})
    c1 = exercise("C1", reps=1, tempo={"out_s": 1, "back_s": 1})
    plan = build_plan(
        routine({"exercise": "P1"}, {"exercise": "C1"}), {"P1": p1, "C1": c1}, get_ready_s=8
    )
    assert [(s.phase.value, s.seconds, s.exercise_id, s.item_index) for s in plan.steps] == [
        ("get_ready", 16, "P1", 0),
        ("move", 2, "P1", 0),
        ("back", 2, "P1", 0),
        ("transition", 15, "C1", 1),
        ("get_ready", 8, "C1", 1),
        ("move", 1, "C1", 1),
        ("back", 1, "C1", 1),
        ("done", 0, None, None),
    ]
    assert plan.steps[3].instruction.get("de") == "Pause. Als Nächstes: Titel C1"
    assert plan.steps[-1].cue is None
    assert plan.offsets == (0, 16, 18, 20, 35, 43, 44, 45, 45)
    assert plan.total_seconds == 45


def test_first_get_ready_length_is_adjustable() -> None:
    plan = plan_of(exercise("P1", reps=1), get_ready_s=10, first_get_ready_s=30)
    assert plan.steps[0].seconds == 30
    assert plan_of(exercise("P1", reps=1), get_ready_s=0).steps[0].phase is Phase.MOVE


def test_routine_item_overrides_the_exercise_dose() -> None:
    ex = exercise("P1", reps=10, **REP)
    plan = build_plan(routine({"exercise": "P1", "reps": 2, "hold_s": 0}), {"P1": ex})
    assert [p for p, _ in shape(plan)] == [
        "get_ready", "move", "back", "relax", "move", "back", "done",
    ]  # fmt: skip


def test_unknown_exercises_are_reported_by_name() -> None:
    with pytest.raises(PlanError, match="item 2: unknown exercise 'Z9'"):
        build_plan(routine({"exercise": "P1"}, {"exercise": "Z9"}), {"P1": exercise("P1", reps=1)})
    with pytest.raises(PlanError, match="'S9'"):
        build_plan(routine({"exercise": "A3"}), {"A3": walk_exercises()["A3"]})
    with pytest.raises(ValueError, match="walking_test_s"):
        build_plan(routine({"exercise": "A3"}), walk_exercises(), walking_test_s=0)


def test_json_contract() -> None:
    plan = plan_of(exercise("P1", reps=1, tempo={"out_s": 2.5, "back_s": 2}))
    data = plan.to_json_dict("de")
    assert data["routine"] == "test-routine"
    assert data["total_seconds"] == 24.5
    assert [(s["exercise"], s["phase"], s["seconds"], s["cue"]) for s in data["steps"]] == [
        ("P1", "get_ready", 20, "Hinweis P1"),
        ("P1", "move", 2.5, "Hinweis P1"),
        ("P1", "back", 2, "Hinweis P1"),
        (None, "done", 0, None),
    ]
    assert isinstance(data["steps"][0]["seconds"], int)
    assert data["steps"][1]["count_aloud"] is True


def test_timeline_lists_every_step_with_its_start() -> None:
    plan = plan_of(exercise("P1", reps=2, **REP))
    text = plan.format_timeline("en")
    lines = text.splitlines()
    assert lines[0] == "Test (test-routine) — 0:44 in total, 9 steps"
    assert len(lines) == 10
    assert lines[2].split()[:4] == ["0:20", "move", "2", "s"]
    assert "rep 1/2" in lines[2]
    assert lines[-1].split()[0] == "0:44"
    summary = plan.format_timeline("de", detailed=False).splitlines()
    assert summary[0].startswith("Test DE (test-routine) — 0:44 insgesamt")
    assert summary[1].split() == ["0:00", "P1", "Titel", "P1", "(0:44)"]


def test_format_clock() -> None:
    assert format_clock(0) == "0:00"
    assert format_clock(59.2) == "1:00"  # rounded up, like a countdown
    assert format_clock(754) == "12:34"
    assert format_clock(3723) == "1:02:03"
