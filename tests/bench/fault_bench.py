"""Faults that could lose data: steps committed against steps found afterwards.

``python tests/bench/fault_bench.py [fault | fault_direct]`` (or through
``tests/bench/run.py``) prints JSON figures and, on stderr, one line per run:
``<run>: N steps committed, M found``.

- ``fault_kill``: 50 child processes SIGKILLed mid-session at a random moment,
  then 20 more killed while another program holds the lock (their steps are
  in the journal only). "Committed" is what a child reported after the save
  returned (in the database, or fsynced into the journal); "found" is what the
  database holds after the next start's replay.
- ``fault_lock``: another process holds the write lock for 20 s
  (``COACH_BENCH_LOCK_S``) while a simulated player finishes a step every
  0.5 s and the retry timer tries every 0.5 s; the longest call the GUI thread
  makes must stay under 100 ms.
- ``fault_full``: the disk is full after step 20 of 148 (``max_page_count``,
  and the steps' last page filled), space comes back after the session ended.
- ``fault_direct``: the same lock and full disk written the way Coach did
  before the queue (``store.record_step`` on the GUI thread, 2 s busy
  timeout, a failure lost), for comparison. Its targets are its own values.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from coach.core.content.model import Text  # noqa: E402
from coach.core.progress.interrupted import close_interrupted  # noqa: E402
from coach.core.progress.step_queue import StepSaver, replay_pending  # noqa: E402
from coach.core.progress.store import Store  # noqa: E402
from coach.core.progress.store_errors import StoreError  # noqa: E402
from coach.core.progress.store_rows import SessionOutcome  # noqa: E402
from coach.core.session.plan import Phase, Step  # noqa: E402
from coach.core.session.runner import Outcome, StepResult  # noqa: E402

Figure = dict[str, object]
STALL_TARGET_MS = 100.0
STEP_EVERY_S = 0.5


def figure(
    name: str, value: float, unit: str, target: float, *, lower_is_better: bool = True
) -> Figure:
    ok = value <= target if lower_is_better else value >= target
    return {"name": name, "value": round(value, 4), "unit": unit, "target": target, "ok": ok}


def _say(run: str, committed: int, found: int, extra: str = "") -> None:
    print(f"{run}: {committed} steps committed, {found} found{extra}", file=sys.stderr)


def result(i: int) -> StepResult:
    step = Step(i, Phase.HOLD, 5.0, "P1", 0, Text.of("Hold"), set_no=1, rep_no=i + 1)
    return StepResult(step, 5.0, Outcome.COMPLETED)


# --- the faults ----------------------------------------------------------------------

_HOLD_LOCK = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
conn.execute("ROLLBACK")
"""


@contextlib.contextmanager
def lock_held_elsewhere(db: Path, seconds: float) -> Iterator[subprocess.Popen[str]]:
    """Another process holds the write lock for ``seconds`` (poll() says when it let go)."""
    proc = subprocess.Popen(
        [sys.executable, "-c", _HOLD_LOCK, str(db), str(seconds)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "locked"
    try:
        yield proc
    finally:
        proc.kill()
        proc.wait()


@contextlib.contextmanager
def disk_full(store: Store) -> Iterator[None]:
    """The database cannot grow by a page, and its last pages are full too."""
    conn = store._live()
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.execute(f"PRAGMA max_page_count = {pages}")
    filler = store.start_session("filler", "Filler")
    with contextlib.suppress(StoreError):
        while True:
            store.record_step(filler, result(0))
    with contextlib.suppress(StoreError):
        while True:  # and sessions: ending one needs room too
            store.start_session("filler", "Filler")
    try:
        yield
    finally:
        conn.execute("PRAGMA max_page_count = 1073741823")
        conn.execute("DELETE FROM sessions WHERE routine_id = 'filler'")


class Direct:
    """Coach before the queue: the store on the GUI thread, a failed write is lost."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def record_step(self, sid: int, res: StepResult) -> bool:
        try:
            self.store.record_step(sid, res)
        except StoreError:
            return False
        return True

    def end_session(self, sid: int, outcome: str) -> bool:
        try:
            self.store.end_session(sid, outcome)
        except StoreError:
            return False
        return True

    def retry(self) -> bool:
        return True

    @property
    def pending(self) -> int:
        return 0


def _timed(call: Callable[[], object], stalls: list[float]) -> object:
    start = time.monotonic()
    try:
        return call()
    finally:
        stalls.append(time.monotonic() - start)


# --- lock ----------------------------------------------------------------------------


def _lock_run(direct: bool, lock_s: float) -> tuple[int, int, float, bool]:
    with tempfile.TemporaryDirectory() as data:
        db = Path(data) / "coach.sqlite3"
        store = Store.open(db)
        sid = store.start_session("daily-relief", "Daily relief")
        saver: StepSaver | Direct = Direct(store) if direct else StepSaver(lambda: store)
        stalls: list[float] = []
        i = 0
        for _ in range(5):  # before the lock
            _timed(lambda i=i: saver.record_step(sid, result(i)), stalls)
            i += 1
        with lock_held_elsewhere(db, lock_s) as holder:
            while holder.poll() is None:
                _timed(lambda i=i: saver.record_step(sid, result(i)), stalls)
                i += 1
                time.sleep(STEP_EVERY_S)  # the person exercising; the timer retries meanwhile
                _timed(saver.retry, stalls)
        for _ in range(5):  # after the lock
            _timed(lambda i=i: saver.record_step(sid, result(i)), stalls)
            i += 1
        _timed(lambda: saver.end_session(sid, "completed"), stalls)
        deadline = time.monotonic() + 30
        while saver.pending and time.monotonic() < deadline:
            _timed(saver.retry, stalls)
        found = len(store.steps(sid))
        completed = store.session(sid).outcome is SessionOutcome.COMPLETED
        store.close()
    return i, found, max(stalls) * 1000, completed


# --- full disk -----------------------------------------------------------------------


def _full_run(direct: bool) -> tuple[int, int, float, bool]:
    with tempfile.TemporaryDirectory() as data:
        db = Path(data) / "coach.sqlite3"
        store = Store.open(db)
        sid = store.start_session("daily-relief", "Daily relief")
        saver: StepSaver | Direct = Direct(store) if direct else StepSaver(lambda: store)
        stalls: list[float] = []
        for i in range(20):
            _timed(lambda i=i: saver.record_step(sid, result(i)), stalls)
        with disk_full(store):
            for i in range(20, 148):
                _timed(lambda i=i: saver.record_step(sid, result(i)), stalls)
            _timed(lambda: saver.end_session(sid, "completed"), stalls)
            _timed(saver.retry, stalls)
        while saver.pending:
            _timed(saver.retry, stalls)
        store.close()
        with Store.open(db) as again:  # the next start
            replay_pending(again)
            close_interrupted(again)
            found = len(again.steps(sid))
            completed = again.session(sid).outcome is SessionOutcome.COMPLETED
    return 148, found, max(stalls) * 1000, completed


# --- kills ---------------------------------------------------------------------------

_CHILD = """
import sys
from pathlib import Path
from coach.core.content.model import Text
from coach.core.session.plan import Phase, Step
from coach.core.session.runner import Outcome, StepResult
from coach.core.progress.step_queue import StepSaver
from coach.core.progress.store import Store

store = Store.open(Path(sys.argv[1]))
sid = int(sys.argv[2])
saver = StepSaver(lambda: store)
print("ready", flush=True)
i = 0
while True:
    step = Step(i, Phase.HOLD, 5.0, "P1", 0, Text.of("Hold"), set_no=1, rep_no=i + 1)
    saved = saver.record_step(sid, StepResult(step, 5.0, Outcome.COMPLETED))
    if saved or saver.journaled:
        print("step", sid, i, flush=True)
    i += 1
"""


def _kill_rounds(db: Path, rounds: int, rng: random.Random, *, locked: bool) -> tuple[int, int]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    reported: set[tuple[int, int]] = set()
    sessions: list[int] = []
    for _ in range(rounds):
        with Store.open(db) as store:
            sid = store.start_session("daily-relief", "Daily relief")
        sessions.append(sid)
        holder = lock_held_elsewhere(db, 60) if locked else contextlib.nullcontext()
        with holder:
            child = subprocess.Popen(
                [sys.executable, "-c", _CHILD, str(db), str(sid)],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            assert child.stdout is not None
            assert child.stdout.readline().strip() == "ready"
            time.sleep(rng.uniform(0.0, 0.3 if locked else 0.04))
            os.kill(child.pid, signal.SIGKILL)
            out, err = child.communicate(timeout=30)
            assert "Traceback" not in err, err
        for line in out.splitlines():
            parts = line.split()
            if len(parts) == 3 and parts[0] == "step":
                reported.add((int(parts[1]), int(parts[2])))
        with Store.open(db) as store:  # the next start
            replay_pending(store)
    with contextlib.closing(sqlite3.connect(db)) as conn:
        rows = conn.execute("SELECT session_id, step_index FROM step_results").fetchall()
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    stored = {(int(s), int(i)) for s, i in rows if int(s) in sessions}
    assert len(rows) == len(set(rows)), "a step was written twice"
    return len(reported), len(reported & stored)


def bench_fault_kill() -> list[Figure]:
    if not hasattr(signal, "SIGKILL"):
        return []
    rng = random.Random(20260312)
    with tempfile.TemporaryDirectory() as data:
        db = Path(data) / "coach.sqlite3"
        Store.open(db).close()
        committed, found = _kill_rounds(db, 50, rng, locked=False)
        _say("kill x50", committed, found)
        committed_l, found_l = _kill_rounds(db, 20, rng, locked=True)
        _say("kill x20 while locked", committed_l, found_l)
    return [
        figure("fault_kill_steps_found", found, "steps", committed, lower_is_better=False),
        figure(
            "fault_kill_locked_steps_found", found_l, "steps", committed_l, lower_is_better=False
        ),
    ]


def _lock_s() -> float:
    return float(os.environ.get("COACH_BENCH_LOCK_S", "20"))


def bench_fault_lock() -> list[Figure]:
    committed, found, stall_ms, completed = _lock_run(False, _lock_s())
    _say(f"lock {_lock_s():g} s", committed, found, f", longest stall {stall_ms:.0f} ms")
    return [
        figure("fault_lock_steps_found", found, "steps", committed, lower_is_better=False),
        figure("fault_lock_max_stall_ms", stall_ms, "ms", STALL_TARGET_MS),
        figure("fault_lock_completed", float(completed), "bool", 1.0, lower_is_better=False),
    ]


def bench_fault_full() -> list[Figure]:
    committed, found, stall_ms, completed = _full_run(False)
    _say("disk full after step 20", committed, found, f", completed: {completed}")
    return [
        figure("fault_full_steps_found", found, "steps", committed, lower_is_better=False),
        figure("fault_full_max_stall_ms", stall_ms, "ms", STALL_TARGET_MS),
        figure("fault_full_completed", float(completed), "bool", 1.0, lower_is_better=False),
    ]


def bench_fault() -> list[Figure]:
    return bench_fault_kill() + bench_fault_lock() + bench_fault_full()


def bench_fault_direct() -> list[Figure]:
    """For information: the same faults written the way Coach did before the queue."""
    figures = []
    committed, found, stall_ms, completed = _lock_run(True, _lock_s())
    _say(f"direct, lock {_lock_s():g} s", committed, found, f", longest stall {stall_ms:.0f} ms")
    figures += [
        figure("fault_lock_direct_steps_found", found, "steps", found),
        figure("fault_lock_direct_steps_committed", committed, "steps", committed),
        figure("fault_lock_direct_max_stall_ms", round(stall_ms, 4), "ms", round(stall_ms, 4)),
    ]
    committed, found, stall_ms, completed = _full_run(True)
    _say("direct, disk full after step 20", committed, found, f", completed: {completed}")
    figures += [
        figure("fault_full_direct_steps_found", found, "steps", found),
        figure("fault_full_direct_completed", float(completed), "bool", float(completed)),
    ]
    return figures


BENCHMARKS: dict[str, Callable[[], list[Figure]]] = {
    "fault": bench_fault,
    "fault_direct": bench_fault_direct,
}


def main(argv: list[str]) -> int:
    names = argv or ["fault"]
    all_ok = True
    for name in names:
        for fig in BENCHMARKS[name]():
            all_ok &= bool(fig["ok"])
            print(json.dumps(fig), flush=True)
    return 0 if all_ok else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
