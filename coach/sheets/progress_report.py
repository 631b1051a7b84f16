"""The progress report for the physiotherapist: a few pages from the history.

``collect_report`` (:mod:`coach.sheets.progress_facts`, named here too for its
callers) reads what the report needs from the progress store in one snapshot;
``draw_progress_report`` lays it out onto any ``QPagedPaintDevice`` with the
routine sheet's typeface, units and pagination: adherence per week, pain and
walking charts (vectors; lines told apart by dash and marker, not colour
alone), measures, sessions stopped early with their reasons, every change at
home (the list the report file carries, :mod:`coach.core.clinic.home_changes`),
and notes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Any

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPagedPaintDevice, QPainter, QPainterPath, QPen

from coach.core.content.model import Routine
from coach.core.content.wording import date_text, number_text
from coach.core.progress.history import Measure, WalkingTest
from coach.core.progress.measures import psfs_score, psfs_scores
from coach.core.progress.stats import DayMark, local_day
from coach.core.progress.store_rows import MeasureKind
from coach.core.session.stop_rules import STOP_LABELS, StopReason
from coach.sheets.progress_facts import (
    DAILY_PAIN_UP_TO_DAYS,
    MAX_WEEKS,
    MeasureSpan,
    NoteEntry,
    ReportFacts,
    StopEvent,
    _score,
    collect_report,
)
from coach.sheets.routine_sheet import (
    ACCENT,
    BODY_PT,
    INK,
    LIGHT,
    MUTED,
    RULE,
    SHADE,
    WARN,
    _Block,
    _Page,
    _Sheet,
    ensure_fonts,
    footer_parts,
)

REPORT_WORDS: dict[str, dict[str, str]] = {
    "en": {
        "kind": "Progress report for the physiotherapist",
        "title": "Progress report",
        "name": "Name",
        "period": "Period",
        "clinician": "Physiotherapist",
        "created": "Created",
        "plan": "Plan",
        "no_plan": "no fixed plan",
        "sessions": "Sessions",
        "sessions_text": "{done} done, {stopped} of them stopped early",
        "in_short": "In short",
        "adherence": "Sessions done per week",
        "week_of": "Week of {day}",
        "of_planned": "{done} of {planned} ({percent} %)",
        "more_than_planned": "{done} ({planned} planned)",
        "time_of_planned": "{done} of {planned} min",
        "skipped_text": "{n} more run through with most of it skipped (not counted)",
        "done_free": "{done} done, none planned",
        "legend_days": "Each square is a day:",
        "mark_done": "done",
        "mark_partly": "partly",
        "mark_missed": "missed",
        "mark_free": "nothing planned",
        "pain": "Pain at rest (0 = none, 10 = worst)",
        "pain_by_week": "weekly mean",
        "pain_by_day": "daily mean",
        "back": "back",
        "leg": "leg",
        "no_pain": "No pain ratings in this period.",
        "walking": "Walking test (minutes)",
        "first_symptoms": "to first symptoms",
        "total": "in total",
        "no_walking": "No walking test in this period.",
        "measures": "Measures",
        "psfs": "Activities (PSFS, mean 0–10)",
        "chair_stand": "30-second chair stand",
        "stands": "{n} stands",
        "first_latest": "{first} on {first_day}, latest {latest} on {latest_day}",
        "only": "{value} on {day}",
        "stops": "Sessions stopped early",
        "no_stops": "No session was stopped early in this period.",
        "reason_unknown": "no reason given",
        "changes": "Changes at home",
        "no_changes": "Nothing was changed at home in this period.",
        "notes": "Notes",
        "page": "Page {n} of {total}",
    },
    "de": {
        "kind": "Verlaufsbericht für die Physiotherapie",
        "title": "Verlaufsbericht",
        "name": "Name",
        "period": "Zeitraum",
        "clinician": "Physiotherapie",
        "created": "Erstellt",
        "plan": "Plan",
        "no_plan": "kein fester Plan",
        "sessions": "Einheiten",
        "sessions_text": "{done} geübt, davon {stopped} vorzeitig beendet",
        "in_short": "Kurz gesagt",
        "adherence": "Geübte Einheiten pro Woche",
        "week_of": "Woche ab {day}",
        "of_planned": "{done} von {planned} ({percent} %)",
        "more_than_planned": "{done} ({planned} geplant)",
        "time_of_planned": "{done} von {planned} Min.",
        "skipped_text": "{n} weitere größtenteils übersprungen (nicht gezählt)",
        "done_free": "{done} geübt, keine geplant",
        "legend_days": "Jedes Kästchen ist ein Tag:",
        "mark_done": "geübt",
        "mark_partly": "teilweise",
        "mark_missed": "ausgelassen",
        "mark_free": "nichts geplant",
        "pain": "Schmerz in Ruhe (0 = keiner, 10 = stärkster)",
        "pain_by_week": "Wochenmittel",
        "pain_by_day": "Tagesmittel",
        "back": "Rücken",
        "leg": "Bein",
        "no_pain": "Keine Schmerzangaben in diesem Zeitraum.",
        "walking": "Gehtest (Minuten)",
        "first_symptoms": "bis zu den ersten Beschwerden",
        "total": "insgesamt",
        "no_walking": "Kein Gehtest in diesem Zeitraum.",
        "measures": "Messungen",
        "psfs": "Aktivitäten (PSFS, Mittel 0–10)",
        "chair_stand": "30-Sekunden-Aufstehtest",
        "stands": "{n}-mal",
        "first_latest": "{first} am {first_day}, zuletzt {latest} am {latest_day}",
        "only": "{value} am {day}",
        "stops": "Vorzeitig beendete Einheiten",
        "no_stops": "In diesem Zeitraum wurde keine Einheit vorzeitig beendet.",
        "reason_unknown": "kein Grund angegeben",
        "changes": "Änderungen zu Hause",
        "no_changes": "In diesem Zeitraum wurde zu Hause nichts geändert.",
        "notes": "Notizen",
        "page": "Seite {n} von {total}",
    },
}

_SHORT_MONTHS = {
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
    "de": ("Jan", "Feb", "Mär", "Apr", "Mai", "Jun", "Jul", "Aug", "Sep", "Okt", "Nov", "Dez"),
}

# --------------------------------------------------------------------------
# The page
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportData:
    facts: ReportFacts
    routines: Mapping[str, Routine]
    lang: str = "en"
    patient: str = ""
    clinician: str = ""
    created: dt.date = field(default_factory=dt.date.today)
    tz: tzinfo | None = None
    assets: Any = None
    """The assets folder (for the typeface); None finds the built-in one."""


@dataclass(frozen=True)
class _Series:
    label: str
    points: list[tuple[float, float]]  # (x in days from the start, y)
    dashed: bool
    marker: str  # "circle" or "square"
    color: QColor


class _Report(_Sheet):
    def __init__(self, device: QPagedPaintDevice, report: ReportData) -> None:
        self.report = report
        self.facts = report.facts
        self._setup(device, report.lang, REPORT_WORDS)

    # -- helpers -----------------------------------------------------------
    def day(self, moment: datetime | dt.date) -> dt.date:
        if isinstance(moment, datetime):
            return local_day(moment, self.report.tz)
        return moment

    def date(self, moment: datetime | dt.date) -> str:
        return date_text(self.day(moment), self.lang)

    def short_date(self, day: dt.date) -> str:
        month = _SHORT_MONTHS.get(self.lang, _SHORT_MONTHS["en"])[day.month - 1]
        return f"{day.day}. {month}" if self.lang == "de" else f"{day.day} {month}"

    def heading(self, text: str) -> _Block:
        doc = self.paragraphs(self.width, [[(text, True)]], size=16)
        height = self.doc_height(doc) + self.mm(1)

        def draw(painter: QPainter, top: float) -> None:
            self.draw_doc(painter, doc, 0, top)

        return _Block(height, draw)

    def with_heading(self, title: str, body: _Block) -> list[_Block]:
        """A heading kept with its body on one page (a list keeps together)."""
        head = self.heading(title)
        return [_Block(head.height + self.mm(1) + body.height, self._stack(head, body))]

    def _stack(self, first: _Block, second: _Block) -> Callable[[QPainter, float], None]:
        def draw(painter: QPainter, top: float) -> None:
            first.draw(painter, top)
            second.draw(painter, top + first.height + self.mm(1))

        return draw

    def text_block(self, doc: Any) -> _Block:
        def draw(painter: QPainter, top: float) -> None:
            self.draw_doc(painter, doc, 0, top)

        return _Block(self.doc_height(doc), draw)

    # -- blocks ------------------------------------------------------------
    def header_block(self) -> _Block:
        report, facts, lang = self.report, self.facts, self.lang
        kind = self.paragraphs(self.width, [[(self.text("kind"), True)]], color=ACCENT)
        title = self.paragraphs(
            self.width, [[(report.patient.strip() or self.text("title"), True)]], size=22
        )
        period = f"{self.date(facts.since)} – {self.date(facts.until)}"
        plan = ", ".join(r.title.get(lang) for r in facts.plan) or self.text("no_plan")
        sessions = self.text(
            "sessions_text", done=facts.sessions_done, stopped=facts.sessions_stopped
        )
        if facts.sessions_skipped:
            sessions += "; " + self.text("skipped_text", n=facts.sessions_skipped)
        lines = [
            [(self.text("period") + ": ", True), (period, False)],
            [(self.text("created") + ": ", True), (self.date(report.created), False)],
        ]
        if report.clinician.strip():
            lines.append([(self.text("clinician") + ": ", True), (report.clinician.strip(), False)])
        lines += [
            [(self.text("plan") + ": ", True), (plan, False)],
            [(self.text("sessions") + ": ", True), (sessions, False)],
        ]
        facts_doc = self.paragraphs(self.width, lines, after=2)
        height = (
            self.doc_height(kind)
            + self.mm(1)
            + self.doc_height(title)
            + self.mm(2)
            + self.doc_height(facts_doc)
            + self.mm(3)
        )

        def draw(painter: QPainter, top: float) -> None:
            y = top
            for doc, after in ((kind, 1.0), (title, 2.0), (facts_doc, 0.0)):
                self.draw_doc(painter, doc, 0, y)
                y += self.doc_height(doc) + self.mm(after)
            y += self.mm(1.5)
            painter.save()
            painter.setPen(QPen(INK, self.mm(0.5)))
            painter.drawLine(QPointF(0, y), QPointF(self.width, y))
            painter.restore()

        return _Block(height, draw)

    def summary_block(self) -> list[_Block]:
        doc = self.bullets(self.width, [t.get(self.lang) for t in self.facts.sentences], after=2)
        return self.with_heading(self.text("in_short"), self.text_block(doc))

    def adherence_block(self) -> list[_Block]:
        facts = self.facts
        label_font = self.font(BODY_PT)
        fm = self.metrics(label_font)
        rows = []
        times = {t.start: t for t in facts.week_times}
        for week in facts.weeks:
            if week.planned and week.done > week.planned:
                value = self.text("more_than_planned", done=week.done, planned=week.planned)
            elif week.planned:
                percent = round(100 * (week.adherence or 0.0))
                value = self.text(
                    "of_planned", done=week.done, planned=week.planned, percent=percent
                )
            else:
                value = self.text("done_free", done=week.done)
            time = times.get(week.start)
            if time is not None and time.planned_s:
                value += " · " + self.text(
                    "time_of_planned",
                    done=round(time.done_s / 60),
                    planned=max(1, round(time.planned_s / 60)),
                )
            rows.append((self.text("week_of", day=self.short_date(week.start)), week, value))
        label_w = max((fm.horizontalAdvance(r[0]) for r in rows), default=0.0) + self.mm(4)
        box = self.mm(6.5)
        step = box + self.mm(1.5)
        row_h = max(box, fm.height()) + self.mm(2)
        legend_h = row_h
        height = row_h * len(rows) + legend_h + self.mm(2)

        def draw(painter: QPainter, top: float) -> None:
            painter.save()
            painter.setFont(label_font)
            y = top
            for label, week, value in rows:
                painter.setPen(QPen(INK))
                rect = QRectF(0, y, label_w, row_h)
                flags = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
                painter.drawText(rect, flags, label)
                for i, day in enumerate(week.days):
                    x = label_w + i * step
                    self.day_box(painter, QRectF(x, y + (row_h - box) / 2, box, box), day.mark)
                painter.setPen(QPen(INK))
                x = label_w + 7 * step + self.mm(4)
                painter.drawText(QRectF(x, y, self.width - x, row_h), flags, value)
                y += row_h
            # The legend: shapes, not only colours.
            y += self.mm(2)
            x = 0.0
            painter.setPen(QPen(MUTED))
            legend = self.text("legend_days")
            painter.drawText(QRectF(x, y, self.width, legend_h), flags, legend)
            x += fm.horizontalAdvance(legend) + self.mm(3)
            for mark, key in (
                (DayMark.DONE, "mark_done"),
                (DayMark.PARTLY, "mark_partly"),
                (DayMark.MISSED, "mark_missed"),
                (DayMark.FREE, "mark_free"),
            ):
                self.day_box(painter, QRectF(x, y + (legend_h - box) / 2, box, box), mark)
                x += box + self.mm(1.5)
                painter.setPen(QPen(MUTED))
                word = self.text(key)
                painter.drawText(QRectF(x, y, self.width - x, legend_h), flags, word)
                x += fm.horizontalAdvance(word) + self.mm(4)
            painter.restore()

        return self.with_heading(self.text("adherence"), _Block(height, draw))

    def day_box(self, painter: QPainter, rect: QRectF, mark: DayMark) -> None:
        """Done: filled with a tick; partly: half filled; missed: a cross; free: a dot."""
        painter.save()
        radius = self.mm(1)
        pen = QPen(INK, self.mm(0.3))
        if mark in (DayMark.FREE, DayMark.BEFORE_START):
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QBrush(LIGHT))
            painter.drawEllipse(rect.center(), rect.width() * 0.12, rect.width() * 0.12)
            painter.restore()
            return
        painter.setPen(pen)
        painter.setBrush(QBrush(ACCENT if mark is DayMark.DONE else QColor("white")))
        painter.drawRoundedRect(rect, radius, radius)
        if mark is DayMark.PARTLY:
            half = QRectF(rect.left(), rect.center().y(), rect.width(), rect.height() / 2)
            path = QPainterPath()
            path.addRoundedRect(rect, radius, radius)
            clip = QPainterPath()
            clip.addRect(half)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QBrush(ACCENT))
            painter.drawPath(path.intersected(clip))
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(rect, radius, radius)
        elif mark is DayMark.DONE:
            tick = QPainterPath()
            c, r = rect.center(), rect.width() / 2
            tick.moveTo(c + QPointF(-0.5 * r, 0.0))
            tick.lineTo(c + QPointF(-0.12 * r, 0.38 * r))
            tick.lineTo(c + QPointF(0.52 * r, -0.36 * r))
            white = QPen(QColor("white"), r * 0.28)
            white.setCapStyle(Qt.PenCapStyle.RoundCap)
            painter.setPen(white)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawPath(tick)
        elif mark is DayMark.MISSED:
            inset = rect.width() * 0.28
            cross = QPen(WARN, self.mm(0.45))
            cross.setCapStyle(Qt.PenCapStyle.RoundCap)
            painter.setPen(cross)
            painter.drawLine(
                rect.topLeft() + QPointF(inset, inset), rect.bottomRight() - QPointF(inset, inset)
            )
            painter.drawLine(
                rect.topRight() + QPointF(-inset, inset),
                rect.bottomLeft() + QPointF(inset, -inset),
            )
        painter.restore()

    def pain_block(self) -> list[_Block]:
        facts = self.facts
        by = self.text("pain_by_week" if facts.pain_by == "week" else "pain_by_day")
        title = f"{self.text('pain')} – {by}"

        def x_of(day: dt.date) -> float:
            return float((day - facts.since).days)

        series = [
            _Series(
                self.text("back"),
                [(x_of(b.start), b.back) for b in facts.pain if b.back is not None],
                False,
                "circle",
                ACCENT,
            ),
            _Series(
                self.text("leg"),
                [(x_of(b.start), b.leg) for b in facts.pain if b.leg is not None],
                True,
                "square",
                INK,
            ),
        ]
        if not any(s.points for s in series):
            doc = self.paragraphs(self.width, [[(self.text("no_pain"), False)]], color=MUTED)
            return self.with_heading(title, self.text_block(doc))
        return self.with_heading(title, self.chart(series, 10.0, [0, 2, 4, 6, 8, 10]))

    def walking_block(self) -> list[_Block]:
        facts = self.facts
        title = self.text("walking")
        if not facts.walking:
            doc = self.paragraphs(self.width, [[(self.text("no_walking"), False)]], color=MUTED)
            return self.with_heading(title, self.text_block(doc))

        def x_of(test: WalkingTest) -> float:
            return float((self.day(test.taken_utc) - facts.since).days)

        first = [(x_of(t), t.first_symptoms_s / 60) for t in facts.walking if t.first_symptoms_s]
        total = [(x_of(t), t.total_s / 60) for t in facts.walking if t.total_s]
        top = max([y for _x, y in first + total] + [1.0])
        step = 1 if top <= 6 else 2 if top <= 12 else 5 if top <= 30 else 10
        y_max = float(step * -(-top // step))
        ticks = [step * k for k in range(int(y_max // step) + 1)]
        series = [
            _Series(self.text("first_symptoms"), first, False, "circle", ACCENT),
            _Series(self.text("total"), total, True, "square", INK),
        ]
        return self.with_heading(title, self.chart(series, y_max, ticks))

    def chart(self, series: Sequence[_Series], y_max: float, ticks: Sequence[float]) -> _Block:
        """A line chart over the report's period: vector lines, markers, a legend."""
        facts = self.facts
        font = self.font(BODY_PT)
        fm = self.metrics(font)
        axis_w = max(fm.horizontalAdvance(number_text(t, self.lang)) for t in ticks) + self.mm(3)
        legend_h = fm.height() + self.mm(2)
        plot_h = self.mm(42)
        label_h = fm.height() + self.mm(1.5)
        height = legend_h + plot_h + label_h
        days = max(1, (facts.until - facts.since).days)
        label_days = self._x_labels(days)

        def draw(painter: QPainter, top: float) -> None:
            painter.save()
            painter.setFont(font)
            left = axis_w
            right = self.width - self.mm(3)
            plot_top = top + legend_h
            bottom = plot_top + plot_h

            def px(x: float) -> float:
                return left + (right - left) * x / days

            def py(y: float) -> float:
                return bottom - plot_h * min(y, y_max) / y_max

            # Legend.
            x = left
            for s in series:
                self._series_pen(painter, s)
                mid = top + legend_h / 2
                painter.drawLine(QPointF(x, mid), QPointF(x + self.mm(10), mid))
                self._marker(painter, s, QPointF(x + self.mm(5), mid))
                x += self.mm(12)
                painter.setPen(QPen(INK))
                flags = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
                painter.drawText(QRectF(x, top, self.width - x, legend_h), flags, s.label)
                x += fm.horizontalAdvance(s.label) + self.mm(8)
            # Grid and y labels.
            for t in ticks:
                y = py(t)
                painter.setPen(QPen(SHADE if t else RULE, self.mm(0.25)))
                painter.drawLine(QPointF(left, y), QPointF(right, y))
                painter.setPen(QPen(MUTED))
                painter.drawText(
                    QRectF(0, y - fm.height() / 2, axis_w - self.mm(2), fm.height()),
                    int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                    number_text(t, self.lang),
                )
            painter.setPen(QPen(RULE, self.mm(0.25)))
            painter.drawLine(QPointF(left, plot_top), QPointF(left, bottom))
            # x labels.
            painter.setPen(QPen(MUTED))
            for offset in label_days:
                x = px(offset)
                day = facts.since + timedelta(days=offset)
                text = self.short_date(day)
                w = fm.horizontalAdvance(text)
                x0 = min(max(x - w / 2, left - self.mm(2)), right - w)
                painter.drawText(
                    QRectF(x0, bottom + self.mm(1), w + 1, fm.height()),
                    int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop),
                    text,
                )
            # Series.
            for s in series:
                if not s.points:
                    continue
                self._series_pen(painter, s)
                path = QPainterPath()
                for n, (x, y) in enumerate(s.points):
                    point = QPointF(px(x), py(y))
                    if n == 0:
                        path.moveTo(point)
                    else:
                        path.lineTo(point)
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawPath(path)
                for x, y in s.points:
                    self._marker(painter, s, QPointF(px(x), py(y)))
            painter.restore()

        return _Block(height, draw)

    def _x_labels(self, days: int) -> list[int]:
        """Up to six date labels along the x axis, first and last included."""
        if days <= 0:
            return [0]
        count = min(5, days)
        return sorted({round(days * k / count) for k in range(count + 1)})

    def _series_pen(self, painter: QPainter, s: _Series) -> None:
        pen = QPen(s.color, self.mm(0.6))
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        if s.dashed:
            pen.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(pen)

    def _marker(self, painter: QPainter, s: _Series, at: QPointF) -> None:
        painter.save()
        painter.setPen(QPen(QColor("white"), self.mm(0.3)))
        painter.setBrush(QBrush(s.color))
        r = self.mm(1.4)
        if s.marker == "square":
            painter.drawRect(QRectF(at.x() - r, at.y() - r, 2 * r, 2 * r))
        else:
            painter.drawEllipse(at, r * 1.1, r * 1.1)
        painter.restore()

    def measures_block(self) -> list[_Block]:
        lines: list[list[tuple[str, bool]]] = []
        for span in self.facts.measures:
            label, first, latest = self._measure_text(span)
            if first == latest and span.first.id == span.latest.id:
                value = self.text("only", value=first, day=self.date(span.first.taken_utc))
            else:
                value = self.text(
                    "first_latest",
                    first=first,
                    first_day=self.date(span.first.taken_utc),
                    latest=latest,
                    latest_day=self.date(span.latest.taken_utc),
                )
            lines.append([(label + ": ", True), (value, False)])
        if not lines:
            return []
        doc = self.paragraphs(self.width, lines, after=2)
        return self.with_heading(self.text("measures"), self.text_block(doc))

    def _measure_text(self, span: MeasureSpan) -> tuple[str, str, str]:
        def value_of(m: Measure) -> str:
            if span.label == MeasureKind.PSFS.value:
                score = psfs_score(psfs_scores(m.value))
                return number_text(round(score, 1), self.lang) if score is not None else "–"
            if span.label == MeasureKind.CHAIR_STAND.value:
                count = m.value.get("count")
                return self.text("stands", n=count) if isinstance(count, int) else "–"
            score = _score(m.value.get("score"))
            return number_text(round(score, 1), self.lang) if score is not None else "–"

        if span.label == MeasureKind.PSFS.value:
            label = self.text("psfs")
        elif span.label == MeasureKind.CHAIR_STAND.value:
            label = self.text("chair_stand")
        else:
            label = span.label.split(":", 1)[1]
        return label, value_of(span.first), value_of(span.latest)

    def stops_block(self) -> list[_Block]:
        facts, lang = self.facts, self.lang
        if not facts.stops:
            doc = self.paragraphs(self.width, [[(self.text("no_stops"), False)]], color=MUTED)
            return self.with_heading(self.text("stops"), self.text_block(doc))
        lines: list[list[tuple[str, bool]]] = []
        for stop in facts.stops:
            routine = self.report.routines.get(stop.routine_id)
            title = routine.title.get(lang) if routine is not None else stop.routine_id
            reason = self.text("reason_unknown")
            if stop.reason:
                try:
                    reason = STOP_LABELS[StopReason(stop.reason)].get(lang)
                except ValueError:
                    reason = stop.reason
            pieces = [(f"{self.date(stop.started_utc)}, {title}: ", True), (reason, False)]
            note = (stop.note or "").strip()
            if note:
                quoted = f"„{note}“" if lang == "de" else f"“{note}”"
                pieces.append((f" – {quoted}", False))
            lines.append(pieces)
        doc = self.paragraphs(self.width, lines, after=2)
        return self.with_heading(self.text("stops"), self.text_block(doc))

    def changes_block(self) -> list[_Block]:
        """One paragraph per change; the heading stays with the first, the rest may
        run onto the next page."""
        facts, lang = self.facts, self.lang
        if not facts.changes:
            doc = self.paragraphs(self.width, [[(self.text("no_changes"), False)]], color=MUTED)
            return self.with_heading(self.text("changes"), self.text_block(doc))
        blocks: list[_Block] = []
        for change in facts.changes:
            line = change.line(lang)
            note = str(change.details.get("note") or "").strip()
            if note:
                line += " – " + (f"„{note}“" if lang == "de" else f"“{note}”")
            doc = self.paragraphs(
                self.width, [[(f"{self.date(change.day)}: ", True), (line, False)]], after=2
            )
            blocks.append(self.text_block(doc))
        return self.with_heading(self.text("changes"), blocks[0]) + blocks[1:]

    def notes_block(self) -> list[_Block]:
        if not self.facts.notes:
            return []
        lines = [
            [(f"{self.date(n.taken_utc)}: ", True), (n.text.strip(), False)]
            for n in self.facts.notes
        ]
        doc = self.paragraphs(self.width, lines, after=2)
        return self.with_heading(self.text("notes"), self.text_block(doc))

    # -- pages -------------------------------------------------------------
    def layout(self) -> list[_Page]:
        blocks: list[_Block | list[_Block]] = [self.header_block()]
        for part in (
            self.summary_block(),
            self.adherence_block(),
            self.pain_block(),
            self.walking_block(),
            self.measures_block(),
            self.stops_block(),
            self.changes_block(),
            self.notes_block(),
        ):
            blocks.extend(part)
        return self.paginate(blocks)

    def footer_parts(self) -> list[str]:
        report = self.report
        return footer_parts(self.text("title"), report.patient, self.date(report.created))


def draw_progress_report(device: QPagedPaintDevice, report: ReportData) -> int:
    """Lay the progress report out onto ``device``; returns the number of pages."""
    ensure_fonts(report.assets)
    return _Report(device, report).draw()


def default_period(today: dt.date, weeks_back: int = 6) -> tuple[dt.date, dt.date]:
    """The last ``weeks_back`` weeks up to today: a trial block of six weeks by default."""
    return today - timedelta(days=7 * weeks_back - 1), today


def now_utc() -> datetime:
    return datetime.now(UTC)


__all__ = [
    "DAILY_PAIN_UP_TO_DAYS",
    "MAX_WEEKS",
    "REPORT_WORDS",
    "NoteEntry",
    "ReportData",
    "ReportFacts",
    "StopEvent",
    "collect_report",
    "default_period",
    "draw_progress_report",
    "now_utc",
]
