"""SessionRunner driven by a fake clock: deadlines, commands, stalls and suspends."""

from __future__ import annotations

from typing import Any

import pytest

from coach.core.content.model import Exercise, Routine, Text
from coach.core.session.plan import Phase, Plan, Step, build_plan
from coach.core.session.runner import (
    Event,
    Outcome,
    Paused,
    Resumed,
    SessionFinished,
    SessionRunner,
    SessionStopped,
    State,
    StepFinished,
    StepStarted,
    SymptomsMarked,
)

T0 = 1000.0


class FakeClock:
    def __init__(self, now: float = T0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def make_plan(*steps: tuple[Phase, float] | tuple[Phase, float, bool]) -> Plan:
    """A plan straight from (phase, seconds[, self_paced]); a done step is added."""
    built = [
        Step(
            index=i,
            phase=spec[0],
            seconds=spec[1],
            exercise_id="X",
            item_index=0,
            instruction=Text.of(spec[0].value),
            self_paced=len(spec) > 2 and bool(spec[2]),
        )
        for i, spec in enumerate(steps)
    ]
    done = Step(len(built), Phase.DONE, 0, None, None, Text.of("done"))
    return Plan("r", Text.of("R"), (*built, done))


def runner_for(plan: Plan, **kwargs: Any) -> tuple[SessionRunner, FakeClock]:
    clock = FakeClock()
    return SessionRunner(plan, clock, **kwargs), clock


def state_of(runner: SessionRunner) -> State:
    # A call, so that mypy does not keep a narrowed state across commands.
    return runner.state


def kinds(events: list[Event]) -> list[tuple[str, int | None]]:
    """Events as (kind, step index) for compact assertions."""
    out: list[tuple[str, int | None]] = []
    for e in events:
        if isinstance(e, StepStarted):
            out.append(("started", e.step.index))
        elif isinstance(e, StepFinished):
            out.append(("finished", e.step.index))
        elif isinstance(e, Paused):
            out.append(("paused", e.step.index))
        elif isinstance(e, Resumed):
            out.append(("resumed", e.step.index))
        elif isinstance(e, SymptomsMarked):
            out.append(("symptoms", e.step.index))
        elif isinstance(e, SessionFinished):
            out.append(("session_finished", None))
        elif isinstance(e, SessionStopped):
            out.append(("session_stopped", None))
    return out


THREE = make_plan((Phase.MOVE, 3), (Phase.HOLD, 2.5), (Phase.BACK, 4))  # total 9.5


def run_to_end(runner: SessionRunner, clock: FakeClock) -> list[Event]:
    """Wake exactly when the runner asks, as the GUI's precise timer would.

    A walking break that asks whether the symptoms settled is answered "better" at once.
    """
    events: list[Event] = []
    for _ in range(10_000):
        if runner.asking_settled:
            events += runner.settled()
        deadline = runner.next_deadline()
        if deadline is None:
            return events
        clock.now = max(clock.now, deadline)
        events += runner.update()
    raise AssertionError("the session never ended")


def run_until(runner: SessionRunner, clock: FakeClock, when: float) -> list[Event]:
    """Wake at every deadline up to ``when`` (a long walk without a suspend)."""
    events: list[Event] = []
    while (deadline := runner.next_deadline()) is not None and deadline <= when:
        clock.now = max(clock.now, deadline)
        events += runner.update()
    clock.now = when
    return events + runner.update()


def test_ready_state_before_start() -> None:
    runner, _ = runner_for(THREE)
    assert state_of(runner) is State.READY
    assert runner.next_deadline() is None
    assert runner.remaining_total() == 9.5
    assert runner.progress == 0.0
    assert runner.update() == []
    assert runner.tap() == [] and runner.pause() == [] and runner.resume() == []


def test_start_runs_the_first_step() -> None:
    runner, _ = runner_for(THREE)
    events = runner.start()
    assert kinds(events) == [("started", 0)]
    assert state_of(runner) is State.RUNNING
    assert runner.current_step.index == 0
    assert runner.remaining_in_step() == 3
    assert runner.start() == []  # a second start does nothing


def test_deadlines_tick_whole_seconds_towards_the_step_end() -> None:
    runner, clock = runner_for(THREE)
    runner.start()
    assert runner.next_deadline() == T0 + 1
    clock.advance(0.3)
    assert runner.next_deadline() == T0 + 1
    clock.now = T0 + 3
    assert kinds(runner.update()) == [("finished", 0), ("started", 1)]
    # A 2.5 s step counts 3, 2, 1: the first tick comes after half a second.
    assert runner.next_deadline() == T0 + 3.5
    clock.now = T0 + 3.5
    assert runner.update() == []
    assert runner.remaining_in_step() == 2
    assert runner.next_deadline() == T0 + 4.5
    clock.now = T0 + 5.2
    assert runner.next_deadline() == T0 + 5.5  # the step boundary itself


def test_session_ends_exactly_at_start_plus_total() -> None:
    runner, clock = runner_for(THREE)
    runner.start()
    clock.now = T0 + 9.5 - 0.001
    runner.update()
    assert state_of(runner) is State.RUNNING
    assert runner.current_step.index == 2
    clock.now = T0 + 9.5
    events = runner.update()
    assert kinds(events) == [("finished", 2), ("started", 3), ("session_finished", None)]
    assert state_of(runner) is State.FINISHED
    assert runner.current_step.phase is Phase.DONE
    assert runner.elapsed_active() == 9.5
    assert runner.progress == 1.0
    assert runner.remaining_total() == 0
    assert runner.next_deadline() is None
    finished = events[-1]
    assert isinstance(finished, SessionFinished)
    assert [(r.step.index, r.done_seconds, r.outcome) for r in finished.results] == [
        (0, 3, Outcome.COMPLETED),
        (1, 2.5, Outcome.COMPLETED),
        (2, 4, Outcome.COMPLETED),
    ]


def test_waking_at_each_deadline_finishes_on_time_and_reports_every_step() -> None:
    runner, clock = runner_for(THREE)
    runner.start()
    events = run_to_end(runner, clock)
    assert clock.now == T0 + 9.5
    assert kinds(events) == [
        ("finished", 0), ("started", 1), ("finished", 1), ("started", 2),
        ("finished", 2), ("started", 3), ("session_finished", None),
    ]  # fmt: skip


def test_pause_and_resume_shift_every_deadline_by_the_paused_time() -> None:
    runner, clock = runner_for(THREE)
    runner.start()
    clock.advance(1)
    assert kinds(runner.pause()) == [("paused", 0)]
    assert state_of(runner) is State.PAUSED
    assert runner.next_deadline() is None
    clock.advance(7)
    assert runner.update() == []  # nothing moves while paused
    assert runner.remaining_in_step() == 2
    assert runner.total_paused == 7
    assert runner.pause() == []  # already paused
    events = runner.resume()
    assert len(events) == 1 and isinstance(events[0], Resumed) and events[0].paused_s == 7
    assert state_of(runner) is State.RUNNING
    assert runner.resume() == []
    assert runner.next_deadline() == T0 + 2 + 7  # the tick due at T0 + 2, moved by 7 s
    clock.now = T0 + 3 + 7 - 0.001
    assert runner.update() == []
    clock.now = T0 + 3 + 7
    assert kinds(runner.update()) == [("finished", 0), ("started", 1)]
    assert runner.results[0].done_seconds == 3
    run_to_end(runner, clock)
    assert clock.now == T0 + 9.5 + 7
    assert runner.elapsed_active() == 9.5


def test_skip_moves_on_now_and_records_a_skipped_step() -> None:
    runner, clock = runner_for(THREE)
    runner.start()
    clock.advance(1)
    events = runner.skip()
    assert kinds(events) == [("finished", 0), ("started", 1)]
    finished = events[0]
    assert isinstance(finished, StepFinished)
    assert finished.skipped and finished.done_seconds == 1
    assert finished.result.outcome is Outcome.SKIPPED
    assert finished.result.planned_seconds == 3
    assert runner.remaining_in_step() == 2.5
    assert runner.remaining_total() == 6.5
    run_to_end(runner, clock)
    assert clock.now == T0 + 1 + 6.5


def test_skip_into_the_done_step_finishes() -> None:
    runner, _ = runner_for(make_plan((Phase.TIMED, 60)))
    runner.start()
    assert kinds(runner.skip()) == [("finished", 0), ("started", 1), ("session_finished", None)]
    assert state_of(runner) is State.FINISHED
    assert runner.skip() == [] and runner.back() == []


def test_back_restarts_a_step_that_ran_more_than_two_seconds() -> None:
    runner, clock = runner_for(THREE)
    runner.start()
    clock.now = T0 + 3 + 2.1  # 2.1 s into step 1
    runner.update()
    events = runner.back()
    assert kinds(events) == [("finished", 1), ("started", 1)]
    assert runner.results[-1].outcome is Outcome.ABANDONED
    assert runner.results[-1].done_seconds == pytest.approx(2.1)
    assert runner.remaining_in_step() == 2.5
    assert runner.next_deadline() == pytest.approx(T0 + 5.1 + 0.5)


def test_back_within_two_seconds_goes_to_the_step_before() -> None:
    runner, clock = runner_for(THREE)
    runner.start()
    clock.now = T0 + 3 + 1.5
    events = runner.back()  # also catches up: step 0 ended at T0 + 3
    assert kinds(events) == [("finished", 0), ("started", 1), ("finished", 1), ("started", 0)]
    assert runner.current_step.index == 0
    assert runner.remaining_in_step() == 3
    clock.advance(3)
    assert kinds(runner.update()) == [("finished", 0), ("started", 1)]


def test_back_on_the_first_step_restarts_it() -> None:
    runner, clock = runner_for(THREE)
    runner.start()
    clock.advance(0.5)
    assert kinds(runner.back()) == [("finished", 0), ("started", 0)]
    assert runner.remaining_in_step() == 3


def test_skip_and_back_while_paused_stay_paused() -> None:
    runner, clock = runner_for(THREE)
    runner.start()
    clock.advance(1)
    runner.pause()
    clock.advance(10)
    assert kinds(runner.skip()) == [("finished", 0), ("started", 1)]
    assert runner.results[-1].done_seconds == 1  # the pause does not count
    assert state_of(runner) is State.PAUSED
    assert runner.remaining_in_step() == 2.5
    clock.advance(5)
    runner.resume()
    assert runner.next_deadline() == clock.now + 0.5
    run_to_end(runner, clock)
    assert clock.now == T0 + 1 + 10 + 5 + 6.5


SELF_PACED = make_plan((Phase.GET_READY, 2), (Phase.MOVE, 6, True), (Phase.RELAX, 3))


def test_self_paced_step_waits_for_a_tap() -> None:
    runner, clock = runner_for(SELF_PACED)
    runner.start()
    clock.now = T0 + 2
    assert kinds(runner.update()) == [("finished", 0), ("started", 1)]
    assert state_of(runner) is State.WAITING_FOR_TAP
    clock.now = T0 + 2 + 20  # far past the 6 s estimate: still waiting
    assert runner.update() == []
    assert runner.current_step.index == 1
    assert runner.remaining_in_step() == 0
    assert runner.elapsed_in_step() == 20
    clock.now = T0 + 2 + 20.4
    assert runner.next_deadline() == T0 + 2 + 21  # wakes each whole second to count up
    events = runner.tap()
    assert kinds(events) == [("finished", 1), ("started", 2)]
    assert runner.results[-1].done_seconds == pytest.approx(20.4)
    assert runner.results[-1].outcome is Outcome.COMPLETED
    assert state_of(runner) is State.RUNNING
    assert runner.tap() == []  # nothing waits for a tap now
    run_to_end(runner, clock)
    assert clock.now == pytest.approx(T0 + 2 + 20.4 + 3)


def test_pause_while_waiting_for_a_tap_returns_to_waiting() -> None:
    runner, clock = runner_for(SELF_PACED)
    runner.start()
    clock.now = T0 + 4
    runner.update()
    runner.pause()
    assert runner.tap() == []  # a paused session ignores taps
    clock.advance(50)
    runner.resume()
    assert state_of(runner) is State.WAITING_FOR_TAP
    clock.advance(1)
    runner.tap()
    assert runner.results[-1].done_seconds == 3  # 2 s before the pause + 1 s after


def test_update_after_a_stall_finishes_every_passed_step_at_its_own_deadline() -> None:
    plan = make_plan(
        (Phase.MOVE, 2), (Phase.HOLD, 2), (Phase.BACK, 2), (Phase.RELAX, 2), (Phase.MOVE, 10)
    )
    runner, clock = runner_for(plan)
    runner.start()
    clock.advance(7.5)  # the GUI thread was blocked
    events = runner.update()
    assert kinds(events) == [
        ("finished", 0), ("started", 1), ("finished", 1), ("started", 2),
        ("finished", 2), ("started", 3),
    ]  # fmt: skip
    assert [e.done_seconds for e in events if isinstance(e, StepFinished)] == [2, 2, 2]
    assert runner.current_step.index == 3
    assert runner.remaining_in_step() == 0.5  # deadlines are absolute: no time lost
    assert runner.next_deadline() == T0 + 8
    run_to_end(runner, clock)
    assert clock.now == T0 + 18


def test_a_long_clock_jump_pauses_instead_of_racing_through_steps() -> None:
    runner, clock = runner_for(THREE)
    runner.start()
    clock.advance(1)
    runner.update()
    clock.advance(100)  # the computer slept
    events = runner.update()
    assert kinds(events) == [("paused", 0)]
    paused = events[0]
    assert isinstance(paused, Paused) and paused.suspend_gap_s == 100
    assert state_of(runner) is State.PAUSED
    assert runner.current_step.index == 0
    assert runner.remaining_in_step() == 2  # held where it was last seen
    clock.advance(4)
    resumed = runner.resume()
    assert isinstance(resumed[0], Resumed) and resumed[0].paused_s == 104
    run_to_end(runner, clock)
    assert clock.now == T0 + 105 + 8.5
    assert runner.elapsed_active() == 9.5


def test_a_clock_jump_inside_a_long_step_also_pauses() -> None:
    runner, clock = runner_for(make_plan((Phase.WALK, 300)))
    runner.start()
    clock.advance(10)
    runner.update()
    clock.advance(60)  # well before the bout ends, but the GUI missed 60 wake-ups
    assert kinds(runner.update()) == [("paused", 0)]
    assert runner.elapsed_in_step() == 10


def test_the_suspend_threshold_is_a_parameter() -> None:
    runner, clock = runner_for(THREE, suspend_threshold_s=200)
    runner.start()
    clock.advance(100)
    events = runner.update()
    assert kinds(events)[-1] == ("session_finished", None)
    assert state_of(runner) is State.FINISHED
    assert runner.elapsed_active() == 9.5  # ended at its deadline, not at "now"


def test_a_gap_just_under_the_threshold_is_a_stall() -> None:
    runner, clock = runner_for(make_plan((Phase.WALK, 300)))
    runner.start()
    clock.advance(30.9)  # expected wake at T0 + 1; 29.9 s late
    assert runner.update() == []
    assert state_of(runner) is State.RUNNING


def test_stop_with_a_reason() -> None:
    runner, clock = runner_for(THREE)
    runner.start()
    clock.now = T0 + 4
    events = runner.stop("leg symptoms spreading")
    assert kinds(events) == [
        ("finished", 0), ("started", 1), ("finished", 1), ("session_stopped", None),
    ]  # fmt: skip
    stopped = events[-1]
    assert isinstance(stopped, SessionStopped)
    assert stopped.reason == "leg symptoms spreading"
    assert stopped.step is not None and stopped.step.index == 1
    assert [(r.step.index, r.done_seconds, r.outcome) for r in stopped.results] == [
        (0, 3, Outcome.COMPLETED),
        (1, 1, Outcome.STOPPED),
    ]
    assert state_of(runner) is State.STOPPED
    assert runner.stop_reason == "leg symptoms spreading"
    assert runner.elapsed_active() == 4
    clock.advance(100)
    assert runner.elapsed_active() == 4
    assert runner.next_deadline() is None
    for command in (runner.update, runner.pause, runner.resume, runner.skip, runner.tap):
        assert command() == []
    assert runner.stop("again") == []
    assert runner.stop_reason == "leg symptoms spreading"


def test_stop_while_paused_and_before_start() -> None:
    runner, clock = runner_for(THREE)
    runner.start()
    clock.advance(2)
    runner.pause()
    clock.advance(30)
    events = runner.stop("pain")
    assert runner.results[-1].done_seconds == 2
    assert kinds(events) == [("finished", 0), ("session_stopped", None)]
    assert runner.elapsed_active() == 2

    fresh, _ = runner_for(THREE)
    events = fresh.stop("changed my mind")
    assert kinds(events) == [("session_stopped", None)]
    stopped = events[0]
    assert isinstance(stopped, SessionStopped) and stopped.step is None
    assert state_of(fresh) is State.STOPPED and fresh.elapsed_active() == 0


def test_stop_after_the_last_deadline_reports_the_finish() -> None:
    runner, clock = runner_for(THREE)
    runner.start()
    clock.now = T0 + 10
    assert kinds(runner.stop("late"))[-1] == ("session_finished", None)
    assert state_of(runner) is State.FINISHED
    assert runner.stop_reason is None


def test_remaining_total_and_progress() -> None:
    runner, clock = runner_for(THREE)
    runner.start()
    clock.now = T0 + 4
    runner.update()
    assert runner.remaining_in_step() == 1.5
    assert runner.remaining_total() == 5.5
    assert runner.progress == pytest.approx(4 / 9.5)
    assert runner.elapsed_active() == 4


WALK = make_plan((Phase.WALK, 300), (Phase.FLEXION_BREAK, 90), (Phase.WALK, 300))


def test_mark_symptoms_records_the_first_time_in_the_bout() -> None:
    runner, clock = runner_for(WALK)
    runner.start()
    run_until(runner, clock, T0 + 125)
    events = runner.mark_symptoms()
    assert kinds(events) == [("symptoms", 0)]
    marked = events[0]
    assert isinstance(marked, SymptomsMarked) and marked.seconds_into_bout == 125
    run_until(runner, clock, T0 + 200)
    assert runner.mark_symptoms() == []  # only the first counts
    run_until(runner, clock, T0 + 300)
    assert runner.mark_symptoms() == []  # a flexion break is no bout
    results = run_to_end(runner, clock)
    bouts = [e.result for e in results if isinstance(e, StepFinished)]
    assert [(r.step.index, r.symptoms_at_s) for r in runner.results] == [
        (0, 125),
        (1, None),
        (2, None),
    ]
    assert bouts[-1].done_seconds == 300


def test_mark_symptoms_while_paused_uses_the_time_at_the_pause() -> None:
    runner, clock = runner_for(WALK)
    runner.start()
    run_until(runner, clock, T0 + 42)
    runner.pause()
    clock.advance(20)
    marked = runner.mark_symptoms()[0]
    assert isinstance(marked, SymptomsMarked) and marked.seconds_into_bout == 42


def test_mark_symptoms_after_the_bout_ended_does_not_stick_to_it() -> None:
    runner, clock = runner_for(WALK)
    runner.start()
    run_until(runner, clock, T0 + 299.5)
    clock.now = T0 + 301  # the bout ended, the GUI has not woken yet
    events = runner.mark_symptoms()
    assert kinds(events) == [("finished", 0), ("started", 1)]
    assert runner.results[0].symptoms_at_s is None


def exercise(ex_id: str, **dosage: Any) -> Exercise:
    return Exercise.from_data(
        {
            "id": ex_id,
            "category": "posture",
            "title": {"en": ex_id},
            "start_position": {"en": "Sit."},
            "steps": [{"en": "a"}, {"en": "b"}, {"en": "c"}],
            "dosage": dosage,
            "cue": {"en": "cue"},
            "illustrations": {"start": "a.svg", "end": "b.svg"},
        }
    )


def test_a_built_plan_runs_to_its_planned_total() -> None:
    exercises = {
        "C3": exercise("C3", side="alternate", reps=4, tempo={"out_s": 1.5, "back_s": 1.5}),
        "A1": exercise("A1", duration_s=300, side="both"),
        "S1": exercise("S1", reps=2, tempo=None),
        "A3": exercise("A3", tempo=None, walk={"bouts": 2, "break_s": 60, "break_exercise": "C3"}),
    }
    routine = Routine.from_data(
        {
            "id": "mixed",
            "title": {"en": "Mixed"},
            "description": {"en": "All kinds."},
            "items": [{"exercise": "C3"}, {"exercise": "A1"}, {"exercise": "A3"}],
        }
    )
    plan = build_plan(routine, exercises, walking_test_s=250)
    assert plan.total_seconds == (
        20 + 8 * 3 + 7 * 3  # C3: get ready, 4 reps per side, 7 relaxes
        + 15 + 10 + 300 + 5 + 300  # A1: both sides of a timed item
        + 15 + 10 + 200 + 60 + 200  # A3: 0.8 x 250 s bouts
    )  # fmt: skip
    runner, clock = runner_for(plan)
    runner.start()
    events = run_to_end(runner, clock)
    assert clock.now == T0 + plan.total_seconds
    finished = [e for e in events if isinstance(e, StepFinished)]
    assert len(finished) == len(plan.steps) - 1
    assert all(e.result.outcome is Outcome.COMPLETED for e in finished)
    assert sum(e.done_seconds for e in finished) == plan.total_seconds


def test_a_plan_without_its_done_step_is_refused() -> None:
    with pytest.raises(ValueError, match="done step"):
        SessionRunner(Plan("r", Text.of("R"), ()))
    with pytest.raises(ValueError, match="done step"):
        SessionRunner(Plan("r", Text.of("R"), THREE.steps[:-1]))


def test_back_in_a_self_paced_step_waits_for_the_tap_again() -> None:
    runner, clock = runner_for(SELF_PACED)
    runner.start()
    run_until(runner, clock, T0 + 2 + 5)
    assert kinds(runner.back()) == [("finished", 1), ("started", 1)]
    assert state_of(runner) is State.WAITING_FOR_TAP
    assert runner.elapsed_in_step() == 0
    assert runner.results[-1].outcome is Outcome.ABANDONED
