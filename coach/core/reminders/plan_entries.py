"""The routines the reminders are about: their days, how often, how long.

The tray reminds from a copy of these entries cached in ``reminders.json``, so
this is the one place that reads the routine library, and only when asked
(:func:`plan_entries`): the tray process runs without the content model.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from coach.core.common.days import WEEK
from coach.core.reminders.preferences import ReminderPrefs

if TYPE_CHECKING:
    from coach.core.content.library import Library
    from coach.core.session.personal import PersonalInputs


@dataclass(frozen=True)
class PlanEntry:
    """One routine of the person's plan, as the reminders need it."""

    routine_id: str
    title: Mapping[str, str]  # {"en": ..., "de": ...}
    seconds: float | None = None
    times_per_day: int = 1
    days: tuple[str, ...] = WEEK
    # "n times a week": ``days`` are the days it may fall on, and it is reminded
    # of only while the week's count is not reached.
    times_per_week: int | None = None

    @property
    def week_quota(self) -> int | None:
        """Sessions a week an "n times a week" routine asks for; None for fixed days."""
        return self.times_per_week * self.times_per_day if self.times_per_week else None

    def title_in(self, lang: str) -> str:
        return self.title.get(lang) or self.title.get("en") or self.routine_id


def chosen_plan(prefs: ReminderPrefs, available: Sequence[PlanEntry]) -> list[PlanEntry]:
    """The entries of the routines the person chose, in their order."""
    by_id = {e.routine_id: e for e in available}
    return [by_id[r] for r in prefs.routines if r in by_id]


class RoutineLike(Protocol):
    id: str
    title: Any
    schedule: Any


def plan_entry(routine: RoutineLike, seconds: float | None = None) -> PlanEntry:
    """A plan entry from a library routine (title in every language it has)."""
    title_obj = routine.title
    root = getattr(title_obj, "root", None)
    title = dict(root) if isinstance(root, Mapping) else {"en": str(title_obj)}
    schedule = routine.schedule
    return PlanEntry(
        routine_id=routine.id,
        title=title,
        seconds=seconds,
        times_per_day=int(schedule.times_per_day),
        days=tuple(d for d in WEEK if d in set(schedule.days)),
        times_per_week=getattr(schedule, "times_per_week", None),
    )


def plan_entries(
    library: Library,
    routine_ids: Iterable[str] | None = None,
    *,
    inputs: PersonalInputs | None = None,
) -> list[PlanEntry]:
    """Plan entries (schedule and length) of the given routines, or of all of them.

    The length is the routine's as this person does it (``inputs``, from
    ``coach.core.person``), so a reminder says the minutes the player will
    take. Ids the library does not have are left out (the caller can name them).
    """
    # Imported here: the tray process runs without the content model.
    from coach.core.session.personal import AS_WRITTEN

    person = inputs if inputs is not None else AS_WRITTEN
    entries = []
    for routine_id in library.routines if routine_ids is None else routine_ids:
        routine = library.routines.get(routine_id)
        if routine is None:
            continue
        try:
            personal = person.plan_for(routine, library.exercises)
            seconds: float | None = personal.total_seconds if personal.playable else None
        except (KeyError, ValueError):
            seconds = None
        entries.append(plan_entry(routine, seconds))
    return entries
