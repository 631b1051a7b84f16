"""What the store hands back: its row types, the outcome and measure kinds, timestamps.

These are the store's contract with whatever reads it (the history queries, the
export, the report, the pages); they are kept apart from the writes in
:mod:`coach.core.progress.store` so that contract can be read, and changed with
a schema migration, on its own.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import UTC, date, datetime
from enum import Enum, StrEnum
from typing import Any

from coach.core.content.model import Text
from coach.core.session.check import Outcome as CheckOutcome


def utc(moment: datetime) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("timestamps must be timezone-aware (UTC)")
    return moment.astimezone(UTC)


def iso(moment: datetime) -> str:
    # Fixed width (always microseconds), so comparing strings compares times.
    return utc(moment).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)


def parse_opt(text: str | None) -> datetime | None:
    return None if text is None else parse(text)


# --------------------------------------------------------------------------
# Damaged rows: text whose bytes are not UTF-8
# --------------------------------------------------------------------------


class BadText(str):
    """Text of a damaged row whose bytes are not UTF-8: shown with U+FFFD, bytes kept.

    Readers skip a row holding one and count it; the export writes it marked.
    """

    raw: bytes


def lenient_text(data: bytes) -> str:
    """A ``text_factory`` that never fails: bad bytes give a :class:`BadText`."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        text = BadText(data.decode("utf-8", "replace"))
        text.raw = bytes(data)
        return text


def is_decode_error(exc: BaseException) -> bool:
    """A value that is not UTF-8 (sqlite3 raises OperationalError for row values)."""
    if isinstance(exc, UnicodeDecodeError):
        return True
    return isinstance(exc, sqlite3.OperationalError) and "decode" in str(exc).lower()


def has_bad_text(row: Sequence[Any]) -> bool:
    return any(isinstance(value, BadText) for value in row)


def row_key(table: str, row: sqlite3.Row | Sequence[Any]) -> tuple[str, str]:
    """(table, id) of a row, to count a damaged row once however often it is read."""
    first = row[0] if len(row) else None
    return table, str(first) if isinstance(first, int) else repr(first)


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
        return iso(value)
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


def session_row(r: sqlite3.Row) -> SessionRow:
    return SessionRow(
        id=r["id"],
        routine_id=r["routine_id"],
        # Stored by us from a valid Text; not re-validated, so an old title
        # never makes the history unreadable.
        routine_title=Text.trusted(json.loads(r["routine_title"])),
        routine_hash=r["routine_hash"],
        planned_total_s=r["planned_total_s"],
        started_utc=parse(r["started_utc"]),
        ended_utc=parse_opt(r["ended_utc"]),
        outcome=SessionOutcome(r["outcome"]),
        stop_reason=r["stop_reason"],
        stop_note=r["stop_note"],
        pain_before_back=r["pain_before_back"],
        pain_before_leg=r["pain_before_leg"],
        pain_after_back=r["pain_after_back"],
        pain_after_leg=r["pain_after_leg"],
    )


def step_row(r: sqlite3.Row) -> StepRow:
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
        recorded_utc=parse(r["recorded_utc"]),
    )
