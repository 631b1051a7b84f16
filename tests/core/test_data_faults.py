"""Faults that must never lose data: hostile backups, damaged files, live -wal files.

Every database here is a real SQLite file built in the test: a backup with a
trigger, a schema entry with a byte that is not UTF-8, a measure whose value
has one, a refused database with a live -wal.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import shutil
import sqlite3
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from coach.core.content.model import Text
from coach.core.progress import backup, export
from coach.core.progress.history import History
from coach.core.progress.store import Store
from coach.core.progress.store_errors import StoreError, StoreErrorKind
from coach.core.progress.store_file import MIGRATIONS, expected_schema, schema_of
from coach.core.progress.store_rows import MeasureKind, SessionOutcome
from coach.core.session.plan import Phase, Step
from coach.core.session.runner import Outcome, StepResult

T0 = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
BAD_BACKUP = "This file is not a Coach backup, or it is damaged. Nothing was changed."


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=3)
        return self.now


def step(i: int) -> StepResult:
    return StepResult(Step(i, Phase.HOLD, 5.0, "P1", 0, Text.of("Hold")), 5.0, Outcome.COMPLETED)


def fill(store: Store) -> int:
    sid = store.start_session("daily-relief", "Daily relief", pain_before_back=3)
    for i in range(3):
        store.record_step(sid, step(i))
    store.end_session(sid, SessionOutcome.COMPLETED)
    store.add_measure(MeasureKind.PAIN, {"back": 3, "leg": 2})
    store.add_measure(MeasureKind.PAIN, {"back": 4, "leg": 1})
    store.add_note("Knie gut")
    return sid


def files_of(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` by relative name -> sha256 of its bytes."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def main_files(folder: Path) -> dict[str, str]:
    """:func:`files_of` without the -shm index and an empty -wal, which a reader may make."""
    empty = hashlib.sha256(b"").hexdigest()
    return {
        n: h
        for n, h in files_of(folder).items()
        if not n.endswith("-shm") and not (n.endswith("-wal") and h == empty)
    }


def raw(path: Path, sql: str) -> list[tuple[object, ...]]:
    with contextlib.closing(sqlite3.connect(path)) as conn:
        conn.text_factory = bytes
        return [tuple(r) for r in conn.execute(sql)]


@pytest.fixture
def data(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    with Store.open(folder / "coach.sqlite3", clock=Clock()) as store:
        fill(store)
    return folder


@pytest.fixture
def good_backup(tmp_path: Path) -> Path:
    path = tmp_path / "usb" / "backup.sqlite3"
    with Store.open(tmp_path / "other" / "coach.sqlite3", clock=Clock()) as store:
        sid = store.start_session("walking", "Walking")
        store.record_step(sid, step(0))
        store.backup_to(path)
    return path


def hostile(path: Path, *statements: str) -> Path:
    with contextlib.closing(sqlite3.connect(path, isolation_level=None)) as conn:
        for statement in statements:
            conn.execute(statement)
    return path


# --------------------------------------------------------------------------
# Restore accepts only what Coach writes
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "statements",
    [
        # The case of the issue: every later step silently dropped.
        (
            "CREATE TRIGGER eat_steps AFTER INSERT ON step_results BEGIN"
            " DELETE FROM step_results WHERE id = new.id; END",
        ),
        # Rewrites every measure as it is written.
        (
            "CREATE TRIGGER fake AFTER INSERT ON measures BEGIN"
            " UPDATE measures SET value = '{\"back\":0}' WHERE id = new.id; END",
        ),
        ("CREATE VIEW everything AS SELECT * FROM sessions",),
        ("CREATE INDEX extra ON notes (text)",),
        ("DROP INDEX measures_kind_taken",),
        ("ALTER TABLE notes ADD COLUMN colour TEXT",),
        ("CREATE TABLE stranger (x)",),
        ("DROP TABLE kv",),
    ],
    ids=[
        "trigger-steps",
        "trigger-measures",
        "view",
        "index",
        "no-index",
        "column",
        "table",
        "gone",
    ],
)
def test_restore_refuses_a_backup_with_a_schema_coach_did_not_make(
    data: Path, good_backup: Path, statements: tuple[str, ...]
) -> None:
    hostile(good_backup, *statements)
    before = files_of(data)
    with pytest.raises(StoreError) as caught:
        Store.restore_from(good_backup, data / "coach.sqlite3")
    assert caught.value.kind is StoreErrorKind.CORRUPT
    assert caught.value.message == BAD_BACKUP
    assert files_of(data) == before


def test_restore_refuses_a_backup_that_fails_only_the_full_integrity_check(
    data: Path, good_backup: Path
) -> None:
    """An index that lacks rows passes quick_check (the old test) but not integrity_check."""
    with contextlib.closing(sqlite3.connect(good_backup, isolation_level=None)) as conn:
        [(sql, rootpage)] = conn.execute(
            "SELECT sql, rootpage FROM sqlite_master WHERE name = 'step_results_session'"
        ).fetchall()
        conn.execute("PRAGMA writable_schema = ON")
        conn.execute("DELETE FROM sqlite_master WHERE name = 'step_results_session'")
    with contextlib.closing(sqlite3.connect(good_backup, isolation_level=None)) as conn:
        conn.execute(
            "INSERT INTO step_results (session_id, step_index, phase, planned_s, done_s,"
            " outcome, recorded_utc) VALUES (1, 9, 'hold', 1, 1, 'completed', 'x')"
        )
    with contextlib.closing(sqlite3.connect(good_backup, isolation_level=None)) as conn:
        conn.execute("PRAGMA writable_schema = ON")
        conn.execute(
            "INSERT INTO sqlite_master (type, name, tbl_name, rootpage, sql)"
            " VALUES ('index', 'step_results_session', 'step_results', ?, ?)",
            (rootpage, sql),
        )
    with contextlib.closing(sqlite3.connect(good_backup)) as conn:
        assert conn.execute("PRAGMA quick_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA integrity_check").fetchall() != [("ok",)]
    before = files_of(data)
    with pytest.raises(StoreError, match="not a Coach backup"):
        Store.restore_from(good_backup, data / "coach.sqlite3")
    assert files_of(data) == before


def test_restore_copies_the_rows_into_a_fresh_database_and_keeps_the_old_one(
    data: Path, good_backup: Path
) -> None:
    # Deleted text left in the backup's free pages, and a header field of its own.
    hostile(
        good_backup,
        "PRAGMA secure_delete = OFF",
        "INSERT INTO notes (taken_utc, text) VALUES ('2026-01-01T00:00:00.000000Z',"
        " 'SECRET-' || hex(randomblob(3000)))",
        "DELETE FROM notes",
        "PRAGMA application_id = 1234",
    )
    assert b"SECRET-" in good_backup.read_bytes()
    database = data / "coach.sqlite3"
    kept = Store.restore_from(good_backup, database, clock=Clock())
    assert kept is not None and kept.name.startswith("coach.sqlite3.before-restore-")
    assert raw(kept, "SELECT text FROM notes") == [(b"Knie gut",)]
    restored = database.read_bytes()
    assert b"SECRET-" not in restored
    assert raw(database, "PRAGMA application_id") == [(0,)]
    with contextlib.closing(sqlite3.connect(database)) as conn:
        assert schema_of(conn) == expected_schema(MIGRATIONS)
    with Store.open(database) as store:
        [session] = store.sessions()
        assert session.routine_id == "walking"
        assert len(store.steps(session.id)) == 1
        # Later steps are kept (a trigger would have dropped them).
        store.record_step(session.id, step(1))
        assert len(store.steps(session.id)) == 2


# --------------------------------------------------------------------------
# Damaged databases
# --------------------------------------------------------------------------


def bad_schema_byte(database: Path) -> None:
    """A column name in the schema with the byte 0xFF (not UTF-8)."""
    with contextlib.closing(sqlite3.connect(database, isolation_level=None)) as conn:
        conn.execute("PRAGMA writable_schema = ON")
        conn.execute(
            "UPDATE sqlite_master SET sql = CAST(REPLACE(CAST(sql AS BLOB),"
            " CAST('text TEXT' AS BLOB), X'74657874FF2054455854') AS TEXT) WHERE name = 'notes'"
        )


def bad_measure_byte(database: Path) -> None:
    """The first measure's JSON value gets the byte 0xFF in the middle."""
    with contextlib.closing(sqlite3.connect(database, isolation_level=None)) as conn:
        conn.execute(
            "UPDATE measures SET value = CAST(X'7B226261636BFF223A337D' AS TEXT) WHERE id = 1"
        )


def test_a_schema_byte_that_is_not_utf8_is_a_damaged_file_not_a_crash(
    data: Path, tmp_path: Path
) -> None:
    database = data / "coach.sqlite3"
    bad_schema_byte(database)
    before = files_of(data)
    with pytest.raises(StoreError) as caught:
        Store.open(database)
    assert caught.value.kind is StoreErrorKind.CORRUPT
    with pytest.raises(StoreError), History(database) as history:
        history.rows("SELECT * FROM notes")
    assert main_files(data) == before
    # The backup still works, and copies every page as it is.
    out = tmp_path / "backup.zip"
    backup.write_backup(data, out)
    assert main_files(data) == before
    with zipfile.ZipFile(out) as z:
        copy = z.read("coach.sqlite3")
    assert b"text\xff TEXT" in copy
    assert b"Knie gut" in copy


def test_one_bad_byte_in_a_measure_hides_only_that_measure(data: Path, tmp_path: Path) -> None:
    database = data / "coach.sqlite3"
    bad_measure_byte(database)
    with Store.open(database) as store:
        assert [m.value for m in store.measures()] == [{"back": 4, "leg": 1}]
        assert store.damaged_rows == {"measures": 1}
        # Everything else reads as before.
        assert len(store.sessions()) == 1 and store.notes()[0].text == "Knie gut"
        with History(store) as history:
            assert [m.value["back"] for m in history.measures("pain")] == [4]
            assert len(history.pain_points(T0 - timedelta(days=1), T0 + timedelta(days=1))) == 2
            assert history.damaged_rows == {"measures": 1}
        # The export keeps the row, marked; the backup keeps its bytes.
        done = export.export_json(store, tmp_path / "export.json")
        assert done.damaged == 1
        document = json.loads((tmp_path / "export.json").read_text(encoding="utf-8"))
        assert document["damaged_rows"] == [{"table": "measures", "rowid": 1, "columns": ["value"]}]
        assert len(document["tables"]["measures"]) == 2
        assert export.export_csv(store, tmp_path / "export.zip").damaged == 1
        backup.write_backup(data, tmp_path / "backup.zip", store=store)
    with zipfile.ZipFile(tmp_path / "backup.zip") as z:
        (tmp_path / "copy.sqlite3").write_bytes(z.read("coach.sqlite3"))
    assert raw(tmp_path / "copy.sqlite3", "SELECT value FROM measures WHERE id = 1") == [
        (b'{"back\xff":3}',)
    ]


def live_wal_copy(source: Path, target: Path, *damage: str) -> Path:
    """``target`` with a -wal that holds committed changes (a crash left it, say)."""
    target.mkdir(parents=True)
    with Store.open(source, clock=Clock()) as store:
        fill(store)
        writer = sqlite3.connect(source, isolation_level=None)
        try:
            writer.execute("PRAGMA wal_autocheckpoint = 0")
            for statement in damage:
                writer.execute(statement)
            store.add_note("only in the wal")
            for suffix in ("", "-wal"):
                shutil.copyfile(f"{source}{suffix}", target / f"coach.sqlite3{suffix}")
        finally:
            writer.close()
    assert (target / "coach.sqlite3-wal").stat().st_size > 0
    return target / "coach.sqlite3"


@pytest.mark.parametrize(
    ("damage", "kind"),
    [
        (("PRAGMA user_version = 99",), StoreErrorKind.NEWER),
        (
            (
                "PRAGMA writable_schema = ON",
                "UPDATE sqlite_master SET sql = CAST(CAST(sql AS BLOB) || X'2D2DFF' AS TEXT)"
                " WHERE name = 'notes'",
            ),
            StoreErrorKind.CORRUPT,
        ),
    ],
    ids=["newer", "damaged"],
)
def test_opening_a_refused_database_leaves_it_and_its_wal_unchanged(
    tmp_path: Path, damage: tuple[str, ...], kind: StoreErrorKind
) -> None:
    database = live_wal_copy(tmp_path / "live" / "coach.sqlite3", tmp_path / "copy", *damage)
    before = {n: h for n, h in files_of(database.parent).items() if not n.endswith("-shm")}
    with pytest.raises(StoreError) as caught:
        Store.open(database)
    assert caught.value.kind is kind
    after = {n: h for n, h in files_of(database.parent).items() if not n.endswith("-shm")}
    assert after == before  # the -wal was not merged into the file, nor removed
    # Backup and export still read it, the -wal's rows too, without changing it.
    backup.write_backup(database.parent, tmp_path / "b.zip")
    export.export_json(database, tmp_path / "e.json")
    texts = [r["text"] for r in json.loads((tmp_path / "e.json").read_text())["tables"]["notes"]]
    assert "only in the wal" in texts
    after = {n: h for n, h in files_of(database.parent).items() if not n.endswith("-shm")}
    assert after == before


def test_quarantine_keeps_the_damaged_file_and_starts_a_new_one(data: Path) -> None:
    database = data / "coach.sqlite3"
    bad_schema_byte(database)
    damaged_bytes = database.read_bytes()
    kept = Store.quarantine_and_recreate(database, clock=Clock())
    assert kept.read_bytes() == damaged_bytes
    with Store.open(database) as store:
        assert store.sessions() == []


# --------------------------------------------------------------------------
# Backup, export and delete cover everything the person recorded
# --------------------------------------------------------------------------


def person_files(data: Path) -> None:
    (data / "profile.json").write_text('{"answers": "mine"}', encoding="utf-8")
    (data / "reminders.json").write_text('{"times": ["09:00"]}', encoding="utf-8")
    plan = data / "routines" / "assigned" / "dr-a-1234"
    plan.mkdir(parents=True)
    (plan / "dr-a-1234.daily.yaml").write_text("id: x\n", encoding="utf-8")
    (plan / "picture.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\xff")
    archive = data / "assignments"
    archive.mkdir()
    (archive / "plan.coach").write_bytes(b"PK plan")
    (data / "settings.json").write_text("{}", encoding="utf-8")  # settings: not recorded data


RECORDED = {
    "profile.json",
    "reminders.json",
    "routines/assigned/dr-a-1234/dr-a-1234.daily.yaml",
    "routines/assigned/dr-a-1234/picture.png",
    "assignments/plan.coach",
}


def test_the_names_match_where_the_other_rooms_keep_the_files(tmp_path: Path) -> None:
    from coach.core.clinic.install import archive_folder, assigned_folder
    from coach.core.common.paths import resolve
    from coach.core.reminders.settings_file import settings_path

    paths = resolve(tmp_path)
    assert settings_path(paths.data).name in backup.PERSON_FILES
    assert "profile.json" in backup.PERSON_FILES
    for folder in (assigned_folder(paths), archive_folder(paths)):
        assert folder.relative_to(paths.data).as_posix() in backup.PERSON_FOLDERS
    assert paths.database.name == backup.DATABASE_NAME


def test_backup_and_restore_cover_every_file_of_the_person(data: Path, tmp_path: Path) -> None:
    person_files(data)
    out = tmp_path / "usb" / "backup.zip"
    with Store.open(data / "coach.sqlite3") as store:
        result = backup.write_backup(data, out, store=store)
    assert result.files == len(RECORDED) and not result.as_is
    with zipfile.ZipFile(out) as z:
        names = set(z.namelist())
    assert {"coach-backup.json", "coach.sqlite3"} | {f"files/{n}" for n in RECORDED} == names
    original = {n: (data / n).read_bytes() for n in RECORDED}
    # Later the person changes things, then restores.
    (data / "profile.json").write_text('{"answers": "newer"}', encoding="utf-8")
    (data / "assignments" / "plan.coach").unlink()
    with Store.open(data / "coach.sqlite3") as store:
        store.add_note("after the backup")
    restored = backup.restore_backup(out, data, now=T0)
    assert {n: (data / n).read_bytes() for n in RECORDED} == original
    assert restored.kept_database is not None and restored.kept_files is not None
    assert (restored.kept_files / "profile.json").read_text() == '{"answers": "newer"}'
    assert raw(restored.kept_database, "SELECT text FROM notes ORDER BY id")[-1] == (
        b"after the backup",
    )
    with Store.open(data / "coach.sqlite3") as store:
        assert [n.text for n in store.notes()] == ["Knie gut"]


@pytest.mark.parametrize(
    "member",
    ["files/../evil.json", "files/settings.json", "/etc/passwd", "files/routines/../x", "extra"],
)
def test_a_backup_zip_with_an_unexpected_member_changes_nothing(
    data: Path, tmp_path: Path, member: str
) -> None:
    out = tmp_path / "backup.zip"
    backup.write_backup(data, out)
    with zipfile.ZipFile(out, "a") as z:
        z.writestr(member, b"{}")
    before = files_of(data)
    with pytest.raises(StoreError, match="not a Coach backup"):
        backup.restore_backup(out, data)
    assert files_of(data) == before
    assert not (tmp_path / "evil.json").exists()


def test_export_holds_the_persons_other_files(data: Path, tmp_path: Path) -> None:
    person_files(data)
    done = export.export_json(data / "coach.sqlite3", tmp_path / "e.json")
    assert done.files == len(RECORDED)
    document = json.loads((tmp_path / "e.json").read_text(encoding="utf-8"))
    by_path = {f["path"]: f for f in document["files"]}
    assert set(by_path) == RECORDED
    assert by_path["profile.json"]["text"] == '{"answers": "mine"}'
    assert "base64" in by_path["routines/assigned/dr-a-1234/picture.png"]
    export.export_csv(data / "coach.sqlite3", tmp_path / "e.zip")
    with zipfile.ZipFile(tmp_path / "e.zip") as z:
        assert {f"files/{n}" for n in RECORDED} <= set(z.namelist())


def test_delete_everything_moves_the_persons_files_aside(data: Path) -> None:
    person_files(data)
    with Store.open(data / "coach.sqlite3") as store:
        deleted = export.delete_everything(store, now=T0)
        assert store.sessions() == []
    assert deleted.files_folder == data / "before-delete-20260301T080000Z"
    for name in RECORDED:
        assert not (data / name).exists()
        assert (deleted.files_folder / name).is_file()
    assert (data / "settings.json").exists()


def test_delete_is_refused_while_another_coach_has_the_file_open(data: Path) -> None:
    database = data / "coach.sqlite3"
    with Store.open(database) as running:
        sid = running.start_session("daily-relief", "Daily relief")
        running.record_step(sid, step(0))
        with pytest.raises(StoreError) as caught:
            export.check_not_in_use(database)
        assert caught.value.kind is StoreErrorKind.LOCKED
        assert len(running.steps(sid)) == 1


@pytest.fixture(autouse=True)
def _no_leftovers(tmp_path: Path) -> Iterator[None]:
    yield
    leftovers = [p for p in tmp_path.rglob(".backup-*")] + list(tmp_path.rglob(".restore-*"))
    assert leftovers == []
