"""``coach export | backup | restore | delete-all | quarantine``: the person's control of
their data.

Each handler imports the store only when it runs, so ``coach --help`` and
``coach validate`` stay quick. Every command works on the data folder of
``--data-dir`` (or ``COACH_DATA_DIR``, or the platform's default), asks no
questions, and reports a problem as one line on stderr with exit status 1,
changing nothing. Export and backup work on a damaged database too (read-only,
its pages as they are); restore, delete-all and quarantine refuse while a
Coach has the database open.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from coach.commands import fail, paths_of


def register(sub: Any) -> None:
    exp = sub.add_parser(
        "export",
        help="export all your data as CSV (a zip of tables) or JSON",
        description="Write everything Coach has recorded to FILE: --format csv gives a zip "
        "with one CSV file per table and your other files, --format json one JSON document "
        "(see docs/export-format.md).",
    )
    exp.add_argument("--format", choices=("csv", "json"), required=True)
    exp.add_argument("-o", "--output", type=Path, required=True, metavar="FILE")
    exp.set_defaults(handler=_export)

    back = sub.add_parser(
        "backup",
        help="copy everything you recorded to FILE (a zip)",
        description="A complete copy of the progress database (page for page, damaged or "
        "not), your health answers, reminders and installed plans, in one zip file; "
        "`coach restore FILE` puts it back.",
    )
    back.add_argument("-o", "--output", type=Path, required=True, metavar="FILE")
    back.set_defaults(handler=_backup)

    rest = sub.add_parser(
        "restore",
        help="replace the progress database with a backup",
        description="Checks the backup first; a bad one changes nothing. The current "
        "database is kept beside it as coach.sqlite3.before-restore-<time>, your other "
        "files in before-restore-<time>/. Close Coach first.",
    )
    rest.add_argument("backup", type=Path, metavar="FILE")
    rest.set_defaults(handler=_restore)

    delete = sub.add_parser(
        "delete-all",
        help="delete all recorded progress (needs --yes)",
        description="Empties the progress database and moves your health answers, reminders "
        "and installed plans aside. A backup copy of the database is kept next to it first, "
        "named coach.sqlite3.before-delete-<time>, the other files in before-delete-<time>/; "
        "delete those too if nothing may remain. Close Coach first.",
    )
    delete.add_argument("--yes", action="store_true", help="yes, delete everything")
    delete.set_defaults(handler=_delete_all)

    aside = sub.add_parser(
        "quarantine",
        help="put a damaged progress database aside and start a new one",
        description="Only for a database Coach cannot read: it is renamed to "
        "coach.sqlite3.damaged-<time> (kept, not deleted) and a new, empty one is made. "
        "Close Coach first.",
    )
    aside.set_defaults(handler=_quarantine)


def _existing_database(args: argparse.Namespace, command: str) -> Path | int:
    database = paths_of(args).database
    if not database.is_file():
        return fail(command, f"there is no progress database in {database.parent} yet.")
    return database


def _export(args: argparse.Namespace) -> int:
    from coach.core.progress.export import EXPORTERS
    from coach.core.progress.store_errors import StoreError, StoreErrorKind

    database = _existing_database(args, "export")
    if isinstance(database, int):
        return database
    try:
        # Read-only: works on a file Coach refuses to open, and changes nothing.
        written = EXPORTERS[args.format](database, args.output)
    except StoreError as exc:
        if exc.kind is StoreErrorKind.CORRUPT:
            return fail("export", _CANNOT_EXPORT)
        return fail("export", exc.message)
    except OSError as exc:
        return fail("export", f"cannot write {args.output}: {exc.strerror or exc}")
    print(f"Exported to {written.path}", file=sys.stderr)
    if written.damaged:
        print(_damaged_note(written.damaged, "are marked in the export"), file=sys.stderr)
    return 0


_CANNOT_EXPORT = (
    "the progress file is damaged so that it cannot be exported. "
    "`coach backup` still copies it as it is."
)


def _damaged_note(count: int, where: str) -> str:
    entries = "1 damaged entry" if count == 1 else f"{count} damaged entries"
    return (
        f"Note: {entries} in the progress file could not be read exactly; they {where}. "
        "A backup keeps them as they are."
    )


def _backup(args: argparse.Namespace) -> int:
    from coach.core.progress.backup import write_backup
    from coach.core.progress.store import Store
    from coach.core.progress.store_errors import StoreError

    database = _existing_database(args, "backup")
    if isinstance(database, int):
        return database
    try:
        try:
            store: Store | None = Store.open(database)
        except StoreError:
            store = None  # damaged or newer: copied as it is, without opening it
        try:
            result = write_backup(database.parent, args.output, store=store)
        finally:
            if store is not None:
                store.close()
    except StoreError as exc:
        where = f" ({args.output})" if exc.path == args.output else ""
        return fail("backup", exc.message + where)
    except OSError as exc:
        return fail("backup", f"cannot write {args.output}: {exc.strerror or exc}")
    line = f"Backup written to {args.output}"
    if result.as_is:
        line += " (the progress file is damaged; it was copied byte for byte)"
    elif store is None:
        line += " (the progress file could not be opened; it was copied as it is)"
    print(line, file=sys.stderr)
    return 0


def _restore(args: argparse.Namespace) -> int:
    from coach.core.progress.backup import restore_backup
    from coach.core.progress.store_errors import StoreError

    paths = paths_of(args)
    try:
        paths.ensure_data_dir()
        result = restore_backup(args.backup, paths.data)
    except StoreError as exc:
        return fail("restore", exc.message)
    except OSError as exc:
        return fail("restore", f"cannot use {paths.data}: {exc.strerror or exc}")
    message = f"Restored {args.backup}."
    if result.kept_database is not None:
        message += f" Your previous data was kept as {result.kept_database}."
    if result.kept_files is not None:
        message += f" Your previous other files were moved to {result.kept_files}."
    print(message, file=sys.stderr)
    return 0


_IN_USE = (
    "Coach is open for this data folder, perhaps in the middle of a session. "
    "Close Coach first, then try again. Nothing was changed."
)


def _delete_all(args: argparse.Namespace) -> int:
    if not args.yes:
        return fail(
            "delete-all",
            "this deletes all your recorded progress. Run `coach delete-all --yes` to "
            "confirm; a backup copy is kept first.",
        )
    from coach.core.progress.export import check_not_in_use, delete_everything
    from coach.core.progress.store import Store
    from coach.core.progress.store_errors import StoreError, StoreErrorKind

    database = _existing_database(args, "delete-all")
    if isinstance(database, int):
        return database
    try:
        check_not_in_use(database)  # like a restore: never under a running Coach
        with Store.open(database) as store:
            deleted = delete_everything(store)
    except StoreError as exc:
        return fail("delete-all", _IN_USE if exc.kind is StoreErrorKind.LOCKED else exc.message)
    except OSError as exc:
        return fail("delete-all", f"could not delete: {exc.strerror or exc}")
    line = f"All progress was deleted. A copy was kept as {deleted.database_copy}"
    if deleted.files_folder is not None:
        line += f"; your health answers, reminders and plans were moved to {deleted.files_folder}"
    print(line + ". Delete those too if nothing may remain.", file=sys.stderr)
    return 0


def _quarantine(args: argparse.Namespace) -> int:
    from coach.core.progress.store import Store
    from coach.core.progress.store_errors import StoreError, StoreErrorKind
    from coach.core.progress.store_file import inspect_read_only

    database = _existing_database(args, "quarantine")
    if isinstance(database, int):
        return database
    try:
        inspect_read_only(database)
    except StoreError as exc:
        if exc.kind is not StoreErrorKind.CORRUPT:
            return fail("quarantine", exc.message)
    else:
        return fail("quarantine", "the progress file is not damaged, so it was left as it is.")
    try:
        damaged = Store.quarantine_and_recreate(database)
    except StoreError as error:
        message = _IN_USE if error.kind is StoreErrorKind.LOCKED else error.message
        return fail("quarantine", message)
    print(
        f"The damaged progress file was put aside as {damaged}. Coach starts a new one.",
        file=sys.stderr,
    )
    return 0
