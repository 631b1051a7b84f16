"""The stop rules during a session and the pain rule.

Section 6c of the clinical content specification: the reasons on the "Stop"
button with what to do now, the walking rule (symptoms that do not settle in
the rest break end the walk), the next-morning rule, and the pain rule of
section 4. Texts that name the emergency number are templates filled in with
the number from the person's profile.

Pure data and functions: no Qt.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

from coach.core.content.model import Text
from coach.core.session.profile import DEFAULT_EMERGENCY_NUMBER


def fill_number(template: Text, number: str) -> Text:
    """Put the emergency number into a template text, in every language."""
    return Text({lang: value.format(number=number) for lang, value in template.root.items()})


# --------------------------------------------------------------------------
# Stop rules during a session (6c)
# --------------------------------------------------------------------------


class StopReason(StrEnum):
    PAIN_SPREADING_LEG = "pain_spreading_leg"
    NEW_NUMBNESS_WEAKNESS = "new_numbness_weakness"
    SHARP_PAIN = "sharp_pain"
    DIZZINESS_CHEST = "dizziness_chest"
    OTHER = "other"


STOP_BUTTON = Text.of("Stop – this hurts", "Stopp – das tut weh")

STOP_LABELS: Mapping[StopReason, Text] = {
    StopReason.PAIN_SPREADING_LEG: Text.of(
        "The pain goes further down my leg than usual",
        "Der Schmerz zieht weiter ins Bein als sonst",
    ),
    StopReason.NEW_NUMBNESS_WEAKNESS: Text.of(
        "New numbness or weakness",
        "Neue Taubheit oder Schwäche",
    ),
    StopReason.SHARP_PAIN: Text.of("Sharp pain", "Stechender Schmerz"),
    StopReason.DIZZINESS_CHEST: Text.of(
        "Dizzy, chest pain or short of breath",
        "Schwindel, Brustschmerz oder Atemnot",
    ),
    StopReason.OTHER: Text.of("Something else", "Etwas anderes"),
}

_STOP_ADVICE: Mapping[StopReason, Text] = {
    StopReason.PAIN_SPREADING_LEG: Text.of(
        "Stop the exercise. Rest in a position that eases your back: sit and lean "
        "forward, or lie on your back with your lower legs on a chair. If it has not "
        "settled after about 15 minutes, or if numbness or weakness is new, contact your "
        "doctor.",
        "Hören Sie mit der Übung auf. Ruhen Sie sich in einer Haltung aus, die den Rücken "
        "entlastet: Setzen Sie sich und beugen Sie sich nach vorne, oder legen Sie sich "
        "auf den Rücken und die Unterschenkel auf einen Stuhl. Wenn es nach etwa 15 "
        "Minuten nicht besser ist, oder wenn Taubheit oder Schwäche neu sind, melden Sie "
        "sich bei Ihrer Ärztin oder Ihrem Arzt.",
    ),
    StopReason.NEW_NUMBNESS_WEAKNESS: Text.of(
        "Stop the exercise and rest in a position that eases your back. New numbness or "
        "weakness needs checking: contact your doctor today, even if it settles. If the "
        "numbness is in the saddle area (groin, genitals, inner thighs, buttocks), or "
        "your bladder or bowel feel different, call {number} now.",
        "Hören Sie mit der Übung auf und ruhen Sie sich in einer entlastenden Haltung "
        "aus. Neue Taubheit oder Schwäche muss untersucht werden: Melden Sie sich heute "
        "noch bei Ihrer Ärztin oder Ihrem Arzt, auch wenn es besser wird. Wenn die "
        "Taubheit im Genital- oder Gesäßbereich ist oder sich Blase oder Darm anders "
        "anfühlen, rufen Sie sofort den Notruf {number} an.",
    ),
    StopReason.SHARP_PAIN: Text.of(
        "Stop the exercise. Rest in a position that eases your back until the pain "
        "settles. Next time, do this exercise one step easier: smaller, shorter, or the "
        "easier version.",
        "Hören Sie mit der Übung auf. Ruhen Sie sich in einer entlastenden Haltung aus, "
        "bis der Schmerz nachlässt. Machen Sie die Übung beim nächsten Mal eine Stufe "
        "leichter: kleiner, kürzer oder die leichtere Variante.",
    ),
    StopReason.DIZZINESS_CHEST: Text.of(
        "Stop and sit or lie down now. If chest pain or pressure does not ease within a "
        "few minutes, or you feel faint, very short of breath, or weak on one side, call "
        "{number} now. Do not exercise any more today.",
        "Hören Sie sofort auf und setzen oder legen Sie sich hin. Wenn Schmerzen oder "
        "Druck in der Brust nicht nach wenigen Minuten nachlassen, oder wenn Sie sich "
        "einer Ohnmacht nahe fühlen, starke Atemnot haben oder eine Körperseite schwach "
        "ist, rufen Sie jetzt den Notruf {number} an. Heute nicht mehr üben.",
    ),
    StopReason.OTHER: Text.of(
        "Stop and rest in a comfortable position. If something worries you, contact your "
        "doctor or physiotherapist. If it feels like an emergency, call {number}.",
        "Hören Sie auf und ruhen Sie sich in einer bequemen Haltung aus. Wenn Sie etwas "
        "beunruhigt, melden Sie sich bei Ihrer Ärztin, Ihrem Arzt oder Ihrer "
        "Physiotherapie. Wenn es sich wie ein Notfall anfühlt, rufen Sie den Notruf "
        "{number} an.",
    ),
}


def stop_advice(reason: StopReason, emergency_number: str = DEFAULT_EMERGENCY_NUMBER) -> Text:
    """What to do now after pressing Stop for ``reason``."""
    return fill_number(_STOP_ADVICE[reason], emergency_number)


def stop_is_emergency(reason: StopReason) -> bool:
    """True if the stop screen should lead with the call button."""
    return reason is StopReason.DIZZINESS_CHEST


PAIN_RULE_ADVICE = Text.of(
    "Your pain rose more than the rule allows. Stop for today and rest in a position "
    "that eases your back. Next session, go one step easier.",
    "Ihr Schmerz ist stärker gestiegen, als die Regel erlaubt. Hören Sie für heute auf "
    "und ruhen Sie sich in einer entlastenden Haltung aus. Üben Sie beim nächsten Mal "
    "eine Stufe leichter.",
)
WALK_NOT_SETTLING_ADVICE = Text.of(
    "Your symptoms have not settled after 15 minutes of sitting and leaning forward. End "
    "the walk for today. If this happens again, tell your doctor or physiotherapist.",
    "Ihre Beschwerden sind nach 15 Minuten Sitzen und Vorbeugen nicht abgeklungen. Beenden "
    "Sie den Spaziergang für heute. Wenn das wieder passiert, sagen Sie es Ihrer Ärztin, "
    "Ihrem Arzt oder Ihrer Physiotherapie.",
)
NEXT_MORNING_WORSE_ADVICE = Text.of(
    "You felt worse than usual this morning, so today's session is one step easier.",
    "Heute Morgen ging es Ihnen schlechter als sonst. Deshalb ist das heutige Training "
    "eine Stufe leichter.",
)

# --------------------------------------------------------------------------
# The pain rule (section 4)
# --------------------------------------------------------------------------

PAIN_MAX_RISE = 2
"""Pain may rise at most this many points above the pre-session level ..."""
PAIN_CEILING = 6
"""... and never reach this score or more."""


def _score(name: str, value: int) -> int:
    # bool is an int subclass; True as a pain score is a caller's bug.
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10:
        raise ValueError(f"{name} must be a whole number from 0 to 10, not {value!r}")
    return value


def pain_rule(before_back: int, before_leg: int, now_back: int, now_leg: int) -> bool:
    """True while back and leg pain (0–10) both stay inside the rule.

    Each may rise at most 2 points above its own pre-session level and must
    stay below 6. Literal reading: someone who starts at 6 or more is
    outside the rule from the start.
    """
    pairs = (
        (_score("before_back", before_back), _score("now_back", now_back)),
        (_score("before_leg", before_leg), _score("now_leg", now_leg)),
    )
    return all(now - before <= PAIN_MAX_RISE and now < PAIN_CEILING for before, now in pairs)
