"""The routine editor page of clinician mode.

A physiotherapist builds a patient's routine here in a few minutes, so every
change is one step on an undo stack and the total time and the step timeline
follow each one. Saving writes an ordinary routine file, the same YAML
``coach validate`` checks, and the routine stays open. The library pane and
the dose form are mixins in their own modules; this one holds the page, its
schedule fields and saving.

A routine file may change while it is open (a colleague's editor, a file
copied in): the editor remembers what it read and wrote, and before a hand-over
or a save over the file it looks again, so a stale plan is never handed over
and nobody's change is overwritten unasked.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QAction, QIcon, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QBoxLayout,
    QCheckBox,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from coach.core.clinic.handover import yaml_text
from coach.core.clinic.install import from_installed_plan
from coach.core.common.atomic import write_text_atomic
from coach.core.common.paths import Paths
from coach.core.content.custom_exercise import slug, unique_id
from coach.core.content.files import FileProblems, load_document
from coach.core.content.library import Library
from coach.core.content.model import Routine
from coach.core.content.records import Invalid
from coach.core.content.wording import count_text
from coach.core.session.personal import AS_WRITTEN
from coach.core.session.plan import format_clock
from coach.ui.clinic.editor.custom_exercise_dialog import CustomExerciseDialog, register_in_library
from coach.ui.clinic.editor.disk_file import RoutineFile, file_digest
from coach.ui.clinic.editor.dose_fields import DoseFields
from coach.ui.clinic.editor.draft import Draft, SnapshotCommand
from coach.ui.clinic.editor.extension_dialog import ExtensionDialog
from coach.ui.clinic.editor.item_plan_fields import ItemPlanFields
from coach.ui.clinic.editor.items_model import ItemsModel, ItemsView
from coach.ui.clinic.editor.library_pane import LibraryPane
from coach.ui.clinic.editor.patient_preview import PatientPreview
from coach.ui.clinic.editor.schedule_fields import ScheduleFields
from coach.ui.clinic.editor.style import (
    editor_style,
    error_label,
    pane,
    scrolled,
    set_text,
    show_error,
)
from coach.ui.i18n import T
from coach.ui.widgets import button, label

HOLD_TIP_ITEMS = 6
"""More exercises than this: a gentle hint (Henry 1999: 2 were done better than 8)."""


class RoutineEditor(LibraryPane, ScheduleFields, ItemPlanFields, DoseFields, RoutineFile, QWidget):
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
        # What the file said when the editor last read or wrote it: its hash (None:
        # not compared yet) and the routine it held.
        self._disk_digest: str | None = None
        self._disk_routine: Routine | None = None
        self.question: QMessageBox | None = None
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
        top = self.top = QBoxLayout(QBoxLayout.Direction.LeftToRight)
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
        self.patient_preview = PatientPreview(
            self.library,
            self.lang,
            lambda: self.draft.preview(self.routine_id or "new-routine"),
            clinician=self.clinician,
        )
        self.patient_preview.setObjectName("patient-preview")
        right.addWidget(self.patient_preview)
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
            self.top.setDirection(down if narrow else across)  # the heading keeps its width
            self._place_days(4 if narrow else 7)
        self.left_column.setMaximumWidth(16777215 if narrow else 19 * em)
        self.library_list.setMinimumHeight(18 * em if narrow else 0)
        self.timeline.setMinimumHeight(10 * em)
        # The dose form sits beside the list only when there is room for both.
        items_direction = across if self.width() >= 62 * em else down
        if self.items_row.direction() != items_direction:
            self.items_row.setDirection(items_direction)
        self.narrow = narrow

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

        self._build_schedule(box)
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
        item_side = QVBoxLayout()
        item_side.setSpacing(6)
        item_side.addWidget(self._build_item_form())
        item_side.addWidget(self._build_item_plan())
        item_side.addStretch(1)
        self.items_row.addLayout(item_side, 1)
        box.addWidget(holder, 1)
        return frame

    def _show_item(self, row: int) -> None:
        DoseFields._show_item(self, row)
        self._show_item_plan(row)

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
        self._disk_digest = None
        self._disk_routine = self.library.routines.get(routine_id) if routine_id else None
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
            self.weekly.setChecked(draft.times_per_week is not None)
            self.per_week.setEnabled(draft.times_per_week is not None)
            if draft.times_per_week is not None:
                self.per_week.setValue(draft.times_per_week)
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

    # -- the selected item ------------------------------------------------------------
    def current_row(self) -> int | None:
        if not hasattr(self, "items_view"):
            return None
        index = self.items_view.currentIndex()
        return index.row() if index.isValid() else None

    def select(self, row: int) -> None:
        self.items_view.setCurrentIndex(self.model.index(row, 0))

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
        plan_problem = self.item_plan_problem(item)
        if plan_problem:
            return plan_problem
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
        elif d.times_per_week is not None and d.times_per_week > len(d.days):
            out["days"] = T("{n} days a week need at least {n} days to choose from.").format(
                n=d.times_per_week
            )
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

    def preview_plan_text(self) -> tuple[str, str]:
        routine = self.draft.preview(self.routine_id or "new-routine")
        if routine is None or not routine.items:
            return "—", ""
        try:
            # The clinician sees the routine as written: the patient's own
            # changes are applied at home, and shown on the report that comes back.
            plan = AS_WRITTEN.plan_for(routine, self.library.exercises).plan
        except ValueError as exc:
            return "—", str(exc)
        assert plan is not None  # nobody behind it: nothing is left out
        total = plan.total_seconds
        head = T("Total: about {n} min ({clock}) · {exercises}").format(
            n=max(1, round(total / 60)),
            clock=format_clock(total),
            exercises=count_text(len(routine.items), "exercise", self.lang),
        )
        return head, plan.format_timeline(self.lang, detailed=self.detailed.isChecked())

    def _refresh_timeline(self) -> None:
        head, text = self.preview_plan_text()
        self._total_text = head
        self.total.setText(head if head != "—" else T("Total: add exercises to see the time"))
        lines = text.splitlines()
        self.timeline.setPlainText("\n".join(lines[1:]) if lines else "")
        self.patient_preview.refresh()

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
    def save(self, *, over_disk: bool = False) -> bool:
        """Write the routine as YAML into the person's routine folder; False if not saved.

        When its file changed on disk since the editor read it, the clinician is
        asked first (False now; "Keep my version" saves) unless ``over_disk``.
        """
        if not over_disk and self.disk_changed():
            self.ask_about_disk()
            return False
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
        register_in_library(self.library, path)
        self.routine_id = ident
        self.source = path
        self._disk_digest = file_digest(path)
        self._disk_routine = self.library.routines.get(ident)
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
        if self.disk_changed():
            if self.undo_stack.isClean() and self.routine_id is not None:
                # Nothing of the clinician's to lose: the plan handed over is the file's.
                if not self.reload_from_disk():
                    return
                self.status.setText(
                    T("The file had changed on disk: the editor shows it as it is now.")
                )
            else:
                self.ask_about_disk(then=self._hand_over)
                return
        self._hand_over()

    def _hand_over(self) -> None:
        unsaved = self.routine_id is None or not self.undo_stack.isClean()
        if unsaved and not self.save(over_disk=True):
            return
        assert self.routine_id is not None
        self.handover_requested.emit(self.routine_id)

    def set_library(self, library: Library) -> None:
        """The window read the library again: go on with the same routine on it."""
        self.library = library
        self.patient_preview.library = library
        self._icons.clear()
        self._refill_library()
        self._fill_open_box()
        self._apply(self.draft)

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
