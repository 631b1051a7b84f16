"""The advice page carries the seed page's medicine facts and the whole warning list.

CONTENT.md 9: medicines without any dosing advice; 6a: every emergency sign
(cauda equina, heart and stroke, the others) and every see-a-doctor-soon sign.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from coach.core.content.advice import Advice, AdviceSection, load_advice

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def advice() -> Advice:
    return load_advice(REPO / "assets" / "advice.yaml")


def section(advice: Advice, ident: str) -> AdviceSection:
    return next(s for s in advice.sections if s.id == ident)


def words(part: AdviceSection, lang: str) -> str:
    return " ".join([part.intro.get(lang), *(p.get(lang) for p in part.points)])


def test_every_text_is_in_both_languages(advice: Advice) -> None:
    for part in advice.sections:
        for text in (part.title, part.intro, *part.points):
            assert text.has("en") and text.has("de"), part.id


MEDICINE_FACTS = {
    "en": [
        "Ask your doctor before you change any medicine.",
        "Paracetamol does not help with back pain.",
        "ibuprofen, diclofenac or naproxen",
        "stomach ulcers and bleeding",
        "Strong painkillers (opioids)",
        "for a short time, and with close checks by your doctor",
        "(muscle relaxants) are not advised",
        "raise your risk of a fall",
        "Medicines for epilepsy, such as pregabalin, are sometimes given for nerve pain.",
        "take care not to fall",
        "affect your driving",
    ],
    "de": [
        "Fragen Sie Ihre Ärztin oder Ihren Arzt, bevor Sie ein Medikament ändern.",
        "Paracetamol hilft nicht gegen Rückenschmerzen.",
        "Ibuprofen, Diclofenac oder Naproxen",
        "Magengeschwüre und Magenblutungen",
        "Starke Schmerzmittel (Opioide)",
        "für kurze Zeit und unter enger ärztlicher Kontrolle",
        "(Muskelrelaxanzien) werden nicht empfohlen",
        "erhöhen die Sturzgefahr",
        "Mittel gegen Epilepsie wie Pregabalin werden manchmal gegen Nervenschmerzen verschrieben.",
        "passen Sie auf, dass Sie nicht stürzen",
        "Auch das Autofahren kann darunter leiden.",
    ],
}


@pytest.mark.parametrize("lang", ["en", "de"])
def test_the_medicine_facts_are_there_without_doses(advice: Advice, lang: str) -> None:
    text = words(section(advice, "medicines"), lang)
    for fact in MEDICINE_FACTS[lang]:
        assert fact in text, fact
    # Driving is named for both the muscle relaxants and the epilepsy medicines.
    assert text.count({"en": "affect your driving", "de": "Autofahren"}[lang]) == 2
    # No dosing advice anywhere on the page: no amounts, no "times a day" for a medicine.
    everything = " ".join(words(s, lang) for s in advice.sections)
    assert not re.search(r"\d\s*(mg|g\b|ml|Tablette|tablet)", everything, re.IGNORECASE)


EMERGENCY_SIGNS = {
    "en": [
        "saddle area",
        "even in a small patch",
        "trouble starting or stopping your urine",
        "a weak stream",
        "not feeling your bladder fill",
        "Leaking urine that is new or worse",
        "losing control of your bowel",
        "not feeling your bowel fill",
        "sexual function",
        "Weakness in a leg that is new or getting worse",
        "new pain or tingling in both legs",
        "cauda equina syndrome",
        "Chest pain or pressure that does not ease within a few minutes of rest",
        "fainting",
        "very bad breathlessness",
        "drooping of the face, an arm or a leg on one side",
        "trouble speaking",
        "back or belly pain with feeling faint",
        "cold, pale and painful",
        "knock to the head while you take blood thinners",
        "even at night",
        "112",
        "999",
        "911",
    ],
    "de": [
        "Genital- oder Gesäßbereich",
        "auch an einer kleinen Stelle",
        "schwer anzufangen oder aufzuhören",
        "der Strahl ist schwach",
        "wann die Blase voll ist",
        "Urinverlust, der neu ist oder zunimmt",
        "ungewollter Stuhlabgang",
        "wann der Darm voll ist",
        "beim Sex",
        "Schwäche im Bein, die neu ist oder zunimmt",
        "Kribbeln in beiden Beinen",
        "Kauda-Syndrom",
        "Druck in der Brust, die nach wenigen Minuten Ruhe nicht nachlassen",
        "Ohnmacht",
        "sehr starke Atemnot",
        "hängender Mundwinkel",
        "Probleme beim Sprechen",
        "Rücken- oder Bauchschmerzen mit dem Gefühl, ohnmächtig zu werden",
        "kalt, blass und schmerzhaft",
        "Schlag auf den Kopf, wenn Sie Blutverdünner nehmen",
        "auch nachts",
        "112",
        "999",
        "911",
    ],
}

SEE_A_DOCTOR_SIGNS = {
    "en": [
        "Fever or chills",
        "injection or an operation on your spine",
        "Weight loss you cannot explain",
        "if you have had cancer",
        "Constant pain at night",
        "after a small strain",
        "A recent fall or injury",
        "clumsy or tingling hands",
        "Foot pain at rest or at night",
        "a foot wound that does not heal",
        "calf pain when you walk that goes away as soon as you stand still",
        "After a back operation",
        "clear fluid from the wound",
        "a headache when you sit up or stand",
        "Do not exercise today",
    ],
    "de": [
        "Fieber oder Schüttelfrost",
        "Spritze oder Operation an der Wirbelsäule",
        "Gewichtsverlust, den Sie sich nicht erklären können",
        "wenn Sie schon einmal Krebs hatten",
        "Ständige Schmerzen in der Nacht",
        "nach einer kleinen Belastung",
        "Ein Sturz oder eine Verletzung vor kurzem",
        "ungeschickten oder kribbelnden Händen",
        "Fußschmerzen in Ruhe oder nachts",
        "eine Wunde am Fuß, die nicht heilt",
        "Wadenschmerzen beim Gehen, die schon beim Stehenbleiben vergehen",
        "Nach einer Rückenoperation",
        "klare Flüssigkeit aus der Wunde",
        "Kopfschmerzen im Sitzen oder Stehen",
        "Üben Sie heute nicht",
    ],
}


@pytest.mark.parametrize("lang", ["en", "de"])
def test_the_warning_lists_are_complete(advice: Advice, lang: str) -> None:
    emergency = words(section(advice, "emergency"), lang)
    for sign in EMERGENCY_SIGNS[lang]:
        assert sign in emergency, sign
    soon = words(section(advice, "see-a-doctor"), lang)
    for sign in SEE_A_DOCTOR_SIGNS[lang]:
        assert sign in soon, sign
