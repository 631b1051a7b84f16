"""The words for sessions done against planned, and for how one session went.

One place for them, so the history, the day cells and the clinic's pages never
say "2 of 1 planned": more sessions than planned read "2 sessions (1 planned)".
"""

from __future__ import annotations

from collections.abc import Mapping

from coach.core.content.model import Exercise
from coach.core.progress.effort import Verdict
from coach.core.progress.session_log import SessionLine
from coach.core.session.stop_rules import STOP_LABELS, StopReason
from coach.ui.i18n import T


def sessions_of_planned(done: int, planned: int) -> str:
    """ "1 of 2 planned sessions", or "3 sessions (2 planned)" when more were done."""
    if done > planned:
        return T("{done} sessions ({planned} planned)").format(done=done, planned=planned)
    return T("{done} of {planned} planned sessions").format(done=done, planned=planned)


def minutes(seconds: float) -> int:
    return round(seconds / 60)


def time_of_planned(done_s: float, planned_s: float) -> str:
    """ "12 of 20 planned minutes done"; time done is never more than planned."""
    return T("{done} of {planned} planned minutes done").format(
        done=minutes(min(done_s, planned_s)), planned=max(1, minutes(planned_s))
    )


def _exercise_title(exercise_id: str | None, exercises: Mapping[str, Exercise], lang: str) -> str:
    if exercise_id is None:
        return ""
    found = exercises.get(exercise_id)
    return found.title.get(lang) if found is not None else exercise_id


def _reason_text(reason: str | None, lang: str) -> str:
    if reason is None:
        return ""
    try:
        return STOP_LABELS[StopReason(reason)].get(lang)
    except (ValueError, KeyError):
        return ""


def verdict_text(line: SessionLine, exercises: Mapping[str, Exercise], lang: str) -> str:
    """How a session went, e.g. "stopped at Bridging (sharp pain)" or "mostly skipped"."""
    at = _exercise_title(line.stopped_exercise, exercises, lang)
    v = line.verdict
    if v is Verdict.COMPLETED:
        return T("done")
    if v is Verdict.MOSTLY_SKIPPED:
        return T("mostly skipped, not counted as done")
    if v is Verdict.STOPPED:
        why = _reason_text(line.stop_reason, lang)
        text = T("stopped at {exercise}").format(exercise=at) if at else T("stopped")
        return f"{text} ({why})" if why else text
    if v is Verdict.ENDED_EARLY:
        return T("ended early at {exercise}").format(exercise=at) if at else T("ended early")
    if v is Verdict.INTERRUPTED:
        return T("interrupted at {exercise}").format(exercise=at) if at else T("interrupted")
    return T("still running")
