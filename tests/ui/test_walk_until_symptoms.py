"""A walk that ends at the first symptoms, in the real player: the person presses
"Symptoms started", the walk ends there and the time is saved. A fake clock."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from coach.core.content.library import Library
from coach.core.content.model import Routine
from coach.core.session.plan import Phase, build_plan
from coach.core.session.runner import Outcome, StepResult
from coach.ui import i18n, theme
from coach.ui.session.player import PlayerView


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

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


def routine(walk: dict[str, Any]) -> Routine:
    return Routine.from_data(
        {
            "id": "walk",
            "title": {"en": "Walk"},
            "description": {"en": "A walk."},
            "items": [{"exercise": "A3", "walk": walk}, {"exercise": "C1"}],
        }
    )


def walk_for(player: PlayerView, clock: FakeClock, seconds: float) -> None:
    """Wake at every deadline, as the player's single-shot timer would."""
    until = clock.now + seconds
    while (deadline := player.runner.next_deadline()) is not None and deadline <= until:
        clock.now = deadline
        player.tick()
    clock.now = until
    player.tick()


def test_symptoms_started_ends_a_treadmill_walk_and_saves_the_time(qtbot, library: Library) -> None:  # type: ignore[no-untyped-def]
    walk = {
        "kind": "treadmill_level",
        "bouts": 1,
        "bout_s": 2700,
        "from_walking_test": None,
        "stop_at_first_symptoms": True,
    }
    plan = build_plan(routine(walk), library.exercises)
    clock, recorder = FakeClock(), FakeRecorder()
    player = PlayerView(plan, library, sound=False, voice=False, clock=clock, recorder=recorder)
    qtbot.addWidget(player)
    player.resize(1280, 800)
    player.show()
    qtbot.waitExposed(player)
    player.start()
    while player.runner.current_step.phase is not Phase.WALK:
        walk_for(player, clock, 1)
    assert player.symptoms_button.isVisible()
    walk_for(player, clock, 17 * 60)
    qtbot.mouseClick(player.symptoms_button, Qt.MouseButton.LeftButton)
    # The walk is over: the next exercise is on, not 28 more minutes of walking.
    assert player.runner.current_step.phase is Phase.TRANSITION
    assert not player.symptoms_button.isVisible()
    saved = [r for r in recorder.steps if r.step.phase is Phase.WALK]
    assert len(saved) == 1
    assert saved[0].symptoms_at_s == 17 * 60
    assert saved[0].done_seconds == 17 * 60 and saved[0].outcome is Outcome.COMPLETED


def make_player(qtbot, plan, library: Library, clock: FakeClock, lang: str = "en") -> PlayerView:  # type: ignore[no-untyped-def]
    player = PlayerView(plan, library, lang=lang, sound=False, voice=False, clock=clock)
    qtbot.addWidget(player)
    player.resize(1280, 800)
    player.show()
    qtbot.waitExposed(player)
    return player


def to_walk(player: PlayerView, clock: FakeClock) -> None:
    player.start()
    while player.runner.current_step.phase is not Phase.WALK:
        walk_for(player, clock, 1)


@pytest.mark.parametrize(
    ("lang", "label"),
    [
        ("en", "Symptoms started – end the walk"),
        ("de", "Beschwerden haben begonnen – Gehen beenden"),
    ],
)
def test_a_walk_that_ends_at_symptoms_says_so_on_its_button(  # type: ignore[no-untyped-def]
    qtbot, library: Library, paths, lang: str, label: str
) -> None:
    walk = {"kind": "treadmill_level", "bouts": 1, "bout_s": 2700, "max_s": 2700,
            "from_walking_test": None, "stop_at_first_symptoms": True}  # fmt: skip
    i18n.set_language(lang, paths.assets)
    try:
        clock = FakeClock()
        player = make_player(
            qtbot, build_plan(routine(walk), library.exercises), library, clock, lang
        )
        to_walk(player, clock)
        assert player.runner.current_step.ends_at_symptoms
        assert player.symptoms_button.text() == label
        assert player.symptoms_button.accessibleName() == label
        qtbot.wait(20)  # the words are fitted once the layout has given them their width
        assert player.symptoms_button.words.fits()  # wrapped, not cut off at both ends
        # Drawn in the primary button's light text colour, not dark on its dark green.
        words = player.symptoms_button.words
        ink = words.palette().color(words.foregroundRole())
        assert ink.name() == QColor(theme.PALETTES["normal"]["accent_text"]).name()
        walk_for(player, clock, 5 * 60)
        player.mark_symptoms()
        # The walk ended: no "Noted at 5:00" lingers on a button that is gone.
        assert player.runner.current_step.phase is Phase.TRANSITION
        assert "5:00" not in player.symptoms_button.text()
        assert player.symptoms_button.text() == label
    finally:
        i18n.set_language("en", paths.assets)


def test_a_walk_that_goes_on_keeps_the_plain_button_and_notes_the_time(  # type: ignore[no-untyped-def]
    qtbot, library: Library
) -> None:
    walk = {"kind": "outdoor", "bouts": 2, "bout_s": 600, "from_walking_test": None,
            "stop_at_first_symptoms": False}  # fmt: skip
    clock = FakeClock()
    player = make_player(qtbot, build_plan(routine(walk), library.exercises), library, clock)
    to_walk(player, clock)
    assert not player.runner.current_step.ends_at_symptoms
    assert player.symptoms_button.text() == "Symptoms started"
    walk_for(player, clock, 95)
    player.mark_symptoms()
    assert player.runner.current_step.phase is Phase.WALK  # walking on
    assert player.symptoms_button.text() == "Noted at 1:35"
    assert not player.symptoms_button.isEnabled()
