"""The SQLite file itself: its schema, how it is created, checked, copied and restored.

This is the code that decides whether a file is safe to touch (owner-only
modes, refusing a damaged or newer file before anything is written, keeping a
copy before a migration or a restore). It is kept out of
:mod:`coach.core.progress.store` so that those rules can be read in one place
and the store itself is left with the reading and writing of rows.
"""

from __future__ import annotations

import contextlib
import functools
import os
import shutil
import sqlite3
import stat
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from coach.core.common.atomic import make_private_dir
from coach.core.progress.store_errors import StoreError, StoreErrorKind, translate, translating

Migration = Callable[[sqlite3.Connection], None]
"""Moves the schema one version up; runs inside the migration's transaction."""


# --------------------------------------------------------------------------
# Schema
# --------------------------------------------------------------------------

# No STRICT tables and no json_valid(): both need a newer SQLite than some
# Python 3.11 builds link against. Types and ranges are checked in Python and
# again by CHECK constraints.
_V1_SCHEMA = (
    """CREATE TABLE sessions (
        id INTEGER PRIMARY KEY,
        routine_id TEXT NOT NULL,
        routine_title TEXT NOT NULL,
        routine_hash TEXT,
        planned_total_s REAL CHECK (planned_total_s IS NULL OR planned_total_s >= 0),
        started_utc TEXT NOT NULL,
        ended_utc TEXT,
        outcome TEXT NOT NULL DEFAULT 'in_progress'
            CHECK (outcome IN ('in_progress', 'completed', 'stopped', 'abandoned')),
        stop_reason TEXT,
        stop_note TEXT,
        pain_before_back INTEGER CHECK (pain_before_back BETWEEN 0 AND 10),
        pain_before_leg INTEGER CHECK (pain_before_leg BETWEEN 0 AND 10),
        pain_after_back INTEGER CHECK (pain_after_back BETWEEN 0 AND 10),
        pain_after_leg INTEGER CHECK (pain_after_leg BETWEEN 0 AND 10)
    )""",
    "CREATE INDEX sessions_started ON sessions (started_utc)",
    """CREATE TABLE step_results (
        id INTEGER PRIMARY KEY,
        session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
        step_index INTEGER NOT NULL CHECK (step_index >= 0),
        item_index INTEGER,
        exercise_id TEXT,
        phase TEXT NOT NULL,
        side TEXT,
        set_no INTEGER,
        rep_no INTEGER,
        planned_s REAL NOT NULL CHECK (planned_s >= 0),
        done_s REAL NOT NULL CHECK (done_s >= 0),
        outcome TEXT NOT NULL,
        symptoms_at_s REAL CHECK (symptoms_at_s IS NULL OR symptoms_at_s >= 0),
        recorded_utc TEXT NOT NULL
    )""",
    "CREATE INDEX step_results_session ON step_results (session_id, id)",
    """CREATE TABLE measures (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind <> ''),
        taken_utc TEXT NOT NULL,
        value TEXT NOT NULL
    )""",
    "CREATE INDEX measures_kind_taken ON measures (kind, taken_utc)",
    """CREATE TABLE notes (
        id INTEGER PRIMARY KEY,
        taken_utc TEXT NOT NULL,
        text TEXT NOT NULL,
        session_id INTEGER REFERENCES sessions (id) ON DELETE SET NULL
    )""",
    """CREATE TABLE activities (
        id INTEGER PRIMARY KEY,
        taken_utc TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind <> ''),
        minutes REAL NOT NULL CHECK (minutes >= 0),
        feeling TEXT,
        note TEXT
    )""",
    """CREATE TABLE safety_checks (
        id INTEGER PRIMARY KEY,
        taken_utc TEXT NOT NULL,
        checked_on TEXT NOT NULL,
        outcome TEXT NOT NULL CHECK (outcome IN ('ok', 'see_doctor', 'emergency')),
        flagged TEXT NOT NULL
    )""",
    "CREATE INDEX safety_checks_day ON safety_checks (checked_on)",
    """CREATE TABLE kv (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL,
        updated_utc TEXT NOT NULL
    )""",
)


def _migrate_v0_to_v1(conn: sqlite3.Connection) -> None:
    # One statement at a time: executescript() would COMMIT the migration's
    # transaction halfway.
    for statement in _V1_SCHEMA:
        conn.execute(statement)


def _migrate_v1_to_v2(conn: sqlite3.Connection) -> None:
    """The check's "same day" tier: ``safety_checks.outcome`` may be 'same_day'.

    SQLite cannot change a CHECK constraint in place, so the table is built
    anew and the rows copied. The old table is renamed first and the new one
    created under its final name: the schema text then is exactly these
    statements on every SQLite, which the schema check compares.
    """
    conn.execute("ALTER TABLE safety_checks RENAME TO safety_checks_v1")
    conn.execute(
        """CREATE TABLE safety_checks (
        id INTEGER PRIMARY KEY,
        taken_utc TEXT NOT NULL,
        checked_on TEXT NOT NULL,
        outcome TEXT NOT NULL
            CHECK (outcome IN ('ok', 'see_doctor', 'same_day', 'emergency')),
        flagged TEXT NOT NULL
    )"""
    )
    conn.execute(
        "INSERT INTO safety_checks (id, taken_utc, checked_on, outcome, flagged)"
        " SELECT id, taken_utc, checked_on, outcome, flagged FROM safety_checks_v1"
        " ORDER BY id"
    )
    conn.execute("DROP TABLE safety_checks_v1")  # and its index
    conn.execute("CREATE INDEX safety_checks_day ON safety_checks (checked_on)")


MIGRATIONS: tuple[Migration, ...] = (_migrate_v0_to_v1, _migrate_v1_to_v2)
"""``MIGRATIONS[n]`` takes the schema from version n to n + 1; the length is
the version this Coach writes. A new version is one more function here."""


# --------------------------------------------------------------------------
# Creating, opening, checking and copying the file
# --------------------------------------------------------------------------


def unique_path(path: Path) -> Path:
    """``path``, or ``path-2``, ``path-3``...: never overwrite a kept copy."""
    candidate, number = path, 1
    while candidate.exists() or Path(f"{candidate}-wal").exists():
        number += 1
        candidate = path.with_name(f"{path.name}-{number}")
    return candidate


def fsync_dir(folder: Path) -> None:
    """Make a rename durable. Windows cannot open folders; its renames are journaled."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def prepare_file(path: Path) -> None:
    """Create the folder (0o700) and the file (0o600) before SQLite touches them.

    Creating the empty file ourselves means it never exists with looser
    permissions; SQLite gives its -wal and -shm files the database file's mode.
    An existing file only loses group/other bits: a read-only file stays
    read-only, and a file we do not own is left as it is.
    """
    make_private_dir(path.parent)  # and every missing folder above it, whatever the umask
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o077:
            with contextlib.suppress(OSError):
                os.chmod(path, mode & 0o700)
    else:
        os.close(fd)


def connect(path: Path, busy_timeout_s: float) -> sqlite3.Connection:
    # isolation_level=None: no implicit transactions; every write is an
    # explicit BEGIN IMMEDIATE ... COMMIT below.
    conn = sqlite3.connect(path, timeout=busy_timeout_s, isolation_level=None)
    conn.row_factory = sqlite3.Row
    return conn


def read_only_uri(path: Path) -> str:
    """``mode=ro``: SQLite never writes the file or merges its -wal into it.

    immutable=1 as well when there is no -wal: no locks, no -wal/-shm files
    created next to a file that only gets looked at (a backup on a USB stick,
    say). immutable would ignore a -wal, which may hold the newest data of a
    live database; then SQLite must read it (and may create the -shm index).
    """
    wal = Path(f"{path}-wal")
    has_wal = wal.exists() and wal.stat().st_size > 0
    return f"{path.resolve().as_uri()}?mode=ro" + ("" if has_wal else "&immutable=1")


def _connect_read_only(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(read_only_uri(path), uri=True, isolation_level=None)
    conn.row_factory = sqlite3.Row
    return conn


def user_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def _quick_check_ok(conn: sqlite3.Connection) -> bool:
    rows = conn.execute("PRAGMA quick_check").fetchall()
    return [tuple(r) for r in rows] == [("ok",)]


def has_any_table(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchone() is not None


SchemaEntry = tuple[bytes, bytes, bytes, bytes | None]
"""One row of ``sqlite_master`` as bytes: type, name, table, SQL (whitespace folded)."""


def schema_of(conn: sqlite3.Connection) -> frozenset[SchemaEntry]:
    """Every table, index, trigger and view of the file, read as bytes.

    Bytes, not text: a name that is not UTF-8 must make the file "not ours",
    not raise UnicodeDecodeError.
    """
    factory = conn.text_factory
    conn.text_factory = bytes
    try:
        # SQLite's own statistics tables (made by ANALYZE or PRAGMA optimize, as a
        # sqlite3 shell or a tuning tool may run) describe the data, not its shape:
        # a file that has them is still Coach's.
        rows = conn.execute(
            "SELECT type, name, tbl_name, sql FROM sqlite_master"
            " WHERE name NOT LIKE 'sqlite\\_stat%' ESCAPE '\\'"
        ).fetchall()
    finally:
        conn.text_factory = factory
    return frozenset(
        (bytes(t), bytes(n), bytes(tb), b" ".join(bytes(sql).split()) if sql else None)
        for t, n, tb, sql in rows
    )


@functools.lru_cache(maxsize=8)
def expected_schema(migrations: tuple[Migration, ...]) -> frozenset[SchemaEntry]:
    """The schema Coach itself creates with these migrations, built in memory."""
    conn = sqlite3.connect(":memory:", isolation_level=None)
    try:
        for migration in migrations:
            migration(conn)
        return schema_of(conn)
    finally:
        conn.close()


def _schema_problem(
    conn: sqlite3.Connection, version: int, migrations: Sequence[Migration]
) -> str | None:
    """Why the file's schema is not exactly Coach's of its version (None: it is)."""
    found = schema_of(conn)
    wanted = expected_schema(tuple(migrations[:version]))
    if found == wanted:
        return None
    extra = sorted(f"{e[0]!r} {e[1]!r}" for e in found - wanted)
    missing = sorted(f"{e[0]!r} {e[1]!r}" for e in wanted - found)
    return f"schema differs: not Coach's {extra[:5]}, missing {missing[:5]}"


def check_readable(
    conn: sqlite3.Connection,
    path: Path,
    known_version: int,
    migrations: Sequence[Migration] = MIGRATIONS,
    *,
    checked: int | None = None,
) -> int:
    """Refuse a damaged or newer database before anything is written to it.

    ``checked``: the version a read-only look (:func:`inspect_read_only`)
    found a moment ago; if the file still has it, the checks are not repeated.
    """
    version = user_version(conn)  # the first read: "not a database" shows here
    if version > known_version:
        raise StoreError(
            StoreErrorKind.NEWER,
            path=path,
            detail=f"schema version {version}, this Coach knows up to {known_version}",
        )
    if checked is not None and version == checked:
        return version
    if not _quick_check_ok(conn):
        raise StoreError(StoreErrorKind.CORRUPT, path=path, detail="quick_check failed")
    if version >= 1:
        problem = _schema_problem(conn, version, migrations)
        if problem is not None:
            raise StoreError(StoreErrorKind.CORRUPT, path=path, detail=problem)
    return version


def inspect_read_only(path: Path, migrations: Sequence[Migration] = MIGRATIONS) -> int | None:
    """Check a database through a read-only connection; its version, or StoreError.

    Nothing is written: a refused file with a live -wal keeps both files byte
    for byte (a read-write connection would merge the -wal when it closes).
    Only a damaged or newer file is refused here; None when a read-only look
    was not possible (a hot rollback journal, say): the caller checks again.
    """
    try:
        conn = _connect_read_only(path)
    except sqlite3.Error:
        return None
    try:
        return check_readable(conn, path, len(migrations), migrations)
    except UnicodeDecodeError as exc:
        raise StoreError(StoreErrorKind.CORRUPT, path=path, detail=str(exc)) from exc
    except sqlite3.Error as exc:
        error = translate(exc, path)
        if error.kind is StoreErrorKind.CORRUPT:
            raise error from exc
        return None
    finally:
        conn.close()


def copy_as_is(database: Path, target: Path) -> tuple[list[Path], bool]:
    """Copy a database, damaged or not, without changing it: (files written, raw).

    The backup API through a read-only connection gives one consistent file
    (the -wal's pages included). When SQLite cannot read the file at all, its
    bytes are copied as they are, the -wal beside them as ``target-wal``.
    """
    try:
        conn = _connect_read_only(database)
        try:
            copy_database(conn, target)
        finally:
            conn.close()
        return [target], False
    except (sqlite3.Error, UnicodeDecodeError):
        pass
    written = []
    for suffix in ("", "-wal"):
        source = Path(f"{database}{suffix}")
        if source.exists():
            copy = Path(f"{target}{suffix}")
            shutil.copyfile(source, copy)
            os.chmod(copy, 0o600)
            _fsync_file(copy)
            written.append(copy)
    return written, True


def copy_database(source: sqlite3.Connection, target: Path) -> None:
    """A consistent copy of ``source`` at ``target``, written atomically, owner-only."""
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    # mkstemp creates the file with mode 0o600.
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        dest = sqlite3.connect(tmp, isolation_level=None)
        try:
            # The backup API copies a consistent snapshot, WAL content included.
            source.backup(dest)
        finally:
            dest.close()
        _fsync_file(tmp)
        os.replace(tmp, target)
        fsync_dir(target.parent)
    except BaseException:
        tmp.unlink(missing_ok=True)
        Path(f"{tmp}-journal").unlink(missing_ok=True)
        raise


def configure(conn: sqlite3.Connection) -> None:
    # Only after the file proved readable: switching to WAL writes the header.
    conn.execute("PRAGMA journal_mode = WAL").fetchone()
    conn.execute("PRAGMA synchronous = FULL")  # fsync the WAL at every commit
    conn.execute("PRAGMA foreign_keys = ON")
    # A restored backup may come from anywhere: its schema must not run
    # functions with side effects.
    conn.execute("PRAGMA trusted_schema = OFF")


# --------------------------------------------------------------------------
# Restoring a backup
# --------------------------------------------------------------------------


_BAD_BACKUP = "This file is not a Coach backup, or it is damaged. Nothing was changed."
_NEWER_BACKUP = (
    "This backup comes from a newer version of Coach. Please update Coach to restore it. "
    "Nothing was changed."
)


def _integrity_ok(conn: sqlite3.Connection) -> bool:
    factory = conn.text_factory
    conn.text_factory = bytes  # its messages quote the file's names
    try:
        rows = conn.execute("PRAGMA integrity_check").fetchall()
    finally:
        conn.text_factory = factory
    return [tuple(r) for r in rows] == [(b"ok",)]


def check_backup(path: Path, migrations: Sequence[Migration] = MIGRATIONS) -> int:
    """The schema version of a backup that passed every check, or StoreError.

    A backup may come from anywhere, so it must be exactly what Coach writes:
    the tables, columns and indexes of its version and nothing else (no
    trigger or view Coach did not create), and a clean ``integrity_check``.
    Read through a read-only connection; the file is never changed.
    """
    known_version = len(migrations)
    if not path.is_file():
        raise StoreError(StoreErrorKind.IO, "The backup file was not found.", path=path)
    try:
        conn = _connect_read_only(path)
    except sqlite3.Error as exc:
        raise translate(exc, path) from exc
    try:
        try:
            version = user_version(conn)
            if version > known_version:
                raise StoreError(
                    StoreErrorKind.NEWER, _NEWER_BACKUP, path=path, detail=f"version {version}"
                )
            problem = None if version >= 1 else f"version {version}"
            if problem is None:
                problem = _schema_problem(conn, version, migrations)
            if problem is None and not _integrity_ok(conn):
                problem = "integrity_check failed"
        except (sqlite3.DatabaseError, UnicodeDecodeError) as exc:
            problem = f"{type(exc).__name__}: {exc}"
        if problem is not None:
            raise StoreError(StoreErrorKind.CORRUPT, _BAD_BACKUP, path=path, detail=problem)
    finally:
        conn.close()
    return version


def copy_into_fresh(
    backup: Path, target: Path, version: int, migrations: Sequence[Migration] = MIGRATIONS
) -> None:
    """A new database at ``target`` made by Coach, holding the backup's rows.

    The file is created here with Coach's own schema of the backup's version;
    the rows come across with ``INSERT ... SELECT`` (values byte for byte,
    a damaged text too). Nothing else of the backup comes along: no page
    layout, free pages, header fields or schema entries. Run
    :func:`check_backup` first.
    """
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.close(fd)
    try:
        conn = sqlite3.connect(str(target), isolation_level=None, uri=True)
        try:
            conn.execute("PRAGMA trusted_schema = OFF")
            conn.execute("BEGIN IMMEDIATE")
            for migration in migrations[:version]:
                migration(conn)
            conn.execute(f"PRAGMA user_version = {int(version)}")
            conn.execute("COMMIT")
            conn.execute("ATTACH DATABASE ? AS backup", (read_only_uri(backup),))
            tables = [
                str(r[0])
                for r in conn.execute(
                    "SELECT name FROM main.sqlite_master WHERE type = 'table' ORDER BY rowid"
                )
            ]
            conn.execute("BEGIN IMMEDIATE")
            for table in tables:
                names = ", ".join(
                    f'"{r[1]}"' for r in conn.execute(f'PRAGMA main.table_info("{table}")')
                )
                conn.execute(
                    f'INSERT INTO main."{table}" ({names})'
                    f' SELECT {names} FROM backup."{table}" ORDER BY rowid'
                )
            conn.execute("COMMIT")
            conn.execute("DETACH DATABASE backup")
        finally:
            conn.close()
        _fsync_file(target)
    except BaseException:
        target.unlink(missing_ok=True)
        Path(f"{target}-journal").unlink(missing_ok=True)
        raise


def keep_before_restore(target: Path, stamp: str, busy_timeout_s: float) -> Path:
    """Copy the current database aside, self-contained, before a restore replaces it."""
    kept = unique_path(target.with_name(f"{target.name}.before-restore-{stamp}"))
    try:
        _fold_wal(target, busy_timeout_s)
    except StoreError as error:
        if error.kind is not StoreErrorKind.CORRUPT:
            raise
    # A damaged database keeps its -wal beside the copy; after _fold_wal a
    # healthy one has none.
    for suffix in ("", "-wal"):
        source = Path(f"{target}{suffix}")
        if source.exists():
            shutil.copyfile(source, Path(f"{kept}{suffix}"))
            os.chmod(Path(f"{kept}{suffix}"), 0o600)
            _fsync_file(Path(f"{kept}{suffix}"))
    fsync_dir(target.parent)
    # A stale -wal next to the restored file would be replayed into it.
    for suffix in ("-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    return kept


def _fold_wal(path: Path, busy_timeout_s: float) -> None:
    """Write the -wal into the main file and leave WAL mode, proving nobody else has it open.

    SQLite refuses to leave WAL mode while another connection is open, so a
    Coach still running on this file makes the restore fail as "locked"
    instead of pulling the file from under it.
    """
    with translating(path):
        conn = connect(path, busy_timeout_s)
        try:
            user_version(conn)
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
            mode = conn.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
        finally:
            conn.close()
    if str(mode).lower() != "delete":
        raise StoreError(StoreErrorKind.LOCKED, path=path, detail=f"journal mode stays {mode}")


def require_sole_user(path: Path, busy_timeout_s: float = 2.0) -> None:
    """StoreError LOCKED when another connection (a running Coach) has the file open.

    The same proof a restore uses: SQLite leaves WAL mode only for the one
    connection that has the file to itself. The file's content stays as it
    is; its -wal is written into it, which any close would do too.
    """
    _fold_wal(path, busy_timeout_s)
