"""The progress store: one SQLite file holding sessions, steps, measures and settings.

Durability is the point. Every finished step is its own transaction
(``synchronous=FULL`` in WAL mode), so a crash or a power cut loses at most
the step in progress. Every write runs inside ``BEGIN IMMEDIATE ... COMMIT``
and rolls back on any failure, so nothing half-written is ever committed.

The file is the person's health record, so it is treated carefully:

- it is readable by its owner only (``0o600``, folder ``0o700`` when created);
- a damaged file, or one written by a newer Coach, is refused *before*
  anything is written to it, and is never overwritten or deleted;
- a migration to a newer schema first takes a backup copy next to it;
- every fault reaches the caller as one exception type, :class:`StoreError`,
  with a ``kind`` the UI can act on and a plain-language ``message``.

Timestamps are wall-clock UTC, stored as fixed-width ISO-8601 strings ending
in ``Z`` (so string order is time order). Monotonic clock values, which mean
nothing after a restart, are never stored.

Pure stdlib ``sqlite3``; no Qt.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import shutil
import sqlite3
import stat
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, fields
from datetime import UTC, date, datetime
from enum import Enum, StrEnum
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from coach.core.content.model import Text
from coach.core.session.runner import StepResult
from coach.core.session.safety import CheckResult
from coach.core.session.safety import Outcome as CheckOutcome

Clock = Callable[[], datetime]
"""Returns the current time as an aware datetime (converted to UTC on use)."""

Migration = Callable[[sqlite3.Connection], None]
"""Moves the schema one version up; runs inside the migration's transaction."""

DEFAULT_BUSY_TIMEOUT_S = 2.0
"""How long a write waits for another process's lock before giving up."""

PROFILE_KEY = "health_profile"
"""kv key of the HealthProfile (``HealthProfile.to_data()``)."""
PSFS_ACTIVITIES_KEY = "psfs_activities"
"""kv key of the activities the person chose for the PSFS (a list of names)."""

WALK_FIRST_SYMPTOMS_S = "first_symptoms_s"
"""walking_test value: seconds to first symptoms (absent/None: none came)."""
WALK_TOTAL_S = "total_s"
"""walking_test value: seconds walked in total (the test stops at 30 min)."""


def utc_now() -> datetime:
    return datetime.now(UTC)


# --------------------------------------------------------------------------
# Errors
# --------------------------------------------------------------------------


class StoreErrorKind(StrEnum):
    LOCKED = "locked"  # another process holds the write lock
    READ_ONLY = "read_only"  # the file or its folder cannot be written
    FULL = "full"  # the disk (or quota) is full
    CORRUPT = "corrupt"  # not a database, or a damaged one
    NEWER = "newer"  # written by a newer Coach: schema unknown here
    IO = "io"  # anything else the operating system or SQLite refused


_MESSAGES: dict[StoreErrorKind, str] = {
    StoreErrorKind.LOCKED: (
        "Coach's progress file is in use by another program, perhaps a second Coach window. "
        "Close it and try again."
    ),
    StoreErrorKind.READ_ONLY: (
        "Coach cannot save your progress because the progress file or its folder is read-only."
    ),
    StoreErrorKind.FULL: (
        "The disk is full, so Coach could not save your progress. Free some space and try "
        "again. What was saved before is safe."
    ),
    StoreErrorKind.CORRUPT: (
        "Coach's progress file is damaged and cannot be read. It has not been changed. "
        "Coach can put it aside and start a new one."
    ),
    StoreErrorKind.NEWER: (
        "This progress file comes from a newer version of Coach. Please update Coach to "
        "open it. The file has not been changed."
    ),
    StoreErrorKind.IO: "Coach could not read or write its progress file.",
}


class StoreError(Exception):
    """Any fault of the progress file, in words a person can act on.

    ``kind`` says what to offer (wait and retry, free space, quarantine the
    file, update Coach); ``detail`` keeps the technical cause for a log.
    """

    def __init__(
        self,
        kind: StoreErrorKind,
        message: str | None = None,
        *,
        path: Path | None = None,
        detail: str = "",
    ) -> None:
        self.kind = kind
        self.message = message or _MESSAGES[kind]
        self.path = path
        self.detail = detail
        super().__init__(self.message)


# Primary SQLite result codes (the low byte of an extended code).
_SQLITE_KINDS: dict[int, StoreErrorKind] = {
    5: StoreErrorKind.LOCKED,  # SQLITE_BUSY
    6: StoreErrorKind.LOCKED,  # SQLITE_LOCKED
    8: StoreErrorKind.READ_ONLY,  # SQLITE_READONLY
    11: StoreErrorKind.CORRUPT,  # SQLITE_CORRUPT
    13: StoreErrorKind.FULL,  # SQLITE_FULL
    26: StoreErrorKind.CORRUPT,  # SQLITE_NOTADB
}
_SQLITE_CANTOPEN = 14

_ERRNO_KINDS: dict[int, StoreErrorKind] = {
    errno.ENOSPC: StoreErrorKind.FULL,
    errno.EDQUOT: StoreErrorKind.FULL,
    errno.EACCES: StoreErrorKind.READ_ONLY,
    errno.EPERM: StoreErrorKind.READ_ONLY,
    errno.EROFS: StoreErrorKind.READ_ONLY,
}


def _translate(exc: sqlite3.Error | OSError, path: Path) -> StoreError:
    if isinstance(exc, sqlite3.Error):
        code = getattr(exc, "sqlite_errorcode", None)
        primary = code & 0xFF if isinstance(code, int) else -1
        kind = _SQLITE_KINDS.get(primary, StoreErrorKind.IO)
        if primary == _SQLITE_CANTOPEN and not os.access(path.parent, os.W_OK):
            # SQLite cannot create its -wal/-shm files in a read-only folder.
            kind = StoreErrorKind.READ_ONLY
    else:
        kind = _ERRNO_KINDS.get(exc.errno or 0, StoreErrorKind.IO)
    return StoreError(kind, path=path, detail=f"{type(exc).__name__}: {exc}")


@contextlib.contextmanager
def _translating(path: Path) -> Iterator[None]:
    """Turn sqlite3 and OS errors into StoreError; constraint failures are caller bugs."""
    try:
        yield
    except sqlite3.IntegrityError as exc:
        raise ValueError(f"the progress store refused the data: {exc}") from exc
    except (sqlite3.Error, OSError) as exc:
        raise _translate(exc, path) from exc


# --------------------------------------------------------------------------
# Rows
# --------------------------------------------------------------------------


class SessionOutcome(StrEnum):
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    STOPPED = "stopped"  # the person pressed stop (see stop_reason)
    ABANDONED = "abandoned"  # never ended: a crash, a power cut, the app closed


class MeasureKind(StrEnum):
    """The measures of the content spec, section 5. Other kinds may be stored too."""

    PAIN = "pain"  # {"back": 0..10, "leg": 0..10}
    WALKING_TEST = "walking_test"  # {"first_symptoms_s", "total_s", "distance_m"?, "steps"?}
    PSFS = "psfs"  # {"scores": {activity: 0..10}}
    CHAIR_STAND = "chair_stand"  # {"count": stands in 30 s}
    CLINICIAN_SCORE = "clinician_score"  # {"instrument": "ODI", "score": ...} taken elsewhere


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return _iso(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Text):
        return dict(value.root)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, tuple | list):
        return [_jsonable(v) for v in value]
    return value


@dataclass(frozen=True)
class _Row:
    def to_json_dict(self) -> dict[str, Any]:
        """The row as JSON-ready values (timestamps as ISO strings), for exports."""
        return {f.name: _jsonable(getattr(self, f.name)) for f in fields(self)}


@dataclass(frozen=True)
class SessionRow(_Row):
    id: int
    routine_id: str
    routine_title: Text  # as it was when the session ran
    routine_hash: str | None
    planned_total_s: float | None
    started_utc: datetime
    ended_utc: datetime | None
    outcome: SessionOutcome
    stop_reason: str | None
    stop_note: str | None
    pain_before_back: int | None
    pain_before_leg: int | None
    pain_after_back: int | None
    pain_after_leg: int | None


@dataclass(frozen=True)
class StepRow(_Row):
    """One StepResult. A step repeated with back() has several rows; the last counts."""

    id: int
    session_id: int
    step_index: int
    item_index: int | None
    exercise_id: str | None
    phase: str  # a plan.Phase value
    side: str | None  # a model.Side value
    set_no: int | None
    rep_no: int | None
    planned_s: float
    done_s: float
    outcome: str  # a session.Outcome value
    symptoms_at_s: float | None
    recorded_utc: datetime


@dataclass(frozen=True)
class MeasureRow(_Row):
    id: int
    kind: str
    taken_utc: datetime
    value: dict[str, Any]


@dataclass(frozen=True)
class NoteRow(_Row):
    id: int
    taken_utc: datetime
    text: str
    session_id: int | None


@dataclass(frozen=True)
class ActivityRow(_Row):
    id: int
    taken_utc: datetime
    kind: str
    minutes: float
    feeling: str | None
    note: str | None


@dataclass(frozen=True)
class CheckRow(_Row):
    """A stored safety check. ``checked_on`` is the person's local day of the check."""

    id: int
    taken_utc: datetime
    checked_on: date
    outcome: CheckOutcome
    flagged: tuple[str, ...]

    @property
    def exercise_allowed(self) -> bool:
        return self.outcome is CheckOutcome.OK


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


MIGRATIONS: tuple[Migration, ...] = (_migrate_v0_to_v1,)
"""``MIGRATIONS[n]`` takes the schema from version n to n + 1; the length is
the version this Coach writes. A new version is one more function here."""


# --------------------------------------------------------------------------
# Helpers: time, JSON, files
# --------------------------------------------------------------------------


def _utc(moment: datetime) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("timestamps must be timezone-aware (UTC)")
    return moment.astimezone(UTC)


def _iso(moment: datetime) -> str:
    # Fixed width (always microseconds), so comparing strings compares times.
    return _utc(moment).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _parse(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)


def _parse_opt(text: str | None) -> datetime | None:
    return None if text is None else _parse(text)


def _file_stamp(moment: datetime) -> str:
    # No colons: they are not allowed in Windows file names.
    return _utc(moment).strftime("%Y%m%dT%H%M%SZ")


def _dumps(value: object) -> str:
    try:
        return json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    except (TypeError, ValueError) as exc:
        raise ValueError(f"not storable as JSON: {exc}") from exc


def _pain(name: str, value: int | None) -> int | None:
    if value is None:
        return None
    # bool is an int subclass; True as a pain score is a caller's bug.
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10:
        raise ValueError(f"{name} must be a whole number from 0 to 10, not {value!r}")
    return value


def _positive_or_none(value: Any) -> float | None:
    if isinstance(value, int | float) and not isinstance(value, bool) and value > 0:
        return float(value)
    return None


def _unique_path(path: Path) -> Path:
    """``path``, or ``path-2``, ``path-3``...: never overwrite a kept copy."""
    candidate, number = path, 1
    while candidate.exists() or Path(f"{candidate}-wal").exists():
        number += 1
        candidate = path.with_name(f"{path.name}-{number}")
    return candidate


def _fsync_dir(folder: Path) -> None:
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


def _prepare_file(path: Path) -> None:
    """Create the folder (0o700) and the file (0o600) before SQLite touches them.

    Creating the empty file ourselves means it never exists with looser
    permissions; SQLite gives its -wal and -shm files the database file's mode.
    An existing file only loses group/other bits: a read-only file stays
    read-only, and a file we do not own is left as it is.
    """
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o077:
            with contextlib.suppress(OSError):
                os.chmod(path, mode & 0o700)
    else:
        os.close(fd)


def _connect(path: Path, busy_timeout_s: float) -> sqlite3.Connection:
    # isolation_level=None: no implicit transactions; every write is an
    # explicit BEGIN IMMEDIATE ... COMMIT below.
    conn = sqlite3.connect(path, timeout=busy_timeout_s, isolation_level=None)
    conn.row_factory = sqlite3.Row
    return conn


def _connect_read_only(path: Path) -> sqlite3.Connection:
    # immutable=1: no locks, no -wal/-shm files created next to a file that
    # only gets looked at (a backup on a USB stick, say). But immutable also
    # ignores a -wal file, which may hold the newest data of a copied live
    # database; then SQLite must read it.
    wal = Path(f"{path}-wal")
    has_wal = wal.exists() and wal.stat().st_size > 0
    uri = f"{path.resolve().as_uri()}?mode=ro" + ("" if has_wal else "&immutable=1")
    conn = sqlite3.connect(uri, uri=True, isolation_level=None)
    conn.row_factory = sqlite3.Row
    return conn


def _user_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def _quick_check_ok(conn: sqlite3.Connection) -> bool:
    rows = conn.execute("PRAGMA quick_check").fetchall()
    return [tuple(r) for r in rows] == [("ok",)]


def _has_table(conn: sqlite3.Connection, name: str) -> bool:
    row = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)
    ).fetchone()
    return row is not None


def _has_any_table(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchone() is not None


def _check_readable(conn: sqlite3.Connection, path: Path, known_version: int) -> int:
    """Refuse a damaged or newer database before anything is written to it."""
    version = _user_version(conn)  # the first read: "not a database" shows here
    if version > known_version:
        raise StoreError(
            StoreErrorKind.NEWER,
            path=path,
            detail=f"schema version {version}, this Coach knows up to {known_version}",
        )
    if not _quick_check_ok(conn):
        raise StoreError(StoreErrorKind.CORRUPT, path=path, detail="quick_check failed")
    return version


def _copy_database(source: sqlite3.Connection, target: Path) -> None:
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
        _fsync_dir(target.parent)
    except BaseException:
        tmp.unlink(missing_ok=True)
        Path(f"{tmp}-journal").unlink(missing_ok=True)
        raise


# --------------------------------------------------------------------------
# The store
# --------------------------------------------------------------------------


class Store:
    """The progress store. Open it with :meth:`Store.open`; close it (or use ``with``).

    Caller mistakes (a pain score of 11, an unknown session id, a value that
    is not JSON) raise ``ValueError``; faults of the file raise StoreError.
    """

    def __init__(
        self,
        conn: sqlite3.Connection,
        path: Path,
        clock: Clock,
        migrations: Sequence[Migration],
    ) -> None:
        self._conn: sqlite3.Connection | None = conn
        self.path = path
        self._clock = clock
        self._migrations = tuple(migrations)

    # --- opening, closing ---------------------------------------------------------

    @classmethod
    def open(
        cls,
        path: Path,
        *,
        clock: Clock = utc_now,
        busy_timeout_s: float = DEFAULT_BUSY_TIMEOUT_S,
        migrations: Sequence[Migration] = MIGRATIONS,
    ) -> Store:
        """Open (or create) the database, refuse a bad one, migrate an old one.

        Does not touch sessions left in progress: the app calls
        :meth:`mark_abandoned_sessions` once it knows it is the only Coach running.
        """
        path = Path(path)
        with _translating(path):
            _prepare_file(path)
            conn = _connect(path, busy_timeout_s)
        try:
            with _translating(path):
                version = _check_readable(conn, path, len(migrations))
                _configure(conn)
            store = cls(conn, path, clock, migrations)
            store._migrate(version)
        except BaseException:
            conn.close()
            raise
        return store

    def close(self) -> None:
        if self._conn is not None:
            conn, self._conn = self._conn, None
            with _translating(self.path):
                conn.close()  # the last connection checkpoints and removes the -wal

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        with _translating(self.path):
            return _user_version(self._live())

    # --- sessions and steps -------------------------------------------------------

    def start_session(
        self,
        routine_id: str,
        routine_title: Text | str,
        *,
        pain_before_back: int | None = None,
        pain_before_leg: int | None = None,
        routine_hash: str | None = None,
        planned_total_s: float | None = None,
    ) -> int:
        """A new session in progress; returns its id.

        The title is kept as it is now (both languages), so the history still
        reads right after the routine is renamed or deleted. ``routine_hash``
        can identify the routine's exact content.
        """
        title = routine_title if isinstance(routine_title, Text) else Text.of(routine_title)
        values = (
            routine_id,
            _dumps(title.root),
            routine_hash,
            planned_total_s,
            self._now(),
            _pain("pain_before_back", pain_before_back),
            _pain("pain_before_leg", pain_before_leg),
        )
        with self._write() as conn:
            cursor = conn.execute(
                "INSERT INTO sessions (routine_id, routine_title, routine_hash, planned_total_s,"
                " started_utc, pain_before_back, pain_before_leg) VALUES (?, ?, ?, ?, ?, ?, ?)",
                values,
            )
            return _rowid(cursor)

    def record_step(self, session_id: int, result: StepResult) -> int:
        """Store one finished step, committed before this returns."""
        step = result.step
        values = (
            session_id,
            step.index,
            step.item_index,
            step.exercise_id,
            step.phase.value,
            step.side.value if step.side is not None else None,
            step.set_no,
            step.rep_no,
            float(step.seconds),
            float(result.done_seconds),
            result.outcome.value,
            result.symptoms_at_s,
            self._now(),
        )
        with self._write() as conn:
            self._require_session(conn, session_id)
            cursor = conn.execute(
                "INSERT INTO step_results (session_id, step_index, item_index, exercise_id,"
                " phase, side, set_no, rep_no, planned_s, done_s, outcome, symptoms_at_s,"
                " recorded_utc) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                values,
            )
            return _rowid(cursor)

    def set_pain_after(self, session_id: int, *, back: int | None, leg: int | None) -> None:
        """The pain after the session; asked after it ended, so any session may get it."""
        values = (_pain("back", back), _pain("leg", leg), session_id)
        with self._write() as conn:
            cursor = conn.execute(
                "UPDATE sessions SET pain_after_back = ?, pain_after_leg = ? WHERE id = ?", values
            )
            _require_updated(cursor, session_id)

    def end_session(
        self,
        session_id: int,
        outcome: SessionOutcome | str,
        *,
        stop_reason: str | None = None,
        stop_note: str | None = None,
    ) -> None:
        """Mark the session completed, stopped or abandoned, ended now.

        Also allowed on a session already marked abandoned: if it really did
        finish, the later, truer word wins.
        """
        final = SessionOutcome(outcome)
        if final is SessionOutcome.IN_PROGRESS:
            raise ValueError("a session cannot end 'in progress'")
        values = (final.value, self._now(), stop_reason, stop_note, session_id)
        with self._write() as conn:
            cursor = conn.execute(
                "UPDATE sessions SET outcome = ?, ended_utc = ?, stop_reason = ?, stop_note = ?"
                " WHERE id = ?",
                values,
            )
            _require_updated(cursor, session_id)

    def mark_abandoned_sessions(self) -> int:
        """Sessions a crash left in progress become abandoned; returns how many.

        Their steps stay. The end time is the last sign of life: the last
        recorded step, or the start when no step finished.
        """
        with self._write() as conn:
            cursor = conn.execute(
                "UPDATE sessions SET outcome = 'abandoned', ended_utc = COALESCE("
                " (SELECT MAX(recorded_utc) FROM step_results WHERE session_id = sessions.id),"
                " started_utc) WHERE outcome = 'in_progress'"
            )
            return cursor.rowcount

    def session(self, session_id: int) -> SessionRow:
        rows = self._read("SELECT * FROM sessions WHERE id = ?", (session_id,))
        if not rows:
            raise ValueError(f"there is no session {session_id}")
        return _session_row(rows[0])

    def sessions(
        self, since: datetime | None = None, until: datetime | None = None
    ) -> list[SessionRow]:
        """Sessions that started in [since, until), oldest first."""
        where, params = _time_range("started_utc", since, until)
        rows = self._read(f"SELECT * FROM sessions{where} ORDER BY started_utc, id", params)
        return [_session_row(r) for r in rows]

    def steps(self, session_id: int) -> list[StepRow]:
        """The session's step results in the order they were recorded."""
        rows = self._read(
            "SELECT * FROM step_results WHERE session_id = ? ORDER BY id", (session_id,)
        )
        return [_step_row(r) for r in rows]

    # --- measures, notes, activities ----------------------------------------------

    def add_measure(
        self, kind: MeasureKind | str, value: dict[str, Any], *, taken: datetime | None = None
    ) -> int:
        """Store a measure; ``taken`` defaults to now (a clinician may enter older ones)."""
        if not kind:
            raise ValueError("a measure needs a kind")
        if not isinstance(value, dict):
            raise ValueError("a measure's value must be a JSON object")
        if kind == MeasureKind.WALKING_TEST:
            _check_walking_test(value)
        values = (str(kind), self._when(taken), _dumps(value))
        with self._write() as conn:
            cursor = conn.execute(
                "INSERT INTO measures (kind, taken_utc, value) VALUES (?, ?, ?)", values
            )
            return _rowid(cursor)

    def measures(
        self,
        kind: MeasureKind | str | None = None,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> list[MeasureRow]:
        """Measures taken in [since, until), of one kind or all, oldest first."""
        where, params = _time_range("taken_utc", since, until)
        if kind is not None:
            where += " AND kind = ?" if where else " WHERE kind = ?"
            params = (*params, str(kind))
        rows = self._read(f"SELECT * FROM measures{where} ORDER BY taken_utc, id", params)
        return [
            MeasureRow(r["id"], r["kind"], _parse(r["taken_utc"]), json.loads(r["value"]))
            for r in rows
        ]

    def latest_walking_test_s(self) -> float | None:
        """Seconds to first symptoms in the newest walking test, for the walking program.

        A test that ended without symptoms gives its total time instead: the
        person walked at least that long without them. None without a test.
        """
        rows = self._read(
            "SELECT value FROM measures WHERE kind = ? ORDER BY taken_utc DESC, id DESC LIMIT 1",
            (MeasureKind.WALKING_TEST.value,),
        )
        if not rows:
            return None
        value = json.loads(rows[0]["value"])
        first = _positive_or_none(value.get(WALK_FIRST_SYMPTOMS_S))
        return first if first is not None else _positive_or_none(value.get(WALK_TOTAL_S))

    def add_note(
        self, text: str, *, session_id: int | None = None, taken: datetime | None = None
    ) -> int:
        if not text.strip():
            raise ValueError("a note needs some text")
        values = (self._when(taken), text, session_id)
        with self._write() as conn:
            if session_id is not None:
                self._require_session(conn, session_id)
            cursor = conn.execute(
                "INSERT INTO notes (taken_utc, text, session_id) VALUES (?, ?, ?)", values
            )
            return _rowid(cursor)

    def notes(self, session_id: int | None = None) -> list[NoteRow]:
        """All notes, or one session's, oldest first."""
        if session_id is None:
            rows = self._read("SELECT * FROM notes ORDER BY taken_utc, id", ())
        else:
            rows = self._read(
                "SELECT * FROM notes WHERE session_id = ? ORDER BY taken_utc, id", (session_id,)
            )
        return [NoteRow(r["id"], _parse(r["taken_utc"]), r["text"], r["session_id"]) for r in rows]

    def add_activity(
        self,
        kind: str,
        minutes: float,
        *,
        feeling: str | None = None,
        note: str | None = None,
        taken: datetime | None = None,
    ) -> int:
        """An activity outside Coach (a walk, swimming, cycling) for the weekly picture."""
        if not kind:
            raise ValueError("an activity needs a kind")
        if isinstance(minutes, bool) or not isinstance(minutes, int | float) or minutes < 0:
            raise ValueError(f"minutes must be a number of at least 0, not {minutes!r}")
        values = (self._when(taken), kind, float(minutes), feeling, note)
        with self._write() as conn:
            cursor = conn.execute(
                "INSERT INTO activities (taken_utc, kind, minutes, feeling, note)"
                " VALUES (?, ?, ?, ?, ?)",
                values,
            )
            return _rowid(cursor)

    def activities(
        self, since: datetime | None = None, until: datetime | None = None
    ) -> list[ActivityRow]:
        where, params = _time_range("taken_utc", since, until)
        rows = self._read(f"SELECT * FROM activities{where} ORDER BY taken_utc, id", params)
        return [
            ActivityRow(
                r["id"], _parse(r["taken_utc"]), r["kind"], r["minutes"], r["feeling"], r["note"]
            )
            for r in rows
        ]

    # --- safety checks ------------------------------------------------------------

    def record_check(self, result: CheckResult) -> int:
        """Keep a check's outcome; a warning sign blocks exercise for the rest of that day."""
        values = (
            self._now(),
            result.checked_on.isoformat(),
            result.outcome.value,
            _dumps(list(result.flagged)),
        )
        with self._write() as conn:
            cursor = conn.execute(
                "INSERT INTO safety_checks (taken_utc, checked_on, outcome, flagged)"
                " VALUES (?, ?, ?, ?)",
                values,
            )
            return _rowid(cursor)

    def checks_on(self, day: date) -> list[CheckRow]:
        """The checks taken on the person's local calendar day ``day``, oldest first."""
        rows = self._read(
            "SELECT * FROM safety_checks WHERE checked_on = ? ORDER BY taken_utc, id",
            (day.isoformat(),),
        )
        return [
            CheckRow(
                r["id"],
                _parse(r["taken_utc"]),
                date.fromisoformat(r["checked_on"]),
                CheckOutcome(r["outcome"]),
                tuple(json.loads(r["flagged"])),
            )
            for r in rows
        ]

    # --- key/value ---------------------------------------------------------------

    def get_json(self, key: str, default: Any = None) -> Any:
        rows = self._read("SELECT value FROM kv WHERE key = ?", (key,))
        return json.loads(rows[0]["value"]) if rows else default

    def set_json(self, key: str, value: object) -> None:
        values = (key, _dumps(value), self._now())
        with self._write() as conn:
            conn.execute(
                "INSERT INTO kv (key, value, updated_utc) VALUES (?, ?, ?) ON CONFLICT (key)"
                " DO UPDATE SET value = excluded.value, updated_utc = excluded.updated_utc",
                values,
            )

    # --- backup, restore, quarantine ----------------------------------------------

    def backup_to(self, path: Path) -> None:
        """A consistent copy of the whole database at ``path`` (temp file + rename)."""
        path = Path(path)
        with _translating(path):
            _copy_database(self._live(), path)

    @classmethod
    def restore_from(
        cls,
        backup_path: Path,
        target_path: Path,
        *,
        clock: Clock = utc_now,
        migrations: Sequence[Migration] = MIGRATIONS,
        busy_timeout_s: float = DEFAULT_BUSY_TIMEOUT_S,
    ) -> Path | None:
        """Put a backup in place of the database at ``target_path``.

        Close the open Store first. The backup is validated before anything
        changes; a bad one raises StoreError and leaves the database as it
        was. The current database is kept as ``<name>.before-restore-<time>``,
        whose path is returned (None when there was none). Opening the
        restored file migrates it if it is older.
        """
        backup_path, target_path = Path(backup_path), Path(target_path)
        stamp = _file_stamp(clock())
        source = _open_backup(backup_path, len(migrations))
        tmp = target_path.with_name(f".{target_path.name}.restore-{stamp}")
        try:
            with _translating(target_path):
                _copy_database(source, tmp)
        finally:
            source.close()
        try:
            with _translating(target_path):
                kept = None
                if target_path.exists():
                    kept = _keep_before_restore(target_path, stamp, busy_timeout_s)
                os.chmod(tmp, 0o600)
                os.replace(tmp, target_path)
                _fsync_dir(target_path.parent)
        finally:
            tmp.unlink(missing_ok=True)
        return kept

    @classmethod
    def quarantine_and_recreate(
        cls,
        path: Path,
        *,
        clock: Clock = utc_now,
        migrations: Sequence[Migration] = MIGRATIONS,
    ) -> Path:
        """Rename a damaged database to ``<name>.damaged-<time>``; create a fresh one.

        Nothing is deleted: its -wal file moves along (first, so a crash in
        between never pairs it with the new file). Returns the damaged file's
        new path; open the fresh store with :meth:`open`.
        """
        path = Path(path)
        damaged = _unique_path(path.with_name(f"{path.name}.damaged-{_file_stamp(clock())}"))
        with _translating(path):
            for suffix in ("-wal", "-shm"):
                companion = Path(f"{path}{suffix}")
                if companion.exists():
                    os.replace(companion, Path(f"{damaged}{suffix}"))
            os.replace(path, damaged)
            _fsync_dir(path.parent)
        cls.open(path, clock=clock, migrations=migrations).close()
        return damaged

    # --- internals ---------------------------------------------------------------

    def _live(self) -> sqlite3.Connection:
        if self._conn is None:
            raise RuntimeError("the progress store is closed")
        return self._conn

    def _now(self) -> str:
        return _iso(self._clock())

    def _when(self, taken: datetime | None) -> str:
        return self._now() if taken is None else _iso(taken)

    @contextlib.contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One transaction: all of it is committed, or none of it.

        IMMEDIATE takes the write lock up front, so waiting for another
        process happens here under the busy timeout, not halfway through.
        """
        conn = self._live()
        with _translating(self.path):
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    with contextlib.suppress(sqlite3.Error):
                        conn.execute("ROLLBACK")
                raise

    def _read(self, sql: str, params: Sequence[object]) -> list[sqlite3.Row]:
        with _translating(self.path):
            return self._live().execute(sql, tuple(params)).fetchall()

    @staticmethod
    def _require_session(conn: sqlite3.Connection, session_id: int) -> None:
        if conn.execute("SELECT 1 FROM sessions WHERE id = ?", (session_id,)).fetchone() is None:
            raise ValueError(f"there is no session {session_id}")

    def _migrate(self, version: int) -> None:
        target = len(self._migrations)
        if version == target:
            return
        conn = self._live()
        with _translating(self.path):
            if version > 0 or _has_any_table(conn):
                # A failed migration rolls back, but a migration that "works"
                # wrongly would not: keep the old data aside first.
                name = f"{self.path.name}.bak-v{version}-{_file_stamp(self._clock())}"
                _copy_database(conn, _unique_path(self.path.with_name(name)))
        with self._write():
            # Read again under the write lock: another Coach may have migrated.
            current = _user_version(conn)
            for migration in self._migrations[current:]:
                migration(conn)
            # PRAGMA takes no parameters; target is our own int.
            conn.execute(f"PRAGMA user_version = {int(target)}")


# --------------------------------------------------------------------------
# Module internals used by Store
# --------------------------------------------------------------------------


def _configure(conn: sqlite3.Connection) -> None:
    # Only after the file proved readable: switching to WAL writes the header.
    conn.execute("PRAGMA journal_mode = WAL").fetchone()
    conn.execute("PRAGMA synchronous = FULL")  # fsync the WAL at every commit
    conn.execute("PRAGMA foreign_keys = ON")
    # A restored backup may come from anywhere: its schema must not run
    # functions with side effects.
    conn.execute("PRAGMA trusted_schema = OFF")


def _rowid(cursor: sqlite3.Cursor) -> int:
    rowid = cursor.lastrowid
    if rowid is None:  # pragma: no cover - an INSERT always sets it
        raise RuntimeError("no row id after an insert")
    return rowid


def _require_updated(cursor: sqlite3.Cursor, session_id: int) -> None:
    if cursor.rowcount == 0:
        raise ValueError(f"there is no session {session_id}")


def _time_range(
    column: str, since: datetime | None, until: datetime | None
) -> tuple[str, tuple[str, ...]]:
    clauses: list[str] = []
    params: list[str] = []
    if since is not None:
        clauses.append(f"{column} >= ?")
        params.append(_iso(since))
    if until is not None:
        clauses.append(f"{column} < ?")
        params.append(_iso(until))
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), tuple(params)


def _check_walking_test(value: dict[str, Any]) -> None:
    for key in (WALK_FIRST_SYMPTOMS_S, WALK_TOTAL_S):
        item = value.get(key)
        if item is not None and _positive_or_none(item) is None:
            raise ValueError(f"walking_test {key} must be a positive number of seconds")
    if value.get(WALK_FIRST_SYMPTOMS_S) is None and value.get(WALK_TOTAL_S) is None:
        raise ValueError(f"a walking_test needs {WALK_FIRST_SYMPTOMS_S} or {WALK_TOTAL_S}")


def _session_row(r: sqlite3.Row) -> SessionRow:
    return SessionRow(
        id=r["id"],
        routine_id=r["routine_id"],
        # Stored by us from a valid Text; not re-validated, so an old title
        # never makes the history unreadable.
        routine_title=Text.trusted(json.loads(r["routine_title"])),
        routine_hash=r["routine_hash"],
        planned_total_s=r["planned_total_s"],
        started_utc=_parse(r["started_utc"]),
        ended_utc=_parse_opt(r["ended_utc"]),
        outcome=SessionOutcome(r["outcome"]),
        stop_reason=r["stop_reason"],
        stop_note=r["stop_note"],
        pain_before_back=r["pain_before_back"],
        pain_before_leg=r["pain_before_leg"],
        pain_after_back=r["pain_after_back"],
        pain_after_leg=r["pain_after_leg"],
    )


def _step_row(r: sqlite3.Row) -> StepRow:
    return StepRow(
        id=r["id"],
        session_id=r["session_id"],
        step_index=r["step_index"],
        item_index=r["item_index"],
        exercise_id=r["exercise_id"],
        phase=r["phase"],
        side=r["side"],
        set_no=r["set_no"],
        rep_no=r["rep_no"],
        planned_s=r["planned_s"],
        done_s=r["done_s"],
        outcome=r["outcome"],
        symptoms_at_s=r["symptoms_at_s"],
        recorded_utc=_parse(r["recorded_utc"]),
    )


_BAD_BACKUP = "This file is not a Coach backup, or it is damaged. Nothing was changed."
_NEWER_BACKUP = (
    "This backup comes from a newer version of Coach. Please update Coach to restore it. "
    "Nothing was changed."
)


def _open_backup(path: Path, known_version: int) -> sqlite3.Connection:
    """A read-only connection to a backup that passed every check, or StoreError."""
    if not path.is_file():
        raise StoreError(StoreErrorKind.IO, "The backup file was not found.", path=path)
    try:
        conn = _connect_read_only(path)
    except sqlite3.Error as exc:
        raise _translate(exc, path) from exc
    try:
        try:
            version = _user_version(conn)
            healthy = _quick_check_ok(conn)
            coach_schema = _has_table(conn, "sessions")
        except sqlite3.DatabaseError as exc:
            raise StoreError(
                StoreErrorKind.CORRUPT, _BAD_BACKUP, path=path, detail=str(exc)
            ) from exc
        if version > known_version:
            raise StoreError(
                StoreErrorKind.NEWER, _NEWER_BACKUP, path=path, detail=f"version {version}"
            )
        if not healthy or version < 1 or not coach_schema:
            raise StoreError(
                StoreErrorKind.CORRUPT,
                _BAD_BACKUP,
                path=path,
                detail=f"quick_check ok: {healthy}, version {version}, sessions: {coach_schema}",
            )
    except BaseException:
        conn.close()
        raise
    return conn


def _keep_before_restore(target: Path, stamp: str, busy_timeout_s: float) -> Path:
    """Copy the current database aside, self-contained, before a restore replaces it."""
    kept = _unique_path(target.with_name(f"{target.name}.before-restore-{stamp}"))
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
    _fsync_dir(target.parent)
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
    with _translating(path):
        conn = _connect(path, busy_timeout_s)
        try:
            _user_version(conn)
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
            mode = conn.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
        finally:
            conn.close()
    if str(mode).lower() != "delete":
        raise StoreError(StoreErrorKind.LOCKED, path=path, detail=f"journal mode stays {mode}")
