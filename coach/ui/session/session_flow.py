"""From "Start" to "Well done": the safety steps around a session, in order.

Start -> health profile (first run only) -> the next-morning question (the day
after a session) -> warning-sign check -> pain before -> the player -> pain
after (-> the pain rule's advice) -> home. Each step is a dialog opened with
``open()``; the next step runs from its signal, so no nested event loops.
The store is optional at every step: if it cannot be opened or written, the
person is told once and can still exercise.

Two answers change the next session at once (CONTENT section 4): pain after
outside the pain rule, and a morning worse than usual, make the routine one
step easier (:mod:`coach.core.progress.progression`); the start of that next
session says why, before the check.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from coach.core.session import check as safety
from coach.core.session.personal import Cause
from coach.core.session.profile import HealthProfile, load_profile, save_profile
from coach.core.session.stop_rules import (
    NEXT_MORNING_WORSE_ADVICE,
    PAIN_RULE_ADVICE,
    PAIN_RULE_EASIER_NOTE,
    StopReason,
    pain_rule,
    stop_is_emergency,
)
from coach.ui.i18n import T
from coach.ui.session.safety_views import (
    AdviceDialog,
    CheckDialog,
    NextMorningDialog,
    PainDialog,
    ProfileDialog,
)

if TYPE_CHECKING:
    from coach.core.common.paths import Paths
    from coach.core.common.settings import Preferences
    from coach.core.content.library import Library
    from coach.core.content.model import Routine
    from coach.core.progress.progression import AutomaticStep, Suggestion
    from coach.core.progress.store import Store
    from coach.core.session.personal import PersonalPlan
    from coach.core.session.runner import StepResult
    from coach.ui.session.saving import StepSaving


class SessionHost(Protocol):
    """What the flow needs from the window that runs it (the main window, or a test's)."""

    paths: Paths
    prefs: Preferences

    @property
    def lib(self) -> Library: ...

    def personal_plan(self, routine: Routine) -> PersonalPlan: ...

    def profile_changed(self, profile: HealthProfile) -> None: ...

    def show_player(self, player: QWidget) -> None: ...

    def close_player(self) -> None: ...


# The changes told before a session: the ones about this person's health and
# their clinician's decisions. The dose, walking and week are on the home page.
_TOLD_BEFORE_A_SESSION = (Cause.HEALTH, Cause.CLINICIAN, Cause.CONTENT)


FIRST_CHECK_KEY = "first_check_done"


class StoreRecorder:
    """Saves each finished step of one session as it happens, never waiting on the store.

    Through the flow's :class:`~coach.ui.session.saving.StepSaving`: what the
    store cannot take now (locked, disk full) is queued, kept in a journal
    and written when it can, the session's end after its steps.
    """

    def __init__(self, saving: StepSaving, session_id: int) -> None:
        self.saving = saving
        self.session_id = session_id

    def step_finished(self, result: StepResult) -> None:
        self.saving.record_step(self.session_id, result)

    def session_ended(self, outcome: str, reason: str | None) -> None:
        # The store knows completed / stopped / abandoned; ending early by
        # choice is an abandoned session, with the player's word as the reason.
        if outcome not in ("completed", "stopped", "abandoned"):
            outcome, reason = "abandoned", reason or outcome
        self.saving.end_session(self.session_id, outcome, stop_reason=reason)


def _is_emergency(reason: str | None) -> bool:
    try:
        return reason is not None and stop_is_emergency(StopReason(reason))
    except ValueError:
        return False


class SessionFlow(QObject):
    """Runs the steps around a session for the main window."""

    session_closed = Signal()

    # Replaceable in tests (pytest-qt advice): the dialogs this flow opens.
    profile_dialog = ProfileDialog
    check_dialog = CheckDialog
    pain_dialog = PainDialog
    next_morning_dialog = NextMorningDialog
    advice_dialog = AdviceDialog

    def __init__(self, host: SessionHost, parent: QWidget, store: Any | None = None) -> None:
        super().__init__(parent)
        self.host = host
        self.parent_widget = parent
        self.store = store
        self._profile: HealthProfile | None = None
        self._profile_loaded = False
        self._checks_today: list[safety.CheckResult] = []
        self.dialog: QWidget | None = None
        self.player: QWidget | None = None
        self.session_id: int | None = None
        self._saving: StepSaving | None = None
        self._routine: Routine | None = None
        self._pain_before: tuple[int | None, int | None] = (None, None)
        # Sessions whose morning question got "Not now" here: asked once per start of Coach.
        self._morning_put_off: set[int] = set()

    # -- the profile ------------------------------------------------------------
    @property
    def profile(self) -> HealthProfile | None:
        if not self._profile_loaded:
            self._profile, notes = load_profile(self.host.paths.data / "profile.json")
            self._profile_loaded = True
            for note in notes:
                from coach.core.common.damaged import DamagedNote
                from coach.ui.start_notes import profile_note_text

                # A damaged file is kept (copied aside) and the person told where.
                self._tell(profile_note_text(note) if isinstance(note, DamagedNote) else note)
        return self._profile

    def set_profile(self, profile: HealthProfile) -> None:
        """Keep new health answers and let every page follow them."""
        self._profile = profile
        self._profile_loaded = True
        try:
            self.host.paths.ensure_data_dir()
            save_profile(self.host.paths.data / "profile.json", profile)
        except OSError as exc:
            self._tell(T("Your answers could not be saved: {why}").format(why=exc.strerror))
        self.host.profile_changed(profile)

    def edit_profile(self, then: Callable[[], None] | None = None) -> None:
        dialog = self.profile_dialog(self.profile, self.host.prefs.language, self.parent_widget)
        self.dialog = dialog

        def saved(profile: object) -> None:
            assert isinstance(profile, HealthProfile)
            self.set_profile(profile)
            if then is not None:
                then()

        dialog.profile_saved.connect(saved)
        dialog.open()

    # -- the check -------------------------------------------------------------
    def blocked_today(self) -> tuple[bool, list[str]]:
        """Whether a check today said "no exercise", with its headline and advice."""
        lang = self.host.prefs.language
        today = dt.date.today()
        if safety.check_blocks_today(self._checks_today, today):
            last = [c for c in self._checks_today if c.checked_on == today][-1]
            return True, [last.headline.get(lang), *(a.get(lang) for a in last.advice)]
        # After a restart the day's answers come from the store.
        rows = self._store_call("checks_on", today) or []
        if any(not row.exercise_allowed for row in rows):
            return True, [T("Your warning-sign check today said: no exercise today.")]
        return False, []

    def open_check(self, *, for_session: bool, then: Callable[[], None] | None = None) -> None:
        first_time = not self._checks_today and not self._store_call("get_json", FIRST_CHECK_KEY)
        dialog = self.check_dialog(
            self.profile,
            self.host.prefs.language,
            full=bool(first_time),
            for_session=for_session,
            parent=self.parent_widget,
        )
        self.dialog = dialog

        def done(result: object) -> None:
            assert isinstance(result, safety.CheckResult)
            self._checks_today.append(result)
            self._store_call("record_check", result)
            if first_time:
                self._store_call("set_json", FIRST_CHECK_KEY, True)
            if result.exercise_allowed and then is not None:
                then()

        dialog.check_done.connect(done)
        dialog.open()

    # -- a session --------------------------------------------------------------
    def start(self, routine_id: str) -> None:
        if self.profile is None or not self.profile.completed:
            self.edit_profile(then=lambda: self.start(routine_id))
            return
        if self._ask_next_morning(then=lambda: self.start(routine_id)):
            return
        blocked, why = self.blocked_today()
        if blocked:
            self._tell("\n\n".join(why))
            return
        personal = self.host.personal_plan(self.host.lib.routines[routine_id])
        lang = self.host.prefs.language
        if personal.plan is None:
            self._tell("\n\n".join(personal.change_texts(lang)))
            return
        told = [c.text.get(lang) for c in personal.changes if c.cause in _TOLD_BEFORE_A_SESSION]
        if told:
            self._tell(
                T("Adapted to your health answers:")
                + "\n\n"
                + "\n".join("• " + text for text in told)
            )

        def check() -> None:
            self.open_check(for_session=True, then=lambda: self._ask_pain_before(personal))

        easier = self._easier_notice(personal.written)
        if easier is None:
            check()
            return
        # Said before the check, on its own: the person should know why today's
        # session is shorter or lighter before starting it.
        dialog = self.advice_dialog(T("One step easier today"), easier, self.parent_widget)
        self.dialog = dialog
        dialog.finished.connect(lambda _result: check())
        dialog.open()

    def _ask_pain_before(self, personal: PersonalPlan) -> None:
        dialog = self.pain_dialog(T("Before you start: how is your pain?"), self.parent_widget)
        self.dialog = dialog
        dialog.pain_given.connect(lambda back, leg: self._play(personal, back, leg))
        dialog.open()

    # -- the next morning -------------------------------------------------------
    def _ask_next_morning(self, then: Callable[[], None]) -> bool:
        """Ask about this morning before the first session the day after one.

        The home page asks too, but a person who goes straight to Start would
        pass it by; and once today's session is recorded the question is gone.
        True when the question is open (``then`` follows its answer).
        """
        from coach.core.progress import progression
        from coach.core.progress.history import History

        def question(store: Store) -> Any:
            with History(store) as history:
                return progression.next_day_question(history, store.now())

        session = self._with_store(question)
        if session is None or session.id in self._morning_put_off:
            return False
        routine = self.host.lib.routines.get(session.routine_id)
        title = routine.title.get(self.host.prefs.language) if routine else session.routine_id
        dialog = self.next_morning_dialog(title, self.parent_widget)
        self.dialog = dialog

        def answered(value: str) -> None:
            if not value:
                self._morning_put_off.add(session.id)
            else:
                self._with_store(
                    lambda store: progression.answer_next_day(
                        store, session, value, routine, self.host.lib.exercises, when=store.now()
                    )
                )
            then()

        dialog.answered.connect(answered)
        dialog.open()
        return True

    def _easier_notice(self, routine: Routine) -> list[str] | None:
        """Why this session is one step easier, when an automatic step made it so."""
        from coach.core.progress import progression
        from coach.core.progress.history import History

        def find(store: Store) -> AutomaticStep | None:
            with History(store) as history:
                return progression.easier_today(history, routine.id)

        step = self._with_store(find)
        if step is None:
            return None
        lang = self.host.prefs.language
        worse = step.reason is progression.Reason.WORSE_NEXT_DAY
        why = NEXT_MORNING_WORSE_ADVICE if worse else PAIN_RULE_EASIER_NOTE
        change = step.text(self.host.lib.exercises).get(lang)
        return [why.get(lang), T("What changed: {change}.").format(change=change)]

    def _play(self, personal: PersonalPlan, back: int | None, leg: int | None) -> None:
        from coach.ui.session.player import PlayerView

        library: Library = self.host.lib
        plan = personal.plan
        assert plan is not None  # start() plays only a playable plan
        routine = personal.written
        self._routine = routine
        self._pain_before = (back, leg)
        self.session_id = self._store_call(
            "start_session",
            routine.id,
            routine.title,
            pain_before_back=back,
            pain_before_leg=leg,
            planned_total_s=plan.total_seconds,
        )
        recorder = StoreRecorder(self.step_saving(), self.session_id) if self.session_id else None
        profile = self.profile
        player = PlayerView(
            plan,
            library,
            lang=self.host.prefs.language,
            sound=self.host.prefs.sound,
            voice=self.host.prefs.voice,
            recorder=recorder,
            emergency_number=profile.emergency_number if profile else "112",
        )
        self.player = player
        player.finished.connect(self._on_player_finished)
        self.host.show_player(player)

    def _on_player_finished(self, outcome: str, reason: str | None) -> None:
        if _is_emergency(reason):
            # The stop screen told them to get help: no questions on top of that.
            self._close_session()
            return
        # A session stopped or ended early is asked too: those are the painful
        # ones, and the pain rule needs them. Skipping is always allowed.
        if outcome == "completed":
            title = T("Well done. How is your pain now?")
        else:
            title = T("How is your pain now? You can skip this.")
        dialog = self.pain_dialog(title, self.parent_widget)
        self.dialog = dialog
        dialog.pain_given.connect(self._on_pain_after)
        dialog.open()

    def _on_pain_after(self, back: int | None, leg: int | None) -> None:
        from coach.core.progress import progression

        session_id = self.session_id
        profile = self.profile
        usual_symptoms = profile.usual_symptoms if profile is not None else None
        usual = (
            (usual_symptoms.usual_back_pain, usual_symptoms.usual_leg_pain)
            if usual_symptoms is not None
            else progression.NO_USUAL_PAIN
        )
        if session_id:
            self._store_call("set_pain_after", session_id, back=back, leg=leg)
            if back is not None or leg is not None:
                # Kept with the session: a later change of the profile must not
                # change how this session is judged.
                self._with_store(
                    lambda store: progression.record_usual_pain(
                        store, session_id, usual, when=store.now()
                    )
                )
        before_back, before_leg = self._pain_before
        kept = pain_rule(
            before_back, before_leg, back, leg, usual_back=usual[0], usual_leg=usual[1]
        )
        routine = self._routine
        if kept or routine is None:
            self._close_session()
            return
        step: Suggestion | None = None
        if session_id:
            step = self._with_store(
                lambda store: progression.step_easier(
                    store,
                    routine,
                    self.host.lib.exercises,
                    progression.Reason.PAIN_RULE,
                    session_id,
                    when=store.now(),
                )
            )
        self._show_pain_rule_advice(routine, step, saved=bool(session_id))

    def _show_pain_rule_advice(
        self, routine: Routine, step: Suggestion | None, *, saved: bool
    ) -> None:
        lang = self.host.prefs.language
        title = routine.title.get(lang)
        paragraphs = [PAIN_RULE_ADVICE.get(lang)]
        if step is not None:
            change = step.change.text(self.host.lib.exercises[step.change.exercise_id].title)
            paragraphs.append(
                T(
                    "Coach has made your next session of {routine} one step easier: {change}."
                ).format(routine=title, change=change.get(lang))
            )
        elif saved:
            paragraphs.append(
                T(
                    "{routine} cannot be made any easier in Coach. If this happens again, "
                    "talk to your physiotherapist or doctor."
                ).format(routine=title)
            )
        dialog = self.advice_dialog(T("Your pain rose too much"), paragraphs, self.parent_widget)
        self.dialog = dialog
        dialog.finished.connect(lambda _result: self._close_session())
        dialog.open()

    def _close_session(self) -> None:
        self.host.close_player()
        self.player = None
        self.session_id = None
        self._routine = None
        self._pain_before = (None, None)
        self.session_closed.emit()

    def step_saving(self) -> StepSaving:
        """The saving of finished steps, one for the flow: its retries outlive a session."""
        if self._saving is None:
            from coach.ui.session.saving import StepSaving, show_saving_note

            self._saving = StepSaving(
                lambda: self.store,
                lambda text: show_saving_note(self.player, text, self._tell),
                self,
            )
        return self._saving

    # -- helpers -------------------------------------------------------------------
    def _store_call(self, name: str, *args: Any, **kwargs: Any) -> Any:
        if self.store is None:
            return None
        try:
            return getattr(self.store, name)(*args, **kwargs)
        except Exception as exc:
            self._tell(
                T("Your progress could not be saved: {why}. You can still exercise.").format(
                    why=getattr(exc, "message", str(exc))
                )
            )
            return None

    def _with_store(self, call: Callable[[Store], Any]) -> Any:
        """``call(store)`` for the progression rules; like :meth:`_store_call` on a fault."""
        store = self.store
        if store is None:
            return None
        try:
            return call(store)
        except Exception as exc:
            self._tell(
                T("Your progress could not be saved: {why}. You can still exercise.").format(
                    why=getattr(exc, "message", str(exc))
                )
            )
            return None

    def _tell(self, text: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Information, "Coach", text, parent=self.parent_widget)
        box.open()
        self.dialog = box
