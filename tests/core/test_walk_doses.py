"""Walking doses a physiotherapist prescribes, read from real files and played as planned.

(a) Whitman's flexion programme: a level treadmill walk of up to 45 minutes,
stopping at the first symptoms. (b) The boot-camp home programme: 4 stages of
6 minutes each, fixed, with 2-minute seated flexion breaks. Both through the
routine file format, the plan and the session runner on a fake clock.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from coach.core.clinic.handover import yaml_text
from coach.core.content.files import load_document
from coach.core.content.library import Library
from coach.core.content.model import Routine, Walk, WalkKind
from coach.core.content.wording import dose_text, walk_text
from coach.core.session.plan import Phase, Plan, build_plan
from coach.core.session.runner import (
    Outcome,
    SessionFinished,
    SessionRunner,
    State,
    StepFinished,
    StepStarted,
    SymptomsMarked,
)

REPO = Path(__file__).resolve().parents[2]

TREADMILL_45: dict[str, Any] = {
    "kind": "treadmill_level",
    "bouts": 1,
    "bout_s": 2700,
    "from_walking_test": None,
    "max_s": 2700,
    "stop_at_first_symptoms": True,
}
BOOT_CAMP: dict[str, Any] = {
    "bouts": 4,
    "bout_s": 360,
    "from_walking_test": None,
    "break_s": 120,
    "break_exercise": "C2",
}


@pytest.fixture(scope="module")
def library() -> Library:
    from coach.core.common.paths import resolve

    return Library.load(resolve(REPO / ".no-data-here"))


def routine_file(tmp_path: Path, walk: dict[str, Any], exercise: str = "A3") -> Path:
    """A routine file as a clinician's editor would write it."""
    routine = Routine.from_data(
        {
            "id": "walk-test",
            "title": {"en": "Walk"},
            "description": {"en": "A walk."},
            "items": [{"exercise": exercise, "walk": walk}],
        }
    )
    path = tmp_path / "walk-test.yaml"
    path.write_text(yaml_text(routine), encoding="utf-8")
    return path


def read(path: Path) -> Routine:
    routine = load_document(path).document
    assert isinstance(routine, Routine)
    return routine


def walking(plan: Plan) -> list[tuple[Phase, float, str | None]]:
    return [
        (s.phase, s.seconds, s.exercise_id)
        for s in plan.steps
        if s.phase in (Phase.WALK, Phase.FLEXION_BREAK)
    ]


# --- the file format --------------------------------------------------------------


def test_the_new_walk_fields_go_through_a_file_and_back(tmp_path: Path) -> None:
    path = routine_file(tmp_path, TREADMILL_45)
    text = path.read_text(encoding="utf-8")
    assert "kind: treadmill_level" in text and "stop_at_first_symptoms: true" in text
    walk = read(path).items[0].walk
    assert isinstance(walk, Walk)
    assert walk.kind is WalkKind.TREADMILL_LEVEL
    assert (walk.bouts, walk.bout_s, walk.max_s) == (1, 2700, 2700)
    assert walk.from_walking_test is None
    assert walk.stop_at_first_symptoms
    # Written again, it reads the same: nothing is lost or added on the way.
    again = tmp_path / "again.yaml"
    again.write_text(yaml_text(read(path)), encoding="utf-8")
    assert again.read_text(encoding="utf-8") == text


def test_an_old_walking_routine_reads_as_it_always_played() -> None:
    routine = read(REPO / "routines" / "walking.yaml")
    walk = routine.items[2].walk
    assert walk is not None
    assert walk.kind is WalkKind.OUTDOOR
    assert walk.max_s is None and not walk.stop_at_first_symptoms
    assert walk.from_walking_test == 0.8 and walk.break_exercise == "S9"


@pytest.mark.parametrize(
    ("field", "value"),
    [("kind", "downhill"), ("max_s", 0), ("max_s", 3 * 60 * 60), ("stop_at_first_symptoms", 2)],
)
def test_a_wrong_walk_field_is_refused(field: str, value: Any) -> None:
    from coach.core.content.records import Invalid

    with pytest.raises(Invalid):
        Walk.from_data({field: value})


# --- the plan -----------------------------------------------------------------------


def test_a_treadmill_walk_up_to_45_minutes_is_one_walk_that_ends_at_symptoms(
    tmp_path: Path, library: Library
) -> None:
    routine = read(routine_file(tmp_path, TREADMILL_45))
    for test_s in (None, 600.0, 4000.0):  # a fixed walk: the walking test changes nothing
        plan = build_plan(routine, library.exercises, walking_test_s=test_s)
        assert walking(plan) == [(Phase.WALK, 2700.0, "A3")]
    walk = next(s for s in plan.steps if s.phase is Phase.WALK)
    assert walk.ends_at_symptoms
    assert "treadmill" in walk.instruction.get("en") and "rails" in walk.instruction.get("en")
    assert "Laufband" in walk.instruction.get("de")
    assert "“Symptoms started”" in walk.instruction.get("en")
    ready = next(s for s in plan.steps if s.phase is Phase.GET_READY)
    assert "safety clip" in ready.instruction.get("en")
    assert "slowest speed" in ready.instruction.get("en")


def test_four_fixed_stages_of_six_minutes_with_seated_breaks(
    tmp_path: Path, library: Library
) -> None:
    routine = read(routine_file(tmp_path, BOOT_CAMP))
    plan = build_plan(routine, library.exercises, walking_test_s=900.0)
    walk, rest = (Phase.WALK, 360.0, "A3"), (Phase.FLEXION_BREAK, 120.0, "C2")
    assert walking(plan) == [walk, rest, walk, rest, walk, rest, walk]
    breaks = [s for s in plan.steps if s.phase is Phase.FLEXION_BREAK]
    assert all("Sit down" in s.instruction.get("en") for s in breaks)
    assert not any(s.ends_at_symptoms for s in plan.steps)


def test_a_standing_break_leans_on_a_support_and_a_treadmill_break_steps_off_first(
    tmp_path: Path, library: Library
) -> None:
    walk = BOOT_CAMP | {"break_exercise": "S9", "kind": "treadmill_uphill"}
    plan = build_plan(read(routine_file(tmp_path, walk)), library.exercises)
    rest = next(s for s in plan.steps if s.phase is Phase.FLEXION_BREAK)
    assert rest.exercise_id == "S9"
    words = rest.instruction.get("en")
    assert words.index("step off") < words.index("Lean forward")


def test_the_longest_walk_caps_a_stage_from_the_walking_test(
    tmp_path: Path, library: Library
) -> None:
    walk = {"bouts": 2, "bout_s": 300, "from_walking_test": 1.2, "max_s": 1200}
    routine = read(routine_file(tmp_path, walk))
    long_test = build_plan(routine, library.exercises, walking_test_s=1800.0)
    assert [s for _p, s, _e in walking(long_test) if _p is Phase.WALK] == [1200.0, 1200.0]
    short_test = build_plan(routine, library.exercises, walking_test_s=500.0)
    assert [s for _p, s, _e in walking(short_test) if _p is Phase.WALK] == [600.0, 600.0]


def test_a_timed_treadmill_walk_is_played_as_a_walk(tmp_path: Path, library: Library) -> None:
    # An item as files wrote it before walk doses: the uphill treadmill timed in seconds.
    routine = Routine.from_data(
        {
            "id": "a2",
            "title": {"en": "Treadmill"},
            "description": {"en": "Uphill."},
            "items": [{"exercise": "A2", "duration_s": 900}],
        }
    )
    plan = build_plan(routine, library.exercises)
    assert walking(plan) == [(Phase.WALK, 900.0, "A2")]
    walk = next(s for s in plan.steps if s.phase is Phase.WALK)
    assert walk.ends_at_symptoms  # its own steps: stop at the first mild symptoms
    assert "slope" in walk.instruction.get("en")
    assert not any(s.phase is Phase.TIMED for s in plan.steps)


# --- the session ---------------------------------------------------------------------


class Clock:
    def __init__(self) -> None:
        self.now = 500.0

    def __call__(self) -> float:
        return self.now


def walk_on(runner: SessionRunner, clock: Clock, seconds: float) -> None:
    """Let ``seconds`` pass, waking up as the player does: one jump would look like a suspend."""
    until = clock.now + seconds
    while (deadline := runner.next_deadline()) is not None and deadline < until:
        clock.now = deadline
        runner.update()
    clock.now = until


def walk_started(plan: Plan) -> tuple[SessionRunner, Clock, int]:
    """A runner on the plan, moved to the start of its first walk."""
    clock = Clock()
    runner = SessionRunner(plan, clock)
    runner.start()
    first = next(i for i, s in enumerate(plan.steps) if s.phase is Phase.WALK)
    while runner.current_step.index < first:
        # Wake-up by wake-up, as the player does: one jump would look like a suspend.
        deadline = runner.next_deadline()
        assert deadline is not None
        clock.now = deadline
        runner.update()
    assert runner.current_step.index == first
    assert clock.now == 500.0 + plan.offsets[first]
    return runner, clock, first


def test_the_symptoms_mark_ends_a_walk_up_to_45_minutes(tmp_path: Path, library: Library) -> None:
    plan = build_plan(read(routine_file(tmp_path, TREADMILL_45)), library.exercises)
    runner, clock, walk = walk_started(plan)
    walk_on(runner, clock, 13 * 60 + 20)
    events = runner.mark_symptoms()
    assert [type(e) for e in events] == [SymptomsMarked, StepFinished, StepStarted, SessionFinished]
    marked, finished, started, _end = events
    assert isinstance(marked, SymptomsMarked) and marked.ends_bout
    assert marked.seconds_into_bout == pytest.approx(800)
    assert isinstance(finished, StepFinished)
    assert finished.result.symptoms_at_s == pytest.approx(800)
    assert finished.result.done_seconds == pytest.approx(800)
    assert finished.result.outcome is Outcome.COMPLETED
    assert isinstance(started, StepStarted) and started.step.index == walk + 1
    # The walk was the routine's last step: the session ends at the mark, not 45 minutes in.
    assert runner.state is State.FINISHED
    assert runner.elapsed_active() == pytest.approx(plan.offsets[walk] + 800)
    assert runner.mark_symptoms() == []


def test_the_symptoms_mark_ends_a_stage_and_the_break_begins(
    tmp_path: Path, library: Library
) -> None:
    walk = BOOT_CAMP | {"stop_at_first_symptoms": True}
    plan = build_plan(read(routine_file(tmp_path, walk)), library.exercises)
    runner, clock, first = walk_started(plan)
    walk_on(runner, clock, 250)
    events = runner.mark_symptoms()
    assert runner.current_step.phase is Phase.FLEXION_BREAK
    assert runner.current_step.index == first + 1
    assert isinstance(events[1], StepFinished) and events[1].result.symptoms_at_s == 250
    # The next stage counts its own first symptoms again.
    assert runner.elapsed_in_step() == 0  # the break begins at the mark
    walk_on(runner, clock, 120)
    runner.update()
    assert runner.state is State.WAITING_TO_SETTLE
    runner.settled()
    assert runner.current_step.phase is Phase.WALK
    walk_on(runner, clock, 90)
    assert [type(e) for e in runner.mark_symptoms()][:2] == [SymptomsMarked, StepFinished]
    symptoms = [r.symptoms_at_s for r in runner.results if r.step.phase is Phase.WALK]
    assert symptoms == [250, 90]


def test_without_stop_at_first_symptoms_the_mark_only_notes_the_time(
    tmp_path: Path, library: Library
) -> None:
    plan = build_plan(read(routine_file(tmp_path, BOOT_CAMP)), library.exercises)
    runner, clock, first = walk_started(plan)
    walk_on(runner, clock, 100)
    events = runner.mark_symptoms()
    assert [type(e) for e in events] == [SymptomsMarked]
    assert runner.current_step.index == first
    finished: list[StepFinished] = []
    while not finished:
        deadline = runner.next_deadline()
        assert deadline is not None
        clock.now = deadline
        finished = [e for e in runner.update() if isinstance(e, StepFinished)]
    assert finished[0].result.symptoms_at_s == 100
    assert finished[0].result.done_seconds == 360


def test_a_mark_while_paused_ends_the_walk_and_the_session_stays_paused(
    tmp_path: Path, library: Library
) -> None:
    walk = BOOT_CAMP | {"stop_at_first_symptoms": True}
    plan = build_plan(read(routine_file(tmp_path, walk)), library.exercises)
    runner, clock, first = walk_started(plan)
    walk_on(runner, clock, 60)
    runner.pause()
    clock.now += 30  # paused time is not walking time
    runner.mark_symptoms()
    assert runner.state is State.PAUSED
    assert runner.current_step.index == first + 1
    assert runner.results[-1].symptoms_at_s == 60
    runner.resume()
    assert runner.elapsed_in_step() == 0  # the break had not begun while paused


def test_a_timed_treadmill_walk_records_time_to_first_symptoms(library: Library) -> None:
    routine = Routine.from_data(
        {
            "id": "a2",
            "title": {"en": "Treadmill"},
            "description": {"en": "Uphill."},
            "items": [{"exercise": "A2", "duration_s": 900}],
        }
    )
    runner, clock, _walk = walk_started(build_plan(routine, library.exercises))
    walk_on(runner, clock, 420)
    runner.mark_symptoms()
    assert [r.symptoms_at_s for r in runner.results if r.step.phase is Phase.WALK] == [420]


# --- the words ------------------------------------------------------------------------


def test_the_walk_in_words() -> None:
    treadmill = Walk.from_data(TREADMILL_45)
    assert walk_text(treadmill) == (
        "1 walk, on a treadmill with no slope, up to 45 minutes, ending at the first symptoms"
    )
    assert walk_text(treadmill, "de") == (
        "1 Gehphase, auf dem Laufband ohne Steigung, bis zu 45 Minuten, "
        "Ende bei den ersten Beschwerden"
    )
    boot_camp = Walk.from_data(BOOT_CAMP)
    assert walk_text(boot_camp) == (
        "4 walks with rests in between, 6 minutes, rest sitting, leaning forward"
    )
    assert walk_text(Walk(bouts=3, max_s=1200)) == (
        "3 walks with rests in between, 80 % of the time to first symptoms, at most "
        "20 minutes, rest leaning forward on a support"
    )
    from coach.core.content.model import Dosage

    assert dose_text(Dosage(walk=treadmill)) == (
        "1 walk, on a treadmill with no slope, ending at the first symptoms"
    )
