"""The window shows and plays the routine as this person does it, everywhere alike."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMessageBox, QPushButton, QWidget

from coach.core.content.wording import minutes_text
from coach.core.progress import stats
from coach.core.progress.store import Store
from coach.core.session.plan import build_plan
from coach.core.session.profile import BodySide, HealthProfile, Joint, JointReplacement
from coach.ui.main_window import MainWindow
from coach.ui.session.safety_views import CheckDialog, PainDialog

HIP = HealthProfile(
    completed=True, joint_replacements=[JointReplacement(joint=Joint.HIP, side=BodySide.LEFT)]
)


def _texts(widget: QWidget) -> list[str]:
    return [w.text() for w in widget.findChildren(QLabel)]


def _shown(qtbot, parent: QWidget, name: str) -> QWidget:  # type: ignore[no-untyped-def]
    """The live widget of that name, once the rebuilt page shows (old ones wait, hidden)."""

    def live() -> list[QWidget]:
        return [w for w in parent.findChildren(QWidget, name) if w.isVisible()]

    qtbot.waitUntil(lambda: len(live()) == 1)
    return live()[0]


def _click(qtbot, widget, name: str) -> None:  # type: ignore[no-untyped-def]
    target = widget.findChild(QPushButton, name)
    assert target is not None, name
    qtbot.mouseClick(target, Qt.MouseButton.LeftButton)


def test_home_card_and_routine_page_follow_the_health_answers(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    written = build_plan(window.lib.routines["daily-relief"], window.lib.exercises).total_seconds
    card = _shown(qtbot, window.page("home"), "routine-daily-relief")
    assert any(minutes_text(written, "en") in t and "6 exercises" in t for t in _texts(card))

    window.flow.set_profile(HIP)
    mine = window.personal_plan(window.lib.routines["daily-relief"])
    assert mine.total_seconds < written
    card = _shown(qtbot, window.page("home"), "routine-daily-relief")
    facts = [t for t in _texts(card) if "exercises" in t]
    assert (
        facts and minutes_text(mine.total_seconds, "en") in facts[0] and "3 exercises" in facts[0]
    )

    window.open_routine("daily-relief")
    page = window.page("routine")
    changes = _shown(qtbot, page, "routine-changes")
    assert any("Left out for you: One knee to the chest" in t for t in _texts(changes))
    headings = [t for t in _texts(page) if t[:2] in ("1.", "2.", "3.", "4.", "5.", "6.")]
    assert [h.split(". ", 1)[1] for h in headings] == [
        window.lib.exercises[i].title.get("en") for i in ("P1", "T1", "R1")
    ]


def test_the_player_plays_the_personal_plan(window: MainWindow, qtbot, paths) -> None:  # type: ignore[no-untyped-def]
    from coach.ui.session.player import PlayerView

    store = Store.open(paths.database)
    store.set_json(
        stats.DOSE_CHANGES_KEY, {"daily-relief": {"4": {"exercise_id": "T1", "reps": 12}}}
    )
    window.replace_store(store)
    window.flow.set_profile(HIP)
    expected = window.personal_plan(window.lib.routines["daily-relief"])
    window.start_routine("daily-relief")
    # First the list of what was adapted, then the check and the pain question.
    told = [box.text() for box in window.findChildren(QMessageBox)]
    assert any("Left out for you: One knee to the chest" in t for t in told)
    check = window.flow.dialog
    assert isinstance(check, CheckDialog)
    _click(qtbot, check, "check-done")
    pain = window.flow.dialog
    assert isinstance(pain, PainDialog)
    _click(qtbot, pain, "back-2")
    _click(qtbot, pain, "leg-1")
    player = window.pages.get("player")
    assert isinstance(player, PlayerView)
    ids = {s.exercise_id for s in player.plan.steps if s.exercise_id}
    assert ids == {"P1", "T1", "R1", "U1"}  # U1: getting up after the last one lying
    assert {s.reps for s in player.plan.steps if s.exercise_id == "T1" and s.reps} == {12}
    (session,) = store.sessions()
    assert session.planned_total_s == expected.total_seconds
    player.end_session()
    player.close_player()
    store.close()
