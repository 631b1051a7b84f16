"""Through the real commands: PDFs are owner-only whatever the umask, the data
folder is tightened, and a damaged reminders.json is kept when a command saves."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX modes")


def coach(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "coach", "--data-dir", str(data), *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=REPO,
    )


@pytest.fixture(params=[0o022, 0o000], ids=["umask-022", "umask-000"])
def umask(request: pytest.FixtureRequest) -> Iterator[int]:
    """The umask the commands inherit."""
    old = os.umask(request.param)
    try:
        yield request.param
    finally:
        os.umask(old)


def _mode(path: Path) -> str:
    return oct(stat.S_IMODE(path.stat().st_mode))


def _record_a_session(data: Path) -> None:
    from datetime import UTC, datetime

    from coach.core.content.model import Text
    from coach.core.progress.store import Store
    from coach.core.progress.store_rows import SessionOutcome

    when = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
    with Store.open(data / "coach.sqlite3", clock=lambda: when) as store:
        sid = store.start_session("daily-relief", Text.of("Daily relief"), pain_before_back=4)
        store.end_session(sid, SessionOutcome.COMPLETED)


def test_coach_report_writes_an_owner_only_pdf(tmp_path: Path, umask: int) -> None:
    data = tmp_path / "data"
    _record_a_session(data)
    out = tmp_path / "report.pdf"
    result = coach(data, "report", "-o", str(out), "--from", "2026-03-01", "--to", "2026-03-12")
    assert result.returncode == 0, result.stderr
    assert out.read_bytes().startswith(b"%PDF-")
    assert _mode(out) == "0o600"


def test_coach_print_writes_an_owner_only_pdf(tmp_path: Path, umask: int) -> None:
    out = tmp_path / "sheet.pdf"
    result = coach(tmp_path / "data", "print", "daily-relief", "-o", str(out), "--as-written")
    assert result.returncode == 0, result.stderr
    assert _mode(out) == "0o600"


def test_a_command_tightens_an_open_data_folder(tmp_path: Path, umask: int) -> None:
    data = tmp_path / "data"
    data.mkdir()
    data.chmod(0o755)
    result = coach(data, "reminders", "--days", "mon-fri")
    assert result.returncode == 0, result.stderr
    assert _mode(data) == "0o700"
    assert _mode(data / "reminders.json") == "0o600"


def test_a_damaged_reminders_file_is_kept_when_a_command_saves(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    damaged = b'{"routines": ["daily-relief"], "times": {"1": ["09:'  # cut short
    (data / "reminders.json").write_bytes(damaged)
    kept = data / f"reminders.damaged-{date.today().isoformat()}.json"

    # Only reading: a warning that names the copy, and nothing changes.
    result = coach(data, "reminders", "--show")
    assert result.returncode == 0, result.stderr
    assert "could not be read" in result.stderr and kept.name in result.stderr
    assert (data / "reminders.json").read_bytes() == damaged
    assert not kept.exists()

    # Saving new settings: the damaged file is kept first.
    result = coach(data, "reminders", "--days", "mon-fri")
    assert result.returncode == 0, result.stderr
    assert kept.read_bytes() == damaged
    assert _mode(kept) == "0o600"
    assert b"mon" in (data / "reminders.json").read_bytes()
