"""A locked store or a full disk during a session: the player never waits, no step is lost.

The player runs on a fake clock; the lock is a second connection holding
``BEGIN EXCLUSIVE``, the full disk ``PRAGMA max_page_count`` with the last
pages filled. The GUI thread's stalls are measured with a monotonic clock
around every call it makes into the saving: each finished step, the end, and
each retry the timer makes.
"""

from __future__ import annotations

import contextlib
import sqlite3
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QMessageBox, QPushButton

from coach.app import open_store
from coach.core.common.paths import Paths
from coach.core.content.library import Library
from coach.core.content.model import Text
from coach.core.progress.step_queue import StepSaver, journal_for
from coach.core.progress.store import Store
from coach.core.progress.store_errors import StoreError
from coach.core.progress.store_rows import SessionOutcome
from coach.core.session.plan import Phase, Step, build_plan
from coach.core.session.profile import HealthProfile
from coach.core.session.runner import Outcome, State, StepResult
from coach.ui.main_window import MainWindow
from coach.ui.session.player import PlayerView
from coach.ui.session.safety_views import CheckDialog, PainDialog
from coach.ui.session.saving import StepSaving, show_saving_note
from coach.ui.session.session_flow import StoreRecorder

# The player waits at most 50 ms for a lock; a store opened the usual way waits
# 2 s. Half a second tells the two apart with room for a busy machine (a loaded
# CI runner once took 0.12 s for a 50 ms wait plus its commit).
STALL_LIMIT_S = 0.5


class FakeClock:
    def __init__(self, start: float = 1000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now


class TimedSaving(StepSaving):
    """Measures every call the GUI thread makes into the saving, the timer's retries too."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.stalls: list[float] = []

    def _timed(self, call: Callable[[], object]) -> object:
        start = time.monotonic()
        try:
            return call()
        finally:
            self.stalls.append(time.monotonic() - start)

    @property
    def calls(self) -> int:
        return len(self.stalls)

    def record_step(self, session_id: int, result: StepResult) -> None:
        self._timed(lambda: super(TimedSaving, self).record_step(session_id, result))

    def end_session(self, session_id: int, outcome: str, *, stop_reason: str | None) -> None:
        self._timed(
            lambda: super(TimedSaving, self).end_session(
                session_id, outcome, stop_reason=stop_reason
            )
        )

    def retry(self) -> bool:
        return bool(self._timed(lambda: super(TimedSaving, self).retry()))


class CountingRecorder(StoreRecorder):
    def __init__(self, saving: StepSaving, session_id: int) -> None:
        super().__init__(saving, session_id)
        self.finished = 0

    def step_finished(self, result: StepResult) -> None:
        self.finished += 1
        super().step_finished(result)


@contextlib.contextmanager
def locked(db: Path) -> Iterator[None]:
    other = sqlite3.connect(db, isolation_level=None)
    try:
        other.execute("BEGIN EXCLUSIVE")
        yield
        other.execute("ROLLBACK")
    finally:
        other.close()


@contextlib.contextmanager
def disk_full(store: Store) -> Iterator[None]:
    """The database cannot grow by a page, and its last pages are full too."""
    conn = store._live()
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.execute(f"PRAGMA max_page_count = {pages}")
    filler = store.start_session("filler", "Filler")
    step = Step(0, Phase.HOLD, 5.0, "P1", 0, Text.of("Hold"))
    with contextlib.suppress(StoreError):
        while True:  # another session's rows, until nothing fits
            store.record_step(filler, StepResult(step, 5.0, Outcome.COMPLETED))
    with contextlib.suppress(StoreError):
        while True:  # and sessions: ending one needs room too
            store.start_session("filler", "Filler")
    try:
        yield
    finally:
        conn.execute("PRAGMA max_page_count = 1073741823")
        conn.execute("DELETE FROM sessions WHERE routine_id = 'filler'")


def test_a_lock_during_a_session_never_freezes_the_player_and_loses_no_step(
    qtbot, library: Library, paths: Paths
) -> None:  # type: ignore[no-untyped-def]
    paths.ensure_data_dir()
    store = Store.open(paths.database)
    sid = store.start_session("gentle-day", "Gentle day")
    told: list[str] = []
    shown: list[PlayerView] = []
    saving = TimedSaving(
        lambda: store,
        lambda text: show_saving_note(shown[0] if shown else None, text, told.append),
        first_retry_ms=5,
        max_retry_ms=20,
    )
    plan = build_plan(library.routines["gentle-day"], library.exercises)
    clock = FakeClock()
    recorder = CountingRecorder(saving, sid)
    player = PlayerView(plan, library, sound=False, voice=False, clock=clock, recorder=recorder)
    qtbot.addWidget(player)
    player.show()
    shown.append(player)
    player.start()
    lock = contextlib.ExitStack()
    held = False
    banner_texts: set[str] = set()
    while (deadline := player.runner.next_deadline()) is not None:
        clock.now = deadline
        player.tick()
        QCoreApplication.processEvents()  # the retry timer fires in here
        index = player.runner.current_step.index
        if index == 3 and not held:
            lock.enter_context(locked(store.path))
            held = True
        elif index == 20:
            lock.close()  # held for 17 steps
        if player.banner.isVisible():
            banner_texts.add(player.banner.text())
    lock.close()
    assert player.runner.state is State.FINISHED
    assert saving.calls > 20 and max(saving.stalls) < STALL_LIMIT_S, (
        f"saving stalled the GUI thread {max(saving.stalls):.3f} s"
    )
    assert any(
        t.startswith("Saving is paused: Coach's progress file is in use") for t in banner_texts
    )
    qtbot.waitUntil(lambda: saving.pending == 0, timeout=5000)
    steps = store.steps(sid)
    assert len(steps) == recorder.finished == len(plan.steps) - 1
    assert store.session(sid).outcome is SessionOutcome.COMPLETED
    paused = [t for t in [*banner_texts, *told] if t.startswith("Saving is paused")]
    assert len(paused) == 1  # told once
    # The lock went at step 20: the player said so, no message box needed.
    assert "Your progress is saved again." in banner_texts and told == []
    store.close()


def _click(qtbot, widget, name: str) -> None:  # type: ignore[no-untyped-def]
    target = widget.findChild(QPushButton, name)
    assert target is not None, name
    qtbot.mouseClick(target, Qt.MouseButton.LeftButton)


def test_a_full_disk_in_a_session_keeps_the_steps_and_the_completed_end(
    window: MainWindow, qtbot, paths: Paths, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr("coach.ui.session.saving.StepSaving", TimedSaving)
    window.flow.set_profile(HealthProfile(completed=True))
    store = Store.open(paths.database)
    window.store = store
    window.flow.store = store
    window.start_routine("gentle-day")
    check = window.flow.dialog
    assert isinstance(check, CheckDialog)
    _click(qtbot, check, "check-done")
    pain = window.flow.dialog
    assert isinstance(pain, PainDialog)
    _click(qtbot, pain, "back-3")
    _click(qtbot, pain, "leg-2")
    player = window.pages.get("player")
    assert isinstance(player, PlayerView)
    player.start()
    for _ in range(5):
        player.skip()
    saving = window.flow.step_saving()
    assert isinstance(saving, TimedSaving)
    with disk_full(store):
        while player.runner.state is not State.FINISHED:
            player.skip()
        assert player.banner.text().startswith("Saving is paused: The disk is full")
        assert player.save_error is None  # not "could not be saved": it will be
        assert saving.pending > 40 and saving.retrying
        QCoreApplication.processEvents()
    assert max(saving.stalls) < STALL_LIMIT_S
    qtbot.waitUntil(lambda: saving.pending == 0, timeout=5000)
    (session,) = store.sessions()
    assert session.outcome is SessionOutcome.COMPLETED
    assert len(store.steps(session.id)) == len(player.plan.steps) - 1
    told = window.flow.dialog
    assert isinstance(told, QMessageBox) and told.text() == "Your progress is saved again."
    store.close()


def test_the_next_start_writes_what_a_crash_left_in_the_journal(paths: Paths) -> None:
    paths.ensure_data_dir()
    store = Store.open(paths.database)
    sid = store.start_session("gentle-day", "Gentle day")
    saver = StepSaver(lambda: store)
    with locked(store.path):
        for i in range(6):
            step = Step(i, Phase.HOLD, 5.0, "P1", 0, Text.of("Hold"), set_no=1, rep_no=i + 1)
            saver.record_step(sid, StepResult(step, 5.0, Outcome.COMPLETED))
        saver.end_session(sid, "completed")
        store.close()  # and Coach is gone
    assert journal_for(paths.database).exists()
    interrupted: list[object] = []
    again, problem = open_store(paths, interrupted)  # type: ignore[arg-type]
    assert problem is None and again is not None
    assert [s.step_index for s in again.steps(sid)] == list(range(6))
    assert again.session(sid).outcome is SessionOutcome.COMPLETED
    assert interrupted == []
    assert not journal_for(paths.database).exists()
    again.close()
