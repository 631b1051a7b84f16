"""A process SIGKILLed mid-session, 50 times in a row, loses no finished step.

Each round a fresh child process opens the same database, starts a session and
records steps in a loop, printing each step's id only after ``record_step``
returned (the commit is durable by then). The parent kills it with SIGKILL
after a random short delay: mid-write, mid-commit, between two steps, wherever
it lands. Afterwards the database must pass ``PRAGMA integrity_check`` and
hold every step the children reported.
"""

from __future__ import annotations

import contextlib
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from coach.core.progress.store import Store
from coach.core.progress.store_rows import SessionOutcome

ROUNDS = 50

_CHILD = """
import sys
from pathlib import Path
from coach.core.content.model import Text
from coach.core.session.plan import Phase, Step
from coach.core.session.runner import Outcome, StepResult
from coach.core.progress.store import Store

store = Store.open(Path(sys.argv[1]))
sid = store.start_session("daily-relief", "Daily relief", pain_before_back=2)
print("ready", sid, flush=True)
i = 0
while True:
    step = Step(i, Phase.HOLD, 5.0, "P1", 0, Text.of("Hold"), set_no=1, rep_no=i + 1)
    row = store.record_step(sid, StepResult(step, 5.0, Outcome.COMPLETED))
    print("step", sid, i, row, flush=True)
    i += 1
"""

posix_only = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")


def _integrity(db: Path) -> list[tuple[object, ...]]:
    with contextlib.closing(sqlite3.connect(db)) as conn:
        return [tuple(r) for r in conn.execute("PRAGMA integrity_check")]


@posix_only
@pytest.mark.slow
def test_fifty_kills_in_a_row_keep_every_committed_step(data_dir: Path, repo: Path) -> None:
    data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    db = data_dir / "coach.sqlite3"
    env = {**os.environ, "PYTHONPATH": str(repo)}
    rng = random.Random(20260312)
    reported: dict[int, tuple[int, int]] = {}  # row id -> (session id, step index)
    sessions: list[int] = []
    started = time.monotonic()
    for round_no in range(ROUNDS):
        child = subprocess.Popen(
            [sys.executable, "-c", _CHILD, str(db)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert child.stdout is not None
        first = child.stdout.readline().split()
        assert first[:1] == ["ready"], (first, child.stderr.read() if child.stderr else "")
        sessions.append(int(first[1]))
        # Somewhere in the first few dozen steps, at a random moment.
        time.sleep(rng.uniform(0.0, 0.04))
        os.kill(child.pid, signal.SIGKILL)
        out, err = child.communicate(timeout=30)
        assert child.returncode == -signal.SIGKILL, err
        assert "Traceback" not in err, err
        for line in out.splitlines():
            parts = line.split()
            if len(parts) == 4 and parts[0] == "step":  # a half-printed last line is ignored
                reported[int(parts[3])] = (int(parts[1]), int(parts[2]))
        assert _integrity(db) == [("ok",)], f"round {round_no}"
    elapsed = time.monotonic() - started

    assert len(set(sessions)) == ROUNDS
    assert len(reported) >= ROUNDS // 2, "the children hardly ever got to write a step"
    with contextlib.closing(sqlite3.connect(db)) as conn:
        stored = {
            row: (sid, index)
            for row, sid, index in conn.execute(
                "SELECT id, session_id, step_index FROM step_results"
            )
        }
    missing = {row: where for row, where in reported.items() if stored.get(row) != where}
    assert not missing, f"steps reported as committed but lost: {missing}"
    # Steps of one session are stored in order, without gaps.
    for sid in sessions:
        indexes = sorted(index for s, index in stored.values() if s == sid)
        assert indexes == list(range(len(indexes)))

    with Store.open(db) as store:
        assert store.mark_abandoned_sessions() == ROUNDS
        assert {s.outcome for s in store.sessions()} == {SessionOutcome.ABANDONED}
    assert _integrity(db) == [("ok",)]
    assert elapsed < 120
