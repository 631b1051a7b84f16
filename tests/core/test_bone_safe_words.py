"""Bone-safe means bone-safe in every word the person reads or hears.

With weak bones (osteoporosis, a low-trauma fracture, height loss, long-term
steroids) no exercise may tell the person to round the back or let the head
hang: not a step, not a cue the player shows and speaks, not a line on the
printed sheet. Every built-in routine is tailored for each of those answers
and every text of it is searched, in English and German.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from coach.core.common.paths import resolve
from coach.core.content.library import Library
from coach.core.content.model import Exercise, Text
from coach.core.session.personal import PersonalInputs, PersonalPlan
from coach.core.session.profile import HealthProfile

LIBRARY = Library.load(resolve(Path(tempfile.mkdtemp()) / "data"), include_user=False)
TODAY = date(2026, 12, 7)

BONE_ANSWERS = ["osteoporosis", "low_trauma_fracture", "height_loss", "long_term_steroids"]

# Words that ask for a rounded back or a hanging head. "round" alone is also
# a bout ("first round, side to side"), so English needs the back nearby.
ROUNDING = {
    "en": re.compile(
        r"\b(back|spine)\b[^.;–]{0,40}\bround|\bround(s|ed|ing)?\b[^.;–]{0,30}\b(back|spine)\b"
        r"|\bsinks? round|\bcurl|\bslump|\bhead\b[^.;–]{0,30}\bhang|\bhang\w*\b[^.;–]{0,30}\bhead\b",
        re.IGNORECASE,
    ),
    "de": re.compile(
        r"\brund|Rundrücken|Katzenbuckel|\bKopf\b[^.;–]{0,40}h[äa]ng|h[äa]ng\w*\b[^.;–]{0,40}\bKopf\b",
        re.IGNORECASE,
    ),
}


def shown_texts(personal: PersonalPlan) -> Iterator[tuple[str, Text]]:
    """Everything the player shows or speaks and the sheet prints for this plan."""
    assert personal.plan is not None
    for step in personal.plan.steps:
        yield f"step {step.index} instruction", step.instruction
        if step.cue is not None:
            yield f"step {step.index} cue", step.cue
    assert personal.routine is not None
    for item in personal.routine.items:
        exercise = personal.exercise(item.exercise, LIBRARY.exercises)
        assert isinstance(exercise, Exercise)
        where = exercise.id
        if exercise.summary is not None:
            yield f"{where} summary", exercise.summary
        yield f"{where} start", exercise.start_position
        for n, step_text in enumerate(exercise.steps, start=1):
            yield f"{where} step {n}", step_text
        yield f"{where} cue", exercise.cue
        if exercise.breathing is not None:
            yield f"{where} breathing", exercise.breathing
        if exercise.dosage_text is not None:
            yield f"{where} dose", exercise.dosage_text
        if item.note is not None:
            yield f"{where} note", item.note
    for change in personal.changes:
        yield "change", change.text


def rounding_words(personal: PersonalPlan) -> list[str]:
    found = []
    for where, text in shown_texts(personal):
        for lang, pattern in ROUNDING.items():
            value = text.get(lang)
            if match := pattern.search(value):
                found.append(f"{where} [{lang}]: …{match.group(0)}… in {value!r}")
    return found


@pytest.mark.parametrize("answer", BONE_ANSWERS)
@pytest.mark.parametrize("routine_id", sorted(LIBRARY.routines))
def test_no_tailored_routine_asks_weak_bones_to_round(routine_id: str, answer: str) -> None:
    profile = HealthProfile(completed=True, **{answer: True})
    personal = PersonalInputs(profile=profile, today=TODAY).plan_for(
        LIBRARY.routines[routine_id], LIBRARY.exercises
    )
    if personal.plan is None:
        return
    assert rounding_words(personal) == []


def test_the_search_finds_rounding_where_the_bones_are_fine() -> None:
    """The same routines for a person without weak bones do say it: the search works."""
    found: list[str] = []
    for routine_id in ("daily-relief", "gentle-day", "chair-counter"):
        personal = PersonalInputs(profile=HealthProfile(completed=True), today=TODAY).plan_for(
            LIBRARY.routines[routine_id], LIBRARY.exercises
        )
        found += rounding_words(personal)
    assert any("[en]" in f for f in found) and any("[de]" in f for f in found)


def test_the_relief_lean_keeps_a_long_back_in_the_player() -> None:
    profile = HealthProfile(osteoporosis=True, completed=True)
    personal = PersonalInputs(profile=profile, today=TODAY).plan_for(
        LIBRARY.routines["gentle-day"], LIBRARY.exercises
    )
    assert personal.plan is not None
    cues = {s.cue.get("en") for s in personal.plan.steps if s.exercise_id == "C2" and s.cue}
    assert cues == {"The relief position – lean from the hips with a long back."}
    lean = personal.exercise("C2", LIBRARY.exercises)
    assert lean is not None and "long back" in lean.summary.get("en")  # type: ignore[union-attr]
    assert "mit langem Rücken" in lean.cue.get("de")


def test_the_deep_fold_becomes_the_lean_in_its_bone_safe_words() -> None:
    profile = HealthProfile(osteoporosis=True, completed=True)
    personal = PersonalInputs(profile=profile, today=TODAY).plan_for(
        LIBRARY.routines["daily-relief"], LIBRARY.exercises
    )
    assert personal.routine is not None
    played = [item.exercise for item in personal.routine.items]
    assert "S4" not in played and "C2" in played
    lean = personal.exercise("C2", LIBRARY.exercises)
    assert lean is not None and "Keep your back long." in lean.steps[0].get("en")


def test_without_weak_bones_the_words_are_the_exercise_s_own() -> None:
    personal = PersonalInputs(profile=HealthProfile(completed=True), today=TODAY).plan_for(
        LIBRARY.routines["gentle-day"], LIBRARY.exercises
    )
    assert personal.worded == {}
    assert personal.exercise("C2", LIBRARY.exercises) is LIBRARY.exercises["C2"]
