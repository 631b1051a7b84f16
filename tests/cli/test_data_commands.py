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
    backup = tmp_path / "usb" / "coach-backup.sqlite3"
    done = coach("backup", "-o", str(backup), data=data, repo=repo)
    assert done.returncode == 0, done.stderr
    assert rows(backup, "SELECT routine_id FROM sessions") == [("daily-relief",)]
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
