"""The routine being edited, as plain data, and the undo step that swaps it.

The working copy holds no widgets, so it can be compared, copied and checked
as data. Undo and redo swap whole snapshots: a routine is small, and snapshots
cannot get out of step with the widgets the way hand-written inverse
operations can.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QUndoCommand

from coach.core.common.days import WEEK
from coach.core.content.model import Routine
from coach.core.content.records import Invalid

if TYPE_CHECKING:
    from coach.ui.clinic.editor.page import RoutineEditor


@dataclass
class Draft:
    """The routine being edited, as plain data; a key in an item dict = a set field."""

    title: dict[str, str] = field(default_factory=lambda: {"en": ""})
    description: dict[str, str] = field(
        default_factory=lambda: {
            "en": "Your exercises from your physiotherapist.",
            "de": "Ihre Übungen von Ihrer Physiotherapeutin oder Ihrem Physiotherapeuten.",
        }
    )
    times_per_day: int = 1
    days: list[str] = field(default_factory=lambda: list(WEEK))
    times_per_week: int | None = None  # "n times a week" on any of ``days``
    schedule_text: dict[str, str] | None = None
    items: list[dict[str, Any]] = field(default_factory=list)
    allow_extension: list[str] = field(default_factory=list)
    allowed_by: str = ""
    chair_only: bool = False

    @classmethod
    def from_routine(cls, routine: Routine) -> Draft:
        items = []
        for item in routine.items:
            data = item.to_data(drop_default_none=True)
            items.append(data)
        return cls(
            title=dict(routine.title.root),
            description=dict(routine.description.root),
            times_per_day=routine.schedule.times_per_day,
            days=list(routine.schedule.days),
            times_per_week=routine.schedule.times_per_week,
            schedule_text=dict(routine.schedule.text.root) if routine.schedule.text else None,
            items=items,
            allow_extension=list(routine.permissions.allow_extension),
            allowed_by=routine.permissions.allowed_by or "",
            chair_only=routine.chair_only,
        )

    def data(self, routine_id: str) -> dict[str, Any]:
        schedule: dict[str, Any] = {
            "times_per_day": self.times_per_day,
            "days": [d for d in WEEK if d in self.days],
        }
        if self.times_per_week is not None:
            schedule["times_per_week"] = self.times_per_week
        if self.schedule_text:
            schedule["text"] = self.schedule_text
        permissions: dict[str, Any] = {"allow_extension": list(self.allow_extension)}
        if self.allowed_by.strip():
            permissions["allowed_by"] = self.allowed_by.strip()
        return {
            "id": routine_id,
            "title": _texts(self.title),
            "description": _texts(self.description),
            "items": [dict(i) for i in self.items],
            "schedule": schedule,
            "permissions": permissions,
            "chair_only": self.chair_only,
        }

    def routine(self, routine_id: str) -> Routine:
        """The Routine (raises Invalid when something is missing)."""
        return Routine.from_data(self.data(routine_id))

    def preview(self, routine_id: str) -> Routine | None:
        """A routine for the live total and timeline, even before the title is written."""
        data = self.data(routine_id)
        data["title"] = data["title"] or {"en": "(no name yet)"}
        data["description"] = data["description"] or {"en": "-"}
        data["schedule"]["days"] = data["schedule"]["days"] or list(WEEK)
        data["schedule"].pop("times_per_week", None)  # the timeline needs no frequency
        items = []
        for item in data["items"]:
            clean = dict(item)
            if "note" in clean and not (clean["note"] or {}).get("en"):
                clean.pop("note")
            items.append(clean)
        data["items"] = items
        try:
            return Routine.from_data(data)
        except Invalid:
            return None


def _texts(values: dict[str, str]) -> dict[str, str]:
    return {k: v.strip() for k, v in values.items() if v and v.strip()}


class SnapshotCommand(QUndoCommand):
    """One edit: the draft before and after; consecutive edits of one field merge."""

    def __init__(
        self, editor: RoutineEditor, before: Draft, after: Draft, text: str, merge_id: int
    ) -> None:
        super().__init__(text)
        self._editor = editor
        self.before = before
        self.after = after
        self._merge_id = merge_id

    def id(self) -> int:
        return self._merge_id

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, SnapshotCommand) or other.id() != self._merge_id:
            return False
        self.after = other.after
        return True

    def redo(self) -> None:
        self._editor._apply(copy.deepcopy(self.after))

    def undo(self) -> None:
        self._editor._apply(copy.deepcopy(self.before))
