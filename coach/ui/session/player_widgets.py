"""The player's own widgets, made to be read from the mat: text at the largest size that
fits its space, the countdown's digits, and the tick beside the cue."""

from __future__ import annotations

import math

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, QSizeF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QResizeEvent,
)
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QSizePolicy, QWidget


class FitText(QWidget):
    """Wrapped text at the largest size, up to ``max_pt``, that fits the space given.

    The instruction and the cue must never lose a line when room is short
    (large text setting, small window, a long German word): instead of
    clipping like a squeezed QLabel, the text steps down in size, never below
    ``min_pt``.

    With ``lines`` the widget asks for that many lines and takes what the
    layout's stretch gives it; without, it asks for the height its text needs
    at full size for the width it gets (height-for-width). With ``shrink`` it
    asks for that same height but can be squeezed down to what the text needs
    at ``min_pt``: a layout never squeezes a height-for-width widget, which
    suits the one cue but not several texts that share a short screen.
    """

    def __init__(
        self,
        max_pt: float,
        min_pt: float,
        *,
        lines: int | None = None,
        one_line: bool = False,
        shrink: bool = False,
        align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignCenter,
        bold: bool = True,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._bold = bold
        self._one_line = one_line
        self._shrink = shrink
        self._floor = min_pt
        self._hinted_width = 0
        self._text = ""
        self._max_pt = max_pt
        self._min_pt = min_pt
        self._lines = lines
        self._align = align
        self._fitted: tuple[tuple[int, int, str], float] | None = None
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(lines is None and not shrink)
        self.setSizePolicy(policy)

    def text(self) -> str:
        return self._text

    def setText(self, text: str) -> None:
        if text != self._text:
            self._text = text
            self._fitted = None
            # New words start at the smallest size, which always fits, until
            # the screen fits them to the room they have: asking for the old
            # words' size, longer words could push the window taller.
            self._floor = self._min_pt
            self.setAccessibleName(text)
            self.updateGeometry()
            self.update()

    def _font(self, points: float) -> QFont:
        font = QFont(self.font())
        font.setBold(self._bold)
        font.setPointSizeF(points)
        return font

    def _flags(self) -> int:
        return int(self._align) | int(Qt.TextFlag.TextWordWrap)

    def _text_size(self, points: float, width: int) -> QSizeF:
        metrics = QFontMetricsF(self._font(points))
        box = metrics.boundingRect(QRectF(0, 0, max(1, width), 100_000), self._flags(), self._text)
        return box.size()

    def hasHeightForWidth(self) -> bool:
        return self._lines is None and not self._shrink

    def heightForWidth(self, width: int) -> int:
        if self._lines is not None:
            return -1
        points = self._one_line_points(self._max_pt, width)
        return math.ceil(self._text_size(points, width).height()) + 2

    def _one_line_points(self, points: float, width: int) -> float:
        """Shrink from ``points`` to stay on one line; wrap only below the smallest size.

        Without ``one_line`` the size is kept as given.
        """
        if not self._one_line:
            return points
        while points > self._min_pt:
            line = QFontMetricsF(self._font(points)).lineSpacing()
            if self._text_size(points, width).height() <= 1.5 * line:
                break
            points = max(self._min_pt, points * 0.93)
        return points

    def _shrink_height(self, points: float) -> QSize:
        width = self.width()
        if not self.isVisible() or width <= 50:
            # Hidden, its width is stale (or Qt's default); a narrow guess would
            # count too many lines and could push the window taller for good.
            # The nearest shown ancestor's width is a little too wide instead:
            # the right width comes with the next resize.
            width = 1000
            ancestor = self.parentWidget()
            while ancestor is not None:
                if ancestor.isVisible() and ancestor.width() > 50:
                    width = ancestor.contentsRect().width()
                    break
                ancestor = ancestor.parentWidget()
        self._hinted_width = width
        # A line that spills a word onto a second one at this size asks for
        # one line at a smaller size, not for two.
        points = self._one_line_points(points, width)
        return QSize(width, math.ceil(self._text_size(points, width).height()) + 2)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self._shrink and self.width() != self._hinted_width:
            self.updateGeometry()  # the lines the text needs depend on the width

    def sizeHint(self) -> QSize:
        if self._shrink:
            return self._shrink_height(self._max_pt)
        width = self.width() if self.width() > 50 else 400
        if self._lines is not None:
            line = QFontMetricsF(self._font(self._max_pt)).lineSpacing()
            return QSize(width, math.ceil(self._lines * line))
        return QSize(width, self.heightForWidth(width))

    def minimumSizeHint(self) -> QSize:
        if self._shrink:
            return QSize(80, self._shrink_height(self._floor).height())
        # A line or two of the smallest size: the rest is won by shrinking. A
        # one-line text asks for one: counted at two, a title that never wraps
        # held a whole line of a short screen's height for nothing (its true
        # need, wrapped or not, is its height for the width).
        lines = 1 if self._lines == 1 or self._one_line else 2
        line = QFontMetricsF(self._font(self._min_pt)).lineSpacing()
        return QSize(80, math.ceil(lines * line))

    @property
    def max_points(self) -> float:
        return self._max_pt

    @property
    def min_points(self) -> float:
        return self._min_pt

    @property
    def floor(self) -> float:
        return self._floor

    def set_floor(self, points: float) -> None:
        """The size a shrinkable text asks the layout to keep, at least (``min_pt`` to ``max_pt``).

        The layout takes height from every shrinkable item alike; a floor lets
        the screen keep a note readable while the picture gives up the room.
        """
        points = min(self._max_pt, max(self._min_pt, points))
        if points != self._floor:
            self._floor = points
            self.updateGeometry()

    def fits(self) -> bool:
        """Whether the whole text fits the widget at the size it is drawn."""
        size = self._text_size(self.fitted_points(), self.width())
        return size.height() <= self.height() + 0.5 and size.width() <= self.width() + 0.5

    def fitted_points(self) -> float:
        key = (self.width(), self.height(), self._text)
        if self._fitted is not None and self._fitted[0] == key:
            return self._fitted[1]
        points = self._one_line_points(self._max_pt, self.width())
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


class WrapButton(QPushButton):
    """A big button whose words wrap and shrink like a :class:`FitText` instead of being cut.

    A plain button keeps its text on one line: "Beschwerden haben begonnen –
    Gehen beenden" at 200 % is wider than the column beside the picture, and
    the button cut both ends off. The words are drawn by a FitText inside the
    button (the button itself keeps no text), which lets clicks through.
    """

    def __init__(
        self,
        text: str,
        max_pt: float,
        min_pt: float,
        pad: int,
        least_height: int,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._least_height = least_height
        # Its height follows its words: fixed at a hint measured before the
        # words had their width, it kept one line's height for two lines.
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        row = QHBoxLayout(self)
        row.setContentsMargins(pad, max(2, pad // 3), pad, max(2, pad // 3))
        self.words = FitText(max_pt, min_pt, shrink=True)
        self.words.setObjectName("button-words")
        self.words.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        row.addWidget(self.words)
        self.setText(text)

    def _with_words(self, own: QSize, words: QSize) -> QSize:
        row = self.layout()
        margins = row.contentsMargins() if row is not None else None
        extra_w = margins.left() + margins.right() if margins is not None else 0
        extra_h = margins.top() + margins.bottom() if margins is not None else 0
        width = max(own.width(), words.width() + extra_w)
        height = max(own.height(), words.height() + extra_h, self._least_height)
        return QSize(width, height)

    def sizeHint(self) -> QSize:
        # A button measures its own text, which is empty: the words' needs are added here.
        return self._with_words(super().sizeHint(), self.words.sizeHint())

    def minimumSizeHint(self) -> QSize:
        # Not the button's own: Qt's asks sizeHint(), which counts the words at full size.
        return self._with_words(QSize(0, 0), self.words.minimumSizeHint())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            # The lines the words need depend on the width: measured while
            # hidden, they were counted for the page's width, not the column's.
            self.updateGeometry()

    def text(self) -> str:
        return self.words.text()

    def setText(self, text: str) -> None:
        self.words.setText(text)
        self.setAccessibleName(text)
        self.updateGeometry()

    def event(self, event: QEvent) -> bool:
        handled = super().event(event)
        if event.type() == QEvent.Type.Polish and self.minimumHeight() > 0:
            # The app's style sheet gives every button a least height; set
            # that way it would outrank the words' own need (minimumSizeHint).
            self.setMinimumHeight(0)
        return handled


class BigNumber(QWidget):
    """The countdown: digits as large as the space allows, readable across a room."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._text = ""
        self._muted = False
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        # Digits 48 pixels high still read from the mat; the page needs the
        # rest of a short screen for words.
        self.setMinimumHeight(60)

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


class _Mark(QWidget):
    """A small drawn sign beside a line of text, square and pen-drawn like the tick."""

    def __init__(self, size: int, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFixedSize(size, size)
        self.setAccessibleName(name)

    def _pen(self, color: QColor, s: float) -> QPen:
        pen = QPen(color, max(2.0, s * 0.1))
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        return pen


class NoteMark(_Mark):
    """A speech bubble: "your physiotherapist says", so the note is not read as Coach's."""

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        s = float(min(self.width(), self.height()))
        painter.setPen(self._pen(self.palette().color(self.palette().ColorRole.WindowText), s))
        bubble = QPainterPath()
        bubble.addRoundedRect(QRectF(s * 0.1, s * 0.14, s * 0.8, s * 0.56), s * 0.14, s * 0.14)
        tail = QPainterPath()
        tail.moveTo(s * 0.3, s * 0.66)
        tail.lineTo(s * 0.24, s * 0.88)
        tail.lineTo(s * 0.5, s * 0.68)
        painter.drawPath(bubble.united(tail))
        for y in (0.34, 0.5):  # two lines of "writing" inside
            painter.drawLine(QPointF(s * 0.28, s * y), QPointF(s * 0.72, s * y))
        painter.end()


class CautionMark(_Mark):
    """A warning triangle with "!": the caution is marked by its shape, not only its colour."""

    def __init__(self, size: int, color: str, name: str, parent: QWidget | None = None) -> None:
        super().__init__(size, name, parent)
        self._color = QColor(color)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        s = float(min(self.width(), self.height()))
        painter.setPen(self._pen(self._color, s))
        triangle = QPainterPath()
        triangle.moveTo(s * 0.5, s * 0.1)
        triangle.lineTo(s * 0.93, s * 0.86)
        triangle.lineTo(s * 0.07, s * 0.86)
        triangle.closeSubpath()
        painter.drawPath(triangle)
        painter.drawLine(QPointF(s * 0.5, s * 0.38), QPointF(s * 0.5, s * 0.6))
        painter.drawPoint(QPointF(s * 0.5, s * 0.74))
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
