"""The dialog for the clinic's own exercise, with its own pictures.

A clinic can add an exercise the library lacks. The dialog asks for the same
fields the built-in exercises have and checks them the same way, and the saved
file goes straight into the open library so the editor can use it at once.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from coach.core.common.paths import Paths
from coach.core.content.custom_exercise import (
    ExerciseDraft,
    PictureError,
    draft_problems,
    read_picture,
    save_clinic_exercise,
)
from coach.core.content.files import FileProblems, load_document
from coach.core.content.library import Library
from coach.core.content.model import (
    MAX_HOLD_S,
    MAX_REPS,
    MAX_REST_S,
    MAX_SETS,
    Category,
    Exercise,
    Side,
    Tag,
)
from coach.ui.clinic.editor.dose_fields import SIDE_LABELS
from coach.ui.clinic.editor.style import (
    PictureView,
    editor_style,
    error_label,
    scrolled,
    set_text,
    show_error,
    spin,
    stepper,
)
from coach.ui.home.exercise_view import CATEGORY_NAMES
from coach.ui.i18n import T
from coach.ui.widgets import button, label

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
        register_in_library(self.library, path)
        show_error(self.summary, None)
        self.exercise_saved.emit(exercise.id)
        self.accept()


def register_in_library(library: Library, path: Path) -> None:
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
