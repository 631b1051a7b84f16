"""Sessions a crash or a power cut interrupted, told at the next start.

At start-up the app (the only Coach on this data folder) closes the sessions
left in progress; this module says what each of them had done, so the person
reads "Yesterday's session stopped at exercise 3 - it counts as partly done".
Such a session counts as partly done in the statistics
(:data:`coach.core.progress.history.NOT_EXERCISE_PHASES`), never as missed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from coach.core.content.model import Text
from coach.core.progress.history import NOT_EXERCISE_PHASES, History
from coach.core.progress.store import Store
from coach.core.progress.store_rows import SessionOutcome


@dataclass(frozen=True)
class Interrupted:
    """One interrupted session that had done some exercise."""

    session_id: int
    routine_title: Text
    started_utc: datetime
    exercise_no: int | None
    """The exercise it stopped at (1 = the routine's first), None if unknown."""


def close_interrupted(store: Store) -> list[Interrupted]:
    """Mark the sessions left in progress as abandoned; those that did some exercise.

    Call only when no other Coach uses the store (a running session is in
    progress too). Their steps stay; a session that stopped before its first
    step of exercise is closed too but not told (nothing was done).
    """
    with History(store) as history:  # SQL only: no row of the older sessions is read
        left = [
            int(r[0])
            for r in history.rows(
                "SELECT id FROM sessions WHERE outcome = ? ORDER BY started_utc",
                (SessionOutcome.IN_PROGRESS.value,),
            )
        ]
    if not left:
        return []
    store.mark_abandoned_sessions()
    found: list[Interrupted] = []
    for session_id in left:
        session = store.session(session_id)
        if session.outcome is not SessionOutcome.ABANDONED:
            continue  # another start ended it meanwhile
        worked = [s for s in store.steps(session_id) if s.phase not in NOT_EXERCISE_PHASES]
        if not worked:
            continue
        items = [s.item_index for s in worked if s.item_index is not None]
        found.append(
            Interrupted(
                session_id=session_id,
                routine_title=session.routine_title,
                started_utc=session.started_utc,
                exercise_no=items[-1] + 1 if items else None,
            )
        )
    return found
