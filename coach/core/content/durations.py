"""Durations as a clinician types them and reads them: "45 min", "1:30", "90 s".

The editor's duration fields take what a person naturally writes, in English
or German ("45 Min.", "90 Sek.", "1,5 min"), and a bare number means the unit
the field shows: "2" in a field showing minutes is two minutes, not two
seconds. Pure Python, no Qt, so the rules can be read and tested as a table
(tests/core/test_durations.py).
"""

from __future__ import annotations

import re
from typing import Literal

Unit = Literal["s", "min"]

_SECONDS_PER = {"h": 3600, "min": 60, "s": 1}

# Every word a person may put after a number, lower case and without a final
# dot ("Min." and "Sek." are the German abbreviations).
_UNIT_WORDS = {
    "h": (
        "h",
        "hr",
        "hrs",
        "hour",
        "hours",
        "std",
        "stunde",
        "stunden",
    ),
    "min": (
        "m",
        "min",
        "mins",
        "minute",
        "minutes",
        "minuten",
    ),
    "s": (
        "s",
        "sec",
        "secs",
        "second",
        "seconds",
        "sek",
        "sekunde",
        "sekunden",
    ),
}
_UNIT_OF = {word: unit for unit, words in _UNIT_WORDS.items() for word in words}

_NUMBER = r"\d+(?:[.,]\d+)?"
# One number and its unit word: "1,5 min", "90s", "2 Std."
_PART = re.compile(rf"\s*({_NUMBER})\s*([a-zäöü]+)?\.?\s*")
# Minutes and seconds with a colon, optionally hours first: "1:30", "1:05:00", "1:30 min"
_CLOCK = re.compile(r"\s*(?:(\d+):)?(\d+):(\d{2})\s*(?:min\.?|minuten)?\s*")

MAX_TEXT = 40
"""Longer text is not a duration; it is refused before any pattern looks at it."""


def parse_duration(text: str, unit: Unit = "s") -> float | None:
    """Seconds for ``text``, or None when it is not a duration.

    ``unit`` is what a bare number means (the unit the field shows).
    Accepted: "90", "90 s", "90 Sek.", "45 min", "45 Min.", "1,5 min",
    "1 min 30 s", "1m30s", "1:30" (minutes and seconds), "1:00:00", "1 h".
    """
    words = text.strip().lower()
    if not words or len(words) > MAX_TEXT:
        return None
    clock = _CLOCK.fullmatch(words)
    if clock is not None:
        hours, minutes, seconds = clock.groups()
        if int(seconds) >= 60 or (hours is not None and int(minutes) >= 60):
            return None
        return int(hours or 0) * 3600 + int(minutes) * 60 + int(seconds)
    total = 0.0
    units_seen: list[str] = []
    position = 0
    while position < len(words):
        part = _PART.match(words, position)
        if part is None or part.end() == position:
            return None
        number, word = part.groups()
        if word is None:
            # A bare number only on its own: in "1 min 30" the 30 is a guess.
            if units_seen or part.end() != len(words):
                return None
            part_unit: str = unit
        elif word in _UNIT_OF:
            part_unit = _UNIT_OF[word]
        else:
            return None
        if part_unit in units_seen:
            return None  # "1 min 2 min": a typing slip, not a sum
        if units_seen and _SECONDS_PER[part_unit] > _SECONDS_PER[units_seen[-1]]:
            return None  # "30 s 1 min": larger units come first
        units_seen.append(part_unit)
        total += float(number.replace(",", ".")) * _SECONDS_PER[part_unit]
        position = part.end()
    return total


_SHOWN = {
    "en": {"min": "min", "s": "s"},
    "de": {"min": "Min.", "s": "Sek."},
}


def duration_text(seconds: float, unit: Unit = "s", lang: str = "en") -> str:
    """A duration as its field shows it, in the field's unit.

    Minutes: "10 min", "1 min 30 s" ("10 Min.", "1 Min. 30 Sek."); seconds:
    "90 s" ("90 Sek."). Whole seconds only: the fields hold whole seconds.
    """
    words = _SHOWN.get(lang, _SHOWN["en"])
    whole = max(0, round(seconds))
    if unit == "s":
        return f"{whole} {words['s']}"
    minutes, rest = divmod(whole, 60)
    if rest == 0:
        return f"{minutes} {words['min']}"
    if minutes == 0:
        return f"{rest} {words['s']}"
    return f"{minutes} {words['min']} {rest} {words['s']}"
