"""The pre-session check, the stop rules, the pain rule and the disclaimer."""

from __future__ import annotations

import dataclasses
from datetime import date

import msgspec
import pytest

from coach.core.content.model import Text
from coach.core.session import check as safety
from coach.core.session.check import (
    BASELINE_QUESTIONS,
    DISCLAIMER,
    QUESTIONS,
    SECTIONS,
    CheckResult,
    Group,
    Outcome,
    check_blocks_today,
    evaluate,
    sections_for,
)
from coach.core.session.profile import HealthProfile, UsualSymptoms
from coach.core.session.stop_rules import (
    StopReason,
    pain_rule,
    stop_advice,
    stop_is_emergency,
)

TODAY = date(2025, 5, 12)
EMERGENCY_IDS = [q.id for q in QUESTIONS.values() if q.group is Group.EMERGENCY]
SAME_DAY_IDS = [q.id for q in QUESTIONS.values() if q.group is Group.SAME_DAY]
SEE_DOCTOR_IDS = [q.id for q in QUESTIONS.values() if q.group is Group.SEE_DOCTOR]


def section(section_id: str) -> safety.Section:
    return next(s for s in SECTIONS if s.id == section_id)


# -- the question data -----------------------------------------------------


def test_question_ids_are_unique_and_grouped_like_their_section() -> None:
    ids = [q.id for s in SECTIONS for q in s.questions]
    assert len(ids) == len(set(ids)) == len(QUESTIONS)
    for s in SECTIONS:
        assert s.questions, s.id
        assert all(q.group is s.group for q in s.questions), s.id


def test_the_red_flags_of_the_spec_are_asked() -> None:
    assert set(EMERGENCY_IDS) == {
        "saddle_numbness", "bladder_change", "leaking", "bowel", "sexual", "leg_weakness",
        "both_legs", "chest_pain", "fainting", "breathless", "stroke", "back_belly_faint",
        "cold_leg", "head_knock_thinners",
    }  # fmt: skip
    assert set(SAME_DAY_IDS) == {
        "chest_pain_exertion", "palpitations", "numbness_one_side", "fever_after_procedure",
        "fever_weak_immunity", "wound_red", "wound_clear_fluid", "headache_upright",
    }  # fmt: skip
    assert set(SEE_DOCTOR_IDS) == {
        "fever", "weight_loss", "cancer_history", "night_pain", "sudden_back_pain",
        "recent_fall", "balance_hands", "foot_pain_rest", "foot_wound", "calf_pain_standing",
    }  # fmt: skip


def test_sections_come_in_urgency_order() -> None:
    groups = [s.group for s in SECTIONS]
    assert groups == sorted(groups, key=safety.URGENCY.index)
    assert groups[0] is Group.EMERGENCY
    assert groups[-1] is Group.SEE_DOCTOR
    assert Group.SAME_DAY in groups


def test_saddle_question_uses_plain_words() -> None:
    question = QUESTIONS["saddle_numbness"]
    en, de = question.text.get("en"), question.text.get("de")
    assert "groin, genitals, inner thighs or buttocks" in en
    assert "saddle" in en
    assert "Genital- oder Gesäßbereich" in de


def test_after_operation_section_only_with_a_recent_operation() -> None:
    ids = [s.id for s in sections_for(HealthProfile(), TODAY)]
    assert "after_operation" not in ids
    assert len(ids) == len(SECTIONS) - 1
    recent = HealthProfile(back_operation_date=date(2025, 4, 1))
    assert "after_operation" in [s.id for s in sections_for(recent, TODAY)]
    assert [s.id for s in sections_for(None)] == [s.id for s in SECTIONS]


# -- the usual-symptoms baseline -------------------------------------------


def test_baseline_questions_match_the_profile_flags() -> None:
    flags = {f.name for f in msgspec.structs.fields(UsualSymptoms) if f.type is bool}
    assert [b.id for b in BASELINE_QUESTIONS] == [
        "numbness_one_foot", "numbness_both_feet", "symptoms_both_legs", "leg_weakness",
        "bladder_trouble",
    ]  # fmt: skip
    assert {b.id for b in BASELINE_QUESTIONS} == flags
    # Every flag a question refers to exists.
    assert {q.baseline for q in QUESTIONS.values() if q.baseline} <= flags


def test_usual_symptoms_change_the_question_to_worse_than_usual() -> None:
    both_legs = QUESTIONS["both_legs"]
    assert both_legs.text_for(None) is both_legs.text
    assert both_legs.text_for(UsualSymptoms()) is both_legs.text
    usual = UsualSymptoms(symptoms_both_legs=True)
    assert both_legs.text_for(usual) is both_legs.text_if_usual
    assert both_legs.text_for(usual).get("en") == (
        "Is the pain, numbness or tingling in your legs clearly worse or different from usual?"
    )
    # A baseline flag only changes its own questions.
    assert QUESTIONS["saddle_numbness"].text_for(usual) is QUESTIONS["saddle_numbness"].text
    bladder = UsualSymptoms(bladder_trouble=True)
    assert QUESTIONS["leaking"].text_for(bladder) is QUESTIONS["leaking"].text_if_usual


# -- evaluate --------------------------------------------------------------


def test_nothing_new_is_ok() -> None:
    result = evaluate({}, on=TODAY)
    assert result.outcome is Outcome.OK
    assert result.exercise_allowed is True
    assert result.flagged == ()
    assert result.advice == (safety.OK_ADVICE,)
    assert result.emergency_number == "112"
    assert result.checked_on == TODAY


def test_all_answers_no_is_ok() -> None:
    result = evaluate(dict.fromkeys(QUESTIONS, False), on=TODAY)
    assert result.outcome is Outcome.OK


@pytest.mark.parametrize("qid", EMERGENCY_IDS)
def test_each_emergency_sign_means_emergency(qid: str) -> None:
    result = evaluate({qid: True}, on=TODAY)
    assert result.outcome is Outcome.EMERGENCY
    assert result.exercise_allowed is False
    assert result.flagged == (qid,)
    assert result.headline.get("en") == "Call 112 now."
    assert all("112" in a.get("en") and "112" in a.get("de") for a in result.advice)


@pytest.mark.parametrize("qid", SEE_DOCTOR_IDS)
def test_each_see_doctor_sign_means_no_exercise_today(qid: str) -> None:
    result = evaluate({qid: True}, on=TODAY)
    assert result.outcome is Outcome.SEE_DOCTOR
    assert result.exercise_allowed is False
    assert "No exercise today." in result.advice[0].get("en")
    assert "Heute bitte keine Übungen." in result.advice[0].get("de")


def test_cauda_equina_advice_uses_the_profiles_number() -> None:
    result = evaluate({"saddle_numbness": True}, profile=HealthProfile(country="GB"), on=TODAY)
    assert result.emergency_number == "999"
    assert result.headline.get("en") == "Call 999 now."
    assert result.headline.get("de") == "Rufen Sie jetzt den Notruf 999 an."
    (advice,) = result.advice
    assert advice.get("en").startswith("Call 999 now, even at night.")
    assert advice.get("de").startswith("Rufen Sie jetzt sofort den Notruf 999 an – auch nachts.")
    assert "(Kauda-Syndrom)" in advice.get("de")
    assert "{number}" not in advice.get("en") + advice.get("de")


def test_chest_pain_advice_is_stop_sit_call() -> None:
    result = evaluate({"chest_pain": True}, on=TODAY)
    assert result.advice[0].get("en").startswith("Stop, and sit or lie down. Call 112 now.")


def test_edited_emergency_number_is_used() -> None:
    profile = HealthProfile(country="DE", emergency_number_override="19222")
    assert evaluate({"stroke": True}, profile=profile, on=TODAY).headline.get("en") == (
        "Call 19222 now."
    )


def test_see_doctor_advice_and_headline() -> None:
    result = evaluate({"fever": True, "night_pain": True}, on=TODAY)
    assert result.flagged == ("fever", "night_pain")
    # Two answers in one section give the advice once.
    assert result.advice == (section("general").advice,)
    assert result.advice[0].get("en").startswith("Please contact your family doctor (GP) soon")
    assert result.headline == safety.HEADLINES[Outcome.SEE_DOCTOR]


def test_emergency_advice_comes_before_see_doctor_advice() -> None:
    result = evaluate({"fever": True, "cold_leg": True}, on=TODAY)
    assert result.outcome is Outcome.EMERGENCY
    assert result.flagged == ("cold_leg", "fever")
    assert [a.get("en") for a in result.advice] == [
        section("other_emergency").advice.get("en").format(number="112"),
        section("general").advice.get("en"),
    ]


def test_an_operation_wound_is_same_day_care() -> None:
    result = evaluate({"wound_red": True}, on=TODAY)
    assert result.outcome is Outcome.SAME_DAY
    assert result.advice == (section("after_operation").advice,)
    assert "hospital that operated on you today" in result.advice[0].get("en")


def test_unknown_question_id_is_an_error() -> None:
    with pytest.raises(ValueError, match="saddle_numbnes"):
        evaluate({"saddle_numbnes": True})


# -- check_blocks_today ----------------------------------------------------


def result_on(day: date, **answers: bool) -> CheckResult:
    return evaluate(answers, on=day)


def test_blocks_today_after_see_doctor_or_emergency() -> None:
    assert check_blocks_today(result_on(TODAY, fever=True), TODAY) is True
    assert check_blocks_today(result_on(TODAY, chest_pain=True), TODAY) is True


def test_ok_result_does_not_block() -> None:
    assert check_blocks_today(result_on(TODAY), TODAY) is False
    assert check_blocks_today(None, TODAY) is False
    assert check_blocks_today([], TODAY) is False


def test_yesterdays_warning_does_not_block_today() -> None:
    yesterday = date(2025, 5, 11)
    assert check_blocks_today(result_on(yesterday, fever=True), TODAY) is False


def test_a_later_nothing_new_does_not_clear_the_day() -> None:
    history = [result_on(TODAY, weight_loss=True), result_on(TODAY)]
    assert check_blocks_today(history, TODAY) is True
    assert check_blocks_today(history[1:], TODAY) is False


# -- stop rules ------------------------------------------------------------


def test_every_stop_reason_has_a_label_and_advice() -> None:
    assert set(safety.STOP_LABELS) == set(StopReason)
    assert [r.value for r in StopReason] == [
        "pain_spreading_leg", "new_numbness_weakness", "sharp_pain", "dizziness_chest", "other",
        "walk_not_settling",
    ]  # fmt: skip
    for reason in StopReason:
        advice = stop_advice(reason, "999")
        assert advice.has("en") and advice.has("de")
        assert "{number}" not in advice.get("en") + advice.get("de")


def test_dizziness_chest_is_the_emergency_stop() -> None:
    assert [r for r in StopReason if stop_is_emergency(r)] == [StopReason.DIZZINESS_CHEST]
    advice = stop_advice(StopReason.DIZZINESS_CHEST, "911")
    assert "call 911 now" in advice.get("en")
    assert "Notruf 911" in advice.get("de")


def test_stop_advice_says_what_to_do() -> None:
    spreading = stop_advice(StopReason.PAIN_SPREADING_LEG).get("en")
    assert spreading.startswith("Stop the exercise.")
    assert "contact your doctor" in spreading
    assert "one step easier" in stop_advice(StopReason.SHARP_PAIN).get("en")
    numbness = stop_advice(StopReason.NEW_NUMBNESS_WEAKNESS)
    assert "contact your doctor today" in numbness.get("en")
    assert "call 112 now" in numbness.get("en")  # saddle numbness is an emergency


# -- the pain rule ---------------------------------------------------------


@pytest.mark.parametrize(
    ("before_back", "before_leg", "now_back", "now_leg", "inside"),
    [
        (2, 2, 2, 2, True),  # no change
        (2, 1, 4, 3, True),  # exactly +2 on both
        (2, 1, 5, 1, False),  # back +3
        (1, 2, 1, 5, False),  # leg +3
        (3, 0, 5, 0, True),  # 5 is the highest allowed
        (4, 0, 6, 0, False),  # +2 but reaches 6
        (0, 4, 0, 6, False),  # leg reaches 6
        (6, 0, 6, 0, True),  # already at 6 and no higher: the session made nothing worse
        (6, 0, 7, 0, False),  # above the level before, and 6 or more
        (5, 5, 3, 0, True),  # getting better is fine
        (0, 0, 0, 0, True),
        (10, 10, 0, 0, True),
    ],
)
def test_pain_rule_edges(
    before_back: int, before_leg: int, now_back: int, now_leg: int, inside: bool
) -> None:
    assert pain_rule(before_back, before_leg, now_back, now_leg) is inside


@pytest.mark.parametrize("bad", [-1, 11])
def test_pain_rule_rejects_scores_outside_0_to_10(bad: int) -> None:
    with pytest.raises(ValueError, match="0 to 10"):
        pain_rule(0, 0, bad, 0)
    with pytest.raises(ValueError, match="before_leg"):
        pain_rule(0, bad, 0, 0)


def test_pain_rule_rejects_non_integers() -> None:
    with pytest.raises(ValueError):
        pain_rule(True, 0, 0, 0)
    with pytest.raises(ValueError):
        pain_rule(0, 0, 2.5, 0)  # type: ignore[arg-type]


# -- texts -----------------------------------------------------------------


def test_disclaimer_says_the_four_things() -> None:
    en = DISCLAIMER.get("en")
    assert "does not replace your doctor or physiotherapist" in en
    assert "ask one of them before you start" in en
    assert "pain, dizziness or shortness of breath" in en
    assert "Never put off getting medical help" in en
    assert "do only what they have approved" in en
    assert "ersetzt weder Ihre Ärztin" in DISCLAIMER.get("de")


def test_every_text_has_english_and_german() -> None:
    texts = safety.all_texts("112")
    assert len(texts) >= 70
    for text in texts:
        assert isinstance(text, Text)
        assert text.has("en") and text.has("de"), text.root
        assert text.get("en") != text.get("de"), text.root
        assert "{" not in text.get("en") + text.get("de"), text.root


def test_all_texts_covers_every_question_and_section() -> None:
    texts = {tuple(sorted(t.root.items())) for t in safety.all_texts()}
    for s in SECTIONS:
        assert tuple(sorted(s.heading.root.items())) in texts
        for q in s.questions:
            assert tuple(sorted(q.text.root.items())) in texts


def test_german_uses_sie_and_notruf() -> None:
    de = " ".join(t.get("de") for t in safety.all_texts("112"))
    assert "Notruf 112" in de
    assert " du " not in de.lower()
    assert " dein" not in de.lower()


def test_question_is_immutable() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        QUESTIONS["fever"].id = "other"  # type: ignore[misc]
