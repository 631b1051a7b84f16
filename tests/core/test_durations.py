"""Durations as a clinician types them, in English and German, and as the fields show them."""

from __future__ import annotations

import pytest

from coach.core.content.durations import duration_text, parse_duration

# (typed, the unit the field shows, seconds or None for "not a duration")
TYPED: list[tuple[str, str, float | None]] = [
    # A bare number is the field's own unit.
    ("90", "s", 90),
    ("2", "min", 120),
    ("1,5", "min", 90),
    ("1.5", "min", 90),
    ("0", "s", 0),
    # Seconds and minutes, English.
    ("90 s", "min", 90),
    ("90s", "min", 90),
    ("90 sec", "min", 90),
    ("90 seconds", "min", 90),
    ("45 min", "s", 2700),
    ("45 minutes", "s", 2700),
    ("1 minute", "s", 60),
    ("45m", "s", 2700),
    ("1 h", "s", 3600),
    ("1 hour", "s", 3600),
    ("1 min 30 s", "s", 90),
    ("1m30s", "s", 90),
    ("1 h 15 min", "s", 4500),
    # German.
    ("45 Min.", "s", 2700),
    ("45 Minuten", "s", 2700),
    ("90 Sek.", "min", 90),
    ("90 Sekunden", "min", 90),
    ("1 Min. 30 Sek.", "s", 90),
    ("1,5 Min.", "s", 90),
    ("1 Std.", "s", 3600),
    ("2 Stunden", "s", 7200),
    # Minutes and seconds with a colon, whatever the field shows.
    ("1:30", "s", 90),
    ("1:30", "min", 90),
    ("0:45", "min", 45),
    ("10:00", "s", 600),
    ("1:30 min", "s", 90),
    ("1:00:00", "s", 3600),
    # Spaces and capitals do not matter.
    ("  45   MIN  ", "s", 2700),
    # Not durations: nothing changes in the field.
    ("", "s", None),
    ("   ", "min", None),
    ("abc", "s", None),
    ("min", "s", None),
    ("-5", "s", None),
    ("5 days", "s", None),
    ("1:75", "s", None),  # 75 seconds is not a second count
    ("1:60:00", "s", None),
    ("1:5", "s", None),  # minutes:seconds has two digits of seconds
    ("1 min 30", "s", None),  # the 30 is a guess: seconds or minutes?
    ("1 min 2 min", "s", None),
    ("30 s 1 min", "s", None),
    ("1.5.3", "s", None),
    ("1 000", "s", None),
    ("9" * 50, "s", None),
]


@pytest.mark.parametrize(("typed", "unit", "seconds"), TYPED)
def test_typed_durations(typed: str, unit: str, seconds: float | None) -> None:
    assert parse_duration(typed, unit) == seconds  # type: ignore[arg-type]


# (seconds, unit, English, German)
SHOWN: list[tuple[float, str, str, str]] = [
    (600, "min", "10 min", "10 Min."),
    (90, "min", "1 min 30 s", "1 Min. 30 Sek."),
    (45, "min", "45 s", "45 Sek."),
    (7200, "min", "120 min", "120 Min."),
    (90, "s", "90 s", "90 Sek."),
    (0, "s", "0 s", "0 Sek."),
    (89.6, "s", "90 s", "90 Sek."),
]


@pytest.mark.parametrize(("seconds", "unit", "english", "german"), SHOWN)
def test_shown_durations(seconds: float, unit: str, english: str, german: str) -> None:
    assert duration_text(seconds, unit, "en") == english  # type: ignore[arg-type]
    assert duration_text(seconds, unit, "de") == german  # type: ignore[arg-type]


@pytest.mark.parametrize("seconds", [0, 5, 45, 60, 90, 600, 3599, 7200])
@pytest.mark.parametrize("unit", ["s", "min"])
@pytest.mark.parametrize("lang", ["en", "de"])
def test_what_a_field_shows_reads_back_as_the_same_duration(
    seconds: int, unit: str, lang: str
) -> None:
    shown = duration_text(seconds, unit, lang)  # type: ignore[arg-type]
    assert parse_duration(shown, unit) == seconds  # type: ignore[arg-type]
