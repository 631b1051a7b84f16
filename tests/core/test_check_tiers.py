"""The warning-sign check's tiers, as a table a reviewer can read.

Each row: question id, what it asks, and how soon a "yes" needs a doctor:
EMERGENCY (call the emergency number now), SAME_DAY (speak to a doctor
today, no exercise today) or SOON (see a doctor in the next days, no
exercise today). Sources: CONTENT.md 6a; the same-day rows are argued in the
comments of ``coach.core.session.check.TIERS``.
"""

from __future__ import annotations

import contextlib
import itertools
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from coach.core.progress.store import Store
from coach.core.progress.store_file import MIGRATIONS
from coach.core.session import check
from coach.core.session.check import (
    GROUP_HEADINGS,
    HEADLINES,
    OUTCOME_OF,
    QUESTIONS,
    SECTIONS,
    TIERS,
    URGENCY,
    Group,
    Outcome,
    check_blocks_today,
    evaluate,
    sections_for,
)
from coach.core.session.profile import HealthProfile, UsualSymptoms

EMERGENCY = Group.EMERGENCY
SAME_DAY = Group.SAME_DAY
SOON = Group.SEE_DOCTOR

TODAY = date(2025, 5, 12)

SPEC: list[tuple[str, str, Group]] = [
    # Possible cauda equina syndrome
    ("saddle_numbness", "new numbness or change of feeling in the saddle area", EMERGENCY),
    ("bladder_change", "new trouble starting/stopping urine, weak stream, no feeling", EMERGENCY),
    ("leaking", "new or more leaking of urine", EMERGENCY),
    ("bowel", "loss of bowel control or not feeling the bowel fill", EMERGENCY),
    ("sexual", "new changes during sex", EMERGENCY),
    ("leg_weakness", "a leg weaker than before, or getting weaker", EMERGENCY),
    ("both_legs", "new pain, numbness or tingling in both legs", EMERGENCY),
    # Heart and stroke
    ("chest_pain", "chest pain or pressure that does not ease within minutes of rest", EMERGENCY),
    ("fainting", "fainted since the last session", EMERGENCY),
    ("breathless", "very short of breath, even at rest", EMERGENCY),
    ("stroke", "sudden one-sided weakness, drooping mouth, trouble speaking", EMERGENCY),
    # Other
    ("back_belly_faint", "sudden severe back or belly pain with faintness", EMERGENCY),
    ("cold_leg", "a suddenly cold, pale, painful leg", EMERGENCY),
    ("head_knock_thinners", "a fall with a knock to the head on blood thinners", EMERGENCY),
    # Same day
    ("chest_pain_exertion", "new chest pain or tightness on effort, easing with rest", SAME_DAY),
    ("palpitations", "racing, pounding or uneven heartbeat, new or worse", SAME_DAY),
    ("numbness_one_side", "new numbness in one foot or one leg (or worse/spreading)", SAME_DAY),
    ("fever_after_procedure", "fever or chills after a spinal injection or operation", SAME_DAY),
    ("fever_weak_immunity", "fever or chills with steroids or a weak immune system", SAME_DAY),
    ("wound_red", "operation wound red, swollen or leaking", SAME_DAY),
    ("wound_clear_fluid", "clear, watery fluid from the wound", SAME_DAY),
    ("headache_upright", "headache when upright that eases lying down", SAME_DAY),
    # See a doctor soon
    ("fever", "fever or chills (anyone else)", SOON),
    ("weight_loss", "weight loss without trying", SOON),
    ("cancer_history", "a cancer history with new or different back pain", SOON),
    ("night_pain", "constant night pain not eased by changing position", SOON),
    ("sudden_back_pain", "sudden severe back pain after a small strain (fracture)", SOON),
    ("recent_fall", "a fall or injury since the last session", SOON),
    ("balance_hands", "worse balance with clumsy or tingling hands (the neck)", SOON),
    ("foot_pain_rest", "foot pain at rest or at night (circulation)", SOON),
    ("foot_wound", "a foot wound that does not heal", SOON),
    ("calf_pain_standing", "calf pain on walking that eases by standing still", SOON),
]


def section_of(qid: str) -> check.Section:
    return next(s for s in SECTIONS if any(q.id == qid for q in s.questions))


def advice_en(qid: str, number: str = "112") -> str:
    return section_of(qid).advice.get("en").format(number=number)


# -- the table -------------------------------------------------------------


@pytest.mark.parametrize(("qid", "what", "tier"), SPEC, ids=[row[0] for row in SPEC])
def test_tier(qid: str, what: str, tier: Group) -> None:
    assert TIERS[qid] is tier, what
    assert QUESTIONS[qid].group is tier
    assert section_of(qid).group is tier
    result = evaluate({qid: True}, on=TODAY)
    assert result.outcome is OUTCOME_OF[tier]
    assert result.exercise_allowed is False
    assert result.advice == (check._fill(section_of(qid).advice, "112"),)


def test_the_table_names_every_question_once() -> None:
    ids = [row[0] for row in SPEC]
    assert len(ids) == len(set(ids))
    assert set(ids) == set(TIERS) == set(QUESTIONS)


def test_every_tier_has_a_heading_a_headline_and_an_outcome() -> None:
    assert URGENCY == (EMERGENCY, SAME_DAY, SOON)
    assert set(GROUP_HEADINGS) == set(Group) == set(OUTCOME_OF)
    assert set(HEADLINES) == {Outcome.OK, *OUTCOME_OF.values()}


def test_sections_are_asked_in_urgency_order() -> None:
    # The dialog prints a tier's heading where the tier changes.
    ranks = [URGENCY.index(s.group) for s in sections_for(None)]
    assert ranks == sorted(ranks)
    assert [s.group for s in SECTIONS if s.group is SAME_DAY]


def test_a_section_mixing_tiers_is_refused() -> None:
    wound, fever = QUESTIONS["wound_red"], QUESTIONS["fever"]
    with pytest.raises(ValueError, match="mixes tiers"):
        check._section("mixed", wound.text, (wound, fever), wound.text)


# -- what each tier tells ----------------------------------------------------


@pytest.mark.parametrize("qid", [q for q, _w, t in SPEC if t is EMERGENCY])
def test_emergency_tells_to_call_the_number_now(qid: str) -> None:
    result = evaluate({qid: True}, profile=HealthProfile(country="GB"), on=TODAY)
    assert result.headline.get("en") == "Call 999 now."
    assert result.headline.get("de") == "Rufen Sie jetzt den Notruf 999 an."
    assert "999" in result.advice[0].get("en") and "999" in result.advice[0].get("de")


@pytest.mark.parametrize("qid", [q for q, _w, t in SPEC if t is SAME_DAY])
def test_same_day_tells_to_speak_to_a_doctor_today(qid: str) -> None:
    result = evaluate({qid: True}, on=TODAY)
    assert result.headline.get("en") == "No exercise today. Please speak to a doctor today."
    assert result.headline.get("de") == (
        "Heute keine Übungen. Bitte sprechen Sie noch heute mit einer Ärztin oder einem Arzt."
    )
    en, de = result.advice[0].get("en"), result.advice[0].get("de")
    assert "today" in en.replace("No exercise today.", "")
    assert "noch heute" in de
    assert "next few days" not in en and "nächsten Tagen" not in de
    assert "No exercise today." in en and "Heute bitte keine Übungen." in de
    assert "{number}" not in en + de


@pytest.mark.parametrize("qid", [q for q, _w, t in SPEC if t is SOON])
def test_soon_tells_to_see_a_doctor_in_the_next_days(qid: str) -> None:
    result = evaluate({qid: True}, on=TODAY)
    assert result.headline.get("en") == "No exercise today. Please see your doctor soon."
    assert "today or in the next few days" in result.advice[0].get("en")
    assert "heute oder in den nächsten Tagen" in result.advice[0].get("de")


def test_same_day_is_its_own_outcome_and_blocks_the_day() -> None:
    result = evaluate({"palpitations": True}, on=TODAY)
    assert result.outcome is Outcome.SAME_DAY
    assert result.outcome.value == "same_day"
    assert check_blocks_today(result, TODAY) is True
    assert check_blocks_today(result, date(2025, 5, 13)) is False


# -- mixes: the most urgent wins, the advice in urgency order ---------------


def test_same_day_beats_soon() -> None:
    result = evaluate({"fever": True, "fever_after_procedure": True}, on=TODAY)
    assert result.outcome is Outcome.SAME_DAY
    assert result.flagged == ("fever_after_procedure", "fever")
    assert [a.get("en") for a in result.advice] == [
        advice_en("fever_after_procedure"),
        advice_en("fever"),
    ]


def test_emergency_beats_same_day_and_soon_whatever_the_order_of_answers() -> None:
    answers = {"night_pain": True, "wound_red": True, "stroke": True, "palpitations": True}
    result = evaluate(answers, on=TODAY)
    assert result.outcome is Outcome.EMERGENCY
    assert result.headline.get("en") == "Call 112 now."
    assert [a.get("en") for a in result.advice] == [
        advice_en("stroke"),
        advice_en("palpitations"),
        advice_en("wound_red"),
        advice_en("night_pain"),
    ]


@pytest.mark.parametrize("tier", URGENCY)
def test_two_answers_of_one_section_give_its_advice_once(tier: Group) -> None:
    section = next(s for s in SECTIONS if s.group is tier and len(s.questions) > 1)
    result = evaluate({q.id: True for q in section.questions}, on=TODAY)
    assert result.outcome is OUTCOME_OF[tier]
    assert result.advice == (check._fill(section.advice, "112"),)


def test_every_pair_of_answers_takes_the_more_urgent_tier() -> None:
    for a, b in itertools.combinations(TIERS, 2):
        result = evaluate({a: True, b: True}, on=TODAY)
        most_urgent = min(TIERS[a], TIERS[b], key=URGENCY.index)
        assert result.outcome is OUTCOME_OF[most_urgent], (a, b)
        tiers_of_advice = [
            next(s.group for s in SECTIONS if check._fill(s.advice, "112").root == t.root)
            for t in result.advice
        ]
        assert tiers_of_advice == sorted(tiers_of_advice, key=URGENCY.index), (a, b)
        assert tiers_of_advice[0] is most_urgent


# -- who is asked what ------------------------------------------------------


def test_fever_after_an_injection_is_asked_without_a_recorded_operation() -> None:
    # A spinal injection is not in the health profile: its fever question
    # must not hide behind the recent-operation rule.
    asked = {q.id for s in sections_for(HealthProfile(), TODAY) for q in s.questions}
    assert {"fever_after_procedure", "fever_weak_immunity", "fever"} <= asked
    assert "wound_red" not in asked
    recent = HealthProfile(back_operation_date=date(2025, 4, 1))
    asked_after = {q.id for s in sections_for(recent, TODAY) for q in s.questions}
    assert {"wound_red", "wound_clear_fluid", "headache_upright"} <= asked_after


def test_the_two_chest_questions_differ_by_whether_rest_helps() -> None:
    emergency = QUESTIONS["chest_pain"].text.get("en")
    today = QUESTIONS["chest_pain_exertion"].text.get("en")
    assert "does not go away after a few minutes of rest" in emergency
    assert "active" in today and "goes away when you rest" in today
    # The same-day advice says when it becomes an emergency after all.
    advice = evaluate({"chest_pain_exertion": True}, on=TODAY).advice[0].get("en")
    assert "Call 112 straight away if chest pain does not go away" in advice


# -- the usual-symptoms baseline --------------------------------------------


def test_usual_numbness_in_one_foot_asks_whether_it_is_worse_or_spreading() -> None:
    question = QUESTIONS["numbness_one_side"]
    assert question.baseline == "numbness_one_foot"
    new = question.text_for(UsualSymptoms())
    usual = question.text_for(UsualSymptoms(numbness_one_foot=True))
    assert new is question.text
    assert usual is question.text_if_usual
    assert "new numbness" in new.get("en")
    assert "seit Kurzem" in new.get("de")
    assert "worse than usual" in usual.get("en") and "spreading" in usual.get("en")
    assert "stärker als sonst" in usual.get("de") and "breitet sie sich aus" in usual.get("de")
    assert "new" not in usual.get("en")
    # Another usual symptom does not change it.
    assert question.text_for(UsualSymptoms(numbness_both_feet=True)) is question.text
    # The tier is the same however it is asked.
    profile = HealthProfile(usual_symptoms=UsualSymptoms(numbness_one_foot=True))
    assert evaluate({"numbness_one_side": True}, profile=profile).outcome is Outcome.SAME_DAY


def test_the_one_foot_baseline_is_used_by_the_check() -> None:
    assert "numbness_one_foot" in {q.baseline for q in QUESTIONS.values()}


# -- the German wording -------------------------------------------------------


def test_stroke_and_sex_questions_read_as_plain_german_questions() -> None:
    stroke = QUESTIONS["stroke"].text.get("de")
    assert stroke.startswith(
        "Haben Sie plötzlich eine Schwäche oder Taubheit auf einer Körperseite"
    )
    assert "hängenden Mundwinkel" in stroke and stroke.endswith("?")
    sexual = QUESTIONS["sexual"].text.get("de")
    assert sexual.startswith("Haben Sie seit Kurzem Veränderungen beim Sex bemerkt")


def test_every_question_asks_in_both_languages() -> None:
    for question in QUESTIONS.values():
        for text in filter(None, (question.text, question.text_if_usual)):
            assert "?" in text.get("en") and "?" in text.get("de"), question.id


def test_all_texts_has_the_new_tier_and_questions() -> None:
    texts = {tuple(sorted(t.root.items())) for t in check.all_texts()}
    wanted = [GROUP_HEADINGS[SAME_DAY], HEADLINES[Outcome.SAME_DAY]]
    for qid in ("chest_pain_exertion", "palpitations", "numbness_one_side"):
        question = QUESTIONS[qid]
        wanted += [question.text, *filter(None, [question.text_if_usual])]
    for text in wanted:
        assert tuple(sorted(text.root.items())) in texts, text.get("en")


# -- the store keeps the new outcome -----------------------------------------


def test_a_same_day_check_is_stored_and_read_back(tmp_path: Path) -> None:
    db = tmp_path / "data" / "coach.sqlite3"
    with Store.open(db) as store:
        store.record_check(evaluate({"fever_after_procedure": True}, on=TODAY))
    with Store.open(db) as store:
        [row] = store.checks_on(TODAY)
    assert row.outcome is Outcome.SAME_DAY
    assert row.flagged == ("fever_after_procedure",)
    assert row.exercise_allowed is False
    with contextlib.closing(sqlite3.connect(db)) as conn:
        assert conn.execute("SELECT outcome FROM safety_checks").fetchall() == [("same_day",)]


def test_the_first_schema_could_not_keep_it(tmp_path: Path) -> None:
    # Why the store has a schema version 2.
    with (
        Store.open(tmp_path / "v1.sqlite3", migrations=MIGRATIONS[:1]) as store,
        pytest.raises(ValueError, match="refused"),
    ):
        store.record_check(evaluate({"wound_red": True}, on=TODAY))


def test_older_check_rows_still_read_after_the_migration(tmp_path: Path) -> None:
    db = tmp_path / "data" / "coach.sqlite3"
    Store.open(db, migrations=MIGRATIONS[:1]).close()
    old_rows = [
        (1, "2025-05-12T07:00:00.000000Z", "2025-05-12", "ok", "[]"),
        (2, "2025-05-12T08:00:00.000000Z", "2025-05-12", "see_doctor", '["fever"]'),
        (3, "2025-05-12T09:00:00.000000Z", "2025-05-12", "emergency", '["chest_pain"]'),
    ]
    with contextlib.closing(sqlite3.connect(db, isolation_level=None)) as conn:
        conn.executemany("INSERT INTO safety_checks VALUES (?, ?, ?, ?, ?)", old_rows)

    with Store.open(db) as store:
        assert store.schema_version == len(MIGRATIONS) >= 2
        store.record_check(evaluate({"headache_upright": True}, on=TODAY))
        rows = store.checks_on(TODAY)
    assert [(r.id, r.outcome, r.flagged) for r in rows] == [
        (1, Outcome.OK, ()),
        (2, Outcome.SEE_DOCTOR, ("fever",)),
        (3, Outcome.EMERGENCY, ("chest_pain",)),
        (4, Outcome.SAME_DAY, ("headache_upright",)),
    ]
    # The migration kept the old file aside first.
    assert len(list(db.parent.glob("coach.sqlite3.bak-v1-*"))) == 1
    with contextlib.closing(sqlite3.connect(db)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        with pytest.raises(sqlite3.IntegrityError):
            conn.execute(
                "INSERT INTO safety_checks (taken_utc, checked_on, outcome, flagged)"
                " VALUES ('t', '2025-05-12', 'tomorrow', '[]')"
            )
