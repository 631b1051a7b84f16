"""The person's preferences, kept as a small JSON file in the data folder.

A hand-edited or damaged file never stops the app: bad values fall back to
their defaults and each fallback is reported, so the person can be told. A file
that cannot be read at all is kept (:mod:`coach.core.common.damaged`).
Plain dataclasses on purpose: the preferences are needed before the first
window appears, and importing the validation library would delay it.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import Any

from coach.core.common.atomic import write_text_atomic
from coach.core.common.damaged import damaged_note, keep_if_damaged

TEXT_SCALES = (100, 125, 150, 175, 200)
LANGUAGES = ("en", "de")


@dataclass(frozen=True)
class Preferences:
    language: str = "en"
    text_scale: int = 125  # percent
    high_contrast: bool = False
    sound: bool = True
    voice: bool = True
    clinician_mode: bool = False

    def __post_init__(self) -> None:
        for f in fields(self):
            problem = _problem(f.name, getattr(self, f.name))
            if problem:
                raise ValueError(f"{f.name}: {problem}")

    def changed(self, **values: Any) -> Preferences:
        return replace(self, **values)


def _problem(name: str, value: object) -> str | None:
    if name == "language":
        return None if value in LANGUAGES else f"must be one of {', '.join(LANGUAGES)}"
    if name == "text_scale":
        ok = isinstance(value, int) and not isinstance(value, bool) and 100 <= value <= 200
        return None if ok else "must be a whole number from 100 to 200"
    return None if isinstance(value, bool) else "must be true or false"


def load_preferences(path: Path) -> tuple[Preferences, list[str]]:
    """Preferences from ``path`` and notes about anything that was reset."""
    if not path.exists():
        return Preferences(), []
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        return Preferences(), [f"The settings file could not be read ({exc}); defaults are used."]
    except (ValueError, RecursionError) as exc:
        # Not UTF-8, not JSON, nested past Python's limit, or a number of
        # thousands of digits: all of them a damaged file, none a crash.
        return Preferences(), [damaged_note(path, "The settings file", str(exc))]
    if not isinstance(raw, dict):
        return Preferences(), [damaged_note(path, "The settings file", "not a JSON object")]
    known = {f.name for f in fields(Preferences)}
    notes: list[str] = []
    good: dict[str, Any] = {}
    for key, value in raw.items():
        if key not in known:
            continue
        problem = _problem(key, value)
        if problem:
            notes.append(f"Setting '{key}' had an impossible value ({value!r}); reset to default.")
            continue
        good[key] = value
    return Preferences(**good), notes


def save_preferences(path: Path, prefs: Preferences) -> Path | None:
    """Save; a damaged file in the way is kept first (returns the copy's path, or None)."""
    kept = keep_if_damaged(path, load_preferences)
    write_text_atomic(path, json.dumps(asdict(prefs), indent=2) + "\n", mode=0o600)
    return kept
