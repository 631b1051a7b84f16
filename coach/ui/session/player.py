"""The routine player: one exercise at a time, big enough to read from the mat.

The player shows a :class:`~coach.core.session.runner.SessionRunner` and turns key
presses and clicks into runner commands; every decision about time lives in
the runner. Time follows the design rule "a countdown is a deadline, never a
counter": one single-shot precise timer is armed for ``runner.next_deadline()``
(the next whole second of the countdown or the step's end) and nothing is ever
counted, so a busy computer or a frozen GUI thread shortens no exercise and a
routine ends on time. A second single-shot timer drives the figure's movement,
and only while the person moves (a move or come-back step); during holds and
rests the player sleeps between whole seconds.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from typing import Protocol

from PySide6.QtCore import QEvent, QKeyCombination, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QKeyEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import QWidget

from coach.core.content.library import Library
from coach.core.session.plan import Phase, Plan, Step, format_clock
from coach.core.session.runner import (
    Event,
    NotYetSettled,
    Paused,
    Resumed,
    SessionFinished,
    SessionRunner,
    SessionStopped,
    SettleAsked,
    State,
    StepFinished,
    StepResult,
    StepStarted,
    SymptomsMarked,
)
from coach.core.session.stop_rules import SETTLE_ASK_AGAIN_S
from coach.ui.i18n import T
from coach.ui.session.audio import Cues
from coach.ui.session.play_screen import PlayScreen, symptoms_tip
from coach.ui.session.player_figure import pose_t
from coach.ui.session.session_end import (
    ENDED_EARLY,
    OUTCOME_COMPLETED,
    OUTCOME_ENDED_EARLY,
    OUTCOME_STOPPED,
    EndSessionDialog,
    StopReasonDialog,
    add_end_words,
)
from coach.ui.session.step_texts import (
    FALLBACK_CUE,
    caution_text,
    count_up_text,
    countdown_text,
    minutes_left_text,
    note_text,
    position_text,
)
from coach.ui.widgets import button

ANIMATION_MS = 40
"""25 frames a second while the figure moves; the timer stops otherwise."""

SETTLE_NUMBER_MAX_SCALE = 1.6
"""Up to this text size (150 %) the walking break's question leaves room for the
big count of the time rested; above it the time is said in words only (the
question and its two answers would not fit a window 800 pixels high)."""


class Recorder(Protocol):
    """Where finished steps and the session's end are saved (the progress store)."""

    def step_finished(self, result: StepResult) -> None: ...

    def session_ended(self, outcome: str, reason: str | None) -> None: ...


def _moving(step: Step) -> bool:
    return step.phase in (Phase.MOVE, Phase.BACK)


class PlayerView(PlayScreen):
    """Plays one routine plan from "Start" to the end screen.

    ``session_ended(outcome, reason)`` is emitted the moment the session ends
    (outcome "completed", "ended_early" or "stopped"; reason a StopReason value
    for "stopped", else None); ``finished(outcome, reason)`` when the person
    closes the end screen. Both dialogs are class attributes so that tests
    can replace them (pytest-qt's advice for modal dialogs).
    """

    finished = Signal(str, object)
    session_ended = Signal(str, object)

    stop_dialog_class: type[QObject] = StopReasonDialog
    end_dialog_class: type[QObject] = EndSessionDialog

    def __init__(
        self,
        plan: Plan,
        library: Library,
        *,
        lang: str = "en",
        sound: bool = True,
        voice: bool = True,
        clock: Callable[[], float] = time.monotonic,
        recorder: Recorder | None = None,
        emergency_number: str = "112",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(library, lang, parent)
        self.plan = plan
        self._clock = clock
        self._recorder = recorder
        self._emergency_number = emergency_number
        self._runner = SessionRunner(plan, clock)
        self.cues = Cues(
            library.assets / "sounds", lang=lang, sound=sound, voice=voice, parent=self
        )
        self._shown_step: int | None = None
        self._cued_step: int | None = None
        self._save_error: str | None = None
        self._played: list[StepResult] = []  # every finished step, for the end words
        self._mostly_skipped = False
        self._suspended = False
        self._outcome: tuple[str, str | None] | None = None
        self._paused_by_dialog = False

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self.tick)
        self._animation = QTimer(self)
        self._animation.setSingleShot(True)
        self._animation.timeout.connect(self._on_animation_timeout)

        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setWindowTitle(plan.routine_title.get(lang))
        for widget, command in (
            (self.done_button, self.done),
            (self.symptoms_button, self.mark_symptoms),
            (self.settled_button, self.settled),
            (self.not_yet_button, self.not_yet),
            (self.pause_button, self.toggle_pause),
            (self.back_button, self.back),
            (self.skip_button, self.skip),
            (self.end_button, self.request_end),
            (self.stop_button, self.stop_this_hurts),
        ):
            widget.clicked.connect(command)
        self._refresh()
        app = QGuiApplication.instance()
        if isinstance(app, QGuiApplication):
            app.applicationStateChanged.connect(self._on_app_state_changed)

    # -- what tests and the main window read -----------------------------------
    @property
    def runner(self) -> SessionRunner:
        return self._runner

    @property
    def figure_mirrored(self) -> bool:
        return self.figure.mirrored

    @property
    def showing_placeholder(self) -> bool:
        return self.figure.placeholder

    @property
    def countdown_text(self) -> str:
        return self.countdown.text()

    @property
    def outcome(self) -> tuple[str, str | None] | None:
        return self._outcome

    @property
    def save_error(self) -> str | None:
        return self._save_error

    # -- commands ------------------------------------------------------------------
    def start(self) -> None:
        if self._runner.state is not State.READY:
            return
        self.cues.prepare()
        self._after(self._runner.start())

    def toggle_pause(self) -> None:
        state = self._runner.state
        if state is State.READY:
            self.start()
        elif state is State.PAUSED:
            self.resume()
        elif state in (State.RUNNING, State.WAITING_FOR_TAP, State.WAITING_TO_SETTLE):
            self.pause()

    def pause(self) -> None:
        self._after(self._runner.pause())

    def resume(self) -> None:
        self._after(self._runner.resume())

    def skip(self) -> None:
        self._after(self._runner.skip())

    def back(self) -> None:
        self._after(self._runner.back())

    def done(self) -> None:
        """The person finished a self-paced rep (the Done button or Space)."""
        self._after(self._runner.tap())

    def mark_symptoms(self) -> None:
        self._after(self._runner.mark_symptoms())

    def settled(self) -> None:
        """ "Better, walk on": the symptoms settled in the walking break."""
        self._after(self._runner.settled())

    def not_yet(self) -> None:
        """ "Not yet": keep resting; Coach asks again in a while."""
        self._after(self._runner.not_yet())

    def request_end(self) -> None:
        """Esc or the End button: pause and ask before ending."""
        if self._over():
            return
        self._pause_for_dialog()
        dialog = self.end_dialog_class(self, self._lang)  # type: ignore[call-arg]
        dialog.confirmed.connect(self.end_session)  # type: ignore[attr-defined]
        dialog.rejected.connect(self._on_end_dialog_rejected)  # type: ignore[attr-defined]
        dialog.open()  # type: ignore[attr-defined]

    def end_session(self) -> None:
        """End now without asking (also for the main window when it closes)."""
        self._after(self._runner.stop(ENDED_EARLY))

    def stop_this_hurts(self) -> None:
        """Pause at once, then ask what happened."""
        if self._over():
            return
        self._after(self._runner.pause())
        self._paused_by_dialog = False  # the person resumes by hand after a scare
        dialog = self.stop_dialog_class(self, self._lang)  # type: ignore[call-arg]
        dialog.chosen.connect(self._on_stop_reason_chosen)  # type: ignore[attr-defined]
        dialog.rejected.connect(self._on_stop_dialog_rejected)  # type: ignore[attr-defined]
        dialog.open()  # type: ignore[attr-defined]

    def tick(self) -> None:
        """Wake-up at a deadline: let the runner catch up, repaint, re-arm."""
        self._after(self._runner.update())

    # -- keyboard ------------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.isAutoRepeat():
            event.accept()
            return
        key = event.key()
        if key == Qt.Key.Key_Space:
            if self._runner.state is State.WAITING_FOR_TAP:
                self.done()
            else:
                self.toggle_pause()
        elif key == Qt.Key.Key_P:
            self.toggle_pause()
        elif key == Qt.Key.Key_Right:
            self.skip()
        elif key == Qt.Key.Key_Left:
            self.back()
        elif key == Qt.Key.Key_Escape:
            self.request_end()
        elif not self._answer_key(event):
            super().keyPressEvent(event)
            return
        event.accept()

    def _answer_key(self, event: QKeyEvent) -> bool:
        """The walking break's answers by their underlined letter, with or without Alt.

        Alt+letter is the button's own shortcut; the plain letter is here too
        because an older hand rarely finds two keys at once.
        """
        if not self._runner.settling:
            return False
        modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if modifiers not in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.AltModifier):
            return False
        for answer in (self.settled_button, self.not_yet_button):
            sequence = answer.shortcut()
            if sequence.isEmpty() or not (answer.isVisible() and answer.isEnabled()):
                continue
            key = event.keyCombination().key()
            pressed = QKeySequence(QKeyCombination(Qt.KeyboardModifier.AltModifier, key))
            if sequence.matches(pressed) is QKeySequence.SequenceMatch.ExactMatch:
                answer.click()
                return True
        return False

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- reacting ------------------------------------------------------------------
    def _after(self, events: Sequence[Event]) -> None:
        for event in events:
            if isinstance(event, StepFinished):
                self._played.append(event.result)
                self._record(self._save_step, event.result)
            elif isinstance(event, Paused):
                self._suspended = event.suspend_gap_s is not None
                self.cues.silence()
            elif isinstance(event, Resumed):
                self._suspended = False
            elif isinstance(event, SymptomsMarked) and not event.ends_bout:
                # A mark that ends the walk needs no "noted": the next step is on.
                self.symptoms_button.setText(
                    T("Noted at {time}").format(time=format_clock(event.seconds_into_bout))
                )
                self.symptoms_button.setEnabled(False)
            elif isinstance(event, SettleAsked):
                self.cues.say(T("Have your symptoms settled?"))
            elif isinstance(event, NotYetSettled):
                self.setFocus()  # Space goes back to pausing, not to the answer
            elif isinstance(event, SessionFinished):
                self._end(OUTCOME_COMPLETED, None)
            elif isinstance(event, SessionStopped):
                if event.reason == ENDED_EARLY:
                    self._end(OUTCOME_ENDED_EARLY, None)
                else:
                    self._end(OUTCOME_STOPPED, event.reason)
            elif isinstance(event, StepStarted):
                # Also a step started again (Back): show and announce it afresh.
                self._cued_step = None
                self._shown_step = None
        if not self._over():
            self._cue()
        self._refresh()
        self._arm()

    def _cue(self) -> None:
        state = self._runner.state
        if state not in (State.RUNNING, State.WAITING_FOR_TAP, State.WAITING_TO_SETTLE):
            return
        step = self._runner.current_step
        if self._cued_step != step.index:
            self._cued_step = step.index
            self.cues.step_started(step, self.plan.title_of(step.exercise_id, self._lang))
        remaining = math.ceil(self._runner.remaining_in_step() - 1e-6)
        self.cues.second(step, self._runner.elapsed_in_step(), remaining)

    def _save_step(self, result: StepResult) -> None:
        if self._recorder is not None:
            self._recorder.step_finished(result)

    def _save_end(self, outcome: str, reason: str | None) -> None:
        if self._recorder is not None:
            self._recorder.session_ended(outcome, reason)

    def _record(self, call: Callable[..., None], *args: object) -> None:
        """Save, and if saving fails say so once, calmly: the session goes on."""
        try:
            call(*args)
        except Exception as exc:
            if self._save_error is None:
                why = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
                self._save_error = why
                self.banner.setText(
                    T("Your progress could not be saved: {why}. The session goes on.").format(
                        why=why
                    )
                )
                self.set_shown(self.banner, True)
                self.apply_shown()

    def _over(self) -> bool:
        return self._runner.state in (State.FINISHED, State.STOPPED)

    def _pause_for_dialog(self) -> None:
        before = self._runner.state
        self._after(self._runner.pause())
        self._paused_by_dialog = before in (
            State.RUNNING,
            State.WAITING_FOR_TAP,
            State.WAITING_TO_SETTLE,
        )

    def _on_end_dialog_rejected(self) -> None:
        if self._paused_by_dialog and self._runner.state is State.PAUSED:
            self.resume()
        self._paused_by_dialog = False
        self.setFocus()

    def _on_stop_dialog_rejected(self) -> None:
        # Nothing wrong after all: the session stays paused until Resume.
        self.setFocus()

    def _on_stop_reason_chosen(self, reason: str) -> None:
        self._after(self._runner.stop(reason))

    def _on_app_state_changed(self, _state: Qt.ApplicationState) -> None:
        # Only a repaint (and a catch-up after the computer woke); losing the
        # focus must not pause: the person may glance at another window.
        if not self._over():
            self.tick()

    # -- timers ----------------------------------------------------------------------
    def _arm(self) -> None:
        deadline = None if self._over() else self._runner.next_deadline()
        if deadline is None:
            self._timer.stop()
        else:
            ms = max(0, math.ceil((deadline - self._clock()) * 1000))
            self._timer.start(ms)
        if self._animating():
            if not self._animation.isActive():
                self._animation.start(ANIMATION_MS)
        else:
            self._animation.stop()

    def _animating(self) -> bool:
        state = self._runner.state
        if state not in (State.RUNNING, State.WAITING_FOR_TAP, State.WAITING_TO_SETTLE):
            return False
        return _moving(self._runner.current_step)

    def _on_animation_timeout(self) -> None:
        if not self._animating():
            return
        self._show_figure(self._runner.current_step)
        self._animation.start(ANIMATION_MS)

    # -- painting ----------------------------------------------------------------------
    def _show_figure(self, step: Step) -> None:
        t = pose_t(step, self._runner.elapsed_in_step())
        mirror = step.side is not None and step.side.value == "left"
        self.figure.show_pose(step.exercise_id, t, mirror)

    def _refresh(self) -> None:
        if self._over():
            return
        runner = self._runner
        step = runner.current_step
        state = runner.state
        if self._shown_step != step.index:
            self._shown_step = step.index
            self._show_step(step)
        self._show_figure(step)
        paused = state is State.PAUSED
        waiting = state is State.WAITING_FOR_TAP or (paused and step.self_paced)
        settling = runner.settling
        resting = runner.elapsed_in_step()
        number = not settling or self._text_scale < SETTLE_NUMBER_MAX_SCALE
        self.set_shown(self.countdown, number)
        if settling:
            self.countdown.set_text(count_up_text(resting), muted=True)
            self.countdown.setAccessibleName(
                T("Resting for {time}").format(time=format_clock(math.floor(resting + 1e-6)))
            )
        elif step.self_paced:
            self.countdown.set_text(count_up_text(runner.elapsed_in_step()), muted=True)
            self.countdown.setAccessibleName(
                T("{n} seconds so far").format(n=math.floor(runner.elapsed_in_step()))
            )
        else:
            remaining = runner.remaining_in_step()
            self.countdown.set_text(countdown_text(remaining), muted=paused)
            self.countdown.setAccessibleName(
                T("{n} seconds left").format(n=math.ceil(remaining - 1e-6))
            )
        if state is State.READY:
            caption = T("Press Start to begin")
        elif settling and number:
            caption = T("Resting so far")
        elif settling:
            rested = math.floor(resting + 1e-6)  # counting up: whole seconds
            caption = T("Resting for {time}").format(time=format_clock(rested))
        else:
            caption = T("Time so far") if step.self_paced else T("Time left")
        self._set_text(self.caption, caption)
        self.set_shown(self.done_button, waiting)
        self.done_button.setEnabled(not paused)
        self._show_settling(settling, paused)
        self.set_shown(self.paused_label, paused)
        if paused:
            self._set_text(
                self.paused_label,
                T("Paused – the computer was asleep") if self._suspended else T("Paused"),
            )
        self._show_pause_button(state)
        # While the break waits for the answer there is no way round it.
        self.back_button.setVisible(state is not State.READY and not settling)
        self.skip_button.setVisible(state is not State.READY and not settling)
        value = round(runner.progress * 1000)
        if self.progress.value() != value:
            self.progress.setValue(value)
        left = runner.remaining_total()
        self._set_text(self.time_left, minutes_left_text(left))
        self.progress.setAccessibleDescription(self.time_left.text())
        self.apply_shown()
        self.refit_if_changed()

    def _show_step(self, step: Step) -> None:
        lang = self._lang
        self._set_text(self.title, self.plan.title_of(step.exercise_id, lang))
        self._set_text(self.position, position_text(step))
        self._set_text(self.instruction, step.instruction.get(lang))
        cue = step.cue.get(lang) if step.cue else FALLBACK_CUE[1 if lang == "de" else 0]
        self._set_text(self.cue, cue)
        self.cue_box.setAccessibleName(T("Remember: {cue}").format(cue=cue))
        self._show_words(note_text(step, lang), caution_text(step, lang))
        walking = step.phase is Phase.WALK
        self.set_shown(self.symptoms_button, walking)
        if walking:
            if step.ends_at_symptoms:
                # The person must know before pressing that the walk stops there.
                self.symptoms_button.setText(T("Symptoms started – end the walk"))
                self.symptoms_button.setToolTip(
                    T(
                        "Press when your legs start to tingle, ache or feel heavy. "
                        "The walk ends there."
                    )
                )
            else:
                self.symptoms_button.setText(T("Symptoms started"))
                self.symptoms_button.setToolTip(symptoms_tip())
            self.symptoms_button.setEnabled(True)

    def _show_words(self, note: str, caution: str) -> None:
        """The item's note and caution, shown on every step of the item."""
        rows = ((self.note_row, self.note, note), (self.caution_row, self.caution, caution))
        for row, text, words in rows:
            self._set_text(text, words)
            self.set_shown(row, bool(words))
        self.words_box.setAccessibleName(" ".join(w for w in (note, caution) if w))
        self.set_shown(self.words_box, bool(note or caution))
        marked = bool(caution)
        if self.words_box.property("caution") != marked:
            self.words_box.setProperty("caution", marked)
            self.words_box.style().unpolish(self.words_box)
            self.words_box.style().polish(self.words_box)

    def _show_settling(self, settling: bool, paused: bool) -> None:
        """The walking break's question, or the plain instruction outside it."""
        asking = self._runner.asking_settled
        self.set_shown(self.settled_button, settling)
        self.settled_button.setEnabled(not paused)
        self.set_shown(self.not_yet_button, settling and asking)
        self.not_yet_button.setEnabled(not paused)
        step = self._runner.current_step
        if not settling:
            self._set_text(self.instruction, step.instruction.get(self._lang))
        elif asking:
            self._set_text(self.instruction, T("Have your symptoms settled?"))
        else:
            minutes = round(SETTLE_ASK_AGAIN_S / 60)
            self._set_text(
                self.instruction,
                T("Keep resting. Coach asks again in {n} minutes.").format(n=minutes),
            )

    # -- the end ------------------------------------------------------------------------
    def _end(self, outcome: str, reason: str | None) -> None:
        if self._outcome is not None:
            return
        self._outcome = (outcome, reason)
        self._timer.stop()
        self._animation.stop()
        self._record(self._save_end, outcome, reason)
        # Announced before the end screen is built: this is the moment it ended.
        self.session_ended.emit(outcome, reason)
        from coach.core.progress.effort import effort_of_results

        # Reaching the end by skipping nearly everything earns no "well done".
        self._mostly_skipped = effort_of_results(self._played).mostly_skipped
        if outcome == OUTCOME_COMPLETED and not self._mostly_skipped:
            self.cues.session_ended(T("Well done. The session is finished."))
        elif outcome == OUTCOME_COMPLETED:
            self.cues.session_ended(T("The session is finished."))
        else:
            self.cues.close()
        self._show_end_page(outcome, reason)

    def _show_end_page(self, outcome: str, reason: str | None) -> None:
        layout = self._end_layout
        margin = round(40 * self._sizes()["scale"] ** 0.5)
        layout.setContentsMargins(margin, margin, margin, margin)
        layout.setSpacing(round(18 * self._sizes()["scale"] ** 0.5))
        add_end_words(
            layout,
            outcome,
            reason,
            active_s=self._runner.elapsed_active(),
            mostly_skipped=self._mostly_skipped,
            save_error=self._save_error,
            emergency_number=self._emergency_number,
            lang=self._lang,
        )
        close = button(T("Close"), "primary")
        close.setObjectName("close")
        close.setDefault(True)
        close.clicked.connect(self.close_player)
        self._end_outer.setContentsMargins(0, 0, 0, margin)
        self._end_outer.addWidget(close, 0, Qt.AlignmentFlag.AlignHCenter)
        self.close_button = close
        self.pages.setCurrentWidget(self.end_page)
        close.setFocus()

    def close_player(self) -> None:
        """The end screen's Close: hand back to the main window."""
        if self._outcome is None:
            return
        self.finished.emit(*self._outcome)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.WindowActivate and not self._over():
            self.setFocus()
        return super().event(event)
