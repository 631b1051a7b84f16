"""The player's own widgets, made to be read from the mat: text at the largest size that
fits its space, the countdown's digits, and the tick beside the cue."""

from __future__ import annotations

import math

from PySide6.QtCore import QRectF, QSize, QSizeF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget


class FitText(QWidget):
    """Wrapped text at the largest size, up to ``max_pt``, that fits the space given.

    The instruction and the cue must never lose a line when room is short
    (large text setting, small window, a long German word): instead of
    clipping like a squeezed QLabel, the text steps down in size, never below
    ``min_pt``.

    With ``lines`` the widget asks for that many lines and takes what the
    layout's stretch gives it; without, it asks for the height its text needs
    at full size for the width it gets (height-for-width).
    """

    def __init__(
        self,
        max_pt: float,
        min_pt: float,
        *,
        lines: int | None = None,
        one_line: bool = False,
        align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignCenter,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._one_line = one_line
        self._text = ""
        self._max_pt = max_pt
        self._min_pt = min_pt
        self._lines = lines
        self._align = align
        self._fitted: tuple[tuple[int, int, str], float] | None = None
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(lines is None)
        self.setSizePolicy(policy)

    def text(self) -> str:
        return self._text

    def setText(self, text: str) -> None:
        if text != self._text:
            self._text = text
            self._fitted = None
            self.setAccessibleName(text)
            self.updateGeometry()
            self.update()

    def _font(self, points: float) -> QFont:
        font = QFont(self.font())
        font.setBold(True)
        font.setPointSizeF(points)
        return font

    def _flags(self) -> int:
        return int(self._align) | int(Qt.TextFlag.TextWordWrap)

    def _text_size(self, points: float, width: int) -> QSizeF:
        metrics = QFontMetricsF(self._font(points))
        box = metrics.boundingRect(QRectF(0, 0, max(1, width), 100_000), self._flags(), self._text)
        return box.size()

    def hasHeightForWidth(self) -> bool:
        return self._lines is None

    def heightForWidth(self, width: int) -> int:
        if self._lines is not None:
            return -1
        points = self._max_pt
        if self._one_line:
            # Shrink to stay on one line; wrap only below the smallest size.
            while points > self._min_pt:
                line = QFontMetricsF(self._font(points)).lineSpacing()
                if self._text_size(points, width).height() <= 1.5 * line:
                    break
                points = max(self._min_pt, points * 0.93)
        return math.ceil(self._text_size(points, width).height()) + 2

    def sizeHint(self) -> QSize:
        width = self.width() if self.width() > 50 else 400
        if self._lines is not None:
            line = QFontMetricsF(self._font(self._max_pt)).lineSpacing()
            return QSize(width, math.ceil(self._lines * line))
        return QSize(width, self.heightForWidth(width))

    def minimumSizeHint(self) -> QSize:
        # A line or two of the smallest size: the rest is won by shrinking.
        lines = 1 if self._lines == 1 else 2
        line = QFontMetricsF(self._font(self._min_pt)).lineSpacing()
        return QSize(80, math.ceil(lines * line))

    def fitted_points(self) -> float:
        key = (self.width(), self.height(), self._text)
        if self._fitted is not None and self._fitted[0] == key:
            return self._fitted[1]
        points = self._max_pt
        while points > self._min_pt:
            size = self._text_size(points, self.width())
            if size.height() <= self.height() and size.width() <= self.width():
                break
            points = max(self._min_pt, points * 0.93)
        self._fitted = (key, points)
        return points

    def paintEvent(self, event: QPaintEvent) -> None:
        if not self._text:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        painter.setFont(self._font(self.fitted_points()))
        painter.setPen(self.palette().color(self.palette().ColorRole.WindowText))
        painter.drawText(QRectF(self.rect()), self._flags(), self._text)
        painter.end()


class BigNumber(QWidget):
    """The countdown: digits as large as the space allows, readable across a room."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._text = ""
        self._muted = False
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumHeight(70)

    def text(self) -> str:
        return self._text

    def set_text(self, text: str, *, muted: bool = False) -> None:
        if text != self._text or muted != self._muted:
            self._text = text
            self._muted = muted
            self.update()

    def sizeHint(self) -> QSize:
        return QSize(360, 260)

    def paintEvent(self, event: QPaintEvent) -> None:
        if not self._text:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        font = QFont(self.font())
        font.setBold(True)
        # Size for the widest text of this kind ("4:00" or "88"), so the digits
        # do not jump in size as the count runs down.
        sample = "0:00" if ":" in self._text else "00"
        font.setPixelSize(100)
        metrics = QFontMetricsF(font)
        width = metrics.horizontalAdvance(sample) or 1.0
        height = metrics.capHeight() or 70.0
        scale = min(self.width() * 0.94 / width, self.height() * 0.8 / height)
        font.setPixelSize(max(12, int(100 * scale)))
        painter.setFont(font)
        palette = self.palette()
        color = palette.color(palette.ColorRole.WindowText)
        if self._muted:
            color.setAlphaF(0.75)
        painter.setPen(color)
        # Centre on the cap height, not the line box, so the digits sit mid-widget.
        fm = QFontMetricsF(font)
        text_w = fm.horizontalAdvance(self._text)
        x = (self.width() - text_w) / 2
        y = (self.height() + fm.capHeight()) / 2
        painter.drawText(int(x), int(y), self._text)
        painter.end()


class TickMark(QWidget):
    """A tick in a circle: "this is the right way", a shape and not only a colour."""

    def __init__(self, size: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFixedSize(size, size)
        self.setAccessibleName("✓")

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        s = float(min(self.width(), self.height()))
        color = QColor(self.palette().color(self.palette().ColorRole.WindowText))
        pen = QPen(color, max(2.0, s * 0.1))
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        painter.setPen(pen)
        inset = s * 0.08
        painter.drawEllipse(QRectF(inset, inset, s - 2 * inset, s - 2 * inset))
        tick = QPainterPath()
        tick.moveTo(s * 0.28, s * 0.52)
        tick.lineTo(s * 0.44, s * 0.68)
        tick.lineTo(s * 0.73, s * 0.34)
        painter.drawPath(tick)
        painter.end()
