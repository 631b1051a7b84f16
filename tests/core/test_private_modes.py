"""Every folder Coach creates is 0700 and every file 0600, whatever the umask.

Real folders under a tmp path with the umask set by the test: 0o022 (the
usual one, where folders used to come out 0755) and 0o000 (where they used to
come out 0777).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from coach.core.common.atomic import write_text_atomic
from coach.core.common.paths import resolve
from coach.core.common.settings import Preferences, save_preferences
from coach.core.progress.store import Store

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX modes")


@pytest.fixture(params=[0o022, 0o000], ids=["umask-022", "umask-000"])
def umask(request: pytest.FixtureRequest) -> Iterator[int]:
    old = os.umask(request.param)
    try:
        yield request.param
    finally:
        os.umask(old)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_data_folder_and_the_folders_above_it_are_private(tmp_path: Path, umask: int) -> None:
    paths = resolve(tmp_path / "share" / "people" / "data")
    paths.ensure_data_dir()
    for folder in (tmp_path / "share", tmp_path / "share" / "people", paths.data):
        assert oct(_mode(folder)) == "0o700", folder


def test_an_existing_open_data_folder_is_tightened(tmp_path: Path, umask: int) -> None:
    data = tmp_path / "data"
    data.mkdir()
    data.chmod(0o755)
    resolve(data).ensure_data_dir()
    assert oct(_mode(data)) == "0o700"


def test_sub_folders_and_files_written_atomically_are_private(tmp_path: Path, umask: int) -> None:
    data = tmp_path / "data"
    target = data / "routines" / "assigned" / "plan.yaml"
    write_text_atomic(target, "id: x\n")
    for folder in (data, data / "routines", data / "routines" / "assigned"):
        assert oct(_mode(folder)) == "0o700", folder
    assert oct(_mode(target)) == "0o600"
    save_preferences(data / "settings.json", Preferences())
    assert oct(_mode(data / "settings.json")) == "0o600"


def test_the_store_makes_its_folders_private(tmp_path: Path, umask: int) -> None:
    database = tmp_path / "new" / "data" / "coach.sqlite3"
    with Store.open(database):
        pass
    assert oct(_mode(tmp_path / "new")) == "0o700"
    assert oct(_mode(tmp_path / "new" / "data")) == "0o700"
    assert oct(_mode(database)) == "0o600"
