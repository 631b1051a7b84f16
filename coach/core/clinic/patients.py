"""The clinic's side: keeping the reports patients send back, and the patient list.

Only the clinic's Coach needs this. Every report is kept (the same report imported
twice is one file), and the list has one row per patient: reports are put together
by the patient id the hand-over file gave the patient, never by name. A report
without an id (from a Coach before format 2, or without a plan) joins the patient of
that name when there is exactly one, else a row of its own; either way the row says
that it was matched by name.

Reports of one plan overlap (each runs from the plan's start to the day it was
made), so a trend across reports takes each day from the newest report that covers
it: a session is counted once however many reports list it.
"""

from __future__ import annotations

import contextlib
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import TypeVar

from coach.core.clinic.handover import MANIFEST, HandoverError, handed_over_folder
from coach.core.clinic.report import (
    Period,
    Report,
    ReportChange,
    ReportHomeChange,
    ReportMeasure,
    ReportSession,
    ReportStop,
    ReportWalk,
    ReportWeek,
    read_report_bytes,
    read_report_file,
    report_file_bytes,
)
from coach.core.common.atomic import write_bytes_atomic
from coach.core.common.paths import Paths
from coach.core.content.custom_exercise import slug
from coach.core.progress.measures import PsfsChange, psfs_change, psfs_scores

REVIEW_SOON_DAYS = 7
"""A review this close is 'due' in the list."""

_T = TypeVar("_T")


def clinic_reports_folder(paths: Paths) -> Path:
    return paths.data / "clinic" / "reports"


def _report_file_name(report: Report) -> str:
    who = report.patient_id or slug(report.patient_name, 30) or "patient"
    plan = report.assignment_id or "no-plan"
    made = report.created
    return f"{who}-{plan}-{report.period.end:%Y%m%d}-{made:%Y%m%dT%H%M%S}.json"


def import_report(path: Path, paths: Paths) -> Report:
    """Check a patient's report and keep it in the clinic's folder, beside the earlier ones.

    The same report imported again is kept once (its name comes from the patient,
    the plan, the period's end and when it was made).
    """
    # The bytes that were checked are the bytes kept (read once).
    raw = report_file_bytes(path)
    report = read_report_bytes(raw, Path(path).name)
    target = clinic_reports_folder(paths) / _report_file_name(report)
    try:
        write_bytes_atomic(target, raw)
    except OSError as exc:
        raise HandoverError(f"The report could not be kept ({exc.strerror or exc}).") from None
    return report


@dataclass(frozen=True)
class KeptReport:
    report: Report
    file: Path

    @property
    def matched_by_name(self) -> bool:
        return self.report.patient_id is None

    @property
    def newest_key(self) -> tuple[date, str]:
        return self.report.period.end, self.report.created.isoformat()


class ReviewState(StrEnum):
    NONE = "none"
    PLANNED = "planned"
    DUE = "due"  # within REVIEW_SOON_DAYS, or today
    OVERDUE = "overdue"


@dataclass(frozen=True)
class Review:
    state: ReviewState
    day: date | None = None
    days: int = 0  # days until it (DUE, PLANNED) or since it (OVERDUE)


@dataclass(frozen=True)
class GoalTrend:
    """One PSFS activity: its first rating (the baseline) and its latest."""

    activity: str
    baseline: int
    latest: int | None  # None: a goal scored at the clinic, not yet rated at home
    baseline_day: date
    latest_day: date | None
    is_goal: bool  # one of the plan's goals
    from_clinic: bool = False  # the baseline is the clinician's score at the plan's start


@dataclass(frozen=True)
class PatientRow:
    """One patient of the clinician's list: every report of theirs, newest first."""

    key: str
    reports: tuple[KeptReport, ...]

    # -- the newest report --------------------------------------------------
    @property
    def report(self) -> Report:
        return self.reports[0].report

    @property
    def file(self) -> Path:
        return self.reports[0].file

    @property
    def patient(self) -> str:
        return self.report.patient_name

    @property
    def patient_id(self) -> str | None:
        return next((k.report.patient_id for k in self.reports if k.report.patient_id), None)

    @property
    def matched_by_name(self) -> int:
        """How many of the reports were matched by the name alone (no patient id)."""
        return sum(1 for k in self.reports if k.matched_by_name)

    @property
    def period(self) -> Period:
        return Period(self.report.period.start, self.report.period.end)

    @property
    def adherence(self) -> float | None:
        a = self.report.adherence
        return a.ratio if a is not None else None

    @property
    def sessions_done(self) -> tuple[int, int] | None:
        a = self.report.adherence
        return (a.done, a.prescribed) if a is not None else None

    @property
    def time_done(self) -> float | None:
        """Share of the planned time done in the sessions held; None in older reports."""
        a = self.report.adherence
        return a.time_ratio if a is not None else None

    @property
    def mostly_skipped(self) -> int:
        """Sessions run through with most of them skipped (not counted as done)."""
        a = self.report.adherence
        return a.mostly_skipped if a is not None else 0

    def review(self, today: date) -> Review:
        day = self.report.review
        if day is None:
            return Review(ReviewState.NONE)
        if today > day:
            return Review(ReviewState.OVERDUE, day, (today - day).days)
        days = (day - today).days
        state = ReviewState.DUE if days <= REVIEW_SOON_DAYS else ReviewState.PLANNED
        return Review(state, day, days)

    @property
    def changes(self) -> dict[str, list[ReportChange]]:
        """What Coach changes at home now, per routine id of the plan (unchanged ones left out)."""
        return {run.routine_id: list(run.changes) for run in self.report.as_run if run.changes}

    # -- across all reports ---------------------------------------------------
    def pooled(
        self, items: Callable[[Report], Iterable[_T]], day: Callable[[_T], date]
    ) -> list[_T]:
        """The items of every report, each day taken from the newest report covering it."""
        covered: list[tuple[date, date]] = []
        out: list[_T] = []
        for kept in self.reports:
            r = kept.report
            for item in items(r):
                d = day(item)
                if not any(a <= d <= b for a, b in covered):
                    out.append(item)
            covered.append((r.period.start, r.period.end))
        out.sort(key=day)
        return out

    @property
    def sessions(self) -> list[ReportSession]:
        return self.pooled(lambda r: r.sessions, lambda s: s.date)

    @property
    def weeks(self) -> list[ReportWeek]:
        """Sessions done and planned per week of the plans, oldest first."""
        return self.pooled(
            lambda r: r.adherence.weeks if r.adherence is not None else (), lambda w: w.start
        )

    @property
    def adherence_trend(self) -> list[tuple[date, float]]:
        """Each report's share of planned sessions done, oldest report first."""
        return [
            (k.report.period.end, k.report.adherence.ratio)
            for k in reversed(self.reports)
            if k.report.adherence is not None and k.report.adherence.ratio is not None
        ]

    @property
    def pain_trend(self) -> tuple[float | None, float | None, float | None, float | None]:
        """Before-session pain, the first week of the first report and the last week of
        the newest: back, back, leg, leg."""
        oldest_first = [k.report.pain for k in reversed(self.reports)]

        def first(values: Iterable[float | None]) -> float | None:
            return next((v for v in values if v is not None), None)

        return (
            first(p.first_week_before_back for p in oldest_first),
            first(p.last_week_before_back for p in reversed(oldest_first)),
            first(p.first_week_before_leg for p in oldest_first),
            first(p.last_week_before_leg for p in reversed(oldest_first)),
        )

    @property
    def pain_change(self) -> tuple[float | None, float | None]:
        """Mean change of pain from before to after a session, back and leg, all reports."""

        def mean(pairs: list[tuple[int | None, int | None]]) -> float | None:
            found = [b - a for a, b in pairs if a is not None and b is not None]
            return round(sum(found) / len(found), 1) if found else None

        sessions = self.sessions
        return (
            mean([(s.pain_before_back, s.pain_after_back) for s in sessions]),
            mean([(s.pain_before_leg, s.pain_after_leg) for s in sessions]),
        )

    @property
    def walking_tests(self) -> list[ReportWalk]:
        return [
            t
            for t in self.pooled(lambda r: r.walking_tests, lambda t: t.date)
            if t.total_s or t.first_symptoms_s
        ]

    @property
    def walking(self) -> tuple[float | None, float | None]:
        """Minutes walked in the first and in the latest walking test of all reports."""
        tests = self.walking_tests
        if not tests:
            return None, None

        def minutes(t: ReportWalk) -> float | None:
            value = t.total_s if t.total_s is not None else t.first_symptoms_s
            return round(value / 60, 1) if value is not None else None

        return minutes(tests[0]), minutes(tests[-1])

    @property
    def walking_change(self) -> float | None:
        """The change from the first to the latest test, in per cent (≥ 30 % is meaningful)."""
        first, last = self.walking
        if first is None or last is None or first <= 0 or len(self.walking_tests) < 2:
            return None
        return round(100 * (last - first) / first)

    @property
    def chair_stands(self) -> list[tuple[date, int]]:
        out = []
        for m in self.pooled(lambda r: r.chair_stand, lambda m: m.date):
            count = m.value.get("count")
            if isinstance(count, int) and not isinstance(count, bool) and 0 <= count <= 100:
                out.append((m.date, count))
        return out

    @property
    def chair_stand(self) -> tuple[int | None, int | None]:
        found = self.chair_stands
        return (found[0][1], found[-1][1]) if found else (None, None)

    @property
    def psfs(self) -> list[ReportMeasure]:
        return [m for m in self.pooled(lambda r: r.psfs, lambda m: m.date) if psfs_scores(m.value)]

    @property
    def goals(self) -> list[str]:
        return list(self.report.plan.goals) if self.report.plan is not None else []

    @property
    def psfs_change(self) -> PsfsChange | None:
        """The PSFS mean, baseline against latest, over the activities with both.

        A goal the clinician scored starts from that score, so one rating at home
        already shows a change; other activities need two ratings.
        """
        trends = [
            t
            for t in self.goal_trends
            if t.latest is not None and (t.from_clinic or t.latest_day != t.baseline_day)
        ]
        if not trends:
            return None
        return psfs_change(
            {t.activity: t.baseline for t in trends},
            {t.activity: t.latest for t in trends if t.latest is not None},
        )

    @property
    def goal_trends(self) -> list[GoalTrend]:
        """The plan's goals, then every other activity rated: baseline against latest.

        A goal the clinician scored at the hand-over starts from that score (on the
        plan's start day; coach.core.clinic.goals matches its English or German
        words); other activities start from their first rating at home.
        """
        from coach.core.clinic.goals import goals_against_baselines

        first: dict[str, tuple[int, date]] = {}
        latest: dict[str, tuple[int, date]] = {}
        for m in self.psfs:
            for activity, score in psfs_scores(m.value).items():
                first.setdefault(_words(activity), (score, m.date))
                latest[_words(activity)] = (score, m.date)
        names = {_words(a): a for m in self.psfs for a in psfs_scores(m.value)}
        plan = self.report.plan
        goals = (plan.goal_details or plan.goals) if plan is not None else []
        ratings = [(m.date, psfs_scores(m.value)) for m in self.psfs]
        out = []
        for progress in goals_against_baselines(goals, ratings):
            goal = progress.goal
            words = {_words(goal.text)} | ({_words(goal.text_de)} if goal.text_de else set())
            rated = [w for w in words if w in first]
            for w in rated:
                del names[w]
            if progress.baseline is None:
                continue  # neither scored at the clinic nor rated at home
            if progress.baseline_from_plan:
                assert plan is not None
                out.append(
                    GoalTrend(
                        goal.text,
                        progress.baseline,
                        progress.latest,
                        plan.start,
                        progress.latest_day,
                        True,
                        from_clinic=True,
                    )
                )
            else:
                key = min(rated, key=lambda w: first[w][1])
                last = max(rated, key=lambda w: latest[w][1])
                out.append(
                    GoalTrend(
                        goal.text,
                        first[key][0],
                        latest[last][0],
                        first[key][1],
                        latest[last][1],
                        True,
                    )
                )
        for key, activity in names.items():
            out.append(
                GoalTrend(
                    activity, first[key][0], latest[key][0], first[key][1], latest[key][1], False
                )
            )
        return out

    @property
    def stops(self) -> list[ReportStop]:
        return self.pooled(lambda r: r.stops, lambda s: s.date)

    @property
    def home_changes(self) -> list[ReportHomeChange]:
        """Every change at home, from all reports (format 2 on), oldest first."""
        return self.pooled(lambda r: r.changes_at_home, lambda c: c.date)

    @property
    def has_home_changes_list(self) -> bool:
        """Whether the newest report lists the changes at home (format 2 on)."""
        return self.report.format_version >= 2

    @property
    def changed_at_home(self) -> int:
        """How many changes at home: the dated list, or for an older report the number
        of changes Coach makes to the plan (the programme week is none)."""
        if self.has_home_changes_list:
            return len(self.home_changes)
        return sum(
            1 for found in self.changes.values() for c in found if c.cause != "programme_week"
        )


def _printable(text: str) -> str:
    """A problem line any terminal can print (a file name that is not UTF-8 shows '?')."""
    return text.encode("utf-8", "replace").decode("utf-8")


def _name_key(name: str) -> str:
    return " ".join(name.split()).casefold()


def group_by_patient(kept: Iterable[KeptReport]) -> list[PatientRow]:
    """One row per patient id; a report without one joins the only patient of its name."""
    by_key: dict[str, list[KeptReport]] = {}
    ids_of_name: dict[str, set[str]] = {}
    without: list[KeptReport] = []
    for k in kept:
        pid = k.report.patient_id
        if pid is None:
            without.append(k)
            continue
        by_key.setdefault(f"id:{pid}", []).append(k)
        ids_of_name.setdefault(_name_key(k.report.patient_name), set()).add(pid)
    for k in without:
        name = _name_key(k.report.patient_name)
        ids = ids_of_name.get(name, set())
        key = f"id:{next(iter(ids))}" if len(ids) == 1 else f"name:{name}"
        by_key.setdefault(key, []).append(k)
    rows = [
        PatientRow(key, tuple(sorted(found, key=lambda k: k.newest_key, reverse=True)))
        for key, found in by_key.items()
    ]
    rows.sort(key=lambda r: r.reports[0].newest_key, reverse=True)
    return rows


def patient_list(paths: Paths) -> tuple[list[PatientRow], list[str]]:
    """One row per patient, the patient with the newest report first; and unreadable files."""
    folder = clinic_reports_folder(paths)
    kept: list[KeptReport] = []
    problems: list[str] = []
    if not folder.is_dir():
        return [], problems
    for file in sorted(folder.glob("*.json")):
        # A kept file that is now refused (damaged, changed by hand, or kept
        # by a Coach with looser rules) is listed as a problem; the rest show.
        try:
            kept.append(KeptReport(read_report_file(file), file))
        except HandoverError as exc:
            problems.append(_printable(exc.message))
        except (OSError, ValueError) as exc:
            problems.append(_printable(f"{file.name}: cannot be read ({exc})"))
    return group_by_patient(kept), problems


def patient_id_for(paths: Paths, name: str) -> str | None:
    """The id this clinic already gave a patient of this name, for their next plan.

    Looked up in the plans handed over from here and in the reports kept here, the
    newest first; None for a patient new to the clinic (the hand-over makes one).
    """
    wanted = _name_key(name)
    if not wanted:
        return None
    found: list[tuple[str, str]] = []  # (when, id)
    rows, _problems = patient_list(paths)
    for row in rows:
        for k in row.reports:
            r = k.report
            if r.patient_id and _name_key(r.patient_name) == wanted:
                found.append((r.created.isoformat(), r.patient_id))
    from coach.core.content.files import FileProblems

    folder = handed_over_folder(paths)
    for file in sorted(folder.glob("*.coach")) if folder.is_dir() else ():
        # Only the clinic's own copies; one it cannot read gives no id, never an error.
        with contextlib.suppress(OSError, ValueError, KeyError, zipfile.BadZipFile, FileProblems):
            found += _handed_over_id(file, wanted)
    return max(found)[1] if found else None


def _handed_over_id(file: Path, wanted: str) -> list[tuple[str, str]]:
    """(created, patient id) of one of the clinic's own copies, if it is for ``wanted``."""
    from coach.core.content.files import parse_yaml

    with zipfile.ZipFile(file) as archive:
        info = archive.getinfo(MANIFEST)
        if info.file_size > 512 * 1024:
            return []
        text = archive.read(info).decode("utf-8")
    data, _root = parse_yaml(text, file)
    patient = data.get("patient") if isinstance(data, dict) else None
    if not isinstance(patient, dict):
        return []
    pid, name = patient.get("id"), patient.get("name")
    if not isinstance(pid, str) or not isinstance(name, str) or _name_key(name) != wanted:
        return []
    created = data.get("created")
    when = created.isoformat() if isinstance(created, datetime) else str(created or "")
    return [(when, pid)]


def _words(text: str) -> str:
    return " ".join(text.split()).casefold()
