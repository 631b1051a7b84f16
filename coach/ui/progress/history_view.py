"""The History page: sessions against the plan, pain and walking over time, in words too.

Everything here is drawn for older eyes: big numbers, shapes as well as colour
(✓ done, half circle part done, empty circle missed, dotted circle still to
come, a dash for a free day), chart lines that differ in dash pattern and
marker shape, and axis labels at the body text size. QtCharts is imported
only when a chart is built, so the app's start-up does not pay for it.

Also here: :class:`ProgressionBanner`, a small strip for the home page that
asks the next-morning question and offers the progression step. A morning
worse than usual makes the routine one step easier at once (CONTENT section 4);
the History page lists such automatic steps with a way back to the earlier
dose, on purpose and after a confirmation.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QMargins, QPoint, QPointF, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
)
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLayoutItem,
    QMessageBox,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from coach.core.common.days import DAY_NAMES, DAY_NAMES_LONG_EN, WEEK
from coach.core.progress import progression, stats
from coach.core.progress.history import History, SessionBrief
from coach.core.progress.store_errors import StoreError
from coach.ui.i18n import T
from coach.ui.widgets import button, card, clear_layout, label

if TYPE_CHECKING:
    from coach.core.content.library import Library
    from coach.core.content.model import Routine
    from coach.core.progress.store import Store

INK = QColor("#1d1d1b")
GRID = QColor("#c9c5bb")
BACK_COLOR = QColor("#0b6e5f")  # dark teal: solid line, round markers
LEG_COLOR = QColor("#8a3b00")  # dark brown-orange: dashed line, square markers

MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
MONTHS_DE = (
    "Jan.",
    "Feb.",
    "März",
    "Apr.",
    "Mai",
    "Juni",
    "Juli",
    "Aug.",
    "Sep.",
    "Okt.",
    "Nov.",
    "Dez.",
)

MARK_WORDS = {
    stats.DayMark.DONE: "done",
    stats.DayMark.PARTLY: "partly done",
    stats.DayMark.MISSED: "planned, not done",
    stats.DayMark.TO_COME: "still to come",
    stats.DayMark.FREE: "nothing planned",
    stats.DayMark.BEFORE_START: "before you started",
}


def short_date(day: dt.date, lang: str) -> str:
    if lang == "de":
        return f"{day.day}. {MONTHS_DE[day.month - 1]}"
    return f"{day.day} {MONTHS_EN[day.month - 1]}"


def _bold(widget: QLabel) -> QLabel:
    """Bold by font, not by a per-widget style sheet (those are slow to polish)."""
    font = QFont(widget.font())
    font.setBold(True)
    widget.setFont(font)
    return widget


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _pt(factor: float = 1.0) -> float:
    """A size relative to the app's body text (which follows the text-size setting)."""
    size = QApplication.font().pointSizeF()
    return (size if size > 0 else 13.0) * factor


# --------------------------------------------------------------------------
# Shapes: the day marks and the chart markers, painted so they look the same
# everywhere (no dependence on which font has which symbol)
# --------------------------------------------------------------------------


def paint_mark(painter: QPainter, mark: stats.DayMark, box: QRectF, color: QColor = INK) -> None:
    s = min(box.width(), box.height())
    c = box.center()
    r = s * 0.36
    pen = QPen(color, max(2.0, s * 0.09))
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    circle = QRectF(c.x() - r, c.y() - r, 2 * r, 2 * r)
    if mark is stats.DayMark.DONE:
        path = QPainterPath(QPointF(c.x() - r * 0.85, c.y() + r * 0.05))
        path.lineTo(c.x() - r * 0.25, c.y() + r * 0.65)
        path.lineTo(c.x() + r * 0.9, c.y() - r * 0.7)
        pen.setWidthF(max(3.0, s * 0.13))
        painter.setPen(pen)
        painter.drawPath(path)
    elif mark is stats.DayMark.PARTLY:
        painter.drawEllipse(circle)
        half = QPainterPath()
        half.moveTo(c)
        half.arcTo(circle, 90, 180)
        half.closeSubpath()
        painter.setBrush(color)
        painter.drawPath(half)
    elif mark is stats.DayMark.MISSED:
        painter.drawEllipse(circle)
    elif mark is stats.DayMark.TO_COME:
        pen.setStyle(Qt.PenStyle.DotLine)
        painter.setPen(pen)
        painter.drawEllipse(circle)
    elif mark is stats.DayMark.FREE:
        painter.drawLine(QPointF(c.x() - r * 0.6, c.y()), QPointF(c.x() + r * 0.6, c.y()))


def paint_marker(
    painter: QPainter, shape: str, center: QPointF, size: float, color: QColor
) -> None:
    painter.setPen(QPen(QColor("white"), max(1.0, size * 0.15)))
    painter.setBrush(color)
    half = size / 2
    if shape == "square":
        painter.drawRect(QRectF(center.x() - half, center.y() - half, size, size))
    else:
        painter.drawEllipse(center, half, half)


def marker_image(shape: str, color: QColor, size: int) -> Any:
    from PySide6.QtGui import QImage

    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    paint_marker(painter, shape, QPointF(size / 2, size / 2), size * 0.8, color)
    painter.end()
    return image


class MarkIcon(QWidget):
    """One day mark, painted."""

    def __init__(self, mark: stats.DayMark, size: int = 40, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.mark = mark
        self.setFixedSize(size, size)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        paint_mark(painter, self.mark, QRectF(self.rect()))
        painter.end()


class LegendSample(QWidget):
    """A short piece of a chart line with its dash pattern and marker shape."""

    def __init__(
        self, color: QColor, style: Qt.PenStyle, shape: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.color, self.pen_style, self.shape = color, style, shape
        height = round(_pt(2.0))
        self.setFixedSize(height * 3, height)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        y = self.height() / 2
        pen = QPen(self.color, 4, self.pen_style)
        painter.setPen(pen)
        painter.drawLine(QPointF(2, y), QPointF(self.width() - 2, y))
        paint_marker(
            painter, self.shape, QPointF(self.width() / 2, y), self.height() * 0.6, self.color
        )
        painter.end()


class FlowLayout(QLayout):
    """Lays items out left to right and wraps them, so legends fit any width and text size."""

    def __init__(self, parent: QWidget | None = None, spacing: int = 12) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._gap = spacing
        self.setContentsMargins(0, 0, 0, 0)

    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._arrange(QRect(0, 0, width, 0), apply=False)

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._arrange(rect, apply=True)

    def sizeHint(self) -> QSize:
        return self.minimumSize()

    def minimumSize(self) -> QSize:
        size = QSize()
        for item in self._items:
            size = size.expandedTo(item.minimumSize())
        return size

    def _arrange(self, rect: QRect, *, apply: bool) -> int:
        lines: list[list[tuple[QLayoutItem, QSize]]] = [[]]
        x = rect.x()
        for item in self._items:
            hint = item.sizeHint()
            if x + hint.width() > rect.right() + 1 and lines[-1]:
                lines.append([])
                x = rect.x()
            lines[-1].append((item, hint))
            x += hint.width() + self._gap
        y = rect.y()
        for n, line in enumerate(lines):
            height = max((hint.height() for _item, hint in line), default=0)
            x = rect.x()
            for item, hint in line:
                if apply:  # centred in the line's height
                    top = y + (height - hint.height()) // 2
                    item.setGeometry(QRect(QPoint(x, top), hint))
                x += hint.width() + self._gap
            y += height + (self._gap // 2 if n < len(lines) - 1 else 0)
        return y - rect.y()


def legend_entry(sample: QWidget, text: str) -> QWidget:
    """A legend's sample and its words, kept together when the legend wraps."""
    entry = QWidget()
    row = QHBoxLayout(entry)
    row.setContentsMargins(0, 0, 12, 0)
    row.setSpacing(8)
    row.addWidget(sample)
    row.addWidget(label(text, None, wrap=False))
    return entry


class DayCell(QWidget):
    """A day of the calendar: the mark and the date, painted in one widget.

    One painted widget instead of a frame, an icon and a label: the page has
    28 of them, and every styled child widget costs time when the page opens.
    The words for screen readers say what the shape shows.
    """

    def __init__(self, status: stats.DayStatus, today: dt.date, lang: str) -> None:
        super().__init__()
        self.status = status
        self.is_today = status.day == today
        self.setObjectName(f"day-{status.day.isoformat()}")
        self.text = T("Today") if self.is_today else str(status.day.day)
        words = T(MARK_WORDS[status.mark])
        planned, done = status.planned, status.done
        if planned and (planned > 1 or done > 1):
            if done <= planned:
                words += ", " + T("{done} of {planned} planned sessions").format(
                    done=done, planned=planned
                )
            else:
                words += ", " + T("{done} sessions, {planned} planned").format(
                    done=done, planned=planned
                )
        elif done > 1:
            words += ", " + T("{done} sessions").format(done=done)
        self.meaning = T("{day} {date}: {meaning}").format(
            day=T(DAY_NAMES_LONG_EN[WEEK[status.day.weekday()]]),
            date=short_date(status.day, lang),
            meaning=words,
        )
        self.setAccessibleName(self.meaning)
        self.setToolTip(self.meaning)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def _text_font(self) -> QFont:
        font = QFont(self.font())
        if self.is_today:
            font.setBold(True)
            font.setPointSizeF(font.pointSizeF() * 0.8)
        return font

    def sizeHint(self) -> QSize:
        metrics = QFontMetrics(self._text_font())
        mark = round(_pt(3.0))
        width = max(mark, metrics.horizontalAdvance(self.text)) + 14
        return QSize(width, mark + metrics.height() + 16)

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        box = QRectF(self.rect()).adjusted(1.5, 1.5, -1.5, -1.5)
        painter.setPen(QPen(INK if self.is_today else GRID, 3.0 if self.is_today else 1.0))
        painter.setBrush(QColor("#ffffff"))
        painter.drawRoundedRect(box, 8, 8)
        font = self._text_font()
        metrics = QFontMetrics(font)
        mark = round(_pt(3.0))
        top = 6.0
        paint_mark(painter, self.status.mark, QRectF(box.center().x() - mark / 2, top, mark, mark))
        painter.setPen(INK)
        painter.setFont(font)
        text_box = QRectF(box.left(), top + mark + 2, box.width(), metrics.height())
        painter.drawText(text_box, Qt.AlignmentFlag.AlignHCenter, self.text)
        painter.end()


# --------------------------------------------------------------------------
# Charts
# --------------------------------------------------------------------------


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
    label_font.setPointSizeF(_pt(1.0))
    title_font = QFont(label_font)
    title_font.setPointSizeF(_pt(0.95))

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
    marker = round(_pt(1.3))
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
    view.setMinimumHeight(round(_pt(24)))
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


# --------------------------------------------------------------------------
# The page
# --------------------------------------------------------------------------


class HistoryView(QWidget):
    """The History page. Build it with the open store (or None), the library and a language.

    ``dose_changed`` follows going back to an earlier dose (already stored).
    """

    dose_changed = Signal()

    def __init__(
        self,
        store: Store | None,
        library: Library,
        lang: str = "en",
        *,
        now: Callable[[], dt.datetime] = _utc_now,
        tz: dt.tzinfo | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._library = library
        self._lang = lang
        self._now = now
        self._tz = tz
        self.overview: stats.Overview | None = None
        self.problem: str | None = None
        self.easier: list[progression.AutomaticStep] = []
        self.confirm: QMessageBox | None = None
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.scroller = QScrollArea()
        self.scroller.setWidgetResizable(True)
        outer.addWidget(self.scroller)
        self.body = QWidget()
        self._layout = QVBoxLayout(self.body)
        self.refresh()

    # -- public ------------------------------------------------------------------
    def set_store(self, store: Store | None) -> None:
        """After a restore or a delete the window hands over the reopened store."""
        self._store = store
        self.refresh()

    def set_language(self, lang: str) -> None:
        self._lang = lang
        self.refresh()

    def refresh(self) -> None:
        # A fresh page each time: setWidget deletes the old one at once, so no
        # stale widget lingers until the event loop runs.
        self.body = QWidget()
        self._layout = QVBoxLayout(self.body)
        self._layout.setContentsMargins(32, 24, 32, 32)
        self._layout.setSpacing(18)
        self.scroller.setWidget(self.body)
        self.overview, self.problem = None, None
        layout = self._layout
        layout.addWidget(label(T("Your progress"), "h1"))
        if self._store is None:
            self._say(T("Your progress file could not be opened, so there is nothing to show."))
            return
        try:
            with History(self._store) as history:
                self.overview = stats.overview(history, self._routines(), self._now(), self._tz)
                self.easier = [
                    s
                    for s in progression.automatic_steps(history)
                    if s.routine_id in self._routines()
                ]
        except StoreError as exc:
            self.problem = exc.message
            self._say(exc.message)
            return
        ov = self.overview
        if self.easier:
            layout.addWidget(self._easier_card(self.easier))
        layout.addWidget(self._summary_card(ov))
        layout.addLayout(self._tiles(ov))
        layout.addWidget(self._calendar_card(ov))
        layout.addWidget(self._pain_card(ov))
        layout.addWidget(self._walking_card(ov))
        layout.addStretch(1)

    # -- pieces --------------------------------------------------------------------
    def _routines(self) -> Mapping[str, Routine]:
        return self._library.routines

    def _say(self, text: str) -> None:
        msg = label(text, "caution")
        msg.setObjectName("history-problem")
        self._layout.addWidget(msg)
        self._layout.addStretch(1)

    def _easier_card(self, steps: Sequence[progression.AutomaticStep]) -> QWidget:
        frame, box = card()
        frame.setObjectName("easier")
        box.addWidget(label(T("Made easier for you"), "h2"))
        box.addWidget(
            label(
                T(
                    "Coach made these one step easier after a session that was too much. "
                    "When you feel ready, you can go back to the dose before."
                ),
                "muted",
            )
        )
        routines = self._routines()
        for step in steps:
            title = routines[step.routine_id].title.get(self._lang)
            day = short_date(stats.local_day(step.taken_utc, self._tz), self._lang)
            if step.reason is progression.Reason.WORSE_NEXT_DAY:
                why = T("after a morning worse than usual ({day})").format(day=day)
            else:
                why = T("after your pain rose too much ({day})").format(day=day)
            what = step.text(self._library.exercises).get(self._lang)
            line = _bold(label(f"{title} – {what}"))
            line.setObjectName(f"easier-{step.routine_id}")
            box.addWidget(line)
            box.addWidget(label(why, "muted"))
            row = QHBoxLayout()
            back = button(
                T("Go back to the earlier dose"),
                accessible=T("Go back to the earlier dose of {title}").format(title=title),
            )
            back.setObjectName(f"go-back-{step.routine_id}")
            back.clicked.connect(lambda _=False, s=step: self.ask_go_back(s))
            row.addWidget(back)
            row.addStretch(1)
            box.addLayout(row)
        return frame

    def ask_go_back(self, step: progression.AutomaticStep) -> QMessageBox:
        """Ask first: going back is the person's own decision, against Coach's advice."""
        title = self._routines()[step.routine_id].title.get(self._lang)
        what = step.earlier_text(self._library.exercises)
        box = QMessageBox(
            QMessageBox.Icon.Question,
            T("Go back to the earlier dose"),
            T("Go back to the earlier dose of {title}?").format(title=title),
            parent=self,
        )
        box.setInformativeText(
            T(
                "{what}. Do this only if your back and legs have been as usual again "
                "after your last sessions."
            ).format(what=what.get(self._lang))
        )
        yes = box.addButton(T("Yes, go back"), QMessageBox.ButtonRole.AcceptRole)
        yes.setObjectName("go-back-yes")
        no = box.addButton(T("No, keep it easier"), QMessageBox.ButtonRole.RejectRole)
        no.setObjectName("go-back-no")
        box.setDefaultButton(no)

        def answered(clicked: object) -> None:
            if clicked is yes:
                self._go_back(step)

        box.buttonClicked.connect(answered)
        self.confirm = box
        box.open()
        return box

    def _go_back(self, step: progression.AutomaticStep) -> None:
        if self._store is None:
            return
        try:
            progression.go_back_to_earlier(self._store, step, when=self._now())
        except (StoreError, ValueError) as exc:
            self.problem = getattr(exc, "message", str(exc))
        self.refresh()
        self.dose_changed.emit()

    def _summary_card(self, ov: stats.Overview) -> QWidget:
        frame, box = card()
        frame.setObjectName("summary")
        box.addWidget(label(T("What has changed"), "h2"))
        for sentence in ov.sentences:
            line = label("•  " + sentence.get(self._lang))
            line.setProperty("summary", True)
            box.addWidget(line)
        return frame

    def _tile(self, name: str, number: str, words: str, extra: str = "") -> QWidget:
        frame, box = card()
        frame.setObjectName(name)
        big = label(number, "h1", wrap=False)
        big.setObjectName(f"{name}-number")
        box.addWidget(big)
        box.addWidget(label(words))
        if extra:
            box.addWidget(label(extra, "muted"))
        box.addStretch(1)
        frame.setAccessibleName(f"{number} {words} {extra}".strip())
        return frame

    def _tiles(self, ov: stats.Overview) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setSpacing(16)
        streak_words = T("day on plan") if ov.streak == 1 else T("days in a row on plan")
        streak_extra = "" if ov.streak else T("Every session starts a new streak.")
        row.addWidget(self._tile("streak", str(ov.streak), streak_words, streak_extra))
        minutes = ov.minutes
        row.addWidget(
            self._tile(
                "minutes",
                str(round(minutes.total)),
                T("minutes active this week"),
                T("{coach} with Coach, {other} in other activities").format(
                    coach=round(minutes.with_coach), other=round(minutes.other)
                ),
            )
        )
        week = ov.weeks[-1]
        if week.planned:
            words = T("of {planned} planned sessions done this week").format(planned=week.planned)
        else:
            words = T("sessions this week")
        row.addWidget(self._tile("sessions", str(week.done), words))
        return row

    def _calendar_card(self, ov: stats.Overview) -> QWidget:
        frame, box = card()
        frame.setObjectName("calendar")
        first, last = ov.weeks[0].start, ov.weeks[-1].start + dt.timedelta(days=6)
        box.addWidget(
            label(
                T("Sessions from {first} to {last}").format(
                    first=short_date(first, self._lang), last=short_date(last, self._lang)
                ),
                "h2",
            )
        )
        if not ov.plan:
            box.addWidget(
                label(
                    T(
                        "Coach counts a routine as your plan once you have done it on two "
                        "different days."
                    ),
                    "muted",
                )
            )
        else:
            names = ", ".join(r.title.get(self._lang) for r in ov.plan)
            box.addWidget(label(T("Your plan: {names}").format(names=names), "muted"))
        grid = QGridLayout()
        grid.setHorizontalSpacing(6)
        grid.setVerticalSpacing(6)
        for col, name in enumerate(DAY_NAMES["en"].values()):
            head = _bold(label(T(name), None, wrap=False))
            head.setAlignment(Qt.AlignmentFlag.AlignHCenter)
            grid.addWidget(head, 0, col)
            grid.setColumnStretch(col, 1)
        row = 1
        for week in ov.weeks:
            if week.planned:
                text = T("Week of {date}: {done} of {planned} sessions done").format(
                    date=short_date(week.start, self._lang), done=week.done, planned=week.planned
                )
            else:
                text = T("Week of {date}: {done} sessions").format(
                    date=short_date(week.start, self._lang), done=week.done
                )
            caption = _bold(label(text))
            caption.setObjectName(f"week-{week.start.isoformat()}")
            caption.setContentsMargins(0, 6, 0, 0)
            grid.addWidget(caption, row, 0, 1, 7)
            for col, status in enumerate(week.days):
                grid.addWidget(DayCell(status, ov.today, self._lang), row + 1, col)
            row += 2
        box.addLayout(grid)
        legend = FlowLayout(spacing=16)
        for mark in (
            stats.DayMark.DONE,
            stats.DayMark.PARTLY,
            stats.DayMark.MISSED,
            stats.DayMark.TO_COME,
            stats.DayMark.FREE,
        ):
            legend.addWidget(legend_entry(MarkIcon(mark, round(_pt(2.0))), T(MARK_WORDS[mark])))
        box.addLayout(legend)
        return frame

    def _pain_card(self, ov: stats.Overview) -> QWidget:
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
            back=_one_decimal(latest.back, self._lang) if latest.back is not None else "–",
            leg=_one_decimal(latest.leg, self._lang) if latest.leg is not None else "–",
        )
        chart = make_chart(
            [
                _Line(back_name, back, BACK_COLOR, Qt.PenStyle.SolidLine, "circle"),
                _Line(leg_name, leg, LEG_COLOR, Qt.PenStyle.DashLine, "square"),
            ],
            x_max=float(days),
            x_labels=_tick_labels(start, days, step, self._lang),
            y_max=10,
            y_step=2,
            y_title=T("Pain (0–10)"),
            accessible=described,
        )
        chart.setObjectName("pain-chart")
        box.addWidget(chart)
        box.addWidget(label(described, "muted"))
        return frame

    def _walking_card(self, ov: stats.Overview) -> QWidget:
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
        first_day = stats.local_day(tests[0].taken_utc, self._tz)
        start = min(first_day, ov.today - dt.timedelta(days=13))
        days = (ov.today - start).days

        def x(t: Any) -> float:
            return float((stats.local_day(t.taken_utc, self._tz) - start).days)

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
            parts.append(
                T("symptoms after {time}").format(time=minutes_seconds(last.first_symptoms_s))
            )
        if last.total_s:
            parts.append(T("{time} in total").format(time=minutes_seconds(last.total_s)))
        described = T("Walking test on {date}: {what}.").format(
            date=short_date(stats.local_day(last.taken_utc, self._tz), self._lang),
            what=", ".join(parts),
        )
        step = 7 if days <= 70 else 28
        chart = make_chart(
            [
                _Line(first_name, until, BACK_COLOR, Qt.PenStyle.SolidLine, "circle"),
                _Line(total_name, total, LEG_COLOR, Qt.PenStyle.DashLine, "square"),
            ],
            x_max=float(days),
            x_labels=_tick_labels(start, days, step, self._lang),
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


# --------------------------------------------------------------------------
# The banner for the home page
# --------------------------------------------------------------------------


class ProgressionBanner(QFrame):
    """Asks about the morning after a session, then offers one small step.

    Hidden when there is nothing to ask. ``decided(accepted)`` follows a
    progression answer; ``answered(compared)`` the morning question. Both
    are already stored when the signal fires.
    """

    decided = Signal(bool)
    answered = Signal(str)

    def __init__(
        self,
        store: Store | None,
        library: Library,
        lang: str = "en",
        *,
        now: Callable[[], dt.datetime] = _utc_now,
        tz: dt.tzinfo | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setProperty("role", "card")
        self.setObjectName("progression-banner")
        self._store = store
        self._library = library
        self._lang = lang
        self._now = now
        self._tz = tz
        self._dismissed: set[str] = set()
        self.suggestion: progression.Suggestion | None = None
        self.question_session: int | None = None
        self._question: SessionBrief | None = None
        self.told: str | None = None  # after a worse morning: what is easier now
        self.problem: str | None = None
        self._box = QVBoxLayout(self)
        self._box.setContentsMargins(20, 16, 20, 16)
        self._box.setSpacing(10)
        self.refresh()

    def set_store(self, store: Store | None) -> None:
        self._store = store
        self.refresh()

    def refresh(self) -> None:
        clear_layout(self._box)
        self.suggestion, self.question_session, self._question = None, None, None
        if self._store is None:
            self.hide()
            return
        if self.told is not None:
            self._show_told(self.told)
            self.show()
            return
        try:
            with History(self._store) as history:
                now = self._now()
                session = progression.next_day_question(history, now, self._tz)
                if session is not None and f"q{session.id}" not in self._dismissed:
                    self.question_session = session.id
                    self._question = session
                else:
                    today = stats.local_day(now, self._tz)
                    plan = stats.plan_routines(history, self._library.routines, today, self._tz)
                    # The routine just done counts even before it is part of the plan:
                    # a flare after a first try must not go unanswered.
                    last = history.last_session()
                    routine = self._library.routines.get(last.routine_id) if last else None
                    if routine is not None and routine not in plan:
                        plan.append(routine)
                    found = progression.next_suggestion(history, plan, self._library.exercises)
                    if found is not None and self._key(found) not in self._dismissed:
                        self.suggestion = found
        except StoreError as exc:
            self.problem = exc.message
            self.hide()
            return
        if self.question_session is not None:
            self._show_question()
        elif self.suggestion is not None:
            self._show_suggestion(self.suggestion)
        else:
            self.hide()
            return
        self.show()

    @staticmethod
    def _key(s: progression.Suggestion) -> str:
        return f"s{s.routine_id}-{s.direction}-{s.session_ids}"

    def _show_question(self) -> None:
        self._box.addWidget(label(T("How did you feel this morning?"), "h2"))
        self._box.addWidget(label(T("Compared with a usual morning, after your last session:")))
        # The answers wrap at a large text size: a row wider than the window
        # would push "Worse" out of sight. In a widget of its own, so that
        # clear_layout takes the buttons away with it.
        answers = QWidget()
        row = FlowLayout(answers)
        for value, text in (
            (progression.NextDay.BETTER, T("Better")),
            (progression.NextDay.USUAL, T("As usual")),
            (progression.NextDay.WORSE, T("Worse")),
        ):
            choice = button(text)
            choice.setObjectName(f"next-day-{value.value}")
            choice.clicked.connect(lambda _=False, v=value: self._on_answer(v))
            row.addWidget(choice)
        later = button(T("Not now"))
        later.setObjectName("next-day-later")
        later.clicked.connect(self._on_question_later)
        row.addWidget(later)
        self._box.addWidget(answers)

    def _show_suggestion(self, s: progression.Suggestion) -> None:
        up = s.direction is progression.Direction.UP
        self._box.addWidget(label(T("One small step up?") if up else T("One step easier?"), "h2"))
        why = label(s.why.get(self._lang))
        why.setObjectName("progression-why")
        self._box.addWidget(why)
        text = label(s.text.get(self._lang))
        text.setObjectName("progression-text")
        text.setStyleSheet("font-weight: bold;")
        self._box.addWidget(text)
        answers = QWidget()
        row = FlowLayout(answers)
        yes = button(T("Yes, step up") if up else T("Yes, make it easier"), "primary")
        yes.setObjectName("progression-yes")
        yes.clicked.connect(lambda: self._on_decided(True))
        no = button(T("Not now"))
        no.setObjectName("progression-no")
        no.clicked.connect(lambda: self._on_decided(False))
        row.addWidget(yes)
        row.addWidget(no)
        self._box.addWidget(answers)

    def _on_answer(self, value: progression.NextDay) -> None:
        session = self._question
        if self._store is None or session is None:
            return
        routine = self._library.routines.get(session.routine_id)
        try:
            step = progression.answer_next_day(
                self._store, session, value, routine, self._library.exercises, when=self._now()
            )
        except (StoreError, ValueError) as exc:
            self.problem = getattr(exc, "message", str(exc))
            step = None
        if step is not None and routine is not None:
            # Said at once, where the answer was given: no suggestion to accept.
            what = step.text(self._library.exercises).get(self._lang)
            self.told = T(
                "Thank you. Your next session of {routine} is one step easier: {change}."
            ).format(routine=routine.title.get(self._lang), change=what)
        self.answered.emit(value.value)
        self.refresh()

    def _show_told(self, text: str) -> None:
        self._box.addWidget(label(T("One step easier"), "h2"))
        told = label(text)
        told.setObjectName("easier-told")
        self._box.addWidget(told)
        self._box.addWidget(
            label(T("You can go back to the earlier dose in My progress when you feel ready."))
        )
        row = QHBoxLayout()
        ok = button(T("OK"), "primary")
        ok.setObjectName("easier-ok")
        ok.clicked.connect(self._on_told_read)
        row.addWidget(ok)
        row.addStretch(1)
        self._box.addLayout(row)

    def _on_told_read(self) -> None:
        self.told = None
        self.refresh()

    def _on_question_later(self) -> None:
        if self.question_session is not None:
            self._dismissed.add(f"q{self.question_session}")
        self.refresh()

    def _on_decided(self, accepted: bool) -> None:
        s = self.suggestion
        if self._store is None or s is None:
            return
        try:
            progression.record_decision(self._store, s, accepted, when=self._now())
        except (StoreError, ValueError) as exc:
            self.problem = getattr(exc, "message", str(exc))
            self._dismissed.add(self._key(s))
        self.decided.emit(accepted)
        self.refresh()
