"""The safety steps before a session, on the real window and dialogs."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QLabel, QPushButton

from coach.core.session.profile import HealthProfile, load_profile
from coach.ui.main_window import MainWindow
from coach.ui.session.safety_views import CheckDialog, PainDialog, ProfileDialog


def _click(qtbot, widget, name: str) -> None:  # type: ignore[no-untyped-def]
    target = widget.findChild(QPushButton, name)
    assert target is not None, name
    qtbot.mouseClick(target, Qt.MouseButton.LeftButton)


def test_first_start_asks_the_health_profile_and_saves_it(window: MainWindow, qtbot, paths) -> None:  # type: ignore[no-untyped-def]
    window.start_routine("daily-relief")
    dialog = window.flow.dialog
    assert isinstance(dialog, ProfileDialog)
    dialog.checks["osteoporosis"].setChecked(True)
    dialog.country.setCurrentIndex(dialog.country.findData("GB"))
    _click(qtbot, dialog, "save-profile")
    saved, notes = load_profile(paths.data / "profile.json")
    assert notes == []
    assert saved is not None and saved.osteoporosis and saved.completed
    assert saved.emergency_number == "999"
    # Then the flow goes on: the first check shows the full list at once.
    check = window.flow.dialog
    assert isinstance(check, CheckDialog)
    assert check.stack.currentIndex() == 1


def test_a_wrong_emergency_number_is_named_by_its_label(window: MainWindow, qtbot, paths) -> None:  # type: ignore[no-untyped-def]
    window.start_routine("daily-relief")
    dialog = window.flow.dialog
    assert isinstance(dialog, ProfileDialog)
    dialog.number.setText("call my daughter")
    _click(qtbot, dialog, "save-profile")
    assert dialog.isVisible()
    assert dialog.error.text() == "Please check: Emergency number"
    assert load_profile(paths.data / "profile.json") == (None, [])
    dialog.number.setText("0171 555 12")
    _click(qtbot, dialog, "save-profile")
    saved, _notes = load_profile(paths.data / "profile.json")
    assert saved is not None and saved.emergency_number == "0171 555 12"


def _with_profile(window: MainWindow, paths, **answers) -> None:  # type: ignore[no-untyped-def]
    window.flow.set_profile(HealthProfile(completed=True, **answers))
    assert load_profile(paths.data / "profile.json")[0] == HealthProfile(completed=True, **answers)


def test_emergency_answer_shows_the_number_and_no_exercise(
    window: MainWindow, qtbot, paths
) -> None:  # type: ignore[no-untyped-def]
    _with_profile(window, paths, country="US")
    window.start_routine("chair-counter")
    check = window.flow.dialog
    assert isinstance(check, CheckDialog)
    check.findChild(QCheckBox, "q-saddle_numbness").setChecked(True)
    _click(qtbot, check, "check-done")
    assert check.stack.currentIndex() == 2
    assert check.findChild(QLabel, "emergency-number").text().endswith("911")
    assert "911" in check.findChild(QLabel, "check-headline").text()
    assert window.flow.player is None
    # Later the same day, Start does not open a session either.
    _click(qtbot, check, "check-close")
    window.start_routine("chair-counter")
    assert window.flow.player is None
    assert not isinstance(window.flow.dialog, PainDialog)


def test_see_doctor_answer_blocks_today(window: MainWindow, qtbot, paths) -> None:  # type: ignore[no-untyped-def]
    _with_profile(window, paths)
    window.start_routine("chair-counter")
    check = window.flow.dialog
    assert isinstance(check, CheckDialog)
    check.findChild(QCheckBox, "q-fever").setChecked(True)
    _click(qtbot, check, "check-done")
    assert "No exercise today" in check.findChild(QLabel, "check-headline").text()
    blocked, why = window.flow.blocked_today()
    assert blocked and "No exercise today" in why[0]


def test_nothing_new_leads_to_pain_before(window: MainWindow, qtbot, paths) -> None:  # type: ignore[no-untyped-def]
    _with_profile(window, paths)
    window.flow.open_check(for_session=False)  # an earlier check today: the quick one next
    _click(qtbot, window.flow.dialog, "nothing-new")
    window.start_routine("chair-counter")
    check = window.flow.dialog
    assert isinstance(check, CheckDialog)
    assert check.stack.currentIndex() == 0
    _click(qtbot, check, "nothing-new")
    pain = window.flow.dialog
    assert isinstance(pain, PainDialog)


def test_home_check_button_is_always_there(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    home = window.page("home")
    check = [b for b in home.findChildren(QPushButton) if b.text() == "Check warning signs"]
    assert len(check) == 1
    qtbot.mouseClick(check[0], Qt.MouseButton.LeftButton)
    assert isinstance(window.flow.dialog, CheckDialog)


def test_profile_hides_exercises_in_the_library(window: MainWindow, qtbot, paths) -> None:  # type: ignore[no-untyped-def]
    _with_profile(window, paths, cannot_use_floor=True)
    view = window.page("exercises")
    shown = set(view.shown_ids())  # type: ignore[attr-defined]
    assert "S3" not in shown and "T8" not in shown  # kneeling on the floor
    assert "C1" in shown and "P1" in shown  # chair; lying exercise works on a firm bed


def test_a_whole_session_is_recorded_in_the_store(window: MainWindow, qtbot, paths) -> None:  # type: ignore[no-untyped-def]
    from coach.core.progress.store import Store
    from coach.ui.session.player import PlayerView

    _with_profile(window, paths)
    store = Store.open(paths.database)
    window.store = store
    window.flow.store = store
    window.start_routine("gentle-day")
    check = window.flow.dialog
    assert isinstance(check, CheckDialog)
    _click(qtbot, check, "check-done")  # first check: the full list, nothing ticked
    pain = window.flow.dialog
    assert isinstance(pain, PainDialog)
    _click(qtbot, pain, "back-3")
    _click(qtbot, pain, "leg-2")
    player = window.pages.get("player")
    assert isinstance(player, PlayerView)
    assert window.stack.currentWidget() is player
    player.start()
    for _ in range(5):
        player.skip()
    player.end_session()
    player.close_player()
    # Ended early, the pain after is asked too (it may be skipped).
    after = window.flow.dialog
    assert isinstance(after, PainDialog)
    _click(qtbot, after, "pain-skip")
    assert "player" not in window.pages
    (session,) = store.sessions()
    assert session.routine_id == "gentle-day"
    assert (session.pain_before_back, session.pain_before_leg) == (3, 2)
    assert session.outcome.value == "abandoned"
    assert len(store.steps(session.id)) >= 5
    store.close()


def test_print_preview_and_pdf_from_the_routine_page(
    window: MainWindow, qtbot, tmp_path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from pypdf import PdfReader

    from coach.sheets import print_actions

    target = tmp_path / "sheet.pdf"
    monkeypatch.setattr(
        print_actions, "choose_pdf_path", lambda _p, _t, _s, _f, done: done(str(target))
    )
    window.open_routine("chair-counter")
    _click(qtbot, window.page("routine"), "print-pdf")
    qtbot.waitUntil(target.exists, timeout=10_000)
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(target).pages).split())
    assert "Chair and counter" in text
    preview = window.print_current_routine("preview")
    assert preview is not None
    preview.close()


def test_chair_routines_lead_when_the_floor_is_unsafe(window: MainWindow, qtbot, paths) -> None:  # type: ignore[no-untyped-def]
    assert window.page("home").routine_order[0] == "daily-relief"  # type: ignore[attr-defined]
    window.flow.edit_profile()
    dialog = window.flow.dialog
    assert isinstance(dialog, ProfileDialog)
    dialog.checks["cannot_use_floor"].setChecked(True)
    _click(qtbot, dialog, "save-profile")
    order = window.page("home").routine_order  # type: ignore[attr-defined]
    assert order[0] == "chair-counter"
    assert all(window.lib.routines[r].chair_only for r in order[:4])


def test_the_safety_questions_fit_the_window_at_the_largest_text(qtbot) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QApplication, QScrollArea

    from coach.ui import theme

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    theme.apply(app, 200)
    try:
        profile = ProfileDialog(HealthProfile())
        check = CheckDialog(HealthProfile(completed=True), full=True)
        for dialog in (profile, check):
            qtbot.addWidget(dialog)
            dialog.resize(1000, 800)
            dialog.show()
            qtbot.waitExposed(dialog)
            for area in dialog.findChildren(QScrollArea):
                # Long questions wrap: nothing is cut off on the right.
                assert area.widget().minimumSizeHint().width() <= area.viewport().width()
        # The question's text ticks its box, as a check box's own text would.
        box = check.findChild(QCheckBox, "q-saddle_numbness")
        text = next(w for w in box.parentWidget().findChildren(QLabel) if "saddle" in w.text())
        qtbot.mouseClick(text, Qt.MouseButton.LeftButton)
        assert box.isChecked()
        assert box.accessibleName() == text.text()
        # A refused answer is said beside Save, in view however far the form is scrolled.
        profile.number.setText("call my daughter")
        _click(qtbot, profile, "save-profile")
        assert profile.error.isVisible()
        assert not profile.findChild(QScrollArea).isAncestorOf(profile.error)
    finally:
        theme.apply(app, 125)
