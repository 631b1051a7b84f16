"""The days of the week: their keys and names, for files, screens and paper.

Kept free of other imports so that the reminders (``coach --tray``) can use it
without loading the model.
"""

from __future__ import annotations

from typing import Literal

Day = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
WEEK: tuple[Day, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
"""Monday first, as ``date.weekday()`` counts."""

DAY_NAMES: dict[str, dict[Day, str]] = {
    "en": dict(zip(WEEK, ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"), strict=True)),
    "de": dict(zip(WEEK, ("Mo", "Di", "Mi", "Do", "Fr", "Sa", "So"), strict=True)),
}
"""Short names per language, for tick grids, lists and the reminders."""

DAY_NAMES_LONG_EN: dict[Day, str] = dict(
    zip(
        WEEK,
        ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
        strict=True,
    )
)
"""Full English names; the screens translate them with ``T()``."""
