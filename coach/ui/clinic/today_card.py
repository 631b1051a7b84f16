"""Today's plan on the patient's home page: what is due, what is done, the report.

An "n times a week" routine says how far the week is ("1 of 2 this week")
rather than asking for a session on a day the person may choose to rest.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QVBoxLayout, QWidget

from coach.core.clinic.goals import goal_progress_in_store
from coach.core.clinic.handover import HandoverError
from coach.core.clinic.install import current_assignment
from coach.core.clinic.report import (
    REPORT_SUFFIX,
    default_period,
    export_report_data,
    write_report_file,
)
from coach.core.clinic.today import TodayItem, today_plan
from coach.core.common.paths import Paths
from coach.core.content.custom_exercise import slug
from coach.core.content.library import Library
from coach.core.session.personal import PersonalInputs
from coach.ui.clinic.assignment_view import (
    SaveChooser,
    _clear,
    _date_text,
    _message,
    choose_report_save_path,
)
from coach.ui.i18n import T
from coach.ui.widgets import button, label


class TodayPlanWidget(QFrame):
    """ "Today: Daily relief, 1 of 2 done" from the current plan and today's sessions.

    Hidden while no plan is installed. ``refresh()`` after a session or an install.
    """

    start_requested = Signal(str)  # the installed routine id
    report_saved = Signal(object)  # Path
    report_chooser: SaveChooser = staticmethod(choose_report_save_path)

    def __init__(
        self,
        store: Any,
        paths: Paths,
        library: Library | None = None,
        lang: str = "en",
        *,
        today: Callable[[], dt.date] = dt.date.today,
        inputs_of: Callable[[], PersonalInputs] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.paths = paths
        self.library = library
        self.lang = lang
        self._today = today
        self._inputs_of = inputs_of
        self.setProperty("role", "card")
        self.setObjectName("today-plan")
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(20, 16, 20, 16)
        self._layout.setSpacing(8)
        self.headline = ""
        self.refresh()

    def refresh(self) -> None:
        _clear(self._layout)
        plan = today_plan(self.store, self.paths, self._today()) if self.store is not None else None
        if plan is None:
            self.headline = ""
            self.hide()
            return
        self.show()
        lang = self.lang
        a = plan.installed.assignment
        if not plan.started:
            headline = T("Your new plan starts on {date}").format(date=_date_text(a.start, lang))
        elif plan.rest_day:
            headline = T("Today: no exercise planned. Rest, or go for a walk.")
        else:
            due = [i for i in plan.items if i.due]
            names = ", ".join(i.title.get(lang) for i in due)
            headline = T("Today: {names}, {done} of {due} done").format(
                names=names, done=plan.done, due=plan.due
            )
            if plan.done >= plan.due:
                headline = "✓ " + headline
        self.headline = headline
        title = label(headline, "h2")
        title.setObjectName("today-headline")
        self._layout.addWidget(title)
        who = T("Your plan from {who}").format(who=a.clinician.name)
        if a.clinician.clinic:
            who += f", {a.clinician.clinic}"
        week = a.week_on(plan.day)
        if a.weeks and week is not None and week <= a.weeks:
            who += " · " + T("week {n} of {weeks}").format(n=week, weeks=a.weeks)
        if a.review:
            who += " · " + T("review on {date}").format(date=_date_text(a.review, lang))
        self._layout.addWidget(label(who, "muted"))
        if a.goals:
            # The activities the plan is for, against the score they started from.
            lines = [p.line(lang) for p in goal_progress_in_store(self.store, a.goals)]
            goals = label(T("Your goals: {goals}").format(goals="; ".join(lines)), "muted")
            goals.setObjectName("today-goals")
            self._layout.addWidget(goals)
        first_open = True
        for item in plan.items:
            row = QHBoxLayout()
            if item.per_week is not None and not item.as_needed:
                text = _week_line(item, lang)
            elif item.due:
                marks = "✓" * min(item.done, item.due) + "○" * max(0, item.due - item.done)
                status = T("{done} of {due} done").format(
                    done=min(item.done, item.due), due=item.due
                )
                text = f"{marks}  {item.title.get(lang)} – {status}"
            elif item.as_needed:
                text = T("{title} – on bad days").format(title=item.title.get(lang))
            else:
                text = T("{title} – not planned today").format(title=item.title.get(lang))
            minutes = self._minutes_today(item.routine_id)
            if minutes:
                text += f" · {minutes}"
            row.addWidget(label(text), 1)
            open_one = item.due and item.done < item.due
            start = button(
                T("Start"),
                "primary" if open_one and first_open else None,
                accessible=T("Start {title}").format(title=item.title.get(lang)),
            )
            start.setObjectName(f"today-start-{item.routine_id}")
            start.clicked.connect(lambda _=False, i=item.routine_id: self.start_requested.emit(i))
            if open_one:
                first_open = False
            row.addWidget(start)
            self._layout.addLayout(row)
        bottom = QHBoxLayout()
        if a.clinician.phone:
            bottom.addWidget(
                label(T("Questions? Call {phone}").format(phone=a.clinician.phone), "muted"), 1
            )
        else:
            bottom.addStretch(1)
        report = button(
            T("Report for your physiotherapist…"),
            accessible=T("Save a report for your physiotherapist"),
        )
        report.setObjectName("today-report")
        report.clicked.connect(self._on_report_clicked)
        bottom.addWidget(report)
        self._layout.addLayout(bottom)

    def _minutes_today(self, routine_id: str) -> str:
        """The routine's time as this person does it today (health answers, dose steps)."""
        from coach.core.content.wording import minutes_text

        routine = self.library.routines.get(routine_id) if self.library else None
        if routine is None or self.library is None or self._inputs_of is None:
            return ""
        try:
            personal = self._inputs_of().plan_for(routine, self.library.exercises)
        except (KeyError, ValueError):
            return ""
        return minutes_text(personal.total_seconds, self.lang) if personal.playable else ""

    def _on_report_clicked(self) -> None:
        a = current_assignment(self.store, self.paths)
        name = slug(a.assignment.patient.name if a else "report", 30) or "report"
        suggested = Path.home() / f"{name}-{self._today():%Y-%m-%d}{REPORT_SUFFIX}"
        type(self).report_chooser(self, suggested, lambda path: self._save_chosen(path))

    def _save_chosen(self, path: Path) -> None:
        self.save_report(path)

    def save_report(self, path: Path) -> Path | None:
        installed = current_assignment(self.store, self.paths)
        try:
            report = export_report_data(
                self.store,
                installed,
                default_period(installed, self._today()),
                library=self.library,
                inputs=self._inputs_of() if self._inputs_of is not None else None,
            )
            written = write_report_file(path, report)
        except (OSError, HandoverError) as exc:
            _message(self, T("The report could not be saved: {why}").format(why=exc))
            return None
        self.report_saved.emit(written)
        return written


def _week_line(item: TodayItem, lang: str) -> str:
    """'✓○  Strength – 1 of 2 this week': the week's count, not today's."""
    assert item.per_week is not None
    done = min(item.done_this_week, item.per_week)
    marks = "✓" * done + "○" * (item.per_week - done)
    status = T("{done} of {due} this week").format(done=done, due=item.per_week)
    return f"{marks}  {item.title.get(lang)} – {status}"
