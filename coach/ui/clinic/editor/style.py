"""The editor's look and the small form pieces its parts share.

The editor page, its dialogs and the clinic's assignment view mark errors,
panes and number steppers the same way, so the style sheet and the helpers
that set those roles live together, apart from any one screen.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDoubleSpinBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from coach.ui.i18n import T
from coach.ui.widgets import FigureView, label


def editor_style() -> str:
    """The editor's additions to the app's style, in the app's palette (normal or contrast)."""
    from PySide6.QtWidgets import QApplication

    from coach.ui.theme import PALETTES

    app = QApplication.instance()
    sheet = app.styleSheet() if isinstance(app, QApplication) else ""
    c = PALETTES["contrast" if PALETTES["contrast"]["accent"] in sheet else "normal"]
    return f"""
QLabel[role="error"] {{ color: {c["warn"]}; font-weight: bold; }}
QLabel[role="hint"] {{ color: {c["muted"]}; }}
QFrame[role="pane"] {{ border: 2px solid {c["border"]}; border-radius: 12px; }}
QFrame[role="pane"] QLabel, QFrame[role="pane"] QCheckBox {{ border: none; }}
QListView, QListWidget {{ background: {c["panel"]}; }}
QPlainTextEdit {{
  background: {c["panel"]}; border: 2px solid {c["border"]}; border-radius: 8px; padding: 4px;
}}
QPlainTextEdit:focus {{ border-color: {c["accent"]}; }}
QListView::item, QListWidget::item {{ padding: 6px; border-bottom: 1px solid {c["border"]}; }}
QListView::item:selected, QListWidget::item:selected {{
  background: {c["accent_soft"]}; color: {c["text"]}; border-left: 4px solid {c["accent"]};
}}
QListWidget::indicator {{ width: 1.2em; height: 1.2em; }}
QTableWidget {{ background: {c["panel"]}; gridline-color: {c["border"]}; }}
QTableWidget::item {{ padding: 4px 8px; }}
QTableWidget::item:selected {{ background: {c["accent_soft"]}; color: {c["text"]}; }}
QHeaderView::section {{
  background: {c["nav"]}; color: {c["text"]}; padding: 6px 8px; border: none;
  border-bottom: 2px solid {c["border"]}; font-weight: bold;
}}
QCheckBox::indicator:unchecked {{
  border: 2px solid {c["muted"]}; border-radius: 4px; background: {c["panel"]};
}}
QPushButton[role="day"] {{ min-width: 2.2em; padding: 4px 4px; }}
QPushButton[role="day"]:checked {{
  background: {c["accent"]}; color: {c["accent_text"]}; border-color: {c["accent"]};
  font-weight: bold;
}}
QPushButton[role="step"] {{ min-width: 1.6em; max-width: 2.2em; padding: 2px; font-weight: bold; }}
QDoubleSpinBox {{
  background: {c["panel"]}; border: 2px solid {c["border"]}; border-radius: 8px; padding: 8px;
  min-height: 1.4em;
}}
QDateEdit {{
  background: {c["panel"]}; border: 2px solid {c["border"]}; border-radius: 8px; padding: 8px;
  min-height: 1.4em;
}}
QSpinBox::up-button, QSpinBox::down-button,
QDoubleSpinBox::up-button, QDoubleSpinBox::down-button {{ width: 0px; border: none; }}
"""


# The editor shows exercise pictures with the app's one picture widget.
PictureView = FigureView


def error_label(name: str) -> QLabel:
    widget = label("", "error")
    widget.setObjectName(f"error-{name}")
    widget.hide()
    return widget


def show_error(widget: QLabel, message: str | None) -> None:
    """Red text with a ✗ mark: the mark and the words carry it, not the colour."""
    if message:
        widget.setText("✗ " + message)
        widget.setAccessibleName(message)
        widget.show()
    else:
        widget.clear()
        widget.hide()


def set_text(widget: QLineEdit, text: str) -> None:
    if widget.text() != text:
        widget.setText(text)


def spin(low: int, high: int, suffix: str = "", name: str = "") -> QSpinBox:
    box = QSpinBox()
    box.setRange(low, high)
    box.setSuffix(suffix)
    box.setAccessibleName(name)
    box.setKeyboardTracking(False)
    box.setAlignment(Qt.AlignmentFlag.AlignCenter)
    return box


def stepper(box: QSpinBox | QDoubleSpinBox, name: str) -> QWidget:
    """A number field with large − and + buttons beside it (the arrows are tiny).

    The field's own arrows are hidden by the style sheet (``width: 0``): turning
    them off with NoButtons makes the styled field lose its text.
    """
    box.setAlignment(Qt.AlignmentFlag.AlignCenter)
    holder = QWidget()
    holder.setFocusProxy(box)
    row = QHBoxLayout(holder)
    row.setContentsMargins(0, 0, 0, 0)
    row.setSpacing(4)
    row.addWidget(box, 1)
    for text, step, what in (("−", -1, T("Less")), ("+", 1, T("More"))):
        b = QPushButton(text)
        b.setProperty("role", "step")
        b.setAccessibleName(f"{what}: {name}")
        b.setAutoRepeat(True)
        b.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the field itself takes the arrow keys
        b.clicked.connect(lambda _=False, s=step: box.stepBy(s))
        row.addWidget(b)
    return holder


def pane(title: str) -> tuple[QFrame, QVBoxLayout]:
    frame = QFrame()
    frame.setProperty("role", "pane")
    box = QVBoxLayout(frame)
    box.setContentsMargins(14, 12, 14, 12)
    box.setSpacing(8)
    box.addWidget(label(title, "h2"))
    return frame, box


def scrolled(widget: QWidget) -> QScrollArea:
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidget(widget)
    return area
