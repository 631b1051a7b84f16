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


def due_on(routine: Routine, day: date, start: date | None = None) -> int:
    """How many sessions of ``routine`` the schedule asks for on ``day``."""
    from coach.core.progress.stats import planned_on

    if (start is not None and day < start) or as_needed(routine):
        return 0
    return planned_on([routine], day)


@dataclass(frozen=True)
class TodayItem:
    routine_id: str  # the installed id, for starting it
    title: Text
    due: int
    done: int
    as_needed: bool = False  # for bad days: never due


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
    since, until = _local_bounds(day, tz)
    sessions = store.sessions(since, until)
    from coach.core.progress.history import COUNTED_OUTCOMES

    items = []
    for routine in installed.assignment.routines:
        rid = installed.routine_ids[routine.id]
        done = sum(1 for s in sessions if s.routine_id == rid and s.outcome in COUNTED_OUTCOMES)
        items.append(
            TodayItem(
                rid,
                routine.title,
                due_on(routine, day, installed.assignment.start),
                done,
                as_needed(routine),
            )
        )
    return TodayPlan(installed, day, tuple(items))
