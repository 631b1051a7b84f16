"""How a dose, a schedule and a date are put into words, in English and German.

One place for these words so that the routine page, the printed sheet and the
command line say the same thing ("10 times each side, hold 5 s, start on the
right"). Each text is composed to read as one phrase in its language
(tests/core/test_composed_sentences.py reads them whole). A count and its noun
("1 minute", "2 minutes", „1 Übung“) come from :func:`count_text`, here too,
so that every screen and sheet gets the singular right. Pure Python, no Qt.
"""

from __future__ import annotations

import datetime as dt

from coach.core.common.days import DAY_NAMES, WEEK
from coach.core.content.model import Dosage, Schedule, Side, Walk

__all__ = ["DAY_NAMES"]  # the sheets take the day names from here

_WORDS: dict[str, dict[str, str]] = {
    "en": {
        "walks": "{bouts} walks with rests in between",
        "walks_1": "1 walk",
        "about": "about {minutes}",
        "times": "{n} times",
        "times_1": "once",
        "hold": "hold {n} s",
        "sets": "{sets} sets of {reps}",
        "each_side": "{count} each side",
        # The side phrase ends the dose: "10 times each side, start on the right".
        "both": "start on the {first}",
        "alternate": "{first} and {second} taking turns",
        "left": "left side only",
        "right": "right side only",
        "side_right": "right",
        "side_left": "left",
        "every_day": "every day",
        "and": "{days} and {last}",
        "times_a_day": "{days}, {times} a day",
        "one_day_times": "{days}, {times} a day",
        "every_day_times": "{times} a day",
        "times_2": "twice",
        "times_3": "3 times",
        "per_week": "{n} × a week",
        "per_week_on": "{n} × a week, choosing from {days}",
    },
    "de": {
        "walks": "{bouts} Gehphasen mit Pausen dazwischen",
        "walks_1": "1 Gehphase",
        "about": "etwa {minutes}",
        "times": "{n}-mal",
        "times_1": "einmal",
        "hold": "jeweils {n} s halten",
        "sets": "{sets} Durchgänge mit je {reps}",
        "each_side": "{count} pro Seite",
        # „10-mal pro Seite, jeweils 5 s halten, rechts beginnen“
        "both": "{first} beginnen",
        "alternate": "{first} und {second} im Wechsel",
        "left": "nur links",
        "right": "nur rechts",
        "side_right": "rechts",
        "side_left": "links",
        "every_day": "jeden Tag",
        "and": "{days} und {last}",
        "times_a_day": "{days}, jeweils {times} am Tag",
        "one_day_times": "{days}, {times} am Tag",
        "every_day_times": "{times} am Tag",
        "times_2": "zweimal",
        "times_3": "dreimal",
        "per_week": "{n}-mal pro Woche",
        "per_week_on": "{n}-mal pro Woche, an Tagen Ihrer Wahl: {days}",
    },
}

_NOUNS: dict[str, dict[str, tuple[str, str]]] = {
    "en": {
        "minute": ("minute", "minutes"),
        "second": ("second", "seconds"),
        "hour": ("hour", "hours"),
        "day": ("day", "days"),
        "week": ("week", "weeks"),
        "exercise": ("exercise", "exercises"),
        "routine": ("routine", "routines"),
        "session": ("session", "sessions"),
        "repetition": ("repetition", "repetitions"),
        "set": ("set", "sets"),
        "walk": ("walk", "walks"),
        "time": ("time", "times"),
        "entry": ("entry", "entries"),
        "file": ("file", "files"),
        "problem": ("problem", "problems"),
    },
    "de": {
        "minute": ("Minute", "Minuten"),
        "second": ("Sekunde", "Sekunden"),
        "hour": ("Stunde", "Stunden"),
        "day": ("Tag", "Tage"),
        "week": ("Woche", "Wochen"),
        "exercise": ("Übung", "Übungen"),
        "routine": ("Übungsfolge", "Übungsfolgen"),
        "session": ("Einheit", "Einheiten"),
        "repetition": ("Wiederholung", "Wiederholungen"),
        "set": ("Durchgang", "Durchgänge"),
        "walk": ("Gehphase", "Gehphasen"),
        "time": ("Mal", "Mal"),
        "entry": ("Eintrag", "Einträge"),
        "file": ("Datei", "Dateien"),
        "problem": ("Problem", "Probleme"),
    },
}
"""A noun's singular and plural, as they follow a number (German: the nominative
and accusative, which is what follows a count in Coach's sentences; for the
feminine nouns every case)."""

NOUNS = tuple(_NOUNS["en"])


def count_text(n: int, noun: str, lang: str = "en") -> str:
    """A count and its noun, singular for exactly one: "1 minute", "2 minutes", "0 exercises";
    „1 Minute“, „2 Minuten“, „1 Übung“.

    ``noun`` is one of :data:`NOUNS` (the English singular); an unknown noun
    is a programming error and raises KeyError.
    """
    nouns = _NOUNS.get(lang, _NOUNS["en"])
    one, many = nouns[noun]
    return f"{n} {one if n == 1 else many}"


_DAY_NAMES_LONG: dict[str, tuple[str, ...]] = {
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
    "de": ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"),
}
"""Written out in a schedule: "Monday, Wednesday and Friday"."""

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


def dose_text(dose: Dosage, lang: str = "en", first: Side = Side.RIGHT) -> str:
    """A dose in a few words, read as one phrase.

    "10 times, hold 5 s"; "2 sets of 10 each side, hold 5 s, start on the
    right"; "10 times each side, right and left taking turns"; "10 times, left
    side only". ``first`` is the side the player starts with
    (``coach.core.session.plan.FIRST_SIDE``, which this room may not import;
    a test keeps the two the same).
    """
    w = _words(lang)
    if dose.walk is not None:
        return walk_text(dose.walk, lang, short=True)
    if dose.duration_s:
        count = count_text(max(1, round(dose.duration_s / 60)), "minute", lang)
    elif dose.sets > 1:
        # "2 sets of 1" reads well in English; German says what the 1 is.
        reps = count_text(dose.reps, "repetition", lang) if lang == "de" else str(dose.reps)
        count = w["sets"].format(sets=dose.sets, reps=reps)
    elif dose.reps == 1:
        count = w["times_1"]
    else:
        count = w["times"].format(n=dose.reps)
    if dose.side in (Side.BOTH, Side.ALTERNATE):
        count = w["each_side"].format(count=count)
    parts = [count]
    if dose.hold_s and not dose.duration_s:
        parts.append(w["hold"].format(n=number_text(dose.hold_s, lang)))
    second = Side.LEFT if first is Side.RIGHT else Side.RIGHT
    names = {"first": w[f"side_{first.value}"], "second": w[f"side_{second.value}"]}
    if dose.side is not Side.NONE:
        parts.append(w[dose.side.value].format(**names))
    return ", ".join(parts)


_WALK_WORDS: dict[str, dict[str, str]] = {
    "en": {
        "treadmill_level": "on a treadmill with no slope",
        "treadmill_uphill": "uphill on a treadmill",
        "up_to": "up to {length}",
        "share": "{share} % of the time to first symptoms",
        "share_max": "{share} % of the time to first symptoms, at most {length}",
        "stop": "ending at the first symptoms",
        "rest_C2": "rest sitting, leaning forward",
        "rest_S9": "rest leaning forward on a support",
    },
    "de": {
        "treadmill_level": "auf dem Laufband ohne Steigung",
        "treadmill_uphill": "bergauf auf dem Laufband",
        "up_to": "bis zu {length}",
        "share": "{share} % der Zeit bis zu den ersten Beschwerden",
        "share_max": "{share} % der Zeit bis zu den ersten Beschwerden, höchstens {length}",
        "stop": "Ende bei den ersten Beschwerden",
        "rest_C2": "Pause im Sitzen, nach vorne gebeugt",
        "rest_S9": "Pause nach vorne gebeugt abgestützt",
    },
}


def walk_text(walk: Walk, lang: str = "en", *, short: bool = False) -> str:
    """A walk dose in words: how many walks, where, how long, how it ends.

    "4 walks with rests in between, 6 minutes, rest sitting, leaning forward";
    "1 walk, on a treadmill with no slope, up to 45 minutes, ending at the
    first symptoms". A walk outdoors says nothing about where. ``short`` (the
    one-line dose of lists) leaves out the length and the rest.
    """
    w = _words(lang)
    ww = _WALK_WORDS.get(lang, _WALK_WORDS["en"])
    parts = [w["walks_1"] if walk.bouts == 1 else w["walks"].format(bouts=walk.bouts)]
    if walk.kind.value in ww:
        parts.append(ww[walk.kind.value])
    if short:
        if walk.stop_at_first_symptoms:
            parts.append(ww["stop"])
        return ", ".join(parts)
    longest = walk.bout_s if walk.max_s is None else min(walk.bout_s, walk.max_s)
    if walk.from_walking_test is None:
        length = count_text(max(1, round(longest / 60)), "minute", lang)
        parts.append(ww["up_to"].format(length=length) if walk.stop_at_first_symptoms else length)
    else:
        share = number_text(round(walk.from_walking_test * 100), lang)
        if walk.max_s is None:
            parts.append(ww["share"].format(share=share))
        else:
            length = count_text(max(1, round(walk.max_s / 60)), "minute", lang)
            parts.append(ww["share_max"].format(share=share, length=length))
    if walk.stop_at_first_symptoms:
        parts.append(ww["stop"])
    rest = f"rest_{walk.break_exercise}"
    if walk.bouts > 1 and rest in ww:
        parts.append(ww[rest])
    return ", ".join(parts)


def minutes_text(seconds: float | None, lang: str = "en") -> str:
    """ "about 12 minutes", or "" when the length is unknown."""
    if seconds is None:
        return ""
    minutes = count_text(max(1, round(seconds / 60)), "minute", lang)
    return _words(lang)["about"].format(minutes=minutes)


def schedule_text(schedule: Schedule, lang: str = "en") -> str:
    """How often, in words: the routine's own text, else built from days and times.

    "every day"; "twice a day"; "Monday, Wednesday and Friday"; "Monday and
    Thursday, twice a day".
    """
    if schedule.text is not None:
        return schedule.text.get(lang)
    w = _words(lang)
    every_day = len(schedule.days) == 7
    times = schedule.times_per_day  # 1 to 3
    times_word = w.get(f"times_{times}", "")
    if schedule.times_per_week is not None:
        weekly = w["per_week"].format(n=schedule.times_per_week)
        if not every_day:
            days = _listed_days(schedule, lang)
            weekly = w["per_week_on"].format(n=schedule.times_per_week, days=days)
        return weekly if times == 1 else w["times_a_day"].format(days=weekly, times=times_word)
    if times > 1 and every_day:
        return w["every_day_times"].format(times=times_word)
    days = w["every_day"] if every_day else _listed_days(schedule, lang)
    if times == 1:
        return days
    key = "one_day_times" if len(schedule.days) == 1 else "times_a_day"
    return w[key].format(days=days, times=times_word)


def _listed_days(schedule: Schedule, lang: str) -> str:
    """ "Monday, Wednesday and Friday" in the week's order."""
    names = _DAY_NAMES_LONG.get(lang, _DAY_NAMES_LONG["en"])
    listed = [names[WEEK.index(d)] for d in sorted(schedule.days, key=WEEK.index)]
    if len(listed) == 1:
        return listed[0]
    return _words(lang)["and"].format(days=", ".join(listed[:-1]), last=listed[-1])


def date_text(day: dt.date, lang: str = "en") -> str:
    """A date written out, independent of the machine's locale: 3 March 2025 / 3. März 2025."""
    month = _MONTHS.get(lang, _MONTHS["en"])[day.month - 1]
    if lang == "de":
        return f"{day.day}. {month} {day.year}"
    return f"{day.day} {month} {day.year}"
