"""One patient at the clinic: the history across every report they sent, as charts and lists.

Opened from the Patients list. The charts are the History page's own
(:func:`coach.ui.progress.charts.make_chart`: big labels, lines told apart by dash
and marker, the latest value in words), over one time line for all of them, so a
clinician can read sessions, pain, walking and the measures against each other.
Every day is taken from the newest report covering it
(:meth:`coach.core.clinic.patients.PatientRow.pooled`).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QVBoxLayout, QWidget

from coach.core.clinic.patients import PatientRow, Review, ReviewState
from coach.core.clinic.report import ReportHomeChange
from coach.ui.clinic.assignment_view import _date_text, _scroll
from coach.ui.clinic.goal_words import goal_trend_text
from coach.ui.i18n import T
from coach.ui.progress.charts import BACK_COLOR, LEG_COLOR, _legend, _Line, make_chart
from coach.ui.progress.dates import short_date
from coach.ui.progress.marks import body_pt
from coach.ui.progress.session_words import sessions_of_planned
from coach.ui.widgets import button, card, clear_layout, label

SOLID, DASHED = Qt.PenStyle.SolidLine, Qt.PenStyle.DashLine


def review_text(review: Review, lang: str) -> str:
    """'Review overdue since 13 April 2026' – the words carry it, not a colour."""
    if review.state is ReviewState.NONE or review.day is None:
        return T("No review date")
    day = _date_text(review.day, lang)
    if review.state is ReviewState.OVERDUE:
        return T("⚠ Review overdue since {date}").format(date=day)
    if review.state is ReviewState.DUE:
        if review.days == 0:
            return T("Review due today")
        return T("Review due on {date} (in {n} days)").format(date=day, n=review.days)
    return T("Review on {date}").format(date=day)


def change_line(change: ReportHomeChange, lang: str) -> str:
    return f"{_date_text(change.date, lang)} · {change.line(lang)}"


def _number(value: float, lang: str) -> str:
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") if lang == "de" else text


class _Timeline:
    """One x axis for every chart: days from the first date, a few dates labelled."""

    def __init__(self, first: dt.date, last: dt.date, lang: str) -> None:
        self.first = first
        self.days = max(13, (last - first).days)
        count = 4 if self.days > 8 else self.days
        self.labels = [
            (float(d), short_date(first + dt.timedelta(days=d), lang))
            for d in sorted({round(self.days * k / count) for k in range(count + 1)})
        ]

    def x(self, day: dt.date) -> float:
        return float((day - self.first).days)


class PatientView(QWidget):
    """A patient's history: the trend in charts, then every change at home, stop and report."""

    back_requested = Signal()

    def __init__(self, lang: str = "en", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lang = lang
        self.row: PatientRow | None = None
        self.cards: list[QWidget] = []
        self._columns = 0
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        self.back = button(T("← All patients"), accessible=T("Back to all patients"))
        self.back.setObjectName("patients-back")
        self.back.clicked.connect(self.back_requested.emit)
        top.addWidget(self.back)
        self.name = label("", "h1")
        top.addWidget(self.name, 1)
        outer.addLayout(top)
        inner = QWidget()
        self.body = QVBoxLayout(inner)
        self.body.setContentsMargins(0, 8, 8, 8)
        self.body.setSpacing(12)
        outer.addWidget(_scroll(inner), 1)

    def show_patient(self, row: PatientRow, today: dt.date) -> None:
        self.row = row
        clear_layout(self.body)
        lang = self.lang
        self.name.setText(row.patient)
        n = len(row.reports)
        facts = [
            T("{n} reports").format(n=n) if n != 1 else T("1 report"),
            T("latest {start} – {end}").format(
                start=_date_text(row.period.start, lang), end=_date_text(row.period.end, lang)
            ),
            review_text(row.review(today), lang),
        ]
        self.body.addWidget(label(" · ".join(facts)))
        if row.patient_id is None:
            self.body.addWidget(
                label(
                    T(
                        "These reports have no patient id (an older Coach, or no plan from "
                        "this clinic): they are put together by the name alone."
                    ),
                    "caution",
                )
            )
        elif row.matched_by_name:
            self.body.addWidget(
                label(
                    T(
                        "{n} older report(s) without a patient id joined this patient by the "
                        "name alone."
                    ).format(n=row.matched_by_name),
                    "caution",
                )
            )
        self.body.addLayout(self._charts(row))
        self.body.addWidget(self._changes(row))
        self.body.addWidget(self._stops(row))
        self.body.addWidget(self._reports(row))
        self.body.addStretch(1)

    # -- charts -----------------------------------------------------------------
    def _timeline(self, row: PatientRow) -> _Timeline:
        days = [k.report.period.start for k in row.reports] + [
            k.report.period.end for k in row.reports
        ]
        return _Timeline(min(days), max(days), self.lang)

    def _charts(self, row: PatientRow) -> QGridLayout:
        line = self._timeline(row)
        self.grid = QGridLayout()
        self.grid.setHorizontalSpacing(12)
        self.grid.setVerticalSpacing(12)
        self.cards = [
            self._sessions_card(row, line),
            self._pain_card(row, line),
            self._walking_card(row, line),
            self._measures_card(row, line),
        ]
        self._columns = 0
        self._place_cards()
        return self.grid

    def _wanted_columns(self) -> int:
        # Two charts side by side only where each keeps room for its date labels:
        # at large text one chart a row (two left "2. M…" under the axis).
        return 2 if self.width() >= 60 * self.fontMetrics().horizontalAdvance("M") else 1

    def _place_cards(self) -> None:
        columns = self._wanted_columns()
        if columns == self._columns:
            return
        self._columns = columns
        for frame in self.cards:
            self.grid.removeWidget(frame)
        for n, frame in enumerate(self.cards):
            self.grid.addWidget(frame, n // columns, n % columns)
        for c in range(2):
            self.grid.setColumnStretch(c, 1 if c < columns else 0)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.cards:
            self._place_cards()

    def _chart_card(
        self,
        name: str,
        title: str,
        lines: Sequence[_Line],
        line: _Timeline,
        *,
        y_max: float,
        y_step: float,
        y_title: str,
        described: str,
        empty: str,
    ) -> QWidget:
        frame, box = card()
        frame.setObjectName(name)
        box.addWidget(label(title, "h2"))
        if not any(ln.points for ln in lines):
            box.addWidget(label(empty, "muted"))
            box.addStretch(1)
            return frame
        if len(lines) > 1:
            box.addLayout(
                _legend(
                    [
                        (ln.name + "\n" + words, ln.color, ln.style, ln.shape)
                        for ln, words in zip(
                            lines,
                            (T("(solid line, circles)"), T("(dashed line, squares)")),
                            strict=False,
                        )
                    ]
                )
            )
        chart = make_chart(
            lines,
            x_max=float(line.days),
            x_labels=line.labels,
            y_max=y_max,
            y_step=y_step,
            y_title=y_title,
            accessible=described,
        )
        chart.setObjectName(f"{name}-chart")
        # Four charts side by side in pairs: lower than the History page's one chart.
        chart.setMinimumHeight(round(body_pt(15)))
        chart.setMaximumHeight(round(body_pt(20)))
        box.addWidget(chart, 1)
        box.addWidget(label(described, "muted"))
        return frame

    def _sessions_card(self, row: PatientRow, line: _Timeline) -> QWidget:
        weeks = [w for w in row.weeks if w.prescribed]
        points = [(line.x(w.start), 100 * min(1.0, w.done / w.prescribed)) for w in weeks]
        described = T("No sessions were planned in these reports.")
        if weeks:
            last = weeks[-1]
            described = T("Latest week ({date}): {sessions} done.").format(
                date=short_date(last.start, self.lang),
                sessions=sessions_of_planned(last.done, last.prescribed),
            )
        return self._chart_card(
            "patient-sessions",
            T("Sessions done, week by week"),
            [_Line(T("Done of planned"), points, BACK_COLOR, SOLID, "circle")],
            line,
            y_max=100,
            y_step=25,
            y_title=T("% of planned"),
            described=described,
            empty=described,
        )

    def _pain_card(self, row: PatientRow, line: _Timeline) -> QWidget:
        by_week: dict[dt.date, tuple[list[int], list[int]]] = {}
        for s in row.sessions:
            monday = s.date - dt.timedelta(days=s.date.weekday())
            backs, legs = by_week.setdefault(monday, ([], []))
            if s.pain_before_back is not None:
                backs.append(s.pain_before_back)
            if s.pain_before_leg is not None:
                legs.append(s.pain_before_leg)

        def mean(values: list[int]) -> float:
            return sum(values) / len(values)

        back = [(line.x(d), mean(b)) for d, (b, _l) in sorted(by_week.items()) if b]
        leg = [(line.x(d), mean(lg)) for d, (_b, lg) in sorted(by_week.items()) if lg]
        b1, b2, l1, l2 = row.pain_trend
        change_back, change_leg = row.pain_change
        parts = [
            T("Before sessions, first week → last week: back {back}, leg {leg}.").format(
                back=self._trend(b1, b2), leg=self._trend(l1, l2)
            )
        ]
        if change_back is not None or change_leg is not None:
            parts.append(
                T("During a session: back {back}, leg {leg} on average.").format(
                    back=self._signed(change_back), leg=self._signed(change_leg)
                )
            )
        return self._chart_card(
            "patient-pain",
            T("Pain before sessions, week by week"),
            [
                _Line(T("Back pain"), back, BACK_COLOR, SOLID, "circle"),
                _Line(T("Leg pain"), leg, LEG_COLOR, DASHED, "square"),
            ],
            line,
            y_max=10,
            y_step=2,
            y_title=T("Pain (0–10)"),
            described=" ".join(parts),
            empty=T("No pain scores in these reports."),
        )

    def _walking_card(self, row: PatientRow, line: _Timeline) -> QWidget:
        tests = row.walking_tests
        until = [(line.x(t.date), t.first_symptoms_s / 60) for t in tests if t.first_symptoms_s]
        total = [(line.x(t.date), t.total_s / 60) for t in tests if t.total_s]
        top = max([y for _x, y in until + total] + [5.0])
        w1, w2 = row.walking
        described = T("Walked in total, first test → latest: {trend} min.").format(
            trend=self._trend(w1, w2)
        )
        if row.walking_change is not None:
            described += " " + T("{pct} % (30 % or more is a meaningful change).").format(
                pct=f"{row.walking_change:+d}"
            )
        return self._chart_card(
            "patient-walking",
            T("Walking test"),
            [
                _Line(T("Until symptoms began"), until, BACK_COLOR, SOLID, "circle"),
                _Line(T("Walked in total"), total, LEG_COLOR, DASHED, "square"),
            ],
            line,
            y_max=min(35.0, max(5.0, 5.0 * math.ceil((top + 1) / 5))),
            y_step=5,
            y_title=T("Minutes"),
            described=described,
            empty=T("No walking test in these reports."),
        )

    def _measures_card(self, row: PatientRow, line: _Timeline) -> QWidget:
        from coach.core.progress.measures import psfs_score, psfs_scores

        stands = [(line.x(d), float(n)) for d, n in row.chair_stands]
        psfs = [
            (line.x(m.date), score)
            for m in row.psfs
            if (score := psfs_score(psfs_scores(m.value))) is not None
        ]
        words = []
        c1, c2 = row.chair_stand
        if c1 is not None:
            words.append(
                T("Chair stand, first → latest: {trend} stands.").format(trend=self._trend(c1, c2))
            )
        for goal in row.goal_trends:
            words.append(
                goal_trend_text(goal, lambda day: short_date(day, self.lang))
                + (" · " + T("a goal of the plan") if goal.is_goal else "")
            )
        top = max([y for _x, y in stands] + [10.0])
        return self._chart_card(
            "patient-measures",
            T("Chair stand and activities (PSFS)"),
            [
                _Line(T("Chair stands in 30 s"), stands, BACK_COLOR, SOLID, "circle"),
                _Line(T("PSFS mean (0–10)"), psfs, LEG_COLOR, DASHED, "square"),
            ],
            line,
            y_max=5.0 * math.ceil((top + 1) / 5),
            y_step=5,
            y_title=T("Stands · score"),
            described="\n".join(words) or T("No chair stand or PSFS rating in these reports."),
            empty=T("No chair stand or PSFS rating in these reports."),
        )

    # -- lists --------------------------------------------------------------------
    def _changes(self, row: PatientRow) -> QWidget:
        frame, box = card()
        frame.setObjectName("patient-changes")
        box.addWidget(label(T("Changes at home"), "h2"))
        if not row.has_home_changes_list:
            box.addWidget(
                label(
                    T(
                        "The newest report comes from an older Coach: it has no dated list. "
                        "What Coach changes in the plan now:"
                    ),
                    "muted",
                )
            )
            for routine_id, found in row.changes.items():
                for now in found:
                    box.addWidget(label(f"• {routine_id}: {now.text.get(self.lang)}"))
            return frame
        changes = row.home_changes
        if not changes:
            box.addWidget(label(T("Nothing was changed at home."), "muted"))
        for change in changes:
            mark = "⚠ " if change.kind == "stop" else "• "
            box.addWidget(label(mark + change_line(change, self.lang)))
        return frame

    def _stops(self, row: PatientRow) -> QWidget:
        frame, box = card()
        frame.setObjectName("patient-stops")
        box.addWidget(label(T("Stopped sessions"), "h2"))
        if not row.stops:
            box.addWidget(label(T("No session was stopped."), "muted"))
        for stop in row.stops:
            reason = stop.reason_text.get(self.lang) or stop.reason_text.get("en") or stop.reason
            title = stop.routine_title.get(self.lang) or stop.routine_title.get("en") or ""
            text = f"⚠ {_date_text(stop.date, self.lang)} · {title}: {reason or '?'}"
            if stop.note:
                text += f" – “{stop.note}”"
            box.addWidget(label(text))
        return frame

    def _reports(self, row: PatientRow) -> QWidget:
        frame, box = card()
        frame.setObjectName("patient-reports")
        box.addWidget(label(T("Reports"), "h2"))
        for kept in row.reports:
            r = kept.report
            text = T("{start} – {end}, made on {made}").format(
                start=_date_text(r.period.start, self.lang),
                end=_date_text(r.period.end, self.lang),
                made=_date_text(r.created.date(), self.lang),
            )
            if r.clinician is not None:
                text += " · " + T("plan from {who}").format(who=r.clinician.name)
            if kept.matched_by_name:
                text += " · " + T("no patient id: matched by name")
            box.addWidget(label("• " + text))
        return frame

    def _trend(self, first: float | None, last: float | None) -> str:
        if first is None and last is None:
            return "–"

        def show(v: float | None) -> str:
            return "–" if v is None else _number(v, self.lang)

        return f"{show(first)} → {show(last)}"

    def _signed(self, value: float | None) -> str:
        if value is None:
            return "–"
        if value == 0:
            return "±0"
        return ("+" if value > 0 else "−") + _number(abs(value), self.lang)


__all__ = ["PatientView", "change_line", "review_text"]
