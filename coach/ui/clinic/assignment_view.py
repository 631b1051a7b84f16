"""The hand-over between clinic and home, on screen.

- At the clinic: :class:`HandOverDialog` puts routines, contact, goals, dates
  and measures into a ``.coach`` file (the Patients page that lists the reports
  coming back is :mod:`coach.ui.clinic.patients_view`).
- At home: opening a ``.coach`` file (File > Open, drag and drop, ``coach
  import``) shows :class:`AssignmentSummaryDialog` to accept; accepted, the
  plan is installed. :class:`TodayPlanWidget` then says on the home page what
  today asks for ("Today: Daily relief, 1 of 2 done") and exports the report
  for the physiotherapist.

Every file dialog is a replaceable class attribute (``*_chooser``), opened
with ``open()`` and a callback, so tests drive the real widgets without a
native dialog.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, QSize, Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QCheckBox,
    QDialog,
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from coach.core.clinic.goals import goal_line
from coach.core.clinic.handover import (
    ASSIGNMENT_SUFFIX,
    HINT_LABELS,
    MEASURE_NAMES,
    Assignment,
    Contact,
    HandoverError,
    MeasureName,
    ProfileHints,
    build_assignment,
    item_plan_texts,
    keep_handed_over_copy,
    load_clinic_contact,
    save_clinic_contact,
    write_assignment,
)
from coach.core.clinic.handover_file import read_assignment
from coach.core.clinic.install import (
    InstallResult,
    current_assignment,
    from_installed_plan,
    install_assignment,
)
from coach.core.clinic.patients import patient_id_for
from coach.core.clinic.report import (
    REPORT_SUFFIX,
)
from coach.core.common.paths import Paths
from coach.core.content.custom_exercise import picture_kind, slug
from coach.core.content.library import Library
from coach.core.content.model import Exercise, Routine, Text
from coach.core.session.personal import AS_WRITTEN
from coach.core.session.plan import effective_dosage
from coach.ui.clinic.editor import PictureView, editor_style, error_label, show_error
from coach.ui.clinic.goals_editor import GoalsEditor
from coach.ui.clinic.programme_fields import ProgrammeFields, plan_dates_text
from coach.ui.i18n import T
from coach.ui.widgets import button, card, label

if TYPE_CHECKING:  # at run time through __getattr__ below, which avoids the circle
    from coach.ui.clinic.patients_view import PatientListView as PatientListView
    from coach.ui.clinic.patients_view import choose_report_path as choose_report_path
    from coach.ui.clinic.today_card import TodayPlanWidget as TodayPlanWidget

MEASURE_LABELS: dict[str, str] = {
    "pain": "Pain, back and leg",
    "walking_test": "Walking test",
    "psfs": "Activities that matter (PSFS)",
    "chair_stand": "30-second chair stand",
}
HINTS_OFFERED = (
    "cannot_use_floor",
    "fall_last_year",
    "osteoporosis",
    "back_operation_recent",
    "dizziness_on_standing",
    "blood_thinners",
)

FileChooser = Callable[[QWidget, Callable[[Path], None]], None]
SaveChooser = Callable[[QWidget, Path, Callable[[Path], None]], None]


def _date_text(day: dt.date, lang: str) -> str:
    from coach.core.content.wording import date_text

    return date_text(day, lang)


def _dose_text(item: Any, exercise: Exercise, lang: str) -> str:
    from coach.core.content.wording import dose_text

    dose = effective_dosage(item, exercise)
    text = dose_text(dose, lang)
    return f"{text}, {dose.load}" if dose.load else text


def _schedule_text(routine: Routine, lang: str) -> str:
    from coach.core.content.wording import schedule_text

    return schedule_text(routine.schedule, lang)


def _minutes(routine: Routine, exercises: dict[str, Exercise], lang: str) -> str:
    """A hand-over's routine as the clinician wrote it: the clinician choosing what to
    hand over, and the patient reading the summary before it is installed, see it so."""
    from coach.core.content.wording import minutes_text

    try:
        return minutes_text(AS_WRITTEN.plan_for(routine, exercises).total_seconds, lang)
    except ValueError:
        return ""


def _file_dialog(
    parent: QWidget,
    title: str,
    name_filter: str,
    done: Callable[[Path], None],
    *,
    save_as: Path | None = None,
    suffix: str = "",
) -> None:
    """A non-blocking file dialog; ``save_as`` makes it a save dialog with that suggestion."""
    dialog = QFileDialog(parent, title)
    dialog.setNameFilter(name_filter)
    if save_as is None:
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
    else:
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix(suffix)
        dialog.selectFile(str(save_as))
    dialog.fileSelected.connect(lambda name: done(Path(name)))
    dialog.open()


def choose_save_path(parent: QWidget, suggested: Path, done: Callable[[Path], None]) -> None:
    _file_dialog(
        parent,
        T("Save the hand-over file"),
        T("Coach plan (*.coach)"),
        done,
        save_as=suggested,
        suffix="coach",
    )


def choose_report_save_path(parent: QWidget, suggested: Path, done: Callable[[Path], None]) -> None:
    _file_dialog(
        parent,
        T("Save the report for your physiotherapist"),
        T("Coach report (*.coachreport)"),
        done,
        save_as=suggested,
        suffix="coachreport",
    )


def choose_open_path(parent: QWidget, done: Callable[[Path], None]) -> None:
    _file_dialog(
        parent,
        T("Open a file from your physiotherapist"),
        T("Coach files (*.coach *.coachreport)"),
        done,
    )


def _scroll(inner: QWidget) -> QScrollArea:
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidget(inner)
    return area


def _message(parent: QWidget | None, text: str, *, warning: bool = True) -> QMessageBox:
    icon = QMessageBox.Icon.Warning if warning else QMessageBox.Icon.Information
    box = QMessageBox(icon, "Coach", text, QMessageBox.StandardButton.Ok, parent)
    box.setObjectName("coach-message")
    box.open()
    return box


# --------------------------------------------------------------------------
# The clinic: hand over
# --------------------------------------------------------------------------


class HandOverDialog(QDialog):
    """Patient, contact, goals, dates, routines and measures -> a .coach file."""

    handed_over = Signal(object, object)  # the file (Path), the Assignment
    save_chooser: SaveChooser = staticmethod(choose_save_path)
    printer: Callable[[QWidget, Assignment, Library], None] | None = None
    """Set by the app when printing is available: prints the plan's sheets."""

    def __init__(
        self,
        library: Library,
        paths: Paths,
        lang: str = "en",
        parent: QWidget | None = None,
        *,
        routine_ids: list[str] | None = None,
        today: dt.date | None = None,
    ) -> None:
        super().__init__(parent)
        self.library = library
        self.paths = paths
        self.lang = lang
        self.assignment: Assignment | None = None
        self.written: Path | None = None
        self.setWindowTitle(T("Hand over a plan"))
        self.setMinimumSize(860, 700)
        self.setStyleSheet(editor_style())
        today = today or dt.date.today()
        outer = QVBoxLayout(self)
        outer.setContentsMargins(20, 16, 20, 16)
        self.pages = QStackedWidget()
        outer.addWidget(self.pages, 1)

        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setSpacing(8)
        layout.addWidget(label(T("Hand over a plan"), "h1"))
        layout.addWidget(
            label(
                T(
                    "Coach writes one file for the patient to open at home: the routines "
                    "with their pictures, your contact, the goals and the dates."
                ),
                "hint",
            )
        )
        self.errors: dict[str, QLabel] = {}

        def line(name: str, placeholder: str = "", accessible: str = "") -> QLineEdit:
            edit = QLineEdit()
            edit.setObjectName(f"handover-{name}")
            edit.setPlaceholderText(placeholder)
            edit.setAccessibleName(accessible or placeholder)
            return edit

        def form_grid() -> tuple[QGridLayout, Callable[[str, str, QWidget, bool], None]]:
            grid = QGridLayout()
            grid.setHorizontalSpacing(12)
            grid.setVerticalSpacing(4)
            grid.setColumnStretch(1, 1)
            rows = [0]

            def add(name: str, caption: str, widget: QWidget, error: bool = False) -> None:
                caption_label = label(caption, wrap=False)
                caption_label.setBuddy(widget)
                grid.addWidget(caption_label, rows[0], 0)
                grid.addWidget(widget, rows[0], 1)
                rows[0] += 1
                if error:
                    self.errors[name] = error_label(name)
                    grid.addWidget(self.errors[name], rows[0], 1)
                    rows[0] += 1

            return grid, add

        self.columns = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.columns.setSpacing(24)
        left = QVBoxLayout()
        left.setSpacing(6)
        left.addWidget(label(T("Who"), "h2"))
        who, add = form_grid()
        self.patient = line("patient", T("e.g. Maria Muster"), T("Patient's name"))
        add("patient", T("Patient *"), self.patient, True)
        contact = load_clinic_contact(paths)
        self.clinician = line("clinician", T("Your name"), T("Your name"))
        self.clinic = line("clinic", T("Practice or clinic"), T("Clinic"))
        self.phone = line("phone", T("For the patient's questions"), T("Phone"))
        self.email = line("email", T("optional"), T("E-mail"))
        if contact is not None:
            self.clinician.setText(contact.name)
            self.clinic.setText(contact.clinic or "")
            self.phone.setText(contact.phone or "")
            self.email.setText(contact.email or "")
        add("clinician", T("Clinician *"), self.clinician, True)
        add("clinic", T("Clinic"), self.clinic, False)
        add("phone", T("Phone"), self.phone, False)
        add("email", T("E-mail"), self.email, False)
        left.addLayout(who)

        left.addWidget(label(T("When"), "h2"))
        self.programme = ProgrammeFields(today, lang)
        self.programme.setObjectName("handover-programme")
        self.start, self.review = self.programme.start, self.programme.review
        self.errors["dates"] = self.programme.error
        left.addWidget(self.programme)

        left.addWidget(label(T("Goals (PSFS activities)"), "h2"))
        left.addWidget(
            label(
                T(
                    "What the patient wants to be able to do again, and how well it goes "
                    "today (0 cannot do it, 10 as before)."
                ),
                "hint",
            )
        )
        self.goals_editor = GoalsEditor()
        self.goals_editor.setObjectName("handover-goals")
        self.goals = self.goals_editor.texts
        self.more_goals = self.goals_editor.more
        self.errors["goals"] = error_label("goals")
        left.addWidget(self.goals_editor)
        left.addWidget(self.errors["goals"])
        left.addStretch(1)
        self.columns.addLayout(left, 1)

        right = QVBoxLayout()
        right.setSpacing(6)
        right.addWidget(label(T("Routines *"), "h2"))
        self.routines = QListWidget()
        self.routines.setObjectName("handover-routines")
        self.routines.setAccessibleName(T("Routines to hand over"))
        self.routines.setMinimumHeight(200)
        self.routines.setWordWrap(True)
        self.routines.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        chosen = set(routine_ids or [])
        for routine in self._offered_routines():
            item = QListWidgetItem(self._routine_line(routine))
            item.setData(Qt.ItemDataRole.UserRole, routine.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(
                Qt.CheckState.Checked if routine.id in chosen else Qt.CheckState.Unchecked
            )
            self.routines.addItem(item)
        right.addWidget(self.routines, 1)
        self.errors["routines"] = error_label("routines")
        right.addWidget(self.errors["routines"])
        right.addWidget(label(T("Measures to record"), "h2"))
        self.measures: dict[str, QCheckBox] = {}
        for name in MEASURE_NAMES:
            box = QCheckBox(T(MEASURE_LABELS[name]))
            box.setObjectName(f"measure-{name}")
            box.setChecked(name in ("pain", "walking_test", "psfs"))
            self.measures[name] = box
            right.addWidget(box)
        right.addWidget(label(T("What Coach should know"), "h2"))
        self.hints: dict[str, QCheckBox] = {}
        for hint in HINTS_OFFERED:
            box = QCheckBox(T(HINT_LABELS[hint]))
            box.setObjectName(f"hint-{hint}")
            self.hints[hint] = box
            right.addWidget(box)
        right.addWidget(label(T("Progression and next step (optional)"), "h2"))
        self.progression = line(
            "progression",
            T("e.g. +2 repetitions a week while pain stays within the rule"),
            T("Progression and next step"),
        )
        right.addWidget(self.progression)
        self.columns.addLayout(right, 1)
        layout.addLayout(self.columns)
        layout.addStretch(1)
        form_area = _scroll(body)
        form_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.pages.addWidget(form_area)

        done = QWidget()
        done_layout = QVBoxLayout(done)
        done_layout.setSpacing(14)
        done_layout.addWidget(label("✓ " + T("The plan is ready"), "h1"))
        self.done_text = label("")
        self.done_text.setObjectName("handover-done")
        done_layout.addWidget(self.done_text)
        done_layout.addStretch(1)
        self.pages.addWidget(done)

        self.summary = error_label("handover-summary")
        outer.addWidget(self.summary)
        buttons = QHBoxLayout()
        self.print_button = button(T("Print the plan…"), accessible=T("Print the plan"))
        self.print_button.setObjectName("handover-print")
        self.print_button.clicked.connect(self._on_print_clicked)
        self.print_button.setVisible(type(self).printer is not None)
        buttons.addWidget(self.print_button)
        buttons.addStretch(1)
        self.cancel_button = button(T("Cancel"))
        self.cancel_button.setObjectName("handover-cancel")
        self.cancel_button.clicked.connect(self.reject)
        self.save_button = button(T("Save the file…"), "primary", accessible=T("Save the file"))
        self.save_button.setObjectName("handover-save")
        self.save_button.clicked.connect(self._on_save_clicked)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.save_button)
        outer.addLayout(buttons)

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        em = max(1, self.fontMetrics().horizontalAdvance("m"))
        across = QBoxLayout.Direction.LeftToRight
        down = QBoxLayout.Direction.TopToBottom
        wanted = down if self.width() < 48 * em else across
        if self.columns.direction() != wanted:
            self.columns.setDirection(wanted)

    # -- content ---------------------------------------------------------------------
    def _offered_routines(self) -> list[Routine]:
        mine: list[Routine] = []
        builtin: list[Routine] = []
        for routine in self.library.routines.values():
            if from_installed_plan(self.library, self.paths, "routine", routine.id):
                continue  # installed from a clinician's plan
            origin = self.library.origin("routine", routine.id)
            (builtin if origin == "builtin" else mine).append(routine)
        key: Callable[[Routine], str] = lambda r: r.title.get(self.lang).casefold()  # noqa: E731
        return sorted(mine, key=key) + sorted(builtin, key=key)

    def _routine_line(self, routine: Routine) -> str:
        facts = [
            _minutes(routine, self.library.exercises, self.lang),
            T("{n} exercises").format(n=len(routine.items)),
            _schedule_text(routine, self.lang),
        ]
        mark = (
            "" if self.library.origin("routine", routine.id) != "builtin" else " " + T("(built-in)")
        )
        return f"{routine.title.get(self.lang)}{mark}\n" + " · ".join(f for f in facts if f)

    def chosen_routines(self) -> list[Routine]:
        out = []
        for i in range(self.routines.count()):
            item = self.routines.item(i)
            if item.checkState() == Qt.CheckState.Checked:
                out.append(self.library.routines[str(item.data(Qt.ItemDataRole.UserRole))])
        return out

    def contact(self) -> Contact | None:
        name = self.clinician.text().strip()
        if not name:
            return None
        return Contact(
            name=name,
            clinic=self.clinic.text(),
            phone=self.phone.text(),
            email=self.email.text(),
        )

    def build(self) -> Assignment | None:
        """The assignment from the form, or None with the problems shown inline."""
        problems: dict[str, str] = {}
        if not self.patient.text().strip():
            problems["patient"] = T("Write the patient's name.")
        contact = self.contact()
        if contact is None:
            problems["clinician"] = T("Write your name: the patient sees who the plan is from.")
        start, review = self.programme.start_date(), self.programme.review_date()
        if review < start:
            problems["dates"] = T("The review date is before the start.")
        goals_problem = self.goals_editor.problem()
        if goals_problem:
            problems["goals"] = goals_problem
        routines = self.chosen_routines()
        if not routines:
            problems["routines"] = T("Tick at least one routine.")
        for name, widget in self.errors.items():
            show_error(widget, problems.get(name))
        if problems or contact is None:
            show_error(
                self.summary,
                T("Not saved: fix the {n} marked field(s) first.").format(n=len(problems)),
            )
            return None
        hints = {name: True for name, box in self.hints.items() if box.isChecked()}
        progression = self.progression.text().strip()
        measures: list[MeasureName] = [n for n in MEASURE_NAMES if self.measures[n].isChecked()]
        try:
            assignment = build_assignment(
                routines,
                self.library,
                patient=self.patient.text(),
                # The same patient keeps the id the clinic gave them before, so their
                # reports stay one row in the Patients list.
                patient_id=patient_id_for(self.paths, self.patient.text()),
                clinician=contact,
                goals=self.goals_editor.goals(),
                start=start,
                review=review,
                weeks=self.programme.weeks_value(),
                measures=measures,
                progression=Text.of(progression) if progression else None,
                profile_hints=ProfileHints(**hints) if hints else None,
            )
        except HandoverError as exc:
            show_error(self.summary, exc.message)
            return None
        show_error(self.summary, None)
        return assignment

    # -- actions ---------------------------------------------------------------------
    def _on_save_clicked(self) -> None:
        assignment = self.build()
        if assignment is None:
            return
        self.assignment = assignment
        name = slug(assignment.patient.name, 40) or "plan"
        suggested = Path.home() / f"{name}{ASSIGNMENT_SUFFIX}"
        type(self).save_chooser(self, suggested, self._write)

    def _write(self, path: Path) -> None:
        assert self.assignment is not None
        try:
            written = write_assignment(path, self.assignment)
        except OSError as exc:
            show_error(self.summary, T("Could not save: {why}").format(why=exc.strerror or exc))
            return
        contact = self.assignment.clinician
        try:
            keep_handed_over_copy(self.paths, self.assignment)
            save_clinic_contact(self.paths, contact)
        except OSError:
            pass  # the file for the patient is written; the clinic's copy is a convenience
        self.written = written
        first = self.assignment.patient.name.split()[0]
        self.done_text.setText(
            T(
                "Saved as {file} in {folder}.\n\nGive the file to {name} on a USB stick or by "
                "e-mail. At home, {name} opens it in Coach (File > Open, or drag it onto the "
                "window) and the plan appears on the home page."
            ).format(file=written.name, folder=written.parent, name=first)
        )
        self.pages.setCurrentIndex(1)
        self.save_button.hide()
        self.cancel_button.setText(T("Close"))
        self.cancel_button.setAccessibleName(T("Close"))
        self.handed_over.emit(written, self.assignment)

    def _on_print_clicked(self) -> None:
        printer = type(self).printer
        assignment = self.assignment or self.build()
        if printer is not None and assignment is not None:
            printer(self, assignment, self.library)


# --------------------------------------------------------------------------
# At home: the summary to accept, and installing
# --------------------------------------------------------------------------


class AssignmentSummaryDialog(QDialog):
    """What the plan holds, with pictures and doses, before anything is installed."""

    accepted_plan = Signal()

    def __init__(
        self,
        assignment: Assignment,
        library: Library,
        lang: str = "en",
        parent: QWidget | None = None,
        *,
        replaces: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.assignment = assignment
        self.setWindowTitle(T("A plan from your physiotherapist"))
        self.setMinimumSize(820, 680)
        self.setStyleSheet(editor_style())
        a = assignment
        exercises = dict(library.exercises) | {e.id: e for e in a.exercises}
        outer = QVBoxLayout(self)
        outer.setContentsMargins(20, 16, 20, 16)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setSpacing(10)
        layout.addWidget(label(T("A plan from your physiotherapist"), "h1"))
        layout.addWidget(label(T("For {name}").format(name=a.patient.name), "h2"))
        who = T("From {who}").format(who=a.clinician.line())
        layout.addWidget(label(who))
        layout.addWidget(label(plan_dates_text(a, lang)))  # a new plan: its length
        if a.goals:
            layout.addWidget(label(T("Your goals"), "h2"))
            for goal in a.goals:
                layout.addWidget(label("• " + goal_line(goal, lang)))
        if replaces:
            layout.addWidget(label("ℹ " + replaces, "hint"))
        for routine in a.routines:
            frame, box = card()
            head = QHBoxLayout()
            head.addWidget(label(routine.title.get(lang), "h2"), 1)
            box.addLayout(head)
            facts = [_minutes(routine, exercises, lang), _schedule_text(routine, lang)]
            box.addWidget(label(" · ".join(f for f in facts if f), "hint"))
            allowed = a.allowed_extension(routine)
            for n, item in enumerate(routine.items, 1):
                ex = exercises.get(item.exercise)
                if ex is None:
                    continue
                row = QHBoxLayout()
                picture = PictureView(minimum=QSize(112, 84))
                picture.setFixedSize(QSize(128, 96))
                picture.setAccessibleName(T("Picture: {title}").format(title=ex.title.get(lang)))
                ref = ex.illustrations.end
                if ref in a.pictures:
                    picture.set_picture(data=a.pictures[ref], svg=picture_kind(ref) == "svg")
                else:
                    picture.set_picture(path=library.illustration(ex.id, "end"))
                row.addWidget(picture)
                text = QVBoxLayout()
                text.setSpacing(2)
                text.addWidget(label(f"{n}. {ex.title.get(lang)}", None))
                text.addWidget(label(_dose_text(item, ex, lang), "hint"))
                if item.note:
                    text.addWidget(label("“" + item.note.get(lang) + "”"))
                for caption, words in item_plan_texts(item, lang):
                    text.addWidget(label(f"{caption}: {words}", "hint"))
                if ex.lumbar_extension and ex.id in allowed:
                    text.addWidget(
                        label(
                            "⚠ "
                            + T(
                                "This one arches the back. Your physiotherapist allowed it "
                                "for you; stop if leg symptoms do not settle within a minute."
                            ),
                            "caution",
                        )
                    )
                text.addStretch(1)
                row.addLayout(text, 1)
                box.addLayout(row)
            layout.addWidget(frame)
        if a.progression:
            layout.addWidget(label(T("Next step: {text}").format(text=a.progression.get(lang))))
        layout.addStretch(1)
        outer.addWidget(_scroll(body), 1)
        row = QHBoxLayout()
        row.addWidget(
            label(T("Your progress so far stays as it is."), "hint"),
            1,
        )
        later = button(T("Not now"))
        later.setObjectName("summary-later")
        later.clicked.connect(self.reject)
        use = button(T("Use this plan"), "primary")
        use.setObjectName("summary-accept")
        use.clicked.connect(self._on_accept_clicked)
        use.setDefault(True)
        row.addWidget(later)
        row.addWidget(use)
        outer.addLayout(row)

    def _on_accept_clicked(self) -> None:
        self.accepted_plan.emit()
        self.accept()


def refresh_library(library: Library, paths: Paths, result: InstallResult) -> None:
    """Let an open library see the installed plan (and forget the one it replaced)."""
    from coach.core.content.files import yaml_files

    stale = set()
    if result.replaced is not None:
        stale |= {("routine", i) for i in result.replaced.routine_ids.values()}
        stale |= {("exercise", i) for i in result.replaced.exercise_ids.values()}
    for kind, ident in stale:
        library.sources.pop((kind, ident), None)
        library.origins.pop((kind, ident), None)
        if kind == "routine":
            library.routines.pop(ident, None)
        else:
            library.exercises.pop(ident, None)
    folder = result.installed.folder
    files = yaml_files(folder) if folder.is_dir() else []
    exercises = [f for f in files if f.stem in result.installed.exercise_ids.values()]
    routines = [f for f in files if f not in exercises]
    library.add_files(exercises + routines, "user")


class PlanOpener(QObject):
    """Open a .coach file at home: check it, show the summary, install on "Use this plan".

    ``installed`` is emitted after a successful install (with the InstallResult);
    a refused file shows one clear message and changes nothing.
    """

    installed = Signal(object)

    def __init__(
        self,
        parent: QWidget,
        *,
        paths: Paths,
        store: Any,
        library: Library,
        lang: str = "en",
    ) -> None:
        super().__init__(parent)
        self._parent = parent
        self.paths = paths
        self.store = store
        self.library = library
        self.lang = lang
        self.dialog: QDialog | None = None
        self.message: QMessageBox | None = None

    def open_file(self, path: Path) -> QDialog | QMessageBox:
        path = Path(path)
        try:
            assignment = read_assignment(path, self.library)
            raw = path.read_bytes()
        except HandoverError as exc:
            return self._tell(
                T("This file cannot be used, nothing was changed.") + "\n\n" + exc.message
            )
        except OSError as exc:
            return self._tell(T("This file cannot be read: {why}").format(why=exc.strerror or exc))
        replaces = None
        current = current_assignment(self.store, self.paths) if self.store is not None else None
        if current is not None and current.slot == _slot(assignment):
            replaces = T("This plan replaces the one from {date}.").format(
                date=_date_text(current.assignment.created.astimezone().date(), self.lang)
            )
        dialog = AssignmentSummaryDialog(
            assignment, self.library, self.lang, self._parent, replaces=replaces
        )
        self.dialog = dialog
        dialog.accepted_plan.connect(lambda: self._install(assignment, raw))
        dialog.open()
        return dialog

    def _install(self, assignment: Assignment, raw: bytes) -> None:
        if self.store is None:
            self._tell(T("Coach's progress file is not available, so the plan cannot be kept."))
            return
        try:
            result = install_assignment(
                assignment, self.paths, self.store, library=self.library, raw=raw
            )
        except HandoverError as exc:
            self._tell(exc.message)
            return
        refresh_library(self.library, self.paths, result)
        if result.notes:
            self._tell("\n\n".join(result.notes), warning=False)
        self.installed.emit(result)

    def _tell(self, text: str, *, warning: bool = True) -> QMessageBox:
        self.message = _message(self._parent, text, warning=warning)
        return self.message


def _slot(assignment: Assignment) -> str:
    from coach.core.clinic.install import clinician_slot

    return clinician_slot(assignment.clinician)


class FileDropFilter(QObject):
    """Install on a window (with ``setAcceptDrops(True)``): .coach and .coachreport drops.

    ``window.installEventFilter(FileDropFilter(window, on_file))``.
    """

    SUFFIXES = (ASSIGNMENT_SUFFIX, REPORT_SUFFIX)

    def __init__(self, parent: QObject, on_file: Callable[[Path], None]) -> None:
        super().__init__(parent)
        self._on_file = on_file

    def _path(self, event: QDragEnterEvent | QDropEvent) -> Path | None:
        mime = event.mimeData()
        if not mime.hasUrls():
            return None
        for url in mime.urls():
            if url.isLocalFile():
                path = Path(url.toLocalFile())
                if path.suffix.lower() in self.SUFFIXES:
                    return path
        return None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if isinstance(event, QDragEnterEvent | QDropEvent) and event.type() in (
            QEvent.Type.DragEnter,
            QEvent.Type.DragMove,
            QEvent.Type.Drop,
        ):
            path = self._path(event)
            if path is None:
                return False
            event.acceptProposedAction()
            if event.type() == QEvent.Type.Drop:
                self._on_file(path)
            return True
        return super().eventFilter(watched, event)


def _clear(layout: Any) -> None:
    """Empty a layout now: hidden at once, deleted later (no overdraw in between)."""
    while layout.count():
        item = layout.takeAt(0)
        if item is None:
            break
        widget = item.widget()
        if widget is not None:
            widget.hide()
            widget.deleteLater()
        elif item.layout() is not None:
            _clear(item.layout())
            item.layout().deleteLater()


def __getattr__(name: str) -> Any:
    # The Patients page has a module of its own; importing it from here lazily keeps
    # the old name working without a circle (it uses this module's helpers).
    if name in ("PatientListView", "choose_report_path"):
        from coach.ui.clinic import patients_view

        return getattr(patients_view, name)
    if name == "TodayPlanWidget":
        from coach.ui.clinic import today_card

        return today_card.TodayPlanWidget
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "AssignmentSummaryDialog",
    "FileDropFilter",
    "HandOverDialog",
    "PatientListView",
    "PlanOpener",
    "TodayPlanWidget",
    "choose_open_path",
    "refresh_library",
]
