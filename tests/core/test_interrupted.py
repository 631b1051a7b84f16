"""Sessions left in progress are closed at the next start; those that did some
exercise are told and count as partly done."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from coach.core.content.model import Text
from coach.core.progress import stats
from coach.core.progress.history import History
from coach.core.progress.interrupted import close_interrupted
from coach.core.progress.store import Store
from coach.core.progress.store_rows import SessionOutcome
from coach.core.session.plan import Phase, Step
from coach.core.session.runner import Outcome, StepResult

MONDAY = datetime(2026, 3, 9, 9, 0, tzinfo=UTC)


def _session(store: Store, steps: list[tuple[int, Phase]]) -> int:
    sid = store.start_session("daily-relief", Text.of("Daily relief"))
    for n, (item, phase) in enumerate(steps):
        step = Step(n, phase, 5.0, "P1", item, Text.of("Hold"))
        store.record_step(sid, StepResult(step, 5.0, Outcome.COMPLETED))
    return sid


def test_close_interrupted_tells_what_was_done(tmp_path: Path) -> None:
    with Store.open(tmp_path / "coach.sqlite3", clock=lambda: MONDAY) as store:
        worked = _session(store, [(0, Phase.HOLD), (1, Phase.MOVE), (1, Phase.HOLD)])
        nothing = _session(store, [(0, Phase.GET_READY)])
        ended = _session(store, [(0, Phase.HOLD)])
        store.end_session(ended, SessionOutcome.COMPLETED)

        found = close_interrupted(store)

        assert [(i.session_id, i.exercise_no) for i in found] == [(worked, 2)]
        assert found[0].routine_title == Text.of("Daily relief")
        assert store.session(worked).outcome is SessionOutcome.ABANDONED
        assert store.session(nothing).outcome is SessionOutcome.ABANDONED
        assert store.session(ended).outcome is SessionOutcome.COMPLETED
        assert len(store.steps(worked)) == 3  # nothing recorded is lost
        assert close_interrupted(store) == []  # told once


def test_an_interrupted_day_is_partly_done_not_missed(tmp_path: Path) -> None:
    from coach.core.common.paths import resolve
    from coach.core.content.library import Library

    plan = [Library.load(resolve(tmp_path / "data")).routines["daily-relief"]]
    with Store.open(tmp_path / "coach.sqlite3", clock=lambda: MONDAY) as store:
        _session(store, [(0, Phase.HOLD)])
        close_interrupted(store)
        with History(store) as history:
            (week,) = stats.weeks(history, plan, date(2026, 3, 10), 1, UTC)
    monday = week.days[0]
    assert monday.day == date(2026, 3, 9)
    assert monday.mark is stats.DayMark.PARTLY
    assert (monday.done, monday.interrupted) == (0, 1)
    assert (week.done, week.adherence) == (0, 0.0)  # not a done session
