"""The pain rule and the next morning in the session flow, on the real window, real
dialogs and a real SQLite file with a fake clock."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QPushButton, QWidget

from coach.core.common.paths import Paths
from coach.core.content.library import Library
from coach.core.progress import progression, stats
from coach.core.progress.store import Store
from coach.core.progress.store_rows import SessionOutcome
from coach.core.session.profile import HealthProfile, UsualSymptoms, load_profile
from coach.core.session.runner import State
from coach.core.session.stop_rules import (
    NEXT_MORNING_WORSE_ADVICE,
    PAIN_RULE_ADVICE,
    PAIN_RULE_EASIER_NOTE,
)
from coach.ui import i18n, theme
from coach.ui.main_window import MainWindow
from coach.ui.progress.history_view import HistoryView
from coach.ui.progress.progression_banner import ProgressionBanner
from coach.ui.session.player import PlayerView
from coach.ui.session.safety_views import (
    AdviceDialog,
    CheckDialog,
    NextMorningDialog,
    PainDialog,
    ProfileDialog,
)


class Clock:
    """The store's clock: this morning, local time (the next-morning question is local).

    Each reading is a second after the one before, as every write is in real life.
    """

    def __init__(self) -> None:
        local = datetime.now().astimezone().replace(hour=9, minute=0, second=0, microsecond=0)
        self.now = local.astimezone(UTC)

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store(paths: Paths, clock: Clock) -> Iterator[Store]:
    paths.ensure_data_dir()
    with Store.open(paths.database, clock=clock) as opened:
        yield opened


def click(qtbot, widget: QWidget, name: str) -> None:  # type: ignore[no-untyped-def]
    target = widget.findChild(QPushButton, name)
    assert target is not None, name
    qtbot.mouseClick(target, Qt.MouseButton.LeftButton)


def texts(widget: QWidget) -> str:
    return " ".join(w.text() for w in widget.findChildren(QLabel))


def ready(window: MainWindow, store: Store, **usual: int) -> None:
    window.replace_store(store)
    window.flow.set_profile(HealthProfile(completed=True, usual_symptoms=UsualSymptoms(**usual)))


def through_check_and_pain(qtbot, window: MainWindow, before: tuple[int, int]) -> PlayerView:  # type: ignore[no-untyped-def]
    check = window.flow.dialog
    assert isinstance(check, CheckDialog), check
    click(qtbot, check, "check-done" if check.stack.currentIndex() == 1 else "nothing-new")
    pain = window.flow.dialog
    assert isinstance(pain, PainDialog)
    click(qtbot, pain, f"back-{before[0]}")
    click(qtbot, pain, f"leg-{before[1]}")
    player = window.pages.get("player")
    assert isinstance(player, PlayerView)
    return player


def play_to_the_end(player: PlayerView) -> None:
    player.start()
    while player.runner.state is not State.FINISHED:
        if player.runner.settling:
            player.settled()
        else:
            player.skip()
    player.close_player()


def session_yesterday(store: Store, clock: Clock, routine_id: str = "daily-relief") -> int:
    today = clock.now
    clock.now = today - timedelta(days=1)
    sid = store.start_session(routine_id, routine_id, pain_before_back=3, pain_before_leg=3)
    store.end_session(sid, SessionOutcome.COMPLETED)
    store.set_pain_after(sid, back=3, leg=3)
    clock.now = today
    return sid


def test_pain_after_outside_the_rule_is_said_and_the_next_session_is_easier(
    window: MainWindow, qtbot, store: Store
) -> None:  # type: ignore[no-untyped-def]
    ready(window, store)
    before = window.personal_plan(window.lib.routines["daily-relief"]).total_seconds
    window.start_routine("daily-relief")
    play_to_the_end(through_check_and_pain(qtbot, window, (2, 2)))
    pain = window.flow.dialog
    assert isinstance(pain, PainDialog)
    click(qtbot, pain, "back-2")
    click(qtbot, pain, "leg-5")  # +3: outside the rule
    advice = window.flow.dialog
    assert isinstance(advice, AdviceDialog) and advice.isVisible()
    shown = texts(advice)
    assert PAIN_RULE_ADVICE.get("en") in shown
    assert "Coach has made your next session of Daily relief one step easier:" in shown
    assert "player" in window.pages  # the session closes only once the advice is read
    [decision] = store.measures(progression.PROGRESSION_KIND)
    assert decision.value["reason"] == "pain_rule"
    assert decision.value["accepted"] is True and decision.value["automatic"] is True
    assert stats.dose_changes(store)["daily-relief"]
    click(qtbot, advice, "advice-ok")
    assert "player" not in window.pages
    # The next session: told why before the check, then played one step easier.
    window.start_routine("daily-relief")
    told = window.flow.dialog
    assert isinstance(told, AdviceDialog)
    assert told.windowTitle() == "One step easier today"
    assert PAIN_RULE_EASIER_NOTE.get("en") in texts(told)
    assert "What changed:" in texts(told)
    click(qtbot, told, "advice-ok")
    player = through_check_and_pain(qtbot, window, (2, 2))
    assert player.plan.total_seconds < before
    player.end_session()
    player.close_player()


def test_ending_at_the_usual_level_keeps_the_rule(window: MainWindow, qtbot, store: Store) -> None:  # type: ignore[no-untyped-def]
    ready(window, store, usual_back_pain=6, usual_leg_pain=6)
    window.start_routine("daily-relief")
    play_to_the_end(through_check_and_pain(qtbot, window, (4, 4)))
    pain = window.flow.dialog
    assert isinstance(pain, PainDialog)
    click(qtbot, pain, "back-6")
    click(qtbot, pain, "leg-6")  # +2 and no higher than usual: kept
    assert "player" not in window.pages
    assert not isinstance(window.flow.dialog, AdviceDialog)
    assert store.measures(progression.PROGRESSION_KIND) == []
    [usual] = store.measures(progression.USUAL_PAIN_KIND)
    (session,) = store.sessions()
    assert usual.value == {"session_id": session.id, "back": 6, "leg": 6}


def test_without_a_usual_level_ending_at_6_breaks_the_rule(
    window: MainWindow, qtbot, store: Store
) -> None:  # type: ignore[no-untyped-def]
    ready(window, store)
    window.start_routine("daily-relief")
    play_to_the_end(through_check_and_pain(qtbot, window, (4, 4)))
    pain = window.flow.dialog
    assert isinstance(pain, PainDialog)
    click(qtbot, pain, "back-6")
    click(qtbot, pain, "leg-4")
    assert isinstance(window.flow.dialog, AdviceDialog)
    assert store.measures(progression.USUAL_PAIN_KIND) == []  # nothing given, nothing kept


def test_the_next_morning_is_asked_before_the_session_and_worse_eases_it(
    window: MainWindow, qtbot, store: Store, clock: Clock
) -> None:  # type: ignore[no-untyped-def]
    ready(window, store)
    sid = session_yesterday(store, clock)
    before = window.personal_plan(window.lib.routines["daily-relief"]).total_seconds
    window.start_routine("daily-relief")
    question = window.flow.dialog
    assert isinstance(question, NextMorningDialog)
    assert "Daily relief" in texts(question)
    click(qtbot, question, "next-morning-worse")
    [morning] = store.measures(progression.NEXT_DAY_KIND)
    assert morning.value == {"session_id": sid, "compared": "worse"}
    [decision] = store.measures(progression.PROGRESSION_KIND)
    assert (decision.value["reason"], decision.value["accepted"]) == ("worse_next_day", True)
    told = window.flow.dialog
    assert isinstance(told, AdviceDialog)
    assert NEXT_MORNING_WORSE_ADVICE.get("en") in texts(told)
    click(qtbot, told, "advice-ok")
    player = through_check_and_pain(qtbot, window, (3, 3))
    assert player.plan.total_seconds < before
    player.end_session()
    player.close_player()
    # Asked once: today's session is recorded, yesterday's question is answered.
    window.start_routine("daily-relief")
    assert isinstance(window.flow.dialog, CheckDialog)


def test_not_now_goes_on_and_leaves_the_question_for_the_home_page(
    window: MainWindow, qtbot, store: Store, clock: Clock
) -> None:  # type: ignore[no-untyped-def]
    ready(window, store)
    session_yesterday(store, clock)
    window.start_routine("chair-counter")
    question = window.flow.dialog
    assert isinstance(question, NextMorningDialog)
    click(qtbot, question, "next-morning-later")
    assert isinstance(window.flow.dialog, CheckDialog)  # straight on, nothing changed
    assert store.measures(progression.NEXT_DAY_KIND) == []
    assert store.measures(progression.PROGRESSION_KIND) == []
    window.flow.dialog.reject()
    window.start_routine("chair-counter")
    assert isinstance(window.flow.dialog, CheckDialog)  # not asked twice
    home = window.page("home")
    home.refresh()  # type: ignore[attr-defined]  # as after a session or a restore
    [banner] = [b for b in home.findChildren(ProgressionBanner) if not b.isHidden()]
    assert banner.question_session is not None


def test_worse_on_the_home_banner_eases_at_once_and_says_so(
    qtbot, store: Store, clock: Clock, library: Library
) -> None:  # type: ignore[no-untyped-def]
    session_yesterday(store, clock, "walking")
    page = QWidget()
    qtbot.addWidget(page)
    from PySide6.QtWidgets import QVBoxLayout

    layout = QVBoxLayout(page)
    banner = ProgressionBanner(store, library, "en", now=clock)
    layout.addWidget(banner)
    page.show()
    click(qtbot, banner, "next-day-worse")
    [decision] = store.measures(progression.PROGRESSION_KIND)
    assert decision.value["reason"] == "worse_next_day" and decision.value["accepted"] is True
    told = banner.findChild(QLabel, "easier-told")
    assert told is not None
    assert told.text().startswith("Thank you. Your next session of Walking program is one step")
    assert banner.findChild(QPushButton, "progression-no") is None  # nothing to decline
    answers = [b for b in banner.findChildren(QPushButton) if b.objectName().startswith("next")]
    assert not any(b.isVisible() for b in answers)  # the question is gone, not left behind
    click(qtbot, banner, "easier-ok")
    assert banner.isHidden()


def test_the_morning_answers_wrap_at_the_largest_text(
    qtbot, store: Store, clock: Clock, library: Library, paths: Paths
) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QVBoxLayout

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    i18n.set_language("de", paths.assets)
    theme.apply(app, 200)
    try:
        session_yesterday(store, clock)
        page = QWidget()
        qtbot.addWidget(page)
        layout = QVBoxLayout(page)
        banner = ProgressionBanner(store, library, "de", now=clock)
        layout.addWidget(banner)
        page.resize(700, 900)  # the home page's width at 200 % beside the navigation
        page.show()
        qtbot.waitExposed(page)
        assert banner.minimumSizeHint().width() <= 700
        worse = banner.findChild(QPushButton, "next-day-worse")
        assert worse.isVisible() and worse.geometry().right() <= banner.width()
    finally:
        i18n.set_language("en", paths.assets)
        theme.apply(app, 125)


def test_the_progress_page_offers_the_way_back_with_a_confirmation(
    qtbot, store: Store, clock: Clock, library: Library
) -> None:  # type: ignore[no-untyped-def]
    sid = session_yesterday(store, clock, "walking")
    with __import__("coach.core.progress.history", fromlist=["History"]).History(store) as h:
        brief = h.last_session()
    assert brief is not None and brief.id == sid
    walking = library.routines["walking"]
    progression.answer_next_day(store, brief, "worse", walking, library.exercises, when=clock())
    eased = stats.dose_changes(store)
    view = HistoryView(store, library, "en", now=clock)
    qtbot.addWidget(view)
    view.resize(1050, 800)
    view.show()
    card = view.findChild(QWidget, "easier")
    assert card is not None and card.isVisible()
    line = view.findChild(QLabel, "easier-walking")
    assert line.text().startswith("Walking program – ")
    assert "after a morning worse than usual" in texts(card)
    changed: list[bool] = []
    view.dose_changed.connect(lambda: changed.append(True))
    # "No" keeps it easier.
    box = view.ask_go_back(view.easier[0])
    assert box.text() == "Go back to the earlier dose of Walking program?"
    assert "instead of" in box.informativeText()
    click(qtbot, box, "go-back-no")
    assert stats.dose_changes(store) == eased and changed == []
    # The button on the page, then "Yes".
    click(qtbot, view, "go-back-walking")
    assert isinstance(view.confirm, QMessageBox) and view.confirm.isVisible()
    click(qtbot, view.confirm, "go-back-yes")
    assert stats.dose_changes(store) == {}
    assert changed == [True]
    last = store.measures(progression.PROGRESSION_KIND)[-1]
    assert last.value["reason"] == "back_to_earlier" and last.value["accepted"] is True
    assert view.findChild(QWidget, "easier") is None  # nothing left to go back from


def test_the_health_profile_asks_the_usual_pain(qtbot, paths) -> None:  # type: ignore[no-untyped-def]
    dialog = ProfileDialog(HealthProfile(usual_symptoms=UsualSymptoms(usual_leg_pain=4)))
    qtbot.addWidget(dialog)
    back, leg = dialog.usual_pain["usual_back_pain"], dialog.usual_pain["usual_leg_pain"]
    assert back.currentText() == "not given" and leg.currentText() == "4"
    assert back.accessibleName() == "Your usual back pain"
    back.setCurrentIndex(back.findData(6))
    leg.setCurrentIndex(0)
    usual = dialog.profile().usual_symptoms
    assert (usual.usual_back_pain, usual.usual_leg_pain) == (6, None)


def test_the_usual_pain_is_saved_with_the_profile(window: MainWindow, qtbot, paths) -> None:  # type: ignore[no-untyped-def]
    window.flow.edit_profile()
    dialog = window.flow.dialog
    assert isinstance(dialog, ProfileDialog)
    dialog.usual_pain["usual_leg_pain"].setCurrentIndex(
        dialog.usual_pain["usual_leg_pain"].findData(5)
    )
    click(qtbot, dialog, "save-profile")
    saved, _notes = load_profile(paths.data / "profile.json")
    assert saved is not None and saved.usual_symptoms.usual_leg_pain == 5
    assert saved.usual_symptoms.usual_back_pain is None


@pytest.mark.parametrize("lang", ["en", "de"])
def test_the_advice_fits_at_the_largest_text(qtbot, paths, lang: str) -> None:  # type: ignore[no-untyped-def]
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    i18n.set_language(lang, paths.assets)
    theme.apply(app, 200)
    try:
        long = PAIN_RULE_ADVICE.get(lang)
        advice = AdviceDialog("Title", [long, long])
        question = NextMorningDialog("Gehprogramm")
        for dialog in (advice, question):
            qtbot.addWidget(dialog)
            dialog.show()
            qtbot.waitExposed(dialog)
            QApplication.processEvents()  # the layout request the new height posted
            # The window grew with the wrapped lines: every word is inside it.
            assert dialog.height() >= dialog.column.totalHeightForWidth(dialog.width())
            for text in dialog.findChildren(QLabel):
                assert text.geometry().bottom() <= dialog.height()
                assert text.height() >= text.heightForWidth(text.width())
            for answer in dialog.findChildren(QPushButton):
                assert answer.fontMetrics().horizontalAdvance(answer.text()) < answer.width()
                assert answer.geometry().bottom() <= dialog.height()
        assert advice.ok_button.text() == {"en": "I understand", "de": "Verstanden"}[lang]
    finally:
        i18n.set_language("en", paths.assets)
        theme.apply(app, 125)
