"""The hand-over's dates: start, the programme's length in weeks, and the review.

Trials ran 6-week blocks, so a programme has a length, and the review falls
when it ends: the review date follows the start and the weeks until the
clinician sets it by hand, and then stays where they put it.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDateEdit, QGridLayout, QHBoxLayout, QLabel, QSpinBox, QWidget

from coach.core.clinic.goals import MAX_WEEKS
from coach.core.clinic.handover import Assignment
from coach.core.content.wording import date_text
from coach.ui.clinic.editor.style import error_label, spin
from coach.ui.i18n import T
from coach.ui.widgets import label

DEFAULT_WEEKS = 6


def qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def pydate(value: QDate) -> dt.date:
    return dt.date(value.year(), value.month(), value.day())


class ProgrammeFields(QWidget):
    """Starts on [date] · Programme: [6] weeks · Review on [date]."""

    def __init__(self, today: dt.date, lang: str = "en", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lang = lang
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(4)
        grid.setColumnStretch(1, 1)
        self.start = QDateEdit(qdate(today))
        self.review = QDateEdit(qdate(today + dt.timedelta(weeks=DEFAULT_WEEKS)))
        for name, edit, accessible in (
            ("start", self.start, T("Start date")),
            ("review", self.review, T("Review date")),
        ):
            edit.setObjectName(f"handover-{name}")
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("d MMM yyyy")
            edit.setAccessibleName(accessible)
        self.weeks: QSpinBox = spin(1, MAX_WEEKS, "", T("Length of the programme in weeks"))
        self.weeks.setObjectName("handover-weeks")
        self.weeks.setValue(DEFAULT_WEEKS)
        weeks_row = QHBoxLayout()
        weeks_row.setSpacing(6)
        weeks_row.addWidget(self.weeks)
        weeks_row.addWidget(label(T("weeks"), wrap=False))
        weeks_row.addStretch(1)
        self.end_hint = label("", "hint")
        self.end_hint.setObjectName("handover-weeks-hint")
        self.error: QLabel = error_label("dates")

        def caption(text: str, buddy: QWidget, row: int) -> None:
            words = label(text, wrap=False)
            words.setBuddy(buddy)
            grid.addWidget(words, row, 0)

        caption(T("Starts on"), self.start, 0)
        grid.addWidget(self.start, 0, 1)
        caption(T("Programme"), self.weeks, 1)
        grid.addLayout(weeks_row, 1, 1)
        caption(T("Review on"), self.review, 2)
        grid.addWidget(self.review, 2, 1)
        grid.addWidget(self.end_hint, 3, 1)
        grid.addWidget(self.error, 4, 1)
        # Set by hand, the review stays; until then it follows start + weeks.
        self.review_by_hand = False
        self._following = False
        self.start.dateChanged.connect(self._follow)
        self.weeks.valueChanged.connect(self._follow)
        self.review.dateChanged.connect(self._on_review_changed)
        self._follow()

    def _follow(self) -> None:
        end = self.start_date() + dt.timedelta(weeks=self.weeks.value())
        if not self.review_by_hand:
            self._following = True
            try:
                self.review.setDate(qdate(end))
            finally:
                self._following = False
        self.end_hint.setText(
            T("The programme ends on {date}.").format(date=date_text(end, self.lang))
        )

    def _on_review_changed(self) -> None:
        if not self._following:
            self.review_by_hand = True

    def start_date(self) -> dt.date:
        return pydate(self.start.date())

    def review_date(self) -> dt.date:
        return pydate(self.review.date())

    def weeks_value(self) -> int:
        return self.weeks.value()


def plan_dates_text(plan: Assignment, lang: str, today: dt.date | None = None) -> str:
    """'Starts on 2 March 2026 · week 3 of 6 · Review on 13 April 2026'.

    The week shows while the programme runs (``today`` given); before and after
    it, its length does.
    """
    parts = [T("Starts on {date}").format(date=date_text(plan.start, lang))]
    week = plan.week_on(today) if today is not None else None
    if plan.weeks and week is not None and week <= plan.weeks:
        parts.append(T("week {n} of {weeks}").format(n=week, weeks=plan.weeks))
    elif plan.weeks:
        parts.append(T("{weeks} weeks").format(weeks=plan.weeks))
    if plan.review:
        parts.append(T("Review on {date}").format(date=date_text(plan.review, lang)))
    return " · ".join(parts)
