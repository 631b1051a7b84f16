"""How often a routine is done: times a day, fixed weekdays or "n days a week".

A mixin of the editor page, as the dose form is: it builds the schedule's
fields into the routine pane and turns their changes into undo steps.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QBoxLayout,
    QCheckBox,
    QGridLayout,
    QHBoxLayout,
    QPushButton,
)

from coach.core.common.days import DAY_NAMES_LONG_EN, WEEK
from coach.ui.clinic.editor.style import spin
from coach.ui.i18n import T
from coach.ui.widgets import label

if TYPE_CHECKING:
    from coach.ui.clinic.editor.draft import Draft

DAY_LABELS = {
    "mon": "Mo",
    "tue": "Tu",
    "wed": "We",
    "thu": "Th",
    "fri": "Fr",
    "sat": "Sa",
    "sun": "Su",
}


class ScheduleFields:
    """Times a day, "n days a week" and the day buttons; the widgets are the page's."""

    _change: Callable[..., None]

    def _build_schedule(self, box: QBoxLayout) -> None:
        times_row = QHBoxLayout()
        times_row.setSpacing(6)
        times_row.addWidget(label(T("How often"), wrap=False))
        self.times = spin(1, 3, "", T("Times per day"))
        self.times.setObjectName("times-per-day")
        self.times.valueChanged.connect(self._on_times_changed)
        times_row.addWidget(self.times)
        times_row.addWidget(label(T("times a day, on"), wrap=False))
        times_row.addStretch(1)
        box.addLayout(times_row)
        week_row = QHBoxLayout()
        week_row.setSpacing(6)
        self.weekly = QCheckBox(T("Or"))
        self.weekly.setObjectName("weekly")
        self.weekly.setAccessibleName(T("Not on fixed days: so many days a week"))
        self.weekly.toggled.connect(self._on_weekly_toggled)
        self.per_week = spin(1, 7, "", T("Days a week"))
        self.per_week.setObjectName("times-per-week")
        self.per_week.setValue(2)
        self.per_week.valueChanged.connect(self._on_per_week_changed)
        week_row.addWidget(self.weekly)
        week_row.addWidget(self.per_week)
        week_row.addWidget(label(T("days a week, the patient picks from the days below")), 1)
        box.addLayout(week_row)
        self.days_grid = QGridLayout()
        self.days_grid.setHorizontalSpacing(4)
        self.days_grid.setVerticalSpacing(4)
        self.day_buttons: dict[str, QPushButton] = {}
        for day in WEEK:
            b = QPushButton(T(DAY_LABELS[day]))
            b.setCheckable(True)
            b.setProperty("role", "day")
            b.setObjectName(f"day-{day}")
            b.setAccessibleName(T("Exercise on {day}").format(day=T(DAY_NAMES_LONG_EN[day])))
            b.toggled.connect(lambda on, d=day, b=b: self._on_day_toggled(d, on, b))
            self.day_buttons[day] = b
        self._place_days(7)
        days_holder = QHBoxLayout()
        days_holder.addLayout(self.days_grid)
        days_holder.addStretch(1)
        box.addLayout(days_holder)

    def _place_days(self, columns: int) -> None:
        for n, day in enumerate(WEEK):
            self.days_grid.addWidget(self.day_buttons[day], n // columns, n % columns)

    def _on_times_changed(self, value: int) -> None:
        def change(d: Draft) -> None:
            d.times_per_day = value

        self._change(T("Times per day"), change, merge=("times",))

    def _on_weekly_toggled(self, on: bool) -> None:
        self.per_week.setEnabled(on)

        def change(d: Draft) -> None:
            d.times_per_week = self.per_week.value() if on else None

        self._change(T("Times a week"), change)

    def _on_per_week_changed(self, value: int) -> None:
        def change(d: Draft) -> None:
            if d.times_per_week is not None:
                d.times_per_week = value

        self._change(T("Times a week"), change, merge=("per-week",))

    def _on_day_toggled(self, day: str, on: bool, day_button: QPushButton | None = None) -> None:
        if day_button is not None:
            # A tick as well as the fill: colour is never the only sign.
            day_button.setText(("✓" if on else "") + T(DAY_LABELS[day]))

        def change(d: Draft) -> None:
            days = set(d.days) | {day} if on else set(d.days) - {day}
            d.days = [x for x in WEEK if x in days]

        self._change(T("Days"), change)
