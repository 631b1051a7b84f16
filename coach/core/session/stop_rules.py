"""The stop rules during a session and the pain rule.

Section 6c of the clinical content specification: the reasons on the "Stop"
button with what to do now, the walking rule (symptoms that do not settle in
the rest break end the walk), the next-morning rule, and the pain rule of
section 4. Texts that name the emergency number are templates filled in with
the number from the person's profile.

The walking rule is kept by the session runner (it waits in the break and
stops by itself), the pain rule by the session flow after the pain-after
rating, and the next-morning rule by :mod:`coach.core.progress.progression`.

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
    # Not a choice on the Stop dialog: the runner stops with it by itself when
    # the symptoms of a walk have not settled in the break (the walking rule).
    WALK_NOT_SETTLING = "walk_not_settling"


STOP_CHOICES: tuple[StopReason, ...] = (
    StopReason.PAIN_SPREADING_LEG,
    StopReason.NEW_NUMBNESS_WEAKNESS,
    StopReason.SHARP_PAIN,
    StopReason.DIZZINESS_CHEST,
    StopReason.OTHER,
)
"""The reasons the person picks after pressing Stop, in the order shown."""

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
    StopReason.WALK_NOT_SETTLING: Text.of(
        "The symptoms did not settle in the walking break",
        "Die Beschwerden sind in der Gehpause nicht abgeklungen",
    ),
}

WALK_NOT_SETTLING_ADVICE = Text.of(
    "Your symptoms have not settled after 15 minutes of sitting and leaning forward. End "
    "the walk for today. If this happens again, tell your doctor or physiotherapist.",
    "Ihre Beschwerden sind nach 15 Minuten Sitzen und Vorbeugen nicht abgeklungen. Beenden "
    "Sie den Spaziergang für heute. Wenn das wieder passiert, sagen Sie es Ihrer Ärztin, "
    "Ihrem Arzt oder Ihrer Physiotherapie.",
)

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
    StopReason.WALK_NOT_SETTLING: WALK_NOT_SETTLING_ADVICE,
}


def stop_advice(reason: StopReason, emergency_number: str = DEFAULT_EMERGENCY_NUMBER) -> Text:
    """What to do now after pressing Stop for ``reason``."""
    return fill_number(_STOP_ADVICE[reason], emergency_number)


def stop_is_emergency(reason: StopReason) -> bool:
    """True if the stop screen should lead with the call button."""
    return reason is StopReason.DIZZINESS_CHEST


# --------------------------------------------------------------------------
# The walking rule (6c)
# --------------------------------------------------------------------------

WALK_SETTLE_LIMIT_S = 15 * 60.0
"""A walking break that has not brought the symptoms back to usual this long
after it began ends the session (CONTENT 6c: 10-15 minutes). The upper end:
usual leg symptoms that settle slowly in the break are how walking tolerance
is trained, and WALK_NOT_SETTLING_ADVICE names these 15 minutes."""

SETTLE_ASK_AGAIN_S = 120.0
""""Not yet" keeps the person resting; the question comes back after this long."""

SETTLE_ANSWER_MIN_S = 60.0
"""A planned break as long as the limit still leaves this long to answer."""


def settle_limit_s(planned_break_s: float) -> float:
    """Seconds from the start of a walking break to the walking rule's stop.

    Normally :data:`WALK_SETTLE_LIMIT_S`; a clinician may plan a break of up
    to 15 minutes, and the person must still get the chance to say "better"
    before Coach ends the walk.
    """
    return max(WALK_SETTLE_LIMIT_S, planned_break_s + SETTLE_ANSWER_MIN_S)


PAIN_RULE_ADVICE = Text.of(
    "Your pain rose more than the rule allows. Stop for today and rest in a position "
    "that eases your back. Next session, go one step easier.",
    "Ihr Schmerz ist stärker gestiegen, als die Regel erlaubt. Hören Sie für heute auf "
    "und ruhen Sie sich in einer entlastenden Haltung aus. Üben Sie beim nächsten Mal "
    "eine Stufe leichter.",
)
NEXT_MORNING_WORSE_ADVICE = Text.of(
    "You felt worse than usual this morning, so today's session is one step easier.",
    "Heute Morgen ging es Ihnen schlechter als sonst. Deshalb ist das heutige Training "
    "eine Stufe leichter.",
)
PAIN_RULE_EASIER_NOTE = Text.of(
    "Last time your pain rose more than the rule allows, so today's session is one step easier.",
    "Beim letzten Mal ist Ihr Schmerz stärker gestiegen, als die Regel erlaubt. Deshalb ist "
    "das heutige Training eine Stufe leichter.",
)

# --------------------------------------------------------------------------
# The pain rule (section 4)
# --------------------------------------------------------------------------

PAIN_MAX_RISE = 2
"""Pain may rise at most this many points above the pre-session level ..."""
PAIN_CEILING = 6
"""... and may not reach this score, unless that is no higher than where it was."""


def _score(name: str, value: int | None) -> int | None:
    # bool is an int subclass; True as a pain score is a caller's bug.
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10:
        raise ValueError(f"{name} must be a whole number from 0 to 10, not {value!r}")
    return value


def _part_kept(before: int | None, after: int | None, usual: int | None) -> bool:
    if after is None:
        return True  # not rated: nothing to judge
    if before is not None and after - before > PAIN_MAX_RISE:
        return False
    if after < PAIN_CEILING:
        return True
    # At 6 or more the rule is broken only when the session made it so: a
    # person whose pain is 6 before, or whose usual pain is 6, and who ends at
    # 6 has kept it. A level not given cannot excuse anything.
    known = [level for level in (before, usual) if level is not None]
    return not all(after > level for level in known)


def pain_rule(
    before_back: int | None,
    before_leg: int | None,
    now_back: int | None,
    now_leg: int | None,
    *,
    usual_back: int | None = None,
    usual_leg: int | None = None,
) -> bool:
    """True while back and leg pain (0–10) both stay inside the rule.

    Judged for back and leg separately. Broken when the pain rose more than
    2 points above its level before the session, or when it is 6 or more and
    higher than both the level before and the person's usual level (from the
    health profile). None is a rating not given: a part not rated after the
    session is not judged; without the level before only the usual level
    counts, and without either 6 or more breaks the rule.
    """
    parts = (
        (
            _score("before_back", before_back),
            _score("now_back", now_back),
            _score("usual_back", usual_back),
        ),
        (
            _score("before_leg", before_leg),
            _score("now_leg", now_leg),
            _score("usual_leg", usual_leg),
        ),
    )
    return all(_part_kept(before, after, usual) for before, after, usual in parts)
