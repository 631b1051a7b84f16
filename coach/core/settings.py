"""The person's preferences, kept as a small JSON file in the data folder.

A hand-edited or damaged file never stops the app: bad values fall back to
their defaults and the fallback is reported once, so the person can be told.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from coach.core.files import write_text_atomic

TEXT_SCALES = (100, 125, 150, 175, 200)


class Preferences(BaseModel):
    model_config = ConfigDict(extra="ignore", validate_assignment=True)

    language: Literal["en", "de"] = "en"
    text_scale: int = Field(125, ge=100, le=200, description="Text size in percent.")
    high_contrast: bool = False
    sound: bool = True
    voice: bool = True
    clinician_mode: bool = False


def load_preferences(path: Path) -> tuple[Preferences, list[str]]:
    """Preferences from ``path`` and notes about anything that was reset."""
    if not path.exists():
        return Preferences(), []
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        return Preferences(), [f"Settings file could not be read ({exc}); defaults are used."]
    if not isinstance(raw, dict):
        return Preferences(), ["Settings file is damaged; defaults are used."]
    notes: list[str] = []
    good: dict[str, object] = {}
    fields = Preferences.model_fields
    for key, value in raw.items():
        if key not in fields:
            continue
        try:
            Preferences.model_validate({key: value})
        except ValidationError:
            notes.append(f"Setting '{key}' had an impossible value ({value!r}); reset to default.")
            continue
        good[key] = value
    return Preferences.model_validate(good), notes


def save_preferences(path: Path, prefs: Preferences) -> None:
    write_text_atomic(path, prefs.model_dump_json(indent=2) + "\n")
