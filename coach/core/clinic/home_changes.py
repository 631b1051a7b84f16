"""Every change at home, dated, for the clinic: what Coach or the patient did differently.

A clinician reviews a plan against what happened, not against what was written. The
report (:mod:`coach.core.clinic.report`) and the printed progress report read the same
list from here, so the file and the paper cannot disagree. Five sources, read only:

- the health answers (the personal plan's changes): items left out or swapped, with the
  clinician's reason words; dated by the first completed session played without them;
- dose steps (``progression`` measures): accepted by the patient or taken by Coach at
  once, and going back to the earlier dose;
- stops, at the exercise and step where they happened (the step recorded as stopped);
- walking stages actually walked (the walk steps' planned seconds), where they differ
  from the routine as written or from the stages walked before;
- symptom times during walks (the walk steps' ``symptoms_at_s``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, tzinfo
from enum import StrEnum
from typing import Any

from coach.core.clinic.today import _local_day
from coach.core.content.model import Exercise, Routine, Text
from coach.core.progress.history import History, iso, parse
from coach.core.progress.store_rows import StepRow
from coach.core.session.personal import Cause, Change, ChangeKind, PersonalInputs
from coach.core.session.plan import format_clock
from coach.core.session.stop_rules import STOP_LABELS, StopReason


class HomeChangeKind(StrEnum):
    LEFT_OUT = "left_out"
    SWAPPED = "swapped"
    NOT_PLAYABLE = "not_playable"
    KEPT = "kept"  # the health answers would leave it out; the clinician kept it
    DOSE_EASIER = "dose_easier"
    DOSE_HARDER = "dose_harder"
    DOSE_BACK = "dose_back"  # back to the dose before an automatic step
    STOP = "stop"
    WALK_STAGE = "walk_stage"
    WALK_SYMPTOMS = "walk_symptoms"


@dataclass(frozen=True)
class HomeChange:
    """One dated change at home; ``what`` is short and leaves the exercise's name out."""

    day: date
    kind: HomeChangeKind
    what: Text
    exercise_id: str | None = None
    exercise_title: Text | None = None
    routine_id: str | None = None
    routine_title: Text | None = None
    reason: Text | None = None
    at_utc: datetime | None = None
    details: Mapping[str, Any] = field(default_factory=dict)

    def line(self, lang: str = "en") -> str:
        """The change in one line without its date: 'Knee hug: easier: hold 30 → 25 s'."""
        what = self.what.get(lang)
        if self.reason is not None:
            what += f" ({self.reason.get(lang)})"
        if self.exercise_title is None:
            return what[:1].upper() + what[1:]
        return f"{self.exercise_title.get(lang)}: {what}"

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "date": self.day.isoformat(),
            "kind": self.kind.value,
            "exercise": self.exercise_id,
            "exercise_title": dict(self.exercise_title.root) if self.exercise_title else None,
            "routine_id": self.routine_id,
            "routine_title": dict(self.routine_title.root) if self.routine_title else None,
            "what": dict(self.what.root),
            "reason": dict(self.reason.root) if self.reason else None,
            "at_utc": self.at_utc.astimezone(UTC).isoformat() if self.at_utc else None,
            **self.details,
        }


# --------------------------------------------------------------------------
# Words
# --------------------------------------------------------------------------

_LEFT_OUT = Text.of("left out: {reason}", "weggelassen: {reason}")
_SWAPPED = Text.of("swapped for {other}: {reason}", "ersetzt durch {other}: {reason}")
_SWAPPED_WORDS = Text.of(
    "done in its bone-friendly version: {reason}",
    "in der knochenschonenden Variante geübt: {reason}",
)
_NOT_PLAYABLE = Text.of(
    "the whole routine is not played: {reason}", "die ganze Übungsfolge entfällt: {reason}"
)
_KEPT = Text.of(
    "kept as {who} marked it on {day}, although the health answers would leave it out: {reason}",
    "beibehalten, wie {who} es am {day} festgelegt hat, obwohl die Gesundheitsangaben die "
    "Übung weglassen würden: {reason}",
)
_EASIER = Text.of("easier: {change}", "leichter: {change}")
_HARDER = Text.of("harder: {change}", "schwerer: {change}")
_BACK = Text.of("back to the earlier dose: {change}", "zurück zur früheren Dosis: {change}")
_FIELDS = {
    "reps": Text.of("repetitions {before} → {after}", "Wiederholungen {before} → {after}"),
    "sets": Text.of("sets {before} → {after}", "Sätze {before} → {after}"),
    "hold_s": Text.of("hold {before} → {after} s", "Halten {before} → {after} s"),
    "duration_s": Text.of("time {before} → {after}", "Dauer {before} → {after}"),
    "walk": Text.of("walking stage {before} → {after}", "Gehstrecke {before} → {after}"),
}
_CLOCK_FIELDS = ("duration_s", "walk")
_WHY = {
    "good_sessions": Text.of(
        "the patient accepted it after 3 good sessions",
        "zu Hause angenommen nach 3 guten Einheiten",
    ),
    "stopped_for_pain": Text.of(
        "the patient accepted it after a session stopped for pain",
        "zu Hause angenommen nach einer wegen Schmerzen beendeten Einheit",
    ),
    "pain_rule": Text.of(
        "pain after a session rose more than the pain rule allows",
        "der Schmerz stieg nach einer Einheit stärker, als die Schmerzregel erlaubt",
    ),
    "worse_next_day": Text.of(
        "worse than usual the morning after a session",
        "am Morgen nach einer Einheit schlechter als sonst",
    ),
    "back_to_earlier": Text.of(
        "the patient chose to undo Coach's automatic step",
        "zu Hause gewählt: Coachs automatischer Schritt zurückgenommen",
    ),
}
_BY_COACH = Text.of("Coach, at once: {why}", "Coach, sofort: {why}")
_NOT_PLAYED = Text.of(
    "not played: the health answers leave this exercise out",
    "nicht geübt: die Gesundheitsangaben lassen diese Übung weg",
)
_PATIENT_ACCEPTED = Text.of("the patient accepted it", "zu Hause angenommen")
_STOPPED = Text.of("stopped {where}", "beendet {where}")
_WHERE_IN = Text.of("in {parts}", "bei {parts}")
_BEFORE_FIRST = Text.of("before the first exercise", "vor der ersten Übung")
_BETWEEN = Text.of("between exercises", "zwischen zwei Übungen")
_AFTER = Text.of("after {title}", "nach {title}")
_SET = Text.of("set {n}", "Satz {n}")
_REP = Text.of("repetition {n}", "Wiederholung {n}")
_WALK_NO = Text.of("walk {n}", "Gehstrecke {n}")
_WALK_BREAK = Text.of("the rest break after walk {n}", "der Pause nach Gehstrecke {n}")
_SIDES = {
    "left": Text.of("left side", "linke Seite"),
    "right": Text.of("right side", "rechte Seite"),
}
_PHASES = {
    "hold": Text.of("while holding", "beim Halten"),
    "rest": Text.of("in the rest", "in der Pause"),
    "get_ready": Text.of("getting ready", "beim Vorbereiten"),
    "switch_side": Text.of("changing sides", "beim Seitenwechsel"),
}
_NO_REASON = Text.of("no reason given", "kein Grund angegeben")
_STAGE = Text.of("walking stages of {stage}", "Gehstrecken von {stage}")
_STAGE_WRITTEN = Text.of("instead of {written} as written", "statt {written} wie geschrieben")
_STAGE_BEFORE = Text.of("instead of {before} until then", "statt bisher {before}")
_STAGE_TEST = Text.of(
    "({share} % of the walking test of {test})", "({share} % des Gehtests von {test})"
)
_SYMPTOMS = Text.of("symptoms {list}", "Beschwerden {list}")
_SYMPTOM_AT = Text.of(
    "after {at} of walk {n} ({stage} planned)", "nach {at} in Gehstrecke {n} ({stage} geplant)"
)


def _fill(template: Text, **values: Text | str | int) -> Text:
    def value(v: Text | str | int, lang: str) -> str:
        return v.get(lang) if isinstance(v, Text) else str(v)

    return Text.trusted(
        {
            lang: text.format(**{k: value(v, lang) for k, v in values.items()})
            for lang, text in template.root.items()
        }
    )


def _joined(parts: Sequence[Text], sep: str = ", ") -> Text:
    return Text.trusted({lang: sep.join(p.get(lang) for p in parts) for lang in ("en", "de")})


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _title(exercises: Mapping[str, Exercise], ident: str | None) -> Text | None:
    if ident is None:
        return None
    exercise = exercises.get(ident)
    return exercise.title if exercise is not None else Text.of(ident)


# --------------------------------------------------------------------------
# Reading the store
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Session:
    id: int
    routine_id: str
    title: Text
    started_utc: datetime
    outcome: str
    stop_reason: str | None
    stop_note: str | None


def _sessions(history: History, since: datetime, until: datetime) -> list[_Session]:
    out = []
    for r in history.rows(
        "SELECT id, routine_id, routine_title, started_utc, outcome, stop_reason, stop_note"
        " FROM sessions WHERE started_utc >= ? AND started_utc < ? ORDER BY started_utc, id",
        (iso(since), iso(until)),
        "sessions",
    ):
        try:
            title = json.loads(r["routine_title"])
            started = parse(r["started_utc"])
        except (ValueError, TypeError):
            continue
        words = Text.trusted(title) if isinstance(title, dict) and "en" in title else None
        out.append(
            _Session(
                r["id"],
                str(r["routine_id"]),
                words or Text.of(str(r["routine_id"])),
                started,
                str(r["outcome"]),
                r["stop_reason"],
                r["stop_note"],
            )
        )
    return out


# --------------------------------------------------------------------------
# The list
# --------------------------------------------------------------------------


def changes_at_home(
    history: History,
    since: datetime,
    until: datetime,
    *,
    routines: Mapping[str, Routine],
    exercises: Mapping[str, Exercise],
    inputs: PersonalInputs | None = None,
    routine_ids: Iterable[str] = (),
    tz: tzinfo | None = None,
) -> list[HomeChange]:
    """Every change at home between ``since`` and ``until`` (UTC instants), oldest first.

    ``routines`` and ``exercises`` give the routines as written and the words;
    ``inputs`` (the person's health answers and the rest) add what the health answers
    leave out or swap, for the ``routine_ids`` of the plan and every routine played or
    dosed in the period. Without ``inputs`` those are left out, the rest is there.
    """
    with history.snapshot():
        sessions = _sessions(history, since, until)
        steps = history.steps_by_session(since, until)
        decisions = history.measures("progression", since=since, until=until)
        walking_tests = history.walking_tests()
    out: list[HomeChange] = []
    if inputs is not None:
        dosed = [m.value.get("routine_id") for m in decisions]
        wanted = list(
            dict.fromkeys(
                [
                    *routine_ids,
                    *(s.routine_id for s in sessions),
                    *(r for r in dosed if isinstance(r, str)),
                ]
            )
        )
        out += _health(wanted, routines, exercises, inputs, sessions, steps, until, tz)
    not_played = {
        (c.routine_id, c.exercise_id)
        for c in out
        if c.kind is HomeChangeKind.LEFT_OUT
        or (c.kind is HomeChangeKind.SWAPPED and c.details.get("becomes"))
    }
    out += _doses(decisions, routines, exercises, tz, not_played)
    out += _stops(sessions, steps, exercises, tz)
    out += _walks(sessions, steps, routines, exercises, walking_tests, tz)
    order = {kind: n for n, kind in enumerate(HomeChangeKind)}
    out.sort(key=lambda c: (c.day, c.at_utc or datetime.min.replace(tzinfo=UTC), order[c.kind]))
    return out


def _health(
    routine_ids: Sequence[str],
    routines: Mapping[str, Routine],
    exercises: Mapping[str, Exercise],
    inputs: PersonalInputs,
    sessions: Sequence[_Session],
    steps: Mapping[int, Sequence[StepRow]],
    until: datetime,
    tz: tzinfo | None,
) -> list[HomeChange]:
    out: list[HomeChange] = []
    last_day = _local_day(until, tz)
    for rid in routine_ids:
        routine = routines.get(rid)
        if routine is None:
            continue
        try:
            personal = inputs.plan_for(routine, exercises)
        except (KeyError, ValueError):
            continue
        mine = [s for s in sessions if s.routine_id == rid]
        for change in personal.changes:
            kept = _kept(change, routine, mine, steps, exercises, last_day, tz)
            if kept is not None:
                out.append(kept)
                continue
            if change.cause not in (Cause.HEALTH, Cause.CONTENT):
                continue
            if change.kind not in (
                ChangeKind.LEFT_OUT,
                ChangeKind.SWAPPED,
                ChangeKind.NOT_PLAYABLE,
            ):
                continue
            first = _first_played(change, mine, steps)
            reason = Text.trusted({lang: change.reason(lang) for lang in ("en", "de")})
            if change.kind is ChangeKind.LEFT_OUT:
                kind, what = HomeChangeKind.LEFT_OUT, _fill(_LEFT_OUT, reason=reason)
            elif change.kind is ChangeKind.SWAPPED and change.becomes is not None:
                other = _title(exercises, change.becomes) or Text.of(change.becomes)
                kind, what = HomeChangeKind.SWAPPED, _fill(_SWAPPED, other=other, reason=reason)
            elif change.kind is ChangeKind.SWAPPED:
                kind, what = HomeChangeKind.SWAPPED, _fill(_SWAPPED_WORDS, reason=reason)
            else:
                kind, what = HomeChangeKind.NOT_PLAYABLE, _fill(_NOT_PLAYABLE, reason=reason)
            out.append(
                HomeChange(
                    _local_day(first.started_utc, tz) if first is not None else last_day,
                    kind,
                    what,
                    change.exercise_id,
                    _title(exercises, change.exercise_id),
                    rid,
                    routine.title,
                    at_utc=first.started_utc if first is not None else None,
                    details={
                        "cause": change.cause.value,
                        "rule": change.rule.code if change.rule is not None else None,
                        "becomes": change.becomes,
                        "item": None if change.item_index is None else change.item_index + 1,
                        "played": first is not None,
                        "text": dict(change.text.root),
                    },
                )
            )
    return out


def _kept(
    change: Change,
    routine: Routine,
    sessions: Sequence[_Session],
    steps: Mapping[int, Sequence[StepRow]],
    exercises: Mapping[str, Exercise],
    last_day: date,
    tz: tzinfo | None,
) -> HomeChange | None:
    """The clinician's "keep" of an item the health answers would leave out, as a home
    change: the report says either way what the health answers did to the plan."""
    index = change.item_index
    if change.cause is not Cause.CLINICIAN or change.rule is None or index is None:
        return None
    mark = routine.items[index].keep if 0 <= index < len(routine.items) else None
    if mark is None:
        return None
    # Dated by the first session that played it, as a left-out item is by the first
    # one without it.
    first = next(
        (s for s in sessions if change.exercise_id in {x.exercise_id for x in steps.get(s.id, ())}),
        None,
    )
    day = Text.trusted({"en": f"{mark.on:%d %b %Y}", "de": f"{mark.on:%d.%m.%Y}"})
    reason = Text.trusted({lang: change.reason(lang) for lang in ("en", "de")})
    return HomeChange(
        _local_day(first.started_utc, tz) if first is not None else last_day,
        HomeChangeKind.KEPT,
        _fill(_KEPT, who=mark.by, day=day, reason=reason),
        change.exercise_id,
        _title(exercises, change.exercise_id),
        routine.id,
        routine.title,
        at_utc=first.started_utc if first is not None else None,
        details={
            "cause": change.cause.value,
            "rule": change.rule.code,
            "item": index + 1,
            "kept_by": mark.by,
            "kept_on": mark.on.isoformat(),
            "played": first is not None,
        },
    )


def _first_played(
    change: Change, sessions: Sequence[_Session], steps: Mapping[int, Sequence[StepRow]]
) -> _Session | None:
    """The first session of the routine that shows the change happening.

    A left-out item: the first completed session without it; a swap to another
    exercise: the first one with that exercise and without the original. When the
    steps cannot tell (the same exercise in other words), the first session.
    """
    if change.kind is ChangeKind.NOT_PLAYABLE:
        return None
    for session in sessions:
        if session.outcome != "completed":
            continue
        played = {s.exercise_id for s in steps.get(session.id, ()) if s.exercise_id}
        if not played:
            continue
        if change.kind is ChangeKind.LEFT_OUT:
            shows = change.exercise_id not in played
        elif change.becomes is not None:
            shows = change.becomes in played and change.exercise_id not in played
        else:
            shows = True
        if shows:
            return session
    return sessions[0] if sessions else None


def _doses(
    decisions: Iterable[Any],
    routines: Mapping[str, Routine],
    exercises: Mapping[str, Exercise],
    tz: tzinfo | None,
    not_played: set[tuple[str | None, str | None]],
) -> list[HomeChange]:
    out: list[HomeChange] = []
    for m in decisions:
        v = m.value
        if v.get("accepted") is not True:
            continue
        name = v.get("field")
        before, after = v.get("before"), v.get("after")
        if name not in _FIELDS or not all(_is_number(x) for x in (before, after)):
            continue
        shown = (
            (format_clock(before), format_clock(after))
            if name in _CLOCK_FIELDS
            else (_number(before), _number(after))
        )
        change = _fill(_FIELDS[name], before=shown[0], after=shown[1])
        reason_code = str(v.get("reason") or "")
        automatic = v.get("automatic") is True
        if reason_code == "back_to_earlier":
            kind, template = HomeChangeKind.DOSE_BACK, _BACK
        elif v.get("direction") == "down":
            kind, template = HomeChangeKind.DOSE_EASIER, _EASIER
        else:
            kind, template = HomeChangeKind.DOSE_HARDER, _HARDER
        why = _WHY.get(reason_code, _PATIENT_ACCEPTED)
        reason = _fill(_BY_COACH, why=why) if automatic else why
        exercise_id = v.get("exercise_id") if isinstance(v.get("exercise_id"), str) else None
        routine_id = v.get("routine_id") if isinstance(v.get("routine_id"), str) else None
        routine = routines.get(routine_id) if routine_id else None
        item = v.get("item_index")
        what = _fill(template, change=change)
        # A dose step can land on an item the health answers leave out: said so,
        # or the clinician would read of a dose nobody played.
        idle = (routine_id, exercise_id) in not_played
        if idle:
            what = _joined([what, _NOT_PLAYED], "; ")
        out.append(
            HomeChange(
                _local_day(m.taken_utc, tz),
                kind,
                what,
                exercise_id,
                _title(exercises, exercise_id),
                routine_id,
                routine.title if routine is not None else None,
                reason,
                m.taken_utc,
                {
                    "field": name,
                    "before": before,
                    "after": after,
                    "automatic": automatic,
                    "reason_code": reason_code or None,
                    "played": not idle,
                    "item": item + 1
                    if isinstance(item, int) and not isinstance(item, bool)
                    else None,
                },
            )
        )
    return out


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value >= 0


def _stops(
    sessions: Sequence[_Session],
    steps: Mapping[int, Sequence[StepRow]],
    exercises: Mapping[str, Exercise],
    tz: tzinfo | None,
) -> list[HomeChange]:
    out: list[HomeChange] = []
    for session in sessions:
        if session.outcome != "stopped":
            continue
        recorded = list(steps.get(session.id, ()))
        at = next((s for s in reversed(recorded) if s.outcome == "stopped"), None)
        before = [s for s in recorded if s is not at and s.exercise_id]
        if at is not None and at.exercise_id:
            exercise_id: str | None = at.exercise_id
            where = _fill(_WHERE_IN, parts=_joined(_where(at)))
        elif at is not None or before:
            # Between two exercises: named by the one done last.
            exercise_id = None
            where = _BETWEEN
            if before:
                title = _title(exercises, before[-1].exercise_id)
                if title is not None:
                    where = _joined([_BETWEEN, _fill(_AFTER, title=title)])
        else:
            exercise_id, where = None, _BEFORE_FIRST
        reason = _NO_REASON
        if session.stop_reason:
            try:
                reason = STOP_LABELS[StopReason(session.stop_reason)]
            except ValueError:
                reason = Text.of(session.stop_reason)
        step = None
        if at is not None:
            step = {
                "index": at.step_index,
                "phase": at.phase,
                "set": at.set_no,
                "rep": at.rep_no,
                "side": at.side,
                "done_s": round(at.done_s, 1),
                "planned_s": round(at.planned_s, 1),
            }
        out.append(
            HomeChange(
                _local_day(session.started_utc, tz),
                HomeChangeKind.STOP,
                _fill(_STOPPED, where=where),
                exercise_id,
                _title(exercises, exercise_id),
                session.routine_id,
                session.title,
                reason,
                session.started_utc,
                {
                    "stop_reason": session.stop_reason,
                    "note": session.stop_note,
                    "step": step,
                },
            )
        )
    return out


def _where(step: StepRow) -> list[Text]:
    if step.phase == "walk" and step.rep_no is not None:
        return [_fill(_WALK_NO, n=step.rep_no)]
    if step.phase == "flexion_break" and step.rep_no is not None:
        return [_fill(_WALK_BREAK, n=step.rep_no)]
    parts: list[Text] = []
    if step.set_no is not None:
        parts.append(_fill(_SET, n=step.set_no))
    if step.rep_no is not None:
        parts.append(_fill(_REP, n=step.rep_no))
    if step.side in _SIDES:
        parts.append(_SIDES[step.side])
    if step.phase in _PHASES:
        parts.append(_PHASES[step.phase])
    return parts or [Text.of("the exercise", "der Übung")]


def _walks(
    sessions: Sequence[_Session],
    steps: Mapping[int, Sequence[StepRow]],
    routines: Mapping[str, Routine],
    exercises: Mapping[str, Exercise],
    walking_tests: Sequence[Any],
    tz: tzinfo | None,
) -> list[HomeChange]:
    out: list[HomeChange] = []
    last_stage: dict[tuple[str, str], float] = {}
    for session in sessions:
        walks = [
            s for s in _final(steps.get(session.id, ())) if s.phase == "walk" and s.exercise_id
        ]
        if not walks:
            continue
        day = _local_day(session.started_utc, tz)
        for exercise_id in dict.fromkeys(s.exercise_id for s in walks if s.exercise_id):
            mine = [s for s in walks if s.exercise_id == exercise_id]
            stage = round(mine[0].planned_s)
            key = (session.routine_id, exercise_id)
            written, share = _written_stage(
                routines.get(session.routine_id), exercise_id, exercises
            )
            before = last_stage.get(key)
            last_stage[key] = stage
            test = _test_before(walking_tests, session.started_utc)
            parts = [_fill(_STAGE, stage=format_clock(stage))]
            if before is None and written is not None and round(written) != stage:
                parts.append(_fill(_STAGE_WRITTEN, written=format_clock(written)))
            elif before is not None and before != stage:
                parts.append(_fill(_STAGE_BEFORE, before=format_clock(before)))
            else:
                parts = []
            if parts:
                if share is not None and test is not None:
                    # The share walked, not the one written: a dose step changes it.
                    parts.append(
                        _fill(_STAGE_TEST, share=round(100 * stage / test), test=format_clock(test))
                    )
                out.append(
                    HomeChange(
                        day,
                        HomeChangeKind.WALK_STAGE,
                        _joined(parts, " "),
                        exercise_id,
                        _title(exercises, exercise_id),
                        session.routine_id,
                        session.title,
                        at_utc=session.started_utc,
                        details={
                            "stage_s": stage,
                            "written_s": round(written) if written is not None else None,
                            "walking_test_s": test,
                            "walked_s": [round(s.done_s) for s in mine],
                        },
                    )
                )
            marked = [s for s in mine if s.symptoms_at_s is not None]
            if marked:
                items = [
                    _fill(
                        _SYMPTOM_AT,
                        at=format_clock(float(s.symptoms_at_s or 0.0)),
                        n=s.rep_no if s.rep_no is not None else "?",
                        stage=format_clock(s.planned_s),
                    )
                    for s in marked
                ]
                out.append(
                    HomeChange(
                        day,
                        HomeChangeKind.WALK_SYMPTOMS,
                        _fill(_SYMPTOMS, list=_joined(items, "; ")),
                        exercise_id,
                        _title(exercises, exercise_id),
                        session.routine_id,
                        session.title,
                        at_utc=session.started_utc,
                        details={
                            "symptoms": [
                                {
                                    "walk": s.rep_no,
                                    "at_s": round(float(s.symptoms_at_s or 0.0), 1),
                                    "stage_s": round(s.planned_s),
                                }
                                for s in marked
                            ]
                        },
                    )
                )
    return out


def _final(recorded: Iterable[StepRow]) -> list[StepRow]:
    """The step results that count: a step repeated with "back" counts its last try."""
    last: dict[int, StepRow] = {}
    for step in recorded:
        last[step.step_index] = step
    return [last[k] for k in sorted(last)]


def _written_stage(
    routine: Routine | None, exercise_id: str, exercises: Mapping[str, Exercise]
) -> tuple[float | None, float | None]:
    """The walking stage of the routine as written, and its share of the walking test."""
    exercise = exercises.get(exercise_id)
    if routine is None or exercise is None:
        return None, None
    for item in routine.items:
        if item.exercise != exercise_id:
            continue
        try:
            walk = item.apply_to(exercise.dosage).walk
        except ValueError:
            return None, None
        if walk is not None:
            return walk.bout_s, walk.from_walking_test
    return None, None


def _test_before(tests: Sequence[Any], moment: datetime) -> float | None:
    """The walking test a session's stages came from: the latest one before it."""
    found = [t for t in tests if t.taken_utc <= moment]
    if not found:
        return None
    last = found[-1]
    value = last.first_symptoms_s or last.total_s
    return float(value) if value else None


__all__ = ["HomeChange", "HomeChangeKind", "changes_at_home"]
