"""How a walking item is played: the walk it stands for, its stage length and its words.

The plan builds the walk and break steps from what is decided here, so the
player, ``coach plan`` and the sheet agree on how long a stage is and on what
the person is told: the treadmill's safety words, where to rest, and whether
the first symptoms end the walk. Pure data and functions: no Qt.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from coach.core.content.model import LANGUAGES, Dosage, Exercise, Text, Walk, WalkKind

SEATED_BREAK = "C2"
"""The seated hip-hinge lean: the break position "sitting"."""
STANDING_BREAK = "S9"
"""The supported forward lean: the break position "standing, leaning on a support"."""

TIMED_WALKS: Mapping[str, WalkKind] = {"A2": WalkKind.TREADMILL_UPHILL}
"""Walking exercises whose own dose is a time (``duration_s``), not a walk.

The treadmill walk predates walk doses, and routine files time it with
``duration_s``; giving it a walk dose would make those items invalid (an item
is either timed or a walk). So a timed item of one of these is played as one
continuous walk of that length instead, and the "symptoms started" mark is
recorded for it like for any walk. Its own steps say to stop at the first
mild symptoms, so the mark ends it.
"""


def played_walk(exercise: Exercise, dosage: Dosage) -> Walk | None:
    """The walk an item is played as, or None when it is not a walk."""
    if dosage.walk is not None:
        return dosage.walk
    kind = TIMED_WALKS.get(exercise.id)
    if kind is None or dosage.duration_s is None:
        return None
    return Walk(
        kind=kind,
        bouts=min(dosage.sets, 10),
        bout_s=dosage.duration_s,
        # A rest of 0 between sets is no break; Walk needs a positive one.
        break_s=dosage.rest_s or 90,
        from_walking_test=None,
        break_exercise=None,
        stop_at_first_symptoms=True,
    )


def bout_seconds(walk: Walk, walking_test_s: float | None) -> float:
    """A walking bout from the person's own walking test, else the fixed bout.

    ``max_s`` caps either: a good walking test day must not plan a walk
    longer than the clinician allowed.
    """
    if walking_test_s is None or walk.from_walking_test is None:
        seconds = walk.bout_s
    else:
        # Whole seconds: a countdown of 239.99 s would show a confusing 4:00.
        seconds = max(1.0, float(math.floor(walking_test_s * walk.from_walking_test + 0.5)))
    if walk.max_s is not None:
        seconds = min(seconds, walk.max_s)
    return seconds


def on_treadmill(walk: Walk) -> bool:
    return walk.kind in (WalkKind.TREADMILL_LEVEL, WalkKind.TREADMILL_UPHILL)


def _join(*parts: Text) -> Text:
    return Text({lang: " ".join(p.get(lang) for p in parts) for lang in LANGUAGES})


_TREADMILL_START = Text.of(
    "Fix the safety clip to your clothes. Start the belt at its slowest speed while you "
    "stand on the side rails, then step on, holding the handrails.",
    "Befestigen Sie den Sicherheitsclip an Ihrer Kleidung. Starten Sie das Band mit der "
    "langsamsten Geschwindigkeit, während Sie auf den seitlichen Trittflächen stehen, und "
    "steigen Sie dann auf, die Hände an den Griffen.",
)

_WALK: Mapping[WalkKind, Text] = {
    WalkKind.OUTDOOR: Text.of("Walk at a comfortable pace", "Gehen Sie in angenehmem Tempo"),
    WalkKind.TREADMILL_LEVEL: Text.of(
        "Walk on the treadmill with no slope, at a comfortable pace. Keep holding the rails.",
        "Gehen Sie auf dem Laufband ohne Steigung in angenehmem Tempo. Halten Sie sich "
        "weiter an den Griffen fest.",
    ),
    WalkKind.TREADMILL_UPHILL: Text.of(
        "Walk on the treadmill at a comfortable pace, with a gentle slope that tips you "
        "slightly forward. Never set it downhill. Keep holding the rails.",
        "Gehen Sie auf dem Laufband in angenehmem Tempo, mit einer leichten Steigung, die "
        "Sie etwas nach vorne neigt. Nie bergab einstellen. Halten Sie sich weiter an den "
        "Griffen fest.",
    ),
}

_ENDS_AT_SYMPTOMS = Text.of(
    "At your first symptoms, press “Symptoms started”: the walk ends there.",
    "Drücken Sie bei den ersten Beschwerden auf „Beschwerden haben begonnen“: Dort endet "
    "die Gehrunde.",
)

_TREADMILL_OFF = Text.of(
    "Slow the belt down, wait until it stops, and step off.",
    "Machen Sie das Band langsamer, warten Sie, bis es steht, und steigen Sie ab.",
)

_BREAK: Mapping[str | None, Text] = {
    SEATED_BREAK: Text.of(
        "Sit down, lean forward from your hips with your forearms on your thighs, and "
        "rest until your legs settle",
        "Setzen Sie sich, beugen Sie sich aus der Hüfte nach vorne, die Unterarme auf den "
        "Oberschenkeln, und ruhen Sie sich aus, bis sich die Beine beruhigen",
    ),
    STANDING_BREAK: Text.of(
        "Lean forward on a firm support, such as a counter or your walker with its brakes "
        "on, and rest until your legs settle",
        "Stützen Sie sich nach vorne gebeugt auf etwas Festes, etwa eine Ablage oder Ihren "
        "Rollator mit angezogenen Bremsen, und ruhen Sie sich aus, bis sich die Beine "
        "beruhigen",
    ),
    None: Text.of(
        "Sit down or lean forward on a support, and rest until your legs settle",
        "Setzen Sie sich oder stützen Sie sich nach vorn gebeugt ab, bis sich die Beine beruhigen",
    ),
}


def get_ready_words(walk: Walk, get_ready: Text) -> Text:
    """The get-ready line, with the treadmill's safety words before the first step on."""
    return _join(get_ready, _TREADMILL_START) if on_treadmill(walk) else get_ready


def walk_words(walk: Walk) -> Text:
    """What the person hears during a walking bout."""
    words = _WALK[walk.kind]
    return _join(words, _ENDS_AT_SYMPTOMS) if walk.stop_at_first_symptoms else words


def break_words(walk: Walk) -> Text:
    """What the person does in the break: where to rest, off the treadmill first."""
    rest = _BREAK.get(walk.break_exercise, _BREAK[None])
    return _join(_TREADMILL_OFF, rest) if on_treadmill(walk) else rest
