"""The person's data out of Coach (CSV, JSON), and deleted.

Formats (documented for people and their physiotherapists in
``docs/export-format.md``):

- **JSON**: one UTF-8 document ``{"format": "coach-export", "format_version": 1,
  "schema_version", "exported_utc", "app_version", "tables": {name: [row, ...]},
  "files": [...], "damaged_rows": [...]}``.
  Every table of the database, every column, rows in stored (id) order; columns that
  hold JSON in the database (titles, measure values, flagged answers, kv
  values) are embedded as JSON, not as strings. ``files`` holds the person's
  other files (health answers, reminders, installed plans).
- **CSV**: one zip file holding one CSV per table (``sessions.csv``, ...) with
  the same columns, the person's other files under ``files/``, plus
  ``README.txt``. UTF-8 with a byte-order mark so that
  spreadsheet programs show umlauts; JSON columns as JSON text. Text cells
  that start with ``= + - @`` get a leading apostrophe so a spreadsheet does
  not run them as formulas.

A damaged row (text that is not UTF-8) is exported with its bad bytes shown
as U+FFFD and listed in ``damaged_rows`` (CSV: ``damaged_rows.csv``): counted,
never left out. The export reads the file through a read-only connection, so
it works on a file Coach refused to open (damaged, or from a newer Coach).

Coming back in is a restore of a backup (:mod:`coach.core.progress.backup`);
an export is for reading.

Both are written atomically (temp file + rename): a crash never leaves half an
export that looks complete. Everything is read inside one read transaction,
so the tables agree with each other even while a session is being recorded.

:func:`delete_all` empties every table (after a backup copy) and scrubs the
freed pages, so the data is gone from the file, not only hidden.
"""

from __future__ import annotations

import base64
import csv
import io
import json
import sqlite3
import zipfile
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from coach import __version__
from coach.core.common.atomic import write_bytes_atomic
from coach.core.progress.backup import iter_person_files, set_aside
from coach.core.progress.history import TABLES, History, iso
from coach.core.progress.store import Store
from coach.core.progress.store_errors import StoreError, StoreErrorKind
from coach.core.progress.store_file import require_sole_user
from coach.core.progress.store_rows import BadText

EXPORT_FORMAT = "coach-export"
EXPORT_FORMAT_VERSION = 1
"""Bump when the document's shape changes; import refuses versions it does not know."""

JSON_COLUMNS: dict[str, tuple[str, ...]] = {
    "sessions": ("routine_title",),
    "measures": ("value",),
    "safety_checks": ("flagged",),
    "kv": ("value",),
}
"""Columns stored as JSON text: embedded as JSON values in the JSON export."""

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Snapshot:
    schema_version: int
    tables: dict[str, tuple[list[str], list[tuple[Any, ...]]]]  # name -> (columns, rows)
    damaged: list[dict[str, Any]] = field(default_factory=list)  # {table, rowid, columns}
    files: list[tuple[str, bytes]] = field(default_factory=list)  # the person's other files


def read_snapshot(store: Store | Path) -> Snapshot:
    """Every table's columns and rows from one consistent read, and the person's files.

    Read-only. A row with text that is not UTF-8 is kept (its bad bytes as
    U+FFFD) and listed in ``damaged``.
    """
    path = store.path if isinstance(store, Store) else Path(store)
    damaged: list[dict[str, Any]] = []
    with History(path) as history, history.snapshot():
        version = int(history.rows("PRAGMA user_version")[0][0])
        tables: dict[str, tuple[list[str], list[tuple[Any, ...]]]] = {}
        for table in TABLES:
            columns = [str(r[1]) for r in history.rows(f"PRAGMA table_info({table})")]
            if not columns:
                continue  # a newer Coach's file without this table
            # rowid order is insertion order (ids for all but kv).
            rows = [
                tuple(r)
                for r in history.rows(
                    f"SELECT rowid, * FROM {table} ORDER BY rowid", keep_damaged=True
                )
            ]
            for row in rows:
                bad = [c for c, v in zip(columns, row[1:], strict=True) if isinstance(v, BadText)]
                if bad:
                    damaged.append({"table": table, "rowid": row[0], "columns": bad})
            tables[table] = (columns, [row[1:] for row in rows])
    return Snapshot(version, tables, damaged, list(iter_person_files(path.parent)))


def _file_entry(name: str, content: bytes) -> dict[str, str]:
    try:
        return {"path": name, "text": content.decode("utf-8")}
    except UnicodeDecodeError:
        return {"path": name, "base64": base64.b64encode(content).decode("ascii")}


def to_document(snapshot: Snapshot, *, now: datetime | None = None) -> dict[str, Any]:
    """The JSON export as a Python object."""
    tables: dict[str, list[dict[str, Any]]] = {}
    for table, (columns, rows) in snapshot.tables.items():
        json_columns = JSON_COLUMNS.get(table, ())
        out = []
        for row in rows:
            record = dict(zip(columns, row, strict=True))
            for name in json_columns:
                if isinstance(record.get(name), str):
                    # An odd value stays text: an export never fails on one cell.
                    with suppress(ValueError):
                        record[name] = json.loads(record[name])
            out.append(record)
        tables[table] = out
    return {
        "format": EXPORT_FORMAT,
        "format_version": EXPORT_FORMAT_VERSION,
        "schema_version": snapshot.schema_version,
        "exported_utc": iso(now or datetime.now(UTC)),
        "app_version": __version__,
        "tables": tables,
        "files": [_file_entry(name, content) for name, content in snapshot.files],
        "damaged_rows": snapshot.damaged,
    }


@dataclass(frozen=True)
class Exported:
    path: Path
    damaged: int  # rows whose text is not UTF-8, exported marked
    files: int  # the person's files besides the database


def export_json(store: Store | Path, target: Path, *, now: datetime | None = None) -> Exported:
    snapshot = read_snapshot(store)
    document = to_document(snapshot, now=now)
    text = json.dumps(document, ensure_ascii=False, indent=1, allow_nan=False) + "\n"
    write_bytes_atomic(Path(target), text.encode("utf-8"), mode=0o600)
    return Exported(Path(target), len(snapshot.damaged), len(snapshot.files))


def _csv_cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


_CSV_README = """Coach export (CSV)

One CSV file per table of Coach's progress database. UTF-8 text with a
byte-order mark; the first line names the columns. Times are UTC
(ISO 8601, ending in Z). Columns holding JSON (routine_title, value,
flagged) contain JSON text. Text starting with = + - or @ has a leading
apostrophe (') so spreadsheet programs do not treat it as a formula.

files/ holds your other files as they are: your health answers
(profile.json), your reminders (reminders.json) and the plans your
physiotherapist gave you (routines/assigned/, assignments/).
Damaged entries: {damaged} (listed in damaged_rows.csv when there are any;
their unreadable characters are shown as a replacement sign).

Exported {exported} by Coach {version}; database schema version {schema}.
The columns are described in docs/export-format.md of the Coach sources.
"""


def export_csv(store: Store | Path, target: Path, *, now: datetime | None = None) -> Exported:
    snapshot = read_snapshot(store)
    buffer = io.BytesIO()
    stamp = iso(now or datetime.now(UTC))
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for table, (columns, rows) in snapshot.tables.items():
            text = io.StringIO()
            writer = csv.writer(text, lineterminator="\r\n")
            writer.writerow(columns)
            for row in rows:
                writer.writerow([_csv_cell(v) for v in row])
            archive.writestr(f"{table}.csv", ("\ufeff" + text.getvalue()).encode("utf-8"))
        if snapshot.damaged:
            text = io.StringIO()
            writer = csv.writer(text, lineterminator="\r\n")
            writer.writerow(["table", "rowid", "columns"])
            for entry in snapshot.damaged:
                writer.writerow([entry["table"], entry["rowid"], " ".join(entry["columns"])])
            archive.writestr("damaged_rows.csv", ("\ufeff" + text.getvalue()).encode("utf-8"))
        for name, content in snapshot.files:
            archive.writestr(f"files/{name}", content)
        readme = _CSV_README.format(
            exported=stamp,
            version=__version__,
            schema=snapshot.schema_version,
            damaged=len(snapshot.damaged),
        )
        archive.writestr("README.txt", readme.replace("\n", "\r\n").encode("utf-8"))
    write_bytes_atomic(Path(target), buffer.getvalue(), mode=0o600)
    return Exported(Path(target), len(snapshot.damaged), len(snapshot.files))


EXPORTERS: dict[str, Callable[..., Exported]] = {"json": export_json, "csv": export_csv}


# --------------------------------------------------------------------------
# Delete
# --------------------------------------------------------------------------


@contextmanager
def _writer(path: Path) -> Iterator[sqlite3.Connection]:
    """A second connection for one all-or-nothing write beside the open Store."""
    try:
        conn = sqlite3.connect(path, timeout=5.0, isolation_level=None)
    except sqlite3.Error as exc:
        raise StoreError(StoreErrorKind.IO, path=path, detail=str(exc)) from exc
    with closing(conn):
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA trusted_schema = OFF")
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise StoreError(StoreErrorKind.LOCKED, path=path, detail=str(exc)) from exc
        try:
            yield conn
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def delete_all(store: Store, *, now: datetime | None = None) -> Path:
    """Empty every table, after a backup copy next to the database; returns its path.

    The copy (``<name>.before-delete-<time>``) is the way back from a
    mistake; the person is told where it is and may delete it. Freed pages
    are overwritten (``secure_delete``), the file is vacuumed and the -wal
    truncated, so the deleted rows do not linger inside the database file.
    """
    moment = now or datetime.now(UTC)
    backup = store.path.with_name(f"{store.path.name}.before-delete-{_stamp(moment)}")
    number = 1
    while backup.exists():
        number += 1
        backup = store.path.with_name(f"{store.path.name}.before-delete-{_stamp(moment)}-{number}")
    store.backup_to(backup)
    with _writer(store.path) as conn:
        conn.execute("PRAGMA secure_delete = ON")
        for table in reversed(TABLES):
            conn.execute(f"DELETE FROM {table}")
    try:
        with closing(sqlite3.connect(store.path, timeout=5.0, isolation_level=None)) as conn:
            conn.execute("PRAGMA secure_delete = ON")
            conn.execute("VACUUM")
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    except sqlite3.Error:
        pass  # the rows are gone either way; scrubbing is best effort
    return backup


@dataclass(frozen=True)
class Deleted:
    database_copy: Path  # coach.sqlite3.before-delete-<time>
    files_folder: Path | None  # before-delete-<time>/: the person's other files, moved


def check_not_in_use(database: Path) -> None:
    """StoreError LOCKED when another program (a Coach, perhaps mid-session) has the file open.

    For a command run beside the app: like a restore, a delete is refused
    then. Call it before opening the Store (it checks that nobody else has
    the file open, and would see one's own connection too).
    """
    require_sole_user(database)


def delete_everything(store: Store, *, now: datetime | None = None) -> Deleted:
    """:func:`delete_all`, and the person's other files moved aside with it.

    The health answers, reminders and installed plans go into
    ``before-delete-<time>/`` in the data folder (renamed, not copied), so
    nothing the person recorded is left in its usual place and a mistake
    can still be undone.
    """
    moment = now or datetime.now(UTC)
    copy = delete_all(store, now=moment)
    folder = set_aside(store.path.parent, f"before-delete-{_stamp(moment)}")
    return Deleted(copy, folder)
