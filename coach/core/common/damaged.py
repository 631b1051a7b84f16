"""A damaged settings file is kept, never silently replaced.

When ``settings.json``, ``reminders.json`` or ``profile.json`` cannot be read
(cut short, garbage, not UTF-8, not the expected kind of JSON), Coach uses
defaults but keeps the file: before anything new is saved in its place, the
damaged file is copied to ``NAME.damaged-YYYY-MM-DD.json`` next to it
(owner-only). The loaders say so with a :class:`DamagedNote`, which is an
ordinary note (a string) that also carries the file's path, so the app can
tell the person where the copy is and ask before replacing the file.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from coach.core.common.atomic import write_bytes_atomic

if TYPE_CHECKING:
    from datetime import date  # imported when used: the settings load before the window


class DamagedNote(str):
    """A note saying that ``path`` could not be read at all; defaults are used."""

    path: Path
    why: str

    def __new__(cls, text: str, *, path: Path, why: str) -> DamagedNote:
        note = super().__new__(cls, text)
        note.path = path
        note.why = why
        return note


def damaged_note(path: Path, what: str, why: str) -> DamagedNote:
    """The loaders' note for a file that could not be read (``what``: "The settings file")."""
    keep = kept_name(path)
    text = (
        f"{what} ({path.name}) could not be read ({why}); defaults are used. "
        f"The damaged file is kept: before anything new is saved, it is copied to {keep.name}."
    )
    return DamagedNote(text, path=path, why=why)


def damaged_in(notes: Sequence[str]) -> DamagedNote | None:
    """The note about a damaged file among a loader's notes, if there is one."""
    return next((n for n in notes if isinstance(n, DamagedNote)), None)


def kept_name(path: Path, today: date | None = None, number: int = 1) -> Path:
    """``reminders.json`` -> ``reminders.damaged-2025-06-03.json`` (``-2`` etc. on clashes)."""
    from datetime import date

    day = (today or date.today()).isoformat()
    tail = "" if number == 1 else f"-{number}"
    return path.with_name(f"{path.stem}.damaged-{day}{tail}{path.suffix}")


def keep_damaged(path: Path, today: date | None = None) -> Path:
    """Copy the damaged file aside (0600) and return the copy's path.

    The same content is kept once: a file that stays damaged over several days
    is not copied again at every start. Raises ``OSError`` when the file
    cannot be read or the copy cannot be written (then nothing may replace it).
    """
    data = path.read_bytes()
    for earlier in sorted(path.parent.glob(f"{path.stem}.damaged-*{path.suffix}")):
        try:
            if earlier.read_bytes() == data:
                return earlier
        except OSError:
            continue
    number = 1
    while (target := kept_name(path, today, number)).exists():
        number += 1
    write_bytes_atomic(target, data, mode=0o600)
    return target


Loader = Callable[[Path], tuple[object, Sequence[str]]]


def keep_if_damaged(path: Path, load: Loader) -> Path | None:
    """Before ``path`` is replaced: keep a copy when ``load`` finds it damaged.

    Every save of the three files goes through here, so no caller (the
    window, the tray, a command, an installed plan) can overwrite a damaged
    file without its copy. Returns the copy's path, or None.
    """
    if not path.exists():
        return None
    path.read_bytes()  # a file that cannot even be read is not replaced either (OSError)
    _value, notes = load(path)
    if damaged_in(notes) is None:
        return None
    return keep_damaged(path)
