"""The clinic's side: keeping the reports patients send back, and the patient list.

Only the clinic's Coach needs this. One file is kept per patient and plan; a later
report for the same plan replaces the earlier one, never the other way round, so the
list shows the most recent report of each plan.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path

from coach.core.clinic.handover import HandoverError
from coach.core.clinic.report import (
    Period,
    Report,
    ReportChange,
    ReportStop,
    ReportWalk,
    read_report_bytes,
    read_report_file,
    report_file_bytes,
)
from coach.core.common.atomic import write_bytes_atomic
from coach.core.common.paths import Paths
from coach.core.content.custom_exercise import slug


def clinic_reports_folder(paths: Paths) -> Path:
    return paths.data / "clinic" / "reports"


def _report_key(report: Report) -> str:
    who = slug(report.patient_name, 30) or "patient"
    plan = report.assignment_id or "no-plan"
    return f"{who}-{plan}"


def import_report(path: Path, paths: Paths) -> Report:
    """Check a patient's report and keep it in the clinic's folder.

    One file per patient and plan: a later report for the same plan (a longer
    period) replaces the earlier one; an older one never replaces a newer.
    """
    # The bytes that were checked are the bytes kept (read once).
    raw = report_file_bytes(path)
    report = read_report_bytes(raw, Path(path).name)
    target = clinic_reports_folder(paths) / f"{_report_key(report)}.json"
    if target.exists():
        with contextlib.suppress(HandoverError, OSError):
            existing = read_report_file(target)
            if (existing.period.end, existing.created) > (report.period.end, report.created):
                return report
    try:
        write_bytes_atomic(target, raw)
    except OSError as exc:
        raise HandoverError(f"The report could not be kept ({exc.strerror or exc}).") from None
    return report


@dataclass(frozen=True)
class PatientRow:
    """One line of the clinician's patient list."""

    report: Report
    file: Path

    @property
    def patient(self) -> str:
        return self.report.patient_name

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
    def pain_trend(self) -> tuple[float | None, float | None, float | None, float | None]:
        """Before-session pain, first week and last week: back, back, leg, leg."""
        p = self.report.pain
        return (
            p.first_week_before_back,
            p.last_week_before_back,
            p.first_week_before_leg,
            p.last_week_before_leg,
        )

    @property
    def walking(self) -> tuple[float | None, float | None]:
        """Minutes walked in the first and in the last walking test of the period."""
        tests = [t for t in self.report.walking_tests if t.total_s or t.first_symptoms_s]
        if not tests:
            return None, None

        def minutes(t: ReportWalk) -> float | None:
            value = t.total_s if t.total_s is not None else t.first_symptoms_s
            return round(value / 60, 1) if value is not None else None

        return minutes(tests[0]), minutes(tests[-1])

    @property
    def stops(self) -> list[ReportStop]:
        return list(self.report.stops)

    @property
    def changes(self) -> dict[str, list[ReportChange]]:
        """What Coach changed at home, per routine id of the plan (unchanged ones left out)."""
        return {run.routine_id: list(run.changes) for run in self.report.as_run if run.changes}

    @property
    def changed_at_home(self) -> int:
        """How many changes Coach made to the plan at home (the programme week is none)."""
        return sum(
            1 for found in self.changes.values() for c in found if c.cause != "programme_week"
        )


def _printable(text: str) -> str:
    """A problem line any terminal can print (a file name that is not UTF-8 shows '?')."""
    return text.encode("utf-8", "replace").decode("utf-8")


def patient_list(paths: Paths) -> tuple[list[PatientRow], list[str]]:
    """The reports kept by the clinic, newest period first, and any unreadable ones."""
    folder = clinic_reports_folder(paths)
    rows: list[PatientRow] = []
    problems: list[str] = []
    if not folder.is_dir():
        return rows, problems
    for file in sorted(folder.glob("*.json")):
        # A kept file that is now refused (damaged, changed by hand, or kept
        # by a Coach with looser rules) is listed as a problem; the rest show.
        try:
            rows.append(PatientRow(read_report_file(file), file))
        except HandoverError as exc:
            problems.append(_printable(exc.message))
        except (OSError, ValueError) as exc:
            problems.append(_printable(f"{file.name}: cannot be read ({exc})"))
    rows.sort(key=lambda r: (r.patient.casefold(), r.report.period.end))
    return rows, problems
