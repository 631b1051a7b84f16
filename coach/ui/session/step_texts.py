"""What the player says about a step: the countdown, the time left, where in the routine."""

from __future__ import annotations

import math

from coach.core.session.plan import Phase, Step, format_clock
from coach.ui.i18n import T

FALLBACK_CUE = (
    "Keep your lower back relaxed. Do not arch it.",
    "Den unteren Rücken locker lassen, kein Hohlkreuz.",
)


def countdown_text(seconds: float) -> str:
    """Whole seconds below a minute ("17"), m:ss from a minute on ("4:00")."""
    whole = max(0, math.ceil(seconds - 1e-6))
    return str(whole) if whole < 60 else format_clock(whole)


def count_up_text(seconds: float) -> str:
    whole = max(0, math.floor(seconds + 1e-6))
    return str(whole) if whole < 60 else format_clock(whole)


def minutes_left_text(seconds: float) -> str:
    minutes = max(0, math.ceil(seconds / 60 - 1e-9))
    if minutes <= 1:
        return T("1 min left") if seconds > 0 else ""
    return T("{n} min left").format(n=minutes)


def position_text(step: Step) -> str:
    """Where the person is: "Rep 3 of 10 · Set 1 of 2 · Right side"."""
    parts: list[str] = []
    if step.phase is Phase.WALK and step.rep_no is not None:
        parts.append(T("Walk {n} of {m}").format(n=step.rep_no, m=step.reps))
    elif step.phase is Phase.FLEXION_BREAK and step.rep_no is not None:
        parts.append(T("Rest after walk {n} of {m}").format(n=step.rep_no, m=step.reps))
    else:
        if step.rep_no is not None and step.reps is not None:
            parts.append(T("Rep {n} of {m}").format(n=step.rep_no, m=step.reps))
        if step.set_no is not None and step.sets is not None and step.sets > 1:
            template = "Set {n} of {m} done" if step.phase is Phase.REST else "Set {n} of {m}"
            parts.append(T(template).format(n=step.set_no, m=step.sets))
    if step.side is not None:
        parts.append(T("Left side") if step.side.value == "left" else T("Right side"))
    return "  ·  ".join(parts)


def note_text(step: Step, lang: str) -> str:
    """The clinician's note on the step's item, said to come from them ("" if none)."""
    if step.note is None or not step.note.get(lang).strip():
        return ""
    return T("From your physiotherapist: {note}").format(note=step.note.get(lang).strip())


def caution_text(step: Step, lang: str) -> str:
    """The caution of an exercise allowed by permission; it names who allowed it."""
    return step.caution.get(lang).strip() if step.caution is not None else ""
