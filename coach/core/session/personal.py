"""The routine as this person does it today, and every way it differs from the file.

A routine file says what a physiotherapist (or Coach) wrote. What a person
actually plays also depends on their health answers, on what their clinician
kept or allowed for them, on the dose steps they accepted, on their own
walking test and on where they are in their programme. All of that is decided
here, once, so that the player, the sheet, the home page, the reminders,
``coach plan`` and the report to the clinic cannot disagree.

Everything is passed in: this module reads no file and no database, so the
same inputs always give the same plan (the tests hold it against a table).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from coach.core.content.model import Exercise, Routine, RoutineItem, Text
from coach.core.content.records import Invalid
from coach.core.session.plan import (
    SIT_BEFORE_STANDING_S,
    Plan,
    bout_seconds,
    build_plan,
    format_clock,
)
from coach.core.session.profile import (
    ANSWER_BACK_OPERATION,
    NOTE_BONE_SAFE_ASSIGNED,
    NOTE_EXTENSION_ALLOWED,
    REASON_LOCKED,
    HealthProfile,
    Rule,
    builtin_routines_locked,
    filter_exercises,
    reason_unknown_exercise,
)

SIT_BEFORE_STANDING_DIZZY_S = 60.0
"""Sitting before standing up after lying, for a person who gets dizzy on standing."""

DOSE_FIELDS_CHANGED_AT_HOME = ("reps", "hold_s", "sets", "duration_s", "walk")
"""The fields an accepted progression step may set (see progress.stats)."""


class Cause(StrEnum):
    """Why the routine a person plays differs from the routine as written."""

    HEALTH = "health"  # an answer in the health profile
    CLINICIAN = "clinician"  # the clinician kept or allowed something for this person
    DOSE_CHANGE = "dose_change"  # a progression step the person accepted
    WALKING_TEST = "walking_test"  # walking stages from the person's own test
    PROGRAMME_WEEK = "programme_week"  # where the person is in the clinician's programme
    CONTENT = "content"  # the routine names an exercise Coach does not have


class ChangeKind(StrEnum):
    LEFT_OUT = "left_out"
    SWAPPED = "swapped"
    NOTE = "note"  # the exercise stays, with words to heed
    DOSE = "dose"
    WALK_STAGE = "walk_stage"
    NOT_PLAYABLE = "not_playable"  # the whole routine is not for this person now
    PROGRAMME = "programme"


@dataclass(frozen=True)
class Change:
    """One difference from the routine as written, with its cause and its words."""

    cause: Cause
    kind: ChangeKind
    text: Text
    item_index: int | None = None  # the item's place in the routine as written
    exercise_id: str | None = None
    rule: Rule | None = None  # the health rule behind it, with the answer that set it off
    becomes: str | None = None  # a swap: the exercise played instead (None: the same, reworded)

    def reason(self, lang: str = "en") -> str:
        """Why, for a clinician: the answer, then what the rule does.

        "Hip replacement, left (posterior approach), the surgeon's limits
        apply – hip flexion beyond 90°"
        """
        if self.rule is None:
            return self.text.get(lang)
        answer = self.rule.answer.get(lang)
        return f"{answer[:1].upper()}{answer[1:]} – {self.rule.for_clinician.get(lang)}"

    def to_json_dict(self, lang: str = "en") -> dict[str, Any]:
        return {
            "cause": self.cause.value,
            "kind": self.kind.value,
            "action": self.kind.value,
            "item": None if self.item_index is None else self.item_index + 1,
            "exercise": self.exercise_id,
            "text": self.text.get(lang),
            "rule": self.rule.code if self.rule is not None else None,
            "becomes": self.becomes,
            "answer": self.rule.answer.get(lang) if self.rule is not None else None,
            "reason": self.reason(lang),
        }


@dataclass(frozen=True)
class ClinicianPlan:
    """What a clinician's installed plan says about one of its routines."""

    clinician: str
    start: date | None = None  # None: the plan's record is gone, its files remain
    review: date | None = None
    weeks: int | None = None  # the programme's length, when the plan gives one


@dataclass(frozen=True)
class PersonalPlan:
    """The routine as written, the routine as played, its steps and the changes between."""

    written: Routine
    routine: Routine | None  # None when nothing of the routine is for this person now
    plan: Plan | None
    changes: tuple[Change, ...] = ()
    programme_week: int | None = None
    walking_test_s: float | None = None
    worded: Mapping[str, Exercise] = field(default_factory=dict)
    """Exercises played in a variant's own words (bone-safe), by id."""

    def exercise(self, exercise_id: str, exercises: Mapping[str, Exercise]) -> Exercise | None:
        """An exercise as this person does it: a variant's own words where they apply.

        Every view that shows an exercise's words next to this plan (the sheet,
        the home page's cue) asks here, so it says what the player says.
        """
        return self.worded.get(exercise_id) or exercises.get(exercise_id)

    @property
    def playable(self) -> bool:
        return self.plan is not None

    @property
    def total_seconds(self) -> float:
        return self.plan.total_seconds if self.plan is not None else 0.0

    def change_texts(self, lang: str = "en") -> list[str]:
        return [change.text.get(lang) for change in self.changes]

    def to_json_dict(self, lang: str = "en") -> dict[str, Any]:
        """``coach plan --json``: the plan's own keys, plus the changes and the week."""
        if self.plan is not None:
            data = self.plan.to_json_dict(lang)
        else:
            data = {"routine": self.written.id, "total_seconds": 0, "steps": []}
        data["playable"] = self.playable
        data["changes"] = [change.to_json_dict(lang) for change in self.changes]
        data["programme_week"] = self.programme_week
        data["walking_test_s"] = self.walking_test_s
        # The clinician's CERT words per item (progression, start, tailoring) and keeps,
        # as written: they describe the prescription, not a step.
        data["items"] = [
            {"item": n, "exercise": item.exercise}
            | {
                name: text.get(lang)
                for name in ("starting_level", "progression", "tailoring")
                if (text := getattr(item, name)) is not None
            }
            | ({"kept_by": item.keep.by, "kept_on": item.keep.on.isoformat()} if item.keep else {})
            for n, item in enumerate(self.written.items, 1)
        ]
        return data

    def format_timeline(self, lang: str = "en", *, detailed: bool = True) -> str:
        lines: list[str] = []
        if self.plan is not None:
            lines.append(self.plan.format_timeline(lang, detailed=detailed))
        else:
            lines.append(f"{self.written.title.get(lang)} ({self.written.id})")
        if self.changes:
            lines.append("")
            lines.append(_HEADING_CHANGES.get(lang))
            lines += [f"  - {text}" for text in self.change_texts(lang)]
        return "\n".join(lines)


_HEADING_CHANGES = Text.of(
    "Changed for you from the routine as written:",
    "Für Sie geändert gegenüber der geschriebenen Übungsfolge:",
)
_LEFT_OUT = Text.of(
    "Left out for you: {title} ({reason})", "Für Sie weggelassen: {title} ({reason})"
)
_SWAPPED = Text.of(
    "{title} is replaced by its bone-friendly version: {other}",
    "{title} wird durch die knochenschonende Variante ersetzt: {other}",
)
_NOTHING_LEFT = Text.of(
    "None of this routine's exercises suits your health answers. Please ask your "
    "physiotherapist for a plan.",
    "Keine Übung dieser Folge passt zu Ihren Gesundheitsangaben. Bitte fragen Sie Ihre "
    "Physiotherapeutin oder Ihren Physiotherapeuten nach einem Plan.",
)
_KEPT_NOTE = Text.of("{title}: {note}", "{title}: {note}")
_KEPT_BY_CLINICIAN = Text.of(
    "{title} stays in your plan: {who} kept it on {day}, knowing your history, although "
    "your health answers would leave it out ({reason})",
    "{title} bleibt in Ihrem Plan: {who} hat die Übung am {day} in Kenntnis Ihrer "
    "Vorgeschichte beibehalten, obwohl Ihre Gesundheitsangaben sie weglassen würden "
    "({reason})",
)


def _keepable(rules: tuple[Rule, ...]) -> bool:
    """A clinician's "keep" overrides the health answers, never a missing permission
    for an exercise that arches the back (that permission is its own, named one)."""
    return not any(rule.code.startswith("lumbar_extension") for rule in rules)


_DOSE = Text.of(
    "{title}: {what} (a step you accepted)",
    "{title}: {what} (ein Schritt, den Sie angenommen haben)",
)
_WALK_STAGE = Text.of(
    "{title}: each walking stage lasts {stage}, {share} % of your walking test ({test})",
    "{title}: Jede Gehstrecke dauert {stage}, {share} % Ihres Gehtests ({test})",
)
_BEFORE_START = Text.of(
    "Your plan from {clinician} starts on {day}.",
    "Ihr Plan von {clinician} beginnt am {day}.",
)
_WEEK = Text.of(
    "Week {week} of your plan from {clinician}",
    "Woche {week} Ihres Plans von {clinician}",
)
_WEEK_OF = Text.of(
    "Week {week} of {weeks} of your plan from {clinician} (review on {review})",
    "Woche {week} von {weeks} Ihres Plans von {clinician} (Kontrolle am {review})",
)
_REVIEW_PASSED = Text.of(
    "The review date of your plan from {clinician} ({review}) has passed: please ask for the "
    "next step. Until then Coach keeps this plan.",
    "Der Kontrolltermin Ihres Plans von {clinician} ({review}) ist vorbei: Bitte fragen Sie "
    "nach dem nächsten Schritt. Bis dahin bleibt dieser Plan.",
)
_FIELD_WORDS = {
    "reps": Text.of("repetitions {before} → {after}", "Wiederholungen {before} → {after}"),
    "sets": Text.of("sets {before} → {after}", "Sätze {before} → {after}"),
    "hold_s": Text.of("hold {before} → {after} s", "Halten {before} → {after} s"),
    "duration_s": Text.of("time {before} → {after}", "Dauer {before} → {after}"),
    "walk": Text.of("walking stage {before} → {after}", "Gehstrecke {before} → {after}"),
}


def _fill(template: Text, **values: Text | str | int) -> Text:
    """The template in each of its languages, with per-language values."""

    def value(v: Text | str | int, lang: str) -> str:
        return v.get(lang) if isinstance(v, Text) else str(v)

    return Text.trusted(
        {
            lang: text.format(**{k: value(v, lang) for k, v in values.items()})
            for lang, text in template.root.items()
        }
    )


def _day(day: date) -> Text:
    return Text.trusted({"en": day.strftime("%d %b %Y"), "de": day.strftime("%d.%m.%Y")})


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


# --------------------------------------------------------------------------
# The steps in order: dose steps, health answers, walking test, programme week
# --------------------------------------------------------------------------


def apply_dose_changes(
    routine: Routine, changes: Mapping[str, Mapping[str, Mapping[str, Any]]]
) -> Routine:
    """The routine with the person's accepted steps applied (see :func:`personal_plan`)."""
    return _with_dose_changes(routine, changes, {})[0]


def _with_dose_changes(
    routine: Routine,
    changes: Mapping[str, Mapping[str, Mapping[str, Any]]],
    exercises: Mapping[str, Exercise],
) -> tuple[Routine, list[Change]]:
    """Accepted steps, keyed by the item's place in the routine as written.

    A step is skipped when the item at its place is no longer the same
    exercise (the routine file was edited) or when its value is outside the
    model's limits.
    """
    mine = changes.get(routine.id)
    if not mine:
        return routine, []
    items = list(routine.items)
    notes: list[Change] = []
    for key, change in sorted(mine.items(), key=lambda kv: kv[0]):
        try:
            index = int(key)
        except ValueError:
            continue
        if not 0 <= index < len(items) or items[index].exercise != change.get("exercise_id"):
            continue
        before = items[index]
        data = before.to_data()
        for name in DOSE_FIELDS_CHANGED_AT_HOME:
            if name in change:
                data[name] = change[name]
        try:
            after = RoutineItem.from_data(data)
        except Invalid:
            continue
        items[index] = after
        exercise = exercises.get(after.exercise)
        if exercise is not None:
            words = _dose_words(before, after, exercise)
            if words is not None:
                notes.append(
                    Change(
                        Cause.DOSE_CHANGE,
                        ChangeKind.DOSE,
                        _fill(_DOSE, title=exercise.title, what=words),
                        index,
                        exercise.id,
                    )
                )
    return routine.replace(items=items), notes


def _dose_words(before: RoutineItem, after: RoutineItem, exercise: Exercise) -> Text | None:
    old, new = before.apply_to(exercise.dosage), after.apply_to(exercise.dosage)
    parts: list[Text] = []
    for name in ("sets", "reps", "hold_s"):
        a, b = getattr(old, name), getattr(new, name)
        if a != b:
            parts.append(_fill(_FIELD_WORDS[name], before=_number(a), after=_number(b)))
    if old.duration_s != new.duration_s and old.duration_s and new.duration_s:
        parts.append(
            _fill(
                _FIELD_WORDS["duration_s"],
                before=format_clock(old.duration_s),
                after=format_clock(new.duration_s),
            )
        )
    if old.walk is not None and new.walk is not None and old.walk != new.walk:
        if old.walk.from_walking_test and new.walk.from_walking_test:
            a_s = f"{round(old.walk.from_walking_test * 100)} %"
            b_s = f"{round(new.walk.from_walking_test * 100)} %"
        else:
            a_s, b_s = format_clock(old.walk.bout_s), format_clock(new.walk.bout_s)
        parts.append(_fill(_FIELD_WORDS["walk"], before=a_s, after=b_s))
    if not parts:
        return None
    return Text.trusted({lang: ", ".join(p.get(lang) for p in parts) for lang in ("en", "de")})


def _tailor(
    profile: HealthProfile,
    routine: Routine,
    exercises: Mapping[str, Exercise],
    from_clinician: bool,
    today: date | None,
    worded: dict[str, Exercise],
) -> tuple[Routine | None, list[Change], list[int]]:
    """The routine made fit for the health answers, with every change and its cause.

    Rather than refusing a whole routine for one unsuitable exercise, hidden
    items are left out and bone-safe variants that name another exercise take
    its place (with that exercise's own dose); a text-only variant keeps the
    exercise and carries the variant's words as the item's note. The third
    value names, for each item played, its place in the routine as written
    (None for an item that is another exercise now). Exercises played in a
    variant's own words are put into ``worded``; a swap target is worded by
    its own bone-safe variant too (S4 becomes C2, which for weak bones keeps
    the back long).
    """
    if builtin_routines_locked(profile, today) and not from_clinician:
        locked = Rule("back_operation_recent", ANSWER_BACK_OPERATION, REASON_LOCKED)
        return None, [Change(Cause.HEALTH, ChangeKind.NOT_PLAYABLE, REASON_LOCKED, rule=locked)], []
    allowed = routine.permissions.allow_extension
    assigned = routine.exercise_ids() if from_clinician else ()
    offers = {
        o.exercise.id: o
        for o in filter_exercises(
            profile, exercises.values(), allowed_extension=allowed, assigned_by_clinician=assigned
        )
    }
    items: list[RoutineItem] = []
    origin: list[int] = []
    changes: list[Change] = []
    for index, item in enumerate(routine.items):
        offer = offers.get(item.exercise)
        if offer is None:
            changes.append(
                Change(
                    Cause.CONTENT,
                    ChangeKind.LEFT_OUT,
                    reason_unknown_exercise(item.exercise),
                    index,
                    item.exercise,
                )
            )
            continue
        title = offer.exercise.title
        if not offer.shown:
            why = offer.rules[0]
            if from_clinician and item.keep is not None and _keepable(offer.rules):
                # The clinician knows this patient's history and said so, by
                # name and date: the item stays, and everyone is told why.
                text = _fill(
                    _KEPT_BY_CLINICIAN,
                    title=title,
                    who=item.keep.by,
                    day=_day(item.keep.on),
                    reason=why.says,
                )
                changes.append(
                    Change(Cause.CLINICIAN, ChangeKind.NOTE, text, index, item.exercise, why)
                )
                items.append(item)
                origin.append(index)
                continue
            text = _fill(_LEFT_OUT, title=title, reason=why.says)
            changes.append(
                Change(Cause.HEALTH, ChangeKind.LEFT_OUT, text, index, item.exercise, why)
            )
            continue
        for rule in offer.note_rules:
            note = rule.says
            cause = (
                Cause.CLINICIAN
                if note in (NOTE_EXTENSION_ALLOWED, NOTE_BONE_SAFE_ASSIGNED)
                else Cause.HEALTH
            )
            text = _fill(_KEPT_NOTE, title=title, note=note)
            changes.append(Change(cause, ChangeKind.NOTE, text, index, item.exercise, rule))
        variant = offer.variant
        if variant is not None and variant.exercise and variant.exercise in exercises:
            other = exercises[variant.exercise]
            other_offer = offers.get(other.id)
            if other_offer is not None and other_offer.variant is not None:
                worded[other.id] = other.in_words_of(other_offer.variant)
            text = _fill(_SWAPPED, title=title, other=other.title)
            changes.append(
                Change(
                    Cause.HEALTH,
                    ChangeKind.SWAPPED,
                    text,
                    index,
                    item.exercise,
                    offer.rules[0],
                    becomes=other.id,
                )
            )
            # The variant exercise comes with its own default dose.
            items.append(RoutineItem(exercise=other.id, note=item.note))
            origin.append(-1)
            continue
        if variant is not None and variant.text is not None:
            if variant.has_own_words:
                worded[item.exercise] = offer.exercise.in_words_of(variant)
            # The clinician's own note stays, after the bone-safe words.
            note = variant.text if item.note is None else _joined(variant.text, item.note)
            items.append(item.replace(note=note))
            origin.append(index)
            text = _fill(_SWAPPED, title=title, other=variant.text)
            changes.append(
                Change(Cause.HEALTH, ChangeKind.SWAPPED, text, index, item.exercise, offer.rules[0])
            )
            continue
        items.append(item)
        origin.append(index)
    if not items:
        changes.append(Change(Cause.HEALTH, ChangeKind.NOT_PLAYABLE, _NOTHING_LEFT))
        return None, changes, []
    return routine.replace(items=items), changes, origin


def _joined(first: Text, second: Text) -> Text:
    return Text.trusted({lang: f"{first.get(lang)} {second.get(lang)}" for lang in ("en", "de")})


def _walking_changes(
    played: Routine,
    origin: list[int],
    exercises: Mapping[str, Exercise],
    walking_test_s: float | None,
) -> list[Change]:
    if walking_test_s is None:
        return []
    changes: list[Change] = []
    for position, item in enumerate(played.items):
        exercise = exercises.get(item.exercise)
        if exercise is None:
            continue
        walk = item.apply_to(exercise.dosage).walk
        if walk is None or walk.from_walking_test is None:
            continue
        stage = bout_seconds(walk, walking_test_s)
        if stage == walk.bout_s:
            continue
        text = _fill(
            _WALK_STAGE,
            title=exercise.title,
            stage=format_clock(stage),
            share=round(walk.from_walking_test * 100),
            test=format_clock(walking_test_s),
        )
        index = origin[position] if origin[position] >= 0 else None
        changes.append(Change(Cause.WALKING_TEST, ChangeKind.WALK_STAGE, text, index, exercise.id))
    return changes


def programme_week(clinician_plan: ClinicianPlan, today: date) -> int | None:
    """The week of the clinician's programme today (1 from its start), None before it."""
    if clinician_plan.start is None or today < clinician_plan.start:
        return None
    return (today - clinician_plan.start).days // 7 + 1


def _programme_changes(clinician_plan: ClinicianPlan | None, today: date) -> list[Change]:
    if clinician_plan is None or clinician_plan.start is None:
        return []
    who = clinician_plan.clinician
    week = programme_week(clinician_plan, today)
    review = clinician_plan.review
    if week is None:
        text = _fill(_BEFORE_START, clinician=who, day=_day(clinician_plan.start))
    elif review is not None and today > review:
        text = _fill(_REVIEW_PASSED, clinician=who, review=_day(review))
    elif review is not None:
        # The programme's own length when it has one; before plans had it, the review's week.
        planned = clinician_plan.weeks or (review - clinician_plan.start).days // 7 + 1
        weeks = max(week, planned)
        text = _fill(_WEEK_OF, week=week, weeks=weeks, clinician=who, review=_day(review))
    else:
        text = _fill(_WEEK, week=week, clinician=who)
    return [Change(Cause.PROGRAMME_WEEK, ChangeKind.PROGRAMME, text)]


def personal_plan(
    routine: Routine,
    exercises: Mapping[str, Exercise],
    *,
    profile: HealthProfile | None = None,
    clinician_plan: ClinicianPlan | None = None,
    dose_changes: Mapping[str, Mapping[str, Mapping[str, Any]]] | None = None,
    walking_test_s: float | None = None,
    today: date | None = None,
) -> PersonalPlan:
    """The routine as this person does it today.

    In this order: the dose steps they accepted (keyed by the item's place in
    the routine as written, as the progression rule proposes them), then the
    health answers (leaving out, swapping, adding a caution; a clinician's plan
    keeps what its clinician assigned), then the walking stages from their own
    walking test. ``profile`` None (no answers yet, a sheet printed for anyone)
    tailors nothing. ``clinician_plan`` is given when the routine belongs to
    an installed plan from a clinician. ``today`` defaults to the local date.
    """
    day = today or date.today()
    if walking_test_s is not None and walking_test_s <= 0:
        walking_test_s = None
    changes: list[Change] = []
    dosed, dose_notes = _with_dose_changes(routine, dose_changes or {}, exercises)
    played: Routine | None = dosed
    origin = list(range(len(dosed.items)))
    worded: dict[str, Exercise] = {}
    if profile is not None:
        played, health, origin = _tailor(
            profile, dosed, exercises, clinician_plan is not None, day, worded
        )
        changes += health
    changes += _programme_changes(clinician_plan, day)
    week = programme_week(clinician_plan, day) if clinician_plan is not None else None
    if played is None:
        return PersonalPlan(routine, None, None, tuple(changes), week, walking_test_s)
    # A dose step of an item the health answers left out or swapped did not happen.
    changes = [c for c in dose_notes if c.item_index in origin] + changes
    changes += _walking_changes(played, origin, exercises, walking_test_s)
    used = {**exercises, **worded} if worded else exercises
    # Dizziness on standing (blood-pressure medicines): the longest sit the
    # content notes ask for before standing up, 60 s instead of 30.
    dizzy = profile is not None and profile.dizziness_on_standing
    sit_s = SIT_BEFORE_STANDING_DIZZY_S if dizzy else SIT_BEFORE_STANDING_S
    plan = build_plan(played, used, walking_test_s=walking_test_s, sit_before_standing_s=sit_s)
    return PersonalPlan(routine, played, plan, tuple(changes), week, walking_test_s, worded)


@dataclass(frozen=True)
class PersonalInputs:
    """Everything beyond the routine that decides a personal plan, gathered once.

    Built from the data folder by :mod:`coach.core.person` (or by hand in a
    test); ``clinician_plans`` maps an installed routine id to its plan.
    """

    profile: HealthProfile | None = None
    clinician_plans: Mapping[str, ClinicianPlan] = field(default_factory=dict)
    dose_changes: Mapping[str, Mapping[str, Mapping[str, Any]]] = field(default_factory=dict)
    walking_test_s: float | None = None
    today: date | None = None

    def plan_for(self, routine: Routine, exercises: Mapping[str, Exercise]) -> PersonalPlan:
        return personal_plan(
            routine,
            exercises,
            profile=self.profile,
            clinician_plan=self.clinician_plans.get(routine.id),
            dose_changes=self.dose_changes,
            walking_test_s=self.walking_test_s,
            today=self.today,
        )


AS_WRITTEN = PersonalInputs()
"""No person behind it: the routine exactly as written (the editor, a blank sheet)."""
