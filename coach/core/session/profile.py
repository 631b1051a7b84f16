"""The health profile and what it changes in the exercises Coach offers.

A few first-run answers (bones, joint replacements, a recent back operation,
getting down to the floor, falls, ...) decide which exercises are shown as
they are, shown in their bone-safe version, or hidden. The rules are the ones
of the clinical content specification (section 6b); each decision carries the
reasons in plain words so the person can see *why* an exercise is missing.

Pure data and functions, no Qt; the helpers at the end keep the profile as
JSON in the data folder.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated

from coach.core.common.atomic import write_text_atomic
from coach.core.common.damaged import damaged_note, keep_if_damaged
from coach.core.content.model import Exercise, Routine, Tag, Text, Variant
from coach.core.content.records import FieldProblem, Meta, Record, field

PROFILE_VERSION = 1
"""The newest stored-profile format this Coach reads and writes."""

# --------------------------------------------------------------------------
# Emergency numbers
# --------------------------------------------------------------------------

DEFAULT_EMERGENCY_NUMBER = "112"
"""112 works in every EU/EEA country and on most mobile networks elsewhere,
so it is the fallback for any country we have no entry for."""

# Only the exceptions to 112 are listed; every EU/EEA country (and
# Switzerland) uses 112 and so falls through to the default.
EMERGENCY_NUMBERS: Mapping[str, str] = {
    "US": "911",
    "CA": "911",
    "GB": "999",
    "AU": "000",
    "NZ": "111",
}

# People type "UK"; ISO 3166 says "GB". Accept both, store the ISO code.
_COUNTRY_ALIASES: Mapping[str, str] = {"UK": "GB"}


def default_emergency_number(country: str) -> str:
    """The emergency number for an ISO 3166 alpha-2 country code (112 if unknown)."""
    code = country.strip().upper()
    code = _COUNTRY_ALIASES.get(code, code)
    return EMERGENCY_NUMBERS.get(code, DEFAULT_EMERGENCY_NUMBER)


# --------------------------------------------------------------------------
# The profile
# --------------------------------------------------------------------------


class Joint(StrEnum):
    HIP = "hip"
    KNEE = "knee"


class BodySide(StrEnum):
    LEFT = "left"
    RIGHT = "right"
    BOTH = "both"


class Approach(StrEnum):
    """The surgical approach; it decides the usual limits (posterior: no flexion
    past 90°, no crossing; anterior: no extension with outward rotation)."""

    POSTERIOR = "posterior"
    ANTERIOR = "anterior"
    OTHER = "other"
    UNKNOWN = "unknown"


_PHONE = re.compile(r"\+?[0-9][0-9 ]{1,14}")


class JointReplacement(Record, kw_only=True):
    joint: Joint
    side: BodySide
    approach: Approach = Approach.UNKNOWN
    # Not called "date": the field would shadow its own type in annotations.
    operation_date: date | None = None
    # Defaults to True: until the person (or their clinician) says the
    # surgeon's limits are over, we assume they still apply.
    limits_apply: bool = True


class UsualSymptoms(Record, kw_only=True):
    """The person's usual symptoms, recorded once so the daily check asks about
    what is *new or worse* and does not raise false alarms every day."""

    # In the person's own words.
    text: Annotated[str, Meta(max_length=2000)] = ""
    numbness_one_foot: bool = False
    numbness_both_feet: bool = False
    symptoms_both_legs: bool = False
    leg_weakness: bool = False
    bladder_trouble: bool = False
    # Usual pain on a normal day, 0-10; None = not given. The pain rule judges
    # the pain after a session against it too: ending at your usual level is
    # no flare, even at 6 or more.
    usual_back_pain: Annotated[int, Meta(ge=0, le=10)] | None = None
    usual_leg_pain: Annotated[int, Meta(ge=0, le=10)] | None = None


class HealthProfile(Record, kw_only=True):
    version: int = PROFILE_VERSION

    # Bones: any of these switches on bone-safe mode.
    osteoporosis: bool = False
    # A broken bone from a minor fall or strain, or a spine fracture.
    low_trauma_fracture: bool = False
    height_loss: bool = False
    long_term_steroids: bool = False

    joint_replacements: list[JointReplacement] = field(default_factory=list)

    # A back operation within the last 3 months.
    back_operation_recent: bool = False
    back_operation_date: date | None = None

    # Cannot get down to and up from the floor safely.
    cannot_use_floor: bool = False
    fall_last_year: bool = False
    # Heart disease, or blood pressure that is not under control.
    heart_or_bp_uncontrolled: bool = False
    diabetes: bool = False
    blood_thinners: bool = False
    # Neuropathy or usual numbness.
    neuropathy: bool = False
    dizziness_on_standing: bool = False

    usual_symptoms: UsualSymptoms = field(default_factory=UsualSymptoms)

    # ISO 3166 alpha-2 code.
    country: str = "DE"
    # The person's own emergency number; None = the country's default.
    emergency_number_override: str | None = None

    completed: bool = False

    def __post_init__(self) -> None:
        code = self.country.strip().upper()
        code = _COUNTRY_ALIASES.get(code, code)
        if len(code) != 2 or not code.isascii() or not code.isalpha():
            raise FieldProblem("country", "a two-letter country code (ISO 3166), e.g. DE, GB, US")
        self.country = code
        # An emptied field in the settings means "use the country's number".
        number = (self.emergency_number_override or "").strip() or None
        if number is not None and not _PHONE.fullmatch(number):
            raise FieldProblem(
                "emergency_number_override", "a phone number: digits and spaces, up to 15"
            )
        self.emergency_number_override = number

    @property
    def bone_safe(self) -> bool:
        return (
            self.osteoporosis
            or self.low_trauma_fracture
            or self.height_loss
            or self.long_term_steroids
        )

    @property
    def emergency_number(self) -> str:
        return self.emergency_number_override or default_emergency_number(self.country)

    def replacements_with_limits(self, joint: Joint) -> list[JointReplacement]:
        return [r for r in self.joint_replacements if r.joint is joint and r.limits_apply]


# --------------------------------------------------------------------------
# Whole-profile decisions
# --------------------------------------------------------------------------

BACK_OPERATION_LOCK_MONTHS = 3


def _add_months(day: date, months: int) -> date:
    years, month0 = divmod(day.month - 1 + months, 12)
    year = day.year + years
    month = month0 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def builtin_routines_locked(profile: HealthProfile, today: date | None = None) -> bool:
    """True while a recent back operation allows only a clinician's plan.

    With an operation date the lock ends by itself 3 calendar months later;
    without one the person's yes/no answer decides until they change it. A
    date in the future (an operation planned) locks too: the plan after it
    belongs to the surgeon's team.
    """
    if profile.back_operation_date is not None:
        today = today or date.today()
        ends = _add_months(profile.back_operation_date, BACK_OPERATION_LOCK_MONTHS)
        return today < ends
    return profile.back_operation_recent


def chair_set_default(profile: HealthProfile) -> bool:
    """True when the chair and counter set should be the default routine."""
    return profile.cannot_use_floor or profile.fall_last_year


# --------------------------------------------------------------------------
# Texts: reasons and notes
# --------------------------------------------------------------------------

REASON_EXTENSION = Text.of(
    "Hidden: this exercise arches the lower back, which can narrow the spinal canal. "
    "Only with your physiotherapist's permission.",
    "Ausgeblendet: Bei dieser Übung gehen Sie ins Hohlkreuz. Das kann den Spinalkanal "
    "enger machen. Nur mit Erlaubnis Ihrer Physiotherapeutin oder Ihres Physiotherapeuten.",
)
NOTE_EXTENSION_ALLOWED = Text.of(
    "Your physiotherapist allowed this exercise for you. It arches the back: if your leg "
    "symptoms do not settle within a minute, stop and leave it out.",
    "Ihre Physiotherapeutin oder Ihr Physiotherapeut hat Ihnen diese Übung erlaubt. Dabei "
    "gehen Sie ins Hohlkreuz: Wenn die Beschwerden im Bein nicht innerhalb einer Minute "
    "nachlassen, hören Sie auf und lassen Sie die Übung weg.",
)
REASON_BONE_SAFE_SWAP = Text.of(
    "Bone-safe version: to protect your bones you do a gentler form of this exercise.",
    "Knochenschonende Variante: Zum Schutz Ihrer Knochen üben Sie eine sanftere Form dieser Übung.",
)
REASON_BONE_SAFE_HIDDEN = Text.of(
    "Hidden: this exercise bends or twists the back further than is safe for weak bones "
    "(osteoporosis).",
    "Ausgeblendet: Bei dieser Übung wird der Rücken stärker gebeugt oder gedreht, als es "
    "für geschwächte Knochen (Osteoporose) sicher ist.",
)
REASON_BONE_SAFE_TARGET_HIDDEN = Text.of(
    "Hidden: its bone-safe version is not suitable for you either.",
    "Ausgeblendet: Auch die knochenschonende Variante ist für Sie nicht geeignet.",
)
NOTE_BONE_SAFE_ASSIGNED = Text.of(
    "Your physiotherapist chose this exercise for you although your bones need care. "
    "Do it exactly as you were shown, and keep the movement small.",
    "Ihre Physiotherapeutin oder Ihr Physiotherapeut hat diese Übung für Sie ausgewählt, "
    "obwohl Ihre Knochen Schonung brauchen. Üben Sie genau so, wie es Ihnen gezeigt wurde, "
    "und halten Sie die Bewegung klein.",
)
REASON_HIP_FLEXION = Text.of(
    "Hidden: this bends the hip further than a right angle, which the rules for your new "
    "hip do not allow yet.",
    "Ausgeblendet: Hier wird die Hüfte weiter als im rechten Winkel gebeugt. Das erlauben "
    "die Regeln für Ihr künstliches Hüftgelenk noch nicht.",
)
REASON_HIP_CROSSING = Text.of(
    "Hidden: this crosses the leg over the middle or turns it inwards, which the rules "
    "for your new hip do not allow yet.",
    "Ausgeblendet: Hier wird das Bein über die Mitte gekreuzt oder nach innen gedreht. "
    "Das erlauben die Regeln für Ihr künstliches Hüftgelenk noch nicht.",
)
REASON_HIP_EXTENSION = Text.of(
    "Hidden: this stretches the hip backwards, which the rules for your new hip do not allow yet.",
    "Ausgeblendet: Hier wird die Hüfte nach hinten gestreckt. Das erlauben die Regeln für "
    "Ihr künstliches Hüftgelenk noch nicht.",
)
REASON_KNEELING_KNEE = Text.of(
    "Hidden: kneeling after a knee replacement.",
    "Ausgeblendet: kein Knien mit einem künstlichen Kniegelenk.",
)
REASON_KNEELING_HIP = Text.of(
    "Hidden: kneeling after a hip replacement.",
    "Ausgeblendet: kein Knien mit einem künstlichen Hüftgelenk.",
)
REASON_FLOOR = Text.of(
    "Hidden: this exercise is done on the floor. After a fall, or when getting down and "
    "up again is hard, it is safer to stay off the floor.",
    "Ausgeblendet: Diese Übung findet auf dem Boden statt. Nach einem Sturz oder wenn das "
    "Hinlegen und Aufstehen schwerfällt, ist es sicherer, nicht auf dem Boden zu üben.",
)
NOTE_FIRM_BED = Text.of(
    "Do this on a firm bed, not on the floor. To get up, roll onto your side, push "
    "yourself up to sitting and sit for half a minute before you stand.",
    "Üben Sie auf einem festen Bett, nicht auf dem Boden. Zum Aufstehen rollen Sie sich auf "
    "die Seite, drücken sich mit den Armen zum Sitzen hoch und bleiben eine halbe Minute "
    "sitzen, bevor Sie aufstehen.",
)
REASON_LOCKED = Text.of(
    "After your back operation, only the plan from your physiotherapist or surgeon is "
    "used for the first 3 months.",
    "Nach Ihrer Rückenoperation gilt in den ersten 3 Monaten nur der Plan Ihrer "
    "Physiotherapeutin, Ihres Physiotherapeuten oder Ihres Operateurs.",
)


def reason_unknown_exercise(exercise_id: str) -> Text:
    return Text.of(
        f"This routine uses an exercise that is missing ({exercise_id}).",
        f"In diesem Programm fehlt eine Übung ({exercise_id}).",
    )


NOTE_HEART_ASK_DOCTOR = Text.of(
    "Because of your heart or blood pressure, ask your doctor before you start these exercises.",
    "Wegen Ihres Herzens oder Blutdrucks: Fragen Sie Ihre Ärztin oder Ihren Arzt, bevor "
    "Sie mit den Übungen beginnen.",
)
NOTE_HEART_BREATHING = Text.of(
    "Never hold your breath. Keep breathing during every hold: breathe out as you hold, "
    "or count the seconds aloud.",
    "Halten Sie nie die Luft an. Atmen Sie bei jedem Halten weiter: beim Halten ausatmen "
    "oder die Sekunden laut zählen.",
)
NOTE_DIABETES_SUGAR = Text.of(
    "Carry something sugary with you, such as glucose tablets or juice. Follow your "
    "diabetes team's advice about exercise.",
    "Haben Sie immer etwas Zuckerhaltiges dabei, zum Beispiel Traubenzucker oder Saft. "
    "Halten Sie sich beim Sport an die Tipps Ihres Diabetes-Teams.",
)
NOTE_DIABETES_FEET = Text.of(
    "Look at your feet every day for sores or red spots. Wear water shoes in the pool.",
    "Schauen Sie sich jeden Tag Ihre Füße an, ob Druckstellen oder Wunden da sind. Tragen "
    "Sie im Schwimmbad Badeschuhe.",
)
NOTE_NO_HEAT_ON_NUMB_SKIN = Text.of(
    "Never put heat (hot-water bottle, heat pad) on skin that feels numb: you may not "
    "notice a burn.",
    "Legen Sie nie Wärme (Wärmflasche, Heizkissen) auf taube Haut: Sie spüren eine "
    "Verbrennung dort vielleicht nicht.",
)
NOTE_BLOOD_THINNERS = Text.of(
    "You take blood thinners: if you fall and knock your head, go to the emergency "
    "department today, even if you feel fine.",
    "Sie nehmen Blutverdünner: Wenn Sie stürzen und mit dem Kopf anstoßen, gehen Sie noch "
    "am selben Tag in die Notaufnahme – auch wenn Sie sich gut fühlen.",
)
NOTE_RISE_SLOWLY = Text.of(
    "Get up slowly after lying down or bending forward. Sit for a moment first, and hold "
    "on to something stable when you stand.",
    "Stehen Sie nach dem Liegen oder Vorbeugen langsam auf. Bleiben Sie erst einen Moment "
    "sitzen und halten Sie sich beim Aufstehen an etwas Stabilem fest.",
)
NOTE_BONE_SAFE = Text.of(
    "To protect your bones: bend forward from your hips, not by rounding your back, and "
    "stop well before the end of the movement. Do not bend and twist at the same time.",
    "Zum Schutz Ihrer Knochen: Beugen Sie sich aus der Hüfte nach vorne, nicht mit rundem "
    "Rücken, und gehen Sie nicht bis ans Ende der Bewegung. Beugen und drehen Sie sich "
    "nicht gleichzeitig.",
)
NOTE_JOINT_LIMITS = Text.of(
    "Follow your surgeon's rules for your new joint. Exercises that go beyond them stay "
    "hidden until you tell Coach that the limits no longer apply.",
    "Halten Sie sich an die Regeln Ihres Operateurs für Ihr künstliches Gelenk. Übungen, "
    "die darüber hinausgehen, bleiben ausgeblendet, bis Sie in Coach angeben, dass die "
    "Einschränkungen nicht mehr gelten.",
)
NOTE_CHAIR_SET = Text.of(
    "Your main routine is the chair and counter set. Lying exercises can be done on a "
    "firm bed. Keep a phone within reach when you exercise alone.",
    "Ihr Hauptprogramm sind die Übungen am Stuhl und an der Arbeitsplatte. Übungen im "
    "Liegen können Sie auf einem festen Bett machen. Haben Sie beim Üben allein ein "
    "Telefon in Reichweite.",
)


def profile_notes(profile: HealthProfile, today: date | None = None) -> list[Text]:
    """The advice lines the profile calls for, most important first.

    Heart/blood pressure comes first because "ask your doctor before you start"
    must be read before anything else.
    """
    notes: list[Text] = []
    if profile.heart_or_bp_uncontrolled:
        notes += [NOTE_HEART_ASK_DOCTOR, NOTE_HEART_BREATHING]
    if builtin_routines_locked(profile, today):
        notes.append(REASON_LOCKED)
    if profile.blood_thinners:
        notes.append(NOTE_BLOOD_THINNERS)
    if profile.diabetes:
        notes += [NOTE_DIABETES_SUGAR, NOTE_DIABETES_FEET]
    usual = profile.usual_symptoms
    if (
        profile.diabetes
        or profile.neuropathy
        or usual.numbness_one_foot
        or usual.numbness_both_feet
    ):
        notes.append(NOTE_NO_HEAT_ON_NUMB_SKIN)
    if profile.dizziness_on_standing:
        notes.append(NOTE_RISE_SLOWLY)
    if profile.bone_safe:
        notes.append(NOTE_BONE_SAFE)
    if any(r.limits_apply for r in profile.joint_replacements):
        notes.append(NOTE_JOINT_LIMITS)
    if chair_set_default(profile):
        notes.append(NOTE_CHAIR_SET)
    return notes


# --------------------------------------------------------------------------
# The exercise filter
# --------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Rule:
    """One rule of the profile acting on one exercise, and the answer behind it.

    ``code`` names the rule for machines (``hip_replacement/hip_flexion_over_90``),
    ``answer`` is the health answer that set it off in the person's words, and
    ``says`` what the rule does (the reason or note the person reads). A
    clinician previewing a plan reads all three: what changed, and why.
    """

    code: str
    answer: Text
    says: Text

    @property
    def for_clinician(self) -> Text:
        """What the rule does, in a clinician's words (the person reads ``says``)."""
        base = self.code.split(":")[0]
        return CLINICIAN_WORDS.get(base, self.says)


CLINICIAN_WORDS: Mapping[str, Text] = {
    "lumbar_extension": Text.of(
        "lumbar extension: only with your permission for this patient",
        "Extension der Lendenwirbelsäule: nur mit Ihrer Erlaubnis für diese Person",
    ),
    "lumbar_extension/allowed": Text.of(
        "lumbar extension allowed by you; the player shows the caution",
        "Extension von Ihnen erlaubt; der Player zeigt den Warnhinweis",
    ),
    "bone_safe/variant": Text.of(
        "bone-safe mode: its bone-safe version (no end-range, loaded or twisting flexion)",
        "knochenschonender Modus: die knochenschonende Variante (keine endgradige, belastete "
        "oder drehende Beugung)",
    ),
    "bone_safe/assigned": Text.of(
        "bone-safe mode, kept because you assigned it",
        "knochenschonender Modus, bleibt, weil Sie die Übung zugewiesen haben",
    ),
    "bone_safe/hidden": Text.of(
        "bone-safe mode: end-range, loaded or twisting flexion without a bone-safe version",
        "knochenschonender Modus: endgradige, belastete oder drehende Beugung ohne "
        "knochenschonende Variante",
    ),
    "bone_safe/target_hidden": Text.of(
        "bone-safe mode: its bone-safe version is hidden by another rule",
        "knochenschonender Modus: die knochenschonende Variante ist durch eine andere Regel "
        "ausgeblendet",
    ),
    "hip_replacement/hip_flexion_over_90": Text.of(
        "hip flexion beyond 90°", "Hüftbeugung über 90°"
    ),
    "hip_replacement/hip_crossing": Text.of(
        "adduction across the midline or inward rotation",
        "Adduktion über die Mittellinie oder Innenrotation",
    ),
    "hip_replacement/hip_extension": Text.of("hip extension", "Hüftstreckung"),
    "hip_replacement/kneeling": Text.of("kneeling", "Knien"),
    "knee_replacement/kneeling": Text.of("kneeling", "Knien"),
    "no_floor": Text.of(
        "floor work without a version on a firm bed",
        "Übung am Boden ohne Variante auf einem festen Bett",
    ),
    "no_floor/firm_bed": Text.of(
        "on a firm bed instead of the floor", "auf einem festen Bett statt am Boden"
    ),
    "back_operation_recent": Text.of(
        "Coach's own routines are locked; only a clinician's plan runs",
        "die Übungsfolgen von Coach sind gesperrt; nur ein Plan aus der Praxis läuft",
    ),
}
"""A rule's effect as a physiotherapist reads it in a preview, by rule code."""

_ANSWER_BONES: Mapping[str, Text] = {
    "osteoporosis": Text.of("osteoporosis", "Osteoporose"),
    "low_trauma_fracture": Text.of(
        "a broken bone after a minor fall, or a spine fracture",
        "ein Knochenbruch nach einem leichten Sturz oder ein Wirbelbruch",
    ),
    "height_loss": Text.of("height loss", "Sie sind kleiner geworden"),
    "long_term_steroids": Text.of("long-term steroids (cortisone)", "Kortison über lange Zeit"),
}
_SIDE_WORDS: Mapping[BodySide, Text] = {
    BodySide.LEFT: Text.of("left", "links"),
    BodySide.RIGHT: Text.of("right", "rechts"),
    BodySide.BOTH: Text.of("both sides", "beidseits"),
}
_APPROACH_WORDS: Mapping[Approach, Text] = {
    Approach.POSTERIOR: Text.of("posterior approach", "Zugang von hinten"),
    Approach.ANTERIOR: Text.of("anterior approach", "Zugang von vorne"),
    Approach.OTHER: Text.of("another approach", "anderer Zugang"),
    Approach.UNKNOWN: Text.of("approach not known", "Zugang unbekannt"),
}
_ANSWER_EXTENSION = Text.of(
    "no permission from the physiotherapist for this exercise",
    "keine Erlaubnis der Physiotherapie für diese Übung",
)
_ANSWER_EXTENSION_ALLOWED = Text.of(
    "allowed by the physiotherapist for this person",
    "von der Physiotherapie für diese Person erlaubt",
)
_ANSWER_ASSIGNED = Text.of(
    "weak bones, and the physiotherapist assigned it",
    "schwache Knochen, von der Physiotherapie zugewiesen",
)
_ANSWER_NO_FLOOR = Text.of(
    "cannot get down to the floor and up again safely",
    "kann nicht sicher auf den Boden und wieder hoch",
)
_ANSWER_FALL = Text.of("a fall in the last year", "ein Sturz im letzten Jahr")
ANSWER_BACK_OPERATION = Text.of(
    "a back operation in the last 3 months", "eine Rückenoperation in den letzten 3 Monaten"
)


def _join(parts: Iterable[Text]) -> Text:
    items = list(parts)
    return Text.trusted({lang: ", ".join(t.get(lang) for t in items) for lang in ("en", "de")})


def _bone_answer(profile: HealthProfile) -> Text:
    return _join(text for name, text in _ANSWER_BONES.items() if getattr(profile, name))


def _joint_answer(profile: HealthProfile, joint: Joint) -> Text:
    def one(r: JointReplacement) -> Text:
        side, approach = _SIDE_WORDS[r.side], _APPROACH_WORDS[r.approach]
        if joint is Joint.HIP:
            return Text.of(
                f"hip replacement, {side.get('en')} ({approach.get('en')}), the surgeon's "
                "limits apply",
                f"künstliches Hüftgelenk, {side.get('de')} ({approach.get('de')}), die "
                "Vorgaben des Operateurs gelten",
            )
        return Text.of(
            f"knee replacement, {side.get('en')}",
            f"künstliches Kniegelenk, {side.get('de')}",
        )

    return _join(one(r) for r in profile.replacements_with_limits(joint))


def _floor_answer(profile: HealthProfile) -> Text:
    parts = [_ANSWER_NO_FLOOR] if profile.cannot_use_floor else []
    if profile.fall_last_year:
        parts.append(_ANSWER_FALL)
    return _join(parts)


class OfferStatus(StrEnum):
    OK = "ok"
    BONE_SAFE_VARIANT = "bone_safe_variant"
    HIDDEN = "hidden"


@dataclass(frozen=True, eq=False)
class Offer:
    """What the profile makes of one exercise.

    ``reasons`` explain the status (empty when ``ok``); ``notes`` are
    instructions to show with an offered exercise (e.g. "on a firm bed").
    With ``bone_safe_variant`` the player shows ``variant``: its text, or
    the exercise it points to.
    """

    exercise: Exercise
    status: OfferStatus
    rules: tuple[Rule, ...] = ()
    """Why the status, one rule per reason (empty when ``ok``)."""
    note_rules: tuple[Rule, ...] = ()
    """The rules behind the notes."""

    @property
    def reasons(self) -> tuple[Text, ...]:
        return tuple(rule.says for rule in self.rules)

    @property
    def notes(self) -> tuple[Text, ...]:
        return tuple(rule.says for rule in self.note_rules)

    @property
    def shown(self) -> bool:
        return self.status is not OfferStatus.HIDDEN

    @property
    def variant(self) -> Variant | None:
        if self.status is OfferStatus.BONE_SAFE_VARIANT:
            return self.exercise.bone_safe
        return None

    @property
    def variant_exercise_id(self) -> str | None:
        variant = self.variant
        return variant.exercise if variant else None


_BONE_TAGS = frozenset({Tag.END_RANGE_FLEXION, Tag.LOADED_FLEXION, Tag.TWIST})
# Which hidden tag goes with which reason, per replaced joint. All hip limits
# apply whatever the approach: the rules vary between surgeons, and a wrong
# "approach" answer must not let a dislocating movement through.
_HIP_TAG_REASONS: tuple[tuple[Tag, Text], ...] = (
    (Tag.HIP_FLEXION_OVER_90, REASON_HIP_FLEXION),
    (Tag.HIP_CROSSING, REASON_HIP_CROSSING),
    (Tag.HIP_EXTENSION, REASON_HIP_EXTENSION),
    (Tag.KNEELING, REASON_KNEELING_HIP),
)
_KNEE_TAG_REASONS: tuple[tuple[Tag, Text], ...] = ((Tag.KNEELING, REASON_KNEELING_KNEE),)


def _judge(
    profile: HealthProfile,
    exercise: Exercise,
    allowed_extension: Collection[str],
    assigned_by_clinician: Collection[str],
) -> Offer:
    tags = set(exercise.tags)
    hidden: list[Rule] = []
    swaps: list[Rule] = []
    notes: list[Rule] = []

    # Section 3: extension narrows the canal, so it needs a named permission.
    if exercise.lumbar_extension or Tag.LUMBAR_EXTENSION in tags:
        if exercise.id in allowed_extension:
            notes.append(
                Rule("lumbar_extension/allowed", _ANSWER_EXTENSION_ALLOWED, NOTE_EXTENSION_ALLOWED)
            )
        else:
            hidden.append(Rule("lumbar_extension", _ANSWER_EXTENSION, REASON_EXTENSION))

    # An exercise whose author wrote a bone-safe version uses it for weak bones
    # even without a bone-risk tag: the version exists because the exercise's
    # own words (a relief lean "letting the back round") are wrong for them.
    if profile.bone_safe and (tags & _BONE_TAGS or exercise.bone_safe is not None):
        bones = _bone_answer(profile)
        if exercise.bone_safe is not None:
            # The variant wins even over a clinician's assignment: it is the
            # version the exercise's author wrote for exactly this case.
            swaps.append(Rule("bone_safe/variant", bones, REASON_BONE_SAFE_SWAP))
        elif exercise.id in assigned_by_clinician:
            notes.append(Rule("bone_safe/assigned", _ANSWER_ASSIGNED, NOTE_BONE_SAFE_ASSIGNED))
        else:
            hidden.append(Rule("bone_safe/hidden", bones, REASON_BONE_SAFE_HIDDEN))

    if profile.replacements_with_limits(Joint.HIP):
        answer = _joint_answer(profile, Joint.HIP)
        hidden += [
            Rule(f"hip_replacement/{tag.value}", answer, reason)
            for tag, reason in _HIP_TAG_REASONS
            if tag in tags
        ]
    if profile.replacements_with_limits(Joint.KNEE):
        answer = _joint_answer(profile, Joint.KNEE)
        hidden += [
            Rule(f"knee_replacement/{tag.value}", answer, reason)
            for tag, reason in _KNEE_TAG_REASONS
            if tag in tags
        ]

    if chair_set_default(profile) and Tag.FLOOR in tags:
        if Tag.BED_OK in tags:
            notes.append(Rule("no_floor/firm_bed", _floor_answer(profile), NOTE_FIRM_BED))
        else:
            hidden.append(Rule("no_floor", _floor_answer(profile), REASON_FLOOR))

    if hidden:
        return Offer(exercise, OfferStatus.HIDDEN, tuple(hidden))
    if swaps:
        return Offer(exercise, OfferStatus.BONE_SAFE_VARIANT, tuple(swaps), tuple(notes))
    return Offer(exercise, OfferStatus.OK, (), tuple(notes))


def filter_exercises(
    profile: HealthProfile,
    exercises: Iterable[Exercise],
    *,
    allowed_extension: Collection[str] = (),
    assigned_by_clinician: Collection[str] = (),
) -> list[Offer]:
    """One ``Offer`` per exercise, in the given order.

    ``allowed_extension``: ids of lumbar-extension exercises a clinician
    allowed for this person (``Permissions.allow_extension``).
    ``assigned_by_clinician``: ids a clinician put in this person's plan;
    they may show bone-risky exercises that have no bone-safe variant (S3,
    S10). No other rule gives way to it.

    A bone-safe variant that points to another exercise in ``exercises``
    which is itself hidden hides the original too: swapping to something
    the person must not do is no swap. A variant pointing outside the given
    exercises cannot be checked here and is offered as it is.
    """
    given = list(exercises)
    offers = [_judge(profile, e, allowed_extension, assigned_by_clinician) for e in given]
    hidden_ids = {o.exercise.id for o in offers if o.status is OfferStatus.HIDDEN}
    by_id = {o.exercise.id: o for o in offers}
    result: list[Offer] = []
    for offer in offers:
        target = offer.variant_exercise_id
        if target is not None and target in hidden_ids:
            why = by_id[target].rules[0]
            rule = Rule(  # "bone_safe/target_hidden:<the other rule>" keeps the cause
                f"bone_safe/target_hidden:{why.code}", why.answer, REASON_BONE_SAFE_TARGET_HIDDEN
            )
            offer = Offer(offer.exercise, OfferStatus.HIDDEN, (rule,))
        result.append(offer)
    return result


def routine_allowed(
    profile: HealthProfile,
    routine: Routine,
    exercises: Mapping[str, Exercise] | Iterable[Exercise],
    *,
    from_clinician: bool = False,
    today: date | None = None,
) -> tuple[bool, list[Text]]:
    """Whether this person may run ``routine``, and why (not).

    ``from_clinician``: the routine is this person's plan from their
    physiotherapist or surgeon (not a built-in or self-made routine). Only
    such a plan runs in the 3 months after a back operation, and only its
    exercises count as assigned for the bone-safe rule.

    Returns ``(False, reasons)`` when blocked: the lock, a missing exercise
    or any item hidden by the profile (a routine with a hole in it is not
    what the clinician designed, so it is not silently shortened). Returns
    ``(True, notes)`` otherwise, with what changes: bone-safe swaps, a firm
    bed instead of the floor, an allowed extension exercise.
    """
    by_id = (
        dict(exercises)
        if isinstance(exercises, Mapping)
        else {exercise.id: exercise for exercise in exercises}
    )
    blocking: list[Text] = []
    if not from_clinician and builtin_routines_locked(profile, today):
        blocking.append(REASON_LOCKED)

    wanted = list(dict.fromkeys(routine.exercise_ids()))
    missing = [i for i in wanted if i not in by_id]
    blocking += [reason_unknown_exercise(i) for i in missing]

    offers = filter_exercises(
        profile,
        # Variant targets are included so a swap to a hidden exercise is caught.
        list(by_id.values()),
        allowed_extension=routine.permissions.allow_extension,
        assigned_by_clinician=wanted if from_clinician else (),
    )
    by_offer = {o.exercise.id: o for o in offers}
    changes: list[Text] = []
    for exercise_id in wanted:
        offer = by_offer.get(exercise_id)
        if offer is None:
            continue
        title = offer.exercise.title
        for line in offer.reasons if offer.status is OfferStatus.HIDDEN else ():
            blocking.append(_about(title, line))
        if offer.shown:
            changes += [_about(title, line) for line in (*offer.reasons, *offer.notes)]
    if blocking:
        return False, _unique(blocking)
    return True, _unique(changes)


def _about(title: Text, line: Text) -> Text:
    """Prefix a reason with the exercise's title, per language."""
    return Text({lang: f"{title.get(lang)} – {line.get(lang)}" for lang in line.root})


def _unique(texts: Iterable[Text]) -> list[Text]:
    seen: set[tuple[tuple[str, str], ...]] = set()
    out: list[Text] = []
    for text in texts:
        key = tuple(sorted(text.root.items()))
        if key not in seen:
            seen.add(key)
            out.append(text)
    return out


# --------------------------------------------------------------------------
# Keeping the profile
# --------------------------------------------------------------------------


def load_profile(path: Path) -> tuple[HealthProfile | None, list[str]]:
    """The saved profile, or None on first run; a damaged file is reported, not fatal.

    A file that cannot be read as a profile gives a ``DamagedNote``: it is kept
    (copied aside) before new answers are saved in its place.
    """
    if not path.exists():
        return None, []
    try:
        data = path.read_bytes()
    except OSError as exc:
        return None, [f"Your health answers could not be read ({exc}); please answer again."]
    try:
        return HealthProfile.from_json(data), []
    except ValueError as exc:
        return None, [damaged_note(path, "Your health answers", str(exc))]


def save_profile(path: Path, profile: HealthProfile) -> Path | None:
    """Save; a damaged file in the way is kept first (returns the copy's path, or None)."""
    kept = keep_if_damaged(path, load_profile)
    write_text_atomic(path, profile.to_json() + "\n", mode=0o600)
    return kept
