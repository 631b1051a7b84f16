"""``coach print``: a routine sheet as a PDF, without opening a window."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from coach.commands import fail, library_of, paths_of

if TYPE_CHECKING:
    from coach.core.common.paths import Paths
    from coach.core.content.library import Library
    from coach.core.content.model import Routine


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "print",
        help="write a routine sheet as a PDF (no window needed)",
        description="Write the printed sheet of a routine (pictures, steps, doses, the "
        "warning signs and a weekly tick grid) as a PDF file.",
    )
    parser.add_argument("routine", metavar="ROUTINE", help="a routine id or a routine file")
    parser.add_argument(
        "-o", "--output", required=True, type=Path, metavar="PDF", help="the PDF to write"
    )
    parser.add_argument("--paper", choices=("a4", "letter"), default="a4")
    parser.add_argument(
        "--lang", choices=("en", "de"), help="language (default: the app's language)"
    )
    parser.add_argument("--patient", default="", metavar="NAME")
    parser.add_argument("--clinician", default="", metavar="NAME")
    parser.add_argument("--phone", default="", metavar="TEXT", help="the clinic's phone")
    parser.add_argument("--note", default="", metavar="TEXT", help="a note for the header")
    parser.add_argument(
        "--date", type=_date, metavar="YYYY-MM-DD", help="the sheet's date (default: today)"
    )
    parser.add_argument(
        "--review", type=_date, metavar="YYYY-MM-DD", help="the next review appointment"
    )
    parser.add_argument(
        "--country",
        metavar="CC",
        help="two-letter country code for the emergency number (default: from the "
        "health answers, else 112)",
    )
    parser.add_argument(
        "--as-written",
        action="store_true",
        help="print the routine as written, not as Coach runs it for the person whose data "
        "folder this is (their health answers, accepted dose steps, walking test)",
    )
    parser.set_defaults(handler=print_sheet, quick_exit=True)

    report = sub.add_parser(
        "report",
        help="write a progress report for the physiotherapist as a PDF",
        description="Adherence per week, pain and walking charts, measures, sessions "
        "stopped early and notes, from the progress recorded on this computer.",
    )
    report.add_argument(
        "-o", "--output", required=True, type=Path, metavar="PDF", help="the PDF to write"
    )
    report.add_argument(
        "--from",
        dest="since",
        type=_date,
        metavar="YYYY-MM-DD",
        help="first day (default: six weeks before --to)",
    )
    report.add_argument(
        "--to", dest="until", type=_date, metavar="YYYY-MM-DD", help="last day (default: today)"
    )
    report.add_argument("--paper", choices=("a4", "letter"), default="a4")
    report.add_argument(
        "--lang", choices=("en", "de"), help="language (default: the app's language)"
    )
    report.add_argument("--patient", default="", metavar="NAME")
    report.add_argument("--clinician", default="", metavar="NAME")
    report.set_defaults(handler=print_report, quick_exit=True)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date: '{text}' (use YYYY-MM-DD)") from None


def _ensure_gui_application() -> object:
    """A QGuiApplication for fonts and painting; offscreen when there is no display."""
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance()
    if app is not None:
        return app
    headless = not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    if headless and sys.platform.startswith(("linux", "freebsd", "openbsd", "netbsd")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    return QGuiApplication([sys.argv[0] if sys.argv else "coach"])


def _writable_target(path: Path) -> str | None:
    """Why ``path`` cannot be written, or None; checked before any work is done."""
    if path.is_dir():
        return f"{path} is a folder"
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        return f"the folder {folder} does not exist"
    if not os.access(folder, os.W_OK | os.X_OK):
        return f"the folder {folder} is not writable"
    if path.exists() and not os.access(path, os.W_OK):
        return f"{path} is not writable"
    return None


def print_sheet(args: argparse.Namespace) -> int:
    from coach.core.content.files import FileProblems

    output: Path = args.output
    problem = _writable_target(output)
    if problem is not None:
        return fail("print", f"cannot write the PDF: {problem}")
    paths = paths_of(args)
    # A person's state may swap in exercises the routine does not name (a
    # bone-friendly version): the short way cannot know them.
    personal_state = not args.as_written and (
        (paths.data / "profile.json").exists() or paths.database.exists()
    )
    try:
        quick = None if personal_state else _quick_library(paths, args.routine)
        if quick is not None:
            library, routine = quick
        else:
            library = library_of(args)
            routine = library.routine_from(args.routine)
    except FileProblems as exc:
        first = exc.problems[0] if exc.problems else "the routine file cannot be read"
        more = f" (and {len(exc.problems) - 1} more)" if len(exc.problems) > 1 else ""
        return fail("print", f"{first}{more}")
    except KeyError as exc:
        return fail("print", str(exc.args[0]))
    except OSError as exc:
        return fail("print", f"cannot read {args.routine}: {exc.strerror or exc}")

    lang = args.lang or _app_language(paths.settings)
    number = _emergency_number(args.country, paths.data / "profile.json")

    personal = None
    if personal_state:
        from coach.core.person.inputs import gather_from_folder

        inputs, notes = gather_from_folder(paths, library)
        for note in notes:
            print(f"warning: {note}", file=sys.stderr)
        personal = inputs.plan_for(routine, library.exercises)

    _app = _ensure_gui_application()
    from coach.sheets.pdf import write_routine_pdf
    from coach.sheets.routine_sheet import SheetData

    sheet = SheetData(
        routine=routine,
        library=library,
        lang=lang,
        patient=args.patient,
        clinician=args.clinician,
        phone=args.phone,
        date=args.date or dt.date.today(),
        review=args.review,
        note=args.note,
        emergency_number=number,
        personal=personal,
    )
    try:
        pages = write_routine_pdf(output, sheet, args.paper)
    except OSError as exc:
        return fail("print", f"cannot write the PDF {output}: {exc.strerror or exc}")
    print(f"{output}: {pages} page(s)", file=sys.stderr)
    return 0


def _quick_library(paths: Paths, ref: str) -> tuple[Library, Routine] | None:
    """Load only the routine and its built-in exercises, or None to load everything.

    A sheet needs six exercises, not the whole library: reading ~50 files
    would be most of the command's time. Whenever the short way is not
    certain to find the same exercises (the person has files of their own, an
    exercise file is not where a built-in one would be), the caller loads the
    full library instead, so the result is always the same.
    """
    from coach.core.content.files import FileProblems, load_document, yaml_files
    from coach.core.content.library import Library
    from coach.core.content.model import GET_UP, Exercise, Routine

    for folder in (paths.user_exercises, paths.user_routines):
        if folder.is_dir() and yaml_files(folder):
            return None
    builtin = paths.builtin_routines / f"{ref}.yaml"
    candidate = Path(ref)
    if ref.endswith((".yaml", ".yml")) or candidate.exists():
        source, origin = candidate, "user"
    elif builtin.is_file():
        source, origin = builtin, "builtin"
    else:
        return None
    loaded = load_document(source)
    routine = loaded.document
    if not isinstance(routine, Routine):
        raise FileProblems(
            [loaded.problem(("kind",), "this file holds an exercise, not a routine")]
        )
    if origin == "builtin" and routine.id != ref:
        return None
    library = Library(assets=paths.assets)
    # The plan puts in the getting-up step by itself; without its exercise the
    # sheet would time the step but not name it as the player does.
    wanted = [*dict.fromkeys(routine.exercise_ids()), GET_UP]
    while wanted:
        ident = wanted.pop(0)
        if ident in library.exercises:
            continue
        path = paths.builtin_routines / "exercises" / f"{ident}.yaml"
        if not path.is_file():
            return None
        added = library.add_files([path], "builtin")
        exercise = library.exercises.get(ident)
        if not added or not isinstance(exercise, Exercise):
            return None
        walk = exercise.dosage.walk
        if walk is not None and walk.break_exercise:
            wanted.append(walk.break_exercise)
    if library.problems:
        return None
    library.add_files([source], origin)  # type: ignore[arg-type]
    problems = library.check([loaded])
    if problems:
        raise FileProblems(problems)
    return library, routine


def print_report(args: argparse.Namespace) -> int:
    output: Path = args.output
    problem = _writable_target(output)
    if problem is not None:
        return fail("report", f"cannot write the PDF: {problem}")
    paths = paths_of(args)
    until = args.until or dt.date.today()
    since = args.since or until - dt.timedelta(days=41)
    if since > until:
        return fail("report", f"--from {since} is after --to {until}")
    if not paths.database.is_file():
        return fail("report", f"no progress recorded yet (no database at {paths.database})")
    from coach.core.progress.history import History
    from coach.core.progress.store_errors import StoreError

    library = library_of(args)
    lang = args.lang or _app_language(paths.settings)
    _app = _ensure_gui_application()
    from coach.sheets.pdf import write_report_pdf
    from coach.sheets.progress_report import ReportData, collect_report, now_utc

    try:
        with History(paths.database) as history:
            facts = collect_report(history, library.routines, since, until, now_utc())
    except (StoreError, OSError) as exc:
        return fail("report", f"cannot read the progress records: {exc}")
    report = ReportData(
        facts=facts,
        routines=library.routines,
        lang=lang,
        patient=args.patient,
        clinician=args.clinician,
        assets=library.assets,
    )
    try:
        pages = write_report_pdf(output, report, args.paper)
    except OSError as exc:
        return fail("report", f"cannot write the PDF {output}: {exc.strerror or exc}")
    print(f"{output}: {pages} page(s)", file=sys.stderr)
    return 0


def _app_language(settings: Path) -> str:
    from coach.core.common.settings import load_preferences

    prefs, _problems = load_preferences(settings)
    return prefs.language if prefs.language in ("en", "de") else "en"


def _emergency_number(country: str | None, profile_path: Path) -> str:
    from coach.core.session.profile import (
        DEFAULT_EMERGENCY_NUMBER,
        default_emergency_number,
        load_profile,
    )

    if country:
        return default_emergency_number(country)
    profile, _problems = load_profile(profile_path)
    return profile.emergency_number if profile is not None else DEFAULT_EMERGENCY_NUMBER
