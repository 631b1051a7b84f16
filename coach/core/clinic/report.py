"""The report that goes back to the clinic, and the rules the clinic reads it under.

It is built from the progress store for the plan's period, with the same meaning of
planned and done as the person's own progress page, so patient and clinician see the
same numbers. For the clinic a report is an outside file like a plan: it is read under
a size limit, a format version and the model before anything is shown.
"""

from __future__ import annotations

import json
import math
import stat
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from pathlib import Path
from typing import Annotated, Any, Literal

from coach import __version__
from coach.core.clinic.goals import MAX_WEEKS, Goal
from coach.core.clinic.handover import Contact, HandoverError, Patient, _details
from coach.core.clinic.home_changes import HomeChange, changes_at_home
from coach.core.clinic.install import InstalledAssignment, as_needed
from coach.core.clinic.today import _local_bounds, _local_day
from coach.core.common.atomic import write_text_atomic
from coach.core.content.library import Library
from coach.core.content.model import Identifier, Routine, Text
from coach.core.content.records import FieldProblem, Invalid, Meta, Record, field
from coach.core.progress.effort import Verdict, effort_of, verdict
from coach.core.session.personal import AS_WRITTEN, PersonalInputs

REPORT_FORMAT_VERSION = 2
"""2 adds ``changes_at_home`` and the patient's id; a clinic reads 1 and 2."""
REPORT_SUFFIX = ".coachreport"
MAX_REPORT_BYTES = 4 * 1024 * 1024


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive

    def days(self) -> list[date]:
        return [self.start + timedelta(days=n) for n in range((self.end - self.start).days + 1)]


def default_period(installed: InstalledAssignment | None, today: date | None = None) -> Period:
    today = today or datetime.now().date()
    if installed is None:
        return Period(today - timedelta(days=27), today)
    start = min(installed.assignment.start, today)
    return Period(start, today)


def _mean(values: Iterable[float | int | None]) -> float | None:
    numbers = [float(v) for v in values if v is not None]
    return round(sum(numbers) / len(numbers), 1) if numbers else None


def _text_dict(text: Any) -> dict[str, str]:
    root = getattr(text, "root", text)
    return {str(k): str(v) for k, v in dict(root).items()} if isinstance(root, dict) else {}


def _stop_text(reason: str | None) -> dict[str, str]:
    from coach.core.session.stop_rules import STOP_LABELS, StopReason

    if reason is None:
        return {}
    try:
        return dict(STOP_LABELS[StopReason(reason)].root)
    except ValueError:
        return {"en": reason}


def export_report_data(
    store: Any,
    assignment: InstalledAssignment | None,
    period: Period | None = None,
    *,
    library: Library | None = None,
    inputs: PersonalInputs | None = None,
    now: datetime | None = None,
    tz: tzinfo | None = None,
) -> dict[str, Any]:
    """The machine-readable report for the clinic, for one period (JSON-ready).

    ``inputs`` (from ``coach.core.person``) add, per routine of the plan, what
    Coach runs for this person and every change from what the clinician wrote
    (``as_run``), so the clinic sees what happened at home, not only the plan.

    Adherence counts completed sessions of the plan's routines against what
    its schedule asked for each day (at most the planned number a day); pain
    is before and after each session, back and leg apart; walking tolerance
    comes from the walking tests; every stopped session is listed with its
    reason. ``changes_at_home`` lists, dated, every way the patient's days
    differed from the plan (:mod:`coach.core.clinic.home_changes`).
    """
    now = now or datetime.now(UTC)
    today = _local_day(now, tz)
    period = period or default_period(assignment, today)
    since, _ = _local_bounds(period.start, tz)
    _, until = _local_bounds(period.end, tz)
    rows = store.sessions(since, until)
    sessions = []
    for row in rows:
        steps = store.steps(row.id)
        final: dict[int, str] = {}
        for step in steps:
            final[step.step_index] = step.outcome
        effort = effort_of(steps, row.planned_total_s)
        stopped = effort.stopped_item
        sessions.append(
            {
                "date": _local_day(row.started_utc, tz).isoformat(),
                "started_utc": row.started_utc.astimezone(UTC).isoformat(),
                "ended_utc": row.ended_utc.astimezone(UTC).isoformat() if row.ended_utc else None,
                "routine_id": row.routine_id,
                "routine_title": _text_dict(row.routine_title),
                "outcome": row.outcome.value,
                "planned_s": row.planned_total_s,
                "steps_done": sum(1 for o in final.values() if o == "completed"),
                "steps_skipped": sum(1 for o in final.values() if o == "skipped"),
                "pain_before_back": row.pain_before_back,
                "pain_before_leg": row.pain_before_leg,
                "pain_after_back": row.pain_after_back,
                "pain_after_leg": row.pain_after_leg,
                "stop_reason": row.stop_reason,
                "stop_note": row.stop_note,
                # Added within format 2 (older reports lack them; docs/export-format.md).
                "verdict": verdict(row.outcome.value, row.stop_reason, effort).value,
                "time_planned_s": round(effort.planned_s, 1),
                "time_done_s": round(effort.done_s, 1),
                "stopped_at": (
                    None
                    if stopped is None
                    else {"item": stopped.item_index + 1, "exercise": stopped.exercise_id}
                ),
                "items": [
                    {
                        "item": i.item_index + 1,
                        "exercise": i.exercise_id,
                        "planned_s": round(i.planned_s, 1),
                        "done_s": round(i.done_s, 1),
                        "state": i.state.value,
                    }
                    for i in effort.items
                ],
            }
        )
    adherence = _adherence(assignment, period, sessions)
    first_week_end = period.start + timedelta(days=6)
    last_week_start = period.end - timedelta(days=6)
    first = [s for s in sessions if date.fromisoformat(s["date"]) <= first_week_end]
    last = [s for s in sessions if date.fromisoformat(s["date"]) >= last_week_start]
    pain = {
        "first_week_before_back": _mean(s["pain_before_back"] for s in first),
        "first_week_before_leg": _mean(s["pain_before_leg"] for s in first),
        "last_week_before_back": _mean(s["pain_before_back"] for s in last),
        "last_week_before_leg": _mean(s["pain_before_leg"] for s in last),
        "mean_change_back": _mean(
            s["pain_after_back"] - s["pain_before_back"]
            for s in sessions
            if s["pain_after_back"] is not None and s["pain_before_back"] is not None
        ),
        "mean_change_leg": _mean(
            s["pain_after_leg"] - s["pain_before_leg"]
            for s in sessions
            if s["pain_after_leg"] is not None and s["pain_before_leg"] is not None
        ),
    }
    walking = [
        {
            "date": _local_day(m.taken_utc, tz).isoformat(),
            "first_symptoms_s": _num(m.value.get("first_symptoms_s")),
            "total_s": _num(m.value.get("total_s")),
            "distance_m": _num(m.value.get("distance_m")),
        }
        for m in store.measures("walking_test", since=since, until=until)
    ]
    stops = [
        {
            "date": s["date"],
            "routine_title": s["routine_title"],
            "reason": s["stop_reason"],
            "reason_text": _stop_text(s["stop_reason"]),
            "note": s["stop_note"],
            "exercise": (s["stopped_at"] or {}).get("exercise"),
        }
        for s in sessions
        if s["outcome"] == "stopped"
    ]
    other: dict[str, list[dict[str, Any]]] = {}
    for kind in ("psfs", "chair_stand", "pain"):
        other[kind] = [
            {"date": _local_day(m.taken_utc, tz).isoformat(), "value": m.value}
            for m in store.measures(kind, since=since, until=until)
        ]
    report: dict[str, Any] = {
        "format_version": REPORT_FORMAT_VERSION,
        "kind": "coach-report",
        "created": now.astimezone(UTC).isoformat(),
        "app_version": __version__,
        "period": {"start": period.start.isoformat(), "end": period.end.isoformat()},
        "patient": None,
        "clinician": None,
        "assignment_id": None,
        "assignment_created": None,
        "review": None,
        "plan": None,
        "adherence": adherence,
        "pain": pain,
        "walking_tests": walking,
        "stops": stops,
        "sessions": sessions,
        "psfs": other["psfs"],
        "chair_stand": other["chair_stand"],
        "pain_measures": other["pain"],
        "changes_at_home": [
            c.to_json_dict()
            for c in _changes_at_home(store, assignment, since, until, library, inputs, tz)
        ],
    }
    if assignment is not None:
        a = assignment.assignment
        titles: dict[str, dict[str, str]] = {e.id: dict(e.title.root) for e in a.exercises}
        if library is not None:
            for routine in a.routines:
                for ident in routine.exercise_ids():
                    ex = library.exercises.get(ident)
                    if ident not in titles and ex is not None:
                        titles[ident] = dict(ex.title.root)
        if library is not None:
            report["as_run"] = _as_run(assignment, library, inputs or AS_WRITTEN)
        report |= {
            "patient": a.patient.to_data(),
            "clinician": a.clinician.to_data(),
            "assignment_id": a.id,
            "assignment_created": a.created.isoformat(),
            "review": a.review.isoformat() if a.review else None,
            "plan": {
                "start": a.start.isoformat(),
                "goals": a.goal_texts(),
                # Format 3 plans: the goals with German words and baseline scores,
                # the programme's length and the week the report was made in.
                "goal_details": [g.to_data() for g in a.goals],
                "weeks": a.weeks,
                "programme_week": a.week_on(today),
                "measures": list(a.measures),
                "routines": [r.to_data(drop_default_none=True) for r in a.routines],
                "exercise_titles": titles,
            },
        }
    return report


def _changes_at_home(
    store: Any,
    installed: InstalledAssignment | None,
    since: datetime,
    until: datetime,
    library: Library | None,
    inputs: PersonalInputs | None,
    tz: tzinfo | None,
) -> list[HomeChange]:
    from coach.core.progress.history import History

    with History(Path(store.path)) as history:
        return changes_at_home(
            history,
            since,
            until,
            routines=library.routines if library is not None else {},
            exercises=library.exercises if library is not None else {},
            inputs=inputs,
            routine_ids=installed.installed_routine_ids if installed is not None else (),
            tz=tz,
        )


def _as_run(
    installed: InstalledAssignment, library: Library, inputs: PersonalInputs
) -> list[dict[str, Any]]:
    """Each plan routine as the person does it now, against the routine as handed over."""
    out = []
    for routine in installed.assignment.routines:
        here = library.routines.get(installed.routine_ids.get(routine.id, ""))
        # The installed copy carries the id the person's dose steps are kept under.
        target = here if here is not None else routine
        try:
            personal = inputs.plan_for(target, library.exercises)
            written = AS_WRITTEN.plan_for(target, library.exercises).total_seconds
        except (KeyError, ValueError):
            continue
        out.append(
            {
                "routine_id": routine.id,
                "playable": personal.playable,
                "total_seconds": round(personal.total_seconds),
                "written_total_seconds": round(written),
                "changes": [
                    {
                        "cause": c.cause.value,
                        "kind": c.kind.value,
                        "item": None if c.item_index is None else c.item_index + 1,
                        "exercise": c.exercise_id,
                        "text": dict(c.text.root),
                        "reason": {lang: c.reason(lang) for lang in ("en", "de")},
                    }
                    for c in personal.changes
                ],
            }
        )
    return out


def _num(value: Any) -> float | None:
    if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
        return float(value)
    return None


def _adherence(
    assignment: InstalledAssignment | None, period: Period, sessions: list[dict[str, Any]]
) -> dict[str, Any] | None:
    """Sessions done against planned, with the definitions of coach.core.progress.stats.

    Planned: each scheduled weekday of a plan routine plans ``times_per_day``
    sessions, from the plan's start on; an "n times a week" routine plans n
    exercise days a week (fewer in a week the report or the plan covers in
    part). Done: any session completed or stopped by the person (stopping
    when it hurts is doing it right), but not one run through with most of it
    skipped (:mod:`coach.core.progress.effort`); weeks are ISO weeks (Monday
    to Sunday), as the person's own progress page shows them. The time done
    is counted against the planned time of the sessions held.
    """
    from coach.core.progress.stats import planned_in_week

    if assignment is None:
        return None
    a = assignment.assignment
    counted: dict[str, int] = {}
    completed = stopped = skipped = ended = 0
    time_by_day: dict[str, tuple[float, float]] = {}
    for s in sessions:
        if date.fromisoformat(s["date"]) < a.start:
            continue
        if s["items"]:
            planned_s, done_s = time_by_day.get(s["date"], (0.0, 0.0))
            time_by_day[s["date"]] = (planned_s + s["time_planned_s"], done_s + s["time_done_s"])
        skipped += s["verdict"] == Verdict.MOSTLY_SKIPPED
        ended += s["verdict"] == Verdict.ENDED_EARLY
        if s["verdict"] not in (Verdict.COMPLETED, Verdict.STOPPED):
            continue
        counted[s["date"]] = counted.get(s["date"], 0) + 1
        completed += s["verdict"] == Verdict.COMPLETED
        stopped += s["verdict"] == Verdict.STOPPED
    weeks: dict[date, dict[str, Any]] = {}
    plan = [r for r in a.routines if not as_needed(r)]
    week_days: dict[date, list[date]] = {}
    total_planned = total_done = 0
    all_planned = all_done = 0.0
    for day in period.days():
        if day < a.start:
            continue
        monday = day - timedelta(days=day.weekday())
        week = weeks.setdefault(monday, {"start": monday.isoformat(), "prescribed": 0, "done": 0})
        week_days.setdefault(monday, []).append(day)
        done = counted.get(day.isoformat(), 0)
        week["done"] += done
        total_done += done
        time_planned, time_done = time_by_day.get(day.isoformat(), (0.0, 0.0))
        week["time_planned_s"] = round(week.get("time_planned_s", 0.0) + time_planned, 1)
        week["time_done_s"] = round(week.get("time_done_s", 0.0) + time_done, 1)
        all_planned += time_planned
        all_done += time_done
    for monday, days in week_days.items():
        # "n times a week" counts by the week, cut to the days of it the report covers.
        planned = planned_in_week(plan, days)
        weeks[monday]["prescribed"] = planned
        total_planned += planned
    return {
        "prescribed": total_planned,
        "done": total_done,
        "completed": completed,
        "stopped": stopped,
        "mostly_skipped": skipped,
        "ended_early": ended,
        "ratio": round(min(1.0, total_done / total_planned), 3) if total_planned else None,
        "time_planned_s": round(all_planned, 1),
        "time_done_s": round(all_done, 1),
        "time_ratio": round(min(1.0, all_done / all_planned), 3) if all_planned else None,
        "weeks": list(weeks.values()),
    }


def write_report_file(path: Path, report: Mapping[str, Any]) -> Path:
    """Write the report as readable JSON, atomically; adds .coachreport if missing."""
    path = Path(path)
    if path.suffix.lower() != REPORT_SUFFIX:
        path = path.with_name(path.name + REPORT_SUFFIX)
    try:
        Report.from_data(report)  # never hand out a file the clinic would refuse
    except Invalid as exc:
        raise HandoverError(f"The report could not be written: {exc}") from None
    text = json.dumps(report, ensure_ascii=False, indent=2, allow_nan=False) + "\n"
    write_text_atomic(path, text)
    return path


# -- reading a report (the clinic's side) ---------------------------------------


class ReportPeriod(Record, kw_only=True):
    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise FieldProblem("end", "the period ends before it starts")


# Limits far beyond any real report, so that a damaged or made-up one (a
# billion sessions, a walk of 1e300 s) is refused instead of shown.
MAX_SECONDS = 86_400
MAX_COUNT = 1_000_000
MAX_DISTANCE_M = 100_000
MAX_WEEK_SECONDS = 7 * MAX_SECONDS
MAX_TOTAL_SECONDS = 5000 * MAX_SECONDS

Pain = Annotated[int, Meta(ge=0, le=10)]
Seconds = Annotated[float, Meta(ge=0, le=MAX_SECONDS)]
Count = Annotated[int, Meta(ge=0, le=MAX_COUNT)]
Reason = Annotated[str, Meta(max_length=200)]
Note = Annotated[str, Meta(max_length=4000)]
Average = Annotated[float, Meta(ge=0, le=10)]
Change = Annotated[float, Meta(ge=-10, le=10)]


# A report holds more than the clinic's list reads (start times, the other
# measures), so these parts pass over fields they do not name.


SessionVerdict = Literal[
    "completed", "mostly_skipped", "stopped", "ended_early", "interrupted", "in_progress"
]


class ReportStoppedAt(Record, kw_only=True, forbid_unknown_fields=False):
    item: Annotated[int, Meta(ge=1, le=200)]
    exercise: Annotated[str, Meta(max_length=200)] | None = None


class ReportItem(Record, kw_only=True, forbid_unknown_fields=False):
    """One routine item as it went in one session: done, partly, skipped or stopped."""

    item: Annotated[int, Meta(ge=1, le=200)]
    exercise: Annotated[str, Meta(max_length=200)] | None = None
    planned_s: Seconds = 0
    done_s: Seconds = 0
    state: Annotated[str, Meta(max_length=20)]


class ReportSession(Record, kw_only=True, forbid_unknown_fields=False):
    date: date
    started_utc: datetime | None = None
    routine_id: Annotated[str, Meta(max_length=200)]
    routine_title: dict[str, str] = field(default_factory=dict)
    outcome: Literal["in_progress", "completed", "stopped", "abandoned"]
    planned_s: Seconds | None = None
    steps_done: Count = 0
    steps_skipped: Count = 0
    pain_before_back: Pain | None = None
    pain_before_leg: Pain | None = None
    pain_after_back: Pain | None = None
    pain_after_leg: Pain | None = None
    stop_reason: Reason | None = None
    stop_note: Note | None = None
    # Added within format 2: older reports lack them and read as before.
    verdict: SessionVerdict | None = None
    time_planned_s: Seconds | None = None
    time_done_s: Seconds | None = None
    stopped_at: ReportStoppedAt | None = None
    items: Annotated[list[ReportItem], Meta(max_length=200)] = field(default_factory=list)

    @property
    def time_share(self) -> float | None:
        """Time done over time planned (0-1); None in older reports."""
        if self.time_planned_s and self.time_done_s is not None:
            return min(1.0, self.time_done_s / self.time_planned_s)
        return None


class ReportStop(Record, kw_only=True, forbid_unknown_fields=False):
    date: date
    routine_title: dict[str, str] = field(default_factory=dict)
    reason: Reason | None = None
    reason_text: dict[str, str] = field(default_factory=dict)
    note: Note | None = None
    exercise: Annotated[str, Meta(max_length=200)] | None = None  # where it stopped


class ReportWalk(Record, kw_only=True, forbid_unknown_fields=False):
    date: date
    first_symptoms_s: Seconds | None = None
    total_s: Seconds | None = None
    distance_m: Annotated[float, Meta(ge=0, le=MAX_DISTANCE_M)] | None = None


class ReportWeek(Record, kw_only=True, forbid_unknown_fields=False):
    start: date
    prescribed: Count
    done: Count
    time_planned_s: Annotated[float, Meta(ge=0, le=MAX_WEEK_SECONDS)] | None = None
    time_done_s: Annotated[float, Meta(ge=0, le=MAX_WEEK_SECONDS)] | None = None


class ReportAdherence(Record, kw_only=True, forbid_unknown_fields=False):
    prescribed: Count
    done: Count
    completed: Count = 0
    stopped: Count = 0
    mostly_skipped: Count = 0
    ended_early: Count = 0
    ratio: Annotated[float, Meta(ge=0, le=1)] | None = None
    time_planned_s: Annotated[float, Meta(ge=0, le=MAX_TOTAL_SECONDS)] | None = None
    time_done_s: Annotated[float, Meta(ge=0, le=MAX_TOTAL_SECONDS)] | None = None
    time_ratio: Annotated[float, Meta(ge=0, le=1)] | None = None
    weeks: Annotated[list[ReportWeek], Meta(max_length=600)] = field(default_factory=list)


class ReportPain(Record, kw_only=True, forbid_unknown_fields=False):
    first_week_before_back: Average | None = None
    first_week_before_leg: Average | None = None
    last_week_before_back: Average | None = None
    last_week_before_leg: Average | None = None
    mean_change_back: Change | None = None
    mean_change_leg: Change | None = None


class ReportPlan(Record, kw_only=True, forbid_unknown_fields=False):
    start: date
    goals: Annotated[list[str], Meta(max_length=5)] = field(default_factory=list)
    measures: Annotated[list[str], Meta(max_length=10)] = field(default_factory=list)
    routines: Annotated[list[Routine], Meta(max_length=10)] = field(default_factory=list)
    exercise_titles: dict[str, Text] = field(default_factory=dict)
    # From format-3 plans on (older reports: empty / None); coach.core.clinic.goals
    # sets the goals' baselines against the PSFS ratings.
    goal_details: Annotated[list[Goal], Meta(max_length=5)] = field(default_factory=list)
    weeks: Annotated[int, Meta(ge=1, le=MAX_WEEKS)] | None = None
    programme_week: Annotated[int, Meta(ge=1, le=10_000)] | None = None


class ReportChange(Record, kw_only=True, forbid_unknown_fields=False):
    """One way the routine at home differs from the plan (coach.core.session.personal)."""

    cause: Annotated[str, Meta(max_length=40)]
    kind: Annotated[str, Meta(max_length=40)]
    item: Annotated[int, Meta(ge=1, le=100)] | None = None
    exercise: Identifier | None = None
    text: Text
    reason: Text | None = None  # the clinician's words (format 2 on)


class ReportRoutineRun(Record, kw_only=True, forbid_unknown_fields=False):
    """A plan routine as Coach runs it for the patient."""

    routine_id: Identifier
    playable: bool = True
    total_seconds: Seconds = 0
    written_total_seconds: Seconds = 0
    changes: Annotated[list[ReportChange], Meta(max_length=200)] = field(default_factory=list)


class ReportHomeChange(Record, kw_only=True, forbid_unknown_fields=False):
    """One dated change at home (coach.core.clinic.home_changes); details pass over."""

    date: date
    kind: Annotated[str, Meta(max_length=40)]
    exercise: Annotated[str, Meta(max_length=200)] | None = None
    exercise_title: Text | None = None
    routine_id: Annotated[str, Meta(max_length=200)] | None = None
    routine_title: Text | None = None
    what: Text
    reason: Text | None = None
    at_utc: datetime | None = None
    note: Note | None = None

    def line(self, lang: str = "en") -> str:
        """'Knee hug: easier: hold 30 → 25 s (the patient accepted it ...)'."""
        what = self.what.get(lang)
        if self.reason is not None:
            what += f" ({self.reason.get(lang)})"
        if self.note:
            what += f" – “{self.note}”"
        if self.exercise_title is None:
            return what[:1].upper() + what[1:]
        return f"{self.exercise_title.get(lang)}: {what}"


class ReportMeasure(Record, kw_only=True, forbid_unknown_fields=False):
    """A PSFS rating or a chair-stand count as the store kept it (read by the clinic's list)."""

    date: date
    value: Annotated[dict[Annotated[str, Meta(max_length=200)], Any], Meta(max_length=20)]


class Report(Record, kw_only=True, forbid_unknown_fields=False):
    """A patient's report as the clinic reads it back (checked like any outside file)."""

    format_version: int
    kind: Literal["coach-report"]
    created: datetime
    app_version: Annotated[str, Meta(max_length=40)] | None = None
    period: ReportPeriod
    patient: Patient | None = None
    clinician: Contact | None = None
    assignment_id: Identifier | None = None
    assignment_created: datetime | None = None
    review: date | None = None
    plan: ReportPlan | None = None
    # Reports from before the personal plan have none: an empty list, not a problem.
    as_run: Annotated[list[ReportRoutineRun], Meta(max_length=10)] = field(default_factory=list)
    adherence: ReportAdherence | None = None
    pain: ReportPain = field(default_factory=ReportPain)
    walking_tests: Annotated[list[ReportWalk], Meta(max_length=2000)] = field(default_factory=list)
    stops: Annotated[list[ReportStop], Meta(max_length=5000)] = field(default_factory=list)
    sessions: Annotated[list[ReportSession], Meta(max_length=10000)] = field(default_factory=list)
    psfs: Annotated[list[ReportMeasure], Meta(max_length=2000)] = field(default_factory=list)
    chair_stand: Annotated[list[ReportMeasure], Meta(max_length=2000)] = field(default_factory=list)
    # Format 1 has none: an empty list, and the clinic says the report is older.
    changes_at_home: Annotated[list[ReportHomeChange], Meta(max_length=20000)] = field(
        default_factory=list
    )

    @property
    def patient_name(self) -> str:
        return self.patient.name if self.patient else "(no name)"

    @property
    def patient_id(self) -> str | None:
        """The id the clinic gave the patient in the hand-over; None in older reports."""
        return self.patient.id if self.patient else None


def read_report_bytes(raw: bytes, name: str = "report.coachreport") -> Report:
    if len(raw) > MAX_REPORT_BYTES:
        raise HandoverError(
            f"{name}: refused, the report is {len(raw) // 1024} KiB; reports up to "
            f"{MAX_REPORT_BYTES // 1024} KiB are accepted"
        )
    try:
        text = raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        raise HandoverError(f"{name}: refused, it is not a Coach report (not text)") from None
    try:
        data = json.loads(text, parse_constant=_no_constant, parse_float=_finite, parse_int=_whole)
    except RecursionError:
        raise HandoverError(f"{name}: refused, the report is nested far too deeply") from None
    except _NotANumber as exc:
        raise HandoverError(f"{name}: refused, {exc}") from None
    except ValueError as exc:
        raise HandoverError(f"{name}: refused, it is not a Coach report ({exc})") from None
    if not isinstance(data, dict) or data.get("kind") != "coach-report":
        raise HandoverError(f"{name}: refused, it is not a Coach report")
    version = data.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise HandoverError(f"{name}: refused, format_version must be a whole number such as 1")
    if version > REPORT_FORMAT_VERSION:
        raise HandoverError(
            f"{name}: refused, this report comes from a newer Coach (format {version}); "
            f"this Coach reads up to format {REPORT_FORMAT_VERSION}. Please update Coach."
        )
    try:
        return Report.from_data(data)
    except Invalid as exc:
        details = _details(exc.problems)
        raise HandoverError(f"{name}: refused, {details[0]}", details) from None


class _NotANumber(ValueError):
    pass


def _no_constant(value: str) -> Any:
    raise _NotANumber(f"'{value}' is not a number a report can hold")


def _finite(text: str) -> float:
    """A JSON number as a float; 1e999 would read as infinity."""
    value = float(text)
    if not math.isfinite(value):
        shown = text if len(text) <= 40 else text[:37] + "..."
        raise _NotANumber(f"the number {shown} is far too large")
    return value


def _whole(text: str) -> int:
    """A JSON whole number; one with thousands of digits is refused before Python parses it."""
    if len(text.lstrip("-")) > 30:
        raise _NotANumber(f"the number {text[:20]}... is far too large")
    return int(text)


def read_report_file(path: Path) -> Report:
    """Read and check a report file; raises HandoverError with one clear line."""
    return read_report_bytes(report_file_bytes(path), Path(path).name)


def report_file_bytes(path: Path) -> bytes:
    """A report file's bytes, under the size limit; HandoverError if it cannot be read."""
    path = Path(path)
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise HandoverError(f"{path.name}: refused, it is not a regular file")
        if info.st_size > MAX_REPORT_BYTES:
            raise HandoverError(
                f"{path.name}: refused, the report is {info.st_size // 1024} KiB; reports up "
                f"to {MAX_REPORT_BYTES // 1024} KiB are accepted"
            )
        with path.open("rb") as handle:
            raw = handle.read(MAX_REPORT_BYTES + 1)
    except OSError as exc:
        raise HandoverError(f"{path.name}: cannot be read ({exc.strerror})") from None
    return raw
