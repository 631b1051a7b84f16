"""Honest adherence and the step easier where the trouble was.

Sessions of the built-in "strength" routine are played through the real
session runner on a fake clock and recorded step by step into a real SQLite
store, as the player records them.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from coach.core.common.paths import Paths, resolve
from coach.core.content.library import Library
from coach.core.progress import effort, progression, session_log, stats
from coach.core.progress.effort import ItemState, Verdict
from coach.core.progress.history import History
from coach.core.progress.store import Store
from coach.core.progress.store_rows import SessionOutcome
from coach.core.session.plan import Phase
from tests.fixtures.played_sessions import Clock, is_exercise, play

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 3, 12, 17, 0, tzinfo=UTC)  # Thursday
MONDAY = date(2026, 3, 9)


@pytest.fixture(scope="module")
def lib(tmp_path_factory: pytest.TempPathFactory) -> Library:
    return Library.load(resolve(tmp_path_factory.mktemp("lib")), include_user=False)


@pytest.fixture
def clock() -> Clock:
    return Clock(NOW)


@pytest.fixture
def store(data_dir: Path, clock: Clock) -> Iterator[Store]:
    paths: Paths = resolve(data_dir)
    paths.ensure_data_dir()
    with Store.open(paths.database, clock=clock) as opened:
        yield opened


def at(day: date, hour: int = 9) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=BERLIN).astimezone(UTC)


# --------------------------------------------------------------------------
# Mostly skipped is not done
# --------------------------------------------------------------------------


def test_a_session_run_through_with_every_step_skipped_is_not_done(
    store: Store, clock: Clock, lib: Library
) -> None:
    plan = [lib.routines["strength"]]
    full = play(store, lib, clock, at(MONDAY))
    skipped = play(store, lib, clock, at(MONDAY + timedelta(days=2)), skip=is_exercise)
    with History(store) as history:
        lines = {s.id: s for s in session_log.session_lines(history, at(MONDAY), NOW)}
        week = stats.weeks(history, plan, date(2026, 3, 12), 1, BERLIN)[0]
        times = session_log.week_times(history, [MONDAY], BERLIN)[0]
        briefs = {s.id: s for s in history.sessions(at(MONDAY), NOW)}
    # Both reached the end in the player, both are "completed" in the store ...
    assert store.session(skipped).outcome is SessionOutcome.COMPLETED
    # ... but only one of them was done.
    assert lines[full].verdict is Verdict.COMPLETED
    assert lines[skipped].verdict is Verdict.MOSTLY_SKIPPED
    assert lines[skipped].effort.share is not None and lines[skipped].effort.share < 0.5
    assert all(i.state is ItemState.SKIPPED for i in lines[skipped].effort.items)
    assert briefs[full].counted and not briefs[skipped].counted
    assert week.done == 1
    wednesday = week.days[2]
    assert wednesday.done == 0 and wednesday.mark is stats.DayMark.PARTLY
    # The time: the full session's plan done, of the skipped one a second a step.
    full_effort = lines[full].effort
    assert full_effort.done_s == pytest.approx(full_effort.planned_s)
    assert times.planned_s == pytest.approx(full_effort.planned_s + lines[skipped].effort.planned_s)
    assert times.done_s == pytest.approx(full_effort.done_s + lines[skipped].effort.done_s)
    assert times.share is not None and times.share < 0.75


def test_the_threshold_is_half_the_planned_time(store: Store, clock: Clock, lib: Library) -> None:
    routine = lib.routines["strength"]
    items = len(routine.items)
    # Skipping the first two items leaves well over half the time done.
    some = play(
        store, lib, clock, at(MONDAY), skip=lambda s: is_exercise(s) and (s.item_index or 0) < 2
    )
    # Skipping all but the last item leaves less than half.
    most = play(
        store,
        lib,
        clock,
        at(MONDAY, 15),
        skip=lambda s: is_exercise(s) and (s.item_index or 0) < items - 1,
    )
    with History(store) as history:
        lines = {s.id: s for s in session_log.session_lines(history, at(MONDAY), NOW)}
    assert lines[some].effort.share is not None
    assert lines[some].effort.share >= effort.MOSTLY_SKIPPED_BELOW
    assert lines[some].verdict is Verdict.COMPLETED
    assert lines[most].verdict is Verdict.MOSTLY_SKIPPED


def test_a_stopped_session_says_where_it_stopped(store: Store, clock: Clock, lib: Library) -> None:
    sid = play(
        store,
        lib,
        clock,
        at(MONDAY),
        stop_in=lambda s: s.exercise_id == "T2" and s.phase is Phase.MOVE,
    )
    with History(store) as history:
        (line,) = session_log.session_lines(history, at(MONDAY), NOW)
    assert line.id == sid and line.verdict is Verdict.STOPPED
    assert line.stopped_exercise == "T2"
    # The plan counts what the stop never reached: far less than half was done.
    assert line.effort.share is not None and line.effort.share < 0.5
    assert [i.exercise_id for i in line.effort.items] == ["P1", "T1", "T2"]


# --------------------------------------------------------------------------
# The step easier goes where the trouble was
# --------------------------------------------------------------------------


def test_after_a_stop_for_pain_the_easier_step_is_the_exercise_it_stopped_in(
    store: Store, clock: Clock, lib: Library
) -> None:
    routine = lib.routines["strength"]
    play(
        store,
        lib,
        clock,
        at(MONDAY),
        stop_in=lambda s: s.exercise_id == "T3" and s.phase is Phase.HOLD,
    )
    with History(store) as history:
        found = progression.suggest_progression(history, routine, lib.exercises)
    assert found is not None and found.direction is progression.Direction.DOWN
    # Not the first item that can be eased (P1): the one that hurt.
    assert found.change.exercise_id == "T3"
    assert found.change.item_index == 3
    title = lib.exercises["T3"].title
    assert found.why.get("en").endswith(f"during {title.get('en')}.")
    assert title.get("en") in found.text.get("en")


def test_pain_after_an_exercise_skipped_as_too_hard_eases_that_exercise(
    store: Store, clock: Clock, lib: Library
) -> None:
    routine = lib.routines["strength"]
    sid = play(
        store,
        lib,
        clock,
        at(MONDAY),
        skip=lambda s: s.exercise_id == "T4" and is_exercise(s),
        pain_after=(7, 3),  # beyond the pain rule
    )
    suggestion = progression.step_easier(
        store, routine, lib.exercises, progression.Reason.PAIN_RULE, sid, when=NOW
    )
    assert suggestion is not None
    assert suggestion.change.exercise_id == "T4"
    assert suggestion.change.item_index == 4


def test_without_a_trouble_item_the_easier_step_undoes_the_latest_change(
    store: Store, clock: Clock, lib: Library
) -> None:
    routine = lib.routines["strength"]
    sid = play(store, lib, clock, at(MONDAY), pain_after=(7, 3))
    with History(store) as history:
        found = progression.easier_suggestion(
            history, routine, lib.exercises, progression.Reason.PAIN_RULE, (sid,)
        )
    assert found is not None
    assert found.change.item_index == 0  # as before: the first item that can be eased


def test_when_everything_was_skipped_no_exercise_stands_out(
    store: Store, clock: Clock, lib: Library
) -> None:
    sid = play(store, lib, clock, at(MONDAY), skip=is_exercise)
    with History(store) as history:
        found = history.session_effort(sid)
    assert found is not None and found.mostly_skipped
    assert effort.trouble_item(found) is None


def test_sessions_run_through_skipped_never_earn_a_step_up(
    store: Store, clock: Clock, lib: Library
) -> None:
    routine = lib.routines["strength"]
    for day in range(3):
        play(store, lib, clock, at(MONDAY + timedelta(days=day)), skip=is_exercise)
    with History(store) as history:
        assert progression.suggest_progression(history, routine, lib.exercises) is None
    # Three whole sessions inside the pain rule do.
    for day in range(3, 6):
        play(store, lib, clock, at(MONDAY + timedelta(days=day)))
    with History(store) as history:
        found = progression.suggest_progression(history, routine, lib.exercises)
    assert found is not None and found.direction is progression.Direction.UP
