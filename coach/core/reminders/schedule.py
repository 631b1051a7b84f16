"""Reminders: when to say "time for your routine" and when to give a posture tip.

Pure and clock-free: every function takes ``now`` (an aware datetime in the
person's zone) and returns what is due, so the schedule is tested with a fake
clock and the tray only arms one single-shot timer for the answer.

Times are wall-clock times in the zone of ``now``: 09:00 stays 09:00 across
daylight-saving changes and after travel. A time that does not exist (02:30
when the clocks spring forward) happens at the first moment after the gap;
a time that happens twice (fall back) is used once, the first time.

What the person chose lives in :class:`ReminderPrefs` (validated: impossible
values are refused with a message); what already happened today (shown,
acted on, snoozed, paused) lives in :class:`ReminderState`. Both are kept in
``reminders.json`` in the data folder; a hand-edited bad value falls back to
its default with a note. Plain dataclasses on purpose: the tray starts before
the routine library, and this module must not pull in the validation library.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import re
import shlex
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from coach.core.common.atomic import write_text_atomic
from coach.core.common.days import DAY_NAMES, WEEK

if TYPE_CHECKING:
    from coach.core.content.library import Library

FILE_NAME = "reminders.json"
FILE_VERSION = 1

DEFAULT_TIMES: tuple[tuple[time, ...], ...] = (
    (time(9, 0),),
    (time(9, 0), time(18, 0)),
    (time(9, 0), time(13, 0), time(18, 0)),
)
"""Entry n-1: the times of a routine done n times a day."""

POSTURE_MIN_MINUTES = 15
POSTURE_MAX_MINUTES = 240
REPEAT_MIN_MINUTES, REPEAT_MAX_MINUTES = 5, 180
SNOOZE_MIN_MINUTES, SNOOZE_MAX_MINUTES = 5, 120
MIN_GAP_MINUTES = 60
"""Two routine times of the same day at least this far apart."""

GRACE = timedelta(minutes=2)
"""A reminder shown this late still counts as on time (a busy moment, a slow wake)."""
QUIET_BEFORE_ROUTINE = timedelta(minutes=10)
QUIET_AFTER_ROUTINE = timedelta(minutes=5)
"""No posture tip this close around a planned routine: never during a routine."""
UNKNOWN_ROUTINE_LENGTH = timedelta(minutes=15)
HORIZON_DAYS = 15


# --------------------------------------------------------------------------
# Problems with a value: one message, translatable by the UI
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """A refused value. ``template`` is English with ``{name}`` fields; the UI
    translates the template and fills in ``values``."""

    setting: str
    template: str
    values: Mapping[str, object] = field(default_factory=dict)

    def __str__(self) -> str:
        return self.template.format(**self.values)


class PrefsError(ValueError):
    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


def _refuse(name: str, template: str, **values: object) -> PrefsError:
    return PrefsError(Problem(name, template, values))


# --------------------------------------------------------------------------
# Parsing what a person types (settings view, command line)
# --------------------------------------------------------------------------

_TIME = re.compile(r"^\s*(\d{1,2})(?:\s*[:.h]\s*(\d{2}))?\s*$")


def parse_time(text: str, name: str = "time") -> time:
    """``09:00``, ``9:00``, ``9.00`` or ``9`` -> 09:00; ``25:00`` is refused."""
    match = _TIME.match(text)
    if match:
        hours, minutes = int(match.group(1)), int(match.group(2) or 0)
        if hours < 24 and minutes < 60:
            return time(hours, minutes)
    raise _refuse(
        name,
        "'{text}' is not a time of day: use hours 0 to 23 and minutes 00 to 59, like 09:00",
        text=text.strip(),
    )


def parse_times(text: str, name: str = "times") -> tuple[time, ...]:
    """``09:00,18:00`` -> the times of a routine done twice a day (checked)."""
    parts = [p for p in re.split(r"[,;\s]+", text.strip()) if p]
    if not parts:
        raise _refuse(name, "give at least one time, like 09:00")
    times = tuple(parse_time(p, name) for p in parts)
    check_times(times, name)
    return times


def format_time(moment: time) -> str:
    return f"{moment.hour:02d}:{moment.minute:02d}"


_DAY_WORDS = {
    "all": WEEK,
    "daily": WEEK,
    "everyday": WEEK,
    "weekdays": WEEK[:5],
    "weekend": WEEK[5:],
    "weekends": WEEK[5:],
}
_DAY_ALIASES: dict[str, str] = {
    # English and German names and abbreviations.
    **{d: d for d in WEEK},
    "monday": "mon",
    "tuesday": "tue",
    "wednesday": "wed",
    "thursday": "thu",
    "friday": "fri",
    "saturday": "sat",
    "sunday": "sun",
    "mo": "mon",
    "di": "tue",
    "mi": "wed",
    "do": "thu",
    "fr": "fri",
    "sa": "sat",
    "so": "sun",
}


def _day(text: str, name: str) -> str:
    day = _DAY_ALIASES.get(text.strip().lower())
    if day is None:
        raise _refuse(
            name,
            "'{text}' is not a day: use mon, tue, wed, thu, fri, sat or sun",
            text=text.strip(),
        )
    return day


def parse_days(text: str, name: str = "days", *, allow_empty: bool = False) -> tuple[str, ...]:
    """``mon-fri``, ``mon,wed,fri``, ``weekdays``, ``all`` (``none`` if allowed)."""
    chosen: set[str] = set()
    cleaned = text.strip().lower()
    if cleaned in ("", "none", "-"):
        parts: list[str] = []
    else:
        parts = [p for p in re.split(r"[,;\s]+", cleaned) if p]
    for part in parts:
        if part in _DAY_WORDS:
            chosen.update(_DAY_WORDS[part])
        elif "-" in part:
            first, _, last = part.partition("-")
            a, b = WEEK.index(_day(first, name)), WEEK.index(_day(last, name))
            span = range(a, b + 1) if a <= b else [*range(a, 7), *range(0, b + 1)]
            chosen.update(WEEK[i] for i in span)
        else:
            chosen.add(_day(part, name))
    days = tuple(d for d in WEEK if d in chosen)
    if not days and not allow_empty:
        raise _refuse(name, "choose at least one day")
    return days


def format_days(days: Sequence[str]) -> str:
    if tuple(days) == WEEK:
        return "every day"
    if not days:
        return "none"
    idx = [WEEK.index(d) for d in days]
    if len(idx) > 2 and idx == list(range(idx[0], idx[-1] + 1)):
        return f"{days[0]}-{days[-1]}"
    return ",".join(days)


def parse_minutes(text: str, name: str) -> int:
    """``45``, ``45m``, ``45 min``, ``1h``, ``1:30`` -> minutes (a whole number)."""
    cleaned = text.strip().lower().replace(" ", "")
    match = re.fullmatch(r"(\d{1,6})(m|min|mins|minutes|minuten)?", cleaned)
    if match:
        return int(match.group(1))
    match = re.fullmatch(r"(\d{1,3})(?:h|hour|hours|std)", cleaned)
    if match:
        return int(match.group(1)) * 60
    match = re.fullmatch(r"(\d{1,3}):(\d{2})", cleaned)
    if match:
        return int(match.group(1)) * 60 + int(match.group(2))
    raise _refuse(name, "'{text}' is not a number of minutes", text=text.strip())


def parse_active_hours(text: str, name: str = "active_hours") -> tuple[time, time]:
    """``09:00-18:00`` -> (09:00, 18:00); the end must come after the start."""
    first, sep, last = text.replace("–", "-").partition("-")
    if not sep:
        raise _refuse(name, "give the active hours as start-end, like 09:00-18:00")
    start, end = parse_time(first, name), parse_time(last, name)
    check_active_hours(start, end, name)
    return start, end


# --------------------------------------------------------------------------
# Checks of typed values
# --------------------------------------------------------------------------


def _minutes_of(moment: time) -> int:
    return moment.hour * 60 + moment.minute


def check_times(times: Sequence[time], name: str = "times") -> None:
    if not 1 <= len(times) <= 3:
        raise _refuse(name, "give one, two or three times a day")
    for before, after in itertools.pairwise(times):
        if _minutes_of(after) - _minutes_of(before) < MIN_GAP_MINUTES:
            raise _refuse(
                name,
                "the times must follow each other through the day, "
                "at least an hour apart ({before} and {after})",
                before=format_time(before),
                after=format_time(after),
            )


def check_active_hours(start: time, end: time, name: str = "active_hours") -> None:
    if _minutes_of(end) <= _minutes_of(start):
        raise _refuse(
            name,
            "the active hours must end after they start ({start} to {end})",
            start=format_time(start),
            end=format_time(end),
        )
    if _minutes_of(end) - _minutes_of(start) < POSTURE_MIN_MINUTES:
        raise _refuse(name, "the active hours are too short for a posture tip")


def check_minutes(value: object, name: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise _refuse(
            name,
            "choose between {low} and {high} minutes (not {value})",
            low=low,
            high=high,
            value=value,
        )
    return value


def check_posture_interval(value: object) -> int:
    if (
        isinstance(value, bool)
        or not isinstance(value, int)
        or not (POSTURE_MIN_MINUTES <= value <= POSTURE_MAX_MINUTES)
    ):
        raise _refuse(
            "posture_every_min",
            "a posture tip every {value} minutes is not possible: "
            "choose between 15 minutes and 4 hours (240 minutes)",
            value=value,
        )
    return value


_ROUTINE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


# --------------------------------------------------------------------------
# The person's choices
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class ReminderPrefs:
    """What the person chose. Creating one with an impossible value raises PrefsError."""

    enabled: bool = True
    routines: tuple[str, ...] = ()
    """The routines to be reminded of (the person's plan), in order of importance."""
    times: tuple[tuple[time, ...], ...] = DEFAULT_TIMES
    days: tuple[str, ...] = WEEK
    """Days with routine reminders (each routine's own days still apply)."""
    quiet_days: tuple[str, ...] = ()
    """Days without any reminder or tip."""
    active_from: time = time(9, 0)
    active_until: time = time(18, 0)
    posture_prompts: bool = False
    posture_every_min: int = 60
    repeat_after_min: int = 30
    snooze_min: int = 10
    start_at_login: bool = False

    def __post_init__(self) -> None:
        problem = first_problem(self)
        if problem is not None:
            raise PrefsError(problem)

    def changed(self, **values: Any) -> ReminderPrefs:
        return replace(self, **values)

    def times_for(self, times_per_day: int) -> tuple[time, ...]:
        n = min(max(times_per_day, 1), 3)
        return self.times[n - 1]

    def with_times(self, times: Sequence[time]) -> ReminderPrefs:
        """Set the times of a routine done ``len(times)`` times a day."""
        check_times(times)
        table = list(self.times)
        table[len(times) - 1] = tuple(times)
        return self.changed(times=tuple(table))

    def to_json(self) -> dict[str, Any]:
        return {
            "enabled": self.enabled,
            "routines": list(self.routines),
            "times": {str(n + 1): [format_time(t) for t in ts] for n, ts in enumerate(self.times)},
            "days": list(self.days),
            "quiet_days": list(self.quiet_days),
            "active_hours": f"{format_time(self.active_from)}-{format_time(self.active_until)}",
            "posture_prompts": self.posture_prompts,
            "posture_every_min": self.posture_every_min,
            "repeat_after_min": self.repeat_after_min,
            "snooze_min": self.snooze_min,
            "start_at_login": self.start_at_login,
        }


def _field_problem(name: str, value: Any) -> Problem | None:
    try:
        _check_field(name, value)
    except PrefsError as exc:
        return exc.problem
    return None


def _check_field(name: str, value: Any) -> None:
    if name in ("enabled", "posture_prompts", "start_at_login"):
        if not isinstance(value, bool):
            raise _refuse(name, "must be on or off")
    elif name == "routines":
        if not isinstance(value, tuple) or not all(
            isinstance(r, str) and _ROUTINE_ID.match(r) for r in value
        ):
            raise _refuse(name, "routine ids are letters, digits, '-', '_' or '.'")
        if len(set(value)) != len(value):
            raise _refuse(name, "a routine is listed twice")
    elif name == "times":
        if not isinstance(value, tuple) or len(value) != 3:
            raise _refuse(name, "give the times for once, twice and three times a day")
        for n, times in enumerate(value, start=1):
            if not isinstance(times, tuple) or not all(isinstance(t, time) for t in times):
                raise _refuse(name, "a time must be a time of day, like 09:00")
            if len(times) != n:
                raise _refuse(
                    name,
                    "a routine done {n} times a day needs {n} times",
                    n=n,
                )
            check_times(times, name)
    elif name in ("days", "quiet_days"):
        if not isinstance(value, tuple) or any(d not in WEEK for d in value):
            raise _refuse(name, "days are mon, tue, wed, thu, fri, sat or sun")
        if len(set(value)) != len(value):
            raise _refuse(name, "a day is listed twice")
        if name == "days" and not value:
            raise _refuse(name, "choose at least one day")
        if name == "quiet_days" and len(value) == 7:
            raise _refuse(name, "every day is a quiet day: turn reminders off instead")
    elif name in ("active_from", "active_until"):
        if not isinstance(value, time):
            raise _refuse(name, "a time must be a time of day, like 09:00")
    elif name == "posture_every_min":
        check_posture_interval(value)
    elif name == "repeat_after_min":
        check_minutes(value, name, REPEAT_MIN_MINUTES, REPEAT_MAX_MINUTES)
    elif name == "snooze_min":
        check_minutes(value, name, SNOOZE_MIN_MINUTES, SNOOZE_MAX_MINUTES)


def problems(prefs: ReminderPrefs) -> list[Problem]:
    """Every impossible value in ``prefs``, one problem per field."""
    found = [p for f in fields(prefs) if (p := _field_problem(f.name, getattr(prefs, f.name)))]
    if not any(p.setting in ("active_from", "active_until") for p in found):
        try:
            check_active_hours(prefs.active_from, prefs.active_until)
        except PrefsError as exc:
            found.append(exc.problem)
    return found


def first_problem(prefs: ReminderPrefs) -> Problem | None:
    found = problems(prefs)
    return found[0] if found else None


# --------------------------------------------------------------------------
# The plan: which routines, how often, how long
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanEntry:
    """One routine of the person's plan, as the reminders need it."""

    routine_id: str
    title: Mapping[str, str]  # {"en": ..., "de": ...}
    seconds: float | None = None
    times_per_day: int = 1
    days: tuple[str, ...] = WEEK

    def title_in(self, lang: str) -> str:
        return self.title.get(lang) or self.title.get("en") or self.routine_id


def chosen_plan(prefs: ReminderPrefs, available: Sequence[PlanEntry]) -> list[PlanEntry]:
    """The entries of the routines the person chose, in their order."""
    by_id = {e.routine_id: e for e in available}
    return [by_id[r] for r in prefs.routines if r in by_id]


class RoutineLike(Protocol):
    id: str
    title: Any
    schedule: Any


def plan_entry(routine: RoutineLike, seconds: float | None = None) -> PlanEntry:
    """A plan entry from a library routine (title in every language it has)."""
    title_obj = routine.title
    root = getattr(title_obj, "root", None)
    title = dict(root) if isinstance(root, Mapping) else {"en": str(title_obj)}
    schedule = routine.schedule
    return PlanEntry(
        routine_id=routine.id,
        title=title,
        seconds=seconds,
        times_per_day=int(schedule.times_per_day),
        days=tuple(d for d in WEEK if d in set(schedule.days)),
    )


def plan_entries(library: Library, routine_ids: Iterable[str] | None = None) -> list[PlanEntry]:
    """Plan entries (schedule and length) of the given routines, or of all of them.

    Ids the library does not have are left out (the caller can name them).
    """
    from coach.core.session.plan import build_plan  # here: the tray process runs without the model

    entries = []
    for routine_id in library.routines if routine_ids is None else routine_ids:
        routine = library.routines.get(routine_id)
        if routine is None:
            continue
        try:
            seconds: float | None = build_plan(routine, library.exercises).total_seconds
        except (KeyError, ValueError):
            seconds = None
        entries.append(plan_entry(routine, seconds))
    return entries


# --------------------------------------------------------------------------
# The posture tips (CONTENT.md sections 1 and 9, in our own words)
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class PostureCue:
    id: str
    figure: str  # exercise id of the illustration: assets/figures/<figure>-end.svg
    text: Mapping[str, str]

    def text_in(self, lang: str) -> str:
        return self.text.get(lang) or self.text["en"]

    @property
    def picture(self) -> str:
        return f"figures/{self.figure}-end.svg"


POSTURE_CUES: tuple[PostureCue, ...] = (
    PostureCue(
        "pelvic-tilt",
        "P2",
        {
            "en": "Standing? Tilt your pelvis the way it sits when you sit: "
            "belt buckle towards your chin, knees soft. No hollow back.",
            "de": "Sie stehen? Richten Sie das Becken auf wie im Sitzen: "
            "Gürtelschnalle Richtung Kinn, Knie locker. Kein Hohlkreuz.",
        },
    ),
    PostureCue(
        "foot-up",
        "P4",
        {
            "en": "Standing at the sink or the stove? Put one foot up on a low step, "
            "and swap feet now and then.",
            "de": "Sie stehen an der Spüle oder am Herd? Stellen Sie einen Fuß auf eine "
            "niedrige Stufe und wechseln Sie ab und zu.",
        },
    ),
    PostureCue(
        "flexion-break",
        "S9",
        {
            "en": "Out for a long walk? Stop for a minute and lean forward on a rail, "
            "a shopping trolley or your walker (brakes on).",
            "de": "Lange unterwegs? Bleiben Sie eine Minute stehen und lehnen Sie sich nach "
            "vorne auf ein Geländer, den Einkaufswagen oder den Rollator (Bremsen fest).",
        },
    ),
    PostureCue(
        "sit-lean",
        "C2",
        {
            "en": "Legs or back tired? Sit down and lean forward, forearms on your "
            "thighs. Breathe out slowly.",
            "de": "Beine oder Rücken müde? Setzen Sie sich und beugen Sie sich nach vorne, "
            "die Unterarme auf den Oberschenkeln. Langsam ausatmen.",
        },
    ),
    PostureCue(
        "uphill",
        "A2",
        {
            "en": "Going for a walk? Choose the way uphill and ride down: "
            "walking downhill arches the lower back.",
            "de": "Sie gehen spazieren? Gehen Sie lieber bergauf und fahren Sie bergab: "
            "Bergabgehen führt ins Hohlkreuz.",
        },
    ),
)
_CUES_BY_ID = {c.id: c for c in POSTURE_CUES}


# --------------------------------------------------------------------------
# Reminders
# --------------------------------------------------------------------------


class Kind(StrEnum):
    ROUTINE = "routine"
    POSTURE = "posture"


class Reason(StrEnum):
    PLANNED = "planned"
    REPEAT = "repeat"  # not acted on: said once more, then left alone
    SNOOZED = "snoozed"
    CATCH_UP = "catch_up"  # missed while asleep or while the clock jumped


@dataclass(frozen=True)
class RoutineSlot:
    """One planned time of one routine on one day (slot 0 = the first of the day)."""

    entry: PlanEntry
    day: date
    slot: int

    @property
    def key(self) -> str:
        return f"{self.entry.routine_id}/{self.day.isoformat()}/{self.slot}"


def minutes_phrase(seconds: float | None, lang: str) -> str:
    if seconds is None:
        return ""
    n = max(1, round(seconds / 60))
    if lang == "de":
        return f"etwa {n} Minute" if n == 1 else f"etwa {n} Minuten"
    return f"about {n} minute" if n == 1 else f"about {n} minutes"


@dataclass(frozen=True)
class Reminder:
    kind: Kind
    due: datetime
    """When it should show; in the past for a catch-up (show it now)."""
    planned: datetime
    """The planned time it stands for (the slot, or the first missed one)."""
    reason: Reason = Reason.PLANNED
    slots: tuple[RoutineSlot, ...] = ()
    cue: PostureCue | None = None
    posture_key: str | None = None

    @property
    def routine_id(self) -> str | None:
        return self.slots[0].entry.routine_id if self.slots else None

    @property
    def routine_ids(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for s in self.slots:
            seen.setdefault(s.entry.routine_id, None)
        return tuple(seen)

    @property
    def keys(self) -> tuple[str, ...]:
        if self.kind is Kind.POSTURE:
            return (self.posture_key,) if self.posture_key else ()
        return tuple(s.key for s in self.slots)

    @property
    def picture(self) -> str | None:
        """An illustration path relative to the assets folder, if the reminder has one."""
        return self.cue.picture if self.cue else None

    def routines_text(self, lang: str) -> str:
        parts = []
        seen: set[str] = set()
        for s in self.slots:
            if s.entry.routine_id in seen:
                continue
            seen.add(s.entry.routine_id)
            length = minutes_phrase(s.entry.seconds, lang)
            parts.append(
                f"{s.entry.title_in(lang)} ({length})" if length else s.entry.title_in(lang)
            )
        joiner = " und " if lang == "de" else " and "
        return ", ".join(parts[:-1]) + joiner + parts[-1] if len(parts) > 1 else "".join(parts)

    def title(self, lang: str = "en") -> str:
        if self.kind is Kind.POSTURE:
            return "Ein Moment für Ihren Rücken" if lang == "de" else "A moment for your back"
        if lang == "de":
            return "Zeit für Ihre Übungen"
        return "Time for your routine"

    def message(self, lang: str = "en") -> str:
        if self.kind is Kind.POSTURE:
            assert self.cue is not None
            return self.cue.text_in(lang)
        what = self.routines_text(lang)
        at = format_time(self.planned.timetz())
        de = lang == "de"
        if self.reason is Reason.REPEAT:
            return (
                f"Eine freundliche Erinnerung: {what} wartet noch auf Sie."
                if de
                else f"A gentle reminder: {what} is still waiting for you."
            )
        if self.reason is Reason.CATCH_UP:
            return (
                f"Geplant für {at}: {what}. Sie können die Übungen heute noch machen."
                if de
                else f"Planned for {at}: {what}. You can still do it today."
            )
        return f"{what}."

    def line(self, lang: str = "en") -> str:
        """One line for ``coach reminders``: day, date, time, kind, text."""
        local = self.due
        names = DAY_NAMES.get(lang, DAY_NAMES["en"])
        when = (
            f"{names[WEEK[local.weekday()]]} {local.date().isoformat()} {format_time(local.time())}"
        )
        text = self.message(lang)
        if self.kind is Kind.ROUTINE and self.reason is Reason.PLANNED:
            text = f"{self.title(lang)}: {text}"
        return f"{when}  {self.kind.value:<7}  {text}"


# --------------------------------------------------------------------------
# What already happened: shown, acted on, snoozed, paused
# --------------------------------------------------------------------------


@dataclass
class Shown:
    count: int
    last: datetime
    acted: bool = False


@dataclass
class Snooze:
    """Nothing until ``until``; then the snoozed reminder (if any) once more."""

    until: datetime
    kind: Kind | None = None
    keys: tuple[str, ...] = ()
    planned: datetime | None = None
    cue: str | None = None


@dataclass
class ReminderState:
    checked_until: datetime | None = None
    """Everything planned up to here was shown or deliberately left out."""
    shown: dict[str, Shown] = field(default_factory=dict)
    snooze: Snooze | None = None
    paused_until: datetime | None = None
    busy_until: datetime | None = None
    """The end of the last routine played: no stale posture tip right after it."""
    told_about_tray: bool = False

    # -- what the person did -------------------------------------------------
    def mark_shown(self, reminder: Reminder, now: datetime) -> None:
        now = _utc(now)
        self.checked_until = max(
            d for d in (self.checked_until, now, _utc(reminder.due)) if d is not None
        )
        if reminder.reason is Reason.SNOOZED or (
            self.snooze is not None and self.snooze.until <= now
        ):
            self.snooze = None
        for key in reminder.keys:
            record = self.shown.get(key)
            if record is None:
                record = self.shown[key] = Shown(0, now)
            record.count += 1
            record.last = now
            if reminder.reason in (Reason.CATCH_UP, Reason.SNOOZED):
                record.count = max(record.count, 2)  # never a second round after these
        self._prune(now)

    def mark_checked(self, now: datetime) -> None:
        """Everything planned up to ``now`` counts as dealt with."""
        now = _utc(now)
        self.checked_until = max(now, self.checked_until) if self.checked_until else now

    def acted(self, reminder: Reminder) -> None:
        """Started or dismissed: no repeat for this reminder."""
        for key in reminder.keys:
            record = self.shown.setdefault(key, Shown(1, _utc(reminder.due)))
            record.acted = True

    def snooze_for(self, now: datetime, minutes: int, reminder: Reminder | None = None) -> None:
        """Hold everything for ``minutes``; then show ``reminder`` again, once."""
        until = _utc(now) + timedelta(minutes=minutes)
        if reminder is None:
            self.snooze = Snooze(until)
            return
        self.acted(reminder)
        self.snooze = Snooze(
            until,
            kind=reminder.kind,
            keys=reminder.keys,
            planned=_utc(reminder.planned),
            cue=reminder.cue.id if reminder.cue else None,
        )

    def pause_today(self, now: datetime) -> None:
        """No reminder until the next local midnight; nothing missed is caught up."""
        tomorrow = now.date() + timedelta(days=1)
        self.paused_until = _at(tomorrow, time(0), _zone(now))
        self.snooze = None

    def resume(self, now: datetime) -> None:
        self.paused_until = None
        self.snooze = None
        self.checked_until = _utc(now)

    def paused(self, now: datetime) -> bool:
        return self.paused_until is not None and _utc(now) < self.paused_until

    def routine_ended(self, now: datetime) -> None:
        self.busy_until = _utc(now)

    def _prune(self, now: datetime) -> None:
        keep_from = (now.date() - timedelta(days=2)).isoformat()
        for key in [k for k in self.shown if _key_day(k) < keep_from]:
            del self.shown[key]

    # -- file form -----------------------------------------------------------
    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "checked_until": _iso(self.checked_until),
            "paused_until": _iso(self.paused_until),
            "busy_until": _iso(self.busy_until),
            "told_about_tray": self.told_about_tray,
            "shown": {
                k: {"count": v.count, "last": _iso(v.last), "acted": v.acted}
                for k, v in self.shown.items()
            },
        }
        if self.snooze is not None:
            s = self.snooze
            data["snooze"] = {
                "until": _iso(s.until),
                "kind": s.kind.value if s.kind else None,
                "keys": list(s.keys),
                "planned": _iso(s.planned),
                "cue": s.cue,
            }
        return data

    @classmethod
    def from_json(cls, raw: object) -> tuple[ReminderState, list[str]]:
        """The saved state; anything unreadable is forgotten (with a note)."""
        state = cls()
        if raw is None:
            return state, []
        if not isinstance(raw, dict):
            return state, ["The reminder history was damaged and has been reset."]
        bad = False
        try:
            state.checked_until = _parse_iso(raw.get("checked_until"))
            state.paused_until = _parse_iso(raw.get("paused_until"))
            state.busy_until = _parse_iso(raw.get("busy_until"))
            state.told_about_tray = raw.get("told_about_tray") is True
            for key, value in dict(raw.get("shown") or {}).items():
                last = _parse_iso(value.get("last"))
                count = value.get("count")
                if not isinstance(key, str) or last is None or not isinstance(count, int):
                    bad = True
                    continue
                state.shown[key] = Shown(count, last, value.get("acted") is True)
            snooze = raw.get("snooze")
            if isinstance(snooze, dict):
                until = _parse_iso(snooze.get("until"))
                if until is not None:
                    kind = snooze.get("kind")
                    state.snooze = Snooze(
                        until,
                        Kind(kind) if kind else None,
                        tuple(str(k) for k in snooze.get("keys") or ()),
                        _parse_iso(snooze.get("planned")),
                        snooze.get("cue") if isinstance(snooze.get("cue"), str) else None,
                    )
        except (TypeError, ValueError, AttributeError):
            return cls(), ["The reminder history was damaged and has been reset."]
        notes = ["Part of the reminder history was damaged and was left out."] if bad else []
        return state, notes


def _key_day(key: str) -> str:
    parts = key.split("/")
    return parts[1] if len(parts) >= 2 else ""


def _iso(moment: datetime | None) -> str | None:
    return moment.astimezone(UTC).isoformat() if moment is not None else None


def _parse_iso(text: object) -> datetime | None:
    if text is None:
        return None
    if not isinstance(text, str):
        raise ValueError("not a timestamp")
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise ValueError("a timestamp without its zone")
    return moment.astimezone(UTC)


# --------------------------------------------------------------------------
# The schedule
# --------------------------------------------------------------------------


def _utc(moment: datetime) -> datetime:
    """Every instant is compared in UTC: Python compares two datetimes of the
    same zone by their wall-clock times, which is wrong across a DST change."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("reminders need an aware datetime (with its time zone)")
    return moment.astimezone(UTC)


def _zone(now: datetime) -> tzinfo:
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("reminders need an aware datetime (with its time zone)")
    return now.tzinfo


def _at(day: date, moment: time, tz: tzinfo) -> datetime:
    """The wall-clock time ``moment`` of ``day`` in ``tz``, as an instant in UTC.

    A time in the spring-forward gap (02:30) becomes the same instant a
    clock that kept going would show (03:30); a time that happens twice in
    the fall-back hour is the first of the two.
    """
    naive = datetime.combine(day, moment).replace(tzinfo=tz, fold=0)
    return naive.astimezone(UTC)


def _start_of_day(day: date, tz: tzinfo) -> datetime:
    return _at(day, time(0), tz)


def day_bounds_utc(day: date, tz: tzinfo) -> tuple[datetime, datetime]:
    """[start, end) of a local day in UTC: for the progress store's queries."""
    return _start_of_day(day, tz), _start_of_day(day + timedelta(days=1), tz)


class SessionLike(Protocol):
    @property
    def routine_id(self) -> str: ...
    @property
    def started_utc(self) -> datetime: ...
    @property
    def outcome(self) -> object: ...


DONE_OUTCOMES = frozenset({"completed", "stopped", "in_progress"})
"""A session the person stopped still counts: they did what they could today."""


def done_counts(sessions: Iterable[SessionLike], day: date, tz: tzinfo) -> dict[str, int]:
    """How many sessions of each routine were done on the local ``day``."""
    start, end = day_bounds_utc(day, tz)
    counts: dict[str, int] = {}
    for s in sessions:
        outcome = getattr(s.outcome, "value", s.outcome)
        if outcome in DONE_OUTCOMES and start <= _utc(s.started_utc) < end:
            counts[s.routine_id] = counts.get(s.routine_id, 0) + 1
    return counts


def _cue_for(day: date, k: int) -> PostureCue:
    return POSTURE_CUES[(day.toordinal() + k - 1) % len(POSTURE_CUES)]


def _routine_length(entry: PlanEntry) -> timedelta:
    return timedelta(seconds=entry.seconds) if entry.seconds else UNKNOWN_ROUTINE_LENGTH


def _day_events(
    day: date,
    tz: tzinfo,
    prefs: ReminderPrefs,
    plan: Sequence[PlanEntry],
    state: ReminderState,
    done: Mapping[str, int],
) -> list[Reminder]:
    """Every reminder of one local day, sorted; routines at one time merged."""
    weekday = WEEK[day.weekday()]
    if weekday in prefs.quiet_days:
        return []
    repeat_after = timedelta(minutes=prefs.repeat_after_min)
    groups: dict[tuple[datetime, Reason], list[RoutineSlot]] = {}
    planned_at: dict[tuple[datetime, Reason], datetime] = {}
    windows: list[tuple[datetime, datetime]] = []
    for entry in plan:
        if weekday not in entry.days or weekday not in prefs.days:
            continue
        times = prefs.times_for(entry.times_per_day)
        already = done.get(entry.routine_id, 0)
        for k, moment in enumerate(times):
            if already >= k + 1:
                continue  # the day's done sessions silence the rest
            slot = RoutineSlot(entry, day, k)
            due = _at(day, moment, tz)
            windows.append(
                (due - QUIET_BEFORE_ROUTINE, due + _routine_length(entry) + QUIET_AFTER_ROUTINE)
            )
            record = state.shown.get(slot.key)
            if record is None:
                groups.setdefault((due, Reason.PLANNED), []).append(slot)
                planned_at.setdefault((due, Reason.PLANNED), due)
                continue
            if record.acted or record.count >= 2:
                continue
            again = record.last + repeat_after
            next_slot = _at(day, times[k + 1], tz) if k + 1 < len(times) else None
            if again.astimezone(tz).date() != day or (
                next_slot is not None and again >= next_slot - QUIET_BEFORE_ROUTINE
            ):
                continue  # too late to say it again: the next reminder comes soon
            groups.setdefault((again, Reason.REPEAT), []).append(slot)
            planned_at.setdefault((again, Reason.REPEAT), due)
    events = [
        Reminder(Kind.ROUTINE, due, planned_at[(due, reason)], reason, tuple(slots))
        for (due, reason), slots in groups.items()
    ]
    if prefs.posture_prompts:
        start, end = _minutes_of(prefs.active_from), _minutes_of(prefs.active_until)
        every = prefs.posture_every_min
        for k in range(1, (end - start) // every + 1):
            minute = start + k * every
            if minute >= end:
                break
            due = _at(day, time(minute // 60, minute % 60), tz)
            key = f"posture/{day.isoformat()}/{k}"
            if key in state.shown or any(a <= due <= b for a, b in windows):
                continue
            if state.busy_until is not None and due <= state.busy_until:
                continue
            events.append(Reminder(Kind.POSTURE, due, due, cue=_cue_for(day, k), posture_key=key))
    events.sort(key=lambda r: (r.due, r.kind is Kind.POSTURE))
    return events


def _snoozed_event(
    state: ReminderState,
    plan: Sequence[PlanEntry],
    done_today: Mapping[str, int],
    today: date,
) -> Reminder | None:
    snooze = state.snooze
    if snooze is None or snooze.kind is None:
        return None
    planned = snooze.planned or snooze.until
    if snooze.kind is Kind.POSTURE:
        cue = _CUES_BY_ID.get(snooze.cue or "", POSTURE_CUES[0])
        key = snooze.keys[0] if snooze.keys else None
        return Reminder(Kind.POSTURE, snooze.until, planned, Reason.SNOOZED, (), cue, key)
    by_id = {e.routine_id: e for e in plan}
    slots = []
    for key in snooze.keys:
        routine_id, _, rest = key.partition("/")
        day_text, _, k_text = rest.partition("/")
        entry = by_id.get(routine_id)
        try:
            day, k = date.fromisoformat(day_text), int(k_text)
        except ValueError:
            continue
        if entry is None or (day == today and done_today.get(routine_id, 0) >= k + 1):
            continue  # no longer planned, or done meanwhile
        slots.append(RoutineSlot(entry, day, k))
    if not slots:
        return None
    return Reminder(Kind.ROUTINE, snooze.until, planned, Reason.SNOOZED, tuple(slots))


def _events_from(
    since: datetime,
    tz: tzinfo,
    prefs: ReminderPrefs,
    plan: Sequence[PlanEntry],
    state: ReminderState,
    done_today: Mapping[str, int],
    today: date,
) -> Iterator[Reminder]:
    """Every reminder due after ``since``, in order, with snooze and pause applied."""
    first_day = since.astimezone(tz).date()
    snooze_until = state.snooze.until if state.snooze else None
    snoozed = _snoozed_event(state, plan, done_today, today)
    for offset in range(HORIZON_DAYS + 1):
        day = first_day + timedelta(days=offset)
        done = done_today if day == today else {}
        events = _day_events(day, tz, prefs, plan, state, done)
        if snoozed is not None and snoozed.due.astimezone(tz).date() <= day:
            events.append(snoozed)
            snoozed = None
        held: list[Reminder] = []
        for event in events:
            if event.due <= since:
                continue
            if snooze_until is not None and event.due < snooze_until:
                if event.kind is Kind.ROUTINE and event.reason is not Reason.SNOOZED:
                    # Held during the snooze, said when it ends.
                    held.append(replace(event, due=snooze_until))
                continue
            held.append(event)
        held.sort(key=lambda r: (r.due, r.kind is Kind.POSTURE, r.reason is not Reason.SNOOZED))
        for event in held:
            if event.due > since:
                yield event


def _collapse(overdue: list[Reminder], now: datetime) -> Reminder | None:
    """At most one reminder for everything that became due while nobody looked."""
    routines = [r for r in overdue if r.kind is Kind.ROUTINE]
    if routines:
        latest = routines[-1]
        if len(routines) == 1 and now - latest.due <= GRACE:
            return latest
        slots: dict[str, RoutineSlot] = {}
        for r in routines:
            for s in r.slots:
                slots[s.key] = s
        return Reminder(
            Kind.ROUTINE,
            latest.due,
            min(r.planned for r in routines),
            Reason.CATCH_UP,
            tuple(slots.values()),
        )
    last = overdue[-1]
    return last if now - last.due <= GRACE else None  # a stale posture tip helps nobody


def next_due(
    now: datetime,
    prefs: ReminderPrefs,
    plan: Sequence[PlanEntry],
    state: ReminderState | None = None,
    done_today: Mapping[str, int] | None = None,
    *,
    in_routine: bool = False,
) -> Reminder | None:
    """The one reminder to show next: now (``due <= now``) or at ``due``.

    ``now`` is an aware datetime in the person's zone; ``done_today`` counts
    the sessions done today per routine id. Reminders missed while the
    computer slept (or the clock jumped) come back as ONE catch-up, and only
    for today's routines; posture tips that went stale are dropped.
    """
    tz = _zone(now)
    if not prefs.enabled or in_routine:
        return None
    state = state or ReminderState()
    done = done_today or {}
    today = now.date()
    now = _utc(now)
    bounds = [_start_of_day(today, tz)]
    bounds.append(_utc(state.checked_until) if state.checked_until else now - GRACE)
    if state.paused_until is not None:
        bounds.append(_utc(state.paused_until))
    since = max(bounds)
    overdue: list[Reminder] = []
    for event in _events_from(since, tz, prefs, plan, state, done, today):
        if event.due <= now:
            overdue.append(event)
            continue
        if overdue:
            chosen = _collapse(overdue, now)
            overdue = []
            if chosen is not None:
                return _localized(chosen, tz)
        return _localized(event, tz)
    chosen = _collapse(overdue, now) if overdue else None
    return _localized(chosen, tz) if chosen else None


def _localized(rem: Reminder, tz: tzinfo) -> Reminder:
    return replace(rem, due=rem.due.astimezone(tz), planned=rem.planned.astimezone(tz))


def upcoming(
    now: datetime,
    prefs: ReminderPrefs,
    plan: Sequence[PlanEntry],
    n: int,
    state: ReminderState | None = None,
    done_today: Mapping[str, int] | None = None,
) -> list[Reminder]:
    """The next ``n`` reminders from ``now`` on (inclusive), for listing."""
    tz = _zone(now)
    if not prefs.enabled or n <= 0:
        return []
    base = state or ReminderState()
    today = now.date()
    # Listing looks forward only: what is already behind ``now`` is not listed.
    view = replace(base, checked_until=_utc(now) - timedelta(microseconds=1))
    since = max(d for d in (view.checked_until, base.paused_until) if d is not None)
    found: list[Reminder] = []
    for event in _events_from(since, tz, prefs, plan, view, done_today or {}, today):
        found.append(_localized(event, tz))
        if len(found) >= n:
            break
    return found


def todays_routine(
    now: datetime,
    prefs: ReminderPrefs,
    plan: Sequence[PlanEntry],
    done_today: Mapping[str, int] | None = None,
) -> str | None:
    """The routine to offer under "start today's routine": planned today and not yet done."""
    _zone(now)
    weekday = WEEK[now.weekday()]
    done = done_today or {}
    today = [e for e in plan if weekday in e.days and weekday in prefs.days]
    for entry in today:
        if done.get(entry.routine_id, 0) < entry.times_per_day:
            return entry.routine_id
    if today:
        return today[0].routine_id
    return plan[0].routine_id if plan else None


# --------------------------------------------------------------------------
# The file: reminders.json in the data folder
# --------------------------------------------------------------------------


def _load_field(name: str, raw: Any) -> Any:
    """A stored value turned into its typed form; PrefsError when impossible."""
    if name in ("enabled", "posture_prompts", "start_at_login"):
        if not isinstance(raw, bool):
            raise _refuse(name, "must be true or false")
        return raw
    if name == "routines":
        if not isinstance(raw, list):
            raise _refuse(name, "must be a list of routine ids")
        value = tuple(raw)
        _check_field(name, value)
        return value
    if name == "times":
        if not isinstance(raw, dict):
            raise _refuse(name, "must map 1, 2 and 3 to lists of times")
        table = list(DEFAULT_TIMES)
        for n in (1, 2, 3):
            given = raw.get(str(n))
            if given is None:
                continue
            if not isinstance(given, list) or not all(isinstance(t, str) for t in given):
                raise _refuse(name, "times are written like 09:00")
            times = tuple(parse_time(t, name) for t in given)
            if len(times) != n:
                raise _refuse(name, "a routine done {n} times a day needs {n} times", n=n)
            check_times(times, name)
            table[n - 1] = times
        return tuple(table)
    if name in ("days", "quiet_days"):
        if not isinstance(raw, list) or not all(isinstance(d, str) for d in raw):
            raise _refuse(name, "must be a list of days")
        value = tuple(d.lower() for d in raw)
        _check_field(name, value)
        return tuple(d for d in WEEK if d in value)
    if name in ("posture_every_min", "repeat_after_min", "snooze_min"):
        _check_field(name, raw)
        return raw
    raise KeyError(name)


_STORED_FIELDS = (
    "enabled",
    "routines",
    "times",
    "days",
    "quiet_days",
    "posture_prompts",
    "posture_every_min",
    "repeat_after_min",
    "snooze_min",
    "start_at_login",
)


def _reset_note(name: str, raw: object, problem: object) -> str:
    shown = json.dumps(raw, ensure_ascii=False)
    if len(shown) > 60:
        shown = shown[:57] + "..."
    return (
        f"Reminder setting '{name}' had an impossible value ({shown}: {problem}); reset to default."
    )


def prefs_from_json(raw: object) -> tuple[ReminderPrefs, list[str]]:
    """Preferences from the file's data; each bad value becomes its default, with a note."""
    if not isinstance(raw, dict):
        return ReminderPrefs(), ["The reminder settings were damaged; defaults are used."]
    good: dict[str, Any] = {}
    notes: list[str] = []
    for name in _STORED_FIELDS:
        if name not in raw:
            continue
        try:
            good[name] = _load_field(name, raw[name])
        except PrefsError as exc:
            notes.append(_reset_note(name, raw[name], exc))
    if "active_hours" in raw:
        value = raw["active_hours"]
        try:
            if not isinstance(value, str):
                raise _refuse("active_hours", "must be written like 09:00-18:00")
            good["active_from"], good["active_until"] = parse_active_hours(value)
        except PrefsError as exc:
            notes.append(_reset_note("active_hours", value, exc))
    try:
        return ReminderPrefs(**good), notes
    except PrefsError as exc:  # a combination of fine values that is not (all quiet days...)
        notes.append(_reset_note(exc.problem.setting, good.get(exc.problem.setting), exc))
        good.pop(exc.problem.setting, None)
        try:
            return ReminderPrefs(**good), notes
        except PrefsError:
            return ReminderPrefs(), [*notes, "The reminder settings were reset to defaults."]


@dataclass
class ReminderSettings:
    prefs: ReminderPrefs = field(default_factory=ReminderPrefs)
    state: ReminderState = field(default_factory=ReminderState)
    plan: tuple[PlanEntry, ...] = ()
    """The routines' schedules and lengths as last seen in the library: the
    tray can remind at login without loading the library (and its memory)."""


def _plan_to_json(plan: Sequence[PlanEntry]) -> list[dict[str, Any]]:
    return [
        {
            "id": e.routine_id,
            "title": dict(e.title),
            "seconds": e.seconds,
            "times_per_day": e.times_per_day,
            "days": list(e.days),
        }
        for e in plan
    ]


def _plan_from_json(raw: object) -> tuple[tuple[PlanEntry, ...], list[str]]:
    """The cached plan; a damaged one is dropped (the library rebuilds it)."""
    if raw is None:
        return (), []
    try:
        if not isinstance(raw, list):
            raise TypeError
        entries = []
        for item in raw:
            title = item["title"]
            seconds = item.get("seconds")
            times = item["times_per_day"]
            days = tuple(d for d in WEEK if d in set(item["days"]))
            if (
                not isinstance(item["id"], str)
                or not _ROUTINE_ID.match(item["id"])
                or not isinstance(title, dict)
                or not all(isinstance(k, str) and isinstance(v, str) for k, v in title.items())
                or not (seconds is None or isinstance(seconds, int | float))
                or not isinstance(times, int)
                or not 1 <= times <= 3
                or not days
            ):
                raise ValueError
            entries.append(PlanEntry(item["id"], title, seconds, times, days))
    except (TypeError, ValueError, KeyError, AttributeError):
        return (), ["The saved list of routines for reminders was damaged and is rebuilt."]
    return tuple(entries), []


def settings_path(data_dir: Path) -> Path:
    return data_dir / FILE_NAME


def load_settings(path: Path) -> tuple[ReminderSettings, list[str]]:
    """Preferences and state from ``path`` and notes about anything that was reset."""
    if not path.exists():
        return ReminderSettings(), []
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        return ReminderSettings(), [
            f"The reminder settings could not be read ({exc}); defaults are used."
        ]
    if not isinstance(raw, dict):
        return ReminderSettings(), ["The reminder settings were damaged; defaults are used."]
    prefs, notes = prefs_from_json(raw)
    state, state_notes = ReminderState.from_json(raw.get("state"))
    plan, plan_notes = _plan_from_json(raw.get("plan"))
    return ReminderSettings(prefs, state, plan), notes + state_notes + plan_notes


def save_settings(path: Path, settings: ReminderSettings) -> None:
    data = {
        "version": FILE_VERSION,
        **settings.prefs.to_json(),
        "state": settings.state.to_json(),
        "plan": _plan_to_json(settings.plan),
    }
    write_text_atomic(path, json.dumps(data, indent=2, ensure_ascii=False) + "\n", mode=0o600)


# --------------------------------------------------------------------------
# The person's time zone
# --------------------------------------------------------------------------


def zone_named(name: str) -> tzinfo | None:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def local_zone() -> tzinfo:
    """The computer's zone with its daylight-saving rules (a ZoneInfo when it can be named).

    Read afresh on each call, so a changed zone is noticed on the next
    recompute. Falls back to the current fixed offset.
    """
    candidates: list[str] = []
    env = os.environ.get("TZ", "").lstrip(":")
    if env:
        candidates.append(env)
    try:
        target = os.readlink("/etc/localtime")
        if "zoneinfo/" in target:
            candidates.append(target.split("zoneinfo/", 1)[1])
    except OSError:
        pass
    with contextlib.suppress(OSError):
        candidates.append(Path("/etc/timezone").read_text(encoding="utf-8").strip())
    for name in candidates:
        zone = zone_named(name) if name else None
        if zone is not None:
            return zone
    offset = datetime.now().astimezone().tzinfo
    return offset if offset is not None else UTC


# --------------------------------------------------------------------------
# Start at login (Linux: an XDG autostart entry)
# --------------------------------------------------------------------------


class AutostartError(RuntimeError):
    pass


AUTOSTART_ELSEWHERE = (
    "Starting Coach at login is set up automatically on Linux only. "
    "On Windows, put a shortcut to Coach into the Startup folder (Win+R, shell:startup); "
    "on macOS, add Coach under System Settings > General > Login Items."
)


def autostart_supported(platform: str | None = None) -> bool:
    name = platform or sys.platform
    return name.startswith("linux") or "bsd" in name


def autostart_path(env: Mapping[str, str] | None = None) -> Path:
    """``$XDG_CONFIG_HOME/autostart/coach.desktop`` (``~/.config`` by default)."""
    environ = os.environ if env is None else env
    base = environ.get("XDG_CONFIG_HOME") or ""
    root = Path(base) if base and Path(base).is_absolute() else Path.home() / ".config"
    return root / "autostart" / "coach.desktop"


def autostart_command() -> list[str]:
    """How Coach starts at login: this interpreter, the module, in the tray only."""
    return [sys.executable, "-m", "coach", "--tray"]


def _desktop_quote(arg: str) -> str:
    # The Desktop Entry spec: quote arguments with reserved characters, and
    # escape ", `, $ and \ inside the quotes.
    if arg and not re.search(r"[\s\"'\\><~|&;$*?#()`]", arg):
        return arg
    escaped = re.sub(r'(["`$\\])', r"\\\1", arg)
    return f'"{escaped}"'


def desktop_entry(command: Sequence[str]) -> str:
    exec_line = " ".join(_desktop_quote(a) for a in command).replace("%", "%%")
    return (
        "[Desktop Entry]\n"
        "Type=Application\n"
        "Name=Coach\n"
        "Comment=Exercise reminders for your back\n"
        "Comment[de]=Übungserinnerungen für Ihren Rücken\n"
        f"Exec={exec_line}\n"
        "Terminal=false\n"
        "X-GNOME-Autostart-enabled=true\n"
        "X-GNOME-Autostart-Delay=20\n"
    )


def autostart_enabled(env: Mapping[str, str] | None = None) -> bool:
    return autostart_supported() and autostart_path(env).is_file()


def set_autostart(
    enabled: bool,
    command: Sequence[str] | None = None,
    env: Mapping[str, str] | None = None,
    platform: str | None = None,
) -> str:
    """Add or remove the login entry; returns what was done, in a sentence.

    Raises AutostartError where it is not supported or the file cannot be written.
    """
    if not autostart_supported(platform):
        raise AutostartError(AUTOSTART_ELSEWHERE)
    path = autostart_path(env)
    try:
        if enabled:
            write_text_atomic(path, desktop_entry(command or autostart_command()), mode=0o644)
            return f"Coach will start when you log in ({path})."
        path.unlink(missing_ok=True)
    except OSError as exc:
        raise AutostartError(
            f"The login entry could not be changed: {exc.strerror or exc}"
        ) from exc
    return "Coach will not start when you log in."


def describe_command(command: Sequence[str]) -> str:
    return shlex.join(command)
