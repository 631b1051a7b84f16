"""The person's reminder preferences, and every check on them.

Apart from the schedule so that the settings view, ``coach reminders`` and the
file reader refuse the same impossible values with the same message, and so
that these rules can change without touching the timing code. Plain dataclasses
and hand-written checks on purpose: the tray starts before the routine library
and must not pull in the validation library.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import time
from typing import Any

from coach.core.common.days import WEEK

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


def minutes_of(moment: time) -> int:
    return moment.hour * 60 + moment.minute


def check_times(times: Sequence[time], name: str = "times") -> None:
    if not 1 <= len(times) <= 3:
        raise _refuse(name, "give one, two or three times a day")
    for before, after in itertools.pairwise(times):
        if minutes_of(after) - minutes_of(before) < MIN_GAP_MINUTES:
            raise _refuse(
                name,
                "the times must follow each other through the day, "
                "at least an hour apart ({before} and {after})",
                before=format_time(before),
                after=format_time(after),
            )


def check_active_hours(start: time, end: time, name: str = "active_hours") -> None:
    if minutes_of(end) <= minutes_of(start):
        raise _refuse(
            name,
            "the active hours must end after they start ({start} to {end})",
            start=format_time(start),
            end=format_time(end),
        )
    if minutes_of(end) - minutes_of(start) < POSTURE_MIN_MINUTES:
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


ROUTINE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


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
            isinstance(r, str) and ROUTINE_ID.match(r) for r in value
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
# The stored form: a bad value falls back to its default, with a note
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
