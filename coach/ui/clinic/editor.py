"""The routine editor of clinician mode, and the dialog for the clinic's own exercises.

A physiotherapist builds a patient's routine here in a few minutes: exercises
come from the library (search, category), each item gets its dose, the
schedule says how often, and the total time and the step timeline follow
every change. Every change is one step on an undo stack, so trying something
out costs nothing. Saving writes an ordinary routine file into the person's
routine folder, the same YAML ``coach validate`` checks.

The editor keeps its working copy as plain data (:class:`Draft`) and swaps
whole snapshots on undo and redo: a routine is small, and snapshots cannot get
out of step with the widgets the way hand-written inverse operations can.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import (
    QAbstractListModel,
    QByteArray,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QAction,
    QColor,
    QIcon,
    QKeySequence,
    QPixmap,
    QUndoCommand,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QBoxLayout,
    QCheckBox,
    QComboBox,
    QDialog,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from coach.core.clinic.handover import yaml_text
from coach.core.clinic.install import from_installed_plan
from coach.core.common.atomic import write_text_atomic
from coach.core.common.days import DAY_NAMES_LONG_EN, WEEK
from coach.core.common.paths import Paths
from coach.core.content.custom_exercise import (
    ExerciseDraft,
    PictureError,
    clinic_folder,
    draft_problems,
    read_picture,
    save_clinic_exercise,
    slug,
    unique_id,
)
from coach.core.content.files import FileProblems, load_document
from coach.core.content.library import Library
from coach.core.content.model import (
    DOSE_FIELDS,
    MAX_DURATION_S,
    MAX_HOLD_S,
    MAX_REPS,
    MAX_REST_S,
    MAX_SETS,
    Category,
    Dosage,
    Exercise,
    Routine,
    RoutineItem,
    Side,
    Tag,
)
from coach.core.content.records import Invalid
from coach.core.session.plan import build_plan, format_clock
from coach.ui.home.exercise_view import CATEGORY_NAMES
from coach.ui.i18n import T
from coach.ui.widgets import FigureView, button, label, picture_image


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


DAY_LABELS = {
    "mon": "Mo",
    "tue": "Tu",
    "wed": "We",
    "thu": "Th",
    "fri": "Fr",
    "sat": "Sa",
    "sun": "Su",
}
SIDE_LABELS = {
    Side.NONE: "No sides",
    Side.BOTH: "Each side (right, then left)",
    Side.ALTERNATE: "Sides take turns",
    Side.RIGHT: "Right side only",
    Side.LEFT: "Left side only",
}
ITEM_MIME = "application/x-coach-routine-rows"
HOLD_TIP_ITEMS = 6
"""More exercises than this: a gentle hint (Henry 1999: 2 were done better than 8)."""


# --------------------------------------------------------------------------
# Pictures: SVG, PNG and JPEG alike
# --------------------------------------------------------------------------


def exercise_icon(library: Library, exercise_id: str, size: QSize | None = None) -> QIcon:
    path = library.illustration(exercise_id, "end")
    size = size or QSize(96, 72)
    return QIcon(QPixmap.fromImage(picture_image(size * 2, path=path)))


# The editor shows exercise pictures with the app's one picture widget.
PictureView = FigureView


# --------------------------------------------------------------------------
# The working copy
# --------------------------------------------------------------------------


@dataclass
class Draft:
    """The routine being edited, as plain data; a key in an item dict = a set field."""

    title: dict[str, str] = field(default_factory=lambda: {"en": ""})
    description: dict[str, str] = field(
        default_factory=lambda: {
            "en": "Your exercises from your physiotherapist.",
            "de": "Ihre Übungen von Ihrer Physiotherapeutin oder Ihrem Physiotherapeuten.",
        }
    )
    times_per_day: int = 1
    days: list[str] = field(default_factory=lambda: list(WEEK))
    schedule_text: dict[str, str] | None = None
    items: list[dict[str, Any]] = field(default_factory=list)
    allow_extension: list[str] = field(default_factory=list)
    allowed_by: str = ""
    chair_only: bool = False

    @classmethod
    def from_routine(cls, routine: Routine) -> Draft:
        items = []
        for item in routine.items:
            data = item.to_data(drop_default_none=True)
            items.append(data)
        return cls(
            title=dict(routine.title.root),
            description=dict(routine.description.root),
            times_per_day=routine.schedule.times_per_day,
            days=list(routine.schedule.days),
            schedule_text=dict(routine.schedule.text.root) if routine.schedule.text else None,
            items=items,
            allow_extension=list(routine.permissions.allow_extension),
            allowed_by=routine.permissions.allowed_by or "",
            chair_only=routine.chair_only,
        )

    def data(self, routine_id: str) -> dict[str, Any]:
        schedule: dict[str, Any] = {
            "times_per_day": self.times_per_day,
            "days": [d for d in WEEK if d in self.days],
        }
        if self.schedule_text:
            schedule["text"] = self.schedule_text
        permissions: dict[str, Any] = {"allow_extension": list(self.allow_extension)}
        if self.allowed_by.strip():
            permissions["allowed_by"] = self.allowed_by.strip()
        return {
            "id": routine_id,
            "title": _texts(self.title),
            "description": _texts(self.description),
            "items": [dict(i) for i in self.items],
            "schedule": schedule,
            "permissions": permissions,
            "chair_only": self.chair_only,
        }

    def routine(self, routine_id: str) -> Routine:
        """The Routine (raises Invalid when something is missing)."""
        return Routine.from_data(self.data(routine_id))

    def preview(self, routine_id: str) -> Routine | None:
        """A routine for the live total and timeline, even before the title is written."""
        data = self.data(routine_id)
        data["title"] = data["title"] or {"en": "(no name yet)"}
        data["description"] = data["description"] or {"en": "-"}
        data["schedule"]["days"] = data["schedule"]["days"] or list(WEEK)
        items = []
        for item in data["items"]:
            clean = dict(item)
            if "note" in clean and not (clean["note"] or {}).get("en"):
                clean.pop("note")
            items.append(clean)
        data["items"] = items
        try:
            return Routine.from_data(data)
        except Invalid:
            return None


def _texts(values: dict[str, str]) -> dict[str, str]:
    return {k: v.strip() for k, v in values.items() if v and v.strip()}


class SnapshotCommand(QUndoCommand):
    """One edit: the draft before and after; consecutive edits of one field merge."""

    def __init__(
        self, editor: RoutineEditor, before: Draft, after: Draft, text: str, merge_id: int
    ) -> None:
        super().__init__(text)
        self._editor = editor
        self.before = before
        self.after = after
        self._merge_id = merge_id

    def id(self) -> int:
        return self._merge_id

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, SnapshotCommand) or other.id() != self._merge_id:
            return False
        self.after = other.after
        return True

    def redo(self) -> None:
        self._editor._apply(copy.deepcopy(self.after))

    def undo(self) -> None:
        self._editor._apply(copy.deepcopy(self.before))


# --------------------------------------------------------------------------
# The routine's items: a list model that moves rows by drag and by keyboard
# --------------------------------------------------------------------------


class ItemsModel(QAbstractListModel):
    """The routine's exercises in order. Moves go through the editor (undo stack)."""

    move_requested = Signal(int, int)  # from row, to row (final position)

    def __init__(self, editor: RoutineEditor) -> None:
        super().__init__(editor)
        self._editor = editor

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex | None = None) -> int:
        return 0 if parent is not None and parent.isValid() else len(self._editor.draft.items)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._editor.draft.items):
            return None
        row = index.row()
        item = self._editor.draft.items[row]
        ex = self._editor.library.exercises.get(item.get("exercise", ""))
        lang = self._editor.lang
        title = ex.title.get(lang) if ex else str(item.get("exercise"))
        problem = self._editor.item_problem(row)
        if role == Qt.ItemDataRole.DisplayRole:
            mark = "✗ " if problem else ("⚠ " if ex is not None and ex.lumbar_extension else "")
            return f"{row + 1}. {mark}{title}\n{self._editor.dose_line(row)}"
        if role == Qt.ItemDataRole.DecorationRole:
            return self._editor.icon(item.get("exercise", ""))
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            text = f"{row + 1}. {title}: {self._editor.dose_line(row)}"
            return f"{text}. {problem}" if problem else text
        if role == Qt.ItemDataRole.ForegroundRole and problem:
            return QColor("#b3261e")
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.isValid():
            return base | Qt.ItemFlag.ItemIsDragEnabled
        return Qt.ItemFlag.ItemIsDropEnabled

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [ITEM_MIME]

    def mimeData(self, indexes: Any) -> QMimeData:
        mime = QMimeData()
        rows = sorted({i.row() for i in indexes if i.isValid()})
        mime.setData(ITEM_MIME, QByteArray(json.dumps(rows).encode("ascii")))
        return mime

    def canDropMimeData(
        self,
        data: QMimeData,
        action: Qt.DropAction,
        row: int,
        column: int,
        parent: QModelIndex | QPersistentModelIndex,
    ) -> bool:
        return data.hasFormat(ITEM_MIME)

    def dropMimeData(
        self,
        data: QMimeData,
        action: Qt.DropAction,
        row: int,
        column: int,
        parent: QModelIndex | QPersistentModelIndex,
    ) -> bool:
        """A drop between rows: the editor moves the item (one undo step).

        Returns False on purpose: the move is done, so the view must not also
        remove the dragged rows as it would after an accepted MoveAction.
        """
        if not data.hasFormat(ITEM_MIME):
            return False
        try:
            rows = json.loads(bytes(data.data(ITEM_MIME).data()).decode("ascii"))
        except ValueError:
            return False
        if not isinstance(rows, list) or len(rows) != 1 or not isinstance(rows[0], int):
            return False
        source = rows[0]
        count = len(self._editor.draft.items)
        if row < 0:
            row = parent.row() if parent.isValid() else count
        target = row if row <= source else row - 1
        target = max(0, min(count - 1, target))
        if target != source:
            self.move_requested.emit(source, target)
        return False

    def reset(self) -> None:
        self.beginResetModel()
        self.endResetModel()


class ItemsView(QListView):
    """The routine's list: Ctrl+Up/Down move the selected item, Delete removes it."""

    move_by = Signal(int)
    remove_pressed = Signal()

    def keyPressEvent(self, event: Any) -> None:
        ctrl = bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier)
        if ctrl and event.key() == Qt.Key.Key_Up:
            self.move_by.emit(-1)
            return
        if ctrl and event.key() == Qt.Key.Key_Down:
            self.move_by.emit(1)
            return
        if event.key() == Qt.Key.Key_Delete:
            self.remove_pressed.emit()
            return
        super().keyPressEvent(event)


# --------------------------------------------------------------------------
# Small form helpers
# --------------------------------------------------------------------------


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


# --------------------------------------------------------------------------
# The extension permission
# --------------------------------------------------------------------------


class ExtensionDialog(QDialog):
    """An explicit "allow for this patient" before an exercise that arches the back."""

    allowed = Signal(str)  # the clinician's name

    def __init__(self, exercise: Exercise, clinician: str, lang: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.setWindowTitle(T("Allow an exercise that arches the back?"))
        self.setMinimumWidth(620)
        layout = QVBoxLayout(self)
        layout.setSpacing(12)
        layout.addWidget(
            label(
                T("Allow “{title}” for this patient?").format(title=exercise.title.get(lang)), "h2"
            )
        )
        layout.addWidget(
            label(
                "⚠ "
                + T(
                    "This exercise arches the lower back (lumbar extension). Extension "
                    "narrows the spinal canal, so Coach leaves it out for people with spinal "
                    "stenosis. Allow it only for a patient who tolerates it; drop it if leg "
                    "symptoms do not settle within about a minute."
                ),
                "caution",
            )
        )
        layout.addWidget(
            label(T("The patient sees a caution with it, and the permission is kept in the plan."))
        )
        form = QFormLayout()
        self.who = QLineEdit(clinician)
        self.who.setAccessibleName(T("Allowed by"))
        self.who.setPlaceholderText(T("Your name"))
        form.addRow(T("Allowed by"), self.who)
        layout.addLayout(form)
        self.error = error_label("allowed-by")
        layout.addWidget(self.error)
        row = QHBoxLayout()
        row.addStretch(1)
        cancel = button(T("Cancel"))
        cancel.setObjectName("extension-cancel")
        cancel.setDefault(True)
        cancel.clicked.connect(self.reject)
        allow = button(T("Allow for this patient"), "danger")
        allow.setObjectName("extension-allow")
        allow.clicked.connect(self._on_allow_clicked)
        row.addWidget(cancel)
        row.addWidget(allow)
        layout.addLayout(row)

    def _on_allow_clicked(self) -> None:
        who = self.who.text().strip()
        if not who:
            show_error(self.error, T("Write who allows it."))
            self.who.setFocus()
            return
        self.allowed.emit(who)
        self.accept()


# --------------------------------------------------------------------------
# The clinic's own exercise
# --------------------------------------------------------------------------


PictureChooser = Callable[[QWidget, Callable[[Path], None]], None]


def choose_picture_file(parent: QWidget, done: Callable[[Path], None]) -> None:
    """The real file dialog, opened with open(); tests replace the dialog's hook."""
    dialog = QFileDialog(parent, T("Choose a picture"))
    dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
    dialog.setNameFilter(T("Pictures (*.png *.jpg *.jpeg *.svg)"))
    dialog.fileSelected.connect(lambda name: done(Path(name)))
    dialog.open()


class CustomExerciseDialog(QDialog):
    """The clinic's own exercise: the same fields as the library's, its own picture."""

    exercise_saved = Signal(str)  # the new exercise's id
    picture_chooser: PictureChooser = staticmethod(choose_picture_file)

    def __init__(
        self,
        library: Library,
        paths: Paths,
        lang: str = "en",
        parent: QWidget | None = None,
        *,
        exercise: Exercise | None = None,
    ) -> None:
        super().__init__(parent)
        self.library = library
        self.paths = paths
        self.lang = lang
        self.editing = exercise
        self.pictures: dict[str, Path] = {}
        self.setWindowTitle(T("The clinic's own exercise"))
        self.setMinimumSize(880, 700)
        self.setStyleSheet(editor_style())
        outer = QVBoxLayout(self)
        outer.setContentsMargins(20, 16, 20, 16)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setSpacing(10)
        layout.addWidget(label(T("A new exercise for your clinic's library"), "h1"))
        layout.addWidget(
            label(
                T(
                    "Written for the patient: short sentences, plain words. Fields with * are "
                    "needed; German texts are optional."
                ),
                "hint",
            )
        )
        grid = QGridLayout()
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(6)
        self.fields: dict[str, QLineEdit | QPlainTextEdit] = {}
        self.errors: dict[str, QLabel] = {}
        row = 0

        def add(name: str, caption: str, widget: QWidget, error: bool = True) -> None:
            nonlocal row
            caption_label = label(caption)
            caption_label.setBuddy(widget)
            widget.setAccessibleName(caption.replace("*", "").strip())
            grid.addWidget(caption_label, row, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(widget, row, 1)
            row += 1
            if error:
                self.errors[name] = error_label(name)
                grid.addWidget(self.errors[name], row, 1)
                row += 1

        def line(name: str, placeholder: str = "") -> QLineEdit:
            edit = QLineEdit()
            edit.setPlaceholderText(placeholder)
            edit.setObjectName(f"field-{name}")
            self.fields[name] = edit
            return edit

        def text(name: str, placeholder: str, lines: int = 3) -> QPlainTextEdit:
            edit = QPlainTextEdit()
            edit.setPlaceholderText(placeholder)
            edit.setObjectName(f"field-{name}")
            edit.setTabChangesFocus(True)
            edit.setFixedHeight(edit.fontMetrics().lineSpacing() * lines + 22)
            self.fields[name] = edit
            return edit

        add("title", T("Title *"), line("title", T("e.g. Knee hug on a chair")))
        self.category = QComboBox()
        self.category.setObjectName("field-category")
        for cat in Category:
            self.category.addItem(T(CATEGORY_NAMES[cat.value]), cat.value)
        add("category", T("Category"), self.category, error=False)
        add(
            "start_position",
            T("Start position *"),
            text("start_position", T("e.g. Sit near the front of a firm chair."), 2),
        )
        add("steps", T("Steps * (one per line, 3 to 6)"), text("steps", T("Sit tall.\n…"), 5))
        add("cue", T("Key cue *"), line("cue", T("The one line that keeps the lower back safe")))
        add(
            "breathing",
            T("Breathing"),
            line("breathing", T("Needed with a hold, e.g. Breathe out as you hold.")),
        )

        dose = QHBoxLayout()
        self.side = QComboBox()
        self.side.setAccessibleName(T("Side"))
        for side, caption in SIDE_LABELS.items():
            self.side.addItem(T(caption), side.value)
        self.sets = spin(1, MAX_SETS, "", T("Sets"))
        self.reps = spin(1, MAX_REPS, "", T("Repetitions"))
        self.reps.setValue(10)
        self.hold = spin(0, MAX_HOLD_S, " s", T("Hold in seconds"))
        self.rest = spin(0, MAX_REST_S, " s", T("Rest between sets in seconds"))
        self.rest.setValue(30)
        dose_grid = QGridLayout()
        dose_grid.setContentsMargins(0, 0, 0, 0)
        for n, (caption, box_widget) in enumerate(
            (
                (T("Sets"), self.sets),
                (T("Reps"), self.reps),
                (T("Hold"), self.hold),
                (T("Rest"), self.rest),
            )
        ):
            dose_grid.addWidget(label(caption, wrap=False), n, 0)
            dose_grid.addWidget(stepper(box_widget, caption), n, 1)
        dose.addLayout(dose_grid)
        dose.addStretch(1)
        dose_box = QWidget()
        dose_box.setLayout(dose)
        add("dose", T("Dose"), dose_box, error=False)
        add("side", T("Side"), self.side, error=False)
        add("load", T("Load"), line("load", T("kg, band colour or effort (optional)")))

        where = QGridLayout()
        where.setContentsMargins(0, 0, 0, 0)
        self.tags: dict[Tag, QCheckBox] = {}
        for tag, caption in (
            (Tag.FLOOR, T("On the floor")),
            (Tag.BED_OK, T("Fine on a firm bed")),
            (Tag.SEATED, T("Sitting")),
            (Tag.STANDING, T("Standing")),
        ):
            box = QCheckBox(caption)
            n = len(self.tags)
            self.tags[tag] = box
            where.addWidget(box, n // 2, n % 2)
        where_box = QWidget()
        where_box.setLayout(where)
        add("where", T("Position"), where_box, error=False)
        self.extension = QCheckBox(T("It arches the lower back"))
        self.extension.setToolTip(T("Such an exercise needs your permission for each patient."))
        self.extension.setObjectName("field-extension")
        add("extension", "", self.extension, error=False)

        pics = QHBoxLayout()
        self.previews: dict[str, PictureView] = {}
        self.picture_names: dict[str, QLabel] = {}
        for frame, caption in (("start", T("Start picture *")), ("end", T("End picture"))):
            column = QVBoxLayout()
            view = PictureView(minimum=QSize(200, 150))
            view.setMaximumHeight(190)
            self.previews[frame] = view
            column.addWidget(view)
            name_label = label(T("No picture yet"), "hint")
            self.picture_names[frame] = name_label
            column.addWidget(name_label)
            choose = button(
                T("Choose…"),
                accessible=T("Choose the {what}").format(what=caption.replace(" *", "").lower()),
            )
            column.insertWidget(0, label(caption, wrap=False))
            choose.setObjectName(f"choose-{frame}")
            choose.clicked.connect(lambda _=False, f=frame: self._on_choose_clicked(f))
            column.addWidget(choose)
            pics.addLayout(column)
        pics_box = QWidget()
        pics_box.setLayout(pics)
        add("pictures", T("Pictures"), pics_box)
        layout.addLayout(grid)
        grid.setColumnStretch(1, 1)

        self.german_toggle = QCheckBox(T("Add German texts"))
        self.german_toggle.setObjectName("german-toggle")
        layout.addWidget(self.german_toggle)
        self.german = QWidget()
        german = QGridLayout(self.german)
        german.setContentsMargins(0, 0, 0, 0)
        for n, (name, caption, lines) in enumerate(
            (
                ("title_de", T("Title (German)"), 0),
                ("start_position_de", T("Start position (German)"), 2),
                ("steps_de", T("Steps (German)"), 5),
                ("cue_de", T("Key cue (German)"), 0),
                ("breathing_de", T("Breathing (German)"), 0),
            )
        ):
            german_field = line(name) if lines == 0 else text(name, "", lines)
            german_field.setAccessibleName(caption)
            german.addWidget(label(caption), n, 0, Qt.AlignmentFlag.AlignTop)
            german.addWidget(german_field, n, 1)
        german.setColumnStretch(1, 1)
        self.errors["steps_de"] = error_label("steps_de")
        german.addWidget(self.errors["steps_de"], 5, 1)
        self.german.hide()
        self.german_toggle.toggled.connect(self.german.setVisible)
        layout.addWidget(self.german)
        layout.addStretch(1)
        body_area = scrolled(body)
        body_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        outer.addWidget(body_area, 1)

        self.summary = error_label("summary")
        outer.addWidget(self.summary)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        cancel = button(T("Cancel"))
        cancel.clicked.connect(self.reject)
        save = button(T("Save exercise"), "primary")
        save.setObjectName("save-exercise")
        save.clicked.connect(self._on_save_clicked)
        buttons.addWidget(cancel)
        buttons.addWidget(save)
        outer.addLayout(buttons)
        if exercise is not None:
            self._fill(exercise)

    # -- values -----------------------------------------------------------------
    def _text_of(self, name: str) -> str:
        widget = self.fields[name]
        return widget.text() if isinstance(widget, QLineEdit) else widget.toPlainText()

    def _fill(self, exercise: Exercise) -> None:
        def put(name: str, value: str) -> None:
            widget = self.fields[name]
            if isinstance(widget, QLineEdit):
                widget.setText(value)
            else:
                widget.setPlainText(value)

        put("title", exercise.title.get("en"))
        put("start_position", exercise.start_position.get("en"))
        put("steps", "\n".join(s.get("en") for s in exercise.steps))
        put("cue", exercise.cue.get("en"))
        put("breathing", exercise.breathing.get("en") if exercise.breathing else "")
        if exercise.title.has("de"):
            self.german_toggle.setChecked(True)
            put("title_de", exercise.title.root.get("de", ""))
            put("start_position_de", exercise.start_position.root.get("de", ""))
            put("steps_de", "\n".join(s.root.get("de", "") for s in exercise.steps))
            put("cue_de", exercise.cue.root.get("de", ""))
            if exercise.breathing:
                put("breathing_de", exercise.breathing.root.get("de", ""))
        self.category.setCurrentIndex(self.category.findData(exercise.category.value))
        d = exercise.dosage
        self.side.setCurrentIndex(self.side.findData(d.side.value))
        self.sets.setValue(d.sets)
        self.reps.setValue(d.reps)
        self.hold.setValue(round(d.hold_s))
        self.rest.setValue(round(d.rest_s))
        set_text(self.fields["load"], d.load or "")  # type: ignore[arg-type]
        for tag, box in self.tags.items():
            box.setChecked(tag in exercise.tags)
        self.extension.setChecked(exercise.lumbar_extension)
        for frame in ("start", "end"):
            path = self.library.illustration(exercise.id, frame)
            if path is not None:
                self._set_picture(frame, path)

    def draft(self) -> ExerciseDraft:
        def both(name: str) -> dict[str, str]:
            out = {"en": self._text_of(name).strip()}
            if self.german_toggle.isChecked() and self._text_of(f"{name}_de").strip():
                out["de"] = self._text_of(f"{name}_de").strip()
            return out

        steps = {"en": [s for s in self._text_of("steps").splitlines() if s.strip()]}
        if self.german_toggle.isChecked():
            steps["de"] = [s for s in self._text_of("steps_de").splitlines() if s.strip()]
        return ExerciseDraft(
            title=both("title"),
            category=Category(self.category.currentData()),
            start_position=both("start_position"),
            steps=steps,
            cue=both("cue"),
            breathing=both("breathing"),
            side=Side(self.side.currentData()),
            sets=self.sets.value(),
            reps=self.reps.value(),
            hold_s=self.hold.value(),
            rest_s=self.rest.value(),
            load=self._text_of("load"),
            tags=[tag for tag, box in self.tags.items() if box.isChecked()],
            lumbar_extension=self.extension.isChecked(),
            pictures=dict(self.pictures),
        )

    # -- pictures -------------------------------------------------------------------
    def _on_choose_clicked(self, frame: str) -> None:
        type(self).picture_chooser(self, lambda path: self._set_picture(frame, path))

    def _set_picture(self, frame: str, path: Path) -> None:
        try:
            _, info = read_picture(path)
        except PictureError as exc:
            show_error(self.errors["pictures"], f"{path.name}: {exc}.")
            return
        self.pictures[frame] = path
        self.previews[frame].set_picture(path=path)
        self.picture_names[frame].setText(
            f"{path.name} ({info.kind.upper()}, {info.width} × {info.height})"
        )
        show_error(self.errors["pictures"], None)

    # -- saving ----------------------------------------------------------------------
    def _on_save_clicked(self) -> None:
        draft = self.draft()
        problems = draft_problems(draft)
        for name, widget in self.errors.items():
            show_error(widget, T(problems[name]) if name in problems else None)
        if problems:
            show_error(
                self.summary,
                T("Fix the marked fields ({n}) before saving.").format(n=len(problems)),
            )
            first = next(iter(problems))
            target = self.fields.get(first)
            if target is not None:
                target.setFocus()
            return
        taken = set(self.library.exercises)
        ident = self.editing.id if self.editing is not None else None
        try:
            exercise, path = save_clinic_exercise(self.paths, draft, taken, ident)
        except (ValueError, OSError) as exc:
            show_error(self.summary, str(exc))
            return
        _register(self.library, path)
        show_error(self.summary, None)
        self.exercise_saved.emit(exercise.id)
        self.accept()


def _register(library: Library, path: Path) -> None:
    """Put a freshly saved file into the open library (replacing its older version)."""
    try:
        loaded = load_document(path)
    except FileProblems:
        return
    doc = loaded.document
    key = (doc.kind, doc.id)
    library.sources[key] = loaded
    library.origins[key] = "user"
    if isinstance(doc, Exercise):
        library.exercises[doc.id] = doc
    else:
        library.routines[doc.id] = doc


# --------------------------------------------------------------------------
# The routine editor
# --------------------------------------------------------------------------


class RoutineEditor(QWidget):
    """New / duplicate / edit a routine; every change is undoable; save writes YAML."""

    routine_saved = Signal(str)  # the routine id
    handover_requested = Signal(str)  # the routine id: open the hand-over dialog with it

    custom_exercise_dialog = CustomExerciseDialog
    extension_dialog = ExtensionDialog

    def __init__(
        self,
        library: Library,
        paths: Paths,
        lang: str = "en",
        *,
        clinician: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.library = library
        self.paths = paths
        self.lang = lang
        self.clinician = clinician
        self.draft = Draft()
        self.routine_id: str | None = None
        self.source: Path | None = None
        self.dialog: QDialog | None = None
        self._icons: dict[str, QIcon] = {}
        self._merge_ids: dict[tuple[Any, ...], int] = {}
        self._loading = False
        self.narrow = False
        self._insist = False  # show every missing field (after the first Save)
        self.undo_stack = QUndoStack(self)
        self.setStyleSheet(editor_style())
        self.model = ItemsModel(self)
        self.model.move_requested.connect(self.move_item)
        self._build()
        self.undo_stack.cleanChanged.connect(self._on_clean_changed)
        self._apply(self.draft)

    # -- building -------------------------------------------------------------------
    def _build(self) -> None:
        outer = QVBoxLayout(self)
        # The layout switches to one column for large text (see _adapt), so the
        # editor must be allowed narrower than its wide layout needs.
        outer.setSizeConstraint(QVBoxLayout.SizeConstraint.SetNoConstraint)
        self.setMinimumSize(360, 300)
        outer.setContentsMargins(20, 12, 20, 12)
        outer.setSpacing(8)
        top = QHBoxLayout()
        self.heading = label(T("Routine editor"), "h1", wrap=False)
        top.addWidget(self.heading)
        top.addSpacing(16)
        self.status = label("", "hint")
        self.status.setObjectName("editor-status")
        top.addWidget(self.status, 1)
        outer.addLayout(top)

        self.bar = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.bar.setSpacing(6)
        files_row = QHBoxLayout()
        files_row.setSpacing(6)
        edit_row = QHBoxLayout()
        edit_row.setSpacing(6)
        self.open_box = QComboBox()
        self.open_box.setObjectName("open-routine")
        self.open_box.setAccessibleName(T("Open a routine"))
        self.open_box.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.open_box.setMinimumContentsLength(14)
        self.open_box.activated.connect(self._on_open_box_activated)
        files_row.addWidget(self.open_box, 1)
        self.new_button = button(T("New"), accessible=T("New routine"))
        self.new_button.setObjectName("new-routine")
        self.new_button.clicked.connect(self.new_routine)
        self.duplicate_button = button(T("Duplicate"), accessible=T("Duplicate this routine"))
        self.duplicate_button.setObjectName("duplicate-routine")
        self.duplicate_button.clicked.connect(self.duplicate)
        self.undo_button = button("↶", accessible=T("Undo"))
        self.undo_button.setToolTip(T("Undo (Ctrl+Z)"))
        self.undo_button.setObjectName("undo")
        self.undo_button.clicked.connect(self.undo_stack.undo)
        self.redo_button = button("↷", accessible=T("Redo"))
        self.redo_button.setToolTip(T("Redo (Ctrl+Shift+Z)"))
        self.redo_button.setObjectName("redo")
        self.redo_button.clicked.connect(self.undo_stack.redo)
        self.undo_stack.canUndoChanged.connect(self.undo_button.setEnabled)
        self.undo_stack.canRedoChanged.connect(self.redo_button.setEnabled)
        self.save_button = button(T("Save"), "primary", accessible=T("Save the routine"))
        self.save_button.setObjectName("save-routine")
        self.save_button.setToolTip(T("Save (Ctrl+S)"))
        self.save_button.clicked.connect(self.save)
        self.handover_button = button(T("Hand over…"), accessible=T("Hand over to a patient"))
        self.handover_button.setObjectName("handover")
        self.handover_button.clicked.connect(self._on_handover_clicked)
        files_row.addWidget(self.new_button)
        files_row.addWidget(self.duplicate_button)
        for widget in (self.undo_button, self.redo_button, self.save_button):
            edit_row.addWidget(widget)
        edit_row.addWidget(self.handover_button)
        edit_row.addStretch(1)
        self.bar.addLayout(files_row, 1)
        self.bar.addLayout(edit_row)
        outer.addLayout(self.bar)
        self.summary_error = error_label("summary")
        outer.addWidget(self.summary_error)

        for sequence, slot in (
            (QKeySequence.StandardKey.Undo, self.undo_stack.undo),
            (QKeySequence.StandardKey.Redo, self.undo_stack.redo),
            (QKeySequence.StandardKey.Save, self.save),
            (QKeySequence.StandardKey.Find, self._focus_search),
        ):
            action = QAction(self)
            action.setShortcut(QKeySequence(sequence))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(slot)
            self.addAction(action)

        # Wide screens: exercises to add on the left, the routine on the right.
        # Narrow ones (large text): everything in one column that scrolls.
        content = QWidget()
        self.main_row = QBoxLayout(QBoxLayout.Direction.LeftToRight, content)
        self.main_row.setContentsMargins(0, 0, 0, 0)
        self.main_row.setSpacing(12)
        self.left_column = QWidget()
        left = QVBoxLayout(self.left_column)
        left.setContentsMargins(0, 0, 0, 0)
        left.setSpacing(12)
        left.addWidget(self._build_library(), 1)
        right = QVBoxLayout()
        right.setSpacing(12)
        right.addWidget(self._build_details())
        right.addWidget(self._build_items(), 1)
        right.addWidget(self._build_time())
        self.main_row.addWidget(self.left_column, 4)
        self.main_row.addLayout(right, 7)
        self.scroll_area = scrolled(content)
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        outer.addWidget(self.scroll_area, 1)
        self._fill_open_box()

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        self._adapt()

    def _adapt(self) -> None:
        """One column when the text is too large for three side by side."""
        em = max(1, self.fontMetrics().horizontalAdvance("m"))
        narrow = self.width() < 50 * em
        across = QBoxLayout.Direction.LeftToRight
        down = QBoxLayout.Direction.TopToBottom
        if self.main_row.direction() != (down if narrow else across):
            self.main_row.setDirection(down if narrow else across)
            self.bar.setDirection(down if narrow else across)
            self._place_days(4 if narrow else 7)
        self.left_column.setMaximumWidth(16777215 if narrow else 19 * em)
        self.library_list.setMinimumHeight(18 * em if narrow else 0)
        self.timeline.setMinimumHeight(10 * em)
        # The dose form sits beside the list only when there is room for both.
        items_direction = across if self.width() >= 62 * em else down
        if self.items_row.direction() != items_direction:
            self.items_row.setDirection(items_direction)
        self.narrow = narrow

    def _place_days(self, columns: int) -> None:
        for n, day in enumerate(WEEK):
            self.days_grid.addWidget(self.day_buttons[day], n // columns, n % columns)

    def _build_library(self) -> QWidget:
        frame, box = pane(T("Add exercises"))
        self.search = QLineEdit()
        self.search.setObjectName("search")
        self.search.setPlaceholderText(T("Search, e.g. knee or chair"))
        self.search.setAccessibleName(T("Search exercises"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._refill_library)
        self.search.returnPressed.connect(self._on_search_return_pressed)
        box.addWidget(self.search)
        self.category = QComboBox()
        self.category.setObjectName("category")
        self.category.setAccessibleName(T("Category"))
        self.category.addItem(T("All categories"), "")
        for cat in Category:
            self.category.addItem(T(CATEGORY_NAMES[cat.value]), cat.value)
        self.category.addItem(T("The clinic's own"), "clinic")
        self.category.currentIndexChanged.connect(self._refill_library)
        box.addWidget(self.category)
        self.show_extension = QCheckBox(T("Include back-arching ones"))
        self.show_extension.setToolTip(
            T("Exercises that arch the lower back need your permission for each patient.")
        )
        self.show_extension.setObjectName("show-extension")
        self.show_extension.toggled.connect(self._refill_library)
        box.addWidget(self.show_extension, 0, Qt.AlignmentFlag.AlignLeft)
        self.library_list = QListWidget()
        self.library_list.setObjectName("library-list")
        self.library_list.setAccessibleName(T("Exercises to add"))
        self.library_list.setIconSize(QSize(56, 42))
        self.library_list.setWordWrap(True)
        self.library_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.library_list.itemActivated.connect(self._on_library_item_activated)
        box.addWidget(self.library_list, 1)
        row = QHBoxLayout()
        self.add_button = button(T("Add"), "primary", accessible=T("Add the exercise"))
        self.add_button.setObjectName("add-exercise")
        self.add_button.setToolTip(T("Or double-click, or press Enter in the list"))
        self.add_button.clicked.connect(self._on_add_clicked)
        row.addWidget(self.add_button)
        self.custom_button = button(T("Clinic exercise…"), accessible=T("New clinic exercise"))
        self.custom_button.setObjectName("new-custom")
        self.custom_button.setToolTip(T("Your own exercise with your own picture"))
        self.custom_button.clicked.connect(self.open_custom_exercise)
        row.addWidget(self.custom_button)
        row.addStretch(1)
        box.addLayout(row)
        self._refill_library()
        return frame

    def _build_time(self) -> QWidget:
        frame, box = pane(T("Time"))
        self.total = label("", None)
        self.total.setObjectName("total")
        box.addWidget(self.total)
        self.detailed = QCheckBox(T("Show every step"))
        self.detailed.setObjectName("detailed-timeline")
        self.detailed.toggled.connect(lambda _on: self._refresh_timeline())
        box.addWidget(self.detailed, 0, Qt.AlignmentFlag.AlignLeft)
        self.timeline = QPlainTextEdit()
        self.timeline.setObjectName("timeline")
        self.timeline.setReadOnly(True)
        self.timeline.setAccessibleName(T("Step timeline"))
        self.timeline.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        box.addWidget(self.timeline, 1)
        return frame

    def _build_details(self) -> QWidget:
        frame, box = pane(T("The routine"))
        self.title_en = QLineEdit()
        self.title_en.setObjectName("title-en")
        self.title_en.setPlaceholderText(T("e.g. Morning routine"))
        self.title_en.setAccessibleName(T("Name of the routine"))
        self.title_en.textEdited.connect(lambda t: self._edit_text("title", "en", t))
        self.title_de = QLineEdit()
        self.title_de.setObjectName("title-de")
        self.title_de.setPlaceholderText(T("optional"))
        self.title_de.setAccessibleName(T("Name in German"))
        self.title_de.textEdited.connect(lambda t: self._edit_text("title", "de", t))
        self.description_en = QLineEdit()
        self.description_en.setObjectName("description-en")
        self.description_en.setAccessibleName(T("What the routine is for"))
        self.description_en.textEdited.connect(lambda t: self._edit_text("description", "en", t))
        self.title_error = error_label("title")
        self.description_error = error_label("description")
        self.days_error = error_label("days")

        def field(caption: str, widget: QWidget, error: QLabel | None = None) -> QVBoxLayout:
            column = QVBoxLayout()
            column.setSpacing(2)
            caption_label = label(caption, wrap=False)
            caption_label.setBuddy(widget)
            column.addWidget(caption_label)
            column.addWidget(widget)
            if error is not None:
                column.addWidget(error)
            column.addStretch(1)  # side by side fields stay top-aligned under an error
            return column

        names = QHBoxLayout()
        names.setSpacing(12)
        names.addLayout(field(T("Name *"), self.title_en, self.title_error), 1)
        names.addLayout(field(T("Name in German"), self.title_de), 1)
        box.addLayout(names)
        box.addLayout(field(T("What it is for *"), self.description_en, self.description_error))

        times_row = QHBoxLayout()
        times_row.setSpacing(6)
        times_row.addWidget(label(T("How often"), wrap=False))
        self.times = spin(1, 3, "", T("Times per day"))
        self.times.setObjectName("times-per-day")
        self.times.valueChanged.connect(self._on_times_changed)
        times_row.addWidget(self.times)
        times_row.addWidget(label(T("times a day, on"), wrap=False))
        times_row.addStretch(1)
        box.addLayout(times_row)
        self.days_grid = QGridLayout()
        self.days_grid.setHorizontalSpacing(4)
        self.days_grid.setVerticalSpacing(4)
        self.day_buttons: dict[str, QPushButton] = {}
        for day in WEEK:
            b = QPushButton(T(DAY_LABELS[day]))
            b.setCheckable(True)
            b.setProperty("role", "day")
            b.setObjectName(f"day-{day}")
            b.setAccessibleName(T("Exercise on {day}").format(day=T(DAY_NAMES_LONG_EN[day])))
            b.toggled.connect(lambda on, d=day, b=b: self._on_day_toggled(d, on, b))
            self.day_buttons[day] = b
        self._place_days(7)
        days_holder = QHBoxLayout()
        days_holder.addLayout(self.days_grid)
        days_holder.addStretch(1)
        box.addLayout(days_holder)
        box.addWidget(self.days_error)
        return frame

    def _build_items(self) -> QWidget:
        frame, box = pane(T("Exercises and doses"))
        holder = QWidget()
        self.items_row = QBoxLayout(QBoxLayout.Direction.LeftToRight, holder)
        self.items_row.setContentsMargins(0, 0, 0, 0)
        self.items_row.setSpacing(14)
        column = QVBoxLayout()
        column.setSpacing(6)
        column.addWidget(label(T("Drag to reorder, or Ctrl+↑ / Ctrl+↓"), "hint"))
        self.items_view = ItemsView()
        self.items_view.setObjectName("items")
        self.items_view.setAccessibleName(T("Exercises of the routine"))
        self.items_view.setModel(self.model)
        self.items_view.setIconSize(QSize(56, 42))
        self.items_view.setWordWrap(True)
        self.items_view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.items_view.setDragEnabled(True)
        self.items_view.setAcceptDrops(True)
        self.items_view.setDropIndicatorShown(True)
        self.items_view.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.items_view.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.items_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.items_view.setMinimumHeight(220)
        self.items_view.move_by.connect(self._on_move_by)
        self.items_view.remove_pressed.connect(self.remove_selected)
        self.items_view.selectionModel().currentChanged.connect(
            lambda current, _previous: self._show_item(current.row())
        )
        column.addWidget(self.items_view, 1)
        self.items_error = error_label("items")
        column.addWidget(self.items_error)
        self.items_hint = label("", "hint")
        self.items_hint.hide()
        column.addWidget(self.items_hint)
        moves = QHBoxLayout()
        moves.setSpacing(6)
        self.up_button = button("↑", accessible=T("Move the exercise up"))
        self.up_button.setToolTip(T("Move up (Ctrl+↑)"))
        self.up_button.setObjectName("move-up")
        self.up_button.clicked.connect(lambda: self._on_move_by(-1))
        self.down_button = button("↓", accessible=T("Move the exercise down"))
        self.down_button.setToolTip(T("Move down (Ctrl+↓)"))
        self.down_button.setObjectName("move-down")
        self.down_button.clicked.connect(lambda: self._on_move_by(1))
        self.remove_button = button(T("Remove"), accessible=T("Remove the exercise"))
        self.remove_button.setToolTip(T("Remove (Delete)"))
        self.remove_button.setObjectName("remove")
        self.remove_button.clicked.connect(self.remove_selected)
        for b in (self.up_button, self.down_button, self.remove_button):
            moves.addWidget(b)
        moves.addStretch(1)
        column.addLayout(moves)
        self.items_row.addLayout(column, 1)
        self.items_row.addWidget(self._build_item_form(), 1)
        box.addWidget(holder, 1)
        return frame

    def _build_item_form(self) -> QWidget:
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        head = QHBoxLayout()
        self.item_picture = PictureView(minimum=QSize(72, 54))
        self.item_picture.setFixedSize(QSize(96, 72))
        head.addWidget(self.item_picture)
        self.item_title = label(T("Select an exercise to set its dose."), "hint")
        self.item_title.setObjectName("item-title")
        head.addWidget(self.item_title, 1)
        layout.addLayout(head)
        self.item_caution = label("", "caution")
        self.item_caution.hide()
        layout.addWidget(self.item_caution)

        self.form = QWidget()
        form = QGridLayout(self.form)
        form.setContentsMargins(0, 0, 0, 0)
        form.setHorizontalSpacing(10)
        form.setVerticalSpacing(3)
        self.form_errors: dict[str, QLabel] = {}
        self.form_rows: dict[str, list[QWidget]] = {}
        row = 0

        def add(name: str, caption: str, widget: QWidget) -> None:
            nonlocal row
            caption_label = label(caption, wrap=False)
            caption_label.setBuddy(widget)
            form.addWidget(caption_label, row, 0)
            if isinstance(widget, QCheckBox):  # only the box and its words are clickable
                form.addWidget(widget, row, 1, Qt.AlignmentFlag.AlignLeft)
            else:
                form.addWidget(widget, row, 1)
            row += 1
            error = error_label(f"item-{name}")
            form.addWidget(error, row, 0, 1, 2)
            row += 1
            self.form_errors[name] = error
            self.form_rows[name] = [caption_label, widget]

        self.f_side = QComboBox()
        self.f_side.setObjectName("item-side")
        self.f_side.setAccessibleName(T("Side"))
        for side, caption in SIDE_LABELS.items():
            self.f_side.addItem(T(caption), side.value)
        self.f_side.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.f_side.setMinimumContentsLength(8)
        self.f_side.activated.connect(lambda _i: self._edit_item("side", self.f_side.currentData()))
        add("side", T("Side"), self.f_side)
        # (name, dose field, lowest, highest, unit, caption, accessible name)
        counted = (
            ("f_sets", "sets", 1, MAX_SETS, "", T("Sets"), T("Sets")),
            ("f_reps", "reps", 1, MAX_REPS, "", T("Repetitions"), T("Repetitions")),
            ("f_hold", "hold_s", 0, MAX_HOLD_S, " s", T("Hold"), T("Hold in seconds")),
            (
                "f_relax",
                "relax_s",
                0,
                MAX_REST_S,
                " s",
                T("Between reps"),
                T("Relax between repetitions in seconds"),
            ),
            (
                "f_rest",
                "rest_s",
                0,
                MAX_REST_S,
                " s",
                T("Between sets"),
                T("Rest between sets in seconds"),
            ),
        )
        boxes = []
        for attr, key, low, high, unit, caption, accessible in counted:
            box = spin(low, high, unit, accessible)
            box.setObjectName("item-" + attr.removeprefix("f_"))
            box.valueChanged.connect(lambda v, k=key: self._edit_item(k, v))
            boxes.append(box)
            add(key, caption, stepper(box, caption))
        self.f_sets, self.f_reps, self.f_hold, self.f_relax, self.f_rest = boxes
        self.f_load = QLineEdit()
        self.f_load.setObjectName("item-load")
        self.f_load.setMaxLength(80)
        self.f_load.setPlaceholderText(T("kg, band or effort"))
        self.f_load.setAccessibleName(T("Load"))
        self.f_load.textEdited.connect(lambda t: self._edit_item("load", t.strip() or None))
        add("load", T("Load"), self.f_load)
        self.f_timed = QCheckBox(T("Timed"))
        self.f_timed.setToolTip(T("Timed in seconds instead of counted in repetitions"))
        self.f_timed.setObjectName("item-timed")
        self.f_timed.toggled.connect(self._on_timed_toggled)
        add("timed", "", self.f_timed)
        self.f_duration = spin(5, int(MAX_DURATION_S), " s", T("Duration in seconds"))
        self.f_duration.setObjectName("item-duration")
        self.f_duration.setSingleStep(15)
        self.f_duration.valueChanged.connect(lambda v: self._edit_item("duration_s", v))
        add("duration_s", T("Duration"), stepper(self.f_duration, T("Duration")))
        self.f_bouts = spin(1, 10, "", T("Walking bouts"))
        self.f_bouts.setObjectName("item-bouts")
        self.f_bouts.valueChanged.connect(lambda v: self._edit_walk("bouts", v))
        add("bouts", T("Walks"), stepper(self.f_bouts, T("Walks")))
        self.f_break = spin(10, int(MAX_REST_S), " s", T("Break between walks in seconds"))
        self.f_break.setObjectName("item-break")
        self.f_break.valueChanged.connect(lambda v: self._edit_walk("break_s", v))
        add("break_s", T("Break"), stepper(self.f_break, T("Break")))
        self.f_self_paced = QCheckBox(T("Self-paced"))
        self.f_self_paced.setToolTip(T("The patient taps when each repetition is done"))
        self.f_self_paced.setObjectName("item-self-paced")
        self.f_self_paced.toggled.connect(self._on_self_paced_toggled)
        add("self_paced", "", self.f_self_paced)
        self.f_out = self._tempo_box(
            "out", T("Tempo: seconds to move out"), T("Seconds to move out")
        )
        self.f_back = self._tempo_box(
            "back", T("Tempo: seconds to come back"), T("Seconds to come back")
        )
        add("tempo", T("Move out"), stepper(self.f_out, T("seconds to move out")))
        add("tempo_back", T("Come back"), stepper(self.f_back, T("seconds to come back")))
        self.f_note_en = QLineEdit()
        self.f_note_en.setObjectName("item-note-en")
        self.f_note_en.setPlaceholderText(T("A personal note"))
        self.f_note_en.setAccessibleName(T("Personal note"))
        self.f_note_en.textEdited.connect(lambda t: self._edit_note("en", t))
        add("note", T("Note"), self.f_note_en)
        self.f_note_de = QLineEdit()
        self.f_note_de.setObjectName("item-note-de")
        self.f_note_de.setPlaceholderText(T("optional"))
        self.f_note_de.setAccessibleName(T("Personal note in German"))
        self.f_note_de.textEdited.connect(lambda t: self._edit_note("de", t))
        add("note_de", T("Note (German)"), self.f_note_de)
        form.setColumnStretch(1, 1)
        layout.addWidget(self.form)
        self.reset_button = button(T("Exercise's own dose"), accessible=T("Reset the dose"))
        self.reset_button.setToolTip(T("Back to the exercise's own dose"))
        self.reset_button.setObjectName("reset-dose")
        self.reset_button.clicked.connect(self._on_reset_clicked)
        reset_row = QHBoxLayout()
        reset_row.addWidget(self.reset_button)
        reset_row.addStretch(1)
        layout.addLayout(reset_row)
        layout.addStretch(1)
        self.form.setEnabled(False)
        self.reset_button.setEnabled(False)
        return body

    def _tempo_box(self, part: str, name: str, tip: str) -> QDoubleSpinBox:
        box = QDoubleSpinBox()
        box.setObjectName(f"item-tempo-{part}")
        box.setRange(0.5, 30)
        box.setSingleStep(0.5)
        box.setDecimals(1)
        box.setKeyboardTracking(False)
        box.setSuffix(" s")
        box.setAccessibleName(name)
        box.setToolTip(tip)
        box.valueChanged.connect(lambda _v: self._edit_tempo())
        return box

    # -- the library pane -------------------------------------------------------------

    def icon(self, exercise_id: str) -> QIcon:
        if exercise_id not in self._icons:
            self._icons[exercise_id] = exercise_icon(self.library, exercise_id, QSize(64, 48))
        return self._icons[exercise_id]

    def _is_clinic(self, exercise_id: str) -> bool:
        loaded = self.library.sources.get(("exercise", exercise_id))
        if loaded is None:
            return False
        return loaded.path.resolve().is_relative_to(clinic_folder(self.paths).resolve())

    def _refill_library(self) -> None:
        lang = self.lang
        text = self.search.text().strip()
        hits = (
            {e.id for e in self.library.search(text, lang, include_extension=True)}
            if text
            else None
        )
        wanted = self.category.currentData()
        show_ext = self.show_extension.isChecked()
        self.library_list.clear()
        for cat, exercises in self.library.by_category(include_extension=True).items():
            shown = [
                e
                for e in exercises
                if (hits is None or e.id in hits)
                and (show_ext or not e.lumbar_extension)
                and (
                    not wanted
                    or (wanted == "clinic" and self._is_clinic(e.id))
                    or wanted == cat.value
                )
                and self.library.origin("exercise", e.id) is not None
                and not self._is_assigned(e.id)
            ]
            for ex in shown:
                marks = []
                if self._is_clinic(ex.id):
                    marks.append(T("clinic"))
                if ex.lumbar_extension:
                    marks.append("⚠ " + T("arches the back"))
                extra = f"  ({', '.join(marks)})" if marks else ""
                item = QListWidgetItem(
                    f"{ex.title.get(lang)}{extra}\n{T(CATEGORY_NAMES[cat.value])}"
                )
                item.setData(Qt.ItemDataRole.UserRole, ex.id)
                item.setIcon(self.icon(ex.id))
                item.setToolTip(ex.cue.get(lang))
                self.library_list.addItem(item)
        if self.library_list.count():
            self.library_list.setCurrentRow(0)

    def _is_assigned(self, exercise_id: str) -> bool:
        # Exercises installed from another clinician's plan are not this clinic's to reuse.
        return from_installed_plan(self.library, self.paths, "exercise", exercise_id)

    def library_ids(self) -> list[str]:
        return [
            str(self.library_list.item(i).data(Qt.ItemDataRole.UserRole))
            for i in range(self.library_list.count())
        ]

    def _focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def _on_search_return_pressed(self) -> None:
        self.library_list.setFocus()

    def _on_library_item_activated(self, item: QListWidgetItem) -> None:
        self.add_exercise(str(item.data(Qt.ItemDataRole.UserRole)))

    def _on_add_clicked(self) -> None:
        item = self.library_list.currentItem()
        if item is not None:
            self.add_exercise(str(item.data(Qt.ItemDataRole.UserRole)))

    # -- opening ---------------------------------------------------------------------
    def _fill_open_box(self) -> None:
        self.open_box.blockSignals(True)
        self.open_box.clear()
        self.open_box.addItem(T("— choose a routine —"), "")
        mine: list[Routine] = []
        builtin: list[Routine] = []
        for routine in sorted(self.library.routines.values(), key=lambda r: r.title.get(self.lang)):
            if from_installed_plan(self.library, self.paths, "routine", routine.id):
                continue
            origin = self.library.origin("routine", routine.id)
            (builtin if origin == "builtin" else mine).append(routine)
        for routine in mine:
            self.open_box.addItem(routine.title.get(self.lang), routine.id)
        for routine in builtin:
            self.open_box.addItem(
                T("{title} (built-in: opens a copy)").format(title=routine.title.get(self.lang)),
                routine.id,
            )
        index = self.open_box.findData(self.routine_id or "")
        self.open_box.setCurrentIndex(max(0, index))
        self.open_box.blockSignals(False)

    def _on_open_box_activated(self, index: int) -> None:
        ident = self.open_box.itemData(index)
        if ident:
            self.open_routine(str(ident))

    def open_routine(self, routine_id: str) -> None:
        """Edit a routine of the person's own; a built-in one opens as a copy."""
        routine = self.library.routines[routine_id]
        if self.library.origin("routine", routine_id) == "builtin":
            self._load(Draft.from_routine(routine), None, None)
            self._copy_title()
            show_error(self.summary_error, None)
            self.status.setText(T("A copy of a built-in routine: save it under a new name."))
            return
        loaded = self.library.sources.get(("routine", routine_id))
        self._load(Draft.from_routine(routine), routine_id, loaded.path if loaded else None)

    def new_routine(self) -> None:
        self._load(Draft(), None, None)
        self.title_en.setFocus()

    def duplicate(self) -> None:
        draft = copy.deepcopy(self.draft)
        self._load(draft, None, None)
        self._copy_title()

    def _copy_title(self) -> None:
        title = dict(self.draft.title)
        if title.get("en"):
            title["en"] = T("{title} (copy)").format(title=title["en"])
        if title.get("de"):
            title["de"] = f"{title['de']} (Kopie)"
        self.draft.title = title
        self._apply(self.draft)

    def _load(self, draft: Draft, routine_id: str | None, source: Path | None) -> None:
        self.routine_id = routine_id
        self.source = source
        self._insist = False
        self.undo_stack.clear()
        self._apply(draft)
        self.undo_stack.setClean()
        self._fill_open_box()
        if draft.items:
            self.select(0)

    # -- changes (each one an undo step) -------------------------------------------------
    def _merge_id(self, key: tuple[Any, ...] | None) -> int:
        if key is None:
            return -1
        if key not in self._merge_ids:
            self._merge_ids[key] = len(self._merge_ids) + 1
        return self._merge_ids[key]

    def _change(
        self,
        text: str,
        change: Callable[[Draft], None],
        merge: tuple[Any, ...] | None = None,
        select: int | None = None,
    ) -> None:
        if self._loading:
            return
        before = copy.deepcopy(self.draft)
        after = copy.deepcopy(self.draft)
        change(after)
        if after == before:
            return
        self._select_after = select
        self.undo_stack.push(SnapshotCommand(self, before, after, text, self._merge_id(merge)))

    def _apply(self, draft: Draft) -> None:
        """Show ``draft``: the single place where the widgets follow the data."""
        current = self.current_row()
        wanted = getattr(self, "_select_after", None)
        self._select_after = None
        self.draft = draft
        self._loading = True
        try:
            set_text(self.title_en, draft.title.get("en", ""))
            set_text(self.title_de, draft.title.get("de", ""))
            set_text(self.description_en, draft.description.get("en", ""))
            self.times.setValue(draft.times_per_day)
            for day, b in self.day_buttons.items():
                b.setChecked(day in draft.days)
            self.model.reset()
            self._fit_items_height()
            row = wanted if wanted is not None else current
            if draft.items:
                row = max(0, min(len(draft.items) - 1, row if row is not None else 0))
                self.items_view.setCurrentIndex(self.model.index(row, 0))
            self._show_item(row if draft.items and row is not None else -1)
        finally:
            self._loading = False
        self._validate()
        self._refresh_timeline()
        self._refresh_status()

    def _fit_items_height(self) -> None:
        """Show every item without scrolling the list (up to 8), at least room for 3."""
        view = self.items_view
        rows = self.model.rowCount()
        line = view.fontMetrics().lineSpacing()
        height = sum(max(view.sizeHintForRow(r), 2 * line) for r in range(min(rows, 8)))
        view.setMinimumHeight(max(height, 6 * line) + 2 * view.frameWidth() + 6)

    def add_exercise(self, exercise_id: str) -> None:
        """Add after the selected item (or at the end); extension asks first."""
        ex = self.library.exercises.get(exercise_id)
        if ex is None:
            return
        at = self.current_row()
        position = len(self.draft.items) if at is None or at < 0 else at + 1
        if ex.lumbar_extension and exercise_id not in self.draft.allow_extension:
            dialog = self.extension_dialog(ex, self.clinician, self.lang, self)
            self.dialog = dialog
            dialog.allowed.connect(lambda who: self._add(exercise_id, position, allowed_by=who))
            dialog.open()
            return
        self._add(exercise_id, position)

    def _add(self, exercise_id: str, position: int, allowed_by: str | None = None) -> None:
        ex = self.library.exercises[exercise_id]

        def change(d: Draft) -> None:
            d.items.insert(position, {"exercise": exercise_id})
            if allowed_by is not None:
                d.allow_extension = sorted(set(d.allow_extension) | {exercise_id})
                d.allowed_by = allowed_by

        self._change(
            T("Add {title}").format(title=ex.title.get(self.lang)), change, select=position
        )

    def remove_selected(self) -> None:
        row = self.current_row()
        if row is None or not 0 <= row < len(self.draft.items):
            return

        def change(d: Draft) -> None:
            d.items.pop(row)
            used = {i["exercise"] for i in d.items}
            d.allow_extension = [i for i in d.allow_extension if i in used]
            if not d.allow_extension:
                d.allowed_by = ""

        self._change(T("Remove an exercise"), change, select=max(0, row - 1))

    def move_item(self, source: int, target: int) -> None:
        count = len(self.draft.items)
        if not (0 <= source < count and 0 <= target < count) or source == target:
            return

        def change(d: Draft) -> None:
            d.items.insert(target, d.items.pop(source))

        self._change(T("Move an exercise"), change, select=target)

    def _on_move_by(self, step: int) -> None:
        row = self.current_row()
        if row is not None and row >= 0:
            self.move_item(row, row + step)
            self.items_view.setFocus()

    def _edit_text(self, what: str, lang: str, text: str) -> None:
        def change(d: Draft) -> None:
            values = dict(getattr(d, what))
            values[lang] = text
            setattr(d, what, values)

        self._change(
            T("Edit the name") if what == "title" else T("Edit the description"),
            change,
            merge=(what, lang),
        )

    def _on_times_changed(self, value: int) -> None:
        def change(d: Draft) -> None:
            d.times_per_day = value

        self._change(T("Times per day"), change, merge=("times",))

    def _on_day_toggled(self, day: str, on: bool, day_button: QPushButton | None = None) -> None:
        if day_button is not None:
            # A tick as well as the fill: colour is never the only sign.
            day_button.setText(("✓" if on else "") + T(DAY_LABELS[day]))

        def change(d: Draft) -> None:
            days = set(d.days) | {day} if on else set(d.days) - {day}
            d.days = [x for x in WEEK if x in days]

        self._change(T("Days"), change)

    # -- the selected item ------------------------------------------------------------
    def current_row(self) -> int | None:
        if not hasattr(self, "items_view"):
            return None
        index = self.items_view.currentIndex()
        return index.row() if index.isValid() else None

    def select(self, row: int) -> None:
        self.items_view.setCurrentIndex(self.model.index(row, 0))

    def _item_dosage(self, row: int) -> tuple[Exercise | None, Dosage | None]:
        item = self.draft.items[row]
        ex = self.library.exercises.get(item.get("exercise", ""))
        if ex is None:
            return None, None
        clean = {k: v for k, v in item.items() if k in DOSE_FIELDS}
        try:
            return ex, RoutineItem.from_data({"exercise": ex.id, **clean}).apply_to(ex.dosage)
        except Invalid:
            return ex, None

    def dose_line(self, row: int) -> str:
        from coach.core.content.wording import dose_text

        ex, dose = self._item_dosage(row)
        if ex is None:
            return T("unknown exercise")
        if dose is None:
            return T("the dose does not fit")
        text = dose_text(dose, self.lang) + (f", {dose.load}" if dose.load else "")
        item = self.draft.items[row]
        note = item.get("note") or {}
        if note.get(self.lang) or note.get("en"):
            text += " · " + T("note")
        return text

    def _show_item(self, row: int) -> None:
        has = 0 <= row < len(self.draft.items)
        self.form.setEnabled(has)
        self.reset_button.setEnabled(has)
        if not has:
            self.item_title.setText(T("Select an exercise in the routine to set its dose."))
            self.item_title.setProperty("role", "hint")
            self.item_picture.set_picture()
            self.item_caution.hide()
            return
        ex, dose = self._item_dosage(row)
        item = self.draft.items[row]
        self.item_title.setText(
            f"{row + 1}. {ex.title.get(self.lang)}" if ex else str(item.get("exercise"))
        )
        self.item_title.setProperty("role", "h2")
        self.item_title.style().unpolish(self.item_title)
        self.item_title.style().polish(self.item_title)
        self.item_picture.set_picture(path=self.library.illustration(ex.id, "end") if ex else None)
        if ex is not None and ex.lumbar_extension:
            who = self.draft.allowed_by or "?"
            self.item_caution.setText(
                "⚠ "
                + T("Arches the lower back: allowed for this patient by {who}.").format(who=who)
            )
            self.item_caution.show()
        else:
            self.item_caution.hide()
        if ex is None:
            return
        base = dose or ex.dosage
        was = self._loading
        self._loading = True
        try:
            self.f_side.setCurrentIndex(self.f_side.findData(base.side.value))
            self.f_sets.setValue(base.sets)
            self.f_reps.setValue(base.reps)
            self.f_hold.setValue(round(base.hold_s))
            self.f_relax.setValue(round(base.relax_s))
            self.f_rest.setValue(round(base.rest_s))
            set_text(self.f_load, base.load or "")
            walk = base.walk is not None
            timed = base.duration_s is not None
            default_timed = ex.dosage.duration_s is not None
            self.f_timed.setChecked(timed)
            self._show_rows("timed", not walk and not default_timed)
            self._show_rows("duration_s", timed)
            self.f_duration.setValue(round(base.duration_s or 60))
            for name in ("bouts", "break_s"):
                self._show_rows(name, walk)
            if base.walk is not None:
                self.f_bouts.setValue(base.walk.bouts)
                self.f_break.setValue(round(base.walk.break_s))
            counted = not walk and not timed
            for name in ("reps", "hold_s", "relax_s", "self_paced", "tempo", "tempo_back"):
                self._show_rows(name, counted)
            self._show_rows("sets", not walk)
            self._show_rows("rest_s", not walk)
            self._show_rows("side", not walk)
            self_paced = base.self_paced or base.tempo is None
            self.f_self_paced.setChecked(self_paced)
            tempo = base.tempo or ex.dosage.tempo
            self.f_out.setValue(tempo.out_s if tempo else 2)
            self.f_back.setValue(tempo.back_s if tempo else 3)
            self.f_out.setEnabled(not self_paced)
            self.f_back.setEnabled(not self_paced)
            note = item.get("note") or {}
            set_text(self.f_note_en, note.get("en", ""))
            set_text(self.f_note_de, note.get("de", ""))
        finally:
            self._loading = was
        self._show_item_errors(row)

    def _show_rows(self, name: str, visible: bool) -> None:
        for widget in self.form_rows[name]:
            widget.setVisible(visible)
        if not visible:
            self.form_errors[name].hide()

    def _edit_item(self, name: str, value: Any, merge: bool = True) -> None:
        row = self.current_row()
        if row is None or not 0 <= row < len(self.draft.items) or self._loading:
            return

        def change(d: Draft) -> None:
            item = d.items[row]
            if value is None:
                item.pop(name, None)
            else:
                item[name] = value

        self._change(T("Change the dose"), change, merge=("item", row, name) if merge else None)

    def _on_timed_toggled(self, on: bool) -> None:
        if self._loading:
            return
        self._edit_item("duration_s", self.f_duration.value() if on else None, merge=False)

    def _edit_walk(self, name: str, value: int) -> None:
        row = self.current_row()
        if row is None or self._loading:
            return
        _ex, dose = self._item_dosage(row)
        if dose is None or dose.walk is None:
            return
        walk = dose.walk.to_data() | {name: value}
        self._edit_item("walk", walk)

    def _on_self_paced_toggled(self, on: bool) -> None:
        row = self.current_row()
        if row is None or self._loading:
            return

        def change(d: Draft) -> None:
            item = d.items[row]
            item["self_paced"] = on
            if on:
                item.pop("tempo", None)
            else:
                item["tempo"] = {"out_s": self.f_out.value(), "back_s": self.f_back.value()}

        self._change(T("Change the tempo"), change)

    def _edit_tempo(self) -> None:
        if self._loading:
            return
        self._edit_item("tempo", {"out_s": self.f_out.value(), "back_s": self.f_back.value()})

    def _edit_note(self, lang: str, text: str) -> None:
        row = self.current_row()
        if row is None or self._loading:
            return

        def change(d: Draft) -> None:
            item = d.items[row]
            note = dict(item.get("note") or {})
            if text.strip():
                note[lang] = text
            else:
                note.pop(lang, None)
            if note:
                item["note"] = note
            else:
                item.pop("note", None)

        self._change(T("Edit the note"), change, merge=("note", row, lang))

    def _on_reset_clicked(self) -> None:
        row = self.current_row()
        if row is None:
            return

        def change(d: Draft) -> None:
            item = d.items[row]
            for key in DOSE_FIELDS:
                item.pop(key, None)

        self._change(T("Reset the dose"), change)

    # -- validation, total, timeline ----------------------------------------------------
    def item_problem(self, row: int) -> str | None:
        item = self.draft.items[row]
        ex = self.library.exercises.get(item.get("exercise", ""))
        if ex is None:
            return T("This exercise is not in the library.")
        note = item.get("note") or {}
        if note and not (note.get("en") or "").strip():
            return T("Write the note in English too (German is optional).")
        if ex.lumbar_extension and ex.id not in self.draft.allow_extension:
            return T("Arches the back and is not allowed for this patient.")
        _ex, dose = self._item_dosage(row)
        if dose is None:
            return T("This dose does not fit the exercise.")
        return None

    def problems(self) -> dict[str, str]:
        d = self.draft
        out: dict[str, str] = {}
        if not d.title.get("en", "").strip():
            out["title"] = T("Give the routine a name.")
        if not d.description.get("en", "").strip():
            out["description"] = T("Say in a few words what the routine is for.")
        if not d.days:
            out["days"] = T("Choose at least one day.")
        if not d.items:
            out["items"] = T("Add at least one exercise.")
        elif len(d.items) > 30:
            out["items"] = T("A routine has at most 30 exercises.")
        for row in range(len(d.items)):
            problem = self.item_problem(row)
            if problem:
                out.setdefault(
                    "items", T("Exercise {n}: {problem}").format(n=row + 1, problem=problem)
                )
        return out

    def _validate(self) -> dict[str, str]:
        """Mark what is missing; the empty fields of a new routine only after a first Save,
        so a fresh page is not a wall of red."""
        problems = self.problems()
        shown = (
            problems
            if self._insist
            else {k: v for k, v in problems.items() if k == "items" and self.draft.items}
        )
        show_error(self.title_error, shown.get("title"))
        show_error(self.description_error, shown.get("description"))
        show_error(self.days_error, shown.get("days"))
        show_error(self.items_error, shown.get("items"))
        count = len(self.draft.items)
        if count > HOLD_TIP_ITEMS:
            self.items_hint.setText(
                T("{n} exercises. Patients keep up 4 to 6 exercises best.").format(n=count)
            )
            self.items_hint.show()
        else:
            self.items_hint.hide()
        if not problems:
            show_error(self.summary_error, None)
        row = self.current_row()
        if row is not None and 0 <= row < count:
            self._show_item_errors(row)
        return problems

    def _show_item_errors(self, row: int) -> None:
        item = self.draft.items[row]
        note = item.get("note") or {}
        show_error(
            self.form_errors["note"],
            T("Write the note in English too (German is optional).")
            if note and not (note.get("en") or "").strip()
            else None,
        )
        _ex, dose = self._item_dosage(row)
        show_error(
            self.form_errors["sets"],
            T("This dose does not fit the exercise.") if dose is None else None,
        )

    def preview_plan_text(self) -> tuple[str, str]:
        routine = self.draft.preview(self.routine_id or "new-routine")
        if routine is None or not routine.items:
            return "—", ""
        try:
            plan = build_plan(routine, self.library.exercises)
        except ValueError as exc:
            return "—", str(exc)
        total = plan.total_seconds
        head = T("Total: about {n} min ({clock}) · {k} exercises").format(
            n=max(1, round(total / 60)), clock=format_clock(total), k=len(routine.items)
        )
        return head, plan.format_timeline(self.lang, detailed=self.detailed.isChecked())

    def _refresh_timeline(self) -> None:
        head, text = self.preview_plan_text()
        self._total_text = head
        self.total.setText(head if head != "—" else T("Total: add exercises to see the time"))
        lines = text.splitlines()
        self.timeline.setPlainText("\n".join(lines[1:]) if lines else "")

    def _on_clean_changed(self, _clean: bool) -> None:
        # The stack says "clean" once more while the editor is being destroyed.
        if shiboken6.isValid(self.undo_stack) and shiboken6.isValid(self.status):
            self._refresh_status()

    def _refresh_status(self) -> None:
        name = self.draft.title.get("en") or T("New routine")
        saved = self.undo_stack.isClean() and self.routine_id is not None
        state = T("saved") if saved else T("not saved yet")
        total = getattr(self, "_total_text", "—")
        minutes = total.split(" · ")[0].removeprefix(T("Total: ")) if total != "—" else ""
        self.status.setText(" · ".join(p for p in (name, minutes, state) if p))

    # -- saving ---------------------------------------------------------------------------
    def save(self) -> bool:
        """Write the routine as YAML into the person's routine folder; False if not valid."""
        self._insist = True
        problems = self._validate()
        if problems:
            show_error(
                self.summary_error,
                T("Not saved: fix the {n} marked field(s) first.").format(n=len(problems)),
            )
            first = next(iter(problems))
            focus = {
                "title": self.title_en,
                "description": self.description_en,
                "days": self.day_buttons["mon"],
                "items": self.items_view,
            }.get(first)
            if focus is not None:
                focus.setFocus()
            return False
        ident = self.routine_id
        if ident is None:
            base = slug(self.draft.title.get("en", ""), 40) or "routine"
            taken = set(self.library.routines)
            ident = unique_id(base, taken)
        try:
            routine = self.draft.routine(ident)
        except Invalid as exc:
            show_error(self.summary_error, str(exc))
            return False
        path = self.source or self.paths.user_routines / f"{ident}.yaml"
        try:
            write_text_atomic(path, yaml_text(routine))
            loaded = load_document(path)
        except (OSError, FileProblems) as exc:
            show_error(self.summary_error, T("Could not save: {why}").format(why=exc))
            return False
        problems_after = self.library.check([loaded])
        if problems_after:
            show_error(self.summary_error, str(problems_after[0]))
        _register(self.library, path)
        self.routine_id = ident
        self.source = path
        self.undo_stack.setClean()
        self._fill_open_box()
        self._refresh_status()
        self.routine_saved.emit(ident)
        return True

    def current_routine(self) -> Routine | None:
        """The routine as saved, or None while it has unsaved changes or problems."""
        if self.routine_id is None or not self.undo_stack.isClean():
            return None
        return self.library.routines.get(self.routine_id)

    def _on_handover_clicked(self) -> None:
        if (self.routine_id is None or not self.undo_stack.isClean()) and not self.save():
            return
        assert self.routine_id is not None
        self.handover_requested.emit(self.routine_id)

    # -- the clinic's exercise -------------------------------------------------------------
    def open_custom_exercise(self) -> None:
        dialog = self.custom_exercise_dialog(self.library, self.paths, self.lang, self)
        self.dialog = dialog
        dialog.exercise_saved.connect(self._on_custom_saved)
        dialog.open()

    def _on_custom_saved(self, exercise_id: str) -> None:
        self._icons.pop(exercise_id, None)
        self._refill_library()
        self.add_exercise(exercise_id)
