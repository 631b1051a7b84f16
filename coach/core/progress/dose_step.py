"""One small step of one routine item, and which item gets it (CONTENT.md section 4).

Apart from :mod:`coach.core.progress.progression`, which decides *when* a routine
steps up or down: here is only *what* changes, within the limits of one step.
Pure Python, no store.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from coach.core.content.model import Category, Exercise, Routine, RoutineItem, Text


class Direction(StrEnum):
    UP = "up"
    DOWN = "down"


@dataclass(frozen=True)
class Trouble:
    """Where a session went wrong: the item's place in the routine and its exercise."""

    item_index: int
    exercise_id: str | None = None


# Limits of one small step. Stretches grow in hold time and a few reps;
# strengthening, posture and balance work in reps, short holds and sets.
_STRETCH_MAX_HOLD_S, _STRETCH_MAX_REPS = 30.0, 5
_MAX_HOLD_S, _MAX_REPS, _MAX_SETS = 10.0, 15, 3
_MIN_HOLD_S, _MIN_REPS = 5.0, 2
_MAX_MINUTES_S, _MIN_MINUTES_S = 30 * 60.0, 60.0
_MAX_WALK_FACTOR, _MIN_WALK_FACTOR = 1.5, 0.3
HOLD_STEP_S, REPS_STEP, SETS_STEP, TIME_STEP = 5.0, 2, 1, 0.10


@dataclass(frozen=True)
class DoseChange:
    """One field of one routine item, from ``before`` to ``after``.

    ``field`` is "reps", "hold_s", "sets", "duration_s" (seconds) or "walk"
    (seconds of one walking bout; ``walk`` then holds the new Walk values).
    """

    routine_id: str
    item_index: int
    exercise_id: str
    field: str
    before: float
    after: float
    walk: dict[str, Any] | None = None

    def text(self, title: Text) -> Text:
        t_en, t_de = title.get("en"), title.get("de")
        b, a = self.before, self.after
        if self.field == "reps":
            return Text.of(
                f"{t_en}: {a:.0f} times instead of {b:.0f}",
                f"{t_de}: {a:.0f}-mal statt {b:.0f}-mal",
            )
        if self.field == "hold_s":
            return Text.of(
                f"{t_en}: hold {a:.0f} seconds instead of {b:.0f}",
                f"{t_de}: {a:.0f} Sekunden halten statt {b:.0f}",
            )
        if self.field == "sets":
            return Text.of(
                f"{t_en}: {a:.0f} sets instead of {b:.0f}",
                f"{t_de}: {a:.0f} Durchgänge statt {b:.0f}",
            )
        before, after = _clock_text(b), _clock_text(a)
        if self.field == "walk":
            return Text.of(
                f"{t_en}: walk {after} per bout instead of {before}",
                f"{t_de}: {after} pro Gehabschnitt statt {before}",
            )
        return Text.of(f"{t_en}: {after} instead of {before}", f"{t_de}: {after} statt {before}")


def _clock_text(seconds: float) -> str:
    whole = round(seconds)
    return f"{whole // 60}:{whole % 60:02d} min"


def item_step(
    routine: Routine,
    index: int,
    item: RoutineItem,
    exercise: Exercise,
    direction: Direction,
    walking_test_s: float | None,
    only: str | None = None,
) -> DoseChange | None:
    """One small step of one item, or None when it cannot move that way."""
    dose = item.apply_to(exercise.dosage)
    up = direction is Direction.UP
    stretch = exercise.category is Category.STRETCHING
    max_hold = _STRETCH_MAX_HOLD_S if stretch else _MAX_HOLD_S
    max_reps = _STRETCH_MAX_REPS if stretch else _MAX_REPS
    max_sets = 1 if stretch else _MAX_SETS

    def change(name: str, before: float, after: float, **extra: Any) -> DoseChange:
        return DoseChange(routine.id, index, exercise.id, name, before, after, **extra)

    if dose.walk is not None:
        if only not in (None, "walk"):
            return None
        walk = dose.walk
        ratio = 1 + TIME_STEP if up else 1 / (1 + TIME_STEP)
        bout = max(_MIN_MINUTES_S, min(_MAX_MINUTES_S, round(walk.bout_s * ratio / 5) * 5))
        factor = walk.from_walking_test
        new_factor = None
        if factor is not None:
            new_factor = round(max(_MIN_WALK_FACTOR, min(_MAX_WALK_FACTOR, factor * ratio)), 3)
        if bout == walk.bout_s and new_factor == factor:
            return None
        if factor is not None and new_factor is not None and walking_test_s:
            before, after = factor * walking_test_s, new_factor * walking_test_s
        else:
            before, after = walk.bout_s, bout
        if round(after) == round(before):
            return None
        new_walk = walk.to_data() | {"bout_s": bout, "from_walking_test": new_factor}
        return change("walk", before, after, walk=new_walk)
    if only is not None and only == "walk":
        return None
    if dose.duration_s is not None:
        if exercise.category is Category.RELAXATION or only not in (None, "duration_s"):
            return None
        ratio = 1 + TIME_STEP if up else 1 / (1 + TIME_STEP)
        new = max(_MIN_MINUTES_S, min(_MAX_MINUTES_S, round(dose.duration_s * ratio / 5) * 5))
        return None if new == dose.duration_s else change("duration_s", dose.duration_s, new)
    candidates: list[DoseChange] = []
    if dose.hold_s > 0 and only in (None, "hold_s"):
        if up and dose.hold_s + HOLD_STEP_S <= max_hold:
            candidates.append(change("hold_s", dose.hold_s, dose.hold_s + HOLD_STEP_S))
        elif not up and dose.hold_s - HOLD_STEP_S >= _MIN_HOLD_S:
            candidates.append(change("hold_s", dose.hold_s, dose.hold_s - HOLD_STEP_S))
    if only in (None, "reps"):
        if up and dose.reps + REPS_STEP <= max_reps:
            candidates.append(change("reps", dose.reps, dose.reps + REPS_STEP))
        elif not up and dose.reps - REPS_STEP >= _MIN_REPS:
            candidates.append(change("reps", dose.reps, dose.reps - REPS_STEP))
    if only in (None, "sets"):
        if up and dose.sets + SETS_STEP <= max_sets:
            candidates.append(change("sets", dose.sets, dose.sets + SETS_STEP))
        elif not up and dose.sets - SETS_STEP >= 1:
            candidates.append(change("sets", dose.sets, dose.sets - SETS_STEP))
    if not candidates:
        return None
    # Up: hold first, then reps, then sets. Down: undo in the opposite order.
    return candidates[0] if up else candidates[-1]


def choose_change(
    routine: Routine,
    exercises: Mapping[str, Exercise],
    direction: Direction,
    changes: Mapping[str, Mapping[str, Any]],
    walking_test_s: float | None,
    trouble: Trouble | None = None,
) -> DoseChange | None:
    """Which one thing to change.

    Up: the item changed longest ago (never-changed items first, in routine
    order) that still has room. Down: the item where the trouble was
    (``trouble``: where the session stopped, or the exercise skipped), when it
    can be eased; else the item changed most recently, in the field that was
    changed (undoing the last step up); without any earlier step, the walking
    bout, else the first item that can be eased.
    """
    indexed = [
        (i, item, ex)
        for i, item in enumerate(routine.items)
        if (ex := exercises.get(item.exercise)) is not None
        and ex.category is not Category.RELAXATION
    ]

    def changed_at(i: int) -> str:
        value = changes.get(str(i), {}).get("changed_utc")
        return value if isinstance(value, str) else ""

    if direction is Direction.UP:
        for i, item, ex in sorted(indexed, key=lambda t: (changed_at(t[0]), t[0])):
            found = item_step(routine, i, item, ex, direction, walking_test_s)
            if found is not None:
                return found
        return None
    if trouble is not None:
        # Its own place first; the same exercise elsewhere when the plan moved it.
        at = [t for t in indexed if t[0] == trouble.item_index]
        if trouble.exercise_id is not None:
            at = [t for t in at if t[2].id == trouble.exercise_id] or [
                t for t in indexed if t[2].id == trouble.exercise_id
            ]
        for i, item, ex in at[:1]:
            last = changes.get(str(i), {}).get("last_field")
            fields = [last] if isinstance(last, str) else []
            for only in (*fields, None):
                found = item_step(routine, i, item, ex, direction, walking_test_s, only)
                if found is not None:
                    return found
    recent = sorted(
        (t for t in indexed if changed_at(t[0])), key=lambda t: changed_at(t[0]), reverse=True
    )
    for i, item, ex in recent:
        last = changes.get(str(i), {}).get("last_field")
        found = item_step(
            routine, i, item, ex, direction, walking_test_s, last if isinstance(last, str) else None
        )
        if found is not None:
            return found
    walks = [t for t in indexed if t[1].apply_to(t[2].dosage).walk is not None]
    for i, item, ex in walks + indexed:
        found = item_step(routine, i, item, ex, direction, walking_test_s)
        if found is not None:
            return found
    return None


__all__ = [
    "HOLD_STEP_S",
    "REPS_STEP",
    "SETS_STEP",
    "TIME_STEP",
    "Direction",
    "DoseChange",
    "Trouble",
    "choose_change",
    "item_step",
]
