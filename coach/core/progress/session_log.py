"""The sessions as they went, for the person's history: verdict, time done, where it stopped.

Read through :class:`~coach.core.progress.history.History`; the rule for time
done and "mostly skipped" is :mod:`coach.core.progress.effort`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from coach.core.progress.effort import NO_EFFORT, SessionEffort, Verdict, verdict
from coach.core.progress.history import History
from coach.core.progress.stats import Tz, day_start_utc


@dataclass(frozen=True)
class SessionLine:
    """One session as the history lists it."""

    id: int
    routine_id: str
    started_utc: datetime
    verdict: Verdict
    stop_reason: str | None
    effort: SessionEffort

    @property
    def stopped_exercise(self) -> str | None:
        """The exercise the session was stopped or ended in, when known."""
        if self.verdict not in (Verdict.STOPPED, Verdict.ENDED_EARLY, Verdict.INTERRUPTED):
            return None
        item = self.effort.stopped_item
        if item is None and self.effort.items:
            item = self.effort.items[-1]  # a lost session: the last item it reached
        return item.exercise_id if item is not None else None


def session_lines(history: History, since: datetime, until: datetime) -> list[SessionLine]:
    """The ended sessions started in [since, until), newest first."""
    efforts = history.efforts(since, until)
    out = [
        SessionLine(
            s.id,
            s.routine_id,
            s.started_utc,
            verdict(s.outcome, s.stop_reason, efforts.get(s.id, NO_EFFORT)),
            s.stop_reason,
            efforts.get(s.id, NO_EFFORT),
        )
        for s in history.sessions(since, until)
        if s.outcome != "in_progress"
    ]
    out.reverse()
    return out


@dataclass(frozen=True)
class WeekTime:
    """Time done against time planned over the sessions of one ISO week."""

    start: date
    planned_s: float
    done_s: float

    @property
    def share(self) -> float | None:
        return min(1.0, self.done_s / self.planned_s) if self.planned_s > 0 else None


def week_times(history: History, mondays: Sequence[date], tz: Tz = None) -> list[WeekTime]:
    """Per week, the time done of the sessions held against their planned time.

    Only sessions that reached the routine itself count (a session lost while
    getting ready had nothing planned yet); a session not held is in the
    session count of the week, not here.
    """
    out = []
    for monday in mondays:
        since = day_start_utc(monday, tz)
        until = day_start_utc(monday + timedelta(weeks=1), tz)
        efforts = [e for e in history.efforts(since, until).values() if e.recorded_planned_s > 0]
        out.append(
            WeekTime(monday, sum(e.planned_s for e in efforts), sum(e.done_s for e in efforts))
        )
    return out


__all__ = ["SessionLine", "WeekTime", "session_lines", "week_times"]
