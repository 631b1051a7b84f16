"""What the current plan asks for today and how much of it is done: the home view's question.

A day is the person's local calendar day (or the one of an explicit time zone), so a
session late in the evening counts for the day it was done on; the report to the clinic
counts days the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any

from coach.core.clinic.install import InstalledAssignment, as_needed, current_assignment
from coach.core.common.paths import Paths
from coach.core.content.model import Routine, Text


def _local_bounds(day: date, tz: tzinfo | None) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time.min)
    end = datetime.combine(day + timedelta(days=1), time.min)
    if tz is None:
        return start.astimezone(), end.astimezone()
    return start.replace(tzinfo=tz), end.replace(tzinfo=tz)


def _local_day(moment: datetime, tz: tzinfo | None) -> date:
    return (moment.astimezone(tz) if tz is not None else moment.astimezone()).date()


def due_on(
    routine: Routine, day: date, start: date | None = None, done_earlier_this_week: int = 0
) -> int:
    """How many sessions of ``routine`` the schedule asks for on ``day``.

    An "n times a week" routine is due on each of its possible days until the
    week's count is reached; ``done_earlier_this_week`` are its sessions on the
    days of the ISO week before ``day``.
    """
    from coach.core.progress.stats import flexible_due_on, planned_on, weekly_quota

    if (start is not None and day < start) or as_needed(routine):
        return 0
    if routine.schedule.times_per_week is None:
        return planned_on([routine], day)
    monday = day - timedelta(days=day.weekday())
    week = [monday + timedelta(days=k) for k in range(7)]
    quota = weekly_quota(routine, [d for d in week if start is None or d >= start])
    return flexible_due_on([routine], day, quota - done_earlier_this_week)


@dataclass(frozen=True)
class TodayItem:
    routine_id: str  # the installed id, for starting it
    title: Text
    due: int
    done: int
    as_needed: bool = False  # for bad days: never due
    # "n times a week": the week's count and the sessions done towards it (today's too).
    per_week: int | None = None
    done_this_week: int = 0


@dataclass(frozen=True)
class TodayPlan:
    installed: InstalledAssignment
    day: date
    items: tuple[TodayItem, ...]

    @property
    def due(self) -> int:
        return sum(i.due for i in self.items)

    @property
    def done(self) -> int:
        return sum(min(i.done, i.due) for i in self.items)

    @property
    def rest_day(self) -> bool:
        return self.due == 0

    @property
    def started(self) -> bool:
        return self.day >= self.installed.assignment.start


def today_plan(
    store: Any, paths: Paths, day: date | None = None, *, tz: tzinfo | None = None
) -> TodayPlan | None:
    """Today's sessions of the current plan and how many are done; None without a plan."""
    installed = current_assignment(store, paths)
    if installed is None:
        return None
    day = day or datetime.now().date()
    monday = day - timedelta(days=day.weekday())
    since, _ = _local_bounds(monday, tz)
    _, until = _local_bounds(day, tz)
    from coach.core.progress.history import History

    # The week so far: an "n times a week" routine is due until its count is
    # reached. What counts as done (a mostly skipped run does not) is the
    # history's rule, read in one query as the history view and the report do.
    with History(store) as history:
        sessions = [s for s in history.sessions(since, until) if s.counted]

    start = installed.assignment.start
    items = []
    for routine in installed.assignment.routines:
        rid = installed.routine_ids[routine.id]
        days = [_local_day(s.started_utc, tz) for s in sessions if s.routine_id == rid]
        done = sum(1 for d in days if d == day)
        earlier = sum(1 for d in days if start <= d < day)
        per_week = routine.schedule.times_per_week
        items.append(
            TodayItem(
                rid,
                routine.title,
                due_on(routine, day, start, earlier),
                done,
                as_needed(routine),
                per_week * routine.schedule.times_per_day if per_week else None,
                earlier + done,
            )
        )
    return TodayPlan(installed, day, tuple(items))
