"""The warning-sign check before a session, and the disclaimer.

Section 6a of the clinical content specification: the check asks about what
is new or worse than usual, sorted into three tiers: "call the emergency
number now", "speak to a doctor today, no exercise today" and "see a doctor
soon, no exercise today". Which question belongs to which tier is the one
table ``TIERS``. Every text is English and German;
texts that name the emergency number are templates filled in with the number
from the person's profile, so a British user is told 999 and a German one 112.
The stop rules during a session are in :mod:`coach.core.session.stop_rules`.

Pure data and functions: no Qt.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from types import MappingProxyType

from coach.core.content.model import Text
from coach.core.session.profile import (
    DEFAULT_EMERGENCY_NUMBER,
    HealthProfile,
    UsualSymptoms,
    builtin_routines_locked,
)
from coach.core.session.stop_rules import (
    NEXT_MORNING_WORSE_ADVICE,
    PAIN_RULE_ADVICE,
    STOP_BUTTON,
    STOP_LABELS,
    WALK_NOT_SETTLING_ADVICE,
    StopReason,
    fill_number,
    stop_advice,
)

_fill = fill_number


def _number(profile: HealthProfile | None) -> str:
    return profile.emergency_number if profile is not None else DEFAULT_EMERGENCY_NUMBER


# --------------------------------------------------------------------------
# The check (6a)
# --------------------------------------------------------------------------


class Group(StrEnum):
    """How soon a "yes" needs a doctor. ``URGENCY`` orders them."""

    EMERGENCY = "emergency"
    SAME_DAY = "same_day"
    SEE_DOCTOR = "see_doctor"


URGENCY: tuple[Group, ...] = (Group.EMERGENCY, Group.SAME_DAY, Group.SEE_DOCTOR)
"""Most urgent first: the order of the sections, of the advice, and who wins."""

_E = Group.EMERGENCY
_S = Group.SAME_DAY
_D = Group.SEE_DOCTOR

# Every question's tier, in one table. The questions below take their group
# from it (a question missing here fails at import), and
# tests/core/test_check_tiers.py holds it row by row to the clinical table.
TIERS: Mapping[str, Group] = MappingProxyType(
    {
        # Possible cauda equina syndrome (CONTENT.md 6a, after the GIRFT 2023
        # pathway): the nerves can be saved only within hours.
        "saddle_numbness": _E,
        "bladder_change": _E,
        "leaking": _E,
        "bowel": _E,
        "sexual": _E,
        "leg_weakness": _E,
        "both_legs": _E,
        # Heart attack, collapse, stroke.
        "chest_pain": _E,
        "fainting": _E,
        "breathless": _E,
        "stroke": _E,
        # Aortic aneurysm, a blocked leg artery, bleeding in the head.
        "back_belly_faint": _E,
        "cold_leg": _E,
        "head_knock_thinners": _E,
        # Chest pain on effort that settles with rest is angina until a doctor
        # says otherwise; new or worse angina is seen the same day, and
        # exercise would bring it on again. Pain that does not settle within
        # minutes stays "chest_pain" above.
        "chest_pain_exertion": _S,
        # Palpitations on their own: an ECG while they last tells the most.
        # With chest pain, fainting or breathlessness the questions above apply.
        "palpitations": _S,
        # New numbness on one side means a nerve root is squeezed harder; the
        # stop rule for new numbness says the same ("contact your doctor
        # today"). In both legs or the saddle area it is cauda equina, above.
        "numbness_one_side": _S,
        # Fever after a spinal injection or operation can be a deep wound
        # infection or an abscess by the spine: it cannot wait for days.
        "fever_after_procedure": _S,
        # Steroids and a weak immune system blunt the signs of an infection
        # and let it spread fast, so a fever is seen the same day (NHS inform,
        # "Fever in adults": contact the GP practice immediately with a fever
        # on regular steroids or other immune-suppressing drugs, or during
        # cancer treatment). Asked apart from "fever" below, so that everyone
        # else with a cold is not sent to the out-of-hours service.
        "fever_weak_immunity": _S,
        # After a back operation: wound infection, a leak of spinal fluid
        # (clear fluid, a headache when upright): the surgical team, today.
        "wound_red": _S,
        "wound_clear_fluid": _S,
        "headache_upright": _S,
        # Serious but not urgent by the hour: infection, cancer, a fracture,
        # the neck, the circulation need a doctor in the next days.
        "fever": _D,
        "weight_loss": _D,
        "cancer_history": _D,
        "night_pain": _D,
        "sudden_back_pain": _D,
        "recent_fall": _D,
        "balance_hands": _D,
        "foot_pain_rest": _D,
        "foot_wound": _D,
        "calf_pain_standing": _D,
    }
)


@dataclass(frozen=True, eq=False)
class Question:
    """One yes/no question; "yes" is the warning sign.

    ``baseline`` names a ``UsualSymptoms`` flag: when the person said this is
    usual for them, ``text_if_usual`` asks whether it is *worse than usual*
    instead, so a usual symptom does not raise an alarm every day.
    """

    id: str
    text: Text
    group: Group
    baseline: str | None = None
    text_if_usual: Text | None = None

    def text_for(self, usual: UsualSymptoms | None) -> Text:
        usual_for_them = (
            self.baseline is not None and usual is not None and bool(getattr(usual, self.baseline))
        )
        if usual_for_them and self.text_if_usual is not None:
            return self.text_if_usual
        return self.text


@dataclass(frozen=True, eq=False)
class Section:
    """Questions under one heading, with what to do if any answer is yes.

    ``advice`` may contain ``{number}`` for the emergency number.
    ``after_back_operation``: only asked while a back operation is recent.
    """

    id: str
    heading: Text
    group: Group
    questions: tuple[Question, ...]
    advice: Text
    after_back_operation: bool = False


def _q(
    qid: str,
    en: str,
    de: str,
    *,
    baseline: str | None = None,
    if_usual: tuple[str, str] | None = None,
) -> Question:
    return Question(
        qid,
        Text.of(en, de),
        TIERS[qid],
        baseline,
        Text.of(*if_usual) if if_usual else None,
    )


def _section(
    sid: str,
    heading: Text,
    questions: tuple[Question, ...],
    advice: Text,
    *,
    after_back_operation: bool = False,
) -> Section:
    # One section, one piece of advice: a question of another tier would be
    # told the wrong thing to do.
    groups = {q.group for q in questions}
    if len(groups) != 1:
        raise ValueError(f"section {sid} mixes tiers: {sorted(groups)}")
    return Section(sid, heading, groups.pop(), questions, advice, after_back_operation)


GROUP_HEADINGS: Mapping[Group, Text] = {
    Group.EMERGENCY: Text.of(
        "Call the emergency number now – even at night – if any of this is new:",
        "Rufen Sie sofort den Notruf an – auch nachts –, wenn etwas davon neu ist:",
    ),
    Group.SAME_DAY: Text.of(
        "Speak to a doctor today and do not exercise today if:",
        "Sprechen Sie noch heute mit einer Ärztin oder einem Arzt und üben Sie heute nicht, wenn:",
    ),
    Group.SEE_DOCTOR: Text.of(
        "See a doctor soon and do not exercise today if:",
        "Gehen Sie bald zur Ärztin oder zum Arzt und üben Sie heute nicht, wenn:",
    ),
}

QUICK_PROMPT = Text.of(
    "Is anything new or worse than usual today?",
    "Ist heute etwas neu oder schlimmer als sonst?",
)
NOTHING_NEW = Text.of("Nothing new", "Nichts Neues")
SOMETHING_CHANGED = Text.of(
    "Something has changed",
    "Es hat sich etwas verändert",
)

_SEE_DOCTOR_ADVICE = Text.of(
    "Please contact your family doctor (GP) soon – today or in the next few days – and "
    "tell them what you noticed. No exercise today.",
    "Bitte melden Sie sich bald bei Ihrer Hausärztin oder Ihrem Hausarzt – heute oder in "
    "den nächsten Tagen – und erzählen Sie, was Ihnen aufgefallen ist. Heute bitte keine "
    "Übungen.",
)

SECTIONS: tuple[Section, ...] = (
    _section(
        "cauda_equina",
        Text.of(
            "Bladder, bowel, the saddle area and your legs",
            "Blase, Darm, Genital- und Gesäßbereich, Beine",
        ),
        (
            _q(
                "saddle_numbness",
                "Is there any new numbness or change of feeling in the area you would sit "
                "on a saddle with: groin, genitals, inner thighs or buttocks? Even a small "
                "patch counts – you may notice it when you wipe after the toilet.",
                "Haben Sie eine neue Taubheit oder ein verändertes Gefühl im Genital- oder "
                "Gesäßbereich – also dort, wo man auf einem Fahrradsattel sitzt: Leiste, "
                "Genitalien, Innenseite der Oberschenkel, Gesäß? Auch eine kleine Stelle "
                "zählt. Oft merkt man es beim Abwischen nach dem Toilettengang.",
            ),
            _q(
                "bladder_change",
                "Is passing urine new or different? For example: hard to start or to stop, "
                "a weak stream, or you cannot feel your bladder filling or the urine coming.",
                "Ist beim Wasserlassen etwas neu oder anders? Zum Beispiel: Es fällt schwer "
                "anzufangen oder aufzuhören, der Strahl ist schwach, oder Sie spüren nicht, "
                "dass die Blase voll ist oder dass Urin kommt.",
                baseline="bladder_trouble",
                if_usual=(
                    "Is passing urine clearly different from what is usual for you? For "
                    "example: harder to start or to stop, a weaker stream, or you no longer "
                    "feel your bladder filling or the urine coming.",
                    "Ist das Wasserlassen deutlich anders als sonst bei Ihnen? Zum Beispiel: "
                    "Es fällt schwerer anzufangen oder aufzuhören, der Strahl ist schwächer, "
                    "oder Sie spüren nicht mehr, dass die Blase voll ist oder dass Urin kommt.",
                ),
            ),
            _q(
                "leaking",
                "Are you leaking urine when you did not before, or more than before?",
                "Verlieren Sie neuerdings ungewollt Urin, oder mehr als vorher?",
                baseline="bladder_trouble",
                if_usual=(
                    "Are you leaking clearly more urine than usual, or in a new way?",
                    "Verlieren Sie deutlich mehr Urin als sonst, oder anders als bisher?",
                ),
            ),
            _q(
                "bowel",
                "Have you lost control of your bowels, or can you no longer feel when your "
                "bowel is full?",
                "Können Sie den Stuhl nicht mehr halten, oder spüren Sie nicht mehr, wann "
                "Sie zur Toilette müssen?",
            ),
            _q(
                "sexual",
                "Have you recently noticed changes during sex, for example less feeling in "
                "your genitals or trouble getting an erection?",
                "Haben Sie seit Kurzem Veränderungen beim Sex bemerkt, zum Beispiel weniger "
                "Gefühl im Genitalbereich oder Probleme mit der Erektion?",
            ),
            _q(
                "leg_weakness",
                "Is a leg weaker than before, or getting weaker? For example, your foot "
                "drags or your knee gives way.",
                "Ist ein Bein schwächer als vorher, oder wird es schwächer? Zum Beispiel: "
                "Der Fuß schleift, oder das Knie knickt weg.",
                baseline="leg_weakness",
                if_usual=(
                    "Is the weakness in your leg worse than usual, or getting worse?",
                    "Ist die Schwäche im Bein stärker als sonst, oder wird sie stärker?",
                ),
            ),
            _q(
                "both_legs",
                "Do you have new pain, numbness or tingling in both legs?",
                "Haben Sie neue Schmerzen, Taubheit oder Kribbeln in beiden Beinen?",
                baseline="symptoms_both_legs",
                if_usual=(
                    "Is the pain, numbness or tingling in your legs clearly worse or "
                    "different from usual?",
                    "Sind die Schmerzen, die Taubheit oder das Kribbeln in den Beinen "
                    "deutlich stärker oder anders als sonst?",
                ),
            ),
        ),
        Text.of(
            "Call {number} now, even at night. Do not wait to see if it passes. The nerves "
            "at the bottom of your spine may be squeezed (cauda equina syndrome), and this "
            "must be checked in hospital straight away. Tell them you have a narrowed "
            "spinal canal and what is new. Do not exercise.",
            "Rufen Sie jetzt sofort den Notruf {number} an – auch nachts. Warten Sie nicht "
            "ab, ob es von allein besser wird. Vielleicht werden die Nerven am unteren Ende "
            "der Wirbelsäule eingeklemmt (Kauda-Syndrom). Das muss sofort im Krankenhaus "
            "untersucht werden. Sagen Sie, dass Sie eine Spinalkanalstenose haben und was "
            "neu ist. Bitte nicht üben.",
        ),
    ),
    _section(
        "heart_stroke",
        Text.of(
            "Heart, breathing and signs of a stroke",
            "Herz, Atmung und Zeichen eines Schlaganfalls",
        ),
        (
            _q(
                "chest_pain",
                "Do you have pain, pressure or tightness in your chest that does not go "
                "away after a few minutes of rest?",
                "Haben Sie Schmerzen, Druck oder Enge in der Brust, und geht das nach ein "
                "paar Minuten Ruhe nicht weg?",
            ),
            _q(
                "fainting",
                "Have you fainted (blacked out) since you last exercised?",
                "Sind Sie seit dem letzten Üben ohnmächtig geworden?",
            ),
            _q(
                "breathless",
                "Are you very short of breath, even when resting?",
                "Haben Sie starke Atemnot, auch in Ruhe?",
            ),
            _q(
                "stroke",
                "Is one side of your face, an arm or a leg suddenly weak, numb or "
                "drooping, or is it suddenly hard to speak?",
                "Haben Sie plötzlich eine Schwäche oder Taubheit auf einer Körperseite – im "
                "Gesicht, im Arm oder im Bein –, einen hängenden Mundwinkel oder "
                "Schwierigkeiten beim Sprechen?",
            ),
        ),
        Text.of(
            "Stop, and sit or lie down. Call {number} now. Do not drive yourself. If you "
            "are alone, unlock the front door if you can and keep the phone with you.",
            "Hören Sie auf und setzen oder legen Sie sich hin. Rufen Sie jetzt den Notruf "
            "{number} an. Fahren Sie nicht selbst. Wenn Sie allein sind: Schließen Sie, wenn "
            "möglich, die Haustür auf und behalten Sie das Telefon bei sich.",
        ),
    ),
    _section(
        "other_emergency",
        Text.of("Other urgent signs", "Weitere dringende Warnzeichen"),
        (
            _q(
                "back_belly_faint",
                "Do you have sudden, very bad pain in your back or belly, and feel faint?",
                "Haben Sie plötzlich sehr starke Schmerzen im Rücken oder im Bauch und "
                "fühlen sich dabei schwach, als würden Sie ohnmächtig?",
            ),
            _q(
                "cold_leg",
                "Is one leg suddenly cold, pale and painful?",
                "Ist ein Bein plötzlich kalt, blass und schmerzhaft?",
            ),
            _q(
                "head_knock_thinners",
                "Have you fallen and knocked your head while you take blood thinners?",
                "Sind Sie gestürzt und haben sich dabei den Kopf angeschlagen, und nehmen "
                "Sie Blutverdünner?",
            ),
        ),
        Text.of(
            "Call {number} now. Do not wait to see if it passes. Sit or lie down while you "
            "wait for help, and do not exercise.",
            "Rufen Sie jetzt den Notruf {number} an. Warten Sie nicht ab, ob es besser "
            "wird. Setzen oder legen Sie sich hin, bis Hilfe kommt, und üben Sie nicht.",
        ),
    ),
    _section(
        "heart_today",
        Text.of("Chest and heartbeat", "Brust und Herzschlag"),
        (
            _q(
                "chest_pain_exertion",
                "Is there new pain, pressure or tightness in your chest when you are "
                "active – for example walking or climbing stairs – that goes away when you "
                "rest?",
                "Spüren Sie seit Kurzem Schmerzen, Druck oder Enge in der Brust, wenn Sie "
                "sich anstrengen – zum Beispiel beim Gehen oder Treppensteigen –, und geht "
                "das in Ruhe wieder weg?",
            ),
            _q(
                "palpitations",
                "Is your heart racing, pounding or beating unevenly in a way that is new or "
                "worse than usual for you?",
                "Haben Sie Herzrasen oder Herzstolpern, oder schlägt Ihr Herz unregelmäßig – "
                "und ist das neu oder stärker als sonst?",
            ),
        ),
        Text.of(
            "Please see a doctor today – your family doctor, or the out-of-hours service if "
            "the practice is closed – and tell them what you noticed. No exercise today. "
            "Call {number} straight away if chest pain does not go away after a few "
            "minutes of rest, or if you feel faint or very short of breath.",
            "Bitte gehen Sie noch heute zur Ärztin oder zum Arzt – in Ihre Hausarztpraxis "
            "oder, wenn sie geschlossen ist, zum ärztlichen Bereitschaftsdienst – und "
            "erzählen Sie, was Ihnen aufgefallen ist. Heute bitte keine Übungen. Rufen Sie "
            "sofort den Notruf {number} an, wenn Schmerzen in der Brust nach ein paar "
            "Minuten Ruhe nicht weggehen, wenn Sie das Gefühl haben, ohnmächtig zu werden, "
            "oder wenn Sie starke Atemnot bekommen.",
        ),
    ),
    _section(
        "numbness_today",
        Text.of("Numbness in one foot or leg", "Taubheit in einem Fuß oder Bein"),
        (
            _q(
                "numbness_one_side",
                "Is there new numbness on one side only – in one foot or down one leg?",
                "Haben Sie seit Kurzem ein Taubheitsgefühl auf nur einer Seite – in einem "
                "Fuß oder in einem Bein?",
                baseline="numbness_one_foot",
                if_usual=(
                    "Is the numbness in your foot worse than usual, or is it spreading – for "
                    "example further up your leg?",
                    "Ist die Taubheit im Fuß stärker als sonst, oder breitet sie sich aus – "
                    "zum Beispiel weiter das Bein hinauf?",
                ),
            ),
        ),
        Text.of(
            "Please contact your family doctor today – or the out-of-hours service if the "
            "practice is closed – and tell them what you noticed. No exercise today. Call "
            "{number} straight away if the numbness reaches both legs or the saddle area, "
            "if a leg gets weak, or if passing urine changes.",
            "Bitte melden Sie sich noch heute bei Ihrer Hausärztin oder Ihrem Hausarzt – "
            "oder, wenn die Praxis geschlossen ist, beim ärztlichen Bereitschaftsdienst – "
            "und erzählen Sie, was Ihnen aufgefallen ist. Heute bitte keine Übungen. Rufen "
            "Sie sofort den Notruf {number} an, wenn die Taubheit beide Beine oder den "
            "Genital- oder Gesäßbereich erreicht, wenn ein Bein schwach wird oder wenn sich "
            "beim Wasserlassen etwas verändert.",
        ),
    ),
    _section(
        "fever_today",
        Text.of("Fever with a higher risk", "Fieber mit erhöhtem Risiko"),
        (
            _q(
                "fever_after_procedure",
                "Do you have a fever or chills, and have you had an injection into your "
                "back or a back operation in the last 3 months?",
                "Haben Sie Fieber oder Schüttelfrost, und hatten Sie in den letzten 3 Monaten "
                "eine Spritze in den Rücken oder eine Rückenoperation?",
            ),
            _q(
                "fever_weak_immunity",
                "Do you have a fever or chills, and do you take steroid tablets (cortisone) "
                "or is your immune system weak – for example because of cancer treatment?",
                "Haben Sie Fieber oder Schüttelfrost, und nehmen Sie Kortison-Tabletten oder "
                "ist Ihr Immunsystem geschwächt – zum Beispiel durch eine Krebsbehandlung?",
            ),
        ),
        Text.of(
            "Please speak to a doctor today. After an injection or an operation, call the "
            "practice or hospital that did it. Otherwise call your family doctor, or the "
            "out-of-hours service if the practice is closed. No exercise today.",
            "Bitte sprechen Sie noch heute mit einer Ärztin oder einem Arzt. Nach einer "
            "Spritze oder Operation: Rufen Sie in der Praxis oder Klinik an, die sie gemacht "
            "hat. Sonst melden Sie sich bei Ihrer Hausärztin oder Ihrem Hausarzt oder, wenn "
            "die Praxis geschlossen ist, beim ärztlichen Bereitschaftsdienst. Heute bitte "
            "keine Übungen.",
        ),
    ),
    _section(
        "after_operation",
        Text.of("After your back operation", "Nach Ihrer Rückenoperation"),
        (
            _q(
                "wound_red",
                "Is your operation wound red, swollen or leaking?",
                "Ist die Operationswunde gerötet, geschwollen, oder nässt sie?",
            ),
            _q(
                "wound_clear_fluid",
                "Is clear, watery fluid coming from the wound?",
                "Kommt klare, wässrige Flüssigkeit aus der Wunde?",
            ),
            _q(
                "headache_upright",
                "Do you get a headache when you sit or stand that gets better when you lie down?",
                "Bekommen Sie im Sitzen oder Stehen Kopfschmerzen, die im Liegen besser werden?",
            ),
        ),
        Text.of(
            "Please contact the hospital that operated on you today – at night or at the "
            "weekend, its ward or its emergency department. No exercise today.",
            "Bitte melden Sie sich noch heute in der Klinik, in der Sie operiert wurden – "
            "nachts oder am Wochenende auf der Station oder in der Notaufnahme. Heute bitte "
            "keine Übungen.",
        ),
        after_back_operation=True,
    ),
    _section(
        "general",
        Text.of(
            "Fever, weight and pain at night",
            "Fieber, Gewicht und Schmerzen in der Nacht",
        ),
        (
            _q(
                "fever",
                "Do you have a fever or chills?",
                "Haben Sie Fieber oder Schüttelfrost?",
            ),
            _q(
                "weight_loss",
                "Have you lost weight without trying?",
                "Haben Sie abgenommen, ohne es zu wollen?",
            ),
            _q(
                "cancer_history",
                "Have you ever had cancer, and is your back pain now new or different?",
                "Hatten Sie schon einmal Krebs, und sind Ihre Rückenschmerzen jetzt neu oder "
                "anders als sonst?",
            ),
            _q(
                "night_pain",
                "Do you have constant pain at night that does not ease when you change position?",
                "Haben Sie nachts ständig Schmerzen, die auch nicht nachlassen, wenn Sie "
                "sich anders hinlegen?",
            ),
        ),
        _SEE_DOCTOR_ADVICE,
    ),
    _section(
        "fracture_fall",
        Text.of("Falls and sudden back pain", "Stürze und plötzliche Rückenschmerzen"),
        (
            _q(
                "sudden_back_pain",
                "Did your back suddenly become very painful after a small strain, a cough "
                "or lifting something? (A bone in the spine can break without a fall.)",
                "Haben Sie plötzlich starke Rückenschmerzen bekommen – nach einer kleinen "
                "Anstrengung, beim Husten oder beim Heben? (Ein Wirbel kann auch ohne Sturz "
                "brechen.)",
            ),
            _q(
                "recent_fall",
                "Have you had a fall or hurt yourself since you last exercised?",
                "Sind Sie seit dem letzten Üben gestürzt, oder haben Sie sich verletzt?",
            ),
        ),
        Text.of(
            "Please contact your family doctor (GP) soon – today or in the next few days. "
            "Rest in a comfortable position. No exercise today.",
            "Bitte melden Sie sich bald bei Ihrer Hausärztin oder Ihrem Hausarzt – heute "
            "oder in den nächsten Tagen. Ruhen Sie sich in einer bequemen Lage aus. Heute "
            "bitte keine Übungen.",
        ),
    ),
    _section(
        "neck_hands",
        Text.of("Balance and hands", "Gleichgewicht und Hände"),
        (
            _q(
                "balance_hands",
                "Is your balance getting worse, and at the same time do your hands feel "
                "clumsy or tingle? For example, buttons or writing are harder.",
                "Wird Ihr Gleichgewicht schlechter, und sind Ihre Hände zugleich "
                "ungeschickt, oder kribbeln sie? Zum Beispiel fällt das Zuknöpfen oder "
                "Schreiben schwerer.",
            ),
        ),
        _SEE_DOCTOR_ADVICE,
    ),
    _section(
        "circulation",
        Text.of("Feet and circulation", "Füße und Durchblutung"),
        (
            _q(
                "foot_pain_rest",
                "Do your feet hurt when you rest or at night?",
                "Tun Ihnen die Füße in Ruhe oder nachts weh?",
            ),
            _q(
                "foot_wound",
                "Do you have a wound on your foot that does not heal?",
                "Haben Sie eine Wunde am Fuß, die nicht heilt?",
            ),
            _q(
                "calf_pain_standing",
                "Does your calf hurt when you walk, and does the pain go away when you "
                "simply stand still – without sitting down or bending forward?",
                "Tut beim Gehen die Wade weh, und geht der Schmerz weg, sobald Sie einfach "
                "stehen bleiben – ohne sich hinzusetzen oder nach vorne zu beugen?",
            ),
        ),
        _SEE_DOCTOR_ADVICE,
    ),
)

QUESTIONS: Mapping[str, Question] = {q.id: q for s in SECTIONS for q in s.questions}
_SECTION_OF: Mapping[str, Section] = {q.id: s for s in SECTIONS for q in s.questions}


def _check_the_table() -> None:
    # The dialog puts a tier's heading where the tier changes, so the
    # sections must come in urgency order; and a tier nobody asks about, or
    # a question asked twice, would make the table lie.
    asked = [q.id for s in SECTIONS for q in s.questions]
    if len(asked) != len(set(asked)) or set(asked) != set(TIERS):
        raise ValueError("TIERS and the questions of SECTIONS differ")
    ranks = [URGENCY.index(s.group) for s in SECTIONS]
    if ranks != sorted(ranks):
        raise ValueError("SECTIONS are not in urgency order")


_check_the_table()


def sections_for(profile: HealthProfile | None, today: date | None = None) -> list[Section]:
    """The sections to ask this person. Without a profile everything is asked."""
    recent_operation = profile is None or builtin_routines_locked(profile, today)
    return [s for s in SECTIONS if recent_operation or not s.after_back_operation]


# The usual-symptoms baseline, asked once at first use. Ids are the flags of
# ``UsualSymptoms``; the free text is ``UsualSymptoms.text``.
BASELINE_INTRO = Text.of(
    "First, tell us what is usual for you. Then the daily check only asks about what is "
    "new or worse.",
    "Sagen Sie uns zuerst, welche Beschwerden Sie schon länger haben. Dann fragt die "
    "tägliche Kontrolle nur nach dem, was neu oder schlimmer ist.",
)
BASELINE_TEXT_PROMPT = Text.of(
    "In your own words: which symptoms do you usually have?",
    "In Ihren eigenen Worten: Welche Beschwerden haben Sie normalerweise?",
)


@dataclass(frozen=True, eq=False)
class BaselineQuestion:
    id: str
    text: Text


BASELINE_QUESTIONS: tuple[BaselineQuestion, ...] = (
    BaselineQuestion(
        "numbness_one_foot",
        Text.of(
            "Is one foot usually numb, partly or completely?",
            "Ist ein Fuß bei Ihnen schon länger ganz oder teilweise taub?",
        ),
    ),
    BaselineQuestion(
        "numbness_both_feet",
        Text.of(
            "Are both feet usually numb or tingling (for example because of diabetes)?",
            "Sind beide Füße schon länger taub, oder kribbeln sie (zum Beispiel wegen Diabetes)?",
        ),
    ),
    BaselineQuestion(
        "symptoms_both_legs",
        Text.of(
            "Do you usually have pain, numbness or tingling in both legs when you walk or stand?",
            "Haben Sie beim Gehen oder Stehen normalerweise Schmerzen, Taubheit oder "
            "Kribbeln in beiden Beinen?",
        ),
    ),
    BaselineQuestion(
        "leg_weakness",
        Text.of(
            "Is one leg weaker than the other, and has a doctor already checked this?",
            "Ist ein Bein schwächer als das andere, und hat eine Ärztin oder ein Arzt das "
            "schon untersucht?",
        ),
    ),
    BaselineQuestion(
        "bladder_trouble",
        Text.of(
            "Do you have bladder trouble that your doctor already knows about? For "
            "example, you need to go often or suddenly, or you leak a little.",
            "Haben Sie Blasenprobleme, von denen Ihre Ärztin oder Ihr Arzt schon weiß? "
            "Zum Beispiel häufiger oder plötzlicher Harndrang oder etwas Urinverlust.",
        ),
    ),
)


class Outcome(StrEnum):
    """What the check says. The values are stored (``safety_checks.outcome``)."""

    OK = "ok"
    SEE_DOCTOR = "see_doctor"
    SAME_DAY = "same_day"
    EMERGENCY = "emergency"


OUTCOME_OF: Mapping[Group, Outcome] = {
    Group.EMERGENCY: Outcome.EMERGENCY,
    Group.SAME_DAY: Outcome.SAME_DAY,
    Group.SEE_DOCTOR: Outcome.SEE_DOCTOR,
}

HEADLINES: Mapping[Outcome, Text] = {
    Outcome.OK: Text.of(
        "Nothing new that stops you. You can exercise today.",
        "Nichts Neues, das dagegen spricht. Sie können heute üben.",
    ),
    Outcome.SEE_DOCTOR: Text.of(
        "No exercise today. Please see your doctor soon.",
        "Heute keine Übungen. Bitte gehen Sie bald zur Ärztin oder zum Arzt.",
    ),
    Outcome.SAME_DAY: Text.of(
        "No exercise today. Please speak to a doctor today.",
        "Heute keine Übungen. Bitte sprechen Sie noch heute mit einer Ärztin oder einem Arzt.",
    ),
    Outcome.EMERGENCY: Text.of(
        "Call {number} now.",
        "Rufen Sie jetzt den Notruf {number} an.",
    ),
}

OK_ADVICE = Text.of(
    "Go ahead. Stop straight away if pain spreads further down your leg than usual, if "
    "anything feels new or numb or weak, or if the pain rises sharply.",
    "Sie können anfangen. Hören Sie sofort auf, wenn der Schmerz weiter ins Bein zieht als "
    "sonst, wenn sich etwas neu, taub oder schwach anfühlt oder wenn der Schmerz stark "
    "zunimmt.",
)


@dataclass(frozen=True, eq=False)
class CheckResult:
    outcome: Outcome
    flagged: tuple[str, ...]
    headline: Text
    advice: tuple[Text, ...]
    emergency_number: str
    checked_on: date

    @property
    def exercise_allowed(self) -> bool:
        return self.outcome is Outcome.OK


def evaluate(
    answers: Mapping[str, bool],
    *,
    profile: HealthProfile | None = None,
    on: date | None = None,
) -> CheckResult:
    """Judge the check's answers. A missing answer counts as "no".

    "Nothing new" is the empty mapping. An unknown question id raises
    ``ValueError``: a misspelt id must not quietly turn a "yes" into "no".
    The most urgent "yes" decides the outcome, and the advice comes most
    urgent first: every emergency section with a "yes", then every same-day
    one, then every see-a-doctor-soon one.
    """
    unknown = sorted(set(answers) - set(QUESTIONS))
    if unknown:
        raise ValueError(f"unknown check question(s): {', '.join(unknown)}")
    number = _number(profile)
    flagged = tuple(qid for qid in QUESTIONS if answers.get(qid))
    hit = {_SECTION_OF[qid].id for qid in flagged}
    # Sorted here as well as in SECTIONS: what the person must act on first
    # is read first, whatever order the sections are written in.
    sections = sorted((s for s in SECTIONS if s.id in hit), key=lambda s: URGENCY.index(s.group))
    outcome = OUTCOME_OF[sections[0].group] if sections else Outcome.OK
    advice: list[Text] = []
    for section in sections:
        text = _fill(section.advice, number)
        if all(text.root != a.root for a in advice):
            advice.append(text)
    if not advice:
        advice.append(OK_ADVICE)
    return CheckResult(
        outcome=outcome,
        flagged=flagged,
        headline=_fill(HEADLINES[outcome], number),
        advice=tuple(advice),
        emergency_number=number,
        checked_on=on or date.today(),
    )


def check_blocks_today(results: CheckResult | Iterable[CheckResult] | None, today: date) -> bool:
    """True if a check taken on ``today`` said "no exercise today".

    Takes one result or the day's history: a warning sign answered in the
    morning is not cleared by answering "nothing new" later the same day.
    An older result never blocks; the next check asks again, and a sign
    that is still there will be answered "yes" again.
    """
    if results is None:
        return False
    items = [results] if isinstance(results, CheckResult) else list(results)
    return any(r.checked_on == today and not r.exercise_allowed for r in items)


# --------------------------------------------------------------------------
# Disclaimer (6d)
# --------------------------------------------------------------------------

DISCLAIMER = Text.of(
    "Coach helps you practise at home. It does not replace your doctor or "
    "physiotherapist: ask one of them before you start. Stop if you feel pain, dizziness "
    "or shortness of breath. Never put off getting medical help because of this app. If "
    "a doctor or physiotherapist is treating you, do only what they have approved.",
    "Coach hilft Ihnen beim Üben zu Hause. Die App ersetzt weder Ihre Ärztin oder Ihren "
    "Arzt noch Ihre Physiotherapie: Fragen Sie dort nach, bevor Sie anfangen. Hören Sie "
    "auf, wenn Sie Schmerzen, Schwindel oder Atemnot bekommen. Schieben Sie wegen dieser "
    "App nie einen Arztbesuch auf. Wenn Sie in ärztlicher oder physiotherapeutischer "
    "Behandlung sind, machen Sie nur, was dort mit Ihnen abgesprochen ist.",
)


def all_texts(number: str = DEFAULT_EMERGENCY_NUMBER) -> list[Text]:
    """Every user-facing text of this module (templates filled), for checks."""
    texts: list[Text] = [
        *GROUP_HEADINGS.values(),
        QUICK_PROMPT,
        NOTHING_NEW,
        SOMETHING_CHANGED,
        BASELINE_INTRO,
        BASELINE_TEXT_PROMPT,
        OK_ADVICE,
        STOP_BUTTON,
        PAIN_RULE_ADVICE,
        WALK_NOT_SETTLING_ADVICE,
        NEXT_MORNING_WORSE_ADVICE,
        DISCLAIMER,
    ]
    for section in SECTIONS:
        texts += [section.heading, _fill(section.advice, number)]
        for question in section.questions:
            texts.append(question.text)
            if question.text_if_usual:
                texts.append(question.text_if_usual)
    texts += [b.text for b in BASELINE_QUESTIONS]
    texts += [_fill(h, number) for h in HEADLINES.values()]
    texts += list(STOP_LABELS.values())
    texts += [stop_advice(r, number) for r in StopReason]
    return texts
