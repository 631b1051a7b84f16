"""The History page's charts: pain at rest and the walking test, with big labels, lines that
differ in dash pattern and marker shape, a legend that says so, and the latest value in
words. QtCharts is imported only when a chart is built, so the app's start-up does not pay
for it."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QMargins, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import QApplication, QWidget

from coach.core.progress import stats
from coach.ui.flow_layout import FlowLayout
from coach.ui.i18n import T
from coach.ui.progress.dates import short_date
from coach.ui.progress.marks import GRID, INK, LegendSample, body_pt, legend_entry, marker_image
from coach.ui.widgets import card, label

BACK_COLOR = QColor("#0b6e5f")  # dark teal: solid line, round markers
LEG_COLOR = QColor("#8a3b00")  # dark brown-orange: dashed line, square markers


class _Line:
    def __init__(
        self,
        name: str,
        points: Sequence[tuple[float, float]],
        color: QColor,
        style: Qt.PenStyle,
        shape: str,
    ) -> None:
        self.name, self.points, self.color, self.style, self.shape = (
            name,
            points,
            color,
            style,
            shape,
        )


def make_chart(
    lines: Sequence[_Line],
    *,
    x_max: float,
    x_labels: Sequence[tuple[float, str]],
    y_max: float,
    y_step: float,
    y_title: str,
    accessible: str,
) -> QWidget:
    """A line chart with big labels; QtCharts is imported here, on first use."""
    from PySide6.QtCharts import QCategoryAxis, QChart, QChartView, QLineSeries, QValueAxis

    chart = QChart()
    chart.legend().hide()  # our own legend above the chart shows pattern and marker
    chart.setBackgroundRoundness(0)
    chart.setBackgroundBrush(QColor("#ffffff"))
    chart.setMargins(QMargins(4, 8, 12, 4))
    label_font = QFont(QApplication.font())
    label_font.setPointSizeF(body_pt(1.0))
    title_font = QFont(label_font)
    title_font.setPointSizeF(body_pt(0.95))

    x_axis = QCategoryAxis()
    x_axis.setLabelsPosition(QCategoryAxis.AxisLabelsPosition.AxisLabelsPositionOnValue)
    for value, text in x_labels:
        x_axis.append(text, value)
    x_axis.setRange(-0.5, x_max + 0.5)
    x_axis.setLabelsFont(label_font)
    x_axis.setLabelsColor(INK)
    x_axis.setGridLineColor(GRID)
    x_axis.setLinePen(QPen(INK, 2))

    y_axis = QValueAxis()
    y_axis.setRange(0, y_max)
    y_axis.setTickType(QValueAxis.TickType.TicksDynamic)
    y_axis.setTickAnchor(0)
    y_axis.setTickInterval(y_step)
    y_axis.setLabelFormat("%d")
    y_axis.setLabelsFont(label_font)
    y_axis.setLabelsColor(INK)
    y_axis.setTitleText(y_title)
    y_axis.setTitleFont(title_font)
    y_axis.setTitleBrush(INK)
    y_axis.setGridLineColor(GRID)
    y_axis.setLinePen(QPen(INK, 2))

    chart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(y_axis, Qt.AlignmentFlag.AlignLeft)
    marker = round(body_pt(1.3))
    for line in lines:
        series = QLineSeries()
        series.setName(line.name)
        for x, y in line.points:
            series.append(x, y)
        pen = QPen(line.color, 4, line.style)
        pen.setCapStyle(Qt.PenCapStyle.FlatCap)
        series.setPen(pen)
        series.setPointsVisible(True)
        series.setMarkerSize(marker)
        series.setLightMarker(marker_image(line.shape, line.color, marker * 2))
        chart.addSeries(series)
        series.attachAxis(x_axis)
        series.attachAxis(y_axis)
    view = QChartView(chart)
    view.setRenderHint(QPainter.RenderHint.Antialiasing)
    view.setMinimumHeight(round(body_pt(24)))
    view.setAccessibleName(accessible)
    view.setFocusPolicy(Qt.FocusPolicy.TabFocus)
    return view


def _legend(entries: Sequence[tuple[str, QColor, Qt.PenStyle, str]]) -> FlowLayout:
    flow = FlowLayout(spacing=24)
    for text, color, style, shape in entries:
        flow.addWidget(legend_entry(LegendSample(color, style, shape), text))
    return flow


def _tick_labels(start: dt.date, days: int, step_days: int, lang: str) -> list[tuple[float, str]]:
    """Labels on Mondays (every ``step_days``), counted in days from ``start``."""
    first = start + dt.timedelta(days=(7 - start.weekday()) % 7)
    out = []
    day = first
    while (day - start).days <= days:
        out.append((float((day - start).days), short_date(day, lang)))
        day += dt.timedelta(days=step_days)
    return out


def minutes_seconds(seconds: float) -> str:
    """ "3 min 48 s" in the interface language."""
    whole = round(seconds)
    m, s = divmod(whole, 60)
    if not m:
        return T("{s} s").format(s=s)
    if not s:
        return T("{m} min").format(m=m)
    return T("{m} min {s} s").format(m=m, s=s)


def _one_decimal(value: float, lang: str) -> str:
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") if lang == "de" else text


def pain_card(ov: stats.Overview, lang: str) -> QWidget:
    """Back and leg pain at rest over time, day by day or week by week."""
    frame, box = card()
    frame.setObjectName("pain")
    if ov.pain_by == "day":
        title = T("Pain at rest, day by day")
    else:
        title = T("Pain at rest, week by week")
    box.addWidget(label(title, "h2"))
    box.addWidget(label(T("0 = no pain, 10 = the worst pain you can imagine."), "muted"))
    if not ov.pain:
        box.addWidget(
            label(
                T(
                    "No pain scores yet. Coach asks before each session, and you can add "
                    "one under Measures."
                )
            )
        )
        return frame
    # Only as far back as the data goes (at least two weeks): a new user's
    # first week should not sit squeezed into a corner of an empty chart.
    start = max(ov.pain_since, min(ov.pain[0].start, ov.today - dt.timedelta(days=13)))
    days = (ov.today - start).days
    back = [(float((b.start - start).days), v) for b in ov.pain if (v := b.back) is not None]
    leg = [(float((b.start - start).days), v) for b in ov.pain if (v := b.leg) is not None]
    back_name, leg_name = T("Back pain"), T("Leg pain")
    box.addLayout(
        _legend(
            [
                (
                    back_name + "\n" + T("(solid line, circles)"),
                    BACK_COLOR,
                    Qt.PenStyle.SolidLine,
                    "circle",
                ),
                (
                    leg_name + "\n" + T("(dashed line, squares)"),
                    LEG_COLOR,
                    Qt.PenStyle.DashLine,
                    "square",
                ),
            ]
        )
    )
    step = 7 if ov.pain_by == "day" else 28
    latest = ov.pain[-1]
    described = T("Pain chart. Latest: back {back}, leg {leg} out of 10.").format(
        back=_one_decimal(latest.back, lang) if latest.back is not None else "–",
        leg=_one_decimal(latest.leg, lang) if latest.leg is not None else "–",
    )
    chart = make_chart(
        [
            _Line(back_name, back, BACK_COLOR, Qt.PenStyle.SolidLine, "circle"),
            _Line(leg_name, leg, LEG_COLOR, Qt.PenStyle.DashLine, "square"),
        ],
        x_max=float(days),
        x_labels=_tick_labels(start, days, step, lang),
        y_max=10,
        y_step=2,
        y_title=T("Pain (0–10)"),
        accessible=described,
    )
    chart.setObjectName("pain-chart")
    box.addWidget(chart)
    box.addWidget(label(described, "muted"))
    return frame


def walking_card(ov: stats.Overview, lang: str, tz: dt.tzinfo | None) -> QWidget:
    """The walking tests: minutes until symptoms began and minutes walked in total."""
    frame, box = card()
    frame.setObjectName("walking")
    box.addWidget(label(T("Walking test"), "h2"))
    tests = ov.walking
    if not tests:
        box.addWidget(
            label(
                T(
                    "No walking test yet. It takes up to 30 minutes and shows best how "
                    "your walking improves: find it under Measures."
                )
            )
        )
        return frame
    first_day = stats.local_day(tests[0].taken_utc, tz)
    start = min(first_day, ov.today - dt.timedelta(days=13))
    days = (ov.today - start).days

    def x(t: Any) -> float:
        return float((stats.local_day(t.taken_utc, tz) - start).days)

    until = [(x(t), t.first_symptoms_s / 60) for t in tests if t.first_symptoms_s]
    total = [(x(t), t.total_s / 60) for t in tests if t.total_s]
    top = max([y for _x, y in until + total] + [5.0])
    # Room above the highest point; 35 leaves a 30-minute (capped) test visible.
    y_max = min(35.0, max(5.0, 5.0 * math.ceil((top + 1) / 5)))
    first_name, total_name = T("Until symptoms began"), T("Walked in total")
    box.addLayout(
        _legend(
            [
                (
                    first_name + "\n" + T("(solid line, circles)"),
                    BACK_COLOR,
                    Qt.PenStyle.SolidLine,
                    "circle",
                ),
                (
                    total_name + "\n" + T("(dashed line, squares)"),
                    LEG_COLOR,
                    Qt.PenStyle.DashLine,
                    "square",
                ),
            ]
        )
    )
    last = tests[-1]
    parts = []
    if last.first_symptoms_s:
        parts.append(T("symptoms after {time}").format(time=minutes_seconds(last.first_symptoms_s)))
    if last.total_s:
        parts.append(T("{time} in total").format(time=minutes_seconds(last.total_s)))
    described = T("Walking test on {date}: {what}.").format(
        date=short_date(stats.local_day(last.taken_utc, tz), lang),
        what=", ".join(parts),
    )
    step = 7 if days <= 70 else 28
    chart = make_chart(
        [
            _Line(first_name, until, BACK_COLOR, Qt.PenStyle.SolidLine, "circle"),
            _Line(total_name, total, LEG_COLOR, Qt.PenStyle.DashLine, "square"),
        ],
        x_max=float(days),
        x_labels=_tick_labels(start, days, step, lang),
        y_max=y_max,
        y_step=5,
        y_title=T("Minutes"),
        accessible=described,
    )
    chart.setObjectName("walking-chart")
    box.addWidget(chart)
    box.addWidget(label(described, "muted"))
    if len(tests) == 1:
        box.addWidget(
            label(T("One test so far. Repeat it every week or two to see a trend."), "muted")
        )
    return frame
