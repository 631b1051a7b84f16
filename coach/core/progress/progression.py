"""Small dose steps, apart from the summaries because they change what a person does.

The summaries in :mod:`coach.core.progress.stats` only read; this module decides when
a routine gets one step harder or easier (CONTENT.md section 4) and keeps the
person's answer, so the rule, its limits and its evidence sit together and can be
checked against the content notes in one place. The next-morning question is here
because its answer is part of that evidence.

The rule and where its decisions go are described at :func:`suggest_progression`
and :func:`record_decision`. Two signs do not wait for the person's yes (CONTENT
section 4): pain after a session outside the pain rule, and a morning worse than
usual, make the routine one step easier at once (:func:`step_easier`,
:func:`answer_next_day`); the person may go back to the earlier dose later, on
purpose (:func:`go_back_to_earlier`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from coach.core.content.model import Exercise, Routine, Text
from coach.core.progress.dose_step import Direction, DoseChange, Trouble, choose_change
from coach.core.progress.effort import trouble_item
from coach.core.progress.history import History, Measure, SessionBrief, WalkingTest, iso
from coach.core.progress.stats import (
    AS_NEEDED_ROUTINES,
    DOSE_CHANGES_KEY,
    Tz,
    dose_changes,
    local_day,
)
from coach.core.progress.store import Store
from coach.core.session.personal import apply_dose_changes
from coach.core.session.stop_rules import StopReason, pain_rule

PROGRESSION_KIND = "progression"
"""Measure kind of a progression decision (one row per suggestion answered)."""

NEXT_DAY_KIND = "next_day"
"""Measure kind of the next-morning answer: ``{"session_id", "compared"}``."""

USUAL_PAIN_KIND = "usual_pain"
"""Measure kind of the usual pain (health profile) when a session's pain after was
rated: ``{"session_id", "back", "leg"}`` (0-10 or None). The pain rule judges each
session against the level the person gave then, not a later answer."""

GOOD_SESSIONS_FOR_STEP_UP = 3
PAIN_STOP_REASONS = frozenset(
    {StopReason.PAIN_SPREADING_LEG, StopReason.NEW_NUMBNESS_WEAKNESS, StopReason.SHARP_PAIN}
)
"""Stops that mean a flare: the next session gets one step easier."""

NEXT_DAY_ASK_WITHIN_DAYS = 2
"""The next-morning question is asked only about a session this recent."""


class Reason(StrEnum):
    GOOD_SESSIONS = "good_sessions"
    STOPPED_FOR_PAIN = "stopped_for_pain"
    PAIN_RULE = "pain_rule"
    WORSE_NEXT_DAY = "worse_next_day"
    BACK_TO_EARLIER = "back_to_earlier"  # the person undid an automatic step


AUTOMATIC_REASONS = frozenset({Reason.PAIN_RULE, Reason.WORSE_NEXT_DAY})
"""Steps down taken at once, without asking (CONTENT section 4)."""


class NextDay(StrEnum):
    BETTER = "better"
    USUAL = "usual"
    WORSE = "worse"


UsualPain = tuple[int | None, int | None]
"""The person's usual back and leg pain (0-10), None where not given."""

NO_USUAL_PAIN: UsualPain = (None, None)


def pain_rule_kept(session: SessionBrief, usual: UsualPain = NO_USUAL_PAIN) -> bool | None:
    """Whether pain after the session stayed inside the rule; None when not rated.

    The rule is :func:`coach.core.session.stop_rules.pain_rule`, judged with
    ``usual``, the usual levels the person had given when the session ended
    (:func:`usual_pain_by_session`).
    """
    if session.pain_after_back is None and session.pain_after_leg is None:
        return None
    return pain_rule(
        session.pain_before_back,
        session.pain_before_leg,
        session.pain_after_back,
        session.pain_after_leg,
        usual_back=usual[0],
        usual_leg=usual[1],
    )


def is_good_session(session: SessionBrief, usual: UsualPain = NO_USUAL_PAIN) -> bool:
    # A run through skipped steps says nothing about the dose: no step up from it.
    if session.outcome != "completed" or session.mostly_skipped:
        return False
    return pain_rule_kept(session, usual) is True


def flare_reason(session: SessionBrief, usual: UsualPain = NO_USUAL_PAIN) -> Reason | None:
    if session.outcome == "stopped" and session.stop_reason in PAIN_STOP_REASONS:
        return Reason.STOPPED_FOR_PAIN
    if pain_rule_kept(session, usual) is False:
        return Reason.PAIN_RULE
    return None


def _level(value: Any) -> int | None:
    ok = isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 10
    return value if ok else None


def record_usual_pain(
    store: Store, session_id: int, usual: UsualPain, *, when: datetime | None = None
) -> int | None:
    """Keep the usual levels the pain after ``session_id`` is judged against.

    Nothing is stored when neither level was given: no row means "not given".
    """
    back, leg = (_score_or_none(v) for v in usual)
    if back is None and leg is None:
        return None
    value = {"session_id": session_id, "back": back, "leg": leg}
    return store.add_measure(USUAL_PAIN_KIND, value, taken=when)


def _score_or_none(value: int | None) -> int | None:
    if value is not None and _level(value) is None:
        raise ValueError(f"a usual pain level must be a whole number from 0 to 10, not {value!r}")
    return value


def usual_pain_by_session(history: History) -> dict[int, UsualPain]:
    """The usual levels recorded with each session (see :data:`USUAL_PAIN_KIND`)."""
    out: dict[int, UsualPain] = {}
    for m in history.measures(USUAL_PAIN_KIND):
        sid = m.value.get("session_id")
        if isinstance(sid, int) and not isinstance(sid, bool):
            out[sid] = (_level(m.value.get("back")), _level(m.value.get("leg")))
    return out


@dataclass(frozen=True)
class Suggestion:
    """A suggested change of dose for one routine, and why."""

    routine_id: str
    direction: Direction
    reason: Reason
    change: DoseChange
    why: Text  # what happened
    text: Text  # the question with the change
    session_ids: tuple[int, ...] = field(default=())

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "routine_id": self.routine_id,
            "direction": self.direction.value,
            "reason": self.reason.value,
            "item_index": self.change.item_index,
            "exercise_id": self.change.exercise_id,
            "field": self.change.field,
            "before": self.change.before,
            "after": self.change.after,
            "session_ids": list(self.session_ids),
        }


def _last_decision(history: History, routine_id: str) -> datetime | None:
    for m in history.measures(PROGRESSION_KIND, newest_first=True):
        if m.value.get("routine_id") == routine_id:
            return m.taken_utc
    return None


def _worse_next_day(history: History, session_ids: Sequence[int], since: datetime | None) -> bool:
    if not session_ids:
        return False
    wanted = set(session_ids)
    for m in history.measures(NEXT_DAY_KIND, since=since):
        if m.value.get("session_id") in wanted and m.value.get("compared") == NextDay.WORSE:
            return True
    return False


def suggest_progression(
    history: History,
    routine: Routine,
    exercises: Mapping[str, Exercise],
) -> Suggestion | None:
    """One small step for ``routine``, or None.

    The rule (CONTENT.md section 4), counted over the routine's sessions
    since the last decision about it (accepted or not, so "Not now" waits
    for new evidence):

    - **one step back** when its newest session was stopped for pain (sharp,
      spreading, new numbness or weakness) or broke the pain rule, or when the
      person said they felt worse than usual the morning after one of those
      sessions;
    - **one step up** when its last 3 sessions were all completed, all had
      pain rated after them inside the pain rule, and none was followed by a
      worse morning.

    One thing changes at a time: +2 reps, +5 s hold, +1 set or +10 % walking
    or cycling time (the reverse for a step back), within limits. Routines for
    bad days are never progressed; relaxation items never change.
    """
    if routine.id in AS_NEEDED_ROUTINES:
        return None
    since = _last_decision(history, routine.id)
    recent = [
        s
        for s in history.last_sessions_of(routine.id, 10, after=since)
        if s.outcome in ("completed", "stopped")
    ]
    if not recent:
        return None
    usual = usual_pain_by_session(history)
    newest = recent[0]
    reason = flare_reason(newest, usual.get(newest.id, NO_USUAL_PAIN))
    if reason is None and _worse_next_day(history, [s.id for s in recent], since):
        reason = Reason.WORSE_NEXT_DAY
    if reason is not None:
        return easier_suggestion(history, routine, exercises, reason, (newest.id,))
    last = recent[:GOOD_SESSIONS_FOR_STEP_UP]
    if len(last) < GOOD_SESSIONS_FOR_STEP_UP or not all(
        is_good_session(s, usual.get(s.id, NO_USUAL_PAIN)) for s in last
    ):
        return None
    all_changes = dose_changes(history)
    mine = all_changes.get(routine.id, {})
    effective = apply_dose_changes(routine, all_changes)
    walking_test_s = latest_walking_s(history.walking_tests())
    title = routine.title
    change = choose_change(effective, exercises, Direction.UP, mine, walking_test_s)
    if change is None:
        return None
    n = GOOD_SESSIONS_FOR_STEP_UP
    why = Text.of(
        f"Your last {n} sessions of {title.get('en')} went well: your pain stayed within "
        "the safe limits.",
        f"Ihre letzten {n} Einheiten „{title.get('de')}“ liefen gut: Die Schmerzen blieben "
        "im sicheren Bereich.",
    )
    return _suggestion(routine, Direction.UP, Reason.GOOD_SESSIONS, change, why, exercises, last)


def _down_why(reason: Reason, title: Text, at: Text | None = None) -> Text:
    if reason is Reason.STOPPED_FOR_PAIN and at is not None:
        return Text.of(
            f"Your last session of {title.get('en')} was stopped because of pain, "
            f"during {at.get('en')}.",
            f"Ihre letzte Einheit „{title.get('de')}“ wurde wegen Schmerzen beendet, "
            f"bei „{at.get('de')}“.",
        )
    if reason is Reason.STOPPED_FOR_PAIN:
        return Text.of(
            f"Your last session of {title.get('en')} was stopped because of pain.",
            f"Ihre letzte Einheit „{title.get('de')}“ wurde wegen Schmerzen beendet.",
        )
    if reason is Reason.PAIN_RULE:
        return Text.of(
            f"Your pain went up more than it should in your last session of {title.get('en')}.",
            f"Ihre Schmerzen sind bei der letzten Einheit „{title.get('de')}“ stärker "
            "gestiegen, als sie sollten.",
        )
    return Text.of(
        f"You felt worse than usual the morning after {title.get('en')}.",
        f"Sie haben sich am Morgen nach „{title.get('de')}“ schlechter gefühlt als sonst.",
    )


def easier_suggestion(
    history: History,
    routine: Routine,
    exercises: Mapping[str, Exercise],
    reason: Reason,
    session_ids: Sequence[int] = (),
) -> Suggestion | None:
    """One step easier for ``routine`` because of ``reason``, or None when it cannot be.

    Routines for bad days are never changed; relaxation items never change.
    """
    if routine.id in AS_NEEDED_ROUTINES:
        return None
    all_changes = dose_changes(history)
    effective = apply_dose_changes(routine, all_changes)
    walking_test_s = latest_walking_s(history.walking_tests())
    mine = all_changes.get(routine.id, {})
    trouble = _trouble(history, session_ids)
    change = choose_change(effective, exercises, Direction.DOWN, mine, walking_test_s, trouble)
    if change is None:
        return None
    at = None
    if trouble is not None and trouble.exercise_id == change.exercise_id:
        found = exercises.get(change.exercise_id)
        at = found.title if found is not None else None
    why = _down_why(reason, routine.title, at)
    return _suggestion(routine, Direction.DOWN, reason, change, why, exercises, tuple(session_ids))


def _trouble(history: History, session_ids: Sequence[int]) -> Trouble | None:
    """Where the newest of ``session_ids`` went wrong, read from its recorded steps."""
    for sid in session_ids[:1]:
        effort = history.session_effort(sid)
        index = trouble_item(effort) if effort is not None else None
        if effort is not None and index is not None:
            exercise = next((i.exercise_id for i in effort.items if i.item_index == index), None)
            return Trouble(index, exercise)
    return None


def _suggestion(
    routine: Routine,
    direction: Direction,
    reason: Reason,
    change: DoseChange,
    why: Text,
    exercises: Mapping[str, Exercise],
    sessions: Sequence[SessionBrief] | Sequence[int],
) -> Suggestion:
    what = change.text(exercises[change.exercise_id].title)
    if direction is Direction.UP:
        text = Text.of(
            f"Ready for one small step up? {what.get('en')}.",
            f"Bereit für einen kleinen Schritt weiter? {what.get('de')}.",
        )
    else:
        text = Text.of(
            f"Coach suggests making it one step easier: {what.get('en')}.",
            f"Coach schlägt vor, es eine Stufe leichter zu machen: {what.get('de')}.",
        )
    ids = tuple(s if isinstance(s, int) else s.id for s in sessions)
    return Suggestion(routine.id, direction, reason, change, why, text, ids)


def next_suggestion(
    history: History,
    plan: Sequence[Routine],
    exercises: Mapping[str, Exercise],
) -> Suggestion | None:
    """The first suggestion over the plan's routines; a step back comes first."""
    found = [s for r in plan if (s := suggest_progression(history, r, exercises)) is not None]
    found.sort(key=lambda s: s.direction is not Direction.DOWN)
    return found[0] if found else None


def record_decision(
    store: Store,
    suggestion: Suggestion,
    accepted: bool,
    *,
    when: datetime | None = None,
    automatic: bool = False,
) -> int:
    """Keep the person's answer; an accepted step becomes the routine's new dose.

    Every answer is a measure of kind ``progression`` (the suggestion's fields
    plus ``"accepted"``), so the history and the export show what was offered
    and decided, and when. An accepted change also goes into the kv entry
    ``dose_changes`` that :func:`apply_dose_changes` reads before a session.

    ``automatic`` marks a step Coach took without asking (the pain rule, a worse
    morning); its measure also keeps the item's entry from before, ``"previous"``,
    so that :func:`go_back_to_earlier` restores exactly that dose. Returns the
    measure's id.
    """
    change = suggestion.change
    changes = dose_changes(store)
    previous = changes.get(change.routine_id, {}).get(str(change.item_index))
    value = suggestion.to_json_dict() | {"accepted": bool(accepted)}
    if automatic:
        value |= {"automatic": True, "previous": previous}
    taken = when or datetime.now(UTC)
    measure_id = store.add_measure(PROGRESSION_KIND, value, taken=taken)
    if not accepted:
        return measure_id
    entry = dict(previous or {})
    if entry.get("exercise_id") != change.exercise_id:
        entry = {}
    entry["exercise_id"] = change.exercise_id
    if change.field == "walk":
        entry["walk"] = change.walk
    elif change.field in ("reps", "sets"):
        entry[change.field] = int(change.after)
    else:
        entry[change.field] = change.after
    entry["last_field"] = change.field
    entry["changed_utc"] = iso(taken)
    changes.setdefault(change.routine_id, {})[str(change.item_index)] = entry
    store.set_json(DOSE_CHANGES_KEY, changes)
    return measure_id


def step_easier(
    store: Store,
    routine: Routine,
    exercises: Mapping[str, Exercise],
    reason: Reason,
    session_id: int,
    *,
    when: datetime | None = None,
) -> Suggestion | None:
    """Make the next session of ``routine`` one step easier now, because of ``session_id``.

    For the signs that do not wait for a yes (:data:`AUTOMATIC_REASONS`): the
    step is recorded as an accepted, automatic decision. None when the routine
    cannot get easier (all at its smallest, or a routine for bad days).
    """
    with History(store) as history:
        suggestion = easier_suggestion(history, routine, exercises, reason, (session_id,))
    if suggestion is None:
        return None
    record_decision(store, suggestion, True, when=when, automatic=True)
    return suggestion


@dataclass(frozen=True)
class AutomaticStep:
    """An automatic step down that is still the routine's latest decision."""

    measure_id: int
    taken_utc: datetime
    routine_id: str
    reason: Reason
    change: DoseChange
    session_ids: tuple[int, ...]

    def text(self, exercises: Mapping[str, Exercise]) -> Text:
        """What changed, e.g. "Chair marching: 8 times instead of 10"."""
        return self.change.text(self._title(exercises))

    def earlier_text(self, exercises: Mapping[str, Exercise]) -> Text:
        """Going back, e.g. "Chair marching: 10 times instead of 8"."""
        c = self.change
        back = DoseChange(c.routine_id, c.item_index, c.exercise_id, c.field, c.after, c.before)
        return back.text(self._title(exercises))

    def _title(self, exercises: Mapping[str, Exercise]) -> Text:
        exercise = exercises.get(self.change.exercise_id)
        return exercise.title if exercise is not None else Text.of(self.change.exercise_id)


def _automatic_step(m: Measure) -> AutomaticStep | None:
    v = m.value
    if not (v.get("automatic") is True and v.get("accepted") is True):
        return None
    try:
        reason = Reason(v["reason"])
        change = DoseChange(
            str(v["routine_id"]),
            int(v["item_index"]),
            str(v["exercise_id"]),
            str(v["field"]),
            float(v["before"]),
            float(v["after"]),
        )
    except (KeyError, TypeError, ValueError):
        return None
    if v.get("direction") != Direction.DOWN or reason not in AUTOMATIC_REASONS:
        return None
    ids = v.get("session_ids")
    sessions = tuple(i for i in ids if isinstance(i, int)) if isinstance(ids, list) else ()
    return AutomaticStep(m.id, m.taken_utc, change.routine_id, reason, change, sessions)


def automatic_steps(history: History) -> list[AutomaticStep]:
    """Automatic steps down that nothing has replaced since: per routine, its
    latest decision when that was one, newest first."""
    seen: set[str] = set()
    out: list[AutomaticStep] = []
    for m in history.measures(PROGRESSION_KIND, newest_first=True):
        routine_id = m.value.get("routine_id")
        if not isinstance(routine_id, str) or routine_id in seen:
            continue
        seen.add(routine_id)
        step = _automatic_step(m)
        if step is not None:
            out.append(step)
    return out


def easier_today(history: History, routine_id: str) -> AutomaticStep | None:
    """The automatic step the next session of ``routine_id`` should be told about.

    Its latest decision, when that was an automatic step down and no session
    of the routine has started since.
    """
    step = next((s for s in automatic_steps(history) if s.routine_id == routine_id), None)
    if step is None:
        return None
    latest = history.last_sessions_of(routine_id, 1)
    if latest and latest[0].started_utc >= step.taken_utc:
        return None  # told then: that session was the easier one
    return step


def go_back_to_earlier(store: Store, step: AutomaticStep, *, when: datetime | None = None) -> bool:
    """The person's deliberate choice: undo an automatic step, back to the dose before it.

    Recorded as an accepted decision (reason ``back_to_earlier``, ``"undoes"`` the
    step's measure id). False, and nothing changed, when the step is no longer
    the routine's latest decision (something else changed the dose since).
    """
    with History(store) as history:
        current = next(
            (s for s in automatic_steps(history) if s.routine_id == step.routine_id), None
        )
        found = [m for m in history.measures(PROGRESSION_KIND) if m.id == step.measure_id]
    if current is None or current.measure_id != step.measure_id or not found:
        return False
    previous = found[0].value.get("previous")
    change = step.change
    value = {
        "routine_id": change.routine_id,
        "direction": Direction.UP.value,
        "reason": Reason.BACK_TO_EARLIER.value,
        "item_index": change.item_index,
        "exercise_id": change.exercise_id,
        "field": change.field,
        "before": change.after,
        "after": change.before,
        "session_ids": [],
        "accepted": True,
        "undoes": step.measure_id,
    }
    store.add_measure(PROGRESSION_KIND, value, taken=when or datetime.now(UTC))
    changes = dose_changes(store)
    items = changes.setdefault(change.routine_id, {})
    if isinstance(previous, dict):
        items[str(change.item_index)] = previous
    else:
        items.pop(str(change.item_index), None)
    if not items:
        changes.pop(change.routine_id)
    store.set_json(DOSE_CHANGES_KEY, changes)
    return True


# --------------------------------------------------------------------------
# The next-morning question
# --------------------------------------------------------------------------


def next_day_question(history: History, now: datetime, tz: Tz = None) -> SessionBrief | None:
    """The session to ask "how was this morning?" about, or None.

    Asked the day after a counted session (up to two days later), once per session.
    """
    last = history.last_session()
    if last is None or not last.counted:
        return None
    day, today = local_day(last.started_utc, tz), local_day(now, tz)
    if not today > day or (today - day).days > NEXT_DAY_ASK_WITHIN_DAYS:
        return None
    for m in history.measures(NEXT_DAY_KIND, since=last.started_utc):
        if m.value.get("session_id") == last.id:
            return None
    return last


def record_next_day(
    store: Store, session_id: int, compared: NextDay | str, *, when: datetime | None = None
) -> int:
    """The answer to "compared with a usual morning, how do you feel?"."""
    answer = NextDay(compared)
    return store.add_measure(
        NEXT_DAY_KIND, {"session_id": session_id, "compared": answer.value}, taken=when
    )


def answer_next_day(
    store: Store,
    session: SessionBrief,
    compared: NextDay | str,
    routine: Routine | None,
    exercises: Mapping[str, Exercise],
    *,
    when: datetime | None = None,
) -> AutomaticStep | None:
    """Record the morning answer; "worse" makes ``routine`` one step easier at once.

    CONTENT section 4: worse than usual the next morning, the next session is
    one step easier; no "not now" can pass over that. One step per session: a
    session whose pain already broke the rule was made easier then, and the
    worse morning after it says the same again. Returns the automatic step the
    next session of the routine is easier by (also that earlier one), or None.
    """
    answer = NextDay(compared)
    record_next_day(store, session.id, answer, when=when)
    if answer is not NextDay.WORSE or routine is None or routine.id != session.routine_id:
        return None
    with History(store) as history:
        done = next(
            (s for s in automatic_steps(history) if s.routine_id == routine.id),
            None,
        )
    if done is not None and session.id in done.session_ids:
        return done
    if step_easier(store, routine, exercises, Reason.WORSE_NEXT_DAY, session.id, when=when):
        with History(store) as history:
            return easier_today(history, routine.id)
    return None


def latest_walking_s(tests: Sequence[WalkingTest]) -> float | None:
    """Like ``Store.latest_walking_test_s``: first symptoms, else the total."""
    if not tests:
        return None
    last = tests[-1]
    return last.first_symptoms_s or last.total_s


__all__ = [
    "AUTOMATIC_REASONS",
    "GOOD_SESSIONS_FOR_STEP_UP",
    "NEXT_DAY_KIND",
    "NO_USUAL_PAIN",
    "PAIN_STOP_REASONS",
    "PROGRESSION_KIND",
    "USUAL_PAIN_KIND",
    "AutomaticStep",
    "Direction",
    "DoseChange",
    "NextDay",
    "Reason",
    "Suggestion",
    "UsualPain",
    "answer_next_day",
    "automatic_steps",
    "easier_suggestion",
    "easier_today",
    "flare_reason",
    "go_back_to_earlier",
    "is_good_session",
    "latest_walking_s",
    "next_day_question",
    "next_suggestion",
    "pain_rule_kept",
    "record_decision",
    "record_next_day",
    "record_usual_pain",
    "step_easier",
    "suggest_progression",
    "usual_pain_by_session",
]
