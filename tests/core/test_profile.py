"""The health profile and what each answer changes in the offered exercises."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest

from coach.core.content.model import Exercise, Routine, Text
from coach.core.content.records import Invalid
from coach.core.session import profile as prof
from coach.core.session.profile import (
    Approach,
    BodySide,
    HealthProfile,
    Joint,
    JointReplacement,
    Offer,
    OfferStatus,
    builtin_routines_locked,
    chair_set_default,
    default_emergency_number,
    filter_exercises,
    profile_notes,
    routine_allowed,
)


def ex(ex_id: str, *tags: str, bone_safe: dict[str, Any] | None = None) -> Exercise:
    """A minimal valid exercise with the given movement tags."""
    data: dict[str, Any] = {
        "id": ex_id,
        "category": "stretching",
        "title": {"en": f"Title {ex_id}", "de": f"Titel {ex_id}"},
        "start_position": {"en": "Lie on your back.", "de": "Auf den Rücken legen."},
        "steps": [{"en": f"Step {i}", "de": f"Schritt {i}"} for i in range(3)],
        "dosage": {"reps": 5},
        "cue": {"en": "No arching.", "de": "Kein Hohlkreuz."},
        "tags": list(tags),
        "lumbar_extension": "lumbar_extension" in tags,
        "illustrations": {"start": "a.svg", "end": "b.svg"},
    }
    if bone_safe is not None:
        data["bone_safe"] = bone_safe
    return Exercise.from_data(data)


def routine(*ids: str, allow_extension: tuple[str, ...] = ()) -> Routine:
    return Routine.from_data(
        {
            "id": "R",
            "title": {"en": "Routine", "de": "Programm"},
            "description": {"en": "Test routine.", "de": "Testprogramm."},
            "items": [{"exercise": i} for i in ids],
            "permissions": {"allow_extension": list(allow_extension)},
        }
    )


# One exercise per tag that a rule looks at, plus two the rules never touch.
PLAIN = ex("PLAIN", "seated")
STANDING = ex("STAND", "standing", "isometric_hold", "head_down")
FLOOR = ex("FLOOR", "floor")
FLOOR_BED = ex("FLOORBED", "floor", "bed_ok")
KNEEL = ex("KNEEL", "floor", "kneeling")
HIP90 = ex("HIP90", "hip_flexion_over_90")
CROSS = ex("CROSS", "hip_crossing")
HIPEXT = ex("HIPEXT", "hip_extension")
EXT = ex("EXT", "lumbar_extension", "standing")
FLEX_TEXT = ex(
    "FLEXT",
    "end_range_flexion",
    bone_safe={"text": {"en": "Tailbone stays down.", "de": "Steißbein bleibt unten."}},
)
FLEX_POINT = ex("FLEXP", "loaded_flexion", bone_safe={"exercise": "PLAIN"})
TWIST_NONE = ex("TWIST", "twist")
ALL = [PLAIN, STANDING, FLOOR, FLOOR_BED, KNEEL, HIP90, CROSS, HIPEXT, EXT, FLEX_TEXT,
       FLEX_POINT, TWIST_NONE]  # fmt: skip


def statuses(offers: list[Offer]) -> dict[str, str]:
    return {o.exercise.id: o.status.value for o in offers}


def by_id(offers: list[Offer]) -> dict[str, Offer]:
    return {o.exercise.id: o for o in offers}


OK, SWAP, HIDDEN = "ok", "bone_safe_variant", "hidden"
BASELINE = {
    "PLAIN": OK, "STAND": OK, "FLOOR": OK, "FLOORBED": OK, "KNEEL": OK, "HIP90": OK,
    "CROSS": OK, "HIPEXT": OK, "EXT": HIDDEN, "FLEXT": OK, "FLEXP": OK, "TWIST": OK,
}  # fmt: skip


def test_empty_profile_changes_nothing_but_extension() -> None:
    offers = filter_exercises(HealthProfile(), ALL)
    assert [o.exercise.id for o in offers] == [e.id for e in ALL]  # order kept
    assert statuses(offers) == BASELINE
    assert all(o.reasons == () and o.notes == () for o in offers if o.exercise.id != "EXT")


# -- lumbar extension ------------------------------------------------------


def test_extension_hidden_without_permission() -> None:
    offer = by_id(filter_exercises(HealthProfile(), [EXT]))["EXT"]
    assert offer.status is OfferStatus.HIDDEN
    assert offer.reasons == (prof.REASON_EXTENSION,)
    assert offer.shown is False


def test_extension_offered_with_permission_and_caution() -> None:
    offers = filter_exercises(HealthProfile(), ALL, allowed_extension=["EXT"])
    assert statuses(offers) == BASELINE | {"EXT": OK}
    assert by_id(offers)["EXT"].notes == (prof.NOTE_EXTENSION_ALLOWED,)


def test_extension_permission_is_per_exercise() -> None:
    other = ex("EXT2", "lumbar_extension")
    offers = filter_exercises(HealthProfile(), [EXT, other], allowed_extension=["EXT"])
    assert statuses(offers) == {"EXT": OK, "EXT2": HIDDEN}


# -- bone-safe mode --------------------------------------------------------


@pytest.mark.parametrize(
    "answer", ["osteoporosis", "low_trauma_fracture", "height_loss", "long_term_steroids"]
)
def test_each_bone_answer_switches_on_bone_safe_mode(answer: str) -> None:
    profile = HealthProfile.from_data({answer: True})
    assert profile.bone_safe is True
    offers = filter_exercises(profile, ALL)
    assert statuses(offers) == BASELINE | {"FLEXT": SWAP, "FLEXP": SWAP, "TWIST": HIDDEN}


def test_bone_safe_swap_uses_the_variant_text_or_exercise() -> None:
    offers = by_id(filter_exercises(HealthProfile(osteoporosis=True), ALL))
    text_swap, point_swap = offers["FLEXT"], offers["FLEXP"]
    assert text_swap.variant is FLEX_TEXT.bone_safe
    assert text_swap.variant_exercise_id is None
    assert text_swap.variant is not None and text_swap.variant.text is not None
    assert text_swap.variant.text.get("de") == "Steißbein bleibt unten."
    assert point_swap.variant_exercise_id == "PLAIN"
    assert text_swap.reasons == (prof.REASON_BONE_SAFE_SWAP,)
    assert offers["TWIST"].reasons == (prof.REASON_BONE_SAFE_HIDDEN,)
    # An exercise that is not swapped has no variant to show.
    assert offers["PLAIN"].variant is None


def test_bone_safe_without_variant_only_if_clinician_assigns_it() -> None:
    profile = HealthProfile(osteoporosis=True)
    offers = by_id(filter_exercises(profile, ALL, assigned_by_clinician=["TWIST", "FLEXT"]))
    assert offers["TWIST"].status is OfferStatus.OK
    assert offers["TWIST"].notes == (prof.NOTE_BONE_SAFE_ASSIGNED,)
    # An assignment does not undo the swap where a bone-safe variant exists.
    assert offers["FLEXT"].status is OfferStatus.BONE_SAFE_VARIANT


def test_bone_safe_swap_to_a_hidden_exercise_hides_the_original() -> None:
    points_to_floor = ex("FLEXF", "end_range_flexion", bone_safe={"exercise": "FLOOR"})
    profile = HealthProfile(osteoporosis=True, cannot_use_floor=True)
    offers = by_id(filter_exercises(profile, [points_to_floor, FLOOR]))
    assert offers["FLEXF"].status is OfferStatus.HIDDEN
    assert offers["FLEXF"].reasons == (prof.REASON_BONE_SAFE_TARGET_HIDDEN,)
    # Without the floor problem the same swap is fine.
    offers = by_id(filter_exercises(HealthProfile(osteoporosis=True), [points_to_floor, FLOOR]))
    assert offers["FLEXF"].status is OfferStatus.BONE_SAFE_VARIANT


# -- joint replacements ----------------------------------------------------


def test_hip_replacement_with_limits_hides_hip_tags_and_kneeling() -> None:
    profile = HealthProfile(
        joint_replacements=[
            JointReplacement(joint=Joint.HIP, side=BodySide.LEFT, approach=Approach.POSTERIOR)
        ]
    )
    offers = filter_exercises(profile, ALL)
    assert statuses(offers) == BASELINE | {
        "HIP90": HIDDEN, "CROSS": HIDDEN, "HIPEXT": HIDDEN, "KNEEL": HIDDEN,
    }  # fmt: skip
    found = by_id(offers)
    assert found["HIP90"].reasons == (prof.REASON_HIP_FLEXION,)
    assert found["CROSS"].reasons == (prof.REASON_HIP_CROSSING,)
    assert found["HIPEXT"].reasons == (prof.REASON_HIP_EXTENSION,)
    assert found["KNEEL"].reasons == (prof.REASON_KNEELING_HIP,)


def test_hip_limits_apply_whatever_the_approach() -> None:
    profile = HealthProfile(
        joint_replacements=[
            JointReplacement(joint=Joint.HIP, side=BodySide.RIGHT, approach=Approach.ANTERIOR)
        ]
    )
    assert statuses(filter_exercises(profile, [HIP90, CROSS]))["CROSS"] == HIDDEN


def test_knee_replacement_hides_only_kneeling() -> None:
    profile = HealthProfile(
        joint_replacements=[JointReplacement(joint=Joint.KNEE, side=BodySide.BOTH)]
    )
    offers = filter_exercises(profile, ALL)
    assert statuses(offers) == BASELINE | {"KNEEL": HIDDEN}
    assert by_id(offers)["KNEEL"].reasons == (prof.REASON_KNEELING_KNEE,)
    assert prof.REASON_KNEELING_KNEE.get("en") == "Hidden: kneeling after a knee replacement."


def test_joint_replacement_without_limits_hides_nothing() -> None:
    profile = HealthProfile(
        joint_replacements=[
            JointReplacement(joint=Joint.HIP, side=BodySide.LEFT, limits_apply=False),
            JointReplacement(joint=Joint.KNEE, side=BodySide.RIGHT, limits_apply=False),
        ]
    )
    assert statuses(filter_exercises(profile, ALL)) == BASELINE
    assert prof.NOTE_JOINT_LIMITS not in profile_notes(profile)


def test_joint_replacement_limits_default_to_applying() -> None:
    replacement = JointReplacement(
        joint=Joint.HIP, side=BodySide.LEFT, operation_date=date(2025, 1, 10)
    )
    assert replacement.limits_apply is True
    assert replacement.approach == "unknown"


# -- floor and falls -------------------------------------------------------


@pytest.mark.parametrize("answer", ["cannot_use_floor", "fall_last_year"])
def test_floor_exercises_hidden_or_on_a_firm_bed(answer: str) -> None:
    profile = HealthProfile.from_data({answer: True})
    assert chair_set_default(profile) is True
    offers = filter_exercises(profile, ALL)
    assert statuses(offers) == BASELINE | {"FLOOR": HIDDEN, "KNEEL": HIDDEN}
    found = by_id(offers)
    assert found["FLOOR"].reasons == (prof.REASON_FLOOR,)
    assert found["FLOORBED"].status is OfferStatus.OK
    assert found["FLOORBED"].notes == (prof.NOTE_FIRM_BED,)
    assert "firm bed" in prof.NOTE_FIRM_BED.get("en")


def test_chair_set_is_not_default_otherwise() -> None:
    assert chair_set_default(HealthProfile()) is False


def test_hidden_wins_over_swap_and_lists_only_hiding_reasons() -> None:
    floor_flex = ex("FF", "floor", "end_range_flexion", bone_safe={"text": {"en": "Smaller."}})
    profile = HealthProfile(osteoporosis=True, fall_last_year=True)
    offer = filter_exercises(profile, [floor_flex])[0]
    assert offer.status is OfferStatus.HIDDEN
    assert offer.reasons == (prof.REASON_FLOOR,)
    assert offer.variant is None


# -- back operation --------------------------------------------------------


def test_recent_back_operation_answer_locks_builtin_routines() -> None:
    assert builtin_routines_locked(HealthProfile(back_operation_recent=True)) is True
    assert builtin_routines_locked(HealthProfile()) is False


def test_back_operation_lock_ends_three_calendar_months_after_the_date() -> None:
    profile = HealthProfile(back_operation_recent=True, back_operation_date=date(2024, 1, 31))
    # 31 January + 3 months = 30 April (April has 30 days).
    assert builtin_routines_locked(profile, date(2024, 4, 29)) is True
    assert builtin_routines_locked(profile, date(2024, 4, 30)) is False
    assert builtin_routines_locked(profile, date(2024, 2, 1)) is True


def test_back_operation_date_locks_even_without_the_flag() -> None:
    profile = HealthProfile(back_operation_date=date(2024, 11, 15))
    assert builtin_routines_locked(profile, date(2025, 2, 14)) is True
    assert builtin_routines_locked(profile, date(2025, 2, 15)) is False


def test_locked_profile_allows_only_a_clinicians_plan() -> None:
    profile = HealthProfile(back_operation_recent=True)
    exercises = [PLAIN, STANDING]
    allowed, reasons = routine_allowed(profile, routine("PLAIN", "STAND"), exercises)
    assert (allowed, reasons) == (False, [prof.REASON_LOCKED])
    allowed, reasons = routine_allowed(
        profile, routine("PLAIN", "STAND"), exercises, from_clinician=True
    )
    assert (allowed, reasons) == (True, [])


# -- notes -----------------------------------------------------------------


def test_no_notes_for_an_empty_profile() -> None:
    assert profile_notes(HealthProfile()) == []


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        (
            {"heart_or_bp_uncontrolled": True},
            [prof.NOTE_HEART_ASK_DOCTOR, prof.NOTE_HEART_BREATHING],
        ),
        (
            {"diabetes": True},
            [prof.NOTE_DIABETES_SUGAR, prof.NOTE_DIABETES_FEET, prof.NOTE_NO_HEAT_ON_NUMB_SKIN],
        ),
        ({"blood_thinners": True}, [prof.NOTE_BLOOD_THINNERS]),
        ({"dizziness_on_standing": True}, [prof.NOTE_RISE_SLOWLY]),
        ({"neuropathy": True}, [prof.NOTE_NO_HEAT_ON_NUMB_SKIN]),
        ({"usual_symptoms": {"numbness_one_foot": True}}, [prof.NOTE_NO_HEAT_ON_NUMB_SKIN]),
        ({"osteoporosis": True}, [prof.NOTE_BONE_SAFE]),
        ({"fall_last_year": True}, [prof.NOTE_CHAIR_SET]),
        ({"cannot_use_floor": True}, [prof.NOTE_CHAIR_SET]),
        ({"back_operation_recent": True}, [prof.REASON_LOCKED]),
        (
            {"joint_replacements": [{"joint": "knee", "side": "left"}]},
            [prof.NOTE_JOINT_LIMITS],
        ),
    ],
)
def test_each_answer_gives_its_notes(answers: dict[str, Any], expected: list[Text]) -> None:
    assert profile_notes(HealthProfile.from_data(answers)) == expected


def test_notes_content_says_what_to_do() -> None:
    assert "ask your doctor" in prof.NOTE_HEART_ASK_DOCTOR.get("en")
    assert "sugary" in prof.NOTE_DIABETES_SUGAR.get("en")
    assert "emergency department today" in prof.NOTE_BLOOD_THINNERS.get("en")
    assert "Notaufnahme" in prof.NOTE_BLOOD_THINNERS.get("de")
    assert "slowly" in prof.NOTE_RISE_SLOWLY.get("en")


def test_heart_notes_come_first() -> None:
    profile = HealthProfile(heart_or_bp_uncontrolled=True, blood_thinners=True, diabetes=True)
    assert profile_notes(profile)[:2] == [prof.NOTE_HEART_ASK_DOCTOR, prof.NOTE_HEART_BREATHING]


# -- emergency numbers and storage -----------------------------------------


@pytest.mark.parametrize(
    ("country", "number"),
    [
        ("DE", "112"), ("FR", "112"), ("AT", "112"), ("IT", "112"), ("US", "911"),
        ("CA", "911"), ("GB", "999"), ("AU", "000"), ("NZ", "111"), ("JP", "112"),
    ],
)  # fmt: skip
def test_emergency_number_per_country(country: str, number: str) -> None:
    assert default_emergency_number(country) == number
    assert HealthProfile(country=country).emergency_number == number


def test_country_is_normalised_and_checked() -> None:
    assert HealthProfile(country="gb").country == "GB"
    assert HealthProfile(country=" uk ").country == "GB"
    assert HealthProfile(country="uk").emergency_number == "999"
    assert HealthProfile().country == "DE"
    for bad in ("", "DEU", "1A", "Ü1"):
        with pytest.raises(ValueError, match="country code"):
            HealthProfile(country=bad)
        with pytest.raises(Invalid) as read:
            HealthProfile.from_data({"country": bad})
        assert read.value.loc == ("country",)


def test_emergency_number_is_editable() -> None:
    profile = HealthProfile(country="DE", emergency_number_override="0049 112")
    assert profile.emergency_number == "0049 112"
    # Clearing the field goes back to the country's number.
    assert HealthProfile(country="US", emergency_number_override="  ").emergency_number == "911"
    with pytest.raises(Invalid) as read:
        HealthProfile.from_data({"emergency_number_override": "call mum"})
    assert read.value.loc == ("emergency_number_override",)


def test_profile_round_trips_through_json() -> None:
    profile = HealthProfile.from_data(
        {
            "osteoporosis": True,
            "joint_replacements": [
                {
                    "joint": "hip",
                    "side": "left",
                    "approach": "posterior",
                    "operation_date": "2025-03-01",
                }
            ],
            "back_operation_date": date(2025, 6, 2),
            "usual_symptoms": {"text": "Left foot numb for years", "numbness_one_foot": True},
            "country": "GB",
            "completed": True,
        }
    )
    assert profile.joint_replacements[0].joint is Joint.HIP
    stored = json.dumps(profile.to_data())
    again = HealthProfile.from_data(json.loads(stored))
    assert again == profile
    assert again.joint_replacements[0].operation_date == date(2025, 3, 1)
    assert HealthProfile.from_json(profile.to_json()) == profile


def test_profile_rejects_unknown_keys() -> None:
    with pytest.raises(Invalid, match="unknown field") as read:
        HealthProfile.from_data({"osteoperosis": True})
    assert read.value.loc == ("osteoperosis",)


def test_completed_defaults_to_false() -> None:
    assert HealthProfile().completed is False


# -- routines --------------------------------------------------------------


def test_routine_allowed_when_every_item_is_fine() -> None:
    assert routine_allowed(HealthProfile(), routine("PLAIN", "FLOOR"), ALL) == (True, [])


def test_routine_blocked_by_a_hidden_item_names_the_exercise() -> None:
    profile = HealthProfile(cannot_use_floor=True)
    allowed, reasons = routine_allowed(profile, routine("PLAIN", "FLOOR"), ALL)
    assert allowed is False
    assert [r.get("en") for r in reasons] == [f"Title FLOOR – {prof.REASON_FLOOR.get('en')}"]
    assert reasons[0].get("de") == f"Titel FLOOR – {prof.REASON_FLOOR.get('de')}"


def test_routine_extension_needs_the_routines_permission() -> None:
    assert routine_allowed(HealthProfile(), routine("EXT"), ALL)[0] is False
    allowed, notes = routine_allowed(HealthProfile(), routine("EXT", allow_extension=("EXT",)), ALL)
    assert allowed is True
    assert [n.get("en") for n in notes] == [f"Title EXT – {prof.NOTE_EXTENSION_ALLOWED.get('en')}"]


def test_routine_reports_swaps_and_bed_notes() -> None:
    profile = HealthProfile(osteoporosis=True, fall_last_year=True)
    allowed, notes = routine_allowed(profile, routine("FLEXT", "FLOORBED"), {e.id: e for e in ALL})
    assert allowed is True
    assert [n.get("en") for n in notes] == [
        f"Title FLEXT – {prof.REASON_BONE_SAFE_SWAP.get('en')}",
        f"Title FLOORBED – {prof.NOTE_FIRM_BED.get('en')}",
    ]


def test_routine_with_a_missing_exercise_is_blocked() -> None:
    allowed, reasons = routine_allowed(HealthProfile(), routine("PLAIN", "NOPE"), ALL)
    assert allowed is False
    assert reasons == [prof.reason_unknown_exercise("NOPE")]


def test_clinicians_plan_may_hold_bone_risky_exercises_without_variant() -> None:
    profile = HealthProfile(osteoporosis=True)
    assert routine_allowed(profile, routine("TWIST"), ALL)[0] is False
    allowed, notes = routine_allowed(profile, routine("TWIST"), ALL, from_clinician=True)
    assert allowed is True
    assert [n.get("en") for n in notes] == [
        f"Title TWIST – {prof.NOTE_BONE_SAFE_ASSIGNED.get('en')}"
    ]


# -- texts -----------------------------------------------------------------


def all_profile_texts() -> list[Text]:
    texts = [v for v in vars(prof).values() if isinstance(v, Text)]
    texts.append(prof.reason_unknown_exercise("X1"))
    return texts


def test_every_text_has_english_and_german() -> None:
    texts = all_profile_texts()
    assert len(texts) >= 25
    for text in texts:
        assert text.has("en") and text.has("de"), text.root
        assert text.get("en") != text.get("de"), text.root
