"""A backup of everything the person recorded, and putting one back.

The progress database is not all of it: the health answers (``profile.json``),
the reminders (``reminders.json``) and the plans a physiotherapist handed over
(their routines in ``routines/assigned/``, the files as received in
``assignments/``) are the person's too. A backup is one zip file::

    coach-backup.json        what this is: {"format": "coach-backup", ...}
    coach.sqlite3            the database, a page-for-page copy (damaged rows too)
    coach.sqlite3-wal        only when SQLite could not read the file at all
    files/profile.json       the person's other files, as they are
    files/reminders.json
    files/routines/assigned/...
    files/assignments/...

Restoring one is refused whole when anything in it is not what Coach writes
(the database is checked by :meth:`Store.restore_from`; a member's name must
be one of the above, without ``..``; sizes are limited). Before anything is
replaced, the current database is kept as ``coach.sqlite3.before-restore-<time>``
and the current files are moved into ``before-restore-<time>/``. A plain
``.sqlite3`` backup of an older Coach restores the database alone.
"""

from __future__ import annotations

import json
import os
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

from coach import __version__
from coach.core.common.atomic import make_private_dir, write_bytes_atomic
from coach.core.progress.store import Store, utc_now
from coach.core.progress.store_errors import StoreError, StoreErrorKind, translating
from coach.core.progress.store_file import copy_as_is, fsync_dir, unique_path

DATABASE_NAME = "coach.sqlite3"
PERSON_FILES: tuple[str, ...] = ("profile.json", "reminders.json")
"""The person's files in the data folder, besides the database (their names there)."""
PERSON_FOLDERS: tuple[str, ...] = ("routines/assigned", "assignments")
"""Folders of the installed plans (``clinic.install.assigned_folder`` / ``archive_folder``)."""

BACKUP_FORMAT = "coach-backup"
BACKUP_FORMAT_VERSION = 1
MANIFEST = "coach-backup.json"
_FILES = "files/"

MAX_FILE_BYTES = 32 * 1024 * 1024
"""Refused above this: a person's file is a few KiB, a plan's picture some hundred."""
MAX_DATABASE_BYTES = 4 * 1024 * 1024 * 1024
MAX_MEMBERS = 10_000

_BAD_BACKUP = "This file is not a Coach backup, or it is damaged. Nothing was changed."


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


# --------------------------------------------------------------------------
# The person's files
# --------------------------------------------------------------------------


def person_files(data: Path) -> list[tuple[str, Path]]:
    """(name in the backup, path) of every file of the person's besides the database."""
    out: list[tuple[str, Path]] = []
    for name in PERSON_FILES:
        path = data / name
        if path.is_file() and not path.is_symlink():
            out.append((name, path))
    for folder in PERSON_FOLDERS:
        root = data / folder
        if not root.is_dir() or root.is_symlink():
            continue
        for path in sorted(root.rglob("*")):
            if path.is_file() and not path.is_symlink():
                out.append((path.relative_to(data).as_posix(), path))
    return out


def set_aside(data: Path, folder_name: str) -> Path | None:
    """Move the person's files (not the database) into ``data/folder_name/``.

    Renames only, inside the data folder: nothing is copied or lost. Returns
    the folder, or None when there was nothing to move.
    """
    moving = [n for n in (*PERSON_FILES, *PERSON_FOLDERS) if (data / n).exists()]
    if not moving:
        return None
    target = unique_path(data / folder_name)
    for name in moving:
        destination = target / name
        make_private_dir(destination.parent)
        os.replace(data / name, destination)
    fsync_dir(data)
    return target


# --------------------------------------------------------------------------
# Writing a backup
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class BackupResult:
    path: Path
    files: int  # the person's files besides the database
    as_is: bool  # the database was copied byte for byte (SQLite could not read it)


def write_backup(
    data: Path, target: Path, *, store: Store | None = None, now: datetime | None = None
) -> BackupResult:
    """Everything the person recorded in one zip at ``target`` (temp file + rename).

    With an open ``store`` the database is copied through it (a consistent
    snapshot); without one (it is damaged, or from a newer Coach) it is copied
    as it is through a read-only connection, or byte for byte. Either way
    every page is copied as it is, damaged rows too.
    """
    data, target = Path(data), Path(target)
    database = data / DATABASE_NAME
    if not database.is_file():
        raise StoreError(StoreErrorKind.IO, "There is no progress file to back up yet.")
    moment = now or utc_now()
    files = person_files(data)
    with tempfile.TemporaryDirectory(prefix=".backup-", dir=data) as tmp:
        copy = Path(tmp) / DATABASE_NAME
        raw = False
        if store is not None:
            store.backup_to(copy)
            copies = [copy]
        else:
            with translating(database):
                copies, raw = copy_as_is(database, copy)
        manifest = {
            "format": BACKUP_FORMAT,
            "format_version": BACKUP_FORMAT_VERSION,
            "made_utc": moment.astimezone(UTC).isoformat(),
            "app_version": __version__,
            "database": DATABASE_NAME,
            "files": [name for name, _path in files],
        }
        zipped = Path(tmp) / "backup.zip"
        with zipfile.ZipFile(zipped, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(MANIFEST, json.dumps(manifest, indent=1) + "\n")
            for path in copies:
                archive.write(path, path.name)
            for name, path in files:
                archive.write(path, _FILES + name)
        content = zipped.read_bytes()
    write_bytes_atomic(target, content, mode=0o600)
    return BackupResult(target, len(files), as_is=raw)


# --------------------------------------------------------------------------
# Restoring one
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class RestoreResult:
    kept_database: Path | None  # the database as it was, or None when there was none
    kept_files: Path | None  # the folder the person's files were moved into
    files: int  # files restored besides the database


def _allowed(name: str) -> bool:
    """A member name under ``files/`` that may be written into the data folder."""
    if "\\" in name or "\x00" in name:
        return False
    path = PurePosixPath(name)
    if path.is_absolute() or any(part in ("", ".", "..") for part in name.split("/")):
        return False
    if name in PERSON_FILES:
        return True
    return any(name.startswith(folder + "/") for folder in PERSON_FOLDERS)


def _bad(path: Path, detail: str) -> StoreError:
    return StoreError(StoreErrorKind.CORRUPT, _BAD_BACKUP, path=path, detail=detail)


def _extract(archive: zipfile.ZipFile, info: zipfile.ZipInfo, target: Path, limit: int) -> None:
    """One member to ``target``, refused beyond ``limit`` bytes (whatever its header says)."""
    if info.file_size > limit:
        raise ValueError(f"{info.filename} is too large")
    make_private_dir(target.parent)
    written = 0
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out, archive.open(info) as member:
        while chunk := member.read(1024 * 1024):
            written += len(chunk)
            if written > limit:
                raise ValueError(f"{info.filename} is too large")
            out.write(chunk)
        out.flush()
        os.fsync(out.fileno())


def _read_manifest(archive: zipfile.ZipFile, source: Path) -> None:
    try:
        info = archive.getinfo(MANIFEST)
        if info.file_size > 1024 * 1024:
            raise ValueError("manifest too large")
        manifest = json.loads(archive.read(info).decode("utf-8"))
    except (KeyError, ValueError, UnicodeDecodeError) as exc:
        raise _bad(source, f"manifest: {exc}") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != BACKUP_FORMAT:
        raise _bad(source, "not a coach-backup manifest")
    if manifest.get("format_version") != BACKUP_FORMAT_VERSION:
        raise StoreError(
            StoreErrorKind.NEWER,
            "This backup comes from a newer version of Coach. Please update Coach to restore "
            "it. Nothing was changed.",
            path=source,
            detail=f"format_version {manifest.get('format_version')!r}",
        )


def _unpack(source: Path, staging: Path) -> tuple[Path, list[str]]:
    """The backup's database and files into ``staging``; refused whole on anything odd."""
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError) as exc:
        raise _bad(source, str(exc)) from exc
    names: list[str] = []
    with archive:
        _read_manifest(archive, source)
        members = archive.infolist()
        if len(members) > MAX_MEMBERS:
            raise _bad(source, "too many members")
        database = staging / DATABASE_NAME
        try:
            for info in members:
                name = info.filename
                if name == MANIFEST or info.is_dir():
                    continue
                if name in (DATABASE_NAME, DATABASE_NAME + "-wal"):
                    _extract(archive, info, staging / name, MAX_DATABASE_BYTES)
                elif name.startswith(_FILES) and _allowed(name[len(_FILES) :]):
                    _extract(archive, info, staging / name, MAX_FILE_BYTES)
                    names.append(name[len(_FILES) :])
                else:
                    raise ValueError(f"unexpected member {name!r}")
        except FileExistsError as exc:
            raise _bad(source, f"a member twice: {exc}") from exc
        except (ValueError, zipfile.BadZipFile, NotImplementedError, EOFError) as exc:
            raise _bad(source, str(exc)) from exc
        if not database.is_file():
            raise _bad(source, "no database in the backup")
    return database, names


def restore_backup(source: Path, data: Path, *, now: datetime | None = None) -> RestoreResult:
    """Put a backup (a zip of :func:`write_backup`, or a plain database) in place.

    Close the open Store first. Everything is checked before anything
    changes; a bad backup raises StoreError and changes nothing.
    """
    source, data = Path(source), Path(data)
    moment = now or utc_now()
    database = data / DATABASE_NAME
    if not source.is_file():
        raise StoreError(StoreErrorKind.IO, "The backup file was not found.", path=source)
    if not zipfile.is_zipfile(source):
        kept = Store.restore_from(source, database, clock=lambda: moment)
        return RestoreResult(kept, None, 0)
    with translating(source), tempfile.TemporaryDirectory(prefix=".restore-", dir=data) as tmp:
        staging = Path(tmp)
        backup_db, names = _unpack(source, staging)
        kept = Store.restore_from(backup_db, database, clock=lambda: moment)
        # The database is in place; the files follow (renames within the folder).
        kept_files = set_aside(data, f"before-restore-{_stamp(moment)}")
        for name in names:
            target = data / name
            make_private_dir(target.parent)
            os.replace(staging / _FILES / name, target)
        fsync_dir(data)
    return RestoreResult(kept, kept_files, len(names))


def iter_person_files(data: Path) -> Iterator[tuple[str, bytes]]:
    """(name, content) of the person's files, for an export."""
    for name, path in person_files(data):
        try:
            yield name, path.read_bytes()
        except OSError:
            continue
