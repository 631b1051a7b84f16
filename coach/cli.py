"""The ``coach`` command line: validate, list and plan without opening a window.

Qt is imported only by the commands that need it (the GUI, the contact
sheet), so checking a folder of routine files stays fast and works on a
machine without a display.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from coach import __version__

if TYPE_CHECKING:
    from coach.core.common.paths import Paths
    from coach.core.content.library import Library


def _global_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help="keep the database and own routines here (default: the platform's "
        "app-data folder; the COACH_DATA_DIR environment variable also works)",
    )
    parser.add_argument(
        "--open",
        metavar="FILE",
        type=Path,
        help="open a hand-over file (.coach) from your physiotherapist in the app",
    )
    parser.add_argument(
        "--tray",
        action="store_true",
        help="start in the tray only (used at login): reminders run, the window "
        "opens from the tray or a reminder",
    )
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="start the app, wait until its window is shown, and exit 0 (for CI)",
    )


def _gui_parser() -> argparse.ArgumentParser:
    """Only the options that start the app: quick to build, so the window comes sooner."""
    parser = argparse.ArgumentParser(prog="coach", add_help=False)
    _global_options(parser)
    return parser


def _parser(only: str | None = None) -> argparse.ArgumentParser:
    """The full parser; with ``only`` (a command module), just that feature's commands.

    Building every feature's sub-commands imports their modules; for one
    command (``coach print`` is often run in a loop over patients) only its
    own module is needed. Help and unknown commands always get the full list.
    """
    parser = argparse.ArgumentParser(
        prog="coach",
        description="Coach: guided home exercise for lumbar spinal stenosis. "
        "Without a command, the app opens.",
    )
    parser.add_argument("--version", action="version", version=f"coach {__version__}")
    _global_options(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.add_parser("gui", help="open the app (the default)")

    val = sub.add_parser("validate", help="check routine and exercise files or folders")
    val.add_argument("paths", nargs="+", type=Path, metavar="PATH")

    lst = sub.add_parser("list", help="list exercises and routines")
    lst.add_argument("--json", action="store_true", help="machine-readable output")
    lst.add_argument("--lang", choices=("en", "de"), default="en")

    plan = sub.add_parser("plan", help="show a routine's steps and total time")
    plan.add_argument("routine", metavar="ROUTINE", help="a routine id or a routine file")
    plan.add_argument("--json", action="store_true", help="machine-readable output")
    plan.add_argument("--lang", choices=("en", "de"), default="en")
    plan.add_argument(
        "--walking-test",
        type=float,
        metavar="SECONDS",
        help="time to first symptoms from your walking test (sets walking bouts; "
        "default: the newest test recorded in the data folder)",
    )
    plan.add_argument(
        "--profile",
        type=Path,
        metavar="FILE",
        help="health answers to tailor the routine to (default: the data folder's own)",
    )
    plan.add_argument(
        "--as-written",
        action="store_true",
        help="the routine exactly as written, for nobody in particular",
    )

    fig = sub.add_parser("figures", help="render the illustrations or a contact sheet")
    fig.add_argument("--render", type=Path, metavar="DIR", help="write every SVG into DIR")
    fig.add_argument("--sheet", type=Path, metavar="PNG", help="write a contact sheet image")

    sub.add_parser("schema", help="write the JSON Schemas into docs/schema/")
    for name in COMMAND_MODULES if only is None else (only,):
        # Each feature adds its own sub-commands; it imports its heavy parts
        # inside the handler, so `coach validate` stays quick.
        importlib.import_module(name).register(sub)
    return parser


COMMAND_MODULES: tuple[str, ...] = (
    "coach.commands.reminders",
    "coach.commands.sheets",
    "coach.commands.clinic",
    "coach.commands.data",
)
"""Modules with a ``register(subparsers)`` that adds sub-commands with a
``handler(args) -> int`` default (see coach/commands/)."""

COMMAND_OWNERS: dict[str, str] = {
    "reminders": "coach.commands.reminders",
    "print": "coach.commands.sheets",
    "report": "coach.commands.sheets",
    "assign": "coach.commands.clinic",
    "import": "coach.commands.clinic",
    "report-data": "coach.commands.clinic",
    "patients": "coach.commands.clinic",
    "export": "coach.commands.data",
    "backup": "coach.commands.data",
    "restore": "coach.commands.data",
    "delete-all": "coach.commands.data",
    "quarantine": "coach.commands.data",
}
"""Which module registers each feature command (a test keeps it complete)."""


def _owner(words: Sequence[str]) -> str | None:
    """The module of the command in ``words``, or None (help, or not a feature command)."""
    if any(w in ("-h", "--help", "--version") for w in words):
        return None
    command = next((w for w in words if not w.startswith("-")), None)
    return COMMAND_OWNERS.get(command or "")


def main(argv: Sequence[str] | None = None) -> int:
    return _main(argv)[0]


def run() -> NoReturn:
    """The ``coach`` program: :func:`main`, then exit.

    Commands that only write a file with Qt (``coach print``, ``coach report``)
    end with ``os._exit`` once the file is written and the output flushed:
    tearing down Qt and some 300 imported modules takes ~60 ms, a tenth of
    the whole command, and saves nothing. Everything else exits normally.
    """
    code, quick_exit = _main(None)
    if quick_exit:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    sys.exit(code)


def _main(argv: Sequence[str] | None) -> tuple[int, bool]:
    """The exit code, and whether the command asked to skip the teardown."""
    # Starting the app is the common case: skip building every sub-command's
    # parser (and importing the feature modules) when no command is given.
    args, rest = _gui_parser().parse_known_args(argv)
    if rest:
        args = _parser(only=_owner(rest)).parse_args(argv)
    return _dispatch(args), bool(getattr(args, "quick_exit", False))


def _dispatch(args: argparse.Namespace) -> int:
    command = getattr(args, "command", None) or "gui"
    handler_fn = getattr(args, "handler", None)
    if handler_fn is not None:
        try:
            return int(handler_fn(args))
        except BrokenPipeError:
            return 0
    if command == "gui":
        from coach.app import run as run_app

        return run_app(
            data_dir=args.data_dir, smoke=args.smoke, open_file=args.open, tray=args.tray
        )
    handler = {
        "validate": _validate,
        "list": _list,
        "plan": _plan,
        "figures": _figures,
        "schema": _schema,
    }[command]
    try:
        return handler(args)
    except BrokenPipeError:  # `coach list | head` is fine
        return 0


def _paths(args: argparse.Namespace) -> Paths:
    from coach.core.common.paths import resolve

    return resolve(args.data_dir)


def _validate(args: argparse.Namespace) -> int:
    from coach.core.content.library import validate

    count, problems = validate(_paths(args), args.paths)
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} problem(s) in {count} file(s).", file=sys.stderr)
        return 1
    print(f"{count} file(s) valid.", file=sys.stderr)
    return 0


def _load_library(args: argparse.Namespace) -> Library:
    from coach.core.content.library import Library

    lib = Library.load(_paths(args))
    for problem in lib.problems:
        print(f"warning: {problem}", file=sys.stderr)
    return lib


def _list(args: argparse.Namespace) -> int:
    from coach.core.person.inputs import gather_from_folder

    lib = _load_library(args)
    inputs, notes = gather_from_folder(_paths(args), lib)
    for note in notes:
        print(f"warning: {note}", file=sys.stderr)
    lang = args.lang
    exercises = [
        {
            "id": ex.id,
            "title": ex.title.get(lang),
            "category": ex.category.value,
            "lumbar_extension": ex.lumbar_extension,
            "tags": [t.value for t in ex.tags],
            "origin": lib.origin("exercise", ex.id),
        }
        for cat in lib.by_category(include_extension=True).values()
        for ex in cat
    ]
    routines: list[dict[str, object]] = []
    for routine in sorted(lib.routines.values(), key=lambda r: r.id):
        total: float | None
        try:
            personal = inputs.plan_for(routine, lib.exercises)
            total = round(personal.total_seconds) if personal.playable else None
        except (KeyError, ValueError):
            total = None
        routines.append(
            {
                "id": routine.id,
                "title": routine.title.get(lang),
                "total_seconds": total,
                "exercises": routine.exercise_ids(),
                "origin": lib.origin("routine", routine.id),
            }
        )
    if args.json:
        print(
            json.dumps({"exercises": exercises, "routines": routines}, ensure_ascii=False, indent=2)
        )
        return 0
    print("Routines")
    for r in routines:
        seconds = r["total_seconds"]
        minutes = f"{round(seconds / 60)} min" if isinstance(seconds, int | float) else "?"
        print(f"  {r['id']:<22} {minutes:>7}  {r['title']}")
    print("\nExercises")
    for e in exercises:
        flag = "  (arches the back: clinician only)" if e["lumbar_extension"] else ""
        print(f"  {e['id']:<5} {e['category']:<14} {e['title']}{flag}")
    return 0


def _plan(args: argparse.Namespace) -> int:
    """The routine as the person in the data folder does it today (``--as-written``: as is)."""
    from dataclasses import replace

    from coach.core.content.files import FileProblems
    from coach.core.person.inputs import gather_from_folder
    from coach.core.session.personal import AS_WRITTEN
    from coach.core.session.profile import HealthProfile

    lib = _load_library(args)
    try:
        routine = lib.routine_from(args.routine)
    except FileProblems as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return 1
    except KeyError as exc:
        print(f"coach plan: {exc.args[0]}", file=sys.stderr)
        return 1
    if args.walking_test is not None and args.walking_test <= 0:
        print("coach plan: --walking-test must be a positive number of seconds", file=sys.stderr)
        return 2
    if args.as_written:
        inputs = AS_WRITTEN
    else:
        if args.profile is None:
            inputs, notes = gather_from_folder(_paths(args), lib)
        else:
            try:
                profile = HealthProfile.from_json(args.profile.read_bytes())
            except (OSError, ValueError) as exc:
                print(f"coach plan: {args.profile}: {exc}", file=sys.stderr)
                return 1
            inputs, notes = gather_from_folder(_paths(args), lib, profile=profile)
        for note in notes:
            print(f"warning: {note}", file=sys.stderr)
    if args.walking_test is not None:
        inputs = replace(inputs, walking_test_s=args.walking_test)
    personal = inputs.plan_for(routine, lib.exercises)
    if args.json:
        print(json.dumps(personal.to_json_dict(args.lang), ensure_ascii=False, indent=2))
    else:
        print(personal.format_timeline(args.lang))
    return 0


def _figures(args: argparse.Namespace) -> int:
    if not args.render and not args.sheet:
        print("coach figures: give --render DIR and/or --sheet PNG", file=sys.stderr)
        return 2
    if args.render:
        from coach.core.content.figures import render_all

        written = render_all(args.render)
        print(f"{len(written)} illustration(s) written to {args.render}", file=sys.stderr)
    if args.sheet:
        from coach.sheets.contact_sheet import render_contact_sheet

        lib = _load_library(args)
        titles = {ex.id: ex.title.get("en") for ex in lib.exercises.values()}
        render_contact_sheet(args.sheet, titles)
        print(f"contact sheet written to {args.sheet}", file=sys.stderr)
    return 0


def _schema(args: argparse.Namespace) -> int:
    from coach.core.content.schema import write_schemas

    root = Path(__file__).resolve().parent.parent / "docs" / "schema"
    for path in write_schemas(root):
        print(path)
    return 0


if __name__ == "__main__":  # pragma: no cover
    run()
