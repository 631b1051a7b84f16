"""Small building blocks shared by the views: labels with roles, cards, pictures,
and the one rule for the mouse wheel over fields (:class:`WheelGuard`)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QEvent, QIODevice, QObject, QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QImage,
    QImageReader,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QWheelEvent,
)
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QAbstractSlider,
    QAbstractSpinBox,
    QApplication,
    QCheckBox,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollBar,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)


def label(text: str = "", role: str | None = None, *, wrap: bool = True) -> QLabel:
    widget = QLabel(text)
    if role:
        widget.setProperty("role", role)
    widget.setWordWrap(wrap)
    widget.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return widget


class _CheckText(QLabel):
    """The wrapping text of a check box; clicking it ticks the box, as a box's own text does."""

    def __init__(self, text: str, box: QCheckBox) -> None:
        super().__init__(text)
        self._box = box
        self.setWordWrap(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self._box.isEnabled():
            self._box.toggle()
        super().mousePressEvent(event)


def check_box(text: str, *, indent: int = 0) -> tuple[QWidget, QCheckBox]:
    """A check box whose text wraps, and the row to put in a layout.

    A QCheckBox's own text never wraps: a long question at 200 % text made
    its whole page wider than the window, cut off on the right.
    """
    box = QCheckBox()
    box.setAccessibleName(text)
    row = QWidget()
    layout = QHBoxLayout(row)
    layout.setContentsMargins(indent, 0, 0, 0)
    layout.addWidget(box, 0, Qt.AlignmentFlag.AlignTop)
    layout.addWidget(_CheckText(text, box), 1)
    return row, box


def button(text: str, role: str | None = None, *, accessible: str | None = None) -> QPushButton:
    widget = QPushButton(text)
    if role:
        widget.setProperty("role", role)
    widget.setAccessibleName(accessible or text.replace("&", ""))
    widget.setCursor(Qt.CursorShape.PointingHandCursor)
    return widget


def card() -> tuple[QFrame, QVBoxLayout]:
    frame = QFrame()
    frame.setProperty("role", "card")
    layout = QVBoxLayout(frame)
    layout.setContentsMargins(20, 16, 20, 16)
    layout.setSpacing(10)
    return frame, layout


def clear_layout(layout: QVBoxLayout | QHBoxLayout | QGridLayout) -> None:
    while layout.count():
        item = layout.takeAt(0)
        if item is None:
            break
        widget = item.widget()
        inner = item.layout()
        if widget is not None:
            # Hidden now: deleteLater only acts when the event loop comes round,
            # and until then the old page would show through the new one.
            widget.hide()
            widget.deleteLater()
        elif isinstance(inner, QVBoxLayout | QHBoxLayout | QGridLayout):
            clear_layout(inner)


RASTER_SUFFIXES = (".png", ".jpg", ".jpeg")
MAX_PICTURE_PIXELS = 4096 * 4096


def read_picture(path: Path | None = None, data: bytes | None = None) -> QImage | None:
    """A PNG/JPEG picture, refusing absurd sizes before decoding (files come from clinics)."""
    if data is not None:
        buffer = QBuffer()
        buffer.setData(QByteArray(data))
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        reader = QImageReader(buffer)
    elif path is not None:
        reader = QImageReader(str(path))
    else:
        return None
    size = reader.size()
    if not size.isValid() or size.width() * size.height() > MAX_PICTURE_PIXELS:
        return None
    reader.setAllocationLimit(128)  # MB: a second fence behind the size check
    reader.setAutoTransform(True)
    image = reader.read()
    return None if image.isNull() else image


def draw_fitted(
    painter: QPainter,
    area: QRectF,
    width: int,
    height: int,
    draw: Callable[[QPainter, QRectF], None],
) -> None:
    """Call ``draw`` with the largest rectangle of the picture's shape inside ``area``."""
    ratio = width / height if height > 0 and width > 0 else 4 / 3
    w = min(area.width(), area.height() * ratio)
    h = w / ratio
    target = QRectF(area.x() + (area.width() - w) / 2, area.y() + (area.height() - h) / 2, w, h)
    draw(painter, target)


def picture_image(
    size: QSize, *, path: Path | None = None, data: bytes | None = None, svg: bool | None = None
) -> QImage:
    """The picture (SVG, PNG or JPEG) fitted into ``size`` on a transparent background."""
    image = QImage(size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    is_svg = svg if svg is not None else (path is not None and path.suffix.lower() == ".svg")
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    area = QRectF(0, 0, size.width(), size.height())
    if is_svg:
        renderer = QSvgRenderer()
        ok = renderer.load(QByteArray(data)) if data is not None else renderer.load(str(path))
        if ok and renderer.isValid():
            default = renderer.defaultSize()
            draw_fitted(painter, area, default.width(), default.height(), renderer.render)
    else:
        raster = read_picture(path, data)
        if raster is not None:

            def draw(p: QPainter, target: QRectF) -> None:
                p.drawImage(target, raster)

            draw_fitted(painter, area, raster.width(), raster.height(), draw)
    painter.end()
    return image


class FigureView(QWidget):
    """An illustration drawn to fit; a neutral placeholder if the picture is missing.

    A missing or broken picture must never stop a session or a page, so this
    widget only ever degrades to the placeholder.
    """

    def __init__(self, parent: QWidget | None = None, *, minimum: QSize | None = None) -> None:
        super().__init__(parent)
        self._renderer = QSvgRenderer(self)
        self._image: QImage | None = None
        self._valid = False
        self.setMinimumSize(minimum or QSize(160, 120))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAccessibleName("Illustration")

    @property
    def valid(self) -> bool:
        return self._valid

    def set_file(self, path: Path | None) -> None:
        """An SVG illustration, or a clinic's own PNG/JPEG picture."""
        self._image = None
        if path is None or not path.is_file():
            self._valid = False
        elif path.suffix.lower() in RASTER_SUFFIXES:
            self._image = read_picture(path)
            self._valid = self._image is not None
        else:
            self._valid = self._renderer.load(str(path)) and self._renderer.isValid()
        self.update()

    def set_picture(
        self, *, path: Path | None = None, data: bytes | None = None, svg: bool = False
    ) -> None:
        """A picture from a file or from bytes (a clinic's picture not yet saved)."""
        if data is None:
            self.set_file(path)
            return
        self._image = None
        if svg or (path is not None and path.suffix.lower() == ".svg"):
            self._valid = self._renderer.load(QByteArray(data)) and self._renderer.isValid()
        else:
            self._image = read_picture(data=data)
            self._valid = self._image is not None
        self.update()

    def set_svg(self, svg: str | bytes) -> None:
        data = svg.encode("utf-8") if isinstance(svg, str) else svg
        self._valid = self._renderer.load(QByteArray(data)) and self._renderer.isValid()
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(400, 300)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return int(width * 0.75)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        area = QRectF(self.rect()).adjusted(2, 2, -2, -2)
        if self._valid and self._image is not None:
            size = (
                self._image.size().toSizeF().scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
            )
            target = QRectF(area.topLeft(), size)
            target.moveCenter(area.center())
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            painter.drawImage(target, self._image)
        elif self._valid:
            default = self._renderer.defaultSize()
            ratio = default.width() / default.height() if default.height() else 4 / 3
            w = min(area.width(), area.height() * ratio)
            h = w / ratio
            target = QRectF(
                area.x() + (area.width() - w) / 2, area.y() + (area.height() - h) / 2, w, h
            )
            self._renderer.render(painter, target)
        else:
            self._paint_placeholder(painter, area)
        painter.end()

    @staticmethod
    def _paint_placeholder(painter: QPainter, area: QRectF) -> None:
        painter.setPen(QPen(QColor("#b5b1a7"), 2, Qt.PenStyle.DashLine))
        painter.setBrush(QColor("#efece5"))
        painter.drawRoundedRect(area, 12, 12)
        # A plain head-and-shoulders outline: says "picture of a person goes here".
        s = min(area.width(), area.height()) / 4
        cx, cy = area.center().x(), area.center().y()
        painter.setPen(QPen(QColor("#9d998f"), 3))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawEllipse(QRectF(cx - s / 3, cy - s, 2 * s / 3, 2 * s / 3))
        body = QPainterPath()
        body.moveTo(cx - s * 0.8, cy + s * 0.9)
        body.quadTo(cx, cy - s * 0.5, cx + s * 0.8, cy + s * 0.9)
        painter.drawPath(body)


def _wheel_field(widget: QObject) -> QWidget | None:
    """The field a wheel over ``widget`` would change: a spin box or date (also
    under its text part), a combo box, a slider; None for anything else."""
    for candidate in (widget, widget.parent()):
        if isinstance(candidate, QAbstractSpinBox | QComboBox):
            return candidate
        if isinstance(candidate, QAbstractSlider) and not isinstance(candidate, QScrollBar):
            return candidate
    return None


def _has_focus(field: QWidget) -> bool:
    focused = QApplication.focusWidget()
    return focused is not None and (focused is field or field.isAncestorOf(focused))


class WheelGuard(QObject):
    """The mouse wheel scrolls the page; it changes a field only once the person is in it.

    Qt turns the wheel over any spin box, date, combo box or slider into a new
    value, and gives the field focus as it does so. A physiotherapist
    scrolling down the editor would change the dose under the pointer, a
    person scrolling the measures page a date, without noticing. One filter on
    the application does it for every window and dialog, also those built
    later: a field without focus hands the wheel to the nearest scroll area
    around it (or to nobody), and no field takes focus from the wheel.
    """

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.Polish:
            field = _wheel_field(watched)
            if field is not None and field.focusPolicy() == Qt.FocusPolicy.WheelFocus:
                field.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            return False
        if kind != QEvent.Type.Wheel or not isinstance(event, QWheelEvent):
            return False
        field = _wheel_field(watched)
        if field is None or _has_focus(field) or not field.isVisible():
            return False
        scroll_areas(field, event)
        event.accept()  # the field's parents must not get it a second time
        return True


def scroll_areas(field: QWidget, event: QWheelEvent) -> bool:
    """Scroll the scroll areas around ``field`` with ``event``, innermost first, until one moves."""
    global_pos = event.globalPosition()
    parent = field.parentWidget()
    while parent is not None:
        if isinstance(parent, QAbstractScrollArea):
            viewport = parent.viewport()
            moved = QWheelEvent(
                viewport.mapFromGlobal(global_pos),
                global_pos,
                event.pixelDelta(),
                event.angleDelta(),
                event.buttons(),
                event.modifiers(),
                event.phase(),
                event.inverted(),
                event.source(),
            )
            QApplication.sendEvent(viewport, moved)
            if moved.isAccepted():
                return True
        parent = parent.parentWidget()
    return False


def guard_wheel(app: QApplication) -> WheelGuard:
    """Install the application's :class:`WheelGuard` (once; later calls return it)."""
    existing = app.findChild(WheelGuard)
    if existing is not None:
        return existing
    guard = WheelGuard(app)
    app.installEventFilter(guard)
    return guard
