"""One count, one noun: singular for exactly one, in English and German, wherever Coach counts."""

from __future__ import annotations

import pytest

from coach.core.content.model import Dosage, Walk
from coach.core.content.wording import NOUNS, count_text, dose_text, minutes_text

COUNTS: list[tuple[int, str, str, str]] = [
    (1, "minute", "1 minute", "1 Minute"),
    (2, "minute", "2 minutes", "2 Minuten"),
    (0, "minute", "0 minutes", "0 Minuten"),
    (1, "exercise", "1 exercise", "1 Übung"),
    (5, "exercise", "5 exercises", "5 Übungen"),
    (1, "session", "1 session", "1 Einheit"),
    (3, "session", "3 sessions", "3 Einheiten"),
    (1, "second", "1 second", "1 Sekunde"),
    (30, "second", "30 seconds", "30 Sekunden"),
    (1, "repetition", "1 repetition", "1 Wiederholung"),
    (1, "set", "1 set", "1 Durchgang"),
    (2, "set", "2 sets", "2 Durchgänge"),
    (1, "entry", "1 entry", "1 Eintrag"),
    (4, "entry", "4 entries", "4 Einträge"),
    (11, "day", "11 days", "11 Tage"),
    (21, "week", "21 weeks", "21 Wochen"),  # 21 is plural in both languages
]


@pytest.mark.parametrize(("n", "noun", "english", "german"), COUNTS)
def test_count_text(n: int, noun: str, english: str, german: str) -> None:
    assert count_text(n, noun, "en") == english
    assert count_text(n, noun, "de") == german


def test_every_noun_has_both_languages_and_both_forms() -> None:
    for noun in NOUNS:
        for lang in ("en", "de"):
            one, many = count_text(1, noun, lang), count_text(2, noun, lang)
            assert one.startswith("1 ") and many.startswith("2 ")
    with pytest.raises(KeyError):
        count_text(2, "minutes")  # the singular names the noun


DOSES: list[tuple[Dosage, str, str]] = [
    (Dosage(duration_s=60), "1 minute", "1 Minute"),
    (Dosage(duration_s=75), "1 minute", "1 Minute"),
    (Dosage(duration_s=120), "2 minutes", "2 Minuten"),
    (Dosage(reps=1), "once", "einmal"),
    (Dosage(reps=1, hold_s=30), "once, hold 30 s", "einmal, jeweils 30 s halten"),
    (Dosage(sets=2, reps=1), "2 sets of 1", "2 Durchgänge mit je 1 Wiederholung"),
    (Dosage(sets=2, reps=8), "2 sets of 8", "2 Durchgänge mit je 8 Wiederholungen"),
    (
        Dosage(walk=Walk(bouts=1, bout_s=300, break_s=60)),
        "1 walk",
        "1 Gehphase",
    ),
]


@pytest.mark.parametrize(("dose", "english", "german"), DOSES)
def test_a_dose_of_one_reads_in_the_singular(dose: Dosage, english: str, german: str) -> None:
    assert dose_text(dose, "en") == english
    assert dose_text(dose, "de") == german


def test_about_one_minute() -> None:
    assert minutes_text(50, "en") == "about 1 minute"
    assert minutes_text(50, "de") == "etwa 1 Minute"
    assert minutes_text(720, "en") == "about 12 minutes"
    assert minutes_text(720, "de") == "etwa 12 Minuten"
