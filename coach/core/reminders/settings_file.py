"""``reminders.json``: the preferences, what already happened and the cached plan.

The schedule never reads or writes a file; this module does, for the tray, the
settings view and ``coach reminders`` alike. A damaged or hand-edited value
falls back to its default with a note, so a bad file never stops the reminders;
a file that cannot be read at all is kept (:mod:`coach.core.common.damaged`).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from coach.core.common.atomic import write_text_atomic
from coach.core.common.damaged import damaged_note, keep_if_damaged
from coach.core.common.days import WEEK
from coach.core.reminders.plan_entries import PlanEntry
from coach.core.reminders.preferences import ROUTINE_ID, ReminderPrefs, prefs_from_json
from coach.core.reminders.schedule import ReminderState

FILE_NAME = "reminders.json"
FILE_VERSION = 1


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
        | ({"times_per_week": e.times_per_week} if e.times_per_week else {})
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
            # Caches written before "n times a week" have no such key: fixed days.
            per_week = item.get("times_per_week")
            if (
                not isinstance(item["id"], str)
                or not ROUTINE_ID.match(item["id"])
                or not isinstance(title, dict)
                or not all(isinstance(k, str) and isinstance(v, str) for k, v in title.items())
                # A lone surrogate reads from JSON but could never be written back.
                or not all(_writable(k) and _writable(v) for k, v in title.items())
                or not (seconds is None or isinstance(seconds, int | float))
                or not isinstance(times, int)
                or not 1 <= times <= 3
                or not days
                or not (
                    per_week is None
                    or (type(per_week) is int and 1 <= per_week <= min(7, len(days)))
                )
            ):
                raise ValueError
            entries.append(PlanEntry(item["id"], title, seconds, times, days, per_week))
    except (TypeError, ValueError, KeyError, AttributeError):
        return (), ["The saved list of routines for reminders was damaged and is rebuilt."]
    return tuple(entries), []


def _writable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def settings_path(data_dir: Path) -> Path:
    return data_dir / FILE_NAME


def load_settings(path: Path) -> tuple[ReminderSettings, list[str]]:
    """Preferences and state from ``path`` and notes about anything that was reset."""
    if not path.exists():
        return ReminderSettings(), []
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        return ReminderSettings(), [
            f"The reminder settings could not be read ({exc}); defaults are used."
        ]
    except (ValueError, RecursionError) as exc:
        # Not UTF-8, not JSON, nested past Python's limit, or a number of
        # thousands of digits: all of them a damaged file, none a crash.
        return ReminderSettings(), [damaged_note(path, "The reminder settings", str(exc))]
    if not isinstance(raw, dict):
        return ReminderSettings(), [
            damaged_note(path, "The reminder settings", "not a JSON object")
        ]
    prefs, notes = prefs_from_json(raw)
    state, state_notes = ReminderState.from_json(raw.get("state"))
    plan, plan_notes = _plan_from_json(raw.get("plan"))
    return ReminderSettings(prefs, state, plan), notes + state_notes + plan_notes


def save_settings(path: Path, settings: ReminderSettings) -> Path | None:
    """Save; a damaged file in the way is kept first (returns the copy's path, or None)."""
    kept = keep_if_damaged(path, load_settings)
    data = {
        "version": FILE_VERSION,
        **settings.prefs.to_json(),
        "state": settings.state.to_json(),
        "plan": _plan_to_json(settings.plan),
    }
    write_text_atomic(path, json.dumps(data, indent=2, ensure_ascii=False) + "\n", mode=0o600)
    return kept
