"""``coach export | backup | restore | delete-all``: the person's control of their data.

Each handler imports the store only when it runs, so ``coach --help`` and
``coach validate`` stay quick. Every command works on the data folder of
``--data-dir`` (or ``COACH_DATA_DIR``, or the platform's default), asks no
questions, and reports a problem as one line on stderr with exit status 1,
changing nothing.
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
        "with one CSV file per table, --format json one JSON document (see "
        "docs/export-format.md).",
    )
    exp.add_argument("--format", choices=("csv", "json"), required=True)
    exp.add_argument("-o", "--output", type=Path, required=True, metavar="FILE")
    exp.set_defaults(handler=_export)

    back = sub.add_parser(
        "backup",
        help="copy the whole progress database to FILE",
        description="A complete, consistent copy of the progress database; "
        "`coach restore FILE` puts it back.",
    )
    back.add_argument("-o", "--output", type=Path, required=True, metavar="FILE")
    back.set_defaults(handler=_backup)

    rest = sub.add_parser(
        "restore",
        help="replace the progress database with a backup",
        description="Checks the backup first; a bad one changes nothing. The current "
        "database is kept beside it as coach.sqlite3.before-restore-<time>. Close Coach first.",
    )
    rest.add_argument("backup", type=Path, metavar="FILE")
    rest.set_defaults(handler=_restore)

    delete = sub.add_parser(
        "delete-all",
        help="delete all recorded progress (needs --yes)",
        description="Empties the progress database. A backup copy is kept next to it first, "
        "named coach.sqlite3.before-delete-<time>; delete that file too if nothing may remain.",
    )
    delete.add_argument("--yes", action="store_true", help="yes, delete everything")
    delete.set_defaults(handler=_delete_all)


def _existing_database(args: argparse.Namespace, command: str) -> Path | int:
    database = paths_of(args).database
    if not database.is_file():
        return fail(command, f"there is no progress database in {database.parent} yet.")
    return database


def _export(args: argparse.Namespace) -> int:
    from coach.core.progress.export import EXPORTERS
    from coach.core.progress.store import Store
    from coach.core.progress.store_errors import StoreError

    database = _existing_database(args, "export")
    if isinstance(database, int):
        return database
    try:
        with Store.open(database) as store:
            written = EXPORTERS[args.format](store, args.output)
    except StoreError as exc:
        return fail("export", exc.message)
    except OSError as exc:
        return fail("export", f"cannot write {args.output}: {exc.strerror or exc}")
    print(f"Exported to {written}", file=sys.stderr)
    return 0


def _backup(args: argparse.Namespace) -> int:
    from coach.core.progress.store import Store
    from coach.core.progress.store_errors import StoreError

    database = _existing_database(args, "backup")
    if isinstance(database, int):
        return database
    try:
        with Store.open(database) as store:
            store.backup_to(args.output)
    except StoreError as exc:
        where = f" ({args.output})" if exc.path == args.output else ""
        return fail("backup", exc.message + where)
    except OSError as exc:
        return fail("backup", f"cannot write {args.output}: {exc.strerror or exc}")
    print(f"Backup written to {args.output}", file=sys.stderr)
    return 0


def _restore(args: argparse.Namespace) -> int:
    from coach.core.progress.store import Store
    from coach.core.progress.store_errors import StoreError

    paths = paths_of(args)
    try:
        paths.ensure_data_dir()
        kept = Store.restore_from(args.backup, paths.database)
    except StoreError as exc:
        return fail("restore", exc.message)
    except OSError as exc:
        return fail("restore", f"cannot use {paths.data}: {exc.strerror or exc}")
    message = f"Restored {args.backup}."
    if kept is not None:
        message += f" Your previous data was kept as {kept}."
    print(message, file=sys.stderr)
    return 0


def _delete_all(args: argparse.Namespace) -> int:
    if not args.yes:
        return fail(
            "delete-all",
            "this deletes all your recorded progress. Run `coach delete-all --yes` to "
            "confirm; a backup copy is kept first.",
        )
    from coach.core.progress.export import delete_all
    from coach.core.progress.store import Store
    from coach.core.progress.store_errors import StoreError

    database = _existing_database(args, "delete-all")
    if isinstance(database, int):
        return database
    try:
        with Store.open(database) as store:
            backup = delete_all(store)
    except StoreError as exc:
        return fail("delete-all", exc.message)
    except OSError as exc:
        return fail("delete-all", f"could not delete: {exc.strerror or exc}")
    print(
        f"All progress was deleted. A copy was kept as {backup}; delete that file too if "
        "nothing may remain.",
        file=sys.stderr,
    )
    return 0
