"""How a dose, a schedule and a date are put into words, in English and German.

One place for these words so that the routine page, the printed sheet and the
command line say the same thing ("10 times, hold 5 s, each side"). Pure
Python, no Qt.
"""

from __future__ import annotations

import datetime as dt

from coach.core.common.days import DAY_NAMES
from coach.core.content.model import Dosage, Schedule, Side

__all__ = ["DAY_NAMES"]  # the sheets take the day names from here

_WORDS: dict[str, dict[str, str]] = {
    "en": {
        "walks": "{bouts} walks with rests in between",
        "minutes": "{n} minutes",
        "about_minutes": "about {n} minutes",
        "times": "{n} times",
        "hold": "hold {n} s",
        "sets": "{sets} sets of {rest}",
        "both": "each side",
        "alternate": "each side, taking turns",
        "left": "left side only",
        "right": "right side only",
        "every_day": "every day",
        "times_a_day": "{n} times a day",
    },
    "de": {
        "walks": "{bouts} Gehphasen mit Pausen dazwischen",
        "minutes": "{n} Minuten",
        "about_minutes": "etwa {n} Minuten",
        "times": "{n}-mal",
        "hold": "{n} s halten",
        "sets": "{sets} Durchgänge, je {rest}",
        "both": "jede Seite",
        "alternate": "jede Seite, im Wechsel",
        "left": "nur links",
        "right": "nur rechts",
        "every_day": "jeden Tag",
        "times_a_day": "{n}-mal am Tag",
    },
}

_MONTHS: dict[str, tuple[str, ...]] = {
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
    "de": (
        "Januar",
        "Februar",
        "März",
        "April",
        "Mai",
        "Juni",
        "Juli",
        "August",
        "September",
        "Oktober",
        "November",
        "Dezember",
    ),
}


def _words(lang: str) -> dict[str, str]:
    return _WORDS.get(lang, _WORDS["en"])


def number_text(value: float, lang: str = "en") -> str:
    """12 -> "12", 1.5 -> "1.5" (English) or "1,5" (German)."""
    if float(value).is_integer():
        return str(int(value))
    text = f"{value:.1f}"
    return text.replace(".", ",") if lang == "de" else text


def dose_text(dose: Dosage, lang: str = "en") -> str:
    """A dose in a few words: "2 sets of 10 times, hold 5 s, each side"."""
    w = _words(lang)
    if dose.walk is not None:
        return w["walks"].format(bouts=dose.walk.bouts)
    if dose.duration_s:
        text = w["minutes"].format(n=max(1, round(dose.duration_s / 60)))
    else:
        text = w["times"].format(n=dose.reps)
        if dose.hold_s:
            text += ", " + w["hold"].format(n=number_text(dose.hold_s, lang))
        if dose.sets > 1:
            text = w["sets"].format(sets=dose.sets, rest=text)
    if dose.side is not Side.NONE:
        text += ", " + w[dose.side.value]
    return text


def minutes_text(seconds: float | None, lang: str = "en") -> str:
    """ "about 12 minutes", or "" when the length is unknown."""
    if seconds is None:
        return ""
    return _words(lang)["about_minutes"].format(n=max(1, round(seconds / 60)))


def schedule_text(schedule: Schedule, lang: str = "en") -> str:
    """How often, in words: the routine's own text, else built from days and times."""
    if schedule.text is not None:
        return schedule.text.get(lang)
    w = _words(lang)
    names = DAY_NAMES.get(lang, DAY_NAMES["en"])
    days = w["every_day"] if len(schedule.days) == 7 else ", ".join(names[d] for d in schedule.days)
    if schedule.times_per_day == 1:
        return days
    return f"{days}, {w['times_a_day'].format(n=schedule.times_per_day)}"


def date_text(day: dt.date, lang: str = "en") -> str:
    """A date written out, independent of the machine's locale: 3 March 2025 / 3. März 2025."""
    month = _MONTHS.get(lang, _MONTHS["en"])[day.month - 1]
    if lang == "de":
        return f"{day.day}. {month} {day.year}"
    return f"{day.day} {month} {day.year}"
