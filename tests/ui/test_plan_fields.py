"""The new plan fields through the real widgets, as a physiotherapist would use them.

The editor: "2 days a week", an item's progression, starting level and tailoring
in English and German, and "keep, I know this patient's history" with a name and
a date; saved, reopened, handed over. The hand-over dialog: "Programme: [n]
weeks" moving the review date, goals with German words and a score; the .coach
file is written by the dialog and read back by the patient's side.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QCheckBox

from coach.core.clinic.handover_file import read_assignment
from coach.core.common.paths import Paths, resolve
from coach.core.content.files import load_document
from coach.core.content.library import Library
from coach.core.content.model import Routine
from coach.ui.clinic.assignment_view import AssignmentSummaryDialog, HandOverDialog
from coach.ui.clinic.editor import RoutineEditor
from coach.ui.clinic.goals_editor import NO_SCORE

TODAY = date(2026, 3, 2)


@pytest.fixture(autouse=True)
def _hooks():  # type: ignore[no-untyped-def]
    saved = HandOverDialog.__dict__["save_chooser"]
    yield
    HandOverDialog.save_chooser = saved
    if "today" in RoutineEditor.__dict__:  # a test's fixed date, over the mixin's clock
        del RoutineEditor.today


@pytest.fixture
def clinic(tmp_path: Path) -> Paths:
    return resolve(tmp_path / "clinic")


def make_editor(qtbot, clinic: Paths, clinician: str = "Anna Berger") -> RoutineEditor:  # type: ignore[no-untyped-def]
    editor = RoutineEditor(Library.load(clinic), clinic, "en", clinician=clinician)
    qtbot.addWidget(editor)
    editor.resize(1280, 900)
    editor.show()
    qtbot.waitExposed(editor)
    return editor


def click(qtbot, widget) -> None:  # type: ignore[no-untyped-def]
    # A check box reacts to its box and its words only: click near its left edge.
    where = QPoint(8, widget.height() // 2) if isinstance(widget, QCheckBox) else None
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=where or widget.rect().center())


def test_editor_weekly_schedule_item_plan_and_keep(qtbot, clinic: Paths) -> None:  # type: ignore[no-untyped-def]
    RoutineEditor.today = staticmethod(lambda: TODAY)  # type: ignore[assignment]
    editor = make_editor(qtbot, clinic)
    editor.new_routine()
    qtbot.keyClicks(editor.title_en, "Strength for Maria")
    for ident in ("T1", "P1"):
        editor.add_exercise(ident)

    # Two days a week, from Monday to Friday.
    click(qtbot, editor.weekly)
    assert editor.weekly.isChecked() and editor.per_week.isEnabled()
    editor.per_week.clear()
    qtbot.keyClicks(editor.per_week, "2")
    qtbot.keyClick(editor.per_week, Qt.Key.Key_Enter)
    for day in ("sat", "sun"):
        click(qtbot, editor.day_buttons[day])
    assert editor.draft.times_per_week == 2 and len(editor.draft.days) == 5
    # Fewer days to choose from than days asked for is said at once.
    for day in ("tue", "wed", "thu", "fri"):
        click(qtbot, editor.day_buttons[day])
    assert "at least 2 days" in editor.problems()["days"]
    editor.undo_stack.undo()
    editor.undo_stack.undo()
    editor.undo_stack.undo()
    editor.undo_stack.undo()
    assert "days" not in editor.problems()

    editor.select(0)
    qtbot.keyClicks(editor.plan_edits[("progression", "en")], "+1 rep a week up to 15")
    qtbot.keyClicks(editor.plan_edits[("progression", "de")], "jede Woche 1 mehr, bis 15")
    qtbot.keyClicks(editor.plan_edits[("starting_level", "en")], "8 slow lifts")
    qtbot.keyClicks(editor.plan_edits[("tailoring", "de")], "Kissen unter die Knie")
    # German without English cannot be saved: the item says so.
    assert "English too" in (editor.item_problem(0) or "")
    qtbot.keyClicks(editor.plan_edits[("tailoring", "en")], "A pillow under the knees")
    assert editor.item_problem(0) is None

    assert editor.f_keep_by.text() == "Anna Berger"
    click(qtbot, editor.f_keep)
    assert editor.draft.items[0]["keep"] == {"by": "Anna Berger", "on": "2026-03-02"}
    assert "kept by Anna Berger" in editor.model.index(0, 0).data()
    assert "Kept by Anna Berger on 2 March 2026" in editor.keep_note.text()
    # The second item is not kept, and the form says so when it is selected.
    editor.select(1)
    assert not editor.f_keep.isChecked() and editor.plan_edits[("progression", "en")].text() == ""
    assert "kept" not in editor.model.index(1, 0).data()

    assert editor.save()
    path = clinic.user_routines / f"{editor.routine_id}.yaml"
    saved = load_document(path).document
    assert isinstance(saved, Routine)
    assert saved.schedule.times_per_week == 2
    assert saved.schedule.days == ["mon", "tue", "wed", "thu", "fri"]
    first = saved.items[0]
    assert first.progression is not None
    assert first.progression.root == {
        "en": "+1 rep a week up to 15",
        "de": "jede Woche 1 mehr, bis 15",
    }
    assert first.starting_level is not None and first.starting_level.root == {"en": "8 slow lifts"}
    assert first.tailoring is not None and first.tailoring.get("de") == "Kissen unter die Knie"
    assert first.keep is not None and (first.keep.by, first.keep.on) == ("Anna Berger", TODAY)
    assert saved.items[1].keep is None

    # Reopened, the form shows it all again; unticking removes the mark.
    again = make_editor(qtbot, resolve(clinic.data))
    again.open_routine(saved.id)
    assert again.weekly.isChecked() and again.per_week.value() == 2
    again.select(0)
    assert again.plan_edits[("progression", "de")].text() == "jede Woche 1 mehr, bis 15"
    assert again.f_keep.isChecked()
    click(qtbot, again.f_keep)
    assert "keep" not in again.draft.items[0]
    again.undo_stack.undo()
    assert again.draft.items[0]["keep"]["by"] == "Anna Berger"
    click(qtbot, again.weekly)
    assert again.draft.times_per_week is None


def test_keep_asks_for_a_name_when_none_is_known(qtbot, clinic: Paths) -> None:  # type: ignore[no-untyped-def]
    RoutineEditor.today = staticmethod(lambda: TODAY)  # type: ignore[assignment]
    editor = make_editor(qtbot, clinic, clinician="")
    editor.new_routine()
    editor.add_exercise("P1")
    editor.select(0)
    click(qtbot, editor.f_keep)
    assert not editor.f_keep.isChecked() and "keep" not in editor.draft.items[0]
    assert editor.keep_error.isVisible() and "name" in editor.keep_error.text()
    qtbot.keyClicks(editor.f_keep_by, "Ben Okafor")
    click(qtbot, editor.f_keep)
    assert editor.draft.items[0]["keep"] == {"by": "Ben Okafor", "on": "2026-03-02"}
    # A corrected name follows into the mark.
    qtbot.keyClicks(editor.f_keep_by, " Jr")
    assert editor.draft.items[0]["keep"]["by"] == "Ben Okafor Jr"


def test_hand_over_with_weeks_and_scored_goals(qtbot, clinic: Paths, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    library = Library.load(clinic)
    dialog = HandOverDialog(library, clinic, "en", routine_ids=["daily-relief"], today=TODAY)
    qtbot.addWidget(dialog)
    dialog.resize(1100, 900)
    dialog.show()
    qtbot.waitExposed(dialog)
    programme = dialog.programme
    assert programme.weeks.value() == 6 and programme.review_date() == date(2026, 4, 13)
    # Eight weeks: the review follows, until it is set by hand.
    programme.weeks.selectAll()
    qtbot.keyClicks(programme.weeks, "8")
    qtbot.keyClick(programme.weeks, Qt.Key.Key_Enter)
    assert programme.weeks_value() == 8 and programme.review_date() == date(2026, 4, 27)
    assert "27 April 2026" in programme.end_hint.text()
    programme.review.setFocus()
    programme.review.setSelectedSection(programme.review.sectionAt(0))
    qtbot.keyClick(programme.review, Qt.Key.Key_Up)  # the day one on: 28 April
    assert programme.review_date() == date(2026, 4, 28) and programme.review_by_hand
    programme.weeks.selectAll()
    qtbot.keyClicks(programme.weeks, "7")
    qtbot.keyClick(programme.weeks, Qt.Key.Key_Enter)
    assert programme.review_date() == date(2026, 4, 28)  # stays where the clinician put it

    qtbot.keyClicks(dialog.patient, "Maria Muster")
    qtbot.keyClicks(dialog.clinician, "Anna Berger")
    goals = dialog.goals_editor
    qtbot.keyClicks(goals.texts[0], "Walk to the bakery")
    # QTest types ASCII only: the umlaut comes in as a paste would.
    goals.texts_de[0].setFocus()
    goals.texts_de[0].insert("Zum Bäcker gehen")
    goals.baselines[0].selectAll()
    qtbot.keyClicks(goals.baselines[0], "3")
    qtbot.keyClick(goals.baselines[0], Qt.Key.Key_Enter)
    qtbot.keyClicks(goals.texts[1], "Climb the stairs")
    assert goals.baselines[1].value() == NO_SCORE and goals.baselines[1].text() == "–"
    # A German goal without English is held back with its number.
    click(qtbot, goals.more)
    click(qtbot, goals.more)
    assert goals.texts[4].isVisible() and not goals.more.isVisible()
    qtbot.keyClicks(goals.texts_de[3], "Enkel hochheben")
    target = tmp_path / "usb" / "maria.coach"
    HandOverDialog.save_chooser = staticmethod(lambda parent, suggested, done: done(target))  # type: ignore[assignment]
    click(qtbot, dialog.save_button)
    assert not target.exists()
    assert "Goal 4" in dialog.errors["goals"].text() and dialog.errors["goals"].isVisible()
    goals.texts_de[3].clear()
    with qtbot.waitSignal(dialog.handed_over) as signal:
        click(qtbot, dialog.save_button)
    written, assignment = signal.args
    assert written == target

    read = read_assignment(target, Library.load(resolve(tmp_path / "home")))
    assert read.weeks == 7 and read.review == date(2026, 4, 28) and read.start == TODAY
    assert [g.to_data() for g in read.goals] == [
        {"text": "Walk to the bakery", "text_de": "Zum Bäcker gehen", "baseline": 3},
        {"text": "Climb the stairs"},
    ]
    assert read.to_data() == assignment.to_data()

    # The patient's summary shows the goals with their scores and the programme.
    summary = AssignmentSummaryDialog(read, library, "de")
    qtbot.addWidget(summary)
    summary.show()
    QApplication.processEvents()
    from PySide6.QtWidgets import QLabel

    shown = "\n".join(w.text() for w in summary.findChildren(QLabel) if not w.isHidden())
    assert "Zum Bäcker gehen (zu Beginn 3/10)" in shown and "Climb the stairs" in shown


def test_home_card_counts_the_week_and_shows_goals_against_baselines(  # type: ignore[no-untyped-def]
    qtbot, tmp_path: Path
) -> None:
    from datetime import UTC, datetime

    from coach.core.clinic.goals import Goal
    from coach.core.clinic.handover import Contact, build_assignment
    from coach.core.clinic.install import install_assignment
    from coach.core.progress.store import Store
    from coach.core.progress.store_rows import MeasureKind, SessionOutcome
    from coach.ui.clinic.today_card import TodayPlanWidget

    home = resolve(tmp_path / "home")
    home.ensure_data_dir()
    library = Library.load(home)
    weekly = Routine.from_data(
        {
            "id": "strength",
            "title": {"en": "Strength"},
            "description": {"en": "From your physiotherapist."},
            "items": [{"exercise": "T1"}],
            "schedule": {"times_per_week": 2},
        }
    )
    plan = build_assignment(
        [weekly],
        library,
        patient="Maria Muster",
        clinician=Contact(name="Anna Berger"),
        goals=[Goal("Walk to the bakery", baseline=3)],
        start=TODAY,
        weeks=6,
        created=datetime(2026, 3, 1, 9, 0, tzinfo=UTC),
    )

    class Clock:
        now = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)

        def __call__(self) -> datetime:
            return self.now

    clock = Clock()
    with Store.open(home.database, clock=clock) as store:
        rid = install_assignment(plan, home, store, library=library).installed.routine_ids[
            "strength"
        ]
        session = store.start_session(rid, "Strength")
        store.end_session(session, SessionOutcome.COMPLETED)
        store.add_measure(
            MeasureKind.PSFS,
            {"scores": {"Walk to the bakery": 6}},
            taken=datetime(2026, 3, 9, 8, 0, tzinfo=UTC),
        )
        clock.now = datetime(2026, 3, 10, 8, 0, tzinfo=UTC)
        card = TodayPlanWidget(store, home, library, "en", today=lambda: date(2026, 3, 4))
        qtbot.addWidget(card)
        card.show()
        QApplication.processEvents()
        from PySide6.QtWidgets import QLabel

        shown = "\n".join(w.text() for w in card.findChildren(QLabel) if not w.isHidden())
        assert "✓○  Strength – 1 of 2 this week" in shown
        assert "week 1 of 6" in shown
        assert "Your goals: Walk to the bakery: 3 → 6" in shown
