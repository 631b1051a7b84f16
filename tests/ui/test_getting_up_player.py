"""The player shows and says the getting-up steps the plan puts in, with no code of its own."""

from __future__ import annotations

from coach.core.content.library import Library
from coach.core.content.model import GET_UP, Routine
from coach.core.session.plan import Phase, build_plan
from coach.core.session.runner import State
from coach.ui.session.audio import Cues
from coach.ui.session.player import PlayerView


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_the_player_shows_the_getting_up_picture_words_and_cue(qtbot, library: Library) -> None:  # type: ignore[no-untyped-def]
    routine = Routine.from_data(
        {
            "id": "test",
            "title": {"en": "Test"},
            "description": {"en": "For the test."},
            "items": [{"exercise": "P1", "reps": 1}, {"exercise": "C1", "reps": 1}],
        }
    )
    plan = build_plan(routine, library.exercises)
    clock = FakeClock()
    player = PlayerView(plan, library, sound=False, voice=False, clock=clock)
    qtbot.addWidget(player)
    player.resize(1280, 800)
    player.show()
    player.start()
    while not player.runner.current_step.getting_up:
        if player.runner.state is State.WAITING_FOR_TAP:
            player.done()
            continue
        deadline = player.runner.next_deadline()
        assert deadline is not None
        clock.now = deadline
        player.tick()
    helper = library.exercises[GET_UP]
    for seconds, cue in (("15", helper.cue), ("30", helper.breathing)):
        step = player.runner.current_step
        assert step.getting_up and step.phase is Phase.TRANSITION
        assert player.title.text() == helper.title.get("en")
        assert player.instruction.text() == step.instruction.get("en")
        assert player.cue.text() == cue.get("en")  # type: ignore[union-attr]
        assert player.countdown_text == seconds
        # the voice says the step's own instruction
        spoken = Cues(library.assets / "sounds", sound=False, voice=False).spoken_text(
            step, helper.title.get("en")
        )
        assert spoken == step.instruction.get("en")
        player.skip()
    assert player.runner.current_step.exercise_id == "C1"
    player.end_session()
    player.close_player()
