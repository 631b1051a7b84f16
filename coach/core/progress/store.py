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
- every fault reaches the caller as one exception type,
  :class:`~coach.core.progress.store_errors.StoreError`, with a ``kind`` the UI
  can act on and a plain-language ``message``.

Timestamps are wall-clock UTC, stored as fixed-width ISO-8601 strings ending
in ``Z`` (so string order is time order). Monotonic clock values, which mean
nothing after a restart, are never stored.

The schema, the migrations and the checks made before the file is touched are
in :mod:`coach.core.progress.store_file`, the row types in
:mod:`coach.core.progress.store_rows`. Pure stdlib ``sqlite3``; no Qt.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from types import TracebackType
from typing import Any, NamedTuple, Self, TypeVar

from coach.core.content.model import Text
from coach.core.progress.store_errors import StoreError, StoreErrorKind, translating
from coach.core.progress.store_file import (
    MIGRATIONS,
    Migration,
    check_backup,
    check_readable,
    configure,
    connect,
    copy_database,
    copy_into_fresh,
    fsync_dir,
    has_any_table,
    inspect_read_only,
    keep_before_restore,
    prepare_file,
    unique_path,
    user_version,
)
from coach.core.progress.store_rows import (
    ActivityRow,
    CheckRow,
    MeasureKind,
    MeasureRow,
    NoteRow,
    SessionOutcome,
    SessionRow,
    StepRow,
    has_bad_text,
    is_decode_error,
    iso,
    lenient_text,
    parse,
    row_key,
    session_row,
    step_row,
    utc,
)
from coach.core.session.check import CheckResult
from coach.core.session.check import Outcome as CheckOutcome
from coach.core.session.runner import StepResult

_T = TypeVar("_T")

Clock = Callable[[], datetime]
"""Returns the current time as an aware datetime (converted to UTC on use)."""

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
# Helpers: file names, JSON, values
# --------------------------------------------------------------------------


def _file_stamp(moment: datetime) -> str:
    # No colons: they are not allowed in Windows file names.
    return utc(moment).strftime("%Y%m%dT%H%M%SZ")


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


_INSERT_STEP = (
    "INSERT INTO step_results (session_id, step_index, item_index, exercise_id,"
    " phase, side, set_no, rep_no, planned_s, done_s, outcome, symptoms_at_s,"
    " recorded_utc) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


class QueuedStep(NamedTuple):
    """A finished step kept until the store can take it (:mod:`.step_queue`).

    The fields are the columns of ``step_results``; ``recorded_utc`` is the
    moment the step finished, not the moment it was finally written.
    """

    session_id: int
    step_index: int
    item_index: int | None
    exercise_id: str | None
    phase: str
    side: str | None
    set_no: int | None
    rep_no: int | None
    planned_s: float
    done_s: float
    outcome: str
    symptoms_at_s: float | None
    recorded_utc: str

    @classmethod
    def of(cls, session_id: int, result: StepResult, recorded: datetime) -> QueuedStep:
        step = result.step
        return cls(
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
            iso(recorded),
        )


class QueuedEnd(NamedTuple):
    """A session's end kept until the store can take it, with the moment it ended."""

    session_id: int
    outcome: str
    stop_reason: str | None
    stop_note: str | None
    ended_utc: str


# --------------------------------------------------------------------------
# The store
# --------------------------------------------------------------------------


class Store:
    """The progress store. Open it with :meth:`Store.open`; close it (or use ``with``).

    Caller mistakes (a pain score of 11, an unknown session id, a value that
    is not JSON) raise ``ValueError``; faults of the file raise StoreError.

    A damaged row (text that is not UTF-8, a value that is not JSON, a time
    that is no time) does not stop a read: it is left out of what the read
    returns and counted in :attr:`damaged_rows`. It stays in the file, and a
    backup copies it as it is.
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
        self._damaged: set[tuple[str, str]] = set()

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
        with translating(path):
            prepare_file(path)
            checked = None
            if path.stat().st_size > 0:
                # Refuse a damaged or newer file through a read-only look
                # first: a read-write connection would merge its -wal on close.
                checked = inspect_read_only(path, migrations)
            conn = connect(path, busy_timeout_s)
        try:
            with translating(path):
                version = check_readable(conn, path, len(migrations), migrations, checked=checked)
                configure(conn)
            store = cls(conn, path, clock, migrations)
            store._migrate(version)
        except BaseException:
            conn.close()
            raise
        return store

    def close(self) -> None:
        if self._conn is not None:
            conn, self._conn = self._conn, None
            with translating(self.path):
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
        with translating(self.path):
            return user_version(self._live())

    @property
    def damaged_rows(self) -> dict[str, int]:
        """Damaged rows the reads so far left out, per table (each row counted once)."""
        out: dict[str, int] = {}
        for table, _key in sorted(self._damaged):
            out[table] = out.get(table, 0) + 1
        return out

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
        values = QueuedStep.of(session_id, result, self._clock())
        with self._write() as conn:
            self._require_session(conn, session_id)
            return _rowid(conn.execute(_INSERT_STEP, values))

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

    # --- writes kept for later (coach.core.progress.step_queue) -------------------

    def now(self) -> datetime:
        """The store's clock: the time a queued step or end is written with."""
        return self._clock()

    @contextlib.contextmanager
    def busy_timeout(self, seconds: float) -> Iterator[None]:
        """Inside the block, wait at most ``seconds`` for another program's lock.

        The player's writes use a short wait, so a lock held elsewhere never
        freezes the screen; what could not be written is queued and retried.
        """
        conn = self._live()
        with translating(self.path):
            before = int(conn.execute("PRAGMA busy_timeout").fetchone()[0])
            # PRAGMA takes no parameters; both values are our own ints.
            conn.execute(f"PRAGMA busy_timeout = {max(0, round(seconds * 1000))}")
        try:
            yield
        finally:
            with contextlib.suppress(sqlite3.Error):
                conn.execute(f"PRAGMA busy_timeout = {before}")

    def record_queued(
        self,
        entries: Sequence[QueuedStep | QueuedEnd],
        *,
        mark: tuple[str, object] | None = None,
    ) -> int:
        """Write queued steps and ends in order, in one transaction, with a kv mark.

        ``mark`` (key, value) is set in the same transaction, so whoever queued
        them can tell afterwards, even after a crash, what was written.
        Entries of a session this database does not have (a backup was
        restored meanwhile) are left out; returns how many were written.
        """
        written = 0
        with self._write() as conn:
            known: dict[int, bool] = {}
            for entry in entries:
                sid = entry.session_id
                if sid not in known:
                    row = conn.execute("SELECT 1 FROM sessions WHERE id = ?", (sid,)).fetchone()
                    known[sid] = row is not None
                if not known[sid]:
                    continue
                if isinstance(entry, QueuedStep):
                    conn.execute(_INSERT_STEP, entry)
                else:
                    final = SessionOutcome(entry.outcome)
                    if final is SessionOutcome.IN_PROGRESS:
                        raise ValueError("a session cannot end 'in progress'")
                    conn.execute(
                        "UPDATE sessions SET outcome = ?, ended_utc = ?, stop_reason = ?,"
                        " stop_note = ? WHERE id = ?",
                        (final.value, entry.ended_utc, entry.stop_reason, entry.stop_note, sid),
                    )
                written += 1
            if mark is not None:
                conn.execute(
                    "INSERT INTO kv (key, value, updated_utc) VALUES (?, ?, ?) ON CONFLICT (key)"
                    " DO UPDATE SET value = excluded.value, updated_utc = excluded.updated_utc",
                    (mark[0], _dumps(mark[1]), self._now()),
                )
        return written

    def session(self, session_id: int) -> SessionRow:
        rows = self._read("SELECT * FROM sessions WHERE id = ?", (session_id,), "sessions")
        found = self._rows("sessions", rows, session_row)
        if not found:
            if rows or ("sessions", str(session_id)) in self._damaged:
                raise StoreError(
                    StoreErrorKind.CORRUPT,
                    "This session's entry in the progress file is damaged and cannot be read.",
                    path=self.path,
                    detail=f"session {session_id}",
                )
            raise ValueError(f"there is no session {session_id}")
        return found[0]

    def sessions(
        self, since: datetime | None = None, until: datetime | None = None
    ) -> list[SessionRow]:
        """Sessions that started in [since, until), oldest first."""
        where, params = _time_range("started_utc", since, until)
        rows = self._read(
            f"SELECT * FROM sessions{where} ORDER BY started_utc, id", params, "sessions"
        )
        return self._rows("sessions", rows, session_row)

    def steps(self, session_id: int) -> list[StepRow]:
        """The session's step results in the order they were recorded."""
        rows = self._read(
            "SELECT * FROM step_results WHERE session_id = ? ORDER BY id",
            (session_id,),
            "step_results",
        )
        return self._rows("step_results", rows, step_row)

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
        rows = self._read(
            f"SELECT * FROM measures{where} ORDER BY taken_utc, id", params, "measures"
        )
        return self._rows("measures", rows, _measure_row)

    def latest_walking_test_s(self) -> float | None:
        """Seconds to first symptoms in the newest walking test, for the walking program.

        A test that ended without symptoms gives its total time instead: the
        person walked at least that long without them. None without a test.
        """
        rows = self._read(
            "SELECT id, value FROM measures WHERE kind = ? ORDER BY taken_utc DESC, id DESC",
            (MeasureKind.WALKING_TEST.value,),
            "measures",
        )
        for value in self._rows("measures", rows, lambda r: _json_object(r["value"])):
            first = _positive_or_none(value.get(WALK_FIRST_SYMPTOMS_S))
            return first if first is not None else _positive_or_none(value.get(WALK_TOTAL_S))
        return None

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
            rows = self._read("SELECT * FROM notes ORDER BY taken_utc, id", (), "notes")
        else:
            rows = self._read(
                "SELECT * FROM notes WHERE session_id = ? ORDER BY taken_utc, id",
                (session_id,),
                "notes",
            )
        return self._rows("notes", rows, _note_row)

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
        rows = self._read(
            f"SELECT * FROM activities{where} ORDER BY taken_utc, id", params, "activities"
        )
        return self._rows("activities", rows, _activity_row)

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
            "safety_checks",
        )
        return self._rows("safety_checks", rows, _check_row)

    # --- key/value ---------------------------------------------------------------

    def get_json(self, key: str, default: Any = None) -> Any:
        rows = self._read("SELECT key, value FROM kv WHERE key = ?", (key,), "kv")
        found = self._rows("kv", rows, lambda r: (json.loads(r["value"]),))
        return found[0][0] if found else default

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
        with translating(path):
            copy_database(self._live(), path)

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
        changes (exactly Coach's schema, no triggers or views of its own, a
        clean integrity check); a bad one raises StoreError and leaves the
        database as it was. Its rows are copied into a new file Coach creates
        itself, never the backup file as it is. The current database is kept
        as ``<name>.before-restore-<time>``, whose path is returned (None when
        there was none). Opening the restored file migrates it if it is older.
        """
        backup_path, target_path = Path(backup_path), Path(target_path)
        stamp = _file_stamp(clock())
        version = check_backup(backup_path, migrations)
        tmp = unique_path(target_path.with_name(f".{target_path.name}.restore-{stamp}"))
        with translating(target_path):
            copy_into_fresh(backup_path, tmp, version, migrations)
        try:
            with translating(target_path):
                kept = None
                if target_path.exists():
                    kept = keep_before_restore(target_path, stamp, busy_timeout_s)
                os.chmod(tmp, 0o600)
                os.replace(tmp, target_path)
                fsync_dir(target_path.parent)
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
        damaged = unique_path(path.with_name(f"{path.name}.damaged-{_file_stamp(clock())}"))
        with translating(path):
            for suffix in ("-wal", "-shm"):
                companion = Path(f"{path}{suffix}")
                if companion.exists():
                    os.replace(companion, Path(f"{damaged}{suffix}"))
            os.replace(path, damaged)
            fsync_dir(path.parent)
        cls.open(path, clock=clock, migrations=migrations).close()
        return damaged

    # --- internals ---------------------------------------------------------------

    def _live(self) -> sqlite3.Connection:
        if self._conn is None:
            raise RuntimeError("the progress store is closed")
        return self._conn

    def _now(self) -> str:
        return iso(self._clock())

    def _when(self, taken: datetime | None) -> str:
        return self._now() if taken is None else iso(taken)

    @contextlib.contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One transaction: all of it is committed, or none of it.

        IMMEDIATE takes the write lock up front, so waiting for another
        process happens here under the busy timeout, not halfway through.
        """
        conn = self._live()
        with translating(self.path):
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    with contextlib.suppress(sqlite3.Error):
                        conn.execute("ROLLBACK")
                raise

    def _read(self, sql: str, params: Sequence[object], table: str = "") -> list[sqlite3.Row]:
        """The rows; those with text that is not UTF-8 are left out and counted."""
        conn = self._live()
        with translating(self.path):
            try:
                return conn.execute(sql, tuple(params)).fetchall()
            except (sqlite3.OperationalError, UnicodeDecodeError) as exc:
                if not is_decode_error(exc):
                    raise
            # Only a damaged row takes the slower way, value by value.
            conn.text_factory = lenient_text
            try:
                rows = conn.execute(sql, tuple(params)).fetchall()
            finally:
                conn.text_factory = str
        good = []
        for row in rows:
            if has_bad_text(row):
                self._damaged.add(row_key(table, row))
            else:
                good.append(row)
        return good

    def _rows(
        self, table: str, rows: Sequence[sqlite3.Row], convert: Callable[[sqlite3.Row], _T]
    ) -> list[_T]:
        """``convert`` of each row; a row it cannot read is left out and counted."""
        out: list[_T] = []
        for row in rows:
            try:
                out.append(convert(row))
            except (ValueError, TypeError, KeyError, AttributeError):
                self._damaged.add(row_key(table, row))
        return out

    @staticmethod
    def _require_session(conn: sqlite3.Connection, session_id: int) -> None:
        if conn.execute("SELECT 1 FROM sessions WHERE id = ?", (session_id,)).fetchone() is None:
            raise ValueError(f"there is no session {session_id}")

    def _migrate(self, version: int) -> None:
        target = len(self._migrations)
        if version == target:
            return
        conn = self._live()
        with translating(self.path):
            if version > 0 or has_any_table(conn):
                # A failed migration rolls back, but a migration that "works"
                # wrongly would not: keep the old data aside first.
                name = f"{self.path.name}.bak-v{version}-{_file_stamp(self._clock())}"
                copy_database(conn, unique_path(self.path.with_name(name)))
        with self._write():
            # Read again under the write lock: another Coach may have migrated.
            current = user_version(conn)
            for migration in self._migrations[current:]:
                migration(conn)
            # PRAGMA takes no parameters; target is our own int.
            conn.execute(f"PRAGMA user_version = {int(target)}")


# --------------------------------------------------------------------------
# Module internals used by Store
# --------------------------------------------------------------------------


def _json_object(text: str) -> dict[str, Any]:
    value = json.loads(text)
    if not isinstance(value, dict):
        raise ValueError("not a JSON object")
    return value


def _measure_row(r: sqlite3.Row) -> MeasureRow:
    return MeasureRow(r["id"], r["kind"], parse(r["taken_utc"]), _json_object(r["value"]))


def _note_row(r: sqlite3.Row) -> NoteRow:
    return NoteRow(r["id"], parse(r["taken_utc"]), r["text"], r["session_id"])


def _activity_row(r: sqlite3.Row) -> ActivityRow:
    return ActivityRow(
        r["id"], parse(r["taken_utc"]), r["kind"], r["minutes"], r["feeling"], r["note"]
    )


def _check_row(r: sqlite3.Row) -> CheckRow:
    return CheckRow(
        r["id"],
        parse(r["taken_utc"]),
        date.fromisoformat(r["checked_on"]),
        CheckOutcome(r["outcome"]),
        tuple(json.loads(r["flagged"])),
    )


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
        params.append(iso(since))
    if until is not None:
        clauses.append(f"{column} < ?")
        params.append(iso(until))
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), tuple(params)


def _check_walking_test(value: dict[str, Any]) -> None:
    for key in (WALK_FIRST_SYMPTOMS_S, WALK_TOTAL_S):
        item = value.get(key)
        if item is not None and _positive_or_none(item) is None:
            raise ValueError(f"walking_test {key} must be a positive number of seconds")
    if value.get(WALK_FIRST_SYMPTOMS_S) is None and value.get(WALK_TOTAL_S) is None:
        raise ValueError(f"a walking_test needs {WALK_FIRST_SYMPTOMS_S} or {WALK_TOTAL_S}")
