"""The printed sheet's composed texts, read back whole from a real PDF.

The stop box puts its title and the stop reasons together ("Stop the exercise
and rest if:" + "the pain spreads further down your leg than usual"), the
pain rule takes its numbers from the rule itself, and each dose box fact is a
number between words ("Hold" + "5" + "seconds"; "Both sides," + "start on the
right"). Each test prints a sheet with the same code as the printer, extracts
its text with pypdf and looks for the whole sentences, in English and German.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path

import pytest
from pypdf import PdfReader

from coach.core.common.paths import resolve
from coach.core.content.library import Library
from coach.core.content.model import Routine, RoutineItem, Side, Text, Walk
from coach.core.session.plan import FIRST_SIDE
from coach.core.session.stop_rules import PAIN_CEILING, PAIN_MAX_RISE
from coach.sheets.pdf import write_routine_pdf
from coach.sheets.routine_sheet import SheetData


def squash(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory, qapp: object) -> Library:
    return Library.load(resolve(tmp_path_factory.mktemp("words") / "data"), include_user=False)


@pytest.fixture(scope="module")
def sheets(library: Library, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """One sheet per language with every kind of dose, as one squashed text."""
    routine = Routine(
        id="every-dose",
        title=Text.of("Every kind of dose", "Jede Art von Dosis"),
        description=Text.of("For the test.", "Für den Test."),
        items=[
            RoutineItem(exercise="P1", side=Side.NONE, reps=10, hold_s=5),
            RoutineItem(exercise="C6", side=Side.BOTH, sets=2, reps=10, rest_s=45),
            RoutineItem(exercise="S8", side=Side.ALTERNATE, reps=10),
            RoutineItem(exercise="C4", side=Side.LEFT, reps=8, hold_s=5, load="1 kg"),
            RoutineItem(
                exercise="A3",
                walk=Walk(bouts=3, bout_s=300, break_s=90, from_walking_test=0.8),
            ),
        ],
    )
    out = tmp_path_factory.mktemp("words-pdf")
    texts = {}
    for lang in ("en", "de"):
        path = out / f"every-dose-{lang}.pdf"
        write_routine_pdf(path, SheetData(routine, library, lang), "a4")
        texts[lang] = squash(" ".join(page.extract_text() for page in PdfReader(path).pages))
    return texts


def in_order(text: str, sentences: list[str]) -> None:
    """Each sentence is on the sheet whole, and they follow one another."""
    at = 0
    for sentence in sentences:
        found = text.find(sentence, at)
        assert found >= 0, f"not on the sheet (after position {at}): {sentence!r}"
        at = found + len(sentence)


STOP_BOX = {
    "en": [
        "Stop the exercise and rest if:",
        "the pain spreads further down your leg than usual",
        "you notice new numbness or weakness",
        "you feel a sharp pain",
        "your pain rises more than 2 points above how it was before you started, or reaches "
        "6 out of 10 or more when that is more than your usual pain",
        "you feel dizzy, or you have chest pain or trouble breathing",
        "Rest in a position that eases your back: sit and lean forward, or lie on your back "
        "with your lower legs on a chair.",
        "Worse than usual the next morning? Make the next session one step easier.",
    ],
    "de": [
        "Hören Sie mit der Übung auf und ruhen Sie sich aus, wenn:",
        "der Schmerz weiter ins Bein ausstrahlt als sonst",
        "Sie eine neue Taubheit oder Schwäche bemerken",
        "Sie einen stechenden Schmerz spüren",
        "Ihr Schmerz um mehr als 2 Punkte über den Wert vor dem Üben steigt oder 6 von 10 oder "
        "mehr erreicht und damit stärker ist als Ihr gewohnter Schmerz",
        "Ihnen schwindelig wird oder Sie Schmerzen in der Brust oder Atemnot haben",
        "Ruhen Sie sich in einer Haltung aus, die den Rücken entlastet: sitzen und nach vorn "
        "beugen, oder auf dem Rücken liegen, die Unterschenkel auf einem Stuhl.",
        "Am nächsten Morgen schlechter als sonst? Üben Sie beim nächsten Mal eine Stufe leichter.",
    ],
}


@pytest.mark.parametrize("lang", ["en", "de"])
def test_the_stop_box_reads_as_whole_sentences_in_one_voice(
    sheets: dict[str, str], lang: str
) -> None:
    # The sentences name the rule's numbers; a new rule needs new sentences.
    assert (PAIN_MAX_RISE, PAIN_CEILING) == (2, 6)
    text = sheets[lang]
    in_order(text, STOP_BOX[lang])
    # One voice: the box speaks to the reader, never as them.
    title, *bullets = STOP_BOX[lang][:6]
    mine = {"en": (" my ", "I "), "de": ("Mein ", "mein ", "Ich ")}[lang]
    box = text[text.find(title) : text.find(bullets[-1]) + len(bullets[-1])]
    assert not [w for w in mine if w in box], box


DOSE_BOX = {
    "en": {
        "P1": ["10 times", "Hold 5 seconds", "1 set"],
        "C6": [
            "10 times each side",
            "2 sets",
            "45 seconds rest between sets",
            "Both sides, start on the right",
        ],
        "S8": ["10 times each side", "1 set", "Right and left, taking turns"],
        "C4": ["8 times", "Hold 5 seconds", "1 set", "Left side only", "Weight or band: 1 kg"],
        "A3": [
            "3 walks",
            "80 % of your walking-test time, each walk",
            "1.5 minutes rest after each walk",
            # The walk in full words: the break stands, leaning on a support (S9).
            "3 walks with rests in between, 80 % of the time to first symptoms, "
            "rest leaning forward on a support.",
        ],
    },
    "de": {
        "P1": ["10 Wiederholungen", "5 Sekunden halten", "1 Durchgang"],
        "C6": [
            "10 Wiederholungen je Seite",
            "2 Durchgänge",
            "45 Sekunden Pause zwischen den Durchgängen",
            "Beide Seiten, rechts beginnen",
        ],
        "S8": ["10 Wiederholungen je Seite", "1 Durchgang", "Rechts und links im Wechsel"],
        "C4": [
            "8 Wiederholungen",
            "5 Sekunden halten",
            "1 Durchgang",
            "Nur links",
            "Gewicht oder Band: 1 kg",
        ],
        "A3": [
            "3 Gehphasen",
            "80 % Ihrer Zeit aus dem Gehtest, je Gehphase",
            "1,5 Minuten Pause nach jeder Gehphase",
            "3 Gehphasen mit Pausen dazwischen, 80 % der Zeit bis zu den ersten Beschwerden, "
            "Pause nach vorne gebeugt abgestützt.",
        ],
    },
}


@pytest.mark.parametrize("lang", ["en", "de"])
def test_every_dose_box_fact_reads_as_one_phrase(
    sheets: dict[str, str], library: Library, lang: str
) -> None:
    assert FIRST_SIDE is Side.RIGHT  # "start on the right" / „rechts beginnen“
    text = sheets[lang]
    for ident, phrases in DOSE_BOX[lang].items():
        title = library.exercises[ident].title.get(lang)
        start = text.find(squash(title))
        assert start >= 0, title
        in_order(text[start:], phrases)
    for broken in ("Each side sides", "sides taking turns", "Jede Seite", "zuerst rechts"):
        assert broken not in text


@pytest.mark.parametrize("lang", ["en", "de"])
def test_the_warning_signs_are_whole_and_complete(sheets: dict[str, str], lang: str) -> None:
    text = sheets[lang]
    expected = {
        "en": [
            "Call 112 now – even at night – if you notice any of these, and it is new or worse "
            "than usual:",
            "Numbness or a change of feeling in the saddle area (groin, genitals, inner thighs "
            "or buttocks), even in a small patch",
            "a weak stream",
            "not feeling your bowel fill",
            "A change in your sexual function",
            "Weakness in a leg that is new or getting worse",
            "New pain or tingling in both legs",
            "Chest pain or pressure that does not ease after a few minutes of rest",
            "Sudden weakness or drooping of the face, an arm or a leg on one side",
            "Sudden severe back or belly pain with feeling faint",
            "A leg that suddenly turns cold, pale and painful",
            "A fall with a knock to the head while you take blood thinners",
            "Do not wait to see if it passes. Do not exercise.",
            "Do not exercise today, and speak to a doctor today, if you have:",
            "New chest pain or tightness when you are active that eases with rest",
            "New numbness in one foot or one leg, or your usual numbness getting worse",
            "Fever or chills after an injection into your back or a back operation",
            "After a back operation: a red, swollen or leaking wound",
            "Do not exercise today, and see your doctor soon, if you have:",
            "Fever or chills",
            "Calf pain when you walk that goes away as soon as you stand still",
        ],
        "de": [
            "Rufen Sie sofort den Notruf 112 an – auch nachts –, wenn Sie etwas davon bemerken "
            "und es neu oder stärker als sonst ist:",
            "Taubheit oder ein verändertes Gefühl im Genital- oder Gesäßbereich",
            "ein schwacher Strahl",
            "Sie spüren nicht, wann der Darm voll ist",
            "Eine Veränderung beim Sex",
            "Eine Schwäche im Bein, die neu ist oder stärker wird",
            "Neue Schmerzen oder neues Kribbeln in beiden Beinen",
            "Schmerz oder Druck in der Brust, der nach einigen Minuten Ruhe nicht nachlässt",
            "Plötzliche Schwäche auf einer Körperseite",
            "Plötzliche, sehr starke Rücken- oder Bauchschmerzen",
            "Ein Bein, das plötzlich kalt, blass und schmerzhaft wird",
            "Ein Sturz mit Schlag auf den Kopf, wenn Sie Blutverdünner nehmen",
            "Warten Sie nicht ab, ob es vorbeigeht. Üben Sie nicht.",
            "Üben Sie heute nicht und sprechen Sie noch heute mit einer Ärztin oder einem Arzt "
            "bei:",
            "neuen Schmerzen oder Enge in der Brust bei Anstrengung, die in Ruhe nachlassen",
            "neuer Taubheit in einem Fuß oder Bein",
            "Fieber oder Schüttelfrost nach einer Spritze in den Rücken",
            "nach einer Rückenoperation: einer geröteten, geschwollenen oder nässenden Wunde",
            "Üben Sie heute nicht und gehen Sie bald zur Ärztin oder zum Arzt bei:",
            "Fieber oder Schüttelfrost",
            "Wadenschmerzen beim Gehen, die schon vergehen, wenn Sie nur stehen bleiben",
        ],
    }[lang]
    in_order(text, expected)
    assert {"en": "Your week", "de": "Ihre Woche"}[lang] in text


def test_the_sheet_words_carry_no_placeholders(sheets: dict[str, str]) -> None:
    for text in sheets.values():
        assert "{" not in text and "}" not in text


@pytest.mark.parametrize("lang", ["en", "de"])
def test_walking_routine_prints_its_break_as_a_sentence(
    library: Library, tmp_path: Path, lang: str
) -> None:
    path = tmp_path / f"walking-{lang}.pdf"
    write_routine_pdf(path, SheetData(library.routines["walking"], library, lang), "letter")
    text = squash(" ".join(page.extract_text() for page in PdfReader(path).pages))
    # The built-in walking programme rests standing, leaning on a support (S9),
    # as the player shows it: the sheet once told the person to sit down.
    expected = {
        "en": ["minutes rest after each walk", "rest leaning forward on a support."],
        "de": ["Minuten Pause nach jeder Gehphase", "Pause nach vorne gebeugt abgestützt."],
    }[lang]
    in_order(text, expected)
    assert "sit down and lean forward" not in text and "hinsetzen und nach vorn" not in text
