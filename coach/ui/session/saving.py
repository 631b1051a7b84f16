"""The player's saving: never waits on the store, retries what it could not write.

Wraps :class:`coach.core.progress.step_queue.StepSaver` with a retry timer on
the GUI thread. Every call the GUI thread makes here returns within the
saver's short wait (50 ms) plus the disk's own time for a commit, however
long another program holds the lock or the disk stays full. The person is
told once, in plain words, that saving is paused and will be retried, and
once when everything is saved again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal

from coach.core.progress.step_queue import PLAYER_BUSY_TIMEOUT_S, StepSaver
from coach.ui.i18n import T

if TYPE_CHECKING:
    from coach.core.progress.store import Store
    from coach.core.session.runner import StepResult

FIRST_RETRY_MS = 500
MAX_RETRY_MS = 5_000


class StepSaving(QObject):
    """Saves finished steps and session ends for the session flow, with retries.

    ``tell(text)`` is how the person hears that saving paused or works again.
    """

    paused = Signal(str)
    saved_again = Signal()

    def __init__(
        self,
        store: Callable[[], Store | None],
        tell: Callable[[str], None],
        parent: QObject | None = None,
        *,
        busy_timeout_s: float = PLAYER_BUSY_TIMEOUT_S,
        first_retry_ms: int = FIRST_RETRY_MS,
        max_retry_ms: int = MAX_RETRY_MS,
    ) -> None:
        super().__init__(parent)
        self.saver = StepSaver(store, busy_timeout_s=busy_timeout_s)
        self._tell = tell
        self._first_retry_ms = first_retry_ms
        self._max_retry_ms = max_retry_ms
        self._delay_ms = first_retry_ms
        self._told = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.retry)
        app = QCoreApplication.instance()
        if app is not None:
            # One last try when Coach quits; what is left stays in the journal.
            app.aboutToQuit.connect(self.retry)
        if self.saver.queue() is not None and self.saver.pending:
            self._after()  # left over from an earlier run: try again soon

    @property
    def pending(self) -> int:
        return self.saver.pending

    @property
    def retrying(self) -> bool:
        return self._timer.isActive()

    def record_step(self, session_id: int, result: StepResult) -> None:
        self.saver.record_step(session_id, result)
        self._after()

    def end_session(self, session_id: int, outcome: str, *, stop_reason: str | None) -> None:
        self.saver.end_session(session_id, outcome, stop_reason=stop_reason)
        self._after()

    def retry(self) -> bool:
        """Try to write what waits; True when everything is saved."""
        if not self.saver.pending:
            return True
        before = self.saver.pending
        done = self.saver.retry()
        if done:
            self._delay_ms = self._first_retry_ms
            if self._told:
                self._told = False
                self._tell(T("Your progress is saved again."))
                self.saved_again.emit()
        elif self.saver.pending < before:
            self._delay_ms = self._first_retry_ms  # a long queue: the next batch soon
            self._timer.start(0)
        else:
            self._delay_ms = min(self._delay_ms * 2, self._max_retry_ms)
            self._after()
        return done

    def _after(self) -> None:
        if not self.saver.pending:
            return
        if not self._told:
            self._told = True
            error = self.saver.error
            closed = T("Coach's progress file is closed for a moment.")
            why = error.message if error is not None else closed
            if self.saver.journaled:
                text = T(
                    "Saving is paused: {why} What you do is kept and saved as soon as possible."
                )
            else:
                text = T(
                    "Saving is paused: {why} What you do is kept and saved as soon as possible."
                    " Please keep Coach open until then."
                )
            text = text.format(why=why)
            self._tell(text)
            self.paused.emit(text)
        if not self._timer.isActive():
            self._timer.start(self._delay_ms)


def show_saving_note(player: QObject | None, text: str, fallback: Callable[[str], None]) -> None:
    """Say it on the player's banner while a session plays, else with ``fallback``."""
    banner = getattr(player, "banner", None)
    if banner is not None and getattr(player, "outcome", None) is None:
        banner.setText(text)
        banner.show()
    else:
        fallback(text)
