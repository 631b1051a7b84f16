"""The progress store on real SQLite files: durability, migrations, faults, backups."""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from coach.core.content.model import Side, Text
from coach.core.progress.store import Store
from coach.core.progress.store_errors import StoreError, StoreErrorKind
from coach.core.progress.store_file import MIGRATIONS
from coach.core.progress.store_rows import MeasureKind, SessionOutcome
from coach.core.session.check import Outcome as CheckOutcome
from coach.core.session.check import evaluate
from coach.core.session.plan import Phase, Step
from coach.core.session.runner import Outcome, StepResult

T0 = datetime(2025, 3, 1, 9, 30, 15, 250000, tzinfo=UTC)
STAMP0 = "20250301T093015Z"

posix_only = pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")


class FakeClock:
    def __init__(self, now: datetime = T0) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def db(data_dir: Path) -> Path:
    return data_dir / "coach.sqlite3"


@pytest.fixture
def store(db: Path, clock: FakeClock) -> Iterator[Store]:
    with Store.open(db, clock=clock) as opened:
        yield opened


def result(
    index: int,
    phase: Phase = Phase.HOLD,
    *,
    seconds: float = 5.0,
    done: float = 5.0,
    outcome: Outcome = Outcome.COMPLETED,
    side: Side | None = None,
    symptoms_at_s: float | None = None,
) -> StepResult:
    step = Step(
        index=index,
        phase=phase,
        seconds=seconds,
        exercise_id="T1",
        item_index=0,
        instruction=Text.of("Hold"),
        side=side,
        set_no=1,
        rep_no=index + 1,
    )
    return StepResult(step, done, outcome, symptoms_at_s)


def raw(path: Path, sql: str, params: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    """Read with a second, independent connection: what is really on disk."""
    with contextlib.closing(sqlite3.connect(path)) as conn:
        return [tuple(row) for row in conn.execute(sql, params).fetchall()]


def make_v1_with_data(db: Path, clock: FakeClock) -> int:
    with Store.open(db, clock=clock) as store:
        session_id = store.start_session("daily", "Daily relief", pain_before_back=3)
        store.record_step(session_id, result(0))
        store.set_json("psfs_activities", ["walking to the shop"])
    return session_id


def add_minutes_column(conn: sqlite3.Connection) -> None:
    conn.execute("ALTER TABLE sessions ADD COLUMN minutes REAL")


# --------------------------------------------------------------------------
# Creating, reopening, the file itself
# --------------------------------------------------------------------------


def test_create_and_reopen_keeps_everything(db: Path, clock: FakeClock) -> None:
    with Store.open(db, clock=clock) as store:
        sid = store.start_session(
            "daily",
            Text.of("Daily relief", "Tägliche Entlastung"),
            pain_before_back=3,
            pain_before_leg=4,
            routine_hash="abc123",
            planned_total_s=600,
        )
        clock.advance(12)
        store.record_step(sid, result(0, side=Side.LEFT))
        clock.advance(30)
        store.record_step(sid, result(1, Phase.WALK, seconds=60, done=42.5, symptoms_at_s=30.25))
        clock.advance(1)
        store.end_session(sid, SessionOutcome.STOPPED, stop_reason="sharp_pain", stop_note="ow")
        store.set_pain_after(sid, back=5, leg=4)
        store.add_measure(MeasureKind.CHAIR_STAND, {"count": 11})
        store.add_note("Felt stiff in the morning", session_id=sid)
        store.add_activity("swimming", 30, feeling="better", note="backstroke")
        store.set_json("health_profile", {"country": "DE", "diabetes": False})

    with Store.open(db, clock=clock) as store:
        [session] = store.sessions()
        assert session.to_json_dict() == {
            "id": sid,
            "routine_id": "daily",
            "routine_title": {"en": "Daily relief", "de": "Tägliche Entlastung"},
            "routine_hash": "abc123",
            "planned_total_s": 600.0,
            "started_utc": "2025-03-01T09:30:15.250000Z",
            "ended_utc": "2025-03-01T09:30:58.250000Z",
            "outcome": "stopped",
            "stop_reason": "sharp_pain",
            "stop_note": "ow",
            "pain_before_back": 3,
            "pain_before_leg": 4,
            "pain_after_back": 5,
            "pain_after_leg": 4,
        }
        assert session.routine_title.get("de") == "Tägliche Entlastung"
        assert session.started_utc == T0
        first, second = store.steps(sid)
        assert (first.step_index, first.phase, first.side, first.outcome) == (
            0,
            "hold",
            "left",
            "completed",
        )
        assert first.recorded_utc == T0 + timedelta(seconds=12)
        assert second.to_json_dict() | {"id": 0} == {
            "id": 0,
            "session_id": sid,
            "step_index": 1,
            "item_index": 0,
            "exercise_id": "T1",
            "phase": "walk",
            "side": None,
            "set_no": 1,
            "rep_no": 2,
            "planned_s": 60.0,
            "done_s": 42.5,
            "outcome": "completed",
            "symptoms_at_s": 30.25,
            "recorded_utc": "2025-03-01T09:30:57.250000Z",
        }
        [measure] = store.measures()
        assert (measure.kind, measure.value) == ("chair_stand", {"count": 11})
        [note] = store.notes(sid)
        assert (note.text, note.session_id) == ("Felt stiff in the morning", sid)
        [activity] = store.activities()
        assert (activity.kind, activity.minutes, activity.feeling, activity.note) == (
            "swimming",
            30.0,
            "better",
            "backstroke",
        )
        assert store.get_json("health_profile") == {"country": "DE", "diabetes": False}
        assert store.get_json("missing", default=[]) == []
        assert store.schema_version == len(MIGRATIONS) == 2


def test_database_is_in_wal_mode_with_foreign_keys(store: Store, db: Path) -> None:
    assert raw(db, "PRAGMA journal_mode") == [("wal",)]
    assert raw(db, "PRAGMA user_version") == [(2,)]
    with pytest.raises(ValueError, match="no session 99"):
        store.record_step(99, result(0))
    assert raw(db, "SELECT COUNT(*) FROM step_results") == [(0,)]


@posix_only
def test_folder_and_files_are_owner_only(store: Store, db: Path) -> None:
    store.start_session("daily", "Daily")  # makes SQLite create its -wal and -shm files
    assert db.parent.stat().st_mode & 0o777 == 0o700
    for name in ("coach.sqlite3", "coach.sqlite3-wal", "coach.sqlite3-shm"):
        assert (db.parent / name).stat().st_mode & 0o777 == 0o600, name


@posix_only
def test_an_existing_readable_file_is_made_owner_only(db: Path, clock: FakeClock) -> None:
    make_v1_with_data(db, clock)
    db.chmod(0o644)
    Store.open(db, clock=clock).close()
    assert db.stat().st_mode & 0o777 == 0o600


def test_timestamps_must_be_aware(db: Path) -> None:
    with Store.open(db, clock=lambda: datetime(2025, 1, 1)) as store:
        with pytest.raises(ValueError, match="timezone-aware"):
            store.start_session("daily", "Daily")
        assert store.sessions() == []


def test_bad_values_are_refused_before_writing(store: Store, db: Path) -> None:
    with pytest.raises(ValueError, match="pain_before_leg"):
        store.start_session("daily", "Daily", pain_before_leg=11)
    with pytest.raises(ValueError, match="pain_before_back"):
        store.start_session("daily", "Daily", pain_before_back=True)
    with pytest.raises(ValueError, match="JSON"):
        store.set_json("k", {"when": datetime.now(UTC)})
    with pytest.raises(ValueError, match="JSON"):
        store.add_measure(MeasureKind.PAIN, {"back": float("nan")})
    with pytest.raises(ValueError, match="no session 5"):
        store.end_session(5, SessionOutcome.COMPLETED)
    with pytest.raises(ValueError, match="in progress"):
        store.end_session(5, SessionOutcome.IN_PROGRESS)
    assert raw(db, "SELECT COUNT(*) FROM sessions") == [(0,)]
    assert raw(db, "SELECT COUNT(*) FROM kv") == [(0,)]
    assert raw(db, "SELECT COUNT(*) FROM measures") == [(0,)]


# --------------------------------------------------------------------------
# Durability
# --------------------------------------------------------------------------


def test_each_step_is_committed_before_the_session_ends(store: Store, db: Path) -> None:
    sid = store.start_session("daily", "Daily")
    store.record_step(sid, result(0))
    assert raw(db, "SELECT session_id, step_index, done_s FROM step_results") == [(sid, 0, 5.0)]
    store.record_step(sid, result(1, done=2.5, outcome=Outcome.SKIPPED))
    assert raw(db, "SELECT step_index, outcome FROM step_results ORDER BY id") == [
        (0, "completed"),
        (1, "skipped"),
    ]
    assert raw(db, "SELECT outcome FROM sessions") == [("in_progress",)]


_KILLED_WRITER = """
import os, signal, sys
from pathlib import Path
from coach.core.content.model import Text
from coach.core.session.plan import Phase, Step
from coach.core.session.runner import Outcome, StepResult
from coach.core.progress.store import Store

store = Store.open(Path(sys.argv[1]))
sid = store.start_session("walk", "Walking program", pain_before_back=2, pain_before_leg=3)
for i in range(3):
    step = Step(i, Phase.WALK, 60.0, "A3", 0, Text.of("Walk"), rep_no=i + 1, reps=3)
    store.record_step(sid, StepResult(step, 60.0, Outcome.COMPLETED, 40.0 + i))
# Die the hard way: no close, no checkpoint, no atexit.
os.kill(os.getpid(), getattr(signal, "SIGKILL", signal.SIGTERM))
os._exit(1)
"""


def test_a_killed_process_keeps_its_finished_steps(db: Path, repo: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(repo)}
    done = subprocess.run(
        [sys.executable, "-c", _KILLED_WRITER, str(db)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode != 0, done.stderr
    assert "Traceback" not in done.stderr, done.stderr
    # The steps live in the -wal only: nothing was checkpointed.
    assert Path(f"{db}-wal").stat().st_size > 0

    with Store.open(db) as store:
        [session] = store.sessions()
        assert session.outcome is SessionOutcome.IN_PROGRESS
        assert store.mark_abandoned_sessions() == 1
        assert store.mark_abandoned_sessions() == 0
        [session] = store.sessions()
        steps = store.steps(session.id)
        assert session.outcome is SessionOutcome.ABANDONED
        assert session.ended_utc == steps[-1].recorded_utc
        assert (session.pain_before_back, session.pain_before_leg) == (2, 3)
        assert [(s.step_index, s.phase, s.rep_no, s.symptoms_at_s) for s in steps] == [
            (0, "walk", 1, 40.0),
            (1, "walk", 2, 41.0),
            (2, "walk", 3, 42.0),
        ]


def test_abandoned_session_without_steps_ends_at_its_start(store: Store, clock: FakeClock) -> None:
    sid = store.start_session("daily", "Daily")
    done = store.start_session("daily", "Daily")
    store.end_session(done, SessionOutcome.COMPLETED)
    clock.advance(3600)
    assert store.mark_abandoned_sessions() == 1
    assert store.session(sid).ended_utc == T0
    assert store.session(done).outcome is SessionOutcome.COMPLETED


def test_a_full_disk_commits_nothing(store: Store, db: Path) -> None:
    sid = store.start_session("daily", "Daily")
    # SQLite reports a database that may not grow as SQLITE_FULL, exactly
    # like a full disk. The limit is per connection, so set it on the store's.
    conn = store._live()
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.execute(f"PRAGMA max_page_count = {pages}")
    with pytest.raises(StoreError) as caught:
        store.add_note("x" * 200_000, session_id=sid)
    assert caught.value.kind is StoreErrorKind.FULL
    assert "disk is full" in caught.value.message
    assert raw(db, "SELECT COUNT(*) FROM notes") == [(0,)]
    store.record_step(sid, result(0))  # the store goes on working for small writes
    assert raw(db, "SELECT COUNT(*) FROM step_results") == [(1,)]


# --------------------------------------------------------------------------
# Migrations and versions
# --------------------------------------------------------------------------


def test_migration_backs_up_first_and_keeps_the_data(db: Path, clock: FakeClock) -> None:
    sid = make_v1_with_data(db, clock)

    with Store.open(db, clock=clock, migrations=(*MIGRATIONS, add_minutes_column)) as store:
        assert store.schema_version == len(MIGRATIONS) + 1
        assert [s.id for s in store.sessions()] == [sid]
        assert len(store.steps(sid)) == 1
        assert store.get_json("psfs_activities") == ["walking to the shop"]

    backup = db.with_name(f"coach.sqlite3.bak-v{len(MIGRATIONS)}-{STAMP0}")
    assert sorted(p.name for p in db.parent.iterdir()) == ["coach.sqlite3", backup.name]
    assert raw(backup, "PRAGMA user_version") == [(len(MIGRATIONS),)]
    assert raw(backup, "SELECT id, routine_id FROM sessions") == [(sid, "daily")]
    assert raw(db, "SELECT id, minutes FROM sessions") == [(sid, None)]
    if os.name == "posix":
        assert backup.stat().st_mode & 0o777 == 0o600


def test_a_failing_migration_changes_nothing(db: Path, clock: FakeClock) -> None:
    sid = make_v1_with_data(db, clock)

    def half_done(conn: sqlite3.Connection) -> None:
        add_minutes_column(conn)
        conn.execute("UPDATE sessions SET routine_id = 'mangled'")
        raise RuntimeError("bug in migration")

    with pytest.raises(RuntimeError, match="bug in migration"):
        Store.open(db, clock=clock, migrations=(*MIGRATIONS, half_done))

    assert raw(db, "PRAGMA user_version") == [(len(MIGRATIONS),)]
    assert raw(db, "SELECT id, routine_id FROM sessions") == [(sid, "daily")]
    assert "minutes" not in [row[1] for row in raw(db, "PRAGMA table_info(sessions)")]
    with Store.open(db, clock=clock) as store:
        assert [s.routine_id for s in store.sessions()] == ["daily"]


def test_a_new_database_needs_no_backup(db: Path, clock: FakeClock) -> None:
    Store.open(db, clock=clock).close()
    assert sorted(p.name for p in db.parent.iterdir()) == ["coach.sqlite3"]


def test_a_newer_database_is_refused_untouched(db: Path) -> None:
    db.parent.mkdir(parents=True)
    with contextlib.closing(sqlite3.connect(db)) as conn:
        conn.execute("CREATE TABLE sessions (id INTEGER PRIMARY KEY, future TEXT)")
        conn.execute("INSERT INTO sessions VALUES (1, 'from the future')")
        conn.execute("PRAGMA user_version = 7")
        conn.commit()
    before = db.read_bytes()

    with pytest.raises(StoreError) as caught:
        Store.open(db)

    assert caught.value.kind is StoreErrorKind.NEWER
    assert "newer version of Coach" in caught.value.message
    assert db.read_bytes() == before
    assert sorted(p.name for p in db.parent.iterdir()) == ["coach.sqlite3"]


# --------------------------------------------------------------------------
# Damaged files
# --------------------------------------------------------------------------


def _garbage(db: Path, clock: FakeClock) -> None:
    db.parent.mkdir(parents=True, exist_ok=True)
    db.write_bytes(b"This is not a database, it is a shopping list.\n" * 300)


def _truncated(db: Path, clock: FakeClock) -> None:
    make_v1_with_data(db, clock)
    data = db.read_bytes()
    db.write_bytes(data[: len(data) // 2])


def _damaged_page(db: Path, clock: FakeClock) -> None:
    """A readable header but a table page overwritten: only quick_check notices."""
    with Store.open(db, clock=clock) as store:
        for i in range(300):
            store.add_note(f"note number {i} " * 10)
    page_size = raw(db, "PRAGMA page_size")[0][0]
    assert isinstance(page_size, int)
    data = bytearray(db.read_bytes())
    last_page = len(data) - page_size
    data[last_page : last_page + page_size] = b"\xa5" * page_size
    db.write_bytes(bytes(data))


@pytest.mark.parametrize("damage", [_garbage, _truncated, _damaged_page])
def test_a_damaged_file_is_refused_untouched(
    db: Path, clock: FakeClock, damage: Callable[[Path, FakeClock], None]
) -> None:
    damage(db, clock)
    before = db.read_bytes()
    names = sorted(p.name for p in db.parent.iterdir())

    with pytest.raises(StoreError) as caught:
        Store.open(db, clock=clock)

    assert caught.value.kind is StoreErrorKind.CORRUPT
    assert "damaged" in caught.value.message
    assert db.read_bytes() == before
    assert sorted(p.name for p in db.parent.iterdir()) == names


def test_quarantine_keeps_the_damaged_file_and_starts_afresh(db: Path, clock: FakeClock) -> None:
    _garbage(db, clock)
    damaged_bytes = db.read_bytes()

    moved = Store.quarantine_and_recreate(db, clock=clock)

    assert moved == db.with_name(f"coach.sqlite3.damaged-{STAMP0}")
    assert moved.read_bytes() == damaged_bytes
    with Store.open(db, clock=clock) as store:
        assert store.sessions() == []
        assert store.schema_version == len(MIGRATIONS)
    # A second quarantine in the same second does not overwrite the first.
    _garbage(db, clock)
    again = Store.quarantine_and_recreate(db, clock=clock)
    assert again == db.with_name(f"coach.sqlite3.damaged-{STAMP0}-2")
    assert moved.read_bytes() == damaged_bytes


# --------------------------------------------------------------------------
# Locks and permissions
# --------------------------------------------------------------------------


def test_a_locked_database_gives_locked_after_the_busy_timeout(db: Path, clock: FakeClock) -> None:
    make_v1_with_data(db, clock)
    with (
        Store.open(db, clock=clock, busy_timeout_s=0.2) as store,
        contextlib.closing(sqlite3.connect(db, isolation_level=None)) as other,
    ):
        other.execute("BEGIN EXCLUSIVE")
        started = time.monotonic()
        with pytest.raises(StoreError) as caught:
            store.start_session("daily", "Daily")
        waited = time.monotonic() - started
        assert caught.value.kind is StoreErrorKind.LOCKED
        assert "in use by another program" in caught.value.message
        assert 0.15 <= waited < 1.5
        assert len(store.sessions()) == 1  # reading still works under WAL
        other.execute("ROLLBACK")
        store.start_session("daily", "Daily")  # and writing once the lock is gone
        assert len(store.sessions()) == 2


@pytest.fixture
def make_read_only() -> Iterator[Callable[[Path], None]]:
    """Make a file read-only even for root, who ignores permission bits."""
    immutable: list[Path] = []

    def make(path: Path) -> None:
        path.chmod(0o444)
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            chattr = shutil.which("chattr")
            if chattr is None or subprocess.run([chattr, "+i", str(path)]).returncode != 0:
                pytest.skip("running as root, and the file cannot be made immutable")
            immutable.append(path)

    yield make
    for path in immutable:
        subprocess.run(["chattr", "-i", str(path)], check=False)


def test_a_read_only_file_reads_but_refuses_writes(
    db: Path, clock: FakeClock, make_read_only: Callable[[Path], None]
) -> None:
    sid = make_v1_with_data(db, clock)
    make_read_only(db)
    with Store.open(db, clock=clock) as store:
        assert [s.id for s in store.sessions()] == [sid]
        with pytest.raises(StoreError) as caught:
            store.record_step(sid, result(1))
        assert caught.value.kind is StoreErrorKind.READ_ONLY
        assert "read-only" in caught.value.message
        assert len(store.steps(sid)) == 1


# --------------------------------------------------------------------------
# Backup and restore
# --------------------------------------------------------------------------


def test_backup_and_restore_round_trip(db: Path, clock: FakeClock, tmp_path: Path) -> None:
    backup = tmp_path / "usb" / "coach-backup.sqlite3"
    with Store.open(db, clock=clock) as store:
        kept_sid = store.start_session("daily", "Daily")
        store.backup_to(backup)
        later_sid = store.start_session("strength", "Strength")
    if os.name == "posix":
        assert backup.stat().st_mode & 0o777 == 0o600
    assert sorted(p.name for p in backup.parent.iterdir()) == ["coach-backup.sqlite3"]

    kept = Store.restore_from(backup, db, clock=clock)

    assert kept == db.with_name(f"coach.sqlite3.before-restore-{STAMP0}")
    with Store.open(db, clock=clock) as store:
        assert [s.id for s in store.sessions()] == [kept_sid]
    assert raw(kept, "SELECT id FROM sessions ORDER BY id") == [(kept_sid,), (later_sid,)]
    assert backup.exists()  # restoring never consumes the backup


def test_restore_keeps_data_still_in_the_wal(
    db: Path, clock: FakeClock, tmp_path: Path, repo: Path
) -> None:
    backup = tmp_path / "backup.sqlite3"
    make_v1_with_data(db, clock)
    with Store.open(db, clock=clock) as store:
        store.backup_to(backup)
    # A crashed Coach leaves its last writes in the -wal only.
    env = {**os.environ, "PYTHONPATH": str(repo)}
    subprocess.run([sys.executable, "-c", _KILLED_WRITER, str(db)], env=env, timeout=60)
    assert Path(f"{db}-wal").stat().st_size > 0

    kept = Store.restore_from(backup, db, clock=clock)

    assert kept is not None
    assert raw(kept, "SELECT routine_id FROM sessions ORDER BY id") == [("daily",), ("walk",)]
    assert raw(kept, "SELECT COUNT(*) FROM step_results") == [(4,)]
    assert not Path(f"{db}-wal").exists()
    with Store.open(db, clock=clock) as store:
        assert [s.routine_id for s in store.sessions()] == ["daily"]


def _garbage_backup(path: Path) -> None:
    path.write_bytes(b"\x00garbage" * 1000)


def _newer_backup(path: Path) -> None:
    with contextlib.closing(sqlite3.connect(path)) as conn:
        conn.execute("CREATE TABLE sessions (id INTEGER PRIMARY KEY)")
        conn.execute("PRAGMA user_version = 9")
        conn.commit()


def _foreign_backup(path: Path) -> None:
    with contextlib.closing(sqlite3.connect(path)) as conn:
        conn.execute("CREATE TABLE recipes (id INTEGER PRIMARY KEY)")
        conn.execute("PRAGMA user_version = 1")
        conn.commit()


@pytest.mark.parametrize(
    ("make_backup", "kind"),
    [
        (_garbage_backup, StoreErrorKind.CORRUPT),
        (_newer_backup, StoreErrorKind.NEWER),
        (_foreign_backup, StoreErrorKind.CORRUPT),
    ],
)
def test_a_bad_backup_changes_nothing(
    db: Path,
    clock: FakeClock,
    tmp_path: Path,
    make_backup: Callable[[Path], None],
    kind: StoreErrorKind,
) -> None:
    make_v1_with_data(db, clock)
    before = db.read_bytes()
    names = sorted(p.name for p in db.parent.iterdir())
    backup = tmp_path / "bad-backup.sqlite3"
    make_backup(backup)
    backup_bytes = backup.read_bytes()

    with pytest.raises(StoreError) as caught:
        Store.restore_from(backup, db, clock=clock)

    assert caught.value.kind is kind
    assert "Nothing was changed" in caught.value.message
    assert db.read_bytes() == before
    assert sorted(p.name for p in db.parent.iterdir()) == names
    assert backup.read_bytes() == backup_bytes
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad-backup.sqlite3", "data"]


def test_restore_refuses_while_the_database_is_open(
    db: Path, clock: FakeClock, tmp_path: Path
) -> None:
    backup = tmp_path / "backup.sqlite3"
    with Store.open(db, clock=clock, busy_timeout_s=0.1) as store:
        sid = store.start_session("daily", "Daily")
        store.backup_to(backup)
        store.end_session(sid, SessionOutcome.COMPLETED)
        with pytest.raises(StoreError) as caught:
            Store.restore_from(backup, db, clock=clock, busy_timeout_s=0.1)
        assert caught.value.kind is StoreErrorKind.LOCKED
        assert store.session(sid).outcome is SessionOutcome.COMPLETED
    assert not list(db.parent.glob("*before-restore*"))


def test_an_old_backup_is_migrated_when_opened(db: Path, clock: FakeClock, tmp_path: Path) -> None:
    backup = tmp_path / "v1.sqlite3"
    make_v1_with_data(tmp_path / "old" / "coach.sqlite3", clock)
    with Store.open(tmp_path / "old" / "coach.sqlite3", clock=clock) as old:
        old.backup_to(backup)
    v2 = (*MIGRATIONS, add_minutes_column)
    Store.open(db, clock=clock, migrations=v2).close()

    Store.restore_from(backup, db, clock=clock, migrations=v2)

    with Store.open(db, clock=clock, migrations=v2) as store:
        assert store.schema_version == len(MIGRATIONS) + 1
        assert [s.routine_id for s in store.sessions()] == ["daily"]
    assert db.with_name(f"coach.sqlite3.bak-v{len(MIGRATIONS)}-{STAMP0}").exists()


# --------------------------------------------------------------------------
# Queries
# --------------------------------------------------------------------------


def test_sessions_between_two_times(store: Store, clock: FakeClock) -> None:
    ids = []
    for _ in range(3):
        ids.append(store.start_session("daily", "Daily"))
        clock.advance(86400)
    day = timedelta(days=1)
    assert [s.id for s in store.sessions(since=T0 + day)] == ids[1:]
    assert [s.id for s in store.sessions(until=T0 + day)] == ids[:1]
    assert [s.id for s in store.sessions(since=T0 + day, until=T0 + 2 * day)] == ids[1:2]


def test_latest_walking_test(store: Store, clock: FakeClock) -> None:
    assert store.latest_walking_test_s() is None
    store.add_measure(MeasureKind.WALKING_TEST, {"first_symptoms_s": 300, "total_s": 600})
    assert store.latest_walking_test_s() == 300.0
    # Entered later but taken earlier: the newest *taken* test counts.
    store.add_measure(
        MeasureKind.WALKING_TEST, {"first_symptoms_s": 120}, taken=T0 - timedelta(days=7)
    )
    assert store.latest_walking_test_s() == 300.0
    clock.advance(3600)
    store.add_measure(MeasureKind.WALKING_TEST, {"first_symptoms_s": None, "total_s": 1800})
    assert store.latest_walking_test_s() == 1800.0
    with pytest.raises(ValueError, match="first_symptoms_s"):
        store.add_measure(MeasureKind.WALKING_TEST, {"first_symptoms_s": -5})
    with pytest.raises(ValueError, match="needs"):
        store.add_measure(MeasureKind.WALKING_TEST, {"distance_m": 400})
    assert [m.value.get("total_s") for m in store.measures(MeasureKind.WALKING_TEST)] == [
        None,
        600,
        1800,
    ]
    assert store.measures(MeasureKind.PSFS) == []


def test_checks_are_kept_per_local_day(store: Store, clock: FakeClock) -> None:
    today = date(2025, 3, 1)
    store.record_check(evaluate({}, on=today))
    clock.advance(60)
    store.record_check(evaluate({"fever": True}, on=today))
    store.record_check(evaluate({}, on=date(2025, 3, 2)))

    first, second = store.checks_on(today)
    assert (first.outcome, first.flagged, first.exercise_allowed) == (CheckOutcome.OK, (), True)
    assert (second.outcome, second.flagged, second.exercise_allowed) == (
        CheckOutcome.SEE_DOCTOR,
        ("fever",),
        False,
    )
    assert second.taken_utc == T0 + timedelta(seconds=60)
    assert second.to_json_dict()["checked_on"] == "2025-03-01"
    assert [c.outcome for c in store.checks_on(date(2025, 3, 2))] == [CheckOutcome.OK]
    assert store.checks_on(date(2025, 2, 28)) == []


def test_set_json_overwrites(store: Store) -> None:
    store.set_json("psfs_activities", ["walking"])
    store.set_json("psfs_activities", ["walking", "gardening"])
    assert store.get_json("psfs_activities") == ["walking", "gardening"]


def test_a_closed_store_says_so(db: Path) -> None:
    store = Store.open(db)
    store.close()
    store.close()  # closing twice is harmless
    with pytest.raises(RuntimeError, match="closed"):
        store.sessions()


def test_sqlite_statistics_do_not_make_the_file_damaged(tmp_path: Path) -> None:
    path = tmp_path / "coach.sqlite3"
    with Store.open(path) as store:
        sid = store.start_session("daily-relief", "Daily relief")
        store.end_session(sid, SessionOutcome.COMPLETED)
    # A sqlite3 shell's ANALYZE (or PRAGMA optimize) adds sqlite_stat1/sqlite_stat4.
    with contextlib.closing(sqlite3.connect(path)) as conn:
        conn.execute("ANALYZE")
        conn.commit()
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    assert "sqlite_stat1" in names
    with Store.open(path) as store:
        assert [s.id for s in store.sessions()] == [sid]
    # A table of anyone else still makes it "not Coach's".
    with contextlib.closing(sqlite3.connect(path)) as conn:
        conn.execute("CREATE TABLE stat_notes (x)")
        conn.commit()
    with pytest.raises(StoreError) as refused:
        Store.open(path)
    assert refused.value.kind is StoreErrorKind.CORRUPT
