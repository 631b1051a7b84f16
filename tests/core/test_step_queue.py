"""Steps finished while the store is locked or the disk is full are kept and written later.

The lock is a second connection holding ``BEGIN EXCLUSIVE``; the full disk is
``PRAGMA max_page_count`` on the store's own connection. "Never freezes" is
measured with a monotonic clock around each call the GUI thread would make.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import stat
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from coach.core.content.model import Text
from coach.core.progress.interrupted import close_interrupted
from coach.core.progress.step_queue import (
    MARK_KEY,
    StepQueue,
    StepSaver,
    journal_for,
    replay_pending,
)
from coach.core.progress.store import QueuedStep, Store
from coach.core.progress.store_errors import StoreError, StoreErrorKind
from coach.core.progress.store_rows import SessionOutcome
from coach.core.session.plan import Phase, Step
from coach.core.session.runner import Outcome, StepResult

STALL_LIMIT_S = 0.1
"""The longest a call of the GUI thread may take while the store is locked."""


class Clock:
    """Wall time that moves one second per finished step, as the player would."""

    def __init__(self) -> None:
        self.now = datetime(2026, 3, 12, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def tick(self) -> None:
        self.now += timedelta(seconds=1)


def result(i: int, outcome: Outcome = Outcome.COMPLETED) -> StepResult:
    step = Step(i, Phase.HOLD, 5.0, "P1", 0, Text.of("Hold"), set_no=1, rep_no=i + 1)
    return StepResult(step, 5.0, outcome)


@contextlib.contextmanager
def locked(db: Path) -> Iterator[sqlite3.Connection]:
    """Another program holds the write lock for as long as the block runs."""
    other = sqlite3.connect(db, isolation_level=None)
    try:
        other.execute("BEGIN EXCLUSIVE")
        yield other
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
    with contextlib.suppress(StoreError):
        while True:  # another session's rows, until nothing fits
            store.record_step(filler, result(0))
    with contextlib.suppress(StoreError):
        while True:  # and sessions: ending one needs room too
            store.start_session("filler", "Filler")
    try:
        yield
    finally:
        conn.execute("PRAGMA max_page_count = 1073741823")
        conn.execute("DELETE FROM sessions WHERE routine_id = 'filler'")


def timed(call: Callable[[], object], stalls: list[float]) -> object:
    start = time.monotonic()
    try:
        return call()
    finally:
        stalls.append(time.monotonic() - start)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store(data_dir: Path, clock: Clock) -> Iterator[Store]:
    with Store.open(data_dir / "coach.sqlite3", clock=clock) as opened:
        yield opened


def stored(store: Store, sid: int) -> list[int]:
    return [s.step_index for s in store.steps(sid)]


def test_a_lock_loses_no_step_and_no_call_waits(store: Store, clock: Clock) -> None:
    sid = store.start_session("daily-relief", "Daily relief")
    saver = StepSaver(lambda: store)
    stalls: list[float] = []
    for i in range(5):
        assert timed(lambda i=i: saver.record_step(sid, result(i)), stalls) is True
        clock.tick()
    with locked(store.path):
        for i in range(5, 25):
            assert timed(lambda i=i: saver.record_step(sid, result(i)), stalls) is False
            assert timed(saver.retry, stalls) is False  # the timer's retries, still locked
            clock.tick()
        assert timed(lambda: saver.end_session(sid, "completed"), stalls) is False
        assert saver.error is not None and saver.error.kind is StoreErrorKind.LOCKED
        assert saver.pending == 21 and saver.journaled
        assert stored(store, sid) == list(range(5))
    assert max(stalls) < STALL_LIMIT_S, f"the GUI thread stalled {max(stalls):.3f} s"
    assert saver.retry() is True
    assert saver.pending == 0 and saver.error is None
    assert stored(store, sid) == list(range(25))
    session = store.session(sid)
    assert session.outcome is SessionOutcome.COMPLETED
    steps = store.steps(sid)
    # Each step keeps the moment it finished; the end comes after the last one.
    assert [s.recorded_utc for s in steps] == sorted(s.recorded_utc for s in steps)
    assert steps[10].recorded_utc == datetime(2026, 3, 12, 9, 0, 10, tzinfo=UTC)
    assert session.ended_utc is not None and session.ended_utc >= steps[-1].recorded_utc
    assert not journal_for(store.path).exists()


def test_a_full_disk_after_step_20_keeps_every_step_and_the_completed_end(
    store: Store, clock: Clock
) -> None:
    sid = store.start_session("daily-relief", "Daily relief")
    saver = StepSaver(lambda: store)
    for i in range(20):
        assert saver.record_step(sid, result(i))
    stalls: list[float] = []
    with disk_full(store):
        for i in range(20, 148):
            timed(lambda i=i: saver.record_step(sid, result(i)), stalls)
            clock.tick()
        timed(lambda: saver.end_session(sid, "completed"), stalls)
        assert saver.error is not None and saver.error.kind is StoreErrorKind.FULL
        assert not saver.retry()
        assert saver.pending == 129  # 128 steps and the end
    assert max(stalls) < STALL_LIMIT_S
    assert saver.retry()
    assert stored(store, sid) == list(range(148))
    assert store.session(sid).outcome is SessionOutcome.COMPLETED
    assert close_interrupted(store) == []  # not "abandoned" at the next start


def test_a_crash_during_the_fault_loses_nothing_and_the_end_stays_completed(
    data_dir: Path, store: Store, clock: Clock
) -> None:
    sid = store.start_session("daily-relief", "Daily relief")
    other = store.start_session("daily-relief", "Daily relief")  # crashed mid-session
    saver = StepSaver(lambda: store)
    saver.record_step(sid, result(0))
    with locked(store.path):
        for i in range(1, 10):
            saver.record_step(sid, result(i))
        saver.end_session(sid, "completed")
        saver.record_step(other, result(0))
        # The process dies here: nothing but the journal keeps the ten entries.
        store.close()
        del saver
    with Store.open(data_dir / "coach.sqlite3", clock=clock) as again:
        assert replay_pending(again) == 11
        found = close_interrupted(again)
        assert [f.session_id for f in found] == [other]
        assert stored(again, sid) == list(range(10))
        assert again.session(sid).outcome is SessionOutcome.COMPLETED
        assert again.session(other).outcome is SessionOutcome.ABANDONED
        assert stored(again, other) == [0]
        assert not journal_for(again.path).exists()


def test_a_crash_between_the_write_and_the_journals_removal_writes_nothing_twice(
    store: Store,
) -> None:
    sid = store.start_session("daily-relief", "Daily relief")
    journal = journal_for(store.path)
    queue = StepQueue(journal)
    for i in range(4):
        queue.add(QueuedStep.of(sid, result(i), store.now()))
    kept = journal.read_bytes()
    assert queue.flush(store) == 4
    assert not journal.exists()
    journal.write_bytes(kept)  # as if the process died before the unlink
    assert replay_pending(store) == 0
    assert stored(store, sid) == [0, 1, 2, 3]
    assert not journal.exists()
    assert store.get_json(MARK_KEY)["seq"] == 4


def test_a_step_done_twice_is_stored_twice(store: Store) -> None:
    # Back repeats a step: both results are real, none is a duplicate.
    sid = store.start_session("daily-relief", "Daily relief")
    saver = StepSaver(lambda: store)
    with locked(store.path):
        saver.record_step(sid, result(0, Outcome.SKIPPED))
        saver.record_step(sid, result(0))
    assert saver.retry()
    assert [(s.step_index, s.outcome) for s in store.steps(sid)] == [
        (0, "skipped"),
        (0, "completed"),
    ]


def test_a_torn_last_line_is_ignored_and_the_next_entry_starts_afresh(store: Store) -> None:
    sid = store.start_session("daily-relief", "Daily relief")
    journal = journal_for(store.path)
    queue = StepQueue(journal)
    queue.add(QueuedStep.of(sid, result(0), store.now()))
    queue.add(QueuedStep.of(sid, result(1), store.now()))
    with journal.open("ab") as f:
        f.write(b'{"seq":3,"kind":"step","session_id":')  # the crash cut it here
    again = StepQueue(journal)
    assert len(again) == 2
    again.add(QueuedStep.of(sid, result(2), store.now()))
    third = StepQueue(journal)
    assert [e.step_index for e in third.entries] == [0, 1, 2]  # type: ignore[union-attr]
    assert replay_pending(store) == 3
    assert stored(store, sid) == [0, 1, 2]


def test_invalid_entries_are_left_out_and_a_strange_journal_is_put_aside(store: Store) -> None:
    sid = store.start_session("daily-relief", "Daily relief")
    journal = journal_for(store.path)
    queue = StepQueue(journal)
    queue.add(QueuedStep.of(sid, result(0), store.now()))
    with journal.open("a") as f:
        f.write('{"seq":2,"kind":"step","session_id":1,"step_index":-3}\n')
        f.write(
            '{"seq":3,"kind":"end","session_id":1,"outcome":"in_progress",'
            '"stop_reason":null,"stop_note":null,"ended_utc":"x"}\n'
        )
    assert len(StepQueue(journal)) == 1
    journal.write_text("not a journal\n")
    strange = StepQueue(journal)
    assert len(strange) == 0
    assert strange.put_aside is not None and strange.put_aside.read_text() == "not a journal\n"
    assert not journal.exists()


def test_the_journal_is_private(store: Store) -> None:
    sid = store.start_session("daily-relief", "Daily relief")
    saver = StepSaver(lambda: store)
    old = os.umask(0o022)
    try:
        with locked(store.path):
            saver.record_step(sid, result(0))
    finally:
        os.umask(old)
    mode = stat.S_IMODE(journal_for(store.path).stat().st_mode)
    assert mode == 0o600


def test_without_a_writable_journal_the_steps_wait_in_memory(store: Store) -> None:
    sid = store.start_session("daily-relief", "Daily relief")
    journal_for(store.path).mkdir()  # nothing can be written at the journal's place
    saver = StepSaver(lambda: store)
    with locked(store.path):
        for i in range(3):
            saver.record_step(sid, result(i))
        assert saver.pending == 3 and not saver.journaled
    assert saver.retry()
    assert stored(store, sid) == [0, 1, 2]


def test_entries_of_a_session_the_database_lost_are_left_out(store: Store) -> None:
    # A backup restored meanwhile does not know the session: nothing wedges the queue.
    sid = store.start_session("daily-relief", "Daily relief")
    saver = StepSaver(lambda: store)
    with locked(store.path):
        saver.record_step(sid, result(0))
        saver.record_step(sid + 41, result(0))
    assert saver.retry()
    assert stored(store, sid) == [0]


def test_a_long_queue_is_written_in_short_batches(store: Store) -> None:
    sid = store.start_session("daily-relief", "Daily relief")
    saver = StepSaver(lambda: store, journal=False)  # memory only: quicker here
    with locked(store.path):
        for i in range(1200):
            saver.record_step(sid, result(i))
    assert not saver.retry() and saver.pending == 700
    assert not saver.retry() and saver.pending == 200
    assert saver.retry() and saver.pending == 0
    assert stored(store, sid) == list(range(1200))


def test_an_entry_the_database_refuses_is_left_out_and_the_rest_goes_in(store: Store) -> None:
    sid = store.start_session("daily-relief", "Daily relief")
    queue = StepQueue(journal_for(store.path))
    good = QueuedStep.of(sid, result(0), store.now())
    queue.add(good)
    queue.add(good._replace(step_index=1, done_s=-1.0))  # against the table's CHECK
    queue.add(good._replace(step_index=2))
    assert queue.flush(store) == 3
    assert len(queue) == 0 and queue.refused == 1
    assert stored(store, sid) == [0, 2]
