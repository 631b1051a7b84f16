"""The home page's strip after a session: the next-morning question, then one small step.

A morning worse than usual makes the routine one step easier at once (CONTENT section 4)
and the strip says so; My progress lists such steps with a way back to the earlier dose.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QVBoxLayout, QWidget

from coach.core.progress import progression, stats
from coach.core.progress.history import History, SessionBrief
from coach.core.progress.store_errors import StoreError
from coach.ui.flow_layout import FlowLayout
from coach.ui.i18n import T
from coach.ui.widgets import button, clear_layout, label

if TYPE_CHECKING:
    from coach.core.content.library import Library
    from coach.core.progress.store import Store


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class ProgressionBanner(QFrame):
    """Asks about the morning after a session, then offers one small step.

    Hidden when there is nothing to ask. ``decided(accepted)`` follows a
    progression answer; ``answered(compared)`` the morning question. Both
    are already stored when the signal fires.
    """

    decided = Signal(bool)
    answered = Signal(str)

    def __init__(
        self,
        store: Store | None,
        library: Library,
        lang: str = "en",
        *,
        now: Callable[[], dt.datetime] = _utc_now,
        tz: dt.tzinfo | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setProperty("role", "card")
        self.setObjectName("progression-banner")
        self._store = store
        self._library = library
        self._lang = lang
        self._now = now
        self._tz = tz
        self._dismissed: set[str] = set()
        self.suggestion: progression.Suggestion | None = None
        self.question_session: int | None = None
        self._question: SessionBrief | None = None
        self.told: str | None = None  # after a worse morning: what is easier now
        self.problem: str | None = None
        self._box = QVBoxLayout(self)
        self._box.setContentsMargins(20, 16, 20, 16)
        self._box.setSpacing(10)
        self.refresh()

    def set_store(self, store: Store | None) -> None:
        self._store = store
        self.refresh()

    def refresh(self) -> None:
        clear_layout(self._box)
        self.suggestion, self.question_session, self._question = None, None, None
        if self._store is None:
            self.hide()
            return
        if self.told is not None:
            self._show_told(self.told)
            self.show()
            return
        try:
            with History(self._store) as history:
                now = self._now()
                session = progression.next_day_question(history, now, self._tz)
                if session is not None and f"q{session.id}" not in self._dismissed:
                    self.question_session = session.id
                    self._question = session
                else:
                    today = stats.local_day(now, self._tz)
                    plan = stats.plan_routines(history, self._library.routines, today, self._tz)
                    # The routine just done counts even before it is part of the plan:
                    # a flare after a first try must not go unanswered.
                    last = history.last_session()
                    routine = self._library.routines.get(last.routine_id) if last else None
                    if routine is not None and routine not in plan:
                        plan.append(routine)
                    found = progression.next_suggestion(history, plan, self._library.exercises)
                    if found is not None and self._key(found) not in self._dismissed:
                        self.suggestion = found
        except StoreError as exc:
            self.problem = exc.message
            self.hide()
            return
        if self.question_session is not None:
            self._show_question()
        elif self.suggestion is not None:
            self._show_suggestion(self.suggestion)
        else:
            self.hide()
            return
        self.show()

    @staticmethod
    def _key(s: progression.Suggestion) -> str:
        return f"s{s.routine_id}-{s.direction}-{s.session_ids}"

    def _show_question(self) -> None:
        self._box.addWidget(label(T("How did you feel this morning?"), "h2"))
        self._box.addWidget(label(T("Compared with a usual morning, after your last session:")))
        # The answers wrap at a large text size: a row wider than the window
        # would push "Worse" out of sight. In a widget of its own, so that
        # clear_layout takes the buttons away with it.
        answers = QWidget()
        row = FlowLayout(answers)
        for value, text in (
            (progression.NextDay.BETTER, T("Better")),
            (progression.NextDay.USUAL, T("As usual")),
            (progression.NextDay.WORSE, T("Worse")),
        ):
            choice = button(text)
            choice.setObjectName(f"next-day-{value.value}")
            choice.clicked.connect(lambda _=False, v=value: self._on_answer(v))
            row.addWidget(choice)
        later = button(T("Not now"))
        later.setObjectName("next-day-later")
        later.clicked.connect(self._on_question_later)
        row.addWidget(later)
        self._box.addWidget(answers)

    def _show_suggestion(self, s: progression.Suggestion) -> None:
        up = s.direction is progression.Direction.UP
        self._box.addWidget(label(T("One small step up?") if up else T("One step easier?"), "h2"))
        why = label(s.why.get(self._lang))
        why.setObjectName("progression-why")
        self._box.addWidget(why)
        text = label(s.text.get(self._lang))
        text.setObjectName("progression-text")
        text.setStyleSheet("font-weight: bold;")
        self._box.addWidget(text)
        answers = QWidget()
        row = FlowLayout(answers)
        yes = button(T("Yes, step up") if up else T("Yes, make it easier"), "primary")
        yes.setObjectName("progression-yes")
        yes.clicked.connect(lambda: self._on_decided(True))
        no = button(T("Not now"))
        no.setObjectName("progression-no")
        no.clicked.connect(lambda: self._on_decided(False))
        row.addWidget(yes)
        row.addWidget(no)
        self._box.addWidget(answers)

    def _on_answer(self, value: progression.NextDay) -> None:
        session = self._question
        if self._store is None or session is None:
            return
        routine = self._library.routines.get(session.routine_id)
        try:
            step = progression.answer_next_day(
                self._store, session, value, routine, self._library.exercises, when=self._now()
            )
        except (StoreError, ValueError) as exc:
            self.problem = getattr(exc, "message", str(exc))
            step = None
        if step is not None and routine is not None:
            # Said at once, where the answer was given: no suggestion to accept.
            what = step.text(self._library.exercises).get(self._lang)
            self.told = T(
                "Thank you. Your next session of {routine} is one step easier: {change}."
            ).format(routine=routine.title.get(self._lang), change=what)
        self.answered.emit(value.value)
        self.refresh()

    def _show_told(self, text: str) -> None:
        self._box.addWidget(label(T("One step easier"), "h2"))
        told = label(text)
        told.setObjectName("easier-told")
        self._box.addWidget(told)
        self._box.addWidget(
            label(T("You can go back to the earlier dose in My progress when you feel ready."))
        )
        row = QHBoxLayout()
        ok = button(T("OK"), "primary")
        ok.setObjectName("easier-ok")
        ok.clicked.connect(self._on_told_read)
        row.addWidget(ok)
        row.addStretch(1)
        self._box.addLayout(row)

    def _on_told_read(self) -> None:
        self.told = None
        self.refresh()

    def _on_question_later(self) -> None:
        if self.question_session is not None:
            self._dismissed.add(f"q{self.question_session}")
        self.refresh()

    def _on_decided(self, accepted: bool) -> None:
        s = self.suggestion
        if self._store is None or s is None:
            return
        try:
            progression.record_decision(self._store, s, accepted, when=self._now())
        except (StoreError, ValueError) as exc:
            self.problem = getattr(exc, "message", str(exc))
            self._dismissed.add(self._key(s))
        self.decided.emit(accepted)
        self.refresh()
