"""The stop rules act: the walking break waits, the pain rule and a worse morning
change the next session. Fake clocks, real SQLite files, the real content."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from coach.core.common.paths import Paths, resolve
from coach.core.content.library import Library
from coach.core.content.model import Routine, Text
from coach.core.progress import progression, stats
from coach.core.progress.history import History, SessionBrief
from coach.core.progress.store import Store
from coach.core.progress.store_rows import SessionOutcome
from coach.core.session.personal import apply_dose_changes
from coach.core.session.plan import Phase, Plan, Step
from coach.core.session.profile import UsualSymptoms
from coach.core.session.runner import (
    NotYetSettled,
    Outcome,
    SessionRunner,
    SessionStopped,
    SettleAsked,
    State,
    StepFinished,
    StepStarted,
)
from coach.core.session.stop_rules import (
    NEXT_MORNING_WORSE_ADVICE,
    PAIN_RULE_EASIER_NOTE,
    SETTLE_ASK_AGAIN_S,
    STOP_CHOICES,
    STOP_LABELS,
    WALK_NOT_SETTLING_ADVICE,
    WALK_SETTLE_LIMIT_S,
    StopReason,
    pain_rule,
    settle_limit_s,
    stop_advice,
)

T0 = 1000.0
WALK_S, BREAK_S = 300.0, 90.0
BREAK_START = T0 + WALK_S
BREAK_END = BREAK_START + BREAK_S


class FakeClock:
    def __init__(self, now: float = T0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def walk_plan(break_s: float = BREAK_S) -> Plan:
    def step(i: int, phase: Phase, seconds: float) -> Step:
        return Step(i, phase, seconds, "A3", 0, Text.of(phase.value), rep_no=1, reps=2)

    steps = (
        step(0, Phase.WALK, WALK_S),
        step(1, Phase.FLEXION_BREAK, break_s),
        step(2, Phase.WALK, WALK_S),
        Step(3, Phase.DONE, 0, None, None, Text.of("done")),
    )
    return Plan("walking", Text.of("Walking"), steps)


def runner_for(plan: Plan | None = None) -> tuple[SessionRunner, FakeClock]:
    clock = FakeClock()
    runner = SessionRunner(plan or walk_plan(), clock)
    runner.start()
    return runner, clock


def wake_until(runner: SessionRunner, clock: FakeClock, when: float) -> list[object]:
    """Wake at every deadline up to ``when``, as the player's precise timer does."""
    events: list[object] = []
    while (deadline := runner.next_deadline()) is not None and deadline <= when:
        clock.now = max(clock.now, deadline)
        events += runner.update()
    clock.now = when
    return events + runner.update()


# --------------------------------------------------------------------------
# The walking break waits for the person
# --------------------------------------------------------------------------


def test_the_break_lasts_its_time_then_waits_for_the_person() -> None:
    runner, clock = runner_for()
    wake_until(runner, clock, BREAK_END - 0.5)
    assert runner.state is State.RUNNING and not runner.settling
    assert runner.settled() == []  # not before the planned rest is over
    events = wake_until(runner, clock, BREAK_END)
    asked = [e for e in events if isinstance(e, SettleAsked)]
    assert len(asked) == 1 and asked[0].resting_s == BREAK_S
    assert not any(isinstance(e, StepStarted) for e in events)  # the next bout waits
    assert runner.state is State.WAITING_TO_SETTLE and runner.asking_settled
    # Minutes later it still waits, and the GUI still wakes every second.
    wake_until(runner, clock, BREAK_END + 240)
    assert runner.current_step.phase is Phase.FLEXION_BREAK
    assert runner.elapsed_in_step() == BREAK_S + 240
    assert runner.next_deadline() == BREAK_END + 241


def test_better_walks_on_from_now() -> None:
    runner, clock = runner_for()
    wake_until(runner, clock, BREAK_END + 42.5)
    events = runner.settled()
    finished = [e for e in events if isinstance(e, StepFinished)]
    assert [e.result.outcome for e in finished] == [Outcome.COMPLETED]
    assert finished[0].result.done_seconds == BREAK_S + 42.5  # the rest it really took
    assert [e.step.index for e in events if isinstance(e, StepStarted)] == [2]
    assert runner.state is State.RUNNING and not runner.settling
    assert runner.remaining_in_step() == WALK_S  # the next bout starts now, in full
    wake_until(runner, clock, clock.now + WALK_S)
    assert runner.state is State.FINISHED


def test_not_yet_keeps_resting_and_asks_again_later() -> None:
    runner, clock = runner_for()
    wake_until(runner, clock, BREAK_END + 10)
    events = runner.not_yet()
    assert [type(e) for e in events] == [NotYetSettled]
    assert not runner.asking_settled and runner.settling
    assert runner.not_yet() == []  # once until the question is back
    again = BREAK_END + 10 + SETTLE_ASK_AGAIN_S
    # The wake-up lands on the moment itself, not on a whole second near it.
    wake_until(runner, clock, again - 0.5)
    assert not runner.asking_settled
    events = wake_until(runner, clock, again)
    assert any(isinstance(e, SettleAsked) for e in events)
    assert runner.asking_settled
    # "Better" is there all along: also right after a "Not yet".
    runner.not_yet()
    assert [e.step.index for e in runner.settled() if isinstance(e, StepStarted)] == [2]


def test_not_settled_fifteen_minutes_after_the_break_began_stops_the_session() -> None:
    runner, clock = runner_for()
    wake_until(runner, clock, BREAK_END + 5)
    runner.not_yet()
    wake_until(runner, clock, BREAK_START + WALK_SETTLE_LIMIT_S - 1)
    assert runner.state is State.WAITING_TO_SETTLE
    events = wake_until(runner, clock, BREAK_START + WALK_SETTLE_LIMIT_S + 3)
    stopped = [e for e in events if isinstance(e, SessionStopped)]
    assert len(stopped) == 1 and stopped[0].reason == StopReason.WALK_NOT_SETTLING.value
    assert runner.state is State.STOPPED
    assert runner.stop_reason == "walk_not_settling"
    last = runner.results[-1]
    assert last.outcome is Outcome.STOPPED and last.step.phase is Phase.FLEXION_BREAK
    assert last.done_seconds == WALK_SETTLE_LIMIT_S  # at the limit, not at the late wake-up
    assert runner.elapsed_active() == WALK_S + WALK_SETTLE_LIMIT_S
    assert runner.settled() == [] and runner.next_deadline() is None


def test_a_late_wake_up_still_stops_at_the_limit() -> None:
    runner, clock = runner_for()
    wake_until(runner, clock, BREAK_START + WALK_SETTLE_LIMIT_S - 2)
    clock.now = BREAK_START + WALK_SETTLE_LIMIT_S + 20  # a busy computer, no suspend
    assert any(isinstance(e, SessionStopped) for e in runner.update())
    assert runner.results[-1].done_seconds == WALK_SETTLE_LIMIT_S


def test_a_pause_in_the_break_does_not_count_as_resting() -> None:
    runner, clock = runner_for()
    wake_until(runner, clock, BREAK_END + 60)
    runner.pause()
    assert runner.state is State.PAUSED and runner.settling
    assert runner.settled() == [] and runner.not_yet() == []  # not while paused
    clock.now += 20 * 60  # the person went away from the screen
    runner.resume()
    assert runner.state is State.WAITING_TO_SETTLE
    assert runner.elapsed_in_step() == BREAK_S + 60
    wake_until(runner, clock, clock.now + WALK_SETTLE_LIMIT_S - BREAK_S - 60 - 1)
    assert runner.state is State.WAITING_TO_SETTLE


def test_no_way_round_the_question() -> None:
    runner, clock = runner_for()
    wake_until(runner, clock, BREAK_START + 30)
    # Skipping the rest asks at once: the next bout still waits for "better".
    events = runner.skip()
    assert [type(e) for e in events] == [SettleAsked]
    assert runner.state is State.WAITING_TO_SETTLE and runner.current_step.index == 1
    assert runner.skip() == [] and runner.back() == []
    assert runner.current_step.index == 1
    # The walking rule's clock started with the break, not with the skip.
    events = wake_until(runner, clock, BREAK_START + WALK_SETTLE_LIMIT_S)
    assert any(isinstance(e, SessionStopped) for e in events)


def test_skip_while_paused_in_the_break_asks_after_the_resume() -> None:
    runner, clock = runner_for()
    wake_until(runner, clock, BREAK_START + 30)
    runner.pause()
    runner.skip()
    assert runner.state is State.PAUSED and runner.settling
    runner.resume()
    assert runner.state is State.WAITING_TO_SETTLE and runner.asking_settled


def test_stop_during_the_wait_keeps_the_persons_reason() -> None:
    runner, clock = runner_for()
    wake_until(runner, clock, BREAK_END + 30)
    events = runner.stop(StopReason.SHARP_PAIN.value)
    assert [e.reason for e in events if isinstance(e, SessionStopped)] == ["sharp_pain"]
    assert runner.results[-1].done_seconds == BREAK_S + 30


def test_a_break_as_long_as_the_limit_still_gets_its_question() -> None:
    assert settle_limit_s(BREAK_S) == WALK_SETTLE_LIMIT_S
    runner, clock = runner_for(walk_plan(break_s=900.0))
    events = wake_until(runner, clock, BREAK_START + 900.0)
    assert any(isinstance(e, SettleAsked) for e in events)
    assert runner.state is State.WAITING_TO_SETTLE
    assert runner.settle_limit_s() == 960.0
    events = wake_until(runner, clock, BREAK_START + 960.0)
    assert any(isinstance(e, SessionStopped) for e in events)


def test_the_advice_names_the_limit() -> None:
    minutes = round(WALK_SETTLE_LIMIT_S / 60)
    assert 10 <= minutes <= 15  # CONTENT 6c
    assert f"{minutes} minutes" in WALK_NOT_SETTLING_ADVICE.get("en")
    assert f"{minutes} Minuten" in WALK_NOT_SETTLING_ADVICE.get("de")


# --------------------------------------------------------------------------
# The walking rule's stop reason: not a choice, but named everywhere
# --------------------------------------------------------------------------


def test_walk_not_settling_is_a_stop_reason_but_no_choice() -> None:
    reason = StopReason.WALK_NOT_SETTLING
    assert reason not in STOP_CHOICES
    assert set(STOP_CHOICES) | {reason} == set(StopReason)
    label = STOP_LABELS[reason]
    assert label.get("en") == "The symptoms did not settle in the walking break"
    assert label.get("de") == "Die Beschwerden sind in der Gehpause nicht abgeklungen"
    assert stop_advice(reason) == WALK_NOT_SETTLING_ADVICE


# --------------------------------------------------------------------------
# The pain rule, judged against the usual level too
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("before", "after", "usual", "kept"),
    [
        (6, 6, 6, True),  # the example: usual 6, ends at 6
        (4, 6, 6, True),  # +2, and no higher than usual
        (5, 7, 7, True),  # +2, at the usual level
        (4, 7, 7, False),  # +3 breaks it whatever the usual level
        (5, 7, 6, False),  # above both the level before and the usual level
        (5, 6, None, False),  # no usual level given: above the level before
        (6, 6, None, True),  # no higher than before
        (None, 6, 7, True),  # no level before: only the usual level counts
        (None, 6, None, False),  # nothing to compare: 6 breaks it
        (None, 5, None, True),
        (3, None, 3, True),  # not rated after: not judged
        (0, 2, 9, True),
        (2, 5, 9, False),  # +3 even though below the usual level
    ],
)
def test_pain_rule_against_the_usual_level(
    before: int | None, after: int | None, usual: int | None, kept: bool
) -> None:
    assert pain_rule(before, 0, after, 0, usual_back=usual) is kept  # back
    assert pain_rule(0, before, 0, after, usual_leg=usual) is kept  # leg, the same rule


def test_back_and_leg_are_judged_separately() -> None:
    # The leg's usual level does not excuse the back.
    assert pain_rule(5, 5, 6, 6, usual_back=None, usual_leg=6) is False
    assert pain_rule(5, 5, 6, 6, usual_back=6, usual_leg=None) is False
    assert pain_rule(5, 5, 6, 6, usual_back=6, usual_leg=6) is True


def test_pain_rule_checks_the_usual_levels_too() -> None:
    with pytest.raises(ValueError, match="usual_leg"):
        pain_rule(0, 0, 0, 0, usual_leg=11)
    with pytest.raises(ValueError, match="usual_back"):
        pain_rule(0, 0, 0, 0, usual_back=True)


def test_progression_judges_with_the_one_pain_rule() -> None:
    """pain_rule_kept is pain_rule: every combination of a small grid agrees."""
    values = (None, 0, 3, 5, 6, 7)
    now = datetime(2026, 3, 12, tzinfo=UTC)
    for before, after, usual in itertools.product(values, repeat=3):
        brief = SessionBrief(1, "r", now, now, "completed", None, before, 1, after, 1)
        expected = pain_rule(before, 1, after, 1, usual_back=usual)
        assert progression.pain_rule_kept(brief, (usual, None)) is expected
    unrated = SessionBrief(1, "r", now, now, "completed", None, 3, 3, None, None)
    assert progression.pain_rule_kept(unrated, (6, 6)) is None


def test_usual_pain_is_part_of_the_usual_symptoms() -> None:
    usual = UsualSymptoms.from_data({"usual_back_pain": 6, "usual_leg_pain": 0})
    assert (usual.usual_back_pain, usual.usual_leg_pain) == (6, 0)
    assert UsualSymptoms().usual_back_pain is None
    for bad in (11, -1, True, 2.5):
        with pytest.raises(ValueError, match="usual_leg_pain"):
            UsualSymptoms.from_data({"usual_leg_pain": bad})


# --------------------------------------------------------------------------
# The store: the pain rule and a worse morning make the next session easier
# --------------------------------------------------------------------------

NOW = datetime(2026, 3, 12, 17, 0, tzinfo=UTC)
_LIB: dict[str, Library] = {}


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def paths(data_dir: Path) -> Paths:
    return resolve(data_dir)


@pytest.fixture
def lib(paths: Paths) -> Library:
    if "lib" not in _LIB:
        _LIB["lib"] = Library.load(paths, include_user=False)
    return _LIB["lib"]


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store(paths: Paths, clock: Clock) -> Iterator[Store]:
    paths.ensure_data_dir()
    with Store.open(paths.database, clock=clock) as opened:
        yield opened


def session(
    store: Store,
    clock: Clock,
    when: datetime,
    routine_id: str = "daily-relief",
    *,
    before: tuple[int, int] = (3, 3),
    after: tuple[int, int] = (3, 3),
    usual: progression.UsualPain | None = None,
) -> int:
    clock.now = when
    sid = store.start_session(
        routine_id, routine_id, pain_before_back=before[0], pain_before_leg=before[1]
    )
    store.end_session(sid, SessionOutcome.COMPLETED)
    store.set_pain_after(sid, back=after[0], leg=after[1])
    if usual is not None:
        progression.record_usual_pain(store, sid, usual, when=when)
    clock.now = NOW
    return sid


def brief(store: Store, sid: int) -> SessionBrief:
    with History(store) as history:
        found = history.last_sessions_of(store.session(sid).routine_id, 50)
    return next(s for s in found if s.id == sid)


def day(n: int, hour: int = 9) -> datetime:
    return datetime(2026, 3, n, hour, tzinfo=UTC)


def decisions(store: Store) -> list[dict[str, object]]:
    return [m.value for m in store.measures(progression.PROGRESSION_KIND)]


def test_the_usual_level_at_the_time_decides_a_good_session(
    store: Store, clock: Clock, lib: Library
) -> None:
    daily = lib.routines["daily-relief"]
    # Three sessions ending at the person's usual 6: kept, so a step up is offered.
    for n in (9, 10, 11):
        session(store, clock, day(n), before=(6, 4), after=(6, 5), usual=(6, None))
    with History(store) as history:
        assert progression.usual_pain_by_session(history) == {
            s.id: (6, None) for s in history.last_sessions_of("daily-relief", 3)
        }
        up = progression.suggest_progression(history, daily, lib.exercises)
    assert up is not None and up.direction is progression.Direction.UP


def test_without_a_usual_level_ending_at_6_is_a_flare(
    store: Store, clock: Clock, lib: Library
) -> None:
    session(store, clock, day(11), before=(5, 4), after=(6, 5))
    with History(store) as history:
        down = progression.suggest_progression(history, lib.routines["daily-relief"], lib.exercises)
    assert down is not None and down.reason is progression.Reason.PAIN_RULE


def test_record_usual_pain_keeps_nothing_when_nothing_was_given(store: Store) -> None:
    sid = store.start_session("daily-relief", "Daily relief")
    assert progression.record_usual_pain(store, sid, (None, None)) is None
    assert store.measures(progression.USUAL_PAIN_KIND) == []
    with pytest.raises(ValueError, match="0 to 10"):
        progression.record_usual_pain(store, sid, (11, None))


def test_a_broken_pain_rule_makes_the_next_session_easier_at_once(
    store: Store, clock: Clock, lib: Library
) -> None:
    walking = lib.routines["walking"]
    sid = session(store, clock, day(11), "walking", before=(2, 2), after=(2, 5))
    step = progression.step_easier(
        store, walking, lib.exercises, progression.Reason.PAIN_RULE, sid, when=day(11, 10)
    )
    assert step is not None and step.change.field == "walk"
    [decision] = decisions(store)
    assert decision["accepted"] is True and decision["automatic"] is True
    assert decision["reason"] == "pain_rule" and decision["direction"] == "down"
    assert decision["session_ids"] == [sid]
    assert decision["previous"] is None
    changed = apply_dose_changes(walking, stats.dose_changes(store))
    assert changed.items[2].walk is not None
    assert changed.items[2].walk.bout_s == 275
    with History(store) as history:
        # Not suggested again: the evidence was acted on.
        assert progression.suggest_progression(history, walking, lib.exercises) is None
        easier = progression.easier_today(history, "walking")
        assert easier is not None and easier.reason is progression.Reason.PAIN_RULE
        assert easier.text(lib.exercises).get("en").endswith("instead of 5:00 min")
    # The next session is the one told; after it, nothing more to tell.
    session(store, clock, day(12), "walking")
    with History(store) as history:
        assert progression.easier_today(history, "walking") is None
        # The way back stays offered until the person decides.
        assert [s.routine_id for s in progression.automatic_steps(history)] == ["walking"]


def test_a_routine_for_bad_days_is_never_made_easier(
    store: Store, clock: Clock, lib: Library
) -> None:
    sid = session(store, clock, day(11), "gentle-day", before=(2, 2), after=(2, 7))
    gentle = lib.routines["gentle-day"]
    reason = progression.Reason.PAIN_RULE
    assert progression.step_easier(store, gentle, lib.exercises, reason, sid) is None
    assert decisions(store) == []


def test_a_worse_morning_lowers_the_dose_at_once(store: Store, clock: Clock, lib: Library) -> None:
    daily = lib.routines["daily-relief"]
    sid = session(store, clock, day(11))
    when = day(12, 7)
    step = progression.answer_next_day(
        store, brief(store, sid), "worse", daily, lib.exercises, when=when
    )
    assert step is not None and step.reason is progression.Reason.WORSE_NEXT_DAY
    [morning] = store.measures(progression.NEXT_DAY_KIND)
    assert morning.value == {"session_id": sid, "compared": "worse"}
    [decision] = decisions(store)
    assert (decision["reason"], decision["accepted"], decision["automatic"]) == (
        "worse_next_day",
        True,
        True,
    )
    assert stats.dose_changes(store)["daily-relief"]
    with History(store) as history:
        assert progression.easier_today(history, "daily-relief") == step
        assert progression.easier_today(history, "walking") is None  # another routine
        # No "Not now" can pass over it: it is no suggestion waiting for a yes.
        assert progression.suggest_progression(history, daily, lib.exercises) is None
    assert NEXT_MORNING_WORSE_ADVICE.has("de") and PAIN_RULE_EASIER_NOTE.has("de")


def test_usual_and_better_mornings_change_nothing(store: Store, clock: Clock, lib: Library) -> None:
    daily = lib.routines["daily-relief"]
    for n, answer in ((10, "usual"), (11, "better")):
        sid = session(store, clock, day(n))
        found = progression.answer_next_day(
            store, brief(store, sid), answer, daily, lib.exercises, when=day(n + 1, 7)
        )
        assert found is None
    assert decisions(store) == [] and stats.dose_changes(store) == {}


def test_one_step_per_session_when_the_pain_rule_already_acted(
    store: Store, clock: Clock, lib: Library
) -> None:
    daily = lib.routines["daily-relief"]
    sid = session(store, clock, day(11), before=(2, 2), after=(2, 6))
    reason = progression.Reason.PAIN_RULE
    progression.step_easier(store, daily, lib.exercises, reason, sid, when=day(11, 10))
    before = stats.dose_changes(store)
    step = progression.answer_next_day(
        store, brief(store, sid), "worse", daily, lib.exercises, when=day(12, 7)
    )
    assert step is not None and step.reason is progression.Reason.PAIN_RULE
    assert len(decisions(store)) == 1 and stats.dose_changes(store) == before


def test_going_back_to_the_earlier_dose_restores_it_exactly(
    store: Store, clock: Clock, lib: Library
) -> None:
    walking = lib.routines["walking"]
    # An accepted step up first, so that the entry before the automatic step is not empty.
    for n in (6, 7, 8):
        session(store, clock, day(n), "walking")
    with History(store) as history:
        up = progression.suggest_progression(history, walking, lib.exercises)
    assert up is not None
    progression.record_decision(store, up, True, when=day(8, 20))
    earlier = stats.dose_changes(store)
    sid = session(store, clock, day(11), "walking")
    progression.answer_next_day(
        store, brief(store, sid), "worse", walking, lib.exercises, when=day(12, 7)
    )
    assert stats.dose_changes(store) != earlier
    with History(store) as history:
        [step] = progression.automatic_steps(history)
    assert progression.go_back_to_earlier(store, step, when=day(12, 8)) is True
    assert stats.dose_changes(store) == earlier
    back = decisions(store)[-1]
    assert back["reason"] == "back_to_earlier" and back["accepted"] is True
    assert back["direction"] == "up" and back["undoes"] == step.measure_id
    assert (back["before"], back["after"]) == (step.change.after, step.change.before)
    with History(store) as history:
        assert progression.automatic_steps(history) == []
        assert progression.easier_today(history, "walking") is None
        # New evidence is needed before the next suggestion.
        assert progression.suggest_progression(history, walking, lib.exercises) is None
    assert progression.go_back_to_earlier(store, step) is False  # only once


def test_going_back_without_an_earlier_entry_removes_the_step(
    store: Store, clock: Clock, lib: Library
) -> None:
    daily = lib.routines["daily-relief"]
    sid = session(store, clock, day(11))
    step = progression.answer_next_day(
        store, brief(store, sid), "worse", daily, lib.exercises, when=day(12, 7)
    )
    assert step is not None
    assert progression.go_back_to_earlier(store, step, when=day(12, 8))
    assert stats.dose_changes(store) == {}
    assert apply_dose_changes(daily, stats.dose_changes(store)) == daily


def test_a_later_decision_replaces_the_way_back(store: Store, clock: Clock, lib: Library) -> None:
    daily: Routine = lib.routines["daily-relief"]
    sid = session(store, clock, day(9))
    step = progression.answer_next_day(
        store, brief(store, sid), "worse", daily, lib.exercises, when=day(10, 7)
    )
    assert step is not None
    for n in (10, 11, 12):
        session(store, clock, day(n, 12))
    with History(store) as history:
        up = progression.suggest_progression(history, daily, lib.exercises)
    assert up is not None
    progression.record_decision(store, up, True, when=day(12, 20))
    with History(store) as history:
        assert progression.automatic_steps(history) == []
    assert progression.go_back_to_earlier(store, step) is False


# --------------------------------------------------------------------------
# The clinician's report names the walking rule's stop
# --------------------------------------------------------------------------


def test_the_clinic_report_names_the_walking_stop(store: Store, clock: Clock) -> None:
    from coach.core.clinic.report import export_report_data

    clock.now = NOW - timedelta(days=1)
    sid = store.start_session("walking", "Walking program")
    store.end_session(sid, SessionOutcome.STOPPED, stop_reason="walk_not_settling")
    clock.now = NOW
    data = export_report_data(store, None, now=NOW)
    [stop] = data["stops"]
    assert stop["reason"] == "walk_not_settling"
    assert stop["reason_text"] == dict(STOP_LABELS[StopReason.WALK_NOT_SETTLING].root)
