"""How much of a session was really done: time done against time planned, per item.

A session the player ran to its end is not always a session done: skipping
every step also reaches the end. Here, in one place, is the rule that tells
them apart, and what the history, the report, the Patients list and the
progression rule read about a session's steps.

Time counts like this (the same in SQL, :data:`MOSTLY_SKIPPED_SQL`, and in
Python, :func:`effort_of`):

- the steps counted are those of the routine itself: not the "get ready",
  the pauses between exercises or the final "done" (:data:`NOT_COUNTED_PHASES`);
- a step left by "back" (outcome ``abandoned``) is not counted: it was tried
  again, and that later try is;
- a step finished normally counts its whole planned time (a self-paced
  step tapped early was still done);
- a skipped or stopped step counts the time spent in it, at most its plan.

A session is **mostly skipped** when less than :data:`MOSTLY_SKIPPED_BELOW`
of its planned time was done this way. It is not a session done: its day is
partly done, as after a crash.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol

MOSTLY_SKIPPED_BELOW = 0.5
"""A session with less than half its planned time done counts as mostly skipped."""

NOT_COUNTED_PHASES: tuple[str, ...] = ("get_ready", "transition", "done")
"""Steps that are no part of the dose: getting ready, the pause between exercises, the end."""

ENDED_EARLY = "ended_early"
"""The stop reason the player stores when the person ends a session on purpose."""

_PHASES_SQL = ", ".join(f"'{p}'" for p in NOT_COUNTED_PHASES)

MOSTLY_SKIPPED_SQL = (
    "(SELECT COALESCE(SUM(CASE WHEN r.outcome = 'completed' THEN r.planned_s"
    " ELSE MIN(MAX(r.done_s, 0), r.planned_s) END), 0)"
    f" < {MOSTLY_SKIPPED_BELOW!r} * COALESCE(SUM(r.planned_s), 0)"
    " FROM step_results r WHERE r.session_id = sessions.id AND r.outcome <> 'abandoned'"
    f" AND r.phase NOT IN ({_PHASES_SQL}))"
)
"""SQL over a ``sessions`` row: 1 when its recorded steps were mostly skipped.

A session without a counted step is not mostly skipped (0 < 0 is false): an
older session recorded without steps keeps counting as it always did."""


class StepLike(Protocol):
    """What is read of a recorded step (a store ``StepRow`` has all of it)."""

    @property
    def item_index(self) -> int | None: ...
    @property
    def exercise_id(self) -> str | None: ...
    @property
    def phase(self) -> str: ...
    @property
    def planned_s(self) -> float: ...
    @property
    def done_s(self) -> float: ...
    @property
    def outcome(self) -> str: ...


class ItemState(StrEnum):
    DONE = "done"  # every step of it done
    PARTLY = "partly"  # some steps skipped, at least half its time done
    SKIPPED = "skipped"  # less than half its time done
    STOPPED = "stopped"  # the session stopped during it


class Verdict(StrEnum):
    """What a session was, in the words people read."""

    COMPLETED = "completed"
    MOSTLY_SKIPPED = "mostly_skipped"
    STOPPED = "stopped"  # "Stop – this hurts"
    ENDED_EARLY = "ended_early"  # the person ended it on purpose
    INTERRUPTED = "interrupted"  # a crash or a power cut; Coach lost it
    IN_PROGRESS = "in_progress"


@dataclass(frozen=True)
class ItemEffort:
    """One routine item as it went in one session."""

    item_index: int
    exercise_id: str | None
    planned_s: float
    done_s: float
    state: ItemState


@dataclass(frozen=True)
class SessionEffort:
    """Time done against time planned, and how each item went.

    ``planned_s`` is the routine's whole counted time, also the part a stopped
    session never reached, when the session's planned total is known.
    """

    planned_s: float
    done_s: float
    recorded_planned_s: float  # the planned time of the steps that were recorded
    items: tuple[ItemEffort, ...]

    @property
    def share(self) -> float | None:
        """Done over planned (0-1); None when nothing was planned or recorded."""
        return min(1.0, self.done_s / self.planned_s) if self.planned_s > 0 else None

    @property
    def mostly_skipped(self) -> bool:
        """Less than the threshold done of the steps recorded (see the module)."""
        planned = self.recorded_planned_s
        return planned > 0 and self.done_s < MOSTLY_SKIPPED_BELOW * planned

    @property
    def stopped_item(self) -> ItemEffort | None:
        return next((i for i in self.items if i.state is ItemState.STOPPED), None)

    @property
    def skipped_items(self) -> tuple[ItemEffort, ...]:
        return tuple(i for i in self.items if i.state is ItemState.SKIPPED)


NO_EFFORT = SessionEffort(0.0, 0.0, 0.0, ())


def _credit(step: StepLike) -> float:
    planned = max(0.0, float(step.planned_s))
    if step.outcome == "completed":
        return planned
    return min(max(0.0, float(step.done_s)), planned)


def counted_steps(steps: Iterable[StepLike]) -> list[StepLike]:
    return [s for s in steps if s.outcome != "abandoned" and s.phase not in NOT_COUNTED_PHASES]


def effort_of(steps: Sequence[StepLike], planned_total_s: float | None = None) -> SessionEffort:
    """The effort of one session from its recorded steps (in recorded order).

    ``planned_total_s`` (the session's stored planned total, pauses included)
    lets a stopped session's plan include the steps it never reached.
    """
    counted = counted_steps(steps)
    recorded = sum(max(0.0, float(s.planned_s)) for s in counted)
    done = sum(_credit(s) for s in counted)
    planned = recorded
    if planned_total_s is not None and planned_total_s > 0:
        # The part never reached holds pauses too: count it at the share of
        # the routine's own steps among what was recorded.
        everything = sum(max(0.0, float(s.planned_s)) for s in steps if s.outcome != "abandoned")
        left = float(planned_total_s) - everything
        if left > 0:
            planned = recorded + left * (recorded / everything if everything > 0 else 1.0)
    items: dict[int, list[StepLike]] = {}
    for s in counted:
        if s.item_index is not None:
            items.setdefault(s.item_index, []).append(s)
    out = []
    for index in sorted(items):
        group = items[index]
        item_planned = sum(max(0.0, float(s.planned_s)) for s in group)
        item_done = sum(_credit(s) for s in group)
        if any(s.outcome == "stopped" for s in group):
            state = ItemState.STOPPED
        elif all(s.outcome == "completed" for s in group):
            state = ItemState.DONE
        elif item_planned > 0 and item_done < MOSTLY_SKIPPED_BELOW * item_planned:
            state = ItemState.SKIPPED
        else:
            state = ItemState.PARTLY
        exercise = next((s.exercise_id for s in group if s.exercise_id), None)
        out.append(ItemEffort(index, exercise, item_planned, item_done, state))
    return SessionEffort(planned, done, recorded, tuple(out))


def verdict(outcome: str, stop_reason: str | None, effort: SessionEffort) -> Verdict:
    """The session's verdict from its stored outcome and its steps."""
    if outcome == "completed":
        return Verdict.MOSTLY_SKIPPED if effort.mostly_skipped else Verdict.COMPLETED
    if outcome == "stopped":
        return Verdict.STOPPED
    if outcome == "in_progress":
        return Verdict.IN_PROGRESS
    return Verdict.ENDED_EARLY if stop_reason == ENDED_EARLY else Verdict.INTERRUPTED


def trouble_item(effort: SessionEffort) -> int | None:
    """The item where the session went wrong: where it stopped, else the most skipped one.

    The step easier goes there (CONTENT section 4): easing another exercise
    would leave the one that hurt as it was. None when no item stands out.
    """
    stopped = effort.stopped_item
    if stopped is not None:
        return stopped.item_index
    skipped = [i for i in effort.items if i.state in (ItemState.SKIPPED, ItemState.PARTLY)]
    if not skipped or len(skipped) == len(effort.items):
        return None  # nothing skipped, or everything: no exercise stands out
    # Most planned time left undone; the earlier item on a tie.
    worst = max(skipped, key=lambda i: (i.planned_s - i.done_s, -i.item_index))
    return worst.item_index


__all__ = [
    "ENDED_EARLY",
    "MOSTLY_SKIPPED_BELOW",
    "MOSTLY_SKIPPED_SQL",
    "NOT_COUNTED_PHASES",
    "NO_EFFORT",
    "ItemEffort",
    "ItemState",
    "SessionEffort",
    "Verdict",
    "counted_steps",
    "effort_of",
    "trouble_item",
    "verdict",
]


@dataclass(frozen=True)
class _Played:
    item_index: int | None
    exercise_id: str | None
    phase: str
    planned_s: float
    done_s: float
    outcome: str


def effort_of_results(results: Iterable[Any]) -> SessionEffort:
    """The effort of a session as it is being played, from the runner's StepResults.

    The player's end screen reads it before the store has the steps, so it says
    the same about the session as the history will.
    """
    return effort_of(
        [
            _Played(
                r.step.item_index,
                r.step.exercise_id,
                str(r.step.phase.value),
                float(r.planned_seconds),
                float(r.done_seconds),
                str(r.outcome.value),
            )
            for r in results
        ]
    )
