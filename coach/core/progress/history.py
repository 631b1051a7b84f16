"""Read-only queries over the progress store, for the statistics and the history view.

The store's own methods return whole rows as objects, which is right for one
session but too slow for ten years of daily use. These queries let SQLite do
the work (aggregates, index range scans, ``LIMIT``) and hand back only what
a statistic needs.

:class:`History` reads through its own read-only connection to the store's
file (``Store.path``), so it can never write, and it sees exactly what the
store has committed. Open one per refresh and close it (or use ``with``): a
long-lived reader would keep reading a file that a restore has replaced.

All times in and out are aware UTC datetimes; turning them into the person's
local days is the caller's job (see :mod:`coach.core.progress.stats`).

A damaged row (text that is not UTF-8, a value that is not JSON) never stops
a query: it is left out and counted in :attr:`History.damaged_rows`.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from pathlib import Path
from types import TracebackType
from typing import Any, Self, TypeVar

from coach.core.progress.effort import (
    MOSTLY_SKIPPED_SQL,
    NOT_COUNTED_PHASES,
    SessionEffort,
    effort_of,
)
from coach.core.progress.store import WALK_FIRST_SYMPTOMS_S, WALK_TOTAL_S, Store
from coach.core.progress.store_errors import StoreError, StoreErrorKind
from coach.core.progress.store_rows import (
    MeasureKind,
    SessionOutcome,
    StepRow,
    has_bad_text,
    is_decode_error,
    lenient_text,
    row_key,
    step_row,
)

_T = TypeVar("_T")

COUNTED_OUTCOMES: tuple[str, ...] = (SessionOutcome.COMPLETED, SessionOutcome.STOPPED)
"""Sessions that count as done for adherence and streaks.

A session stopped by the person counts: stopping when it hurts is doing it
right. A session the app lost (abandoned) or one still running does not.
"""

_COUNTED_SQL = f"(outcome = 'stopped' OR (outcome = 'completed' AND NOT {MOSTLY_SKIPPED_SQL}))"
"""Done: stopped by the person, or completed with at least half its time done
(:mod:`coach.core.progress.effort`); a run through skipped steps is not done."""

NOT_EXERCISE_PHASES: tuple[str, ...] = NOT_COUNTED_PHASES
"""Steps that are no exercise: a session with only these did nothing yet."""

_INTERRUPTED_SQL = (
    "((outcome = 'abandoned' AND stop_reason IS NULL AND EXISTS (SELECT 1 FROM step_results"
    " WHERE step_results.session_id = sessions.id AND step_results.phase NOT IN ("
    + ", ".join(f"'{phase}'" for phase in NOT_EXERCISE_PHASES)
    + f"))) OR (outcome = 'completed' AND {MOSTLY_SKIPPED_SQL}))"
)
"""A partly done session: never ended by the player (a crash, a power cut; the
next start marked it abandoned, without a reason) after at least one step of
exercise was recorded, or run to its end with most of it skipped. Its day
counts as partly done, not as missed."""

_ON_PLAN_SQL = (
    "(outcome IN ('completed', 'stopped') OR (outcome = 'abandoned' AND stop_reason IS NULL"
    " AND EXISTS (SELECT 1 FROM step_results WHERE step_results.session_id = sessions.id"
    " AND step_results.phase NOT IN ("
    + ", ".join(f"'{phase}'" for phase in NOT_EXERCISE_PHASES)
    + "))))"
)
"""Done or partly done: the same sessions as ``_COUNTED_SQL OR _INTERRUPTED_SQL``,
written without the "mostly skipped" test (a completed session is one or the
other), so the streak does not pay for it on every session it walks past."""


def iso(moment: datetime) -> str:
    """The store's fixed-width UTC text form (string order is time order)."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("timestamps must be timezone-aware (UTC)")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse(text: str) -> datetime:
    # fromisoformat is ~20x faster than strptime; it reads the trailing Z
    # since Python 3.11.
    return datetime.fromisoformat(text)


@dataclass(frozen=True)
class SessionBrief:
    """What the statistics need of one session."""

    id: int
    routine_id: str
    started_utc: datetime
    ended_utc: datetime | None
    outcome: str
    stop_reason: str | None
    pain_before_back: int | None
    pain_before_leg: int | None
    pain_after_back: int | None
    pain_after_leg: int | None
    mostly_skipped: bool = False  # see coach.core.progress.effort
    planned_total_s: float | None = None

    @property
    def counted(self) -> bool:
        if self.outcome == SessionOutcome.COMPLETED and self.mostly_skipped:
            return False
        return self.outcome in COUNTED_OUTCOMES


@dataclass(frozen=True)
class PainPoint:
    """One pain rating at rest: before a session, or from the pain measure."""

    taken_utc: datetime
    back: int | None
    leg: int | None


@dataclass(frozen=True)
class WalkingTest:
    taken_utc: datetime
    first_symptoms_s: float | None
    total_s: float | None
    distance_m: float | None = None
    steps: int | None = None


@dataclass(frozen=True)
class Measure:
    id: int
    kind: str
    taken_utc: datetime
    value: dict[str, Any]


@dataclass(frozen=True)
class _StepBits:
    """The parts of a recorded step that :func:`effort_of` reads."""

    item_index: int | None
    exercise_id: str | None
    phase: str
    planned_s: float
    done_s: float
    outcome: str


def _number(value: Any) -> float | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return None


def _pain_value(value: Any) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 10:
        return value
    return None


class History:
    """Read-only SQL over one store's file. Use ``with History(store) as h: ...``."""

    def __init__(self, store: Store | Path) -> None:
        self.path = store.path if isinstance(store, Store) else Path(store)
        self._conn: sqlite3.Connection | None = None
        self._damaged: set[tuple[str, str]] = set()

    @property
    def damaged_rows(self) -> dict[str, int]:
        """Damaged rows the queries so far left out, per table (each counted once)."""
        out: dict[str, int] = {}
        for table, _key in sorted(self._damaged):
            out[table] = out.get(table, 0) + 1
        return out

    def _skip(self, table: str, row: Sequence[Any]) -> None:
        self._damaged.add(row_key(table, row))

    def _each(
        self, rows: Sequence[sqlite3.Row], convert: Callable[[sqlite3.Row], _T], table: str
    ) -> list[_T]:
        """``convert`` of each row; a row it cannot read (a time that is no time)
        is left out and counted."""
        out: list[_T] = []
        for row in rows:
            try:
                out.append(convert(row))
            except (ValueError, TypeError, KeyError):
                self._skip(table, row)
        return out

    # --- the connection -----------------------------------------------------------

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            uri = f"{self.path.resolve().as_uri()}?mode=ro"
            with self._translating():
                conn = sqlite3.connect(uri, uri=True, isolation_level=None)
            conn.row_factory = sqlite3.Row
            self._conn = conn
        return self._conn

    def close(self) -> None:
        if self._conn is not None:
            conn, self._conn = self._conn, None
            conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @contextlib.contextmanager
    def _translating(self) -> Iterator[None]:
        try:
            yield
        except UnicodeDecodeError as exc:
            # A name in the schema that is not UTF-8: the file is damaged.
            raise StoreError(StoreErrorKind.CORRUPT, path=self.path, detail=str(exc)) from exc
        except sqlite3.Error as exc:
            code = getattr(exc, "sqlite_errorcode", -1)
            primary = code & 0xFF if isinstance(code, int) else -1
            kind = {
                5: StoreErrorKind.LOCKED,
                6: StoreErrorKind.LOCKED,
                11: StoreErrorKind.CORRUPT,
                26: StoreErrorKind.CORRUPT,
            }.get(primary, StoreErrorKind.IO)
            raise StoreError(kind, path=self.path, detail=f"{type(exc).__name__}: {exc}") from exc

    def rows(
        self,
        sql: str,
        params: Sequence[object] = (),
        table: str = "",
        *,
        keep_damaged: bool = False,
    ) -> list[sqlite3.Row]:
        """The rows of a query. A row with text that is not UTF-8 is left out and
        counted, or with ``keep_damaged`` kept, its bad text a ``BadText``."""
        conn = self._connection()
        with self._translating():
            if conn.text_factory is not lenient_text:
                try:
                    return conn.execute(sql, tuple(params)).fetchall()
                except sqlite3.OperationalError as exc:
                    if not is_decode_error(exc):
                        raise
                # A damaged row: from now on this reader reads value by value.
                conn.text_factory = lenient_text
            rows = conn.execute(sql, tuple(params)).fetchall()
        if keep_damaged:
            return rows
        good = []
        for row in rows:
            if has_bad_text(row):
                self._skip(table, row)
            else:
                good.append(row)
        return good

    def _iterate(
        self, sql: str, params: Sequence[object] = (), table: str = ""
    ) -> Iterator[sqlite3.Row]:
        """Rows one at a time, so a caller can stop early without reading them all."""
        done = 0  # rows handed out (or skipped) before a damaged row was met
        conn = self._connection()
        for attempt in range(2):
            with self._translating():
                cursor = conn.execute(sql, tuple(params))
                try:
                    seen = 0
                    lenient = conn.text_factory is lenient_text
                    # In chunks: one row per call is several times slower.
                    while chunk := cursor.fetchmany(256):
                        for row in chunk:
                            seen += 1
                            if seen <= done:
                                continue
                            done = seen
                            if lenient and has_bad_text(row):
                                self._skip(table, row)
                            else:
                                yield row
                    return
                except sqlite3.OperationalError as exc:
                    if attempt or not is_decode_error(exc):
                        raise
                    # Read again value by value, past the rows already given.
                    conn.text_factory = lenient_text
                finally:
                    cursor.close()

    @contextlib.contextmanager
    def snapshot(self) -> Iterator[None]:
        """Every query inside sees the same committed state (one read transaction)."""
        conn = self._connection()
        with self._translating():
            conn.execute("BEGIN")
        try:
            yield
        finally:
            with self._translating():
                conn.execute("COMMIT")

    # --- sessions -----------------------------------------------------------------

    _SESSION_COLUMNS = (
        "id, routine_id, started_utc, ended_utc, outcome, stop_reason, pain_before_back,"
        " pain_before_leg, pain_after_back, pain_after_leg, planned_total_s,"
        f" {MOSTLY_SKIPPED_SQL} AS mostly_skipped"
    )

    @staticmethod
    def _brief(r: sqlite3.Row) -> SessionBrief:
        return SessionBrief(
            id=r["id"],
            routine_id=r["routine_id"],
            started_utc=parse(r["started_utc"]),
            ended_utc=parse(r["ended_utc"]) if r["ended_utc"] else None,
            outcome=r["outcome"],
            stop_reason=r["stop_reason"],
            pain_before_back=r["pain_before_back"],
            pain_before_leg=r["pain_before_leg"],
            pain_after_back=r["pain_after_back"],
            pain_after_leg=r["pain_after_leg"],
            mostly_skipped=bool(r["mostly_skipped"]),
            planned_total_s=r["planned_total_s"],
        )

    def sessions(self, since: datetime, until: datetime) -> list[SessionBrief]:
        """Sessions started in [since, until), oldest first (an index range scan)."""
        rows = self.rows(
            f"SELECT {self._SESSION_COLUMNS} FROM sessions"
            " WHERE started_utc >= ? AND started_utc < ? ORDER BY started_utc, id",
            (iso(since), iso(until)),
            "sessions",
        )
        return self._each(rows, self._brief, "sessions")

    def steps_by_session(self, since: datetime, until: datetime) -> dict[int, list[StepRow]]:
        """The steps of the sessions started in [since, until), per session id, in the
        order they were recorded (a step repeated with back() has several rows)."""
        rows = self.rows(
            "SELECT r.* FROM step_results r JOIN sessions s ON s.id = r.session_id"
            " WHERE s.started_utc >= ? AND s.started_utc < ? ORDER BY r.session_id, r.id",
            (iso(since), iso(until)),
            "step_results",
        )
        out: dict[int, list[StepRow]] = {}
        for step in self._each(rows, step_row, "step_results"):
            out.setdefault(step.session_id, []).append(step)
        return out

    def session_effort(self, session_id: int) -> SessionEffort | None:
        """How one session went, step by step; None without any recorded step."""
        rows = self.rows("SELECT started_utc FROM sessions WHERE id = ?", (session_id,), "sessions")
        if not rows:
            return None
        try:
            started = parse(rows[0][0])
        except (TypeError, ValueError):
            return None
        return self.efforts(started, started + timedelta(microseconds=1)).get(session_id)

    def efforts(self, since: datetime, until: datetime) -> dict[int, SessionEffort]:
        """How each session started in [since, until) went, step by step, by session id.

        Sessions without a recorded step are left out (nothing to tell).
        """
        rows = self.rows(
            "SELECT r.session_id, r.item_index, r.exercise_id, r.phase, r.planned_s, r.done_s,"
            " r.outcome, s.planned_total_s FROM sessions s"
            " JOIN step_results r ON r.session_id = s.id"
            " WHERE s.started_utc >= ? AND s.started_utc < ? ORDER BY r.session_id, r.id",
            (iso(since), iso(until)),
            "step_results",
        )
        steps: dict[int, list[_StepBits]] = {}
        totals: dict[int, float | None] = {}
        for r in rows:
            try:
                bits = _StepBits(r[1], r[2], str(r[3]), float(r[4]), float(r[5]), str(r[6]))
            except (TypeError, ValueError):
                self._skip("step_results", r)
                continue
            steps.setdefault(r[0], []).append(bits)
            totals[r[0]] = _number(r[7])
        return {sid: effort_of(found, totals[sid]) for sid, found in steps.items()}

    def counted_session_starts(self, since: datetime, until: datetime) -> list[datetime]:
        """Start times of the sessions that count as done, in [since, until)."""
        rows = self.rows(
            "SELECT started_utc FROM sessions WHERE started_utc >= ? AND started_utc < ?"
            f" AND {_COUNTED_SQL} ORDER BY started_utc",
            (iso(since), iso(until)),
            "sessions",
        )
        return self._each(rows, lambda r: parse(r[0]), "sessions")

    def interrupted_session_starts(self, since: datetime, until: datetime) -> list[datetime]:
        """Start times of the interrupted sessions (see ``_INTERRUPTED_SQL``) in [since, until)."""
        rows = self.rows(
            "SELECT started_utc FROM sessions WHERE started_utc >= ? AND started_utc < ?"
            f" AND {_INTERRUPTED_SQL} ORDER BY started_utc",
            (iso(since), iso(until)),
            "sessions",
        )
        return self._each(rows, lambda r: parse(r[0]), "sessions")

    def counted_starts_newest_first(
        self, before: datetime, *, interrupted: bool = False
    ) -> Iterator[datetime]:
        """Counted sessions' start times before ``before``, newest first, lazily
        (with ``interrupted``, the interrupted sessions too)."""
        which = _ON_PLAN_SQL if interrupted else _COUNTED_SQL
        for row in self._iterate(
            "SELECT started_utc FROM sessions WHERE started_utc < ?"
            f" AND {which} ORDER BY started_utc DESC",
            (iso(before),),
            "sessions",
        ):
            try:
                started = parse(row[0])
            except (ValueError, TypeError):
                self._skip("sessions", row)
                continue
            yield started

    def counted_days_newest_first(
        self, before: datetime, tz: tzinfo | None = None, *, interrupted: bool = False
    ) -> Iterator[int]:
        """The local days with a counted session before ``before``, newest first, lazily,
        as ``date.toordinal()`` numbers (cheap to compare and count back).

        The streak walks back day by day and stops at the first missed day; it
        reads only as far back as the streak goes. In the computer's own time
        zone (``tz`` None) SQLite turns each time into a local day number (its
        'localtime' follows the same C library rules as Python); with an
        explicit zone Python does. With ``interrupted``, the days of interrupted
        sessions count too (they are partly done, not missed).
        """
        which = _ON_PLAN_SQL if interrupted else _COUNTED_SQL
        last = 0
        if tz is None:
            # julianday of a date is at midnight, x.5; date(1, 1, 1) is ordinal 1.
            rows = self._iterate(
                "SELECT CAST(julianday(date(started_utc, 'localtime')) - 1721424.5 AS INTEGER)"
                f" FROM sessions WHERE started_utc < ? AND {which}"
                " ORDER BY started_utc DESC",
                (iso(before),),
                "sessions",
            )
            for (day,) in rows:
                if day is None:  # a start time SQLite cannot read as a time
                    continue
                if day != last:
                    last = day
                    yield day
            return
        for started in self.counted_starts_newest_first(before, interrupted=interrupted):
            day = started.astimezone(tz).date().toordinal()
            if day != last:
                last = day
                yield day

    def first_session_start(self) -> datetime | None:
        """The start of the first counted or interrupted session (the index, in order)."""
        rows = self.rows(
            f"SELECT started_utc FROM sessions WHERE {_ON_PLAN_SQL} ORDER BY started_utc LIMIT 1",
            (),
            "sessions",
        )
        found = self._each(rows, lambda r: parse(r[0]), "sessions")
        return found[0] if found else None

    def last_sessions_of(
        self, routine_id: str, limit: int, *, after: datetime | None = None
    ) -> list[SessionBrief]:
        """The routine's newest ``limit`` ended sessions (started after ``after``), newest first."""
        params: list[object] = [routine_id]
        where = "routine_id = ? AND outcome <> 'in_progress'"
        if after is not None:
            where += " AND started_utc > ?"
            params.append(iso(after))
        rows = self.rows(
            f"SELECT {self._SESSION_COLUMNS} FROM sessions WHERE {where}"
            " ORDER BY started_utc DESC, id DESC LIMIT ?",
            (*params, int(limit)),
            "sessions",
        )
        return self._each(rows, self._brief, "sessions")

    def last_session(self) -> SessionBrief | None:
        """The newest session that ended (any routine)."""
        rows = self.rows(
            f"SELECT {self._SESSION_COLUMNS} FROM sessions WHERE outcome <> 'in_progress'"
            " ORDER BY started_utc DESC, id DESC LIMIT 1",
            (),
            "sessions",
        )
        found = self._each(rows, self._brief, "sessions")
        return found[0] if found else None

    def routine_days(self, since: datetime, until: datetime) -> list[tuple[str, datetime]]:
        """(routine id, start) of the counted sessions in [since, until)."""
        rows = self.rows(
            "SELECT routine_id, started_utc FROM sessions WHERE started_utc >= ?"
            f" AND started_utc < ? AND {_COUNTED_SQL} ORDER BY started_utc",
            (iso(since), iso(until)),
            "sessions",
        )
        return self._each(rows, lambda r: (r[0], parse(r[1])), "sessions")

    # --- time spent ---------------------------------------------------------------

    def session_seconds(self, since: datetime, until: datetime) -> float:
        """Active seconds of every step of the sessions started in [since, until).

        Every recorded step counts, a repeated one too: that time was spent
        exercising. Abandoned sessions count as far as they got.
        """
        row = self.rows(
            "SELECT COALESCE(SUM(r.done_s), 0) FROM sessions s"
            " JOIN step_results r ON r.session_id = s.id"
            " WHERE s.started_utc >= ? AND s.started_utc < ?",
            (iso(since), iso(until)),
        )[0]
        return float(row[0])

    def activity_minutes(self, since: datetime, until: datetime) -> float:
        """Minutes of activities outside Coach logged in [since, until)."""
        row = self.rows(
            "SELECT COALESCE(SUM(minutes), 0) FROM activities"
            " WHERE taken_utc >= ? AND taken_utc < ?",
            (iso(since), iso(until)),
        )[0]
        return float(row[0])

    def activities(self, limit: int = 20) -> list[dict[str, Any]]:
        """The newest logged activities, newest first."""
        rows = self.rows(
            "SELECT id, taken_utc, kind, minutes, feeling, note FROM activities"
            " ORDER BY taken_utc DESC, id DESC LIMIT ?",
            (int(limit),),
            "activities",
        )
        return self._each(
            rows,
            lambda r: {
                "id": r["id"],
                "taken_utc": parse(r["taken_utc"]),
                "kind": r["kind"],
                "minutes": float(r["minutes"]),
                "feeling": r["feeling"],
                "note": r["note"],
            },
            "activities",
        )

    # --- pain ---------------------------------------------------------------------

    def pain_points(self, since: datetime, until: datetime) -> list[PainPoint]:
        """Pain at rest in [since, until): each session's "before" rating and each
        pain measure, oldest first. Ratings after a session are left out: they
        describe the exercise, not the day."""
        since_s, until_s = iso(since), iso(until)
        # No json_extract: JSON1 is optional in the SQLite of some Python builds.
        # The first column is the row's id (a measure's; None for a session's
        # rating): a damaged row is counted by it, once.
        rows = self.rows(
            "SELECT NULL AS id, started_utc AS t, pain_before_back AS back,"
            " pain_before_leg AS leg, NULL AS value FROM sessions"
            " WHERE started_utc >= ? AND started_utc < ?"
            " AND (pain_before_back IS NOT NULL OR pain_before_leg IS NOT NULL)"
            " UNION ALL"
            " SELECT id, taken_utc, NULL, NULL, value FROM measures"
            " WHERE kind = ? AND taken_utc >= ? AND taken_utc < ?"
            " ORDER BY t",
            (since_s, until_s, MeasureKind.PAIN.value, since_s, until_s),
            "measures",
        )
        points: list[PainPoint] = []
        for r in rows:
            back, leg = r[2], r[3]
            if r[4] is not None:
                try:
                    value = json.loads(r[4])
                except ValueError:
                    value = None
                if not isinstance(value, dict):
                    self._skip("measures", r)
                    continue
                back, leg = value.get("back"), value.get("leg")
            try:
                taken = parse(r[1])
            except (ValueError, TypeError):
                self._skip("measures" if r[0] is not None else "sessions", r)
                continue
            point = PainPoint(taken, _pain_value(back), _pain_value(leg))
            if point.back is not None or point.leg is not None:
                points.append(point)
        return points

    def first_pain_time(self) -> datetime | None:
        row = self.rows(
            "SELECT MIN(t) FROM (SELECT MIN(started_utc) AS t FROM sessions"
            " WHERE pain_before_back IS NOT NULL OR pain_before_leg IS NOT NULL"
            " UNION ALL SELECT MIN(taken_utc) FROM measures WHERE kind = ?)",
            (MeasureKind.PAIN.value,),
        )[0]
        return parse(row[0]) if row[0] else None

    # --- measures -----------------------------------------------------------------

    def measures(
        self,
        kind: str,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        newest_first: bool = False,
        limit: int | None = None,
    ) -> list[Measure]:
        """Measures of one kind (an index range scan on (kind, taken_utc))."""
        where, params = "kind = ?", [str(kind)]
        if since is not None:
            where += " AND taken_utc >= ?"
            params.append(iso(since))
        if until is not None:
            where += " AND taken_utc < ?"
            params.append(iso(until))
        order = "DESC" if newest_first else "ASC"
        sql = f"SELECT id, kind, taken_utc, value FROM measures WHERE {where}"
        sql += f" ORDER BY taken_utc {order}, id {order}"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        out: list[Measure] = []
        for r in self.rows(sql, params, "measures"):
            try:
                value = json.loads(r["value"])
                taken = parse(r["taken_utc"])
            except ValueError:
                value = None
            if isinstance(value, dict):
                out.append(Measure(r["id"], r["kind"], taken, value))
            else:
                self._skip("measures", r)
        return out

    def first_measure(self, kind: str) -> Measure | None:
        found = self.measures(kind, limit=1)
        return found[0] if found else None

    def latest_measure(self, kind: str) -> Measure | None:
        found = self.measures(kind, newest_first=True, limit=1)
        return found[0] if found else None

    def walking_tests(self) -> list[WalkingTest]:
        """Every home walking test, oldest first (a few a month at most)."""
        out: list[WalkingTest] = []
        rows = self.rows(
            "SELECT id, taken_utc, value FROM measures WHERE kind = ? ORDER BY taken_utc, id",
            (MeasureKind.WALKING_TEST.value,),
            "measures",
        )
        for ident, taken, text in rows:
            try:
                value = json.loads(text)
            except ValueError:
                value = None
            if not isinstance(value, dict):
                self._skip("measures", (ident,))
                continue
            first = _number(value.get(WALK_FIRST_SYMPTOMS_S))
            total = _number(value.get(WALK_TOTAL_S))
            if first is None and total is None:
                continue
            steps = value.get("steps")
            out.append(
                WalkingTest(
                    parse(taken),
                    first,
                    total,
                    _number(value.get("distance_m")),
                    steps if isinstance(steps, int) and not isinstance(steps, bool) else None,
                )
            )
        return out

    def kv(self, key: str, default: Any = None) -> Any:
        rows = self.rows("SELECT key, value FROM kv WHERE key = ?", (key,), "kv")
        if not rows:
            return default
        try:
            return json.loads(rows[0][1])
        except ValueError:
            self._skip("kv", rows[0])
            return default

    def counts(self) -> dict[str, int]:
        """Rows per table: what an export or a delete would cover."""
        out: dict[str, int] = {}
        for table in TABLES:
            out[table] = int(self.rows(f"SELECT COUNT(*) FROM {table}")[0][0])
        return out


TABLES: tuple[str, ...] = (
    "sessions",
    "step_results",
    "measures",
    "notes",
    "activities",
    "safety_checks",
    "kv",
)
"""Every table of the schema, parents before children (the order of an import)."""
