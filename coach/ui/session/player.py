"""The routine player: one exercise at a time, big enough to read from the mat.

The player shows a :class:`~coach.core.session.runner.SessionRunner` and turns key
presses and clicks into runner commands; every decision about time lives in
the runner. Time follows the design rule "a countdown is a deadline, never a
counter": one single-shot precise timer is armed for ``runner.next_deadline()``
(the next whole second of the countdown or the step's end) and nothing is ever
counted, so a busy computer or a frozen GUI thread shortens no exercise and a
routine ends on time. A second single-shot timer drives the figure's movement,
and only while the person moves (a move or come-back step); during holds and
rests the player sleeps between whole seconds.
"""

from __future__ import annotations

import importlib
import math
import time
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import (
    QByteArray,
    QEvent,
    QKeyCombination,
    QObject,
    QRect,
    QRectF,
    QSize,
    QSizeF,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QGuiApplication,
    QImage,
    QKeyEvent,
    QKeySequence,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QShowEvent,
)
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLayout,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from coach.core.content.library import Library
from coach.core.session.plan import Frame, Phase, Plan, Step, format_clock
from coach.core.session.runner import (
    Event,
    NotYetSettled,
    Paused,
    Resumed,
    SessionFinished,
    SessionRunner,
    SessionStopped,
    SettleAsked,
    State,
    StepFinished,
    StepResult,
    StepStarted,
    SymptomsMarked,
)
from coach.core.session.stop_rules import (
    SETTLE_ASK_AGAIN_S,
    STOP_BUTTON,
    STOP_CHOICES,
    STOP_LABELS,
    StopReason,
    stop_advice,
    stop_is_emergency,
)
from coach.ui import theme
from coach.ui.i18n import T
from coach.ui.session.audio import Cues
from coach.ui.widgets import FigureView, button, label

ANIMATION_MS = 40
"""25 frames a second while the figure moves; the timer stops otherwise."""

SELF_PACED_CYCLE_S = 4.0
"""A self-paced rep has no clock to follow: the figure loops start -> end -> start."""

ENDED_EARLY = "ended_early"
"""The runner's stop reason (and the outcome) when the person ends a session on purpose."""

OUTCOME_COMPLETED = "completed"
OUTCOME_ENDED_EARLY = ENDED_EARLY
OUTCOME_STOPPED = "stopped"  # "Stop – this hurts": the reason is a StopReason value

SETTLE_NUMBER_MAX_SCALE = 1.6
"""Up to this text size (150 %) the walking break's question leaves room for the
big count of the time rested; above it the time is said in words only (the
question and its two answers would not fit a window 800 pixels high)."""

FALLBACK_CUE = (
    "Keep your lower back relaxed. Do not arch it.",
    "Den unteren Rücken locker lassen, kein Hohlkreuz.",
)


class Recorder(Protocol):
    """Where finished steps and the session's end are saved (the progress store)."""

    def step_finished(self, result: StepResult) -> None: ...

    def session_ended(self, outcome: str, reason: str | None) -> None: ...


def countdown_text(seconds: float) -> str:
    """Whole seconds below a minute ("17"), m:ss from a minute on ("4:00")."""
    whole = max(0, math.ceil(seconds - 1e-6))
    return str(whole) if whole < 60 else format_clock(whole)


def count_up_text(seconds: float) -> str:
    whole = max(0, math.floor(seconds + 1e-6))
    return str(whole) if whole < 60 else format_clock(whole)


def minutes_left_text(seconds: float) -> str:
    minutes = max(0, math.ceil(seconds / 60 - 1e-9))
    if minutes <= 1:
        return T("1 min left") if seconds > 0 else ""
    return T("{n} min left").format(n=minutes)


def position_text(step: Step) -> str:
    """Where the person is: "Rep 3 of 10 · Set 1 of 2 · Right side"."""
    parts: list[str] = []
    if step.phase is Phase.WALK and step.rep_no is not None:
        parts.append(T("Walk {n} of {m}").format(n=step.rep_no, m=step.reps))
    elif step.phase is Phase.FLEXION_BREAK and step.rep_no is not None:
        parts.append(T("Rest after walk {n} of {m}").format(n=step.rep_no, m=step.reps))
    else:
        if step.rep_no is not None and step.reps is not None:
            parts.append(T("Rep {n} of {m}").format(n=step.rep_no, m=step.reps))
        if step.set_no is not None and step.sets is not None and step.sets > 1:
            template = "Set {n} of {m} done" if step.phase is Phase.REST else "Set {n} of {m}"
            parts.append(T(template).format(n=step.set_no, m=step.sets))
    if step.side is not None:
        parts.append(T("Left side") if step.side.value == "left" else T("Right side"))
    return "  ·  ".join(parts)


def pose_t(step: Step, elapsed: float) -> float:
    """Where the figure is between the start (0) and the end pose (1)."""
    if step.phase is Phase.MOVE and step.self_paced:
        cycle = (elapsed % SELF_PACED_CYCLE_S) / SELF_PACED_CYCLE_S
        return 1.0 - abs(2.0 * cycle - 1.0)
    progress = min(1.0, max(0.0, elapsed / step.seconds)) if step.seconds > 0 else 1.0
    if step.phase is Phase.MOVE:
        return progress
    if step.phase is Phase.BACK:
        return 1.0 - progress
    return 1.0 if step.frame is Frame.END else 0.0


def _palette() -> dict[str, str]:
    """The theme's colours in use (the high-contrast set if the app runs it)."""
    app = QApplication.instance()
    sheet = app.styleSheet() if isinstance(app, QApplication) else ""
    contrast = theme.PALETTES["contrast"]
    return contrast if f"background: {contrast['accent']}" in sheet else theme.PALETTES["normal"]


def _moving(step: Step) -> bool:
    return step.phase in (Phase.MOVE, Phase.BACK)


# --------------------------------------------------------------------------
# Pieces of the screen
# --------------------------------------------------------------------------


class PlayerFigure(FigureView):
    """The exercise picture at any point of its movement, mirrored for the left side.

    Poses come from the figure model (``coach.core.content.figures.svg``) when it knows
    the exercise, else from the exercise's own start/end files; whatever
    fails falls back to the neutral placeholder.

    The model's figure is costly twice over: building a pose's SVG takes tens
    of milliseconds and drawing its outlines over ten. So poses are quantised
    to ``STEPS`` positions and each one is drawn once at the size on screen
    and kept zlib-packed (about 10-30 KB a frame, the frames of one exercise
    and side only): a repeated rep costs an unpack and a blit, and memory
    stays flat.
    """

    STEPS = 24

    def __init__(self, library: Library, parent: QWidget | None = None) -> None:
        super().__init__(parent, minimum=QSize(200, 100))
        self._library = library
        self._generator: Callable[..., str] | None = None
        self._generator_loaded = False
        self._svgs: dict[tuple[str, int, bool], bytes | None] = {}
        self._rasters: dict[tuple[object, ...], bytes] = {}
        self._key: tuple[str | None, int, bool] | None = None
        self._generated = False  # the picture on screen comes from the model
        self._flip = False  # mirror by drawing (a file); the model mirrors itself
        self._mirrored = False
        self._image: QImage | None = None
        self._file: Path | None = None
        self._no_model: set[str] = set()
        self._boxes: dict[str, QRectF | None] = {}
        self._buffer: QImage | None = None

    @property
    def mirrored(self) -> bool:
        return self._mirrored

    @property
    def placeholder(self) -> bool:
        return not self.valid and self._image is None

    def hasHeightForWidth(self) -> bool:
        return False  # fill whatever the layout gives; the picture keeps its own ratio

    def show_pose(self, exercise_id: str | None, t: float, mirror: bool) -> None:
        bucket = round(min(1.0, max(0.0, t)) * self.STEPS)
        key = (exercise_id, bucket, mirror)
        if key == self._key:
            return
        self._key = key
        self._mirrored = mirror
        self._generated = False
        if exercise_id is None:
            self._show_file(None, False)
            return
        data = self._svg(exercise_id, bucket, mirror)
        if data is not None:
            box = self._content_box(exercise_id)
            self._image = None
            self._file = None
            self._flip = False
            self.set_svg(data)
            if self.valid:
                self._generated = True
                if box is not None:
                    self._renderer.setViewBox(box)
                return
            self._no_model.add(exercise_id)
        frame = "end" if 2 * bucket >= self.STEPS else "start"
        self._show_file(self._library.illustration(exercise_id, frame), mirror)

    # -- the figure model -----------------------------------------------------------
    def _model(self) -> Callable[..., str] | None:
        if not self._generator_loaded:
            self._generator_loaded = True
            try:
                # Looked up by name: a half-finished figure model must not break the player.
                generator = getattr(
                    importlib.import_module("coach.core.content.figures"), "svg", None
                )
                self._generator = generator if callable(generator) else None
            except Exception:
                self._generator = None
        return self._generator

    def _svg(self, exercise_id: str, bucket: int, mirror: bool) -> bytes | None:
        if exercise_id in self._no_model or self._library.origin("exercise", exercise_id) == "user":
            return None  # a clinic's own exercise carries its own pictures
        key = (exercise_id, bucket, mirror)
        if key in self._svgs:
            return self._svgs[key]
        generate = self._model()
        data: bytes | None = None
        if generate is not None:
            try:
                text = generate(exercise_id, "start", t=bucket / self.STEPS, mirror=mirror)
                data = text.encode("utf-8")
            except Exception:
                self._no_model.add(exercise_id)
        if any(k[0] != exercise_id for k in self._svgs):
            # Keep the frames of the exercise on screen only.
            self._svgs = {k: v for k, v in self._svgs.items() if k[0] == exercise_id}
        self._svgs[key] = data
        return data

    def _content_box(self, exercise_id: str) -> QRectF | None:
        """The part of the model's picture the figure uses, over its whole movement.

        Every generated picture shares one viewBox (so a contact sheet reads as
        one family), which leaves a lying figure a thin strip across the
        middle. Cropping to what the movement covers, the same crop for every
        frame of the exercise, makes the figure as big as the space allows
        without zooming while it moves.
        """
        if exercise_id in self._boxes:
            return self._boxes[exercise_id]
        box: QRectF | None = None
        full = QRectF()
        try:
            for bucket in range(0, self.STEPS + 1, self.STEPS // 4):
                data = self._svg(exercise_id, bucket, False)
                if data is None:
                    break
                found, full = _painted_rect(data)
                if found is not None:
                    box = found if box is None else box.united(found)
        except Exception:
            box = None
        if box is not None and full.isValid():
            # The same crop for the mirrored side: symmetric about the middle.
            left = min(box.left() - full.left(), full.right() - box.right())
            box = QRectF(full.left() + left, box.top(), full.width() - 2 * left, box.height())
            pad = 0.06 * max(box.width(), box.height())
            box = box.adjusted(-pad, -pad, pad, pad).intersected(full)
        self._boxes[exercise_id] = box
        return box

    # -- files ----------------------------------------------------------------------
    def _show_file(self, path: Path | None, flip: bool) -> None:
        self._flip = flip
        if path == self._file and path is not None:
            self.update()
            return
        self._file = path
        self._image = None
        if path is not None and path.suffix.lower() not in (".svg", ".svgz"):
            image = QImage(str(path))  # a clinic's photo or drawing
            self._image = None if image.isNull() else image
            self.set_file(None)
            return
        self.set_file(path)

    # -- drawing --------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        if self.placeholder:
            super().paintEvent(event)
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        if self._flip:
            painter.translate(self.width(), 0)
            painter.scale(-1, 1)
        area = QRectF(self.rect()).adjusted(2, 2, -2, -2)
        if self._image is not None:
            size = QSizeF(self._image.size())
        else:
            size = self._renderer.viewBoxF().size()
        ratio = size.width() / size.height() if size.height() > 0 else 4 / 3
        w = min(area.width(), area.height() * ratio)
        h = w / ratio
        target = QRect(
            round(area.x() + (area.width() - w) / 2),
            round(area.y() + (area.height() - h) / 2),
            max(1, round(w)),
            max(1, round(h)),
        )
        if self._image is not None:
            painter.drawImage(QRectF(target), self._image)
        elif self._generated:
            self._draw_raster(painter, target)
        else:
            self._renderer.render(painter, QRectF(target))
        painter.end()

    def _draw_raster(self, painter: QPainter, target: QRect) -> None:
        """Blit the current pose, drawn at the target's size once and then unpacked."""
        ratio = self.devicePixelRatioF()
        w = max(1, round(target.width() * ratio))
        h = max(1, round(target.height() * ratio))
        exercise_id, bucket, mirror = self._key or (None, 0, False)
        key = (exercise_id, bucket, mirror, w, h)
        fmt = QImage.Format.Format_ARGB32_Premultiplied
        packed = self._rasters.get(key)
        if packed is not None:
            pixels = zlib.decompress(packed)  # stays alive until the blit is done
            image = QImage(pixels, w, h, 4 * w, fmt)
        else:
            # One drawing buffer, reused: no megabyte allocated per new frame.
            buffer = self._buffer
            if buffer is None or buffer.width() != w or buffer.height() != h:
                buffer = self._buffer = QImage(w, h, fmt)
            image = buffer
            image.fill(0)
            inner = QPainter(image)
            inner.setRenderHint(QPainter.RenderHint.Antialiasing)
            self._renderer.render(inner, QRectF(0, 0, w, h))
            inner.end()
            # Another exercise or another size: the old frames will not be shown again.
            self._rasters = {
                k: v for k, v in self._rasters.items() if k[0] == exercise_id and k[3:] == (w, h)
            }
            self._rasters[key] = zlib.compress(image.constBits(), 1)
        image.setDevicePixelRatio(ratio)
        painter.drawImage(target, image)


def _painted_rect(svg_data: bytes, width: int = 240) -> tuple[QRectF | None, QRectF]:
    """Where an SVG actually paints, in its own viewBox units (None if blank),
    and its whole viewBox."""
    renderer = QSvgRenderer(QByteArray(svg_data))
    view = renderer.viewBoxF()
    if not renderer.isValid() or view.width() <= 0 or view.height() <= 0:
        return None, view
    height = max(1, round(width * view.height() / view.width()))
    image = QImage(width, height, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(0)
    painter = QPainter(image)
    renderer.render(painter)
    painter.end()
    alpha = image.convertToFormat(QImage.Format.Format_Alpha8)
    line = alpha.bytesPerLine()
    raw = alpha.constBits()
    top = bottom = -1
    left, right = width, -1
    for y in range(height):
        row = bytes(raw[y * line : y * line + width])
        body = row.strip(b"\0")
        if not body:
            continue
        if top < 0:
            top = y
        bottom = y
        start = len(row) - len(row.lstrip(b"\0"))
        left = min(left, start)
        right = max(right, start + len(body) - 1)
    if top < 0:
        return None, view
    sx, sy = view.width() / width, view.height() / height
    painted = QRectF(
        view.left() + left * sx,
        view.top() + top * sy,
        (right - left + 1) * sx,
        (bottom - top + 1) * sy,
    )
    return painted, view


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


def _dialog_layout(dialog: QDialog) -> QVBoxLayout:
    """Big buttons and room around them; the dialog grows to fit its wrapped text."""
    base = QApplication.font().pointSizeF()
    scale = max(0.5, base / theme.BASE_PT if base > 0 else 1.0)
    px = math.sqrt(scale)
    dialog.setStyleSheet(
        f"QPushButton {{ font-size: {round(base * 1.25, 1)}pt; min-height: {round(56 * px)}px;"
        f" padding: {round(8 * px)}px {round(20 * px)}px; }}"
    )
    dialog.setMinimumWidth(round(620 * px))
    column = QVBoxLayout(dialog)
    column.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)
    margin = round(28 * px)
    column.setContentsMargins(margin, margin, margin, margin)
    column.setSpacing(round(14 * px))
    return column


class StopReasonDialog(QDialog):
    """ "What happened?" One big button per reason; ``chosen`` carries the StopReason value.

    Window-modal and opened with ``open()``; closing it without a choice
    (``rejected``) leaves the session paused.
    """

    chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None, lang: str = "en") -> None:
        super().__init__(parent)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(STOP_BUTTON.get(lang))
        self.setObjectName("stop-dialog")
        column = _dialog_layout(self)
        column.addWidget(label(T("What happened?"), "h1"))
        column.addWidget(label(T("The session is paused. Choose what fits best.")))
        for reason in STOP_CHOICES:
            text = STOP_LABELS[reason]
            choice = button(text.get(lang), "danger" if stop_is_emergency(reason) else None)
            choice.setObjectName(f"reason-{reason.value}")
            choice.clicked.connect(lambda _=False, r=reason.value: self._choose(r))
            column.addWidget(choice)
        column.addSpacing(10)
        back = button(T("Nothing – back to the exercise"))
        back.setObjectName("reason-cancel")
        back.clicked.connect(self.reject)
        column.addWidget(back)

    def _choose(self, reason: str) -> None:
        self.chosen.emit(reason)
        self.accept()


class EndSessionDialog(QDialog):
    """ "End the session now?" asked after Esc or the End button; ``confirmed`` on yes."""

    confirmed = Signal()

    def __init__(self, parent: QWidget | None = None, lang: str = "en") -> None:
        super().__init__(parent)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(T("End the session"))
        self.setObjectName("end-dialog")
        column = _dialog_layout(self)
        column.addWidget(label(T("End the session now?"), "h1"))
        column.addWidget(label(T("What you have done so far is saved.")))
        row = QHBoxLayout()
        keep = button(T("Keep going"), "primary")
        keep.setObjectName("end-keep-going")
        keep.setDefault(True)
        keep.clicked.connect(self.reject)
        end = button(T("End session"))
        end.setObjectName("end-confirm")
        end.clicked.connect(self._confirm)
        for b in (keep, end):
            row.addWidget(b)
        column.addLayout(row)

    def _confirm(self) -> None:
        self.confirmed.emit()
        self.accept()


# --------------------------------------------------------------------------
# The player
# --------------------------------------------------------------------------


class PlayerView(QWidget):
    """Plays one routine plan from "Start" to the end screen.

    ``session_ended(outcome, reason)`` is emitted the moment the session ends
    (outcome "completed", "ended_early" or "stopped"; reason a StopReason value
    for "stopped", else None); ``finished(outcome, reason)`` when the person
    closes the end screen. Both dialogs are class attributes so that tests
    can replace them (pytest-qt's advice for modal dialogs).
    """

    finished = Signal(str, object)
    session_ended = Signal(str, object)

    stop_dialog_class: type[QObject] = StopReasonDialog
    end_dialog_class: type[QObject] = EndSessionDialog

    def __init__(
        self,
        plan: Plan,
        library: Library,
        *,
        lang: str = "en",
        sound: bool = True,
        voice: bool = True,
        clock: Callable[[], float] = time.monotonic,
        recorder: Recorder | None = None,
        emergency_number: str = "112",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("player")
        self.plan = plan
        self._library = library
        self._lang = lang
        self._clock = clock
        self._recorder = recorder
        self._emergency_number = emergency_number
        self._runner = SessionRunner(plan, clock)
        self.cues = Cues(
            library.assets / "sounds", lang=lang, sound=sound, voice=voice, parent=self
        )
        self._shown_step: int | None = None
        self._cued_step: int | None = None
        self._save_error: str | None = None
        self._suspended = False
        self._outcome: tuple[str, str | None] | None = None
        self._paused_by_dialog = False

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self.tick)
        self._animation = QTimer(self)
        self._animation.setSingleShot(True)
        self._animation.timeout.connect(self._on_animation_timeout)

        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setWindowTitle(plan.routine_title.get(lang))
        self._build()
        self._refresh()
        app = QGuiApplication.instance()
        if isinstance(app, QGuiApplication):
            app.applicationStateChanged.connect(self._on_app_state_changed)

    # -- what tests and the main window read -----------------------------------
    @property
    def runner(self) -> SessionRunner:
        return self._runner

    @property
    def figure_mirrored(self) -> bool:
        return self.figure.mirrored

    @property
    def showing_placeholder(self) -> bool:
        return self.figure.placeholder

    @property
    def countdown_text(self) -> str:
        return self.countdown.text()

    @property
    def outcome(self) -> tuple[str, str | None] | None:
        return self._outcome

    @property
    def save_error(self) -> str | None:
        return self._save_error

    # -- building ----------------------------------------------------------------
    def _sizes(self) -> dict[str, float]:
        """Point sizes from the app's text size (the theme's setting, 100–200 %).

        The biggest texts grow less than the setting: they are already large,
        and the countdown is sized to its space anyway.
        """
        base = QApplication.font().pointSizeF()
        scale = max(0.5, base / theme.BASE_PT if base > 0 else 1.0)

        def pt(factor: float, damp: float = 1.0) -> float:
            return round(theme.BASE_PT * factor * math.pow(scale, damp), 1)

        return {
            "title": pt(2.0, 0.6),
            "title_min": pt(1.4, 0.6),
            "position": pt(1.55, 0.6),
            "instruction": pt(2.1, 0.55),
            "instruction_min": pt(1.3, 0.6),
            "cue": pt(1.45, 0.6),
            "cue_min": pt(1.1, 0.6),
            "paused": pt(2.6, 0.5),
            "caption": pt(1.3, 0.4),
            "control": pt(1.2, 0.6),
            "big_button": pt(1.8, 0.45),
            "left": pt(1.3, 0.6),
            "end_title": pt(3.0, 0.5),
            "end_text": pt(1.9, 0.6),
            "emergency": pt(3.6, 0.5),
            "scale": scale,
        }

    def _style(self, s: dict[str, float]) -> str:
        # Boxes and buttons grow slower than the text: at 200 % the chrome would
        # otherwise eat the room that the picture and the countdown need.
        px = math.sqrt(s["scale"])
        c = _palette()

        def size(n: float) -> int:
            return round(n * px)

        return f"""
#player QLabel#position {{ font-size: {s["position"]}pt; font-weight: bold; }}
#player QLabel#caption {{ font-size: {s["caption"]}pt; }}
#player QLabel#time-left {{ font-size: {s["left"]}pt; font-weight: bold; }}
#player QLabel#paused {{ font-size: {s["paused"]}pt; font-weight: bold; padding: {size(6)}px;
  background: {c["panel"]}; border: {size(4)}px solid {c["text"]}; border-radius: {size(12)}px; }}
#player QLabel#banner {{ background: {c["nav"]}; border: {size(2)}px solid {c["muted"]};
  border-radius: {size(10)}px; padding: {size(10)}px {size(14)}px; }}
#player QLabel#end-title {{ font-size: {s["end_title"]}pt; font-weight: bold; }}
#player QLabel#end-text {{ font-size: {s["end_text"]}pt; }}
#player QLabel#emergency {{ font-size: {s["emergency"]}pt; font-weight: bold;
  padding: {size(16)}px; }}
#player QPushButton[player="control"] {{ font-size: {s["control"]}pt; min-height: {size(46)}px;
  padding: {size(6)}px {size(16)}px; }}
#player QPushButton#done, #player QPushButton#symptoms, #player QPushButton#close,
#player QPushButton#settled, #player QPushButton#not-yet {{
  font-size: {s["big_button"]}pt; min-height: {size(64)}px; min-width: {size(260)}px;
  padding: {size(6)}px {size(20)}px; }}
#player QPushButton#settled, #player QPushButton#not-yet {{ min-height: {size(46)}px; }}
#player QPushButton#stop-hurts {{ font-size: {s["control"] * 1.1:.1f}pt;
  min-height: {size(46)}px; padding: {size(6)}px {size(22)}px; }}
#player QFrame#cue-box {{ background: {c["accent_soft"]}; border: {size(3)}px solid {c["accent"]};
  border-radius: {size(12)}px; }}
#player QFrame#cue-box QLabel, #player QFrame#cue-box QWidget {{ background: transparent; }}
#player QProgressBar {{ min-height: {size(18)}px; max-height: {size(22)}px; }}
"""

    def _build(self) -> None:
        sizes = self._sizes()
        self._text_scale = sizes["scale"]
        self.setStyleSheet(self._style(sizes))
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.pages = QStackedWidget()
        outer.addWidget(self.pages)
        self.pages.addWidget(self._build_play_page(sizes))
        # The end screen scrolls (long advice at a large text size) but its
        # Close button stays in view.
        self.end_page = QWidget()
        self._end_outer = QVBoxLayout(self.end_page)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        content = QWidget()
        self._end_layout = QVBoxLayout(content)
        scroll.setWidget(content)
        self._end_outer.addWidget(scroll, 1)
        self.pages.addWidget(self.end_page)

    def _build_play_page(self, sizes: dict[str, float]) -> QWidget:
        page = QWidget()
        page.setObjectName("play-page")
        column = QVBoxLayout(page)
        margin = round(16 * sizes["scale"] ** 0.5)
        column.setContentsMargins(margin + 8, margin, margin + 8, margin)
        column.setSpacing(round(10 * sizes["scale"] ** 0.5))

        self.banner = label("", None)
        self.banner.setObjectName("banner")
        self.banner.hide()
        column.addWidget(self.banner)

        header = QHBoxLayout()
        self.title = FitText(
            sizes["title"],
            sizes["title_min"],
            one_line=True,
            align=Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
        )
        self.title.setObjectName("title")
        self.position = label("", None, wrap=False)
        self.position.setObjectName("position")
        self.position.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        header.addWidget(self.title, 1)
        header.addWidget(self.position, 0)
        column.addLayout(header)

        body = QHBoxLayout()
        body.setSpacing(round(20 * sizes["scale"] ** 0.5))
        self.figure = PlayerFigure(self._library)
        body.addWidget(self.figure, 3)
        side = QVBoxLayout()
        side.setSpacing(8)
        self.paused_label = label(T("Paused"), None)
        self.paused_label.setObjectName("paused")
        self.paused_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.paused_label.hide()
        side.addWidget(self.paused_label)
        self.countdown = BigNumber()
        self.countdown.setObjectName("countdown")
        side.addWidget(self.countdown, 5)
        self.caption = label("", None)
        self.caption.setObjectName("caption")
        self.caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        side.addWidget(self.caption)
        self.done_button = button(T("Done"), "primary", accessible=T("Done (Space)"))
        self.done_button.setObjectName("done")
        self.done_button.clicked.connect(self.done)
        self.done_button.hide()
        side.addWidget(self.done_button)
        self.symptoms_button = button(T("Symptoms started"), "primary")
        self.symptoms_button.setObjectName("symptoms")
        self.symptoms_button.setToolTip(
            T("Press when your legs start to tingle, ache or feel heavy. Then keep walking.")
        )
        self.symptoms_button.clicked.connect(self.mark_symptoms)
        self.symptoms_button.hide()
        side.addWidget(self.symptoms_button)
        self.instruction = FitText(sizes["instruction"], sizes["instruction_min"], lines=2)
        self.instruction.setObjectName("instruction")
        side.addWidget(self.instruction, 3)
        # The walking break's question, the answers under it, one above the other: side by
        # side they do not fit the column in German at a large text size.
        # Alt+B and Alt+N in both languages (Besser, Noch nicht).
        self.settled_button = button(T("&Better, walk on"), "primary")
        self.settled_button.setObjectName("settled")
        self.settled_button.clicked.connect(self.settled)
        self.settled_button.hide()
        side.addWidget(self.settled_button)
        self.not_yet_button = button(T("&Not yet"))
        self.not_yet_button.setObjectName("not-yet")
        self.not_yet_button.clicked.connect(self.not_yet)
        self.not_yet_button.hide()
        side.addWidget(self.not_yet_button)
        body.addLayout(side, 2)
        column.addLayout(body, 1)

        # The cue against arching: always on screen, framed, with a tick.
        self.cue_box = QFrame()
        self.cue_box.setObjectName("cue-box")
        cue_row = QHBoxLayout(self.cue_box)
        pad = round(12 * sizes["scale"] ** 0.5)
        cue_row.setContentsMargins(pad + 4, pad, pad + 4, pad)
        cue_row.setSpacing(pad + 4)
        tick_size = round(QFontMetricsF(self._font_pt(sizes["cue"])).height() * 1.3)
        self.cue_tick = TickMark(tick_size)
        cue_row.addWidget(self.cue_tick, 0, Qt.AlignmentFlag.AlignVCenter)
        self.cue = FitText(
            sizes["cue"],
            sizes["cue_min"],
            align=Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
        )
        self.cue.setObjectName("cue")
        cue_row.addWidget(self.cue, 1)
        column.addWidget(self.cue_box)

        progress_row = QHBoxLayout()
        self.progress = QProgressBar()
        self.progress.setObjectName("progress")
        self.progress.setRange(0, 1000)
        self.progress.setTextVisible(False)
        self.progress.setAccessibleName(T("Progress through the routine"))
        progress_row.addWidget(self.progress, 1)
        self.time_left = label("", None, wrap=False)
        self.time_left.setObjectName("time-left")
        progress_row.addWidget(self.time_left)
        column.addLayout(progress_row)

        controls = QHBoxLayout()
        controls.setSpacing(round(10 * sizes["scale"] ** 0.5))
        self.pause_button = self._control(
            T("Start"), "primary", QStyle.StandardPixmap.SP_MediaPlay, T("Start (Space)")
        )
        self.pause_button.setObjectName("pause")
        self.pause_button.clicked.connect(self.toggle_pause)
        self.back_button = self._control(
            T("Back"), None, QStyle.StandardPixmap.SP_MediaSkipBackward, T("Back (Left arrow)")
        )
        self.back_button.setObjectName("back")
        self.back_button.clicked.connect(self.back)
        self.skip_button = self._control(
            T("Skip"), None, QStyle.StandardPixmap.SP_MediaSkipForward, T("Skip (Right arrow)")
        )
        self.skip_button.setObjectName("skip")
        self.skip_button.clicked.connect(self.skip)
        self.end_button = self._control(
            T("End session"), None, QStyle.StandardPixmap.SP_MediaStop, T("End the session (Esc)")
        )
        self.end_button.setObjectName("end")
        self.end_button.clicked.connect(self.request_end)
        for b in (self.pause_button, self.back_button, self.skip_button, self.end_button):
            controls.addWidget(b)
        controls.addStretch(1)
        self.stop_button = button(STOP_BUTTON.get(self._lang), "danger")
        self.stop_button.setObjectName("stop-hurts")
        self.stop_button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.stop_button.clicked.connect(self.stop_this_hurts)
        controls.addWidget(self.stop_button)
        column.addLayout(controls)
        for widget in (
            self.done_button,
            self.symptoms_button,
            self.settled_button,
            self.not_yet_button,
        ):
            # Clicks must not take the keyboard focus: Space keeps its meaning.
            widget.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        return page

    def _font_pt(self, points: float) -> QFont:
        font = QFont(QApplication.font())
        font.setPointSizeF(points)
        font.setBold(True)
        return font

    def _control(
        self, text: str, role: str | None, icon: QStyle.StandardPixmap, accessible: str
    ) -> QPushButton:
        widget = button(text, role, accessible=accessible)
        widget.setProperty("player", "control")
        widget.setIcon(self.style().standardIcon(icon))
        side = round(28 * self._sizes()["scale"] ** 0.6)
        widget.setIconSize(QSize(side, side))
        widget.setToolTip(accessible)
        # Clicks must not take the keyboard focus: Space keeps meaning pause/resume.
        widget.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        return widget

    # -- commands ------------------------------------------------------------------
    def start(self) -> None:
        if self._runner.state is not State.READY:
            return
        self.cues.prepare()
        self._after(self._runner.start())

    def toggle_pause(self) -> None:
        state = self._runner.state
        if state is State.READY:
            self.start()
        elif state is State.PAUSED:
            self.resume()
        elif state in (State.RUNNING, State.WAITING_FOR_TAP, State.WAITING_TO_SETTLE):
            self.pause()

    def pause(self) -> None:
        self._after(self._runner.pause())

    def resume(self) -> None:
        self._after(self._runner.resume())

    def skip(self) -> None:
        self._after(self._runner.skip())

    def back(self) -> None:
        self._after(self._runner.back())

    def done(self) -> None:
        """The person finished a self-paced rep (the Done button or Space)."""
        self._after(self._runner.tap())

    def mark_symptoms(self) -> None:
        self._after(self._runner.mark_symptoms())

    def settled(self) -> None:
        """ "Better, walk on": the symptoms settled in the walking break."""
        self._after(self._runner.settled())

    def not_yet(self) -> None:
        """ "Not yet": keep resting; Coach asks again in a while."""
        self._after(self._runner.not_yet())

    def request_end(self) -> None:
        """Esc or the End button: pause and ask before ending."""
        if self._over():
            return
        self._pause_for_dialog()
        dialog = self.end_dialog_class(self, self._lang)  # type: ignore[call-arg]
        dialog.confirmed.connect(self.end_session)  # type: ignore[attr-defined]
        dialog.rejected.connect(self._on_end_dialog_rejected)  # type: ignore[attr-defined]
        dialog.open()  # type: ignore[attr-defined]

    def end_session(self) -> None:
        """End now without asking (also for the main window when it closes)."""
        self._after(self._runner.stop(ENDED_EARLY))

    def stop_this_hurts(self) -> None:
        """Pause at once, then ask what happened."""
        if self._over():
            return
        self._after(self._runner.pause())
        self._paused_by_dialog = False  # the person resumes by hand after a scare
        dialog = self.stop_dialog_class(self, self._lang)  # type: ignore[call-arg]
        dialog.chosen.connect(self._on_stop_reason_chosen)  # type: ignore[attr-defined]
        dialog.rejected.connect(self._on_stop_dialog_rejected)  # type: ignore[attr-defined]
        dialog.open()  # type: ignore[attr-defined]

    def tick(self) -> None:
        """Wake-up at a deadline: let the runner catch up, repaint, re-arm."""
        self._after(self._runner.update())

    # -- keyboard ------------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.isAutoRepeat():
            event.accept()
            return
        key = event.key()
        if key == Qt.Key.Key_Space:
            if self._runner.state is State.WAITING_FOR_TAP:
                self.done()
            else:
                self.toggle_pause()
        elif key == Qt.Key.Key_P:
            self.toggle_pause()
        elif key == Qt.Key.Key_Right:
            self.skip()
        elif key == Qt.Key.Key_Left:
            self.back()
        elif key == Qt.Key.Key_Escape:
            self.request_end()
        elif not self._answer_key(event):
            super().keyPressEvent(event)
            return
        event.accept()

    def _answer_key(self, event: QKeyEvent) -> bool:
        """The walking break's answers by their underlined letter, with or without Alt.

        Alt+letter is the button's own shortcut; the plain letter is here too
        because an older hand rarely finds two keys at once.
        """
        if not self._runner.settling:
            return False
        modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if modifiers not in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.AltModifier):
            return False
        for answer in (self.settled_button, self.not_yet_button):
            sequence = answer.shortcut()
            if sequence.isEmpty() or not (answer.isVisible() and answer.isEnabled()):
                continue
            key = event.keyCombination().key()
            pressed = QKeySequence(QKeyCombination(Qt.KeyboardModifier.AltModifier, key))
            if sequence.matches(pressed) is QKeySequence.SequenceMatch.ExactMatch:
                answer.click()
                return True
        return False

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- reacting ------------------------------------------------------------------
    def _after(self, events: Sequence[Event]) -> None:
        for event in events:
            if isinstance(event, StepFinished):
                self._record(self._save_step, event.result)
            elif isinstance(event, Paused):
                self._suspended = event.suspend_gap_s is not None
                self.cues.silence()
            elif isinstance(event, Resumed):
                self._suspended = False
            elif isinstance(event, SymptomsMarked):
                self.symptoms_button.setText(
                    T("Noted at {time}").format(time=format_clock(event.seconds_into_bout))
                )
                self.symptoms_button.setEnabled(False)
            elif isinstance(event, SettleAsked):
                self.cues.say(T("Have your symptoms settled?"))
            elif isinstance(event, NotYetSettled):
                self.setFocus()  # Space goes back to pausing, not to the answer
            elif isinstance(event, SessionFinished):
                self._end(OUTCOME_COMPLETED, None)
            elif isinstance(event, SessionStopped):
                if event.reason == ENDED_EARLY:
                    self._end(OUTCOME_ENDED_EARLY, None)
                else:
                    self._end(OUTCOME_STOPPED, event.reason)
            elif isinstance(event, StepStarted):
                # Also a step started again (Back): show and announce it afresh.
                self._cued_step = None
                self._shown_step = None
        if not self._over():
            self._cue()
        self._refresh()
        self._arm()

    def _cue(self) -> None:
        state = self._runner.state
        if state not in (State.RUNNING, State.WAITING_FOR_TAP, State.WAITING_TO_SETTLE):
            return
        step = self._runner.current_step
        if self._cued_step != step.index:
            self._cued_step = step.index
            self.cues.step_started(step, self.plan.title_of(step.exercise_id, self._lang))
        remaining = math.ceil(self._runner.remaining_in_step() - 1e-6)
        self.cues.second(step, self._runner.elapsed_in_step(), remaining)

    def _save_step(self, result: StepResult) -> None:
        if self._recorder is not None:
            self._recorder.step_finished(result)

    def _save_end(self, outcome: str, reason: str | None) -> None:
        if self._recorder is not None:
            self._recorder.session_ended(outcome, reason)

    def _record(self, call: Callable[..., None], *args: object) -> None:
        """Save, and if saving fails say so once, calmly: the session goes on."""
        try:
            call(*args)
        except Exception as exc:
            if self._save_error is None:
                why = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
                self._save_error = why
                self.banner.setText(
                    T("Your progress could not be saved: {why}. The session goes on.").format(
                        why=why
                    )
                )
                self.banner.show()

    def _over(self) -> bool:
        return self._runner.state in (State.FINISHED, State.STOPPED)

    def _pause_for_dialog(self) -> None:
        before = self._runner.state
        self._after(self._runner.pause())
        self._paused_by_dialog = before in (
            State.RUNNING,
            State.WAITING_FOR_TAP,
            State.WAITING_TO_SETTLE,
        )

    def _on_end_dialog_rejected(self) -> None:
        if self._paused_by_dialog and self._runner.state is State.PAUSED:
            self.resume()
        self._paused_by_dialog = False
        self.setFocus()

    def _on_stop_dialog_rejected(self) -> None:
        # Nothing wrong after all: the session stays paused until Resume.
        self.setFocus()

    def _on_stop_reason_chosen(self, reason: str) -> None:
        self._after(self._runner.stop(reason))

    def _on_app_state_changed(self, _state: Qt.ApplicationState) -> None:
        # Only a repaint (and a catch-up after the computer woke); losing the
        # focus must not pause: the person may glance at another window.
        if not self._over():
            self.tick()

    # -- timers ----------------------------------------------------------------------
    def _arm(self) -> None:
        deadline = None if self._over() else self._runner.next_deadline()
        if deadline is None:
            self._timer.stop()
        else:
            ms = max(0, math.ceil((deadline - self._clock()) * 1000))
            self._timer.start(ms)
        if self._animating():
            if not self._animation.isActive():
                self._animation.start(ANIMATION_MS)
        else:
            self._animation.stop()

    def _animating(self) -> bool:
        state = self._runner.state
        if state not in (State.RUNNING, State.WAITING_FOR_TAP, State.WAITING_TO_SETTLE):
            return False
        return _moving(self._runner.current_step)

    def _on_animation_timeout(self) -> None:
        if not self._animating():
            return
        self._show_figure(self._runner.current_step)
        self._animation.start(ANIMATION_MS)

    # -- painting ----------------------------------------------------------------------
    def _show_figure(self, step: Step) -> None:
        t = pose_t(step, self._runner.elapsed_in_step())
        mirror = step.side is not None and step.side.value == "left"
        self.figure.show_pose(step.exercise_id, t, mirror)

    def _refresh(self) -> None:
        if self._over():
            return
        runner = self._runner
        step = runner.current_step
        state = runner.state
        if self._shown_step != step.index:
            self._shown_step = step.index
            self._show_step(step)
        self._show_figure(step)
        paused = state is State.PAUSED
        waiting = state is State.WAITING_FOR_TAP or (paused and step.self_paced)
        settling = runner.settling
        resting = runner.elapsed_in_step()
        number = not settling or self._text_scale < SETTLE_NUMBER_MAX_SCALE
        self.countdown.setVisible(number)
        if settling:
            self.countdown.set_text(count_up_text(resting), muted=True)
            self.countdown.setAccessibleName(
                T("Resting for {time}").format(time=format_clock(math.floor(resting + 1e-6)))
            )
        elif step.self_paced:
            self.countdown.set_text(count_up_text(runner.elapsed_in_step()), muted=True)
            self.countdown.setAccessibleName(
                T("{n} seconds so far").format(n=math.floor(runner.elapsed_in_step()))
            )
        else:
            remaining = runner.remaining_in_step()
            self.countdown.set_text(countdown_text(remaining), muted=paused)
            self.countdown.setAccessibleName(
                T("{n} seconds left").format(n=math.ceil(remaining - 1e-6))
            )
        if state is State.READY:
            caption = T("Press Start to begin")
        elif settling and number:
            caption = T("Resting so far")
        elif settling:
            rested = math.floor(resting + 1e-6)  # counting up: whole seconds
            caption = T("Resting for {time}").format(time=format_clock(rested))
        else:
            caption = T("Time so far") if step.self_paced else T("Time left")
        self._set_text(self.caption, caption)
        self.done_button.setVisible(waiting)
        self.done_button.setEnabled(not paused)
        self._show_settling(settling, paused)
        self.paused_label.setVisible(paused)
        if paused:
            self._set_text(
                self.paused_label,
                T("Paused – the computer was asleep") if self._suspended else T("Paused"),
            )
        self._show_pause_button(state)
        # While the break waits for the answer there is no way round it.
        self.back_button.setVisible(state is not State.READY and not settling)
        self.skip_button.setVisible(state is not State.READY and not settling)
        value = round(runner.progress * 1000)
        if self.progress.value() != value:
            self.progress.setValue(value)
        left = runner.remaining_total()
        self._set_text(self.time_left, minutes_left_text(left))
        self.progress.setAccessibleDescription(self.time_left.text())

    def _show_step(self, step: Step) -> None:
        lang = self._lang
        self._set_text(self.title, self.plan.title_of(step.exercise_id, lang))
        self._set_text(self.position, position_text(step))
        self._set_text(self.instruction, step.instruction.get(lang))
        cue = step.cue.get(lang) if step.cue else FALLBACK_CUE[1 if lang == "de" else 0]
        self._set_text(self.cue, cue)
        self.cue_box.setAccessibleName(T("Remember: {cue}").format(cue=cue))
        walking = step.phase is Phase.WALK
        self.symptoms_button.setVisible(walking)
        if walking:
            self.symptoms_button.setText(T("Symptoms started"))
            self.symptoms_button.setEnabled(True)

    def _show_settling(self, settling: bool, paused: bool) -> None:
        """The walking break's question, or the plain instruction outside it."""
        asking = self._runner.asking_settled
        self.settled_button.setVisible(settling)
        self.settled_button.setEnabled(not paused)
        self.not_yet_button.setVisible(settling and asking)
        self.not_yet_button.setEnabled(not paused)
        step = self._runner.current_step
        if not settling:
            self._set_text(self.instruction, step.instruction.get(self._lang))
        elif asking:
            self._set_text(self.instruction, T("Have your symptoms settled?"))
        else:
            minutes = round(SETTLE_ASK_AGAIN_S / 60)
            self._set_text(
                self.instruction,
                T("Keep resting. Coach asks again in {n} minutes.").format(n=minutes),
            )

    def _show_pause_button(self, state: State) -> None:
        if state is State.READY:
            text, icon, name = T("Start"), QStyle.StandardPixmap.SP_MediaPlay, T("Start (Space)")
        elif state is State.PAUSED:
            text, icon, name = T("Resume"), QStyle.StandardPixmap.SP_MediaPlay, T("Resume (Space)")
        else:
            text, icon, name = T("Pause"), QStyle.StandardPixmap.SP_MediaPause, T("Pause (Space)")
        if self.pause_button.text() != text:
            self.pause_button.setText(text)
            self.pause_button.setIcon(self.style().standardIcon(icon))
            self.pause_button.setAccessibleName(name)
            self.pause_button.setToolTip(name)
            primary = state in (State.READY, State.PAUSED)
            self.pause_button.setProperty("role", "primary" if primary else None)
            self.pause_button.style().unpolish(self.pause_button)
            self.pause_button.style().polish(self.pause_button)

    @staticmethod
    def _set_text(widget: QLabel | FitText, text: str) -> None:
        if widget.text() != text:
            widget.setText(text)

    # -- the end ------------------------------------------------------------------------
    def _end(self, outcome: str, reason: str | None) -> None:
        if self._outcome is not None:
            return
        self._outcome = (outcome, reason)
        self._timer.stop()
        self._animation.stop()
        self._record(self._save_end, outcome, reason)
        # Announced before the end screen is built: this is the moment it ended.
        self.session_ended.emit(outcome, reason)
        if outcome == OUTCOME_COMPLETED:
            self.cues.session_ended(T("Well done. The session is finished."))
        else:
            self.cues.close()
        self._show_end_page(outcome, reason)

    def _show_end_page(self, outcome: str, reason: str | None) -> None:
        layout = self._end_layout
        margin = round(40 * self._sizes()["scale"] ** 0.5)
        layout.setContentsMargins(margin, margin, margin, margin)
        layout.setSpacing(round(18 * self._sizes()["scale"] ** 0.5))
        if self._save_error is not None:
            note = label(
                T("Some of this session could not be saved: {why}.").format(why=self._save_error),
                None,
            )
            note.setObjectName("banner")
            layout.addWidget(note)
        minutes = self._runner.elapsed_active() / 60
        if minutes >= 1:
            practised = T("You practised for {n} minutes.").format(n=round(minutes))
        else:
            practised = T("You practised for {n} seconds.").format(
                n=round(self._runner.elapsed_active())
            )
        if outcome == OUTCOME_STOPPED and reason is not None:
            self._stop_advice(layout, reason)
        else:
            layout.addStretch(1)
            heading = T("Well done") if outcome == OUTCOME_COMPLETED else T("Session ended")
            title = label(heading, None)
            title.setObjectName("end-title")
            title.setAlignment(Qt.AlignmentFlag.AlignCenter)
            layout.addWidget(title)
            for text in (practised, T("Take your time getting up.")):
                line = label(text, None)
                line.setObjectName("end-text")
                line.setAlignment(Qt.AlignmentFlag.AlignCenter)
                layout.addWidget(line)
            layout.addStretch(1)
        close = button(T("Close"), "primary")
        close.setObjectName("close")
        close.setDefault(True)
        close.clicked.connect(self.close_player)
        self._end_outer.setContentsMargins(0, 0, 0, margin)
        self._end_outer.addWidget(close, 0, Qt.AlignmentFlag.AlignHCenter)
        self.close_button = close
        self.pages.setCurrentWidget(self.end_page)
        close.setFocus()

    def _stop_advice(self, layout: QVBoxLayout, reason: str) -> None:
        try:
            stop_reason = StopReason(reason)
        except ValueError:
            stop_reason = StopReason.OTHER
        title = label(T("The session is stopped"), None)
        title.setObjectName("end-title")
        layout.addWidget(title)
        if stop_is_emergency(stop_reason):
            # The number itself, as big as the countdown was: no searching for it.
            call = label(
                T("Emergency number: {number}").format(number=self._emergency_number),
                "caution",
            )
            call.setObjectName("emergency")
            call.setAlignment(Qt.AlignmentFlag.AlignCenter)
            call.setAccessibleName(
                T("Emergency number: {number}").format(number=self._emergency_number)
            )
            layout.addWidget(call)
        advice = label(stop_advice(stop_reason, self._emergency_number).get(self._lang), None)
        advice.setObjectName("end-text")
        layout.addWidget(advice)
        layout.addStretch(1)

    def close_player(self) -> None:
        """The end screen's Close: hand back to the main window."""
        if self._outcome is None:
            return
        self.finished.emit(*self._outcome)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.WindowActivate and not self._over():
            self.setFocus()
        return super().event(event)


__all__ = [
    "ENDED_EARLY",
    "OUTCOME_COMPLETED",
    "OUTCOME_ENDED_EARLY",
    "OUTCOME_STOPPED",
    "EndSessionDialog",
    "PlayerView",
    "Recorder",
    "StopReasonDialog",
    "countdown_text",
    "minutes_left_text",
    "pose_t",
    "position_text",
]
