"""`coach export | backup | restore | delete-all`, run as real commands."""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from coach.core.progress.store import Store
from coach.core.progress.store_rows import MeasureKind, SessionOutcome


def coach(*args: str, data: Path, repo: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(repo)}
    env.pop("COACH_DATA_DIR", None)  # --data-dir alone must decide
    return subprocess.run(
        [sys.executable, "-m", "coach", "--data-dir", str(data), *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=repo,
        timeout=60,
    )


def rows(path: Path, sql: str) -> list[tuple[object, ...]]:
    with contextlib.closing(sqlite3.connect(path)) as conn:
        return [tuple(r) for r in conn.execute(sql)]


@pytest.fixture
def data(tmp_path: Path) -> Path:
    folder = tmp_path / "mydata"
    with Store.open(folder / "coach.sqlite3") as store:
        sid = store.start_session("daily-relief", "Daily relief", pain_before_back=3)
        store.end_session(sid, SessionOutcome.COMPLETED)
        store.add_measure(MeasureKind.WALKING_TEST, {"first_symptoms_s": 300, "total_s": 540})
        store.add_note("Knie ok")
    return folder


def test_export_json_and_csv(data: Path, repo: Path, tmp_path: Path) -> None:
    out = tmp_path / "exports" / "all.json"
    done = coach("export", "--format", "json", "-o", str(out), data=data, repo=repo)
    assert done.returncode == 0, done.stderr
    document = json.loads(out.read_text(encoding="utf-8"))
    assert document["format"] == "coach-export"
    assert [s["routine_id"] for s in document["tables"]["sessions"]] == ["daily-relief"]
    assert document["tables"]["notes"][0]["text"] == "Knie ok"

    archive = tmp_path / "all.zip"
    done = coach("export", "--format", "csv", "-o", str(archive), data=data, repo=repo)
    assert done.returncode == 0, done.stderr
    with zipfile.ZipFile(archive) as z:
        assert "measures.csv" in z.namelist()
        assert "walking_test" in z.read("measures.csv").decode("utf-8-sig")


def test_export_without_a_database_says_so(tmp_path: Path, repo: Path) -> None:
    empty = tmp_path / "nothing-here"
    done = coach(
        "export", "--format", "json", "-o", str(tmp_path / "x.json"), data=empty, repo=repo
    )
    assert done.returncode == 1
    assert done.stderr.strip() == f"coach export: there is no progress database in {empty} yet."
    assert not empty.exists()  # nothing was created
    assert not (tmp_path / "x.json").exists()


def test_export_to_an_unwritable_place_is_one_clear_line(
    data: Path, repo: Path, tmp_path: Path
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    done = coach(
        "export", "--format", "json", "-o", str(blocker / "out.json"), data=data, repo=repo
    )
    assert done.returncode == 1
    assert done.stderr.startswith("coach export: cannot write ")
    assert len(done.stderr.strip().splitlines()) == 1


def test_backup_then_restore_brings_the_old_data_back(
    data: Path, repo: Path, tmp_path: Path
) -> None:
    backup = tmp_path / "usb" / "coach-backup.zip"
    done = coach("backup", "-o", str(backup), data=data, repo=repo)
    assert done.returncode == 0, done.stderr
    with zipfile.ZipFile(backup) as z:
        (tmp_path / "inside.sqlite3").write_bytes(z.read("coach.sqlite3"))
    assert rows(tmp_path / "inside.sqlite3", "SELECT routine_id FROM sessions") == [
        ("daily-relief",)
    ]
    # Later: more data, then the person restores the backup.
    with Store.open(data / "coach.sqlite3") as store:
        store.start_session("walking", "Walking")
    done = coach("restore", str(backup), data=data, repo=repo)
    assert done.returncode == 0, done.stderr
    assert "Your previous data was kept as" in done.stderr
    assert rows(data / "coach.sqlite3", "SELECT routine_id FROM sessions") == [("daily-relief",)]
    [kept] = data.glob("coach.sqlite3.before-restore-*")
    assert rows(kept, "SELECT routine_id FROM sessions ORDER BY id") == [
        ("daily-relief",),
        ("walking",),
    ]


@pytest.mark.parametrize(
    "content",
    [b"this is not a database at all" * 100, b"", None],
    ids=["garbage", "empty", "missing"],
)
def test_restore_refuses_a_bad_backup_and_changes_nothing(
    data: Path, repo: Path, tmp_path: Path, content: bytes | None
) -> None:
    bad = tmp_path / "bad-backup.sqlite3"
    if content is not None:
        bad.write_bytes(content)
    before = {p.name: p.read_bytes() for p in data.iterdir()}
    done = coach("restore", str(bad), data=data, repo=repo)
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("coach restore: ")
    if content is None:
        assert lines[0] == "coach restore: The backup file was not found."
    else:
        assert lines[0] == (
            "coach restore: This file is not a Coach backup, or it is damaged. Nothing was changed."
        )
    assert {p.name: p.read_bytes() for p in data.iterdir()} == before


def test_delete_all_needs_yes(data: Path, repo: Path) -> None:
    done = coach("delete-all", data=data, repo=repo)
    assert done.returncode == 1
    assert "coach delete-all --yes" in done.stderr
    assert rows(data / "coach.sqlite3", "SELECT COUNT(*) FROM sessions") == [(1,)]

    done = coach("delete-all", "--yes", data=data, repo=repo)
    assert done.returncode == 0, done.stderr
    for table in ("sessions", "measures", "notes"):
        assert rows(data / "coach.sqlite3", f"SELECT COUNT(*) FROM {table}") == [(0,)]
    [kept] = data.glob("coach.sqlite3.before-delete-*")
    assert str(kept) in done.stderr
    assert rows(kept, "SELECT COUNT(*) FROM sessions") == [(1,)]


# --------------------------------------------------------------------------
# Faults that must never lose data (real files, the real commands)
# --------------------------------------------------------------------------


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def one_line(done: subprocess.CompletedProcess[str], command: str) -> str:
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith(f"coach {command}: ")
    return lines[0]


def test_restore_refuses_a_backup_with_a_trigger_and_changes_nothing(
    data: Path, repo: Path, tmp_path: Path
) -> None:
    hostile = tmp_path / "hostile.sqlite3"
    with Store.open(tmp_path / "elsewhere" / "coach.sqlite3") as other:
        other.start_session("walking", "Walking")
        other.backup_to(hostile)
    with contextlib.closing(sqlite3.connect(hostile, isolation_level=None)) as conn:
        conn.execute(
            "CREATE TRIGGER eat AFTER INSERT ON step_results BEGIN"
            " DELETE FROM step_results WHERE id = new.id; END"
        )
    before = snapshot(data)
    done = coach("restore", str(hostile), data=data, repo=repo)
    assert done.returncode == 1
    assert one_line(done, "restore") == (
        "coach restore: This file is not a Coach backup, or it is damaged. Nothing was changed."
    )
    assert snapshot(data) == before


def test_backup_and_export_work_on_a_database_with_a_bad_schema_byte(
    data: Path, repo: Path, tmp_path: Path
) -> None:
    database = data / "coach.sqlite3"
    with contextlib.closing(sqlite3.connect(database, isolation_level=None)) as conn:
        conn.execute("PRAGMA writable_schema = ON")
        conn.execute(
            "UPDATE sqlite_master SET sql = CAST(REPLACE(CAST(sql AS BLOB),"
            " CAST('text TEXT' AS BLOB), X'74657874FF2054455854') AS TEXT) WHERE name = 'notes'"
        )
    before = database.read_bytes()
    out = tmp_path / "backup.zip"
    done = coach("backup", "-o", str(out), data=data, repo=repo)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    with zipfile.ZipFile(out) as z:
        copy = z.read("coach.sqlite3")  # every page as it is, the damaged one too
    assert b"text\xff TEXT" in copy and b"Knie ok" in copy
    assert len(copy) == len(before)
    assert database.read_bytes() == before
    done = coach("export", "--format", "json", "-o", str(tmp_path / "x.json"), data=data, repo=repo)
    assert done.returncode == 1
    assert "`coach backup` still copies it" in one_line(done, "export")
    assert database.read_bytes() == before


def _bad_measure(data: Path) -> None:
    with contextlib.closing(sqlite3.connect(data / "coach.sqlite3", isolation_level=None)) as conn:
        conn.execute(
            "UPDATE measures SET value = CAST(X'7B2266697273745F73796D70746F6D735F73FF223A3330307D'"
            " AS TEXT) WHERE id = 1"
        )


def test_export_and_report_data_survive_a_bad_byte_in_a_measure(
    data: Path, repo: Path, tmp_path: Path
) -> None:
    _bad_measure(data)
    with Store.open(data / "coach.sqlite3") as store:
        store.add_measure(MeasureKind.WALKING_TEST, {"first_symptoms_s": 420, "total_s": 600})
    out = tmp_path / "all.json"
    done = coach("export", "--format", "json", "-o", str(out), data=data, repo=repo)
    assert done.returncode == 0, done.stderr
    assert "1 damaged entry" in done.stderr
    document = json.loads(out.read_text(encoding="utf-8"))
    assert len(document["tables"]["measures"]) == 2  # the damaged one too, marked
    assert document["damaged_rows"][0]["table"] == "measures"
    assert document["tables"]["notes"][0]["text"] == "Knie ok"
    done = coach("report-data", "-o", str(tmp_path / "r.coachreport"), data=data, repo=repo)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert "1 damaged entry" in done.stderr


def test_delete_all_is_refused_while_coach_is_mid_session(data: Path, repo: Path) -> None:
    from coach.core.content.model import Text
    from coach.core.session.plan import Phase, Step
    from coach.core.session.runner import Outcome, StepResult

    database = data / "coach.sqlite3"
    with Store.open(database) as running:  # the app, in the middle of a session
        sid = running.start_session("daily-relief", "Daily relief")
        result = StepResult(
            Step(0, Phase.HOLD, 5.0, "P1", 0, Text.of("Hold")), 5, Outcome.COMPLETED
        )
        running.record_step(sid, result)
        done = coach("delete-all", "--yes", data=data, repo=repo)
        assert done.returncode == 1
        assert "Close Coach first" in one_line(done, "delete-all")
        running.record_step(sid, result)
        assert len(running.steps(sid)) == 2
        assert len(running.sessions()) == 2
    assert list(data.glob("*before-delete*")) == []


def test_quarantine_puts_only_a_damaged_database_aside(data: Path, repo: Path) -> None:
    database = data / "coach.sqlite3"
    done = coach("quarantine", data=data, repo=repo)
    assert done.returncode == 1
    assert "not damaged" in one_line(done, "quarantine")
    assert list(data.glob("*.damaged-*")) == []
    damaged = b"SQLite format 3\x00" + b"\x13" * 4000
    database.write_bytes(damaged)
    done = coach("quarantine", data=data, repo=repo)
    assert done.returncode == 0, done.stderr
    [kept] = data.glob("coach.sqlite3.damaged-*")
    assert kept.read_bytes() == damaged
    assert str(kept) in done.stderr
    with Store.open(database) as store:
        assert store.sessions() == []


def test_backup_export_and_delete_all_cover_profile_reminders_and_plans(
    data: Path, repo: Path, tmp_path: Path
) -> None:
    (data / "profile.json").write_text('{"mine": 1}', encoding="utf-8")
    (data / "reminders.json").write_text('{"at": "09:00"}', encoding="utf-8")
    plan = data / "routines" / "assigned" / "dr-a"
    plan.mkdir(parents=True)
    (plan / "dr-a.daily.yaml").write_text("id: x\n", encoding="utf-8")
    names = {"profile.json", "reminders.json", "routines/assigned/dr-a/dr-a.daily.yaml"}

    out = tmp_path / "b.zip"
    assert coach("backup", "-o", str(out), data=data, repo=repo).returncode == 0
    with zipfile.ZipFile(out) as z:
        assert {f"files/{n}" for n in names} <= set(z.namelist())
    done = coach("export", "--format", "json", "-o", str(tmp_path / "e.json"), data=data, repo=repo)
    assert done.returncode == 0, done.stderr
    document = json.loads((tmp_path / "e.json").read_text(encoding="utf-8"))
    assert {f["path"] for f in document["files"]} == names

    done = coach("delete-all", "--yes", data=data, repo=repo)
    assert done.returncode == 0, done.stderr
    assert all(not (data / n).exists() for n in names)
    [folder] = data.glob("before-delete-*")
    assert str(folder) in done.stderr
    assert all((folder / n).is_file() for n in names)

    # The backup brings all of it back.
    done = coach("restore", str(out), data=data, repo=repo)
    assert done.returncode == 0, done.stderr
    assert (data / "profile.json").read_text(encoding="utf-8") == '{"mine": 1}'
    assert rows(data / "coach.sqlite3", "SELECT COUNT(*) FROM sessions") == [(1,)]
