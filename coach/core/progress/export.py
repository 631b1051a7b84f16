"""The person's data out of Coach (CSV, JSON), back in (JSON), and deleted.

Formats (documented for people and their physiotherapists in
``docs/export-format.md``):

- **JSON**: one UTF-8 document ``{"format": "coach-export", "format_version": 1,
  "schema_version", "exported_utc", "app_version", "tables": {name: [row, ...]}}``.
  Every table of the database, every column, rows in stored (id) order; columns that
  hold JSON in the database (titles, measure values, flagged answers, kv
  values) are embedded as JSON, not as strings. :func:`import_json` reads it
  back into an empty store, row for row.
- **CSV**: one zip file holding one CSV per table (``sessions.csv``, ...) with
  the same columns, plus ``README.txt``. UTF-8 with a byte-order mark so that
  spreadsheet programs show umlauts; JSON columns as JSON text. Text cells
  that start with ``= + - @`` get a leading apostrophe so a spreadsheet does
  not run them as formulas.

Both are written atomically (temp file + rename): a crash never leaves half an
export that looks complete. Everything is read inside one read transaction,
so the tables agree with each other even while a session is being recorded.

:func:`delete_all` empties every table (after a backup copy) and scrubs the
freed pages, so the data is gone from the file, not only hidden.
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import zipfile
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from coach import __version__
from coach.core.common.atomic import write_bytes_atomic
from coach.core.progress.history import TABLES, History, iso
from coach.core.progress.store import Store
from coach.core.progress.store_errors import StoreError, StoreErrorKind

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


class ImportProblem(ValueError):
    """The document cannot be imported; nothing was written."""


@dataclass(frozen=True)
class Snapshot:
    schema_version: int
    tables: dict[str, tuple[list[str], list[tuple[Any, ...]]]]  # name -> (columns, rows)


def _dumps_compact(value: object) -> str:
    # Exactly how the store writes JSON, so an import gives identical text.
    return json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"))


def read_snapshot(store: Store | Path) -> Snapshot:
    """Every table's columns and rows, from one consistent read."""
    with History(store) as history, history.snapshot():
        version = int(history.rows("PRAGMA user_version")[0][0])
        tables: dict[str, tuple[list[str], list[tuple[Any, ...]]]] = {}
        for table in TABLES:
            columns = [str(r[1]) for r in history.rows(f"PRAGMA table_info({table})")]
            # rowid order is insertion order (ids for all but kv): an import
            # that inserts in this order gives back the same file content.
            rows = [tuple(r) for r in history.rows(f"SELECT * FROM {table} ORDER BY rowid")]
            tables[table] = (columns, rows)
    return Snapshot(version, tables)


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
    }


def export_json(store: Store | Path, target: Path, *, now: datetime | None = None) -> Path:
    document = to_document(read_snapshot(store), now=now)
    text = json.dumps(document, ensure_ascii=False, indent=1, allow_nan=False) + "\n"
    write_bytes_atomic(Path(target), text.encode("utf-8"), mode=0o600)
    return Path(target)


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

Exported {exported} by Coach {version}; database schema version {schema}.
The columns are described in docs/export-format.md of the Coach sources.
"""


def export_csv(store: Store | Path, target: Path, *, now: datetime | None = None) -> Path:
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
        readme = _CSV_README.format(
            exported=stamp, version=__version__, schema=snapshot.schema_version
        )
        archive.writestr("README.txt", readme.replace("\n", "\r\n").encode("utf-8"))
    write_bytes_atomic(Path(target), buffer.getvalue(), mode=0o600)
    return Path(target)


EXPORTERS: dict[str, Callable[..., Path]] = {"json": export_json, "csv": export_csv}


# --------------------------------------------------------------------------
# Import (into an empty store) and delete
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


def load_document(path: Path) -> dict[str, Any]:
    try:
        document = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise ImportProblem(f"This is not a Coach JSON export ({exc}).") from exc
    if not isinstance(document, dict) or document.get("format") != EXPORT_FORMAT:
        raise ImportProblem("This is not a Coach JSON export.")
    return document


def import_json(store: Store, source: Path | dict[str, Any]) -> dict[str, int]:
    """Put a JSON export into ``store``, which must hold no data yet.

    All rows keep their ids and timestamps. One transaction: a bad document
    (unknown version, a value the schema refuses) raises ImportProblem and
    writes nothing. Returns the rows imported per table.
    """
    document = source if isinstance(source, dict) else load_document(source)
    if document.get("format") != EXPORT_FORMAT:
        raise ImportProblem("This is not a Coach JSON export.")
    version = document.get("format_version")
    if version != EXPORT_FORMAT_VERSION:
        raise ImportProblem(f"This export has format version {version!r}; Coach reads 1.")
    schema = document.get("schema_version")
    if not isinstance(schema, int) or schema > store.schema_version:
        raise ImportProblem("This export comes from a newer version of Coach.")
    tables = document.get("tables")
    if not isinstance(tables, dict):
        raise ImportProblem("The export has no tables.")
    counts: dict[str, int] = {}
    with History(store) as history:
        if any(history.counts().values()):
            raise ImportProblem("The store already holds data; import only into an empty one.")
        columns = {t: [str(r[1]) for r in history.rows(f"PRAGMA table_info({t})")] for t in TABLES}
    with _writer(store.path) as conn:
        for table in TABLES:
            rows = tables.get(table, [])
            if not isinstance(rows, list):
                raise ImportProblem(f"'{table}' is not a list of rows.")
            known = columns[table]
            for number, row in enumerate(rows, start=1):
                if not isinstance(row, dict):
                    raise ImportProblem(f"{table} row {number} is not an object.")
                unknown = set(row) - set(known)
                if unknown:
                    raise ImportProblem(f"{table} row {number}: unknown columns {sorted(unknown)}")
                names = [c for c in known if c in row]
                try:
                    values = [
                        _dumps_compact(row[c]) if c in JSON_COLUMNS.get(table, ()) else row[c]
                        for c in names
                    ]
                except ValueError as exc:
                    raise ImportProblem(f"{table} row {number}: {exc}") from exc
                if any(isinstance(v, dict | list) for v in values):
                    raise ImportProblem(f"{table} row {number}: a nested value in a plain column")
                try:
                    conn.execute(
                        f"INSERT INTO {table} ({', '.join(names)})"
                        f" VALUES ({', '.join('?' for _ in names)})",
                        values,
                    )
                except sqlite3.IntegrityError as exc:
                    raise ImportProblem(f"{table} row {number}: {exc}") from exc
            counts[table] = len(rows)
    return counts


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
