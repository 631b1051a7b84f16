"""Four real prescriptions, from the clinic's editor to the Patients list and back.

Each is built in the real editor and hand-over dialog as a physiotherapist
does (typing, clicking; no YAML), opened and accepted at home, looked at in
the real player as the patient sees it, played through the session runner on
a fake clock into a real SQLite store, reported, and imported at the clinic:

1. a flexion programme with a level treadmill walk of up to 45 min that stops
   at the first symptoms, 2 × a week for 6 weeks;
2. a boot-camp home programme: 4 fixed walking stages of 6 min with 2-min
   seated flexion breaks, and three goals scored 3, 4 and 2;
3. an extension exercise allowed for one patient, with its caution, and a note;
4. after a hip replacement: the clinic's own exercise with its own photo, and
   an item the health answers would leave out that the clinician keeps.

Set COACH_SHOTS to a folder to keep a picture of every stage.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QCheckBox, QLabel, QPushButton, QWidget

from coach.core.clinic.install import current_assignment
from coach.core.clinic.patients import patient_list
from coach.core.clinic.report import Period, export_report_data, write_report_file
from coach.core.common.paths import Paths, resolve
from coach.core.common.settings import Preferences
from coach.core.content.library import Library
from coach.core.content.model import WalkKind
from coach.core.progress.store import Store
from coach.core.progress.store_rows import MeasureKind, SessionOutcome
from coach.core.session.plan import Phase
from coach.core.session.profile import BodySide, HealthProfile, Joint, JointReplacement
from coach.core.session.runner import SessionRunner, State, StepFinished
from coach.ui.clinic.assignment_view import HandOverDialog, PlanOpener
from coach.ui.clinic.editor import CustomExerciseDialog, RoutineEditor
from coach.ui.clinic.patients_view import PatientListView
from coach.ui.main_window import MainWindow
from coach.ui.session.player import PlayerView
from tests.fixtures.clinic_photo import YELLOW, near, photo

pytestmark = pytest.mark.slow

START = date(2026, 3, 2)  # a Monday
SHOTS = os.environ.get("COACH_SHOTS")


def shot(widget: QWidget, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        widget.grab().save(str(Path(SHOTS) / f"{name}.png"))


def texts(widget: QWidget) -> str:
    QApplication.processEvents()
    return "\n".join(w.text() for w in widget.findChildren(QLabel) if w.isVisible())


def click(qtbot, widget: QWidget) -> None:  # type: ignore[no-untyped-def]
    where = QPoint(8, widget.height() // 2) if isinstance(widget, QCheckBox) else None
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=where or widget.rect().center())


def type_into(qtbot, field, text: str) -> None:  # type: ignore[no-untyped-def]
    field.setFocus()
    field.lineEdit().selectAll()
    qtbot.keyClicks(field.lineEdit(), text)
    qtbot.keyClick(field.lineEdit(), Qt.Key.Key_Return)


@dataclass
class Prescription:
    name: str
    patient: str
    build: Callable[[object, RoutineEditor, Path], None]
    goals: tuple[tuple[str, int | None], ...] = ()
    weeks: int = 6
    profile: HealthProfile | None = None


def flexion(qtbot, editor: RoutineEditor, tmp: Path) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClicks(editor.title_en, "Flexion programme")
    for ident in ("P1", "S1", "C2", "A3"):
        editor.add_exercise(ident)
    editor.select(3)
    editor.f_walk_kind.setCurrentIndex(editor.f_walk_kind.findData(WalkKind.TREADMILL_LEVEL.value))
    type_into(qtbot, editor.f_bouts, "1")
    click(qtbot, editor.f_fixed)
    type_into(qtbot, editor.f_bout, "45 min")
    click(qtbot, editor.f_limit)
    click(qtbot, editor.f_stop)
    click(qtbot, editor.weekly)
    editor.per_week.clear()
    qtbot.keyClicks(editor.per_week, "2")
    qtbot.keyClick(editor.per_week, Qt.Key.Key_Enter)


def boot_camp(qtbot, editor: RoutineEditor, tmp: Path) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClicks(editor.title_en, "Boot camp at home")
    for ident in ("C1", "T6", "A3"):
        editor.add_exercise(ident)
    editor.select(1)
    qtbot.keyClicks(editor.plan_edits[("progression", "en")], "+1 rep a week up to 15")
    editor.select(2)
    type_into(qtbot, editor.f_bouts, "4")
    click(qtbot, editor.f_fixed)
    type_into(qtbot, editor.f_bout, "6")
    type_into(qtbot, editor.f_break, "2 min")
    click(qtbot, editor.f_seated)


def extension(qtbot, editor: RoutineEditor, tmp: Path) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClicks(editor.title_en, "Tailored for Ms Weber")
    editor.add_exercise("P1")
    editor.add_exercise("X1")
    dialog = editor.dialog
    dialog.who.selectAll()  # type: ignore[union-attr]
    qtbot.keyClicks(dialog.who, "B. Physio")  # type: ignore[union-attr]
    click(qtbot, dialog.findChild(QPushButton, "extension-allow"))  # type: ignore[union-attr]
    editor.select(0)
    qtbot.keyClicks(editor.f_note_en, "Slowly, and only as far as it is comfortable.")


def hip(qtbot, editor: RoutineEditor, tmp: Path) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClicks(editor.title_en, "After the new hip")
    for ident in ("P1", "S1"):
        editor.add_exercise(ident)
    picture = photo(tmp / "clinic-photo.png")
    CustomExerciseDialog.picture_chooser = staticmethod(lambda parent, done: done(picture))  # type: ignore[assignment]
    editor.open_custom_exercise()
    dialog = editor.dialog
    assert isinstance(dialog, CustomExerciseDialog)
    qtbot.keyClicks(dialog.fields["title"], "Side step at the counter")
    qtbot.keyClicks(dialog.fields["start_position"], "Stand at the kitchen counter, holding on.")
    dialog.fields["steps"].setPlainText(  # type: ignore[union-attr]
        "Stand tall, knees soft.\nStep sideways with the new hip's leg.\nBring the other foot after."
    )
    qtbot.keyClicks(dialog.fields["cue"], "Keep your lower back soft, as if sitting.")
    click(qtbot, dialog.findChild(QPushButton, "choose-start"))
    click(qtbot, dialog.findChild(QPushButton, "save-exercise"))
    editor.select(1)  # S1 bends the hip past 90°: the surgeon's rules would leave it out
    click(qtbot, editor.f_keep)


PRESCRIPTIONS = [
    Prescription("flexion", "Hans Keller", flexion, weeks=6),
    Prescription(
        "boot-camp",
        "Maria Muster",
        boot_camp,
        goals=(("Walk to the bakery", 3), ("Garden for an hour", 4), ("Stand to cook", 2)),
    ),
    Prescription("extension", "Eva Weber", extension),
    Prescription(
        "hip",
        "Otto Brandt",
        hip,
        profile=HealthProfile(
            completed=True,
            joint_replacements=[JointReplacement(joint=Joint.HIP, side=BodySide.LEFT)],
        ),
    ),
]


@pytest.fixture(autouse=True)
def _hooks():  # type: ignore[no-untyped-def]
    saved = (
        CustomExerciseDialog.__dict__["picture_chooser"],
        HandOverDialog.__dict__["save_chooser"],
    )
    RoutineEditor.today = staticmethod(lambda: START)  # type: ignore[assignment]
    yield
    CustomExerciseDialog.picture_chooser, HandOverDialog.save_chooser = saved
    del RoutineEditor.today


def hand_over(qtbot, p: Prescription, clinic: Paths, tmp: Path) -> Path:  # type: ignore[no-untyped-def]
    editor = RoutineEditor(Library.load(clinic), clinic, "en", clinician="B. Physio")
    qtbot.addWidget(editor)
    editor.resize(1366, 740)
    editor.show()
    qtbot.waitExposed(editor)
    editor.new_routine()
    p.build(qtbot, editor, tmp)
    assert editor.save(), editor.problems()
    shot(editor, f"{p.name}-1-editor")
    target = tmp / "usb" / f"{p.name}.coach"
    HandOverDialog.save_chooser = staticmethod(lambda parent, suggested, done: done(target))  # type: ignore[assignment]
    dialog = HandOverDialog(
        editor.library, clinic, "en", routine_ids=[editor.routine_id or ""], today=START
    )
    qtbot.addWidget(dialog)
    dialog.resize(1100, 740)
    dialog.show()
    qtbot.keyClicks(dialog.patient, p.patient)
    dialog.clinician.selectAll()
    qtbot.keyClicks(dialog.clinician, "B. Physio")
    dialog.programme.weeks.selectAll()
    qtbot.keyClicks(dialog.programme.weeks, str(p.weeks))
    qtbot.keyClick(dialog.programme.weeks, Qt.Key.Key_Enter)
    for n, (goal, score) in enumerate(p.goals):
        qtbot.keyClicks(dialog.goals_editor.texts[n], goal)
        if score is not None:
            dialog.goals_editor.baselines[n].selectAll()
            qtbot.keyClicks(dialog.goals_editor.baselines[n], str(score))
            qtbot.keyClick(dialog.goals_editor.baselines[n], Qt.Key.Key_Enter)
    shot(dialog, f"{p.name}-2-handover")
    with qtbot.waitSignal(dialog.handed_over):
        click(qtbot, dialog.save_button)
    assert target.is_file()
    return target


def play_at_home(
    store: Store, plan, when: datetime, clock: list[datetime], symptoms_after_s: float = 0
) -> int:  # type: ignore[no-untyped-def]
    """One session as a person plays it: every step to its end; first symptoms in a walk."""
    clock[0] = when
    seconds = [0.0]
    runner = SessionRunner(plan, clock=lambda: seconds[0])
    sid = store.start_session(
        "x", "x", pain_before_back=4, pain_before_leg=3, planned_total_s=plan.total_seconds
    )
    return _run(store, runner, sid, seconds, symptoms_after_s)


def _run(
    store: Store, runner: SessionRunner, sid: int, seconds: list[float], symptoms_s: float
) -> int:
    def record(events: list[object]) -> None:
        for event in events:
            if isinstance(event, StepFinished):
                store.record_step(sid, event.result)

    record(runner.start())
    while runner.state not in (State.FINISHED, State.STOPPED):
        step = runner.current_step
        if runner.state is State.WAITING_FOR_TAP:
            seconds[0] += 5
            record(runner.tap())
        elif runner.state is State.WAITING_TO_SETTLE:
            record(runner.settled())
        elif step.phase is Phase.WALK and symptoms_s and step.ends_at_symptoms:
            seconds[0] += symptoms_s
            record(runner.mark_symptoms())
        else:
            wake = runner.next_deadline()
            assert wake is not None
            seconds[0] = wake
            record(runner.update())
    store.end_session(sid, SessionOutcome.COMPLETED)
    store.set_pain_after(sid, back=2, leg=1)
    return sid


@pytest.mark.parametrize("p", PRESCRIPTIONS, ids=[p.name for p in PRESCRIPTIONS])
def test_a_prescription_arrives_whole_and_comes_back_whole(  # type: ignore[no-untyped-def]
    qtbot, tmp_path: Path, p: Prescription
) -> None:
    clinic, home = resolve(tmp_path / "clinic"), resolve(tmp_path / "home")
    file = hand_over(qtbot, p, clinic, tmp_path)

    # Home: open the file and accept it, in the real main window.
    home.ensure_data_dir()
    moment = [datetime(2026, 3, 2, 8, 0, tzinfo=UTC)]
    store = Store.open(home.database, clock=lambda: moment[0])
    try:
        from coach.ui import i18n, theme

        app = QApplication.instance()
        assert isinstance(app, QApplication)
        i18n.set_language("en", home.assets)
        theme.load_fonts(home.assets)
        theme.apply(app, 125)
        library = Library.load(home)
        window = MainWindow(home, Preferences(), library)
        qtbot.addWidget(window)
        window.store = store
        window.flow.store = store
        window.flow.set_profile(p.profile or HealthProfile(completed=True))
        window.resize(1366, 700)
        window.show()
        opener = PlanOpener(window, paths=home, store=store, library=library)
        summary = opener.open_file(file)
        shot(summary, f"{p.name}-3-summary")
        with qtbot.waitSignal(opener.installed) as done:
            click(qtbot, summary.findChild(QPushButton, "summary-accept"))
        installed = done.args[0].installed
        (routine_id,) = installed.routine_ids.values()
        routine = library.routines[routine_id]
        personal = window.personal_plan(routine)
        assert personal.plan is not None
        plan = personal.plan
        check_what_the_patient_sees(qtbot, p, window, plan, routine_id)

        # Two weeks at home, on the days the patient picks.
        for day in (2, 5, 9, 12):
            play_at_home(store, plan, datetime(2026, 3, day, 9, 0, tzinfo=UTC), moment, 17 * 60)
        if p.goals:
            store.add_measure(
                MeasureKind.PSFS,
                {"scores": {"Walk to the bakery": 6, "Garden for an hour": 5}},
                taken=datetime(2026, 3, 12, 18, 0, tzinfo=UTC),
            )
        moment[0] = datetime(2026, 3, 15, 18, 0, tzinfo=UTC)
        report = export_report_data(
            store,
            current_assignment(store, home),
            Period(START, date(2026, 3, 15)),
            library=library,
            inputs=window.personal_inputs(),
            now=moment[0],
            tz=UTC,
        )
        report_file = write_report_file(tmp_path / "usb" / f"{p.name}.coachreport", report)
    finally:
        store.close()

    check_the_report(p, report)
    if os.environ.get("COACH_DUMP"):
        import json

        Path(os.environ["COACH_DUMP"]).write_text(json.dumps(report, indent=1, default=str))

    # The clinic: the Patients list, one row, the changes at home and the goals.
    PatientListView.report_chooser = staticmethod(lambda parent, done: done(report_file))  # type: ignore[assignment]
    patients = PatientListView(clinic, Library.load(clinic), "en")
    qtbot.addWidget(patients)
    patients.resize(1366, 700)
    patients.show()
    click(qtbot, patients.import_button)
    assert patients.table.rowCount() == 1
    shot(patients, f"{p.name}-6-patients")
    (row,), problems = patient_list(clinic)
    assert problems == [] and row.report.patient.name == p.patient
    row_texts = [patients.table.item(0, c).text() for c in range(patients.table.columnCount())]
    # Every minute of the 4 sessions was done; 2 a week plans 4 in two weeks.
    assert row_texts[2].startswith("4/4 · 100 %" if p.name == "flexion" else "4/14"), row_texts
    assert "time done 100 %" in row_texts[2], row_texts
    if p.goals:
        trends = {t.activity: (t.baseline, t.latest) for t in row.goal_trends}
        assert trends == {
            "Walk to the bakery": (3, 6),
            "Garden for an hour": (4, 5),
            "Stand to cook": (2, None),
        }
    if p.name == "hip":
        (kept,) = [c for c in row.home_changes if c.kind == "kept"]
        assert kept.exercise == "S1" and "B. Physio marked it on 02 Mar 2026" in kept.what.get("en")
        assert "kept as B. Physio marked it" in texts(patients)


def check_what_the_patient_sees(qtbot, p: Prescription, window: MainWindow, plan, rid: str) -> None:  # type: ignore[no-untyped-def]
    """The player as the patient sees it: the clinician's words, the photo, the walk."""
    steps = plan.steps
    if p.name == "flexion":
        walks = [s for s in steps if s.phase is Phase.WALK]
        assert [(s.seconds, s.ends_at_symptoms) for s in walks] == [(2700, True)]
        assert window.personal_plan(window.lib.routines[rid]).written.schedule.times_per_week == 2
    if p.name == "boot-camp":
        timeline = [(s.phase, s.seconds, s.exercise_id) for s in steps
                    if s.phase in (Phase.WALK, Phase.FLEXION_BREAK)]  # fmt: skip
        walk, rest = (Phase.WALK, 360, "A3"), (Phase.FLEXION_BREAK, 120, "C2")
        assert timeline == [walk, rest, walk, rest, walk, rest, walk]
    player = PlayerView(plan, window.lib, sound=False, voice=False)
    qtbot.addWidget(player)
    player.resize(1366, 700)
    player.show()
    player.start()
    wanted = {"extension": "X1", "hip": None, "flexion": "A3", "boot-camp": "A3"}[p.name]
    custom = next((s.exercise_id for s in steps if s.exercise_id and "." in s.exercise_id), None)
    target = wanted or custom
    for _ in range(len(steps)):
        if player.runner.current_step.exercise_id == target:
            break
        player.skip()
    assert player.runner.current_step.exercise_id == target
    QApplication.processEvents()
    shot(player, f"{p.name}-4-player")
    if p.name == "extension":
        assert player.caution_row.isVisible()
        assert player.caution.text().startswith("Allowed for you by B. Physio"), (
            player.caution.text()
        )
        player.back()
        while player.runner.current_step.exercise_id != "P1":
            player.back()
        assert player.note.text().endswith("Slowly, and only as far as it is comfortable.")
    if p.name == "hip":
        # The clinic's photo itself, not a placeholder: its yellow band shows.
        assert not player.showing_placeholder
        image = player.figure.grab().toImage()
        yellow = sum(
            1
            for x in range(0, image.width(), 4)
            for y in range(0, image.height(), 4)
            if near(image.pixelColor(x, y), YELLOW)
        )
        assert yellow > 50, yellow
    player.close_player()


def check_the_report(p: Prescription, report: dict) -> None:  # type: ignore[type-arg]
    changes = report["changes_at_home"]
    for change in changes:
        assert {"date", "exercise", "what"} <= set(change)
    plan = report["plan"]
    assert plan["weeks"] == p.weeks
    if p.goals:
        assert [(g["text"], g.get("baseline")) for g in plan["goal_details"]] == list(p.goals)
    if p.name == "flexion":
        walks = [c["what"]["en"] for c in changes if "symptom" in c["what"]["en"].lower()]
        assert walks, [c["what"]["en"] for c in changes]
