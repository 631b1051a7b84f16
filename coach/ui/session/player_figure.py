"""The exercise picture in the player: a pose at any point of the movement, mirrored for the
left side."""

from __future__ import annotations

import importlib
import zlib
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QByteArray, QRect, QRectF, QSize, QSizeF
from PySide6.QtGui import QImage, QPainter, QPaintEvent
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QWidget

from coach.core.content.library import Library
from coach.core.session.plan import Frame, Phase, Step
from coach.ui.widgets import FigureView

SELF_PACED_CYCLE_S = 4.0
"""A self-paced rep has no clock to follow: the figure loops start -> end -> start."""


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
        # The base class reads a clinic's PNG or JPEG into the same ``_image``
        # this widget paints, with the size fence and the camera's rotation;
        # loading it here and then calling ``set_file(None)`` wiped it again.
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
