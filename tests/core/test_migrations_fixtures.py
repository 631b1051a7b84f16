"""Databases of every earlier schema version open with today's code and keep their data.

The fixtures in tests/fixtures/ are written once by make_store_fixtures.py
with the code of their version and never regenerated (see that script).
"""

from __future__ import annotations

import contextlib
import re
import shutil
import sqlite3
import sys
from datetime import UTC, date
from pathlib import Path

import pytest

from coach.core.progress import stats
from coach.core.progress.history import History
from coach.core.progress.store import Store
from coach.core.progress.store_file import MIGRATIONS
from coach.core.progress.store_rows import MeasureKind, SessionOutcome

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
sys.path.insert(0, str(FIXTURES))

from make_store_fixtures import FIXTURES as MAKERS  # noqa: E402
from make_store_fixtures import V1_ROWS  # noqa: E402

VERSIONS = sorted(
    int(m.group(1))
    for p in FIXTURES.glob("store-v*.sqlite3")
    if (m := re.fullmatch(r"store-v(\d+)\.sqlite3", p.name))
)


def test_there_is_a_fixture_for_every_earlier_version() -> None:
    assert list(range(1, len(MIGRATIONS) + 1)) == VERSIONS
    assert sorted(MAKERS) == VERSIONS


def _copy(version: int, tmp_path: Path) -> Path:
    target = tmp_path / "data" / "coach.sqlite3"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(FIXTURES / f"store-v{version}.sqlite3", target)
    return target


def _user_version(path: Path) -> int:
    with contextlib.closing(sqlite3.connect(path)) as conn:
        return int(conn.execute("PRAGMA user_version").fetchone()[0])


@pytest.mark.parametrize("version", VERSIONS)
def test_an_old_database_opens_migrated_with_its_data(version: int, tmp_path: Path) -> None:
    db = _copy(version, tmp_path)
    assert _user_version(db) == version
    with Store.open(db) as store:
        assert store.schema_version == len(MIGRATIONS)
        first, second = store.sessions()
        assert first.routine_title.get("de") == "Tägliche Entlastung"
        assert (first.pain_before_back, first.pain_after_leg) == (4, 5)
        assert second.outcome is SessionOutcome.STOPPED
        assert second.stop_reason == "pain_spreading_leg"
        assert [s.phase for s in store.steps(first.id)] == ["get_ready", "hold"]
        assert store.steps(second.id)[0].symptoms_at_s == 180.25
        assert store.latest_walking_test_s() == 240
        assert store.measures(MeasureKind.PSFS)[0].value == {
            "scores": {"Einkaufen": 3, "Kochen": 5}
        }
        assert store.notes(second.id)[0].text == "Wade zog nach 3 Minuten"
        assert store.activities()[0].minutes == 30.0
        assert store.checks_on(date(2025, 11, 3))[0].exercise_allowed
        assert store.get_json("psfs_activities") == ["Einkaufen", "Kochen"]
        # The statistics read it too.
        with History(store) as history:
            assert stats.walking_trend(history)[0].distance_m == 310
            assert stats.pain_trend(history, date(2025, 11, 1), date(2025, 11, 6), tz=UTC)
        # And it takes new data.
        sid = store.start_session("daily-relief", "Daily relief")
        assert sid == 3
    with contextlib.closing(sqlite3.connect(db)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("SELECT COUNT(*) FROM step_results").fetchone() == (
            len(V1_ROWS["step_results"]),
        )
    backups = sorted(p.name for p in db.parent.glob("coach.sqlite3.bak-v*"))
    if version < len(MIGRATIONS):
        # A migration ran: the old file was copied aside first, untouched.
        assert len(backups) == 1 and backups[0].startswith(f"coach.sqlite3.bak-v{version}-")
        assert _user_version(db.parent / backups[0]) == version
    else:
        assert backups == []


def test_the_fixture_script_writes_what_is_committed(tmp_path: Path) -> None:
    """Regenerating v1 gives the same rows (the committed file is not hand-edited)."""
    fresh = tmp_path / "fresh.sqlite3"
    MAKERS[1](fresh)
    committed = FIXTURES / "store-v1.sqlite3"

    def dump(path: Path) -> list[str]:
        uri = f"{path.resolve().as_uri()}?mode=ro"
        with contextlib.closing(sqlite3.connect(uri, uri=True)) as conn:
            return list(conn.iterdump())

    assert dump(fresh) == dump(committed)


def _v2_for_the_test(conn: sqlite3.Connection) -> None:
    conn.execute("ALTER TABLE sessions ADD COLUMN place TEXT")


def test_the_v1_fixture_survives_a_next_migration(tmp_path: Path) -> None:
    """What a real v2 will do: migrate the old file, keep every row, back up first."""
    db = _copy(1, tmp_path)
    migrations = (*MIGRATIONS[:1], _v2_for_the_test)
    with Store.open(db, migrations=migrations) as store:
        assert store.schema_version == 2
        assert [s.routine_id for s in store.sessions()] == ["daily-relief", "walking"]
    with contextlib.closing(sqlite3.connect(db)) as conn:
        assert conn.execute("SELECT place FROM sessions").fetchall() == [(None,), (None,)]
    [backup] = db.parent.glob("coach.sqlite3.bak-v1-*")
    assert _user_version(backup) == 1
