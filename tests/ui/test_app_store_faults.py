"""The app keeps running when its database cannot be used, and says why."""

from __future__ import annotations

import hashlib
import sqlite3

from coach.app import open_store
from coach.core.common.paths import Paths


def _digest(path) -> str:  # type: ignore[no-untyped-def]
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_corrupt_database_is_reported_and_left_alone(paths: Paths) -> None:
    paths.ensure_data_dir()
    paths.database.write_bytes(b"this is not a database" * 100)
    before = _digest(paths.database)
    store, message = open_store(paths)
    assert store is None
    assert message and "not be saved" in message
    assert _digest(paths.database) == before


def test_database_from_a_newer_coach_is_refused(paths: Paths) -> None:
    paths.ensure_data_dir()
    with sqlite3.connect(paths.database) as db:
        db.execute("PRAGMA user_version = 99")
    before = _digest(paths.database)
    store, message = open_store(paths)
    assert store is None
    assert message and "newer" in message.lower()
    assert _digest(paths.database) == before


def test_healthy_database_opens(paths: Paths) -> None:
    store, message = open_store(paths)
    assert message is None and store is not None
    assert oct(paths.database.stat().st_mode & 0o777) == "0o600"
    store.close()
