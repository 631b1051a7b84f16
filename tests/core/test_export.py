"""Export (JSON, CSV) and deleting everything."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import sqlite3
import zipfile
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from coach.core.content.model import Side, Text
from coach.core.progress import export
from coach.core.progress.history import TABLES
from coach.core.progress.store import Store
from coach.core.progress.store_rows import MeasureKind, SessionOutcome
from coach.core.session.check import evaluate
from coach.core.session.plan import Phase, Step
from coach.core.session.runner import Outcome, StepResult

T0 = datetime(2026, 3, 1, 8, 15, 30, 123456, tzinfo=UTC)
NOTE = "Rücken steif am Morgen – ZEBRA-7731 😊"


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=7, microseconds=1)
        return self.now


def raw_tables(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, as on disk, read with a separate connection."""
    with contextlib.closing(sqlite3.connect(path)) as conn:
        return {
            t: [tuple(r) for r in conn.execute(f"SELECT * FROM {t} ORDER BY rowid")] for t in TABLES
        }


def fill(store: Store) -> None:
    """A bit of everything, with the awkward cases: unicode, NULLs, floats, formulas."""
    sid = store.start_session(
        "daily-relief",
        Text.of("Daily relief", "Tägliche Entlastung"),
        pain_before_back=3,
        pain_before_leg=5,
        routine_hash="abc",
        planned_total_s=612.5,
    )
    for i in range(4):
        step = Step(
            i, Phase.HOLD, 5.25, "P1", 0, Text.of("Hold"), side=Side.LEFT, set_no=1, rep_no=i + 1
        )
        store.record_step(sid, StepResult(step, 5.25 if i else 2.0, Outcome.COMPLETED))
    walk = Step(4, Phase.WALK, 300.0, "A3", 2, Text.of("Walk"), rep_no=1, reps=3)
    store.record_step(sid, StepResult(walk, 250.5, Outcome.STOPPED, symptoms_at_s=201.75))
    store.end_session(sid, SessionOutcome.STOPPED, stop_reason="sharp_pain", stop_note="=1+1 ouch")
    store.set_pain_after(sid, back=4, leg=None)
    other = store.start_session("walking", "Walking program")
    store.end_session(other, SessionOutcome.COMPLETED)
    store.start_session("strength", "Strength")  # still in progress
    store.add_note(NOTE, session_id=sid)
    store.add_note("-just a dash")
    store.add_measure(MeasureKind.PAIN, {"back": 2, "leg": 6})
    store.add_measure(
        MeasureKind.WALKING_TEST, {"first_symptoms_s": 240.5, "total_s": 600, "steps": 812}
    )
    store.add_measure(MeasureKind.PSFS, {"scores": {"Einkaufen gehen": 4, "Gardening": 7}})
    store.add_measure(MeasureKind.CHAIR_STAND, {"count": 11, "age": 74, "sex": "female"})
    store.add_activity("cycling", 25.5, feeling="better", note="@home bike")
    store.add_activity("water", 40)
    store.record_check(evaluate({}, on=date(2026, 3, 1)))
    store.record_check(evaluate({"fever": True}, on=date(2026, 3, 2)))
    store.set_json("psfs_activities", ["Einkaufen gehen", "Gardening"])
    store.set_json("plain_string", "just text")
    store.set_json("number", 3.5)


@pytest.fixture
def source(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "source" / "coach.sqlite3", clock=Clock()) as store:
        fill(store)
        yield store


def test_json_round_trip_gives_identical_tables(source: Store, tmp_path: Path) -> None:
    target = tmp_path / "out" / "export.json"
    export.export_json(source, target, now=T0)
    document = json.loads(target.read_text(encoding="utf-8"))
    assert document["format"] == "coach-export"
    assert document["format_version"] == 1
    assert document["schema_version"] == source.schema_version
    assert document["exported_utc"] == "2026-03-01T08:15:30.123456Z"
    assert set(document["tables"]) == set(TABLES)
    # JSON columns are embedded as JSON, not as strings.
    first = document["tables"]["sessions"][0]
    assert first["routine_title"] == {"en": "Daily relief", "de": "Tägliche Entlastung"}
    assert document["tables"]["measures"][1]["value"]["steps"] == 812
    assert document["tables"]["safety_checks"][1]["flagged"] == ["fever"]

    # Every row of every table, every column, exactly as stored.
    raw = raw_tables(source.path)
    for table, rows in document["tables"].items():
        json_columns = export.JSON_COLUMNS.get(table, ())
        again = [
            tuple(
                json.dumps(v, ensure_ascii=False, separators=(",", ":")) if c in json_columns else v
                for c, v in row.items()
            )
            for row in rows
        ]
        assert again == raw[table], table
    assert len(document["tables"]["step_results"]) == 5
    assert document["damaged_rows"] == [] and document["files"] == []


def test_csv_export_is_a_zip_of_one_csv_per_table(source: Store, tmp_path: Path) -> None:
    target = tmp_path / "export.zip"
    export.export_csv(source, target, now=T0)
    tables = raw_tables(source.path)
    with zipfile.ZipFile(target) as archive:
        assert sorted(archive.namelist()) == sorted([f"{t}.csv" for t in TABLES] + ["README.txt"])
        assert "2026-03-01T08:15:30.123456Z" in archive.read("README.txt").decode("utf-8")
        for table in TABLES:
            data = archive.read(f"{table}.csv")
            assert data.startswith("\ufeff".encode())  # spreadsheets then read UTF-8
            rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
            assert len(rows) == len(tables[table]) + 1, table
        notes = list(csv.DictReader(io.StringIO(archive.read("notes.csv").decode("utf-8-sig"))))
        sessions = list(
            csv.DictReader(io.StringIO(archive.read("sessions.csv").decode("utf-8-sig")))
        )
        activities = list(
            csv.DictReader(io.StringIO(archive.read("activities.csv").decode("utf-8-sig")))
        )
    assert [n["text"] for n in notes] == [NOTE, "'-just a dash"]
    assert sessions[0]["stop_note"] == "'=1+1 ouch"  # never run as a formula
    assert json.loads(sessions[0]["routine_title"])["de"] == "Tägliche Entlastung"
    assert sessions[0]["pain_after_leg"] == ""
    assert activities[0]["note"] == "'@home bike"
    assert activities[0]["minutes"] == "25.5"


def test_export_replaces_the_target_whole(source: Store, tmp_path: Path) -> None:
    target = tmp_path / "export.json"
    target.write_text("old content that is much longer " * 1000, encoding="utf-8")
    export.export_json(source, target)
    assert json.loads(target.read_text(encoding="utf-8"))["format"] == "coach-export"
    assert target.stat().st_mode & 0o777 == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["export.json", "source"]  # no temp


def test_delete_all_keeps_a_backup_and_scrubs_the_file(source: Store) -> None:
    before = raw_tables(source.path)
    backup = export.delete_all(source, now=T0)
    assert backup.name == "coach.sqlite3.before-delete-20260301T081530Z"
    assert raw_tables(backup) == before
    assert all(not rows for rows in raw_tables(source.path).values())
    # The open store keeps working.
    sid = source.start_session("daily-relief", "Daily relief")
    assert [s.id for s in source.sessions()] == [sid]
    # The deleted note is not left anywhere in the database's files.
    needle = b"ZEBRA-7731"
    for path in source.path.parent.iterdir():
        if path.name.startswith("coach.sqlite3") and "before-delete" not in path.name:
            assert needle not in path.read_bytes(), path.name
    assert needle in backup.read_bytes()
    # A second delete the same second does not overwrite the first copy.
    second = export.delete_all(source, now=T0)
    assert second != backup and backup.exists()
