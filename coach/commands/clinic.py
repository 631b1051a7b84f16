"""Commands for the physiotherapist's hand-over and the report that comes back.

``coach assign``      routines -> a .coach file for one patient (at the clinic)
``coach import``      a .coach file -> installed as the current plan (at home);
                      a .coachreport file -> the clinic's patient list
``coach report-data`` the patient's machine-readable report for the clinic
``coach patients``    the clinic's patient list from the imported reports

A refused file ends with exit code 1 and one clear line on stderr; nothing
stored is touched then.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import Any

from coach.commands import fail, library_of, paths_of


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"'{text}' is not a date; write it as YYYY-MM-DD, e.g. 2026-04-13"
        ) from None


def register(sub: Any) -> None:
    assign = sub.add_parser(
        "assign",
        help="make a hand-over file (.coach) with routines for one patient",
        description="Put one or more routines (ids or routine files) into a hand-over file "
        "for one patient. The clinic's own exercises and their pictures go into the file.",
    )
    assign.add_argument("routines", nargs="+", metavar="ROUTINE", help="a routine id or file")
    assign.add_argument("--patient", required=True, metavar="NAME")
    assign.add_argument(
        "--patient-id",
        metavar="ID",
        help="the patient's id from an earlier plan (default: the id this clinic gave a "
        "patient of this name, or a new one)",
    )
    assign.add_argument("--clinician", metavar="NAME", help="default: the last one used here")
    assign.add_argument("--clinic", metavar="TEXT")
    assign.add_argument("--phone", metavar="TEXT")
    assign.add_argument("--email", metavar="TEXT")
    assign.add_argument("--start", type=_date, metavar="DATE", help="default: today")
    assign.add_argument(
        "--review", type=_date, metavar="DATE", help="default: the programme's end (--weeks)"
    )
    assign.add_argument(
        "--weeks", type=int, metavar="N", help="the programme's length in weeks (1 to 52)"
    )
    assign.add_argument(
        "--goal", action="append", default=[], metavar="TEXT", help="a PSFS activity (up to 5)"
    )
    assign.add_argument(
        "--baseline",
        action="append",
        default=[],
        type=int,
        metavar="SCORE",
        help="the PSFS score (0-10) at the start of each --goal, in the same order",
    )
    assign.add_argument(
        "--measure",
        action="append",
        choices=("pain", "walking_test", "psfs", "chair_stand"),
        help="a measure to record (repeat; default: pain and walking_test)",
    )
    assign.add_argument(
        "--allow-extension",
        action="append",
        default=[],
        metavar="ID",
        help="allow an exercise that arches the lower back for this patient",
    )
    assign.add_argument("-o", "--output", required=True, type=Path, metavar="FILE")
    assign.set_defaults(handler=_assign)

    imp = sub.add_parser(
        "import",
        help="open a hand-over file (.coach) or, at the clinic, a patient's report",
        description="A .coach file is checked, summarised and installed as your current "
        "plan. A .coachreport file is added to the clinic's patient list.",
    )
    imp.add_argument("file", type=Path, metavar="FILE")
    imp.set_defaults(handler=_import)

    rep = sub.add_parser(
        "report-data",
        help="write the machine-readable report for your physiotherapist",
    )
    rep.add_argument("-o", "--output", required=True, type=Path, metavar="FILE")
    rep.add_argument("--from", dest="start", type=_date, metavar="DATE")
    rep.add_argument("--to", dest="end", type=_date, metavar="DATE")
    rep.set_defaults(handler=_report_data)

    pat = sub.add_parser("patients", help="the clinic's patient list from imported reports")
    pat.set_defaults(handler=_patients)


def _assign(args: argparse.Namespace) -> int:
    from coach.core.clinic.handover import (
        Contact,
        HandoverError,
        build_assignment,
        describe_assignment,
        keep_handed_over_copy,
        load_clinic_contact,
        save_clinic_contact,
        write_assignment,
    )
    from coach.core.content.files import FileProblems
    from coach.core.content.model import Permissions
    from coach.core.content.records import Invalid

    if len(args.baseline) > len(args.goal):
        return fail("assign", "each --baseline belongs to a --goal: give the goals first")
    if any(not 0 <= score <= 10 for score in args.baseline):
        return fail("assign", "a --baseline is a PSFS score from 0 to 10")
    if args.weeks is not None and not 1 <= args.weeks <= 52:
        return fail("assign", "--weeks takes a number from 1 to 52")
    from coach.core.clinic.goals import Goal

    try:
        goals = [
            Goal(text, baseline=args.baseline[i] if i < len(args.baseline) else None)
            for i, text in enumerate(args.goal)
        ]
    except ValueError as exc:
        return fail("assign", str(exc))
    paths = paths_of(args)
    library = library_of(args)
    routines = []
    for ref in args.routines:
        try:
            routine = library.routine_from(ref)
        except FileProblems as exc:
            return fail("assign", str(exc.problems[0]))
        except KeyError as exc:
            return fail("assign", str(exc.args[0]))
        routines.append(routine)
    known = load_clinic_contact(paths)
    if args.clinician:
        try:
            contact = Contact.from_data(
                {
                    "name": args.clinician,
                    "clinic": args.clinic,
                    "phone": args.phone,
                    "email": args.email,
                }
            )
        except Invalid as exc:
            return fail("assign", f"clinician: {exc}")
    elif known is not None:
        contact = known.replace(
            **{
                k: v
                for k, v in (("clinic", args.clinic), ("phone", args.phone), ("email", args.email))
                if v
            }
        )
    else:
        return fail("assign", "give --clinician NAME (and --clinic, --phone) the first time")
    for ident in args.allow_extension:
        if ident not in library.exercises:
            return fail("assign", f"--allow-extension: unknown exercise '{ident}'")
    if args.allow_extension:
        routines = [
            r.replace(
                permissions=Permissions(
                    allow_extension=sorted(
                        set(r.permissions.allow_extension)
                        | (set(args.allow_extension) & set(r.exercise_ids()))
                    ),
                    allowed_by=r.permissions.allowed_by or contact.name,
                )
            )
            for r in routines
        ]
    from coach.core.clinic.patients import patient_id_for

    patient_id = args.patient_id or patient_id_for(paths, args.patient)
    try:
        assignment = build_assignment(
            routines,
            library,
            patient=args.patient,
            patient_id=patient_id,
            clinician=contact,
            goals=goals,
            start=args.start,
            review=args.review,
            weeks=args.weeks,
            measures=args.measure or ("pain", "walking_test"),
        )
        written = write_assignment(args.output, assignment)
    except HandoverError as exc:
        return fail("assign", exc.message)
    except OSError as exc:
        return fail("assign", f"cannot write {args.output}: {exc.strerror}")
    try:
        keep_handed_over_copy(paths, assignment)
        save_clinic_contact(paths, contact)
    except OSError as exc:  # the hand-over file itself is written
        print(f"warning: no copy kept in the clinic folder ({exc.strerror})", file=sys.stderr)
    for line in describe_assignment(assignment, library):
        print(line)
    kept = " (the same as in this patient's earlier plans)" if patient_id else " (new)"
    print(f"Patient id: {assignment.patient.id}{kept}", file=sys.stderr)
    print(f"Written to {written}", file=sys.stderr)
    return 0


def _looks_like_report(path: Path) -> bool:
    if path.suffix.lower() in (".coachreport", ".json"):
        return True
    try:
        with path.open("rb") as handle:
            head = handle.read(64).lstrip()
    except OSError:
        return False
    return head.startswith(b"{")


def _import(args: argparse.Namespace) -> int:
    from coach.core.clinic.handover import HandoverError

    path: Path = args.file
    try:
        if _looks_like_report(path):
            return _import_report(args, path)
        return _import_plan(args, path)
    except HandoverError as exc:
        return fail("import", exc.message)


def _import_plan(args: argparse.Namespace, path: Path) -> int:
    from coach.core.clinic.handover import HandoverError, describe_assignment
    from coach.core.clinic.handover_file import read_assignment
    from coach.core.clinic.install import install_assignment
    from coach.core.clinic.today import today_plan
    from coach.core.progress.store import Store
    from coach.core.progress.store_errors import StoreError

    paths = paths_of(args)
    library = library_of(args)
    assignment = read_assignment(path, library)  # every check; writes nothing
    for line in describe_assignment(assignment, library):
        print(line)
    try:
        paths.ensure_data_dir()
        store = Store.open(paths.database)
    except StoreError as exc:
        raise HandoverError(exc.message) from None
    except OSError as exc:
        raise HandoverError(f"the data folder cannot be used ({exc.strerror})") from None
    with store:
        raw = path.read_bytes()
        result = install_assignment(assignment, paths, store, library=library, raw=raw)
        for note in result.notes:
            print(note)
        if result.replaced is not None:
            print(f"This plan replaces the one from {result.replaced.assignment.created:%d %b %Y}.")
        today = today_plan(store, paths)
    if today is not None and not today.rest_day:
        names = ", ".join(i.title.get() for i in today.items if i.due)
        print(f"Today: {names}, {today.done} of {today.due} done")
    print(f"Installed: {len(assignment.routines)} routine(s) are now your plan.", file=sys.stderr)
    return 0


def _import_report(args: argparse.Namespace, path: Path) -> int:
    from coach.core.clinic.patients import import_report

    paths = paths_of(args)
    report = import_report(path, paths)
    print(f"Report from {report.patient_name} added to the patient list.", file=sys.stderr)
    if report.patient_id is None:
        print(
            "This report has no patient id (an older Coach, or no plan from a clinic): "
            "it is matched to the patient by name.",
            file=sys.stderr,
        )
    return _print_patients(paths)


def _print_patients(paths: Any, today: date | None = None) -> int:
    from coach.core.clinic.patients import patient_list

    today = today or date.today()
    rows, problems = patient_list(paths)
    for problem in problems:
        print(f"warning: {problem}", file=sys.stderr)
    if not rows:
        print("No reports yet. Import one with: coach import FILE.coachreport")
        return 0
    header = (
        f"{'Patient':<24} {'Reports':>7}  {'Latest period':<25} {'Sessions done':>21}  "
        f"{'Pain back':>9}  {'Pain leg':>9}  {'Walking min':>15}  {'Chair':>7}  "
        f"{'Changed':>7}  {'Review':<22}  Stops"
    )
    print(header)
    for row in rows:
        for line in _patient_lines(row, today):
            print(line)
    return 0


def _patient_lines(row: Any, today: date) -> list[str]:
    """One patient: the row with the trend across their reports, the details under it."""
    period = f"{row.period.start:%d %b} – {row.period.end:%d %b %Y}"
    counts = row.sessions_done
    adherence = "–"
    if counts and counts[1]:
        adherence = f"{_percent(row.adherence)} ({counts[0]}/{counts[1]})"
        trend = row.adherence_trend
        if len(trend) > 1:
            adherence = f"{_percent(trend[0][1])} → {adherence}"
    b1, b2, l1, l2 = row.pain_trend
    w1, w2 = row.walking
    walking = _trend(w1, w2)
    if row.walking_change is not None:
        walking += f" ({row.walking_change:+d} %)"
    c1, c2 = row.chair_stand
    stops = row.stops
    reasons = ", ".join(s.reason_text.get("en") or s.reason or "?" for s in stops)
    lines = [
        f"{row.patient:<24} {len(row.reports):>7}  {period:<25} {adherence:>21}  "
        f"{_trend(b1, b2):>9}  {_trend(l1, l2):>9}  {walking:>15}  {_trend(c1, c2):>7}  "
        f"{row.changed_at_home:>7}  {_review(row.review(today)):<22}  "
        f"{len(stops)}" + (f" ({reasons})" if reasons else "")
    ]
    if row.patient_id is None:
        lines.append("    Matched by name: no report of this patient has a patient id.")
    elif row.matched_by_name:
        lines.append(
            f"    Matched by name: {row.matched_by_name} older report(s) without a patient id."
        )
    back, leg = row.pain_change
    if back is not None or leg is not None:
        lines.append(
            f"    Pain during sessions (after minus before, on average): back {_signed(back)}, "
            f"leg {_signed(leg)}"
        )
    goals = row.goal_trends
    if goals:
        parts = [
            (
                f"{g.activity} {g.baseline} → {g.latest}"
                if g.latest is not None
                else f"{g.activity} {g.baseline} at the start, not rated yet"
            )
            + (" (goal)" if g.is_goal else "")
            for g in goals
        ]
        change = row.psfs_change
        if change is not None:
            parts.append(f"mean {change.first:.1f} → {change.latest:.1f}")
        lines.append("    PSFS against the baseline: " + "; ".join(parts))
    if row.has_home_changes_list:
        changes = row.home_changes
        if changes:
            lines.append("    Changes at home:")
            lines += [f"      {c.date:%d %b %Y}  {c.line('en')}" for c in changes]
    else:
        # An older report has no dated list: what Coach changes in the plan now.
        lines.append("    Changes at home: this report is from an older Coach (no dated list).")
        for routine_id, found in row.changes.items():
            for change in found:
                lines.append(f"      {routine_id}: {change.text.get('en')}")
    return lines


def _percent(ratio: float | None) -> str:
    return f"{round((ratio or 0) * 100)} %"


def _signed(value: float | None) -> str:
    return "–" if value is None else f"{value:+g}"


def _review(review: Any) -> str:
    from coach.core.clinic.patients import ReviewState

    if review.state is ReviewState.NONE:
        return "–"
    day = f"{review.day:%d %b %Y}"
    if review.state is ReviewState.OVERDUE:
        return f"overdue since {day}"
    if review.state is ReviewState.DUE:
        return f"due {day}" if review.days else "due today"
    return day


def _trend(first: float | None, last: float | None) -> str:
    if first is None and last is None:
        return "–"

    def show(v: float | None) -> str:
        return "–" if v is None else f"{v:g}"

    return f"{show(first)} → {show(last)}"


def _patients(args: argparse.Namespace) -> int:
    return _print_patients(paths_of(args))


def _report_data(args: argparse.Namespace) -> int:
    from coach.core.clinic.handover import HandoverError
    from coach.core.clinic.install import current_assignment
    from coach.core.clinic.report import (
        Period,
        default_period,
        export_report_data,
        write_report_file,
    )
    from coach.core.progress.store import Store
    from coach.core.progress.store_errors import StoreError

    paths = paths_of(args)
    if not paths.database.exists():
        return fail("report-data", "nothing recorded yet: there is no progress file")
    library = library_of(args)
    try:
        store = Store.open(paths.database)
    except StoreError as exc:
        return fail("report-data", exc.message)
    with store:
        installed = current_assignment(store, paths)
        period = default_period(installed)
        start = args.start or period.start
        end = args.end or period.end
        if end < start:
            return fail("report-data", "--to is before --from")
        from coach.core.person.inputs import gather

        inputs, _notes = gather(paths, library, store)
        report = export_report_data(
            store, installed, Period(start, end), library=library, inputs=inputs
        )
        damaged = sum(store.damaged_rows.values())
    try:
        written = write_report_file(args.output, report)
    except (OSError, HandoverError) as exc:
        return fail("report-data", f"cannot write {args.output}: {exc}")
    adherence = report["adherence"]
    line = f"{len(report['sessions'])} session(s) from {start:%d %b} to {end:%d %b %Y}"
    if adherence and adherence["prescribed"]:
        done, planned = adherence["done"], adherence["prescribed"]
        # More done than planned reads "7 done, 6 planned", never "7 of 6".
        count = f"{done} of {planned}" if done <= planned else f"{done} done, {planned} planned"
        line += f"; {round(adherence['ratio'] * 100)} % of the planned sessions done ({count})"
    print(line)
    print(f"Written to {written}", file=sys.stderr)
    if damaged:
        entries = "1 damaged entry" if damaged == 1 else f"{damaged} damaged entries"
        print(
            f"Note: {entries} in the progress file could not be read and are not in the "
            "report. A backup keeps them as they are.",
            file=sys.stderr,
        )
    return 0
