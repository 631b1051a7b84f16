"""What the progress report for the physiotherapist shows, read from the history.

``collect_report`` reads it all in one snapshot (through ``coach.core.progress.history``
and ``coach.core.progress.stats``), with every change at home
(:mod:`coach.core.clinic.home_changes`); :mod:`coach.sheets.progress_report` lays it
out. Apart from the drawing, so that the facts can be read and tested without it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from typing import Any

from coach.core.clinic.home_changes import HomeChange, changes_at_home
from coach.core.content.model import Exercise, Routine, Text
from coach.core.progress.history import History, Measure, WalkingTest, iso, parse
from coach.core.progress.session_log import WeekTime, week_times
from coach.core.progress.stats import (
    PainBucket,
    WeekStatus,
    day_start_utc,
    local_day,
    pain_trend,
    plan_routines,
    summary,
    week_start,
    weeks,
)
from coach.core.progress.store_rows import MeasureKind
from coach.core.session.personal import PersonalInputs

MAX_WEEKS = 26
DAILY_PAIN_UP_TO_DAYS = 56
"""Daily pain means for a period up to 8 weeks, weekly means beyond."""


@dataclass(frozen=True)
class StopEvent:
    started_utc: datetime
    routine_id: str
    reason: str | None
    note: str | None


@dataclass(frozen=True)
class NoteEntry:
    taken_utc: datetime
    text: str


@dataclass(frozen=True)
class MeasureSpan:
    """The first and the latest measure of one kind (or instrument) in the period."""

    label: str  # a MeasureKind value, or "clinician_score:<instrument>"
    first: Measure
    latest: Measure


@dataclass(frozen=True)
class ReportFacts:
    since: dt.date
    until: dt.date  # inclusive
    plan: tuple[Routine, ...]
    weeks: tuple[WeekStatus, ...]
    pain: tuple[PainBucket, ...]
    pain_by: str
    walking: tuple[WalkingTest, ...]
    sentences: tuple[Text, ...]
    stops: tuple[StopEvent, ...]
    notes: tuple[NoteEntry, ...]
    measures: tuple[MeasureSpan, ...]
    sessions_done: int
    sessions_stopped: int
    changes: tuple[HomeChange, ...] = ()
    week_times: tuple[WeekTime, ...] = ()  # time done against planned, per week
    sessions_skipped: int = 0  # run through with most of it skipped: not done


def collect_report(
    history: History,
    routines: Mapping[str, Routine],
    since: dt.date,
    until: dt.date,
    now: datetime,
    tz: tzinfo | None = None,
    *,
    exercises: Mapping[str, Exercise] | None = None,
    inputs: PersonalInputs | None = None,
) -> ReportFacts:
    """Everything the report shows for the days ``since`` to ``until`` (both included).

    ``exercises`` name the exercises in the changes at home (without them, their
    ids); ``inputs`` (the person's health answers, from ``coach.core.person``) add
    what those answers leave out or swap.
    """
    if until < since:
        raise ValueError("the period ends before it starts")
    start = day_start_utc(since, tz)
    end = day_start_utc(until + timedelta(days=1), tz)
    span_days = (until - since).days + 1
    week_count = min(MAX_WEEKS, (week_start(until) - week_start(since)).days // 7 + 1)
    by = "day" if span_days <= DAILY_PAIN_UP_TO_DAYS else "week"
    with history.snapshot():
        plan = plan_routines(history, routines, until, tz)
        week_list = weeks(history, plan, until, week_count, tz)
        pain = pain_trend(history, since, until + timedelta(days=1), by=by, tz=tz)
        walking = [
            t for t in history.walking_tests() if since <= local_day(t.taken_utc, tz) <= until
        ]
        sentences = summary(history, now)
        sessions = history.sessions(start, end)
        stops = [
            StopEvent(parse(r["started_utc"]), r["routine_id"], r["stop_reason"], r["stop_note"])
            for r in history.rows(
                "SELECT started_utc, routine_id, stop_reason, stop_note FROM sessions"
                " WHERE outcome = 'stopped' AND started_utc >= ? AND started_utc < ?"
                " ORDER BY started_utc, id",
                (iso(start), iso(end)),
            )
        ]
        notes = [
            NoteEntry(parse(r["taken_utc"]), str(r["text"]))
            for r in history.rows(
                "SELECT taken_utc, text FROM notes WHERE taken_utc >= ? AND taken_utc < ?"
                " ORDER BY taken_utc, id",
                (iso(start), iso(end)),
            )
            if str(r["text"]).strip()
        ]
        measures = _measure_spans(history, start, end)
        times = week_times(history, [w.start for w in week_list], tz)
    changes = changes_at_home(
        history,
        start,
        end,
        routines=routines,
        exercises=exercises or {},
        inputs=inputs,
        routine_ids=[r.id for r in plan],
        tz=tz,
    )
    return ReportFacts(
        since=since,
        until=until,
        plan=tuple(plan),
        weeks=tuple(week_list),
        pain=tuple(pain),
        pain_by=by,
        walking=tuple(walking),
        sentences=tuple(sentences),
        stops=tuple(stops),
        notes=tuple(notes),
        measures=tuple(measures),
        sessions_done=sum(1 for s in sessions if s.counted),
        sessions_stopped=len(stops),
        changes=tuple(changes),
        week_times=tuple(times),
        sessions_skipped=sum(1 for s in sessions if s.outcome == "completed" and not s.counted),
    )


def _measure_spans(history: History, start: datetime, end: datetime) -> list[MeasureSpan]:
    spans = []
    for kind in (MeasureKind.PSFS, MeasureKind.CHAIR_STAND):
        found = history.measures(kind, since=start, until=end)
        if found:
            spans.append(MeasureSpan(kind.value, found[0], found[-1]))
    by_instrument: dict[str, list[Measure]] = {}
    for m in history.measures(MeasureKind.CLINICIAN_SCORE, since=start, until=end):
        instrument = str(m.value.get("instrument") or "").strip()
        if instrument and _score(m.value.get("score")) is not None:
            by_instrument.setdefault(instrument, []).append(m)
    for instrument, found in sorted(by_instrument.items()):
        spans.append(MeasureSpan(f"clinician_score:{instrument}", found[0], found[-1]))
    return spans


def _score(value: Any) -> float | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return None
