"""The shapes of the progress pages, painted so they look the same everywhere (no dependence
on which font has which symbol): the day marks (✓ done, half circle part done, empty circle
missed, dotted circle still to come, a dash for a free day), the chart markers, and the
calendar's day cell."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPainterPath, QPaintEvent, QPen
from PySide6.QtWidgets import QApplication, QHBoxLayout, QSizePolicy, QWidget

from coach.core.common.days import DAY_NAMES_LONG_EN, WEEK
from coach.core.progress import stats
from coach.ui.i18n import T
from coach.ui.progress.dates import short_date
from coach.ui.progress.session_words import sessions_of_planned
from coach.ui.widgets import label

INK = QColor("#1d1d1b")
GRID = QColor("#c9c5bb")

MARK_WORDS = {
    stats.DayMark.DONE: "done",
    stats.DayMark.PARTLY: "partly done",
    stats.DayMark.MISSED: "planned, not done",
    stats.DayMark.TO_COME: "still to come",
    stats.DayMark.FREE: "nothing planned",
    stats.DayMark.BEFORE_START: "before you started",
}


def body_pt(factor: float = 1.0) -> float:
    """A size relative to the app's body text (which follows the text-size setting)."""
    size = QApplication.font().pointSizeF()
    return (size if size > 0 else 13.0) * factor


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
        height = round(body_pt(2.0))
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
            words += ", " + sessions_of_planned(done, planned)
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
        mark = round(body_pt(3.0))
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
        mark = round(body_pt(3.0))
        top = 6.0
        paint_mark(painter, self.status.mark, QRectF(box.center().x() - mark / 2, top, mark, mark))
        painter.setPen(INK)
        painter.setFont(font)
        text_box = QRectF(box.left(), top + mark + 2, box.width(), metrics.height())
        painter.drawText(text_box, Qt.AlignmentFlag.AlignHCenter, self.text)
        painter.end()
