"""A damaged settings.json, reminders.json or profile.json is kept, never silently replaced.

Real files in a tmp data folder: each is cut short or filled with garbage, read
(defaults, and a note that says it is damaged and will be kept), then saved
over: the damaged bytes survive as NAME.damaged-DATE.json (owner-only).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from coach.core.common.damaged import DamagedNote, damaged_in, keep_damaged, kept_name
from coach.core.common.settings import Preferences, load_preferences, save_preferences
from coach.core.reminders.settings_file import ReminderSettings, load_settings, save_settings
from coach.core.session.profile import HealthProfile, load_profile, save_profile

Load = Callable[[Path], tuple[Any, list[str]]]
Save = Callable[[Path, Any], Path | None]

KINDS: list[tuple[str, Load, Save, Any]] = [
    ("settings.json", load_preferences, save_preferences, Preferences(text_scale=150)),
    ("reminders.json", load_settings, save_settings, ReminderSettings()),
    ("profile.json", load_profile, save_profile, HealthProfile(completed=True)),
]
DAMAGE = {
    "cut short": b'{"language": "de", "text_sc',
    "garbage": b"\x00\xff\xfe garbage \x89PNG",
    "not an object": b'["language", "de"]\n',
}


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.parametrize("damage", list(DAMAGE), ids=list(DAMAGE))
@pytest.mark.parametrize(("name", "load", "save", "value"), KINDS, ids=[k[0] for k in KINDS])
def test_a_damaged_file_is_kept_before_it_is_replaced(
    tmp_path: Path, name: str, load: Load, save: Save, value: Any, damage: str
) -> None:
    path = tmp_path / name
    damaged = DAMAGE[damage]
    path.write_bytes(damaged)

    loaded, notes = load(path)
    assert loaded in (Preferences(), ReminderSettings(), None)  # the defaults (no profile)
    note = damaged_in(notes)
    assert isinstance(note, DamagedNote), notes
    assert note.path == path
    assert kept_name(path).name in note  # the note says where it will be kept
    assert path.read_bytes() == damaged  # reading changes nothing

    kept = save(path, value)
    assert kept == kept_name(path)
    assert kept.name == f"{path.stem}.damaged-{date.today().isoformat()}.json"
    assert kept.read_bytes() == damaged
    assert _mode(kept) == 0o600
    assert damaged_in(load(path)[1]) is None  # the new file reads back

    # Saving again keeps no second copy: the damaged file was already kept.
    assert save(path, value) is None
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([name, kept.name])


def test_a_sound_file_is_replaced_without_a_copy(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    assert save_preferences(path, Preferences()) is None
    assert save_preferences(path, Preferences(text_scale=200)) is None
    assert [p.name for p in tmp_path.iterdir()] == ["settings.json"]


def test_the_same_damage_is_kept_once_and_new_damage_again(tmp_path: Path) -> None:
    path = tmp_path / "reminders.json"
    path.write_bytes(b"{oops")
    first = keep_damaged(path, date(2026, 3, 1))
    assert keep_damaged(path, date(2026, 3, 2)) == first  # same bytes, another day
    path.write_bytes(b"{other damage")
    second = keep_damaged(path, date(2026, 3, 1))
    assert second.name == "reminders.damaged-2026-03-01-2.json"
    assert first.read_bytes() == b"{oops"
    assert second.read_bytes() == b"{other damage"


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads every file")
def test_a_file_that_cannot_be_read_is_not_replaced(tmp_path: Path) -> None:
    path = tmp_path / "profile.json"
    path.write_bytes(b"{}")
    path.chmod(0o000)
    try:
        with pytest.raises(PermissionError):
            save_profile(path, HealthProfile(completed=True))
    finally:
        path.chmod(0o600)
    assert path.read_bytes() == b"{}"
