"""The walking break in the real player: it waits for "Better", and after 15 minutes
without it the session stops. A fake clock: no sleeps, no real time passes."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel

from coach.core.content.library import Library
from coach.core.progress.store import Store
from coach.core.progress.store_rows import SessionOutcome
from coach.core.session.plan import Phase, Plan, build_plan
from coach.core.session.runner import Outcome, State, StepResult
from coach.core.session.stop_rules import (
    SETTLE_ASK_AGAIN_S,
    STOP_CHOICES,
    WALK_NOT_SETTLING_ADVICE,
    WALK_SETTLE_LIMIT_S,
)
from coach.ui import i18n, theme
from coach.ui.session.player import PlayerView


class FakeClock:
    def __init__(self, start: float = 1000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now


class FakeRecorder:
    def __init__(self) -> None:
        self.steps: list[StepResult] = []
        self.ends: list[tuple[str, str | None]] = []

    def step_finished(self, result: StepResult) -> None:
        self.steps.append(result)

    def session_ended(self, outcome: str, reason: str | None) -> None:
        self.ends.append((outcome, reason))


def walking_plan(library: Library) -> Plan:
    return build_plan(library.routines["walking"], library.exercises, walking_test_s=300)


@pytest.fixture
def make_player(qtbot):  # type: ignore[no-untyped-def]
    def make(plan: Plan, library: Library, **kwargs: Any) -> PlayerView:
        kwargs.setdefault("sound", False)
        kwargs.setdefault("voice", False)
        player = PlayerView(plan, library, **kwargs)
        qtbot.addWidget(player)
        player.resize(1280, 800)
        player.show()
        qtbot.waitExposed(player)
        return player

    return make


def tick_to(player: PlayerView, clock: FakeClock, when: float) -> None:
    """Wake at every deadline up to ``when``, as the single-shot timer would."""
    while (deadline := player.runner.next_deadline()) is not None and deadline <= when:
        clock.now = max(clock.now, deadline)
        player.tick()
    clock.now = max(clock.now, when)
    player.tick()


def to_first_break(player: PlayerView, clock: FakeClock) -> float:
    """Play to the first walking break; returns when it began."""
    player.start()
    while player.runner.current_step.phase is not Phase.FLEXION_BREAK:
        if player.runner.state is State.WAITING_FOR_TAP:
            player.done()
            continue
        deadline = player.runner.next_deadline()
        assert deadline is not None
        clock.now = deadline
        player.tick()
    return clock.now


def shown(player: PlayerView) -> str:
    return " ".join(w.text() for w in player.findChildren(QLabel) if w.isVisible())


def test_the_break_waits_for_better(make_player, library: Library) -> None:  # type: ignore[no-untyped-def]
    clock = FakeClock()
    recorder = FakeRecorder()
    player = make_player(walking_plan(library), library, clock=clock, recorder=recorder)
    began = to_first_break(player, clock)
    planned = player.runner.current_step.seconds
    tick_to(player, clock, began + planned - 1)
    # During the planned rest: the countdown, no question yet.
    assert not player.settled_button.isVisible() and not player.not_yet_button.isVisible()
    assert player.countdown_text == "1"
    tick_to(player, clock, began + planned + 30)
    assert player.runner.state is State.WAITING_TO_SETTLE
    assert player.runner.current_step.phase is Phase.FLEXION_BREAK  # the walk waits
    assert player.settled_button.isVisible() and player.settled_button.isEnabled()
    assert player.not_yet_button.isVisible()
    assert player.settled_button.text().replace("&", "") == "Better, walk on"
    assert player.not_yet_button.text().replace("&", "") == "Not yet"
    assert player.instruction.text() == "Have your symptoms settled?"
    assert player.caption.text() == "Resting so far"
    assert player.countdown_text == "2:00"  # counting up from the start of the break
    # No way round it: Back and Skip are gone, the right arrow does nothing.
    assert not player.skip_button.isVisible() and not player.back_button.isVisible()
    player.skip()
    assert player.runner.current_step.phase is Phase.FLEXION_BREAK
    # Large enough to hit: as big as the other big buttons.
    assert player.settled_button.height() >= player.pause_button.height()
    player.settled_button.click()
    assert player.runner.current_step.phase is Phase.WALK
    assert player.runner.state is State.RUNNING
    assert not player.settled_button.isVisible()
    rest = recorder.steps[-1]
    assert rest.step.phase is Phase.FLEXION_BREAK and rest.outcome is Outcome.COMPLETED
    assert rest.done_seconds == pytest.approx(planned + 30)


def test_not_yet_keeps_resting_and_asks_again(make_player, library: Library) -> None:  # type: ignore[no-untyped-def]
    clock = FakeClock()
    player = make_player(walking_plan(library), library, clock=clock)
    began = to_first_break(player, clock)
    end = began + player.runner.current_step.seconds
    tick_to(player, clock, end)
    player.not_yet_button.click()
    assert not player.not_yet_button.isVisible()
    assert player.settled_button.isVisible()  # "Better" stays within reach
    assert player.instruction.text() == "Keep resting. Coach asks again in 2 minutes."
    tick_to(player, clock, end + SETTLE_ASK_AGAIN_S - 1)
    assert not player.not_yet_button.isVisible()
    tick_to(player, clock, end + SETTLE_ASK_AGAIN_S)
    assert player.not_yet_button.isVisible()
    assert player.instruction.text() == "Have your symptoms settled?"


def test_the_answers_are_reachable_by_keyboard(qtbot, make_player, library: Library) -> None:  # type: ignore[no-untyped-def]
    clock = FakeClock()
    player = make_player(walking_plan(library), library, clock=clock)
    player.activateWindow()
    qtbot.waitActive(player)
    began = to_first_break(player, clock)
    tick_to(player, clock, began + player.runner.current_step.seconds)
    # Space keeps its meaning (pause), it does not answer by accident.
    qtbot.keyClick(player, Qt.Key.Key_Space)
    assert player.runner.state is State.PAUSED
    assert not player.settled_button.isEnabled()  # no answer while paused
    qtbot.keyClick(player, Qt.Key.Key_Space)
    assert player.runner.state is State.WAITING_TO_SETTLE
    # Tab reaches both answers (after the controls), Space presses the one in focus.
    focused: list[str] = []
    for _ in range(12):
        qtbot.keyClick(player.focusWidget() or player, Qt.Key.Key_Tab)
        focused.append(player.focusWidget().objectName())
        if focused[-1] == "not-yet":
            break
    assert focused[-2:] == ["settled", "not-yet"]
    qtbot.keyClick(player.focusWidget(), Qt.Key.Key_Space)
    assert not player.runner.asking_settled
    # B: "Better, walk on" ("Besser, weitergehen" in German), the underlined letter.
    assert player.settled_button.shortcut().toString() == "Alt+B"
    qtbot.keyClick(player.focusWidget(), Qt.Key.Key_B)
    assert player.runner.current_step.phase is Phase.WALK
    qtbot.keyClick(player, Qt.Key.Key_B)  # outside the break, B does nothing
    assert player.runner.current_step.phase is Phase.WALK


def test_not_settled_after_fifteen_minutes_stops_with_the_advice(
    make_player, library: Library
) -> None:  # type: ignore[no-untyped-def]
    clock = FakeClock()
    recorder = FakeRecorder()
    player = make_player(walking_plan(library), library, clock=clock, recorder=recorder)
    began = to_first_break(player, clock)
    tick_to(player, clock, began + player.runner.current_step.seconds)
    player.not_yet()
    tick_to(player, clock, began + WALK_SETTLE_LIMIT_S - 1)
    assert player.outcome is None
    tick_to(player, clock, began + WALK_SETTLE_LIMIT_S)
    assert player.outcome == ("stopped", "walk_not_settling")
    assert recorder.ends == [("stopped", "walk_not_settling")]
    assert recorder.steps[-1].outcome is Outcome.STOPPED
    assert player.pages.currentWidget() is player.end_page
    texts = " ".join(w.text() for w in player.end_page.findChildren(QLabel))
    assert WALK_NOT_SETTLING_ADVICE.get("en") in texts
    assert not player._timer.isActive()


def test_the_walking_stop_is_stored_and_named_in_the_history(
    qtbot, make_player, library: Library, paths
) -> None:  # type: ignore[no-untyped-def]
    from coach.core.progress.history import History
    from coach.core.session.stop_rules import STOP_LABELS, StopReason
    from coach.sheets.progress_report import collect_report
    from coach.ui.session.saving import StepSaving
    from coach.ui.session.session_flow import StoreRecorder

    paths.ensure_data_dir()
    store = Store.open(paths.database)
    saving = StepSaving(lambda: store, lambda _text: None)
    plan = walking_plan(library)
    sid = store.start_session("walking", library.routines["walking"].title)
    clock = FakeClock()
    player = make_player(plan, library, clock=clock, recorder=StoreRecorder(saving, sid))
    began = to_first_break(player, clock)
    tick_to(player, clock, began + WALK_SETTLE_LIMIT_S)
    qtbot.waitUntil(lambda: saving.pending == 0, timeout=5000)
    row = store.session(sid)
    assert row.outcome is SessionOutcome.STOPPED and row.stop_reason == "walk_not_settling"
    today = row.started_utc.astimezone().date()
    with History(store) as history:
        facts = collect_report(history, library.routines, today, today, row.started_utc)
    assert [s.reason for s in facts.stops] == ["walk_not_settling"]
    label = STOP_LABELS[StopReason(facts.stops[0].reason)]
    assert label.get("de") == "Die Beschwerden sind in der Gehpause nicht abgeklungen"
    store.close()


def test_the_stop_dialog_offers_only_the_persons_choices(make_player, library: Library) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QPushButton

    player = make_player(walking_plan(library), library)
    player.start()
    player.stop_this_hurts()
    names = {b.objectName() for b in player.findChildren(QPushButton) if b.objectName()}
    assert {f"reason-{r.value}" for r in STOP_CHOICES} <= names
    assert "reason-walk_not_settling" not in names


@pytest.mark.parametrize("lang", ["en", "de"])
@pytest.mark.parametrize("scale", [125, 200])
def test_the_wait_and_the_stop_fit_at_every_text_size(
    make_player, library: Library, paths, lang: str, scale: int
) -> None:  # type: ignore[no-untyped-def]
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    i18n.set_language(lang, paths.assets)
    theme.load_fonts(paths.assets)
    theme.apply(app, scale)
    try:
        clock = FakeClock()
        player = make_player(walking_plan(library), library, clock=clock, lang=lang)
        began = to_first_break(player, clock)
        tick_to(player, clock, began + player.runner.current_step.seconds)
        # The question and both answers fit the window: nothing pushes it taller.
        assert player.minimumSizeHint().height() <= 800
        for widget in (player.settled_button, player.not_yet_button):
            assert widget.isVisible()
            text = widget.text().replace("&", "")
            assert widget.fontMetrics().horizontalAdvance(text) < widget.width()
        assert player.instruction.fitted_points() > 0
        question = {"en": "Have your symptoms settled?", "de": "Haben sich Ihre Beschwerden"}
        assert player.instruction.text().startswith(question[lang])
        if scale == 200:  # the time in words: the big number would not leave room
            assert not player.countdown.isVisible()
            resting = {"en": "Resting for 1:30", "de": "Pause bisher: 1:30"}[lang]
            assert player.caption.text() == resting
        if lang == "de":
            assert player.settled_button.text() == "&Besser, weitergehen"
            assert player.not_yet_button.text() == "&Noch nicht"
        tick_to(player, clock, began + WALK_SETTLE_LIMIT_S)
        assert WALK_NOT_SETTLING_ADVICE.get(lang) in shown(player)
    finally:
        i18n.set_language("en", paths.assets)
        theme.apply(app, 125)
