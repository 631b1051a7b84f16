"""Clinic -> file -> home -> report -> clinic, through the real widgets.

The physiotherapist builds a routine in the editor (with a clinic exercise
and its PNG picture) and hands it over; at home the file is opened, the
summary shows pictures and doses, "Use this plan" installs it and the home
card counts today's sessions; the report goes back and appears in the
clinician's patient list. File dialogs are replaced through their hooks.
"""

from __future__ import annotations

import struct
import zlib
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QPushButton, QWidget

from coach.core.clinic.handover import handed_over_folder, load_clinic_contact
from coach.core.clinic.handover_file import read_assignment
from coach.core.clinic.install import current_assignment
from coach.core.common.paths import Paths, resolve
from coach.core.content.library import Library
from coach.core.progress.store import Store
from coach.core.progress.store_rows import MeasureKind, SessionOutcome
from coach.ui.clinic.assignment_view import (
    AssignmentSummaryDialog,
    FileDropFilter,
    HandOverDialog,
    PatientListView,
    PlanOpener,
    TodayPlanWidget,
)
from coach.ui.clinic.editor import CustomExerciseDialog, PictureView, RoutineEditor


def png(width: int, height: int) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    raw = b"".join(b"\x00" + b"\x20\x90\x80" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


class Clock:
    def __init__(self, moment: datetime) -> None:
        self.moment = moment

    def __call__(self) -> datetime:
        return self.moment


def texts(widget: QWidget) -> str:
    QApplication.processEvents()  # labels added to a shown widget appear on the next turn
    return "\n".join(label.text() for label in widget.findChildren(QLabel) if not label.isHidden())


@pytest.fixture
def places(tmp_path: Path) -> tuple[Paths, Paths]:
    return resolve(tmp_path / "clinic"), resolve(tmp_path / "home")


@pytest.fixture(autouse=True)
def _hooks():  # type: ignore[no-untyped-def]
    saved = (
        CustomExerciseDialog.__dict__["picture_chooser"],
        HandOverDialog.__dict__["save_chooser"],
        TodayPlanWidget.__dict__["report_chooser"],
        PatientListView.__dict__["report_chooser"],
    )
    yield
    CustomExerciseDialog.picture_chooser = saved[0]
    HandOverDialog.save_chooser = saved[1]
    TodayPlanWidget.report_chooser = saved[2]
    PatientListView.report_chooser = saved[3]


def build_routine_at_the_clinic(qtbot, clinic: Paths, tmp_path: Path) -> tuple[RoutineEditor, str]:  # type: ignore[no-untyped-def]
    library = Library.load(clinic)
    editor = RoutineEditor(library, clinic, "en", clinician="Anna Berger")
    qtbot.addWidget(editor)
    editor.resize(1280, 900)
    editor.show()
    editor.new_routine()
    qtbot.keyClicks(editor.title_en, "Maria's morning routine")
    for ident in ("P1", "S1", "C2", "R1"):
        editor.add_exercise(ident)
    picture = tmp_path / "knee.png"
    picture.write_bytes(png(200, 150))
    CustomExerciseDialog.picture_chooser = staticmethod(lambda parent, done: done(picture))  # type: ignore[assignment]
    editor.open_custom_exercise()
    dialog = editor.dialog
    assert isinstance(dialog, CustomExerciseDialog)
    qtbot.keyClicks(dialog.fields["title"], "Knee hug on a chair")
    qtbot.keyClicks(dialog.fields["start_position"], "Sit near the front of a firm chair.")
    dialog.fields["steps"].setPlainText("Sit tall.\nHug one knee.\nLet go slowly.")  # type: ignore[union-attr]
    qtbot.keyClicks(dialog.fields["cue"], "Let your lower back round gently.")
    qtbot.mouseClick(dialog.findChild(QPushButton, "choose-start"), Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.findChild(QPushButton, "save-exercise"), Qt.MouseButton.LeftButton)
    editor.select(0)
    editor.f_reps.setValue(8)
    editor.times.setValue(2)
    assert editor.save()
    assert editor.routine_id is not None
    return editor, editor.routine_id


def test_clinic_to_home_to_clinic_round_trip(
    qtbot, places: tuple[Paths, Paths], tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    clinic, home = places
    editor, routine_id = build_routine_at_the_clinic(qtbot, clinic, tmp_path)
    requested: list[str] = []
    editor.handover_requested.connect(requested.append)
    qtbot.mouseClick(editor.handover_button, Qt.MouseButton.LeftButton)
    assert requested == [routine_id]

    # The clinic: hand over.
    target = tmp_path / "usb" / "maria.coach"
    HandOverDialog.save_chooser = staticmethod(lambda parent, suggested, done: done(target))  # type: ignore[assignment]
    handover = HandOverDialog(
        editor.library, clinic, "en", routine_ids=[routine_id], today=date(2026, 3, 2)
    )
    qtbot.addWidget(handover)
    handover.show()
    qtbot.keyClicks(handover.patient, "Maria Muster")
    qtbot.keyClicks(handover.clinician, "Anna Berger")
    qtbot.keyClicks(handover.clinic, "Physio am Park")
    qtbot.keyClicks(handover.phone, "+49 30 123456")
    qtbot.keyClicks(handover.goals[0], "Walk to the bakery")
    handover.measures["chair_stand"].setChecked(True)
    handover.hints["cannot_use_floor"].setChecked(True)
    with qtbot.waitSignal(handover.handed_over) as signal:
        qtbot.mouseClick(handover.save_button, Qt.MouseButton.LeftButton)
    written, assignment = signal.args
    assert written == target and target.is_file()
    assert "maria.coach" in handover.done_text.text()
    assert handover.pages.currentIndex() == 1
    assert (handed_over_folder(clinic) / f"{assignment.id}.coach").is_file()
    assert load_clinic_contact(clinic).phone == "+49 30 123456"  # type: ignore[union-attr]
    assert assignment.measures == ["pain", "walking_test", "psfs", "chair_stand"]

    # Home: open the file; the summary shows who, when, pictures and doses.
    home.ensure_data_dir()
    clock = Clock(datetime(2026, 3, 2, 8, tzinfo=UTC))
    store = Store.open(home.database, clock=clock)
    try:
        home_library = Library.load(home)
        window = QWidget()
        qtbot.addWidget(window)
        opener = PlanOpener(window, paths=home, store=store, library=home_library)
        summary = opener.open_file(target)
        assert isinstance(summary, AssignmentSummaryDialog) and summary.isVisible()
        shown = texts(summary)
        for words in (
            "For Maria Muster",
            "From Anna Berger, Physio am Park, +49 30 123456",
            "Review on 13 April 2026",
            "Maria's morning routine",
            "1. Pelvic tilt lying down",
            "8 times, hold 5 s",
            "Knee hug on a chair",
        ):
            assert words in shown, words
        pictures = [p for p in summary.findChildren(PictureView)]
        assert len(pictures) == 5 and all(p.valid for p in pictures)  # the PNG too
        assert current_assignment(store, home) is None  # nothing installed before "Use"
        with qtbot.waitSignal(opener.installed) as done:
            qtbot.mouseClick(
                summary.findChild(QPushButton, "summary-accept"), Qt.MouseButton.LeftButton
            )
        result = done.args[0]
        installed_id = result.installed.routine_ids[routine_id]
        assert installed_id in home_library.routines  # the open library sees it at once
        assert Library.load(home).problems == []
        # The health-profile hint was applied (and said so).
        assert isinstance(opener.message, QMessageBox) and "floor" in opener.message.text()

        # The home card: today's plan, counted from the store.
        card = TodayPlanWidget(store, home, home_library, "en", today=lambda: date(2026, 3, 2))
        qtbot.addWidget(card)
        card.show()
        assert card.headline == "Today: Maria's morning routine, 0 of 2 done"
        started: list[str] = []
        card.start_requested.connect(started.append)
        qtbot.mouseClick(
            card.findChild(QPushButton, f"today-start-{installed_id}"), Qt.MouseButton.LeftButton
        )
        assert started == [installed_id]
        for day in range(2, 9):
            clock.moment = datetime(2026, 3, day, 9, tzinfo=UTC)
            sid = store.start_session(installed_id, "Maria's morning routine", pain_before_back=5)
            if day == 4:
                store.end_session(sid, SessionOutcome.STOPPED, stop_reason="sharp_pain")
            else:
                store.end_session(sid, SessionOutcome.COMPLETED)
                store.set_pain_after(sid, back=4, leg=2)
        store.add_measure(MeasureKind.WALKING_TEST, {"first_symptoms_s": 300, "total_s": 540})
        card.refresh()
        card_today = TodayPlanWidget(
            store, home, home_library, "en", today=lambda: date(2026, 3, 8)
        )
        qtbot.addWidget(card_today)
        assert card_today.headline == "Today: Maria's morning routine, 1 of 2 done"

        # The report for the physiotherapist, saved from the card.
        report_path = tmp_path / "usb" / "maria.coachreport"
        TodayPlanWidget.report_chooser = staticmethod(
            lambda parent, suggested, done: done(report_path)
        )  # type: ignore[assignment]
        with qtbot.waitSignal(card_today.report_saved):
            qtbot.mouseClick(
                card_today.findChild(QPushButton, "today-report"), Qt.MouseButton.LeftButton
            )
        assert report_path.is_file()
    finally:
        store.close()

    # Back at the clinic: the patient list.
    PatientListView.report_chooser = staticmethod(lambda parent, done: done(report_path))  # type: ignore[assignment]
    patients = PatientListView(clinic, editor.library, "en")
    qtbot.addWidget(patients)
    patients.show()
    assert patients.table.rowCount() == 0
    qtbot.mouseClick(patients.import_button, Qt.MouseButton.LeftButton)
    assert patients.table.rowCount() == 1
    row = [patients.table.item(0, c).text() for c in range(patients.table.columnCount())]
    assert row[0] == "Maria Muster"
    assert row[1] == "2 Mar – 8 Mar 2026"
    assert row[2] == "7/14 · 50 %"
    # Related trends share a cell, so that the row fits a laptop screen.
    assert row[3] == "back 5 → 5\nleg –"
    assert row[4] == "9 → 9 min"
    assert row[6].startswith("1 stopped\n")
    detail = texts(patients)
    assert "The plan that was assigned" in detail
    assert "Maria's morning routine" in detail
    assert "1. Pelvic tilt lying down – 8 times, hold 5 s" in detail
    assert "Knee hug on a chair" in detail
    assert "Sharp pain" in detail


def test_handover_marks_missing_fields(qtbot, places: tuple[Paths, Paths], tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    clinic, _ = places
    called: list[Path] = []
    HandOverDialog.save_chooser = staticmethod(
        lambda parent, suggested, done: called.append(suggested)
    )  # type: ignore[assignment]
    dialog = HandOverDialog(Library.load(clinic), clinic, "en", today=date(2026, 3, 2))
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.review.setDate(dialog.start.date().addDays(-1))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert called == []
    for name, words in (
        ("patient", "✗ Write the patient's name."),
        ("clinician", "✗ Write your name"),
        ("dates", "✗ The review date is before the start."),
        ("routines", "✗ Tick at least one routine."),
    ):
        assert dialog.errors[name].isVisible() and dialog.errors[name].text().startswith(words)
    assert dialog.summary.isVisible()


def test_a_hostile_file_shows_one_message_and_changes_nothing(  # type: ignore[no-untyped-def]
    qtbot, places: tuple[Paths, Paths], tmp_path: Path
) -> None:
    _, home = places
    home.ensure_data_dir()
    bad = tmp_path / "evil.coach"
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("manifest.yaml", "kind: assignment\n")
        archive.writestr("../../evil.sh", "rm -rf ~")
    bad.write_bytes(buffer.getvalue())
    with Store.open(home.database) as store:
        window = QWidget()
        qtbot.addWidget(window)
        opener = PlanOpener(window, paths=home, store=store, library=Library.load(home))
        box = opener.open_file(bad)
        assert isinstance(box, QMessageBox)
        assert "nothing was changed" in box.text()
        assert "leaves its folder ('../../evil.sh')" in box.text()
        assert current_assignment(store, home) is None
    assert not (home.user_routines / "assigned").exists()


def test_files_dropped_on_the_window_are_opened(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    window = QWidget()
    qtbot.addWidget(window)
    window.setAcceptDrops(True)
    opened: list[Path] = []
    window.installEventFilter(FileDropFilter(window, opened.append))
    plan = tmp_path / "maria.coach"
    plan.write_bytes(b"PK")
    for path, wanted in ((tmp_path / "notes.txt", False), (plan, True)):
        mime = QMimeData()
        mime.setUrls([QUrl.fromLocalFile(str(path))])
        enter = QDragEnterEvent(
            QPoint(5, 5),
            Qt.DropAction.CopyAction,
            mime,
            Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier,
        )
        QApplication.sendEvent(window, enter)
        assert enter.isAccepted() == wanted
        drop = QDropEvent(
            QPointF(5, 5),
            Qt.DropAction.CopyAction,
            mime,
            Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier,
        )
        QApplication.sendEvent(window, drop)
    assert opened == [plan]


def test_today_card_hides_without_a_plan(qtbot, places: tuple[Paths, Paths]) -> None:  # type: ignore[no-untyped-def]
    _, home = places
    home.ensure_data_dir()
    with Store.open(home.database) as store:
        card = TodayPlanWidget(store, home, None, "en")
        qtbot.addWidget(card)
        assert card.isHidden() and card.headline == ""
    card = TodayPlanWidget(None, home, None, "en")
    qtbot.addWidget(card)
    assert card.isHidden()


def test_patient_list_refuses_a_broken_report(
    qtbot, places: tuple[Paths, Paths], tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    clinic, _ = places
    bad = tmp_path / "bad.coachreport"
    bad.write_text('{"kind": "coach-report", "format_version": 5}', encoding="utf-8")
    view = PatientListView(clinic, None, "en")
    qtbot.addWidget(view)
    view.show()
    assert not view.import_file(bad)
    assert view.error.isVisible() and "newer Coach" in view.error.text()
    assert view.table.rowCount() == 0


def test_summary_warns_about_an_allowed_extension_exercise(
    qtbot, places: tuple[Paths, Paths]
) -> None:  # type: ignore[no-untyped-def]
    from coach.core.clinic.handover import Contact, build_assignment
    from coach.core.content.model import Routine

    clinic, home = places
    routine = Routine.from_data(
        {
            "id": "ext",
            "title": {"en": "With a press-up"},
            "description": {"en": "x"},
            "items": [{"exercise": "P1"}, {"exercise": "X1"}],
            "permissions": {"allow_extension": ["X1"], "allowed_by": "Anna Berger"},
        }
    )
    assignment = build_assignment(
        [routine], Library.load(clinic), patient="Maria", clinician=Contact(name="Anna Berger")
    )
    dialog = AssignmentSummaryDialog(assignment, Library.load(home), "en")
    qtbot.addWidget(dialog)
    dialog.show()
    assert "⚠ This one arches the back. Your physiotherapist allowed it" in texts(dialog)


def test_read_back_of_the_written_file(places: tuple[Paths, Paths], tmp_path: Path) -> None:
    """The dialog writes what `read_assignment` accepts (guards the hook's path handling)."""
    clinic, home = places
    from coach.core.clinic.handover import Contact, build_assignment, write_assignment
    from coach.core.content.model import Routine

    routine = Routine.from_data(
        {"id": "r", "title": {"en": "R"}, "description": {"en": "d"}, "items": [{"exercise": "P1"}]}
    )
    plan = build_assignment(
        [routine], Library.load(clinic), patient="M", clinician=Contact(name="A")
    )
    path = write_assignment(tmp_path / "no-suffix", plan)
    assert path.name == "no-suffix.coach"
    assert read_assignment(path, Library.load(home)).id == plan.id
