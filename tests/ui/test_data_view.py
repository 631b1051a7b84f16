"""'Your data': export, backup, restore and delete from the Settings section."""

from __future__ import annotations

import contextlib
import json
import sqlite3
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QLabel, QMessageBox, QPushButton

from coach.core.common.paths import Paths
from coach.core.progress.store import Store
from coach.core.progress.store_rows import SessionOutcome
from coach.ui.settings.data_view import DataView, DeleteDialog


def count(path: Path, table: str) -> int:
    with contextlib.closing(sqlite3.connect(path)) as conn:
        return int(conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])


class Chooser:
    """Stands in for the file dialogs: answers with a path chosen by the test."""

    def __init__(self) -> None:
        self.answer: Path | None = None
        self.asked: list[tuple[str, Any]] = []

    def save(
        self,
        parent: Any,
        title: str,
        suggested: Path,
        name_filter: str,
        done: Callable[[Path], None],
    ) -> None:
        self.asked.append((title, suggested))
        if self.answer is not None:
            done(self.answer)

    def open(self, parent: Any, title: str, name_filter: str, done: Callable[[Path], None]) -> None:
        self.asked.append((title, name_filter))
        if self.answer is not None:
            done(self.answer)


@pytest.fixture
def chooser(monkeypatch: pytest.MonkeyPatch) -> Chooser:
    fake = Chooser()
    monkeypatch.setattr(DataView, "ask_save_path", staticmethod(fake.save))
    monkeypatch.setattr(DataView, "ask_open_path", staticmethod(fake.open))
    return fake


@pytest.fixture
def store(paths: Paths) -> Iterator[Store]:
    paths.ensure_data_dir()
    opened = Store.open(paths.database)
    sid = opened.start_session("daily-relief", "Daily relief", pain_before_back=3)
    opened.end_session(sid, SessionOutcome.COMPLETED)
    opened.add_note("Guter Tag")
    yield opened
    opened.close()


@pytest.fixture
def view(qtbot, store: Store, paths: Paths, chooser: Chooser) -> DataView:  # type: ignore[no-untyped-def]
    widget = DataView(store, paths)
    qtbot.addWidget(widget)
    widget.show()
    return widget


def click(qtbot, parent, name: str) -> None:  # type: ignore[no-untyped-def]
    target = parent.findChild(QPushButton, name)
    assert target is not None, name
    qtbot.mouseClick(target, Qt.MouseButton.LeftButton)


def status(view: DataView) -> str:
    return view.findChild(QLabel, "data-status").text()


def test_export_csv_and_json_through_the_chooser(
    qtbot, view: DataView, chooser: Chooser, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    chooser.answer = tmp_path / "mine.zip"
    click(qtbot, view, "export-csv")
    assert (
        chooser.asked[0][1].name.startswith("coach-export-")
        and chooser.asked[0][1].suffix == ".zip"
    )
    with zipfile.ZipFile(chooser.answer) as archive:
        assert "Guter Tag" in archive.read("notes.csv").decode("utf-8-sig")
    assert status(view) == f"✓ Exported to {chooser.answer}."

    chooser.answer = tmp_path / "mine.json"
    click(qtbot, view, "export-json")
    document = json.loads(chooser.answer.read_text(encoding="utf-8"))
    assert document["tables"]["notes"][0]["text"] == "Guter Tag"


def test_cancelling_the_chooser_does_nothing(
    qtbot, view: DataView, chooser: Chooser, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    chooser.answer = None
    click(qtbot, view, "backup")
    assert chooser.asked and not view.findChild(QLabel, "data-status").isVisibleTo(view)


def test_an_unwritable_export_says_why(
    qtbot, view: DataView, chooser: Chooser, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    blocker = tmp_path / "file"
    blocker.write_text("x")
    chooser.answer = blocker / "mine.json"
    click(qtbot, view, "export-json")
    assert status(view).startswith("The export could not be written:")


def test_backup_and_restore_bring_the_old_data_back(
    qtbot, view: DataView, chooser: Chooser, store: Store, paths: Paths, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    chooser.answer = tmp_path / "usb" / "backup.zip"
    click(qtbot, view, "backup")
    with zipfile.ZipFile(chooser.answer) as archive:
        (tmp_path / "inside.sqlite3").write_bytes(archive.read("coach.sqlite3"))
    assert count(tmp_path / "inside.sqlite3", "sessions") == 1
    store.start_session("walking", "Walking")
    assert count(paths.database, "sessions") == 2

    click(qtbot, view, "restore")
    box = view.dialog
    assert isinstance(box, QMessageBox)
    assert "backup.zip" in box.text()
    with qtbot.waitSignal(view.store_replaced) as replaced:
        box.button(QMessageBox.StandardButton.Yes).click()
    new = replaced.args[0]
    assert isinstance(new, Store) and new is not store and view.store is new
    assert [s.routine_id for s in new.sessions()] == ["daily-relief"]
    with pytest.raises(RuntimeError, match="closed"):
        store.sessions()  # the old one was closed for the restore
    assert "Your previous data was kept as" in status(view)
    [kept] = paths.data.glob("coach.sqlite3.before-restore-*")
    assert count(kept, "sessions") == 2
    new.close()


def test_cancelling_the_restore_changes_nothing(
    qtbot, view: DataView, chooser: Chooser, store: Store, paths: Paths, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    chooser.answer = tmp_path / "b.sqlite3"
    store.backup_to(chooser.answer)
    click(qtbot, view, "restore")
    assert isinstance(view.dialog, QMessageBox)
    view.dialog.button(QMessageBox.StandardButton.Cancel).click()
    assert view.store is store
    assert [s.routine_id for s in store.sessions()] == ["daily-relief"]


def test_a_bad_backup_shows_the_message_and_changes_nothing(
    qtbot, view: DataView, chooser: Chooser, store: Store, paths: Paths, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "broken.sqlite3"
    bad.write_bytes(b"definitely not sqlite" * 50)
    chooser.answer = bad
    store.close()
    before = paths.database.read_bytes()
    store_again = Store.open(paths.database)
    view.set_store(store_again)
    click(qtbot, view, "restore")
    with qtbot.waitSignal(view.store_replaced) as replaced:
        view.dialog.button(QMessageBox.StandardButton.Yes).click()
    assert status(view) == (
        "This file is not a Coach backup, or it is damaged. Nothing was changed."
    )
    new = replaced.args[0]
    assert [s.routine_id for s in new.sessions()] == ["daily-relief"]
    new.close()
    assert paths.database.read_bytes() == before
    assert list(paths.data.glob("coach.sqlite3.before-restore-*")) == []


def test_delete_all_needs_the_tick_then_deletes_after_a_backup(
    qtbot, view: DataView, store: Store, paths: Paths
) -> None:  # type: ignore[no-untyped-def]
    click(qtbot, view, "delete-all")
    dialog = view.dialog
    assert isinstance(dialog, DeleteDialog)
    click(qtbot, dialog, "delete-confirm")  # not ticked: nothing happens
    assert count(paths.database, "sessions") == 1
    assert dialog.isVisible()
    dialog.findChild(QCheckBox, "delete-understood").setChecked(True)
    with qtbot.waitSignal(view.data_changed):
        click(qtbot, dialog, "delete-confirm")
    assert count(paths.database, "sessions") == 0
    assert count(paths.database, "notes") == 0
    [kept] = paths.data.glob("coach.sqlite3.before-delete-*")
    assert count(kept, "notes") == 1
    assert status(view) == (
        f"✓ All your recorded progress was deleted. A backup copy was kept as {kept}."
    )
    assert store.sessions() == []  # the open store goes on working


def test_cancel_in_the_delete_dialog_keeps_everything(qtbot, view: DataView, paths: Paths) -> None:  # type: ignore[no-untyped-def]
    click(qtbot, view, "delete-all")
    dialog = view.dialog
    assert isinstance(dialog, DeleteDialog)
    dialog.findChild(QCheckBox, "delete-understood").setChecked(True)
    click(qtbot, dialog, "delete-cancel")
    assert count(paths.database, "sessions") == 1
    assert list(paths.data.glob("coach.sqlite3.before-delete-*")) == []


def test_without_a_store_only_restore_is_offered(qtbot, paths: Paths, chooser: Chooser) -> None:  # type: ignore[no-untyped-def]
    view = DataView(None, paths)
    qtbot.addWidget(view)
    enabled = {name: b.isEnabled() for name, b in view.buttons.items()}
    assert enabled == {
        "export-csv": False,
        "export-json": False,
        "backup": False,
        "restore": True,
        "delete-all": False,
        "quarantine": True,
    }
    # There is no file at all, so nothing to put aside.
    assert not view.findChild(QPushButton, "quarantine").isVisibleTo(view)


def _damage_the_schema(database: Path) -> None:
    """A column name of the sessions table with the byte 0xFF (not UTF-8): the start-up
    reads sessions, so before this was handled the window never loaded."""
    with contextlib.closing(sqlite3.connect(database, isolation_level=None)) as conn:
        conn.execute("PRAGMA writable_schema = ON")
        conn.execute(
            "UPDATE sqlite_master SET sql = CAST(REPLACE(CAST(sql AS BLOB),"
            " CAST('stop_note TEXT' AS BLOB), X'73746F705F6E6F7465FF2054455854') AS TEXT)"
            " WHERE name = 'sessions'"
        )


def test_a_damaged_file_can_be_backed_up_then_put_aside_for_a_new_one(
    qtbot, store: Store, paths: Paths, chooser: Chooser, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    from coach.app import open_store

    store.close()
    _damage_the_schema(paths.database)
    damaged = paths.database.read_bytes()
    opened, message = open_store(paths)  # the start-up: no crash, a message
    assert opened is None and message and "put it aside" in message
    view = DataView(None, paths)
    qtbot.addWidget(view)
    view.show()
    note = view.findChild(QLabel, "damaged-note")
    assert note.isVisibleTo(view) and "damaged" in note.text()
    aside = view.findChild(QPushButton, "quarantine")
    assert aside.isVisibleTo(view) and aside.isEnabled()

    # The backup works and copies the file as it is.
    chooser.answer = tmp_path / "rescue.zip"
    click(qtbot, view, "backup")
    assert status(view) == f"✓ Backup saved as {chooser.answer}."
    with zipfile.ZipFile(chooser.answer) as archive:
        assert b"Guter Tag" in archive.read("coach.sqlite3")
    assert paths.database.read_bytes() == damaged

    click(qtbot, view, "quarantine")
    box = view.dialog
    assert isinstance(box, QMessageBox)
    with qtbot.waitSignal(view.store_replaced) as replaced:
        box.findChild(QPushButton, "quarantine-yes").click()
    new = replaced.args[0]
    assert isinstance(new, Store) and new.sessions() == []
    [kept] = paths.data.glob("coach.sqlite3.damaged-*")
    assert kept.read_bytes() == damaged
    assert status(view) == (
        f"✓ The damaged progress file was kept as {kept}. Coach has started a new one."
    )
    assert not aside.isVisibleTo(view)
    assert view.buttons["delete-all"].isEnabled()
    new.close()


def test_cancelling_put_aside_changes_nothing(
    qtbot, store: Store, paths: Paths, chooser: Chooser
) -> None:  # type: ignore[no-untyped-def]
    store.close()
    _damage_the_schema(paths.database)
    damaged = paths.database.read_bytes()
    view = DataView(None, paths)
    qtbot.addWidget(view)
    click(qtbot, view, "quarantine")
    view.dialog.button(QMessageBox.StandardButton.Cancel).click()
    assert paths.database.read_bytes() == damaged
    assert list(paths.data.glob("coach.sqlite3.damaged-*")) == []


def test_an_export_with_a_damaged_measure_says_so(
    qtbot, view: DataView, chooser: Chooser, store: Store, paths: Paths, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    store.add_measure("pain", {"back": 3})
    with contextlib.closing(sqlite3.connect(paths.database, isolation_level=None)) as conn:
        conn.execute("UPDATE measures SET value = CAST(X'7B22FF223A317D' AS TEXT)")
    assert store.measures() == [] and store.damaged_rows == {"measures": 1}
    chooser.answer = tmp_path / "mine.json"
    click(qtbot, view, "export-json")
    assert status(view) == (
        f"✓ Exported to {chooser.answer}. One damaged entry could not be read exactly; "
        "it is marked in the export."
    )


def test_a_healthy_file_offers_no_put_aside(view: DataView) -> None:
    assert not view.findChild(QPushButton, "quarantine").isVisibleTo(view)
