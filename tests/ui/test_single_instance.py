"""A second Coach on the same data folder hands its request to the first, or is refused.

Two real processes: the first Coach waits in the tray (``--tray``), the second
is started as a person would start it (``python -m coach --data-dir D ...``).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from coach.core.content.model import Text
from coach.core.progress.store import Store
from coach.core.progress.store_rows import SessionOutcome
from coach.instance import LOCK_NAME

# The first Coach: the real tray start; opening a file only says which file.
FIRST = """
import json, sys
from PySide6.QtWidgets import QApplication
import coach.app
import coach.ui.main_window as main_window

APP = QApplication(sys.argv[:1])


def open_file(self, path):
    print(json.dumps({"opened": str(path)}), flush=True)
    APP.exit(0)


main_window.MainWindow.open_file = open_file
raise SystemExit(coach.app.run(data_dir=sys.argv[1], tray=True))
"""


def _env() -> dict[str, str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env.pop("COACH_DATA_DIR", None)
    return env


def _second(data: Path, *args: str, repo: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "coach", "--data-dir", str(data), *args],
        capture_output=True,
        text=True,
        timeout=90,
        env=_env(),
        cwd=repo,
    )


def _start_first(data: Path, repo: Path) -> subprocess.Popen[str]:
    first = subprocess.Popen(
        [sys.executable, "-c", FIRST, str(data)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_env(),
        cwd=repo,
    )
    deadline = time.monotonic() + 30
    while not (data / LOCK_NAME).exists():
        assert first.poll() is None, first.communicate()[1]
        assert time.monotonic() < deadline, "the first Coach did not take the data folder"
        time.sleep(0.05)
    return first


def _session_in_progress(data: Path) -> int:
    started = datetime.now(UTC)
    with Store.open(data / "coach.sqlite3", clock=lambda: started) as store:
        return store.start_session("daily-relief", Text.of("Daily relief"))


def test_a_second_coach_hands_the_file_to_the_first(tmp_path: Path, repo: Path) -> None:
    data = tmp_path / "data"
    handover = tmp_path / "plan.coach"
    handover.write_bytes(b"not looked at: the first Coach's open_file only reports it")
    first = _start_first(data, repo)
    try:
        second = _second(data, "--open", str(handover), repo=repo)
        assert second.returncode == 0, second.stderr
        assert "already open" in second.stderr
        out, err = first.communicate(timeout=60)
    finally:
        if first.poll() is None:
            first.kill()
            first.communicate()
    assert first.returncode == 0, err
    assert json.loads(out.strip().splitlines()[-1]) == {"opened": str(handover.resolve())}
    assert not (data / LOCK_NAME).exists()  # released at the end


def test_the_lock_is_owner_only_while_coach_runs(tmp_path: Path, repo: Path) -> None:
    data = tmp_path / "data"
    first = _start_first(data, repo)
    try:
        time.sleep(0.3)  # the mode is set right after the lock is taken
        assert (data / LOCK_NAME).stat().st_mode & 0o777 == 0o600
    finally:
        first.kill()
        first.communicate()


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_the_lock_of_a_coach_that_crashed_is_taken_over(tmp_path: Path, repo: Path) -> None:
    data = tmp_path / "data"
    first = _start_first(data, repo)
    first.send_signal(signal.SIGKILL)
    first.communicate()
    assert (data / LOCK_NAME).exists()  # left behind
    second = _second(data, "--smoke", repo=repo)
    assert second.returncode == 0, second.stderr
    assert "already open" not in second.stderr


def test_a_coach_that_cannot_be_reached_refuses_the_second(tmp_path: Path, repo: Path) -> None:
    """The first Coach runs on another computer that shares the folder: no socket
    to reach it, so the second says why and changes nothing."""
    data = tmp_path / "data"
    sid = _session_in_progress(data)  # the other computer's session, still running
    (data / LOCK_NAME).write_text(f"{os.getpid()}\npython3\nanother-computer\n")
    before = (data / "coach.sqlite3").read_bytes()

    second = _second(data, "--smoke", repo=repo)
    assert second.returncode == 3, second.stderr
    assert "Coach is already open for this person's data" in second.stderr
    assert "Traceback" not in second.stderr
    assert (data / "coach.sqlite3").read_bytes() == before
    with Store.open(data / "coach.sqlite3") as store:
        assert store.session(sid).outcome is SessionOutcome.IN_PROGRESS  # not closed as lost
