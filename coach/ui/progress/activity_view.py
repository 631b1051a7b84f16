"""Exercise done outside Coach: a walk, cycling, water exercise, with minutes and how it felt.

These minutes count towards the week's activity on the History page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from coach.core.progress.history import History
from coach.core.progress.store_errors import StoreError
from coach.ui.flow_layout import FlowLayout
from coach.ui.i18n import T
from coach.ui.progress.dates import short_date
from coach.ui.widgets import button, card, clear_layout, label

if TYPE_CHECKING:
    from coach.core.progress.store import Store

KINDS = (
    ("walk", "A walk"),
    ("cycling", "Cycling"),
    ("water", "Water exercise"),
    ("other", "Something else"),
)
FEELINGS = (
    ("better", "Better than before"),
    ("same", "The same"),
    ("worse", "Worse than before"),
)
FEELING_SIGNS = {"better": "↑", "same": "=", "worse": "↓"}
RECENT = 10


class ChoiceButton(QPushButton):
    """A toggle that shows its state in words and shape: "✓ Cycling", filled, thick frame."""

    # Not bold: a bolder font would not fit the width measured for the normal one.
    STYLE = (
        "QPushButton:checked { background: #0b6e5f; color: #ffffff; border: 4px solid #1d1d1b; }"
    )

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self._text = text
        self.setCheckable(True)
        self.setStyleSheet(self.STYLE)
        self.toggled.connect(self._on_toggled)

    def _on_toggled(self, on: bool) -> None:
        self.setText(("✓ " + self._text) if on else self._text)


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def kind_name(kind: str) -> str:
    return T(dict(KINDS).get(kind, kind))


def feeling_name(feeling: str | None) -> str:
    return T(dict(FEELINGS)[feeling]) if feeling in dict(FEELINGS) else ""


class ActivityView(QWidget):
    """Log an activity (kind, minutes, how it felt, a note) and see the recent ones."""

    activity_added = Signal(int)  # the row id

    def __init__(
        self,
        store: Store | None,
        lang: str = "en",
        *,
        now: Callable[[], dt.datetime] = _utc_now,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._store, self._lang, self._now = store, lang, now
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        area = QScrollArea()
        area.setWidgetResizable(True)
        outer.addWidget(area)
        body = QWidget()
        area.setWidget(body)
        self._layout = QVBoxLayout(body)
        self._layout.setContentsMargins(32, 24, 32, 24)
        self._layout.setSpacing(14)
        self.kind_group = QButtonGroup(self)
        self.feeling_group = QButtonGroup(self)
        self.build()

    def set_store(self, store: Store | None) -> None:
        self._store = store
        self.build()

    def _choices(
        self, group: QButtonGroup, items: tuple[tuple[str, str], ...], prefix: str
    ) -> FlowLayout:
        flow = FlowLayout(spacing=10)
        for key, text in items:
            choice = ChoiceButton(T(text))
            choice.setObjectName(f"{prefix}-{key}")
            choice.setProperty("key", key)
            choice.setAccessibleName(T(text))
            group.addButton(choice)
            flow.addWidget(choice)
        return flow

    def build(self) -> None:
        layout = self._layout
        clear_layout(layout)
        for group in (self.kind_group, self.feeling_group):
            for b in group.buttons():
                group.removeButton(b)
        layout.addWidget(label(T("Other activity"), "h1"))
        layout.addWidget(
            label(
                T(
                    "Did you walk, cycle or exercise in water? Note it here: it counts for "
                    "your week."
                ),
                "muted",
            )
        )
        if self._store is None:
            layout.addWidget(
                label(
                    T("Your progress file could not be opened, so nothing can be saved."), "caution"
                )
            )
            layout.addStretch(1)
            return
        frame, box = card()
        box.addWidget(label(T("What did you do?"), "h2"))
        box.addLayout(self._choices(self.kind_group, KINDS, "kind"))
        self.kind_group.buttons()[0].setChecked(True)
        box.addWidget(label(T("For how many minutes?"), "h2"))
        self.minutes = QSpinBox()
        self.minutes.setRange(1, 600)
        self.minutes.setValue(30)
        self.minutes.setSingleStep(5)
        self.minutes.setObjectName("activity-minutes")
        self.minutes.setAccessibleName(T("Minutes"))
        less = button("−5", accessible=T("5 minutes less"))
        less.setObjectName("minutes-less")
        less.clicked.connect(lambda: self.minutes.setValue(self.minutes.value() - 5))
        more = button("+5", accessible=T("5 minutes more"))
        more.setObjectName("minutes-more")
        more.clicked.connect(lambda: self.minutes.setValue(self.minutes.value() + 5))
        row = FlowLayout(spacing=10)
        for w in (less, self.minutes, more, label(T("minutes"), None, wrap=False)):
            row.addWidget(w)
        box.addLayout(row)
        box.addWidget(label(T("How did your back and legs feel afterwards?"), "h2"))
        box.addLayout(self._choices(self.feeling_group, FEELINGS, "feeling"))
        box.addWidget(label(T("A note (optional)"), "h2"))
        self.note = QLineEdit()
        self.note.setMaxLength(500)
        self.note.setObjectName("activity-note")
        self.note.setAccessibleName(T("A note"))
        box.addWidget(self.note)
        self.problem = label("", "caution")
        self.problem.setObjectName("activity-problem")
        self.problem.hide()
        box.addWidget(self.problem)
        save = button(T("Save"), "primary", accessible=T("Save the activity"))
        save.setObjectName("activity-save")
        save.clicked.connect(self.save)
        actions = FlowLayout()
        actions.addWidget(save)
        box.addLayout(actions)
        self.done = label("", "cue")
        self.done.setObjectName("activity-saved")
        self.done.hide()
        layout.addWidget(self.done)
        layout.addWidget(frame)
        self.recent_box = QVBoxLayout()
        layout.addLayout(self.recent_box)
        layout.addStretch(1)
        self.show_recent()

    def chosen(self, group: QButtonGroup) -> str | None:
        b = group.checkedButton()
        return None if b is None else str(b.property("key"))

    def save(self) -> None:
        if self._store is None:
            return
        kind = self.chosen(self.kind_group) or "other"
        feeling = self.chosen(self.feeling_group)
        note = " ".join(self.note.text().split()) or None
        minutes = self.minutes.value()
        try:
            row = self._store.add_activity(
                kind, minutes, feeling=feeling, note=note, taken=self._now()
            )
        except (StoreError, ValueError) as exc:
            self.problem.setText(getattr(exc, "message", str(exc)))
            self.problem.show()
            return
        self.problem.hide()
        self.note.clear()
        checked = self.feeling_group.checkedButton()
        if checked is not None:
            self.feeling_group.setExclusive(False)
            checked.setChecked(False)
            self.feeling_group.setExclusive(True)
        self.done.setText(
            "✓ " + T("Saved: {kind}, {n} minutes.").format(kind=kind_name(kind), n=minutes)
        )
        self.done.show()
        self.show_recent()
        self.activity_added.emit(row)

    def show_recent(self) -> None:
        clear_layout(self.recent_box)
        if self._store is None:
            return
        try:
            with History(self._store) as history:
                recent = history.activities(RECENT)
        except StoreError as exc:
            self.recent_box.addWidget(label(exc.message, "caution"))
            return
        self.recent_box.addWidget(label(T("Recent activities"), "h2"))
        if not recent:
            self.recent_box.addWidget(label(T("Nothing noted yet."), "muted"))
            return
        self.recent_lines: list[str] = []
        for item in recent:
            day = item["taken_utc"].astimezone().date()
            parts = [
                short_date(day, self._lang),
                kind_name(item["kind"]),
                T("{n} minutes").format(n=round(item["minutes"])),
            ]
            if item["feeling"] in FEELING_SIGNS:
                parts.append(f"{FEELING_SIGNS[item['feeling']]} {feeling_name(item['feeling'])}")
            if item["note"]:
                parts.append(f"“{item['note']}”")
            text = " · ".join(parts)
            self.recent_lines.append(text)
            line = label(text)
            line.setObjectName(f"activity-{item['id']}")
            self.recent_box.addWidget(line)
