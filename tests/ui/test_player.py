"""The routine player, driven by a fake clock: no sleeps, no real time passes."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QLabel, QPushButton

from coach.core.content.library import Library
from coach.core.content.model import Exercise, Routine
from coach.core.session.plan import Phase, Plan, build_plan
from coach.core.session.runner import Outcome, State, StepResult
from coach.core.session.stop_rules import STOP_CHOICES, StopReason
from coach.ui.session.player import PlayerView
from coach.ui.session.player_figure import pose_t
from coach.ui.session.session_end import ENDED_EARLY, EndSessionDialog
from coach.ui.session.step_texts import countdown_text, minutes_left_text

# --- helpers -------------------------------------------------------------------


class FakeClock:
    def __init__(self, start: float = 1000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class FakeRecorder:
    def __init__(self) -> None:
        self.steps: list[StepResult] = []
        self.ends: list[tuple[str, str | None]] = []

    def step_finished(self, result: StepResult) -> None:
        self.steps.append(result)

    def session_ended(self, outcome: str, reason: str | None) -> None:
        self.ends.append((outcome, reason))


class FullDiskRecorder:
    """Every save fails, each time with a different message."""

    def __init__(self) -> None:
        self.calls = 0

    def _fail(self) -> None:
        self.calls += 1
        raise OSError(28, f"No space left on device (try {self.calls})")

    def step_finished(self, result: StepResult) -> None:
        self._fail()

    def session_ended(self, outcome: str, reason: str | None) -> None:
        self._fail()


def make_exercise(ex_id: str, *, picture: str | None = None, **dosage: Any) -> Exercise:
    data: dict[str, Any] = {
        "id": ex_id,
        "category": "stretching",
        "title": {"en": f"Exercise {ex_id}", "de": f"Übung {ex_id}"},
        "start_position": {"en": "Lie on your back."},
        "steps": [{"en": "One."}, {"en": "Two."}, {"en": "Three."}],
        "dosage": dosage,
        "cue": {"en": f"Cue of {ex_id}: keep the lower back flat."},
        "illustrations": {
            "start": picture or f"figures/{ex_id}-start.svg",
            "end": picture or f"figures/{ex_id}-end.svg",
        },
    }
    if dosage.get("hold_s"):
        data["breathing"] = {"en": "Keep breathing."}
    return Exercise.from_data(data)


def make_plan(library: Library, items: list[dict[str, Any]], **kwargs: Any) -> Plan:
    routine = Routine.from_data(
        {
            "id": "test",
            "title": {"en": "Test routine"},
            "description": {"en": "For the tests."},
            "items": items,
        }
    )
    return build_plan(routine, library.exercises, **kwargs)


@pytest.fixture
def small_library(paths) -> Library:  # type: ignore[no-untyped-def]
    lib = Library(assets=paths.assets)
    for ex in (
        make_exercise("X1", duration_s=60),
        make_exercise("X2", reps=2, hold_s=5, relax_s=3, side="both"),
        make_exercise("X3", reps=2, tempo=None, self_paced=True),
        make_exercise("X4", reps=1, hold_s=5, picture="figures/does-not-exist.svg"),
    ):
        lib.exercises[ex.id] = ex
    return lib


@pytest.fixture
def make_player(qtbot):  # type: ignore[no-untyped-def]
    def make(plan: Plan, library: Library, **kwargs: Any) -> PlayerView:
        kwargs.setdefault("sound", False)
        kwargs.setdefault("voice", False)
        kwargs.setdefault("clock", FakeClock())
        player = PlayerView(plan, library, **kwargs)
        qtbot.addWidget(player)
        player.resize(1280, 800)
        player.show()
        return player

    return make


def run_to_next_step(player: PlayerView, clock: FakeClock) -> None:
    """Advance the fake clock to each wake-up until the step changes."""
    index = player.runner.current_step.index
    while player.runner.current_step.index == index and player.runner.state is State.RUNNING:
        deadline = player.runner.next_deadline()
        assert deadline is not None
        clock.now = deadline
        player.tick()


def play_for(player: PlayerView, clock: FakeClock, seconds: float) -> None:
    """Let ``seconds`` pass, waking at every deadline as the real timer would.

    (One big jump would look like a suspend to the runner, which then pauses.)
    """
    end = clock.now + seconds
    while (deadline := player.runner.next_deadline()) is not None and deadline <= end:
        clock.now = deadline
        player.tick()
    clock.now = end
    player.tick()


# --- small pure helpers ------------------------------------------------------------


def test_time_texts() -> None:
    assert countdown_text(17.0) == "17"
    assert countdown_text(16.2) == "17"
    assert countdown_text(59.5) == "1:00"
    assert countdown_text(240) == "4:00"
    assert minutes_left_text(12 * 60 - 5) == "12 min left"
    assert minutes_left_text(30) == "1 min left"


def test_pose_follows_the_movement(small_library: Library) -> None:
    plan = make_plan(small_library, [{"exercise": "X2"}])
    move = next(s for s in plan.steps if s.phase is Phase.MOVE)
    back = next(s for s in plan.steps if s.phase is Phase.BACK)
    hold = next(s for s in plan.steps if s.phase is Phase.HOLD)
    relax = next(s for s in plan.steps if s.phase is Phase.RELAX)
    assert pose_t(move, 0) == 0 and pose_t(move, move.seconds / 2) == pytest.approx(0.5)
    assert pose_t(back, 0) == 1 and pose_t(back, back.seconds) == 0
    assert pose_t(hold, 1) == 1
    assert pose_t(relax, 1) == 0


# --- time -------------------------------------------------------------------------------


def test_countdown_shows_the_remaining_time(make_player, small_library: Library) -> None:
    clock = FakeClock()
    plan = make_plan(small_library, [{"exercise": "X1"}], first_get_ready_s=10)
    player = make_player(plan, small_library, clock=clock)
    assert player.countdown_text == "10"  # before Start: the first step's full time
    qtbot_click(player.pause_button)
    assert player.runner.state is State.RUNNING
    clock.advance(3.0)
    player.tick()
    assert player.countdown_text == "7"
    clock.advance(0.4)
    player.tick()
    assert player.countdown_text == "7"  # 6.6 s left still reads 7, like any countdown
    run_to_next_step(player, clock)
    assert player.runner.current_step.phase is Phase.TIMED
    assert player.countdown_text == "1:00"
    assert player.instruction.text() == "Keep going calmly"
    assert player.title.text() == "Exercise X1"


def test_one_precise_single_shot_timer_armed_for_the_deadline(
    make_player, small_library: Library
) -> None:
    clock = FakeClock()
    plan = make_plan(small_library, [{"exercise": "X1"}], first_get_ready_s=10)
    player = make_player(plan, small_library, clock=clock)
    player.start()
    timer = player._timer
    assert timer.isSingleShot() and timer.timerType() is Qt.TimerType.PreciseTimer
    assert timer.isActive() and timer.interval() == 1000
    clock.advance(0.25)  # woke late: the next wake-up is at the whole second, not 1 s later
    player.tick()
    assert timer.interval() == 750
    assert not player._animation.isActive()  # nothing moves during get ready


def test_animation_timer_runs_only_while_moving(make_player, small_library: Library) -> None:
    clock = FakeClock()
    plan = make_plan(small_library, [{"exercise": "X2"}])
    player = make_player(plan, small_library, clock=clock)
    player.start()
    while player.runner.current_step.phase is not Phase.MOVE:
        run_to_next_step(player, clock)
    assert player._animation.isActive()
    run_to_next_step(player, clock)
    assert player.runner.current_step.phase is Phase.HOLD
    assert not player._animation.isActive()
    player.pause()
    assert not player._animation.isActive() and not player._timer.isActive()


def test_ticks_move_through_every_step(make_player, small_library: Library) -> None:
    clock = FakeClock()
    recorder = FakeRecorder()
    plan = make_plan(small_library, [{"exercise": "X1"}, {"exercise": "X2"}])
    player = make_player(plan, small_library, clock=clock, recorder=recorder)
    player.start()
    seen = []
    while player.runner.state is State.RUNNING:
        seen.append(player.runner.current_step.index)
        run_to_next_step(player, clock)
    assert seen == list(range(len(plan.steps) - 1))
    assert player.runner.state is State.FINISHED
    assert [r.step.index for r in recorder.steps] == seen
    assert recorder.ends == [("completed", None)]


def test_space_pauses_and_resumes_with_the_time_frozen(
    qtbot, make_player, small_library: Library
) -> None:
    clock = FakeClock()
    plan = make_plan(small_library, [{"exercise": "X1"}], first_get_ready_s=10)
    player = make_player(plan, small_library, clock=clock)
    qtbot.keyClick(player, Qt.Key.Key_Space)  # Space starts
    assert player.runner.state is State.RUNNING
    clock.advance(2.0)
    player.tick()
    qtbot.keyClick(player, Qt.Key.Key_Space)
    assert player.runner.state is State.PAUSED
    assert player.paused_label.isVisible()
    assert player.pause_button.text() == "Resume"
    clock.advance(120.0)
    player.tick()
    assert player.countdown_text == "8"
    assert player.runner.current_step.phase is Phase.GET_READY
    qtbot.keyClick(player, Qt.Key.Key_Space)
    assert player.runner.state is State.RUNNING
    assert not player.paused_label.isVisible()
    clock.advance(1.0)
    player.tick()
    assert player.countdown_text == "7"


def test_right_skips_and_left_goes_back(qtbot, make_player, small_library: Library) -> None:
    clock = FakeClock()
    recorder = FakeRecorder()
    plan = make_plan(small_library, [{"exercise": "X2"}])
    player = make_player(plan, small_library, clock=clock, recorder=recorder)
    player.start()
    qtbot.keyClick(player, Qt.Key.Key_Right)
    assert player.runner.current_step.index == 1
    assert recorder.steps[-1].outcome is Outcome.SKIPPED
    qtbot.keyClick(player, Qt.Key.Key_Right)
    assert player.runner.current_step.index == 2
    qtbot.keyClick(player, Qt.Key.Key_Left)  # within 2 s of the start: the step before
    assert player.runner.current_step.index == 1
    clock.advance(2.5)
    player.tick()
    qtbot.keyClick(player, Qt.Key.Key_Left)  # later: the same step again, from its start
    assert player.runner.current_step.index == 1
    assert player.runner.elapsed_in_step() == 0
    assert player.position.text() == "Rep 1 of 2  ·  Right side"


def test_self_paced_step_waits_for_space_or_done(
    qtbot, make_player, small_library: Library
) -> None:
    clock = FakeClock()
    plan = make_plan(small_library, [{"exercise": "X3"}])
    player = make_player(plan, small_library, clock=clock)
    player.start()
    run_to_next_step(player, clock)
    step = player.runner.current_step
    assert step.self_paced and player.runner.state is State.WAITING_FOR_TAP
    assert player.done_button.isVisible()
    assert player._animation.isActive()  # the figure loops while the person moves
    clock.advance(30.0)  # far past its estimate: still waiting, the count goes up
    player.tick()
    assert player.runner.current_step is step
    assert player.countdown_text == "30"
    qtbot.keyClick(player, Qt.Key.Key_Space)
    assert player.runner.current_step.index == step.index + 1
    while not player.runner.current_step.self_paced:
        run_to_next_step(player, clock)
    qtbot.mouseClick(player.done_button, Qt.MouseButton.LeftButton)
    assert player.runner.state is State.FINISHED


# --- what is on screen -----------------------------------------------------------------


def test_the_cue_is_visible_on_every_step(make_player, library: Library) -> None:
    clock = FakeClock()
    plan = build_plan(library.routines["daily-relief"], library.exercises)
    player = make_player(plan, library, clock=clock)
    player.start()
    checked = 0
    while player.runner.state in (State.RUNNING, State.WAITING_FOR_TAP):
        assert player.cue_box.isVisible()
        assert player.cue_tick.isVisible()
        step = player.runner.current_step
        assert step.cue is not None
        assert player.cue.text() == step.cue.get("en")
        checked += 1
        if player.runner.state is State.WAITING_FOR_TAP:
            player.done()
        else:
            run_to_next_step(player, clock)
    assert checked == len(plan.steps) - 1


def test_left_side_mirrors_the_figure(make_player, small_library: Library) -> None:
    clock = FakeClock()
    plan = make_plan(small_library, [{"exercise": "X2"}])
    player = make_player(plan, small_library, clock=clock)
    player.start()
    sides = set()
    while player.runner.state is State.RUNNING:
        step = player.runner.current_step
        if step.side is not None:
            sides.add(step.side.value)
            assert player.figure_mirrored is (step.side.value == "left")
        run_to_next_step(player, clock)
    assert sides == {"left", "right"}


def test_real_exercise_shows_a_picture_and_mirrors(make_player, library: Library) -> None:
    clock = FakeClock()
    plan = build_plan(library.routines["gentle-day"], library.exercises)
    player = make_player(plan, library, clock=clock)
    player.start()
    while player.runner.current_step.side is None or (
        player.runner.current_step.side.value != "left"
    ):
        run_to_next_step(player, clock)
    assert player.figure_mirrored
    # Whether the picture comes from the pose model or a file, the player runs on.
    assert player.runner.state is State.RUNNING


def test_missing_illustration_shows_the_placeholder(make_player, small_library: Library) -> None:
    clock = FakeClock()
    recorder = FakeRecorder()
    plan = make_plan(small_library, [{"exercise": "X4"}])
    player = make_player(plan, small_library, clock=clock, recorder=recorder)
    player.start()
    assert player.showing_placeholder
    while player.runner.state is State.RUNNING:
        run_to_next_step(player, clock)
    assert player.runner.state is State.FINISHED
    assert recorder.ends == [("completed", None)]


def test_walk_marks_symptoms_and_shows_the_break_exercise(make_player, library: Library) -> None:
    clock = FakeClock()
    recorder = FakeRecorder()
    plan = build_plan(library.routines["walking"], library.exercises, walking_test_s=300)
    player = make_player(plan, library, clock=clock, recorder=recorder)
    player.start()
    while player.runner.current_step.phase is not Phase.WALK:
        if player.runner.state is State.WAITING_FOR_TAP:
            player.done()
        else:
            run_to_next_step(player, clock)
    assert player.symptoms_button.isVisible()
    play_for(player, clock, 95.0)
    player.symptoms_button.click()
    assert not player.symptoms_button.isEnabled()
    assert "1:35" in player.symptoms_button.text()
    run_to_next_step(player, clock)
    assert recorder.steps[-1].symptoms_at_s == pytest.approx(95.0)
    step = player.runner.current_step
    assert step.phase is Phase.FLEXION_BREAK
    assert step.exercise_id == "S9"
    assert player.title.text() == library.exercises["S9"].title.get("en")
    assert player.instruction.text() == step.instruction.get("en")
    assert not player.symptoms_button.isVisible()


def test_a_suspend_pauses_the_session(make_player, small_library: Library) -> None:
    clock = FakeClock()
    plan = make_plan(small_library, [{"exercise": "X1"}], first_get_ready_s=10)
    player = make_player(plan, small_library, clock=clock)
    player.start()
    clock.advance(3.0)
    player.tick()
    clock.advance(3600.0)  # the laptop slept for an hour
    player.tick()
    assert player.runner.state is State.PAUSED
    assert player.runner.current_step.phase is Phase.GET_READY
    assert player.paused_label.isVisible()
    assert "asleep" in player.paused_label.text()
    assert player.countdown_text == "7"


# --- ending --------------------------------------------------------------------------------


class FakeStopDialog(QObject):
    """Stands in for the modal "What happened?" dialog: answers at once."""

    chosen = Signal(str)
    rejected = Signal()
    answer: str | None = StopReason.DIZZINESS_CHEST.value
    opened = 0

    def __init__(self, parent: QObject | None = None, lang: str = "en") -> None:
        super().__init__(parent)

    def open(self) -> None:
        type(self).opened += 1
        if self.answer is None:
            self.rejected.emit()
        else:
            self.chosen.emit(self.answer)


def test_stop_this_hurts_records_the_reason(
    qtbot, monkeypatch, make_player, small_library: Library
) -> None:
    monkeypatch.setattr(PlayerView, "stop_dialog_class", FakeStopDialog)
    clock = FakeClock()
    recorder = FakeRecorder()
    plan = make_plan(small_library, [{"exercise": "X2"}])
    player = make_player(
        plan, small_library, clock=clock, recorder=recorder, emergency_number="999"
    )
    player.start()
    run_to_next_step(player, clock)
    clock.advance(1.0)
    player.tick()
    with qtbot.waitSignal(player.session_ended) as ended:
        qtbot.mouseClick(player.stop_button, Qt.MouseButton.LeftButton)
    reason = StopReason.DIZZINESS_CHEST.value
    assert ended.args == ["stopped", reason]
    assert player.runner.state is State.STOPPED
    assert player.runner.stop_reason == reason
    assert recorder.ends == [("stopped", reason)]
    assert recorder.steps[-1].outcome is Outcome.STOPPED
    assert player.pages.currentWidget() is player.end_page
    texts = " ".join(w.text() for w in player.end_page.findChildren(QLabel))
    assert "999" in texts  # the emergency number, from the person's profile
    with qtbot.waitSignal(player.finished) as finished:
        qtbot.mouseClick(player.close_button, Qt.MouseButton.LeftButton)
    assert finished.args == ["stopped", reason]
    assert not player._timer.isActive() and not player._animation.isActive()


def test_stop_dialog_cancelled_leaves_the_session_paused(
    monkeypatch, make_player, small_library: Library
) -> None:
    monkeypatch.setattr(PlayerView, "stop_dialog_class", FakeStopDialog)
    monkeypatch.setattr(FakeStopDialog, "answer", None)
    clock = FakeClock()
    plan = make_plan(small_library, [{"exercise": "X2"}])
    player = make_player(plan, small_library, clock=clock)
    player.start()
    player.stop_this_hurts()
    assert player.runner.state is State.PAUSED
    assert player.outcome is None


def test_real_stop_dialog_offers_every_reason(qtbot, make_player, small_library: Library) -> None:
    plan = make_plan(small_library, [{"exercise": "X2"}])
    player = make_player(plan, small_library)
    player.start()
    player.stop_this_hurts()
    dialog = player.findChild(QObject, "reason-sharp_pain")
    assert isinstance(dialog, QPushButton)
    names = {b.objectName() for b in player.findChildren(QPushButton) if b.objectName()}
    # Every reason the person can pick; the walking rule's stop is Coach's own.
    assert {f"reason-{r.value}" for r in STOP_CHOICES} <= names
    assert "reason-walk_not_settling" not in names
    dialog.click()
    assert player.outcome == ("stopped", "sharp_pain")


def test_escape_asks_before_ending(qtbot, make_player, small_library: Library) -> None:
    clock = FakeClock()
    recorder = FakeRecorder()
    plan = make_plan(small_library, [{"exercise": "X2"}])
    player = make_player(plan, small_library, clock=clock, recorder=recorder)
    player.start()
    qtbot.keyClick(player, Qt.Key.Key_Escape)
    dialog = player.findChild(EndSessionDialog)
    assert dialog is not None and dialog.isVisible()
    assert player.runner.state is State.PAUSED
    dialog.findChild(QPushButton, "end-keep-going").click()
    assert player.runner.state is State.RUNNING  # "Keep going" resumes
    qtbot.keyClick(player, Qt.Key.Key_Escape)
    dialogs = [d for d in player.findChildren(EndSessionDialog) if d.isVisible()]
    assert len(dialogs) == 1
    with qtbot.waitSignal(player.session_ended) as ended:
        dialogs[0].findChild(QPushButton, "end-confirm").click()
    assert ended.args == [ENDED_EARLY, None]
    assert recorder.ends == [(ENDED_EARLY, None)]


def test_save_errors_show_one_calm_banner_and_the_session_goes_on(
    make_player, small_library: Library
) -> None:
    clock = FakeClock()
    recorder = FullDiskRecorder()
    plan = make_plan(small_library, [{"exercise": "X2"}])
    player = make_player(plan, small_library, clock=clock, recorder=recorder)
    player.start()
    run_to_next_step(player, clock)
    assert player.banner.isVisible()
    first = player.banner.text()
    assert first.startswith("Your progress could not be saved")
    assert "try 1" in first and first.endswith("The session goes on.")
    while player.runner.state is State.RUNNING:
        run_to_next_step(player, clock)
    assert player.runner.state is State.FINISHED
    assert recorder.calls == len(plan.steps)  # every step and the end were still tried
    assert player.banner.text() == first  # reported once, never stacked


def test_gentle_day_runs_to_the_end_with_only_start(qtbot, make_player, library: Library) -> None:
    clock = FakeClock()
    recorder = FakeRecorder()
    plan = build_plan(library.routines["gentle-day"], library.exercises)
    player = make_player(plan, library, clock=clock, recorder=recorder)
    start = clock.now
    qtbot.mouseClick(player.pause_button, Qt.MouseButton.LeftButton)
    wakes = 0
    while (deadline := player.runner.next_deadline()) is not None:
        clock.now = deadline
        player.tick()
        wakes += 1
    assert player.runner.state is State.FINISHED
    assert clock.now - start == pytest.approx(plan.total_seconds)
    assert wakes >= plan.total_seconds  # a wake-up each second: the countdown is repainted
    assert [r.step for r in recorder.steps] == list(plan.steps[:-1])
    assert all(r.outcome is Outcome.COMPLETED for r in recorder.steps)
    assert recorder.ends == [("completed", None)]
    assert player.pages.currentWidget() is player.end_page
    with qtbot.waitSignal(player.finished) as finished:
        player.close_button.click()
    assert finished.args == ["completed", None]


# --- sound --------------------------------------------------------------------------------


def test_no_audio_objects_when_sound_and_voice_are_off(make_player, small_library: Library) -> None:
    from PySide6.QtMultimedia import QSoundEffect
    from PySide6.QtTextToSpeech import QTextToSpeech

    clock = FakeClock()
    plan = make_plan(small_library, [{"exercise": "X2"}])
    player = make_player(plan, small_library, clock=clock, sound=False, voice=False)
    player.start()
    run_to_next_step(player, clock)
    assert player.findChildren(QSoundEffect) == []
    assert player.findChildren(QTextToSpeech) == []
    assert player.cues.speech is None and player.cues.effects == {}


def test_audio_is_lazy_and_never_fails(make_player, small_library: Library) -> None:
    from PySide6.QtTextToSpeech import QTextToSpeech

    clock = FakeClock()
    plan = make_plan(small_library, [{"exercise": "X2"}])
    player = make_player(plan, small_library, clock=clock, sound=True, voice=True)
    assert player.findChildren(QTextToSpeech) == []  # nothing before the session starts
    player.start()
    speech = player.cues.speech
    if speech is not None:  # an engine that works here must not be Qt's silent test engine
        assert speech.engine() != "mock"
    while player.runner.state is State.RUNNING:
        run_to_next_step(player, clock)
    assert player.runner.state is State.FINISHED


def test_beeps_have_a_thread_of_their_own(make_player, small_library: Library) -> None:
    """Qt's PulseAudio code can spin on the thread its sounds live on: never the GUI's."""
    from PySide6.QtCore import QThread

    clock = FakeClock()
    plan = make_plan(small_library, [{"exercise": "X2"}])
    player = make_player(plan, small_library, clock=clock, sound=True, voice=False)
    player.start()
    beeps = player.cues._beeps
    assert beeps is not None and beeps.folder == str(small_library.assets / "sounds")
    assert beeps.thread() is not QThread.currentThread() and beeps.thread().isRunning()
    assert all(e.thread() is beeps.thread() for e in player.cues.effects.values())


def test_sounds_are_generated_small_and_valid(paths) -> None:  # type: ignore[no-untyped-def]
    import wave

    for name in ("tick", "step", "done"):
        path = paths.assets / "sounds" / f"{name}.wav"
        with wave.open(str(path)) as wav:
            assert (wav.getnchannels(), wav.getsampwidth(), wav.getframerate()) == (1, 2, 44100)
            assert wav.getnframes() / 44100 < 1.0
        assert path.stat().st_size < 100_000


def qtbot_click(widget: QPushButton) -> None:
    widget.click()


def test_cues_count_aloud_and_beep_the_last_seconds(small_library: Library) -> None:
    from coach.ui.session.audio import Cues

    plan = make_plan(small_library, [{"exercise": "X1"}, {"exercise": "X2"}])
    cues = Cues(small_library.assets / "sounds", sound=True, voice=True)
    played: list[str] = []
    said: list[str] = []
    cues._play = played.append  # type: ignore[method-assign]
    cues.say = said.append  # type: ignore[method-assign]
    timed = next(s for s in plan.steps if s.phase is Phase.TIMED)
    cues.step_started(timed, "Exercise X1")
    for remaining in range(60, 0, -1):
        cues.second(timed, 60 - remaining, remaining)
    assert played == ["step", "tick", "tick", "tick"]  # the tone, then the last 3 seconds
    move = next(s for s in plan.steps if s.phase is Phase.MOVE)
    played.clear()
    said.clear()
    cues.step_started(move, "Exercise X2")
    for elapsed in range(round(move.seconds)):
        cues.second(move, float(elapsed), round(move.seconds) - elapsed)
        cues.second(move, elapsed + 0.5, round(move.seconds) - elapsed)  # a repaint: no repeat
    assert said == ["1", "2"]  # counted aloud, once per second
    assert played == ["step"]  # no beeps over the counting
    ready = next(s for s in plan.steps if s.phase is Phase.GET_READY and s.exercise_id == "X2")
    said.clear()
    cues.step_started(ready, "Exercise X2")
    assert "Exercise X2" in said[0] and "Cue of X2" in said[0]  # the name and the cue
