"""The clinic's Patients page: one row per patient from the reports that came back.

A row is a patient (put together by the patient id of the hand-over, see
:mod:`coach.core.clinic.patients`), the one with the newest report first, with the
trend across all their reports. Below the table, the selected patient's plan and how
it went; "Open" (or a double click) shows their history as charts
(:class:`coach.ui.clinic.patient_view.PatientView`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QBoxLayout,
    QHBoxLayout,
    QHeaderView,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from coach.core.clinic.handover import HandoverError
from coach.core.clinic.patients import PatientRow, ReviewState, import_report, patient_list
from coach.core.clinic.report import Report
from coach.core.common.paths import Paths
from coach.core.content.library import Library
from coach.ui.clinic.assignment_view import (
    FileChooser,
    _date_text,
    _dose_text,
    _file_dialog,
    _schedule_text,
    _scroll,
)
from coach.ui.clinic.editor import editor_style, error_label, show_error
from coach.ui.clinic.goal_words import goal_trend_text
from coach.ui.clinic.patient_view import PatientView, change_line, review_text
from coach.ui.i18n import T
from coach.ui.progress.session_words import sessions_of_planned, time_of_planned
from coach.ui.widgets import button, clear_layout, label

CHANGES_IN_DETAIL = 6
"""Changes at home shown under the list; the patient's page has them all."""


def choose_report_path(parent: QWidget, done: Callable[[Path], None]) -> None:
    _file_dialog(
        parent, T("Import a patient's report"), T("Coach report (*.coachreport *.json)"), done
    )


def _trend(
    first: float | None,
    last: float | None,
    *,
    lower_is_better: bool | None = None,
    lang: str = "en",
) -> str:
    """6 → 3 (better): the words carry the direction, not a colour."""
    from coach.core.content.wording import number_text

    if first is None and last is None:
        return "–"

    def show(v: float | None) -> str:
        return "–" if v is None else number_text(round(v, 1), lang)

    text = f"{show(first)} → {show(last)}"
    if lower_is_better is not None and first is not None and last is not None and first != last:
        better = (last < first) if lower_is_better else (last > first)
        text += " " + (T("(better)") if better else T("(worse)"))
    return text


def _short_period(start: dt.date, end: dt.date, lang: str) -> str:
    if lang == "de":
        return f"{start.day}.{start.month}.–{end.day}.{end.month}.{end.year}"
    return f"{start.day} {start:%b} – {end.day} {end:%b} {end.year}"


def _exercise_title(report: Report, exercise_id: str, lang: str) -> str:
    """The exercise's name as the plan handed it over, else its id."""
    plan = report.plan
    title = plan.exercise_titles.get(exercise_id) if plan is not None else None
    if title is None and "." in exercise_id:
        title = plan.exercise_titles.get(exercise_id.split(".", 1)[-1]) if plan else None
    return title.get(lang) if title is not None else exercise_id


def _sessions_short(done: int, due: int) -> str:
    """ "3/4", or "5 (4 planned)" when more were done than planned: never "5/4"."""
    if done > due:
        return T("{done} ({due} planned)").format(done=done, due=due)
    return f"{done}/{due}"


def _short_review(row: PatientRow, today: dt.date, lang: str) -> str:
    review = row.review(today)
    if review.day is None:
        return "–"
    day = f"{review.day.day}.{review.day.month}." if lang == "de" else f"{review.day:%d %b}"
    if review.state is ReviewState.OVERDUE:
        return T("⚠ overdue since {date}").format(date=day)
    if review.state is ReviewState.DUE:
        return T("due {date}").format(date=day)
    return day


class PatientListView(QWidget):
    """The reports that came back: one line per patient, the assigned plan beside it."""

    # Eight columns fit a 1366-pixel screen at large text; related trends share a cell.
    COLUMNS = (
        ("Patient", ""),
        ("Latest\nreport", "The weeks the newest report covers"),
        ("Sessions", "Sessions done of those planned, newest report"),
        ("Pain before\nsessions", "First week → latest week (0–10), back and leg"),
        ("Walking\ntest", "Minutes walked in the walking test, first → latest"),
        ("Measures", "30-second chair stand and PSFS (mean 0–10), first → latest"),
        (
            "Stops ·\nchanges",
            "Sessions stopped early, and changes at home (health answers, dose steps, "
            "stops, walking stages), all reports",
        ),
        ("Review", "The review date of the plan"),
    )
    report_chooser: FileChooser = staticmethod(choose_report_path)

    def __init__(
        self,
        paths: Paths,
        library: Library | None = None,
        lang: str = "en",
        parent: QWidget | None = None,
        *,
        today: Callable[[], dt.date] = dt.date.today,
    ) -> None:
        super().__init__(parent)
        self.paths = paths
        self.library = library
        self.lang = lang
        self._today = today
        self.rows: list[PatientRow] = []
        self._columns: QHBoxLayout | None = None
        self.setStyleSheet(editor_style())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)
        layout.setSpacing(10)
        top = QHBoxLayout()
        top.addWidget(label(T("Patients"), "h1"), 1)
        self.import_button = button(T("Import a report…"), "primary")
        self.import_button.setObjectName("import-report")
        self.import_button.clicked.connect(self._on_import_clicked)
        top.addWidget(self.import_button)
        layout.addLayout(top)
        self.error = error_label("patients")
        layout.addWidget(self.error)
        self.pages = QStackedWidget()
        layout.addWidget(self.pages, 1)

        # The table and the selected patient scroll as one page: at large text a
        # scroll area inside a scroll area left the details a sliver.
        listing = QWidget()
        list_box = QVBoxLayout(listing)
        list_box.setContentsMargins(0, 0, 8, 0)
        list_box.setSpacing(10)
        self.note = label(
            T("Reports your patients send back (.coachreport files) appear here."), "hint"
        )
        list_box.addWidget(self.note)
        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setObjectName("patient-table")
        self.table.setAccessibleName(T("Patient list"))
        self.table.setHorizontalHeaderLabels([T(c) for c, _tip in self.COLUMNS])
        for n, (_c, tip) in enumerate(self.COLUMNS):
            header_item = self.table.horizontalHeaderItem(n)
            if tip and header_item is not None:
                header_item.setToolTip(T(tip))
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.currentCellChanged.connect(lambda row, *_: self._show_detail(row))
        self.table.cellDoubleClicked.connect(lambda row, _c: self.open_patient(row))
        list_box.addWidget(self.table)
        self.detail = QVBoxLayout()
        self.detail.setContentsMargins(0, 8, 0, 0)
        self.detail.setSpacing(10)
        list_box.addLayout(self.detail)
        list_box.addStretch(1)
        self.pages.addWidget(_scroll(listing))

        self.patient_view = PatientView(lang)
        self.patient_view.setObjectName("patient-view")
        self.patient_view.back_requested.connect(lambda: self.pages.setCurrentIndex(0))
        self.pages.addWidget(self.patient_view)
        self.refresh()

    # -- the list -------------------------------------------------------------------
    def refresh(self) -> None:
        rows, problems = patient_list(self.paths)
        self.rows = rows
        today = self._today()
        self.table.blockSignals(True)
        show_error(self.error, "; ".join(problems) if problems else None)
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, (value, tip) in enumerate(self._cells(row, today)):
                cell = QTableWidgetItem(value)
                cell.setToolTip(tip or value)
                self.table.setItem(r, c, cell)
        self.table.resizeRowsToContents()
        header_height = self.table.horizontalHeader().sizeHint().height()
        shown = sum(self.table.rowHeight(r) for r in range(min(len(rows), 6)))
        self.table.setFixedHeight(
            header_height
            + max(shown, self.table.fontMetrics().lineSpacing() * 2)
            + 2 * self.table.frameWidth()
            + self.table.horizontalScrollBar().sizeHint().height()
            + 4
        )
        self.note.setVisible(not rows)
        if rows:
            self.table.setCurrentCell(0, 0)
        self.table.blockSignals(False)
        self._show_detail(0 if rows else -1)

    def _cells(self, row: PatientRow, today: dt.date) -> list[tuple[str, str]]:
        lang = self.lang
        name = row.patient
        name_tip = ""
        if row.patient_id is None:
            name += "\n" + T("(matched by name)")
            name_tip = T("No patient id in these reports: they are put together by the name.")
        counts, ratio = row.sessions_done, row.adherence
        adherence = "–"
        if counts and counts[1]:
            done_of_due = _sessions_short(counts[0], counts[1])
            adherence = f"{done_of_due} · {round((ratio or 0) * 100)} %"
            trend = row.adherence_trend
            if len(trend) > 1:
                adherence = f"{round(trend[0][1] * 100)} % → {round(trend[-1][1] * 100)} %\n"
                adherence += done_of_due
            if row.time_done is not None:
                adherence += "\n" + T("time done {pct} %").format(pct=round(row.time_done * 100))
            if row.mostly_skipped:
                adherence += "\n" + T("{n} mostly skipped").format(n=row.mostly_skipped)
        period = _short_period(row.period.start, row.period.end, lang)
        if len(row.reports) > 1:
            period += "\n" + T("{n} reports").format(n=len(row.reports))
        b1, b2, l1, l2 = row.pain_trend
        pain = T("back {trend}").format(trend=_trend(b1, b2, lang=lang)) + "\n"
        pain += T("leg {trend}").format(trend=_trend(l1, l2, lang=lang))
        w1, w2 = row.walking
        walking = _trend(w1, w2, lang=lang) + (
            " " + T("min") if w1 is not None or w2 is not None else ""
        )
        if row.walking_change is not None:
            walking += f"\n{row.walking_change:+d} %"
        c1, c2 = row.chair_stand
        psfs = row.psfs_change
        measures = []
        if c1 is not None:
            measures.append(T("chair {trend}").format(trend=_trend(c1, c2, lang=lang)))
        if psfs is not None:
            mean = _trend(round(psfs.first, 1), round(psfs.latest, 1), lang=lang)
            measures.append(T("PSFS {trend}").format(trend=mean))
        stops, changed = len(row.stops), row.changed_at_home
        events = T("{n} stopped").format(n=stops) if stops else T("none stopped")
        events += "\n" + (T("{n} changed").format(n=changed) if changed else T("none changed"))
        return [
            (name, name_tip),
            (period, ""),
            (adherence, ""),
            (pain, ""),
            (walking, ""),
            ("\n".join(measures) or "–", ""),
            (events, ""),
            (_short_review(row, today, lang), review_text(row.review(today), lang)),
        ]

    # -- the selected patient -------------------------------------------------------
    def _show_detail(self, index: int) -> None:
        clear_layout(self.detail)
        self._columns = None
        if not 0 <= index < len(self.rows):
            return
        row = self.rows[index]
        report, lang = row.report, self.lang
        top = QHBoxLayout()
        top.addWidget(label(row.patient, "h2"), 1)
        opener = button(
            T("Open the history…"),
            "primary",
            accessible=T("Open the history of {name}").format(name=row.patient),
        )
        opener.setObjectName("open-patient")
        opener.clicked.connect(lambda _=False, i=index: self.open_patient(i))
        top.addWidget(opener)
        self.detail.addLayout(top)
        self.detail.addWidget(label(review_text(row.review(self._today()), lang)))
        # A QHBoxLayout (which clear_layout empties) turned as the width asks.
        columns = QHBoxLayout()
        columns.setDirection(self._direction())
        columns.setSpacing(16)
        self._columns = columns
        plan_box = QVBoxLayout()
        plan_box.addWidget(label(T("The plan that was assigned"), "h2"))
        if report.clinician is not None:
            plan_box.addWidget(label(T("By {who}").format(who=report.clinician.line()), "hint"))
        plan = report.plan
        if plan is None:
            plan_box.addWidget(label(T("No plan: the patient used Coach's own routines.")))
        else:
            when = T("From {date}").format(date=_date_text(plan.start, lang))
            if report.review:
                when += " · " + T("review on {date}").format(date=_date_text(report.review, lang))
            plan_box.addWidget(label(when))
            if plan.goals:
                plan_box.addWidget(label(T("Goals: {goals}").format(goals="; ".join(plan.goals))))
            exercises = dict(self.library.exercises) if self.library else {}
            for routine in plan.routines:
                plan_box.addWidget(
                    label(f"{routine.title.get(lang)} · {_schedule_text(routine, lang)}", None)
                )
                for n, item in enumerate(routine.items, 1):
                    title = plan.exercise_titles.get(item.exercise)
                    name = title.get(lang) if title else item.exercise
                    ex = exercises.get(item.exercise)
                    dose = _dose_text(item, ex, lang) if ex is not None else ""
                    plan_box.addWidget(
                        label(f"   {n}. {name}" + (f" – {dose}" if dose else ""), "hint")
                    )
        plan_box.addStretch(1)
        columns.addLayout(plan_box, 1)
        columns.addLayout(self._how_it_went(row), 1)
        self.detail.addLayout(columns)
        self.detail.addStretch(1)

    def _direction(self) -> QBoxLayout.Direction:
        # The plan and how it went side by side, or one under the other at large text.
        wide = self.width() >= 60 * self.fontMetrics().horizontalAdvance("M")
        return QBoxLayout.Direction.LeftToRight if wide else QBoxLayout.Direction.TopToBottom

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self._columns is not None:
            self._columns.setDirection(self._direction())

    def _how_it_went(self, row: PatientRow) -> QVBoxLayout:
        report, lang = row.report, self.lang
        went = QVBoxLayout()
        went.addWidget(label(T("How it went"), "h2"))
        a = report.adherence
        if a is not None and a.prescribed:
            went.addWidget(
                label(
                    T("{sessions} done ({completed} completed, {stopped} stopped early)").format(
                        sessions=sessions_of_planned(a.done, a.prescribed),
                        completed=a.completed,
                        stopped=a.stopped,
                    )
                )
            )
            if a.time_planned_s:
                went.addWidget(label(time_of_planned(a.time_done_s or 0.0, a.time_planned_s)))
            if a.mostly_skipped == 1:
                went.addWidget(
                    label(
                        T(
                            "1 session was run through with most of it skipped: "
                            "not counted as done."
                        ),
                        "hint",
                    )
                )
            elif a.mostly_skipped:
                went.addWidget(
                    label(
                        T(
                            "{n} sessions were run through with most of them skipped: "
                            "not counted as done."
                        ).format(n=a.mostly_skipped),
                        "hint",
                    )
                )
            weeks = ", ".join(_sessions_short(w.done, w.prescribed) for w in row.weeks)
            went.addWidget(label(T("Week by week: {weeks}").format(weeks=weeks), "hint"))
        b1, b2, l1, l2 = row.pain_trend
        went.addWidget(
            label(
                T("Pain before sessions, first week → last week: back {back}, leg {leg}").format(
                    back=_trend(b1, b2, lower_is_better=True, lang=lang),
                    leg=_trend(l1, l2, lower_is_better=True, lang=lang),
                )
            )
        )
        back, leg = row.pain_change
        if back is not None or leg is not None:
            went.addWidget(
                label(
                    T(
                        "During a session pain changed by {back} (back) and {leg} (leg) on average"
                    ).format(back=_signed(back), leg=_signed(leg)),
                    "hint",
                )
            )
        tests = row.walking_tests
        if tests:
            shown = "; ".join(
                f"{_date_text(t.date, lang)}: "
                + (
                    f"{t.first_symptoms_s / 60:.0f} min " + T("to symptoms")
                    if t.first_symptoms_s
                    else ""
                )
                + (f", {t.total_s / 60:.0f} min " + T("in all") if t.total_s else "")
                for t in tests
            )
            went.addWidget(label(T("Walking tests: {tests}").format(tests=shown)))
        else:
            went.addWidget(label(T("No walking test in this period."), "hint"))
        for goal in row.goal_trends:
            went.addWidget(label(goal_trend_text(goal, lambda day: _date_text(day, lang)), "hint"))
        if row.stops:
            went.addWidget(label(T("Stopped sessions"), "h2"))
            for stop in row.stops:
                reason = (
                    stop.reason_text.get(lang) or stop.reason_text.get("en") or stop.reason or "?"
                )
                routine_title = stop.routine_title.get(lang) or stop.routine_title.get("en") or ""
                line = f"⚠ {_date_text(stop.date, lang)} · {routine_title}: {reason}"
                if stop.exercise:
                    line += " · " + T("stopped at {exercise}").format(
                        exercise=_exercise_title(report, stop.exercise, lang)
                    )
                if stop.note:
                    line += f" – “{stop.note}”"
                went.addWidget(label(line))
        else:
            went.addWidget(label(T("No session was stopped."), "hint"))
        went.addWidget(label(T("Changes at home"), "h2"))
        if row.has_home_changes_list:
            changes = row.home_changes
            if not changes:
                went.addWidget(label(T("Nothing was changed at home."), "hint"))
            for change in changes[-CHANGES_IN_DETAIL:]:
                went.addWidget(label("• " + change_line(change, lang)))
            if len(changes) > CHANGES_IN_DETAIL:
                went.addWidget(
                    label(
                        T("{n} earlier changes: open the history.").format(
                            n=len(changes) - CHANGES_IN_DETAIL
                        ),
                        "hint",
                    )
                )
        else:
            went.addWidget(
                label(T("From an older Coach: what Coach changes in the plan now."), "hint")
            )
            for routine_id, found in row.changes.items():
                for now in found:
                    went.addWidget(label(f"• {routine_id}: {now.text.get(lang)}", "hint"))
        went.addStretch(1)
        return went

    def open_patient(self, index: int) -> None:
        if not 0 <= index < len(self.rows):
            return
        self.patient_view.show_patient(self.rows[index], self._today())
        self.pages.setCurrentWidget(self.patient_view)

    # -- importing -------------------------------------------------------------------
    def _on_import_clicked(self) -> None:
        type(self).report_chooser(self, lambda path: self._import_chosen(path))

    def _import_chosen(self, path: Path) -> None:
        self.import_file(path)

    def import_file(self, path: Path) -> bool:
        try:
            report = import_report(Path(path), self.paths)
        except HandoverError as exc:
            show_error(self.error, exc.message)
            return False
        self.refresh()
        self.pages.setCurrentIndex(0)
        for r, row in enumerate(self.rows):
            if any(k.report.created == report.created for k in row.reports) and (
                row.patient_id == report.patient_id or row.patient == report.patient_name
            ):
                self.table.setCurrentCell(r, 0)
                break
        return True


def _signed(value: float | None) -> str:
    if value is None:
        return "–"
    return "±0" if value == 0 else f"{value:+g}"


__all__ = ["PatientListView", "choose_report_path"]
